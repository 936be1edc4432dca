"""Appending to the audit ledger. Call inside the transaction of the action it records."""

import hashlib
import hmac
import json
import secrets
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import filetype
import holidays
from django.conf import settings
from django.core.signing import BadSignature, TimestampSigner
from django.db import IntegrityError, connection, transaction
from django.db.models import DateTimeField
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import merkle
from audit.ikm import ITEM_IPAK, ITEM_IPKP, UNSUR_IKM
from audit.indikator import kode_induk, ringkasan_terapkan, tingkat_kode
from audit.konteks import KonteksPermintaan, konteks_sekarang
from audit.models import GENESIS_HASH, AuditEvent, PemeriksaanRantai, Pengaduan, RantaiAudit, RiwayatPengaduan, Survei
from audit.pengaturan import atur
from audit.sisip import sisipkan

RANTAI_SISTEM = "sistem"


def kanonik(nilai) -> str:
    """The one serialization that is hashed: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(nilai, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def data_daun(*, hash_sebelum: str, isi: dict) -> bytes:
    """What an event's chain hash covers, and its Merkle leaf: the previous hash and the canonical content."""
    return (hash_sebelum + kanonik(isi)).encode("utf-8")


def hitung_hash(*, hash_sebelum: str, isi: dict) -> str:
    return hashlib.sha256(data_daun(hash_sebelum=hash_sebelum, isi=isi)).hexdigest()


def frontier_baca(teks: str) -> list[bytes]:
    return [bytes.fromhex(teks[i:i + 64]) for i in range(0, len(teks), 64)]


def frontier_tulis(frontier: list[bytes]) -> str:
    return "".join(x.hex() for x in frontier)


def isi_event(event: AuditEvent) -> dict:
    """The fields covered by the hash, as they are stored."""
    return {
        "rantai": event.rantai,
        "urutan": event.urutan,
        "waktu": event.waktu.astimezone(dt_timezone.utc).isoformat(timespec="microseconds"),
        "kategori": event.kategori,
        "aksi": event.aksi,
        "aktor": event.aktor,
        "aktor_id": event.aktor_id,
        "peran": event.peran,
        "objek_tipe": event.objek_tipe,
        "objek_id": event.objek_id,
        "data": event.data,
        "ip": event.ip,
        "user_agent": event.user_agent,
    }


def _kunci_kepala(rantai: list[str]) -> dict[str, tuple[int, str, str]]:
    """{chain: (urutan, hash_terakhir, frontier)} of the chain heads, locked until the caller's transaction ends.

    One statement: the upsert creates missing heads and, on conflict, its no-op update takes
    the row locks (PostgreSQL) while RETURNING reads the heads. Rows are locked in code order,
    so two callers appending to overlapping chains cannot deadlock. SQLite serializes writers anyway.
    """
    kunci = sorted(set(rantai))
    tabel = connection.ops.quote_name(RantaiAudit._meta.db_table)
    baris = "(%s, 0, %s, '')"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {tabel} (kunci, urutan, hash_terakhir, frontier) VALUES {', '.join([baris] * len(kunci))} "
            "ON CONFLICT (kunci) DO UPDATE SET kunci = EXCLUDED.kunci RETURNING kunci, urutan, hash_terakhir, frontier",
            [nilai for k in kunci for nilai in (k, GENESIS_HASH)],
        )
        return {k: (urutan, hash_terakhir, frontier) for k, urutan, hash_terakhir, frontier in cursor.fetchall()}


