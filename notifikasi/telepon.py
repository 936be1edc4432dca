"""Phone numbers as residents type them, stored as E.164."""

import phonenumbers
from django.utils.translation import gettext as _

_JENIS_SELULER = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def normalisasi_hp(teks) -> str:
    """`0812…`, `62812…`, `+62 812-…` -> `+62812…`; ValueError (Indonesian message) otherwise.

    Only mobile numbers: WhatsApp and SMS cannot reach a landline.
    """
    teks = str(teks or "").strip()
    if teks.startswith("whatsapp:"):
        teks = teks[len("whatsapp:"):]
    if not teks:
        raise ValueError(_("Nomor HP wajib diisi."))
    if teks.startswith("62"):
        teks = "+" + teks
    try:
        nomor = phonenumbers.parse(teks, "ID")
    except phonenumbers.NumberParseException:
        raise ValueError(_("Nomor HP tidak dapat dibaca. Tulis seperti 0812xxxxxxxx.")) from None
    if not phonenumbers.is_valid_number(nomor):
        raise ValueError(_("Nomor HP tidak valid."))
    if phonenumbers.number_type(nomor) not in _JENIS_SELULER:
        raise ValueError(_("Gunakan nomor HP (seluler) yang aktif di WhatsApp, bukan telepon rumah/kantor."))
    return phonenumbers.format_number(nomor, phonenumbers.PhoneNumberFormat.E164)


def samarkan_hp(no_hp: str) -> str:
    """+6281234567890 -> +62812*****890, for logs and lists."""
    if len(no_hp) < 9:
        return "*" * len(no_hp)
    return no_hp[:6] + "*" * (len(no_hp) - 9) + no_hp[-3:]
