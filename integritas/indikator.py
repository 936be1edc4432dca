"""Service-quality indicators of a kelurahan, kecamatan or kota, from the audit ledger.

Request figures come from `PermohonanRingkas`, a per-request projection of
the transition events updated in the same transaction as each event (see
`ringkasan_terapkan`) and rebuildable from the chain alone
(`ringkasan_bangun_ulang`). Survey and complaint figures come from their own
tables. Formulas and sources: docs/indikator.md.
"""

import statistics
from datetime import datetime, time, timedelta
from fractions import Fraction

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Aggregate, Count, F, FloatField, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from audit.models import AuditEvent, PemeriksaanRantai, RantaiAudit
from audit.sisip import sisipkan
from integritas import ikm
from integritas.models import Pengaduan, PermohonanRingkas, Survei

STATUS_AKHIR = ("selesai", "ditolak", "dibatalkan")
STATUS_TERBUKA = ("diajukan", "perlu_perbaikan", "diverifikasi", "diteruskan_kecamatan", "diverifikasi_kecamatan")
STATUS_KECAMATAN = ("diteruskan_kecamatan", "diverifikasi_kecamatan")
BIDANG_TINGKAT = {2: "kota", 3: "kecamatan", 4: "kelurahan"}


def kode_induk(kode: str, tingkat: int) -> str:
    """Kemendagri codes nest: the first `tingkat` parts of a code name its ancestor."""
    return ".".join(kode.split(".")[:tingkat])


def tingkat_kode(kode: str) -> int:
    return kode.count(".") + 1


def _waktu(nilai):
    if not nilai:
        return None
    hasil = parse_datetime(nilai) if isinstance(nilai, str) else nilai
    if hasil is not None and timezone.is_naive(hasil):
        hasil = timezone.make_aware(hasil)
    return hasil


def _detik(nilai):
    return None if nilai is None else max(int(nilai), 0)


# --- projection of the chain -------------------------------------------------------------------


_SQL_RINGKAS = f"SELECT * FROM {PermohonanRingkas._meta.db_table} WHERE permohonan_id = %s"


def ringkasan_setelah_catat(events: list[AuditEvent]):
    """Registered with audit.kait: each request transition updates its rollup in the event's transaction."""
    for event in events:
        if event.kategori == AuditEvent.Kategori.TRANSISI and event.objek_tipe == "permohonan":
            ringkasan_terapkan(event)


def ringkasan_terapkan(event: AuditEvent) -> PermohonanRingkas:
    """Apply one transition event to its request's row. Runs inside audit_catat's transaction."""
    if event.aksi == "ajukan" and not (event.data or {}).get("dari"):
        baris = None  # a request's first event: its row cannot exist yet (one read fewer per submission)
    else:
        baris = next(iter(PermohonanRingkas.objects.raw(_SQL_RINGKAS, [int(event.objek_id)])), None)
    baris = ringkasan_hitung(baris, event)
    sisipkan(baris, konflik="permohonan_id")  # one statement, INSERT or UPDATE
    return baris