def _sisipkan(events: list[AuditEvent]):
    """Insert the events with one statement and set their ids.

    On PostgreSQL many rows travel as one JSON document unpacked by `jsonb_to_recordset`:
    with client-side parameter binding, Django's bulk insert (one array per column) escapes
    every quote of every event's JSON in Python, which cost more than hashing the events.
    """
    if len(events) == 1:  # the common case (audit_catat): one cached INSERT
        sisipkan(events[0])
        return
    if connection.vendor != "postgresql":
        AuditEvent.objects.bulk_create(events)
        return
    q = connection.ops.quote_name
    kolom = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    nama = ", ".join(q(f.column) for f in kolom)
    jenis = ", ".join(f"{q(f.column)} {f.db_type(connection).split('(')[0]}" for f in kolom)
    baris = [
        {f.column: f.value_to_string(e) if isinstance(f, DateTimeField) else getattr(e, f.attname) for f in kolom}
        for e in events
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(AuditEvent._meta.db_table)} ({nama}) SELECT {nama} "
            f"FROM jsonb_to_recordset(%s::jsonb) AS x({jenis}) RETURNING id, rantai, urutan",
            [kanonik(baris)],
        )
        pk = {(rantai, urutan): i for i, rantai, urutan in cursor.fetchall()}
    for e in events:
        e.pk = pk[(e.rantai, e.urutan)]
        e._state.adding, e._state.db = False, connection.alias


def _geser_kepala(kepala: RantaiAudit):
    tabel = connection.ops.quote_name(RantaiAudit._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {tabel} SET urutan = %s, hash_terakhir = %s, frontier = %s WHERE kunci = %s",
                       [kepala.urutan, kepala.hash_terakhir, kepala.frontier, kepala.kunci])


def audit_catat(
    *,
    rantai: str,
    kategori: str,
    aksi: str,
    aktor=None,
    peran: str = "",
    objek_tipe: str = "",
    objek_id="",
    data: dict | None = None,
    waktu=None,
    anonim: bool = False,
) -> AuditEvent:
    """Append one event to chain `rantai` (a kelurahan code, or "sistem").

    The chain head row is locked for the rest of the caller's transaction, so
    appends to one chain are serialized while other chains proceed in parallel.
    `anonim` leaves out the caller's IP and user agent (surveys, complaints).
    Request transitions also update their indicator projection in the same transaction.
    """
    kejadian = {"kategori": kategori, "aksi": aksi, "aktor": aktor, "peran": peran, "objek_tipe": objek_tipe,
                "objek_id": objek_id, "data": data, "waktu": waktu, "anonim": anonim}
    return audit_catat_banyak(rantai=rantai, kejadian=[kejadian])[0]


def audit_catat_banyak(*, rantai: str, kejadian: list[dict]) -> list[AuditEvent]:
    """Append several events to one chain, in the given order (see `audit_catat_per_rantai`)."""
    return audit_catat_per_rantai(kejadian={rantai: kejadian})


def audit_catat_per_rantai(*, kejadian: dict[str, list[dict]]) -> list[AuditEvent]:
    """Append events to several chains at once: {chain: [event, …]}, each list in its order.

    Each event takes the keyword arguments of `audit_catat` except `rantai` (kategori
    and aksi required). Three statements whatever the count: one upsert locks every
    head, one INSERT writes every event, one UPDATE moves every head. The hashes chain
    exactly as if the events had been appended one by one, so `rantai_verifikasi`
    cannot tell the difference.
    """
    kejadian = {rantai: daftar for rantai, daftar in kejadian.items() if daftar}
    if not kejadian:
        return []
    konteks_permintaan = konteks_sekarang()
    # savepoint=False: callers are already inside their action's transaction; alone, this opens one.
    with transaction.atomic(savepoint=False):
        kepala = _kunci_kepala(list(kejadian))
        events, kepala_baru = [], []
        for rantai in sorted(kejadian):
            urutan, hash_terakhir, frontier_teks = kepala[rantai]
            frontier = frontier_baca(frontier_teks)
            for k in kejadian[rantai]:
                aktor = k.get("aktor")
                objek_id = k.get("objek_id", "")
                konteks = KonteksPermintaan() if k.get("anonim") else konteks_permintaan
                urutan += 1
                event = AuditEvent(
                    rantai=rantai,
                    urutan=urutan,
                    hash_sebelum=hash_terakhir,
                    waktu=k.get("waktu") or timezone.now(),
                    kategori=k["kategori"],
                    aksi=k["aksi"],
                    aktor=getattr(aktor, "username", "") if aktor is not None else "",
                    aktor_id=getattr(aktor, "pk", None) if aktor is not None else None,
                    peran=k.get("peran") or "",
                    objek_tipe=k.get("objek_tipe", ""),
                    objek_id=str(objek_id) if objek_id != "" else "",
                    # Round-trip through JSON so the hashed form is exactly what the database returns.
                    data=json.loads(kanonik(k.get("data") or {})),
                    ip=konteks.ip,
                    user_agent=konteks.user_agent,
                )
                data = data_daun(hash_sebelum=event.hash_sebelum, isi=isi_event(event))
                event.hash = hash_terakhir = hashlib.sha256(data).hexdigest()
                # The Merkle tree grows with the chain: O(1) amortised, in the head's own UPDATE.
                frontier, _selesai = merkle.frontier_tambah(frontier, urutan - 1, merkle.hash_daun(data))
                events.append(event)
            kepala_baru.append(RantaiAudit(kunci=rantai, urutan=urutan, hash_terakhir=hash_terakhir,
                                           frontier=frontier_tulis(frontier)))
        _sisipkan(events)
        if len(kepala_baru) == 1:  # the common case (audit_catat): a plain UPDATE
            _geser_kepala(kepala_baru[0])
        else:
            RantaiAudit.objects.bulk_update(kepala_baru, ["urutan", "hash_terakhir", "frontier"])
        for event in events:
            if event.kategori == AuditEvent.Kategori.TRANSISI and event.objek_tipe == "permohonan":
                ringkasan_terapkan(event)
    return events


