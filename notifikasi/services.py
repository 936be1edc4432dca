"""Writes of the notifikasi app: the outbox, delivery status, consent and the 24-hour window.

Sending itself lives in relay.py; this module only changes rows.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template import Context, Template
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import RANTAI_SISTEM, audit_catat
from notifikasi.models import Berhenti, Outbox, SesiWhatsApp, TemplatPesan
from notifikasi.templat_bawaan import BAWAAN
from notifikasi.telepon import normalisasi_hp, samarkan_hp

log = logging.getLogger("notifikasi")
Status = Outbox.StatusPesan

# Twilio MessageStatus -> our status. No callback is sent for the initial status.
STATUS_TWILIO = {
    "accepted": Status.TERKIRIM,
    "scheduled": Status.TERKIRIM,
    "queued": Status.TERKIRIM,
    "sending": Status.TERKIRIM,
    "sent": Status.TERKIRIM,
    "delivered": Status.SAMPAI,
    "read": Status.DIBACA,
    "failed": Status.GAGAL,
    "undelivered": Status.GAGAL,
}
# Order of the forward-only path; gagal and dilewati are final and handled apart.
_PERINGKAT = {Status.ANTRI: 0, Status.MENGIRIM: 1, Status.TINJAU: 1, Status.TERKIRIM: 2, Status.SAMPAI: 3, Status.DIBACA: 4}
# WhatsApp errors after which the same text goes by SMS: not a WhatsApp user, outside the window.
KODE_CADANGAN_SMS = {"63003", "63016", "63024"}
KATA_BERHENTI = {"BERHENTI", "STOP", "UNSUBSCRIBE"}
KATA_MULAI = {"MULAI", "START", "SUBSCRIBE"}
JENDELA_SESI = timedelta(hours=24)


def templat_untuk_banyak(kode: set[str]) -> dict[str, TemplatPesan]:
    """{kode: template}, one query: the admin's row if there is one, else the default from
    templat_bawaan (unsaved)."""
    templat = {t.kode: t for t in TemplatPesan.objects.filter(kode__in=kode)}
    for k in set(kode) - set(templat):
        if k not in BAWAAN:
            raise ValueError(f"templat pesan {k!r} tidak dikenal")
        templat[k] = TemplatPesan(**BAWAAN[k])
    return templat


def templat_untuk(kode: str) -> TemplatPesan:
    return templat_untuk_banyak({kode})[kode]


def outbox_tulis(
    *, penerima: str, templat: str, variabel: dict, referensi: str = "", kanal: str = Outbox.Kanal.WHATSAPP
) -> Outbox:
    """Write one message in the caller's transaction; it is handed to the relay only if that commits.

    A WhatsApp message to a number that replied BERHENTI is kept as `dilewati`
    (unless the resident asked for it right now, like a sign-in code).
    """
    templat_pesan = templat_untuk(templat)
    penerima, status = _status_awal(
        penerima, templat_pesan, kanal, berhenti=lambda no_hp: Berhenti.objects.filter(no_hp=no_hp).exists()
    )
    return _tulis(
        penerima=penerima, kanal=kanal, templat=templat_pesan, variabel=variabel, referensi=referensi, status=status,
        kode_galat="nomor_tidak_valid" if status == Status.GAGAL else "",
    )


def _status_awal(penerima, templat_pesan: TemplatPesan, kanal: str, *, berhenti) -> tuple[str, str]:
    """(normalized number, first status) of a new row; `berhenti(no_hp)` says whether it opted out."""
    try:
        penerima = normalisasi_hp(penerima)
    except ValueError:
        # A bad number (e.g. an officer's landline typed in the admin) must not undo the caller's
        # transition: the row is kept as failed, visible in the admin.
        log.warning("pesan %s tidak dapat dikirim: nomor %r tidak valid", templat_pesan.kode,
                    samarkan_hp(str(penerima or "")))
        return str(penerima or "")[:16], Status.GAGAL
    if not templat_pesan.aktif:
        return penerima, Status.DILEWATI  # this kind of message is switched off in the admin
    if kanal == Outbox.Kanal.WHATSAPP and not templat_pesan.diminta_penerima and berhenti(penerima):
        return penerima, Status.DILEWATI
    return penerima, Status.ANTRI


def outbox_tulis_banyak(*, pesan: list[dict]) -> list[Outbox]:
    """Write many messages with one INSERT, by the rules of `outbox_tulis`; handed to the relay after commit.

    Each item has the keyword arguments of `outbox_tulis`. Templates and opt-outs
    are read once for the whole list, and the queued rows go to the workers in a
    few `kirim_pesan_banyak` tasks instead of one broker publish per row.
    """
    if not pesan:
        return []
    templat = templat_untuk_banyak({p["templat"] for p in pesan})
    nomor = set()
    for p in pesan:
        try:
            nomor.add(normalisasi_hp(p["penerima"]))
        except ValueError:
            pass
    berhenti = set(Berhenti.objects.filter(no_hp__in=nomor).values_list("no_hp", flat=True)) if nomor else set()
    baris = []
    for p in pesan:
        kanal = p.get("kanal", Outbox.Kanal.WHATSAPP)
        penerima, status = _status_awal(p["penerima"], templat[p["templat"]], kanal, berhenti=berhenti.__contains__)
        baris.append(_baris(
            penerima=penerima, kanal=kanal, templat=templat[p["templat"]], variabel=p["variabel"],
            referensi=p.get("referensi", ""), status=status,
            kode_galat="nomor_tidak_valid" if status == Status.GAGAL else "",
        ))
    baris = Outbox.objects.bulk_create(baris)
    antri = [b.pk for b in baris if b.status == Status.ANTRI]
    if antri:
        transaction.on_commit(lambda: antrikan_banyak(antri))
    return baris


def _baris(*, penerima, kanal, templat, variabel, referensi, status=Status.ANTRI, induk=None, kode_galat="") -> Outbox:
    variabel = {kunci: "" if nilai is None else str(nilai) for kunci, nilai in variabel.items()}
    return Outbox(
        penerima=penerima,
        kanal=kanal,
        templat=templat.kode,
        variabel=variabel,
        isi=Template(templat.isi).render(Context(variabel, autoescape=False)).strip(),
        referensi=referensi,
        status=status,
        induk=induk,
        kode_galat=kode_galat,
    )


def _tulis(*, penerima, kanal, templat, variabel, referensi, status=Status.ANTRI, induk=None, kode_galat="") -> Outbox:
    pesan = _baris(
        penerima=penerima, kanal=kanal, templat=templat, variabel=variabel, referensi=referensi, status=status,
        induk=induk, kode_galat=kode_galat,
    )
    pesan.save(force_insert=True)
    if status == Status.ANTRI:
        transaction.on_commit(lambda: antrikan(pesan.pk))
    return pesan


def antrikan(outbox_id: int, *, countdown: float | None = None):
    """Hand a row to a worker. A broker that is down loses nothing: the periodic sweep sends the row."""
    from notifikasi.tasks import kirim_pesan

    try:
        kirim_pesan.apply_async((outbox_id,), countdown=countdown, retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure; the row is safe in the database
        log.warning("antrean tidak terjangkau (%s); pesan #%s menunggu penyapu berkala", exc, outbox_id)


POTONGAN_TUGAS = 20  # rows per kirim_pesan_banyak task: a few tasks share a burst across workers


def antrikan_banyak(outbox_ids: list[int]):
    """Hand many rows to the workers, POTONGAN_TUGAS per task; same fallback as `antrikan`."""
    from notifikasi.tasks import kirim_pesan_banyak

    for i in range(0, len(outbox_ids), POTONGAN_TUGAS):
        potongan = list(outbox_ids[i : i + POTONGAN_TUGAS])
        try:
            kirim_pesan_banyak.apply_async((potongan,), retry=False)
        except Exception as exc:  # noqa: BLE001 - any broker failure; the rows are safe in the database
            log.warning("antrean tidak terjangkau (%s); %d pesan menunggu penyapu berkala", exc, len(potongan))
            return


def outbox_cadangan_sms(*, pesan: Outbox) -> Outbox | None:
    """Write the SMS copy of a WhatsApp message that cannot be delivered, once, if its template allows."""
    if pesan.kanal != Outbox.Kanal.WHATSAPP or pesan.cadangan.exists():
        return None
    templat = templat_untuk(pesan.templat)
    if not templat.sms_cadangan:
        return None
    return _tulis(
        penerima=pesan.penerima,
        kanal=Outbox.Kanal.SMS,
        templat=templat,
        variabel=pesan.variabel,
        referensi=pesan.referensi,
        induk=pesan,
    )


def outbox_gagal(*, pesan_id: int, kode: str, pesan_galat: str, dari_status: str = Status.MENGIRIM) -> bool:
    """Final failure of a send; writes the SMS fallback in the same transaction when that applies."""
    with transaction.atomic():
        pesan = Outbox.objects.select_for_update().filter(pk=pesan_id, status=dari_status).first()
        if pesan is None:
            return False
        pesan.status = Status.GAGAL
        pesan.kode_galat = kode[:20]
        pesan.pesan_galat = pesan_galat
        pesan.save(update_fields=["status", "kode_galat", "pesan_galat", "diperbarui"])
        if kode in KODE_CADANGAN_SMS:
            outbox_cadangan_sms(pesan=pesan)
    return True


def outbox_status_penyedia(
    *, sid: str, status: str, kode_galat: str = "", pesan_id: int | None = None
) -> Outbox | None:
    """Apply a delivery status callback. Status only moves forward; callbacks may arrive in any order.

    `pesan_id` comes from our own StatusCallback URL: it lets a callback attach
    the SID to a row whose relay died before saving it (see docs/notifikasi.md).
    """
    baru = STATUS_TWILIO.get(status)
    with transaction.atomic():
        pesan = Outbox.objects.select_for_update().filter(provider_sid=sid).first()
        if pesan is None and pesan_id is not None:
            pesan = Outbox.objects.select_for_update().filter(pk=pesan_id, provider_sid="").first()
            if pesan is not None:
                log.warning("pesan #%s: SID %s diambil dari callback (relai tidak sempat menyimpannya)", pesan.pk, sid)
                pesan.provider_sid = sid
                pesan.dikirim_pada = pesan.dikirim_pada or timezone.now()
                if pesan.status in (Status.ANTRI, Status.MENGIRIM, Status.TINJAU):
                    pesan.status = Status.TERKIRIM
                pesan.save(update_fields=["provider_sid", "dikirim_pada", "status", "diperbarui"])
        if pesan is None:
            log.warning("callback status untuk SID tak dikenal %s (%s)", sid, status)
            return None
        if baru is None or pesan.status in (Status.GAGAL, Status.DILEWATI):
            return pesan
        if baru == Status.GAGAL:
            if pesan.status in (Status.SAMPAI, Status.DIBACA):
                return pesan
            pesan.status = Status.GAGAL
            pesan.kode_galat = (kode_galat or status)[:20]
            pesan.status_penyedia = status
            pesan.save(update_fields=["status", "kode_galat", "status_penyedia", "diperbarui"])
            outbox_cadangan_sms(pesan=pesan)
            return pesan
        if _PERINGKAT[baru] > _PERINGKAT[pesan.status]:
            pesan.status = baru
            pesan.status_penyedia = status
            pesan.save(update_fields=["status", "status_penyedia", "diperbarui"])
    return pesan


def sesi_catat(*, no_hp: str, waktu=None) -> None:
    """An inbound WhatsApp message opens the 24-hour window for free-form replies."""
    waktu = waktu or timezone.now()
    SesiWhatsApp.objects.update_or_create(no_hp=no_hp, defaults={"terakhir_masuk": waktu})


def pesan_masuk_terima(*, dari: str, isi: str, kanal: str = Outbox.Kanal.WHATSAPP, waktu=None) -> str | None:
    """Handle an inbound message: keep the window open, honour BERHENTI/MULAI. Returns the reply text."""
    waktu = waktu or timezone.now()
    no_hp = normalisasi_hp(dari)
    kata = (isi or "").strip().split(maxsplit=1)
    kata = kata[0].strip(".!,").upper() if kata else ""
    with transaction.atomic():
        if kanal == Outbox.Kanal.WHATSAPP:
            sesi_catat(no_hp=no_hp, waktu=waktu)
        if kata in KATA_BERHENTI:
            _berhenti, baru = Berhenti.objects.get_or_create(no_hp=no_hp, defaults={"sejak": waktu})
            if baru:
                audit_catat(
                    rantai=RANTAI_SISTEM, kategori="notifikasi", aksi="berhenti_berlangganan",
                    objek_tipe="no_hp", objek_id=no_hp, data={"kata": kata, "kanal": kanal}, waktu=waktu,
                )
            log.info("%s berhenti berlangganan WhatsApp", samarkan_hp(no_hp))
            return _("Anda tidak akan menerima pesan WhatsApp dari Simpatik lagi. Balas MULAI untuk mengaktifkan kembali.")
        if kata in KATA_MULAI:
            dihapus, _jumlah = Berhenti.objects.filter(no_hp=no_hp).delete()
            if dihapus:
                audit_catat(
                    rantai=RANTAI_SISTEM, kategori="notifikasi", aksi="mulai_berlangganan",
                    objek_tipe="no_hp", objek_id=no_hp, data={"kata": kata, "kanal": kanal}, waktu=waktu,
                )
            return _("Pemberitahuan WhatsApp Simpatik aktif kembali. Balas BERHENTI untuk menghentikannya.")
    return None


def dalam_jendela_sesi(*, no_hp: str, waktu=None) -> bool:
    """True while free-form Body is allowed; five minutes of margin against the edge of the window."""
    batas = (waktu or timezone.now()) - JENDELA_SESI + timedelta(minutes=5)
    return SesiWhatsApp.objects.filter(no_hp=no_hp, terakhir_masuk__gt=batas).exists()


def outbox_hapus_rahasia(*, waktu=None) -> int:
    """Blank secret messages (sign-in codes) once they are useless; an unsent one is skipped."""
    batas = (waktu or timezone.now()) - timedelta(seconds=settings.OTP_TTL_SECONDS)
    kode_rahasia = {t["kode"] for t in BAWAAN.values() if t.get("rahasia")}
    kode_rahasia |= set(TemplatPesan.objects.filter(rahasia=True).values_list("kode", flat=True))
    lama = Outbox.objects.filter(templat__in=kode_rahasia, dibuat__lt=batas).exclude(isi="[dihapus]")
    lama.filter(status=Status.ANTRI).update(status=Status.DILEWATI, kode_galat="kedaluwarsa")
    return lama.exclude(status=Status.MENGIRIM).update(isi="[dihapus]", variabel={})
