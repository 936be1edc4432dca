"""Documents kept across a form error (issue 18, item 2): kept only after the content check, shown as
"sudah terunggah ✓" with a way to replace them, tied to the resident's session, expiring."""

import os
import time

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from layanan.models import Berkas, Permohonan
from layanan.web import unggahan
from tests.factories import Dunia, pdf_bytes
from tests.factories import unggahan as berkas_uji
from tests.test_web_warga import _isian


@pytest.fixture
def dunia(db):
    return Dunia()


def disimpan():
    folder = settings.MEDIA_ROOT / unggahan.AWALAN
    return sorted(folder.iterdir()) if folder.exists() else []


def test_documents_survive_an_error_and_are_used_on_the_next_try(client, dunia):
    client.force_login(dunia.warga.user)
    r = client.post("/layanan/domisili/ajukan/", _isian(data_lama_tinggal=""))
    html = r.content.decode()
    assert r.status_code == 400 and "Lama tinggal (tahun)" in html
    assert html.count("Sudah terunggah ✓") == 2 and "pengantar.pdf" in html and "ktp.png" in html
    assert 'class="bidang bidang-terunggah"' in html and 'name="berkas_ktp"' in html  # still replaceable
    assert len(disimpan()) == 2 and Berkas.objects.count() == 0
    isian = _isian()
    del isian["berkas_pengantar_rt"], isian["berkas_ktp"]
    r = client.post("/layanan/domisili/ajukan/", isian)
    assert r.status_code == 302
    p = Permohonan.objects.get()
    berkas = {b.persyaratan_kode: b for b in p.berkas.all()}
    assert berkas["pengantar_rt"].berkas.read() == pdf_bytes() and berkas["ktp"].jenis == "image/png"
    assert disimpan() == [] and unggahan.SESI not in client.session or not client.session[unggahan.SESI]
    # A new form starts empty again.
    assert "Sudah terunggah" not in client.get("/layanan/domisili/ajukan/").content.decode()


def test_a_new_choice_replaces_the_kept_one(client, dunia):
    client.force_login(dunia.warga.user)
    client.post("/layanan/domisili/ajukan/", _isian(keperluan=""))
    isian = _isian(berkas_ktp=berkas_uji("ktp-baru.pdf"))
    del isian["berkas_pengantar_rt"]
    assert client.post("/layanan/domisili/ajukan/", isian).status_code == 302
    ktp = Permohonan.objects.get().berkas.get(persyaratan_kode="ktp")
    assert ktp.jenis == "application/pdf" and disimpan() == []


def test_a_file_failing_the_content_check_is_not_kept(client, dunia, settings):
    client.force_login(dunia.warga.user)
    r = client.post("/layanan/domisili/ajukan/", _isian(berkas_ktp=berkas_uji("ktp.pdf", b"bukan pdf", "application/pdf")))
    html = r.content.decode()
    assert r.status_code == 400 and "Berkas harus PDF, JPEG atau PNG" in html
    assert html.count("Sudah terunggah ✓") == 1  # the RT letter only
    settings.BERKAS_MAX_BYTES = 150  # and the size limit applies before keeping, as at submission
    isian = _isian(berkas_ktp=berkas_uji("ktp.pdf", pdf_bytes(), "application/pdf"))  # 191 bytes
    del isian["berkas_pengantar_rt"]
    r = client.post("/layanan/domisili/ajukan/", isian)
    assert "melebihi batas" in r.content.decode() and len(disimpan()) == 1
    assert Permohonan.objects.count() == 0


