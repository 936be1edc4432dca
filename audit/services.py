"""Appending to the audit ledger. Call inside the transaction of the action it records."""

import hashlib
import json

from django.db import connection, transaction
from django.db.models import DateTimeField
from django.utils import timezone

from audit import kait, merkle
from audit.konteks import KonteksPermintaan, konteks_sekarang
from audit.kursor import kursor
from audit.models import GENESIS_HASH, AuditEvent, PemeriksaanRantai, RantaiAudit
from audit.rantai import data_daun, frontier_baca, frontier_tulis, isi_event, kanonik
from audit.selectors import rantai_verifikasi
from audit.sisip import sisipkan

RANTAI_SISTEM = "sistem"


def _kunci_kepala(rantai: list[str]) -> dict[str, tuple[int, str, str]]:
    """{chain: (urutan, hash_terakhir, frontier)} of the chain heads, locked until the caller's transaction ends.

    One statement: the upsert creates missing heads and, on conflict, its no-op update takes
    the row locks (PostgreSQL) while RETURNING reads the heads. Rows are locked in code order,
    so two callers appending to overlapping chains cannot deadlock. SQLite serializes writers anyway.
    """
    kunci = sorted(set(rantai))
    tabel = connection.ops.quote_name(RantaiAudit._meta.db_table)
    baris = "(%s, 0, %s, '')"
    with kursor() as cursor:
        cursor.execute(
            f"INSERT INTO {tabel} (kunci, urutan, hash_terakhir, frontier) VALUES {', '.join([baris] * len(kunci))} "
            "ON CONFLICT (kunci) DO UPDATE SET kunci = EXCLUDED.kunci RETURNING kunci, urutan, hash_terakhir, frontier",
            [nilai for k in kunci for nilai in (k, GENESIS_HASH)],
        )
        return {k: (urutan, hash_terakhir, frontier) for k, urutan, hash_terakhir, frontier in cursor.fetchall()}


def _sisipkan(events: list[AuditEvent]):
    """Insert the events with one statement and set their ids.

    On PostgreSQL many rows travel as one JSON document unpacked by `jsonb_to_recordset`:
    with client-side parameter binding, Django's bulk insert (one array per column) escapes
    every quote of every event's JSON in Python, which cost more than hashing the events.
    """
    if len(events) == 1:  # the common case (audit_catat): one cached INSERT
        sisipkan(events[0])
        return
    if connection.vendor != "postgresql":
        AuditEvent.objects.bulk_create(events)
        return
    q = connection.ops.quote_name
    kolom = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    nama = ", ".join(q(f.column) for f in kolom)
    jenis = ", ".join(f"{q(f.column)} {f.db_type(connection).split('(')[0]}" for f in kolom)
    baris = [
        {f.column: f.value_to_string(e) if isinstance(f, DateTimeField) else getattr(e, f.attname) for f in kolom}
        for e in events
    ]
    with kursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(AuditEvent._meta.db_table)} ({nama}) SELECT {nama} "
            f"FROM jsonb_to_recordset(%s::jsonb) AS x({jenis}) RETURNING id, rantai, urutan",
            [kanonik(baris)],
        )
        pk = {(rantai, urutan): i for i, rantai, urutan in cursor.fetchall()}
    for e in events:
        e.pk = pk[(e.rantai, e.urutan)]
        e._state.adding, e._state.db = False, connection.alias


def _geser_kepala(kepala: RantaiAudit):
    tabel = connection.ops.quote_name(RantaiAudit._meta.db_table)
    with kursor() as cursor:
        cursor.execute(f"UPDATE {tabel} SET urutan = %s, hash_terakhir = %s, frontier = %s WHERE kunci = %s",
                       [kepala.urutan, kepala.hash_terakhir, kepala.frontier, kepala.kunci])


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
    anonim: bool = False,
) -> AuditEvent:
    """Append one event to chain `rantai` (a kelurahan code, or "sistem").

    The chain head row is locked for the rest of the caller's transaction, so
    appends to one chain are serialized while other chains proceed in parallel.
    `anonim` leaves out the caller's IP and user agent (surveys, complaints).
    Projections registered in `audit.kait` (e.g. the indicators' rollup) follow in the same transaction.
    """
    kejadian = {"kategori": kategori, "aksi": aksi, "aktor": aktor, "peran": peran, "objek_tipe": objek_tipe,
                "objek_id": objek_id, "data": data, "waktu": waktu, "anonim": anonim}
    return audit_catat_banyak(rantai=rantai, kejadian=[kejadian])[0]


