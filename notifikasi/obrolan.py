"""The WhatsApp conversation: a state machine per phone number (Percakapan), its transitions in one table.

notifikasi knows no request, survey or complaint (tests/test_arsitektur.py): the apps above register
their handlers here (`daftarkan`, from their AppConfig.ready, as audit/kait.py does for the ledger) and
this module calls them by name. Every reply is an outbox row (relay: exactly once); the webhook has
already checked Twilio's signature. Replies use the templates `obrolan_*` (`*_en` in English).

Ports a deployment registers (keyword arguments, see layanan/obrolan.py and integritas/obrolan.py):
  status(no_hp, nomor, bahasa) -> [(templat, variabel)]       nomor "" = the sender's own requests
  survei_buka(no_hp) -> ref | None                           a finished request of this number, unsurveyed
  survei_butir(bahasa) -> [{"kunci", "pertanyaan", "pilihan"}]  pilihan: 4 labels, or None for yes/no
  survei_simpan(ref, jawaban) -> bool                        False: already answered
  lapor_simpan(no_hp, kategori, isi, bukti, anonim) -> (kode_lacak, tautan)   raises ValueError(alasan)
"""

import logging
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from audit.enkripsi import indeks_hp
from notifikasi.models import Percakapan
from notifikasi.services import outbox_tulis
from notifikasi.telepon import samarkan_hp

log = logging.getLogger("notifikasi.obrolan")
K = Percakapan.Keadaan
PORT: dict = {}
NOMOR_REGISTRASI = re.compile(r"^[2-9A-HJ-NP-Z]{4}-?[2-9A-HJ-NP-Z]{4}$")
KATEGORI = {"PUNGLI": "pungli", "CALO": "calo", "LAMBAT": "lambat", "PERILAKU": "perilaku", "LAINNYA": "lainnya"}
UMUR_LAPOR = timedelta(hours=1)  # an unfinished complaint is forgotten after this
UMUR_SURVEI = timedelta(days=7)  # a paused survey is kept this long


def daftarkan(nama: str, fungsi) -> None:
    """Called by the domain apps at start-up: one handler per port name (a second call replaces it)."""
    PORT[nama] = fungsi


@dataclass
class Masuk:
    """One inbound message as the conversation sees it."""

    no_hp: str
    teks: str = ""
    payload: str = ""  # ButtonPayload (quick reply) or ListId (list picker): read as if typed
    bukti: object = None  # the fetched media file (ContentFile), when one came
    galat_bukti: str = ""
    waktu: object = None
    balasan: list = field(default_factory=list)

    @property
    def kata(self) -> str:
        teks = (self.payload or self.teks or "").strip()
        return teks.split(maxsplit=1)[0].strip(".!,").upper() if teks else ""

    @property
    def sisa(self) -> str:
        bagian = (self.payload or self.teks or "").strip().split(maxsplit=1)
        return bagian[1].strip() if len(bagian) > 1 else ""


# --- rate limit ---------------------------------------------------------------------------------------


