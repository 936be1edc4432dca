"""The baselines of the HTTP benchmark (issue 22): bare DRF endpoints around the least work of their kind.

Three, each beside the scenarios of its kind: a JSON POST doing one INSERT (the action's kind), the
submission's own multipart form (the same fields and the same two PDFs) parsed by DRF's stock parser and
turned into one INSERT, and a page of a plain list (DRF's stock pagination and serializer over one small
table). No authentication, no scope, no audit: what is left is Django, DRF and the project's middleware.
"""

from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from bench.baseline_app.models import BarisDasar


class Dasar(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def post(self, request):
        baris = BarisDasar.objects.create(isi=str(request.data.get("isi", ""))[:40])
        return Response({"id": baris.pk}, status=201)


class DasarUnggah(APIView):
    """The submission's multipart form, parsed whole (both files read), one INSERT."""

    permission_classes = [AllowAny]
    authentication_classes = []
    parser_classes = [MultiPartParser]

    def post(self, request):
        ukuran = sum(len(f.read()) for f in request.FILES.values())
        isi = f"{str(request.data.get('keperluan', ''))[:24]} {len(request.FILES)}/{ukuran}"
        baris = BarisDasar.objects.create(isi=isi[:40])
        return Response({"id": baris.pk}, status=201)


class BarisDasarSerializer(serializers.ModelSerializer):
    class Meta:
        model = BarisDasar
        fields = ["id", "isi", "dibuat"]


class DasarDaftar(ListAPIView):
    """A page of the newest rows (the project's page size), with its count: a list in its barest form."""

    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = BarisDasarSerializer
    queryset = BarisDasar.objects.order_by("-id")
