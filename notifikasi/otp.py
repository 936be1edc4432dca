"""One-time sign-in codes sent by WhatsApp. Only an HMAC of the code is stored."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifikasi.models import KodeOTP
from notifikasi.services import outbox_tulis
from notifikasi.telepon import normalisasi_hp

JEDA_KIRIM_ULANG = timedelta(seconds=60)
BATAS_PER_JAM = 5
# Per recipient number, whatever NIK asked: one code a minute, this many an hour (issue 14, item 2).
BATAS_PER_NOMOR_PER_JAM = 5


class OTPTerlaluSering(Exception):
    """Resend asked too soon; `tunggu_detik` tells the caller when to try again (a 429)."""

    def __init__(self, pesan: str, *, tunggu_detik: int):
        super().__init__(pesan)
        self.tunggu_detik = tunggu_detik


def kunci_nik(nik: str) -> str:
    """The key codes are filed under: an HMAC of the NIK, so the OTP table holds no NIK."""
    return hmac.new(settings.SECRET_KEY.encode(), f"nik:{nik.strip()}".encode(), hashlib.sha256).hexdigest()


def _hash_kode(kunci: str, kode: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"otp:{kunci}:{kode}".encode(), hashlib.sha256).hexdigest()


def _kunci_transaksi(nama: str):
    """Serialize issuance per key until commit, also when the key has no row yet to lock.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: write transactions are already
    serialized (transaction_mode IMMEDIATE in settings).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [nama])


def _batasi_nomor(nomor: set[str]):
    """Count one code against each number; refuse when one of them had a code in the last minute
    or BATAS_PER_NOMOR_PER_JAM this hour. The counters live in the cache, shared by every worker
    and host when CACHE_URL is Redis; a cache that cannot count refuses (fail safe)."""
    from django.core.cache import cache

    for no_hp in sorted(nomor):
        h = hashlib.sha256(f"{settings.SECRET_KEY}:otp-nomor:{no_hp}".encode()).hexdigest()[:32]
        try:
            if not cache.add(f"otp-nomor-jeda:{h}", 1, int(JEDA_KIRIM_ULANG.total_seconds())):
                raise OTPTerlaluSering(_("Kode baru dapat diminta lagi dalam %(detik)d detik.")
                                       % {"detik": int(JEDA_KIRIM_ULANG.total_seconds())},
                                       tunggu_detik=int(JEDA_KIRIM_ULANG.total_seconds()))
            cache.add(f"otp-nomor-jam:{h}", 0, 3600)
            jumlah = cache.incr(f"otp-nomor-jam:{h}")
        except OTPTerlaluSering:
            raise
        except Exception:  # noqa: BLE001 - a limiter that cannot count says "not now"
            raise OTPTerlaluSering(_("Kode belum dapat dikirim. Coba lagi sebentar lagi."), tunggu_detik=60) from None
        if jumlah > BATAS_PER_NOMOR_PER_JAM:
            raise OTPTerlaluSering(_("Terlalu banyak permintaan kode. Coba lagi dalam %(menit)d menit.")
                                   % {"menit": 60}, tunggu_detik=3600)


def otp_kirim(*, kunci: str, no_hp: str, waktu=None, nomor_lain=()) -> KodeOTP:
    """Issue a 6-digit code and send it through the outbox. At most one a minute and five an hour per key,
    and per recipient number (`no_hp`, and every number of `nomor_lain`: a number typed in a form
    counts even when the code goes elsewhere, so the count tells nothing about where it went).

    Earlier unused codes of the key stop working: only the newest is valid.
    """
    waktu = waktu or timezone.now()
    no_hp = normalisasi_hp(no_hp)
    with transaction.atomic():
        _kunci_transaksi(f"otp:{kunci}")
        terbaru = list(KodeOTP.objects.filter(kunci=kunci, dibuat__gt=waktu - timedelta(hours=1)).order_by("-dibuat"))
        if terbaru and terbaru[0].dibuat > waktu - JEDA_KIRIM_ULANG:
            tunggu = int((terbaru[0].dibuat + JEDA_KIRIM_ULANG - waktu).total_seconds()) + 1
            raise OTPTerlaluSering(
                _("Kode baru dapat diminta lagi dalam %(detik)d detik.") % {"detik": tunggu}, tunggu_detik=tunggu
            )
        if len(terbaru) >= BATAS_PER_JAM:
            tunggu = int((terbaru[-1].dibuat + timedelta(hours=1) - waktu).total_seconds()) + 1
            raise OTPTerlaluSering(
                _("Terlalu banyak permintaan kode. Coba lagi dalam %(menit)d menit.") % {"menit": tunggu // 60 + 1},
                tunggu_detik=tunggu,
            )
        _batasi_nomor({no_hp, *nomor_lain})
        KodeOTP.objects.filter(kunci=kunci, dipakai=False).update(dipakai=True)
        kode = f"{secrets.randbelow(1_000_000):06d}"
        otp = KodeOTP.objects.create(
            kunci=kunci,
            no_hp=no_hp,
            kode_hash=_hash_kode(kunci, kode),
            kedaluwarsa=waktu + timedelta(seconds=settings.OTP_TTL_SECONDS),
        )
        KodeOTP.objects.filter(pk=otp.pk).update(dibuat=waktu)
        otp.dibuat = waktu
        outbox_tulis(
            penerima=no_hp,
            templat="kode_otp",
            variabel={"kode": kode, "menit": max(1, settings.OTP_TTL_SECONDS // 60)},
            referensi=f"otp:{otp.pk}",
        )
    return otp


def otp_periksa(*, kunci: str, kode: str, waktu=None) -> bool:
    """True once for the right, unexpired code; every try counts, OTP_MAX_ATTEMPTS tries burn the code."""
    waktu = waktu or timezone.now()
    with transaction.atomic():
        otp = (
            KodeOTP.objects.select_for_update()
            .filter(kunci=kunci, dipakai=False, kedaluwarsa__gt=waktu)
            .order_by("-dibuat")
            .first()
        )
        if otp is None:
            return False
        otp.percobaan += 1
        cocok = hmac.compare_digest(otp.kode_hash, _hash_kode(kunci, (kode or "").strip()))
        if cocok or otp.percobaan >= settings.OTP_MAX_ATTEMPTS:
            otp.dipakai = True
        otp.save(update_fields=["percobaan", "dipakai"])
    return cocok
