"""Where documents kept across a form error are stored and for how long, and the sweep of the expired ones.

The session logic that keeps them lives with the forms (layanan/web/unggahan.py); the sweep is also run by the
nightly retention job (layanan/pdp/retensi.py), which must not depend on the web layer.
"""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

AWALAN = "sementara"
UMUR = timedelta(hours=2)


def sapu_kedaluwarsa(sekarang=None) -> int:
    """Files of sessions that never came back (signed out, gave up): removed once older than UMUR. Returns how
    many were removed (the retention job reports it)."""
    sekarang = sekarang or timezone.now()
    try:
        _, berkas = default_storage.listdir(AWALAN)
    except (OSError, NotImplementedError):
        return 0
    jumlah = 0
    for nama in berkas:
        path = f"{AWALAN}/{nama}"
        try:
            if default_storage.get_modified_time(path) < sekarang - UMUR:
                default_storage.delete(path)
                jumlah += 1
        except (OSError, NotImplementedError):
            continue
    return jumlah
