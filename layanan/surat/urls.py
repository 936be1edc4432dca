"""Public letter URLs: QR target, verification API, public key, signed download link."""

from django.urls import path

from layanan.surat import views

urlpatterns = [
    path("v/<str:token>", views.halaman_verifikasi, name="surat-verifikasi"),
    path("api/v1/verifikasi/<str:token>/", views.VerifikasiSuratAPI.as_view(), name="api-surat-verifikasi"),
    path(".well-known/simpatik-surat.pub", views.kunci_publik, name="surat-kunci-publik"),
    path("unduh/<str:nilai>/", views.unduh, name="surat-unduh"),
]
