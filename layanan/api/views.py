"""JSON API of requests (DESIGN.md "HTTP contract"). Thin: parse, call a service or selector, shape."""

from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from kelurahan.lingkup import adalah_petugas
from layanan.api.errors import Conflict
from layanan.api.masukan import muat_json
from layanan.api.serializers import LayananSerializer, PermohonanDetailSerializer, PermohonanSerializer
from layanan.models import Layanan, Permohonan
from layanan.permohonan import selectors, services
from layanan.permohonan.galat import GalatLayanan, StatusTidakSesuai
from layanan.surat import tte


class GalatDenganPesan(APIException):
    def __init__(self, status_code, detail):
        self.status_code = status_code
        super().__init__(detail)


def jawab_galat(e: GalatLayanan):
    """Map a service error to its HTTP status, keeping the per-field messages."""
    if isinstance(e, StatusTidakSesuai):
        raise Conflict(e.pesan)
    if e.galat:
        raise GalatDenganPesan(e.status_code, e.galat)
    raise GalatDenganPesan(e.status_code, {"detail": e.pesan})


class LayananList(generics.ListAPIView):
    """The public service catalogue."""

    permission_classes = [AllowAny]
    serializer_class = LayananSerializer
    queryset = Layanan.objects.filter(aktif=True).prefetch_related("persyaratan").order_by("urutan", "nama")


class LayananDetail(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = LayananSerializer
    lookup_field = "kode"
    queryset = LayananList.queryset


# The columns the list shape and its SLA summary read (PermohonanSerializer, sla.sla_ringkasan), and no others:
# every sealed column read is a decryption per row (the resident's name, birth date and address are not shown)
# and every timestamp a parse. tests/test_query_budget.py holds that no row reads a deferred column.
KOLOM_DAFTAR = (
    "nomor_registrasi", "layanan__kode", "layanan__nama", "kelurahan_id", "kelurahan__nama", "kecamatan_id",
    "pemohon__nik", "pemohon__no_hp", "identitas", "keperluan", "kanal", "status", "diajukan_pada", "selesai_pada",
    "tenggat", "tenggat_rawan", "tahap_mulai", "sla_jatah_detik", "sla_jatah_kelurahan_detik",
    "terpakai_kelurahan_detik", "terpakai_kecamatan_detik", "jeda_detik", "memenuhi_standar", "kompensasi",
)


class PermohonanListCreate(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str), OpenApiParameter("layanan", str), OpenApiParameter("kelurahan", str),
            OpenApiParameter("sla", str, enum=["aman", "rawan", "terlambat"]), OpenApiParameter("q", str),
            OpenApiParameter("page", int),
        ],
        responses=PermohonanSerializer(many=True),
    )
    def get(self, request):
        qs = selectors.permohonan_daftar(
            user=request.user,
            status=request.query_params.get("status"),
            layanan=request.query_params.get("layanan"),
            kelurahan=request.query_params.get("kelurahan"),
            sla=request.query_params.get("sla"),
            q=request.query_params.get("q"),
        ).only(*KOLOM_DAFTAR)
        from rest_framework.pagination import PageNumberPagination

        paginator = PageNumberPagination()
        halaman = paginator.paginate_queryset(qs, request, view=self)
        # Every row's SLA needs its office calendar: its version token is read once for the request (the
        # middleware's versi_tetap), not once a row (half of a worklist page's time, docs/benchmarks.md).
        data = PermohonanSerializer(halaman, many=True).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "PermohonanBaru",
                {
                    "layanan": serializers.CharField(),
                    "kelurahan": serializers.CharField(),
                    "keperluan": serializers.CharField(),
                    "data": serializers.CharField(help_text="JSON isian layanan"),
                    "nama": serializers.CharField(required=False),
                    "alamat": serializers.CharField(required=False),
                    "nik": serializers.CharField(required=False, help_text="hanya untuk petugas loket"),
                    "no_hp": serializers.CharField(required=False, help_text="hanya untuk petugas loket"),
                    "setuju_privasi": serializers.BooleanField(
                        required=False, help_text="wajib true bila pemberitahuan privasi yang berlaku "
                                                  "(GET /api/v1/privasi/) belum disetujui"),
                },
            )
        },
        responses={201: PermohonanDetailSerializer},
    )
    def post(self, request):
        data_mentah = request.data.get("data") or "{}"
        data = muat_json(data_mentah, kolom="data") if isinstance(data_mentah, str) else data_mentah
        kunci = ("nik", "no_hp", "tanggal_lahir", *services.IDENTITAS_FIELDS)
        identitas = {k: request.data.get(k) for k in kunci if k in request.data}
        berkas = {k[len("berkas_"):]: f for k, f in request.FILES.items() if k.startswith("berkas_")}
        try:
            p = services.permohonan_ajukan(
                pengaju=request.user,
                layanan=request.data.get("layanan"),
                kelurahan=request.data.get("kelurahan"),
                keperluan=request.data.get("keperluan"),
                data=data,
                berkas=berkas,
                identitas=identitas,
                setuju_privasi=nilai_ya(request.data.get("setuju_privasi")),
                kanal_privasi="api",
            )
        except GalatLayanan as e:
            jawab_galat(e)
        return Response(_detail(request, p, catat_lihat=False), status=status.HTTP_201_CREATED)


