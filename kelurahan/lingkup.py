"""Scope: which regions an officer covers, and with which role. The one place this is decided.

Every app applies it to its own objects (layanan.permohonan.selectors for requests, integritas for
indicators and complaints), so a rule about who sees what is changed here and nowhere else."""

from django.db import router

from kelurahan.kueri import BarisModel, KueriTetap
from kelurahan.models import Kantor, Penugasan, Peran


def _sql_penugasan(koneksi):
    """`user.penugasan.filter(aktif=True).select_related("kantor")` written as SQL once (kelurahan/kueri.py): it
    runs on every officer request; tests/test_query_budget.py holds the instances equal to the ORM's."""
    baris = BarisModel(koneksi, [(Penugasan, "p"), (Kantor, "k")])
    qn = koneksi.ops.quote_name
    return (
        f"SELECT {baris.kolom} FROM {qn(Penugasan._meta.db_table)} p "
        f"INNER JOIN {qn(Kantor._meta.db_table)} k ON k.{qn(Kantor._meta.pk.column)} = p.{qn('kantor_id')} "
        f"WHERE p.{qn('user_id')} = %s AND p.{qn('aktif')} ORDER BY p.{qn(Penugasan._meta.pk.column)}"
    ), baris


_KUERI_PENUGASAN = KueriTetap(_sql_penugasan)


def penugasan_aktif(user) -> list:
    """The officer's active assignments (role + office), fetched once per user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cache = getattr(user, "_penugasan_cache", None)
    if cache is None:
        cache = []
        for (tugas, kantor), _baris in _KUERI_PENUGASAN.jalankan(router.db_for_read(Penugasan), [user.pk]):
            tugas._state.fields_cache["kantor"] = kantor
            tugas._state.fields_cache["user"] = user  # as the related manager's query links it
            cache.append(tugas)
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
