"""Fault injection (issue 17): every outbox row reaches Twilio exactly once, whatever breaks on the way.

Twilio is a real HTTP server in the test (tests/twilio_tiruan.py) reached through
TWILIO_API_BASE_URL; status callbacks are off (nothing tells us a SID but the
answer or a lookup). Time is moved with time-machine and the sweep called
directly instead of waiting minutes. After recovery every row is counted at
the fake: one message each, none lost, none left in `tinjau` that a lookup
could settle.
"""

import shutil
import socket
import subprocess
import time
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.template import Context, Template
from django.utils import timezone
from rest_framework.test import APIClient
from twilio.request_validator import RequestValidator

from notifikasi import relay
from notifikasi.models import Outbox, TemplatPesan
from notifikasi.relay import batas_macet, outbox_kirim_tertinggal
from notifikasi.services import outbox_tulis, outbox_tulis_banyak
from tests import twilio_tiruan as tt
from tests.factories import MEDONO, Dunia, token, unggahan
from tests.notifikasi_bantu import atur_twilio, broker, jalankan_pekerja_celery

AKUN = "AC" + "f" * 32
TOKEN = "token-tiruan"
Status = Outbox.StatusPesan
BROKER_MATI = "redis://127.0.0.1:1/0"  # nothing listens there: every publish fails at once
TEMPLAT = ["permohonan_diterima", "status_diperbarui", "selesai", "survei_undangan"]


def variabel(i: int, templat: str) -> dict:
    nomor = f"PB{i:02d}-Q2XM"
    return {
        "permohonan_diterima": {"nomor": nomor, "layanan": "Surat Keterangan Domisili", "tautan": f"https://s.id/l/{nomor}"},
        "status_diperbarui": {"nomor": nomor, "layanan": "SKD", "status": "Diverifikasi", "tautan": f"https://s.id/l/{nomor}"},
        "selesai": {"nomor": nomor, "layanan": "SKD", "tautan_unduh": f"https://s.id/unduh/{nomor}"},
        "survei_undangan": {"nomor": nomor, "tautan_survei": f"https://s.id/survei/{nomor}"},
    }[templat]


@pytest.fixture
def tiruan(settings):
    """The fake Twilio, with every template approved (ContentSid) as docs/notifikasi.md tells the admin."""
    palsu = tt.TwilioTiruan(akun=AKUN, gantung_detik=2.5).mulai()
    atur_twilio(settings, akun=AKUN, token=TOKEN, api_base_url=palsu.url)
    settings.NOTIFIKASI_HTTP_TIMEOUT = 1  # the fake hangs 2.5 s: a read timeout
    for i, kode in enumerate(TEMPLAT):
        t = TemplatPesan.objects.get(kode=kode)
        t.content_sid = f"HX{i:032d}"
        t.save()
        # The text submitted for approval: the template with {{1}}, {{2}}... for its variables.
        penanda = {nama: f"{{{{{n}}}}}" for n, nama in enumerate(t.variabel_konten, 1)}
        palsu.konten[t.content_sid] = Template(t.isi).render(Context(penanda, autoescape=False)).strip()
    yield palsu
    palsu.berhenti()


def pulihkan(putaran: int = 8):
    """Give the system time to recover: move the clock past every backoff and the stuck limit, sweep."""
    with time_machine.travel(timezone.now(), tick=False) as mesin:
        for _ in range(putaran):
            mesin.shift(timedelta(seconds=max(batas_macet(), 120) + 1))
            outbox_kirim_tertinggal()
            if not Outbox.objects.filter(status__in=[Status.ANTRI, Status.MENGIRIM]).exists():
                return


def tiap_pesan_tepat_sekali(palsu: tt.TwilioTiruan, jumlah: int):
    baris = list(Outbox.objects.order_by("pk"))
    assert len(baris) == jumlah
    assert {b.status for b in baris} == {Status.TERKIRIM}, [(b.pk, b.status, b.kode_galat) for b in baris]
    sid = {p["sid"]: p for p in palsu.pesan}
    for b in baris:
        tujuan = f"whatsapp:{b.penerima}"
        body = palsu.konten[TemplatPesan.objects.get(kode=b.templat).content_sid]
        assert palsu.hitung(tujuan, sid[b.provider_sid]["body"]) == 1, (b.pk, b.templat)
        assert sid[b.provider_sid]["to"] == tujuan
        # The SID a row holds is the message made from that row's own text.
        assert all(v in sid[b.provider_sid]["body"] for v in b.variabel.values()), (b.pk, body)
    assert len(palsu.pesan) == jumlah
    assert len({b.provider_sid for b in baris}) == jumlah


