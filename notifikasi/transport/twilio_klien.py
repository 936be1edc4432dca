"""What the WhatsApp and SMS transports share: the client, error classification, callbacks, lookup."""

from datetime import timedelta
from functools import lru_cache

import requests
from django.conf import settings
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from notifikasi.transport import GalatKirim, HasilKirim

# Twilio error codes that mean "later", not "never": too many requests, tier/rate limit, daily limit.
KODE_SEMENTARA = {20429, 63018, 63038}


@lru_cache(maxsize=4)
def _klien(account_sid, auth_token, base_url, timeout) -> Client:
    klien = Client(account_sid, auth_token, http_client=TwilioHttpClient(timeout=timeout))
    if base_url:
        klien.api.base_url = base_url.rstrip("/")
    return klien


def klien() -> Client:
    if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
        raise GalatKirim("konfigurasi", "TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN belum diisi", sementara=True)
    return _klien(
        settings.TWILIO_ACCOUNT_SID,
        settings.TWILIO_AUTH_TOKEN,
        settings.TWILIO_API_BASE_URL,
        settings.NOTIFIKASI_HTTP_TIMEOUT,
    )


def status_callback(pesan) -> str:
    """The row id rides along so a callback can claim a SID the relay never got to save."""
    return f"{settings.PUBLIC_BASE_URL}/notifikasi/twilio/status/?pesan={pesan.pk}"


def buat_pesan(pesan, **kolom) -> HasilKirim:
    pengirim = klien()
    try:
        hasil = pengirim.messages.create(status_callback=status_callback(pesan), **kolom)
    except TwilioRestException as exc:
        sementara = exc.status >= 500 or exc.status == 429 or (exc.code in KODE_SEMENTARA)
        raise GalatKirim(str(exc.code or exc.status), exc.msg or "", sementara=sementara) from exc
    except requests.exceptions.ConnectTimeout as exc:
        raise GalatKirim("jaringan", str(exc), sementara=True) from exc
    except (requests.exceptions.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
        # The request left; Twilio may have created the message. Settle it by lookup, never resend blindly.
        raise GalatKirim("jaringan", str(exc), sementara=True, ambigu=True) from exc
    except requests.exceptions.ConnectionError as exc:
        raise GalatKirim("jaringan", str(exc), sementara=True) from exc
    except TwilioException as exc:  # raised before any request, e.g. missing credentials: fixable, retry later
        raise GalatKirim("konfigurasi", str(exc), sementara=True) from exc
    return HasilKirim(sid=hasil.sid, status=hasil.status or "")


def cari_pesan(pesan, alamat_tujuan: str) -> list[HasilKirim]:
    """Messages Twilio holds for this recipient created while the row was being sent."""
    from notifikasi.models import Outbox

    mulai = pesan.diklaim_pada - timedelta(seconds=5)
    akhir = pesan.diklaim_pada + timedelta(seconds=settings.NOTIFIKASI_HTTP_TIMEOUT + 60)
    pengirim = klien()
    try:
        daftar = pengirim.messages.list(to=alamat_tujuan, limit=50)
    except (TwilioException, requests.exceptions.RequestException) as exc:
        raise GalatKirim("cari", str(exc), sementara=True) from exc
    calon = [m for m in daftar if m.date_created and mulai <= m.date_created <= akhir]
    dikenal = set(Outbox.objects.filter(provider_sid__in=[m.sid for m in calon]).values_list("provider_sid", flat=True))
    return [HasilKirim(sid=m.sid, status=m.status or "") for m in calon if m.sid not in dikenal]