def test_kept_documents_belong_to_one_session(dunia):
    pemilik, lain = Client(), Client()
    pemilik.force_login(dunia.warga.user)
    pemilik.post("/layanan/domisili/ajukan/", _isian(keperluan=""))
    assert len(disimpan()) == 2
    # Another resident (another session) sends the same form without files: nothing of the first is used
    # or shown, and the stored name is nowhere in a page.
    lain.force_login(dunia.warga_lain.user)
    isian = _isian()
    del isian["berkas_pengantar_rt"], isian["berkas_ktp"]
    r = lain.post("/layanan/domisili/ajukan/", isian)
    html = r.content.decode()
    assert r.status_code == 400 and "Sudah terunggah" not in html and "pengantar.pdf" not in html
    assert html.count("bidang bidang-galat") == 2  # both documents are missing for this session
    for f in disimpan():
        assert f.name not in html and f.name not in pemilik.get("/layanan/domisili/ajukan/").content.decode()
    # The same resident signed in on another device (another session) does not get them either.
    kedua = Client()
    kedua.force_login(dunia.warga.user)
    assert "Sudah terunggah" not in kedua.get("/layanan/domisili/ajukan/").content.decode()
    # Nor is the storage served: media has no public URL.
    assert Client().get(f"{settings.MEDIA_URL}{unggahan.AWALAN}/{disimpan()[0].name}").status_code == 404
    assert Permohonan.objects.count() == 0


def test_kept_documents_expire(client, dunia):
    client.force_login(dunia.warga.user)
    client.post("/layanan/domisili/ajukan/", _isian(keperluan=""))
    sesi = client.session
    for entri in sesi[unggahan.SESI]["ajukan:domisili"].values():
        entri["sampai"] -= unggahan.UMUR.total_seconds() + 1
    sesi.save()
    assert "Sudah terunggah" not in client.get("/layanan/domisili/ajukan/").content.decode()
    assert disimpan() == []
    # Files of a session that never came back are swept once older than UMUR: when another keeps one (at most
    # every SELANG_SAPU per process) and by the nightly retention job.
    pergi = Client()
    pergi.force_login(dunia.warga_lain.user)
    pergi.post("/layanan/domisili/ajukan/", _isian(keperluan=""))
    lama = disimpan()
    assert len(lama) == 2
    dulu = time.time() - unggahan.UMUR.total_seconds() - 60
    for f in lama:
        os.utime(f, (dulu, dulu))
    with time_machine.travel(timezone.now() + unggahan.SELANG_SAPU):
        client.post("/layanan/domisili/ajukan/", _isian(keperluan=""))
    baru = disimpan()
    assert len(baru) == 2 and not set(lama) & set(baru)


def test_abandoned_files_are_swept_at_most_every_interval_and_every_night(client, dunia, monkeypatch):
    from layanan.pdp.retensi import retensi_terapkan

    daftar = []
    asli = unggahan.default_storage.listdir
    monkeypatch.setattr(unggahan.default_storage, "listdir", lambda p: daftar.append(p) or asli(p))
    monkeypatch.setattr(unggahan, "_disapu_pada", None)
    client.force_login(dunia.warga.user)
    for _ in range(3):  # three form errors in a row: the folder is listed once
        client.post("/layanan/domisili/ajukan/", _isian(keperluan=""))
    assert daftar == [unggahan.AWALAN]
    client.logout()  # the session never comes back; its files wait for the night
    dulu = time.time() - unggahan.UMUR.total_seconds() - 60
    for f in disimpan():
        os.utime(f, (dulu, dulu))
    hasil = retensi_terapkan()
    assert hasil["unggahan_sementara"] == 2 and disimpan() == []
    assert AuditEvent.objects.get(aksi="retensi").data["jumlah"]["unggahan_sementara"] == 2


def test_a_kept_file_changed_on_disk_is_not_used(client, dunia):
    client.force_login(dunia.warga.user)
    client.post("/layanan/domisili/ajukan/", _isian(keperluan=""))
    for f in disimpan():
        f.write_bytes(b"%PDF-1.4 diganti")
    isian = _isian()
    del isian["berkas_pengantar_rt"], isian["berkas_ktp"]
    r = client.post("/layanan/domisili/ajukan/", isian)
    assert r.status_code == 400 and Permohonan.objects.count() == 0


