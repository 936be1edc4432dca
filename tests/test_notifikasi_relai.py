"""The relay under real commits: broker down, two relays at once (PostgreSQL), a real Celery worker."""

import threading
import time

import pytest
import responses
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from notifikasi.models import Outbox, TemplatPesan
from notifikasi.relay import outbox_kirim, outbox_kirim_antrean, outbox_kirim_tertinggal
from notifikasi.services import outbox_tulis
from notifikasi.tasks import kirim_outbox_tertinggal
from tests.notifikasi_bantu import (
    URL_PESAN,
    broker,
    form,
    jalankan_pekerja_celery,
    jawaban_pesan,
)


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
    mulai = threading.Barrier(6)

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
        # Two relays woken after commits (serah.ketuk) at the same moment.
        threading.Thread(target=jalankan, args=(outbox_kirim_antrean,)),
        threading.Thread(target=jalankan, args=(outbox_kirim_antrean,)),
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
    yield from jalankan_pekerja_celery(settings, NOTIFIKASI_BACKEND="console")


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
