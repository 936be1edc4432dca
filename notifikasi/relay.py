"""The relay: takes rows from the outbox and hands them to the transport, exactly once each.

A row is claimed (antri -> mengirim) by a conditional UPDATE that commits
before the HTTP request; only the relay whose UPDATE matched sends. The result
is saved by one more UPDATE right after the answer. Whenever the request may
have reached the provider without us learning the answer (a reset or timeout
after sending, a crash before the save), the row is marked `periksa_dulu`: the
next relay to claim it asks the provider first and adopts the message it finds,
sending only when there is none (docs/notifikasi.md, "Exactly once").
"""

import logging
import random
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, F, Q, Value, When
from django.utils import timezone

from notifikasi.models import Outbox
from notifikasi.serah import antrikan, ketuk, ketuk_dibaca
from notifikasi.services import (
    ISI_DIHAPUS,
    berhenti_berlaku,
    dalam_jendela_sesi,
    kolom_rahasia_dihapus,
    outbox_gagal,
    outbox_hapus_rahasia,
    templat_untuk,
)
from notifikasi.transport import GalatKirim, transport_untuk

log = logging.getLogger("notifikasi.relay")
Status = Outbox.StatusPesan
POTONGAN_SAPU = 10  # rows claimed per sweep transaction
KLAIM_SEGAR = 5  # seconds: an older claim is renewed (one conditional UPDATE) right before the request
CARI_GAGAL_MAKS = timedelta(days=1)  # a row whose lookup keeps failing this long goes to `tinjau`


def batas_macet() -> float:
    """Seconds after which a row still `mengirim` cannot have a live request: the request starts
    within KLAIM_SEGAR of its (renewed) claim and ends within connect + read timeout."""
    return max(settings.NOTIFIKASI_MENGIRIM_MACET_DETIK, 2 * settings.NOTIFIKASI_HTTP_TIMEOUT + KLAIM_SEGAR + 10)


def _jatuh_tempo(waktu):
    return Q(status=Status.ANTRI) & (Q(coba_lagi_pada__isnull=True) | Q(coba_lagi_pada__lte=waktu))


def _klaim(filter_q) -> int:
    waktu = timezone.now()
    return Outbox.objects.filter(filter_q).update(
        status=Status.MENGIRIM, diklaim_pada=waktu, percobaan=F("percobaan") + 1
    )


def outbox_kirim(*, outbox_id: int) -> bool:
    """Send one row if it is due and nobody else has claimed it. True when this call sent (or adopted) it."""
    if transaction.get_connection().in_atomic_block:
        log.warning("pesan #%s diklaim di dalam transaksi: klaim baru berlaku saat transaksi itu commit", outbox_id)
    if not _klaim(Q(pk=outbox_id) & _jatuh_tempo(timezone.now())):
        return False
    return _kirim_diklaim(outbox_id) in ("terkirim", "diadopsi")


def outbox_kirim_antrean(*, batas: int | None = None) -> dict:
    """Woken after a commit (`serah.ketuk`): send every due row, each claimed just before its request as
    `outbox_kirim` does, so a worker killed mid-send strands only the row in flight. The wake-up mark is
    dropped before the due rows are read: a row committed after that wakes another relay, and a burst
    beyond `batas` wakes one more. Relays woken together may meet on a row; its claim lets one send."""
    ketuk_dibaca()
    batas = batas or settings.NOTIFIKASI_SAPU_BATAS
    ids = list(Outbox.objects.filter(_jatuh_tempo(timezone.now())).order_by("pk").values_list("pk", flat=True)[:batas])
    terkirim = sum(outbox_kirim(outbox_id=pk) for pk in ids)
    if len(ids) >= batas:
        ketuk()
    return {"diambil": len(ids), "terkirim": terkirim}


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
    """Wait for the shared limit; with the cache down, send without it (Twilio's own 429 is retried)."""
    while True:
        try:
            jeda = laju_giliran(pengirim)
        except Exception as exc:  # noqa: BLE001 - any cache failure degrades, never strands a claimed row
            log.warning("batas laju bersama tidak tersedia (%s); pesan dikirim tanpa batas bersama", exc)
            return
        if jeda <= 0:
            return
        time.sleep(jeda)


def jeda_ulang(percobaan: int) -> float:
    """Exponential backoff with jitter: base * 2^(n-1), capped, times a random 0.5-1.5."""
    dasar = min(settings.NOTIFIKASI_BACKOFF_DETIK * 2 ** max(percobaan - 1, 0), settings.NOTIFIKASI_BACKOFF_MAKS_DETIK)
    return dasar * random.uniform(0.5, 1.5)


