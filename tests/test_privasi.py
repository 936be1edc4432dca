"""UU 27/2022 (issue 19, items 2-5): the privacy notice and its recorded acceptance, retention, the
resident's access to their data and to who opened it, corrections at the desk, and the breach command."""

import datetime
import json
from io import StringIO

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from audit.selectors import rantai_verifikasi, semua_rantai
from layanan.models import Berkas, PermintaanKoreksi, Permohonan, PersetujuanPrivasi
from layanan.pdp.pemberitahuan import versi_berlaku
from layanan.permohonan import services
from notifikasi.models import KodeOTP, Outbox
from tests.factories import MEDONO, TIRTO, Dunia, buat_warga, token, unggahan

pytestmark = pytest.mark.django_db


@pytest.fixture
def dunia(db):
    return Dunia()


def klien(user=None) -> APIClient:
    c = APIClient()
    if user is not None:
        c.credentials(HTTP_AUTHORIZATION=f"Token {token(user)}")
    return c


def _isian(**lain):
    isian = {"layanan": "domisili", "kelurahan": MEDONO, "keperluan": "Melamar pekerjaan",
             "data": json.dumps({"lama_tinggal": 5, "status_rumah": "sewa"}), "nama": "Dewi Lestari",
             "alamat": "Jl. Sapuro 7", "berkas_pengantar_rt": unggahan(), "berkas_ktp": unggahan("ktp.pdf")}
    isian.update(lain)
    return isian


def _ajukan(dunia, warga=None, **lain):
    warga = warga or dunia.warga
    return services.permohonan_ajukan(
        pengaju=warga.user, layanan=dunia.domisili, kelurahan=lain.pop("kelurahan", MEDONO),
        keperluan="Melamar pekerjaan", data={"lama_tinggal": 5, "status_rumah": "sewa"},
        berkas={"pengantar_rt": unggahan(), "ktp": unggahan("ktp.pdf")},
        identitas={"nama": warga.nama, "alamat": warga.alamat}, **lain)


# --- 2. privacy notice -------------------------------------------------------------------------


