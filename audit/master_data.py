"""Ledger entries for master-data changes (catalogue, offices, officers, calendar, regions).

Generic on purpose: the caller passes any model instance, so `audit` still
imports no other app's models.
"""

from audit.models import AuditEvent
from audit.services import RANTAI_SISTEM, audit_catat

# Never copied into the ledger, whatever model they sit on.
BIDANG_RAHASIA = ("password", "token", "secret", "kunci")


def _aman(nama_bidang: str) -> bool:
    return not any(kata in nama_bidang.lower() for kata in BIDANG_RAHASIA)


def tanpa_rahasia(nilai: dict) -> dict:
    return {k: v for k, v in nilai.items() if _aman(k)}


def perubahan_bidang(lama: dict, baru: dict) -> dict:
    """{field: [old, new]} for the fields whose value differs, secrets left out."""
    return {
        nama: [lama.get(nama), nilai]
        for nama, nilai in baru.items()
        if _aman(nama) and lama.get(nama) != nilai
    }


def audit_master_data(*, aksi: str, objek, perubahan: dict | None = None, aktor=None, peran: str = "", data: dict | None = None):
    """One event on chain "sistem": who changed which record, and each changed field old -> new."""
    isi = {"model": objek._meta.label_lower, "nama": str(objek)[:200]}
    if perubahan:
        isi["perubahan"] = {k: v for k, v in perubahan.items() if _aman(k)}
    if data:
        isi.update(data)
    return audit_catat(
        rantai=RANTAI_SISTEM,
        kategori=AuditEvent.Kategori.MASTER_DATA,
        aksi=aksi,
        aktor=aktor,
        peran=peran or ("admin" if getattr(aktor, "is_superuser", False) else ""),
        objek_tipe=objek._meta.label_lower,
        objek_id=objek.pk if objek.pk is not None else "",
        data=isi,
    )
