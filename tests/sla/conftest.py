"""The SLA tests' world: Kota Pekalongan's Medono and Tirto with their kecamatan, their offices (Medono
with a published compensation), and one resident."""

import pytest
from django.contrib.auth import get_user_model

from kelurahan.models import Kantor
from layanan.models import Warga
from tests import fixtures_surat
from tests.sla.bantu import KOMPENSASI_MEDONO

wilayah = fixtures_surat.wilayah  # the same regions as the letter tests


@pytest.fixture
def kantor(wilayah):
    return {
        "medono": Kantor.objects.create(
            wilayah=wilayah["medono"], jenis="kelurahan", nama="Kantor Kelurahan Medono", kompensasi=KOMPENSASI_MEDONO
        ),
        "tirto": Kantor.objects.create(wilayah=wilayah["tirto"], jenis="kelurahan", nama="Kantor Kelurahan Tirto"),
        "kecamatan": Kantor.objects.create(
            wilayah=wilayah["kecamatan"], jenis="kecamatan", nama="Kantor Kecamatan Pekalongan Barat",
            kompensasi="Surat diantar ke rumah pemohon oleh petugas kecamatan.",
        ),
    }


@pytest.fixture
def warga(db):
    user = get_user_model().objects.create_user("warga-3375014101900001")
    return Warga.objects.create(user=user, nik="3375014101900001", nama="Siti", no_hp="+6281234567890", jenis_kelamin="P")
