"""Public API of the ledger: signed checkpoints and Merkle proofs. Hashes and signatures only."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from audit import checkpoint as cp_mod
from audit import selectors

BIDANG_CHECKPOINT = {
    "rantai": serializers.CharField(), "ukuran": serializers.IntegerField(), "akar": serializers.CharField(),
    "waktu": serializers.DateTimeField(), "teks": serializers.CharField(), "tanda_tangan": serializers.CharField(),
    "id_kunci": serializers.CharField(), "kunci_publik": serializers.CharField(), "catatan": serializers.CharField(),
}


class _Publik(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "verifikasi"


def _bilangan(request, nama: str, *, wajib: bool) -> int | None:
    nilai = request.query_params.get(nama)
    if nilai in (None, ""):
        if wajib:
            raise ValidationError({nama: [_("Wajib diisi.")]})
        return None
    if not nilai.isdigit() or len(nilai) > 18:
        raise ValidationError({nama: [_("Harus bilangan bulat positif.")]})
    return int(nilai)


class CheckpointTerbaru(_Publik):
    """The latest signed checkpoint of every chain, with the current public key and the retired ones."""

    @extend_schema(responses=inline_serializer("AuditCheckpointDaftar", {
        "kunci_publik": serializers.CharField(), "kunci_lama": serializers.ListField(child=serializers.CharField()),
        "checkpoint": inline_serializer("AuditCheckpoint", BIDANG_CHECKPOINT, many=True)}))
    def get(self, request):
        cincin = [cp_mod.b64(k) for k in cp_mod.cincin_mentah()]
        return Response({
            "kunci_publik": cincin[0], "kunci_lama": cincin[1:],
            "checkpoint": [cp_mod.sebagai_json(cp) for cp in selectors.checkpoint_terbaru()],
        })


class BuktiInklusi(_Publik):
    """Inclusion proof of the event with this chain hash, in the latest checkpoint (or `ukuran`)."""

    @extend_schema(parameters=[OpenApiParameter("ukuran", int, required=False)],
                   responses=inline_serializer("AuditBuktiInklusi", {
                       "rantai": serializers.CharField(), "urutan": serializers.IntegerField(),
                       "indeks": serializers.IntegerField(), "ukuran": serializers.IntegerField(),
                       "hash": serializers.CharField(), "hash_daun": serializers.CharField(),
                       "bukti": serializers.ListField(child=serializers.CharField()), "akar": serializers.CharField(),
                       "checkpoint": inline_serializer("AuditCheckpointInklusi", BIDANG_CHECKPOINT, allow_null=True)}))
    def get(self, request, hash_event):
        hash_event = hash_event.lower()
        if len(hash_event) != 64 or any(c not in "0123456789abcdef" for c in hash_event):
            raise ValidationError({"hash": [_("Hash kejadian adalah 64 karakter heksadesimal.")]})
        ukuran = _bilangan(request, "ukuran", wajib=False)
        event = selectors.event_dari_hash(hash_event) if hash_event != "0" * 64 else None
        if event is None:
            raise Http404
        try:
            return Response(selectors.bukti_inklusi_event(event, ukuran=ukuran))
        except selectors.BuktiBelumAda as exc:
            raise NotFound(_("Kejadian ini belum tercakup checkpoint bertanda tangan pada ukuran itu; "
                             "coba lagi setelah checkpoint berikutnya.")) from exc


class BuktiKonsistensi(_Publik):
    """Consistency proof of a chain between sizes `dari` and `ke` (default: its latest checkpoint)."""

    @extend_schema(parameters=[OpenApiParameter("dari", int, required=True),
                               OpenApiParameter("ke", int, required=False)],
                   responses=inline_serializer("AuditBuktiKonsistensi", {
                       "rantai": serializers.CharField(), "dari": serializers.IntegerField(),
                       "ke": serializers.IntegerField(), "akar_dari": serializers.CharField(),
                       "akar_ke": serializers.CharField(), "bukti": serializers.ListField(child=serializers.CharField()),
                       "checkpoint": inline_serializer("AuditCheckpointKonsistensi", BIDANG_CHECKPOINT,
                                                       allow_null=True)}))
    def get(self, request, rantai):
        dari = _bilangan(request, "dari", wajib=True)
        ke = _bilangan(request, "ke", wajib=False)
        if dari == 0:
            raise ValidationError({"dari": [_("Harus bilangan bulat positif.")]})
        if ke is not None and ke < dari:
            raise ValidationError({"ke": [_("Tidak boleh lebih kecil dari 'dari'.")]})
        try:
            return Response(selectors.bukti_konsistensi_rantai(rantai, dari=dari, ke=ke))
        except selectors.BuktiBelumAda as exc:
            raise NotFound(_("Rantai atau ukuran itu tidak ada, atau belum ada checkpoint bertanda tangan.")) from exc


