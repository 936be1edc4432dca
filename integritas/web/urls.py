from django.urls import path

from integritas.web import dasbor, lke, pegawai, pengaduan, survei

app_name = "integritas"

urlpatterns = [
    path("dasbor/", dasbor.dasbor, name="dasbor"),
    path("dasbor/<slug:jenis>/", dasbor.dasbor_unit, name="dasbor-unit"),
    path("survei/<str:token>/", survei.survei_isi, name="survei-isi"),
    path("transparansi/", survei.transparansi_daftar, name="transparansi-daftar"),
    path("transparansi/<str:kode>/", survei.transparansi, name="transparansi"),
    path("pengaduan/", pengaduan.pengaduan_baru, name="pengaduan_baru"),
    path("pengaduan/<str:kode>/", pengaduan.pengaduan_status, name="pengaduan_status"),
    path("petugas/lke/", lke.lke, name="lke"),
    path("petugas/survei-integritas/", pegawai.survei_pegawai, name="survei-pegawai"),
    path("petugas/pengaduan/", pengaduan.pengaduan_antrean, name="pengaduan_antrean"),
    path("petugas/pengaduan/<str:kode>/", pengaduan.pengaduan_tangani, name="pengaduan_tangani"),
    path("petugas/pengaduan/<str:kode>/lapor/", pengaduan.pengaduan_lapor, name="pengaduan_lapor"),
]
