"""Surveys, complaints, indicators and integrity signals over HTTP (DESIGN.md "HTTP contract").

The audit app keeps these records and computes the figures from plain codes;
this module does what audit may not: it checks who owns a request, resolves a
nomor_registrasi, and checks an officer's scope through kelurahan assignments.
"""

import io
from datetime import date

from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from audit.checkpoint import sebagai_json as cp_sebagai_json
from audit.selectors import checkpoint_rantai
from integritas import ikm
from integritas import services as integritas_services
from integritas.indikator import (
    BIDANG_TINGKAT,
    KOLOM_TABEL,
    baris_tabel,
    daftar_lewat_tenggat,
    indikator_hitung,
    lewat_tenggat_bernama,
    nama_layanan,
    nama_wilayah,
    tren_bulanan,
)
from integritas.models import Pengaduan
from integritas.selectors import pengaduan_antrean, pengaduan_untuk_inspektorat
from integritas.sinyal import JENIS as JENIS_SINYAL
from integritas.sinyal import sinyal_bernama, sinyal_hitung
from integritas.zi import sel_aman
from kelurahan.lingkup import inspektorat_wilayah, kode_dalam_lingkup, wilayah_peran
from kelurahan.models import Peran, Wilayah
from layanan.api.errors import Conflict
from layanan.models import Layanan, Permohonan, Status

PERAN_INDIKATOR = {Peran.LURAH, Peran.CAMAT, Peran.INSPEKTORAT}


def _tolak_input(galat: dict):
    raise ValidationError({k: [str(p) for p in v] for k, v in galat.items()})


# --- scope -------------------------------------------------------------------------------------


def wilayah_dalam_lingkup(user, kode: str, peran_boleh: set) -> Wilayah:
    """403 without a role that may read this, 400 on a missing code, 404 for a unit outside scope."""
    akar = wilayah_peran(user, peran_boleh)
    if not akar:
        raise PermissionDenied(_("Peran Anda tidak dapat membaca indikator."))
    kode = (kode or "").strip()
    if not kode:
        raise ValidationError({"wilayah": [_("Wajib diisi: kode kelurahan, kecamatan atau kota.")]})
    wilayah = Wilayah.objects.filter(kode=kode, tingkat__in=BIDANG_TINGKAT).first()
    if wilayah is None or not kode_dalam_lingkup(kode, akar):
        raise NotFound(_("Wilayah tidak ditemukan."))
    return wilayah


def _wilayah_diizinkan(request, peran_boleh: set) -> Wilayah:
    return wilayah_dalam_lingkup(request.user, request.query_params.get("wilayah"), peran_boleh)


def periode_dari(params) -> tuple[date, date]:
    """`dari`/`sampai` (YYYY-MM-DD) from query parameters; the current year up to today by default."""
    hari_ini = timezone.localdate()
    galat = {}
    hasil = {}
    for nama, bawaan in (("dari", date(hari_ini.year, 1, 1)), ("sampai", hari_ini)):
        teks = params.get(nama)
        if not teks:
            hasil[nama] = bawaan
            continue
        try:
            hasil[nama] = parse_date(teks)
        except ValueError:
            hasil[nama] = None
        if hasil[nama] is None:
            galat[nama] = [_("Tanggal harus berformat YYYY-MM-DD.")]
    if not galat and hasil["dari"] > hasil["sampai"]:
        galat["sampai"] = [_("Tidak boleh sebelum tanggal 'dari'.")]
    if galat:
        raise ValidationError(galat)
    return hasil["dari"], hasil["sampai"]


def _periode(request) -> tuple[date, date]:
    return periode_dari(request.query_params)


def _layanan(request) -> str | None:
    kode = (request.query_params.get("layanan") or "").strip()
    if kode and not Layanan.objects.filter(kode=kode).exists():
        raise ValidationError({"layanan": [_("Layanan tidak dikenal.")]})
    return kode or None


PARAM_WILAYAH = [
    OpenApiParameter("wilayah", str, required=True, description="kode kelurahan, kecamatan atau kota"),
    OpenApiParameter("dari", date), OpenApiParameter("sampai", date),
]


