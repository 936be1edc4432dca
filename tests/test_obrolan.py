"""The WhatsApp conversation (notifikasi/obrolan.py) through the real webhook with Twilio's signatures:
status for the owner and for a stranger, the survey by quick replies (stored as the web form stores it),
resume after a pause, a complaint with a photo, a flood limited, unsigned refused, templates outside 24 h."""

from datetime import timedelta

import pytest
import responses
import time_machine
from django.forms.models import model_to_dict
from django.utils import timezone
from twilio.request_validator import RequestValidator

from audit.enkripsi import indeks_hp
from audit.models import AuditEvent
from integritas.models import Pengaduan, Survei
from integritas.services import survei_tautan
from notifikasi.models import Outbox, Percakapan, TemplatPesan
from notifikasi.relay import outbox_kirim
from tests.factories import Dunia, png_bytes
from tests.notifikasi_bantu import AKUN, TOKEN, URL_PESAN, form, jawaban_pesan
from tests.test_survei import IKM, IPAK, IPKP, _selesai

pytestmark = pytest.mark.django_db
BASIS = "https://simpatik.example.id"
JALUR = "/notifikasi/twilio/masuk/"
ASING = "+6281299990000"
URL_MEDIA = f"https://api.twilio.com/2010-04-01/Accounts/{AKUN}/Messages/MM{'1' * 32}/Media/ME{'2' * 32}"


@pytest.fixture
def dunia(twilio):
    return Dunia()


def wa(client, no_hp, body="", **lain):
    """One inbound WhatsApp message, signed as Twilio signs it."""
    data = {"From": f"whatsapp:{no_hp}", "To": "whatsapp:+14155238886", "Body": body, "NumMedia": "0", **lain}
    tanda = RequestValidator(TOKEN).compute_signature(BASIS + JALUR, data)
    r = client.post(JALUR, data, HTTP_X_TWILIO_SIGNATURE=tanda)
    assert r.status_code == 200, r.content
    return r


def balasan(no_hp, sejak=0):
    return list(Outbox.objects.filter(penerima_indeks=indeks_hp(no_hp), pk__gt=sejak).order_by("pk"))


def terakhir(no_hp) -> Outbox:
    return Outbox.objects.filter(penerima_indeks=indeks_hp(no_hp)).order_by("-pk").first()


# --- status ---------------------------------------------------------------------------------------------


def test_cek_status_pemilik_mendapat_tahap_tenggat_dan_langkah(client, dunia):
    from tests.test_api_lifecycle import ajukan_domisili

    p = dunia.warga.permohonan.get(pk=ajukan_domisili(dunia).json()["id"])
    hp = dunia.warga.no_hp
    for pesan in (f"CEK {p.nomor_registrasi}", p.nomor_registrasi.lower(), "status"):
        sebelum = terakhir(hp).pk if terakhir(hp) else 0
        wa(client, hp, pesan)
        [b] = balasan(hp, sebelum)
        assert b.templat == "obrolan_status_pemilik", pesan
        assert b.variabel["nomor"] == p.nomor_registrasi and b.variabel["status"] == "Diajukan"
        assert b.variabel["tahap"] == "Kelurahan Medono"
        assert b.variabel["tenggat"] == timezone.localtime(p.tenggat).strftime("%d-%m-%Y %H:%M")
        assert "petugas kelurahan" in b.variabel["langkah"] and b.variabel["langkah"] in b.isi