def test_api_submission_refused_until_notice_accepted_then_recorded(dunia):
    baru = buat_warga(nik="3375015203950004", no_hp="+6281234567809", nama="Dewi Lestari", setuju_privasi=False)
    r = klien(baru.user).post("/api/v1/permohonan/", _isian(), format="multipart")
    assert r.status_code == 400
    assert "pemberitahuan privasi" in r.json()["setuju_privasi"][0]
    assert not Permohonan.objects.exists() and not PersetujuanPrivasi.objects.exists()
    r = klien(baru.user).post("/api/v1/permohonan/", _isian(setuju_privasi="true"), format="multipart",
                              HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 201, r.content
    c = PersetujuanPrivasi.objects.get(warga=baru)
    assert (c.versi, c.kanal) == (versi_berlaku(), "api")
    baru.refresh_from_db()
    assert baru.privasi_versi == versi_berlaku()
    assert AuditEvent.objects.filter(aksi="privasi_disetujui", objek_id=str(baru.pk), data__versi=c.versi).count() == 1
    # Accepted once: the next submission needs nothing, and records nothing new.
    assert klien(baru.user).post("/api/v1/permohonan/", _isian(), format="multipart").status_code == 201
    assert PersetujuanPrivasi.objects.filter(warga=baru).count() == 1


def test_english_error_and_notice(dunia):
    baru = buat_warga(nik="3375015203950004", no_hp="+6281234567809", setuju_privasi=False)
    r = klien(baru.user).post("/api/v1/permohonan/", _isian(), format="multipart", HTTP_ACCEPT_LANGUAGE="en")
    assert "privacy notice" in r.json()["setuju_privasi"][0]
    notice = APIClient().get("/api/v1/privasi/", HTTP_ACCEPT_LANGUAGE="en").json()
    judul = [b["judul"] for b in notice["bagian"]]
    assert "Legal basis" in judul and "How long it is kept" in judul
    assert notice["versi"] == versi_berlaku()
    teks = json.dumps(APIClient().get("/api/v1/privasi/").json(), ensure_ascii=False)
    assert "Pasal 20 ayat (2) huruf e" in teks and "privasi@pekalongankota.go.id" in teks


def test_changed_notice_asks_again(dunia, settings):
    assert klien(dunia.warga.user).post("/api/v1/permohonan/", _isian(), format="multipart").status_code == 201
    settings.RETENSI_OUTBOX_HARI = 30  # the notice states it: its text, hence its version, changes
    r = klien(dunia.warga.user).post("/api/v1/permohonan/", _isian(), format="multipart")
    assert r.status_code == 400 and "setuju_privasi" in r.json()


def test_web_form_shows_notice_and_checkbox_without_javascript(client, dunia):
    baru = buat_warga(nik="3375015203950004", no_hp="+6281234567809", setuju_privasi=False)
    client.force_login(baru.user)
    halaman = client.get("/layanan/domisili/ajukan/").content.decode()
    assert 'name="setuju_privasi"' in halaman and "Dasar hukum" in halaman and "<details open>" in halaman
    isian = {"diri-nama": "Dewi Lestari", "diri-alamat": "Jl. Sapuro 7", "kelurahan": MEDONO,
             "keperluan": "Melamar pekerjaan", "data_lama_tinggal": "5", "data_status_rumah": "sewa"}
    r = client.post("/layanan/domisili/ajukan/", {**isian, "berkas_pengantar_rt": unggahan(),
                                                  "berkas_ktp": unggahan("ktp.pdf")})
    assert r.status_code == 400 and "nyatakan setuju" in r.content.decode()
    assert not Permohonan.objects.exists()
    r = client.post("/layanan/domisili/ajukan/", {**isian, "setuju_privasi": "on", "berkas_pengantar_rt": unggahan(),
                                                  "berkas_ktp": unggahan("ktp.pdf")})
    assert r.status_code == 302
    assert PersetujuanPrivasi.objects.get(warga=baru).kanal == "web"
    assert 'name="setuju_privasi"' not in client.get("/layanan/domisili/ajukan/").content.decode()


def test_sign_in_shows_notice_and_may_record_acceptance(client, dunia):
    assert "pemberitahuan privasi" in client.get("/masuk/").content.decode()
    assert "Siapa yang melihat data Anda" in client.get("/privasi/").content.decode()
    baru = buat_warga(nik="3375015203950004", no_hp="+6281234567809", setuju_privasi=False)
    client.post("/masuk/", {"nik": baru.nik, "no_hp": "081234567809"})
    assert 'name="setuju_privasi"' in client.get("/masuk/kode/").content.decode()
    from audit.enkripsi import indeks_hp

    kode = Outbox.objects.filter(penerima_indeks=indeks_hp(baru.no_hp), templat="kode_otp").latest("dibuat").variabel["kode"]
    r = client.post("/masuk/kode/", {"kode": kode, "setuju_privasi": "on"})
    assert r.status_code == 302
    assert PersetujuanPrivasi.objects.get(warga=baru).kanal == "web"


def test_counter_needs_clerk_confirmation_for_new_resident(dunia):
    isian = _isian(nik="3375010202850004", no_hp="0812-3456-7899", nama="Joko Susilo", kelurahan=TIRTO)
    r = klien(dunia.petugas_tirto).post("/api/v1/permohonan/", isian, format="multipart")
    assert r.status_code == 400 and "setuju_privasi" in r.json()
    r = klien(dunia.petugas_tirto).post("/api/v1/permohonan/", _isian(
        nik="3375010202850004", no_hp="0812-3456-7899", nama="Joko Susilo", kelurahan=TIRTO, setuju_privasi="1"),
        format="multipart")
    assert r.status_code == 201, r.content
    c = PersetujuanPrivasi.objects.get()
    assert (c.kanal, c.petugas) == ("loket", dunia.petugas_tirto)


# --- 3. retention ---------------------------------------------------------------------------------


def _tutup(dunia, p, aksi, oleh):
    return services.permohonan_aksi(permohonan_id=p.pk, pengguna=oleh, aksi=aksi, catatan="Berkas tidak sesuai")


def test_retention_removes_expired_data_audited_and_chain_verifies(dunia):
    mulai = timezone.now()
    with time_machine.travel(mulai, tick=False):
        ditolak = _ajukan(dunia)
        _tutup(dunia, ditolak, "tolak", dunia.petugas_medono)
        dibatalkan = _ajukan(dunia)
        services.permohonan_aksi(permohonan_id=dibatalkan.pk, pengguna=dunia.warga.user, aksi="batalkan")
        terbuka = _ajukan(dunia)
        services.warga_minta_kode(nik=dunia.warga.nik, no_hp=dunia.warga.no_hp)
        sesi = SessionStore()
        sesi["x"] = 1
        sesi.set_expiry(60)
        sesi.create()
    nama_berkas = list(Berkas.objects.filter(permohonan=ditolak).values_list("berkas", flat=True))
    assert nama_berkas and all(default_storage.exists(n) for n in nama_berkas)
    # The rejected request's messages were delivered (status callbacks); the open one's still wait in the queue.
    assert Outbox.objects.filter(referensi=f"permohonan:{ditolak.pk}").exclude(isi="").update(status="sampai")

    # Before the periods end nothing goes.
    with time_machine.travel(mulai + datetime.timedelta(days=29), tick=False):
        call_command("terapkan_retensi", stdout=StringIO())
    assert KodeOTP.objects.exists() and Berkas.objects.filter(permohonan=ditolak).exists()

    with time_machine.travel(mulai + datetime.timedelta(days=400), tick=False):
        out = StringIO()
        call_command("terapkan_retensi", stdout=out)
    assert "permohonan_dianonimkan: 2" in out.getvalue()
    assert not KodeOTP.objects.exists()
    assert not Berkas.objects.filter(permohonan__in=[ditolak, dibatalkan]).exists()
    assert not any(default_storage.exists(n) for n in nama_berkas)
    ditolak = Permohonan.objects.get(pk=ditolak.pk)
    assert (ditolak.identitas, ditolak.data, ditolak.keperluan, ditolak.catatan_terakhir) == ({}, {}, "", "")
    assert ditolak.status == "ditolak" and ditolak.dianonimkan_pada is not None
    r = klien(dunia.petugas_medono).get(f"/api/v1/permohonan/{ditolak.pk}/")  # still readable, now empty
    assert r.status_code == 200 and r.json()["identitas"]["nik"] == "" and len(r.json()["riwayat"]) == 2
    # An open request keeps everything: its clock and its resident still need it.
    terbuka = Permohonan.objects.get(pk=terbuka.pk)
    assert terbuka.identitas["nama"] == "Siti Aminah" and terbuka.berkas.count() == 2
    from notifikasi.retensi import STATUS_AKHIR

    pesan = Outbox.objects.filter(referensi=f"permohonan:{ditolak.pk}", status__in=STATUS_AKHIR)
    assert pesan.exists() and all(o.dianonimkan and o.isi == "" and o.variabel == {"_dianonimkan": True}
                                  and dunia.warga.no_hp not in o.penerima and o.penerima_indeks == "" for o in pesan)
    antri = Outbox.objects.filter(referensi=f"permohonan:{terbuka.pk}", status="antri")
    assert antri.exists() and all(o.isi and not o.dianonimkan for o in antri)  # the relay still needs them
    assert not SessionStore().exists(sesi.session_key)
    e = AuditEvent.objects.filter(aksi="retensi").latest("waktu")
    assert e.rantai == "sistem" and e.data["jumlah"]["kode_otp"] == 1 and e.data["jumlah"]["berkas_ditolak"] == 4
    assert dunia.warga.nik not in json.dumps(e.data)
    for rantai in semua_rantai():
        assert rantai_verifikasi(rantai).utuh, rantai
    call_command("audit_verify", stdout=StringIO())  # links, Merkle heads, checkpoints and derived tables
    # Idempotent: a second run finds nothing.
    with time_machine.travel(mulai + datetime.timedelta(days=400), tick=False):
        out = StringIO()
        call_command("terapkan_retensi", stdout=out)
    assert "permohonan_dianonimkan: 0" in out.getvalue() and "pesan_dianonimkan: 0" in out.getvalue()


def test_retention_rule_off_at_zero_days(dunia, settings):
    settings.RETENSI_OTP_HARI = 0
    services.warga_minta_kode(nik=dunia.warga.nik, no_hp=dunia.warga.no_hp)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3650), tick=False):
        call_command("terapkan_retensi", stdout=StringIO())
    assert KodeOTP.objects.count() == 1


