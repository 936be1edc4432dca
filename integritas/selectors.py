"""Reads of the integrity domain. Complaints are the inspectorate's alone: the office complained
about never reads them, whatever its role."""

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum

from audit.models import AuditEvent
from integritas.models import JawabanSurveiPegawai, Pengaduan
from kelurahan.lingkup import inspektorat_wilayah


def _pengaduan_lingkup_q(akar: list[str]) -> Q:
    lingkup = Q(kelurahan="")  # naming no kelurahan: every inspectorate of the deployment
    for a in akar:
        lingkup |= Q(kota=a) if a.count(".") == 1 else Q(kelurahan=a) | Q(kelurahan__startswith=a + ".")
    return lingkup


def pengaduan_antrean(user, *, status=None, kategori=None, kelurahan=None) -> QuerySet:
    """Complaints the user handles as inspektorat, newest first; none for anyone else,
    so the office complained about never reads them."""
    akar = inspektorat_wilayah(user)
    if not akar:
        return Pengaduan.objects.none()
    qs = Pengaduan.objects.filter(_pengaduan_lingkup_q(akar))
    for nama, nilai in (("status", status), ("kategori", kategori), ("kelurahan", kelurahan)):
        if nilai:
            qs = qs.filter(**{nama: nilai})
    return qs.order_by("-diterima_pada", "-id")


def pengaduan_untuk_inspektorat(user, kode) -> Pengaduan | None:
    return pengaduan_antrean(user).filter(kode_lacak=str(kode).strip().upper()).first()


def survei_pegawai_hasil(kantor_kode: list[str], periode: str) -> dict:
    """{office code: {"responden", "cukup", "indeks", "butir"}} for the officers' survey of a period. Below
    SURVEI_PEGAWAI_MIN_RESPONDEN answers an office shows only its count: no index, no item means."""
    from integritas.pegawai import BUTIR_PEGAWAI, indeks_pegawai

    minimum = settings.SURVEI_PEGAWAI_MIN_RESPONDEN
    baris = (JawabanSurveiPegawai.objects.filter(kantor__in=kantor_kode, periode=periode).values("kantor")
             .annotate(_n=Count("pk"), **{k: Sum(k) for k in BUTIR_PEGAWAI}).order_by())
    hasil = {k: {"responden": 0, "minimum": minimum, "cukup": False, "indeks": None, "butir": None}
             for k in kantor_kode}
    for b in baris:
        n, cukup = b["_n"], b["_n"] >= minimum
        hasil[b["kantor"]] = {
            "responden": n, "minimum": minimum, "cukup": cukup,
            "indeks": float(indeks_pegawai(b, n)) if cukup else None,
            "butir": {k: round(b[k] / n, 2) for k in BUTIR_PEGAWAI} if cukup else None,
        }
    return hasil


def integritas_banding(wilayah_kode: str, *, dari, sampai, periode: str) -> list[dict]:
    """Per office in the unit: the residents' IPAK (surveys of the period) beside the officers' own
    integrity index (survey of `periode`). Three queries whatever the number of offices."""
    from integritas.ikm import ITEM_IPAK, indeks_dari_jumlah
    from integritas.models import Survei
    from kelurahan.models import Kantor

    kantor = list(Kantor.objects.filter(Q(wilayah_id=wilayah_kode) | Q(wilayah__kode__startswith=wilayah_kode + "."))
                  .order_by("wilayah_id").values_list("wilayah_id", "nama"))
    kode = [k for k, _n in kantor]
    pegawai = survei_pegawai_hasil(kode, periode)
    ipak = {}
    for tingkat in ("kelurahan", "kecamatan"):
        for b in (Survei.objects.filter(tanggal__gte=dari, tanggal__lte=sampai, **{f"{tingkat}__in": kode})
                  .values(tingkat).annotate(_n=Count("pk"), **{k: Sum(f"ipak_{k}") for k in ITEM_IPAK}).order_by()):
            nilai = indeks_dari_jumlah(b, b["_n"], ITEM_IPAK)
            ipak[b[tingkat]] = {"ipak": float(nilai) if nilai is not None else None, "responden": b["_n"]}
    return [{"kantor": k, "nama": nama, "warga": ipak.get(k, {"ipak": None, "responden": 0}), "pegawai": pegawai[k]}
            for k, nama in kantor]


def ambang_lampu_berlaku() -> dict:
    """The LAMPU_* settings in force, as text (a fraction is compared exactly, not as a float)."""
    return {"sla_hijau": str(settings.LAMPU_SLA_HIJAU), "sla_kuning": str(settings.LAMPU_SLA_KUNING),
            "ikm_hijau": settings.LAMPU_IKM_HIJAU, "ikm_kuning": settings.LAMPU_IKM_KUNING}


def ambang_lampu_terakhir() -> AuditEvent | None:
    """The last record of the traffic lights' thresholds on the system chain (services.ambang_lampu_catat)."""
    return AuditEvent.objects.filter(rantai="sistem", aksi="ambang_lampu").order_by("-urutan").first()


def ambang_lampu_tercatat_sejak():
    """Since when the thresholds in force are recorded in the ledger, or None: also when the last record holds
    other values (changed since beat last ran, or beat is stopped), so a dashboard never vouches for thresholds
    the ledger has not seen."""
    terakhir = ambang_lampu_terakhir()
    if terakhir is None or terakhir.data.get("ambang") != ambang_lampu_berlaku():
        return None
    return terakhir.waktu
