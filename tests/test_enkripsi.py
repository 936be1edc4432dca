"""Encryption at rest (docs/privasi.md "Enkripsi"): the database and the stored files hold no NIK or
number in clear, lookups go through the blind index in one indexed query, and keys rotate."""

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import FieldError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.enkripsi import (
    JsonTersegel,
    buat_kunci_teks,
    id_kunci,
    id_kunci_token,
    indeks_nik,
    kunci_dari_teks,
    saring_kata,
)
from audit.models import AuditEvent
from layanan.management.commands.seed_demo import WARGA_DEMO
from layanan.models import Berkas, Permohonan, Surat, Warga
from layanan.permohonan import selectors, services
from notifikasi.models import Berhenti, KodeOTP, Outbox
from notifikasi.services import pesan_masuk_terima
from tests.factories import MEDONO, Dunia, token, unggahan
from tests.pembantu_ttd import lihat_draf_api
from tests.test_api_lifecycle import ajukan_domisili

AKAR = Path(__file__).resolve().parent.parent


def bentuk_rahasia() -> list[bytes]:
    """Every demo NIK, and every demo number as +62…, 62… and 08…, as bytes to look for."""
    hasil = []
    for w in WARGA_DEMO:
        hasil.append(w["nik"].encode())
        lokal = w["no_hp"].removeprefix("+62")
        hasil += [w["no_hp"].encode(), f"62{lokal}".encode(), f"0{lokal}".encode()]
    return hasil


def temuan(data: bytes) -> list[bytes]:
    return [r for r in bentuk_rahasia() if r in data]


def profil_demo() -> list[bytes]:
    """The demo residents' names and addresses: sealed on the resident and in every request's snapshot (the
    name searched through its word index)."""
    return [w[k].encode() for w in WARGA_DEMO for k in ("nama", "alamat")]


def warga_terbuka(baris: bytes) -> list[bytes]:
    """Names, addresses and birth dates of the demo residents found in the raw rows of their own table."""
    dicari = [w[k].encode() for w in WARGA_DEMO for k in ("nama", "alamat")]
    dicari += [w["tanggal_lahir"].isoformat().encode() for w in WARGA_DEMO]
    return [r for r in dicari if r in baris]


def _jalankan(*argumen, env):
    keluar = subprocess.run([sys.executable, "manage.py", *argumen], cwd=AKAR, env=env, capture_output=True,
                            text=True, timeout=900)
    assert keluar.returncode == 0, keluar.stderr[-3000:]
    return keluar.stdout


# The applicants' names of the seeded requests, less any an official also bears (a lurah signs under his own
# name, which is office data, not a leak), printed as one JSON line.
_NAMA_PEMOHON = """
import json
from django.contrib.auth import get_user_model
from layanan.models import Permohonan
from kelurahan.models import Kantor
pejabat = {u.get_full_name() for u in get_user_model().objects.filter(penugasan__isnull=False)}
pejabat |= set(Kantor.objects.values_list("penandatangan_nama", flat=True))
nama = {p.identitas.get("nama") or "" for p in Permohonan.objects.all()}
print(json.dumps(sorted(n for n in nama if len(n) >= 5 and not any(n in x for x in pejabat))))
"""


def _seed(env) -> list[bytes]:
    """Seed a demo database; returns the applicants' names its requests hold (encoded), to look for."""
    _jalankan("migrate", "-v0", env=env)
    keluaran = _jalankan("seed_demo", "--jumlah", "12", env=env)
    # The command itself prints the residents (for the developer at the console): the data is there,
    # just not in clear on disk.
    assert WARGA_DEMO[0]["nik"] in keluaran
    nama = json.loads(_jalankan("shell", "-c", _NAMA_PEMOHON, env=env).strip().splitlines()[-1])
    assert len(nama) >= 5
    return [n.encode() for n in nama]


def _env(tmp_path, **lain):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "S3_"))}
    return {**env, "DEBUG": "1", "MEDIA_ROOT": str(tmp_path / "media"), "CACHE_URL": "", **lain}


