"""The relay: takes rows from the outbox and hands them to the transport, at most once each.

A row is claimed (antri -> mengirim) by a conditional UPDATE that commits
before the HTTP request; only the relay whose UPDATE matched sends. The result
is saved by one more UPDATE right after the answer. A crash between the two
leaves the row in `mengirim`; `outbox_selesaikan_macet` settles such rows by
asking the provider, never by sending again blindly (docs/notifikasi.md).
"""

import logging
import random
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from notifikasi.models import Outbox
from notifikasi.services import antrikan, dalam_jendela_sesi, outbox_gagal, outbox_hapus_rahasia, templat_untuk
from notifikasi.transport import GalatKirim, transport_untuk

log = logging.getLogger("notifikasi.relay")
Status = Outbox.StatusPesan
POTONGAN_SAPU = 10  # rows claimed per sweep transaction; 10 x NOTIFIKASI_HTTP_TIMEOUT stays under the stuck limit


def _jatuh_tempo(waktu):
    return Q(status=Status.ANTRI) & (Q(coba_lagi_pada__isnull=True) | Q(coba_lagi_pada__lte=waktu))


def _klaim(filter_q) -> int:
    waktu = timezone.now()
    return Outbox.objects.filter(filter_q).update(
        status=Status.MENGIRIM, diklaim_pada=waktu, percobaan=F("percobaan") + 1
    )


def outbox_kirim(*, outbox_id: int) -> bool:
    """Send one row if it is due and nobody else has claimed it. True when this call sent it."""
    if transaction.get_connection().in_atomic_block:
        log.warning("pesan #%s diklaim di dalam transaksi: klaim baru berlaku saat transaksi itu commit", outbox_id)
    if not _klaim(Q(pk=outbox_id) & _jatuh_tempo(timezone.now())):
        return False
    return _kirim_diklaim(outbox_id)


def pengirim_kunci(kanal: str) -> str:
    """The sender the per-sender rate limit applies to."""
    if settings.NOTIFIKASI_BACKEND != "twilio":
        return "konsol"
    if settings.TWILIO_MESSAGING_SERVICE_SID:
        return settings.TWILIO_MESSAGING_SERVICE_SID
    return settings.TWILIO_SMS_FROM if kanal == Outbox.Kanal.SMS else settings.TWILIO_WHATSAPP_FROM


