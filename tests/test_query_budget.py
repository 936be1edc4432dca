"""A list costs the same number of queries for 1 row and for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from layanan.models import Permohonan
from tests.factories import MEDONO, Dunia, token


@pytest.fixture
def dunia(db):
    return Dunia()


def buat_permohonan(dunia, jumlah):
    sekarang = timezone.now()
    Permohonan.objects.bulk_create(
        [
            Permohonan(
                layanan=dunia.domisili, kelurahan_id=MEDONO, kecamatan_id="33.75.01", pemohon=dunia.warga,
                identitas={"nama": "Siti Aminah", "nik": dunia.warga.nik}, keperluan="uji", diajukan_pada=sekarang,
                tenggat=sekarang + timezone.timedelta(hours=8 + i),
            )
            for i in range(jumlah)
        ]
    )


def hitung(user, url):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token(user)}")
    with CaptureQueriesContext(connection) as ctx:
        r = c.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries), r.json()["count"]


@pytest.mark.parametrize("siapa", ["petugas_medono", "camat", "inspektorat", "warga"])
def test_list_query_count_does_not_grow_with_rows(dunia, siapa, django_assert_max_num_queries):
    user = dunia.warga.user if siapa == "warga" else getattr(dunia, siapa)
    buat_permohonan(dunia, 1)
    satu, n1 = hitung(user, "/api/v1/permohonan/?page_size=50")
    buat_permohonan(dunia, 49)
    lima_puluh, n50 = hitung(user, "/api/v1/permohonan/")
    assert (n1, n50) == (1, 50)
    assert satu == lima_puluh
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token(user)}")
    with django_assert_max_num_queries(6):
        c.get("/api/v1/permohonan/?sla=aman&status=diajukan")
