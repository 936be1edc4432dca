"""SMS through Twilio: the fallback when WhatsApp cannot reach the resident."""

from django.conf import settings

from notifikasi.transport import GalatKirim, HasilKirim, sms_tersedia
from notifikasi.transport.twilio_klien import buat_pesan, cari_pesan


def kirim(pesan, *, templat=None, dalam_sesi=False) -> HasilKirim:
    if not sms_tersedia():
        # Twilio would refuse a message without From; never spend a request on it.
        raise GalatKirim("konfigurasi", "TWILIO_SMS_FROM/TWILIO_MESSAGING_SERVICE_SID belum diisi", sementara=False)
    if settings.TWILIO_MESSAGING_SERVICE_SID:
        pengirim = {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
    else:
        pengirim = {"from_": settings.TWILIO_SMS_FROM}
    return buat_pesan(pesan, to=pesan.penerima, body=pesan.isi, **pengirim)


def cari(pesan) -> list[HasilKirim]:
    return cari_pesan(pesan, pesan.penerima)