def test_sqlite_file_and_stored_files_hold_no_demo_nik_or_number_in_clear(tmp_path):
    berkas_db = tmp_path / "simpatik.sqlite3"
    env = _env(tmp_path, DATABASE_URL=f"sqlite:///{berkas_db}")
    nama = _seed(env)
    # The demo residents are there (requests, outbox rows and letters were written for them), sealed: no name
    # or address anywhere in the file, no birth date in their table (docs/privasi.md "What is sealed").
    data = b"".join(p.read_bytes() for p in tmp_path.glob("simpatik.sqlite3*"))
    assert temuan(data) == []
    assert [a for a in profil_demo() if a in data] == []
    assert [n for n in nama if n in data] == []  # the requests' snapshots: the name searched by its word index
    import sqlite3

    with sqlite3.connect(berkas_db) as db:
        baris = db.execute("SELECT * FROM layanan_warga").fetchall()
    assert len(baris) >= len(WARGA_DEMO)
    assert warga_terbuka(repr(baris).encode()) == []
    disimpan = [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
    assert any("surat" in p.parts for p in disimpan) and any("berkas" in p.parts for p in disimpan)
    for p in disimpan:
        isi = p.read_bytes()
        assert isi.startswith(b"SMPTK1"), p
        assert temuan(isi) == [], p


@pytest.mark.postgres
def test_pg_dump_holds_no_demo_nik_or_number_in_clear(tmp_path):
    """A `pg_dump` of a seeded database (the PostgreSQL server at SIMPATIK_DUMP_SERVER; database
    simpatik_kunci unless SIMPATIK_DUMP_DB names another), grepped for every demo NIK and number. A
    PostgreSQL test: where it runs, a missing pg_dump or server is a failure, not a skip."""
    if shutil.which("pg_dump") is None or shutil.which("psql") is None:
        pytest.fail("pg_dump/psql tidak ada di PATH")
    server = os.environ.get("SIMPATIK_DUMP_SERVER", "postgres://postgres@127.0.0.1:5432")
    nama = os.environ.get("SIMPATIK_DUMP_DB", "simpatik_kunci")
    sedia = subprocess.run(["psql", f"{server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {nama}",
                            "-c", f"CREATE DATABASE {nama}"], capture_output=True, text=True)
    if sedia.returncode != 0:
        pytest.fail(f"PostgreSQL tidak tersedia: {sedia.stderr.strip()[:200]}")
    env = _env(tmp_path, DATABASE_URL=f"{server}/{nama}")
    pemohon = _seed(env)
    dump = subprocess.run(["pg_dump", "--no-owner", f"{server}/{nama}"], capture_output=True, check=True).stdout
    assert b"COPY public.layanan_warga" in dump
    assert temuan(dump) == []
    assert [a for a in profil_demo() if a in dump] == []
    assert [n for n in pemohon if n in dump] == []
    warga = dump.split(b"COPY public.layanan_warga ", 1)[1].split(b"\n\\.\n", 1)[0]
    assert warga.count(b"\n") >= len(WARGA_DEMO)
    assert warga_terbuka(warga) == []


# --- lookups through the blind index -----------------------------------------------------------------


@pytest.fixture
def dunia(db):
    return Dunia()


def _kueri_warga(kueri) -> list[str]:
    return [q["sql"] for q in kueri.captured_queries if '"layanan_warga"' in q["sql"]]


def _pakai_indeks(sql: str) -> bool:
    """The lookup is served by an index on the blind index column, not a scan."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            rencana = " ".join(str(b[-1]) for b in cursor.fetchall())
            return "USING INDEX" in rencana and "nik_indeks" in rencana
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        rencana = " ".join(b[0] for b in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
        return "Index" in rencana


def _tanpa_pindai(sql: str) -> bool:
    """No table of the query is read whole."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return not [b for b in cursor.fetchall() if str(b[-1]).startswith("SCAN ")]
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        rencana = " ".join(b[0] for b in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
        return "Seq Scan" not in rencana


def test_sign_in_finds_the_resident_in_one_indexed_query(dunia, settings):
    nik = dunia.warga.nik
    services.warga_minta_kode(nik=nik, no_hp=dunia.warga.no_hp)
    kode = re.search(r"\d{6}", Outbox.objects.filter(templat="kode_otp").latest("pk").isi).group()
    with CaptureQueriesContext(connection) as kueri:
        warga = services.warga_masuk(nik=nik, kode=kode)
    assert warga == dunia.warga
    cari = _kueri_warga(kueri)
    assert len(cari) == 1, cari
    assert "nik_indeks" in cari[0]
    assert _pakai_indeks(cari[0])


def test_counter_submission_finds_a_registered_resident_in_one_indexed_query(dunia):
    from rest_framework.test import APIClient

    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token(dunia.petugas_medono)}")
    isian = {"layanan": "domisili", "kelurahan": MEDONO, "keperluan": "Melamar pekerjaan",
             "data": '{"lama_tinggal": 5, "status_rumah": "sewa"}', "nik": "3375014506900002",
             "nama": "Siti Aminah", "alamat": "Jl. Medono No. 5", "tanggal_lahir": "1990-06-05",
             "berkas_pengantar_rt": unggahan(), "berkas_ktp": unggahan("ktp.pdf")}
    with CaptureQueriesContext(connection) as kueri:
        r = c.post("/api/v1/permohonan/", isian, format="multipart")
    assert r.status_code == 201, r.content
    assert Permohonan.objects.get(pk=r.json()["id"]).pemohon == dunia.warga
    cari = [q for q in _kueri_warga(kueri) if '"nik_indeks" =' in q]
    assert len(cari) == 1, cari
    assert _pakai_indeks(cari[0])


def test_officer_search_by_nik_is_one_indexed_join(dunia, django_assert_num_queries):
    r = _ajukan(dunia)
    selectors.permohonan_daftar(user=dunia.petugas_medono)  # the officer's scope, read once per request
    with django_assert_num_queries(1) as kueri:
        hasil = list(selectors.permohonan_daftar(user=dunia.petugas_medono, q=dunia.warga.nik))
    assert [p.pk for p in hasil] == [r]
    assert '"nik_indeks" =' in kueri.captured_queries[0]["sql"]
    assert _pakai_indeks(kueri.captured_queries[0]["sql"])
    with django_assert_num_queries(1):
        assert list(selectors.permohonan_daftar(user=dunia.petugas_medono, q="3375019999990001")) == []


def test_officer_search_by_name_reads_the_sealed_names_word_index(dunia, django_assert_num_queries):
    """The name is sealed like the rest of the snapshot; the search matches whole words and word starts from three
    letters, in any order, case and accent, through one query on the officer's own scope."""
    siti = _ajukan(dunia)
    budi = ajukan_domisili(dunia, nama="Budi Santoso").json()["id"]
    mentah = str(_kolom("SELECT identitas FROM layanan_permohonan WHERE id = %s", siti))
    assert "Siti" not in mentah and "Aminah" not in mentah and "siti" not in mentah
    selectors.permohonan_daftar(user=dunia.petugas_medono)  # the officer's scope, read once per request

    def cari(q, user=dunia.petugas_medono):
        return sorted(p.pk for p in selectors.permohonan_daftar(user=user, q=q))

    with django_assert_num_queries(1):
        assert cari("Siti") == [siti]
    for q in ("siti aminah", "AMINAH Siti", "amin", "Sîti", "  siti,  ami ", "santo budi", "ama"):
        assert cari(q) == ([budi] if "budi" in q else [siti] if q != "ama" else []), q
    assert cari("sit") == [siti] and cari("si") == [] and cari("aminah budi") == []
    nomor = Permohonan.objects.get(pk=budi).nomor_registrasi
    assert cari(nomor.lower()) == [budi] and cari("!!") == []
    assert cari("siti", user=dunia.petugas_tirto) == []  # the other kelurahan's officer: out of scope
    with pytest.raises(FieldError, match="tersegel"):
        list(Permohonan.objects.filter(identitas__nama__icontains="Siti"))
    # Through the worklist page, as the desk uses it.
    from django.test import Client

    c = Client()
    c.force_login(dunia.petugas_medono)
    html = c.get("/petugas/", {"status": "", "q": "Siti Aminah"}).content.decode()  # the whole name at the desk
    assert Permohonan.objects.get(pk=siti).nomor_registrasi in html and nomor not in html
    html = c.get("/petugas/", {"status": "", "q": dunia.warga.nik}).content.decode()  # both are this resident's
    assert Permohonan.objects.get(pk=siti).nomor_registrasi in html and nomor in html
    # Words past the eighth are ignored (each is a LIKE over the scope), not an error.
    assert cari("siti " + "x " * 50) == [] and cari("siti aminah " + "siti " * 50) == [siti]


def test_a_corrected_name_is_found_by_its_new_words_and_no_longer_by_the_old(dunia):
    from layanan.pdp.services import koreksi_ajukan, koreksi_putuskan

    pk = _ajukan(dunia)
    k = koreksi_ajukan(warga=dunia.warga, kelurahan=MEDONO, perubahan={"nama": "Sitti Rahmawati"})
    koreksi_putuskan(pengguna=dunia.petugas_medono, koreksi_id=k.pk, terima=True)
    assert Permohonan.objects.get(pk=pk).identitas["nama"] == "Sitti Rahmawati"

    def cari(q):
        return [p.pk for p in selectors.permohonan_daftar(user=dunia.petugas_medono, q=q)]

    assert cari("rahma") == [pk] and cari("sitti") == [pk] and cari("aminah") == []


def _ajukan(dunia) -> int:
    r = ajukan_domisili(dunia)
    assert r.status_code == 201, r.content
    return r.json()["id"]


def test_columns_are_ciphertext_and_a_sealed_value_cannot_be_queried_by_value(dunia):
    from django.core.exceptions import FieldError

    pk = _ajukan(dunia)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik, no_hp, nik_indeks FROM layanan_warga WHERE id = %s", [dunia.warga.pk])
        nik, no_hp, indeks = cursor.fetchone()
        cursor.execute("SELECT identitas, data FROM layanan_permohonan WHERE id = %s", [pk])
        identitas, data = map(str, cursor.fetchone())
    assert dunia.warga.nik not in nik and dunia.warga.no_hp not in no_hp and indeks == indeks_nik(dunia.warga.nik)
    assert "Siti" not in identitas and "Jl. Medono" not in identitas and "sewa" not in data
    p = Permohonan.objects.get(pk=pk)
    assert p.identitas["alamat"].startswith("Jl. Medono") and p.data["status_rumah"] == "sewa"
    with pytest.raises(FieldError):
        list(Warga.objects.filter(nik=dunia.warga.nik))


def test_complaint_contact_and_requested_corrections_are_sealed(dunia):
    from integritas.models import Pengaduan
    from integritas.services import pengaduan_buat
    from layanan.models import PermintaanKoreksi
    from layanan.pdp.services import koreksi_ajukan

    pengaduan = pengaduan_buat(kategori="pungli", isi="Diminta uang oleh petugas loket.", kontak="+6281299988877")
    kelurahan = Permohonan.objects.get(pk=_ajukan(dunia)).kelurahan_id
    koreksi = koreksi_ajukan(warga=dunia.warga, kelurahan=kelurahan, perubahan={"alamat": "Jl. Kenanga Rahasia 7"},
                             alasan="pindah")
    with connection.cursor() as cursor:
        cursor.execute("SELECT kontak FROM audit_pengaduan WHERE id = %s", [pengaduan.pk])
        (kontak,) = cursor.fetchone()
        cursor.execute("SELECT perubahan FROM layanan_permintaankoreksi WHERE id = %s", [koreksi.pk])
        (perubahan,) = cursor.fetchone()
    assert "81299988877" not in kontak and "Kenanga" not in str(perubahan)
    assert Pengaduan.objects.get(pk=pengaduan.pk).kontak == "+6281299988877"
    assert PermintaanKoreksi.objects.get(pk=koreksi.pk).perubahan == {"alamat": "Jl. Kenanga Rahasia 7"}


def _ditulis_lalu_dikirim(no_hp):
    """A business message written and handed to the relay, which asks the opt-out registry before sending."""
    from notifikasi.relay import outbox_kirim
    from notifikasi.services import outbox_tulis

    pesan = outbox_tulis(penerima=no_hp, templat="permohonan_diterima", variabel={})
    outbox_kirim(outbox_id=pesan.pk)
    pesan.refresh_from_db()
    return pesan


def test_opt_out_is_kept_by_blind_index_and_the_ledger_gets_no_number(dunia):
    pesan_masuk_terima(dari="whatsapp:+6281234567801", isi="BERHENTI")
    (kunci,) = Berhenti.objects.values_list("kunci_hp", flat=True)
    assert "6281234567801" not in kunci
    e = AuditEvent.objects.get(aksi="berhenti_berlangganan")
    assert "6281234567801" not in e.objek_id and e.objek_id == kunci[:16]
    # The opt-out still works: a business message to that number is skipped.
    assert _ditulis_lalu_dikirim("081234567801").status == "dilewati"


def test_outbox_texts_and_variables_are_sealed_and_secrets_are_still_blanked_once(dunia):
    from notifikasi.services import ISI_DIHAPUS, outbox_hapus_rahasia

    nomor = Permohonan.objects.get(pk=_ajukan(dunia)).nomor_registrasi
    services.warga_minta_kode(nik=dunia.warga.nik, no_hp=dunia.warga.no_hp)
    diterima = Outbox.objects.get(templat="permohonan_diterima")
    otp = Outbox.objects.get(templat="kode_otp")
    kode = re.search(r"\d{6}", otp.isi).group()
    assert nomor in diterima.isi and diterima.variabel["nomor"] == nomor  # the relay reads them opened
    with connection.cursor() as cursor:
        cursor.execute("SELECT isi, variabel FROM notifikasi_outbox")
        mentah = repr(cursor.fetchall())
    assert nomor not in mentah and kode not in mentah and "Domisili" not in mentah
    # Expired sign-in codes are blanked once (found without comparing the sealed text in SQL).
    with time_machine.travel(timezone.now() + timedelta(minutes=30)):
        assert outbox_hapus_rahasia() == 1
        assert outbox_hapus_rahasia() == 0
    otp.refresh_from_db()
    assert (otp.isi, otp.variabel) == (ISI_DIHAPUS, {})


# --- files ------------------------------------------------------------------------------------------


def test_uploads_and_letters_are_ciphertext_on_disk_and_plaintext_on_download(dunia):
    from rest_framework.test import APIClient

    from tests.factories import pdf_bytes

    pk = _ajukan(dunia)
    b = Berkas.objects.filter(permohonan_id=pk).first()
    mentah = Path(default_storage.path(b.berkas.name)).read_bytes()
    assert mentah.startswith(b"SMPTK1") and pdf_bytes() not in mentah
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token(dunia.petugas_medono)}")
    r = c.get(f"/api/v1/permohonan/{pk}/berkas/{b.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == pdf_bytes()
    for nama in ("verifikasi", "setujui"):
        pengguna = dunia.petugas_medono if nama == "verifikasi" else dunia.lurah_medono
        c.credentials(HTTP_AUTHORIZATION=f"Token {token(pengguna)}")
        if nama == "setujui":
            lihat_draf_api(c, pk)
        assert c.post(f"/api/v1/permohonan/{pk}/aksi/", {"aksi": nama}, format="json").status_code == 200
    surat = Surat.objects.get(permohonan_id=pk)
    mentah = Path(default_storage.path(surat.berkas_pdf.name)).read_bytes()
    assert mentah.startswith(b"SMPTK1") and b"%PDF" not in mentah and dunia.warga.nik.encode() not in mentah
    import hashlib

    with surat.berkas_pdf.open("rb") as f:
        polos = f.read()
    assert polos.startswith(b"%PDF") and hashlib.sha256(polos).hexdigest() == surat.sha256


def test_files_in_s3_are_ciphertext_and_decrypt_on_download(dunia, tmp_path, settings):
    """The same wrapper over django-storages' S3 backend, against moto's server."""
    from tests import proses_produksi as pp

    s3 = pp.S3Moto(tmp_path).mulai()
    try:
        from config.penyimpanan import S3Tersegel

        p = s3.pengaturan()
        storage = S3Tersegel(bucket_name=p["S3_BUCKET"], endpoint_url=p["S3_ENDPOINT_URL"], region_name="us-east-1",
                             access_key="uji", secret_key="uji-rahasia", addressing_style="path", default_acl=None,
                             file_overwrite=False)
        from django.core.files.base import ContentFile

        nama = storage.save("berkas/2026/01/ktp.pdf", ContentFile(b"%PDF-1.4 KTP " + dunia.warga.nik.encode()))
        objek = s3.klien().get_object(Bucket=s3.BUCKET, Key=nama)["Body"].read()
        assert objek.startswith(b"SMPTK1") and dunia.warga.nik.encode() not in objek
        with storage.open(nama) as f:
            assert f.read() == b"%PDF-1.4 KTP " + dunia.warga.nik.encode()
        # Rotation rewrites the object in place under the newest key.
        baru = buat_kunci_teks()
        settings.DATA_KEYS = [baru, *settings.DATA_KEYS]
        storage.tulis_ulang(nama, storage.open(nama).read())
        objek = s3.klien().get_object(Bucket=s3.BUCKET, Key=nama)["Body"].read()
        assert objek[6:14].decode() == id_kunci(kunci_dari_teks(baru))
        settings.DATA_KEYS = [baru]
        assert storage.open(nama).read().endswith(dunia.warga.nik.encode())
    finally:
        s3.henti()


# --- key rotation -----------------------------------------------------------------------------------


def test_key_rotation_reads_old_data_then_the_command_reseals_rows_and_files(dunia, settings):
    lama = settings.DATA_KEYS[0]
    pk = _ajukan(dunia)
    services.warga_minta_kode(nik=dunia.warga.nik, no_hp=dunia.warga.no_hp)
    baru = buat_kunci_teks()
    settings.DATA_KEYS = [baru, lama]
    id_baru, id_lama = id_kunci(kunci_dari_teks(baru)), id_kunci(kunci_dari_teks(lama))

    def kunci_kolom():
        with connection.cursor() as cursor:
            cursor.execute("SELECT nik, no_hp FROM layanan_warga")
            hasil = {id_kunci_token(v) for baris in cursor.fetchall() for v in baris}
            cursor.execute("SELECT penerima FROM notifikasi_outbox UNION ALL SELECT no_hp FROM notifikasi_kodeotp")
            return hasil | {id_kunci_token(v) for (v,) in cursor.fetchall()}

    # Written under the old key, read after rotation; new writes take the new key.
    assert kunci_kolom() == {id_lama}
    w = Warga.objects.get(pk=dunia.warga.pk)
    assert w.nik == "3375014506900002" and Permohonan.objects.get(pk=pk).identitas["alamat"]
    assert Warga.objects.filter(nik_indeks=indeks_nik("3375014506900002")).get() == w
    b = Berkas.objects.filter(permohonan_id=pk).first()
    assert Path(default_storage.path(b.berkas.name)).read_bytes()[6:14].decode() == id_lama

    call_command("enkripsi_ulang", stdout=open(os.devnull, "w"))
    assert kunci_kolom() == {id_baru}
    assert Path(default_storage.path(b.berkas.name)).read_bytes()[6:14].decode() == id_baru
    settings.DATA_KEYS = [baru]  # the old key retired: everything still opens
    assert Warga.objects.get(pk=w.pk).no_hp == "+6281234567801"
    assert Permohonan.objects.get(pk=pk).data["status_rumah"] == "sewa"
    assert KodeOTP.objects.get().no_hp == "+6281234567801"
    with Berkas.objects.get(pk=b.pk).berkas.open("rb") as f:
        assert f.read().startswith(b"%PDF")
    # A second run has nothing left to do.
    from io import StringIO

    keluaran = StringIO()
    call_command("enkripsi_ulang", stdout=keluaran)
    assert re.findall(r": (\d+) ", keluaran.getvalue()) and set(re.findall(r": (\d+) ", keluaran.getvalue())) == {"0"}


def test_blind_index_key_rotation_keeps_lookups_working_then_the_command_recomputes_every_index(
        dunia, settings, django_assert_num_queries):
    from audit.enkripsi import indeks_hp, saring_indeks
    from layanan.obrolan import status_jawab
    from notifikasi.models import Percakapan
    from notifikasi.services import dalam_jendela_sesi

    warga, lain = dunia.warga, dunia.warga_lain
    pk = _ajukan(dunia)
    pesan_masuk_terima(dari=f"whatsapp:{lain.no_hp}", isi="BERHENTI")  # an opt-out and a 24-hour window
    Percakapan.objects.create(kunci_hp=indeks_hp(warga.no_hp), keadaan=Percakapan.Keadaan.SURVEI)
    lama = settings.BLIND_INDEX_KEY
    settings.BLIND_INDEX_KEY = buat_kunci_teks()

    # The new key alone finds nobody written before it: that is why the old one is kept for the recompute.
    assert not Warga.objects.filter(**saring_indeks("nik_indeks", indeks_nik, warga.nik)).exists()
    settings.BLIND_INDEX_KEY_LAMA = lama

    def semua_ditemukan():
        services.warga_minta_kode(nik=warga.nik, no_hp=warga.no_hp)
        kode = re.search(r"\d{6}", Outbox.objects.filter(templat="kode_otp").latest("pk").isi).group()
        with CaptureQueriesContext(connection) as kueri:
            assert services.warga_masuk(nik=warga.nik, kode=kode) == warga
        (cari,) = _kueri_warga(kueri)
        assert "nik_indeks" in cari and _pakai_indeks(cari)
        selectors.permohonan_daftar(user=dunia.petugas_medono)  # the officer's scope, read once per request
        with django_assert_num_queries(1) as kueri:
            assert [p.pk for p in selectors.permohonan_daftar(user=dunia.petugas_medono, q=warga.nik)] == [pk]
        # Served by indexes (SQLite's planner, without statistics on a table of one row, may start from the
        # office's index rather than the resident's: either is an index, not a scan).
        assert _tanpa_pindai(kueri.captured_queries[0]["sql"])
        assert [p.pk for p in selectors.permohonan_daftar(user=dunia.petugas_medono, q="aminah")] == [pk]
        ((templat, isi),) = status_jawab(no_hp=warga.no_hp, nomor="", bahasa="id")
        assert templat == "obrolan_status_pemilik" and isi["nomor"] == Permohonan.objects.get(pk=pk).nomor_registrasi
        assert dalam_jendela_sesi(no_hp=lain.no_hp)
        assert _ditulis_lalu_dikirim(lain.no_hp).status == "dilewati"

    semua_ditemukan()  # during the recompute: either index matches, in the same one indexed query
    keluaran = StringIO()
    call_command("enkripsi_ulang", "--indeks", "--ukuran", "2", stdout=keluaran)
    assert re.search(r"layanan_warga: [1-9]\d* indeks", keluaran.getvalue())
    assert "layanan_permohonan: 1 indeks" in keluaran.getvalue()  # the applicant's name: its word index
    assert "notifikasi_berhenti: 1 kunci dihitung ulang (0 nomor tidak dikenal)" in keluaran.getvalue()
    settings.BLIND_INDEX_KEY_LAMA = ""  # the old key removed
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):  # past the wait between sign-in codes
        semua_ditemukan()
    assert set(Warga.objects.values_list("nik_indeks", flat=True)) == {indeks_nik(w.nik) for w in (warga, lain)}
    assert Percakapan.objects.get().kunci_hp == indeks_hp(warga.no_hp)
    assert Berhenti.objects.get().kunci_hp == indeks_hp(lain.no_hp)
    # Nothing left to do: a run that stopped halfway is simply run again.
    settings.BLIND_INDEX_KEY_LAMA = lama
    keluaran = StringIO()
    call_command("enkripsi_ulang", "--indeks", stdout=keluaran)
    assert set(re.findall(r": (\d+) ", keluaran.getvalue())) == {"0"}