def _kirim_diklaim(outbox_id: int) -> str:
    """Send (or settle) one claimed row. Returns what became of it: terkirim, diadopsi, diulang, gagal,
    dilewati, tinjau or dilepas (someone else settled it)."""
    pesan = Outbox.objects.get(pk=outbox_id)
    mungkin_terkirim = False
    try:
        templat = templat_untuk(pesan.templat)
        transport = transport_untuk(pesan.kanal)
        if pesan.periksa_dulu:
            hasil_cari = _periksa(pesan, transport)
            if hasil_cari:
                return hasil_cari
        if berhenti_berlaku(kanal=pesan.kanal, templat=templat, no_hp=pesan.penerima):
            # The reason on the row, as for an expired code ("kedaluwarsa"): the admin shows why it was not sent.
            Outbox.objects.filter(pk=pesan.pk, status=Status.MENGIRIM).update(status=Status.DILEWATI,
                                                                               kode_galat="berhenti")
            return "dilewati"
        dalam_sesi = pesan.kanal == Outbox.Kanal.WHATSAPP and dalam_jendela_sesi(no_hp=pesan.penerima)
        _tunggu_giliran(pengirim_kunci(pesan.kanal))
        if not _klaim_masih_milik(pesan):
            return "dilepas"
        mungkin_terkirim = True
        hasil = transport.kirim(pesan, templat=templat, dalam_sesi=dalam_sesi)
    except GalatKirim as galat:
        return _catat_galat(pesan, galat)
    except Exception as exc:  # noqa: BLE001 - never leave a claimed row behind
        log.exception("pesan #%s: galat tak terduga saat mengirim", pesan.pk)
        return _catat_galat(pesan, GalatKirim("internal", repr(exc), sementara=True, ambigu=mungkin_terkirim))
    # The window: a crash before this UPDATE commits leaves the row in `mengirim` with no SID.
    _simpan_terkirim(pesan, templat, sid=hasil.sid, status_penyedia=hasil.status)
    return "terkirim"


def _klaim_masih_milik(pesan: Outbox) -> bool:
    """Renew an old claim right before the request, so the stuck-row limit measures from here; False
    when the claim is no longer ours (the row was settled as stuck meanwhile): then do not send."""
    sekarang = timezone.now()
    if (sekarang - pesan.diklaim_pada).total_seconds() < KLAIM_SEGAR:
        return True
    diperbarui = Outbox.objects.filter(pk=pesan.pk, status=Status.MENGIRIM, diklaim_pada=pesan.diklaim_pada).update(
        diklaim_pada=sekarang
    )
    pesan.diklaim_pada = sekarang
    return bool(diperbarui)


def _periksa(pesan: Outbox, transport) -> str | None:
    """Ask the provider for this row before sending it again. None: it is not there, send it."""
    if pesan.isi == ISI_DIHAPUS:  # an expired secret: never send it again, whatever became of it
        Outbox.objects.filter(pk=pesan.pk, status=Status.MENGIRIM).update(
            status=Status.DILEWATI, kode_galat="kedaluwarsa", periksa_dulu=False
        )
        return "dilewati"
    ditemukan = transport.cari(pesan)  # GalatKirim("cari") is handled by the caller: retried later
    cocok = [h for h in ditemukan if h.cocok]
    tak_berisi = [h for h in ditemukan if h.cocok is None]
    if cocok or len(tak_berisi) == 1:
        temuan = (cocok or tak_berisi)[0]
        if len(cocok) > 1:
            log.warning("pesan #%s: %d salinan di penyedia; yang tertua diadopsi", pesan.pk, len(cocok))
        _simpan_terkirim(pesan, templat_untuk(pesan.templat), sid=temuan.sid, status_penyedia=temuan.status)
        return "diadopsi"
    if tak_berisi:  # several, and the provider kept no text to tell them apart
        _ke_tinjau(pesan, "ganda", "beberapa pesan tanpa isi di penyedia; tidak dapat dibedakan")
        return "tinjau"
    if pesan.percobaan > settings.NOTIFIKASI_MAX_ATTEMPTS:
        outbox_gagal(pesan_id=pesan.pk, kode=pesan.kode_galat or "macet", pesan_galat=pesan.pesan_galat)
        return "gagal"
    Outbox.objects.filter(pk=pesan.pk, status=Status.MENGIRIM).update(periksa_dulu=False)
    return None


def _ke_tinjau(pesan: Outbox, kode: str, alasan: str):
    Outbox.objects.filter(pk=pesan.pk, status=Status.MENGIRIM).update(
        status=Status.TINJAU, kode_galat=kode, pesan_galat=alasan
    )