def ringkasan_hitung(baris: PermohonanRingkas | None, event: AuditEvent) -> PermohonanRingkas:
    """The row after one transition event, from the row before it (None for the first): no database.

    The one rule for the rollup, used by the append and by `audit_verify`'s recomputation alike.
    Tolerant of older events: SLA keys that are missing leave the stored value as it was.
    """
    data = event.data or {}
    sla = data.get("sla") or {}
    pid = int(event.objek_id)
    if baris is None:
        kelurahan = data.get("kelurahan") or event.rantai
        baris = PermohonanRingkas(
            permohonan_id=pid,
            kelurahan=kelurahan,
            kecamatan=data.get("kecamatan") or kode_induk(kelurahan, 3),
            kota=kode_induk(kelurahan, 2),
            diajukan_pada=_waktu(data.get("diajukan_pada")) or event.waktu,
            status=data.get("ke") or "diajukan",
        )
    for bidang in ("nomor_registrasi", "layanan", "kanal", "kantor"):
        if data.get(bidang):
            setattr(baris, bidang, data[bidang])
    if data.get("pemohon"):
        baris.pemohon = str(data["pemohon"])
    elif event.aksi == "ajukan" and event.peran == "warga" and not baris.pemohon:
        baris.pemohon = event.aktor
    ke = data.get("ke") or baris.status
    baris.status = ke
    baris.selesai_pada = event.waktu if ke in STATUS_AKHIR else None
    baris.lewat_kecamatan = baris.lewat_kecamatan or ke in STATUS_KECAMATAN or data.get("tahap") == "kecamatan"
    baris.pernah_perbaikan = baris.pernah_perbaikan or ke == "perlu_perbaikan"
    if "tenggat" in sla:
        baris.tenggat = _waktu(sla["tenggat"])
    for kunci, bidang in (
        ("jatah_detik", "jatah_detik"),
        ("terpakai_kelurahan_detik", "terpakai_kelurahan_detik"),
        ("terpakai_kecamatan_detik", "terpakai_kecamatan_detik"),
        ("jeda_detik", "jeda_detik"),
    ):
        if kunci in sla:
            setattr(baris, bidang, _detik(sla[kunci]))
    baris.memenuhi_standar = _memenuhi_standar(baris, sla, event) if ke == "selesai" else None
    baris.event_terakhir = event.pk
    baris.diperbarui_pada = event.waktu
    return baris


def _memenuhi_standar(baris: PermohonanRingkas, sla: dict, event: AuditEvent):
    """As the SLA clock said; failing that, working time used against the allowance, then the deadline."""
    if sla.get("memenuhi_standar") is not None:
        return bool(sla["memenuhi_standar"])
    if baris.jatah_detik and baris.terpakai_kelurahan_detik is not None:
        return (baris.terpakai_kelurahan_detik + (baris.terpakai_kecamatan_detik or 0)) <= baris.jatah_detik
    if baris.tenggat is not None:
        return event.waktu <= baris.tenggat
    return None


def ringkasan_bangun_ulang(*, ukuran_batch: int = 5000) -> int:
    """Rebuild the projection from the ledger alone (after a restore, or to prove it matches)."""
    with transaction.atomic():
        PermohonanRingkas.objects.all().delete()
        qs = AuditEvent.objects.filter(kategori=AuditEvent.Kategori.TRANSISI, objek_tipe="permohonan").order_by("id")
        jumlah = 0
        for event in qs.iterator(chunk_size=ukuran_batch):
            ringkasan_terapkan(event)
            jumlah += 1
    return jumlah


# --- statistics ----------------------------------------------------------------------------------


def persentil(nilai: list, p: float):
    """Linear interpolation between closest ranks (PostgreSQL percentile_cont, numpy's default)."""
    if not nilai:
        return None
    urut = sorted(nilai)
    posisi = (len(urut) - 1) * Fraction(p).limit_denominator(1000)
    bawah = int(posisi)
    atas = min(bawah + 1, len(urut) - 1)
    return float(urut[bawah] + (urut[atas] - urut[bawah]) * (posisi - bawah))


class PersentilCont(Aggregate):
    """PostgreSQL percentile_cont(ARRAY[0.5, 0.9]): both percentiles from one sort."""

    function = "percentile_cont"
    template = "%(function)s(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY %(expressions)s)"

    @property
    def output_field(self):
        from django.contrib.postgres.fields import ArrayField

        return ArrayField(FloatField())


# Durations per stage over finished requests: (name, expression, extra condition).
def _ukuran_tahap():
    kelurahan = F("terpakai_kelurahan_detik")
    kecamatan = F("terpakai_kecamatan_detik")
    return (
        ("kelurahan", kelurahan, Q(terpakai_kelurahan_detik__isnull=False)),
        ("kecamatan", kecamatan, Q(lewat_kecamatan=True, terpakai_kecamatan_detik__isnull=False)),
        ("total", kelurahan + Coalesce(kecamatan, 0), Q(terpakai_kelurahan_detik__isnull=False)),
    )