class Indikator(APIView):
    """Indicators of one unit and period: lurah (own kelurahan), camat (own kecamatan), inspektorat (kota)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[*PARAM_WILAYAH, OpenApiParameter("layanan", str)], responses=dict)
    def get(self, request):
        wilayah = _wilayah_diizinkan(request, PERAN_INDIKATOR)
        dari, sampai = _periode(request)
        hasil = indikator_hitung(wilayah=wilayah.kode, dari=dari, sampai=sampai, layanan=_layanan(request))
        return Response({"nama_wilayah": wilayah.nama, **hasil})


class Sinyal(APIView):
    """Integrity signals for the inspectorate, each linking to the requests behind it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[*PARAM_WILAYAH, OpenApiParameter("jenis", str, enum=list(JENIS_SINYAL)),
                               OpenApiParameter("ekspor", str, enum=["csv", "xlsx"])], responses=dict)
    def get(self, request):
        wilayah = _wilayah_diizinkan(request, {Peran.INSPEKTORAT})
        dari, sampai = _periode(request)
        jenis = request.query_params.get("jenis")
        if jenis and jenis not in JENIS_SINYAL:
            raise ValidationError({"jenis": [_("Pilih salah satu: %(daftar)s.") % {"daftar": ", ".join(JENIS_SINYAL)}]})
        hasil = sinyal_hitung(wilayah=wilayah.kode, dari=dari, sampai=sampai, jenis=[jenis] if jenis else None)
        if request.query_params.get("ekspor"):  # names, not codes or usernames (issue 18)
            return ekspor(request, f"sinyal-{wilayah.kode}-{dari}-{sampai}",
                          ("judul", "kelurahan", "petugas", "keterangan", "permohonan"),
                          [{**s, "kelurahan": s["kelurahan_nama"],
                            "permohonan": [t["nomor_registrasi"] for t in s["permohonan"]]}
                           for s in sinyal_bernama(hasil)])
        for s in hasil:
            for t in s["permohonan"]:
                t["url"] = request.build_absolute_uri(f"/api/v1/permohonan/{t['id']}/")
        return Response({"wilayah": wilayah.kode, "dari": dari, "sampai": sampai, "jumlah": len(hasil),
                         "sinyal": hasil})


# --- survey ------------------------------------------------------------------------------------


class SurveiMasuk(serializers.Serializer):
    nomor_registrasi = serializers.CharField(required=False)
    token = serializers.CharField(required=False, help_text="dari tautan undangan WhatsApp")
    ikm = serializers.DictField(child=serializers.IntegerField())
    ipak = serializers.DictField(child=serializers.IntegerField())
    ipkp = serializers.DictField(child=serializers.IntegerField())
    diminta_bayar = serializers.BooleanField()
    jumlah_bayar = serializers.IntegerField(required=False, allow_null=True)
    kepada_bayar = serializers.CharField(required=False, allow_blank=True)
    saran = serializers.CharField(required=False, allow_blank=True)
    profil = serializers.DictField(child=serializers.CharField(allow_blank=True, allow_null=True), required=False,
                                   help_text="opsional: jenis_kelamin, usia, pendidikan, pekerjaan (kode dari GET)")


def _permohonan_survei(request) -> Permohonan:
    """The finished request this survey answers: from the signed link, or the signed-in owner's number."""
    token = request.data.get("token")
    if token:
        try:
            pid = integritas_services.survei_token_baca(str(token))
        except integritas_services.TautanTidakSah:
            raise NotFound(_("Tautan survei tidak sah atau sudah kedaluwarsa.")) from None
        p = Permohonan.objects.select_related("layanan").filter(pk=pid).first()
    else:
        if not request.user.is_authenticated or not hasattr(request.user, "warga"):
            raise PermissionDenied(_("Masuk sebagai pemohon, atau buka tautan survei dari pesan WhatsApp."))
        nomor = str(request.data.get("nomor_registrasi") or "").strip().upper()
        if not nomor:
            raise ValidationError({"nomor_registrasi": [_("Wajib diisi.")]})
        p = (Permohonan.objects.select_related("layanan")
             .filter(nomor_registrasi=nomor, pemohon__user_id=request.user.pk).first())
    if p is None:
        raise NotFound(_("Permohonan tidak ditemukan."))
    if p.status != Status.SELESAI:
        raise Conflict(_("Survei dapat diisi setelah permohonan selesai."))
    return p