def laju_hitung(no_hp: str, *, sekarang: float | None = None) -> int:
    """How many messages this number sent in the current minute, this one included; 0 when the cache
    cannot count (then the message goes through: a conversation must not die with Redis)."""
    menit = int((time.time() if sekarang is None else sekarang) // 60)
    kunci = f"obrolan:laju:{no_hp}:{menit}"
    try:
        cache.add(kunci, 0, timeout=90)
        try:
            return cache.incr(kunci)
        except ValueError:  # evicted between add and incr
            cache.add(kunci, 1, timeout=90)
            return 1
    except Exception as exc:  # noqa: BLE001 - any cache failure degrades to no limit
        log.warning("batas laju percakapan tidak tersedia (%s); pesan diteruskan", exc)
        return 0


# --- entry point --------------------------------------------------------------------------------------


def terima(masuk: Masuk, *, media_url: str = "") -> list[tuple[str, dict]]:
    """Handle one inbound WhatsApp message: rate limit, then one transition; replies go to the outbox.

    A media file is fetched only when the conversation waits for a complaint's evidence (and before the
    row lock is taken: no HTTP request inside the transaction). Returns the (template, variables) written.
    """
    masuk.waktu = masuk.waktu or timezone.now()
    jumlah = laju_hitung(masuk.no_hp)
    batas = settings.OBROLAN_PESAN_PER_MENIT
    if media_url and jumlah <= batas and Percakapan.objects.filter(
            kunci_hp=indeks_hp(masuk.no_hp), keadaan=K.LAPOR_BUKTI).exists():
        _ambil_bukti(masuk, media_url)
    with transaction.atomic():
        obrolan, _baru = Percakapan.objects.select_for_update().get_or_create(kunci_hp=indeks_hp(masuk.no_hp))
        if jumlah > batas:
            # One notice when the limit is crossed, then silence until the minute is over.
            if jumlah == batas + 1:
                _balas(obrolan, masuk, "obrolan_terlalu_sering")
            log.warning("percakapan %s: %d pesan dalam semenit, diabaikan", samarkan_hp(masuk.no_hp), jumlah)
        else:
            _lupakan_yang_kedaluwarsa(obrolan, masuk.waktu)
            peristiwa = _peristiwa(obrolan, masuk)
            penangan = TRANSISI.get((obrolan.keadaan, peristiwa)) or TRANSISI[(None, peristiwa)]
            penangan(obrolan, masuk)
            obrolan.save()
        for templat, variabel in masuk.balasan:
            outbox_tulis(penerima=masuk.no_hp, templat=templat, variabel=variabel, referensi="obrolan")
    return masuk.balasan


def _ambil_bukti(masuk: Masuk, media_url: str) -> None:
    from django.core.files.base import ContentFile

    from notifikasi.transport.twilio_klien import MediaDitolak, unduh_media

    try:
        masuk.bukti = ContentFile(unduh_media(media_url, batas_byte=settings.PENGADUAN_BUKTI_MAX_BYTES))
    except MediaDitolak as exc:
        log.warning("percakapan %s: media tidak diambil (%s)", samarkan_hp(masuk.no_hp), exc)
        masuk.galat_bukti = str(exc)


def _lupakan_yang_kedaluwarsa(obrolan: Percakapan, waktu) -> None:
    if obrolan.kedaluwarsa and obrolan.kedaluwarsa <= waktu:
        survei = obrolan.konteks.get("survei")
        if survei and datetime.fromisoformat(survei["sampai"]) <= waktu:
            obrolan.konteks.pop("survei")
        _ke_menu(obrolan)  # a paused survey outlives an abandoned complaint


def _nomor_polos(kata: str) -> bool:
    """A bare registration number: its shape, and a hyphen or a digit (so "SERTAKAN" stays a word)."""
    return bool(NOMOR_REGISTRASI.match(kata)) and ("-" in kata or any(c.isdigit() for c in kata))


def _peristiwa(obrolan: Percakapan, masuk: Masuk) -> str:
    """The event an inbound message is. Commands win in every state; anything else answers the state."""
    kata = masuk.kata
    if kata in ("ENGLISH", "INGGRIS"):
        return "bahasa_en"
    if kata in ("BAHASA", "INDONESIA", "INDONESIAN"):
        return "bahasa_id"
    if kata in ("BATAL", "CANCEL", "MENU"):
        return "batal"
    if kata in ("CEK", "STATUS") or _nomor_polos(kata):
        return "cek"
    if kata in ("SURVEI", "SURVEY", "LANJUT", "CONTINUE"):
        return "survei"
    if kata in ("LAPOR", "REPORT"):
        return "lapor"
    if kata in ("NANTI", "LATER", "JEDA", "PAUSE"):
        return "jeda"
    return "jawab"


# --- replies ------------------------------------------------------------------------------------------


def _balas(obrolan: Percakapan, masuk: Masuk, templat: str, **variabel) -> None:
    masuk.balasan.append((templat + ("_en" if obrolan.bahasa == "en" else ""), variabel))


def _port(nama):
    fungsi = PORT.get(nama)
    if fungsi is None:
        raise LookupError(f"port percakapan {nama!r} belum didaftarkan")
    return fungsi


# --- transitions --------------------------------------------------------------------------------------


def menu(obrolan, masuk):
    _balas(obrolan, masuk, "obrolan_menu")


def ganti_bahasa(bahasa):
    def penangan(obrolan, masuk):
        obrolan.bahasa = bahasa
        _balas(obrolan, masuk, "obrolan_bahasa")
    return penangan


def _ke_menu(obrolan) -> None:
    """Back to the menu: a complaint draft is dropped, a paused survey kept until its own expiry."""
    survei = obrolan.konteks.get("survei")
    obrolan.keadaan = K.MENU
    obrolan.konteks = {"survei": survei} if survei else {}
    obrolan.kedaluwarsa = datetime.fromisoformat(survei["sampai"]) if survei else None


def batal(obrolan, masuk):
    """Leave any step; a survey under way stays paused (kept), a complaint being written is dropped."""
    _ke_menu(obrolan)
    menu(obrolan, masuk)


def cek(obrolan, masuk):
    """Status by number (CEK <nomor> or the bare number) or, for "STATUS", the sender's own requests.
    What is said about whom is the status port's decision (owner or public answer)."""
    nomor = masuk.sisa if masuk.kata in ("CEK", "STATUS") else masuk.kata
    nomor = nomor.split()[0].upper() if nomor else ""
    if masuk.kata == "CEK" and not nomor:
        return menu(obrolan, masuk)
    for templat, variabel in _port("status")(no_hp=masuk.no_hp, nomor=nomor, bahasa=obrolan.bahasa):
        _balas(obrolan, masuk, templat, **variabel)


# survey


def survei_mulai(obrolan, masuk):
    """Start the survey of this number's latest finished request, or resume the one paused."""
    survei = obrolan.konteks.get("survei")
    if not survei:
        ref = _port("survei_buka")(no_hp=masuk.no_hp)
        if ref is None:
            _ke_menu(obrolan)
            return _balas(obrolan, masuk, "obrolan_survei_tidak_ada")
        survei = {"ref": ref, "jawaban": {}}
    survei["sampai"] = (masuk.waktu + UMUR_SURVEI).isoformat()
    obrolan.konteks = {"survei": survei}
    obrolan.keadaan = K.SURVEI
    obrolan.kedaluwarsa = masuk.waktu + UMUR_SURVEI
    _tanya_berikut(obrolan, masuk)


def _tanya_berikut(obrolan, masuk):
    butir = _port("survei_butir")(bahasa=obrolan.bahasa)
    jawaban = obrolan.konteks["survei"]["jawaban"]
    for urutan, b in enumerate(butir, 1):
        if b["kunci"] in jawaban:
            continue
        umum = {"urutan": urutan, "jumlah": len(butir), "pertanyaan": b["pertanyaan"]}
        if b["pilihan"] is None:
            return _balas(obrolan, masuk, "obrolan_survei_bayar", **umum)
        # A list item is at most 24 characters (Twilio); the full wording is in the question's text.
        pendek = {f"p{i}": str(p)[:24] for i, p in enumerate(b["pilihan"], 1)}
        return _balas(obrolan, masuk, "obrolan_survei_tanya", **umum, **pendek)
    # All answered: store once, through the same service the web form uses.
    disimpan = _port("survei_simpan")(ref=obrolan.konteks["survei"]["ref"], jawaban=jawaban)
    obrolan.konteks = {}  # the answers leave the number's row in the transaction that stored them
    _ke_menu(obrolan)
    _balas(obrolan, masuk, "obrolan_survei_selesai" if disimpan else "obrolan_survei_tidak_ada")


def survei_jawab(obrolan, masuk):
    butir = _port("survei_butir")(bahasa=obrolan.bahasa)
    jawaban = obrolan.konteks["survei"]["jawaban"]
    b = next((b for b in butir if b["kunci"] not in jawaban), None)
    kata = masuk.kata
    nilai = None
    if b is not None and b["pilihan"] is None:
        nilai = {"YA": True, "YES": True, "Y": True, "TIDAK": False, "NO": False, "N": False}.get(kata)
    elif b is not None and kata in ("1", "2", "3", "4"):
        nilai = int(kata)
    if nilai is None:
        _balas(obrolan, masuk, "obrolan_survei_salah")
    else:
        jawaban[b["kunci"]] = nilai
    _tanya_berikut(obrolan, masuk)


def survei_jeda(obrolan, masuk):
    survei = obrolan.konteks.get("survei")
    _ke_menu(obrolan)
    if not survei:
        return menu(obrolan, masuk)
    jumlah = len(_port("survei_butir")(bahasa=obrolan.bahasa))
    _balas(obrolan, masuk, "obrolan_survei_jeda", terjawab=len(survei["jawaban"]), jumlah=jumlah)


# complaint: kind -> anonymous? -> story -> photo or LEWATI -> filed


def _lapor_langkah(obrolan, masuk, keadaan, templat):
    obrolan.keadaan = keadaan
    obrolan.kedaluwarsa = masuk.waktu + UMUR_LAPOR
    _balas(obrolan, masuk, templat)


def lapor_mulai(obrolan, masuk):
    obrolan.konteks = {**{k: v for k, v in obrolan.konteks.items() if k == "survei"}, "lapor": {}}
    kategori = KATEGORI.get(masuk.sisa.split()[0].upper()) if masuk.sisa else None
    if kategori:  # "LAPOR PUNGLI" skips a step
        obrolan.konteks["lapor"]["kategori"] = kategori
        return _lapor_langkah(obrolan, masuk, K.LAPOR_ANONIM, "obrolan_lapor_anonim")
    _lapor_langkah(obrolan, masuk, K.LAPOR_JENIS, "obrolan_lapor_jenis")


def lapor_jenis(obrolan, masuk):
    kategori = KATEGORI.get(masuk.kata)
    if kategori is None:
        return _balas(obrolan, masuk, "obrolan_lapor_jenis")
    obrolan.konteks["lapor"]["kategori"] = kategori
    _lapor_langkah(obrolan, masuk, K.LAPOR_ANONIM, "obrolan_lapor_anonim")


def lapor_anonim(obrolan, masuk):
    pilihan = {"ANONIM": True, "ANONYMOUS": True, "SERTAKAN": False, "INCLUDE": False}.get(masuk.kata)
    if pilihan is None:
        return _balas(obrolan, masuk, "obrolan_lapor_anonim")
    obrolan.konteks["lapor"]["anonim"] = pilihan
    _lapor_langkah(obrolan, masuk, K.LAPOR_ISI, "obrolan_lapor_isi")


def lapor_isi(obrolan, masuk):
    isi = (masuk.teks or "").strip()
    if len(isi) < 10:
        return _balas(obrolan, masuk, "obrolan_lapor_isi")
    obrolan.konteks["lapor"]["isi"] = isi[:5000]
    _lapor_langkah(obrolan, masuk, K.LAPOR_BUKTI, "obrolan_lapor_bukti")


def lapor_bukti(obrolan, masuk):
    if masuk.galat_bukti:
        return _balas(obrolan, masuk, "obrolan_lapor_galat", alasan=masuk.galat_bukti)
    if masuk.bukti is None and masuk.kata not in ("LEWATI", "SKIP"):
        return _balas(obrolan, masuk, "obrolan_lapor_bukti")
    lapor = obrolan.konteks["lapor"]
    try:
        kode, tautan = _port("lapor_simpan")(
            no_hp=masuk.no_hp, kategori=lapor["kategori"], isi=lapor["isi"], bukti=masuk.bukti,
            anonim=lapor["anonim"],
        )
    except ValueError as exc:
        return _balas(obrolan, masuk, "obrolan_lapor_galat", alasan=str(exc))
    _ke_menu(obrolan)
    _balas(obrolan, masuk, "obrolan_lapor_diterima", kode=kode, tautan=tautan)


# (state, event) -> handler; state None = any state not listed for that event.
TRANSISI = {
    (None, "bahasa_en"): ganti_bahasa("en"),
    (None, "bahasa_id"): ganti_bahasa("id"),
    (None, "batal"): batal,
    (None, "cek"): cek,
    (None, "survei"): survei_mulai,
    (None, "lapor"): lapor_mulai,
    (None, "jeda"): survei_jeda,
    (None, "jawab"): menu,
    (K.SURVEI, "jawab"): survei_jawab,
    (K.LAPOR_JENIS, "jawab"): lapor_jenis,
    (K.LAPOR_ANONIM, "jawab"): lapor_anonim,
    (K.LAPOR_ISI, "jawab"): lapor_isi,
    # Inside the story step a command word is still the story ("Cek dulu..." is a sentence).
    (K.LAPOR_ISI, "cek"): lapor_isi,
    (K.LAPOR_ISI, "survei"): lapor_isi,
    (K.LAPOR_ISI, "jeda"): lapor_isi,
    (K.LAPOR_BUKTI, "jawab"): lapor_bukti,
}
