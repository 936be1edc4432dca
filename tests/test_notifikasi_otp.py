"""Phone numbers and one-time sign-in codes."""

import logging
import re
import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connections
from django.utils import timezone

from notifikasi.models import KodeOTP, Outbox
from notifikasi.otp import OTPTerlaluSering, kunci_nik, otp_kirim, otp_periksa
from notifikasi.relay import outbox_kirim_tertinggal
from notifikasi.telepon import normalisasi_hp, samarkan_hp

NIK = "3375014708900001"


@pytest.mark.parametrize(
    "teks", ["081234567890", "0812-3456-7890", "6281234567890", "+62 812-3456-7890", "whatsapp:+6281234567890"]
)
def test_nomor_hp_ke_e164(teks):
    assert normalisasi_hp(teks) == "+6281234567890"


@pytest.mark.parametrize(
    "teks, pesan",
    [("", "wajib diisi"), ("abc", "tidak dapat dibaca"), ("081234", "tidak valid"),
     ("0285-421234", "bukan telepon rumah")],
)
def test_nomor_hp_salah_pesan_indonesia(teks, pesan):
    with pytest.raises(ValueError, match=pesan):
        normalisasi_hp(teks)


def test_samarkan_hp():
    assert samarkan_hp("+6281234567890") == "+62812*****890"


def test_kunci_nik_hmac_bukan_nik():
    kunci = kunci_nik(NIK)
    assert len(kunci) == 64 and NIK not in kunci and kunci == kunci_nik(NIK) != kunci_nik("3375014708900002")


def _kode_dari_log(caplog) -> str:
    return re.findall(r"Kode masuk Simpatik Anda: (\d{6})", caplog.text)[-1]


@pytest.mark.django_db
def test_otp_lewat_outbox_hanya_hash_disimpan(django_capture_on_commit_callbacks, caplog):
    caplog.set_level(logging.INFO, logger="notifikasi.console")
    kunci = kunci_nik(NIK)
    with django_capture_on_commit_callbacks(execute=True):
        otp = otp_kirim(kunci=kunci, no_hp="0812 3456 7890")
    kode = _kode_dari_log(caplog)
    assert otp.no_hp == "+6281234567890" and kode not in otp.kode_hash and len(otp.kode_hash) == 64
    pesan = Outbox.objects.get(templat="kode_otp")
    assert pesan.status == Outbox.StatusPesan.TERKIRIM and pesan.referensi == f"otp:{otp.pk}"
    assert otp_periksa(kunci=kunci, kode="000000" if kode != "000000" else "111111") is False
    assert otp_periksa(kunci=kunci, kode=kode) is True
    assert otp_periksa(kunci=kunci, kode=kode) is False  # single use


@pytest.mark.django_db
def test_otp_kedaluwarsa_dan_isinya_dihapus_dari_outbox(settings, django_capture_on_commit_callbacks, caplog):
    caplog.set_level(logging.INFO, logger="notifikasi.console")
    kunci = kunci_nik(NIK)
    with time_machine.travel(timezone.now(), tick=False) as mesin:
        with django_capture_on_commit_callbacks(execute=True):
            otp_kirim(kunci=kunci, no_hp="081234567890")
        kode = _kode_dari_log(caplog)
        pesan = Outbox.objects.get(templat="kode_otp")
        assert kode not in pesan.isi and pesan.variabel == {}  # blanked when handed over (test_kode_otp_*)
        mesin.shift(timedelta(seconds=settings.OTP_TTL_SECONDS + 1))
        assert otp_periksa(kunci=kunci, kode=kode) is False
        assert outbox_kirim_tertinggal()["rahasia_dihapus"] == 0  # nothing left to blank


@pytest.mark.django_db
def test_otp_percobaan_dibatasi(settings, django_capture_on_commit_callbacks, caplog):
    caplog.set_level(logging.INFO, logger="notifikasi.console")
    settings.OTP_MAX_ATTEMPTS = 3
    kunci = kunci_nik(NIK)
    with django_capture_on_commit_callbacks(execute=True):
        otp_kirim(kunci=kunci, no_hp="081234567890")
    kode = _kode_dari_log(caplog)
    salah = f"{(int(kode) + 1) % 1_000_000:06d}"
    assert [otp_periksa(kunci=kunci, kode=salah) for _ in range(3)] == [False, False, False]
    assert otp_periksa(kunci=kunci, kode=kode) is False  # burnt after three tries
    assert KodeOTP.objects.get().percobaan == 3


@pytest.mark.django_db
def test_otp_kirim_ulang_dibatasi(django_capture_on_commit_callbacks):
    kunci = kunci_nik(NIK)
    with time_machine.travel(timezone.now(), tick=False) as mesin:
        otp_kirim(kunci=kunci, no_hp="081234567890")
        with pytest.raises(OTPTerlaluSering) as galat:
            otp_kirim(kunci=kunci, no_hp="081234567890")
        assert 1 <= galat.value.tunggu_detik <= 61 and "detik" in str(galat.value)
        for _ in range(4):
            mesin.shift(timedelta(seconds=61))
            otp_kirim(kunci=kunci, no_hp="081234567890")
        mesin.shift(timedelta(seconds=61))
        with pytest.raises(OTPTerlaluSering, match="Terlalu banyak"):
            otp_kirim(kunci=kunci, no_hp="081234567890")
        assert otp_kirim(kunci=kunci_nik("3375014708900002"), no_hp="081234567891")  # other key unaffected
        with pytest.raises(OTPTerlaluSering):  # ... but not on the same number: the limit is per number too
            otp_kirim(kunci=kunci_nik("3375014708900003"), no_hp="081234567890")
        mesin.shift(timedelta(hours=1))
        otp_kirim(kunci=kunci, no_hp="081234567890")
    # Only the newest code of a key is valid.
    assert KodeOTP.objects.filter(kunci=kunci, dipakai=False).count() == 1


@pytest.mark.django_db
def test_otp_nomor_salah_tidak_menulis_apa_pun():
    with pytest.raises(ValueError):
        otp_kirim(kunci=kunci_nik(NIK), no_hp="12")
    assert not KodeOTP.objects.exists() and not Outbox.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_otp_dua_permintaan_bersamaan_hanya_satu_kode():
    kunci = kunci_nik(NIK)
    hasil, mulai = [], threading.Barrier(2)

    def minta():
        try:
            mulai.wait()
            otp_kirim(kunci=kunci, no_hp="081234567890")
            hasil.append("terkirim")
        except OTPTerlaluSering:
            hasil.append("ditolak")
        finally:
            connections.close_all()

    utas = [threading.Thread(target=minta) for _ in range(2)]
    for t in utas:
        t.start()
    for t in utas:
        t.join(60)
    assert sorted(hasil) == ["ditolak", "terkirim"]
    assert KodeOTP.objects.filter(kunci=kunci).count() == 1
    assert Outbox.objects.filter(templat="kode_otp").count() == 1
