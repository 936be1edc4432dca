"""How an event is hashed into its chain: the one canonical serialization and the chained SHA-256.

Kept apart from the writers (services) and readers (selectors) that both need it."""

import hashlib
import json
from datetime import UTC

from audit.models import AuditEvent


def kanonik(nilai) -> str:
    """The one serialization that is hashed: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(nilai, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def data_daun(*, hash_sebelum: str, isi: dict) -> bytes:
    """What an event's chain hash covers, and its Merkle leaf: the previous hash and the canonical content."""
    return (hash_sebelum + kanonik(isi)).encode("utf-8")


def hitung_hash(*, hash_sebelum: str, isi: dict) -> str:
    return hashlib.sha256(data_daun(hash_sebelum=hash_sebelum, isi=isi)).hexdigest()


def frontier_baca(teks: str) -> list[bytes]:
    """A chain head's Merkle frontier (hex, concatenated, largest subtree first) as hashes."""
    return [bytes.fromhex(teks[i:i + 64]) for i in range(0, len(teks), 64)]


def frontier_tulis(frontier: list[bytes]) -> str:
    return "".join(x.hex() for x in frontier)


def isi_event(event: AuditEvent) -> dict:
    """The fields covered by the hash, as they are stored."""
    return {
        "rantai": event.rantai,
        "urutan": event.urutan,
        "waktu": event.waktu.astimezone(UTC).isoformat(timespec="microseconds"),
        "kategori": event.kategori,
        "aksi": event.aksi,
        "aktor": event.aktor,
        "aktor_id": event.aktor_id,
        "peran": event.peran,
        "objek_tipe": event.objek_tipe,
        "objek_id": event.objek_id,
        "data": event.data,
        "ip": event.ip,
        "user_agent": event.user_agent,
    }
