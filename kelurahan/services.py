"""Writes of regions, offices and office calendars."""

import csv
import gzip
import re
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path

from django.db import transaction

from audit.master_data import audit_master_data, perubahan_bidang
from audit.models import AuditEvent
from audit.services import RANTAI_SISTEM, audit_catat
from kelurahan.kalender import JAM_BAWAAN, US
from kelurahan.models import JamLayanan, Kantor, Wilayah

# 11 / 11.01 / 11.01.01 / 11.01.01.2001: two digits per level, four for desa/kelurahan.
POLA_KODE_WILAYAH = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
PANJANG_NAMA_WILAYAH = Wilayah._meta.get_field("nama").max_length

WILAYAH_DASAR = Path(__file__).resolve().parent / "data" / "wilayah_dasar.csv"


@dataclass
class HasilImporWilayah:
    dibuat: int = 0
    diubah: int = 0
    tetap: int = 0
    galat: list[str] = field(default_factory=list)

    @property
    def berhasil(self):
        return not self.galat


class WilayahTidakValid(Exception):
    """The file has bad rows; nothing was imported."""

    def __init__(self, galat: list[str]):
        self.galat = galat
        super().__init__(f"{len(galat)} baris tidak valid")


def wilayah_baca_csv(path) -> list[tuple[int, str, str]]:
    """(line number, kode, nama) of each data row; the header `kode,nama` is line 1."""
    baris = []
    buka = gzip.open if str(path).endswith(".gz") else open
    with buka(path, "rt", newline="", encoding="utf-8-sig") as berkas:
        pembaca = csv.reader(berkas)
        for nomor, kolom in enumerate(pembaca, start=1):
            if nomor == 1 and kolom and kolom[0].strip().lower() == "kode":
                continue
            if not kolom or not any(k.strip() for k in kolom):
                continue  # blank line
            kode = kolom[0].strip()
            nama = kolom[1].strip() if len(kolom) > 1 else ""
            if len(kolom) > 2:
                # A name with an unquoted comma: keep the row but say so.
                nama = None
            baris.append((nomor, kode, nama))
    return baris


def _induk_kode(kode: str) -> str | None:
    return kode.rsplit(".", 1)[0] if "." in kode else None


def _validasi_wilayah(baris, ada: dict[str, str]) -> list[str]:
    galat = []
    dilihat: dict[str, int] = {}
    for nomor, kode, nama in baris:
        if not POLA_KODE_WILAYAH.match(kode):
            galat.append(f"baris {nomor}: kode {kode!r} tidak berformat Kemendagri (mis. 33.75.01.1002)")
            continue
        if kode in dilihat:
            galat.append(f"baris {nomor}: kode {kode} ganda (sudah ada di baris {dilihat[kode]})")
            continue
        dilihat[kode] = nomor
        if nama is None:
            galat.append(f"baris {nomor}: kolom lebih dari dua (nama berkoma harus diapit tanda kutip)")
        elif not nama:
            galat.append(f"baris {nomor}: nama kosong")
        elif len(nama) > PANJANG_NAMA_WILAYAH:
            galat.append(f"baris {nomor}: nama lebih dari {PANJANG_NAMA_WILAYAH} karakter")
    for nomor, kode, _nama in baris:
        induk = _induk_kode(kode) if POLA_KODE_WILAYAH.match(kode) else None
        if induk and induk not in dilihat and induk not in ada:
            galat.append(f"baris {nomor}: induk {induk} dari {kode} tidak ada di berkas maupun di basis data")
    galat.sort(key=lambda pesan: int(pesan.split(":", 1)[0].split()[1]))
    return galat


