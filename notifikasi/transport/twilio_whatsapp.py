"""WhatsApp through Twilio: approved content templates outside the 24-hour window, Body inside it."""

import json

from django.conf import settings

from notifikasi.transport import GalatKirim, HasilKirim
from notifikasi.transport.twilio_klien import buat_pesan, cari_pesan


def _pengirim() -> dict:
    if settings.TWILIO_MESSAGING_SERVICE_SID:
        return {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
    return {"from_": settings.TWILIO_WHATSAPP_FROM}


def _isi(pesan, templat, dalam_sesi) -> dict:
    if templat is not None and templat.content_sid:
        # Twilio rejects an empty or missing content variable: send "-" instead.
        nilai = {str(i): str(pesan.variabel.get(nama) or "-") for i, nama in enumerate(templat.variabel_konten, 1)}
        return {"content_sid": templat.content_sid, "content_variables": json.dumps(nilai, ensure_ascii=False)}
    if dalam_sesi or settings.TWILIO_SANDBOX:
        return {"body": pesan.isi}
    # Free text outside the window would fail at Twilio with 63016; do not spend a request on it.
    raise GalatKirim("63016", "templat belum punya ContentSid dan penerima di luar jendela 24 jam", sementara=False)


def kirim(pesan, *, templat=None, dalam_sesi=False) -> HasilKirim:
    return buat_pesan(pesan, to=f"whatsapp:{pesan.penerima}", **_pengirim(), **_isi(pesan, templat, dalam_sesi))


def cari(pesan) -> list[HasilKirim]:
    return cari_pesan(pesan, f"whatsapp:{pesan.penerima}")
