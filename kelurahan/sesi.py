"""How long a sign-in lasts (issue 14, item 5; docs/operations.md "Tokens and sessions").

API tokens: a resident's lasts TOKEN_WARGA_JAM hours, an officer's TOKEN_PETUGAS_JAM hours,
counted from issue; every sign-in issues a new token and revokes the previous one (rotation);
sign-out revokes it; an admin can revoke every token and web session of one user at once.
Web sessions: SESI_DIAM_MENIT of inactivity or SESI_MAKS_JAM after sign-in, whichever comes first.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.db import transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from audit.models import AuditEvent
from audit.services import audit_catat
from kelurahan.lingkup import tanpa_penugasan
from kelurahan.models import Penugasan


def umur_token(user) -> timedelta:
    """A resident's account (a `warga` row) gets the short life, also when it holds an officer role."""
    return timedelta(hours=settings.TOKEN_WARGA_JAM if hasattr(user, "warga") else settings.TOKEN_PETUGAS_JAM)


# Written out rather than Exists(Penugasan.objects.filter(user=OuterRef(...))): the ORM compiled that
# subquery on every API request for 1.2 ms of CPU, more than the query it spares (docs/benchmarks.md).
_BERTUGAS = RawSQL(f"EXISTS (SELECT 1 FROM {Penugasan._meta.db_table} p "
                   f"WHERE p.user_id = {Token._meta.db_table}.user_id AND p.aktif)", ())


class TokenBerumur(TokenAuthentication):
    """DRF's token authentication, refusing (and deleting) a token older than its holder's lifetime.
    The resident row comes with the token in one query, and whether the user holds any active assignment:
    a resident's request then never asks for its (empty) assignments (kelurahan/lingkup.py)."""

    def authenticate_credentials(self, key):
        try:
            token = Token.objects.select_related("user", "user__warga").annotate(bertugas=_BERTUGAS).get(key=key)
        except Token.DoesNotExist:
            raise AuthenticationFailed(_("Token tidak valid.")) from None
        if not token.bertugas:
            tanpa_penugasan(token.user)
        if not token.user.is_active:
            raise AuthenticationFailed(_("Pengguna tidak aktif atau dihapus."))
        if timezone.now() - token.created > umur_token(token.user):
            token.delete()
            raise AuthenticationFailed(_("Token sudah kedaluwarsa; silakan masuk lagi."))
        return token.user, token


def token_terbitkan(user) -> Token:
    """A fresh token for a sign-in; the previous one of this user stops working now."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)


def token_cabut(token) -> None:
    """Sign-out: this token stops working."""
    Token.objects.filter(key=getattr(token, "key", token)).delete()


def cabut_semua(*, user, oleh) -> dict:
    """Revoke every API token and web session of `user` (an admin's action on a lost phone or a
    departed officer), recorded on the system chain."""
    from django.contrib.sessions.models import Session

    sesi = []
    for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(s.get_decoded().get("_auth_user_id")) == str(user.pk):
            sesi.append(s.pk)
    with transaction.atomic():
        token, _ = Token.objects.filter(user=user).delete()
        Session.objects.filter(pk__in=sesi).delete()
        hasil = {"token": token, "sesi": len(sesi)}
        audit_catat(rantai="sistem", kategori=AuditEvent.Kategori.AUTENTIKASI, aksi="cabut_semua_token",
                    aktor=oleh, objek_tipe="user", objek_id=user.pk, data=hasil)
    return hasil


KUNCI_MASUK = "simpatik_masuk"
KUNCI_AKTIF = "simpatik_aktif"


class BatasSesiMiddleware:
    """Ends a signed-in web session after SESI_DIAM_MENIT idle or SESI_MAKS_JAM in all.

    The times live in the session itself; the last-activity mark is rewritten at most once a
    minute so a busy desk does not write its session on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            sekarang = int(timezone.now().timestamp())
            masuk = request.session.get(KUNCI_MASUK)
            aktif = request.session.get(KUNCI_AKTIF, masuk)
            if masuk is None:
                request.session[KUNCI_MASUK] = request.session[KUNCI_AKTIF] = sekarang
            elif (sekarang - masuk > settings.SESI_MAKS_JAM * 3600
                  or sekarang - (aktif or masuk) > settings.SESI_DIAM_MENIT * 60):
                logout(request)
            elif sekarang - (aktif or masuk) >= 60:
                request.session[KUNCI_AKTIF] = sekarang
        return self.get_response(request)
