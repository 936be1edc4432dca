"""Each chain's Merkle tree in the database: stored subtree roots, roots at any size, proofs.

The leaf of event k (urutan k, leaf index k-1) is what its chain hash covers:
`hash_sebelum ‖ kanonik(isi_event)` (audit/services.py: data_daun). Three places hold
the tree, each checkable against the others:
- the chain head's `frontier`, moved by every append in the same UPDATE (root of the current size);
- `SimpulMerkle`, the roots of complete subtrees of 16 leaves and up, written by the checkpoint
  job (`simpul_lengkapi`), never by an append;
- the events themselves, from which `audit_verify` recomputes both.
A proof needs at most one stored node per level and at most 15 events per level below 16.
"""

from django.db import connection

from audit import merkle
from audit.models import AuditEvent, RantaiAudit, SimpulMerkle
from audit.rantai import data_daun, frontier_baca, isi_event

TINGKAT_SIMPAN = 4  # subtrees of 2^4 = 16 leaves and up are stored
BATCH = 4096


class PohonRusak(Exception):
    """The tree cannot be built as asked: events missing, or stored nodes that disagree with them."""


def daun_event(event) -> bytes:
    return merkle.hash_daun(data_daun(hash_sebelum=event.hash_sebelum, isi=isi_event(event)))


def daun_rentang(rantai: str, a: int, b: int, *, model=AuditEvent):
    """Leaf hashes of leaves [a, b) of the chain, read in batches; PohonRusak when one is missing."""
    berikut = a
    while berikut < b:
        akhir = min(b, berikut + BATCH)
        events = model.objects.filter(rantai=rantai, urutan__gt=berikut, urutan__lte=akhir).order_by("urutan")
        for e in events:
            if e.urutan != berikut + 1:
                raise PohonRusak(f"rantai {rantai}: kejadian urutan {berikut + 1} tidak ada")
            yield daun_event(e)
            berikut += 1
        if berikut < akhir:
            raise PohonRusak(f"rantai {rantai}: kejadian urutan {berikut + 1} tidak ada")


def _sql(sql: str, params: list) -> list[tuple]:
    """Plain SQL for the two lookups every proof makes: the ORM spent more time compiling their
    OR-ed filters than the database spent answering them (bench/audit_merkle.py)."""
    with connection.cursor() as cursor:
        cursor.execute(sql.format(simpul=connection.ops.quote_name(SimpulMerkle._meta.db_table)), params)
        return cursor.fetchall()


def tersimpan_sampai(rantai: str) -> int:
    """How many leaves the stored level-4 nodes cover (always a multiple of 16)."""
    # ORDER BY … LIMIT 1 rather than MAX(): one step down the index, where the planner, on a freshly
    # loaded table, may scan every level-4 row of the chain for MAX (62,500 at a million events).
    baris = _sql("SELECT indeks FROM {simpul} WHERE rantai = %s AND tingkat = %s ORDER BY indeks DESC LIMIT 1",
                 [rantai, TINGKAT_SIMPAN])
    return 0 if not baris else (baris[0][0] + 1) << TINGKAT_SIMPAN