def test_beat_runs_retention_nightly(settings):
    from layanan.tasks import terapkan_retensi

    jadwal = settings.CELERY_BEAT_SCHEDULE["terapkan-retensi"]
    assert jadwal["task"] == terapkan_retensi.name
    assert jadwal["schedule"].hour == {2} and jadwal["schedule"].minute == {30}


# --- 4. data-subject rights -------------------------------------------------------------------------


def test_resident_sees_all_data_and_every_officer_access(client, dunia):
    p = _ajukan(dunia)
    services.warga_minta_kode(nik=dunia.warga.nik, no_hp=dunia.warga.no_hp)
    petugas = klien(dunia.petugas_medono)
    assert petugas.get(f"/api/v1/permohonan/{p.pk}/").status_code == 200
    assert petugas.post(f"/api/v1/permohonan/{p.pk}/data-pribadi/").status_code == 200
    berkas = p.berkas.first()
    assert petugas.get(f"/api/v1/permohonan/{p.pk}/berkas/{berkas.pk}/").status_code == 200
    dunia.petugas_medono.first_name = "Rahmat"
    dunia.petugas_medono.save()
    client.force_login(dunia.warga.user)
    assert "/permohonan-saya/data-saya/" in client.get("/permohonan-saya/").content.decode()
    html = client.get("/permohonan-saya/data-saya/").content.decode()
    for harus in (dunia.warga.nik, dunia.warga.no_hp, "Jl. Medono 5", p.nomor_registrasi, "pengantar.pdf",
                  "ktp.pdf", "Melamar pekerjaan", "menampilkan NIK dan nomor lengkap", "melihat permohonan",
                  "membuka berkas", "Rahmat (petugas_kelurahan)", "Permohonan Surat Keterangan Domisili"[:10]):
        assert harus in html, harus
    assert "Catatan kode masuk" in html and "tidak dipakai" in html
    # Another resident sees none of it.
    client.force_login(dunia.warga_lain.user)
    assert p.nomor_registrasi not in client.get("/permohonan-saya/data-saya/").content.decode()


