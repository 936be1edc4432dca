"""Surveys, complaints, indicators and integrity signals over HTTP (DESIGN.md "HTTP contract").

The audit app keeps these records and computes the figures from plain codes;
this module does what audit may not: it checks who owns a request, resolves a
nomor_registrasi, and checks an officer's scope through kelurahan assignments.
"""

from datetime import date

from django.db.models import Q
from django.http import FileResponse, Http404
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

from audit import ikm
from audit import services as audit_services
from audit.indikator import BIDANG_TINGKAT, indikator_hitung
from audit.models import Pengaduan
from audit.sinyal import JENIS as JENIS_SINYAL
from audit.sinyal import sinyal_hitung
from config.api import Conflict
from kelurahan.models import Peran, Wilayah
from layanan.models import Layanan, Permohonan, Status
from layanan.selectors import penugasan_aktif

PERAN_INDIKATOR = {Peran.LURAH, Peran.CAMAT, Peran.INSPEKTORAT}


def _tolak_input(galat: dict):
    raise ValidationError({k: [str(p) for p in v] for k, v in galat.items()})


# --- scope -------------------------------------------------------------------------------------


def _wilayah_peran(user, peran_boleh: set) -> list[str]:
    """Codes of the units the user heads or oversees with one of `peran_boleh`."""
    return [t.kantor.wilayah_id for t in penugasan_aktif(user) if t.peran in peran_boleh]


def _dalam_lingkup(kode: str, akar: list[str]) -> bool:
    return any(kode == a or kode.startswith(a + ".") for a in akar)


def _wilayah_diizinkan(request, peran_boleh: set) -> Wilayah:
    """403 without a role that may read this, 400 on a missing code, 404 for a unit outside scope."""
    akar = _wilayah_peran(request.user, peran_boleh)
    if not akar:
        raise PermissionDenied(_("Peran Anda tidak dapat membaca indikator."))
    kode = (request.query_params.get("wilayah") or "").strip()
    if not kode:
        raise ValidationError({"wilayah": [_("Wajib diisi: kode kelurahan, kecamatan atau kota.")]})
    wilayah = Wilayah.objects.filter(kode=kode, tingkat__in=BIDANG_TINGKAT).first()
    if wilayah is None or not _dalam_lingkup(kode, akar):
        raise NotFound(_("Wilayah tidak ditemukan."))
    return wilayah


def _periode(request) -> tuple[date, date]:
    hari_ini = timezone.localdate()
    galat = {}
    hasil = {}
    for nama, bawaan in (("dari", date(hari_ini.year, 1, 1)), ("sampai", hari_ini)):
        teks = request.query_params.get(nama)
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

    @extend_schema(parameters=[*PARAM_WILAYAH, OpenApiParameter("jenis", str, enum=list(JENIS_SINYAL))],
                   responses=dict)
    def get(self, request):
        wilayah = _wilayah_diizinkan(request, {Peran.INSPEKTORAT})
        dari, sampai = _periode(request)
        jenis = request.query_params.get("jenis")
        if jenis and jenis not in JENIS_SINYAL:
            raise ValidationError({"jenis": [_("Pilih salah satu: %(daftar)s.") % {"daftar": ", ".join(JENIS_SINYAL)}]})
        hasil = sinyal_hitung(wilayah=wilayah.kode, dari=dari, sampai=sampai, jenis=[jenis] if jenis else None)
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


def _permohonan_survei(request) -> Permohonan:
    """The finished request this survey answers: from the signed link, or the signed-in owner's number."""
    token = request.data.get("token")
    if token:
        try:
            pid = audit_services.survei_token_baca(str(token))
        except audit_services.TautanTidakSah:
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
            audit_services.survei_simpan(
                permohonan_id=p.pk, kelurahan=p.kelurahan_id, layanan=p.layanan.kode, ikm=d["ikm"], ipak=d["ipak"],
                ipkp=d["ipkp"], diminta_bayar=d["diminta_bayar"], jumlah_bayar=d.get("jumlah_bayar"),
                kepada_bayar=d.get("kepada_bayar", ""), saran=d.get("saran", ""),
            )
        except audit_services.DataTidakValid as e:
            _tolak_input(e.galat)
        except audit_services.SudahDiisi:
            raise Conflict(_("Survei untuk permohonan ini sudah diisi.")) from None
        return Response({"diterima": True}, status=status.HTTP_201_CREATED)


