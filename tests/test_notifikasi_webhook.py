"""Twilio webhooks: signatures, delivery status in any order, inbound BERHENTI/MULAI."""

import logging

import pytest
import responses
from twilio.request_validator import RequestValidator

from audit.enkripsi import indeks_hp
from audit.models import AuditEvent
from audit.selectors import rantai_verifikasi
from notifikasi.models import Berhenti, Outbox, SesiWhatsApp, TemplatPesan
from notifikasi.services import dalam_jendela_sesi, outbox_tulis
from tests.notifikasi_bantu import HP, TOKEN, URL_PESAN, form, jawaban_pesan

pytestmark = pytest.mark.django_db
BASIS = "https://simpatik.example.id"
VARIABEL = {"nomor": "PB7K-Q2XM", "layanan": "Surat Keterangan Domisili", "tautan": "https://x/l"}


def kirim_webhook(client, jalur, data, *, token=TOKEN, tanda=None):
    url = BASIS + jalur
    if tanda is None:
        tanda = RequestValidator(token).compute_signature(url, data)
    return client.post(jalur, data, HTTP_X_TWILIO_SIGNATURE=tanda)


def status(client, pesan, status_twilio, **lain):
    data = {"MessageSid": pesan.provider_sid, "MessageStatus": status_twilio, "To": f"whatsapp:{pesan.penerima}", **lain}
    return kirim_webhook(client, f"/notifikasi/twilio/status/?pesan={pesan.pk}", data)


@pytest.fixture
def terkirim(twilio, django_capture_on_commit_callbacks):
    """A WhatsApp message already accepted by Twilio."""
    TemplatPesan.objects.filter(kode="permohonan_diterima").update(content_sid="HX" + "b" * 32)
    twilio.add(responses.CallbackResponse(responses.POST, URL_PESAN, callback=lambda r: jawaban_pesan()))
    with django_capture_on_commit_callbacks(execute=True):
        pesan = outbox_tulis(penerima=HP, templat="permohonan_diterima", variabel=VARIABEL)
    pesan.refresh_from_db()
    assert pesan.status == Outbox.StatusPesan.TERKIRIM
    return pesan


def test_tanda_tangan_sah_diterima(client, terkirim):
    assert status(client, terkirim, "delivered").status_code == 200
    terkirim.refresh_from_db()
    assert terkirim.status == Outbox.StatusPesan.SAMPAI and terkirim.status_penyedia == "delivered"


@pytest.mark.parametrize("kasus", ["tanpa", "token_lain", "data_diubah"])
def test_tanda_tangan_tidak_sah_403(client, terkirim, kasus):
    jalur = f"/notifikasi/twilio/status/?pesan={terkirim.pk}"
    data = {"MessageSid": terkirim.provider_sid, "MessageStatus": "read"}
    if kasus == "tanpa":
        jawaban = client.post(jalur, data)
    elif kasus == "token_lain":
        jawaban = kirim_webhook(client, jalur, data, token="token-orang-lain")
    else:
        tanda = RequestValidator(TOKEN).compute_signature(BASIS + jalur, {**data, "MessageStatus": "sent"})
        jawaban = kirim_webhook(client, jalur, data, tanda=tanda)
    assert jawaban.status_code == 403
    terkirim.refresh_from_db()
    assert terkirim.status == Outbox.StatusPesan.TERKIRIM


def test_tanda_tangan_dicek_terhadap_url_publik(client, terkirim, settings):
    # Signed for another host: what Twilio would sign if PUBLIC_BASE_URL were wrong.
    jalur = "/notifikasi/twilio/status/"
    data = {"MessageSid": terkirim.provider_sid, "MessageStatus": "read"}
    tanda = RequestValidator(TOKEN).compute_signature("http://testserver" + jalur, data)
    assert kirim_webhook(client, jalur, data, tanda=tanda).status_code == 403


def test_status_hanya_maju_walau_urutan_acak(client, terkirim):
    for status_twilio, harapan in [
        ("delivered", Outbox.StatusPesan.SAMPAI),
        ("sent", Outbox.StatusPesan.SAMPAI),
        ("read", Outbox.StatusPesan.DIBACA),
        ("delivered", Outbox.StatusPesan.DIBACA),
        ("failed", Outbox.StatusPesan.DIBACA),
    ]:
        assert status(client, terkirim, status_twilio).status_code == 200
        terkirim.refresh_from_db()
        assert terkirim.status == harapan, status_twilio
    assert not terkirim.cadangan.exists()


def test_undelivered_final_dan_beralih_ke_sms(client, terkirim, twilio, django_capture_on_commit_callbacks):
    twilio.calls.reset()
    with django_capture_on_commit_callbacks(execute=True):
        assert status(client, terkirim, "undelivered", ErrorCode="63024").status_code == 200
    assert status(client, terkirim, "delivered").status_code == 200
    terkirim.refresh_from_db()
    assert terkirim.status == Outbox.StatusPesan.GAGAL and terkirim.kode_galat == "63024"
    sms = terkirim.cadangan.get()
    assert sms.kanal == Outbox.Kanal.SMS and sms.isi == terkirim.isi
    # The fallback is written in the callback's transaction and relayed after commit.
    assert [form(c)["To"] for c in twilio.calls] == [HP]
    assert status(client, terkirim, "failed").status_code == 200
    assert terkirim.cadangan.count() == 1


