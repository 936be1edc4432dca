from django.urls import path

from bench.baseline_app.views import Dasar

urlpatterns = [path("dasar/", Dasar.as_view(), name="bench-dasar")]