def nilai_ya(nilai) -> bool:
    """A yes from JSON (true) or a multipart form ("true", "1", "on", "ya")."""
    return nilai is True or str(nilai or "").strip().lower() in ("true", "1", "on", "ya", "yes")


class Privasi(APIView):
    """The privacy notice in force (UU 27/2022): what a resident accepts with `setuju_privasi`."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=inline_serializer("PemberitahuanPrivasi", {
        "versi": serializers.CharField(), "sha256": serializers.CharField(),
        "bagian": serializers.ListField(child=serializers.DictField())}))
    def get(self, request):
        from layanan.pdp.pemberitahuan import bagian, sha256_teks, versi_berlaku

        return Response({"versi": versi_berlaku(), "sha256": sha256_teks(), "bagian": bagian()})


def _detail(request, p: Permohonan, *, catat_lihat=True, data_pribadi=False) -> dict:
    if catat_lihat and adalah_petugas(request.user):
        services.permohonan_catat_lihat(permohonan=p, pengguna=request.user)
    riwayat = getattr(p, "riwayat_tertulis", None)  # a new request carries its one event
    konteks = {
        "riwayat": riwayat if riwayat is not None else list(selectors.permohonan_riwayat(p)),
        "aksi_tersedia": selectors.aksi_tersedia(permohonan=p, pengguna=request.user),
        "data_pribadi": data_pribadi or p.pemohon.user_id == request.user.pk,
    }
    return PermohonanDetailSerializer(p, context=konteks).data


def _ambil(request, pk) -> Permohonan:
    p = (
        selectors.permohonan_dalam_lingkup(request.user)
        .select_related("layanan", "kelurahan", "pemohon", "tte_tertunda")  # the join costs no extra query
        .filter(pk=pk)
        .first()
    )
    if p is None:
        raise Http404
    return p


class PermohonanDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PermohonanDetailSerializer)
    def get(self, request, pk):
        return Response(_detail(request, _ambil(request, pk)))


class PermohonanDataPribadi(APIView):
    """NIK and phone in full for an officer; each opening is written to the audit log."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=PermohonanDetailSerializer)
    def post(self, request, pk):
        try:
            p = services.permohonan_buka_data_pribadi(permohonan_id=pk, pengguna=request.user)
        except GalatLayanan as e:
            jawab_galat(e)
        hasil = _detail(request, p, catat_lihat=False, data_pribadi=True)
        hasil["pemohon"] = {"nama": p.identitas.get("nama", ""), "nik": p.pemohon.nik, "no_hp": p.pemohon.no_hp}
        return Response(hasil)


