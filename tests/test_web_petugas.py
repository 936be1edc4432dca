"""Officer desk pages through the test client: worklist scope, request page,
actions (with the 409 and reason paths), audited reveal, counter intake."""

import pytest

from audit.enkripsi import indeks_hp, indeks_nik
from audit.models import AuditEvent
from layanan.models import Permohonan
from layanan.permohonan import services
from notifikasi.models import Outbox
from tests.factories import MEDONO, TIRTO, Dunia, png_bytes, unggahan
from tests.pembantu_ttd import lihat_draf_web


@pytest.fixture
def dunia(db):
    return Dunia()


def ajukan(dunia, kelurahan=MEDONO, layanan=None, warga=None):
    warga = warga or dunia.warga
    layanan = layanan or dunia.domisili
    if layanan == dunia.domisili:
        data, berkas = {"lama_tinggal": 5}, {"pengantar_rt": unggahan(), "ktp": unggahan("ktp.png", png_bytes(), "image/png")}
    else:
        data, berkas = {"nama_almarhum": "Karto", "tanggal_meninggal": "2026-01-02"}, {"akta_kematian": unggahan()}
    return services.permohonan_ajukan(
        pengaju=warga.user, layanan=layanan, kelurahan=kelurahan, keperluan="Melamar pekerjaan",
        data=data, berkas=berkas, identitas={"nama": "Siti Aminah", "alamat": "Jl. Medono 5"},
    )


def test_worklist_scope_counts_and_masked_nik(client, dunia, django_assert_max_num_queries):
    p = ajukan(dunia)
    lain = ajukan(dunia, kelurahan=TIRTO, warga=dunia.warga_lain)
    client.force_login(dunia.petugas_medono)
    with django_assert_max_num_queries(12):
        r = client.get("/petugas/")
    html = r.content.decode()
    assert r.status_code == 200
    assert p.nomor_registrasi in html and lain.nomor_registrasi not in html
    assert "Diajukan: 1" in html and "Semua: 1" in html
    assert dunia.warga.nik not in html and "337501" in html
    assert "Waktu layanan" in html or "Aman" in html


def test_worklist_filters_and_pagination(client, dunia):
    for _ in range(27):
        ajukan(dunia)
    client.force_login(dunia.petugas_medono)
    html = client.get("/petugas/").content.decode()
    assert "Halaman 1 dari 2" in html
    html2 = client.get("/petugas/", {"status": "diajukan", "hal": 2}).content.decode()
    assert "Halaman 2 dari 2" in html2 and html2.count("/petugas/permohonan/") == 2
    assert "Tidak ada permohonan yang cocok." in client.get("/petugas/", {"status": "selesai"}).content.decode()
    assert "Tidak ada permohonan yang cocok." in client.get("/petugas/", {"sla": "terlambat"}).content.decode()


def test_other_kelurahan_officer_gets_404(client, dunia):
    p = ajukan(dunia)
    client.force_login(dunia.petugas_tirto)
    assert client.get(f"/petugas/permohonan/{p.pk}/").status_code == 404
    assert client.post(f"/petugas/permohonan/{p.pk}/aksi/verifikasi/").status_code == 404
    assert Permohonan.objects.get(pk=p.pk).status == "diajukan"


def test_request_page_buttons_reveal_and_inline_documents(client, dunia):
    p = ajukan(dunia)
    client.force_login(dunia.petugas_medono)
    html = client.get(f"/petugas/permohonan/{p.pk}/").content.decode()
    assert "Verifikasi berkas" in html and "Minta perbaikan" in html and "Tolak" in html
    assert "Setujui (lurah)" not in html
    assert dunia.warga.nik not in html and "Tampilkan data pribadi" in html
    assert "<dialog" in html and "Lama tinggal (tahun)" in html
    r = client.post(f"/petugas/permohonan/{p.pk}/data-pribadi/")
    assert r.status_code == 302
    assert AuditEvent.objects.filter(kategori="akses_data", aksi="buka_data_pribadi", aktor="petugas.medono").exists()
    html = client.get(r["Location"]).content.decode()
    assert dunia.warga.nik in html
    # Shown once: the next visit is masked again.
    assert dunia.warga.nik not in client.get(f"/petugas/permohonan/{p.pk}/").content.decode()
    berkas = p.berkas.get(persyaratan_kode="ktp")
    r = client.get(f"/petugas/permohonan/{p.pk}/berkas/{berkas.pk}/")
    assert r.status_code == 200 and r["Content-Type"] == "image/png" and r["Content-Disposition"] == "inline"
    assert b"".join(r.streaming_content) == png_bytes()


