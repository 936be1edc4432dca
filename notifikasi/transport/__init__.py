"""Transports: one module per way of delivering a message, chosen by NOTIFIKASI_BACKEND.

Each module offers `kirim(pesan, *, templat, dalam_sesi) -> HasilKirim` and
`cari(pesan) -> list[HasilKirim]`: messages the provider already holds for this
row and no other row holds, oldest first. The relay asks `cari` before it sends
a row again whose earlier request may have reached the provider (docs/notifikasi.md).
"""

from dataclasses import dataclass
from importlib import import_module

from django.conf import settings


@dataclass(frozen=True)
class HasilKirim:
    """`cocok` (lookups only): True when the provider's text is this row's, None when the provider
    returned no text to compare (content retention off), False when it is another message."""

    sid: str
    status: str = ""
    cocok: bool | None = None


class GalatKirim(Exception):
    """A failed send. `sementara`: worth retrying later; `ambigu`: the provider may have accepted it."""

    def __init__(self, kode: str, pesan: str, *, sementara: bool, ambigu: bool = False):
        super().__init__(f"{kode}: {pesan}")
        self.kode = str(kode)
        self.pesan = pesan
        self.sementara = sementara
        self.ambigu = ambigu


def transport_untuk(kanal: str):
    if settings.NOTIFIKASI_BACKEND == "console":
        return import_module("notifikasi.transport.console")
    if settings.NOTIFIKASI_BACKEND == "twilio":
        return import_module(f"notifikasi.transport.twilio_{'sms' if kanal == 'sms' else 'whatsapp'}")
    raise ValueError(f"NOTIFIKASI_BACKEND tidak dikenal: {settings.NOTIFIKASI_BACKEND!r}")


def sms_tersedia() -> bool:
    """Whether an SMS can be sent at all: with Twilio it needs a sender (From or a Messaging Service)."""
    if settings.NOTIFIKASI_BACKEND != "twilio":
        return True
    return bool(settings.TWILIO_MESSAGING_SERVICE_SID or settings.TWILIO_SMS_FROM)
