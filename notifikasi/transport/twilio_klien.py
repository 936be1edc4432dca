"""What the WhatsApp and SMS transports share: the client, error classification, callbacks, lookup."""

from datetime import timedelta
from functools import lru_cache

import requests
from django.conf import settings
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError

from audit.enkripsi import indeks_hp, saring_indeks
from notifikasi.models import Outbox
from notifikasi.transport import GalatKirim, HasilKirim

# Twilio error codes that mean "later", not "never": too many requests, tier/rate limit, daily limit.
KODE_SEMENTARA = {20429, 63018, 63038}
# HTTP answers that say the request was refused before any message was made: retry without a lookup.
# Any other 5xx may come from an edge or proxy after Twilio made the message: settle it by lookup.
HTTP_DITOLAK = {429, 503}
PESAN_DICARI_MAKS = 250  # newest messages to one recipient read by a lookup (5 pages of 50)
SELISIH_JAM = timedelta(seconds=60)  # clock skew allowed between us and Twilio in a lookup


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


def belum_terkirim(exc: requests.exceptions.RequestException) -> bool:
    """True only when the request certainly never reached Twilio: no connection was made.

    A reset, a broken or missing answer, a read timeout, a TLS error: the request
    may have arrived and Twilio may have made the message.
    """
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    sebab = exc.args[0] if exc.args else None
    return isinstance(sebab, MaxRetryError) and isinstance(sebab.reason, (NewConnectionError, ConnectTimeoutError))


def buat_pesan(pesan, **kolom) -> HasilKirim:
    pengirim = klien()
    try:
        hasil = pengirim.messages.create(status_callback=status_callback(pesan), **kolom)
    except TwilioRestException as exc:
        if exc.status >= 500 and exc.status not in HTTP_DITOLAK:
            raise GalatKirim(str(exc.code or exc.status), exc.msg or "", sementara=True, ambigu=True) from exc
        sementara = exc.status >= 500 or exc.status == 429 or (exc.code in KODE_SEMENTARA)
        raise GalatKirim(str(exc.code or exc.status), exc.msg or "", sementara=sementara) from exc
    except requests.exceptions.RequestException as exc:
        # Settle by lookup before any resend unless the connection was never made.
        raise GalatKirim("jaringan", str(exc), sementara=True, ambigu=not belum_terkirim(exc)) from exc
    except TwilioException as exc:  # raised before any request, e.g. missing credentials: fixable, retry later
        raise GalatKirim("konfigurasi", str(exc), sementara=True) from exc
    return HasilKirim(sid=hasil.sid, status=hasil.status or "")


def _rata(teks) -> str:
    return " ".join(str(teks).split()).casefold()


def isi_cocok(pesan, isi_twilio, *, isi_lain=frozenset()) -> bool | None:
    """Whether the text Twilio holds is this row's message.

    Twilio returns the text it sent: our rendered `isi` for a Body, the approved
    content template filled in for a ContentSid (the admin keeps `TemplatPesan.isi`
    equal to the approved text). If they drift, every variable value of four or
    more characters must appear in Twilio's text, and the text must not be
    exactly another row's (`isi_lain`, normalized): "received" and "status
    updated" share the request's number and link. None: Twilio kept no text.
    """
    if not isi_twilio:
        return None
    teks = _rata(isi_twilio)
    if teks == _rata(pesan.isi):
        return True
    if teks in isi_lain:
        return False
    nilai = [_rata(v) for v in (pesan.variabel or {}).values() if len(_rata(v)) >= 4]
    return bool(nilai) and all(v in teks for v in nilai)


def cari_pesan(pesan, alamat_tujuan: str) -> list[HasilKirim]:
    """Messages Twilio holds for this recipient since the row was written, that no row holds and
    whose text is this row's (or unknown), oldest first.

    No `DateSent` filter: a message Twilio has queued but not yet sent has no
    `date_sent` and would be missed, and missing it means sending it twice.
    """
    mulai = pesan.dibuat - SELISIH_JAM
    pengirim = klien()
    try:
        daftar = list(pengirim.messages.stream(to=alamat_tujuan, page_size=50, limit=PESAN_DICARI_MAKS))
    except (TwilioException, requests.exceptions.RequestException) as exc:
        raise GalatKirim("cari", str(exc), sementara=True) from exc
    calon = [m for m in daftar if m.date_created and m.date_created >= mulai]
    dikenal = set(Outbox.objects.filter(provider_sid__in=[m.sid for m in calon]).values_list("provider_sid", flat=True))
    calon = [m for m in calon if m.sid not in dikenal]
    isi_lain = frozenset(
        _rata(i) for i in Outbox.objects.filter(**saring_indeks("penerima_indeks", indeks_hp, pesan.penerima), dibuat__gte=mulai - timedelta(days=1)).exclude(pk=pesan.pk)
        .values_list("isi", flat=True)
    ) if calon else frozenset()
    hasil = []
    for m in calon:
        cocok = isi_cocok(pesan, m.body, isi_lain=isi_lain)
        if cocok is not False:
            tepat = bool(m.body) and _rata(m.body) == _rata(pesan.isi)
            hasil.append((not tepat, m.date_created, HasilKirim(sid=m.sid, status=m.status or "", cocok=cocok)))
    # Exact text first, then matches by variables (a drifted template), oldest first within each.
    return [h for _tepat, _waktu, h in sorted(hasil, key=lambda x: x[:2])]


class MediaDitolak(Exception):
    """An inbound media file that could not be fetched or is too large; the message says why."""


def unduh_media(url: str, *, batas_byte: int) -> bytes:
    """Fetch an inbound message's media (MediaUrl0) with the account's credentials, at most `batas_byte`.

    Only Twilio's own API host (or TWILIO_API_BASE_URL's) is asked: the URL comes from a signed webhook,
    but a request to any host it names would make this server a proxy. Twilio answers with a redirect
    to its CDN, which requests follows without the credentials (another host).
    """
    from urllib.parse import urlsplit

    boleh = {"api.twilio.com"} | ({urlsplit(settings.TWILIO_API_BASE_URL).hostname}
                                  if settings.TWILIO_API_BASE_URL else set())
    if urlsplit(url).scheme not in ("https", "http") or urlsplit(url).hostname not in boleh:
        raise MediaDitolak("alamat media bukan dari Twilio")
    try:
        with requests.get(url, auth=(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN), stream=True,
                          timeout=settings.NOTIFIKASI_HTTP_TIMEOUT) as jawaban:
            if jawaban.status_code != 200:
                raise MediaDitolak(f"Twilio menjawab {jawaban.status_code}")
            isi = bytearray()
            for potong in jawaban.iter_content(64 * 1024):
                isi += potong
                if len(isi) > batas_byte:
                    raise MediaDitolak("berkas terlalu besar")
            return bytes(isi)
    except requests.exceptions.RequestException as exc:
        raise MediaDitolak(f"media tidak dapat diambil ({type(exc).__name__})") from exc
