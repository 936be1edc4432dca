"""The SLA clock of a request, counted in the working time of the office whose turn it is.

`sla_catat_transisi` is called by every transition in layanan/services.py,
inside its transaction, after the state changed and before the row is saved.
The clock keeps accumulated counters (working seconds used per stage, paused
seconds) closed at each transition, plus `tahap_mulai`, the start of the
segment now running; what runs since then is computed on the calendar of the
stage's office. `tenggat` and `tenggat_rawan` are the instants at which the
whole allowance, or 75 % of it, is used up if the request stays where it is,
so `tenggat <= now` is exactly "late now" and the sweep and the worklist
filter read only those indexed columns. See docs/sla.md.
"""

import itertools
import logging
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone

from audit.services import audit_catat_per_rantai
from kelurahan.kalender import kalender_wilayah
from kelurahan.models import Kantor, Penugasan, Peran, Wilayah
from kelurahan.simpanan import versi_tetap
from layanan.models import STATUS_AKHIR, STATUS_BERJALAN, STATUS_TERBUKA, Layanan, Permohonan, Status
from notifikasi.services import outbox_tulis_banyak

log = logging.getLogger("layanan.permohonan.sla")

STATUS_KECAMATAN = (Status.DITERUSKAN_KECAMATAN, Status.DIVERIFIKASI_KECAMATAN)
NILAI_SLA = ("aman", "rawan", "terlambat")
TINGKAT_RAWAN, TINGKAT_TERLAMBAT = 1, 2

# Whose turn it is in each running state: (stage office, role).
GILIRAN = {
    Status.DIAJUKAN: ("kelurahan", Peran.PETUGAS_KELURAHAN),
    Status.DIVERIFIKASI: ("kelurahan", Peran.LURAH),
    Status.DITERUSKAN_KECAMATAN: ("kecamatan", Peran.PETUGAS_KECAMATAN),
    Status.DIVERIFIKASI_KECAMATAN: ("kecamatan", Peran.CAMAT),
}


def tahap_status(status) -> str:
    return "kecamatan" if status in STATUS_KECAMATAN else "kelurahan"


def _wilayah_tahap(permohonan, tahap) -> str:
    return permohonan.kecamatan_id if tahap == "kecamatan" else permohonan.kelurahan_id


def _kalender(permohonan, tahap):
    return kalender_wilayah(_wilayah_tahap(permohonan, tahap))


def jatah_layanan(layanan: Layanan) -> tuple[int, int]:
    """(total allowance, kelurahan share) in seconds. A kelurahan-level service gives the
    kelurahan everything; a kecamatan-level one gives the kecamatan what its share leaves."""
    total = int(layanan.sla_jam * 3600)
    if layanan.tingkat == Layanan.Tingkat.KECAMATAN:
        return total, min(int(layanan.sla_jam_kelurahan * 3600), total)
    return total, total