def wilayah_impor(*, baris, ukuran_batch: int = 2000, aktor=None) -> HasilImporWilayah:
    """Load (line, kode, nama) rows: new codes created, renamed ones updated, the rest untouched.

    Everything is validated first and written in one transaction, so a file with
    one bad row leaves the table exactly as it was (WilayahTidakValid lists every
    bad row). Regions missing from the file are kept: offices and requests point
    at them.
    """
    baris = list(baris)
    ada = dict(Wilayah.objects.values_list("kode", "nama"))
    galat = _validasi_wilayah(baris, ada)
    if galat:
        raise WilayahTidakValid(galat)

    hasil = HasilImporWilayah()
    baru, ganti = [], []
    for _nomor, kode, nama in baris:
        lama = ada.get(kode)
        if lama is None:
            baru.append(Wilayah(kode=kode, nama=nama, tingkat=Wilayah.tingkat_dari_kode(kode), induk_id=_induk_kode(kode)))
        elif lama != nama:
            ganti.append(Wilayah(kode=kode, nama=nama))
        else:
            hasil.tetap += 1
    # Parents before children, so the foreign key holds even where it is checked at once.
    baru.sort(key=lambda w: w.tingkat)
    with transaction.atomic():
        Wilayah.objects.bulk_create(baru, batch_size=ukuran_batch)
        Wilayah.objects.bulk_update(ganti, ["nama"], batch_size=ukuran_batch)
        hasil.dibuat, hasil.diubah = len(baru), len(ganti)
        if baru or ganti:
            audit_catat(
                rantai=RANTAI_SISTEM,
                kategori=AuditEvent.Kategori.MASTER_DATA,
                aksi="impor_wilayah",
                aktor=aktor,
                objek_tipe="kelurahan.wilayah",
                data={
                    "dibuat": hasil.dibuat,
                    "diubah": hasil.diubah,
                    "tetap": hasil.tetap,
                    # Renames are rare and worth seeing in the ledger; new codes are only counted.
                    "nama_diubah": {w.kode: [ada[w.kode], w.nama] for w in ganti[:200]},
                },
            )
    return hasil


def wilayah_impor_csv(*, path, aktor=None) -> HasilImporWilayah:
    return wilayah_impor(baris=wilayah_baca_csv(path), aktor=aktor)


def _jam_dari_us(us: int) -> time:
    menit = us // (60 * US)
    return time(menit // 60, menit % 60)


# The default week of the SLA clock (kelurahan/kalender.py, Perpres 21/2023: 37.5 hours), as rows an
# admin can then edit per office.
JAM_LAYANAN_BAWAAN = [
    (hari, _jam_dari_us(mulai), _jam_dari_us(selesai)) for hari, interval in JAM_BAWAAN.items() for mulai, selesai in interval
]


def jam_layanan_pasang_bawaan(*, kantor: Kantor) -> int:
    """Give an office the default weekly hours, unless it already has its own."""
    if kantor.jam_layanan.exists():
        return 0
    JamLayanan.objects.bulk_create(
        [JamLayanan(kantor=kantor, hari=hari, mulai=mulai, selesai=selesai) for hari, mulai, selesai in JAM_LAYANAN_BAWAAN]
    )
    return len(JAM_LAYANAN_BAWAAN)


def kantor_simpan(*, wilayah_kode: str, data: dict, aktor=None) -> tuple[Kantor, bool]:
    """Create or update the office of one region from a dict of Kantor fields; audited when anything changes."""
    kantor = Kantor.objects.filter(wilayah_id=wilayah_kode).first()
    if kantor is None:
        kantor = Kantor.objects.create(wilayah_id=wilayah_kode, **data)
        audit_master_data(aksi="tambah", objek=kantor, perubahan=perubahan_bidang({}, data), aktor=aktor)
        return kantor, True
    perubahan = perubahan_bidang({k: getattr(kantor, k) for k in data}, data)
    if perubahan:
        for bidang in perubahan:
            setattr(kantor, bidang, data[bidang])
        kantor.save(update_fields=list(perubahan))
        audit_master_data(aksi="ubah", objek=kantor, perubahan=perubahan, aktor=aktor)
    return kantor, False
