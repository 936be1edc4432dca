"""Masking of personal data for lists, logs and public pages."""


def samarkan_nik(nik: str) -> str:
    """3375 01•• •••• 0012: region and serial stay readable, birth date hidden."""
    if not nik or len(nik) < 10:
        return "•" * len(nik or "")
    return nik[:6] + "•" * (len(nik) - 10) + nik[-4:]


def samarkan_hp(no_hp: str) -> str:
    if not no_hp or len(no_hp) < 7:
        return "•" * len(no_hp or "")
    return no_hp[:5] + "•" * (len(no_hp) - 8) + no_hp[-3:]


def samarkan_nama(nama: str) -> str:
    """"Budi Santoso" -> "B*** S******": first letter of each word."""
    return " ".join(kata[0] + "*" * (len(kata) - 1) for kata in (nama or "").split())