def _ambang_rawan(jatah: int) -> int:
    return -(-3 * jatah // 4)  # 75 %, rounded up: rawan "from 75 %"


def _terpakai(p) -> int:
    return p.terpakai_kelurahan_detik + p.terpakai_kecamatan_detik


def _jam(detik) -> float:
    """Seconds as hours to 0.01, half up. Whole non-negative seconds (every counter) by integer arithmetic, the
    same float as the Decimal form: six of these a row cost 3 % of a worklist page in Decimal (session 9)."""
    if type(detik) is int and detik >= 0:
        return (detik + 18) // 36 / 100
    return float((Decimal(detik) / 3600).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _iso(t, zona=None):
    return timezone.localtime(t, zona).isoformat() if t else None


def _proyeksi(p, mulai) -> tuple:
    """(tenggat_rawan, tenggat) if the current stage keeps running from `mulai` with the stored counters."""
    kalender = _kalender(p, tahap_status(p.status))
    terpakai = _terpakai(p)

    def saat(batas):
        sisa = batas - terpakai
        return kalender.tambah_jam_kerja(mulai, sisa) if sisa > 0 else mulai

    return saat(_ambang_rawan(p.sla_jatah_detik)), saat(p.sla_jatah_detik)


def _tingkat_sekarang(p, sekarang) -> int:
    if p.tenggat is not None and p.tenggat <= sekarang:
        return TINGKAT_TERLAMBAT
    if p.tenggat_rawan is not None and p.tenggat_rawan <= sekarang:
        return TINGKAT_RAWAN
    return 0


def _kompensasi_kantor(wilayah_kode) -> str:
    return Kantor.objects.filter(wilayah_id=wilayah_kode).values_list("kompensasi", flat=True).first() or ""


def sla_catat_transisi(permohonan, *, dari, ke, waktu=None) -> dict:
    """Close the segment that ran under `dari`, start the one of `ke`, move the deadlines.

    Returns what the audit event records, so SLA compliance can be recomputed
    from the verified chain alone.
    """
    p = permohonan
    waktu = waktu or timezone.now()
    if dari is None:
        p.sla_jatah_detik, p.sla_jatah_kelurahan_detik = jatah_layanan(p.layanan)
        p.terpakai_kelurahan_detik = p.terpakai_kecamatan_detik = p.jeda_detik = 0
        p.sla_tingkat_diberitahu = 0
        p.memenuhi_standar = None
        p.kompensasi = ""
    else:
        mulai = p.tahap_mulai or waktu
        if dari in STATUS_BERJALAN:
            tahap = tahap_status(dari)
            berjalan = _kalender(p, tahap).detik_kerja_antara(mulai, waktu)
            setattr(p, f"terpakai_{tahap}_detik", getattr(p, f"terpakai_{tahap}_detik") + berjalan)
        elif dari == Status.PERLU_PERBAIKAN:
            # Paused time, counted on the kelurahan calendar where the resident resubmits.
            p.jeda_detik += _kalender(p, "kelurahan").detik_kerja_antara(mulai, waktu)
    p.tahap_mulai = waktu

    if ke in STATUS_AKHIR:
        if ke == Status.DIBATALKAN:
            p.memenuhi_standar = None  # withdrawn by the resident: no service to measure
        else:
            p.memenuhi_standar = _terpakai(p) <= p.sla_jatah_detik
            if not p.memenuhi_standar:
                tahap_akhir = tahap_status(dari) if dari else "kelurahan"
                p.kompensasi = _kompensasi_kantor(_wilayah_tahap(p, tahap_akhir))
    elif ke == Status.PERLU_PERBAIKAN:
        # Paused: no deadline runs. A threshold already crossed stays as the past instant it
        # was crossed, so filters and the status keep saying rawan/terlambat while waiting.
        terpakai = _terpakai(p)
        for kolom, batas in (("tenggat_rawan", _ambang_rawan(p.sla_jatah_detik)), ("tenggat", p.sla_jatah_detik)):
            lama = getattr(p, kolom)
            setattr(p, kolom, (lama if lama and lama <= waktu else waktu) if terpakai >= batas else None)
    else:
        p.tenggat_rawan, p.tenggat = _proyeksi(p, waktu)
        if dari in STATUS_BERJALAN and tahap_status(dari) != tahap_status(ke):
            p.sla_tingkat_diberitahu = 0  # the other office's officers are told afresh
    data = sla_data(p, waktu)
    # Whether the acting office was open: the "outside office hours" integrity signal reads it.
    data["dalam_jam_kerja"] = _kalender(p, tahap_status(dari) if dari else "kelurahan").buka(waktu)
    return data


def _terpakai_sekarang(p, sekarang) -> tuple[int, int, int]:
    """(kelurahan, kecamatan, jeda) seconds including the segment running now."""
    kel, kec, jeda = p.terpakai_kelurahan_detik, p.terpakai_kecamatan_detik, p.jeda_detik
    if p.tahap_mulai is not None and p.status in STATUS_TERBUKA:
        if p.status == Status.PERLU_PERBAIKAN:
            jeda += _kalender(p, "kelurahan").detik_kerja_antara(p.tahap_mulai, sekarang)
        else:
            tahap = tahap_status(p.status)
            berjalan = _kalender(p, tahap).detik_kerja_antara(p.tahap_mulai, sekarang)
            if tahap == "kecamatan":
                kec += berjalan
            else:
                kel += berjalan
    return kel, kec, jeda


def sla_data(p, waktu) -> dict:
    """The audit event's `sla`: allowance and use per stage in seconds and hours."""
    kel, kec, jeda = _terpakai_sekarang(p, waktu)
    data = {
        "jatah_detik": p.sla_jatah_detik,
        "jatah_jam": _jam(p.sla_jatah_detik),
        "jatah_kelurahan_detik": p.sla_jatah_kelurahan_detik,
        "jatah_kecamatan_detik": p.sla_jatah_detik - p.sla_jatah_kelurahan_detik,
        "terpakai_kelurahan_detik": kel,
        "terpakai_kecamatan_detik": kec,
        "terpakai_detik": kel + kec,
        "terpakai_jam": _jam(kel + kec),
        "jeda_detik": jeda,
        "jeda_jam": _jam(jeda),
        "tenggat": _iso(p.tenggat),
        "tenggat_rawan": _iso(p.tenggat_rawan),
        "tahap": tahap_status(p.status),
        "berjalan": p.status in STATUS_BERJALAN,
        "status": sla_status(p, waktu),
    }
    if p.status in STATUS_AKHIR:
        data["memenuhi_standar"] = p.memenuhi_standar
    return data


def sla_status(permohonan, sekarang=None) -> str:
    """aman / rawan / terlambat while open; tepat / terlambat once finished (met or not),
    selesai when there is nothing to measure (cancelled by the resident)."""
    p = permohonan
    if p.status in STATUS_AKHIR:
        if p.memenuhi_standar is None:
            return "selesai"
        return "tepat" if p.memenuhi_standar else "terlambat"
    return NILAI_SLA[_tingkat_sekarang(p, sekarang or timezone.now())]


def perkiraan_selesai(p):
    """When the resident may expect the letter: a kelurahan stage of a kecamatan-level service
    uses its share on the kelurahan calendar, the rest runs on the kecamatan calendar."""
    if p.status in STATUS_AKHIR:
        return p.selesai_pada
    if p.status not in STATUS_BERJALAN or p.tahap_mulai is None:
        return p.tenggat
    if tahap_status(p.status) == "kelurahan" and p.sla_jatah_kelurahan_detik < p.sla_jatah_detik:
        terpakai = _terpakai(p)
        sisa_kel = max(p.sla_jatah_kelurahan_detik - p.terpakai_kelurahan_detik, 0)
        sisa_total = max(p.sla_jatah_detik - terpakai, 0)
        akhir_kel = _kalender(p, "kelurahan").tambah_jam_kerja(p.tahap_mulai, min(sisa_kel, sisa_total))
        sisa_kec = sisa_total - min(sisa_kel, sisa_total)
        return _kalender(p, "kecamatan").tambah_jam_kerja(akhir_kel, sisa_kec) if sisa_kec else akhir_kel
    return p.tenggat


def sla_ringkasan(permohonan, sekarang=None, zona=None) -> dict:
    """What the API shows: state, deadline, allowance and use per stage, paused time. `zona`: the time zone
    a list read once for its page (each lookup of the current one costs more than the rest of a date)."""
    p = permohonan
    sekarang = sekarang or timezone.now()
    zona = zona or timezone.get_current_timezone()
    kel, kec, jeda = _terpakai_sekarang(p, sekarang)
    ringkasan = {
        "status": sla_status(p, sekarang),
        "tenggat": _iso(p.tenggat, zona),
        "tenggat_rawan": _iso(p.tenggat_rawan, zona),
        "perkiraan_selesai": _iso(perkiraan_selesai(p), zona),
        "jatah_jam": _jam(p.sla_jatah_detik),
        "jatah_tahap_jam": {
            "kelurahan": _jam(p.sla_jatah_kelurahan_detik),
            "kecamatan": _jam(p.sla_jatah_detik - p.sla_jatah_kelurahan_detik),
        },
        "terpakai_jam": {"kelurahan": _jam(kel), "kecamatan": _jam(kec)},
        "jeda_jam": _jam(jeda),
        "memenuhi_standar": p.memenuhi_standar,
    }
    if p.memenuhi_standar is False:
        ringkasan["kompensasi"] = p.kompensasi
    return ringkasan


def filter_sla(qs, nilai, sekarang=None):
    """Filter open requests by SLA state through the indexed tenggat/tenggat_rawan columns.
    An unknown value matches nothing (callers wanting a 400 check NILAI_SLA first)."""
    if nilai not in NILAI_SLA:
        return qs.none()
    sekarang = sekarang or timezone.now()
    qs = qs.filter(status__in=STATUS_TERBUKA)
    if nilai == "terlambat":
        return qs.filter(tenggat__lte=sekarang)
    if nilai == "rawan":
        return qs.filter(tenggat_rawan__lte=sekarang).filter(Q(tenggat__gt=sekarang) | Q(tenggat__isnull=True))
    return qs.filter(Q(tenggat_rawan__gt=sekarang) | Q(tenggat_rawan__isnull=True))


# --- calendar changes move open deadlines ---

UKURAN_BATCH = 500


def sla_geser_tenggat(*, wilayah_kode=None, sekarang=None) -> int:
    """Recompute the deadlines of running requests whose current stage is at the office of
    `wilayah_kode` (every office when None), after its calendar changed. Batched, rows locked,
    in the caller's transaction. Returns how many moved."""
    sekarang = sekarang or timezone.now()
    qs = Permohonan.objects.filter(status__in=STATUS_BERJALAN)
    if wilayah_kode is not None:
        qs = qs.filter(
            Q(kelurahan_id=wilayah_kode, status__in=[s for s in STATUS_BERJALAN if s not in STATUS_KECAMATAN])
            | Q(kecamatan_id=wilayah_kode, status__in=STATUS_KECAMATAN)
        )
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    bergeser = 0
    with transaction.atomic():
        for i in range(0, len(ids), UKURAN_BATCH):
            baris = list(
                Permohonan.objects.select_for_update()
                .filter(pk__in=ids[i : i + UKURAN_BATCH], status__in=STATUS_BERJALAN)
                .order_by("pk")
            )
            diubah = []
            for p in baris:
                lama = (p.tenggat_rawan, p.tenggat)
                p.tenggat_rawan, p.tenggat = _proyeksi(p, p.tahap_mulai or sekarang)
                # A crossing undone (the office is now closed then) may be announced again later.
                p.sla_tingkat_diberitahu = min(p.sla_tingkat_diberitahu, _tingkat_sekarang(p, sekarang))
                if (p.tenggat_rawan, p.tenggat) != lama:
                    diubah.append(p)
            Permohonan.objects.bulk_update(diubah, ["tenggat_rawan", "tenggat", "sla_tingkat_diberitahu"])
            bergeser += len(diubah)
    return bergeser


def _kalender_berubah(sender, wilayah_kode=None, **kwargs):
    n = sla_geser_tenggat(wilayah_kode=wilayah_kode)
    log.info("kalender %s berubah: %d tenggat digeser", wilayah_kode or "semua kantor", n)


# --- the sweep ---

POTONGAN_SAPU = 1000  # crossings claimed and told per transaction
CONTOH_RINGKASAN = 5  # registration numbers named in a summary message
KOLOM_TINGKAT = {TINGKAT_RAWAN: "tenggat_rawan", TINGKAT_TERLAMBAT: "tenggat"}
# What the sweep reads of a claimed request: the SLA counters, the message and the audit event.
KOLOM_SAPU = (
    "nomor_registrasi", "status", "kelurahan_id", "kecamatan_id", "tenggat", "tenggat_rawan", "tahap_mulai",
    "sla_jatah_detik", "sla_jatah_kelurahan_detik", "terpakai_kelurahan_detik", "terpakai_kecamatan_detik",
    "jeda_detik", "memenuhi_standar", "layanan_id",
)
# Per level: (template for one crossing, template for a summary of several, the worklist's ?sla= value).
TEMPLAT_TINGKAT = {
    TINGKAT_RAWAN: ("sla_rawan", "sla_rawan_banyak", "rawan"),
    TINGKAT_TERLAMBAT: ("sla_terlambat", "sla_terlambat_banyak", "terlambat"),
}


def _syarat_penerima(p, tingkat) -> list[tuple[str, str]]:
    """(wilayah, peran) of the officers to tell: whose turn it is; for terlambat also the lurah and the camat."""
    tahap, peran = GILIRAN[p.status]
    syarat = [(_wilayah_tahap(p, tahap), peran)]
    if tingkat == TINGKAT_TERLAMBAT:
        syarat += [(p.kelurahan_id, Peran.LURAH), (p.kecamatan_id, Peran.CAMAT)]
    return syarat


def _penugasan_batch(baris, tingkat) -> dict:
    """Active officers for every (wilayah, peran) a batch needs, in one query: {(wilayah, peran): [Penugasan]}."""
    per_peran = defaultdict(set)
    for p in baris:
        for wilayah, peran in _syarat_penerima(p, tingkat):
            per_peran[peran].add(wilayah)
    syarat = Q(pk__in=[])
    for peran, wilayah in per_peran.items():
        syarat |= Q(peran=peran, kantor__wilayah_id__in=sorted(wilayah))
    hasil = defaultdict(list)
    petugas = (
        Penugasan.objects.filter(syarat, aktif=True)
        .select_related("user")
        .annotate(wilayah_tugas=F("kantor__wilayah_id"))
        .order_by("pk")
    )
    for tugas in petugas:
        hasil[(tugas.wilayah_tugas, tugas.peran)].append(tugas)
    return hasil


def _klaim(ids, tingkat, sekarang) -> list[int]:
    """Mark the crossings among `ids` not yet told as told, in one statement, and return those it took.

    The inner SELECT locks the rows with SKIP LOCKED (PostgreSQL): rows another sweep or a
    transition holds are left to it; the repeated conditions, re-checked on the locked row,
    drop any another sweep told in the meantime. So no crossing is told twice.
    """
    q = connection.ops.quote_name
    tabel, pk = q(Permohonan._meta.db_table), q(Permohonan._meta.pk.column)
    status = [str(s) for s in STATUS_BERJALAN]
    syarat = (
        f"{q('status')} IN ({', '.join(['%s'] * len(status))}) "
        f"AND {q('sla_tingkat_diberitahu')} < %s AND {q(KOLOM_TINGKAT[tingkat])} <= %s"
    )
    nilai_syarat = [*status, tingkat, connection.ops.adapt_datetimefield_value(sekarang)]
    kunci = " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    sql = (
        f"UPDATE {tabel} SET {q('sla_tingkat_diberitahu')} = %s WHERE {pk} IN ("
        f"SELECT {pk} FROM {tabel} WHERE {pk} IN ({', '.join(['%s'] * len(ids))}) AND {syarat}{kunci}"
        f") AND {syarat} RETURNING {pk}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [tingkat, *ids, *nilai_syarat, *nilai_syarat])
        return [baris[0] for baris in cursor.fetchall()]


def _pesan_tunggal(p, data_sla) -> dict:
    """Variables of the message about one crossing (templates sla_rawan / sla_terlambat)."""
    return {
        "nomor_registrasi": p.nomor_registrasi,
        "layanan": p.layanan.nama,
        "kelurahan": p.kelurahan.nama,
        "tahap": data_sla["tahap"],
        "tenggat": formats.date_format(timezone.localtime(p.tenggat), "j N Y H.i") if p.tenggat else "-",
        "terpakai_jam": formats.number_format(data_sla["terpakai_jam"], use_l10n=True),
        "jatah_jam": formats.number_format(data_sla["jatah_jam"], use_l10n=True),
        "tautan": f"{settings.PUBLIC_BASE_URL}/api/v1/permohonan/{p.pk}/",
    }


def _pesan_petugas(no_hp, daftar, tingkat) -> dict:
    """One message to one number for this batch and level: the usual one for a single crossing,
    else a summary (how many, the first few numbers, the worklist filtered by SLA state)."""
    tunggal, ringkasan, nilai = TEMPLAT_TINGKAT[tingkat]
    if len(daftar) == 1:
        p, data_sla = daftar[0]
        return {"penerima": no_hp, "templat": tunggal, "variabel": _pesan_tunggal(p, data_sla),
                "referensi": f"permohonan:{p.pk}"}
    lainnya = len(daftar) - CONTOH_RINGKASAN
    return {
        "penerima": no_hp,
        "templat": ringkasan,
        "variabel": {
            "jumlah": len(daftar),
            "daftar": ", ".join(p.nomor_registrasi for p, _data in daftar[:CONTOH_RINGKASAN]),
            "lainnya": lainnya if lainnya > 0 else "",
            "tautan": f"{settings.PUBLIC_BASE_URL}{reverse('web:daftar_kerja')}?sla={nilai}",
        },
        "referensi": f"daftar_kerja?sla={nilai}",
    }


def _beri_tahu(ids, tingkat, sekarang) -> int:
    """Claim the crossings among `ids` and tell them in one transaction: the claims, the messages
    and the audit events commit together or not at all. Returns how many were told."""
    templat = TEMPLAT_TINGKAT[tingkat][0]
    with transaction.atomic(), versi_tetap():  # each office calendar's version read once for the sweep
        diklaim = _klaim(ids, tingkat, sekarang)
        if not diklaim:
            return 0
        baris = list(Permohonan.objects.filter(pk__in=diklaim).only(*KOLOM_SAPU).order_by(KOLOM_TINGKAT[tingkat], "pk"))
        # A handful of services and kelurahan serve the whole batch: read once, not joined per row.
        layanan = Layanan.objects.only("kode", "nama").in_bulk({p.layanan_id for p in baris})
        kelurahan = Wilayah.objects.only("nama").in_bulk({p.kelurahan_id for p in baris})
        for p in baris:
            p.layanan, p.kelurahan = layanan[p.layanan_id], kelurahan[p.kelurahan_id]
        petugas = _penugasan_batch(baris, tingkat)
        per_no_hp, per_rantai = defaultdict(list), defaultdict(list)
        for p in baris:
            data_sla = sla_data(p, sekarang)
            penerima = {t.pk: t for syarat in _syarat_penerima(p, tingkat) for t in petugas[syarat]}
            dikirim, tanpa_no_hp, sudah = [], [], set()
            for _pk, tugas in sorted(penerima.items()):
                if not tugas.no_hp:
                    tanpa_no_hp.append({"user": tugas.user.username, "peran": tugas.peran})
                    continue
                if tugas.no_hp in sudah:
                    continue
                sudah.add(tugas.no_hp)
                per_no_hp[tugas.no_hp].append((p, data_sla))
                dikirim.append({"user": tugas.user.username, "peran": tugas.peran})
            per_rantai[p.kelurahan_id].append({
                "kategori": "sla",
                "aksi": templat,
                "objek_tipe": "permohonan",
                "objek_id": p.pk,
                "waktu": sekarang,
                "data": {
                    "nomor_registrasi": p.nomor_registrasi,
                    "layanan": p.layanan.kode,
                    "kelurahan": p.kelurahan_id,
                    "kecamatan": p.kecamatan_id,
                    "status": p.status,
                    "tahap": data_sla["tahap"],
                    "tingkat": tingkat,
                    "diberitahu": dikirim,
                    "tanpa_no_hp": tanpa_no_hp,
                    "sla": data_sla,
                },
            })
        outbox_tulis_banyak(pesan=[_pesan_petugas(no_hp, daftar, tingkat) for no_hp, daftar in per_no_hp.items()])
        audit_catat_per_rantai(kejadian=per_rantai)
    return len(baris)


def _potongan(calon) -> list[list[int]]:
    """Cut (pk, kecamatan, kelurahan) candidates into transactions of at most POTONGAN_SAPU, keeping a
    kecamatan's crossings together where they fit, so an office gets one summary rather than several."""
    hasil, kini = [], []
    urut = sorted(calon, key=lambda c: (c[1], c[2]))  # stable: crossing order kept within a kelurahan
    for _kecamatan, kelompok in itertools.groupby(urut, key=lambda c: c[1]):
        ids = [c[0] for c in kelompok]
        if kini and len(kini) + len(ids) > POTONGAN_SAPU:
            hasil.append(kini)
            kini = []
        kini += ids
        while len(kini) > POTONGAN_SAPU:
            hasil.append(kini[:POTONGAN_SAPU])
            kini = kini[POTONGAN_SAPU:]
    if kini:
        hasil.append(kini)
    return hasil


def _beri_tahu_aman(ids, tingkat, sekarang) -> int:
    """`_beri_tahu`; if the batch fails it is retried one request at a time, so one bad row
    cannot hold back the others (the next sweep retries what still fails)."""
    try:
        return _beri_tahu(ids, tingkat, sekarang)
    except Exception:
        log.exception("sla_sweep: %d permohonan gagal diberitahukan bersama; dicoba satu per satu", len(ids))
    jumlah = 0
    for pk in ids:
        try:
            jumlah += _beri_tahu([pk], tingkat, sekarang)
        except Exception:
            log.exception("sla_sweep: permohonan %s gagal diberitahukan", pk)
    return jumlah


def sla_sweep(*, sekarang=None, batas=10_000) -> dict:
    """Tell officers about requests that crossed into rawan or terlambat, once per crossing.

    Reads only the partial indexes of rows not yet told (see Permohonan.Meta), so the
    cost follows the number crossing. A request past both thresholds is told terlambat only.
    Up to `batas` per level per call, told POTONGAN_SAPU per transaction (docs/sla.md).
    """
    sekarang = sekarang or timezone.now()
    hasil = {"terlambat": 0, "rawan": 0}
    for tingkat, kunci in ((TINGKAT_TERLAMBAT, "terlambat"), (TINGKAT_RAWAN, "rawan")):
        calon = sla_calon(tingkat=tingkat, sekarang=sekarang, batas=batas)
        hasil[kunci] += sum(_beri_tahu_aman(ids, tingkat, sekarang) for ids in _potongan(calon))
    return hasil


def sla_calon(*, tingkat, sekarang, batas=10_000):
    """(pk, kecamatan, kelurahan) of up to `batas` crossings of `tingkat` not yet told, oldest first:
    served by the partial index of that level alone."""
    kolom = KOLOM_TINGKAT[tingkat]
    return (
        Permohonan.objects.filter(
            status__in=STATUS_BERJALAN, sla_tingkat_diberitahu__lt=tingkat, **{f"{kolom}__lte": sekarang}
        )
        .order_by(kolom)
        .values_list("pk", "kecamatan_id", "kelurahan_id")[:batas]
    )
