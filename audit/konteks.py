"""Who is acting and from where, for the audit rows written during one HTTP request."""

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class KonteksPermintaan:
    ip: str | None = None
    user_agent: str = ""


_konteks = contextvars.ContextVar("simpatik_audit_konteks", default=KonteksPermintaan())  # noqa: B039 - frozen


def konteks_sekarang() -> KonteksPermintaan:
    return _konteks.get()


def pasang_konteks(konteks: KonteksPermintaan):
    return _konteks.set(konteks)


def lepas_konteks(token):
    _konteks.reset(token)


def konteks_dari_request(request) -> KonteksPermintaan:
    # REMOTE_ADDR only: X-Forwarded-For is trusted solely when a proxy sets it (see docs/operations.md).
    ip = request.META.get("REMOTE_ADDR") or None
    return KonteksPermintaan(ip=ip, user_agent=request.META.get("HTTP_USER_AGENT", "")[:255])
