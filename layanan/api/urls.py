from django.urls import path

from kelurahan import api as kelurahan_api
from layanan import api_integritas
from layanan.api import views as api
from layanan.api import warga as api_warga

urlpatterns = [
    path("layanan/", api.LayananList.as_view(), name="api-layanan"),
    path("layanan/<slug:kode>/", api.LayananDetail.as_view(), name="api-layanan-detail"),
    path("wilayah/", kelurahan_api.WilayahList.as_view(), name="api-wilayah"),
    path("auth/token/", kelurahan_api.TokenPetugas.as_view(), name="api-token"),
    path("warga/otp/", api_warga.WargaMintaKode.as_view(), name="api-warga-otp"),
    path("warga/masuk/", api_warga.WargaMasuk.as_view(), name="api-warga-masuk"),
    path("permohonan/", api.PermohonanListCreate.as_view(), name="api-permohonan"),
    path("permohonan/<int:pk>/", api.PermohonanDetail.as_view(), name="api-permohonan-detail"),
    path("permohonan/<int:pk>/aksi/", api.PermohonanAksi.as_view(), name="api-permohonan-aksi"),
    path("permohonan/<int:pk>/data-pribadi/", api.PermohonanDataPribadi.as_view(), name="api-permohonan-data-pribadi"),
    path("permohonan/<int:pk>/berkas/<int:berkas_id>/", api.PermohonanBerkas.as_view(), name="api-permohonan-berkas"),
    path("permohonan/<int:pk>/surat.pdf", api.PermohonanSuratPdf.as_view(), name="api-permohonan-surat"),
    path("permohonan/<int:pk>/draf.pdf", api.PermohonanDrafPdf.as_view(), name="api-permohonan-draf"),
    path("lacak/<str:nomor>/", api.Lacak.as_view(), name="api-lacak"),
    path("survei/", api_integritas.Survei.as_view(), name="api-survei"),
    path("pengaduan/", api_integritas.PengaduanListCreate.as_view(), name="api-pengaduan"),
    path("pengaduan/<str:kode>/", api_integritas.PengaduanDetail.as_view(), name="api-pengaduan-detail"),
    path("pengaduan/<str:kode>/status/", api_integritas.PengaduanStatus.as_view(), name="api-pengaduan-status"),
    path("pengaduan/<str:kode>/bukti/", api_integritas.PengaduanBukti.as_view(), name="api-pengaduan-bukti"),
    path("indikator/", api_integritas.Indikator.as_view(), name="api-indikator"),
    path("indikator/sinyal/", api_integritas.Sinyal.as_view(), name="api-indikator-sinyal"),
    path("indikator/rincian/", api_integritas.IndikatorRincian.as_view(), name="api-indikator-rincian"),
    path("indikator/tren/", api_integritas.IndikatorTren.as_view(), name="api-indikator-tren"),
    path("indikator/lewat-tenggat/", api_integritas.LewatTenggat.as_view(), name="api-indikator-lewat-tenggat"),
    path("transparansi/<str:kode>/", api_integritas.Transparansi.as_view(), name="api-transparansi"),
]
