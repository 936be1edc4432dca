"""GET /sehat/: each dependency's state, 200 when all are up, 503 when one is down.

For load balancers and monitoring. Small on purpose: one cheap probe per dependency with a
short timeout, no personal data, error class names only (never a connection string).
"""

import time

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    # The strict alias: the default one hides an outage by design (config/cache.py).
    cache = caches["ketat"]
    cache.set("simpatik:sehat", "1", timeout=30)
    if cache.get("simpatik:sehat") != "1":
        raise RuntimeError("nilai yang ditulis tidak terbaca")


def _broker():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "tidak dipakai (tugas berjalan di proses)"
    from config.celery import app

    with app.connection_for_write() as koneksi:
        koneksi.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    return None


def _penyimpanan():
    default_storage.exists("sehat/penanda")


def _kunci():
    from audit.kunci import kunci_terbaca

    alasan = kunci_terbaca()
    if alasan:
        raise RuntimeError(alasan)


PERIKSA = {"database": _database, "cache": _cache, "broker": _broker, "penyimpanan": _penyimpanan,
           "kunci_tanda_tangan": _kunci}


@never_cache
@require_safe
def sehat(request):
    hasil, semua_baik = {}, True
    for nama, periksa in PERIKSA.items():
        mulai = time.perf_counter()
        try:
            catatan = periksa()
        except Exception as exc:  # noqa: BLE001 - any failure of a dependency is its state, not ours
            semua_baik = False
            hasil[nama] = {"ok": False, "galat": type(exc).__name__}
            if nama == "kunci_tanda_tangan":
                hasil[nama]["galat"] = "kunci tidak ada atau tidak terbaca"
        else:
            hasil[nama] = {"ok": True, **({"catatan": catatan} if catatan else {})}
        hasil[nama]["ms"] = round((time.perf_counter() - mulai) * 1000, 1)
    return JsonResponse({"status": "ok" if semua_baik else "gagal", "komponen": hasil},
                        status=200 if semua_baik else 503)
