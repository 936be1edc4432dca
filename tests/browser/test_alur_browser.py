"""What residents and officers see in a real browser, end to end through the real stack.

Residents use a 375x667 phone viewport; officers a desktop one. Sign-in codes are read as a
resident reads them: from the message the console transport delivers (the outbox blanks the code
once the message is handed over, so it cannot be read from the database).
"""

import logging
import re

import pytest

from audit.enkripsi import indeks_hp
from layanan.models import Permohonan
from layanan.permohonan import services
from notifikasi.models import Outbox
from tests.factories import MEDONO, PASSWORD, Dunia, pdf_bytes, png_bytes, unggahan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PONSEL = {"lebar": 375, "tinggi": 667}
TERKIRIM = {}  # outbox id -> the text the console transport delivered


class _Kotak(logging.Handler):
    def emit(self, record):
        _kanal, _templat, pk, _ke, isi = record.args
        TERKIRIM[pk] = isi


@pytest.fixture(autouse=True)
def kotak_masuk():
    """Collect what the console transport delivers (the live server runs in this process)."""
    log = logging.getLogger("notifikasi.console")
    kotak = _Kotak()
    log.addHandler(kotak)
    yield TERKIRIM
    log.removeHandler(kotak)
    TERKIRIM.clear()


@pytest.fixture
def dunia(live_server):
    d = Dunia()
    d.medono.maklumat = "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan."
    d.medono.save()
    return d


def masuk_warga(page, url, warga):
    page.goto(url + "/masuk/")
    page.get_by_label("NIK").fill(warga.nik)
    page.get_by_label("Nomor WhatsApp").fill(warga.no_hp)
    page.get_by_role("button", name="Kirim kode").click()
    page.get_by_text("Kode masuk dikirim lewat WhatsApp").wait_for()
    pesan = Outbox.objects.filter(penerima_indeks=indeks_hp(warga.no_hp), templat="kode_otp").latest("dibuat")
    kode = re.search(r"\b(\d{6})\b", TERKIRIM[pesan.pk]).group(1)
    page.get_by_label("Kode masuk").fill(kode)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.get_by_role("heading", name="Permohonan saya").wait_for()


