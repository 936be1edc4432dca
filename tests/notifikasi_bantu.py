"""Helpers shared by the tests/test_notifikasi*.py files: a Twilio faked at the HTTP boundary."""

import itertools
import json
import os
import subprocess
import sys
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from django.db import connection
from kombu import pools

from config.celery import app as celery_app

AKUN = "AC" + "a" * 32
TOKEN = "rahasia-auth-token"
URL_PESAN = f"https://api.twilio.com/2010-04-01/Accounts/{AKUN}/Messages.json"
HP = "+6281234567890"
_sid = itertools.count(1)


def sid_baru() -> str:
    return f"SM{next(_sid):032d}"


def jawaban_pesan(status=201, sid=None, **kolom):
    isi = {"sid": sid or sid_baru(), "status": "queued", "account_sid": AKUN, **kolom}
    return (status, {}, json.dumps(isi))


def jawaban_galat(status, kode, pesan="galat"):
    return (status, {}, json.dumps({"code": kode, "message": pesan, "status": status, "more_info": ""}))


def form(panggilan) -> dict:
    """The form fields of one recorded Twilio request, single values."""
    return {k: v[0] for k, v in parse_qs(panggilan.request.body).items()}


def daftar_pesan(*pesan):
    """A Twilio Messages list page: pesan = (sid, status, waktu_dibuat[, body]); no body = Twilio kept none."""
    return {
        "messages": [
            {"sid": p[0], "status": p[1], "account_sid": AKUN, "body": p[3] if len(p) > 3 else None,
             "date_created": format_datetime(p[2].astimezone(UTC))}
            for p in pesan
        ],
        "next_page_uri": None, "page": 0, "page_size": 50, "uri": "/x", "first_page_uri": "/x", "previous_page_uri": None,
    }


def atur_twilio(settings, *, akun: str = AKUN, token: str = TOKEN, api_base_url: str = "") -> None:
    """The twilio backend's settings as a deployment has them (`api_base_url`: a local fake Twilio)."""
    settings.NOTIFIKASI_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = akun
    settings.TWILIO_AUTH_TOKEN = token
    settings.TWILIO_WHATSAPP_FROM = "whatsapp:+14155238886"
    settings.TWILIO_SMS_FROM = "+14155550100"
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    settings.TWILIO_API_BASE_URL = api_base_url
    settings.TWILIO_SANDBOX = False
    settings.PUBLIC_BASE_URL = "https://simpatik.example.id"


def sekarang_utc():
    return datetime.now(UTC)




# --- a real Celery worker (tests marked `celery_worker`) -------------------------------------------------

BASIS = Path(__file__).resolve().parent.parent


@contextmanager
def broker(url: str, settings):
    """Point the Celery app at a real broker URL (not eager) for the duration.

    Celery reads CELERY_BROKER_URL from the environment before its own setting (CI's PostgreSQL run sets
    it): without replacing it there too, a "dead" broker here would be the live one."""
    lama = (celery_app.conf.task_always_eager, celery_app.conf.broker_url, os.environ.get("CELERY_BROKER_URL"))
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = url
    os.environ["CELERY_BROKER_URL"] = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _lepas_kolam()
    try:
        assert celery_app.conf.broker_url == url
        yield
    finally:
        _lepas_kolam()
        celery_app.conf.task_always_eager, celery_app.conf.broker_url, env_lama = lama
        if env_lama is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = env_lama


def _lepas_kolam():
    """Forget connections made for the previous broker URL (kombu keeps a process-wide registry)."""
    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def jalankan_pekerja_celery(settings, **env_tambahan):
    """Start `celery worker` on CELERY_BROKER_URL and the test database; yields the process.

    Skips without a broker (fails when SIMPATIK_REQUIRE_CELERY=1), or when the database is not
    PostgreSQL (a second process cannot share the test's SQLite database)."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url:
        if os.environ.get("SIMPATIK_REQUIRE_CELERY", "").lower() in ("1", "true", "yes"):
            pytest.fail("SIMPATIK_REQUIRE_CELERY=1 but CELERY_BROKER_URL is not set")
        pytest.skip("needs CELERY_BROKER_URL (a Redis broker) to start a real Celery worker")
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can share: run on PostgreSQL")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": url,
        **{k: str(v) for k, v in env_tambahan.items()},
    }
    proses = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
        cwd=BASIS, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        with broker(url, settings):
            yield proses
    finally:
        proses.terminate()
        try:
            proses.wait(20)
        except subprocess.TimeoutExpired:
            proses.kill()
