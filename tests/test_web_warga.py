"""Resident pages through the test client: OTP sign-in, the service form,
"Permohonan saya", correction, cancel, download."""

import pytest

from audit.enkripsi import indeks_hp, indeks_nik
from layanan.models import Berkas, Permohonan, Warga
from notifikasi.models import Outbox
from tests.factories import MEDONO, Dunia, png_bytes, unggahan
from tests.pembantu_ttd import lihat_draf_web


@pytest.fixture
def dunia(db):
    return Dunia()


def kode_terakhir(no_hp):
    return Outbox.objects.filter(penerima_indeks=indeks_hp(no_hp), templat="kode_otp").latest("dibuat").variabel["kode"]


def test_otp_sign_in_new_resident_creates_account(client, dunia):
    r = client.post("/masuk/", {"nik": "3375 0152 0395 0004", "no_hp": "0812-3456-7899"})
    assert r.status_code == 302 and r["Location"] == "/masuk/kode/"
    html = client.get("/masuk/kode/").content.decode()
    assert "nomor yang terdaftar untuk NIK ini" in html and "7899" not in html  # no number named (issue 14, item 6)
    r = client.post("/masuk/kode/", {"kode": kode_terakhir("+6281234567899")})
    assert r.status_code == 302 and r["Location"] == "/permohonan-saya/"
    warga = Warga.objects.get(nik_indeks=indeks_nik("3375015203950004"))
    assert warga.jenis_kelamin == "P" and str(warga.tanggal_lahir) == "1995-03-12"
    assert int(client.session["_auth_user_id"]) == warga.user_id
    assert "Anda belum punya permohonan." in client.get("/permohonan-saya/").content.decode()


def test_otp_known_resident_code_goes_to_registered_number(client, dunia):
    client.post("/masuk/", {"nik": dunia.warga.nik, "no_hp": "081299990000"})
    assert Outbox.objects.filter(templat="kode_otp", penerima_indeks=indeks_hp(dunia.warga.no_hp)).count() == 1
    assert not Outbox.objects.filter(penerima_indeks=indeks_hp("+6281299990000")).exists()


def test_otp_wrong_code_and_resend_limit(client, dunia):
    client.post("/masuk/", {"nik": dunia.warga.nik, "no_hp": dunia.warga.no_hp})
    benar = kode_terakhir(dunia.warga.no_hp)
    salah = "000000" if benar != "000000" else "111111"
    r = client.post("/masuk/kode/", {"kode": salah})
    assert r.status_code == 400
    assert "Kode salah atau sudah kedaluwarsa" in r.content.decode()
    assert "_auth_user_id" not in client.session
    r = client.post("/masuk/kode/", {"kirim_ulang": "1"}, follow=True)
    assert "Kode baru dapat diminta lagi dalam" in r.content.decode()
    r = client.post("/masuk/", {"nik": dunia.warga.nik, "no_hp": dunia.warga.no_hp})
    assert r.status_code == 429


def test_otp_bad_nik_is_400_with_message(client, dunia):
    r = client.post("/masuk/", {"nik": "9999010101900001", "no_hp": "081234567890"})
    assert r.status_code == 400
    assert "tidak dikenal" in r.content.decode()
    assert not Outbox.objects.filter(templat="kode_otp").exists()


def test_form_requires_sign_in(client, dunia):
    r = client.get("/layanan/domisili/ajukan/")
    assert r.status_code == 302 and r["Location"].startswith("/masuk/?next=/layanan/domisili/ajukan/")


def _isian(**lain):
    isian = {
        "diri-nama": "Siti Aminah", "diri-alamat": "Jl. Medono 5 RT 02 RW 03", "kelurahan": MEDONO,
        "keperluan": "Melamar pekerjaan", "data_lama_tinggal": "5", "data_status_rumah": "sewa",
        "berkas_pengantar_rt": unggahan(), "berkas_ktp": unggahan("ktp.png", png_bytes(), "image/png"),
    }
    isian.update(lain)
    return isian


def test_form_built_from_catalogue(client, dunia):
    client.force_login(dunia.warga.user)
    html = client.get("/layanan/domisili/ajukan/").content.decode()
    assert "Lama tinggal (tahun)" in html and "Status rumah" in html and "menumpang" in html
    assert 'accept="image/*,application/pdf"' in html and "capture" not in html  # Android: camera would hide PDFs
    assert 'name="berkas_pengantar_rt"' in html and 'name="berkas_hadir"' not in html
    assert "Gratis — tidak dipungut biaya" in html


def test_incomplete_form_saves_nothing_and_says_what_is_missing(client, dunia):
    client.force_login(dunia.warga.user)
    isian = _isian(data_lama_tinggal="")
    isian.pop("berkas_ktp")
    r = client.post("/layanan/domisili/ajukan/", isian)
    html = r.content.decode()
    assert r.status_code == 400
    assert "Ada yang perlu diperbaiki" in html and "Lama tinggal (tahun)" in html and "KTP-el" in html
    assert Permohonan.objects.count() == 0 and Berkas.objects.count() == 0