def test_cek_status_orang_lain_mendapat_jawaban_umum_tanpa_data_pribadi(client, dunia):
    from tests.test_api_lifecycle import ajukan_domisili

    p = dunia.warga.permohonan.get(pk=ajukan_domisili(dunia).json()["id"])
    wa(client, ASING, f"cek {p.nomor_registrasi}")
    b = terakhir(ASING)
    assert b.templat == "obrolan_status_publik"
    assert b.variabel["status"] == "Diajukan" and f"/lacak/{p.nomor_registrasi}/" in b.variabel["tautan"]
    for pribadi in (dunia.warga.nama, dunia.warga.nik, dunia.warga.no_hp, "Melamar",
                    timezone.localtime(p.tenggat).strftime("%d-%m-%Y")):
        assert pribadi not in b.isi
    # The other resident of the city is a stranger too; "status" alone lists only one's own requests.
    wa(client, dunia.warga_lain.no_hp, "STATUS")
    assert terakhir(dunia.warga_lain.no_hp).templat == "obrolan_status_kosong"
    wa(client, ASING, "CEK ZZZZ-ZZZZ")
    assert terakhir(ASING).templat == "obrolan_status_tidak_ada"
    wa(client, ASING, "halo, selamat pagi")
    assert terakhir(ASING).templat == "obrolan_menu"


def test_english_atas_permintaan(client, dunia):
    wa(client, ASING, "ENGLISH")
    assert terakhir(ASING).templat == "obrolan_bahasa_en"
    wa(client, ASING, "hello")
    assert terakhir(ASING).templat == "obrolan_menu_en" and "Reply CEK" in terakhir(ASING).isi
    wa(client, ASING, "BAHASA")
    wa(client, ASING, "halo")
    assert terakhir(ASING).templat == "obrolan_menu"


# --- survey ---------------------------------------------------------------------------------------------

JAWABAN = [*(("ikm", k, v) for k, v in IKM.items()), *(("ipak", k, v) for k, v in IPAK.items()),
           *(("ipkp", k, v) for k, v in IPKP.items())]


def _jawab(client, hp, mulai=0, sampai=None):
    for _bagian, _k, nilai in JAWABAN[mulai:sampai]:
        b = terakhir(hp)
        assert b.templat == "obrolan_survei_tanya", b.isi
        wa(client, hp, "", ListId=str(nilai), ListTitle=b.variabel[f"p{nilai}"])


def test_survei_lewat_tombol_tersimpan_sama_dengan_formulir_web(client, dunia):
    hp = dunia.warga.no_hp
    p_web, p_chat = _selesai(dunia), _selesai(dunia)
    undangan = Outbox.objects.filter(penerima_indeks=indeks_hp(hp), templat="survei_undangan")
    assert undangan.count() == 2 and "SURVEI" in undangan.first().isi
    wa(client, hp, "Isi survei di sini", ButtonPayload="SURVEI", ButtonText="Isi survei di sini")
    pertama = terakhir(hp)
    assert pertama.variabel["urutan"] == "1" and pertama.variabel["jumlah"] == "23"
    assert pertama.variabel["p3"] == "Sesuai" and "kesesuaian persyaratan" in pertama.variabel["pertanyaan"]
    _jawab(client, hp)
    assert terakhir(hp).templat == "obrolan_survei_bayar"
    assert Survei.objects.count() == 0  # nothing stored before the last answer
    wa(client, hp, "Tidak", ButtonPayload="TIDAK", ButtonText="Tidak")
    assert terakhir(hp).templat == "obrolan_survei_selesai"
    assert Survei.objects.count() == 1
    chat = Survei.objects.get()
    # The same answers through the web form, for the other finished request.
    isian = {f"{b}_{k}": v for b, k, v in JAWABAN}
    tautan = survei_tautan(p_web).split("/survei/")[1]
    assert client.post(f"/survei/{tautan}", {**isian, "diminta_bayar": "tidak"}).status_code == 200
    web = Survei.objects.exclude(pk=chat.pk).get()
    tanpa = ("id", "kunci")
    assert {k: v for k, v in model_to_dict(chat).items() if k not in tanpa} == \
        {k: v for k, v in model_to_dict(web).items() if k not in tanpa}
    # Anonymous and once per request: the ledger holds two survey events without a request or person,
    # the conversation forgot the answers, and a second SURVEI finds nothing left to answer.
    assert AuditEvent.objects.filter(kategori="survei").count() == 2
    assert p_chat.nomor_registrasi not in str(list(AuditEvent.objects.filter(kategori="survei").values("data")))
    assert Percakapan.objects.get(kunci_hp=indeks_hp(hp)).konteks == {}
    wa(client, hp, "SURVEI")
    assert terakhir(hp).templat == "obrolan_survei_tidak_ada" and Survei.objects.count() == 2