def _jam(detik):
    return None if detik is None else round(detik / 3600, 2)


def _agregat_berakhir(berakhir) -> tuple[dict, dict]:
    """Counts of requests that ended in the period and the spread of working hours per stage, in one scan.

    On PostgreSQL the percentiles are percentile_cont inside the same query; elsewhere
    the durations are read once and interpolated the same way in Python.
    """
    selesai = Q(status="selesai")
    hitung = {
        "selesai": Count("pk", filter=selesai),
        "ditolak": Count("pk", filter=Q(status="ditolak")),
        "dibatalkan": Count("pk", filter=Q(status="dibatalkan")),
        "tepat": Count("pk", filter=selesai & Q(memenuhi_standar=True)),
        "terlambat": Count("pk", filter=selesai & Q(memenuhi_standar=False)),
    }
    ukuran = _ukuran_tahap()
    if connection.vendor == "postgresql":
        for nama, ekspresi, syarat in ukuran:
            hitung[f"{nama}_n"] = Count("pk", filter=selesai & syarat)
            hitung[f"{nama}_persentil"] = PersentilCont(ekspresi, filter=selesai & syarat)
        hasil = berakhir.aggregate(**hitung)
        for nama, _e, _s in ukuran:
            hasil[f"{nama}_median"], hasil[f"{nama}_p90"] = hasil.pop(f"{nama}_persentil") or (None, None)
    else:
        hasil = berakhir.aggregate(**hitung)
        nilai = {nama: [] for nama, _e, _s in ukuran}
        baris = berakhir.filter(selesai).values_list(
            "terpakai_kelurahan_detik", "terpakai_kecamatan_detik", "lewat_kecamatan")
        for kel, kec, lewat in baris:
            if kel is not None:
                nilai["kelurahan"].append(kel)
                nilai["total"].append(kel + (kec or 0))
            if lewat and kec is not None:
                nilai["kecamatan"].append(kec)
        for nama, daftar in nilai.items():
            hasil.update({f"{nama}_n": len(daftar), f"{nama}_median": persentil(daftar, 0.5),
                          f"{nama}_p90": persentil(daftar, 0.9)})
    sebaran = {
        nama: {"n": hasil[f"{nama}_n"], "median": _jam(hasil[f"{nama}_median"]), "p90": _jam(hasil[f"{nama}_p90"])}
        for nama, _e, _s in ukuran
    }
    return hasil, sebaran


def _rasio(pembilang, penyebut):
    return None if not penyebut else round(pembilang / penyebut, 4)


# --- indicators ----------------------------------------------------------------------------------


def rentang_waktu(dari, sampai) -> tuple[datetime, datetime]:
    """[dari 00:00, sampai+1 00:00) in the deployment's time zone."""
    zona = timezone.get_current_timezone()
    mulai = datetime.combine(dari, time.min, tzinfo=zona)
    akhir = datetime.combine(sampai + timedelta(days=1), time.min, tzinfo=zona)
    return mulai, akhir


def _saring_wilayah(qs, wilayah: str):
    return qs.filter(**{BIDANG_TINGKAT[tingkat_kode(wilayah)]: wilayah})


