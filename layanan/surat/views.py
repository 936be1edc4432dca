"""Public letter verification (QR target, JSON API, PDF check), the public key,
and the signed download link sent on WhatsApp."""

from django.conf import settings
from django.core import signing
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.kunci import kunci_publik_pem, sidik_kunci
from layanan.api.masukan import FormParser, MultiPartParser
from layanan.surat.terbit import (
    nama_berkas_unduh,
    sha256_berkas,
    surat_bukti_buku_besar,
    surat_catat_pindai,
    surat_dari_tautan,
    surat_info_publik,
    surat_untuk_token,
)
from layanan.surat.token import token_baca
from layanan.web.batas_laju import BatasLaju, tolak_bila_berlebih


class VerifikasiThrottle(BatasLaju):
    """The "verifikasi" rate per client address, signed in or not; page and API share one bucket."""

    scope = "verifikasi"


def _surat_dari_token(token):
    id_publik = token_baca(token)
    return surat_untuk_token(id_publik) if id_publik else None


def _periksa_pdf(berkas, surat) -> tuple[bool | None, str]:
    """(matches, error). Byte-for-byte: the SHA-256 of the upload against the issued file's."""
    if berkas is None:
        return None, _("Pilih berkas PDF yang akan diperiksa.")
    maks = int(getattr(settings, "SURAT_CEK_MAX_BYTES", 5 * 1024 * 1024))
    if berkas.size > maks:
        return None, _("Berkas terlalu besar (paling besar %(mb)s MB).") % {"mb": maks // (1024 * 1024)}
    return sha256_berkas(berkas) == surat.sha256, ""


def _tolak_batas(request):
    return tolak_bila_berlebih(request, throttle=VerifikasiThrottle(), template="surat/verifikasi_batas.html")


@require_http_methods(["GET", "POST"])
def halaman_verifikasi(request, token):
    """Target of the QR code: authenticity and status of one letter, and an upload to compare a PDF."""
    ditolak = _tolak_batas(request)
    if ditolak:
        return ditolak
    surat = _surat_dari_token(token)
    if surat is None:
        return render(request, "surat/verifikasi_tidak_ditemukan.html", status=404)
    konteks = {"info": surat_info_publik(surat), "surat": surat, "token": token,
               "buku_besar": surat_bukti_buku_besar(surat)}
    if request.method == "POST":
        konteks["cocok"], konteks["galat_berkas"] = _periksa_pdf(request.FILES.get("berkas"), surat)
        status = 400 if konteks["galat_berkas"] else 200
    else:
        surat_catat_pindai(surat)
        status = 200
    respons = render(request, "surat/verifikasi.html", konteks, status=status)
    respons["Cache-Control"] = "no-store"
    respons["Referrer-Policy"] = "no-referrer"
    return respons


class PeriksaPdfSerializer(serializers.Serializer):
    berkas = serializers.FileField(help_text=_("Berkas PDF yang akan dibandingkan dengan surat asli"))


class VerifikasiSuratAPI(APIView):
    """GET: the letter's public status. POST (multipart `berkas`): is this PDF byte-for-byte the issued one?"""

    authentication_classes = []
    permission_classes = []
    throttle_classes = [VerifikasiThrottle]
    parser_classes = [MultiPartParser, FormParser]

    def _surat(self, token):
        surat = _surat_dari_token(token)
        if surat is None:
            raise NotFound(_("Surat tidak ditemukan atau kode verifikasi tidak sah."))
        return surat

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT})
    def get(self, request, token):
        surat = self._surat(token)
        surat_catat_pindai(surat)
        return Response(surat_info_publik(surat))

    @extend_schema(
        request={"multipart/form-data": PeriksaPdfSerializer},
        responses={200: inline_serializer("HasilPeriksaPdf", {"cocok": serializers.BooleanField(),
                                                              "sha256": serializers.CharField(),
                                                              "status": serializers.CharField()})},
    )
    def post(self, request, token):
        surat = self._surat(token)
        data = PeriksaPdfSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cocok, galat = _periksa_pdf(data.validated_data["berkas"], surat)
        if galat:
            raise ValidationError({"berkas": [galat]})
        return Response({"cocok": cocok, "sha256": surat.sha256, "status": surat.status})


@require_GET
def kunci_publik(request):
    """The Ed25519 public key that verifies QR tokens (and audit anchors)."""
    respons = HttpResponse(kunci_publik_pem(), content_type="text/plain; charset=utf-8")
    respons["X-Simpatik-Key-Id"] = sidik_kunci()
    respons["Cache-Control"] = "public, max-age=3600"
    return respons


@require_GET
def unduh(request, nilai):
    """The link sent on WhatsApp: valid for SURAT_TAUTAN_UNDUH_HARI days, letter in force only."""
    try:
        surat = surat_dari_tautan(nilai)
    except signing.SignatureExpired:
        return render(request, "surat/unduh_gagal.html", {"alasan": "kedaluwarsa"}, status=410)
    except signing.BadSignature:
        surat = None
    if surat is None:
        return render(request, "surat/unduh_gagal.html", {"alasan": "tidak_sah"}, status=404)
    if surat.status != surat.StatusSurat.BERLAKU:
        return render(request, "surat/unduh_gagal.html", {"alasan": "dicabut", "surat": surat}, status=410)
    respons = FileResponse(
        surat.berkas_pdf.open("rb"), as_attachment=True, filename=nama_berkas_unduh(surat), content_type="application/pdf"
    )
    respons["Cache-Control"] = "private, no-store"
    respons["Referrer-Policy"] = "no-referrer"
    respons["X-Content-Type-Options"] = "nosniff"
    return respons
