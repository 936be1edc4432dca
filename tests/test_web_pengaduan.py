"""Complaint pages: the public form and status page, the inspectorate's desk with its clocks,
and complaints staying invisible to the office they name; the menu by role; rate limits on pages."""

import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from integritas.models import Pengaduan
from integritas.services import RANTAI_PENGADUAN
from layanan.web.batas_laju import BatasLaju
from tests.factories import MEDONO, Dunia, pdf_bytes, png_bytes
from tests.pembantu_indikator import wib
from tests.test_web_publik import ajukan

ISI = "Petugas loket meminta Rp50.000 agar surat cepat jadi."


@pytest.fixture
def dunia(db):
    return Dunia()


def _lapor(client, **isian):
    return client.post("/pengaduan/", {"kategori": "pungli", "isi": ISI, **isian})


def _kode(r) -> str:
    return re.search(r'id="kode-lacak">([0-9A-Z-]{9})<', r.content.decode())[1]


def test_form_anonymous_with_evidence_answers_code_in_large_type(client, dunia):
    html = client.get("/pengaduan/").content.decode()
    for kategori in ("pungli", "calo", "lambat", "perilaku", "lainnya"):
        assert f'value="{kategori}"' in html
    assert 'name="bukti"' in html and 'name="kontak"' in html and "Medono" in html
    bukti = SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png")
    r = _lapor(client, kelurahan=MEDONO, kontak="Bu Ani 0812", bukti=bukti)
    assert r.status_code == 302
    halaman = client.get(r["Location"])
    html = halaman.content.decode()
    assert 'class="nomor-besar" id="kode-lacak"' in html and "Laporan diterima" in html
    p = Pengaduan.objects.get(kode_lacak=_kode(halaman))
    assert (p.kategori, p.kelurahan, p.kontak, p.bukti_jenis) == ("pungli", MEDONO, "Bu Ani 0812", "image/png")
    # The status page says nothing of what was reported, by whom, or where.
    for rahasia in ("50.000", "Bu Ani", "Medono", MEDONO, "foto"):
        assert rahasia not in html.split("<footer", 1)[0].split("</header>", 1)[1]
    # A second visit no longer shows the "received" banner, only the status.
    assert "Laporan diterima" not in client.get(r["Location"]).content.decode()
    assert client.get(f"/pengaduan/{p.kode_lacak.lower()}/").status_code == 200


def test_form_binds_nomor_registrasi_and_reports_errors_per_field(client, dunia):
    permohonan = ajukan(dunia)
    r = _lapor(client, nomor_registrasi=permohonan.nomor_registrasi.lower())
    assert r.status_code == 302
    p = Pengaduan.objects.get()
    assert (p.permohonan_id, p.kelurahan, p.layanan) == (permohonan.pk, MEDONO, "domisili")
    r = client.post("/pengaduan/", {"kategori": "", "isi": "pendek",
                                    "bukti": SimpleUploadedFile("x.pdf", b"not a pdf at all", "application/pdf")})
    html = r.content.decode()
    assert r.status_code == 400
    assert "Pilih salah satu" in html and "paling sedikit 10 karakter" in html and "PDF, JPEG atau PNG" in html
    r = _lapor(client, nomor_registrasi="ZZZZ-ZZZZ")
    assert r.status_code == 400 and "Nomor registrasi tidak dikenal." in r.content.decode()
    assert Pengaduan.objects.count() == 1
    assert AuditEvent.objects.filter(rantai=RANTAI_PENGADUAN).count() == 1


def test_desk_queue_clocks_and_status_moves_are_audited(client, dunia):
    with time_machine.travel(wib(2026, 3, 16, 10), tick=False):
        kode = _kode(client.get(_lapor(client, kelurahan=MEDONO, kontak="Bu Ani")["Location"]))
    client.force_login(dunia.inspektorat)
    with time_machine.travel(wib(2026, 3, 20, 10), tick=False):
        html = client.get("/petugas/pengaduan/").content.decode()
    baris = html.split(f'data-kode="{kode}"', 1)[1].split("</tr>", 1)[0]
    # A pungli complaint: response due 3 working days later (17, 25, 26 March, past the Nyepi holidays);
    # resolution 14 working days (… 2 April, Good Friday 3 April skipped, … 13 April).
    assert "26 Mar 2026" in baris and "13 Apr 2026" in baris and "Berjalan" in baris
    with time_machine.travel(wib(2026, 4, 1, 10), tick=False):
        client.force_login(dunia.inspektorat)  # twelve days later: the web session has ended (SESI_MAKS_JAM)
        html = client.get("/petugas/pengaduan/").content.decode()
        assert "Terlambat" in html.split(f'data-kode="{kode}"', 1)[1].split("</tr>", 1)[0]
        halaman = client.get(f"/petugas/pengaduan/{kode}/").content.decode()
        assert ISI in halaman and "Bu Ani" in halaman and 'value="diverifikasi"' in halaman
        assert 'value="selesai"' not in halaman  # not a step allowed from "diterima"
        r = client.post(f"/petugas/pengaduan/{kode}/", {"status": "diverifikasi",
                                                         "catatan": "Bukti cukup, diperiksa."})
        assert r.status_code == 302
        # A stale form (someone moved it already): 409 with the latest state shown.
        r = client.post(f"/petugas/pengaduan/{kode}/", {"status": "diverifikasi"})
        assert r.status_code == 409 and "sudah diubah oleh petugas lain" in r.content.decode()
        r = client.post(f"/petugas/pengaduan/{kode}/", {"status": "selesai", "catatan": ""})
        assert r.status_code == 400 and "Tuliskan hasil penanganan" in r.content.decode()
        assert client.post(f"/petugas/pengaduan/{kode}/", {"status": "selesai",
                                                            "catatan": "Uang dikembalikan."}).status_code == 302
    p = Pengaduan.objects.get(kode_lacak=kode)
    assert p.status == "selesai" and p.ditanggapi_pada == wib(2026, 4, 1, 10)
    assert list(AuditEvent.objects.filter(rantai=RANTAI_PENGADUAN).order_by("urutan")
                .values_list("aksi", "aktor", "data__ke")) == [
        ("terima", "", "diterima"), ("ubah_status", "inspektorat", "diverifikasi"),
        ("ubah_status", "inspektorat", "selesai")]
    client.logout()
    publik = client.get(f"/pengaduan/{kode}/").content.decode()
    assert "Uang dikembalikan." in publik and "inspektorat" not in publik.split("<main", 1)[1].split("</dl>")[0]
    assert "Bu Ani" not in publik and ISI not in publik