def test_correction_accepted_at_desk_audited_and_told(client, dunia):
    p = _ajukan(dunia)
    client.force_login(dunia.warga.user)
    r = client.post("/permohonan-saya/data-saya/koreksi/", {"kelurahan": MEDONO, "nama": "Siti Aminah"})
    assert r.status_code == 400  # nothing differs from the record
    r = client.post("/permohonan-saya/data-saya/koreksi/", {"kelurahan": MEDONO, "alamat": "Jl. Medono 15",
                                                            "alasan": "salah ketik"})
    assert r.status_code == 302
    k = PermintaanKoreksi.objects.get()
    assert k.perubahan == {"alamat": "Jl. Medono 15"}
    assert klien(dunia.petugas_tirto)  # scope: another kelurahan's officer does not find it
    client.force_login(dunia.petugas_tirto)
    assert client.post(f"/petugas/koreksi/{k.pk}/terima/").status_code == 404
    client.force_login(dunia.lurah_medono)
    assert client.post(f"/petugas/koreksi/{k.pk}/terima/").status_code == 403
    client.force_login(dunia.petugas_medono)
    assert "Jl. Medono 15" in client.get("/petugas/koreksi/").content.decode()
    assert client.post(f"/petugas/koreksi/{k.pk}/terima/").status_code == 302
    dunia.warga.refresh_from_db()
    p = Permohonan.objects.get(pk=p.pk)
    assert dunia.warga.alamat == "Jl. Medono 15" and p.identitas["alamat"] == "Jl. Medono 15"
    e = AuditEvent.objects.get(aksi="koreksi_diterima")
    assert (e.aktor, e.data["kolom"]) == ("petugas.medono", ["alamat"]) and "Medono 15" not in json.dumps(e.data)
    o = Outbox.objects.get(templat="koreksi_diterima")
    assert o.penerima == dunia.warga.no_hp and "alamat" in o.isi
    assert client.post(f"/petugas/koreksi/{k.pk}/tolak/", {"catatan": "x"}).status_code == 409


