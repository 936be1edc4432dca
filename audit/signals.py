"""Officer sign-ins and failed sign-ins go to the ledger (chain "sistem")."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from audit.models import AuditEvent
from audit.services import RANTAI_SISTEM, audit_catat


@receiver(user_logged_in)
def catat_masuk(sender, request, user, **kwargs):
    audit_catat(rantai=RANTAI_SISTEM, kategori=AuditEvent.Kategori.AUTENTIKASI, aksi="masuk", aktor=user,
                objek_tipe="user", objek_id=user.pk)


@receiver(user_login_failed)
def catat_gagal_masuk(sender, credentials, request=None, **kwargs):
    # The password is never recorded; the username is, to show guessing against one account.
    audit_catat(rantai=RANTAI_SISTEM, kategori=AuditEvent.Kategori.AUTENTIKASI, aksi="gagal_masuk",
                data={"username": str(credentials.get("username", ""))[:150]})
