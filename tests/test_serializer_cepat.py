"""The hand-built list and detail shapes stay exactly what DRF's generic field machinery gives."""

import pytest
from rest_framework import serializers

from layanan.api.serializers import PermohonanDetailSerializer, PermohonanSerializer, RiwayatSerializer
from layanan.models import Permohonan
from layanan.permohonan import selectors, services
from layanan.permohonan.privasi import samarkan_nik
from tests.factories import Dunia
from tests.pembantu_ttd import tandatangani
from tests.test_api_lifecycle import ajukan_domisili


def drf_umum(serializer, obj) -> dict:
    """What ModelSerializer would return without our to_representation."""
    hasil = serializers.ModelSerializer.to_representation(serializer, obj)
    if isinstance(serializer, PermohonanDetailSerializer):
        identitas = dict(obj.identitas)
        if not serializer.context.get("data_pribadi"):
            identitas["nik"] = samarkan_nik(identitas.get("nik", ""))
        hasil["identitas"] = identitas
    return dict(hasil)


@pytest.mark.django_db
def test_list_and_detail_equal_drf_generic_output_through_a_lifecycle():
    dunia = Dunia()
    r = ajukan_domisili(dunia)
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    dilihat = []

    def periksa(pengguna):
        p = Permohonan.objects.select_related("layanan", "kelurahan", "pemohon").get(pk=pk)
        daftar = PermohonanSerializer(p)
        assert daftar.data == drf_umum(daftar, p)
        assert list(daftar.data) == PermohonanSerializer.Meta.fields
        konteks = {"riwayat": list(selectors.permohonan_riwayat(p)),
                   "aksi_tersedia": selectors.aksi_tersedia(permohonan=p, pengguna=pengguna), "data_pribadi": False}
        detail = PermohonanDetailSerializer(p, context=konteks)
        assert detail.data == drf_umum(detail, p)
        riwayat = RiwayatSerializer()
        assert detail.data["riwayat"] == [serializers.Serializer.to_representation(riwayat, RiwayatSerializer.nilai(e))
                                          for e in konteks["riwayat"]]
        assert list(detail.data) == PermohonanDetailSerializer.Meta.fields
        dilihat.append((p.status, detail.data["tenggat"] is None, detail.data["surat"] is None))

    periksa(dunia.petugas_medono)
    services.permohonan_aksi(permohonan_id=pk, pengguna=dunia.petugas_medono, aksi="minta_perbaikan",
                             catatan="KTP buram")
    periksa(dunia.petugas_medono)
    services.permohonan_aksi(permohonan_id=pk, pengguna=dunia.warga.user, aksi="ajukan_ulang")
    services.permohonan_aksi(permohonan_id=pk, pengguna=dunia.petugas_medono, aksi="verifikasi")
    tandatangani(permohonan_id=pk, pengguna=dunia.lurah_medono, aksi="setujui")
    periksa(dunia.lurah_medono)
    # Each shape was compared in a state that exercises it: no letter yet, a reason, then a letter.
    assert [s for s, _t, _s in dilihat] == ["diajukan", "perlu_perbaikan", "selesai"]
    assert dilihat[-1][2] is False


@pytest.mark.django_db
def test_dates_equal_drf_in_another_time_zone_and_in_utc():
    """The zone is read once per serializer, and UTC is written "Z" as DRF writes it."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    dunia = Dunia()
    assert ajukan_domisili(dunia).status_code == 201
    p = Permohonan.objects.select_related("layanan", "kelurahan", "pemohon").get()
    for zona in ("UTC", "Asia/Jayapura"):
        with timezone.override(ZoneInfo(zona)):
            daftar = PermohonanSerializer(p)
            assert daftar.data == drf_umum(daftar, p)
            assert daftar.data["diajukan_pada"].endswith("Z" if zona == "UTC" else "+09:00")