def test_correction_rejected_needs_reason(client, dunia):
    from layanan.pdp.services import koreksi_ajukan

    _ajukan(dunia)
    k = koreksi_ajukan(warga=dunia.warga, kelurahan=MEDONO, perubahan={"nama": "Siti Aminah Putri"})
    client.force_login(dunia.petugas_medono)
    assert client.post(f"/petugas/koreksi/{k.pk}/tolak/").status_code == 400
    assert client.post(f"/petugas/koreksi/{k.pk}/tolak/", {"catatan": "Tidak sesuai KTP-el"}).status_code == 302
    dunia.warga.refresh_from_db()
    assert dunia.warga.nama == "Siti Aminah"
    assert "Tidak sesuai KTP-el" in Outbox.objects.get(templat="koreksi_ditolak").isi
    assert AuditEvent.objects.filter(aksi="koreksi_ditolak", objek_id=str(dunia.warga.pk)).count() == 1
    client.force_login(dunia.warga.user)
    assert "Tidak sesuai KTP-el" in client.get("/permohonan-saya/data-saya/").content.decode()


# --- 5. breach readiness ----------------------------------------------------------------------------


def test_akses_akun_lists_what_one_account_read_in_a_period(dunia):
    kemarin = timezone.now() - datetime.timedelta(days=1)
    p1 = _ajukan(dunia)
    p2 = _ajukan(dunia, warga=dunia.warga_lain)
    with time_machine.travel(kemarin - datetime.timedelta(days=10)):
        klien(dunia.petugas_medono).get(f"/api/v1/permohonan/{p2.pk}/")  # outside the period
    klien(dunia.petugas_medono).get(f"/api/v1/permohonan/{p1.pk}/")
    klien(dunia.petugas_medono).post(f"/api/v1/permohonan/{p1.pk}/data-pribadi/")
    klien(dunia.lurah_medono).get(f"/api/v1/permohonan/{p2.pk}/")  # someone else
    klien(dunia.inspektorat).get("/api/v1/pengaduan/?ekspor=csv")
    dari = timezone.localdate(kemarin).isoformat()
    sampai = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    out = StringIO()
    call_command("akses_akun", "petugas.medono", "--dari", dari, "--sampai", sampai, "--json", stdout=out)
    hasil = json.loads(out.getvalue())
    assert [k["aksi"] for k in hasil["kejadian"]] == ["lihat_permohonan", "buka_data_pribadi"]
    assert hasil["permohonan"] == [p1.nomor_registrasi]
    assert hasil["lingkup_kantor"] == [MEDONO] and hasil["lingkup_permohonan"] == 2
    out = StringIO()
    call_command("akses_akun", "inspektorat", "--dari", dari, "--sampai", sampai, stdout=out)
    assert "ekspor" in out.getvalue() and "pengaduan" in out.getvalue()
    with pytest.raises(Exception, match="tidak ada"):
        call_command("akses_akun", "siapa", "--dari", dari, "--sampai", sampai)
