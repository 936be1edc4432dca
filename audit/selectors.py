"""Reads of the audit ledger."""

from dataclasses import dataclass

from django.db.models import Max, Q

from audit.models import GENESIS_HASH, AuditEvent, Checkpoint, RantaiAudit
from audit.rantai import hitung_hash, isi_event


@dataclass
class HasilVerifikasi:
    rantai: str
    jumlah: int
    utuh: bool
    event_rusak_id: int | None = None
    alasan: str = ""


def rantai_verifikasi(rantai: str, *, ukuran_batch: int = 5000) -> HasilVerifikasi:
    """Walk one chain in order and report the first event whose link or hash does not hold."""
    sebelum = GENESIS_HASH
    urutan_harap = 1
    jumlah = 0
    qs = AuditEvent.objects.filter(rantai=rantai).order_by("urutan")
    for event in qs.iterator(chunk_size=ukuran_batch):
        jumlah += 1
        if event.urutan != urutan_harap:
            return HasilVerifikasi(rantai, jumlah, False, event.pk, f"urutan {event.urutan}, seharusnya {urutan_harap}")
        if event.hash_sebelum != sebelum:
            return HasilVerifikasi(rantai, jumlah, False, event.pk, "hash_sebelum tidak menyambung")
        if hitung_hash(hash_sebelum=event.hash_sebelum, isi=isi_event(event)) != event.hash:
            return HasilVerifikasi(rantai, jumlah, False, event.pk, "isi tidak cocok dengan hash")
        sebelum = event.hash
        urutan_harap += 1
    kepala = RantaiAudit.objects.filter(kunci=rantai).first()
    if kepala is not None and (kepala.urutan != urutan_harap - 1 or kepala.hash_terakhir != sebelum):
        return HasilVerifikasi(rantai, jumlah, False, None, "kepala rantai tidak cocok: ada kejadian yang hilang di ujung")
    return HasilVerifikasi(rantai, jumlah, True)


def semua_rantai() -> list[str]:
    kunci = set(RantaiAudit.objects.values_list("kunci", flat=True))
    kunci |= set(AuditEvent.objects.values_list("rantai", flat=True).distinct())
    return sorted(kunci)


def riwayat_objek(objek_tipe: str, objek_id, *, kategori: str | None = None):
    qs = AuditEvent.objects.filter(objek_tipe=objek_tipe, objek_id=str(objek_id))
    if kategori:
        qs = qs.filter(kategori=kategori)
    return qs.order_by("waktu", "id")


# --- checkpoints and proofs (public: hashes, sizes and signatures only) ----------------------------

def checkpoint_terbaru() -> list:
    """The latest signed checkpoint of every chain, in chain order."""
    ukuran = dict(Checkpoint.objects.values("rantai").annotate(m=Max("ukuran")).values_list("rantai", "m"))
    if not ukuran:
        return []
    saring = Q()
    for rantai, m in ukuran.items():
        saring |= Q(rantai=rantai, ukuran=m)
    return list(Checkpoint.objects.filter(saring).order_by("rantai"))


def checkpoint_rantai(rantai: str, *, ukuran: int | None = None):
    """The chain's checkpoint at `ukuran`, or its latest; None when there is none."""
    qs = Checkpoint.objects.filter(rantai=rantai)
    if ukuran is not None:
        return qs.filter(ukuran=ukuran).first()
    return qs.order_by("-ukuran").first()


def event_dari_hash(hash_event: str) -> AuditEvent | None:
    """The event with this chain hash, found through the index every chain already has.

    No index on `hash` itself (it would cost every append): the event after it names it in
    `hash_sebelum` (unique per chain), and the head names the last one.
    """
    rantai = list(RantaiAudit.objects.values_list("kunci", flat=True))
    letak = list(AuditEvent.objects.filter(rantai__in=rantai, hash_sebelum=hash_event)
                 .values_list("rantai", "urutan")[:2])
    calon = [(r, u - 1) for r, u in letak]
    calon += list(RantaiAudit.objects.filter(hash_terakhir=hash_event).values_list("kunci", "urutan"))
    for r, u in calon:
        event = AuditEvent.objects.filter(rantai=r, urutan=u, hash=hash_event).first()
        if event is not None:
            return event
    return None


class BuktiBelumAda(Exception):
    """No signed checkpoint covers the event yet (or the size asked for is beyond the chain)."""


