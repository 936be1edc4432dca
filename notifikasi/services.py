"""Writes of the notifikasi app: the outbox, delivery status, consent and the 24-hour window.

Sending itself lives in relay.py; this module only changes rows.
"""

import base64
import functools
import hashlib
import json
import logging
from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import transaction
from django.template import Context, Template
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.enkripsi import indeks_hp, saring_indeks
from audit.services import RANTAI_SISTEM, audit_catat
from audit.sisip import sisipkan
from kelurahan.simpanan import SimpananProses
from notifikasi.models import TANDA_ANONIM, Berhenti, Outbox, SesiWhatsApp, TemplatPesan
from notifikasi.serah import POTONGAN_TUGAS, antrikan_banyak, ketuk  # noqa: F401 - POTONGAN_TUGAS re-exported
from notifikasi.telepon import normalisasi_hp, samarkan_hp
from notifikasi.templat_bawaan import BAWAAN
from notifikasi.transport import sms_tersedia

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
ISI_DIHAPUS = "[dihapus]"


templat_simpanan = SimpananProses("simpatik:templat:versi")


def _templat_admin() -> dict[str, TemplatPesan]:
    """Every row of the (small) template table, kept per process: each message of a submission or an action
    needs its template, the admin edits them a few times a year. Its version token is read with the other
    master data's in the request's one round trip (kelurahan/simpanan.py); any save or delete replaces it
    now and after commit (notifikasi/apps.py); read from the database when the cache cannot answer.
    Read-only: the rows are shared by every request of the process."""
    return templat_simpanan.ambil("semua", lambda: {t.kode: t for t in TemplatPesan.objects.all()})


templat_lupakan = templat_simpanan.invalidasi_sekarang_dan_saat_commit


