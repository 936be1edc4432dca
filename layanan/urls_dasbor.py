from django.urls import path

from layanan import views_dasbor, views_survei

urlpatterns = [
    path("dasbor/", views_dasbor.dasbor, name="dasbor"),
    path("dasbor/<slug:jenis>/", views_dasbor.dasbor_unit, name="dasbor-unit"),
    path("survei/<str:token>/", views_survei.survei_isi, name="survei-isi"),
    path("transparansi/<str:kode>/", views_survei.transparansi, name="transparansi"),
]
