"""Resident sign-in over the API: NIK and a one-time code sent to WhatsApp, answered with a token."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from layanan.api.views import GalatDenganPesan, jawab_galat
from layanan.permohonan import services
from layanan.permohonan.galat import GalatLayanan
from layanan.permohonan.privasi import samarkan_hp
from layanan.web.batas_laju import BatasLajuLingkup


class WargaMintaKode(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [BatasLajuLingkup]
    throttle_scope = "otp"

    @extend_schema(
        request=inline_serializer("MintaKode", {"nik": serializers.CharField(),
                                                "no_hp": serializers.CharField(required=False)}),
        responses=inline_serializer("KodeTerkirim", {"terkirim_ke": serializers.CharField(),
                                                     "berlaku_detik": serializers.IntegerField()}),
    )
    def post(self, request):
        from django.conf import settings

        from notifikasi.otp import OTPTerlaluSering

        try:
            tujuan = services.warga_minta_kode(nik=request.data.get("nik"), no_hp=request.data.get("no_hp"))
        except GalatLayanan as e:
            jawab_galat(e)
        except OTPTerlaluSering as e:
            galat = GalatDenganPesan(429, {"detail": str(e)})
            galat.wait = e.tunggu_detik
            raise galat from None
        return Response({"terkirim_ke": samarkan_hp(tujuan), "berlaku_detik": settings.OTP_TTL_SECONDS})


class WargaMasuk(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [BatasLajuLingkup]
    throttle_scope = "masuk"

    @extend_schema(
        request=inline_serializer("MasukWarga", {"nik": serializers.CharField(), "kode": serializers.CharField()}),
        responses=inline_serializer("TokenWarga", {"token": serializers.CharField()}),
    )
    def post(self, request):
        try:
            warga = services.warga_masuk(nik=request.data.get("nik"), kode=request.data.get("kode"))
        except GalatLayanan as e:
            jawab_galat(e)
        token, _created = Token.objects.get_or_create(user=warga.user)
        return Response({"token": token.key})
