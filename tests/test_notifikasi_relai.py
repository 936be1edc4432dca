"""The relay under real commits: broker down, two relays at once (PostgreSQL), a real Celery worker."""

import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import responses
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from kombu import pools

from config.celery import app as celery_app
from notifikasi.models import Outbox, TemplatPesan
from notifikasi.relay import outbox_kirim, outbox_kirim_tertinggal
from notifikasi.services import outbox_tulis
from notifikasi.tasks import kirim_outbox_tertinggal
from tests.notifikasi_bantu import (  # noqa: F401 - fixtures
    URL_PESAN,
    form,
    jawaban_pesan,
    twilio,
)

BASIS = Path(__file__).resolve().parent.parent


@contextmanager
def broker(url: str, settings):
    """Point the Celery app at a real broker URL (not eager) for the duration."""
    lama = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _lepas_kolam()
    try:
        yield
    finally:
        _lepas_kolam()
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = lama


def _lepas_kolam():
    """Forget connections made for the previous broker URL (kombu keeps a process-wide registry)."""
    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def _nomor(i: int) -> str:
    return f"+62812{i:08d}"


@pytest.mark.django_db(transaction=True)
def test_broker_mati_penulisan_tetap_commit_dan_penyapu_mengirim_semua(twilio, settings):
    TemplatPesan.objects.filter(kode="permohonan_diterima").update(content_sid="HX" + "b" * 32)
    twilio.add(responses.CallbackResponse(responses.POST, URL_PESAN, callback=lambda r: jawaban_pesan()))
    with broker("redis://127.0.0.1:1/0", settings):
        mulai = time.monotonic()
        for i in range(5):
            with transaction.atomic():
                outbox_tulis(penerima=_nomor(i), templat="permohonan_diterima", variabel={"nomor": f"N{i}"})
        assert time.monotonic() - mulai < 30  # no hanging on the dead broker (retry=False)
        assert Outbox.objects.filter(status=Outbox.StatusPesan.ANTRI).count() == 5
        assert len(twilio.calls) == 0
        # What beat runs every 30 s, executed the way a worker executes it.
        hasil = kirim_outbox_tertinggal.apply().get()
    assert hasil["terkirim"] == 5
    assert Outbox.objects.filter(status=Outbox.StatusPesan.TERKIRIM).count() == 5
    assert sorted(form(c)["To"] for c in twilio.calls) == [f"whatsapp:{_nomor(i)}" for i in range(5)]
    outbox_kirim_tertinggal()
    assert len(twilio.calls) == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_dua_relai_bersamaan_mengirim_tiap_pesan_sekali(twilio):
    TemplatPesan.objects.filter(kode="permohonan_diterima").update(content_sid="HX" + "b" * 32)
    jumlah = 40
    Outbox.objects.bulk_create(
        Outbox(penerima=_nomor(i), templat="permohonan_diterima", variabel={"nomor": f"N{i}"}, isi=f"pesan {i}")
        for i in range(jumlah)
    )
    ids = list(Outbox.objects.order_by("pk").values_list("pk", flat=True))

    def lambat(request):
        time.sleep(0.005)  # widen the window in which another relay could pick the same row
        return jawaban_pesan()

    twilio.add(responses.CallbackResponse(responses.POST, URL_PESAN, callback=lambat))
    galat = []
    mulai = threading.Barrier(4)

    def jalankan(kerja):
        try:
            mulai.wait()
            kerja()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            galat.append(exc)
        finally:
            connections.close_all()

    pekerja = [
        threading.Thread(target=jalankan, args=(outbox_kirim_tertinggal,)),
        threading.Thread(target=jalankan, args=(outbox_kirim_tertinggal,)),
        threading.Thread(target=jalankan, args=(lambda: [outbox_kirim(outbox_id=i) for i in ids],)),
        threading.Thread(target=jalankan, args=(lambda: [outbox_kirim(outbox_id=i) for i in reversed(ids)],)),
    ]
    for t in pekerja:
        t.start()
    for t in pekerja:
        t.join(120)
    assert not galat
    tujuan = [form(c)["To"] for c in twilio.calls]
    assert len(tujuan) == jumlah and len(set(tujuan)) == jumlah
    assert Outbox.objects.filter(status=Outbox.StatusPesan.TERKIRIM, percobaan=1).count() == jumlah
    assert Outbox.objects.values("provider_sid").distinct().count() == jumlah


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_penyapu_melewati_baris_yang_dikunci_relai_lain(twilio):
    TemplatPesan.objects.filter(kode="permohonan_diterima").update(content_sid="HX" + "b" * 32)
    twilio.add(responses.CallbackResponse(responses.POST, URL_PESAN, callback=lambda r: jawaban_pesan()))
    terkunci, bebas = Outbox.objects.bulk_create(
        Outbox(penerima=_nomor(i), templat="permohonan_diterima", isi=f"pesan {i}") for i in range(2)
    )
    dikunci, lepas = threading.Event(), threading.Event()

    def relai_lain():
        try:
            with transaction.atomic():
                Outbox.objects.select_for_update().get(pk=terkunci.pk)
                dikunci.set()
                lepas.wait(30)
        finally:
            connections.close_all()

    t = threading.Thread(target=relai_lain)
    t.start()
    assert dikunci.wait(30)
    try:
        with CaptureQueriesContext(connection) as kueri:
            hasil = outbox_kirim_tertinggal()  # would block here without SKIP LOCKED
    finally:
        lepas.set()
        t.join(30)
    assert hasil["diambil"] == 1
    assert any("SKIP LOCKED" in q["sql"] for q in kueri.captured_queries)
    assert [form(c)["To"] for c in twilio.calls] == [f"whatsapp:{bebas.penerima}"]
    terkunci.refresh_from_db()
    assert terkunci.status == Outbox.StatusPesan.ANTRI


