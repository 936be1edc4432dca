"""The baseline of the HTTP benchmark: DRF parsing and rendering around exactly one INSERT."""

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