def test_index_recompute_stopped_midway_keeps_the_finished_batches_and_resumes(dunia, settings, monkeypatch):
    from django.db.models.query import QuerySet

    from audit.enkripsi import saring_indeks

    lama = settings.BLIND_INDEX_KEY
    settings.BLIND_INDEX_KEY, settings.BLIND_INDEX_KEY_LAMA = buat_kunci_teks(), lama
    asli, panggilan = QuerySet.bulk_update, []

    def putus_di_batch_kedua(self, objs, fields, *args, **kwargs):
        if self.model is Warga:
            panggilan.append(len(objs))
            if len(panggilan) == 2:
                raise ConnectionError("koneksi putus")
        return asli(self, objs, fields, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "bulk_update", putus_di_batch_kedua)
    with pytest.raises(ConnectionError):
        call_command("enkripsi_ulang", "--indeks", "--ukuran", "1", stdout=StringIO())
    baru = {indeks_nik(w.nik) for w in (dunia.warga, dunia.warga_lain)}
    assert len(set(Warga.objects.values_list("nik_indeks", flat=True)) & baru) == 1  # the first batch committed
    for w in (dunia.warga, dunia.warga_lain):  # both still found meanwhile
        assert Warga.objects.filter(**saring_indeks("nik_indeks", indeks_nik, w.nik)).get() == w
    monkeypatch.setattr(QuerySet, "bulk_update", asli)
    keluaran = StringIO()
    call_command("enkripsi_ulang", "--indeks", "--ukuran", "1", stdout=keluaran)
    assert "layanan_warga: 1 indeks dihitung ulang" in keluaran.getvalue()
    assert set(Warga.objects.values_list("nik_indeks", flat=True)) == baru


