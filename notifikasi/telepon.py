"""Phone numbers as residents type them, stored as E.164."""

import phonenumbers
from django.utils.translation import gettext as _


def normalisasi_hp(teks) -> str:
    """'0812…', '62812…', '+62 812-…' -> '+62812…'; ValueError (Indonesian message) when invalid."""
    teks = str(teks or "").strip()
    if not teks:
        raise ValueError(_("Nomor HP wajib diisi."))
    if teks.startswith("62"):
        teks = "+" + teks
    try:
        nomor = phonenumbers.parse(teks, "ID")
    except phonenumbers.NumberParseException:
        raise ValueError(_("Nomor HP tidak valid.")) from None
    if not phonenumbers.is_valid_number(nomor):
        raise ValueError(_("Nomor HP tidak valid."))
    if phonenumbers.number_type(nomor) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValueError(_("Gunakan nomor HP (seluler) yang aktif di WhatsApp."))
    return phonenumbers.format_number(nomor, phonenumbers.PhoneNumberFormat.E164)
