"""Headless Chromium through Playwright (Debian's /usr/bin/chromium, never a downloaded build).

Skipped with a reason when Chromium is absent, unless SIMPATIK_REQUIRE_BROWSER=1 (CI), where that fails.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


class _ServerSatuUtas(WSGIServer):
    """Serves one request at a time: the live server's threads share the test's one in-memory SQLite connection.

    A connection that sends nothing (Chromium opens spare sockets to an origin and may leave one idle) would
    hold the only thread until the browser drops it, and the next page load times out; each connection gets
    IDLE seconds to speak (the stdlib handler logs "Request timed out" and closes it)."""

    IDLE = 2

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)

    def get_request(self):
        conn, alamat = super().get_request()
        conn.settimeout(self.IDLE)
        return conn, alamat


_db = settings.DATABASES["default"]
if _db["ENGINE"].endswith("sqlite3") and not _db.get("TEST", {}).get("NAME"):
    # On an in-memory SQLite test database Django hands every request thread the same connection; a page that
    # loads the letter's draft while the signer already posts "Tandatangani" then runs two transactions on one
    # connection ("cannot start a transaction within a transaction"). One thread serialises them, as a
    # browser on a single connection would see; PostgreSQL keeps the threaded server and its own connections.
    LiveServerThread.server_class = _ServerSatuUtas


def _wajib():
    return os.environ.get("SIMPATIK_REQUIRE_BROWSER", "").lower() in ("1", "true", "yes")


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
