from django.urls import path

from kelurahan import views_web as kantor
from layanan.web import privasi
from layanan.web import views as v

app_name = "web"

urlpatterns = [
    path("", v.beranda, name="beranda"),
    path("lacak/", v.lacak, name="lacak"),
    path("lacak/<str:nomor>/", v.lacak_detail, name="lacak_detail"),
    path("masuk/", v.masuk, name="masuk"),
    path("masuk/kode/", v.masuk_kode, name="masuk_kode"),
    path("keluar/", v.keluar, name="keluar"),
    path("layanan/<slug:kode>/", v.layanan_detail, name="layanan"),
    path("layanan/<slug:kode>/ajukan/", v.ajukan, name="ajukan"),
    path("permohonan-saya/", v.permohonan_saya, name="permohonan_saya"),
    path("privasi/", privasi.pemberitahuan, name="privasi"),
    path("permohonan-saya/data-saya/", privasi.data_saya, name="data_saya"),
    path("permohonan-saya/data-saya/koreksi/", privasi.koreksi_ajukan, name="koreksi_ajukan"),
    path("petugas/koreksi/", privasi.koreksi_antrean, name="koreksi_antrean"),
    path("petugas/koreksi/<int:pk>/<slug:keputusan>/", privasi.koreksi_putuskan, name="koreksi_putuskan"),
    path("permohonan-saya/<str:nomor>/", v.permohonan_saya_detail, name="permohonan_saya_detail"),
    path("permohonan-saya/<str:nomor>/terkirim/", v.terkirim, name="terkirim"),
    path("permohonan-saya/<str:nomor>/aksi/<slug:aksi>/", v.permohonan_saya_aksi, name="permohonan_saya_aksi"),
    path("permohonan-saya/<str:nomor>/surat.pdf", v.surat_unduh, name="surat_unduh"),
    path("masuk/petugas/", kantor.masuk_petugas, name="petugas_masuk"),
    path("keluar/petugas/", kantor.keluar_petugas, name="petugas_keluar"),
    path("petugas/", v.daftar_kerja, name="daftar_kerja"),
    path("petugas/permohonan/<int:pk>/", v.petugas_permohonan, name="petugas_permohonan"),
    path("petugas/permohonan/<int:pk>/data-pribadi/", v.petugas_data_pribadi, name="petugas_data_pribadi"),
    path("petugas/permohonan/<int:pk>/aksi/<slug:aksi>/", v.petugas_aksi, name="petugas_aksi"),
    path("petugas/permohonan/<int:pk>/berkas/<int:berkas_id>/", v.petugas_berkas, name="petugas_berkas"),
    path("petugas/permohonan/<int:pk>/surat.pdf", v.petugas_surat, name="petugas_surat"),
    path("petugas/permohonan/<int:pk>/draf.pdf", v.petugas_draf, name="petugas_draf"),
    path("petugas/siap-ditandatangani/", v.siap_ditandatangani, name="siap_ditandatangani"),
    path("petugas/loket/", v.loket, name="loket"),
    path("petugas/loket/<slug:kode>/", v.loket_ajukan, name="loket_ajukan"),
]
