"""Outbox, relay and Twilio transports, with Twilio faked at the HTTP boundary."""

import json
import logging
from datetime import timedelta

import pytest
import requests
import responses
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from audit.enkripsi import indeks_hp
from notifikasi.models import Outbox, SesiWhatsApp, TemplatPesan
from notifikasi.relay import batas_macet, laju_giliran, outbox_kirim_tertinggal
from notifikasi.services import outbox_tulis
from tests.notifikasi_bantu import (
    HP,
    URL_PESAN,
    daftar_pesan,
    form,
    jawaban_galat,
    jawaban_pesan,
)

pytestmark = pytest.mark.django_db
VARIABEL = {"nomor": "PB7K-Q2XM", "layanan": "Surat Keterangan Domisili", "tautan": "https://simpatik.example.id/lacak/PB7K-Q2XM"}


def tulis(capture, templat="permohonan_diterima", variabel=None, **kolom):
    """outbox_tulis inside a committed-looking transaction: the after-commit relay runs."""
    with capture(execute=True):
        return outbox_tulis(penerima=kolom.pop("penerima", "0812-3456-7890"), templat=templat,
                            variabel=variabel or VARIABEL, **kolom)


def muat(pesan):
    pesan.refresh_from_db()
    return pesan


def beri_content_sid(kode="permohonan_diterima", sid="HX" + "b" * 32):
    TemplatPesan.objects.filter(kode=kode).update(content_sid=sid)
    return sid


# --- the outbox itself -------------------------------------------------------------------------------


def test_templat_awal_ada_dan_menyebut_gratis():
    kode = set(TemplatPesan.objects.values_list("kode", flat=True))
    assert {"permohonan_diterima", "perlu_perbaikan", "diteruskan_kecamatan", "selesai", "ditolak", "dibatalkan",
            "survei_undangan", "kode_otp", "digest_harian"} <= kode
    for templat in TemplatPesan.objects.filter(kode__in=["permohonan_diterima", "selesai", "survei_undangan"]):
        assert "tidak dipungut biaya" in templat.isi


def test_konsol_mencatat_pesan_dengan_nomor_disamarkan(django_capture_on_commit_callbacks, caplog):
    caplog.set_level(logging.INFO, logger="notifikasi.console")
    pesan = muat(tulis(django_capture_on_commit_callbacks))
    assert pesan.penerima == HP
    assert pesan.status == Outbox.StatusPesan.TERKIRIM and pesan.provider_sid.startswith("KONSOL")
    assert "PB7K-Q2XM" in caplog.text and "+62812*****890" in caplog.text and HP not in caplog.text


