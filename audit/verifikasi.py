"""Verifying a chain against everything that vouches for it, in one pass over its events.

One walk per chain checks: each event's link and hash (the hash chain); the Merkle tree rebuilt
from the events against the stored subtree nodes, the head's frontier, every stored checkpoint
(signature by a key of the ring, root at its size) and any checkpoint a witness kept
(`saksi`: a saved answer of /api/v1/audit/checkpoint/ or a digest's figures). Only the last
is beyond an insider's reach: whoever can write the database can rewrite events, nodes, heads
and the checkpoint table together, but not the copies outside it.
"""

import hashlib
import json
from dataclasses import dataclass, field

from audit import checkpoint as cp_mod
from audit import merkle
from audit.models import GENESIS_HASH, AuditEvent, Checkpoint, RantaiAudit, SimpulMerkle
from audit.pohon import TINGKAT_SIMPAN, tersimpan_sampai
from audit.rantai import data_daun, frontier_baca, isi_event
from audit.selectors import HasilVerifikasi, semua_rantai


@dataclass
class Saksi:
    """A checkpoint kept outside the database: full (signed text) or a digest's figures (root prefix)."""

    rantai: str
    ukuran: int
    akar: str  # hex, the whole root or at least its first 16 characters
    teks: str = ""
    tanda_tangan: str = ""
    kunci_publik: str = ""

    def cocok(self, akar: bytes) -> bool:
        return akar.hex().startswith(self.akar.lower())


@dataclass
class HasilPohon:
    rantai: str
    jumlah: int = 0
    masalah: list[str] = field(default_factory=list)
    event_rusak_id: int | None = None

    @property
    def utuh(self) -> bool:
        return not self.masalah

    def sebagai_hasil(self) -> HasilVerifikasi:
        return HasilVerifikasi(self.rantai, self.jumlah, self.utuh, self.event_rusak_id,
                               "; ".join(self.masalah)[:255])


class BerkasSaksiTidakSah(ValueError):
    pass


def baca_saksi(isi: str) -> list[Saksi]:
    """A saved /api/v1/audit/checkpoint/ answer (JSON), or a digest's "<chain> <size> <root hex or prefix>"."""
    isi = isi.strip()
    if isi.startswith("{"):
        try:
            data = json.loads(isi)
            hasil = []
            for c in data["checkpoint"]:
                s = Saksi(rantai=str(c["rantai"]), ukuran=int(c["ukuran"]), akar=str(c["akar"]).lower(),
                          teks=c.get("teks", ""), tanda_tangan=c.get("tanda_tangan", ""),
                          kunci_publik=c.get("kunci_publik") or data.get("kunci_publik", ""))
                hasil.append(s)
        except (ValueError, KeyError, TypeError) as exc:
            raise BerkasSaksiTidakSah(f"berkas checkpoint tidak terbaca: {exc}") from exc
    else:
        # A digest's figures: "<chain> <size> <root prefix>" per line, or several on one line separated
        # by ";" as the WhatsApp digest writes them, after an optional label ending in ":".
        hasil = []
        for nomor, baris in enumerate(isi.splitlines(), start=1):
            if baris.strip().startswith("#"):
                continue
            for potong in baris.split(";"):
                potong = potong.rsplit(":", 1)[-1].strip().rstrip(".")
                if not potong:
                    continue
                bagian = potong.split()
                if len(bagian) != 3 or not bagian[1].isdigit():
                    raise BerkasSaksiTidakSah(f"baris {nomor}: tulis '<rantai> <ukuran> <akar>'")
                hasil.append(Saksi(rantai=bagian[0], ukuran=int(bagian[1]), akar=bagian[2].lower()))
    for s in hasil:
        if len(s.akar) < 16 or any(ch not in "0123456789abcdef" for ch in s.akar):
            raise BerkasSaksiTidakSah(f"rantai {s.rantai}: akar harus heksadesimal, paling sedikit 16 karakter")
    return hasil


def _periksa_saksi_sendiri(s: Saksi) -> str | None:
    """A full checkpoint in the file must carry a valid signature over text that says what its fields say."""
    if not s.teks:
        return None
    try:
        _asal, ukuran, akar = cp_mod.baca_teks(s.teks)
        publik = cp_mod.b64_baca(s.kunci_publik)
    except ValueError as exc:
        return f"checkpoint dalam berkas tidak terbaca ({exc})"
    if ukuran != s.ukuran or not akar.hex().startswith(s.akar):
        return "teks checkpoint dalam berkas tidak sama dengan ukuran/akarnya"
    if not cp_mod.tanda_tangan_sah(teks=s.teks, tanda_tangan=s.tanda_tangan, publik=publik):
        return "tanda tangan checkpoint dalam berkas tidak sah"
    return None