def _simpul(rantai: str, kunci: set[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    if not kunci:
        return {}
    pasangan = ", ".join(["(%s, %s)"] * len(kunci))
    baris = _sql(f"SELECT tingkat, indeks, hash FROM {{simpul}} WHERE rantai = %s AND (tingkat, indeks) IN ({pasangan})",
                 [rantai, *[x for k in sorted(kunci) for x in k]])
    return {(h, i): bytes.fromhex(x) for h, i, x in baris}


def frontier_tersimpan(rantai: str, m: int) -> list[bytes]:
    """The frontier of size m (a multiple of 16 that is stored), from the stored nodes alone."""
    kunci = [((b - a).bit_length() - 1, a >> ((b - a).bit_length() - 1)) for a, b in merkle.frontier_rentang(m)]
    ada = _simpul(rantai, set(kunci))
    if len(ada) != len(kunci):
        raise PohonRusak(f"rantai {rantai}: simpul Merkle tersimpan tidak lengkap")
    return [ada[k] for k in kunci]


def tumbuhkan(rantai: str, dari: int, sampai: int, frontier: list[bytes], *, model=AuditEvent):
    """Grow the frontier of size `dari` leaf by leaf to `sampai`; return it and the closed nodes ≥ level 4."""
    baru = []
    for i, daun in enumerate(daun_rentang(rantai, dari, sampai, model=model), start=dari):
        frontier, selesai = merkle.frontier_tambah(frontier, i, daun)
        baru += [(h, j, x) for h, j, x in selesai if h >= TINGKAT_SIMPAN]
    return frontier, baru


def simpul_lengkapi(rantai: str, sampai: int) -> tuple[list[bytes], int]:
    """Store the complete subtrees of leaves up to `sampai`; return the frontier at `sampai` and rows added.

    Reads only the events after the stored part (those since the last run, plus at most 15).
    """
    m = tersimpan_sampai(rantai)
    if m > sampai:
        raise PohonRusak(f"rantai {rantai}: simpul tersimpan sampai {m}, melebihi ukuran {sampai}")
    frontier, baru = tumbuhkan(rantai, m, sampai, frontier_tersimpan(rantai, m))
    SimpulMerkle.objects.bulk_create(
        [SimpulMerkle(rantai=rantai, tingkat=h, indeks=j, hash=x.hex()) for h, j, x in baru],
        batch_size=1000, ignore_conflicts=True,  # two checkpoint runs at once write the same rows
    )
    return frontier, len(baru)


def akar_kepala(kepala: RantaiAudit) -> bytes:
    return merkle.akar_frontier(frontier_baca(kepala.frontier))


# --- proofs ----------------------------------------------------------------------------------------

def _hash_rentang_banyak(rantai: str, rentang: list[tuple[int, int]]) -> list[bytes]:
    """Hashes of the ranges a proof names: stored nodes where they exist, events below them.

    Two queries whatever the size: one for the stored nodes, one for the events of the
    small subtrees (fewer than 16 leaves each) and of any part not yet stored.
    """
    m = tersimpan_sampai(rantai)
    potong = [merkle.rentang_lengkap(a, b) for a, b in rentang]
    dari_simpul, dari_daun = set(), []
    for bagian in potong:
        for h, i, lebar in bagian:
            if h >= TINGKAT_SIMPAN and (i + 1) * lebar <= m:
                dari_simpul.add((h, i))
            else:
                dari_daun.append((i * lebar, (i + 1) * lebar))
    simpul = _simpul(rantai, dari_simpul)
    if len(simpul) != len(dari_simpul):
        raise PohonRusak(f"rantai {rantai}: simpul Merkle tersimpan tidak lengkap")
    daun = {}
    if dari_daun:
        urutan = sorted({k + 1 for a, b in dari_daun for k in range(a, b)})
        for e in AuditEvent.objects.filter(rantai=rantai, urutan__in=urutan):
            daun[e.urutan - 1] = daun_event(e)
    hasil = []
    for bagian in potong:
        hash_bagian = []
        for h, i, lebar in bagian:
            if (h, i) in simpul:
                hash_bagian.append(simpul[(h, i)])
            else:
                try:
                    hash_bagian.append(merkle.akar_dari_daun([daun[k] for k in range(i * lebar, (i + 1) * lebar)]))
                except KeyError as exc:
                    raise PohonRusak(f"rantai {rantai}: kejadian urutan {exc.args[0] + 1} tidak ada") from exc
        akar = hash_bagian[-1]
        for kiri in reversed(hash_bagian[:-1]):
            akar = merkle.hash_simpul(kiri, akar)
        hasil.append(akar)
    return hasil


def akar_pada(rantai: str, ukuran: int) -> bytes:
    """Root of the chain's tree at `ukuran` leaves, from stored nodes and at most 15 events."""
    if ukuran == 0:
        return merkle.AKAR_KOSONG
    frontier = _hash_rentang_banyak(rantai, merkle.frontier_rentang(ukuran))
    return merkle.akar_frontier(frontier)


def bukti_inklusi(rantai: str, indeks: int, ukuran: int) -> list[bytes]:
    return _hash_rentang_banyak(rantai, merkle.jalur_inklusi(indeks, ukuran))


def bukti_konsistensi(rantai: str, lama: int, baru: int) -> list[bytes]:
    if lama == baru:
        return []
    return _hash_rentang_banyak(rantai, merkle.jalur_konsistensi(lama, baru))


def bangun_ulang(rantai: str, *, model=AuditEvent, model_simpul=SimpulMerkle, model_kepala=RantaiAudit) -> int:
    """Build a chain's tree from its events (the migration that introduced trees; nothing else).

    Sets the head's frontier and stores every complete subtree of 16 leaves and up.
    """
    kepala = model_kepala.objects.get(kunci=rantai)
    frontier, baru = tumbuhkan(rantai, 0, kepala.urutan, [], model=model)
    model_simpul.objects.bulk_create(
        [model_simpul(rantai=rantai, tingkat=h, indeks=j, hash=x.hex()) for h, j, x in baru], batch_size=1000)
    model_kepala.objects.filter(kunci=rantai).update(frontier="".join(x.hex() for x in frontier))
    return kepala.urutan