def indikator_permohonan(*, wilayah, dari, sampai, layanan=None, sekarang=None) -> tuple[dict, dict]:
    sekarang = sekarang or timezone.now()
    mulai, akhir = rentang_waktu(dari, sampai)
    semua = _saring_wilayah(PermohonanRingkas.objects.all(), wilayah)
    if layanan:
        semua = semua.filter(layanan=layanan)

    per_kanal: dict[str, int] = {"online": 0, "loket": 0}
    per_status: dict[str, int] = {}
    total = 0
    for baris in semua.filter(diajukan_pada__gte=mulai, diajukan_pada__lt=akhir).values("kanal", "status").annotate(
        n=Count("pk")
    ):
        total += baris["n"]
        per_kanal[baris["kanal"] or "online"] = per_kanal.get(baris["kanal"] or "online", 0) + baris["n"]
        per_status[baris["status"]] = per_status.get(baris["status"], 0) + baris["n"]

    berakhir = semua.filter(selesai_pada__gte=mulai, selesai_pada__lt=akhir)
    akhir_agg, sebaran = _agregat_berakhir(berakhir)
    terbuka = semua.filter(status__in=STATUS_TERBUKA).aggregate(
        terbuka=Count("pk"),
        lewat=Count("pk", filter=Q(tenggat__lt=sekarang) & ~Q(status="perlu_perbaikan")),
    )
    dinilai = akhir_agg["tepat"] + akhir_agg["terlambat"]
    permohonan = {
        "total": total,
        "per_kanal": per_kanal,
        "per_status": per_status,
        "selesai": akhir_agg["selesai"],
        "ditolak": akhir_agg["ditolak"],
        "dibatalkan": akhir_agg["dibatalkan"],
        "terlambat": akhir_agg["terlambat"],
        "terbuka": terbuka["terbuka"],
        "lewat_tenggat": terbuka["lewat"],
    }
    sla = {
        "kepatuhan": _rasio(akhir_agg["tepat"], dinilai),
        "tepat_waktu": akhir_agg["tepat"],
        "dinilai": dinilai,
        "tidak_diketahui": akhir_agg["selesai"] - dinilai,
        "jam_kerja": sebaran,
    }
    return permohonan, sla


KOLOM_IKM = {u: f"ikm_{u}" for u in ikm.UNSUR_IKM}
KOLOM_IPAK = {u: f"ipak_{u}" for u in ikm.ITEM_IPAK}
KOLOM_IPKP = {u: f"ipkp_{u}" for u in ikm.ITEM_IPKP}


def indikator_survei(*, wilayah, dari, sampai, layanan=None, populasi: int) -> dict:
    qs = _saring_wilayah(Survei.objects.all(), wilayah).filter(tanggal__gte=dari, tanggal__lte=sampai)
    if layanan:
        qs = qs.filter(layanan=layanan)
    kolom = {**{f"ikm:{k}": v for k, v in KOLOM_IKM.items()}, **{f"ipak:{k}": v for k, v in KOLOM_IPAK.items()},
             **{f"ipkp:{k}": v for k, v in KOLOM_IPKP.items()}}
    agg = qs.aggregate(
        _n=Count("pk"), _bayar=Count("pk", filter=Q(diminta_bayar=True)), **{k: Sum(v) for k, v in kolom.items()}
    )
    n = agg["_n"]

    def jumlah(awalan, kunci):
        return {k: agg[f"{awalan}:{k}"] or 0 for k in kunci}

    hasil_ikm = ikm.ikm_dari_jumlah(jumlah("ikm", ikm.UNSUR_IKM), n)
    ipak = ikm.indeks_dari_jumlah(jumlah("ipak", ikm.ITEM_IPAK), n, ikm.ITEM_IPAK)
    ipkp = ikm.indeks_dari_jumlah(jumlah("ipkp", ikm.ITEM_IPKP), n, ikm.ITEM_IPKP)
    minimum = ikm.sampel_minimum(populasi)
    nilai_ipak = ikm.nilai_zi(ipak, settings.ZI_BOBOT_IPAK)
    nilai_ipkp = ikm.nilai_zi(ipkp, settings.ZI_BOBOT_IPKP)

    def memenuhi(nilai, batas):
        return None if nilai is None else nilai >= batas

    def angka(d):
        return None if d is None else float(d)

    return {
        "ikm": {**hasil_ikm.sebagai_dict(), "populasi": populasi, "sampel_minimum": minimum, "sampel_cukup": n >= minimum},
        "ipak": angka(ipak),
        "ipkp": angka(ipkp),
        "bebas_pungli": _rasio(n - agg["_bayar"], n),
        "survei": {"responden": n, "diminta_bayar": agg["_bayar"]},
        "zona_integritas": {
            "ipak": {"nilai": angka(nilai_ipak), "bobot": float(settings.ZI_BOBOT_IPAK),
                     "wbk": memenuhi(nilai_ipak, settings.ZI_MIN_IPAK_WBK),
                     "wbbm": memenuhi(nilai_ipak, settings.ZI_MIN_IPAK_WBBM),
                     "minimum_wbk": float(settings.ZI_MIN_IPAK_WBK), "minimum_wbbm": float(settings.ZI_MIN_IPAK_WBBM)},
            "ipkp": {"nilai": angka(nilai_ipkp), "bobot": float(settings.ZI_BOBOT_IPKP),
                     "wbk": memenuhi(nilai_ipkp, settings.ZI_MIN_IPKP_WBK),
                     "wbbm": memenuhi(nilai_ipkp, settings.ZI_MIN_IPKP_WBBM),
                     "minimum_wbk": float(settings.ZI_MIN_IPKP_WBK), "minimum_wbbm": float(settings.ZI_MIN_IPKP_WBBM)},
        },
    }