def test_resealing_reads_a_table_page_by_page(dunia, settings):
    from audit.enkripsi import segel_ulang_tabel
    from layanan.management.commands.enkripsi_ulang import tabel_tersegel

    Outbox.objects.bulk_create(Outbox(penerima=f"+62812{i:08d}", templat="x", isi=f"Pesan {i}") for i in range(5))
    baru = buat_kunci_teks()
    settings.DATA_KEYS = [baru, *settings.DATA_KEYS]
    (outbox,) = [t for t in tabel_tersegel() if t["tabel"] == "notifikasi_outbox"]
    with CaptureQueriesContext(connection) as kueri:
        assert segel_ulang_tabel(connection, **outbox, semua=False, ukuran=2) == 5
    assert sum(q["sql"].startswith("SELECT") for q in kueri.captured_queries) == 4  # 2 + 2 + 1, then an empty page
    with connection.cursor() as cursor:
        cursor.execute("SELECT isi, penerima FROM notifikasi_outbox")
        assert {id_kunci_token(v) for b in cursor.fetchall() for v in b} == {id_kunci(kunci_dari_teks(baru))}
    assert segel_ulang_tabel(connection, **outbox, semua=False, ukuran=2) == 0
    assert sorted(Outbox.objects.values_list("isi", flat=True)) == [f"Pesan {i}" for i in range(5)]