# --- a real worker ---------------------------------------------------------------------------------


@pytest.fixture
def pekerja_celery(settings):
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url:
        if os.environ.get("SIMPATIK_REQUIRE_CELERY", "").lower() in ("1", "true", "yes"):
            pytest.fail("SIMPATIK_REQUIRE_CELERY=1 but CELERY_BROKER_URL is not set")
        pytest.skip("needs CELERY_BROKER_URL (a Redis broker) to start a real Celery worker")
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can share: run on PostgreSQL")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": url,
        "NOTIFIKASI_BACKEND": "console",
    }
    proses = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
        cwd=BASIS, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        with broker(url, settings):
            yield proses
    finally:
        proses.terminate()
        try:
            proses.wait(20)
        except subprocess.TimeoutExpired:
            proses.kill()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_pekerja_celery_sungguhan_mengirim_setelah_commit(pekerja_celery):
    with transaction.atomic():
        pesan = [
            outbox_tulis(penerima=_nomor(i), templat="dibatalkan", variabel={"nomor": f"N{i}", "layanan": "SKD"})
            for i in range(3)
        ]
    batas = time.monotonic() + 60
    while time.monotonic() < batas:
        if Outbox.objects.filter(pk__in=[p.pk for p in pesan], status=Outbox.StatusPesan.TERKIRIM).count() == 3:
            break
        if pekerja_celery.poll() is not None:
            pytest.fail("worker exited:\n" + pekerja_celery.stdout.read())
        time.sleep(0.2)
    terkirim = Outbox.objects.filter(pk__in=[p.pk for p in pesan], status=Outbox.StatusPesan.TERKIRIM)
    if terkirim.count() != 3:
        pekerja_celery.terminate()
        pytest.fail("not delivered; worker log:\n" + pekerja_celery.communicate(timeout=20)[0][-5000:])
    assert all(p.provider_sid.startswith("KONSOL") and p.percobaan == 1 for p in terkirim)