def bukti_inklusi_event(event: AuditEvent, *, ukuran: int | None = None) -> dict:
    """Inclusion proof of one event in its chain's tree at `ukuran` (default: the latest checkpoint).

    Only hashes: the event's chain hash, its leaf hash, the sibling hashes, the root and the
    signed checkpoint of that size when there is one; nothing of the event's content.
    """
    from audit import checkpoint as cp_mod
    from audit import pohon

    kepala = RantaiAudit.objects.get(kunci=event.rantai)
    cp = checkpoint_rantai(event.rantai, ukuran=ukuran)
    if ukuran is None:
        if cp is None or cp.ukuran < event.urutan:
            raise BuktiBelumAda()
        ukuran = cp.ukuran
    if not event.urutan <= ukuran <= kepala.urutan:
        raise BuktiBelumAda()
    bukti = pohon.bukti_inklusi(event.rantai, event.urutan - 1, ukuran)
    return {
        "rantai": event.rantai, "urutan": event.urutan, "indeks": event.urutan - 1, "ukuran": ukuran,
        "hash": event.hash, "hash_daun": pohon.daun_event(event).hex(), "bukti": [b.hex() for b in bukti],
        "akar": cp.akar if cp is not None else pohon.akar_pada(event.rantai, ukuran).hex(),
        "checkpoint": cp_mod.sebagai_json(cp) if cp is not None else None,
    }


def bukti_konsistensi_rantai(rantai: str, *, dari: int, ke: int | None = None) -> dict:
    """Consistency proof between two sizes of a chain (default `ke`: the latest checkpoint)."""
    from audit import checkpoint as cp_mod
    from audit import pohon

    kepala = RantaiAudit.objects.filter(kunci=rantai).first()
    cp = checkpoint_rantai(rantai, ukuran=ke)
    if ke is None:
        if cp is None:
            raise BuktiBelumAda()
        ke = cp.ukuran
    if kepala is None or not 1 <= dari <= ke <= kepala.urutan:
        raise BuktiBelumAda()
    return {
        "rantai": rantai, "dari": dari, "ke": ke,
        "akar_dari": pohon.akar_pada(rantai, dari).hex(),
        "akar_ke": cp.akar if cp is not None else pohon.akar_pada(rantai, ke).hex(),
        "bukti": [b.hex() for b in pohon.bukti_konsistensi(rantai, dari, ke)],
        "checkpoint": cp_mod.sebagai_json(cp) if cp is not None else None,
    }


def bukti_objek(objek_tipe: str, objek_id, *, aksi: tuple[str, ...] = ()) -> dict | None:
    """The first event recorded for an object (of one of `aksi`, if given), with its inclusion proof in
    the latest signed checkpoint, checked here against the root and the signature (key ring).

    None when no such event exists; `bukti` is None while no checkpoint covers it yet. What a page
    shows to say "this was written in the ledger, and the ledger's signed tree contains it".
    """
    from audit import checkpoint as cp_mod
    from audit import merkle

    qs = riwayat_objek(objek_tipe, objek_id)
    if aksi:
        qs = qs.filter(aksi__in=aksi)
    event = qs.first()
    if event is None:
        return None
    hasil = {"event": event, "bukti": None, "sah": False}
    try:
        bukti = bukti_inklusi_event(event)
    except BuktiBelumAda:
        return hasil
    cp = bukti["checkpoint"]
    hasil["bukti"] = bukti
    hasil["sah"] = merkle.verifikasi_inklusi(
        indeks=bukti["indeks"], ukuran=bukti["ukuran"], daun=bytes.fromhex(bukti["hash_daun"]),
        bukti=[bytes.fromhex(x) for x in bukti["bukti"]], akar=bytes.fromhex(bukti["akar"]),
    ) and cp_mod.b64_baca(cp["kunci_publik"]) in cp_mod.cincin_mentah() and cp_mod.tanda_tangan_sah(
        teks=cp["teks"], tanda_tangan=cp["tanda_tangan"], publik=cp_mod.b64_baca(cp["kunci_publik"]))
    return hasil


def ringkas_checkpoint(cp) -> str:
    """'<chain> <size> <first 16 hex of the root>': what a digest carries and `audit_verify --checkpoint` reads."""
    return f"{cp.rantai} {cp.ukuran} {cp.akar[:16]}"