def indikator_pengaduan(*, wilayah, dari, sampai, sekarang=None) -> dict:
    """Counts and handling times only: the complaints themselves stay with the inspectorate."""
    sekarang = sekarang or timezone.now()
    mulai, akhir = rentang_waktu(dari, sampai)
    qs = _saring_wilayah(Pengaduan.objects.all(), wilayah).filter(diterima_pada__gte=mulai, diterima_pada__lt=akhir)
    per_kategori = {k: 0 for k in Pengaduan.Kategori.values}
    per_status = {k: 0 for k in Pengaduan.Status.values}
    tanggapan, penyelesaian = [], []
    tepat = lewat = lapor = 0
    baris = qs.values_list("kategori", "status", "diterima_pada", "ditanggapi_pada", "diselesaikan_pada",
                           "tenggat_tanggapan", "lapor_id")
    for kategori, status, diterima, ditanggapi, diselesaikan, tenggat, lapor_id in baris:
        per_kategori[kategori] += 1
        lapor += bool(lapor_id)
        per_status[status] += 1
        if ditanggapi:
            tanggapan.append((ditanggapi - diterima).total_seconds() / 86400)
            tepat += ditanggapi <= tenggat
        elif sekarang > tenggat:
            lewat += 1
        if diselesaikan:
            penyelesaian.append((diselesaikan - diterima).total_seconds() / 86400)
    total = sum(per_kategori.values())
    def hari(v):
        return round(statistics.median(v), 2) if v else None

    return {
        "total": total,
        "per_kategori": per_kategori,
        "per_status": per_status,
        "tuntas": per_status["selesai"] + per_status["ditutup"],
        "rasio_tuntas": _rasio(per_status["selesai"] + per_status["ditutup"], total),
        "ditanggapi_tepat_waktu": tepat,
        "dengan_lapor_id": lapor,
        "belum_ditanggapi_lewat_tenggat": lewat,
        "median_hari_tanggapan": hari(tanggapan),
        "median_hari_selesai": hari(penyelesaian),
    }


