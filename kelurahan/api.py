"""Public region lookup and the officers' API token."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from kelurahan.models import Wilayah
from kelurahan.sesi import token_cabut, token_terbitkan


class WilayahSerializer(serializers.ModelSerializer):
    class Meta:
        model = Wilayah
        fields = ["kode", "nama", "tingkat", "induk"]


class WilayahList(generics.ListAPIView):
    """Child regions of `induk` (top level: provinces)."""

    permission_classes = [AllowAny]
    serializer_class = WilayahSerializer

    @extend_schema(parameters=[OpenApiParameter("induk", str, description="kode induk, mis. 33.75")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        induk = self.request.query_params.get("induk")
        if induk:
            return Wilayah.objects.filter(induk_id=induk).order_by("kode")
        return Wilayah.objects.filter(tingkat=Wilayah.Tingkat.PROVINSI).order_by("kode")


class TokenPetugas(ObtainAuthToken):
    """Username and password to an API token; only for officers, throttled and locked out by axes."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES  # ObtainAuthToken names DRF's own

    def post(self, request, *args, **kwargs):
        serializer = self.serializer_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        if not (user.is_superuser or user.penugasan.filter(aktif=True).exists()):
            raise ValidationError({"non_field_errors": [_("Akun ini bukan akun petugas.")]})
        from rest_framework.response import Response

        return Response({"token": token_terbitkan(user).key})


class TokenKeluar(APIView):
    """Sign-out: the token sent with this request stops working (residents and officers alike)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        from rest_framework.response import Response

        if request.auth is not None:
            token_cabut(request.auth)
        return Response(status=204)
