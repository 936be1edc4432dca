"""The tables integritas derives from the ledger, held to it by `audit_verify` (registered in apps.py).

Each checker recomputes its table from the chain's events and yields one `Selisih` per row that
differs, naming the chain the row should follow. What the ledger deliberately does not carry is
not checked: a survey's free-text suggestion and amount asked, a complaint's text and contact
(kept out of the chain to protect complainants).
"""

from collections import Counter

from django.utils.dateparse import parse_datetime

from audit.models import AuditEvent
from audit.turunan import Selisih
from integritas.ikm import ITEM_IPAK, ITEM_IPKP, UNSUR_IKM
from integritas.indikator import kode_induk, ringkasan_hitung
from integritas.models import Pengaduan, PermohonanRingkas, Survei
from integritas.services import RANTAI_PENGADUAN, RANTAI_SURVEI

BATCH = 5000


def _waktu(teks):
    return parse_datetime(teks) if teks else None


def ringkasan_selisih():
    """The per-request rollup against the transition events, replayed in memory by the same rule."""
    tabel = PermohonanRingkas._meta.db_table
    harap, rantai = {}, {}
    qs = AuditEvent.objects.filter(kategori=AuditEvent.Kategori.TRANSISI, objek_tipe="permohonan").order_by("id")
    for e in qs.iterator(chunk_size=BATCH):
        pid = int(e.objek_id)
        harap[pid] = ringkasan_hitung(harap.get(pid), e)
        rantai[pid] = e.rantai
    bidang = [f.attname for f in PermohonanRingkas._meta.concrete_fields]
    for baris in PermohonanRingkas.objects.order_by("pk").iterator(chunk_size=BATCH):
        h = harap.pop(baris.pk, None)
        if h is None:
            yield Selisih(baris.kelurahan, tabel, f"permohonan_id={baris.pk}", "tidak ada kejadian transisinya di rantai")
            continue
        beda = [f"{b} {getattr(baris, b)!r} ≠ {getattr(h, b)!r}" for b in bidang if getattr(baris, b) != getattr(h, b)]
        if beda:
            yield Selisih(rantai[baris.pk], tabel, f"permohonan_id={baris.pk}", "; ".join(beda))
    for pid in sorted(harap):
        yield Selisih(rantai[pid], tabel, f"permohonan_id={pid}", "baris hilang, padahal rantai mencatat transisinya")


def _kunci_survei(kelurahan, layanan, tanggal, ikm, ipak, ipkp, diminta_bayar) -> tuple:
    return (kelurahan, layanan, tanggal, tuple(ikm), tuple(ipak), tuple(ipkp), bool(diminta_bayar))


def survei_selisih():
    """Survey rows against the `survei` chain: rows are anonymous, so as a multiset of their answers."""
    tabel = Survei._meta.db_table
    dari_rantai = Counter()
    for d in (AuditEvent.objects.filter(rantai=RANTAI_SURVEI, kategori=AuditEvent.Kategori.SURVEI, aksi="isi")
              .values_list("data", flat=True).iterator(chunk_size=BATCH)):
        dari_rantai[_kunci_survei(d.get("kelurahan"), d.get("layanan"), d.get("tanggal"),
                                  [d.get("ikm", {}).get(k) for k in UNSUR_IKM],
                                  [d.get("ipak", {}).get(k) for k in ITEM_IPAK],
                                  [d.get("ipkp", {}).get(k) for k in ITEM_IPKP], d.get("diminta_bayar"))] += 1
    for s in Survei.objects.order_by("pk").iterator(chunk_size=BATCH):
        kunci = _kunci_survei(s.kelurahan, s.layanan, s.tanggal.isoformat(),
                              [getattr(s, f"ikm_{k}") for k in UNSUR_IKM], [getattr(s, f"ipak_{k}") for k in ITEM_IPAK],
                              [getattr(s, f"ipkp_{k}") for k in ITEM_IPKP], s.diminta_bayar)
        if dari_rantai[kunci] > 0 and (s.kecamatan, s.kota) == (kode_induk(s.kelurahan, 3), kode_induk(s.kelurahan, 2)):
            dari_rantai[kunci] -= 1
        else:
            yield Selisih(RANTAI_SURVEI, tabel, f"id={s.pk}", "jawabannya tidak sama dengan kejadian survei mana pun")
    for kunci, sisa in sorted(dari_rantai.items(), key=repr):
        for _ in range(sisa):
            yield Selisih(RANTAI_SURVEI, tabel, f"{kunci[0]} {kunci[2]}",
                          "kejadian survei di rantai tanpa baris yang sama (dihapus atau diubah)")


def pengaduan_selisih():
    """Complaint rows against the `pengaduan` chain: what was received, and the status last recorded."""
    tabel = Pengaduan._meta.db_table
    terima, status = {}, {}
    for kode, aksi, d in (AuditEvent.objects.filter(rantai=RANTAI_PENGADUAN, objek_tipe="pengaduan")
                          .order_by("urutan").values_list("objek_id", "aksi", "data").iterator(chunk_size=BATCH)):
        if aksi == "terima":
            terima[kode] = d
        status[kode] = d.get("ke")
    for p in Pengaduan.objects.order_by("pk").iterator(chunk_size=BATCH):
        d = terima.pop(p.kode_lacak, None)
        if d is None:
            yield Selisih(RANTAI_PENGADUAN, tabel, p.kode_lacak, "tidak ada kejadian penerimaannya di rantai")
            continue
        harap = {"kategori": d.get("kategori"), "kelurahan": d.get("kelurahan"), "layanan": d.get("layanan"),
                 "nomor_registrasi": d.get("nomor_registrasi"), "bukti_sha256": d.get("bukti_sha256"),
                 "tenggat_tanggapan": _waktu(d.get("tenggat_tanggapan")), "tenggat_selesai": _waktu(d.get("tenggat_selesai")),
                 "status": status.get(p.kode_lacak)}
        ada = {"kategori": p.kategori, "kelurahan": p.kelurahan, "layanan": p.layanan,
               "nomor_registrasi": p.nomor_registrasi, "bukti_sha256": p.bukti_sha256,
               "tenggat_tanggapan": p.tenggat_tanggapan, "tenggat_selesai": p.tenggat_selesai,
               "status": p.status}
        beda = [f"{k} {ada[k]!r} ≠ {harap[k]!r}" for k in harap if ada[k] != harap[k]]
        if beda:
            yield Selisih(RANTAI_PENGADUAN, tabel, p.kode_lacak, "; ".join(beda))
    for kode in sorted(terima):
        yield Selisih(RANTAI_PENGADUAN, tabel, kode, "baris hilang, padahal rantai mencatat penerimaannya")
