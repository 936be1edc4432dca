from django.urls import path

from bench.baseline_app.views import Dasar, DasarDaftar, DasarUnggah

urlpatterns = [
    path("dasar/", Dasar.as_view(), name="bench-dasar"),
    path("dasar/unggah/", DasarUnggah.as_view(), name="bench-dasar-unggah"),
    path("dasar/daftar/", DasarDaftar.as_view(), name="bench-dasar-daftar"),
]
