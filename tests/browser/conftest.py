"""Headless Chromium through Playwright (Debian's /usr/bin/chromium, never a downloaded build).

Skipped with a reason when Chromium is absent, unless SIMPATIK_REQUIRE_BROWSER=1 (CI), where that fails.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# Django's live server wraps the site in a media-file handler that parses MEDIA_URL on every
# request; settings leave it None (uploads are never served directly), which breaks that
# handler. A prefix nothing links to keeps the live server working and still serves no upload.
settings.MEDIA_URL = "/_media-tidak-dilayani/"

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


def _wajib():
    return os.environ.get("SIMPATIK_REQUIRE_BROWSER", "").lower() in ("1", "true", "yes")


_ISI_AWAL = {}


@pytest.fixture(scope="session", autouse=True)
def _simpan_isi_awal(django_db_setup):
    """Keep the test database's initial rows (message templates written by data migrations).

    Django restores them for serialized_rollback tests from an attribute of the connection
    object. Once Playwright's sync API runs, this thread's code runs in another context, where
    `connections` hands out fresh connection objects without that attribute, so the restore
    would silently be skipped. Captured here, before Playwright starts, and put back below.
    """
    from django.db import connections

    isi = getattr(connections["default"], "_test_serialized_contents", None)
    if isi is not None:
        _ISI_AWAL["default"] = isi


@pytest.fixture
def isi_awal(transactional_db):
    """The migration-written rows are present, and later tests get them back after each flush."""
    from django.db import connections

    koneksi = connections["default"]
    if not hasattr(koneksi, "_test_serialized_contents") and "default" in _ISI_AWAL:
        koneksi._test_serialized_contents = _ISI_AWAL["default"]
        koneksi.creation.deserialize_db_from_string(_ISI_AWAL["default"])


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if _wajib():
            pytest.fail(f"SIMPATIK_REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def buka(browser):
    """buka(viewport=..., javascript=True) -> a fresh page in its own context (own cookies)."""
    konteks = []

    def _buka(*, lebar=1280, tinggi=900, javascript=True, bahasa="id-ID"):
        k = browser.new_context(viewport={"width": lebar, "height": tinggi}, java_script_enabled=javascript,
                                locale=bahasa, accept_downloads=True)
        k.set_default_timeout(15000)
        konteks.append(k)
        return k.new_page()

    yield _buka
    for k in konteks:
        k.close()


@pytest.fixture
def foto():
    """foto(page, nama): a full-page screenshot under artifacts/screenshots/ (kept by CI)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _foto(page, nama):
        path = SCREENSHOTS / f"{nama}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _foto
