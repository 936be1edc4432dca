"""What a resident receives on WhatsApp over a whole request lifecycle, through the real API and relay,
with Twilio faked at the HTTP boundary."""

import json

import pytest
import responses
from rest_framework.test import APIClient

from notifikasi.models import Outbox, TemplatPesan
from tests.factories import MEDONO, Dunia, token, unggahan
from tests.notifikasi_bantu import URL_PESAN, form, jawaban_pesan
from tests.pembantu_ttd import lihat_draf_api

pytestmark = pytest.mark.django_db


@pytest.fixture
def dunia(db):
    return Dunia()


@pytest.fixture
def konten(twilio):
    """Every template has an approved content SID, as in production."""
    sid = {}
    for i, templat in enumerate(TemplatPesan.objects.order_by("kode")):
        sid[templat.kode] = f"HX{i:032d}"
        templat.content_sid = sid[templat.kode]
        templat.save(update_fields=["content_sid"])
    twilio.add(responses.CallbackResponse(responses.POST, URL_PESAN, callback=lambda r: jawaban_pesan()))
    return {v: k for k, v in sid.items()}


def _klien(user):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token(user)}")
    return c


def _aksi(capture, user, pk, nama, catatan=""):
    with capture(execute=True):
        r = _klien(user).post(f"/api/v1/permohonan/{pk}/aksi/", {"aksi": nama, "catatan": catatan}, format="json")
    return r


def _terkirim(twilio, konten):
    """(template, ContentVariables) of each WhatsApp request made, in order."""
    hasil = []
    for panggilan in twilio.calls:
        kolom = form(panggilan)
        assert kolom["To"] == "whatsapp:+6281234567801" and kolom["From"] == "whatsapp:+14155238886"
        assert kolom["StatusCallback"].startswith("https://simpatik.example.id/notifikasi/twilio/status/?pesan=")
        hasil.append((konten[kolom["ContentSid"]], json.loads(kolom["ContentVariables"])))
    return hasil


def test_siklus_kelurahan_lengkap_mengirim_pesan_tiap_langkah(dunia, konten, twilio, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = _klien(dunia.warga.user).post("/api/v1/permohonan/", {
            "layanan": "domisili", "kelurahan": MEDONO, "keperluan": "Melamar pekerjaan",
            "data": json.dumps({"lama_tinggal": 5, "status_rumah": "sewa"}), "nama": "Siti Aminah",
            "alamat": "Jl. Medono No. 5", "berkas_pengantar_rt": unggahan(), "berkas_ktp": unggahan("ktp.pdf"),
        }, format="multipart")
    assert r.status_code == 201, r.content
    pk, nomor = r.json()["id"], r.json()["nomor_registrasi"]
    assert _aksi(django_capture_on_commit_callbacks, dunia.petugas_medono, pk, "minta_perbaikan", "Stempel RT").status_code == 200
    assert _aksi(django_capture_on_commit_callbacks, dunia.warga.user, pk, "ajukan_ulang").status_code == 200
    assert _aksi(django_capture_on_commit_callbacks, dunia.petugas_medono, pk, "verifikasi").status_code == 200
    # A second officer acting on a stale state: 409, and no message is written for it.
    assert _aksi(django_capture_on_commit_callbacks, dunia.petugas_medono, pk, "verifikasi").status_code == 409
    lihat_draf_api(_klien(dunia.lurah_medono), pk)
    assert _aksi(django_capture_on_commit_callbacks, dunia.lurah_medono, pk, "setujui").status_code == 200

    dikirim = _terkirim(twilio, konten)
    assert [kode for kode, _ in dikirim] == [
        "permohonan_diterima", "perlu_perbaikan", "status_diperbarui", "status_diperbarui", "selesai", "survei_undangan",
    ]
    for kode, variabel in dikirim:
        assert variabel["1"] == nomor and "-" not in variabel.values(), (kode, variabel)
    assert dikirim[1][1]["3"] == "Stempel RT"
    assert dikirim[4][1]["3"].startswith("http")  # signed download link
    assert set(Outbox.objects.values_list("status", flat=True)) == {Outbox.StatusPesan.TERKIRIM}
