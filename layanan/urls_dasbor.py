from django.urls import path

from layanan import views_dasbor

urlpatterns = [
    path("dasbor/", views_dasbor.dasbor, name="dasbor"),
    path("dasbor/<slug:jenis>/", views_dasbor.dasbor_unit, name="dasbor-unit"),
]
