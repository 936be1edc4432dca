"""The camat's dashboard in a real browser: the trend chart is drawn on its canvas (Chart.js served
by the app) and the table has one row per kelurahan of the kecamatan, reached from the menu."""

import pytest

from kelurahan.models import Wilayah
from tests.browser.test_alur_browser import masuk_petugas
from tests.factories import KEC_BARAT, Dunia
from tests.pembantu_indikator import TIRTO, permohonan_selesai, wib

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