def test_verify_then_lurah_approves_and_second_click_gets_409(client, dunia):
    p = ajukan(dunia)
    client.force_login(dunia.petugas_medono)
    r = client.post(f"/petugas/permohonan/{p.pk}/aksi/verifikasi/")
    assert r.status_code == 302
    r = client.post(f"/petugas/permohonan/{p.pk}/aksi/verifikasi/")
    assert r.status_code == 409
    assert "Permohonan sudah diproses oleh petugas lain" in r.content.decode()
    client.force_login(dunia.lurah_medono)
    html = client.get(f"/petugas/permohonan/{p.pk}/").content.decode()
    assert "Setujui (lurah)" in html and "Verifikasi berkas" not in html
    lihat_draf_web(client, p.pk)  # the confirm step frames the draft
    r = client.post(f"/petugas/permohonan/{p.pk}/aksi/setujui/", {"konfirmasi": "1"}, follow=True)
    assert "Selesai" in r.content.decode()
    assert Permohonan.objects.get(pk=p.pk).status == "selesai"


def test_reason_required_page_without_js(client, dunia):
    p = ajukan(dunia)
    client.force_login(dunia.petugas_medono)
    r = client.get(f"/petugas/permohonan/{p.pk}/aksi/minta_perbaikan/")
    assert r.status_code == 200 and 'name="catatan"' in r.content.decode()
    r = client.post(f"/petugas/permohonan/{p.pk}/aksi/minta_perbaikan/", {"catatan": ""})
    assert r.status_code == 400 and "Alasan" in r.content.decode()
    assert Permohonan.objects.get(pk=p.pk).status == "diajukan"
    r = client.post(f"/petugas/permohonan/{p.pk}/aksi/minta_perbaikan/", {"catatan": "Foto KTP buram"})
    assert r.status_code == 302
    p = Permohonan.objects.get(pk=p.pk)
    assert p.status == "perlu_perbaikan" and p.catatan_terakhir == "Foto KTP buram"


def test_lurah_cannot_verify_is_403(client, dunia):
    p = ajukan(dunia)
    client.force_login(dunia.lurah_medono)
    r = client.post(f"/petugas/permohonan/{p.pk}/aksi/verifikasi/")
    assert r.status_code == 403
    assert "tidak berwenang" in r.content.decode()


def _isian_loket(**lain):
    isian = {
        "warga-nik": "3375015203950004", "warga-nama": "Rina Wati", "warga-no_hp": "0812 3456 7899",
        "warga-tempat_lahir": "Pekalongan", "warga-tanggal_lahir": "1995-03-12", "warga-jenis_kelamin": "P",
        "warga-agama": "Islam", "warga-pekerjaan": "Pedagang", "warga-status_perkawinan": "Kawin",
        "warga-alamat": "Jl. Medono 9", "kelurahan": MEDONO, "keperluan": "Membuka rekening",
        "data_lama_tinggal": "3", "data_status_rumah": "sewa",
        "berkas_pengantar_rt": unggahan(), "berkas_ktp": unggahan("ktp.pdf"), "setuju_privasi": "on",
    }
    isian.update(lain)
    return isian


def test_counter_intake_records_loket(client, dunia):
    client.force_login(dunia.petugas_medono)
    assert "Surat Keterangan Domisili" in client.get("/petugas/loket/").content.decode()
    r = client.post("/petugas/loket/domisili/", _isian_loket())
    assert r.status_code == 302, r.content.decode()[:3000]
    p = Permohonan.objects.get(pemohon__nik_indeks=indeks_nik("3375015203950004"))
    assert p.kanal == "loket" and p.identitas["nama"] == "Rina Wati"
    assert Outbox.objects.filter(penerima_indeks=indeks_hp("+6281234567899"), templat="permohonan_diterima").exists()


def test_counter_intake_bad_input_saves_nothing(client, dunia):
    client.force_login(dunia.petugas_medono)
    isian = _isian_loket(**{"warga-nik": "1234", "data_lama_tinggal": ""})
    isian.pop("berkas_ktp")
    r = client.post("/petugas/loket/domisili/", isian)
    html = r.content.decode()
    assert r.status_code == 400
    assert "NIK harus 16 digit angka." in html and "KTP-el" in html
    assert Permohonan.objects.count() == 0


def test_counter_intake_only_for_kelurahan_clerks(client, dunia):
    client.force_login(dunia.lurah_medono)
    assert client.get("/petugas/loket/domisili/").status_code == 403