@method_decorator(sensitive_post_parameters("passphrase"), name="dispatch")
class PermohonanAksi(APIView):
    """`passphrase` (SURAT_TTE=bsre) is handed to the signing call and nowhere else: hidden from error
    reports (form data and this frame), never echoed in an answer."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=inline_serializer("Aksi", {
            "aksi": serializers.CharField(), "catatan": serializers.CharField(required=False),
            "passphrase": serializers.CharField(required=False, write_only=True,
                                                help_text="Passphrase TTE penandatangan (SURAT_TTE=bsre); tidak disimpan"),
        }),
        responses={200: PermohonanDetailSerializer},
    )
    @sensitive_variables("passphrase")
    def post(self, request, pk):
        berkas = {k[len("berkas_"):]: f for k, f in request.FILES.items() if k.startswith("berkas_")}
        passphrase = request.data.get("passphrase") or None
        try:
            # The answer is read inside the action's transaction: after COMMIT nothing touches the
            # database, so a connection lost then cannot report a committed action as failed.
            galat_tte = None
            with transaction.atomic():
                try:
                    p = services.permohonan_aksi(
                        permohonan_id=pk,
                        pengguna=request.user,
                        aksi=str(request.data.get("aksi") or ""),
                        catatan=request.data.get("catatan") or "",
                        berkas=berkas,
                        passphrase=str(passphrase) if passphrase is not None else None,
                    )
                except tte.GalatTTE as e:
                    # The action itself is already rolled back; leaving this block normally commits its
                    # record (audit event, approval kept waiting for BSrE) instead of undoing it too.
                    galat_tte = e
                else:
                    # The row the action locked and wrote, with its joins: no read back.
                    jawaban = _detail(request, p, catat_lihat=False)
            passphrase = None
            if galat_tte is not None:
                raise galat_tte
        except GalatLayanan as e:
            passphrase = None
            jawab_galat(e)
        return Response(jawaban)


class PermohonanBerkas(APIView):
    """A document of a request, only for its owner and officers in scope."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, pk, berkas_id):
        p = _ambil(request, pk)
        b = get_object_or_404(p.berkas, pk=berkas_id)
        if adalah_petugas(request.user):
            services.permohonan_catat_lihat(permohonan=p, pengguna=request.user, aksi="lihat_berkas", berkas=b.pk)
        return FileResponse(b.berkas.open("rb"), content_type=b.jenis, as_attachment=False,
                            filename=f"{p.nomor_registrasi}-{b.persyaratan_kode}.{b.berkas.name.rsplit('.', 1)[-1]}")


class PermohonanSuratPdf(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request, pk):
        p = _ambil(request, pk)
        surat = p.surat.filter(status="berlaku").first()
        if surat is None or not surat.berkas_pdf:
            raise Http404
        return FileResponse(surat.berkas_pdf.open("rb"), content_type="application/pdf",
                            filename=f"{surat.nomor.replace('/', '-')}.pdf")


class PermohonanDrafPdf(APIView):
    """Draft preview of the letter (watermarked DRAF, no number, no QR) for officers in scope; audited."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request, pk):
        try:
            p, pdf = services.permohonan_draf_pdf(permohonan_id=pk, pengguna=request.user)
        except GalatLayanan as e:
            jawab_galat(e)
        return respons_draf(p, pdf)


def respons_draf(p: Permohonan, pdf: bytes) -> HttpResponse:
    respons = HttpResponse(pdf, content_type="application/pdf")
    respons["Content-Disposition"] = f'inline; filename="draf-{p.nomor_registrasi}.pdf"'
    respons["Cache-Control"] = "private, no-store"
    respons["X-Content-Type-Options"] = "nosniff"
    return respons


class Lacak(APIView):
    """Public tracking by nomor_registrasi: status and timeline, no personal data."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "lacak"

    @extend_schema(
        responses=inline_serializer(
            "Lacak",
            {
                "nomor_registrasi": serializers.CharField(), "layanan": serializers.CharField(),
                "status": serializers.CharField(), "status_label": serializers.CharField(),
                "tenggat": serializers.DateTimeField(), "riwayat": serializers.ListField(),
            },
        )
    )
    def get(self, request, nomor):
        p = get_object_or_404(
            Permohonan.objects.select_related("layanan", "kelurahan"), nomor_registrasi=str(nomor).upper()
        )
        riwayat = [
            {"aksi": e.aksi, "ke": e.data.get("ke"), "waktu": e.waktu} for e in selectors.permohonan_riwayat(p)
        ]
        from layanan.permohonan import sla

        return Response(
            {
                "nomor_registrasi": p.nomor_registrasi,
                "layanan": p.layanan.nama,
                "kelurahan": p.kelurahan.nama,
                "status": p.status,
                "status_label": p.get_status_display(),
                "tenggat": p.tenggat,
                "sla": sla.sla_ringkasan(p),
                "riwayat": riwayat,
            }
        )
