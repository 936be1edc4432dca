"""System checks: configuration that would make messages fail quietly."""

from django.conf import settings
from django.core import checks

from notifikasi.transport import sms_tersedia


@checks.register(checks.Tags.compatibility)
def periksa_pengirim_sms(app_configs=None, **kwargs):
    """With Twilio and no SMS sender, the SMS fallback is skipped (the reason is kept on each row)."""
    if settings.NOTIFIKASI_BACKEND == "twilio" and not sms_tersedia():
        return [checks.Warning(
            "TWILIO_SMS_FROM dan TWILIO_MESSAGING_SERVICE_SID kosong: SMS cadangan tidak akan dikirim.",
            hint="Isi TWILIO_SMS_FROM (nomor pengirim SMS) atau TWILIO_MESSAGING_SERVICE_SID.",
            id="notifikasi.W001",
        )]
    return []