class Survei(APIView):
    """The questionnaire (GET) and one answer per finished request (POST), anonymous to officers."""

    permission_classes = [AllowAny]

    @extend_schema(responses=dict)
    def get(self, request):
        return Response(ikm.kuesioner())

    @extend_schema(request=SurveiMasuk, responses={201: inline_serializer("SurveiTersimpan", {
        "diterima": serializers.BooleanField()})})
    def post(self, request):
        p = _permohonan_survei(request)
        masuk = SurveiMasuk(data=request.data)
        masuk.is_valid(raise_exception=True)
        d = masuk.validated_data
        try:
            integritas_services.survei_simpan(
                permohonan_id=p.pk, kelurahan=p.kelurahan_id, layanan=p.layanan.kode, ikm=d["ikm"], ipak=d["ipak"],
                ipkp=d["ipkp"], diminta_bayar=d["diminta_bayar"], jumlah_bayar=d.get("jumlah_bayar"),
                kepada_bayar=d.get("kepada_bayar", ""), saran=d.get("saran", ""), profil=d.get("profil"),
            )
        except integritas_services.DataTidakValid as e:
            _tolak_input(e.galat)
        except integritas_services.SudahDiisi:
            raise Conflict(_("Survei untuk permohonan ini sudah diisi.")) from None
        return Response({"diterima": True}, status=status.HTTP_201_CREATED)


# --- complaints --------------------------------------------------------------------------------


def _inspektorat(request) -> list[str]:
    akar = inspektorat_wilayah(request.user)
    if not akar:
        raise PermissionDenied(_("Pengaduan hanya ditangani inspektorat."))
    return akar


def _pengaduan_inspektorat(request, kode) -> Pengaduan:
    _inspektorat(request)
    pengaduan = pengaduan_untuk_inspektorat(request.user, kode)
    if pengaduan is None:
        raise NotFound(_("Pengaduan tidak ditemukan."))
    return pengaduan


def _pengaduan_publik(p: Pengaduan) -> dict:
    return {
        "kode_lacak": p.kode_lacak,
        "kategori": p.kategori,
        "status": p.status,
        "status_label": p.get_status_display(),
        "diterima_pada": p.diterima_pada,
        "tenggat_tanggapan": p.tenggat_tanggapan,
        "tenggat_selesai": p.tenggat_selesai,
        "riwayat": [{"status": r.ke, "catatan": r.catatan, "waktu": r.waktu} for r in p.riwayat.all()],
    }


def _pengaduan_lengkap(request, p: Pengaduan) -> dict:
    return {
        **_pengaduan_publik(p),
        "isi": p.isi, "kontak": p.kontak, "nomor_registrasi": p.nomor_registrasi, "permohonan_id": p.permohonan_id,
        "layanan": p.layanan, "kelurahan": p.kelurahan, "ditanggapi_pada": p.ditanggapi_pada,
        "diselesaikan_pada": p.diselesaikan_pada, "bukti_sha256": p.bukti_sha256 or None,
        "bukti_url": request.build_absolute_uri(f"/api/v1/pengaduan/{p.kode_lacak}/bukti/") if p.bukti else None,
        "lapor_id": p.lapor_id or None,
    }


KOLOM_PENGADUAN = ("kode_lacak", "kategori", "status", "kelurahan", "layanan", "nomor_registrasi", "diterima_pada",
                   "tenggat_tanggapan", "ditanggapi_pada", "tenggat_selesai", "diselesaikan_pada", "isi", "kontak")


class PengaduanListCreate(APIView):
    """Anyone may complain, anonymously too (POST); only the inspectorate lists complaints (GET)."""

    permission_classes = [AllowAny]

    def get_throttles(self):
        if self.request.method == "POST":
            self.throttle_scope = "pengaduan"
            return [ScopedRateThrottle()]
        return []

    @extend_schema(parameters=[OpenApiParameter("status", str), OpenApiParameter("kategori", str),
                               OpenApiParameter("kelurahan", str), OpenApiParameter("page", int),
                               OpenApiParameter("ekspor", str, enum=["csv", "xlsx"])], responses=dict,
                   operation_id="pengaduan_daftar")
    def get(self, request):
        _inspektorat(request)
        qs = pengaduan_antrean(request.user, **{nama: request.query_params.get(nama)
                                                for nama in ("status", "kategori", "kelurahan")})
        qs = qs.prefetch_related("riwayat")
        if request.query_params.get("ekspor"):
            return ekspor(request, "pengaduan", KOLOM_PENGADUAN, nama_di_tempat_kode(
                [_pengaduan_lengkap(request, p) for p in qs], wilayah=("kelurahan",), layanan=("layanan",),
                pilihan={"kategori": Pengaduan.Kategori.choices, "status": Pengaduan.Status.choices}))
        halaman = PageNumberPagination()
        baris = halaman.paginate_queryset(qs, request, view=self)
        return halaman.get_paginated_response([_pengaduan_lengkap(request, p) for p in baris])

    @extend_schema(
        request={"multipart/form-data": inline_serializer("PengaduanBaru", {
            "kategori": serializers.ChoiceField(choices=Pengaduan.Kategori.choices), "isi": serializers.CharField(),
            "nomor_registrasi": serializers.CharField(required=False), "kelurahan": serializers.CharField(required=False),
            "kontak": serializers.CharField(required=False), "bukti": serializers.FileField(required=False)})},
        responses={201: dict},
    )
    def post(self, request):
        try:
            pengaduan = integritas_services.pengaduan_ajukan(
                kategori=str(request.data.get("kategori") or ""), isi=str(request.data.get("isi") or ""),
                nomor_registrasi=str(request.data.get("nomor_registrasi") or ""),
                kelurahan=str(request.data.get("kelurahan") or ""), kontak=str(request.data.get("kontak") or ""),
                bukti=request.FILES.get("bukti"),
            )
        except integritas_services.DataTidakValid as e:
            _tolak_input(e.galat)
        return Response({**_pengaduan_publik(pengaduan),
                         "lacak_url": request.build_absolute_uri(f"/api/v1/pengaduan/{pengaduan.kode_lacak}/")},
                        status=status.HTTP_201_CREATED)


