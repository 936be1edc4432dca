"""How long a sign-in lasts (issue 14, item 5; docs/operations.md "Tokens and sessions").

API tokens: a resident's lasts TOKEN_WARGA_JAM hours, an officer's TOKEN_PETUGAS_JAM hours,
counted from issue; every sign-in issues a new token and revokes the previous one (rotation);
sign-out revokes it; an admin can revoke every token and web session of one user at once.
Web sessions: SESI_DIAM_MENIT of inactivity or SESI_MAKS_JAM after sign-in, whichever comes first.
"""

import threading
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.db import connections, router, transaction
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


class _KueriToken:
    """The API token's one query: the token, its user, the user's resident row (if any) and whether the
    user holds an active assignment, as the ORM's `select_related("user", "user__warga")` would load them.

    Written as SQL once per process and database: the ORM compiled this three-table select on every API
    request, for more CPU than the database took to answer it (docs/benchmarks.md, session 8). Values go
    through the same converters the ORM applies (sealed columns opened, SQLite's dates parsed);
    tests/test_sesi.py holds the instances equal to the ORM's."""

    def __init__(self, alias: str):
        from django.contrib.auth import get_user_model

        self.koneksi = connections[alias]
        user = get_user_model()
        warga = user._meta.get_field("warga").related_model  # kelurahan does not import layanan
        qn = self.koneksi.ops.quote_name
        self.bagian, kolom = [], []
        for model, alias_tabel in ((Token, "t"), (user, "u"), (warga, "w")):
            bidang = list(model._meta.concrete_fields)
            ubah = []
            for f in bidang:
                col = f.get_col(alias_tabel)
                ubah.append((col, [*self.koneksi.ops.get_db_converters(col), *f.get_db_converters(self.koneksi)]))
                kolom.append(f"{alias_tabel}.{qn(f.column)}")
            self.bagian.append((model, [f.attname for f in bidang], ubah))
        self.sql = (
            f"SELECT {', '.join(kolom)}, EXISTS (SELECT 1 FROM {qn(Penugasan._meta.db_table)} p "
            f"WHERE p.{qn('user_id')} = t.{qn('user_id')} AND p.{qn('aktif')}) "
            f"FROM {qn(Token._meta.db_table)} t INNER JOIN {qn(user._meta.db_table)} u ON u.{qn(user._meta.pk.column)} = t.{qn('user_id')} "
            f"LEFT OUTER JOIN {qn(warga._meta.db_table)} w ON w.{qn(warga._meta.get_field('user').column)} = u.{qn(user._meta.pk.column)} "
            f"WHERE t.{qn(Token._meta.get_field('key').column)} = %s"
        )

    def ambil(self, key) -> Token:
        with self.koneksi.cursor() as kursor:
            kursor.execute(self.sql, [str(key)])
            baris = kursor.fetchone()
        if baris is None:
            raise Token.DoesNotExist
        objek, awal = [], 0
        for model, nama, ubah in self.bagian:
            nilai = list(baris[awal : awal + len(nama)])
            awal += len(nama)
            if nilai[0] is None:  # no resident row (the LEFT JOIN): the key column is NULL
                objek.append(None)
                continue
            for i, (col, konverter) in enumerate(ubah):
                for k in konverter:
                    nilai[i] = k(nilai[i], col, self.koneksi)
            objek.append(model.from_db(self.koneksi.alias, nama, nilai))
        token, user, warga = objek
        token._state.fields_cache["user"] = user
        user._state.fields_cache["warga"] = warga  # None: accessing user.warga raises, as after select_related
        if warga is not None:
            warga._state.fields_cache["user"] = user
        token.bertugas = bool(baris[awal])
        return token


_kueri_token = threading.local()  # per thread, as Django's connections are


def token_dengan_pemegang(key) -> Token:
    """The token for `key` with its user, resident row and `bertugas` (see `_KueriToken`); DoesNotExist."""
    alias = router.db_for_read(Token)
    kueri = getattr(_kueri_token, alias, None)
    if kueri is None or kueri.koneksi is not connections[alias]:
        kueri = _KueriToken(alias)
        setattr(_kueri_token, alias, kueri)
    return kueri.ambil(key)


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
