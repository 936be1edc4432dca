"""Helpers shared by the tests/test_notifikasi*.py files: a Twilio faked at the HTTP boundary."""

import itertools
import json
from datetime import datetime, timezone as dt_timezone
from email.utils import format_datetime
from urllib.parse import parse_qs

import pytest
import responses
from django.core.cache import cache

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
             "date_created": format_datetime(p[2].astimezone(dt_timezone.utc))}
            for p in pesan
        ],
        "next_page_uri": None, "page": 0, "page_size": 50, "uri": "/x", "first_page_uri": "/x", "previous_page_uri": None,
    }


@pytest.fixture
def twilio(settings):
    """Settings for the twilio backend and an active `responses` that fails on any unregistered call."""
    settings.NOTIFIKASI_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = AKUN
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.TWILIO_WHATSAPP_FROM = "whatsapp:+14155238886"
    settings.TWILIO_SMS_FROM = "+14155550100"
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    settings.TWILIO_API_BASE_URL = ""
    settings.TWILIO_SANDBOX = False
    settings.PUBLIC_BASE_URL = "https://simpatik.example.id"
    cache.clear()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps
    cache.clear()


def sekarang_utc():
    return datetime.now(dt_timezone.utc)


