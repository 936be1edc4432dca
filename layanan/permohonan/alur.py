"""Who may take which action from which state: the one table DESIGN.md's
lifecycle is built from. The FSM methods on Permohonan guard state; this
table adds the role."""

from kelurahan.models import Peran
from layanan.models import Layanan, Status

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

# Whose turn it is: the states that wait on each desk role (the worklist's "perlu tindakan saya").
# Not every state a role may act from: a clerk may reject a request left in perlu_perbaikan, but it
# waits on the resident, not on the clerk.
GILIRAN = {
    PK: {Status.DIAJUKAN},
    Peran.LURAH: {Status.DIVERIFIKASI},
    PKC: {Status.DITERUSKAN_KECAMATAN},
    Peran.CAMAT: {Status.DIVERIFIKASI_KECAMATAN},
}

SEMUA_AKSI = sorted({aksi for aksi, _ in ATURAN})
AKSI_BUTUH_CATATAN = {"minta_perbaikan", "kembalikan", "tolak"}

# Segregation of duties: at the decision stage after a verification, the officer recorded as
# its verifier may take none of these actions (approve nor reject). Key: (aksi, state the request
# is in); value: the field naming the verifier. Services and the desk's action list read only this.
PEMISAHAN_TUGAS = {
    ("setujui", Status.DIVERIFIKASI): "verifikator_kelurahan_id",
    ("tolak", Status.DIVERIFIKASI): "verifikator_kelurahan_id",
    ("setujui_camat", Status.DIVERIFIKASI_KECAMATAN): "verifikator_kecamatan_id",
    ("tolak", Status.DIVERIFIKASI_KECAMATAN): "verifikator_kecamatan_id",
}


def dilarang_pemisahan_tugas(aksi: str, permohonan, pengguna) -> bool:
    """True when `pengguna` verified this request and `aksi` would let them decide on it too."""
    kolom = PEMISAHAN_TUGAS.get((aksi, permohonan.status))
    return bool(kolom) and getattr(permohonan, kolom) == pengguna.pk


def peran_untuk_aksi(aksi: str) -> set[str]:
    return {peran for (a, peran) in ATURAN if a == aksi}


def boleh_sekarang(aksi: str, peran: set[str], status: str) -> bool:
    return any(status in ATURAN.get((aksi, p), ()) for p in peran)


def menerbitkan_surat(aksi: str, permohonan) -> bool:
    """Whether this action ends the request in `selesai`, so a letter is issued and signed: the camat's
    approval, or the lurah's for a kelurahan-level service (for a kecamatan-level one it forwards)."""
    return aksi == "setujui_camat" or (aksi == "setujui" and permohonan.layanan.tingkat == Layanan.Tingkat.KELURAHAN)