def test_survei_berhenti_lalu_dilanjutkan(client, dunia):
    hp = dunia.warga.no_hp
    _selesai(dunia)
    wa(client, hp, "survei")
    _jawab(client, hp, 0, 5)
    wa(client, hp, "", ButtonPayload="NANTI")
    assert terakhir(hp).templat == "obrolan_survei_jeda" and terakhir(hp).variabel["terjawab"] == "5"
    wa(client, hp, "apa kabar")  # outside the survey: the menu, the answers kept
    assert terakhir(hp).templat == "obrolan_menu"
    wa(client, hp, "5")  # not an answer any more: the survey is paused
    assert terakhir(hp).templat == "obrolan_menu"
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        wa(client, hp, "", ButtonPayload="LANJUT")
        assert terakhir(hp).variabel["urutan"] == "6"
        wa(client, hp, "7")
        assert terakhir(hp).templat == "obrolan_survei_tanya" and terakhir(hp).variabel["urutan"] == "6"
        assert Outbox.objects.filter(penerima_indeks=indeks_hp(hp), templat="obrolan_survei_salah").count() == 1
        _jawab(client, hp, 5)
        wa(client, hp, "ya")
    s = Survei.objects.get()
    assert (s.ikm_persyaratan, s.ikm_kompetensi, s.ipkp_sarana, s.diminta_bayar) == (4, 4, 3, True)


# --- complaint ------------------------------------------------------------------------------------------


def _lapor_sampai_bukti(client, hp, anonim="ANONIM"):
    wa(client, hp, "LAPOR")
    assert terakhir(hp).templat == "obrolan_lapor_jenis"
    wa(client, hp, "", ListId="PUNGLI", ListTitle="Pungutan liar")
    assert terakhir(hp).templat == "obrolan_lapor_anonim"
    wa(client, hp, "", ButtonPayload=anonim)
    wa(client, hp, "Petugas loket meminta Rp50.000 untuk mempercepat surat domisili saya.")
    assert terakhir(hp).templat == "obrolan_lapor_bukti"


def test_pengaduan_dengan_foto_anonim(client, dunia, twilio):
    hp = ASING
    twilio.add(responses.GET, URL_MEDIA, body=png_bytes(), content_type="image/png")
    _lapor_sampai_bukti(client, hp)
    wa(client, hp, "", NumMedia="1", MediaUrl0=URL_MEDIA, MediaContentType0="image/png")
    b = terakhir(hp)
    assert b.templat == "obrolan_lapor_diterima"
    p = Pengaduan.objects.get()
    assert b.variabel["kode"] == p.kode_lacak and p.kode_lacak in b.isi
    assert (p.kategori, p.kontak, p.bukti_jenis) == ("pungli", "", "image/png")
    assert p.bukti.read() == png_bytes() and "Rp50.000" in p.isi
    # The media was fetched with the account's credentials; the number is nowhere in the complaint.
    permintaan = [c.request for c in twilio.calls if c.request.url == URL_MEDIA]
    assert len(permintaan) == 1 and permintaan[0].headers["Authorization"].startswith("Basic ")
    event = AuditEvent.objects.get(kategori="pengaduan", aksi="terima")
    assert event.objek_id == p.kode_lacak and hp not in str(event.data)
    assert Percakapan.objects.get(kunci_hp=indeks_hp(hp)).konteks == {}