def test_without_the_old_key_a_value_does_not_open(dunia, settings):
    from audit.enkripsi import SegelRusak

    settings.DATA_KEYS = [buat_kunci_teks()]
    with pytest.raises(SegelRusak):
        Warga.objects.get(pk=dunia.warga.pk)


def test_production_refuses_to_start_without_data_keys(settings):
    from config.pemeriksaan import masalah_produksi

    settings.DEBUG = False
    settings.DATA_KEYS = []
    settings.BLIND_INDEX_KEY = ""
    ids = [g.id for g in masalah_produksi()]
    assert ids.count("simpatik.E006") == 2
    settings.DATA_KEYS = [buat_kunci_teks()]
    settings.BLIND_INDEX_KEY = settings.DATA_KEYS[0]
    assert [g.msg for g in masalah_produksi() if g.id == "simpatik.E006"] == [
        "Kunci enkripsi data tidak bisa dipakai: BLIND_INDEX_KEY harus berbeda dari setiap kunci DATA_KEYS."]
    settings.BLIND_INDEX_KEY = buat_kunci_teks()
    assert "simpatik.E006" not in [g.id for g in masalah_produksi()]


# --- migration of existing rows -----------------------------------------------------------------------


SEBELUM = [("layanan", "0011_ganti_nomor_loket"), ("kelurahan", "0005_penugasan_nik_tte"),
           ("notifikasi", "0005_sekali_kirim")]
