"""The Zona Integritas worksheet over the API: `GET /api/v1/indikator/zi/?wilayah=&tahun=` (camat,
inspektorat, lurah of their own unit; `&ekspor=xlsx` gives the LKE in the evaluators' layout) and
`POST /api/v1/indikator/zi/jawaban/` (the head of the office fills its own worksheet, with evidence) and
`GET /api/v1/indikator/zi/bukti/?wilayah=&tahun=&kode=` (one answer's evidence, for the same readers)."""

from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from integritas import services as integritas_services
from integritas.api.views import PERAN_INDIKATOR, wilayah_dalam_lingkup
from integritas.models import LkeJawaban
from integritas.zi import lke_kantor, lke_xlsx
from kelurahan.lingkup import penugasan_aktif
from kelurahan.models import Kantor, Peran

PERAN_PENGISI = {Peran.LURAH, Peran.CAMAT}


def _tahun(nilai) -> int:
    if nilai in (None, ""):
        return timezone.localdate().year
    teks = str(nilai).strip()
    if not (teks.isdigit() and 2000 <= int(teks) <= 2100):
        raise ValidationError({"tahun": [_("Tahun empat angka, mis. 2026.")]})
    return int(teks)


def _kantor(kode) -> Kantor:
    kantor = Kantor.objects.filter(wilayah_id=kode).first()
    if kantor is None:
        raise NotFound(_("Wilayah ini tidak punya kantor yang dievaluasi."))
    return kantor


class LkeZi(APIView):
    """The worksheet of one office and year: DESIGN's shape (pengungkit, hasil, total, wbk, wbbm)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("wilayah", str, required=True), OpenApiParameter("tahun", int),
                               OpenApiParameter("ekspor", str, enum=["xlsx"])], responses=dict)
    def get(self, request):
        wilayah = wilayah_dalam_lingkup(request.user, request.query_params.get("wilayah"), PERAN_INDIKATOR)
        tahun = _tahun(request.query_params.get("tahun"))
        kantor = _kantor(wilayah.kode)
        lke = lke_kantor(wilayah.kode, tahun)
        ekspor = request.query_params.get("ekspor")
        if ekspor:
            if ekspor != "xlsx":
                raise ValidationError({"ekspor": [_("Pilih xlsx.")]})
            respons = HttpResponse(
                lke_xlsx(lke, kantor.nama),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            respons["Content-Disposition"] = f'attachment; filename="lke-zi-{wilayah.kode}-{tahun}.xlsx"'
            return respons
        return Response({"nama_kantor": kantor.nama, **lke})


class LkeJawabanMasuk(serializers.Serializer):
    wilayah = serializers.CharField()
    tahun = serializers.CharField(required=False)
    kode = serializers.CharField()
    jawaban = serializers.CharField()
    catatan = serializers.CharField(required=False, allow_blank=True)
    bukti = serializers.FileField(required=False)


class LkeJawabanView(APIView):
    """The head of an office (lurah, camat) answers one indicator of its own worksheet; audited."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=LkeJawabanMasuk, responses=dict)
    def post(self, request):
        kode_wilayah = str(request.data.get("wilayah") or "").strip()
        milik = [t for t in penugasan_aktif(request.user)
                 if t.peran in PERAN_PENGISI and t.kantor.wilayah_id == kode_wilayah]
        if not milik:
            if not any(t.peran in PERAN_PENGISI for t in penugasan_aktif(request.user)):
                raise PermissionDenied(_("Hanya lurah atau camat yang mengisi LKE kantornya."))
            raise NotFound(_("Kantor tidak ditemukan."))
        tahun = _tahun(request.data.get("tahun"))
        try:
            integritas_services.lke_isi(
                pengguna=request.user, peran=milik[0].peran, kantor=kode_wilayah, tahun=tahun,
                kode=str(request.data.get("kode") or ""), jawaban=str(request.data.get("jawaban") or ""),
                catatan=str(request.data.get("catatan") or ""), bukti=request.FILES.get("bukti"),
            )
        except integritas_services.DataTidakValid as e:
            raise ValidationError({k: [str(p) for p in v] for k, v in e.galat.items()}) from None
        return Response({"nama_kantor": milik[0].kantor.nama, **lke_kantor(kode_wilayah, tahun)})


class LkeBukti(APIView):
    """The evidence file of one answer, for whoever may read the worksheet (the evaluators check it)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("wilayah", str, required=True), OpenApiParameter("tahun", int),
                               OpenApiParameter("kode", str, required=True)],
                   responses={(200, "application/octet-stream"): bytes})
    def get(self, request):
        wilayah = wilayah_dalam_lingkup(request.user, request.query_params.get("wilayah"), PERAN_INDIKATOR)
        tahun = _tahun(request.query_params.get("tahun"))
        kode = str(request.query_params.get("kode") or "")[:20]
        jawaban = LkeJawaban.objects.filter(kantor=wilayah.kode, tahun=tahun, kode=kode).first()
        if jawaban is None or not jawaban.bukti:
            raise Http404
        akhiran = jawaban.bukti.name.rsplit(".", 1)[-1]
        return FileResponse(jawaban.bukti.open("rb"), content_type=jawaban.bukti_jenis, as_attachment=True,
                            filename=f"lke-{wilayah.kode}-{tahun}-{kode}.{akhiran}")