def status_rantai(wilayah: str) -> dict:
    """Chains of the kelurahan in the unit, as their latest verification found them."""
    if tingkat_kode(wilayah) == 4:
        saring = Q(pk=wilayah)
    else:
        saring = Q(pk__startswith=wilayah + ".")
    ada = set(RantaiAudit.objects.filter(saring).values_list("kunci", flat=True))
    periksa = {p.rantai: p for p in PemeriksaanRantai.objects.filter(saring)}
    rusak = sorted(k for k, p in periksa.items() if not p.utuh)
    belum = sorted(ada - set(periksa))
    terakhir = min((p.diperiksa_pada for p in periksa.values()), default=None)
    return {
        "jumlah": len(ada | set(periksa)),
        "diperiksa": len(periksa),
        "utuh": not rusak and not belum if (ada or periksa) else None,
        "rusak": rusak,
        "belum_diperiksa": belum,
        "diperiksa_paling_lama": terakhir.isoformat() if terakhir else None,
    }


def indikator_hitung(*, wilayah: str, dari, sampai, layanan: str | None = None, sekarang=None) -> dict:
    """All indicators of one unit (kelurahan, kecamatan or kota code) and period."""
    if tingkat_kode(wilayah) not in BIDANG_TINGKAT:
        raise ValueError(f"wilayah {wilayah!r} bukan kota, kecamatan atau kelurahan")
    permohonan, sla = indikator_permohonan(wilayah=wilayah, dari=dari, sampai=sampai, layanan=layanan,
                                           sekarang=sekarang)
    survei = indikator_survei(wilayah=wilayah, dari=dari, sampai=sampai, layanan=layanan,
                              populasi=permohonan["selesai"])
    return {
        "wilayah": wilayah,
        "dari": dari.isoformat(),
        "sampai": sampai.isoformat(),
        "layanan": layanan or None,
        "permohonan": permohonan,
        "sla": sla,
        **survei,
        "pengaduan": indikator_pengaduan(wilayah=wilayah, dari=dari, sampai=sampai, sekarang=sekarang),
        "rantai_audit": status_rantai(wilayah),
    }


# --- tables, trends and lists for dashboards and exports ------------------------------------------

KOLOM_TABEL = (
    "wilayah", "permohonan", "selesai", "terlambat", "terbuka", "lewat_tenggat", "kepatuhan_sla",
    "median_jam", "p90_jam", "ikm", "mutu", "responden", "sampel_minimum", "ipak", "ipkp", "bebas_pungli",
    "pengaduan", "pengaduan_tuntas",
)


def baris_tabel(hasil: dict) -> dict:
    """One flat row of an indicator result, for tables, CSV and XLSX."""
    return {
        "wilayah": hasil["wilayah"],
        "permohonan": hasil["permohonan"]["total"],
        "selesai": hasil["permohonan"]["selesai"],
        "terlambat": hasil["permohonan"]["terlambat"],
        "terbuka": hasil["permohonan"]["terbuka"],
        "lewat_tenggat": hasil["permohonan"]["lewat_tenggat"],
        "kepatuhan_sla": hasil["sla"]["kepatuhan"],
        "median_jam": hasil["sla"]["jam_kerja"]["total"]["median"],
        "p90_jam": hasil["sla"]["jam_kerja"]["total"]["p90"],
        "ikm": hasil["ikm"]["nilai"],
        "mutu": hasil["ikm"]["mutu"],
        "responden": hasil["ikm"]["responden"],
        "sampel_minimum": hasil["ikm"]["sampel_minimum"],
        "ipak": hasil["ipak"],
        "ipkp": hasil["ipkp"],
        "bebas_pungli": hasil["bebas_pungli"],
        "pengaduan": hasil["pengaduan"]["total"],
        "pengaduan_tuntas": hasil["pengaduan"]["tuntas"],
    }