def test_pengaduan_bernama_dan_foto_palsu_ditolak_menurut_isinya(client, dunia, twilio):
    hp = ASING
    twilio.add(responses.GET, URL_MEDIA, body=b"<html>bukan gambar</html>", content_type="image/png")
    _lapor_sampai_bukti(client, hp, anonim="SERTAKAN")
    wa(client, hp, "", NumMedia="1", MediaUrl0=URL_MEDIA, MediaContentType0="image/png")
    assert terakhir(hp).templat == "obrolan_lapor_galat" and "JPEG atau PNG" in terakhir(hp).isi
    assert Pengaduan.objects.count() == 0
    # A media URL on another host is never fetched.
    wa(client, hp, "", NumMedia="1", MediaUrl0="https://contoh.example/x.png", MediaContentType0="image/png")
    assert terakhir(hp).templat == "obrolan_lapor_galat" and Pengaduan.objects.count() == 0
    wa(client, hp, "LEWATI")
    p = Pengaduan.objects.get()
    assert (p.kontak, p.bukti_jenis) == (hp, "")


# --- limits, signatures, the 24-hour window -------------------------------------------------------------


def test_banjir_pesan_dari_satu_nomor_dibatasi(client, dunia, settings):
    settings.OBROLAN_PESAN_PER_MENIT = 5
    with time_machine.travel(timezone.now().replace(second=1), tick=False):
        for _i in range(30):
            wa(client, ASING, "halo")
        wa(client, dunia.warga_lain.no_hp, "halo")  # another number is not affected
    templat = [b.templat for b in balasan(ASING)]
    assert templat == ["obrolan_menu"] * 5 + ["obrolan_terlalu_sering"]
    assert [b.templat for b in balasan(dunia.warga_lain.no_hp)] == ["obrolan_menu"]
    with time_machine.travel(timezone.now().replace(second=1) + timedelta(minutes=1), tick=False):
        wa(client, ASING, "halo")
    assert terakhir(ASING).templat == "obrolan_menu"


def test_batas_laju_melemah_saat_cache_mati(client, dunia, monkeypatch):
    """The chat's own counter failing in any way (not only a Redis error) lets the message through."""
    from notifikasi import obrolan

    class Mati:
        def __getattr__(self, nama):
            def mati(*a, **k):
                raise ConnectionError("redis mati")
            return mati

    monkeypatch.setattr(obrolan, "cache", Mati())
    wa(client, ASING, "halo")
    assert terakhir(ASING).templat == "obrolan_menu"


def test_obrolan_menjawab_saat_redis_mati(client, dunia, redis_mati):
    """Redis down under the production cache backend: counters, templates and master data all degrade
    to the database, and the chat still answers."""
    wa(client, ASING, "halo")
    assert terakhir(ASING).templat == "obrolan_menu"


def test_pesan_tanpa_tanda_tangan_ditolak(client, dunia):
    data = {"From": f"whatsapp:{ASING}", "Body": "LAPOR"}
    assert client.post(JALUR, data).status_code == 403
    palsu = RequestValidator("token-lain").compute_signature(BASIS + JALUR, data)
    assert client.post(JALUR, data, HTTP_X_TWILIO_SIGNATURE=palsu).status_code == 403
    assert not Percakapan.objects.exists() and not Outbox.objects.exists()


