"""A Redis cache whose outage degrades a request instead of failing it.

Everything Simpatik keeps in the cache can be recomputed or safely skipped:
calendar version tokens (without one, calendars are rebuilt from the
database), rate-limit counters of public pages (without one, the request is
let through), the relay's send-rate window. So on a Redis error a read answers
its default and a write is dropped, with one warning; for `CACHE_JEDA_DETIK`
after an error the cache is not tried at all, so a Redis that hangs costs one
timeout, not one per call. Whatever must refuse when it cannot count (the
sign-in code limits, layanan/batas_laju.py) uses the plain alias `ketat`,
which raises.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

log = logging.getLogger("simpatik.cache")

GALAT_REDIS: tuple[type[BaseException], ...] = (OSError,)
try:
    import redis

    GALAT_REDIS = (redis.exceptions.RedisError, OSError)
except ImportError:  # pragma: no cover - redis is a requirement
    pass


class KlienTetap(RedisCacheClient):
    """Django's Redis client, keeping one `redis.Redis` per connection pool instead of building one per call.

    redis-py's constructor copies its ~170 response callbacks (upper-casing each name): 0.15-0.25 ms of CPU
    on every cache call, five of them in a submission (issue 22). The object holds nothing but its pool,
    which Django already kept per process, and is safe to share between threads; the pool itself
    reconnects after a fork."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._klien = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # Django keeps each pool for the process's life
        klien = self._klien.get(pool)
        if klien is None:
            klien = self._klien[pool] = self._client(connection_pool=pool)
        return klien


class RedisCepat(RedisCache):
    """Django's RedisCache with `KlienTetap`: errors raise (the `ketat` alias)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KlienTetap


class RedisTahanGangguan(RedisCepat):
    """Django's RedisCache; on a Redis error answers the default, logs once, and pauses briefly."""

    def __init__(self, server, params):
        params = dict(params)
        opsi = dict(params.get("OPTIONS") or {})
        self.jeda_detik = float(opsi.pop("jeda_detik", 5.0))
        params["OPTIONS"] = opsi
        super().__init__(server, params)
        self._mati_sampai = 0.0
        self._kunci = threading.Lock()

    @property
    def tersedia(self) -> bool:
        """False while the cache is paused after an error."""
        return time.monotonic() >= self._mati_sampai

    def _coba(self, fungsi, cadangan, *args, **kwargs):
        if not self.tersedia:
            return cadangan
        try:
            hasil = fungsi(*args, **kwargs)
        except GALAT_REDIS as exc:
            with self._kunci:
                if self.tersedia:
                    log.warning("cache tidak terjangkau (%s: %s); jalan tanpa cache %.0f detik",
                                type(exc).__name__, exc, self.jeda_detik)
                self._mati_sampai = time.monotonic() + self.jeda_detik
            return cadangan
        return hasil

    def get(self, key, default=None, version=None):
        return self._coba(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._coba(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._coba(super().has_key, False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._coba(super().add, False, key, value, timeout, version)

    def add_atau_none(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        """`add`, but None (not False) when Redis cannot answer: "someone holds the key" and "nobody can tell"
        call for opposite acts (notifikasi/serah.py: ketuk)."""
        return self._coba(super().add, None, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._coba(super().set, None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._coba(super().set_many, list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._coba(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._coba(super().delete, False, key, version)

    def delete_many(self, keys, version=None):
        return self._coba(super().delete_many, None, keys, version)

    def incr(self, key, delta=1, version=None):
        # Unreachable counter: as if it started now (the caller's window lets this one through).
        return self._coba(super().incr, delta, key, delta, version)

    def clear(self):
        return self._coba(super().clear, False)