def tren_bulanan(*, wilayah: str, dari, sampai, layanan: str | None = None) -> list[dict]:
    """Per calendar month: finished requests, SLA compliance and IKM (for the trend chart)."""
    mulai, akhir = rentang_waktu(dari, sampai)
    zona = timezone.get_current_timezone()
    ringkas = _saring_wilayah(PermohonanRingkas.objects.all(), wilayah).filter(
        status="selesai", selesai_pada__gte=mulai, selesai_pada__lt=akhir)
    survei = _saring_wilayah(Survei.objects.all(), wilayah).filter(tanggal__gte=dari, tanggal__lte=sampai)
    if layanan:
        ringkas, survei = ringkas.filter(layanan=layanan), survei.filter(layanan=layanan)
    bulan: dict = {}
    for baris in ringkas.annotate(bulan=TruncMonth("selesai_pada", tzinfo=zona)).values("bulan").annotate(
        selesai=Count("pk"), tepat=Count("pk", filter=Q(memenuhi_standar=True)),
        dinilai=Count("pk", filter=Q(memenuhi_standar__isnull=False)),
    ):
        kunci = baris["bulan"].date().replace(day=1) if hasattr(baris["bulan"], "date") else baris["bulan"]
        bulan[kunci] = {"selesai": baris["selesai"], "kepatuhan_sla": _rasio(baris["tepat"], baris["dinilai"])}
    for baris in survei.annotate(bulan=TruncMonth("tanggal")).values("bulan").annotate(
        _n=Count("pk"), **{k: Sum(v) for k, v in KOLOM_IKM.items()}
    ):
        hasil = ikm.ikm_dari_jumlah({k: baris[k] for k in KOLOM_IKM}, baris["_n"])
        kunci = baris["bulan"]
        bulan.setdefault(kunci, {"selesai": 0, "kepatuhan_sla": None})
        bulan[kunci].update({"ikm": float(hasil.nilai), "responden": baris["_n"]})
    return [
        {"bulan": k.strftime("%Y-%m"), "selesai": v["selesai"], "kepatuhan_sla": v["kepatuhan_sla"],
         "ikm": v.get("ikm"), "responden": v.get("responden", 0)}
        for k, v in sorted(bulan.items())
    ]


def daftar_lewat_tenggat(*, wilayah: str, sekarang=None, batas: int = 200) -> list[dict]:
    """Open requests past their deadline, oldest deadline first; codes and times only, no personal data."""
    sekarang = sekarang or timezone.now()
    qs = (
        _saring_wilayah(PermohonanRingkas.objects.all(), wilayah)
        .filter(status__in=STATUS_TERBUKA, tenggat__lt=sekarang)
        .exclude(status="perlu_perbaikan")
        .order_by("tenggat")
        .values("permohonan_id", "nomor_registrasi", "layanan", "kelurahan", "kantor", "status", "kanal",
                "diajukan_pada", "tenggat")[:batas]
    )
    return [{**b, "terlambat_jam": round((sekarang - b["tenggat"]).total_seconds() / 3600, 1)} for b in qs]


# Traffic lights of the dashboards (issue 18, item 4): green at or above the target, amber close to it,
# red under it; each with words, never colour alone. The thresholds are settings (LAMPU_*, config/settings.py).
JAM_KERJA_SEHARI_DETIK = 7.5 * 3600  # Perpres 21/2023: 37.5 hours over five days
MUTU_IKM = "ABCD"  # mutu pelayanan, PermenPANRB 14/2017, best first


def lampu_sla(kepatuhan) -> str | None:
    """SLA compliance (0..1) against LAMPU_SLA_HIJAU and LAMPU_SLA_KUNING."""
    if kepatuhan is None:
        return None
    hijau, kuning = settings.LAMPU_SLA_HIJAU, settings.LAMPU_SLA_KUNING
    return "hijau" if kepatuhan >= hijau else "kuning" if kepatuhan >= kuning else "merah"


def lampu_ikm(mutu) -> str | None:
    """An IKM quality letter against LAMPU_IKM_HIJAU and LAMPU_IKM_KUNING (the letter that is still green,
    still amber)."""
    if not mutu or len(mutu) != 1 or mutu not in MUTU_IKM:
        return None
    if MUTU_IKM.index(mutu) <= MUTU_IKM.index(settings.LAMPU_IKM_HIJAU):
        return "hijau"
    return "kuning" if MUTU_IKM.index(mutu) <= MUTU_IKM.index(settings.LAMPU_IKM_KUNING) else "merah"