class PengaduanDetail(APIView):
    """Status by tracking code for the complainant; the full file only for the inspectorate."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "lacak"

    @extend_schema(responses=dict)
    def get(self, request, kode):
        if wilayah_peran(request.user, {Peran.INSPEKTORAT}):
            return Response(_pengaduan_lengkap(request, _pengaduan_inspektorat(request, kode)))
        pengaduan = Pengaduan.objects.filter(kode_lacak=str(kode).upper()).first()
        if pengaduan is None:
            raise Http404
        return Response(_pengaduan_publik(pengaduan))


class PengaduanStatus(APIView):
    """One handling step by the inspectorate; each is audited."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=inline_serializer("StatusPengaduan", {
        "status": serializers.CharField(help_text=", ".join(Pengaduan.Status.values)),
        "catatan": serializers.CharField(required=False)}), responses=dict)
    def post(self, request, kode):
        pengaduan = _pengaduan_inspektorat(request, kode)
        try:
            pengaduan = integritas_services.pengaduan_ubah_status(
                kode_lacak=pengaduan.kode_lacak, status=str(request.data.get("status") or ""),
                catatan=str(request.data.get("catatan") or ""), pengguna=request.user, peran=Peran.INSPEKTORAT,
            )
        except integritas_services.DataTidakValid as e:
            _tolak_input(e.galat)
        except integritas_services.StatusPengaduanTidakSesuai:
            raise Conflict(_("Status pengaduan tidak memungkinkan langkah ini.")) from None
        return Response(_pengaduan_lengkap(request, pengaduan))


class PengaduanBukti(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, kode):
        pengaduan = _pengaduan_inspektorat(request, kode)
        if not pengaduan.bukti:
            raise Http404
        return FileResponse(pengaduan.bukti.open("rb"), content_type=pengaduan.bukti_jenis,
                            filename=f"bukti-{pengaduan.kode_lacak}.{pengaduan.bukti.name.rsplit('.', 1)[-1]}")


# --- tables, trends, overdue list, exports, public transparency ---------------------------------


def _catat_ekspor(request, nama, jenis, baris):
    """An export is a read of everything in it: audited (kategori akses_data) with the ids of the rows
    it held (tracking codes, registration numbers), never their content, so `manage.py akses_akun`
    can say what an account took away (docs/operations.md, "Kebocoran data")."""
    from audit.models import AuditEvent
    from audit.services import audit_catat

    objek = [str(b.get("kode_lacak") or b.get("nomor_registrasi")) for b in baris
             if b.get("kode_lacak") or b.get("nomor_registrasi")][:2000]
    with transaction.atomic():
        audit_catat(rantai="sistem", kategori=AuditEvent.Kategori.AKSES_DATA, aksi="ekspor", aktor=request.user,
                    data={"nama": nama, "jenis": jenis, "baris": len(baris), "objek": objek})


