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
def kunci_produksi(tmp_path):
    path = tmp_path / "signing_key.pem"
    kunci.buat_kunci(path)
    return path


def test_production_profile_styled_healthy_and_survives_a_redis_outage(tmp_path, kunci_produksi):
    pp.butuh_program("redis-server")
    dunia = Dunia()
    warga = [buat_warga(nik=f"33750145069000{i:02d}", no_hp=f"+62812345679{i:02d}", nama=f"Warga {i}")
             for i in range(10, 22)]
    redis = pp.Redis(tmp_path).mulai()
    env = pp.env_produksi(tmp_path, cache_url=redis.url(4), kunci=kunci_produksi, CELERY_BROKER_URL=redis.url(8))
    pp.collectstatic(env)
    web = pp.Gunicorn(tmp_path, env, nama="web")
    worker, beat = pp.celery(tmp_path, env, "worker"), pp.celery(tmp_path, env, "beat")
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
        redis = pp.Redis(tmp_path, port=redis.port).mulai()
        pp.tunggu(lambda: _sehat(web.url)[0] == 200, detik=30, pesan="/sehat/ pulih")
        r = _ajukan(web.url, warga[11])
        assert r.status_code == 201, r.text
        pp.tunggu(lambda: not Outbox.objects.filter(status__in=("antri", "mengirim")).exists(), detik=150,
                  pesan="pesan yang tertahan terkirim")
        assert Outbox.objects.filter(status="terkirim").count() >= 12
    finally:
        for p in (beat, worker, web, redis):
            p.henti()