def test_sid_tak_dikenal_dicatat_dan_200(client, caplog, twilio):
    caplog.set_level(logging.WARNING, logger="notifikasi")
    data = {"MessageSid": "SM" + "9" * 32, "MessageStatus": "delivered"}
    jawaban = kirim_webhook(client, "/notifikasi/twilio/status/", data)
    assert jawaban.status_code == 200
    assert "SM" + "9" * 32 in caplog.text


def test_callback_mengadopsi_sid_yang_tidak_sempat_disimpan(client, twilio):
    pesan = Outbox.objects.create(
        penerima=HP, templat="permohonan_diterima", isi="x", status=Outbox.StatusPesan.MENGIRIM
    )
    pesan.provider_sid = "SM" + "7" * 32
    assert status(client, pesan, "sent").status_code == 200
    pesan.refresh_from_db()
    assert pesan.status == Outbox.StatusPesan.TERKIRIM and pesan.provider_sid == "SM" + "7" * 32


def test_tanpa_auth_token_semua_webhook_ditolak(client, settings):
    settings.TWILIO_AUTH_TOKEN = ""
    data = {"From": f"whatsapp:{HP}", "Body": "STOP"}
    tanda = RequestValidator("").compute_signature(BASIS + "/notifikasi/twilio/masuk/", data)
    assert client.post("/notifikasi/twilio/masuk/", data, HTTP_X_TWILIO_SIGNATURE=tanda).status_code == 403
    assert not Berhenti.objects.exists()


def test_berhenti_setelah_pesan_ditulis_tetap_dihormati(client, twilio, django_capture_on_commit_callbacks):
    """The relay asks the opt-out registry right before sending: a message written before the resident replied
    BERHENTI, and not yet sent, is kept `dilewati` and never reaches Twilio."""
    from notifikasi.relay import outbox_kirim

    with django_capture_on_commit_callbacks(execute=False):  # written; its relay has not run yet
        pesan = outbox_tulis(penerima=HP, templat="permohonan_diterima", variabel=VARIABEL)
    pesan.refresh_from_db()
    assert pesan.status == Outbox.StatusPesan.ANTRI
    kirim_webhook(client, "/notifikasi/twilio/masuk/", {"From": f"whatsapp:{HP}", "Body": "BERHENTI"})
    assert outbox_kirim(outbox_id=pesan.pk) is False
    pesan.refresh_from_db()
    assert pesan.status == Outbox.StatusPesan.DILEWATI and len(twilio.calls) == 0
    assert pesan.kode_galat == "berhenti"  # the admin shows why it was not sent


def test_berhenti_dan_mulai_lagi_diaudit(client, twilio, django_capture_on_commit_callbacks):
    jawaban = kirim_webhook(client, "/notifikasi/twilio/masuk/", {"From": f"whatsapp:{HP}", "Body": " berhenti "})
    assert jawaban.status_code == 200 and b"MULAI" in jawaban.content and jawaban["Content-Type"] == "application/xml"
    assert Berhenti.objects.filter(kunci_hp=indeks_hp(HP)).exists()
    assert dalam_jendela_sesi(no_hp=HP)

    twilio.add(responses.CallbackResponse(responses.POST, URL_PESAN, callback=lambda r: jawaban_pesan()))
    with django_capture_on_commit_callbacks(execute=True):
        dilewati = outbox_tulis(penerima="081234567890", templat="permohonan_diterima", variabel=VARIABEL)
        otp = outbox_tulis(penerima=HP, templat="kode_otp", variabel={"kode": "123456", "menit": 5})
    dilewati.refresh_from_db()
    otp.refresh_from_db()
    assert dilewati.status == Outbox.StatusPesan.DILEWATI
    assert otp.status == Outbox.StatusPesan.TERKIRIM  # asked for by the resident right now
    assert len(twilio.calls) == 1

    kirim_webhook(client, "/notifikasi/twilio/masuk/", {"From": f"whatsapp:{HP}", "Body": "STOP"})
    jawaban = kirim_webhook(client, "/notifikasi/twilio/masuk/", {"From": f"whatsapp:{HP}", "Body": "Mulai"})
    assert b"aktif kembali" in jawaban.content
    assert not Berhenti.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        lagi = outbox_tulis(penerima=HP, templat="permohonan_diterima", variabel=VARIABEL)
    lagi.refresh_from_db()
    assert lagi.status == Outbox.StatusPesan.TERKIRIM

    events = list(AuditEvent.objects.filter(rantai="sistem", kategori="notifikasi").order_by("urutan"))
    assert [(e.aksi, e.objek_id) for e in events] == [("berhenti_berlangganan", indeks_hp(HP)[:16]),
                                                     ("mulai_berlangganan", indeks_hp(HP)[:16])]
    assert rantai_verifikasi("sistem").utuh


def test_pesan_masuk_biasa_membuka_jendela_tanpa_balasan(client, twilio):
    jawaban = kirim_webhook(client, "/notifikasi/twilio/masuk/", {"From": f"whatsapp:{HP}", "Body": "halo, kapan selesai?"})
    assert jawaban.status_code == 200 and b"<Message>" not in jawaban.content
    assert SesiWhatsApp.objects.filter(kunci_hp=indeks_hp(HP)).exists() and not Berhenti.objects.exists()