def laju_giliran(pengirim: str, *, sekarang: float | None = None) -> float:
    """Fixed-window limit of NOTIFIKASI_RATE_PER_SECOND per sender, shared by all workers through the cache.

    Returns 0 when a message may go now, else the seconds to wait. Counting uses
    the cache's atomic incr (Redis INCR in production).
    """
    laju = settings.NOTIFIKASI_RATE_PER_SECOND
    sekarang = time.time() if sekarang is None else sekarang
    jendela = max(1.0, 1.0 / laju)
    kapasitas = max(1, int(laju * jendela))
    nomor = int(sekarang // jendela)
    kunci = f"notifikasi:laju:{pengirim}:{nomor}"
    cache.add(kunci, 0, timeout=int(jendela) + 5)
    try:
        jumlah = cache.incr(kunci)
    except ValueError:  # evicted between add and incr
        cache.add(kunci, 1, timeout=int(jendela) + 5)
        jumlah = 1
    if jumlah <= kapasitas:
        return 0.0
    return (nomor + 1) * jendela - sekarang


def _tunggu_giliran(pengirim: str):
    while (jeda := laju_giliran(pengirim)) > 0:
        time.sleep(jeda)


def jeda_ulang(percobaan: int) -> float:
    """Exponential backoff with jitter: base * 2^(n-1), capped, times a random 0.5-1.5."""
    dasar = min(settings.NOTIFIKASI_BACKOFF_DETIK * 2 ** max(percobaan - 1, 0), settings.NOTIFIKASI_BACKOFF_MAKS_DETIK)
    return dasar * random.uniform(0.5, 1.5)


def _kirim_diklaim(outbox_id: int) -> bool:
    pesan = Outbox.objects.get(pk=outbox_id)
    templat = templat_untuk(pesan.templat)
    dalam_sesi = pesan.kanal == Outbox.Kanal.WHATSAPP and dalam_jendela_sesi(no_hp=pesan.penerima)
    transport = transport_untuk(pesan.kanal)
    _tunggu_giliran(pengirim_kunci(pesan.kanal))
    try:
        hasil = transport.kirim(pesan, templat=templat, dalam_sesi=dalam_sesi)
    except GalatKirim as galat:
        _catat_galat(pesan, galat)
        return False
    except Exception as exc:  # noqa: BLE001 - a bug may strike after the request left: settle by lookup
        log.exception("pesan #%s: galat tak terduga saat mengirim", pesan.pk)
        _catat_galat(pesan, GalatKirim("internal", repr(exc), sementara=True, ambigu=True))
        return False
    # The window: a crash before this UPDATE commits leaves the row in `mengirim` with no SID.
    _simpan_terkirim(outbox_id, sid=hasil.sid, status_penyedia=hasil.status)
    return True


def _simpan_terkirim(outbox_id: int, *, sid: str, status_penyedia: str):
    waktu = timezone.now()
    disimpan = Outbox.objects.filter(pk=outbox_id, status__in=[Status.MENGIRIM, Status.TINJAU]).update(
        status=Status.TERKIRIM, provider_sid=sid, status_penyedia=status_penyedia, dikirim_pada=waktu,
        kode_galat="", pesan_galat="", coba_lagi_pada=None,
    )
    if not disimpan:  # a status callback got here first and already moved the row on
        Outbox.objects.filter(pk=outbox_id, provider_sid="").update(provider_sid=sid, dikirim_pada=waktu)


def _catat_galat(pesan: Outbox, galat: GalatKirim):
    log.warning("pesan #%s percobaan %s gagal: %s", pesan.pk, pesan.percobaan, galat)
    if galat.ambigu:
        # The provider may hold it: leave it `mengirim` for outbox_selesaikan_macet to look up.
        Outbox.objects.filter(pk=pesan.pk, status=Status.MENGIRIM).update(
            kode_galat=galat.kode[:20], pesan_galat=galat.pesan
        )
        return
    if galat.sementara and pesan.percobaan < settings.NOTIFIKASI_MAX_ATTEMPTS:
        jeda = jeda_ulang(pesan.percobaan)
        Outbox.objects.filter(pk=pesan.pk, status=Status.MENGIRIM).update(
            status=Status.ANTRI, coba_lagi_pada=timezone.now() + timedelta(seconds=jeda),
            kode_galat=galat.kode[:20], pesan_galat=galat.pesan,
        )
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            antrikan(pesan.pk, countdown=jeda)
        return
    outbox_gagal(pesan_id=pesan.pk, kode=galat.kode, pesan_galat=galat.pesan)


def outbox_kirim_tertinggal(*, batas: int | None = None) -> dict:
    """The periodic sweep: due rows the after-commit task did not send (worker or broker down), then
    rows stuck in `mengirim`, then expired secrets. Concurrent sweeps take disjoint rows (SKIP LOCKED)."""
    batas = batas or settings.NOTIFIKASI_SAPU_BATAS
    hasil = {"diambil": 0, "terkirim": 0}
    while hasil["diambil"] < batas:
        # Claim a few rows at a time: a claimed row is sent within seconds, far inside
        # NOTIFIKASI_MENGIRIM_MACET_DETIK, even at a low rate limit or with slow answers.
        with transaction.atomic():
            ids = list(
                Outbox.objects.select_for_update(skip_locked=True)
                .filter(_jatuh_tempo(timezone.now()))
                .order_by("pk")
                .values_list("pk", flat=True)[: min(POTONGAN_SAPU, batas - hasil["diambil"])]
            )
            _klaim(Q(pk__in=ids))
        if not ids:
            break
        hasil["diambil"] += len(ids)
        hasil["terkirim"] += sum(_kirim_diklaim(pk) for pk in ids)
    hasil.update(outbox_selesaikan_macet())
    hasil["rahasia_dihapus"] = outbox_hapus_rahasia()
    return hasil


def outbox_selesaikan_macet(*, waktu=None) -> dict:
    """Settle rows left in `mengirim` (worker killed mid-send, or a timeout after the request left).

    One message found at the provider for that recipient in the send window: adopt
    its SID. None: the request never arrived, so the row is queued again. More
    than one, or no answer for a day: `tinjau`, for an operator to decide.
    """
    waktu = waktu or timezone.now()
    macet = Outbox.objects.filter(
        status=Status.MENGIRIM, diklaim_pada__lt=waktu - timedelta(seconds=settings.NOTIFIKASI_MENGIRIM_MACET_DETIK)
    ).order_by("pk")[:100]
    hasil = {"diadopsi": 0, "diantrikan_ulang": 0, "ditinjau": 0, "gagal": 0}
    for pesan in macet:
        if not cache.add(f"notifikasi:macet:{pesan.pk}", 1, timeout=120):
            continue  # another sweep is settling it
        sama = Outbox.objects.filter(pk=pesan.pk, status=Status.MENGIRIM, diklaim_pada=pesan.diklaim_pada)
        try:
            ditemukan = transport_untuk(pesan.kanal).cari(pesan)
        except GalatKirim as galat:
            log.warning("pesan #%s: tidak bisa memeriksa penyedia: %s", pesan.pk, galat)
            if pesan.diklaim_pada < waktu - timedelta(days=1):
                hasil["ditinjau"] += sama.update(status=Status.TINJAU, kode_galat="tak_terperiksa")
            continue
        if len(ditemukan) == 1:
            hasil["diadopsi"] += sama.update(
                status=Status.TERKIRIM, provider_sid=ditemukan[0].sid, status_penyedia=ditemukan[0].status,
                dikirim_pada=pesan.diklaim_pada,
            )
        elif not ditemukan and pesan.percobaan >= settings.NOTIFIKASI_MAX_ATTEMPTS:
            hasil["gagal"] += int(
                outbox_gagal(pesan_id=pesan.pk, kode=pesan.kode_galat or "macet", pesan_galat=pesan.pesan_galat)
            )
        elif not ditemukan:
            hasil["diantrikan_ulang"] += sama.update(status=Status.ANTRI, coba_lagi_pada=None)
        else:
            hasil["ditinjau"] += sama.update(status=Status.TINJAU, kode_galat="ganda")
    return hasil


def outbox_antrikan_ulang_gagal(*, pesan_ids=None) -> int:
    """Operator's choice: try failed and to-review rows again (not those already replaced by an SMS)."""
    pesan = Outbox.objects.filter(status__in=[Status.GAGAL, Status.TINJAU], cadangan__isnull=True)
    if pesan_ids is not None:
        pesan = pesan.filter(pk__in=list(pesan_ids))
    return pesan.update(status=Status.ANTRI, percobaan=0, coba_lagi_pada=None)
