"""The production profile through real processes (CI's production-profile block runs these on PostgreSQL
with SIMPATIK_REQUIRE_PRODUKSI=1): gunicorn with deploy/gunicorn.conf.py and DEBUG off, WhiteNoise,
Redis, a Celery worker and beat; two app hosts sharing PostgreSQL, Redis and S3-compatible storage;
a Redis outage; and the backup and restore scripts of deploy/."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timedelta

import pytest
import requests
from django.db import connection, connections

from audit import kunci
from tests import proses_produksi as pp
from tests.factories import MEDONO, Dunia, buat_warga, pdf_bytes, token

pytestmark = [pytest.mark.produksi, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _otorisasi(user):
    return {"Authorization": f"Token {token(user)}"}


def _ajukan(url, warga, *, nama_berkas="pengantar.pdf", isi=None):
    isi = isi or pdf_bytes()
    return requests.post(f"{url}/api/v1/permohonan/", headers=_otorisasi(warga.user), timeout=30, data={
        "layanan": "domisili", "kelurahan": MEDONO, "keperluan": "Melamar pekerjaan",
        "data": json.dumps({"lama_tinggal": 5, "status_rumah": "sewa"}),
        "nama": warga.nama, "alamat": "Jl. Medono No. 5 RT 02 RW 03",
    }, files={"berkas_pengantar_rt": (nama_berkas, isi, "application/pdf"),
              "berkas_ktp": ("ktp.pdf", isi, "application/pdf")})


def _aksi(url, user, pk, nama):
    return requests.post(f"{url}/api/v1/permohonan/{pk}/aksi/", headers=_otorisasi(user), json={"aksi": nama},
                         timeout=60)


def _sehat(url):
    r = requests.get(f"{url}/sehat/", timeout=10)
    return r.status_code, r.json()


@pytest.fixture
def log_dir(request):
    """Process logs kept after the test (artifacts/produksi/<test>/), for CI to show on failure."""
    d = pp.AKAR / "artifacts" / "produksi" / request.node.name
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    return d


@pytest.fixture(scope="session")
def statis(tmp_path_factory):
    """collectstatic once for every server of the session, as an install does (DEBUG off: hashed, gzip)."""
    d = tmp_path_factory.mktemp("statis")
    env = {**os.environ, "DEBUG": "0", "STATIC_ROOT": str(d), "STATIC_BROTLI": "0"}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0", "--skip-checks"], cwd=pp.AKAR,
                   env=env, check=True, timeout=600)
    assert (d / "staticfiles.json").exists()
    return d


@pytest.fixture
def kunci_produksi(tmp_path):
    path = tmp_path / "signing_key.pem"
    kunci.buat_kunci(path)
    return path


def test_production_profile_styled_healthy_and_survives_a_redis_outage(tmp_path, kunci_produksi, log_dir, statis):
    pp.butuh_program("redis-server")
    dunia = Dunia()
    warga = [buat_warga(nik=f"33750145069000{i:02d}", no_hp=f"+62812345679{i:02d}", nama=f"Warga {i}")
             for i in range(10, 22)]
    redis = pp.Redis(log_dir).mulai()
    env = pp.env_produksi(tmp_path, cache_url=redis.url(4), kunci=kunci_produksi, statis=statis, CELERY_BROKER_URL=redis.url(8))
    web = pp.Gunicorn(log_dir, env, nama="web")
    worker, beat = pp.celery(log_dir, env, "worker"), pp.celery(log_dir, env, "beat")
    try:
        web.mulai(), worker.mulai(), beat.mulai()

        # Styled pages: the stylesheets the home page names are served by the app, compressed, cached a year.
        beranda = requests.get(web.url + "/", timeout=10)
        assert beranda.status_code == 200
        css = re.findall(r'href="(/static/[^"]+\.css)"', beranda.text)
        assert css, beranda.text[:2000]
        for alamat in css:
            assert re.search(r"\.[0-9a-f]{12}\.css$", alamat), alamat  # hashed name
            r = requests.get(web.url + alamat, headers={"Accept-Encoding": "gzip"}, timeout=10)
            assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/css")
            assert "max-age=315360000" in r.headers["Cache-Control"] and "immutable" in r.headers["Cache-Control"]
            assert r.headers.get("Content-Encoding") == "gzip"
        assert requests.get(web.url + "/static/tidak-ada.css", timeout=10).status_code == 404

        kode, sehat = _sehat(web.url)
        assert kode == 200, sehat
        assert all(k["ok"] for k in sehat["komponen"].values())

        # The worker takes the notification of a submission off the queue (console backend: sent).
        from notifikasi.models import Outbox

        r = _ajukan(web.url, warga[0])
        assert r.status_code == 201, r.text
        pp.tunggu(lambda: Outbox.objects.filter(status="terkirim").exists(), detik=60, pesan="worker mengirim")
        assert "X-Request-ID" in r.headers
        pp.tunggu(lambda: "Sending due tasks" in beat.isi_log() or "beat: Starting" in beat.isi_log(),
                  detik=30, pesan="beat")
        assert worker.hidup() and beat.hidup()

        # Redis stops (cache and broker): health says so, every submission and transition still commits.
        redis.henti()
        kode, sehat = _sehat(web.url)
        assert kode == 503
        assert sehat["komponen"]["cache"]["ok"] is False and sehat["komponen"]["broker"]["ok"] is False
        assert sehat["komponen"]["database"]["ok"] is True
        diajukan = []
        for w in warga[1:11]:
            r = _ajukan(web.url, w)
            assert r.status_code == 201, r.text
            diajukan.append(r.json()["id"])
        from layanan.models import Permohonan

        assert Permohonan.objects.filter(pk__in=diajukan, status="diajukan").count() == 10
        r = _aksi(web.url, dunia.petugas_medono, diajukan[0], "verifikasi")
        assert r.status_code == 200, r.text
        # Sign-in codes fail safe: the limiter cannot count, so no code is sent.
        r = requests.post(web.url + "/api/v1/warga/otp/", data={"nik": warga[11].nik, "no_hp": warga[11].no_hp},
                          timeout=10)
        assert r.status_code == 429

        # Redis is back: everything recovers by itself, queued rows included (the beat's sweep sends them).
        redis = pp.Redis(log_dir, port=redis.port).mulai()
        pp.tunggu(lambda: _sehat(web.url)[0] == 200, detik=30, pesan="/sehat/ pulih")
        r = _ajukan(web.url, warga[11])
        assert r.status_code == 201, r.text
        pp.tunggu(lambda: not Outbox.objects.filter(status__in=("antri", "mengirim")).exists(), detik=150,
                  pesan="pesan yang tertahan terkirim")
        assert Outbox.objects.filter(status="terkirim").count() >= 12
    finally:
        for p in (beat, worker, web, redis):
            p.henti()


def _admin_tambah_libur(url, admin, *, kantor, tanggal):
    """An admin adds an office holiday through the Django admin of `url` (session, CSRF, form)."""
    s = requests.Session()
    s.headers["Accept-Language"] = "en"
    kue = {}

    def ambil(path):
        r = s.get(url + path, cookies=kue, timeout=30)
        kue.update(r.cookies.get_dict())  # Secure cookies over plain HTTP in the test: sent by hand
        return r

    def kirim(path, data):
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', ambil(path).text).group(1)
        r = s.post(url + path, data={"csrfmiddlewaretoken": token, **data}, cookies=kue, timeout=30,
                   allow_redirects=False)
        kue.update(r.cookies.get_dict())
        return r

    r = kirim("/admin/login/?next=/admin/", {"username": admin.username, "password": "rahasia-uji-123",
                                             "next": "/admin/"})
    assert r.status_code == 302, r.text[:2000]
    r = kirim("/admin/kelurahan/harilibur/add/", {"kantor": kantor.pk, "tanggal": tanggal.isoformat(),
                                                    "nama": "Hari jadi Kota Pekalongan"})
    assert r.status_code == 302, re.findall(r'<ul class="errorlist[^>]*>.*?</ul>', r.text, re.DOTALL)


def test_two_hosts_share_database_cache_storage_and_key(tmp_path, kunci_produksi, log_dir, statis, settings):
    pp.butuh_program("redis-server")
    from django.contrib.auth import get_user_model

    from kelurahan.models import HariLibur

    dunia = Dunia()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # what the servers check
    admin = get_user_model().objects.create_superuser("admin.uji", password="rahasia-uji-123")
    warga = [buat_warga(nik=f"33750145069001{i:02d}", no_hp=f"+62812345680{i:02d}", nama=f"Warga {i}")
             for i in range(10, 13)]
    redis = pp.Redis(log_dir).mulai()
    s3 = pp.S3Moto(log_dir)
    hosts = []
    try:
        s3.mulai()
        # One shared public address, as behind a load balancer; each host keeps its own (empty) media dir.
        bersama = pp.env_produksi(tmp_path, cache_url=redis.url(4), kunci=kunci_produksi, statis=statis, APP_HOSTS="2",
                                  PUBLIC_BASE_URL="https://simpatik.example.go.id", THROTTLE_LACAK="4/minute",
                                  **s3.pengaturan())
        for nama in ("a", "b"):
            (tmp_path / f"media-{nama}").mkdir()
            hosts.append(pp.Gunicorn(log_dir, {**bersama, "MEDIA_ROOT": str(tmp_path / f"media-{nama}")},
                                     nama=nama, workers=1))
        a, b = (h.mulai() for h in hosts)

        # A request submitted through A with its documents is processed through B.
        dokumen = pdf_bytes().replace(b"%%EOF", b"% host A\n%%EOF")
        r = _ajukan(a.url, warga[0], isi=dokumen)
        assert r.status_code == 201, r.text
        p = r.json()
        assert len(s3.kunci_objek()) == 2 and not any((tmp_path / "media-a").iterdir())
        berkas = requests.get(f"{b.url}/api/v1/permohonan/{p['id']}/berkas/{p['berkas'][0]['id']}/",
                              headers=_otorisasi(dunia.petugas_medono), timeout=30)
        assert berkas.status_code == 200 and berkas.content == dokumen
        assert _aksi(b.url, dunia.petugas_medono, p["id"], "verifikasi").status_code == 200

        # A letter issued on A verifies on B, and B serves the same PDF. Its draft was opened on B: the look
        # is in the shared ledger, so A lets the lurah sign.
        draf = requests.get(f"{b.url}/api/v1/permohonan/{p['id']}/draf.pdf", headers=_otorisasi(dunia.lurah_medono),
                            timeout=60)
        assert draf.status_code == 200 and draf.content.startswith(b"%PDF"), draf.text[:300]
        r = _aksi(a.url, dunia.lurah_medono, p["id"], "setujui")
        assert r.status_code == 200, r.text
        surat = r.json()["surat"]
        token_surat = surat["verifikasi_url"].rstrip("/").rsplit("/", 1)[-1]
        v = requests.get(f"{b.url}/api/v1/verifikasi/{token_surat}/", timeout=30)
        assert v.status_code == 200, v.text
        assert v.json()["nomor"] == surat["nomor"]
        pdf = requests.get(f"{b.url}/api/v1/permohonan/{p['id']}/surat.pdf", headers=_otorisasi(warga[0].user),
                           timeout=30)
        assert pdf.status_code == 200 and hashlib.sha256(pdf.content).hexdigest() == surat["sha256"]
        assert not any((tmp_path / "media-a").iterdir()) and not any((tmp_path / "media-b").iterdir())

        # A holiday added on A moves the deadlines B computes (B's calendar was cached before).
        r1 = _ajukan(b.url, warga[1])
        assert r1.status_code == 201, r1.text
        tenggat_1 = datetime.fromisoformat(r1.json()["tenggat"])
        from kelurahan.kalender import zona

        hari = tenggat_1.astimezone(zona()).date()
        _admin_tambah_libur(a.url, admin, kantor=dunia.medono, tanggal=hari)
        assert HariLibur.objects.filter(kantor=dunia.medono, tanggal=hari).exists()
        r2 = _ajukan(b.url, warga[2])
        assert r2.status_code == 201, r2.text
        tenggat_2 = datetime.fromisoformat(r2.json()["tenggat"])
        assert tenggat_2 - tenggat_1 >= timedelta(hours=12), (tenggat_1, tenggat_2)
        assert tenggat_2.astimezone(zona()).date() != hari

        # A rate limit counts across both hosts (4 a minute per client address).
        nomor = p["nomor_registrasi"]
        kode = [requests.get(f"{h.url}/api/v1/lacak/{nomor}/", timeout=30).status_code for h in (a, b, a, b, a, b)]
        assert kode == [200, 200, 200, 200, 429, 429], kode
    finally:
        for h in hosts:
            h.henti()
        s3.henti()
        redis.henti()


def _pg_url(nama_db=None):
    url = pp.url_database()
    return url if nama_db is None else url.rsplit("/", 1)[0] + "/" + nama_db


def test_backup_wipe_restore_then_the_ledger_verifies_and_the_letter_still_does(tmp_path, settings):
    """deploy/backup.sh and deploy/restore.sh as an operator runs them (docs/operations.md)."""
    pp.butuh_program("pg_dump", "pg_restore", "psql")
    from rest_framework.test import APIClient

    from layanan.models import Surat
    from layanan.surat.token import token_buat
    from tests.pembantu_ttd import lihat_draf_api
    from tests.test_api_lifecycle import ajukan_domisili, aksi, klien

    dunia = Dunia()
    p = ajukan_domisili(dunia).json()
    assert aksi(dunia.petugas_medono, p["id"], "verifikasi").status_code == 200
    lihat_draf_api(klien(dunia.lurah_medono), p["id"])
    assert aksi(dunia.lurah_medono, p["id"], "setujui").status_code == 200
    surat = Surat.objects.get(permohonan_id=p["id"])
    token_surat, sha = token_buat(surat.id_publik), surat.sha256
    media, kunci_path = settings.MEDIA_ROOT, settings.SIGNING_KEY_PATH
    assert kunci_path.exists() and any(media.rglob("*.pdf"))

    env = pp.env_produksi(tmp_path, cache_url="redis://127.0.0.1:6379/4", kunci=kunci_path,
                          statis=tmp_path / "statis", MEDIA_ROOT=str(media), SIMPATIK_PYTHON=sys.executable)
    cadangan = tmp_path / "cadangan"
    keluar = subprocess.run(["bash", "deploy/backup.sh", str(cadangan)], cwd=pp.AKAR, env=env, capture_output=True,
                            text=True, timeout=300, check=False)
    assert keluar.returncode == 0, keluar.stderr
    folder = keluar.stdout.strip().splitlines()[-1]
    assert {"database.dump", "media.tar.gz", "signing_key.pem", "SHA256SUMS"} <= set(os.listdir(folder))

    # Wipe: every table, every uploaded file and letter, the key.
    connections.close_all()
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", _pg_url(), "-c",
                    "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"], check=True, timeout=60)
    shutil.rmtree(media)
    kunci_path.unlink()
    kunci._kunci_cache.clear()

    keluar = subprocess.run(["bash", "deploy/restore.sh", folder], cwd=pp.AKAR, env=env, capture_output=True,
                            text=True, timeout=600, check=False)
    assert keluar.returncode == 0, keluar.stdout[-3000:] + keluar.stderr[-3000:]
    assert "Semua rantai utuh" in keluar.stdout

    # The restored letter verifies with the restored key, and its PDF is the one issued.
    v = APIClient().get(f"/api/v1/verifikasi/{token_surat}/")
    assert v.status_code == 200 and v.json()["nomor"] == surat.nomor
    r = APIClient()
    r.credentials(HTTP_AUTHORIZATION=f"Token {token(dunia.warga.user)}")
    pdf = r.get(f"/api/v1/permohonan/{p['id']}/surat.pdf")
    assert pdf.status_code == 200
    assert hashlib.sha256(b"".join(pdf.streaming_content)).hexdigest() == sha

    # A different key already in place stops a restore (its letters would not verify).
    kunci_path.unlink()
    kunci.buat_kunci(kunci_path)
    keluar = subprocess.run(["bash", "deploy/restore.sh", folder], cwd=pp.AKAR, env=env, capture_output=True,
                            text=True, timeout=600, check=False)
    assert keluar.returncode == 3 and "differs" in keluar.stderr


def test_runtime_role_may_only_add_to_the_ledger(tmp_path):
    """deploy/postgres-roles.sql: the app's role owns nothing and may not UPDATE, DELETE or TRUNCATE audit events."""
    pp.butuh_program("psql")
    import psycopg

    from tests.test_api_lifecycle import ajukan_domisili

    assert ajukan_domisili(Dunia()).status_code == 201  # a submission writes to the ledger
    akhiran = os.getpid()
    pemilik, aplikasi = f"simpatik_uji_pemilik_{akhiran}", f"simpatik_uji_app_{akhiran}"
    connections.close_all()
    try:
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-v", f"pemilik={pemilik}", "-v", f"aplikasi={aplikasi}",
                        "-f", str(pp.AKAR / "deploy" / "postgres-roles.sql"), _pg_url()], check=True, timeout=120,
                       capture_output=True)
        s = connection.settings_dict
        with psycopg.connect(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, dbname=s["NAME"], user=aplikasi,
                             autocommit=True) as kon:
            assert kon.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0] >= 1
            kon.execute("UPDATE layanan_layanan SET nama = nama")  # ordinary tables: ordinary DML
            for perintah in ("UPDATE audit_auditevent SET aksi = 'palsu'", "DELETE FROM audit_auditevent",
                             "DELETE FROM audit_rantaiaudit", "TRUNCATE audit_rantaiaudit",
                             "TRUNCATE audit_auditevent", "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
                             "SET session_replication_role = replica"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    kon.execute(perintah)
    finally:
        connections.close_all()
        for peran in (aplikasi, pemilik):
            subprocess.run(["psql", "-q", _pg_url(), "-c", (f"REASSIGN OWNED BY {peran} TO CURRENT_USER; "
                             f"DROP OWNED BY {peran}; DROP ROLE {peran};")], timeout=60, capture_output=True, check=False)
