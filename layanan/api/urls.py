from django.urls import path

from kelurahan import api as kelurahan_api
from layanan.api import views as api
from layanan.api import warga as api_warga

urlpatterns = [
    path("layanan/", api.LayananList.as_view(), name="api-layanan"),
    path("layanan/<slug:kode>/", api.LayananDetail.as_view(), name="api-layanan-detail"),
    path("wilayah/", kelurahan_api.WilayahList.as_view(), name="api-wilayah"),
    path("auth/token/", kelurahan_api.TokenPetugas.as_view(), name="api-token"),
    path("auth/keluar/", kelurahan_api.TokenKeluar.as_view(), name="api-keluar"),
    path("warga/otp/", api_warga.WargaMintaKode.as_view(), name="api-warga-otp"),
    path("warga/masuk/", api_warga.WargaMasuk.as_view(), name="api-warga-masuk"),
    path("warga/no-hp/", api_warga.WargaMintaGantiHp.as_view(), name="api-warga-no-hp"),
    path("warga/no-hp/konfirmasi/", api_warga.WargaGantiHp.as_view(), name="api-warga-no-hp-konfirmasi"),
    path("warga/no-hp/loket/", api_warga.GantiHpLoket.as_view(), name="api-warga-no-hp-loket"),
    path("warga/no-hp/loket/<int:pk>/putuskan/", api_warga.GantiHpLoketPutuskan.as_view(),
         name="api-warga-no-hp-loket-putuskan"),
    path("permohonan/", api.PermohonanListCreate.as_view(), name="api-permohonan"),
    path("permohonan/<int:pk>/", api.PermohonanDetail.as_view(), name="api-permohonan-detail"),
    path("permohonan/<int:pk>/aksi/", api.PermohonanAksi.as_view(), name="api-permohonan-aksi"),
    path("permohonan/<int:pk>/data-pribadi/", api.PermohonanDataPribadi.as_view(), name="api-permohonan-data-pribadi"),
    path("permohonan/<int:pk>/berkas/<int:berkas_id>/", api.PermohonanBerkas.as_view(), name="api-permohonan-berkas"),
    path("permohonan/<int:pk>/surat.pdf", api.PermohonanSuratPdf.as_view(), name="api-permohonan-surat"),
    path("permohonan/<int:pk>/draf.pdf", api.PermohonanDrafPdf.as_view(), name="api-permohonan-draf"),
    path("lacak/<str:nomor>/", api.Lacak.as_view(), name="api-lacak"),
    path("privasi/", api.Privasi.as_view(), name="api-privasi"),
]