# --- complaints --------------------------------------------------------------------------------


def _inspektorat(request) -> list[str]:
    akar = _wilayah_peran(request.user, {Peran.INSPEKTORAT})
    if not akar:
        raise PermissionDenied(_("Pengaduan hanya ditangani inspektorat."))
    return akar


def _pengaduan_inspektorat(request, kode) -> Pengaduan:
    akar = _inspektorat(request)
    pengaduan = Pengaduan.objects.filter(kode_lacak=str(kode).upper()).first()
    # A complaint naming no kelurahan belongs to every inspectorate of the deployment.
    if pengaduan is None or (pengaduan.kelurahan and not _dalam_lingkup(pengaduan.kelurahan, akar)):
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
    }


class PengaduanListCreate(APIView):
    """Anyone may complain, anonymously too (POST); only the inspectorate lists complaints (GET)."""

    permission_classes = [AllowAny]

    def get_throttles(self):
        if self.request.method == "POST":
            self.throttle_scope = "pengaduan"
            return [ScopedRateThrottle()]
        return []

    @extend_schema(parameters=[OpenApiParameter("status", str), OpenApiParameter("kategori", str),
                               OpenApiParameter("kelurahan", str), OpenApiParameter("page", int)], responses=dict)
    def get(self, request):
        akar = _inspektorat(request)
        lingkup = Q(kelurahan="")  # naming no kelurahan: every inspectorate of the deployment
        for a in akar:
            lingkup |= Q(kota=a) if a.count(".") == 1 else Q(kelurahan=a) | Q(kelurahan__startswith=a + ".")
        qs = Pengaduan.objects.filter(lingkup).prefetch_related("riwayat").order_by("-diterima_pada", "-id")
        for nama in ("status", "kategori", "kelurahan"):
            if request.query_params.get(nama):
                qs = qs.filter(**{nama: request.query_params[nama]})
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
        nomor = str(request.data.get("nomor_registrasi") or "").strip().upper()
        kelurahan = str(request.data.get("kelurahan") or "").strip()
        permohonan_id, layanan = None, ""
        galat = {}
        if nomor:
            p = Permohonan.objects.select_related("layanan").filter(nomor_registrasi=nomor).first()
            if p is None:
                galat["nomor_registrasi"] = [_("Nomor registrasi tidak dikenal.")]
            else:
                permohonan_id, layanan, kelurahan = p.pk, p.layanan.kode, p.kelurahan_id
        elif kelurahan and not Wilayah.objects.filter(kode=kelurahan, tingkat=Wilayah.Tingkat.DESA).exists():
            galat["kelurahan"] = [_("Kode kelurahan tidak dikenal.")]
        try:
            if galat:
                raise audit_services.DataTidakValid(galat)
            pengaduan = audit_services.pengaduan_buat(
                kategori=str(request.data.get("kategori") or ""), isi=str(request.data.get("isi") or ""),
                nomor_registrasi=nomor, permohonan_id=permohonan_id, layanan=layanan, kelurahan=kelurahan,
                kontak=str(request.data.get("kontak") or ""), bukti=request.FILES.get("bukti"),
            )
        except audit_services.DataTidakValid as e:
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
        if _wilayah_peran(request.user, {Peran.INSPEKTORAT}):
            return Response(_pengaduan_lengkap(request, _pengaduan_inspektorat(request, kode)))
        pengaduan = Pengaduan.objects.filter(kode_lacak=str(kode).upper()).first()
        if pengaduan is None:
            raise Http404
        return Response(_pengaduan_publik(pengaduan))


class PengaduanStatus(APIView):
    """One handling step by the inspectorate; each is audited."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=inline_serializer("StatusPengaduan", {
        "status": serializers.ChoiceField(choices=Pengaduan.Status.choices),
        "catatan": serializers.CharField(required=False)}), responses=dict)
    def post(self, request, kode):
        pengaduan = _pengaduan_inspektorat(request, kode)
        try:
            pengaduan = audit_services.pengaduan_ubah_status(
                kode_lacak=pengaduan.kode_lacak, status=str(request.data.get("status") or ""),
                catatan=str(request.data.get("catatan") or ""), pengguna=request.user, peran=Peran.INSPEKTORAT,
            )
        except audit_services.DataTidakValid as e:
            _tolak_input(e.galat)
        except audit_services.StatusPengaduanTidakSesuai:
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
