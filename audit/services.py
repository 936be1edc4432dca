"""Appending to the audit ledger. Call inside the transaction of the action it records."""

import hashlib
import json
from datetime import timezone as dt_timezone

from django.db import transaction
from django.utils import timezone

from audit.konteks import konteks_sekarang
from audit.models import AuditEvent, RantaiAudit

RANTAI_SISTEM = "sistem"


def kanonik(nilai) -> str:
    """The one serialization that is hashed: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(nilai, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def hitung_hash(*, hash_sebelum: str, isi: dict) -> str:
    return hashlib.sha256((hash_sebelum + kanonik(isi)).encode("utf-8")).hexdigest()


def isi_event(event: AuditEvent) -> dict:
    """The fields covered by the hash, as they are stored."""
    return {
        "rantai": event.rantai,
        "urutan": event.urutan,
        "waktu": event.waktu.astimezone(dt_timezone.utc).isoformat(timespec="microseconds"),
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


def _kunci_kepala(rantai: str) -> RantaiAudit:
    RantaiAudit.objects.bulk_create([RantaiAudit(kunci=rantai)], ignore_conflicts=True)
    return RantaiAudit.objects.select_for_update().get(kunci=rantai)


def audit_catat(
    *,
    rantai: str,
    kategori: str,
    aksi: str,
    aktor=None,
    peran: str = "",
    objek_tipe: str = "",
    objek_id="",
    data: dict | None = None,
    waktu=None,
) -> AuditEvent:
    """Append one event to chain `rantai` (a kelurahan code, or "sistem").

    The chain head row is locked for the rest of the caller's transaction, so
    appends to one chain are serialized while other chains proceed in parallel.
    """
    konteks = konteks_sekarang()
    with transaction.atomic():
        kepala = _kunci_kepala(rantai)
        event = AuditEvent(
            rantai=rantai,
            urutan=kepala.urutan + 1,
            hash_sebelum=kepala.hash_terakhir,
            waktu=waktu or timezone.now(),
            kategori=kategori,
            aksi=aksi,
            aktor=getattr(aktor, "username", "") if aktor is not None else "",
            aktor_id=getattr(aktor, "pk", None) if aktor is not None else None,
            peran=peran or "",
            objek_tipe=objek_tipe,
            objek_id=str(objek_id) if objek_id != "" else "",
            # Round-trip through JSON so the hashed form is exactly what the database returns.
            data=json.loads(kanonik(data or {})),
            ip=konteks.ip,
            user_agent=konteks.user_agent,
        )
        event.hash = hitung_hash(hash_sebelum=event.hash_sebelum, isi=isi_event(event))
        event.save(force_insert=True)
        RantaiAudit.objects.filter(kunci=rantai).update(urutan=event.urutan, hash_terakhir=event.hash)
    return event
