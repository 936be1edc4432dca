"""Projections that follow every append, inside the appending transaction.

The ledger imports no other app; an app that keeps a table derived from the events
(the indicators' per-request rollup) registers here from its AppConfig.ready, so the
derived row commits with its event or not at all."""

_pendengar: list = []


def daftarkan(fungsi):
    """Call `fungsi(events)` after each append, in the same transaction. Registering twice is a no-op."""
    if fungsi not in _pendengar:
        _pendengar.append(fungsi)
    return fungsi


def setelah_catat(events: list):
    for fungsi in _pendengar:
        fungsi(events)
