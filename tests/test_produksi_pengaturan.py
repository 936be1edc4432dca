"""Production settings in one process (SQLite is enough): deployment checks, the signing key that is
never made by itself, /sehat/, a Redis outage that degrades (fail-safe sign-in limits), trusted proxies,
request ids and JSON logs, dev.py's address, and the deploy/ files that must stay in step with settings."""

import json
import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

import dev
from audit import kunci
from audit.enkripsi import buat_kunci_teks
from config.middleware import Proksi
from notifikasi.models import Outbox

AKAR = Path(__file__).resolve().parent.parent


def _periksa(tmp_path, **lain):
    """`manage.py check --deploy` in a fresh process with DEBUG off; returns (exit code, output)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("SECRET_KEY", "CACHE_URL", "S3_BUCKET", "APP_HOSTS", "DATA_KEYS", "BLIND_INDEX_KEY")}
    env.update({"DEBUG": "0", "ALLOWED_HOSTS": "simpatik.example.go.id", "DATABASE_URL": f"sqlite:///{tmp_path}/db",
                "SIGNING_KEY_PATH": str(tmp_path / "kunci.pem"), "DJANGO_SETTINGS_MODULE": "config.settings"})
    env.update(lain)
    keluar = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=AKAR, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    return keluar.returncode, keluar.stdout + keluar.stderr


def test_check_deploy_reports_each_missing_production_piece_as_an_error(tmp_path):
    kode, keluar = _periksa(tmp_path, APP_HOSTS="2")
    assert kode != 0
    for id_galat in ("simpatik.E001", "simpatik.E002", "simpatik.E003", "simpatik.E004", "simpatik.E006"):
        assert id_galat in keluar, keluar
    assert "ERRORS:" in keluar

    # buat_kunci runs although the checks fail (it makes what they ask for), and once only.
    env = {**os.environ, "DEBUG": "0", "SIGNING_KEY_PATH": str(tmp_path / "kunci.pem"),
           "DATABASE_URL": f"sqlite:///{tmp_path}/db"}
    env.pop("SECRET_KEY", None)
    buat = subprocess.run([sys.executable, "manage.py", "buat_kunci"], cwd=AKAR, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert buat.returncode == 0, buat.stderr
    assert (tmp_path / "kunci.pem").stat().st_mode & 0o777 == 0o600
    lagi = subprocess.run([sys.executable, "manage.py", "buat_kunci"], cwd=AKAR, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert lagi.returncode != 0 and "sudah ada" in lagi.stderr

    # The data keys too are made by a command that runs although the checks fail.
    kunci_data = [subprocess.run([sys.executable, "manage.py", "enkripsi_ulang", "--kunci-baru"], cwd=AKAR, env=env,
                                 capture_output=True, text=True, timeout=120, check=True).stdout.strip()
                  for _ in range(2)]
    kode, keluar = _periksa(tmp_path, SECRET_KEY=secrets.token_urlsafe(64), CACHE_URL="redis://127.0.0.1:6379/4",
                            APP_HOSTS="2", S3_BUCKET="simpatik", DATA_KEYS=kunci_data[0], BLIND_INDEX_KEY=kunci_data[1])
    assert not re.search(r"simpatik\.E00\d", keluar), keluar


@pytest.mark.parametrize("ubah, salah", [
    ({"SURAT_TTE": "bsre", "BSRE_BASE_URL": ""}, "BSRE_BASE_URL"),
    ({"SURAT_TTE": "bsre", "BSRE_CLIENT_SECRET": ""}, "BSRE_CLIENT_SECRET"),
    ({"SURAT_TTE": "pkcs11"}, "tidak dikenal"),
    ({"SURAT_TTE": "bsre"}, None),
    ({"SURAT_TTE": ""}, None),
])
def test_certified_signature_settings_are_checked_before_the_first_letter(settings, ubah, salah):
    from config.pemeriksaan import masalah_produksi

    settings.DEBUG = False
    settings.BSRE_BASE_URL, settings.BSRE_CLIENT_ID, settings.BSRE_CLIENT_SECRET = "https://bsre.test", "id", "rahasia"
    for nama, nilai in ubah.items():
        setattr(settings, nama, nilai)
    galat = [g for g in masalah_produksi() if g.id == "simpatik.E005"]
    assert (salah is None and not galat) or (len(galat) == 1 and salah in galat[0].msg)


def test_gunicorn_application_refuses_to_load_with_an_incomplete_configuration(tmp_path):
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "x",
           "SIGNING_KEY_PATH": str(tmp_path / "tidak-ada.pem"), "DATABASE_URL": f"sqlite:///{tmp_path}/db"}
    env.pop("CACHE_URL", None)
    keluar = subprocess.run([sys.executable, "-c", "import config.wsgi"], cwd=AKAR, env=env, capture_output=True,
                            text=True, timeout=120, check=False)
    assert keluar.returncode != 0
    assert "simpatik.E002" in keluar.stderr and "simpatik.E003" in keluar.stderr
    assert not (tmp_path / "tidak-ada.pem").exists()


def test_debug_is_off_unless_asked_for(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    kode = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; "
            "from django.conf import settings; print(settings.DEBUG)")
    keluar = subprocess.run([sys.executable, "-c", kode], cwd=AKAR, env=env, capture_output=True, text=True, check=False)
    assert keluar.stdout.strip() == "False"
    assert dev.lingkungan_start("127.0.0.1:8000", {})["DEBUG"] == "1"


def test_signing_key_is_never_generated_in_production(settings, tmp_path):
    settings.SIGNING_KEY_OTOMATIS = False
    settings.SIGNING_KEY_PATH = tmp_path / "prod.pem"
    with pytest.raises(kunci.KunciTidakAda):
        kunci.tandatangani(tujuan="uji", isi=b"x")
    assert not settings.SIGNING_KEY_PATH.exists()
    assert "tidak ada" in kunci.kunci_terbaca()
    call_command("buat_kunci")
    assert kunci.kunci_terbaca() is None
    ttd = kunci.tandatangani(tujuan="uji", isi=b"x")
    assert kunci.tanda_tangan_sah(tujuan="uji", isi=b"x", tanda_tangan=ttd)
    with pytest.raises(CommandError):
        call_command("buat_kunci")


def test_dev_start_links_follow_the_served_address():
    env = dev.lingkungan_start("192.168.1.5:8080", {})
    assert env["PUBLIC_BASE_URL"] == "http://192.168.1.5:8080"
    assert "192.168.1.5" in env["ALLOWED_HOSTS"].split(",")
    assert dev.lingkungan_start("localhost:9000", {})["PUBLIC_BASE_URL"] == "http://localhost:9000"
    semua = dev.lingkungan_start("0.0.0.0:8000", {})
    assert semua["ALLOWED_HOSTS"] == "*" and not semua["PUBLIC_BASE_URL"].startswith("http://0.0.0.0")
    assert dev.lingkungan_start("127.0.0.1:8000", {"PUBLIC_BASE_URL": "https://x.id"})["PUBLIC_BASE_URL"] == "https://x.id"


@pytest.mark.django_db
def test_sehat_reports_each_dependency(settings, tmp_path):
    kunci.kunci_privat()  # development: made on first use
    r = Client().get("/sehat/")
    assert r.status_code == 200, r.content
    d = r.json()
    assert d["status"] == "ok"
    assert set(d["komponen"]) == {"database", "cache", "broker", "penyimpanan", "kunci_tanda_tangan"}
    # Development: the key is made on first use, but /sehat/ never makes it.
    settings.SIGNING_KEY_PATH = tmp_path / "belum.pem"
    r = Client().get("/sehat/")
    assert r.status_code == 503 and r.json()["komponen"]["kunci_tanda_tangan"]["ok"] is False
    assert not (tmp_path / "belum.pem").exists()


def test_cache_calls_share_one_redis_client_per_pool(redis_mati):
    """Django builds a redis.Redis per cache call (its ~170 response callbacks copied each time); ours keeps
    one per connection pool, for both aliases (issue 22)."""
    from django.core.cache import caches

    for alias in ("default", "ketat"):
        klien = caches[alias]._cache
        pertama = klien.get_client("a")
        assert klien.get_client("b", write=True) is pertama
        assert pertama.connection_pool is klien._get_connection_pool(False)


def test_cache_outage_answers_defaults(redis_mati, caplog):
    from django.core.cache import cache

    with caplog.at_level(logging.WARNING, logger="simpatik.cache"):
        assert cache.get("x", "bawaan") == "bawaan"
        cache.set("x", 1)
        assert cache.add("x", 1) is False
        assert cache.incr("n", 3) == 3
        assert cache.get_many(["a", "b"]) == {}
    assert "cache tidak terjangkau" in caplog.text


@pytest.mark.django_db
def test_cache_outage_calendars_read_afresh_and_sign_in_codes_refused(redis_mati, settings):
    from datetime import date

    from kelurahan import kalender
    from kelurahan.models import HariLibur
    from kelurahan.simpanan import versi_tetap
    from tests.factories import MEDONO, Dunia

    dunia = Dunia()
    pertama = kalender.kalender_wilayah(MEDONO)
    HariLibur.objects.create(kantor=dunia.medono, tanggal=date(2026, 12, 1), nama="Hari jadi kota")
    # No version token can be read, so no calendar is trusted from memory: the new holiday is seen at once.
    assert kalender.kalender_wilayah(MEDONO) is not pertama
    assert kalender.kalender_wilayah(MEDONO).libur(date(2026, 12, 1))
    with versi_tetap():  # a batch builds each calendar once
        assert kalender.kalender_wilayah(MEDONO) is kalender.kalender_wilayah(MEDONO)

    # Public tracking degrades open; sign-in codes fail safe (429, nothing sent).
    assert Client().get("/api/v1/lacak/ABCD-EFGH/").status_code == 404
    sebelum = Outbox.objects.count()
    r = Client().post("/api/v1/warga/otp/", {"nik": dunia.warga.nik, "no_hp": dunia.warga.no_hp})
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    r = Client().post("/api/v1/warga/masuk/", {"nik": dunia.warga.nik, "kode": "123456"})
    assert r.status_code == 429
    r = Client().post("/masuk/", {"nik": dunia.warga.nik, "no_hp": dunia.warga.no_hp})
    assert r.status_code == 429
    assert Outbox.objects.count() == sebelum
    r = Client().get("/sehat/")
    assert r.status_code == 503 and r.json()["komponen"]["cache"]["ok"] is False


def test_forwarded_for_is_believed_only_from_trusted_proxies():
    satu = Proksi("1")
    assert satu.klien("127.0.0.1", "6.6.6.6, 203.0.113.9") == "203.0.113.9"  # the client wrote 6.6.6.6
    assert satu.klien("127.0.0.1", "bukan-ip") == "127.0.0.1"
    jaringan = Proksi("10.0.0.0/8, 127.0.0.1")
    assert jaringan.klien("127.0.0.1", "6.6.6.6, 203.0.113.9, 10.1.2.3") == "203.0.113.9"
    assert not jaringan.dipercaya(None)


@pytest.mark.django_db
def test_rate_limit_keys_on_the_real_client_address(settings):
    batas = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["lacak"].split("/")[0])

    def kode(c, n):
        return [c.get("/api/v1/lacak/ABCD-EFGH/", HTTP_X_FORWARDED_FOR=f"6.6.{i // 250}.{i % 250}").status_code
                for i in range(n)]

    # A made-up X-Forwarded-For buys nothing without TRUSTED_PROXIES: one client, one counter.
    assert kode(Client(), batas + 1) == [404] * batas + [429]
    from django.core.cache import cache

    cache.clear()
    settings.TRUSTED_PROXIES = "1"  # behind one proxy, each forwarded address is its own client
    assert 429 not in kode(Client(), batas + 1)


def test_request_id_in_response_and_json_log(caplog):
    from config.log import FilterIdPermintaan, FormatJSON

    r = Client().get("/sehat/")
    assert re.fullmatch(r"[0-9a-f]{32}", r["X-Request-ID"])
    rekaman = logging.LogRecord("simpatik", logging.WARNING, __file__, 1, "pesan %s", ("uji",), None)
    FilterIdPermintaan().filter(rekaman)
    data = json.loads(FormatJSON().format(rekaman))
    assert data["pesan"] == "pesan uji" and data["level"] == "WARNING" and data["request_id"] == "-"


def test_env_example_lists_every_variable_settings_reads():
    sumber = (AKAR / "config" / "settings.py").read_text()
    dibaca = set(re.findall(r'env(?:_bool|_list|_pecahan)?\("([A-Z][A-Z0-9_]+)"', sumber))
    contoh = (AKAR / "deploy" / "simpatik.env.example").read_text()
    tertulis = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", contoh, re.MULTILINE))
    assert dibaca - tertulis == set()


def test_sentry_only_with_a_dsn():
    kode = ("import django, sentry_sdk; django.setup(); c = sentry_sdk.get_client(); "
            "print(c.is_active(), c.options.get('send_default_pii'))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "SENTRY_DSN": ""}
    tanpa = subprocess.run([sys.executable, "-c", kode], cwd=AKAR, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert tanpa.stdout.split()[0] == "False", tanpa.stderr
    env["SENTRY_DSN"] = "http://kunci@127.0.0.1:9/1"  # nothing listens; nothing is sent during set-up
    dengan = subprocess.run([sys.executable, "-c", kode], cwd=AKAR, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert dengan.stdout.split() == ["True", "False"], dengan.stderr


def test_check_deploy_refuses_the_development_data_keys(tmp_path):
    """The development keys are in the repository: a server with DEBUG off holding them refuses to start
    (the bench's own settings alone accept them, for the databases its generator sealed)."""
    from config.settings import _DEV_DATA_KEY, _DEV_INDEX_KEY

    (tmp_path / "kunci.pem").write_bytes(b"")
    siap = {"SECRET_KEY": secrets.token_urlsafe(64), "CACHE_URL": "redis://127.0.0.1:6379/4",
            "DATA_KEYS": f"{buat_kunci_teks()},{_DEV_DATA_KEY}", "BLIND_INDEX_KEY": _DEV_INDEX_KEY}
    kode, keluar = _periksa(tmp_path, **siap)
    assert kode != 0
    assert "DATA_KEYS memuat kunci pengembangan" in keluar and "BLIND_INDEX_KEY adalah kunci pengembangan" in keluar
    kode, keluar = _periksa(tmp_path, **siap, DJANGO_SETTINGS_MODULE="bench.settings")
    assert "kunci pengembangan" not in keluar, keluar


@pytest.mark.parametrize("data, indeks, salah", [
    (["dev-data"], "baru-2", ["DATA_KEYS memuat kunci pengembangan yang tertulis di kode sumber"]),
    (["baru-1", "dev-data="], "baru-2", ["DATA_KEYS memuat kunci pengembangan yang tertulis di kode sumber"]),
    (["baru-1"], "dev-indeks", ["BLIND_INDEX_KEY adalah kunci pengembangan yang tertulis di kode sumber"]),
    (["baru-1"], "dev-data", ["BLIND_INDEX_KEY adalah kunci pengembangan yang tertulis di kode sumber"]),
    (["baru-1"], "baru-1", ["BLIND_INDEX_KEY harus berbeda dari setiap kunci DATA_KEYS"]),
    (["baru-2", "baru-1"], "baru-1", ["BLIND_INDEX_KEY harus berbeda dari setiap kunci DATA_KEYS"]),
    (["baru-1", "baru-2"], "baru-3", []),
])
def test_production_refuses_development_or_shared_data_keys(settings, data, indeks, salah):
    from config.pemeriksaan import masalah_produksi
    from config.settings import _DEV_DATA_KEY, _DEV_INDEX_KEY

    kunci = {"dev-data": _DEV_DATA_KEY, "dev-indeks": _DEV_INDEX_KEY,
             **{f"baru-{i}": buat_kunci_teks() for i in (1, 2, 3)}}

    def teks(nama):  # "=" pads the base64: the same key spelt otherwise is still that key
        return kunci[nama.rstrip("=")] + "=" * nama.count("=")

    settings.DEBUG = False
    settings.DATA_KEYS = [teks(n) for n in data]
    settings.BLIND_INDEX_KEY = teks(indeks)
    pesan = [g.msg for g in masalah_produksi() if g.id == "simpatik.E006"]
    assert pesan == [f"Kunci enkripsi data tidak bisa dipakai: {s}." for s in salah]
    settings.KUNCI_PENGEMBANGAN_DIIZINKAN = True  # bench/settings.py
    assert all("pengembangan" not in g.msg for g in masalah_produksi())
