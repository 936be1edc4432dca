"""Bad input: 400 with a message per field, and nothing stored (no row, no file, no message)."""

import json
import os

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from audit.models import AuditEvent
from layanan.models import Berkas, Permohonan
from notifikasi.models import Outbox
from tests.factories import KAUMAN, MEDONO, Dunia, token, unggahan


@pytest.fixture
def dunia(db):
    return Dunia()


def isian_loket(**ganti):
    isian = {
        "layanan": "domisili",
        "kelurahan": MEDONO,
        "keperluan": "Melamar pekerjaan",
        "data": json.dumps({"lama_tinggal": 3}),
        "nik": "3375014506900002",
        "no_hp": "081234567801",
        "nama": "Siti Aminah",
        "alamat": "Jl. Medono 5",
        "berkas_pengantar_rt": unggahan(),
        "berkas_ktp": unggahan(),
        "setuju_privasi": "true",  # the clerk read the privacy notice to the resident (docs/privasi.md)
    }
    isian.update(ganti)
    return {k: v for k, v in isian.items() if v is not None}


def kirim(user, isian, accept_language=None):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token(user)}")
    extra = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}
    return c.post("/api/v1/permohonan/", isian, format="multipart", **extra)


def berkas_tersimpan():
    akar = settings.MEDIA_ROOT
    return [os.path.join(d, f) for d, _, fs in os.walk(akar) for f in fs] if os.path.isdir(akar) else []


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.mark.parametrize(
    "ganti, kolom",
    [
        ({"nik": "337501450690000"}, "nik"),  # 15 digits
        ({"nik": "3375013206900002"}, "nik"),  # 32nd day: impossible date
        ({"nik": "3375017102900002"}, "nik"),  # 31 February (woman, 71-40) impossible
        ({"nik": "9975014506900002"}, "nik"),  # region code unknown
        ({"kelurahan": "33.75.01.9999"}, "kelurahan"),  # unknown kelurahan
        ({"berkas_ktp": None}, "berkas_ktp"),  # missing required document
        ({"berkas_ktp": unggahan("besar.pdf", b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024))}, "berkas_ktp"),  # 6 MB
        ({"berkas_ktp": unggahan("ktp.pdf", EXE)}, "berkas_ktp"),  # an executable named .pdf
        ({"data": json.dumps({"lama_tinggal": "lima"})}, "data.lama_tinggal"),  # wrong type
        ({"data": json.dumps({"status_rumah": "istana"})}, "data.status_rumah"),  # not a choice (and missing lama)
        ({"data": "{bukan json"}, "data"),
        ({"no_hp": "12345"}, "no_hp"),
        ({"layanan": "tidak-ada"}, "layanan"),
        ({"keperluan": ""}, "keperluan"),
        # Issue 14, item 4: each once a 500 (a PostgreSQL DataError, a RecursionError) or stored as sent.
        ({"nama": "N" * 121}, "nama"),  # Warga.nama is 120 characters
        ({"tempat_lahir": "T" * 61}, "tempat_lahir"),
        ({"agama": "A" * 21}, "agama"),
        ({"status_perkawinan": "S" * 21}, "status_perkawinan"),
        ({"keperluan": "K" * 256}, "keperluan"),
        ({"keperluan": "Melamar\x00pekerjaan"}, "keperluan"),  # NUL: a 500 on PostgreSQL
        ({"nama": "Siti\x1bAminah"}, "nama"),  # ESC and other control characters
        ({"alamat": "Jl.\x7f Medono"}, "alamat"),
        ({"data": "[" * 100_000 + "]" * 100_000}, "data"),  # RecursionError
        ({"data": json.dumps({"lama_tinggal": {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": {}}}}}}}}}})}, "data.lama_tinggal.a.b.c.d.e.f.g.h"),
        ({"data": json.dumps({"lama_tinggal": "3\u0000"})}, "data.lama_tinggal"),  # NUL escaped inside JSON
        ({"data": json.dumps([1, 2])}, "data"),
    ],
)
def test_bad_input_is_400_per_field_and_stores_nothing(dunia, ganti, kolom):
    sebelum = (Permohonan.objects.count(), Berkas.objects.count(), Outbox.objects.count(), AuditEvent.objects.count())
    r = kirim(dunia.petugas_medono, isian_loket(**ganti))
    assert r.status_code == 400, r.content
    assert kolom in r.json(), r.json()
    assert all(isinstance(p, str) and p for p in r.json()[kolom])
    sesudah = (Permohonan.objects.count(), Berkas.objects.count(), Outbox.objects.count(), AuditEvent.objects.count())
    assert sesudah == sebelum
    assert berkas_tersimpan() == []


def test_messages_are_indonesian_by_default_and_english_on_request(dunia):
    r = kirim(dunia.petugas_medono, isian_loket(nik="123"))
    assert r.json()["nik"] == ["NIK harus 16 digit angka."]
    r = kirim(dunia.petugas_medono, isian_loket(nik="123"), accept_language="en")
    assert r.json()["nik"] == ["The NIK must be 16 digits."]


def test_every_field_error_is_reported_at_once(dunia):
    r = kirim(dunia.petugas_medono, isian_loket(nik="1", no_hp="2", keperluan="", berkas_ktp=None))
    assert r.status_code == 400
    assert {"nik", "no_hp", "keperluan", "berkas_ktp"} <= set(r.json())


def test_unserved_kelurahan_is_rejected(dunia):
    # Kauman exists with an office in the fixture; a kelurahan with no office is not served.
    from kelurahan.models import Kantor

    Kantor.objects.filter(wilayah_id=KAUMAN).delete()
    r = kirim(dunia.warga.user, {"layanan": "domisili", "kelurahan": KAUMAN, "keperluan": "x"})
    assert r.status_code == 400 and "kelurahan" in r.json()


def test_failure_after_files_are_written_leaves_no_orphan_file(dunia, monkeypatch):
    """If the transaction fails after the uploads were stored, the stored files are removed."""
    import layanan.permohonan.services as services

    def gagal(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "_catat_transisi", gagal)
    with pytest.raises(RuntimeError):
        kirim(dunia.petugas_medono, isian_loket())
    assert Permohonan.objects.count() == 0
    assert berkas_tersimpan() == []


def test_valid_submission_stores_files_under_random_names(dunia):
    r = kirim(dunia.petugas_medono, isian_loket(berkas_ktp=unggahan("../../etc/passwd.pdf")))
    assert r.status_code == 201, r.content
    nama = [b.berkas.name for b in Berkas.objects.all()]
    assert all(n.startswith("berkas/") and "passwd" not in n and ".." not in n for n in nama)
    assert len(berkas_tersimpan()) == 2
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))


def test_too_many_form_fields_is_a_json_400(dunia):
    """1,200 fields (DATA_UPLOAD_MAX_NUMBER_FIELDS is 1,000): Django's TooManyFieldsSent, answered as JSON."""
    isian = isian_loket(**{f"x{i}": "1" for i in range(1200)})
    sebelum = Permohonan.objects.count()
    r = kirim(dunia.petugas_medono, isian)
    assert r.status_code == 400 and r["Content-Type"].startswith("application/json"), r.content[:200]
    assert r.json()["non_field_errors"] == ["Terlalu banyak isian dalam satu permintaan."]
    assert Permohonan.objects.count() == sebelum


@pytest.mark.parametrize("isi, jenis", [
    ("[1]", "application/json"),
    ('"verifikasi"', "application/json"),
    ('{"aksi": "tolak", "catatan": "alasan\\u0000"}', "application/json"),
    ('{"aksi": "verifikasi"', "application/json"),  # cut off
    ("aksi=verifikasi&catatan=a%00b", "application/x-www-form-urlencoded"),
])
def test_bad_action_bodies_are_400_and_change_nothing(dunia, isi, jenis):
    from tests.test_api_lifecycle import ajukan_domisili

    pk = ajukan_domisili(dunia).json()["id"]
    sebelum = AuditEvent.objects.count()
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token(dunia.petugas_medono)}")
    r = c.post(f"/api/v1/permohonan/{pk}/aksi/", isi, content_type=jenis)
    assert r.status_code == 400, r.content
    assert all(isinstance(p, str) and p for pesan in r.json().values() for p in pesan)
    assert Permohonan.objects.get(pk=pk).status == "diajukan" and AuditEvent.objects.count() == sebelum


@pytest.mark.parametrize("kueri", ["layanan=domisili%00", "q=%00", "status=diajukan&kelurahan=33%01", "a%00b=1"])
def test_query_string_with_control_characters_is_a_400_per_parameter(dunia, kueri):
    """A NUL in a filter value reached PostgreSQL, which cannot compare such a text: a 500 the fuzzer found."""
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token(dunia.petugas_medono)}")
    r = c.get(f"/api/v1/permohonan/?{kueri}")
    assert r.status_code == 400
    assert list(r.json().values()) == [["Teks tidak boleh berisi karakter kendali (mis. NUL)."]]
    r = c.get(f"/api/v1/permohonan/?{kueri}", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "control characters" in json.dumps(r.json())
    assert c.get("/api/v1/permohonan/?layanan=domisili&q=Siti").status_code == 200