def audit_catat_banyak(*, rantai: str, kejadian: list[dict]) -> list[AuditEvent]:
    """Append several events to one chain, in the given order (see `audit_catat_per_rantai`)."""
    return audit_catat_per_rantai(kejadian={rantai: kejadian})


def audit_catat_per_rantai(*, kejadian: dict[str, list[dict]]) -> list[AuditEvent]:
    """Append events to several chains at once: {chain: [event, …]}, each list in its order.

    Each event takes the keyword arguments of `audit_catat` except `rantai` (kategori
    and aksi required). Three statements whatever the count: one upsert locks every
    head, one INSERT writes every event, one UPDATE moves every head. The hashes chain
    exactly as if the events had been appended one by one, so `rantai_verifikasi`
    cannot tell the difference.
    """
    kejadian = {rantai: daftar for rantai, daftar in kejadian.items() if daftar}
    if not kejadian:
        return []
    konteks_permintaan = konteks_sekarang()
    # savepoint=False: callers are already inside their action's transaction; alone, this opens one.
    with transaction.atomic(savepoint=False):
        kepala = _kunci_kepala(list(kejadian))
        events, kepala_baru = [], []
        for rantai in sorted(kejadian):
            urutan, hash_terakhir, frontier_teks = kepala[rantai]
            frontier = frontier_baca(frontier_teks)
            for k in kejadian[rantai]:
                aktor = k.get("aktor")
                objek_id = k.get("objek_id", "")
                konteks = KonteksPermintaan() if k.get("anonim") else konteks_permintaan
                urutan += 1
                event = AuditEvent(
                    rantai=rantai,
                    urutan=urutan,
                    hash_sebelum=hash_terakhir,
                    waktu=k.get("waktu") or timezone.now(),
                    kategori=k["kategori"],
                    aksi=k["aksi"],
                    aktor=getattr(aktor, "username", "") if aktor is not None else "",
                    aktor_id=getattr(aktor, "pk", None) if aktor is not None else None,
                    peran=k.get("peran") or "",
                    objek_tipe=k.get("objek_tipe", ""),
                    objek_id=str(objek_id) if objek_id != "" else "",
                    # Round-trip through JSON so the hashed form is exactly what the database returns.
                    data=json.loads(kanonik(k.get("data") or {})),
                    ip=konteks.ip,
                    user_agent=konteks.user_agent,
                )
                data = data_daun(hash_sebelum=event.hash_sebelum, isi=isi_event(event))
                event.hash = hash_terakhir = hashlib.sha256(data).hexdigest()
                # The Merkle tree grows with the chain: O(1) amortised, in the head's own UPDATE.
                frontier, _selesai = merkle.frontier_tambah(frontier, urutan - 1, merkle.hash_daun(data))
                events.append(event)
            kepala_baru.append(RantaiAudit(kunci=rantai, urutan=urutan, hash_terakhir=hash_terakhir,
                                           frontier=frontier_tulis(frontier)))
        _sisipkan(events)
        if len(kepala_baru) == 1:  # the common case (audit_catat): a plain UPDATE
            _geser_kepala(kepala_baru[0])
        else:
            RantaiAudit.objects.bulk_update(kepala_baru, ["urutan", "hash_terakhir", "frontier"])
        kait.setelah_catat(events)
    return events


# --- chain checks ---------------------------------------------------------------------------------


def pemeriksaan_simpan(hasil, *, waktu=None) -> PemeriksaanRantai:
    """Keep the verdict of one chain verification; the indicators report it as the chain status."""
    periksa, _dibuat = PemeriksaanRantai.objects.update_or_create(
        rantai=hasil.rantai,
        defaults={"diperiksa_pada": waktu or timezone.now(), "jumlah": hasil.jumlah, "utuh": hasil.utuh,
                  "alasan": hasil.alasan[:255]},
    )
    return periksa


def rantai_periksa(rantai: str, *, waktu=None) -> PemeriksaanRantai:
    """Verify one chain and keep the verdict."""
    return pemeriksaan_simpan(rantai_verifikasi(rantai), waktu=waktu)