def ekspor(request, nama: str, kolom: tuple, baris: list[dict]):
    """`?ekspor=csv` or `?ekspor=xlsx` turns a table into a download; otherwise None (answer JSON)."""
    jenis = request.query_params.get("ekspor")
    if not jenis:
        return None
    if jenis not in ("csv", "xlsx"):
        raise ValidationError({"ekspor": [_("Pilih csv atau xlsx.")]})
    _catat_ekspor(request, nama, jenis, baris)

    def sel(nilai):
        if isinstance(nilai, (list, dict)):
            return sel_aman(", ".join(str(v) for v in nilai) if isinstance(nilai, list) else str(nilai))
        if hasattr(nilai, "tzinfo") and getattr(nilai, "tzinfo", None) is not None:
            return timezone.localtime(nilai).strftime("%Y-%m-%d %H:%M")
        return sel_aman(nilai)

    if jenis == "csv":
        import csv

        respons = HttpResponse(content_type="text/csv; charset=utf-8")
        respons["Content-Disposition"] = f'attachment; filename="{nama}.csv"'
        respons.write("\ufeff")  # so spreadsheet programs read UTF-8
        tulis = csv.writer(respons)
        tulis.writerow([sel_aman(k) for k in kolom])
        for b in baris:
            tulis.writerow([sel(b.get(k)) for k in kolom])
        return respons
    from openpyxl import Workbook

    buku = Workbook()
    lembar = buku.active
    lembar.title = nama[:31]
    lembar.append([sel_aman(k) for k in kolom])
    for b in baris:
        lembar.append([sel(b.get(k)) for k in kolom])
    isi = io.BytesIO()
    buku.save(isi)
    respons = HttpResponse(isi.getvalue(),
                           content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    respons["Content-Disposition"] = f'attachment; filename="{nama}.xlsx"'
    return respons


PARAM_EKSPOR = OpenApiParameter("ekspor", str, enum=["csv", "xlsx"])


def nama_di_tempat_kode(baris: list[dict], *, wilayah=(), layanan=(), pilihan=None) -> list[dict]:
    """Rows of a CSV/XLSX export as people read them (issue 18): each region or service code column holds
    its name, each status-like column its translated label. The JSON answers keep the codes for programs."""
    pilihan = {k: {kode: str(label) for kode, label in daftar} for k, daftar in (pilihan or {}).items()}
    wil = nama_wilayah(b[k] for b in baris for k in wilayah)
    lay = nama_layanan(b[k] for b in baris for k in layanan)
    hasil = []
    for b in baris:
        b = {**b, **{k: wil.get(b[k], b[k]) for k in wilayah}, **{k: lay.get(b[k], b[k]) for k in layanan}}
        hasil.append({**b, **{k: label.get(b[k], b[k]) for k, label in pilihan.items()}})
    return hasil


def rincian_unit(wilayah: Wilayah, dari, sampai, layanan=None) -> list[dict]:
    """One table row for the unit, then one per unit directly under it (kelurahan of a kecamatan, ...)."""
    unit = [wilayah, *Wilayah.objects.filter(induk=wilayah).order_by("kode")] if wilayah.tingkat < 4 else [wilayah]
    return [
        {**baris_tabel(indikator_hitung(wilayah=w.kode, dari=dari, sampai=sampai, layanan=layanan)), "nama": w.nama}
        for w in unit
    ]


class IndikatorRincian(APIView):
    """The unit and each unit under it (a kecamatan's kelurahan, a kota's kecamatan): one row each."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[*PARAM_WILAYAH, OpenApiParameter("layanan", str), PARAM_EKSPOR], responses=dict)
    def get(self, request):
        wilayah = _wilayah_diizinkan(request, PERAN_INDIKATOR)
        dari, sampai = _periode(request)
        baris = rincian_unit(wilayah, dari, sampai, _layanan(request))
        kolom = ("nama", *KOLOM_TABEL)
        # The export names each unit and leaves its code out (issue 18); the JSON keeps both.
        return ekspor(request, f"indikator-{wilayah.kode}-{dari}-{sampai}",
                      tuple(k for k in kolom if k != "wilayah"), baris) or Response(
            {"wilayah": wilayah.kode, "dari": dari, "sampai": sampai, "kolom": kolom, "baris": baris})


class IndikatorTren(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[*PARAM_WILAYAH, OpenApiParameter("layanan", str), PARAM_EKSPOR], responses=dict)
    def get(self, request):
        wilayah = _wilayah_diizinkan(request, PERAN_INDIKATOR)
        dari, sampai = _periode(request)
        baris = tren_bulanan(wilayah=wilayah.kode, dari=dari, sampai=sampai, layanan=_layanan(request))
        kolom = ("bulan", "selesai", "kepatuhan_sla", "ikm", "responden")
        return ekspor(request, f"tren-{wilayah.kode}", kolom, baris) or Response(
            {"wilayah": wilayah.kode, "dari": dari, "sampai": sampai, "bulan": baris})


class LewatTenggat(APIView):
    """Open requests past their deadline in the unit, for the camat's and lurah's follow-up."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[PARAM_WILAYAH[0], PARAM_EKSPOR], responses=dict)
    def get(self, request):
        wilayah = _wilayah_diizinkan(request, PERAN_INDIKATOR)
        baris = lewat_tenggat_bernama(daftar_lewat_tenggat(wilayah=wilayah.kode))
        for b in baris:
            b["url"] = request.build_absolute_uri(f"/api/v1/permohonan/{b['permohonan_id']}/")
        # Names instead of codes, so a spreadsheet reads as the dashboard does (issue 18); the JSON keeps both.
        kolom = ("nomor_registrasi", "layanan", "kelurahan", "status", "kanal", "diajukan_pada", "tenggat",
                 "terlambat_jam", "terlambat_hari_kerja")
        if request.query_params.get("ekspor"):
            return ekspor(request, f"lewat-tenggat-{wilayah.kode}", kolom, [
                {**b, "layanan": b["layanan_nama"], "kelurahan": b["kelurahan_nama"], "status": b["status_label"]}
                for b in nama_di_tempat_kode(baris, pilihan={"kanal": Permohonan.Kanal.choices})])
        return Response(
            {"wilayah": wilayah.kode, "jumlah": len(baris), "permohonan": baris})


def semester_terakhir(hari_ini: date) -> tuple[date, date, str]:
    """The last semester that has ended: January–June or July–December."""
    if hari_ini.month > 6:
        return date(hari_ini.year, 1, 1), date(hari_ini.year, 6, 30), f"{hari_ini.year}-1"
    return date(hari_ini.year - 1, 7, 1), date(hari_ini.year - 1, 12, 31), f"{hari_ini.year - 1}-2"


class Transparansi(APIView):
    """Public page data per kelurahan: SLA compliance, IKM and mutu, complaints handled; no personal data."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "lacak"

    @extend_schema(parameters=[OpenApiParameter("semester", str, description="mis. 2026-1 atau 2025-2")],
                   responses=dict)
    def get(self, request, kode):
        return Response(transparansi_data(kode, request.query_params.get("semester")))


def transparansi_data(kode: str, semester: str | None) -> dict:
    """The public figures of one kelurahan for one semester (the last ended one by default)."""
    wilayah = Wilayah.objects.filter(kode=kode, tingkat=Wilayah.Tingkat.DESA).first()
    if wilayah is None:
        raise Http404
    if semester:
        tahun, _pisah, ke = semester.partition("-")
        if not (tahun.isdigit() and ke in ("1", "2")):
            raise ValidationError({"semester": [_("Format: TAHUN-1 atau TAHUN-2, mis. 2026-1.")]})
        dari = date(int(tahun), 1 if ke == "1" else 7, 1)
        sampai = date(int(tahun), 6 if ke == "1" else 12, 30 if ke == "1" else 31)
    else:
        dari, sampai, semester = semester_terakhir(timezone.localdate())
    hasil = indikator_hitung(wilayah=kode, dari=dari, sampai=sampai)
    cp = checkpoint_rantai(kode)
    return {
        "kelurahan": kode, "nama": wilayah.nama, "semester": semester, "dari": dari, "sampai": sampai,
        "permohonan": {k: hasil["permohonan"][k] for k in ("total", "selesai", "terlambat")},
        "sla": {"kepatuhan": hasil["sla"]["kepatuhan"], "median_jam": hasil["sla"]["jam_kerja"]["total"]["median"]},
        "ikm": {k: hasil["ikm"][k] for k in ("nilai", "mutu", "kinerja", "responden", "nrr", "nrr_konversi",
                                             "populasi", "sampel_minimum", "sampel_cukup")},
        "bebas_pungli": hasil["bebas_pungli"],
        "pengaduan": {k: hasil["pengaduan"][k] for k in ("total", "tuntas", "rasio_tuntas")},
        # The kelurahan's audit chain as last signed: anyone may keep it and check later rewrites against it.
        "checkpoint": None if cp is None else {"rantai": cp.rantai, "ukuran": cp.ukuran, "akar": cp.akar,
                                               "waktu": cp.waktu, "catatan": cp_sebagai_json(cp)["catatan"]},
    }
