"""The token printed in a letter's QR code: `<id_publik>.<Ed25519 signature, base64url>`.

The id is random (50 bits), so letters cannot be enumerated; the signature
makes a token that the office did not issue invalid, even when it names a real
letter's id. Anyone holding the public key can check a token offline
(docs/surat.md).
"""

import re
import secrets

from django.conf import settings
from django.urls import reverse

from audit.kunci import b64url, b64url_baca, tanda_tangan_sah, tandatangani

TUJUAN = "surat/v1"
ALFABET_ID = "abcdefghijklmnopqrstuvwxyz234567"  # base32, lower case: reads well in a URL
PANJANG_ID = 10
_POLA = re.compile(rf"^([{ALFABET_ID}]{{{PANJANG_ID}}})\.([A-Za-z0-9_-]{{86}})$")


def buat_id_publik() -> str:
    return "".join(secrets.choice(ALFABET_ID) for _ in range(PANJANG_ID))


def token_buat(id_publik: str) -> str:
    return f"{id_publik}.{b64url(tandatangani(tujuan=TUJUAN, isi=id_publik.encode('ascii')))}"


def token_baca(token: str) -> str | None:
    """The letter's id_publik when the token is authentic, else None."""
    cocok = _POLA.match(token or "")
    if not cocok:
        return None
    id_publik, tanda = cocok.groups()
    tanda_tangan = b64url_baca(tanda)
    if tanda_tangan is None or not tanda_tangan_sah(tujuan=TUJUAN, isi=id_publik.encode("ascii"), tanda_tangan=tanda_tangan):
        return None
    return id_publik


def url_verifikasi(surat_atau_id) -> str:
    """Absolute QR target for a Surat (or its id_publik, before the row exists)."""
    id_publik = getattr(surat_atau_id, "id_publik", surat_atau_id)
    return settings.PUBLIC_BASE_URL + reverse("surat-verifikasi", args=[token_buat(id_publik)])
