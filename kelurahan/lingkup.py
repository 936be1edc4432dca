"""Scope: which regions an officer covers, and with which role. The one place this is decided.

Every app applies it to its own objects (layanan.permohonan.selectors for requests, integritas for
indicators and complaints), so a rule about who sees what is changed here and nowhere else."""

from kelurahan.models import Peran


def penugasan_aktif(user) -> list:
    """The officer's active assignments (role + office), fetched once per user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cache = getattr(user, "_penugasan_cache", None)
    if cache is None:
        cache = list(user.penugasan.filter(aktif=True).select_related("kantor"))
        user._penugasan_cache = cache
    return cache


def tanpa_penugasan(user) -> None:
    """For whoever loaded the user together with the fact that it holds no active assignment (the API
    token's query): spares `penugasan_aktif` its query."""
    user._penugasan_cache = []


def adalah_petugas(user) -> bool:
    return bool(penugasan_aktif(user)) or getattr(user, "is_superuser", False)


def wilayah_peran(user, peran_boleh) -> list[str]:
    """Codes of the units the user heads or oversees with one of `peran_boleh`."""
    return [t.kantor.wilayah_id for t in penugasan_aktif(user) if t.peran in peran_boleh]


def inspektorat_wilayah(user) -> list[str]:
    """Codes of the kota/kabupaten the user oversees as inspektorat (empty: none)."""
    return wilayah_peran(user, {Peran.INSPEKTORAT})


def kode_dalam_lingkup(kode: str, akar: list[str]) -> bool:
    """Whether region `kode` is one of `akar` or lies under one of them (codes nest by dots)."""
    return any(kode == a or kode.startswith(a + ".") for a in akar)
