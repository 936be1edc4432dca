"""Signed checkpoints of each chain's Merkle tree, in the C2SP tlog-checkpoint / signed-note form.

A checkpoint's text is three lines: the origin (`<AUDIT_ASAL>/<chain>`), the tree size in
decimal, and the base64 root (c2sp.org/tlog-checkpoint). It is signed with the deployment's
Ed25519 key over exactly that text, and published with the key id of the signed-note spec
(c2sp.org/signed-note: the first four bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key),
the key name being the origin), so Go's `note` package, Sigstore's and the witness network's
tools read it as is. `catatan` is the whole signed note.

`checkpoint_buat` (the write) signs a chain only when its tree, rebuilt from the stored nodes
and the events since, matches the root the appends kept on the chain head, and is a consistent
extension of the chain's previous checkpoint: the log never signs a rewrite of what it signed.
"""

import base64
import binascii
import hashlib
import logging
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit import kunci, merkle, pohon
from audit.models import Checkpoint, RantaiAudit

logger = logging.getLogger(__name__)

TIPE_ED25519 = b"\x01"


class CheckpointDitolak(Exception):
    """The chain's tree does not match what was appended or what was signed before: nothing is signed."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64_baca(teks: str) -> bytes:
    """Strict standard base64 (RFC 4648 §4); ValueError otherwise."""
    try:
        data = base64.b64decode(teks, validate=True)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise ValueError("base64 tidak sah") from exc
    if b64(data) != teks:
        raise ValueError("base64 tidak kanonik")
    return data


def asal(rantai: str) -> str:
    dasar = settings.AUDIT_ASAL or (urlsplit(settings.PUBLIC_BASE_URL).netloc + "/audit")
    return f"{dasar.rstrip('/')}/{rantai}"


def id_kunci(nama: str, publik: bytes) -> bytes:
    """signed-note key ID: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ 32-byte Ed25519 public key)[:4]."""
    return hashlib.sha256(nama.encode("utf-8") + b"\n" + TIPE_ED25519 + publik).digest()[:4]


def teks_checkpoint(asal_: str, ukuran: int, akar: bytes) -> str:
    return f"{asal_}\n{ukuran}\n{b64(akar)}\n"


def baca_teks(teks: str) -> tuple[str, int, bytes]:
    """(origin, size, root) of a checkpoint text; ValueError when it is not one."""
    baris = teks.split("\n")
    if len(baris) < 4 or baris[-1] != "" or any(not b for b in baris[:-1]):
        raise ValueError("teks checkpoint harus tiga baris atau lebih, masing-masing tidak kosong, diakhiri baris baru")
    asal_, ukuran, akar = baris[0], baris[1], baris[2]
    if not ukuran.isdigit() or (ukuran != "0" and ukuran.startswith("0")) or not ukuran.isascii():
        raise ValueError("ukuran pohon harus bilangan desimal tanpa nol di depan")
    akar_b = b64_baca(akar)
    if len(akar_b) != merkle.PANJANG_HASH:
        raise ValueError("akar harus 32 byte")
    return asal_, int(ukuran), akar_b


def catatan(teks: str, nama: str, idk: bytes, tanda: bytes) -> str:
    """The whole signed note: text, blank line, one signature line."""
    return f"{teks}\n\u2014 {nama} {b64(idk + tanda)}\n"


def tanda_tangan_sah(*, teks: str, tanda_tangan: str, publik: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(publik).verify(b64_baca(tanda_tangan), teks.encode("utf-8"))
    except (InvalidSignature, ValueError):
        return False
    return True


def cincin_mentah() -> list[bytes]:
    return [kunci.publik_mentah(k) for k in kunci.cincin_kunci()]


def sebagai_json(cp: Checkpoint) -> dict:
    asal_ = baca_teks(cp.teks)[0]
    return {
        "rantai": cp.rantai, "ukuran": cp.ukuran, "akar": cp.akar, "waktu": cp.waktu.isoformat(),
        "teks": cp.teks, "tanda_tangan": cp.tanda_tangan, "id_kunci": cp.id_kunci, "kunci_publik": cp.kunci_publik,
        "catatan": catatan(cp.teks, asal_, bytes.fromhex(cp.id_kunci), b64_baca(cp.tanda_tangan)),
    }


def checkpoint_buat(rantai: str, *, waktu=None) -> Checkpoint | None:
    """Sign the chain's tree at its current size; None when nothing was appended since the last one.

    Raises CheckpointDitolak (and logs it) when the tree rebuilt from the events disagrees with
    the head's root, or does not extend the last checkpoint: the alarm, never a signature.
    """
    with transaction.atomic():
        kepala = RantaiAudit.objects.get(kunci=rantai)
        ukuran = kepala.urutan
        terakhir = Checkpoint.objects.filter(rantai=rantai).order_by("-ukuran").first()
        if ukuran == 0 or (terakhir is not None and terakhir.ukuran == ukuran):
            return None
        try:
            if terakhir is not None and terakhir.ukuran > ukuran:
                raise CheckpointDitolak(
                    f"rantai {rantai}: kepala di {ukuran}, checkpoint terakhir sudah {terakhir.ukuran} (rantai dipotong)")
            frontier, _baru = pohon.simpul_lengkapi(rantai, ukuran)
            akar = merkle.akar_frontier(frontier)
            if akar != pohon.akar_kepala(kepala):
                raise CheckpointDitolak(f"rantai {rantai}: akar dari kejadian tidak sama dengan akar di kepala rantai")
            if terakhir is not None:
                bukti = pohon.bukti_konsistensi(rantai, terakhir.ukuran, ukuran)
                if not merkle.verifikasi_konsistensi(lama=terakhir.ukuran, baru=ukuran, akar_lama=bytes.fromhex(
                        terakhir.akar), akar_baru=akar, bukti=bukti):
                    raise CheckpointDitolak(
                        f"rantai {rantai}: pohon sekarang bukan kelanjutan checkpoint ukuran {terakhir.ukuran}")
        except pohon.PohonRusak as exc:
            raise CheckpointDitolak(str(exc)) from exc
        nama = asal(rantai)
        teks = teks_checkpoint(nama, ukuran, akar)
        publik = kunci.publik_mentah(kunci.kunci_publik())
        cp = Checkpoint(
            rantai=rantai, ukuran=ukuran, akar=akar.hex(), waktu=waktu or timezone.now(), teks=teks,
            tanda_tangan=b64(kunci.kunci_privat().sign(teks.encode("utf-8"))),
            id_kunci=id_kunci(nama, publik).hex(), kunci_publik=b64(publik),
        )
        try:
            with transaction.atomic():
                cp.save(force_insert=True)
        except IntegrityError:  # another run signed this very size first
            return None
    return cp


def checkpoint_semua(*, waktu=None) -> dict:
    """Checkpoint every chain that grew. A refused chain is logged and reported; the others go on."""
    dibuat, ditolak = [], {}
    for rantai in RantaiAudit.objects.order_by("kunci").values_list("kunci", flat=True):
        try:
            cp = checkpoint_buat(rantai, waktu=waktu)
        except CheckpointDitolak as exc:
            logger.error("checkpoint audit ditolak: %s", exc)
            ditolak[rantai] = str(exc)
            continue
        if cp is not None:
            dibuat.append(cp)
    return {"dibuat": dibuat, "ditolak": ditolak}