def masuk_petugas(page, url, username):
    page.goto(url + "/masuk/petugas/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.get_by_role("heading", name="Daftar kerja").wait_for()


def buka_permohonan(page, nomor):
    page.get_by_role("link", name=nomor).click()
    page.get_by_text(nomor).first.wait_for()


def ajukan_lewat_layanan(dunia):
    """A request made directly through the service, for tests about what officers see."""
    return services.permohonan_ajukan(
        pengaju=dunia.warga.user, layanan=dunia.domisili, kelurahan=MEDONO, keperluan="Melamar pekerjaan",
        data={"lama_tinggal": 2}, berkas={"pengantar_rt": unggahan(), "ktp": unggahan("ktp.pdf")},
        identitas={"nama": "Siti Aminah", "alamat": "Jl. Medono 5"},
    )


def berkas(nama, isi, jenis):
    return {"name": nama, "mimeType": jenis, "buffer": isi}


def test_resident_phone_to_lurah_and_download(buka, foto, live_server, dunia):
    url = live_server.url
    warga = buka(**PONSEL)
    warga.goto(url + "/")
    assert warga.get_by_text("Gratis — tidak dipungut biaya").first.is_visible()
    assert warga.get_by_text("Selesai dalam 8 jam kerja").first.is_visible()
    warga.locator(".maklumat-semua > summary").click()  # every office's maklumat, folded on a phone
    warga.get_by_text("Kantor Kelurahan Medono").first.click()
    assert warga.get_by_text("Dengan ini kami menyatakan sanggup").is_visible()
    # Nothing wider than the phone: no sideways scrolling on the catalogue.
    assert warga.evaluate("document.documentElement.scrollWidth") <= 375
    foto(warga, "01-beranda-ponsel")

    warga.get_by_role("link", name="Surat Keterangan Domisili").click()
    warga.get_by_role("link", name="Ajukan Surat Keterangan Domisili").click()
    warga.get_by_role("heading", name="Masuk sebagai warga").wait_for()
    masuk_warga(warga, url, dunia.warga)
    warga.goto(url + "/layanan/domisili/ajukan/")
    warga.get_by_label("Nama lengkap").fill("Siti Aminah")
    warga.get_by_label("Alamat").fill("Jl. Medono No. 5 RT 02 RW 03")
    warga.get_by_label("Kelurahan tempat Anda mengurus").select_option(label="Medono")
    warga.get_by_label("Keperluan").fill("Melamar pekerjaan")
    warga.get_by_label("Lama tinggal (tahun)").fill("5")
    warga.get_by_label("Status rumah").select_option("sewa")
    warga.get_by_label("Surat pengantar RT/RW").set_input_files(berkas("pengantar.pdf", pdf_bytes(), "application/pdf"))
    warga.get_by_label("KTP-el").set_input_files(berkas("ktp.png", png_bytes(), "image/png"))
    assert warga.locator("#pratinjau-ktp img").is_visible()  # preview before sending
    foto(warga, "02-formulir-ponsel")
    warga.get_by_role("button", name="Kirim permohonan").click()
    warga.get_by_role("heading", name="Permohonan terkirim").wait_for()
    nomor = warga.locator("#nomor-registrasi").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", nomor)
    assert warga.locator("#nomor-registrasi").evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 32
    foto(warga, "03-nomor-registrasi")

    petugas = buka()
    masuk_petugas(petugas, url, "petugas.medono")
    assert petugas.get_by_role("link", name=nomor).is_visible()
    assert dunia.warga.nik not in petugas.content()
    foto(petugas, "04-daftar-kerja-petugas")
    buka_permohonan(petugas, nomor)
    assert petugas.get_by_role("button", name="Verifikasi berkas").is_visible()
    assert petugas.get_by_role("button", name="Setujui (lurah)").count() == 0
    petugas.get_by_role("button", name="Tampilkan data pribadi").click()
    petugas.get_by_text(dunia.warga.nik).wait_for()
    foto(petugas, "05-permohonan-petugas")
    # Ask for a correction through the dialog.
    petugas.get_by_role("link", name="Minta perbaikan").click()
    dialog = petugas.locator("dialog#dialog-minta_perbaikan")
    assert dialog.is_visible()
    dialog.get_by_label("Alasan").fill("Foto KTP kurang jelas, mohon unggah ulang.")
    dialog.get_by_role("button", name="Minta perbaikan").click()
    petugas.get_by_text("Minta perbaikan: berhasil").wait_for()

    warga.goto(url + "/permohonan-saya/")
    warga.get_by_text("Perlu perbaikan").first.wait_for()
    warga.get_by_role("link", name=re.compile(nomor)).click()
    assert warga.get_by_text("Foto KTP kurang jelas, mohon unggah ulang.", exact=True).is_visible()
    warga.get_by_label("KTP-el").set_input_files(berkas("ktp-baru.pdf", pdf_bytes(), "application/pdf"))
    warga.get_by_role("button", name="Ajukan ulang").click()
    warga.get_by_text("Permohonan diajukan ulang.").wait_for()

    # The action led to the worklist's "perlu tindakan" filter, empty then; the resubmitted request is back.
    assert petugas.url.endswith("/petugas/?status=aksi")
    petugas.reload()
    buka_permohonan(petugas, nomor)
    petugas.get_by_role("button", name="Verifikasi berkas").click()
    petugas.get_by_text("Verifikasi berkas: berhasil").wait_for()

    lurah = buka()
    masuk_petugas(lurah, url, "lurah.medono")
    buka_permohonan(lurah, nomor)
    assert lurah.get_by_role("button", name="Verifikasi berkas").count() == 0
    # The confirm step frames the draft; signing before it has loaded would be signing unseen (refused).
    with lurah.expect_response(re.compile(r"/draf\.pdf$")):
        lurah.get_by_role("link", name="Setujui (lurah)").click()
    lurah.get_by_role("button", name="Tandatangani dan terbitkan surat").click()
    lurah.get_by_text("Setujui (lurah): berhasil").wait_for()

    warga.goto(url + "/permohonan-saya/")
    warga.get_by_text("Selesai").first.wait_for()
    warga.get_by_role("link", name=re.compile(nomor)).click()
    assert warga.get_by_role("heading", name="Surat sudah terbit").is_visible()
    foto(warga, "06-selesai-ponsel")
    with warga.expect_download() as unduhan:
        warga.get_by_role("link", name="Unduh surat (PDF)").click()
    with open(unduhan.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"

    # The public tracking page says the same, with no personal data.
    publik = buka(**PONSEL)
    publik.goto(url + "/lacak/")
    publik.get_by_label("Nomor registrasi").fill(nomor.lower())
    publik.get_by_role("button", name="Lacak").click()
    publik.get_by_role("heading", name=re.compile("Status permohonan")).wait_for()
    assert publik.get_by_text("Selesai").first.is_visible()
    assert "Siti" not in publik.content() and dunia.warga.nik not in publik.content()


def test_kecamatan_level_request_through_the_camat(buka, live_server, dunia):
    url = live_server.url
    warga = buka(**PONSEL)
    masuk_warga(warga, url, dunia.warga)
    warga.goto(url + "/layanan/ahli-waris/ajukan/")
    warga.get_by_label("Nama lengkap").fill("Siti Aminah")
    warga.get_by_label("Alamat").fill("Jl. Medono No. 5")
    warga.get_by_label("Kelurahan tempat Anda mengurus").select_option(label="Medono")
    warga.get_by_label("Keperluan").fill("Pembagian warisan")
    warga.get_by_label("Nama almarhum").fill("Karto Sudiro")
    warga.get_by_label("Tanggal meninggal").fill("2026-10-01")
    warga.get_by_label("Akta kematian").set_input_files(berkas("akta.pdf", pdf_bytes(), "application/pdf"))
    warga.get_by_role("button", name="Kirim permohonan").click()
    nomor = warga.locator("#nomor-registrasi").inner_text().strip()

    for username, tombol, hasil in [
        ("petugas.medono", "Verifikasi berkas", "Diverifikasi"),
        ("lurah.medono", "Setujui (lurah)", "Diteruskan ke kecamatan"),
        ("petugas.pekalonganbarat", "Verifikasi berkas (kecamatan)", "Diverifikasi kecamatan"),
        ("camat.pekalonganbarat", "Setujui (camat)", "Selesai"),
    ]:
        page = buka()
        masuk_petugas(page, url, username)
        buka_permohonan(page, nomor)
        if tombol == "Setujui (camat)":  # issues the numbered letter: a confirm step beside the draft
            with page.expect_response(re.compile(r"/draf\.pdf$")):  # signed only once the draft was shown
                page.get_by_role("link", name=tombol).click()
            page.get_by_role("button", name="Tandatangani dan terbitkan surat").click()
        else:
            page.get_by_role("button", name=tombol, exact=True).click()
        page.get_by_text(f"{tombol}: berhasil").wait_for()
        assert Permohonan.objects.get(nomor_registrasi=nomor).get_status_display() == hasil

    warga.goto(url + "/permohonan-saya/")
    warga.get_by_role("link", name=re.compile(nomor)).click()
    assert warga.get_by_role("heading", name="Surat sudah terbit").is_visible()
    assert warga.get_by_text("Disetujui camat").is_visible()


def test_officer_of_another_kelurahan_cannot_see_it(buka, live_server, dunia):
    p = ajukan_lewat_layanan(dunia)
    url = live_server.url
    page = buka()
    masuk_petugas(page, url, "petugas.tirto")
    assert page.get_by_text("Tidak ada permohonan yang cocok.").is_visible()
    assert page.get_by_role("link", name=p.nomor_registrasi).count() == 0
    page.goto(f"{url}/petugas/permohonan/{p.pk}/")
    assert page.get_by_role("heading", name="Halaman tidak ditemukan").is_visible()
    assert "Siti" not in page.content()
    assert Permohonan.objects.get(pk=p.pk).status == "diajukan"


def test_keyboard_only_and_without_javascript(buka, live_server, dunia):
    """An officer signs in with the keyboard alone, and asks for a correction with JavaScript off."""
    p = ajukan_lewat_layanan(dunia)
    url = live_server.url
    page = buka(javascript=False)
    page.goto(url + "/masuk/petugas/")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "username":
            break
    # The focused field is visibly outlined.
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.type("petugas.medono")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Daftar kerja").wait_for()
    buka_permohonan(page, p.nomor_registrasi)
    page.get_by_role("link", name="Minta perbaikan").click()
    page.get_by_role("heading", name="Minta perbaikan").wait_for()  # the no-JS page instead of the dialog
    page.get_by_role("button", name="Minta perbaikan").click()
    assert page.get_by_text("Alasan wajib diisi.").first.is_visible()
    assert page.get_by_label("Alasan").evaluate("e => e.getAttribute('aria-invalid')") == "true"
    page.get_by_label("Alasan").fill("Pengantar RT belum ditandatangani.")
    page.get_by_role("button", name="Minta perbaikan").click()
    page.get_by_text("Minta perbaikan: berhasil").wait_for()
    assert Permohonan.objects.get(pk=p.pk).status == "perlu_perbaikan"


KONTRAS = """
() => {
  const lum = (c) => {
    const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const latar = (el) => {
    for (; el; el = el.parentElement) {
      const bg = getComputedStyle(el).backgroundColor;
      const a = bg.match(/[\\d.]+/g);
      if (a && (a.length < 4 || Number(a[3]) > 0)) return bg;
    }
    return "rgb(255, 255, 255)";
  };
  const hasil = [];
  for (const el of document.querySelectorAll("body *")) {
    if (!el.offsetParent && el.tagName !== "BODY") continue;
    const teks = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!teks) continue;
    const a = lum(getComputedStyle(el).color), b = lum(latar(el));
    const rasio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    hasil.push([el.tagName + "." + el.className + " " + el.textContent.trim().slice(0, 30), rasio]);
  }
  return hasil;
}
"""


def test_text_contrast_is_aa_on_main_pages(buka, live_server, dunia):
    """Every visible text node has at least 4.5:1 against its background (WCAG AA, normal text)."""
    p = ajukan_lewat_layanan(dunia)
    url = live_server.url
    page = buka()
    masuk_petugas(page, url, "petugas.medono")
    halaman = ["/", "/lacak/", f"/lacak/{p.nomor_registrasi}/", "/petugas/", f"/petugas/permohonan/{p.pk}/",
               "/petugas/loket/domisili/"]
    rendah = []
    for path in halaman:
        page.goto(url + path)
        rendah += [(path, nama, round(r, 2)) for nama, r in page.evaluate(KONTRAS) if r < 4.5]
    assert rendah == []
