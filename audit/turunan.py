"""Registry of the tables derived from the ledger, and of the checkers that hold them to it.

The ledger imports no other app, yet `audit_verify` must recompute every table built from the
chain (request rollups, survey and complaint rows) and report each row that differs. The app
that owns such a table registers a checker at start-up (`AppConfig.ready`):

    audit.turunan.daftarkan("ringkasan", ringkasan_selisih)

A checker takes no argument and yields `Selisih`, one per differing row, each naming the chain
whose events the row should follow. An empty registry checks nothing and says so.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Selisih:
    rantai: str
    tabel: str
    baris: str
    keterangan: str

    def __str__(self):
        return f"rantai {self.rantai}: {self.tabel} {self.baris}: {self.keterangan}"


_pemeriksa: dict[str, Callable[[], Iterable[Selisih]]] = {}


def daftarkan(nama: str, pemeriksa: Callable[[], Iterable[Selisih]]) -> None:
    """Register (or replace) the checker of one derived table."""
    _pemeriksa[nama] = pemeriksa


def lepaskan(nama: str) -> None:
    _pemeriksa.pop(nama, None)


def terdaftar() -> list[str]:
    return sorted(_pemeriksa)


def periksa_semua() -> dict[str, list[Selisih]]:
    """{checker name: differing rows} for every registered checker, in name order."""
    return {nama: list(_pemeriksa[nama]()) for nama in sorted(_pemeriksa)}