def _tulis_berdua(i: int):
    """What approving a request writes: 'letter ready' and 'survey invitation' to one number at once."""
    hp = f"+62812{i:08d}"
    return [
        outbox_tulis(penerima=hp, templat=templat, variabel=variabel(i, templat), referensi=f"permohonan:{i}")
        for templat in ("selesai", "survei_undangan")
    ]


# --- ambiguous answers ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_reset_setelah_diterima_tanpa_callback_tiap_pesan_sekali(tiruan):
    """30 % of requests are accepted and then the connection is reset; plus hangs, 5xx and 429."""
    tiruan.skenario = [
        tt.TERIMA_LALU_PUTUS, tt.TERIMA, tt.TERIMA, tt.TERIMA_LALU_PUTUS, tt.GALAT_500, tt.TERIMA_LALU_PUTUS,
        tt.TERIMA_LALU_GANTUNG, tt.GALAT_429, tt.TERIMA_LALU_500, tt.GALAT_503, tt.GANTUNG, tt.TERIMA_LALU_PUTUS,
    ]
    for i in range(6):
        with transaction.atomic():
            _tulis_berdua(i)  # after commit: sent at once (no broker: in-process)
    assert tiruan.jumlah_post == 12
    # 4 resets, a 500 after acceptance, a 500 before, a hang after acceptance, a hang before: all ambiguous
    assert Outbox.objects.filter(periksa_dulu=True).count() == 8
    pulihkan()
    tiap_pesan_tepat_sekali(tiruan, 12)
    # The rows Twilio never made (500, 429, 503, a hang before acceptance) were sent once more; the
    # others were adopted by lookup, never resent.
    assert tiruan.jumlah_post == 12 + 4


@pytest.fixture
def pekerja_twilio(settings, tiruan):
    """A real Celery worker sending through the fake Twilio; short timeouts and backoff so it recovers in seconds."""
    yield from jalankan_pekerja_celery(
        settings, NOTIFIKASI_BACKEND="twilio", TWILIO_ACCOUNT_SID=AKUN, TWILIO_AUTH_TOKEN=TOKEN,
        TWILIO_WHATSAPP_FROM=settings.TWILIO_WHATSAPP_FROM, TWILIO_SMS_FROM=settings.TWILIO_SMS_FROM,
        TWILIO_MESSAGING_SERVICE_SID="", TWILIO_API_BASE_URL=tiruan.url, PUBLIC_BASE_URL=settings.PUBLIC_BASE_URL,
        NOTIFIKASI_HTTP_TIMEOUT=1, NOTIFIKASI_BACKOFF_DETIK=1,
    )


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_pekerja_celery_sungguhan_reset_setelah_diterima_tiap_pesan_sekali(tiruan, pekerja_twilio):
    tiruan.skenario = [tt.TERIMA_LALU_PUTUS, tt.TERIMA, tt.GALAT_500, tt.TERIMA_LALU_PUTUS, tt.TERIMA_LALU_GANTUNG,
                       tt.GALAT_429]
    for i in range(3):
        with transaction.atomic():
            _tulis_berdua(i)  # after commit: to the broker, sent by the worker, retried by its countdown tasks
    batas = time.monotonic() + 90
    while time.monotonic() < batas and Outbox.objects.exclude(status=Status.TERKIRIM).exists():
        if pekerja_twilio.poll() is not None:
            pytest.fail("worker exited:\n" + pekerja_twilio.stdout.read())
        time.sleep(0.3)
    if Outbox.objects.exclude(status=Status.TERKIRIM).exists():
        pekerja_twilio.terminate()
        pytest.fail("not settled; worker log:\n" + pekerja_twilio.communicate(timeout=20)[0][-5000:])
    tiap_pesan_tepat_sekali(tiruan, 6)
    assert tiruan.jumlah_post == 6 + 2  # the 500 and the 429 were sent again, the resets and the hang adopted