def test_file_checked_by_content(client, dunia):
    client.force_login(dunia.warga.user)
    r = client.post("/layanan/domisili/ajukan/", _isian(berkas_ktp=unggahan("ktp.pdf", b"bukan pdf", "application/pdf")))
    assert r.status_code == 400
    assert "Berkas harus PDF, JPEG atau PNG" in r.content.decode()
    assert Permohonan.objects.count() == 0


def test_submit_shows_number_then_my_requests(client, dunia):
    client.force_login(dunia.warga.user)
    r = client.post("/layanan/domisili/ajukan/", _isian())
    assert r.status_code == 302
    p = Permohonan.objects.get()
    assert p.kanal == "online" and p.data == {"lama_tinggal": 5, "status_rumah": "sewa"}
    html = client.get(r["Location"]).content.decode()
    assert f'<p class="nomor-besar" id="nomor-registrasi">{p.nomor_registrasi}</p>' in html
    html = client.get("/permohonan-saya/").content.decode()
    assert p.nomor_registrasi in html and "Menunggu pemeriksaan berkas oleh petugas kelurahan." in html
    html = client.get(f"/permohonan-saya/{p.nomor_registrasi}/").content.decode()
    assert "Ya, batalkan permohonan ini" in html and "Permohonan diajukan" in html


def test_other_residents_request_is_404(client, dunia):
    client.force_login(dunia.warga.user)
    client.post("/layanan/domisili/ajukan/", _isian())
    p = Permohonan.objects.get()
    client.force_login(dunia.warga_lain.user)
    assert client.get(f"/permohonan-saya/{p.nomor_registrasi}/").status_code == 404
    assert client.post(f"/permohonan-saya/{p.nomor_registrasi}/aksi/batalkan/").status_code == 404


def test_correction_flow_replaces_document_and_resubmits(client, dunia):
    client.force_login(dunia.warga.user)
    client.post("/layanan/domisili/ajukan/", _isian())
    p = Permohonan.objects.get()
    lama = p.berkas.get(persyaratan_kode="ktp", aktif=True)
    client.force_login(dunia.petugas_medono)
    client.post(f"/petugas/permohonan/{p.pk}/aksi/minta_perbaikan/", {"catatan": "Foto KTP buram, ulangi."})
    client.force_login(dunia.warga.user)
    html = client.get(f"/permohonan-saya/{p.nomor_registrasi}/").content.decode()
    assert "Foto KTP buram, ulangi." in html and "Perbaiki dan ajukan ulang" in html
    r = client.post(f"/permohonan-saya/{p.nomor_registrasi}/aksi/ajukan_ulang/",
                    {"berkas_ktp": unggahan("ktp-baru.pdf")})
    assert r.status_code == 302
    p = Permohonan.objects.get(pk=p.pk)
    assert p.status == "diajukan"
    baru = p.berkas.get(persyaratan_kode="ktp", aktif=True)
    assert baru.pk != lama.pk and baru.nama_asli == "ktp-baru.pdf"


def test_cancel(client, dunia):
    client.force_login(dunia.warga.user)
    client.post("/layanan/domisili/ajukan/", _isian())
    p = Permohonan.objects.get()
    r = client.post(f"/permohonan-saya/{p.nomor_registrasi}/aksi/batalkan/", follow=True)
    assert "Permohonan dibatalkan." in r.content.decode()
    assert Permohonan.objects.get(pk=p.pk).status == "dibatalkan"
    r = client.post(f"/permohonan-saya/{p.nomor_registrasi}/aksi/batalkan/")
    assert r.status_code == 409


def test_finished_letter_download(client, dunia):
    client.force_login(dunia.warga.user)
    client.post("/layanan/domisili/ajukan/", _isian())
    p = Permohonan.objects.get()
    client.force_login(dunia.petugas_medono)
    client.post(f"/petugas/permohonan/{p.pk}/aksi/verifikasi/")
    client.force_login(dunia.lurah_medono)
    lihat_draf_web(client, p.pk)
    client.post(f"/petugas/permohonan/{p.pk}/aksi/setujui/", {"konfirmasi": "1"})
    client.force_login(dunia.warga.user)
    html = client.get(f"/permohonan-saya/{p.nomor_registrasi}/").content.decode()
    assert "Surat sudah terbit" in html and "Unduh surat (PDF)" in html
    r = client.get(f"/permohonan-saya/{p.nomor_registrasi}/surat.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert b"".join(r.streaming_content).startswith(b"%PDF")
    client.force_login(dunia.warga_lain.user)
    assert client.get(f"/permohonan-saya/{p.nomor_registrasi}/surat.pdf").status_code == 404
