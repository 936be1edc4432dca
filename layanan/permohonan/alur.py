"""Who may take which action from which state: the one table DESIGN.md's
lifecycle is built from. The FSM methods on Permohonan guard state; this
table adds the role."""

from kelurahan.models import Peran
from layanan.models import Status

PK = Peran.PETUGAS_KELURAHAN
PKC = Peran.PETUGAS_KECAMATAN

# (aksi, peran) -> states from which that role may take that action now.
ATURAN = {
    ("verifikasi", PK): {Status.DIAJUKAN},
    ("minta_perbaikan", PK): {Status.DIAJUKAN},
    ("minta_perbaikan", PKC): {Status.DITERUSKAN_KECAMATAN},
    ("ajukan_ulang", Peran.WARGA): {Status.PERLU_PERBAIKAN},
    ("batalkan", Peran.WARGA): {Status.DIAJUKAN, Status.PERLU_PERBAIKAN},
    ("setujui", Peran.LURAH): {Status.DIVERIFIKASI},
    ("verifikasi_kecamatan", PKC): {Status.DITERUSKAN_KECAMATAN},
    ("kembalikan", PKC): {Status.DITERUSKAN_KECAMATAN, Status.DIVERIFIKASI_KECAMATAN},
    ("kembalikan", Peran.CAMAT): {Status.DITERUSKAN_KECAMATAN, Status.DIVERIFIKASI_KECAMATAN},
    ("setujui_camat", Peran.CAMAT): {Status.DIVERIFIKASI_KECAMATAN},
    # tolak: the officer whose turn it is.
    ("tolak", PK): {Status.DIAJUKAN, Status.PERLU_PERBAIKAN},
    ("tolak", Peran.LURAH): {Status.DIVERIFIKASI},
    ("tolak", PKC): {Status.DITERUSKAN_KECAMATAN},
    ("tolak", Peran.CAMAT): {Status.DIVERIFIKASI_KECAMATAN},
}

SEMUA_AKSI = sorted({aksi for aksi, _ in ATURAN})
AKSI_BUTUH_CATATAN = {"minta_perbaikan", "kembalikan", "tolak"}

# Segregation of duties: the officer recorded in this field may not take this action.
PEMISAHAN_TUGAS = {
    "setujui": "verifikator_kelurahan_id",
    "setujui_camat": "verifikator_kecamatan_id",
}


def peran_untuk_aksi(aksi: str) -> set[str]:
    return {peran for (a, peran) in ATURAN if a == aksi}


def boleh_sekarang(aksi: str, peran: set[str], status: str) -> bool:
    return any(status in ATURAN.get((aksi, p), ()) for p in peran)
