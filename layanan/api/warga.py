"""Resident sign-in over the API: NIK and a one-time code sent to WhatsApp, answered with a token."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kelurahan.sesi import token_terbitkan
from layanan.api.masukan import isian_json
from layanan.api.views import GalatDenganPesan, jawab_galat, nilai_ya
from layanan.pdp.pemberitahuan import sudah_disetujui
from layanan.pdp.services import privasi_setujui
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
        request=inline_serializer("MintaKode", {"nik": serializers.CharField(), "no_hp": serializers.CharField()}),
        responses=inline_serializer("KodeTerkirim", {"pesan": serializers.CharField(),
                                                     "berlaku_detik": serializers.IntegerField()}),
    )
    def post(self, request):
        from notifikasi.otp import OTPTerlaluSering

        isian = isian_json(request)
        try:
            services.warga_minta_kode(nik=isian.get("nik"), no_hp=isian.get("no_hp"))
        except GalatLayanan as e:
            jawab_galat(e)
        except OTPTerlaluSering as e:
            jawab_terlalu_sering(e)
        # One answer whether or not the NIK is registered (issue 14, item 6).
        return Response({"pesan": _("Kode masuk dikirim lewat WhatsApp ke nomor yang terdaftar untuk NIK ini "
                                    "(untuk NIK baru: ke nomor yang Anda isi)."),
                         "berlaku_detik": settings.OTP_TTL_SECONDS})


def jawab_terlalu_sering(e):
    galat = GalatDenganPesan(429, {"detail": str(e)})
    galat.wait = e.tunggu_detik
    raise galat from None


class WargaMasuk(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [BatasLajuLingkup]
    throttle_scope = "masuk"

    @extend_schema(
        request=inline_serializer("MasukWarga", {
            "nik": serializers.CharField(), "kode": serializers.CharField(),
            "setuju_privasi": serializers.BooleanField(required=False,
                                                       help_text="menyetujui pemberitahuan privasi yang berlaku")}),
        responses=inline_serializer("TokenWarga", {"token": serializers.CharField()}),
    )
    def post(self, request):
        try:
            isian = isian_json(request)
            warga = services.warga_masuk(nik=isian.get("nik"), kode=isian.get("kode"))
        except GalatLayanan as e:
            jawab_galat(e)
        if nilai_ya(isian.get("setuju_privasi")) and not sudah_disetujui(warga):
            privasi_setujui(warga=warga, kanal="api")
        return Response({"token": token_terbitkan(warga.user).key})


def _warga(request):
    warga = getattr(request.user, "warga", None)
    if warga is None:
        raise GalatDenganPesan(403, {"detail": _("Hanya untuk warga yang sudah masuk.")})
    return warga


class WargaMintaGantiHp(APIView):
    """Step 1 of a number change: a code to the old number (docs/operations.md, "Nomor WhatsApp warga")."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [BatasLajuLingkup]
    throttle_scope = "otp"

    @extend_schema(
        request=inline_serializer("MintaGantiHp", {"no_hp_baru": serializers.CharField()}),
        responses=inline_serializer("KodeGantiHp", {"terkirim_ke": serializers.CharField(),
                                                    "berlaku_detik": serializers.IntegerField()}),
    )
    def post(self, request):
        from notifikasi.otp import OTPTerlaluSering

        isian = isian_json(request)
        try:
            lama = services.warga_minta_ganti_hp(warga=_warga(request), no_hp_baru=isian.get("no_hp_baru"))
        except GalatLayanan as e:
            jawab_galat(e)
        except OTPTerlaluSering as e:
            jawab_terlalu_sering(e)
        return Response({"terkirim_ke": samarkan_hp(lama), "berlaku_detik": settings.OTP_TTL_SECONDS})


class WargaGantiHp(APIView):
    """Step 2: the code from the old number confirms the new one."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [BatasLajuLingkup]
    throttle_scope = "masuk"

    @extend_schema(
        request=inline_serializer("GantiHp", {"no_hp_baru": serializers.CharField(), "kode": serializers.CharField()}),
        responses=inline_serializer("HpDiganti", {"no_hp": serializers.CharField()}),
    )
    def post(self, request):
        isian = isian_json(request)
        try:
            warga = services.warga_ganti_hp(warga=_warga(request), no_hp_baru=isian.get("no_hp_baru"),
                                            kode=isian.get("kode"))
        except GalatLayanan as e:
            jawab_galat(e)
        return Response({"no_hp": samarkan_hp(warga.no_hp)})


def _permintaan_ganti(p) -> dict:
    return {"id": p.pk, "status": p.status, "kelurahan": p.kelurahan_id, "no_hp_lama": samarkan_hp(p.no_hp_lama),
            "no_hp_baru": samarkan_hp(p.no_hp_baru), "alasan": p.alasan}


class GantiHpLoket(APIView):
    """A counter clerk files a number change for a resident who lost the old number (KTP-el checked in person)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=inline_serializer("GantiHpLoketBaru", {"nik": serializers.CharField(),
                                                       "no_hp_baru": serializers.CharField(),
                                                       "alasan": serializers.CharField()}),
        responses={201: dict},
    )
    def post(self, request):
        isian = isian_json(request)
        try:
            p = services.ganti_hp_loket_ajukan(pengguna=request.user, nik=isian.get("nik"),
                                               no_hp_baru=isian.get("no_hp_baru"), alasan=isian.get("alasan"))
        except GalatLayanan as e:
            jawab_galat(e)
        return Response(_permintaan_ganti(p), status=201)


class GantiHpLoketPutuskan(APIView):
    """The lurah approves (`setuju` true) or refuses a counter number change."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=inline_serializer("GantiHpLoketPutusan", {"setuju": serializers.BooleanField(),
                                                          "catatan": serializers.CharField(required=False)}),
        responses={200: dict},
    )
    def post(self, request, pk):
        isian = isian_json(request)
        setuju = isian.get("setuju")
        if isinstance(setuju, str):
            setuju = {"true": True, "1": True, "false": False, "0": False}.get(setuju.lower())
        if not isinstance(setuju, bool):
            raise GalatDenganPesan(400, {"setuju": [_("Isi true (setuju) atau false (tolak).")]})
        try:
            p = services.ganti_hp_loket_putuskan(pengguna=request.user, permintaan_id=pk, setuju=setuju,
                                                 catatan=isian.get("catatan"))
        except GalatLayanan as e:
            jawab_galat(e)
        return Response(_permintaan_ganti(p))
