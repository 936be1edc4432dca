"""Processes of the production profile for tests/test_produksi.py: gunicorn with deploy/gunicorn.conf.py,
a Redis of the test's own, moto's standalone S3 server, a Celery worker and beat. Each is started with
its own session and stopped by its own process id, never by name."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

AKAR = Path(__file__).resolve().parent.parent


def wajib():
    """SIMPATIK_REQUIRE_PRODUKSI=1 (CI's production-profile block): a missing piece fails the test."""
    return os.environ.get("SIMPATIK_REQUIRE_PRODUKSI", "").lower() in ("1", "true", "yes")


def butuh_program(*nama):
    for program in nama:
        if shutil.which(program) is None:
            pesan = f"{program} tidak ada di PATH"
            if wajib():
                pytest.fail(pesan + " (SIMPATIK_REQUIRE_PRODUKSI=1)")
            pytest.skip(pesan)


def port_bebas() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tunggu(syarat, *, detik=60.0, pesan="tidak siap"):
    batas = time.monotonic() + detik
    while time.monotonic() < batas:
        try:
            if syarat():
                return
        except (OSError, requests.RequestException):
            pass
        time.sleep(0.2)
    raise AssertionError(f"{pesan} dalam {detik:.0f} detik")


class Proses:
    """A child process in its own session, stopped (SIGTERM, then SIGKILL) by its process id."""

    def __init__(self, argv, *, env=None, log: Path):
        self.argv, self.env, self.log = argv, env, log
        self.p = None

    def mulai(self):
        self._berkas = open(self.log, "ab")  # noqa: SIM115 - the child writes to it until henti() closes it
        self.p = subprocess.Popen(self.argv, cwd=AKAR, env=self.env, stdout=self._berkas, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        return self

    def hidup(self) -> bool:
        return self.p is not None and self.p.poll() is None

    def henti(self):
        if self.hidup():
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait(timeout=10)
        if self.p is not None:
            self._berkas.close()

    def isi_log(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


class Redis(Proses):
    def __init__(self, tmp: Path, port: int | None = None):
        self.port = port or port_bebas()
        super().__init__(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                          "--appendonly", "no"], log=tmp / f"redis-{self.port}.log")

    def url(self, db=0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def mulai(self):
        super().mulai()
        tunggu(lambda: socket.create_connection(("127.0.0.1", self.port), timeout=1).close() is None,
               detik=20, pesan="redis-server")
        return self


class S3Moto(Proses):
    """moto's standalone server: an S3-compatible endpoint on loopback, with one private bucket."""

    BUCKET = "simpatik-uji"

    def __init__(self, tmp: Path):
        self.port = port_bebas()
        super().__init__([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                         env={**os.environ, "MOTO_ALLOW_NONEXISTENT_REGION": "1"}, log=tmp / "moto.log")

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def klien(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="uji", aws_secret_access_key="uji-rahasia")

    def mulai(self):
        super().mulai()
        tunggu(lambda: requests.get(self.endpoint, timeout=2).status_code < 500, detik=60, pesan="moto server")
        self.klien().create_bucket(Bucket=self.BUCKET)
        return self

    def pengaturan(self) -> dict:
        return {"S3_BUCKET": self.BUCKET, "S3_ENDPOINT_URL": self.endpoint, "S3_REGION": "us-east-1",
                "S3_ACCESS_KEY_ID": "uji", "S3_SECRET_ACCESS_KEY": "uji-rahasia", "S3_ADDRESSING_STYLE": "path"}

    def kunci_objek(self) -> list[str]:
        return [o["Key"] for o in self.klien().list_objects_v2(Bucket=self.BUCKET).get("Contents", [])]


def url_database() -> str:
    """The test database pytest-django made, for the servers to share."""
    s = connection.settings_dict
    sandi = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{sandi}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def env_produksi(tmp: Path, *, cache_url: str, kunci: Path, statis: Path, **lain) -> dict:
    """Production environment: DEBUG off, every check satisfied, the test database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "THROTTLE_", "GUNICORN_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "0", "DATABASE_URL": url_database(),
        "CACHE_URL": cache_url, "SIGNING_KEY_PATH": str(kunci), "STATIC_ROOT": str(statis),
        "MEDIA_ROOT": str(tmp / "media"), "LOG_FORMAT": "json", "DB_CONN_MAX_AGE": "0", "STATIC_BROTLI": "0",
        "NOTIFIKASI_BACKEND": "console",
        # The data keys this test process seals with, so the servers read what the tests wrote.
        "DATA_KEYS": ",".join(settings.DATA_KEYS), "BLIND_INDEX_KEY": settings.BLIND_INDEX_KEY,
    })
    env.pop("CELERY_BROKER_URL", None)
    env.update(lain)
    return env


class Gunicorn(Proses):
    def __init__(self, tmp: Path, env: dict, *, nama: str, workers: int = 2):
        self.port = port_bebas()
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": str(workers)}
        env.setdefault("PUBLIC_BASE_URL", f"http://127.0.0.1:{self.port}")
        super().__init__([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "config.wsgi:application"],
                         env=env, log=tmp / f"gunicorn-{nama}.log")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def mulai(self):
        super().mulai()
        try:
            tunggu(lambda: self.hidup() and requests.get(self.url + "/api/v1/layanan/", timeout=5).status_code == 200,
                   detik=90, pesan=f"gunicorn {self.url}")
        except AssertionError:
            raise AssertionError(self.isi_log()[-3000:]) from None
        return self


def celery(tmp: Path, env: dict, peran: str) -> Proses:
    if peran == "worker":
        argv = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "INFO"]
    else:
        argv = [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO",
                "--schedule", str(tmp / "celerybeat-schedule")]
    return Proses(argv, env=env, log=tmp / f"celery-{peran}.log")