def test_a_kept_file_name_is_shown_escaped(client, dunia):
    client.force_login(dunia.warga.user)
    nama = '<img src=x onerror=alert(1)>.pdf'
    html = client.post("/layanan/domisili/ajukan/", _isian(keperluan="", berkas_pengantar_rt=berkas_uji(nama))).content.decode()
    assert "Sudah terunggah ✓ &lt;img src=x onerror=alert(1)&gt;.pdf" in html and "<img src=x" not in html


def test_documents_survive_an_error_on_the_resubmission_after_a_correction(client, dunia):
    """The "Ajukan ulang" form keeps accepted uploads across an error too: one bad file among two new ones
    does not discard the good one, which is shown as kept and sent on the next try."""
    client.force_login(dunia.warga.user)
    client.post("/layanan/domisili/ajukan/", _isian())
    p = Permohonan.objects.get()
    client.force_login(dunia.petugas_medono)
    client.post(f"/petugas/permohonan/{p.pk}/aksi/minta_perbaikan/", {"catatan": "Ulangi KTP dan pengantar RT."})
    client.force_login(dunia.warga.user)
    url = f"/permohonan-saya/{p.nomor_registrasi}/aksi/ajukan_ulang/"
    r = client.post(url, {"berkas_ktp": berkas_uji("ktp-baru.pdf"),
                          "berkas_pengantar_rt": berkas_uji("rt.pdf", b"bukan pdf", "application/pdf")})
    html = r.content.decode()
    assert r.status_code == 400 and Permohonan.objects.get(pk=p.pk).status == "perlu_perbaikan"
    assert html.count("Sudah terunggah ✓") == 1 and "ktp-baru.pdf" in html and "rt.pdf" not in html
    assert 'class="bidang bidang-terunggah"' in html and len(disimpan()) == 1
    # Shown again on the request page (a reload), and used with the RT letter chosen now.
    assert "ktp-baru.pdf" in client.get(f"/permohonan-saya/{p.nomor_registrasi}/").content.decode()
    r = client.post(url, {"berkas_pengantar_rt": berkas_uji("rt-baru.pdf")})
    assert r.status_code == 302
    p = Permohonan.objects.get(pk=p.pk)
    aktif = {b.persyaratan_kode: b for b in p.berkas.filter(aktif=True)}
    assert p.status == "diajukan" and aktif["ktp"].nama_asli == "ktp-baru.pdf"
    assert aktif["pengantar_rt"].nama_asli == "rt-baru.pdf" and aktif["ktp"].berkas.read() == pdf_bytes()
    assert disimpan() == []  # nothing left kept once resubmitted


def test_kept_resubmission_documents_belong_to_their_request(client, dunia):
    """A document kept for one request's resubmission is never sent with another's."""
    client.force_login(dunia.warga.user)
    client.post("/layanan/domisili/ajukan/", _isian())
    client.post("/layanan/domisili/ajukan/", _isian())
    pertama, kedua = Permohonan.objects.order_by("pk")
    client.force_login(dunia.petugas_medono)
    for p in (pertama, kedua):
        client.post(f"/petugas/permohonan/{p.pk}/aksi/minta_perbaikan/", {"catatan": "Ulangi."})
    client.force_login(dunia.warga.user)
    client.post(f"/permohonan-saya/{pertama.nomor_registrasi}/aksi/ajukan_ulang/",
                {"berkas_ktp": berkas_uji("ktp-pertama.pdf"),
                 "berkas_pengantar_rt": berkas_uji("rt.pdf", b"bukan pdf", "application/pdf")})
    assert "ktp-pertama.pdf" not in client.get(f"/permohonan-saya/{kedua.nomor_registrasi}/").content.decode()
    assert client.post(f"/permohonan-saya/{kedua.nomor_registrasi}/aksi/ajukan_ulang/").status_code == 302
    assert kedua.berkas.get(persyaratan_kode="ktp", aktif=True).nama_asli != "ktp-pertama.pdf"
