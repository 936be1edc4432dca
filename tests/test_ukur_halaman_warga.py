"""Bytes a resident's phone receives per page, as the production profile serves them (gunicorn with
deploy/gunicorn.conf.py, DEBUG off, WhiteNoise for static files, pages gzip-compressed by the app).

Counts the compressed bytes on the wire (body as sent, before decoding) of each page's HTML and of the
stylesheet, script and icon it names (a first visit; later visits fetch only the HTML: the static files
carry hashed names and a one-year immutable cache). Writes artifacts/ukur-halaman-warga.json; docs/ux.md
quotes the figures. Run: DATABASE_URL=postgres://... pytest tests/test_ukur_halaman_warga.py
"""

import json
import re
import secrets

import pytest
import requests
from django.test import Client

from layanan.permohonan import services
from tests import proses_produksi as pp
from tests.factories import Dunia
from tests.pembantu_ttd import tandatangani
from tests.test_produksi import kunci_produksi, log_dir, statis  # noqa: F401 - fixtures
from tests.test_web_petugas import ajukan

pytestmark = [pytest.mark.produksi, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ANGGARAN_HTML = 12 * 1024  # gzip bytes of one page's HTML
ANGGARAN_PERTAMA = 40 * 1024  # HTML + CSS + JS + icon on a first visit


def _kawat(r) -> int:
    return len(r.raw.read(decode_content=False))


def test_bytes_per_resident_page(tmp_path, kunci_produksi, log_dir, statis, settings):  # noqa: F811
    kunci_rahasia = secrets.token_urlsafe(64)
    settings.SECRET_KEY = kunci_rahasia  # the session made here must be valid for the server
    dunia = Dunia()
    p = ajukan(dunia)
    services.permohonan_aksi(permohonan_id=p.pk, pengguna=dunia.petugas_medono, aksi="verifikasi")
    tandatangani(permohonan_id=p.pk, pengguna=dunia.lurah_medono, aksi="setujui")
    from layanan.katalog import katalog_muat

    katalog_muat()  # the whole catalogue (14 services) on the home page, as a city runs it
    klien = Client()
    klien.force_login(dunia.warga.user)
    sesi = klien.cookies[settings.SESSION_COOKIE_NAME].value
    env = pp.env_produksi(tmp_path, cache_url="redis://127.0.0.1:6379/3", kunci=kunci_produksi, statis=statis,
                          SECRET_KEY=kunci_rahasia)
    web = pp.Gunicorn(log_dir, env, nama="web", workers=1).mulai()
    try:
        halaman = {
            "beranda": ("/", None),
            "layanan_domisili": ("/layanan/domisili/", None),
            "lacak": ("/lacak/", None),
            "lacak_detail": (f"/lacak/{p.nomor_registrasi}/", None),
            "masuk": ("/masuk/", None),
            "formulir_domisili": ("/layanan/domisili/ajukan/", sesi),
            "permohonan_saya": ("/permohonan-saya/", sesi),
            "permohonan_selesai": (f"/permohonan-saya/{p.nomor_registrasi}/", sesi),
        }
        hasil, statis_terhitung = {}, {}
        for nama, (path, cookie) in halaman.items():
            kepala = {"Accept-Encoding": "gzip"}
            if cookie:
                kepala["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
            r = requests.get(web.url + path, headers=kepala, timeout=30, stream=True, allow_redirects=False)
            assert r.status_code == 200, (path, r.status_code)
            assert r.headers.get("Content-Encoding") == "gzip", path
            html_kawat = _kawat(r)
            teks = requests.get(web.url + path, headers={k: v for k, v in kepala.items() if k == "Cookie"},
                                timeout=30).text
            aset = sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', teks)))
            aset_kawat = 0
            for alamat in aset:
                if alamat not in statis_terhitung:
                    ra = requests.get(web.url + alamat, headers={"Accept-Encoding": "gzip"}, timeout=30, stream=True)
                    assert ra.status_code == 200, alamat
                    statis_terhitung[alamat] = _kawat(ra)
                aset_kawat += statis_terhitung[alamat]
            hasil[nama] = {"path": path, "html_gzip": html_kawat, "html_mentah": len(teks.encode()),
                           "aset_gzip": aset_kawat, "kunjungan_pertama": html_kawat + aset_kawat}
            assert html_kawat <= ANGGARAN_HTML, (nama, html_kawat)
            assert html_kawat + aset_kawat <= ANGGARAN_PERTAMA, (nama, html_kawat + aset_kawat)
    finally:
        web.henti()
    keluar = pp.AKAR / "artifacts" / "ukur-halaman-warga.json"
    keluar.parent.mkdir(parents=True, exist_ok=True)
    keluar.write_text(json.dumps({"halaman": hasil, "aset": statis_terhitung}, indent=2, sort_keys=True))
    print(json.dumps(hasil, indent=2))