# --- surveys, complaints, chain checks ------------------------------------------------------------

RANTAI_SURVEI = "survei"
RANTAI_PENGADUAN = "pengaduan"
# Same rule as nomor_registrasi: no 0/O, 1/I/L, read aloud and typed from paper.
ALFABET_KODE = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JENIS_BUKTI = {"application/pdf", "image/jpeg", "image/png"}


class DataTidakValid(Exception):
    """Input refused; `galat` maps each field to its messages (the API answers 400)."""

    def __init__(self, galat: dict):
        super().__init__(galat)
        self.galat = galat


class SudahDiisi(Exception):
    """The survey of this request was already answered (the API answers 409)."""


class TautanTidakSah(Exception):
    """A survey link that is forged, altered or expired."""


def kunci_samaran(nilai, *, tujuan: str) -> str:
    """Keyed hash: links records of one person or request without storing who or which.

    Only someone holding SECRET_KEY can test a guess, so officers reading the
    tables cannot turn the key back into a request or a NIK.
    """
    kunci = hashlib.sha256(f"simpatik:{tujuan}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(kunci, str(nilai).encode(), hashlib.sha256).hexdigest()


def survei_tautan(permohonan) -> str:
    """The link in the `survei_undangan` WhatsApp message: signed, bound to one request, expiring."""
    token = TimestampSigner(salt="audit.survei").sign(str(permohonan.pk))
    return f"{settings.PUBLIC_BASE_URL}/survei/{token}/"


def survei_token_baca(token: str) -> int:
    """The request id inside a survey link, or TautanTidakSah."""
    umur = timedelta(days=atur("SURVEI_TAUTAN_MAKS_HARI"))
    try:
        return int(TimestampSigner(salt="audit.survei").unsign(token, max_age=umur))
    except (BadSignature, ValueError) as exc:
        raise TautanTidakSah(str(exc)) from exc


def _skor(jawaban, kunci: tuple, nama_bagian: str, galat: dict) -> dict:
    if not isinstance(jawaban, dict):
        galat[nama_bagian] = [_("Harus berupa objek berisi skor per unsur.")]
        return {}
    hasil = {}
    for k in kunci:
        nilai = jawaban.get(k)
        if isinstance(nilai, bool) or not isinstance(nilai, int) or not 1 <= nilai <= 4:
            galat[f"{nama_bagian}.{k}"] = [_("Wajib diisi dengan angka 1 sampai 4.")]
        else:
            hasil[k] = nilai
    lebih = sorted(set(jawaban) - set(kunci))
    if lebih:
        galat[nama_bagian] = [_("Unsur tidak dikenal: %(daftar)s") % {"daftar": ", ".join(lebih)}]
    return hasil


def survei_simpan(
    *,
    permohonan_id: int,
    kelurahan: str,
    layanan: str,
    ikm: dict,
    ipak: dict,
    ipkp: dict,
    diminta_bayar: bool,
    jumlah_bayar: int | None = None,
    kepada_bayar: str = "",
    saran: str = "",
    waktu=None,
) -> Survei:
    """Store one survey of a finished request. The caller has checked ownership and that it is finished.

    Nothing here names the resident or the request: a keyed hash of the request
    id refuses a second answer, and the ledger event carries only the answers.
    """
    galat: dict = {}
    skor_ikm = _skor(ikm, UNSUR_IKM, "ikm", galat)
    skor_ipak = _skor(ipak, ITEM_IPAK, "ipak", galat)
    skor_ipkp = _skor(ipkp, ITEM_IPKP, "ipkp", galat)
    if not isinstance(diminta_bayar, bool):
        galat["diminta_bayar"] = [_("Jawab ya (true) atau tidak (false).")]
    if jumlah_bayar is not None and (isinstance(jumlah_bayar, bool) or not isinstance(jumlah_bayar, int)
                                     or jumlah_bayar < 0):
        galat["jumlah_bayar"] = [_("Jumlah harus bilangan bulat tidak negatif.")]
    if len(kepada_bayar or "") > 120:
        galat["kepada_bayar"] = [_("Paling banyak 120 karakter.")]
    if len(saran or "") > 2000:
        galat["saran"] = [_("Paling banyak 2000 karakter.")]
    if galat:
        raise DataTidakValid(galat)
    waktu = waktu or timezone.now()
    tanggal = timezone.localtime(waktu).date()
    kunci = kunci_samaran(permohonan_id, tujuan="survei")
    if not diminta_bayar:
        jumlah_bayar, kepada_bayar = None, ""
    with transaction.atomic():
        if Survei.objects.filter(kunci=kunci).exists():
            raise SudahDiisi()
        survei = Survei(
            kunci=kunci, kelurahan=kelurahan, kecamatan=kode_induk(kelurahan, 3), kota=kode_induk(kelurahan, 2),
            layanan=layanan, tanggal=tanggal, diminta_bayar=diminta_bayar, jumlah_bayar=jumlah_bayar,
            kepada_bayar=kepada_bayar or "", saran=saran or "",
            **{f"ikm_{k}": v for k, v in skor_ikm.items()},
            **{f"ipak_{k}": v for k, v in skor_ipak.items()},
            **{f"ipkp_{k}": v for k, v in skor_ipkp.items()},
        )
        try:
            with transaction.atomic():
                survei.save(force_insert=True)
        except IntegrityError as exc:
            raise SudahDiisi() from exc
        # The event keeps the answers (indicators recomputable from the ledger) but no request, time or IP.
        audit_catat(
            rantai=RANTAI_SURVEI, kategori=AuditEvent.Kategori.SURVEI, aksi="isi", anonim=True,
            waktu=datetime.combine(tanggal, datetime.min.time(), tzinfo=timezone.get_current_timezone()),
            data={"kelurahan": kelurahan, "layanan": layanan, "tanggal": tanggal.isoformat(), "ikm": skor_ikm,
                  "ipak": skor_ipak, "ipkp": skor_ipkp, "diminta_bayar": diminta_bayar},
        )
    return survei


def _tambah_hari_kerja(mulai, hari: int):
    """`hari` national working days after `mulai` (Mon–Fri, without public holidays and cuti bersama)."""
    lokal = timezone.localtime(mulai)
    tanggal = lokal.date()
    libur = holidays.country_holidays("ID", categories=("public", "government"),
                                      years=range(tanggal.year, tanggal.year + 2))
    sisa = hari
    while sisa > 0:
        tanggal += timedelta(days=1)
        if tanggal.weekday() < 5 and tanggal not in libur:
            sisa -= 1
    return lokal.replace(year=tanggal.year, month=tanggal.month, day=tanggal.day)


def _buat_kode_lacak() -> str:
    acak = "".join(secrets.choice(ALFABET_KODE) for _i in range(8))
    return f"{acak[:4]}-{acak[4:]}"


def _periksa_bukti(bukti, galat: dict):
    if bukti is None:
        return "", ""
    if bukti.size > atur("PENGADUAN_BUKTI_MAX_BYTES"):
        galat["bukti"] = [_("Berkas terlalu besar (paling besar %(mb)d MB).") % {
            "mb": atur("PENGADUAN_BUKTI_MAX_BYTES") // (1024 * 1024)}]
        return "", ""
    awal = bukti.read(261)
    bukti.seek(0)
    jenis = filetype.guess_mime(awal)
    if jenis not in JENIS_BUKTI:
        galat["bukti"] = [_("Bukti harus berupa PDF, JPEG atau PNG.")]
        return "", ""
    sha = hashlib.sha256()
    for potong in bukti.chunks():
        sha.update(potong)
    bukti.seek(0)
    return jenis, sha.hexdigest()


def pengaduan_buat(
    *,
    kategori: str,
    isi: str,
    nomor_registrasi: str = "",
    permohonan_id: int | None = None,
    layanan: str = "",
    kelurahan: str = "",
    kontak: str = "",
    bukti=None,
    waktu=None,
) -> Pengaduan:
    """Record a complaint (anonymous allowed). The caller resolves nomor_registrasi and checks the kelurahan exists."""
    galat: dict = {}
    if kategori not in Pengaduan.Kategori.values:
        galat["kategori"] = [_("Pilih salah satu: %(daftar)s.") % {"daftar": ", ".join(Pengaduan.Kategori.values)}]
    isi = (isi or "").strip()
    if len(isi) < 10:
        galat["isi"] = [_("Ceritakan pengaduan Anda (paling sedikit 10 karakter).")]
    elif len(isi) > 5000:
        galat["isi"] = [_("Paling banyak 5000 karakter.")]
    if len(kontak or "") > 150:
        galat["kontak"] = [_("Paling banyak 150 karakter.")]
    if kelurahan and tingkat_kode(kelurahan) != 4:
        galat["kelurahan"] = [_("Kode kelurahan tidak dikenal.")]
    jenis, sha = _periksa_bukti(bukti, galat)
    if galat:
        raise DataTidakValid(galat)
    waktu = waktu or timezone.now()
    with transaction.atomic():
        pengaduan = Pengaduan(
            kode_lacak=_buat_kode_lacak(), kategori=kategori, isi=isi, nomor_registrasi=nomor_registrasi or "",
            permohonan_id=permohonan_id, layanan=layanan or "", kelurahan=kelurahan or "",
            kecamatan=kode_induk(kelurahan, 3) if kelurahan else "",
            kota=kode_induk(kelurahan, 2) if kelurahan else "",
            kontak=kontak or "", bukti_jenis=jenis, bukti_sha256=sha, diterima_pada=waktu,
            tenggat_tanggapan=_tambah_hari_kerja(waktu, atur("PENGADUAN_TANGGAPAN_HARI_KERJA")),
            tenggat_selesai=waktu + timedelta(days=atur("PENGADUAN_SELESAI_HARI")),
        )
        if bukti is not None:
            ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[jenis]
            pengaduan.bukti.save(f"{secrets.token_hex(16)}.{ext}", bukti, save=False)
        pengaduan.save(force_insert=True)
        RiwayatPengaduan.objects.create(pengaduan=pengaduan, dari="", ke=pengaduan.status, waktu=waktu)
        # The complainant's IP and contact stay out of the ledger: whistleblowers are protected.
        audit_catat(
            rantai=RANTAI_PENGADUAN, kategori=AuditEvent.Kategori.PENGADUAN, aksi="terima", anonim=True,
            objek_tipe="pengaduan", objek_id=pengaduan.kode_lacak, waktu=waktu,
            data={"kategori": kategori, "kelurahan": pengaduan.kelurahan, "layanan": pengaduan.layanan,
                  "nomor_registrasi": pengaduan.nomor_registrasi, "ke": pengaduan.status,
                  "bukti_sha256": sha, "tenggat_tanggapan": pengaduan.tenggat_tanggapan.isoformat(),
                  "tenggat_selesai": pengaduan.tenggat_selesai.isoformat()},
        )
    return pengaduan


ALUR_PENGADUAN = {
    Pengaduan.Status.DITERIMA: {Pengaduan.Status.DIVERIFIKASI, Pengaduan.Status.DITUTUP},
    Pengaduan.Status.DIVERIFIKASI: {Pengaduan.Status.DITINDAKLANJUTI, Pengaduan.Status.SELESAI,
                                    Pengaduan.Status.DITUTUP},
    Pengaduan.Status.DITINDAKLANJUTI: {Pengaduan.Status.SELESAI, Pengaduan.Status.DITUTUP},
    Pengaduan.Status.SELESAI: {Pengaduan.Status.DITUTUP},
    Pengaduan.Status.DITUTUP: set(),
}
STATUS_TUNTAS = {Pengaduan.Status.SELESAI, Pengaduan.Status.DITUTUP}


class StatusPengaduanTidakSesuai(Exception):
    """The complaint's current status does not allow that step (the API answers 409)."""


def pengaduan_ubah_status(*, kode_lacak: str, status: str, pengguna, peran: str, catatan: str = "",
                          waktu=None) -> Pengaduan:
    """One step of the inspectorate's handling, audited in the same transaction."""
    galat = {}
    if status not in Pengaduan.Status.values:
        galat["status"] = [_("Status tidak dikenal.")]
    catatan = (catatan or "").strip()
    if status in STATUS_TUNTAS and not catatan:
        galat["catatan"] = [_("Tuliskan hasil penanganan untuk pengadu.")]
    if galat:
        raise DataTidakValid(galat)
    waktu = waktu or timezone.now()
    with transaction.atomic():
        pengaduan = Pengaduan.objects.select_for_update().get(kode_lacak=kode_lacak)
        dari = pengaduan.status
        if status not in ALUR_PENGADUAN[dari]:
            raise StatusPengaduanTidakSesuai(dari)
        pengaduan.status = status
        if pengaduan.ditanggapi_pada is None:
            pengaduan.ditanggapi_pada = waktu
        if status in STATUS_TUNTAS and pengaduan.diselesaikan_pada is None:
            pengaduan.diselesaikan_pada = waktu
        pengaduan.save(update_fields=["status", "ditanggapi_pada", "diselesaikan_pada"])
        RiwayatPengaduan.objects.create(pengaduan=pengaduan, dari=dari, ke=status, catatan=catatan,
                                        oleh=getattr(pengguna, "username", ""), waktu=waktu)
        audit_catat(
            rantai=RANTAI_PENGADUAN, kategori=AuditEvent.Kategori.PENGADUAN, aksi="ubah_status",
            aktor=pengguna, peran=peran, objek_tipe="pengaduan", objek_id=pengaduan.kode_lacak, waktu=waktu,
            data={"kategori": pengaduan.kategori, "kelurahan": pengaduan.kelurahan, "dari": dari, "ke": status,
                  "catatan": catatan},
        )
    return pengaduan


def pemeriksaan_simpan(hasil, *, waktu=None) -> PemeriksaanRantai:
    """Keep the verdict of one chain verification; the indicators report it as the chain status."""
    periksa, _dibuat = PemeriksaanRantai.objects.update_or_create(
        rantai=hasil.rantai,
        defaults={"diperiksa_pada": waktu or timezone.now(), "jumlah": hasil.jumlah, "utuh": hasil.utuh,
                  "alasan": hasil.alasan[:255]},
    )
    return periksa


def rantai_periksa(rantai: str, *, waktu=None) -> PemeriksaanRantai:
    """Verify one chain and keep the verdict."""
    from audit.selectors import rantai_verifikasi

    return pemeriksaan_simpan(rantai_verifikasi(rantai), waktu=waktu)