def test_transaksi_yang_dibatalkan_tidak_meninggalkan_pesan(twilio, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                outbox_tulis(penerima=HP, templat="permohonan_diterima", variabel=VARIABEL)
                raise RuntimeError("transisi gagal")
    assert callbacks == []
    assert Outbox.objects.count() == 0
    assert len(twilio.calls) == 0


def test_nomor_tidak_valid_dicatat_gagal_tanpa_membatalkan_transaksi_pemanggil(
    twilio, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pesan = outbox_tulis(penerima="0285-421234", templat="permohonan_diterima", variabel=VARIABEL)
    assert callbacks == []
    pesan = muat(pesan)
    assert pesan.status == Outbox.StatusPesan.GAGAL and pesan.kode_galat == "nomor_tidak_valid"
    outbox_kirim_tertinggal()
    assert len(twilio.calls) == 0


# --- Twilio request fields -------------------------------------------------------------------------


def test_whatsapp_templat_konten_mengirim_kolom_yang_tepat(twilio, django_capture_on_commit_callbacks):
    content_sid = beri_content_sid()
    twilio.add(responses_post(jawaban_pesan(sid="SM" + "1" * 32)))
    pesan = muat(tulis(django_capture_on_commit_callbacks))
    assert len(twilio.calls) == 1
    assert form(twilio.calls[0]) == {
        "To": "whatsapp:+6281234567890",
        "From": "whatsapp:+14155238886",
        "ContentSid": content_sid,
        "ContentVariables": json.dumps(
            {"1": "PB7K-Q2XM", "2": "Surat Keterangan Domisili", "3": "https://simpatik.example.id/lacak/PB7K-Q2XM"}
        ),
        "StatusCallback": f"https://simpatik.example.id/notifikasi/twilio/status/?pesan={pesan.pk}",
    }
    assert pesan.status == Outbox.StatusPesan.TERKIRIM
    assert pesan.provider_sid == "SM" + "1" * 32 and pesan.percobaan == 1 and pesan.dikirim_pada is not None


def responses_post(jawaban, url=URL_PESAN):
    """A POST responder answering (status, headers, body)."""
    return responses.CallbackResponse(responses.POST, url, callback=lambda request: jawaban)


def test_messaging_service_dan_base_url_sendiri(twilio, settings, django_capture_on_commit_callbacks):
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "c" * 32
    settings.TWILIO_API_BASE_URL = "http://twilio-tiruan.test:8080/"
    beri_content_sid()
    url = URL_PESAN.replace("https://api.twilio.com", "http://twilio-tiruan.test:8080")
    twilio.add(responses_post(jawaban_pesan(), url=url))
    tulis(django_capture_on_commit_callbacks)
    assert twilio.calls[0].request.url == url
    kolom = form(twilio.calls[0])
    assert kolom["MessagingServiceSid"] == "MG" + "c" * 32 and "From" not in kolom


def test_body_hanya_di_dalam_jendela_24_jam(twilio, django_capture_on_commit_callbacks):
    twilio.add(responses_post(jawaban_pesan()))
    SesiWhatsApp.objects.create(kunci_hp=indeks_hp(HP), terakhir_masuk=timezone.now() - timedelta(hours=2))
    pesan = muat(tulis(django_capture_on_commit_callbacks))
    kolom = form(twilio.calls[0])
    assert kolom["Body"] == pesan.isi and "ContentSid" not in kolom
    assert pesan.status == Outbox.StatusPesan.TERKIRIM


def test_di_luar_jendela_tanpa_content_sid_tidak_memanggil_twilio_dan_beralih_ke_sms(
    twilio, django_capture_on_commit_callbacks
):
    SesiWhatsApp.objects.create(kunci_hp=indeks_hp(HP), terakhir_masuk=timezone.now() - timedelta(hours=25))
    twilio.add(responses_post(jawaban_pesan()))
    pesan = muat(tulis(django_capture_on_commit_callbacks))
    assert pesan.status == Outbox.StatusPesan.GAGAL and pesan.kode_galat == "63016"
    sms = pesan.cadangan.get()
    assert sms.kanal == Outbox.Kanal.SMS and sms.isi == pesan.isi
    # The only request made is the SMS.
    assert len(twilio.calls) == 1
    assert form(twilio.calls[0]) == {
        "To": HP, "From": "+14155550100", "Body": pesan.isi,
        "StatusCallback": f"https://simpatik.example.id/notifikasi/twilio/status/?pesan={sms.pk}",
    }
    assert muat(sms).status == Outbox.StatusPesan.TERKIRIM


def test_sandbox_boleh_body_tanpa_templat(twilio, settings, django_capture_on_commit_callbacks):
    settings.TWILIO_SANDBOX = True
    twilio.add(responses_post(jawaban_pesan()))
    pesan = muat(tulis(django_capture_on_commit_callbacks))
    assert form(twilio.calls[0])["Body"] == pesan.isi


# --- retries and permanent errors --------------------------------------------------------------------


def test_ulang_pada_503_dan_429_dengan_backoff(twilio, settings, django_capture_on_commit_callbacks):
    beri_content_sid()
    jawaban = iter([jawaban_galat(503, 20503), jawaban_galat(429, 20429, "Too Many Requests"), jawaban_pesan()])
    twilio.add(responses.CallbackResponse(responses.POST, URL_PESAN, callback=lambda r: next(jawaban)))
    with time_machine.travel(timezone.now(), tick=False) as mesin:
        mulai = timezone.now()
        pesan = muat(tulis(django_capture_on_commit_callbacks))
        assert pesan.status == Outbox.StatusPesan.ANTRI and pesan.kode_galat == "20503" and pesan.percobaan == 1
        assert not pesan.periksa_dulu  # Twilio refused it: no lookup needed before the retry
        jeda1 = (pesan.coba_lagi_pada - mulai).total_seconds()
        assert 15 <= jeda1 <= 45  # 30 s +- 50 % jitter

        outbox_kirim_tertinggal()  # not due yet: nothing is sent
        assert len(twilio.calls) == 1

        mesin.shift(timedelta(seconds=jeda1 + 1))
        outbox_kirim_tertinggal()
        pesan = muat(pesan)
        assert pesan.status == Outbox.StatusPesan.ANTRI and pesan.kode_galat == "20429" and pesan.percobaan == 2
        jeda2 = (pesan.coba_lagi_pada - timezone.now()).total_seconds()
        assert 30 <= jeda2 <= 90  # doubled

        mesin.shift(timedelta(seconds=jeda2 + 1))
        outbox_kirim_tertinggal()
    pesan = muat(pesan)
    assert len(twilio.calls) == 3
    assert pesan.status == Outbox.StatusPesan.TERKIRIM and pesan.percobaan == 3 and pesan.kode_galat == ""


def test_galat_jaringan_diulang(twilio, django_capture_on_commit_callbacks):
    beri_content_sid()
    twilio.add(responses.POST, URL_PESAN, body=requests.exceptions.ConnectionError("koneksi ditolak"))
    pesan = muat(tulis(django_capture_on_commit_callbacks))
    assert pesan.status == Outbox.StatusPesan.ANTRI and pesan.kode_galat == "jaringan"
    assert pesan.coba_lagi_pada > timezone.now()


def test_setelah_percobaan_terakhir_gagal(twilio, settings, django_capture_on_commit_callbacks):
    settings.NOTIFIKASI_MAX_ATTEMPTS = 2
    beri_content_sid()
    twilio.add(responses_post(jawaban_galat(503, 20503)))
    with time_machine.travel(timezone.now(), tick=False) as mesin:
        pesan = tulis(django_capture_on_commit_callbacks)
        mesin.shift(timedelta(minutes=5))
        outbox_kirim_tertinggal()
        mesin.shift(timedelta(hours=2))
        outbox_kirim_tertinggal()
    pesan = muat(pesan)
    assert len(twilio.calls) == 2
    assert pesan.status == Outbox.StatusPesan.GAGAL and pesan.percobaan == 2


def test_galat_4xx_permanen_tidak_diulang(twilio, django_capture_on_commit_callbacks):
    beri_content_sid()
    twilio.add(responses_post(jawaban_galat(400, 21211, "Invalid 'To' Phone Number")))
    with time_machine.travel(timezone.now(), tick=False) as mesin:
        pesan = tulis(django_capture_on_commit_callbacks)
        mesin.shift(timedelta(days=1))
        outbox_kirim_tertinggal()
    pesan = muat(pesan)
    assert len(twilio.calls) == 1
    assert pesan.status == Outbox.StatusPesan.GAGAL and pesan.kode_galat == "21211"
    assert not pesan.cadangan.exists()  # 21211 is not a "not on WhatsApp" error


def test_bukan_pengguna_whatsapp_beralih_ke_sms(twilio, django_capture_on_commit_callbacks):
    beri_content_sid()
    jawaban = iter([jawaban_galat(400, 63003, "Channel could not find To address"), jawaban_pesan()])
    twilio.add(responses.CallbackResponse(responses.POST, URL_PESAN, callback=lambda r: next(jawaban)))
    pesan = muat(tulis(django_capture_on_commit_callbacks))
    assert pesan.status == Outbox.StatusPesan.GAGAL and pesan.kode_galat == "63003"
    sms = pesan.cadangan.get()
    assert form(twilio.calls[1])["To"] == HP and form(twilio.calls[1])["Body"] == pesan.isi
    assert muat(sms).status == Outbox.StatusPesan.TERKIRIM


def test_templat_tanpa_sms_cadangan_tidak_beralih(twilio, django_capture_on_commit_callbacks):
    beri_content_sid("dibatalkan")
    twilio.add(responses_post(jawaban_galat(400, 63003)))
    pesan = muat(tulis(django_capture_on_commit_callbacks, templat="dibatalkan", variabel={"nomor": "X", "layanan": "Y"}))
    assert pesan.status == Outbox.StatusPesan.GAGAL and not pesan.cadangan.exists()


def test_batas_laju_per_pengirim(settings):
    settings.NOTIFIKASI_RATE_PER_SECOND = 3
    with time_machine.travel(1_800_000_000.25, tick=False) as mesin:
        assert [laju_giliran("whatsapp:+1") for _ in range(3)] == [0, 0, 0]
        assert laju_giliran("whatsapp:+1") == pytest.approx(0.75)
        assert laju_giliran("whatsapp:+2") == 0  # another sender has its own allowance
        mesin.shift(0.8)
        assert laju_giliran("whatsapp:+1") == 0


# --- crash between sending and saving ---------------------------------------------------------------


class WorkerDibunuh(BaseException):
    """Stands for SIGKILL: nothing of ours catches it, the row stays as the crash left it."""


def _kirim_lalu_mati(twilio):
    def jawab(request):
        raise WorkerDibunuh()

    twilio.add(responses.CallbackResponse(responses.POST, URL_PESAN, callback=jawab))


def test_pesan_macet_diadopsi_dari_twilio_tanpa_kirim_ulang(twilio, settings, django_capture_on_commit_callbacks):
    beri_content_sid()
    with time_machine.travel(timezone.now(), tick=False) as mesin:
        _kirim_lalu_mati(twilio)
        with pytest.raises(WorkerDibunuh):
            tulis(django_capture_on_commit_callbacks)
        pesan = Outbox.objects.get()
        assert pesan.status == Outbox.StatusPesan.MENGIRIM and pesan.provider_sid == ""

        outbox_kirim_tertinggal()  # too early to decide: left alone
        assert muat(pesan).status == Outbox.StatusPesan.MENGIRIM

        twilio.replace(responses_post(jawaban_pesan()))
        twilio.get(URL_PESAN, json=daftar_pesan(("SM" + "d" * 32, "delivered", timezone.now(), pesan.isi)))
        mesin.shift(timedelta(seconds=batas_macet() + 1))
        hasil = outbox_kirim_tertinggal()
        assert hasil["macet"] == 1 and hasil["diadopsi"] == 1 and hasil["terkirim"] == 0
    pesan = muat(pesan)
    assert pesan.status == Outbox.StatusPesan.TERKIRIM and pesan.provider_sid == "SM" + "d" * 32
    assert [c.request.method for c in twilio.calls] == ["POST", "GET"]
    assert "To=whatsapp%3A%2B6281234567890" in twilio.calls[1].request.url


def test_pesan_macet_yang_tidak_ada_di_twilio_dikirim_sekali_lagi(twilio, settings, django_capture_on_commit_callbacks):
    beri_content_sid()
    with time_machine.travel(timezone.now(), tick=False) as mesin:
        _kirim_lalu_mati(twilio)
        with pytest.raises(WorkerDibunuh):
            tulis(django_capture_on_commit_callbacks)
        twilio.replace(responses_post(jawaban_pesan(sid="SM" + "e" * 32)))
        pesan = Outbox.objects.get()
        # An older message with the same text, from before this row existed, and a newer one with another
        # text (another row's message to the same number) are not this row's.
        twilio.get(URL_PESAN, json=daftar_pesan(
            ("SM" + "f" * 32, "read", timezone.now() - timedelta(hours=3), pesan.isi),
            ("SM" + "9" * 32, "sent", timezone.now(), "Undangan survei untuk PB7K-Q2XM"),
        ))
        mesin.shift(timedelta(seconds=batas_macet() + 1))
        hasil = outbox_kirim_tertinggal()
        assert hasil["macet"] == 1 and hasil["terkirim"] == 1
        outbox_kirim_tertinggal()
    pesan = Outbox.objects.get()
    assert pesan.status == Outbox.StatusPesan.TERKIRIM and pesan.provider_sid == "SM" + "e" * 32
    assert [c.request.method for c in twilio.calls] == ["POST", "GET", "POST"]


def test_pesan_macet_ganda_tanpa_isi_ditandai_tinjau(twilio, settings, django_capture_on_commit_callbacks):
    """Twilio kept no text (content retention off) and holds two candidates: no way to tell, no resend."""
    beri_content_sid()
    with time_machine.travel(timezone.now(), tick=False) as mesin:
        _kirim_lalu_mati(twilio)
        with pytest.raises(WorkerDibunuh):
            tulis(django_capture_on_commit_callbacks)
        twilio.get(URL_PESAN, json=daftar_pesan(("SM" + "1" * 32, "sent", timezone.now()), ("SM" + "2" * 32, "sent", timezone.now())))
        mesin.shift(timedelta(seconds=batas_macet() + 1))
        assert outbox_kirim_tertinggal()["tinjau"] == 1
    assert Outbox.objects.get().status == Outbox.StatusPesan.TINJAU
    assert len([c for c in twilio.calls if c.request.method == "POST"]) == 1


def test_batas_waktu_baca_tidak_dikirim_ulang_buta(twilio, django_capture_on_commit_callbacks):
    beri_content_sid()
    twilio.add(responses.POST, URL_PESAN, body=requests.exceptions.ReadTimeout("tidak ada jawaban"))
    with time_machine.travel(timezone.now(), tick=False) as mesin:
        pesan = muat(tulis(django_capture_on_commit_callbacks))
        assert pesan.status == Outbox.StatusPesan.ANTRI and pesan.kode_galat == "jaringan" and pesan.periksa_dulu
        outbox_kirim_tertinggal()  # not due yet
        assert len(twilio.calls) == 1
        twilio.get(URL_PESAN, json=daftar_pesan(("SM" + "3" * 32, "sent", timezone.now(), pesan.isi)))
        mesin.shift(timedelta(minutes=2))
        assert outbox_kirim_tertinggal()["diadopsi"] == 1
    assert [c.request.method for c in twilio.calls] == ["POST", "GET"]
    assert muat(pesan).provider_sid == "SM" + "3" * 32


# --- operator command ---------------------------------------------------------------------------------


def test_perintah_kirim_outbox_dengan_retry_failed(twilio, django_capture_on_commit_callbacks, capsys):
    beri_content_sid()
    twilio.add(responses_post(jawaban_galat(400, 21610, "unsubscribed recipient")))
    pesan = muat(tulis(django_capture_on_commit_callbacks))
    assert pesan.status == Outbox.StatusPesan.GAGAL
    call_command("kirim_outbox")
    assert len(twilio.calls) == 1
    twilio.replace(responses_post(jawaban_pesan()))
    twilio.get(URL_PESAN, json=daftar_pesan())
    call_command("kirim_outbox", "--retry-failed")
    assert "diantrikan ulang: 1" in capsys.readouterr().out
    # It had left for Twilio once: looked up there first, sent again only because Twilio has none.
    assert muat(pesan).status == Outbox.StatusPesan.TERKIRIM
    assert [c.request.method for c in twilio.calls] == ["POST", "GET", "POST"]


def test_variabel_konten_kosong_dikirim_sebagai_strip(twilio, django_capture_on_commit_callbacks):
    beri_content_sid("ditolak")
    twilio.add(responses_post(jawaban_pesan()))
    tulis(django_capture_on_commit_callbacks, templat="ditolak",
          variabel={"nomor": "PB7K-Q2XM", "layanan": "SKD", "alasan": "", "tautan_pengaduan": None})
    assert json.loads(form(twilio.calls[0])["ContentVariables"]) == {"1": "PB7K-Q2XM", "2": "SKD", "3": "-", "4": "-"}


# --- the wake-up: one broker publish per burst ---------------------------------------------------------


def _tugas_terbit():
    """The names of the Celery tasks run from here on (eager: each publish runs at once)."""
    from celery.signals import task_prerun

    nama = []

    def catat(sender=None, **_kw):
        nama.append(sender.name)

    task_prerun.connect(catat, weak=False)
    return nama, lambda: task_prerun.disconnect(catat)


def test_komit_yang_menemukan_tanda_bangun_tidak_menerbitkan_tugas(twilio, django_capture_on_commit_callbacks):
    """While a woken relay has not started, later commits publish nothing; that relay sends their rows, and
    once it has started the next commit wakes one of its own."""
    from django.core.cache import cache

    from notifikasi.serah import KUNCI_KETUK
    from notifikasi.tasks import kirim_antrean

    beri_content_sid()
    twilio.add(responses.CallbackResponse(responses.POST, URL_PESAN, callback=lambda r: jawaban_pesan()))
    cache.set(KUNCI_KETUK, 1, 10)  # as a commit leaves it when its task is queued and not yet started
    tugas, lepas = _tugas_terbit()
    try:
        pesan = [tulis(django_capture_on_commit_callbacks, penerima=f"0812-0000-{i:04d}") for i in range(3)]
        assert tugas == [] and {muat(p).status for p in pesan} == {Outbox.StatusPesan.ANTRI}
        kirim_antrean.apply()  # the queued task starts
        assert {muat(p).status for p in pesan} == {Outbox.StatusPesan.TERKIRIM}
        assert cache.get(KUNCI_KETUK) is None and len(twilio.calls) == 3
        baru = tulis(django_capture_on_commit_callbacks, penerima="0812-0000-0009")
        assert tugas == ["notifikasi.tasks.kirim_antrean"] * 2 and muat(baru).status == Outbox.StatusPesan.TERKIRIM
    finally:
        lepas()
        cache.delete(KUNCI_KETUK)


def test_cache_mati_tiap_komit_menerbitkan_tugasnya(redis_mati, django_capture_on_commit_callbacks):
    """Without the cache no commit can know a relay is already woken: each publishes, none is held back."""
    tugas, lepas = _tugas_terbit()
    try:
        pesan = [tulis(django_capture_on_commit_callbacks, penerima=f"0812-0000-{i:04d}") for i in range(3)]
    finally:
        lepas()
    assert tugas == ["notifikasi.tasks.kirim_antrean"] * 3
    assert {muat(p).status for p in pesan} == {Outbox.StatusPesan.TERKIRIM}


def test_relai_yang_dibangunkan_membangunkan_satu_lagi_bila_melewati_batas():
    """A burst larger than one relay's share wakes another relay for the rest."""
    from notifikasi.relay import outbox_kirim_antrean

    Outbox.objects.bulk_create(Outbox(penerima=f"+62812{i:08d}", templat="dibatalkan", isi="x") for i in range(5))
    tugas, lepas = _tugas_terbit()
    try:
        hasil = outbox_kirim_antrean(batas=3)
    finally:
        lepas()
    assert hasil == {"diambil": 3, "terkirim": 3}
    assert tugas == ["notifikasi.tasks.kirim_antrean"]  # it took the other two
    assert set(Outbox.objects.values_list("status", flat=True)) == {Outbox.StatusPesan.TERKIRIM}


# --- query budgets -------------------------------------------------------------------------------------


def test_anggaran_kueri_menulis_dan_mengirim(twilio, django_assert_max_num_queries, django_capture_on_commit_callbacks):
    beri_content_sid()
    twilio.add(responses_post(jawaban_pesan()))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with django_assert_max_num_queries(2):  # template, insert
            pesan = outbox_tulis(penerima=HP, templat="permohonan_diterima", variabel=VARIABEL)
    with django_assert_max_num_queries(8):  # select due, claim, read row, template, opt-out, 24-h window, save
        callbacks[0]()
    assert muat(pesan).status == Outbox.StatusPesan.TERKIRIM


def test_anggaran_kueri_penyapu_tidak_tumbuh_per_baris(django_assert_max_num_queries):
    Outbox.objects.bulk_create(Outbox(penerima=f"+62812{i:08d}", templat="dibatalkan", isi="x") for i in range(20))
    with django_assert_max_num_queries(4 + 6 * 20 + 4):  # select+claim, 6 per row, stuck rows, secrets
        assert outbox_kirim_tertinggal()["terkirim"] == 20


# --- admin -----------------------------------------------------------------------------------------------


def test_admin_outbox_filter_gagal_dan_nomor_disamarkan(admin_client):
    Outbox.objects.create(penerima=HP, templat="selesai", isi="x", status=Outbox.StatusPesan.GAGAL, kode_galat="63003")
    Outbox.objects.create(penerima="+6281299990000", templat="selesai", isi="y", status=Outbox.StatusPesan.TERKIRIM)
    jawaban = admin_client.get("/admin/notifikasi/outbox/", {"status__exact": "gagal"})
    assert jawaban.status_code == 200
    teks = jawaban.content.decode()
    assert "+62812*****890" in teks and HP not in teks and "63003" in teks
    assert "+62812*****000" not in teks
    assert "status__exact=terkirim" in teks and "kanal__exact=sms" in teks and "templat=selesai" in teks
    assert admin_client.get("/admin/notifikasi/templatpesan/").status_code == 200


def test_tanpa_kredensial_diulang_bukan_hilang(twilio, settings, django_capture_on_commit_callbacks):
    settings.TWILIO_ACCOUNT_SID = ""
    settings.TWILIO_AUTH_TOKEN = ""
    beri_content_sid()
    pesan = muat(tulis(django_capture_on_commit_callbacks))
    assert pesan.status == Outbox.StatusPesan.ANTRI and pesan.kode_galat == "konfigurasi"
    assert len(twilio.calls) == 0


def test_pesan_macet_terus_menerus_akhirnya_gagal(twilio, settings, django_capture_on_commit_callbacks):
    settings.NOTIFIKASI_MAX_ATTEMPTS = 1
    beri_content_sid()
    with time_machine.travel(timezone.now(), tick=False) as mesin:
        _kirim_lalu_mati(twilio)
        with pytest.raises(WorkerDibunuh):
            tulis(django_capture_on_commit_callbacks)
        twilio.get(URL_PESAN, json=daftar_pesan())
        mesin.shift(timedelta(seconds=batas_macet() + 1))
        assert outbox_kirim_tertinggal()["gagal"] == 1
    assert Outbox.objects.get().status == Outbox.StatusPesan.GAGAL
    assert len([c for c in twilio.calls if c.request.method == "POST"]) == 1


def test_templat_tanpa_baris_memakai_bawaan_dan_baris_nonaktif_mematikan_pesan(db):
    """A deleted template row never blocks a transition; an inactive row switches that message off."""
    from django.db import transaction

    from notifikasi.models import Outbox, TemplatPesan
    from notifikasi.services import outbox_tulis

    TemplatPesan.objects.filter(kode="dibatalkan").delete()
    with transaction.atomic():
        pesan = outbox_tulis(penerima="+6281234567801", templat="dibatalkan", variabel={"nomor": "AB2C-3DEF", "layanan": "SKTM"})
    assert pesan.status == Outbox.StatusPesan.ANTRI
    assert "AB2C-3DEF" in pesan.isi and "dibatalkan" in pesan.isi
    TemplatPesan.objects.create(kode="dibatalkan", nama="x", isi="Batal {{ nomor }}", aktif=False)
    with transaction.atomic():
        pesan = outbox_tulis(penerima="+6281234567801", templat="dibatalkan", variabel={"nomor": "AB2C-3DEF", "layanan": "SKTM"})
    assert pesan.status == Outbox.StatusPesan.DILEWATI
    assert pesan.isi == "Batal AB2C-3DEF"


# --- many at once (outbox_tulis_banyak, used by the SLA sweep) ---------------------------------------------


def test_tulis_banyak_satu_insert_aturan_sama_dan_diserahkan_ke_relai_per_potongan(
    django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    from celery.signals import task_prerun

    from notifikasi.models import Berhenti
    from notifikasi.services import POTONGAN_TUGAS, outbox_tulis_banyak

    Berhenti.objects.create(kunci_hp=indeks_hp("+6281200000001"), sejak=timezone.now())
    Berhenti.objects.create(kunci_hp=indeks_hp(HP), sejak=timezone.now())
    TemplatPesan.objects.filter(kode="dibatalkan").update(aktif=False)
    biasa = [{"penerima": f"0812-0000-{i:04d}", "templat": "permohonan_diterima", "variabel": VARIABEL,
              "referensi": f"permohonan:{i}"} for i in range(2, 2 + 2 * POTONGAN_TUGAS + 1)]
    # (45 rows: SQLite binds at most 999 parameters, i.e. 47 rows of the outbox's 21 columns, per INSERT)
    khusus = [
        {"penerima": "0812-0000-0001", "templat": "permohonan_diterima", "variabel": VARIABEL},  # BERHENTI
        {"penerima": HP, "templat": "kode_otp", "variabel": {"kode": "123456", "menit": 5}},  # asked for it: sent
        {"penerima": "0285-421234", "templat": "permohonan_diterima", "variabel": VARIABEL},  # a landline
        {"penerima": "0812-0000-9999", "templat": "dibatalkan", "variabel": VARIABEL},  # switched off
    ]
    tugas = []

    def hitung(sender=None, args=None, **_kw):
        tugas.append((sender.name, list(args[0]) if args else None))

    task_prerun.connect(hitung)
    try:
        # templates, one INSERT (the relay asks the opt-out registry)
        with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(2):
            pesan = outbox_tulis_banyak(pesan=biasa + khusus)
    finally:
        task_prerun.disconnect(hitung)
    ditulis_antri = [p.pk for p in pesan if p.status == Outbox.StatusPesan.ANTRI]
    status = {p.penerima: muat(p).status for p in pesan}
    assert [status[f"+62812{i:08d}"] for i in range(2, 2 + 2 * POTONGAN_TUGAS + 1)] == ["terkirim"] * (
        2 * POTONGAN_TUGAS + 1
    )
    assert status["+6281200000001"] == "dilewati" and status[HP] == "terkirim"
    assert status["0285-421234"] == "gagal" and Outbox.objects.get(penerima_indeks=indeks_hp("0285-421234")).kode_galat == "nomor_tidak_valid"
    assert status["+6281200009999"] == "dilewati"
    # The queued rows (the opted-out one too: the relay skipped it) went to the workers in three tasks of at
    # most POTONGAN_TUGAS ids, not one per row.
    assert len(ditulis_antri) == 2 * POTONGAN_TUGAS + 3
    assert [nama for nama, _ids in tugas] == ["notifikasi.tasks.kirim_pesan_banyak"] * 3
    assert [i for _nama, ids in tugas for i in ids] == ditulis_antri


def test_tulis_banyak_dibatalkan_bersama_transaksi_pemanggil(twilio, django_capture_on_commit_callbacks):
    from notifikasi.services import outbox_tulis_banyak

    semua = [{"penerima": HP, "templat": "permohonan_diterima", "variabel": VARIABEL}] * 3
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        outbox_tulis_banyak(pesan=semua)
        raise RuntimeError("sapu gagal")
    assert callbacks == [] and Outbox.objects.count() == 0 and len(twilio.calls) == 0