def test_complaint_invisible_to_the_office_named(client, dunia):
    bukti = SimpleUploadedFile("bukti.pdf", pdf_bytes(), content_type="application/pdf")
    kode = _kode(client.get(_lapor(client, kelurahan=MEDONO, kontak="Bu Ani", bukti=bukti)["Location"]))
    for petugas in (dunia.petugas_medono, dunia.lurah_medono, dunia.camat, dunia.petugas_kec):
        client.force_login(petugas)
        antrean = client.get("/petugas/pengaduan/")
        assert antrean.status_code == 403 and kode not in antrean.content.decode()
        tangani = client.get(f"/petugas/pengaduan/{kode}/")
        assert tangani.status_code == 403 and ISI not in tangani.content.decode()
        assert client.post(f"/petugas/pengaduan/{kode}/", {"status": "ditutup", "catatan": "x"}).status_code == 403
        publik = client.get(f"/pengaduan/{kode}/").content.decode()
        assert ISI not in publik and "Bu Ani" not in publik
        for halaman in ("/petugas/", "/dasbor/kelurahan/" if petugas == dunia.lurah_medono else "/dasbor/kecamatan/"):
            html = client.get(halaman).content.decode()
            assert kode not in html and "Bu Ani" not in html and "Pengaduan</a>" not in html
    assert Pengaduan.objects.get().status == "diterima"
    client.force_login(dunia.inspektorat)
    assert kode in client.get("/petugas/pengaduan/").content.decode()


def test_menu_follows_roles_and_footer_links(client, dunia):
    def menu(user):
        client.force_login(user)
        html = client.get("/petugas/").content.decode()
        return re.findall(r'<li><a href="([^"]+)"[^>]*>', html.split('class="menu"', 1)[1].split("</ul>", 1)[0])

    assert menu(dunia.petugas_medono) == ["/", "/lacak/", "/petugas/", "/petugas/loket/", "/petugas/koreksi/"]
    assert menu(dunia.lurah_medono) == ["/", "/lacak/", "/petugas/", "/dasbor/kelurahan/"]
    assert menu(dunia.camat) == ["/", "/lacak/", "/petugas/", "/dasbor/kecamatan/"]
    assert menu(dunia.inspektorat) == ["/", "/lacak/", "/petugas/", "/dasbor/inspektorat/", "/petugas/pengaduan/"]
    client.logout()
    html = client.get("/").content.decode()
    kaki = html.split("<footer", 1)[1]
    assert 'href="/pengaduan/"' in kaki and 'href="/transparansi/"' in kaki
    daftar = client.get("/transparansi/").content.decode()
    assert f'href="/transparansi/{MEDONO}/"' in daftar and "Kecamatan Pekalongan Barat" in daftar
    assert client.get(f"/transparansi/{MEDONO}/").status_code == 200


@pytest.fixture
def laju_kecil(monkeypatch, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "lacak": "3/minute", "otp": "2/hour",
             "masuk": "2/hour", "pengaduan": "1/hour"}
    monkeypatch.setattr(BatasLaju, "THROTTLE_RATES", rates)


def test_tracking_page_shares_the_api_rate_and_answers_a_readable_429(client, dunia, laju_kecil):
    from rest_framework.throttling import ScopedRateThrottle

    p = ajukan(dunia)
    assert client.get(f"/api/v1/lacak/{p.nomor_registrasi}/").status_code == 200  # same bucket as the page
    ScopedRateThrottle.THROTTLE_RATES = BatasLaju.THROTTLE_RATES
    try:
        kode = [client.get(f"/lacak/{p.nomor_registrasi}/").status_code for _ in range(3)]
    finally:
        from rest_framework.settings import api_settings

        ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert kode == [200, 200, 429]
    r = client.get("/lacak/ZZZZ-ZZZZ/")
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    assert "Terlalu banyak permintaan" in r.content.decode() and "menit" in r.content.decode()
    assert client.get("/pengaduan/ABCD-EFGH/").status_code == 429  # the complaint status page too


def test_sign_in_forms_and_complaint_form_are_rate_limited(client, dunia, laju_kecil):
    nik = dunia.warga.nik
    assert client.get("/masuk/").status_code == 200  # showing the form costs nothing
    kirim = [client.post("/masuk/", {"nik": "1234", "no_hp": ""}).status_code for _ in range(3)]
    assert kirim == [400, 400, 429]
    client.session.clear()
    sesi = client.session
    sesi["warga_masuk"] = {"nik": nik, "no_hp": dunia.warga.no_hp, "next": "/permohonan-saya/"}
    sesi.save()
    tebak = [client.post("/masuk/kode/", {"kode": "000000"}).status_code for _ in range(3)]
    assert tebak == [400, 400, 429]
    assert _lapor(client).status_code == 302
    r = _lapor(client)
    assert r.status_code == 429 and Pengaduan.objects.count() == 1