def keterangan_lampu() -> dict:
    """The thresholds in the words of the dashboard's legend."""
    hijau, kuning = settings.LAMPU_SLA_HIJAU, settings.LAMPU_SLA_KUNING
    ke_mutu = lambda akhir: MUTU_IKM[: MUTU_IKM.index(akhir) + 1]  # noqa: E731
    mutu_hijau = ke_mutu(settings.LAMPU_IKM_HIJAU)
    mutu_kuning = ke_mutu(settings.LAMPU_IKM_KUNING)[len(mutu_hijau):]
    return {"sla_hijau": hijau, "sla_kuning": kuning, "mutu_hijau": "/".join(mutu_hijau),
            "mutu_kuning": "/".join(mutu_kuning) or "–",
            "mutu_merah": "/".join(MUTU_IKM[len(mutu_hijau) + len(mutu_kuning):]) or "–"}


# --- names for people (issue 18): every table and export the camat and the inspectorate read ----------


def nama_wilayah(kode_semua) -> dict[str, str]:
    """{code: name} of region codes, the one lookup of every dashboard, complaint page and export: the
    kelurahan offices serve and their kecamatan from the per-process list (no query), any other in one
    query; a code nobody knows stays itself."""
    from kelurahan.models import Wilayah
    from kelurahan.simpanan import kelurahan_dilayani

    kode_semua = {k for k in kode_semua if k}
    dikenal = {}
    for w in kelurahan_dilayani().values():
        dikenal[w.kode] = w.nama
        if w.induk_id:
            dikenal[w.induk_id] = w.induk.nama
    nama = {k: dikenal[k] for k in kode_semua if k in dikenal}
    if kode_semua - nama.keys():
        nama.update(Wilayah.objects.filter(kode__in=kode_semua - nama.keys()).values_list("kode", "nama"))
    return {k: nama.get(k, k) for k in kode_semua}


def nama_layanan(kode_semua) -> dict[str, str]:
    """{code: name} of service codes: the active catalogue from the per-process list, a retired service in
    one query."""
    from layanan.models import Layanan
    from layanan.permohonan.selectors import layanan_pilihan

    kode_semua = {k for k in kode_semua if k}
    aktif = dict(layanan_pilihan())
    nama = {k: aktif[k] for k in kode_semua if k in aktif}
    if kode_semua - nama.keys():
        nama.update(Layanan.objects.filter(kode__in=kode_semua - nama.keys()).values_list("kode", "nama"))
    return {k: nama.get(k, k) for k in kode_semua}


def label_status(kode: str) -> str:
    """A request's status in words (translated)."""
    from layanan.models import Status

    return str(dict(Status.choices).get(kode, kode))


def lewat_tenggat_bernama(baris: list[dict], *, sekarang=None) -> list[dict]:
    """The overdue list as people read it: service and kelurahan names, the status in words, and the delay
    in working days of the kelurahan's own calendar (hours past the deadline over a 7.5-hour working day)."""
    from kelurahan.kalender import kalender_wilayah

    sekarang = sekarang or timezone.now()
    layanan = nama_layanan(b["layanan"] for b in baris)
    kelurahan = nama_wilayah(b["kelurahan"] for b in baris)
    hasil = []
    for b in baris:
        detik = kalender_wilayah(b["kelurahan"]).detik_kerja_antara(b["tenggat"], sekarang)
        hasil.append({**b, "layanan_nama": layanan.get(b["layanan"], b["layanan"]),
                      "kelurahan_nama": kelurahan.get(b["kelurahan"], b["kelurahan"]),
                      "status_label": label_status(b["status"]),
                      "terlambat_hari_kerja": round(detik / (JAM_KERJA_SEHARI_DETIK), 1)})
    return hasil
