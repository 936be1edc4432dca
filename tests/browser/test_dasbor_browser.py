"""The camat's dashboard in a real browser: the trend chart is drawn on its canvas (Chart.js served
by the app) and the table has one row per kelurahan of the kecamatan, reached from the menu."""

import pytest

from kelurahan.models import Wilayah
from tests.browser.test_alur_browser import masuk_petugas
from tests.factories import KEC_BARAT, Dunia
from tests.pembantu_indikator import MEDONO, TIRTO, permohonan_selesai, wib

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_camat_dashboard_draws_the_chart_and_lists_each_kelurahan(live_server, buka, foto):
    dunia = Dunia()
    permohonan_selesai(1, wib(2026, 3, 2, 9), jam_kelurahan=3)
    permohonan_selesai(2, wib(2026, 4, 6, 9), jam_kelurahan=2, kelurahan=TIRTO)
    page = buka()
    masuk_petugas(page, live_server.url, dunia.camat.username)
    page.get_by_role("link", name="Dasbor kecamatan").click()
    page.get_by_role("heading", name="Dasbor camat: Pekalongan Barat").wait_for()
    page.goto(page.url + "?dari=2026-01-01&sampai=2026-06-30")
    page.get_by_role("heading", name="Tren bulanan").wait_for()

    kanvas = page.locator("canvas#grafik-tren")
    kanvas.wait_for()
    # Chart.js attached a chart to the canvas and painted it (some pixel is not transparent).
    digambar = page.wait_for_function("""() => {
        const k = document.getElementById('grafik-tren');
        if (!window.Chart || !Chart.getChart(k)) return false;
        const d = k.getContext('2d').getImageData(0, 0, k.width, k.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
        return false;
    }""")
    assert digambar.json_value() is True
    assert page.evaluate("Chart.getChart(document.getElementById('grafik-tren')).data.labels") == ["2026-03", "2026-04"]
    assert kanvas.bounding_box()["width"] > 300

    tabel = page.locator("section[aria-labelledby=judul-rincian] tbody tr")
    kelurahan = list(Wilayah.objects.filter(induk_id=KEC_BARAT).order_by("kode").values_list("kode", "nama"))
    assert tabel.count() == 1 + len(kelurahan)  # the kecamatan itself, then each kelurahan
    for kode, nama in kelurahan:
        baris = page.locator(f'section[aria-labelledby=judul-rincian] tr[data-wilayah="{kode}"]')
        assert baris.get_by_role("link", name=nama).is_visible()
    assert "1" in page.locator(f'tr[data-wilayah="{TIRTO}"] td').nth(2).inner_text()  # one finished at Tirto
    foto(page, "dasbor-camat")


def test_camat_dashboard_reads_without_javascript(live_server, buka, foto):
    """Issue 18, item 4: names not codes, overdue in working days, traffic lights with words, and the
    trend's figures in a table, all with JavaScript off."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.pembantu_indikator import catat, petugas

    dunia = Dunia()
    permohonan_selesai(1, wib(2026, 3, 2, 9), jam_kelurahan=3)
    permohonan_selesai(2, wib(2026, 4, 6, 9), jam_kelurahan=2, kelurahan=TIRTO, memenuhi=False)
    diajukan = timezone.now() - timedelta(days=20)
    sla = {"tenggat": (diajukan + timedelta(days=1)).isoformat(), "terpakai_kelurahan_detik": 0,
           "dalam_jam_kerja": True}
    catat(3, "ajukan", "", "diajukan", diajukan, kelurahan=TIRTO, diajukan_pada=diajukan, sla=sla,
          aktor=petugas("warga3"), peran="warga", nomor="NR000003")
    page = buka(lebar=1366, tinggi=768, javascript=False)
    masuk_petugas(page, live_server.url, dunia.camat.username)
    page.goto(live_server.url + "/dasbor/kecamatan/?dari=2026-01-01&sampai=2026-06-30")
    page.get_by_role("heading", name="Dasbor camat: Pekalongan Barat").wait_for()
    # Traffic lights say it in words: Medono on time, Tirto under its target.
    assert page.locator(f'tr[data-wilayah="{MEDONO}"] [data-lampu=hijau]').first.inner_text() == "Tercapai"
    assert page.locator(f'tr[data-wilayah="{TIRTO}"] [data-lampu=merah]').first.inner_text() == "Di bawah target"
    # The trend chart's figures are a table (the canvas stays empty without JavaScript).
    tren = page.locator("#tabel-tren tbody tr")
    assert tren.count() == 2 and tren.first.locator("th").inner_text() == "2026-03"
    # The overdue request: service and kelurahan by name, status in words, delay in working days.
    baris = page.locator("section[aria-labelledby=judul-lewat] tbody tr").first
    teks = baris.inner_text()
    assert "NR000003" in teks and "Tirto" in teks and "Diajukan" in teks and "Domisili" in teks
    assert TIRTO not in teks and "diajukan\t" not in teks
    hari = float(baris.locator("[data-uji=hari-kerja]").inner_text().replace(",", "."))
    assert 10 <= hari <= 19  # about 19 calendar days late: working days, not hours
    assert page.get_by_text("IPAK: indeks persepsi antikorupsi").is_visible()
    assert page.get_by_text("log audit berantai").is_visible()
    foto(page, "meja-04-dasbor-camat-tanpa-js-1366")


def test_inspectorate_dashboard_names_offices_not_codes(live_server, buka, foto):
    """Issue 18, item 4 for the inspectorate: the complaint queue and the tables name the kelurahan; no
    region code is shown as text (links may carry codes in their URLs)."""
    from integritas.services import pengaduan_ajukan

    dunia = Dunia()
    permohonan_selesai(1, wib(2026, 3, 2, 9), jam_kelurahan=3)
    pengaduan_ajukan(kategori="pungli", isi="Diminta uang Rp50.000 untuk mempercepat surat.", kelurahan=MEDONO)
    page = buka(lebar=1366, tinggi=768)
    masuk_petugas(page, live_server.url, dunia.inspektorat.username)
    page.goto(live_server.url + "/dasbor/inspektorat/?dari=2026-01-01&sampai=2026-12-31")
    page.get_by_role("heading", name="Dasbor inspektorat").wait_for()
    teks = page.locator("main").inner_text()
    assert "Medono" in teks and "Pungutan liar" in teks
    assert MEDONO not in teks and KEC_BARAT not in teks
    foto(page, "dasbor-inspektorat")