def test_di_luar_24_jam_memakai_templat_konten(client, dunia, twilio, django_capture_on_commit_callbacks):
    """The invitation after selesai goes to a number that wrote nothing: ContentSid with its variables
    (the approved quick-reply template). A reply inside the window is free text; the same reply held
    past the window is not sent as free text (63016, no request)."""
    TemplatPesan.objects.update_or_create(kode="survei_undangan", defaults={
        "nama": "undangan", "isi": "x", "content_sid": "HX" + "c" * 32, "variabel_konten": ["nomor", "tautan_survei"]})
    twilio.add(responses.CallbackResponse(responses.POST, URL_PESAN, callback=lambda r: jawaban_pesan()))
    hp = dunia.warga.no_hp
    with django_capture_on_commit_callbacks(execute=True):
        p = _selesai(dunia)
    undangan = [form(c) for c in twilio.calls if c.request.method == "POST" and "HX" + "c" * 32 in c.request.body]
    assert len(undangan) == 1 and "Body" not in undangan[0]
    assert p.nomor_registrasi in undangan[0]["ContentVariables"]
    with django_capture_on_commit_callbacks(execute=True):
        wa(client, hp, "halo")
    menu = form(twilio.calls[-1])
    assert "ContentSid" not in menu and menu["Body"].startswith("Simpatik melayani")
    wa(client, hp, "halo lagi")  # its reply waits (no on_commit here) ...
    tertahan = terakhir(hp)
    jumlah = len(twilio.calls)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        outbox_kirim(outbox_id=tertahan.pk)  # ... until the window has closed
    tertahan.refresh_from_db()
    assert (tertahan.status, tertahan.kode_galat) == (Outbox.StatusPesan.GAGAL, "63016")
    assert len(twilio.calls) == jumlah


# --- content templates for submission -------------------------------------------------------------------


def test_templat_konten_dicetak_untuk_twilio(db):
    import json
    from io import StringIO

    from django.core.management import call_command

    from notifikasi.templat_bawaan import BAWAAN

    keluar = StringIO()
    call_command("templat_konten", stdout=keluar)
    semua = {k["friendly_name"].removeprefix("simpatik_"): k for k in json.loads(keluar.getvalue())}
    assert set(semua) == set(BAWAAN)  # every message, both languages of the conversation
    undangan = semua["survei_undangan"]
    assert undangan["persetujuan_whatsapp"] == {"name": "simpatik_survei_undangan", "category": "UTILITY"}
    assert undangan["variables"] == {"1": "PB7K-Q2XM", "2": "https://simpatik.example.id/survei/abc/"}
    balas = undangan["types"]["twilio/quick-reply"]
    assert "{{1}}" in balas["body"] and "{{2}}" in balas["body"] and "{{ " not in balas["body"]
    assert [a["id"] for a in balas["actions"]] == ["SURVEI", "NANTI"]
    tanya = semua["obrolan_survei_tanya_en"]
    assert tanya["language"] == "en" and tanya["persetujuan_whatsapp"] is None  # list pickers: in session only
    assert [b["id"] for b in tanya["types"]["twilio/list-picker"]["items"]] == ["1", "2", "3", "4"]
    assert tanya["types"]["twilio/list-picker"]["items"][0]["item"] == "{{4}}"
    otp = semua["kode_otp"]
    assert otp["persetujuan_whatsapp"]["category"] == "AUTHENTICATION" and otp["variables"] == {"1": "482913"}
    assert "{% if" not in semua["sla_rawan_banyak"]["types"]["twilio/text"]["body"]


def test_pengaduan_yang_ditinggal_dilupakan_survei_yang_dijeda_tetap(client, dunia):
    hp = dunia.warga.no_hp
    _selesai(dunia)
    wa(client, hp, "SURVEI")
    _jawab(client, hp, 0, 3)
    wa(client, hp, "LAPOR CALO")  # a complaint in the middle of the survey
    assert terakhir(hp).templat == "obrolan_lapor_anonim"
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):
        wa(client, hp, "ANONIM")  # the complaint was forgotten after an hour: this is no answer now
        assert terakhir(hp).templat == "obrolan_menu"
        wa(client, hp, "LANJUT")
        assert terakhir(hp).variabel["urutan"] == "4"
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
        wa(client, hp, "LANJUT")  # a week later the paused answers are gone: it starts again
        assert terakhir(hp).variabel["urutan"] == "1"
    assert Pengaduan.objects.count() == 0 and Survei.objects.count() == 0
