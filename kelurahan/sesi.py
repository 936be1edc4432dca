"""How long a sign-in lasts (issue 14, item 5; docs/operations.md "Tokens and sessions").

API tokens: a resident's lasts TOKEN_WARGA_JAM hours, an officer's TOKEN_PETUGAS_JAM hours,
counted from issue; every sign-in issues a new token and revokes the previous one (rotation);
sign-out revokes it; an admin can revoke every token and web session of one user at once.
Web sessions: SESI_DIAM_MENIT of inactivity or SESI_MAKS_JAM after sign-in, whichever comes first.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.db import router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from audit.models import AuditEvent
from audit.services import audit_catat
from kelurahan.kueri import BarisModel, KueriTetap
from kelurahan.lingkup import tanpa_penugasan
from kelurahan.models import Penugasan


def umur_token(user) -> timedelta:
    """A resident's account (a `warga` row) gets the short life, also when it holds an officer role."""
    return timedelta(hours=settings.TOKEN_WARGA_JAM if hasattr(user, "warga") else settings.TOKEN_PETUGAS_JAM)


def _sql_token(koneksi):
    """The API token's one query: the token, its user, the user's resident row (if any) and whether the user
    holds an active assignment, as the ORM's `select_related("user", "user__warga")` would load them; written
    as SQL once (kelurahan/kueri.py), tests/test_query_budget.py holds the instances equal to the ORM's."""
    from django.contrib.auth import get_user_model

    user = get_user_model()
    warga = user._meta.get_field("warga").related_model  # kelurahan does not import layanan
    baris = BarisModel(koneksi, [(Token, "t"), (user, "u"), (warga, "w")])
    qn = koneksi.ops.quote_name
    return (
        f"SELECT {baris.kolom}, EXISTS (SELECT 1 FROM {qn(Penugasan._meta.db_table)} p "
        f"WHERE p.{qn('user_id')} = t.{qn('user_id')} AND p.{qn('aktif')}) "
        f"FROM {qn(Token._meta.db_table)} t "
        f"INNER JOIN {qn(user._meta.db_table)} u ON u.{qn(user._meta.pk.column)} = t.{qn('user_id')} "
        f"LEFT OUTER JOIN {qn(warga._meta.db_table)} w "
        f"ON w.{qn(warga._meta.get_field('user').column)} = u.{qn(user._meta.pk.column)} "
        f"WHERE t.{qn(Token._meta.get_field('key').column)} = %s"
    ), baris


_KUERI_TOKEN = KueriTetap(_sql_token)


def token_dengan_pemegang(key) -> Token:
    """The token for `key` with its user, resident row and `bertugas`, in one query; DoesNotExist."""
    hasil = _KUERI_TOKEN.jalankan(router.db_for_read(Token), [str(key)])
    if not hasil:
        raise Token.DoesNotExist
    (token, user, warga), baris = hasil[0]
    token._state.fields_cache["user"] = user
    user._state.fields_cache["warga"] = warga  # None: accessing user.warga raises, as after select_related
    if warga is not None:
        warga._state.fields_cache["user"] = user
    token.bertugas = bool(baris[-1])
    return token


class TokenBerumur(TokenAuthentication):
    """DRF's token authentication, refusing (and deleting) a token older than its holder's lifetime.
    The resident row comes with the token in one query, and whether the user holds any active assignment:
    a resident's request then never asks for its (empty) assignments (kelurahan/lingkup.py)."""

    def authenticate_credentials(self, key):
        try:
            token = token_dengan_pemegang(key)
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
