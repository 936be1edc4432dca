"""Resident sign-in over the API: NIK + one-time code on WhatsApp -> token -> own requests."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from audit.enkripsi import indeks_hp, indeks_nik
from layanan.models import Warga
from notifikasi.models import Outbox
from tests.factories import Dunia


@pytest.fixture
def dunia(db):
    cache.clear()  # throttle counters
    return Dunia()


def kode_terakhir(no_hp):
    return Outbox.objects.filter(templat="kode_otp", penerima_indeks=indeks_hp(no_hp)).latest("dibuat").variabel["kode"]


def test_first_sign_in_creates_the_resident_and_returns_a_token(dunia):
    c = APIClient()
    r = c.post("/api/v1/warga/otp/", {"nik": "3375015203950001", "no_hp": "0813 1111 2222"}, format="json")
    assert r.status_code == 200, r.content
    assert "2222" not in r.content.decode()  # the answer names no number (issue 14, item 6)
    kode = kode_terakhir("+6281311112222")
    r = c.post("/api/v1/warga/masuk/", {"nik": "3375015203950001", "kode": kode}, format="json")
    assert r.status_code == 200, r.content
    token = r.json()["token"]
    warga = Warga.objects.get(nik_indeks=indeks_nik("3375015203950001"))
    assert warga.no_hp == "+6281311112222" and warga.jenis_kelamin == "P"
    c.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert c.get("/api/v1/permohonan/").json()["count"] == 0
    # the code is single use
    r = APIClient().post("/api/v1/warga/masuk/", {"nik": "3375015203950001", "kode": kode}, format="json")
    assert r.status_code == 400 and "kode" in r.json()


def test_known_resident_gets_the_code_on_the_number_on_record(dunia):
    r = APIClient().post("/api/v1/warga/otp/", {"nik": dunia.warga.nik, "no_hp": "081399998888"}, format="json")
    assert r.status_code == 200
    assert Outbox.objects.filter(templat="kode_otp", penerima_indeks=indeks_hp(dunia.warga.no_hp)).count() == 1
    assert not Outbox.objects.filter(penerima_indeks=indeks_hp("+6281399998888")).exists()
    kode = kode_terakhir(dunia.warga.no_hp)
    r = APIClient().post("/api/v1/warga/masuk/", {"nik": dunia.warga.nik, "kode": kode}, format="json")
    assert r.status_code == 200
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {r.json()['token']}")
    assert c.get("/api/v1/permohonan/").status_code == 200


def test_wrong_code_bad_nik_and_resend_too_soon(dunia):
    c = APIClient()
    assert c.post("/api/v1/warga/otp/", {"nik": "123"}, format="json").json()["nik"] == ["NIK harus 16 digit angka."]
    r = c.post("/api/v1/warga/otp/", {"nik": "3375015203950001"}, format="json")
    assert r.status_code == 400 and "no_hp" in r.json()
    # A registered NIK needs a number typed too: the form asks the same of everybody.
    assert c.post("/api/v1/warga/otp/", {"nik": dunia.warga.nik}, format="json").status_code == 400
    isian = {"nik": dunia.warga.nik, "no_hp": "081399998888"}
    assert c.post("/api/v1/warga/otp/", isian, format="json").status_code == 200
    r = c.post("/api/v1/warga/otp/", isian, format="json")
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    r = c.post("/api/v1/warga/masuk/", {"nik": dunia.warga.nik, "kode": "000000"}, format="json")
    assert r.status_code == 400 and "kode" in r.json()


def test_sign_in_endpoints_are_rate_limited(dunia, settings):
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], masuk="3/hour")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    from rest_framework.throttling import ScopedRateThrottle

    ScopedRateThrottle.THROTTLE_RATES = rates
    try:
        kode = [APIClient().post("/api/v1/warga/masuk/", {"nik": dunia.warga.nik, "kode": "111111"}, format="json").status_code
                for _ in range(4)]
    finally:
        from rest_framework.settings import api_settings

        ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert kode == [400, 400, 400, 429]