def templat_untuk_banyak(kode: set[str], *, simpanan: bool = False) -> dict[str, TemplatPesan]:
    """{kode: template}: the admin's row if there is one, else the default from templat_bawaan (unsaved).
    `simpanan`: from the cached table (the write path of submissions and actions); the relay reads the
    rows themselves, so sending never depends on the cache."""
    if simpanan:
        admin = _templat_admin()
        templat = {k: admin[k] for k in kode if k in admin}
    else:
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

    A WhatsApp message to a number that replied BERHENTI is skipped by the relay (`berhenti_berlaku`).
    """
    templat_pesan = templat_untuk_banyak({templat}, simpanan=True)[templat]
    penerima, status = _status_awal(penerima, templat_pesan)
    return _tulis(
        penerima=penerima, kanal=kanal, templat=templat_pesan, variabel=variabel, referensi=referensi, status=status,
        kode_galat="nomor_tidak_valid" if status == Status.GAGAL else "",
    )


def berhenti_berlaku(*, kanal: str, templat: TemplatPesan, no_hp: str) -> bool:
    """Whether a message must be skipped because its number replied BERHENTI: WhatsApp only, and not a
    message the resident asked for right now (a sign-in code). Asked by the relay right before it sends,
    so an opt-out made after a message was written still holds, and a submission does not pay the lookup."""
    if kanal != Outbox.Kanal.WHATSAPP or templat.diminta_penerima:
        return False
    return Berhenti.objects.filter(**saring_indeks("kunci_hp", indeks_hp, no_hp)).exists()


def _status_awal(penerima, templat_pesan: TemplatPesan) -> tuple[str, str]:
    """(normalized number, first status) of a new row."""
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
    return penerima, Status.ANTRI


def outbox_tulis_banyak(*, pesan: list[dict]) -> list[Outbox]:
    """Write many messages with one INSERT, by the rules of `outbox_tulis`; handed to the relay after commit.

    Each item has the keyword arguments of `outbox_tulis`. Templates are read once
    for the whole list, and the queued rows go to the workers in a few
    `kirim_pesan_banyak` tasks instead of one broker publish per row.
    """
    if not pesan:
        return []
    templat = templat_untuk_banyak({p["templat"] for p in pesan}, simpanan=True)
    baris = []
    for p in pesan:
        kanal = p.get("kanal", Outbox.Kanal.WHATSAPP)
        penerima, status = _status_awal(p["penerima"], templat[p["templat"]])
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


@functools.lru_cache(maxsize=256)
def _kompilasi(isi: str) -> Template:
    """A template's text compiled once per process (0.14 ms a message; rendering takes 0.02): keyed by the
    text itself, so an edited template is compiled anew and never confused with the old one."""
    return Template(isi)


def _baris(*, penerima, kanal, templat, variabel, referensi, status=Status.ANTRI, induk=None, kode_galat="") -> Outbox:
    variabel = {kunci: "" if nilai is None else str(nilai) for kunci, nilai in variabel.items()}
    return Outbox(
        penerima=penerima,
        kanal=kanal,
        templat=templat.kode,
        variabel=variabel,
        isi=_kompilasi(templat.isi).render(Context(variabel, autoescape=False)).strip(),
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
    sisipkan(pesan)  # one statement compiled once per process (issue 22); Outbox has no signals
    if status == Status.ANTRI:
        transaction.on_commit(ketuk)
    return pesan


def outbox_cadangan_sms(*, pesan: Outbox) -> Outbox | None:
    """Write the SMS copy of a WhatsApp message that cannot be delivered, once, if its template allows.

    Skipped, with the reason kept on the WhatsApp row, when no SMS sender is
    configured or the secret it would carry has expired.
    """
    if pesan.kanal != Outbox.Kanal.WHATSAPP or pesan.cadangan.exists():
        return None
    templat = templat_untuk(pesan.templat)
    if not templat.sms_cadangan:
        return None
    if not sms_tersedia():
        _catat_alasan(pesan, "SMS cadangan dilewati: pengirim SMS (TWILIO_SMS_FROM) belum diatur")
        return None
    variabel = pesan.variabel
    if pesan.variabel_tersegel:
        variabel = _buka_segel(pesan.variabel_tersegel)
        Outbox.objects.filter(pk=pesan.pk).update(variabel_tersegel="")
        if variabel is None:
            _catat_alasan(pesan, "SMS cadangan dilewati: isi rahasia sudah kedaluwarsa")
            return None
    return _tulis(
        penerima=pesan.penerima,
        kanal=Outbox.Kanal.SMS,
        templat=templat,
        variabel=variabel,
        referensi=pesan.referensi,
        induk=pesan,
    )


def _catat_alasan(pesan: Outbox, alasan: str):
    log.warning("pesan #%s: %s", pesan.pk, alasan)
    pesan.pesan_galat = f"{pesan.pesan_galat} | {alasan}" if pesan.pesan_galat else alasan
    Outbox.objects.filter(pk=pesan.pk).update(pesan_galat=pesan.pesan_galat)


def _kunci_segel() -> Fernet:
    turunan = hashlib.sha256(f"notifikasi-segel:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(turunan))


def _buka_segel(token: str) -> dict | None:
    """The sealed variables, or None once OTP_TTL_SECONDS have passed (or SECRET_KEY changed)."""
    try:
        return json.loads(_kunci_segel().decrypt(token.encode(), ttl=settings.OTP_TTL_SECONDS))
    except InvalidToken:
        return None


def kolom_rahasia_dihapus(pesan: Outbox, templat: TemplatPesan) -> dict:
    """Columns that blank a secret message (a sign-in code) once it is handed over or failed for good.

    A WhatsApp secret whose template has an SMS fallback keeps its variables
    sealed (Fernet, key derived from SECRET_KEY, readable for OTP_TTL_SECONDS)
    so a later "undelivered" callback can still send the SMS; no one reads them
    from the table or the admin. Empty for a template that is not secret.
    """
    if not templat.rahasia:
        return {}
    segel = ""
    if pesan.kanal == Outbox.Kanal.WHATSAPP and templat.sms_cadangan and pesan.variabel:
        segel = _kunci_segel().encrypt(json.dumps(pesan.variabel).encode()).decode()
    return {"isi": ISI_DIHAPUS, "variabel": {}, "variabel_tersegel": segel}


def kode_templat_rahasia() -> set[str]:
    """Codes of the secret templates: the defaults marked so, and rows the admin marked."""
    kode = {k for k, t in BAWAAN.items() if t.get("rahasia")}
    return kode | set(TemplatPesan.objects.filter(rahasia=True).values_list("kode", flat=True))


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
        # A code that will never be delivered is blanked now (the fallback above took its copy).
        if kosong := kolom_rahasia_dihapus(pesan, templat_untuk(pesan.templat)):
            Outbox.objects.filter(pk=pesan.pk).update(**kosong, variabel_tersegel="")
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
                pesan.periksa_dulu = False
                kosong = kolom_rahasia_dihapus(pesan, templat_untuk(pesan.templat))  # handed over: blank a code
                for kolom, nilai in kosong.items():
                    setattr(pesan, kolom, nilai)
                pesan.save(update_fields=["provider_sid", "dikirim_pada", "status", "periksa_dulu", "diperbarui", *kosong])
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
            if baru in (Status.SAMPAI, Status.DIBACA):
                pesan.variabel_tersegel = ""  # delivered: no fallback will need the secret
            pesan.save(update_fields=["status", "status_penyedia", "variabel_tersegel", "diperbarui"])
    return pesan


def sesi_catat(*, no_hp: str, waktu=None) -> None:
    """An inbound WhatsApp message opens the 24-hour window for free-form replies."""
    waktu = waktu or timezone.now()
    SesiWhatsApp.objects.update_or_create(kunci_hp=indeks_hp(no_hp), defaults={"terakhir_masuk": waktu})


def pesan_masuk_terima(*, dari: str, isi: str, kanal: str = Outbox.Kanal.WHATSAPP, waktu=None) -> str | None:
    """Handle an inbound message: keep the window open, honour BERHENTI/MULAI. Returns the reply text."""
    waktu = waktu or timezone.now()
    no_hp = normalisasi_hp(dari)
    kunci = indeks_hp(no_hp)  # the ledger names the number by its blind index, never in clear
    kata = (isi or "").strip().split(maxsplit=1)
    kata = kata[0].strip(".!,").upper() if kata else ""
    with transaction.atomic():
        if kanal == Outbox.Kanal.WHATSAPP:
            sesi_catat(no_hp=no_hp, waktu=waktu)
        if kata in KATA_BERHENTI:
            _berhenti, baru = Berhenti.objects.get_or_create(kunci_hp=kunci, defaults={"sejak": waktu})
            if baru:
                audit_catat(
                    rantai=RANTAI_SISTEM, kategori="notifikasi", aksi="berhenti_berlangganan",
                    objek_tipe="kunci_hp", objek_id=kunci[:16], data={"kata": kata, "kanal": kanal}, waktu=waktu,
                )
            log.info("%s berhenti berlangganan WhatsApp", samarkan_hp(no_hp))
            return _("Anda tidak akan menerima pesan WhatsApp dari Simpatik lagi. Balas MULAI untuk mengaktifkan kembali.")
        if kata in KATA_MULAI:
            dihapus, _jumlah = Berhenti.objects.filter(**saring_indeks("kunci_hp", indeks_hp, no_hp)).delete()
            if dihapus:
                audit_catat(
                    rantai=RANTAI_SISTEM, kategori="notifikasi", aksi="mulai_berlangganan",
                    objek_tipe="kunci_hp", objek_id=kunci[:16], data={"kata": kata, "kanal": kanal}, waktu=waktu,
                )
            return _("Pemberitahuan WhatsApp Simpatik aktif kembali. Balas BERHENTI untuk menghentikannya.")
    return None


def dalam_jendela_sesi(*, no_hp: str, waktu=None) -> bool:
    """True while free-form Body is allowed; five minutes of margin against the edge of the window."""
    batas = (waktu or timezone.now()) - JENDELA_SESI + timedelta(minutes=5)
    return SesiWhatsApp.objects.filter(**saring_indeks("kunci_hp", indeks_hp, no_hp), terakhir_masuk__gt=batas).exists()


def outbox_hapus_rahasia(*, waktu=None) -> int:
    """Blank what is left of expired secret messages (sign-in codes): sealed copies, and rows that
    never reached the provider; an unsent one is skipped. Handed-over ones were blanked at once."""
    batas = (waktu or timezone.now()) - timedelta(seconds=settings.OTP_TTL_SECONDS)
    lama = Outbox.objects.filter(templat__in=kode_templat_rahasia(), dibuat__lt=batas)
    lama.filter(status=Status.ANTRI).update(status=Status.DILEWATI, kode_galat="kedaluwarsa")
    lama.exclude(variabel_tersegel="").update(variabel_tersegel="")
    # The text is sealed (no SQL comparison): a blanked row is known by its emptied variables (a secret always
    # has some) or by retention's mark.
    return (lama.exclude(status=Status.MENGIRIM).exclude(variabel={}).exclude(variabel__has_key=TANDA_ANONIM)
            .update(isi=ISI_DIHAPUS, variabel={}))