@pytest.mark.django_db(transaction=True)
def test_daftar_twilio_berhalaman_dan_pesan_lama_tidak_diadopsi(tiruan):
    """The lookup reads Twilio's pages (newest first) and skips messages from before the row existed."""
    hp = "+6281200000001"
    for templat in TEMPLAT * 15:  # 60 older messages to the same number, two pages of 50 at Twilio
        tiruan._buat({"To": f"whatsapp:{hp}", "Body": f"lama {templat}"})
    tiruan.tandai_terkirim()
    tiruan.skenario = [tt.TERIMA_LALU_PUTUS]
    with transaction.atomic():
        pesan = outbox_tulis(penerima=hp, templat="selesai", variabel=variabel(1, "selesai"))
    pulihkan()
    pesan.refresh_from_db()
    assert pesan.status == Status.TERKIRIM and tiruan.jumlah_post == 1
    assert pesan.provider_sid == tiruan.pesan[-1]["sid"]
    assert tiruan.jumlah_get >= 2  # both pages were read


# --- a worker killed mid-send -------------------------------------------------------------------------


class WorkerDibunuh(BaseException):
    """Stands for SIGKILL: nothing of ours catches it; the row stays as the crash left it."""


@pytest.mark.django_db(transaction=True)
def test_dua_pesan_satu_nomor_satu_transaksi_pekerja_mati_saat_mengirim(tiruan):
    def mati(*args, **kwargs):
        raise WorkerDibunuh()

    with mock.patch.object(relay, "_simpan_terkirim", mati):
        with pytest.raises(WorkerDibunuh):
            with transaction.atomic():
                pesan = _tulis_berdua(7)
        with pytest.raises(WorkerDibunuh):
            relay.outbox_kirim(outbox_id=pesan[1].pk)  # the second task, on another worker, dies too
    assert len(tiruan.pesan) == 2
    assert set(Outbox.objects.values_list("status", "provider_sid")) == {(Status.MENGIRIM, "")}
    pulihkan()
    tiap_pesan_tepat_sekali(tiruan, 2)
    assert tiruan.jumlah_post == 2


@pytest.mark.django_db(transaction=True)
def test_pesan_yang_hilang_tidak_mengadopsi_pesan_lain_yang_memuat_variabelnya(tiruan):
    """'Received' never reached Twilio, 'status updated' (same number, request number, service and link)
    did, and both rows are unsettled: each keeps its own message, the lost one is sent once."""
    hp = "+6281200000009"
    sama = {"nomor": "PB09-Q2XM", "layanan": "Surat Keterangan Domisili", "tautan": "https://s.id/l/PB09-Q2XM"}

    def mati(*args, **kwargs):
        raise WorkerDibunuh()

    tiruan.skenario = [tt.GANTUNG, tt.TERIMA]
    with transaction.atomic():
        diterima = outbox_tulis(penerima=hp, templat="permohonan_diterima", variabel=sama)
    with mock.patch.object(relay, "_simpan_terkirim", mati), pytest.raises(WorkerDibunuh):
        with transaction.atomic():
            outbox_tulis(penerima=hp, templat="status_diperbarui", variabel={**sama, "status": "Diverifikasi"})
    assert len(tiruan.pesan) == 1 and Outbox.objects.get(pk=diterima.pk).periksa_dulu
    pulihkan()
    tiap_pesan_tepat_sekali(tiruan, 2)


@pytest.mark.django_db(transaction=True)
def test_tinjau_dan_retry_failed_tidak_menggandakan(tiruan, capsys):
    """The operator's remedy for `tinjau`/`gagal` rows looks Twilio up before any resend."""
    with transaction.atomic():
        ada, hilang = _tulis_berdua(3)
    tiruan.pesan.remove(next(p for p in tiruan.pesan if p["sid"] == Outbox.objects.get(pk=hilang.pk).provider_sid))
    # Both rows end up for review without a SID, as an old release or an operator would leave them.
    Outbox.objects.update(status=Status.TINJAU, provider_sid="", kode_galat="ganda")
    call_command("kirim_outbox", "--retry-failed")
    assert "diantrikan ulang: 2" in capsys.readouterr().out
    # The message Twilio has is adopted; the one it lost is sent again, once.
    tiap_pesan_tepat_sekali(tiruan, 2)
    assert tiruan.jumlah_post == 3


# --- Redis stopped during a kirim_outbox run -----------------------------------------------------------


