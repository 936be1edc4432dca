"""Rate limits for HTML pages, with the API's rates (settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]).

A page and the API endpoint it mirrors share one bucket per client address
(same DRF cache key), so switching from the JSON API to the HTML form gains a
scraper or a code-guesser nothing.
"""

import functools

from django.shortcuts import render
from rest_framework.throttling import SimpleRateThrottle


class BatasLaju(SimpleRateThrottle):
    """One scope of DEFAULT_THROTTLE_RATES per client address, signed in or not."""

    def __init__(self, scope=None):
        if scope:
            self.scope = scope
        super().__init__()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


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