def verifikasi_pohon(rantai: str, *, saksi: list[Saksi] = (), ukuran_batch: int = 5000) -> HasilPohon:
    """Walk one chain once: links, hashes, Merkle nodes, head, stored checkpoints and the witnesses' copies."""
    hasil = HasilPohon(rantai)
    tersimpan = {cp.ukuran: cp for cp in Checkpoint.objects.filter(rantai=rantai)}
    dari_saksi: dict[int, list[Saksi]] = {}
    for s in saksi:
        masalah = _periksa_saksi_sendiri(s)
        if masalah:
            hasil.masalah.append(f"rantai {rantai} ukuran {s.ukuran}: {masalah}")
        dari_saksi.setdefault(s.ukuran, []).append(s)
    cincin = cp_mod.cincin_mentah()
    simpul_batas = tersimpan_sampai(rantai)
    simpul = {(h, i): x for h, i, x in SimpulMerkle.objects.filter(rantai=rantai).values_list("tingkat", "indeks", "hash")}
    ukuran_dicari = set(tersimpan) | set(dari_saksi)
    akar_pada: dict[int, bytes] = {0: merkle.AKAR_KOSONG}

    sebelum, frontier, posisi = GENESIS_HASH, [], 0
    rantai_putus = False
    for e in AuditEvent.objects.filter(rantai=rantai).order_by("urutan").iterator(chunk_size=ukuran_batch):
        if not rantai_putus:
            alasan = None
            if e.urutan != posisi + 1:
                alasan = f"urutan {e.urutan}, seharusnya {posisi + 1}"
            elif e.hash_sebelum != sebelum:
                alasan = "hash_sebelum tidak menyambung"
            data = data_daun(hash_sebelum=e.hash_sebelum, isi=isi_event(e))
            if alasan is None and hashlib.sha256(data).hexdigest() != e.hash:
                alasan = "isi tidak cocok dengan hash"
            if alasan:
                rantai_putus = True
                hasil.event_rusak_id = e.pk
                hasil.masalah.append(f"kejadian id={e.pk} ({alasan}) setelah {posisi} kejadian utuh")
        else:
            data = data_daun(hash_sebelum=e.hash_sebelum, isi=isi_event(e))
        sebelum = e.hash
        frontier, selesai = merkle.frontier_tambah(frontier, posisi, merkle.hash_daun(data))
        posisi += 1
        for h, i, x in selesai:
            if h < TINGKAT_SIMPAN:
                continue
            ada = simpul.pop((h, i), None)
            if ada is None and (i + 1) << h <= simpul_batas:
                hasil.masalah.append(f"simpul Merkle tingkat {h} indeks {i} hilang")
            elif ada is not None and ada != x.hex():
                hasil.masalah.append(f"simpul Merkle tingkat {h} indeks {i} berbeda dari kejadian")
        if posisi in ukuran_dicari:
            akar_pada[posisi] = merkle.akar_frontier(frontier)
    hasil.jumlah = posisi
    for (h, i) in sorted(simpul):
        hasil.masalah.append(f"simpul Merkle tingkat {h} indeks {i} tidak sesuai kejadian mana pun")

    kepala = RantaiAudit.objects.filter(kunci=rantai).first()
    if kepala is not None:
        if kepala.urutan != posisi or kepala.hash_terakhir != sebelum:
            hasil.masalah.append(f"kepala rantai di {kepala.urutan}, kejadian {posisi}: ada kejadian yang hilang di ujung")
        elif frontier_baca(kepala.frontier) != frontier:
            hasil.masalah.append("frontier di kepala rantai tidak sama dengan pohon dari kejadian")

    for ukuran, cp in sorted(tersimpan.items()):
        try:
            asal_, ukuran_teks, akar_teks = cp_mod.baca_teks(cp.teks)
            publik = cp_mod.b64_baca(cp.kunci_publik)
        except ValueError as exc:
            hasil.masalah.append(f"checkpoint tersimpan ukuran {ukuran} tidak terbaca ({exc})")
            continue
        if publik not in cincin:
            hasil.masalah.append(f"checkpoint tersimpan ukuran {ukuran} ditandatangani kunci yang tidak dikenal")
        elif not cp_mod.tanda_tangan_sah(teks=cp.teks, tanda_tangan=cp.tanda_tangan, publik=publik):
            hasil.masalah.append(f"checkpoint tersimpan ukuran {ukuran}: tanda tangan tidak sah")
        elif (ukuran_teks, akar_teks.hex()) != (cp.ukuran, cp.akar) or cp.id_kunci != cp_mod.id_kunci(asal_, publik).hex():
            hasil.masalah.append(f"checkpoint tersimpan ukuran {ukuran}: kolomnya tidak sama dengan teks bertanda tangan")
        if ukuran > posisi:
            hasil.masalah.append(f"checkpoint tersimpan ukuran {ukuran}, rantai sekarang hanya {posisi} kejadian")
        elif akar_pada[ukuran].hex() != cp.akar:
            hasil.masalah.append(f"akar pada ukuran {ukuran} tidak sama dengan checkpoint tersimpan")

    for ukuran, daftar in sorted(dari_saksi.items()):
        for s in daftar:
            if ukuran > posisi:
                hasil.masalah.append(f"checkpoint saksi ukuran {ukuran}, rantai sekarang hanya {posisi} kejadian")
            elif not s.cocok(akar_pada[ukuran]):
                hasil.masalah.append(f"akar pada ukuran {ukuran} tidak sama dengan checkpoint saksi "
                                     f"({s.akar[:16]}…, sekarang {akar_pada[ukuran].hex()[:16]}…)")
    return hasil


def semua_rantai_pohon() -> list[str]:
    """Every chain with a head, an event or a checkpoint (a chain whose events were all deleted still counts)."""
    return sorted(set(semua_rantai()) | set(Checkpoint.objects.values_list("rantai", flat=True).distinct()))