def _port_bebas() -> int:
    for port in [6391, *range(6392, 6420)]:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.fail("no free port for a private redis-server")


@pytest.fixture
def redis_sendiri(settings, tmp_path):
    """Our own redis-server (never the shared one), as the cache; the test may kill it."""
    server = shutil.which("redis-server")
    if not server:
        pytest.fail("redis-server is not installed")
    port = _port_bebas()
    proses = subprocess.Popen([server, "--port", str(port), "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    batas = time.monotonic() + 10
    while time.monotonic() < batas:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{port}/0"}}
    yield proses
    if proses.poll() is None:
        proses.kill()
    proses.wait(10)


@pytest.mark.django_db(transaction=True)
def test_redis_mati_di_tengah_kirim_outbox_tidak_ada_yang_tertahan(tiruan, redis_sendiri, settings):
    from django.core.cache import cache

    cache.set("hidup", 1)
    assert cache.get("hidup") == 1  # the limiter really counts in this Redis

    def matikan_redis(pesan):
        if len(tiruan.pesan) == 3:
            redis_sendiri.kill()
            redis_sendiri.wait(10)

    tiruan.setelah_terima = matikan_redis
    with broker(BROKER_MATI, settings), transaction.atomic():  # the hand-off fails, the rows wait
        outbox_tulis_banyak(pesan=[
            {"penerima": f"+62813{i:08d}", "templat": "permohonan_diterima", "variabel": variabel(i, "permohonan_diterima")}
            for i in range(10)
        ])
    assert Outbox.objects.filter(status=Status.ANTRI).count() == 10
    call_command("kirim_outbox")  # the documented fallback when the broker (here sharing Redis) is down
    assert redis_sendiri.poll() is not None  # Redis really died mid-run
    assert not Outbox.objects.filter(status=Status.MENGIRIM).exists()
    tiap_pesan_tepat_sekali(tiruan, 10)


@pytest.mark.django_db(transaction=True)
def test_broker_mati_tanda_bangun_dilepas_dan_komit_berikutnya_mencoba_lagi(tiruan, redis_sendiri, settings, caplog):
    """A wake-up whose publish failed must not hold the next commits back: the mark is dropped again."""
    from django.core.cache import cache

    from notifikasi.serah import KUNCI_KETUK
    from notifikasi.tasks import kirim_antrean

    with broker(BROKER_MATI, settings):
        for i in range(2):
            with transaction.atomic():
                outbox_tulis(penerima=f"+62813{i:08d}", templat="permohonan_diterima",
                             variabel=variabel(i, "permohonan_diterima"))
            assert cache.get(KUNCI_KETUK) is None
    assert caplog.text.count("antrean tidak terjangkau") == 2  # the second commit tried again
    assert Outbox.objects.filter(status=Status.ANTRI).count() == 2
    kirim_antrean.apply()  # the broker is back: a woken relay sends both
    tiap_pesan_tepat_sekali(tiruan, 2)


# --- the database lost between commit and answer ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_koneksi_basis_data_putus_setelah_commit_aksi_tetap_200(monkeypatch):
    dunia = Dunia()
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token(dunia.warga.user)}")
    r = c.post("/api/v1/permohonan/", {
        "layanan": "domisili", "kelurahan": MEDONO, "keperluan": "Melamar pekerjaan",
        "data": '{"lama_tinggal": 5, "status_rumah": "sewa"}', "nama": "Siti Aminah",
        "alamat": "Jl. Medono No. 5", "berkas_pengantar_rt": unggahan(), "berkas_ktp": unggahan("ktp.pdf"),
    }, format="multipart")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]

    putus = {"ya": False}
    commit_asli = connection.commit

    def commit_lalu_putus():
        commit_asli()
        putus["ya"] = True  # PostgreSQL restarts right after COMMIT

    def mati(execute, sql, params, many, context):
        if putus["ya"]:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    petugas = APIClient()
    petugas.credentials(HTTP_AUTHORIZATION=f"Token {token(dunia.petugas_medono)}")
    monkeypatch.setattr(connection, "commit", commit_lalu_putus)
    with connection.execute_wrapper(mati):
        r = petugas.post(f"/api/v1/permohonan/{pk}/aksi/", {"aksi": "verifikasi"}, format="json")
    monkeypatch.undo()
    assert putus["ya"]
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "diverifikasi" and r.json()["riwayat"][-1]["aksi"] == "verifikasi"
    from layanan.models import Permohonan

    assert Permohonan.objects.get(pk=pk).status == "diverifikasi"  # it did commit