SESUDAH = [("layanan", "0012_enkripsi"), ("kelurahan", "0006_enkripsi"), ("notifikasi", "0006_enkripsi")]


def _migrasi(target):
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def _permohonan_lama(apps, **isian):
    """One request of a resident in Medono, written through the models of an older migration state (`apps`)."""
    Wilayah = apps.get_model("kelurahan", "Wilayah")
    kec = Wilayah.objects.create(kode="33.75.01", nama="Pekalongan Barat", tingkat=3)
    kel = Wilayah.objects.create(kode="33.75.01.1002", nama="Medono", tingkat=4, induk=kec)
    layanan = apps.get_model("layanan", "Layanan").objects.create(
        kode="domisili", nama="Domisili", tingkat="kelurahan", kode_klasifikasi="400", sla_jam=8, sla_jam_kelurahan=8)
    warga = apps.get_model("layanan", "Warga").objects.create(
        user=apps.get_model("auth", "User").objects.create(username="warga-lama"), nik="3375014506900002",
        no_hp="+6281234567801", jenis_kelamin="P")
    return apps.get_model("layanan", "Permohonan").objects.create(
        nomor_registrasi="ABCD-EFGH", layanan=layanan, kelurahan=kel, kecamatan=kec, pemohon=warga, keperluan="uji",
        status="diajukan", diajukan_pada=timezone.now(), **isian)


