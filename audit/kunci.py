"""The deployment's Ed25519 key: signs letter QR tokens and audit anchors.

Kept in one PEM file at settings.SIGNING_KEY_PATH with 0600 permissions. In
development (settings.SIGNING_KEY_OTOMATIS, on with DEBUG) it is created on
first use; in production it is created once, on purpose, by `manage.py
buat_kunci`, and copied to every host: a host that made its own key would sign
letters no other host verifies. Every signed message starts with a purpose label, so a
signature made for one purpose can never be replayed as another.
"""

import base64
import hashlib
import os
import secrets
import threading
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

_kunci_cache: dict[str, Ed25519PrivateKey] = {}
_kunci_lock = threading.Lock()


def _baca(path: Path) -> Ed25519PrivateKey:
    data = path.read_bytes()
    if not data:
        raise RuntimeError(f"Berkas kunci {path} kosong; hapus atau pulihkan dari cadangan.")
    kunci = serialization.load_pem_private_key(data, password=None)
    if not isinstance(kunci, Ed25519PrivateKey):
        raise RuntimeError(f"{path} bukan kunci Ed25519.")
    return kunci


class KunciTidakAda(RuntimeError):
    """No key at SIGNING_KEY_PATH and this deployment does not create one by itself."""


def _baca_atau_buat(path: Path) -> Ed25519PrivateKey:
    if path.exists():
        return _baca(path)
    if not settings.SIGNING_KEY_OTOMATIS:
        raise KunciTidakAda(
            f"Kunci penandatangan tidak ada di {path}. Buat sekali dengan `manage.py buat_kunci`, "
            "atau salin kunci yang sama dari host lain (SIGNING_KEY_PATH)."
        )
    try:
        return buat_kunci(path)
    except FileExistsError:
        return _baca(path)


def buat_kunci(path: Path) -> Ed25519PrivateKey:
    """Create a new key at `path`; FileExistsError if one is there. Of processes starting at once
    exactly one publishes its key, and the others never see it half-written: it is written and
    synced under a private name, then linked into place (link fails if the name exists, atomically)."""
    path = Path(path)
    if path.exists():
        raise FileExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    baru = Ed25519PrivateKey.generate()
    pem = baru.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    sementara = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(sementara, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as berkas:
            berkas.write(pem)
            berkas.flush()
            os.fsync(berkas.fileno())
        os.link(sementara, path)
    finally:
        sementara.unlink(missing_ok=True)
    return baru


def kunci_privat() -> Ed25519PrivateKey:
    path = Path(settings.SIGNING_KEY_PATH)
    kunci = _kunci_cache.get(str(path))
    if kunci is None:
        with _kunci_lock:
            kunci = _kunci_cache.get(str(path))
            if kunci is None:
                kunci = _kunci_cache[str(path)] = _baca_atau_buat(path)
    return kunci


def kunci_terbaca() -> str | None:
    """None when the key at SIGNING_KEY_PATH can be used; otherwise why not. Never creates one."""
    path = Path(settings.SIGNING_KEY_PATH)
    try:
        _baca(path)
    except FileNotFoundError:
        return f"tidak ada berkas {path}"
    except (OSError, ValueError, RuntimeError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def kunci_publik() -> Ed25519PublicKey:
    return kunci_privat().public_key()


def kunci_publik_pem() -> bytes:
    return kunci_publik().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def sidik_kunci() -> str:
    """Short fingerprint of the public key (SHA-256 of the raw 32 bytes), for docs and pages."""
    mentah = kunci_publik().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(mentah).hexdigest()[:16]


def _pesan(tujuan: str, isi: bytes) -> bytes:
    return b"simpatik/" + tujuan.encode("ascii") + b":" + isi


def tandatangani(*, tujuan: str, isi: bytes) -> bytes:
    """64-byte Ed25519 signature over "simpatik/<tujuan>:<isi>"."""
    return kunci_privat().sign(_pesan(tujuan, isi))


def tanda_tangan_sah(*, tujuan: str, isi: bytes, tanda_tangan: bytes) -> bool:
    try:
        kunci_publik().verify(tanda_tangan, _pesan(tujuan, isi))
    except InvalidSignature:
        return False
    return True


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_baca(teks: str) -> bytes | None:
    """Strict decoding: only the canonical form is accepted, so no two strings name the same bytes."""
    try:
        data = base64.urlsafe_b64decode(teks + "=" * (-len(teks) % 4))
    except (ValueError, TypeError):
        return None
    return data if b64url(data) == teks else None


# --- key ring: the current key and the retired ones, whose public halves stay published -------------

def publik_mentah(kunci: Ed25519PublicKey) -> bytes:
    return kunci.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _baca_publik(path: Path) -> Ed25519PublicKey:
    data = path.read_bytes()
    try:
        kunci = serialization.load_pem_public_key(data)
    except ValueError:
        kunci = serialization.load_pem_private_key(data, password=None).public_key()
    if not isinstance(kunci, Ed25519PublicKey):
        raise RuntimeError(f"{path} bukan kunci Ed25519.")
    return kunci


def cincin_kunci() -> list[Ed25519PublicKey]:
    """Public keys that signed anything still kept: the current one first, then SIGNING_KEY_LAMA.

    After a rotation the old key's PEM (public half is enough) is listed in SIGNING_KEY_LAMA, so
    checkpoints and tokens it signed still verify and its public key stays published.
    """
    cincin, lihat = [kunci_publik()], set()
    lihat.add(publik_mentah(cincin[0]))
    for path in getattr(settings, "SIGNING_KEY_LAMA", []):
        kunci = _baca_publik(Path(path))
        if publik_mentah(kunci) not in lihat:
            lihat.add(publik_mentah(kunci))
            cincin.append(kunci)
    return cincin