@pytest.mark.django_db
def test_callback_status_saat_basis_data_mati_503_dengan_retry_after(client, settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.PUBLIC_BASE_URL = "https://simpatik.example.id"
    jalur = "/notifikasi/twilio/status/?pesan=1"
    data = {"MessageSid": "SM" + "1" * 32, "MessageStatus": "delivered"}
    tanda = RequestValidator(TOKEN).compute_signature(settings.PUBLIC_BASE_URL + jalur, data)

    def mati(*args):
        raise OperationalError("could not connect to server")

    with connection.execute_wrapper(mati):
        r = client.post(jalur, data, HTTP_X_TWILIO_SIGNATURE=tanda)
    assert r.status_code == 503 and r["Retry-After"] == "30"
    assert b"Traceback" not in r.content


# --- sign-in codes and the SMS fallback (issue 14, items 7 and 11) -------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_kode_otp_tidak_terbaca_dari_outbox_maupun_admin_setelah_dikirim(tiruan, admin_client):
    from notifikasi.otp import kunci_nik, otp_kirim

    TemplatPesan.objects.filter(kode="kode_otp").update(content_sid="HX" + "7" * 32)
    tiruan.konten["HX" + "7" * 32] = "Kode masuk Simpatik Anda: {{1}}. Berlaku {{2}} menit."
    otp_kirim(kunci=kunci_nik("3375014506900002"), no_hp="081234567801")
    kode = tiruan.pesan[-1]["body"].split(": ")[1][:6]
    pesan = Outbox.objects.get(templat="kode_otp")
    assert pesan.status == Status.TERKIRIM
    baris = {f.name: str(getattr(pesan, f.name)) for f in Outbox._meta.fields}
    assert not [k for k, v in baris.items() if kode in v]  # nowhere in the row, sealed copy included
    halaman = admin_client.get(f"/admin/notifikasi/outbox/{pesan.pk}/change/")
    assert halaman.status_code == 200 and kode not in halaman.content.decode()


@pytest.mark.django_db(transaction=True)
def test_kode_otp_tidak_tampil_di_admin_sebelum_dikirim(admin_client, settings):
    from notifikasi.otp import kunci_nik, otp_kirim

    with broker(BROKER_MATI, settings):  # not sent yet: the row waits for the sweep
        otp_kirim(kunci=kunci_nik("3375014506900002"), no_hp="081234567801")
    pesan = Outbox.objects.get(templat="kode_otp")
    assert pesan.status == Status.ANTRI
    kode = pesan.variabel["kode"]
    teks = admin_client.get(f"/admin/notifikasi/outbox/{pesan.pk}/change/").content.decode()
    teks += admin_client.get("/admin/notifikasi/outbox/").content.decode()
    assert kode not in teks


@pytest.mark.django_db(transaction=True)
def test_kode_otp_gagal_di_whatsapp_tetap_lewat_sms_lalu_dihapus(tiruan, client):
    """An 'undelivered' callback after hand-over still gets the code to the resident by SMS (from the
    sealed copy), and then nothing of it is left in either row."""
    from notifikasi.otp import kunci_nik, otp_kirim

    TemplatPesan.objects.filter(kode="kode_otp").update(content_sid="HX" + "7" * 32)
    tiruan.konten["HX" + "7" * 32] = "Kode masuk Simpatik Anda: {{1}}. Berlaku {{2}} menit."
    otp_kirim(kunci=kunci_nik("3375014506900002"), no_hp="081234567801")
    kode = tiruan.pesan[-1]["body"].split(": ")[1][:6]
    wa = Outbox.objects.get(templat="kode_otp")
    jalur = f"/notifikasi/twilio/status/?pesan={wa.pk}"
    data = {"MessageSid": wa.provider_sid, "MessageStatus": "undelivered", "ErrorCode": "63003"}
    tanda = RequestValidator(TOKEN).compute_signature("https://simpatik.example.id" + jalur, data)
    assert client.post(jalur, data, HTTP_X_TWILIO_SIGNATURE=tanda).status_code == 200
    sms = Outbox.objects.get(kanal=Outbox.Kanal.SMS)
    assert tiruan.pesan[-1]["to"] == wa.penerima and kode in tiruan.pesan[-1]["body"]
    for b in (wa, sms):
        b.refresh_from_db()
        assert not [f.name for f in Outbox._meta.fields if kode in str(getattr(b, f.name))]
        assert b.variabel_tersegel == ""


@pytest.mark.django_db(transaction=True)
def test_tanpa_pengirim_sms_cadangan_dilewati_dengan_alasan(tiruan, settings):
    settings.TWILIO_SMS_FROM = ""
    tiruan.skenario = []
    with transaction.atomic():
        pesan = outbox_tulis(penerima="+6281234567801", templat="selesai", variabel=variabel(1, "selesai"))
    from notifikasi.services import outbox_status_penyedia

    pesan.refresh_from_db()
    outbox_status_penyedia(sid=pesan.provider_sid, status="undelivered", kode_galat="63003")
    pesan.refresh_from_db()
    assert pesan.status == Status.GAGAL and not pesan.cadangan.exists()
    assert "TWILIO_SMS_FROM" in pesan.pesan_galat
    assert len(tiruan.pesan) == 1  # no SMS without From was ever requested


def test_pemeriksaan_sistem_memperingatkan_tanpa_pengirim_sms(settings):
    from django.core.checks import run_checks

    settings.NOTIFIKASI_BACKEND = "twilio"
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    settings.TWILIO_SMS_FROM = ""
    assert "notifikasi.W001" in [w.id for w in run_checks()]
    settings.TWILIO_SMS_FROM = "+14155550100"
    assert "notifikasi.W001" not in [w.id for w in run_checks()]


def test_tidak_ada_siklus_impor_di_notifikasi():
    """No module of notifikasi imports (even inside a function) one that imports it back (issue 12)."""
    import ast
    from pathlib import Path

    akar = Path(__file__).resolve().parent.parent
    graf = {}
    for berkas in (akar / "notifikasi").rglob("*.py"):
        if "migrations" in berkas.parts:
            continue
        nama = ".".join(berkas.relative_to(akar).with_suffix("").parts).removesuffix(".__init__")
        tujuan = set()
        for simpul in ast.walk(ast.parse(berkas.read_text())):
            if isinstance(simpul, ast.ImportFrom) and simpul.module and simpul.module.startswith("notifikasi"):
                tujuan.add(simpul.module)
                tujuan |= {f"{simpul.module}.{a.name}" for a in simpul.names}
            elif isinstance(simpul, ast.Import):
                tujuan |= {a.name for a in simpul.names if a.name.startswith("notifikasi")}
        graf[nama] = tujuan
    graf = {m: {t for t in ts if t in graf and t != m} for m, ts in graf.items()}

    def jalur(dari, ke, dilihat):
        if dari == ke:
            return True
        dilihat.add(dari)
        return any(jalur(t, ke, dilihat) for t in graf[dari] if t not in dilihat)

    siklus = sorted(m for m in graf if any(jalur(t, m, set()) for t in graf[m]))
    assert not siklus, siklus


@pytest.mark.django_db
def test_kode_otp_dihapus_juga_saat_sidnya_datang_lewat_callback(client, settings):
    """The relay died before saving; the first callback brings the SID and blanks the code with it."""
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.PUBLIC_BASE_URL = "https://simpatik.example.id"
    pesan = Outbox.objects.create(penerima="+6281234567801", templat="kode_otp", status=Status.MENGIRIM,
                                  variabel={"kode": "482913", "menit": "5"}, isi="Kode masuk Simpatik Anda: 482913.")
    jalur = f"/notifikasi/twilio/status/?pesan={pesan.pk}"
    data = {"MessageSid": "SM" + "8" * 32, "MessageStatus": "sent"}
    tanda = RequestValidator(TOKEN).compute_signature(settings.PUBLIC_BASE_URL + jalur, data)
    assert client.post(jalur, data, HTTP_X_TWILIO_SIGNATURE=tanda).status_code == 200
    pesan.refresh_from_db()
    assert pesan.status == Status.TERKIRIM and pesan.provider_sid == "SM" + "8" * 32
    assert "482913" not in pesan.isi and pesan.variabel == {} and pesan.variabel_tersegel != ""
    assert "482913" not in pesan.variabel_tersegel