def _simpan_terkirim(pesan: Outbox, templat, *, sid: str, status_penyedia: str):
    """Save the provider's SID; a secret's text is blanked in the same UPDATE (docs/notifikasi.md, OTP).

    Both UPDATEs skip a SID another row already holds (the unique index catches a
    race between two lookups): two rows with one text to one number where one
    adopted the other's message. Neither may then be resent blindly: `tinjau`.
    """
    waktu = timezone.now()
    kolom = {"provider_sid": sid, "dikirim_pada": waktu, **kolom_rahasia_dihapus(pesan, templat)}
    bebas = ~Exists(Outbox.objects.filter(provider_sid=sid).exclude(pk=pesan.pk))
    try:
        disimpan = Outbox.objects.filter(bebas, pk=pesan.pk, status__in=[Status.MENGIRIM, Status.TINJAU, Status.ANTRI]).update(
            status=Status.TERKIRIM, status_penyedia=status_penyedia, kode_galat="", pesan_galat="",
            coba_lagi_pada=None, periksa_dulu=False, **kolom,
        )
        # Else a status callback got here first and moved the row on (with or without this SID yet).
        disimpan = disimpan or Outbox.objects.filter(bebas, Q(provider_sid="") | Q(provider_sid=sid), pk=pesan.pk).update(
            **kolom
        )
    except IntegrityError:
        disimpan = 0
    if not disimpan and not Outbox.objects.filter(pk=pesan.pk, provider_sid=sid).exists():
        log.error("pesan #%s: SID %s sudah dipegang pesan lain", pesan.pk, sid)
        Outbox.objects.filter(pk=pesan.pk).update(
            status=Status.TINJAU, periksa_dulu=True, kode_galat="sid_ganda", pesan_galat=f"SID {sid} dipegang pesan lain"
        )


def _catat_galat(pesan: Outbox, galat: GalatKirim) -> str:
    log.warning("pesan #%s percobaan %s gagal: %s", pesan.pk, pesan.percobaan, galat)
    if galat.kode == "cari" and pesan.diklaim_pada and pesan.dibuat < timezone.now() - CARI_GAGAL_MAKS:
        _ke_tinjau(pesan, "tak_terperiksa", galat.pesan)
        return "tinjau"
    ambigu = galat.ambigu or galat.kode == "cari"
    if ambigu or (galat.sementara and pesan.percobaan < settings.NOTIFIKASI_MAX_ATTEMPTS):
        # An ambiguous row is looked up at its next claim, never given up unasked.
        jeda = jeda_ulang(pesan.percobaan)
        if ambigu:
            jeda = max(jeda, 2 * settings.NOTIFIKASI_HTTP_TIMEOUT)  # let a slow request land before asking
        kolom = {"periksa_dulu": True} if galat.ambigu else {}
        Outbox.objects.filter(pk=pesan.pk, status=Status.MENGIRIM).update(
            status=Status.ANTRI, coba_lagi_pada=timezone.now() + timedelta(seconds=jeda),
            kode_galat=galat.kode[:20], pesan_galat=galat.pesan, **kolom,
        )
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            antrikan(pesan.pk, countdown=jeda)
        return "diulang"
    outbox_gagal(pesan_id=pesan.pk, kode=galat.kode, pesan_galat=galat.pesan)
    return "gagal"


def outbox_kirim_tertinggal(*, batas: int | None = None) -> dict:
    """The periodic sweep: rows stuck in `mengirim` are queued for a lookup, then due rows the
    after-commit task did not send (worker or broker down) are sent, then expired secrets are blanked.
    Concurrent sweeps take disjoint rows (SKIP LOCKED)."""
    batas = batas or settings.NOTIFIKASI_SAPU_BATAS
    hasil = {"macet": outbox_selesaikan_macet(), "diambil": 0}
    hitung = dict.fromkeys(("terkirim", "diadopsi", "diulang", "gagal", "dilewati", "tinjau", "dilepas"), 0)
    while hasil["diambil"] < batas:
        # Claim a few rows at a time; each is sent at once (claims older than KLAIM_SEGAR are renewed).
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
        for pk in ids:
            hitung[_kirim_diklaim(pk)] += 1
    hasil.update(hitung)
    hasil["rahasia_dihapus"] = outbox_hapus_rahasia()
    return hasil


def outbox_selesaikan_macet(*, waktu=None) -> int:
    """Queue rows left in `mengirim` past `batas_macet()` (a worker killed mid-send) for a lookup.

    One conditional UPDATE, no HTTP: the lookup happens when the row is claimed
    again, so it never races a live request and needs no lock in the cache.
    """
    waktu = waktu or timezone.now()
    jumlah = Outbox.objects.filter(
        status=Status.MENGIRIM, diklaim_pada__lt=waktu - timedelta(seconds=batas_macet())
    ).update(status=Status.ANTRI, periksa_dulu=True, coba_lagi_pada=None)
    if jumlah:
        log.warning("%d pesan macet di status mengirim; diperiksa ke penyedia sebelum dikirim lagi", jumlah)
    return jumlah


def outbox_antrikan_ulang_gagal(*, pesan_ids=None) -> int:
    """Operator's choice: try failed and to-review rows again (not those already replaced by an SMS).

    A row that ever left for the provider is looked up there first, so this can
    never make a second copy of a message that did arrive.
    """
    pesan = Outbox.objects.filter(status__in=[Status.GAGAL, Status.TINJAU], cadangan__isnull=True)
    if pesan_ids is not None:
        pesan = pesan.filter(pk__in=list(pesan_ids))
    return pesan.update(
        status=Status.ANTRI, percobaan=0, coba_lagi_pada=None,
        periksa_dulu=Case(When(Q(periksa_dulu=True) | Q(percobaan__gt=0), then=Value(True)), default=Value(False)),
    )