def _kolom(sql, *param):
    with connection.cursor() as cursor:
        cursor.execute(sql, param)
        return cursor.fetchone()


@pytest.mark.django_db(transaction=True)
def test_migration_seals_existing_rows_fills_indexes_and_reverses():
    lama = _migrasi(SEBELUM)
    try:
        _permohonan_lama(lama, identitas={"nama": "Siti Aminah", "nik": "3375014506900002", "alamat": "Jl. Medono 5"},
                         data={"nik_ayah": "3375010101600001"})
        lama.get_model("notifikasi", "Outbox").objects.create(penerima="+6281234567801", templat="x",
                                                              isi="Permohonan ABCD-EFGH diterima",
                                                              variabel={"nomor": "ABCD-EFGH"})
        lama.get_model("notifikasi", "Berhenti").objects.create(no_hp="+6281234567801", sejak=timezone.now())

        _migrasi(SESUDAH)
        nik, no_hp, indeks = _kolom("SELECT nik, no_hp, nik_indeks FROM layanan_warga")
        assert "3375014506900002" not in nik and "81234567801" not in no_hp and indeks == indeks_nik("3375014506900002")
        identitas, data = map(str, _kolom("SELECT identitas, data FROM layanan_permohonan"))
        assert "Siti Aminah" in identitas and "3375014506900002" not in identitas and "3375010101600001" not in data
        assert "81234567801" not in _kolom("SELECT penerima FROM notifikasi_outbox")[0]
        from audit.enkripsi import indeks_hp

        assert _kolom("SELECT kunci_hp FROM notifikasi_berhenti") == (indeks_hp("+6281234567801"),)
        # What the migration sealed, today's models read (once the later migrations give them their columns).
        call_command("migrate", verbosity=0)
        w = Warga.objects.get()
        assert (w.nik, w.no_hp) == ("3375014506900002", "+6281234567801")
        p = Permohonan.objects.get()
        assert p.identitas["alamat"] == "Jl. Medono 5" and p.data == {"nik_ayah": "3375010101600001"}
        assert Outbox.objects.get().penerima == "+6281234567801" and Berhenti.objects.count() == 1
        assert "ABCD-EFGH" not in str(_kolom("SELECT isi, variabel FROM notifikasi_outbox"))
        assert (Outbox.objects.get().isi, Outbox.objects.get().variabel) == ("Permohonan ABCD-EFGH diterima",
                                                                             {"nomor": "ABCD-EFGH"})

        # Back: an opt-out cannot become a number again, so going back refuses while one is kept.
        import importlib
        from types import SimpleNamespace

        mundur = importlib.import_module("notifikasi.migrations.0006_enkripsi").buka
        with pytest.raises(RuntimeError, match="indeks buta"):
            mundur(None, SimpleNamespace(connection=connection))
        Berhenti.objects.all().delete()
        _migrasi(SEBELUM)  # plaintext again
        assert _kolom("SELECT nik, no_hp FROM layanan_warga") == ("3375014506900002", "+6281234567801")
        assert "Jl. Medono 5" in str(_kolom("SELECT identitas FROM layanan_permohonan")[0])
        assert _kolom("SELECT isi FROM notifikasi_outbox") == ("Permohonan ABCD-EFGH diterima",)
    finally:
        _migrasi(SESUDAH)
        call_command("migrate", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_migration_seals_the_residents_profile_and_reverses():
    import datetime

    sebelum, sesudah = [("layanan", "0014_tersegel")], [("layanan", "0015_warga_tersegel")]
    lama = _migrasi(sebelum)
    try:
        user = lama.get_model("auth", "User").objects.create(username="warga-profil")
        lama.get_model("layanan", "Warga").objects.create(
            user=user, nik="3375014506900002", no_hp="+6281234567801", jenis_kelamin="P", nama="Siti Aminah",
            tempat_lahir="Pekalongan", tanggal_lahir=datetime.date(1990, 6, 5), alamat="Jl. Medono 5")
        kolom = "SELECT nama, tempat_lahir, tanggal_lahir, alamat FROM layanan_warga"
        assert [str(v) for v in _kolom(kolom)] == ["Siti Aminah", "Pekalongan", "1990-06-05", "Jl. Medono 5"]

        _migrasi(sesudah)
        mentah = _kolom(kolom)
        assert all(re.fullmatch(r"[0-9a-f]{8}:\S+", v) for v in mentah), mentah
        call_command("migrate", verbosity=0)
        w = Warga.objects.get()
        assert (w.nama, w.tempat_lahir, w.tanggal_lahir, w.alamat) == (
            "Siti Aminah", "Pekalongan", datetime.date(1990, 6, 5), "Jl. Medono 5")
        with pytest.raises(FieldError):
            list(Warga.objects.filter(nama="Siti Aminah"))
        with pytest.raises(FieldError):
            list(Warga.objects.filter(tanggal_lahir__lt=datetime.date(2000, 1, 1)))

        _migrasi(sebelum)  # plaintext again, the birth date a date column
        assert [str(v) for v in _kolom(kolom)] == ["Siti Aminah", "Pekalongan", "1990-06-05", "Jl. Medono 5"]
        tanggal = lama.get_model("layanan", "Warga").objects.values_list("tanggal_lahir", flat=True).get()
        assert tanggal == datetime.date(1990, 6, 5)
    finally:
        call_command("migrate", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_migration_seals_the_applicants_name_writes_its_word_index_and_reverses():
    sebelum, sesudah = [("layanan", "0015_warga_tersegel")], [("layanan", "0016_nama_tersegel")]
    lama = _migrasi(sebelum)
    try:
        _permohonan_lama(lama, identitas={"nama": "Siti Aminah", "nik": "3375014506900002"})
        sql = "SELECT identitas FROM layanan_permohonan"
        assert "Siti Aminah" in str(_kolom(sql)[0]) and "3375014506900002" not in str(_kolom(sql)[0])

        _migrasi(sesudah)
        mentah = str(_kolom(sql)[0])
        assert "Siti" not in mentah and "3375014506900002" not in mentah and JsonTersegel.KATA in mentah
        call_command("migrate", verbosity=0)
        p = Permohonan.objects.get()
        assert p.identitas == {"nama": "Siti Aminah", "nik": "3375014506900002"}
        assert list(Permohonan.objects.filter(saring_kata("identitas___kata", "aminah"))) == [p]

        _migrasi(sebelum)  # the name readable again beside the sealed rest, as before
        mentah = str(_kolom(sql)[0])
        assert "Siti Aminah" in mentah and "3375014506900002" not in mentah and JsonTersegel.KATA not in mentah
    finally:
        call_command("migrate", verbosity=0)
