"""Rate limits for HTML pages, with the API's rates (settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]).

A page and the API endpoint it mirrors share one bucket per client address
(same DRF cache key), so switching from the JSON API to the HTML form gains a
scraper or a code-guesser nothing.

When the cache is down most limits let requests through (the default cache
degrades, config/cache.py), but the sign-in code limits fail safe: a limiter
that cannot count refuses, so a Redis outage never opens the door to code
guessing or to a flood of paid WhatsApp messages.
"""

import functools
import logging

from django.core.cache import caches
from django.shortcuts import render
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

log = logging.getLogger(__name__)

LINGKUP_KETAT = frozenset({"otp", "masuk"})
TUNGGU_TAK_TERHITUNG = 60  # seconds a client is asked to wait while the counter is unreachable


class _GagalAman:
    """Counting for the scopes in LINGKUP_KETAT goes to the raising cache alias; an error refuses."""

    tak_terhitung = False

    def _hitung(self, lingkup, hitung):
        if lingkup not in LINGKUP_KETAT:
            return hitung()
        self.cache = caches["ketat"]
        try:
            return hitung()
        except Exception as exc:  # noqa: BLE001 - whatever stops the count, the answer is "not now"
            log.warning("batas laju %s tidak bisa menghitung (%s); permintaan ditolak", lingkup, type(exc).__name__)
            self.tak_terhitung = True
            return False

    def wait(self):
        return TUNGGU_TAK_TERHITUNG if self.tak_terhitung else super().wait()


class BatasLaju(_GagalAman, SimpleRateThrottle):
    """One scope of DEFAULT_THROTTLE_RATES per client address, signed in or not."""

    def __init__(self, scope=None):
        if scope:
            self.scope = scope
        super().__init__()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view):
        return self._hitung(self.scope, lambda: super(BatasLaju, self).allow_request(request, view))


class BatasLajuLingkup(_GagalAman, ScopedRateThrottle):
    """DRF's ScopedRateThrottle (scope from the view's `throttle_scope`), failing safe like BatasLaju."""

    def allow_request(self, request, view):
        lingkup = getattr(view, self.scope_attr, None)
        return self._hitung(lingkup, lambda: super(BatasLajuLingkup, self).allow_request(request, view))


def tolak_bila_berlebih(request, scope=None, *, throttle=None, template="429.html"):
    """None while under the limit; otherwise the readable 429 page with Retry-After."""
    throttle = throttle or BatasLaju(scope)
    if throttle.allow_request(request, None):
        return None
    tunggu = int(throttle.wait() or 0) + 1
    respons = render(request, template, {"tunggu_menit": -(-tunggu // 60)}, status=429)
    respons["Retry-After"] = str(tunggu)
    return respons


def batasi(scope, *, metode=("GET", "HEAD", "POST")):
    """Decorator: count requests of `metode` against `scope`. `scope` may be a function of the
    request returning the scope name, or None to let that request through uncounted."""

    def hias(view):
        @functools.wraps(view)
        def bungkus(request, *args, **kwargs):
            if request.method in metode:
                nama = scope(request) if callable(scope) else scope
                ditolak = tolak_bila_berlebih(request, nama) if nama else None
                if ditolak is not None:
                    return ditolak
            return view(request, *args, **kwargs)

        return bungkus

    return hias
