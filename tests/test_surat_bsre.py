"""Certified signatures through BSrE (issue 23): the whole approval against a local fake of the
provider's HTTP API (tests/bsre_palsu.py), reached through BSRE_BASE_URL."""

import io
import json
import logging

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import models
from django.test import Client
from django.urls import reverse
from django.views.debug import ExceptionReporter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from rest_framework.test import APIClient

from audit.models import AuditEvent
from kelurahan.models import Penugasan, Peran
from layanan.models import PenandatanganLayanan, PenghitungNomorSurat, Permohonan, Status, Surat, TandaTanganTertunda
from layanan.permohonan.selectors import aksi_tersedia
from layanan.permohonan.services import permohonan_aksi, tte_kabari_pulih
from layanan.surat.token import token_buat, url_verifikasi
from notifikasi.models import Outbox
from tests.bsre_palsu import ID_KLIEN, RAHASIA_KLIEN, BSrEPalsu
from tests.fixtures_surat import *  # noqa: F403  (fixtures: wilayah, kantor, petugas, layanan, warga, permohonan)
from tests.fixtures_surat import WAKTU, buat_permohonan, buat_user, tugaskan
from tests.pembantu_ttd import lihat_draf_api, lihat_draf_web

PASSPHRASE = "Rahasia#Lurah-7391"  # distinctive: searched for everywhere afterwards
NIK_LURAH = "3375014507750003"
NIK_CAMAT = "3375011005680004"
NIK_SEKRETARIS = "3375010203800005"
HP_LURAH = "+6281200000011"



@pytest.fixture
def bsre(settings, petugas):
    palsu = BSrEPalsu().mulai()
    settings.SURAT_TTE = "bsre"
    settings.SURAT_PKCS12_PATH = ""
    settings.BSRE_BASE_URL = palsu.url
    settings.BSRE_CLIENT_ID, settings.BSRE_CLIENT_SECRET = ID_KLIEN, RAHASIA_KLIEN
    settings.BSRE_TIMEOUT_CONNECT, settings.BSRE_TIMEOUT_READ = 2, 20
    palsu.daftarkan(NIK_LURAH, PASSPHRASE, "SITI RAHAYU")
    Penugasan.objects.filter(user=petugas["lurah"], peran=Peran.LURAH).update(nik_tte=NIK_LURAH, no_hp=HP_LURAH)
    yield palsu
    palsu.berhenti()


def api(user):
    klien = APIClient()
    klien.force_authenticate(user)
    return klien


def setujui_api(p, user, passphrase=PASSPHRASE, aksi="setujui", lihat_draf=True):
    """The signer's API call, after opening the draft through the API (a letter is never signed unseen)
    unless `lihat_draf` is off: a retry of an approval that waits for BSrE needs no second look."""
    if lihat_draf:
        lihat_draf_api(api(user), p.pk)
    data = {"aksi": aksi}
    if passphrase is not None:
        data["passphrase"] = passphrase
    return api(user).post(f"/api/v1/permohonan/{p.pk}/aksi/", data, format="json")


def unduh(permohonan, user) -> bytes:
    r = api(user).get(reverse("api-permohonan-surat", args=[permohonan.pk]))
    assert r.status_code == 200
    return b"".join(r.streaming_content)


def nomor_terpakai() -> int:
    return sum(PenghitungNomorSurat.objects.values_list("terakhir", flat=True))


def tidak_berubah(p):
    p = Permohonan.objects.get(pk=p.pk)
    assert p.status == Status.DIVERIFIKASI and not p.surat.exists()
    assert nomor_terpakai() == 0
    return p


def test_persetujuan_bsre_menerbitkan_pdf_pades_yang_sah(permohonan, petugas, warga, bsre):
    r = setujui_api(permohonan, petugas["lurah"])
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "selesai"
    surat = Surat.objects.get(permohonan=permohonan)
    assert (surat.urut, nomor_terpakai()) == (1, 1)

    isi = unduh(permohonan, warga["budi"].user)
    ttd = PdfFileReader(io.BytesIO(isi)).embedded_signatures
    assert len(ttd) == 1
    status = validate_pdf_signature(ttd[0], ValidationContext(trust_roots=[bsre.akar]))
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert ttd[0].sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert ttd[0].sig_object["/Reason"] == surat.nomor
    assert ttd[0].signer_cert.subject.native["common_name"] == "SITI RAHAYU"

    info = surat.tanda_tangan_elektronik
    assert info["penyedia"] == "bsre" and info["nama"] == "SITI RAHAYU" and "OSD BSrE Palsu" in info["penerbit"]
    metode, jalur, bidang = bsre.panggilan[0]
    assert (metode, jalur, bidang["nik"], bidang["tampilan"]) == ("POST", "/api/v2/sign/pdf", NIK_LURAH, "INVISIBLE")
    event = AuditEvent.objects.get(kategori="surat", aksi="terbitkan")
    assert event.data["tanda_tangan_elektronik"]["penyedia"] == "bsre"


def test_tampilan_visible_mengirim_posisi_dan_tautan_qr(permohonan, petugas, bsre, settings):
    settings.BSRE_TAMPILAN, settings.BSRE_POSISI = "VISIBLE", "1,350,60,200,80"
    assert setujui_api(permohonan, petugas["lurah"]).status_code == 200
    bidang = bsre.panggilan[0][2]
    assert (bidang["page"], bidang["xAxis"], bidang["yAxis"], bidang["width"], bidang["height"]) == (
        "1", "350", "60", "200", "80")
    surat = Surat.objects.get(permohonan=permohonan)
    assert bidang["linkQR"] == url_verifikasi(surat.id_publik)


def test_passphrase_salah_400_tidak_ada_yang_berubah_lalu_dapat_disetujui(permohonan, petugas, bsre):
    r = setujui_api(permohonan, petugas["lurah"], passphrase="bukan-ini")
    assert r.status_code == 400
    assert "Passphrase TTE salah" in r.json()["passphrase"][0]
    p = tidak_berubah(permohonan)
    assert "setujui" in api(petugas["lurah"]).get(f"/api/v1/permohonan/{p.pk}/").json()["aksi_tersedia"]
    gagal = AuditEvent.objects.get(kategori="surat", aksi="tte_gagal")
    assert gagal.data["kode"] == "passphrase_salah" and gagal.data["nomor_registrasi"] == p.nomor_registrasi
    assert not TandaTanganTertunda.objects.exists()

    r = setujui_api(permohonan, petugas["lurah"])
    assert r.status_code == 200
    assert Surat.objects.get(permohonan=permohonan).urut == 1  # the refused attempt consumed no number


def test_passphrase_wajib_saat_bsre(permohonan, petugas, bsre):
    r = setujui_api(permohonan, petugas["lurah"], passphrase=None)
    assert r.status_code == 400 and "passphrase" in r.json()
    tidak_berubah(permohonan)
    assert bsre.panggilan == []


def _tidak_terdaftar(bsre, petugas):
    Penugasan.objects.filter(user=petugas["lurah"]).update(nik_tte="3375010000000099")


def _nik_kosong(bsre, petugas):
    Penugasan.objects.filter(user=petugas["lurah"]).update(nik_tte="")


def _kedaluwarsa(bsre, petugas):
    bsre.pengguna[NIK_LURAH]["status"] = "EXPIRED"


def _dicabut(bsre, petugas):
    bsre.pengguna[NIK_LURAH]["status"] = "REVOKED"


def _kredensial_salah(bsre, petugas):
    from django.conf import settings

    settings.BSRE_CLIENT_SECRET = "salah"


@pytest.mark.parametrize(("rusak", "kode", "http", "teks"), [
    (_tidak_terdaftar, "tidak_terdaftar", 400, "belum terdaftar"),
    (_nik_kosong, "tidak_terdaftar", 400, "belum terdaftar"),
    (_kedaluwarsa, "sertifikat_tidak_berlaku", 400, "kedaluwarsa, dicabut"),
    (_dicabut, "sertifikat_tidak_berlaku", 400, "kedaluwarsa, dicabut"),
    (_kredensial_salah, "tidak_dikonfigurasi", 503, "Hubungi administrator"),
])
def test_setiap_penolakan_penyedia_punya_pesannya(permohonan, petugas, bsre, rusak, kode, http, teks):
    rusak(bsre, petugas)
    r = setujui_api(permohonan, petugas["lurah"])
    assert r.status_code == http
    assert teks in r.content.decode()
    tidak_berubah(permohonan)
    assert AuditEvent.objects.get(kategori="surat", aksi="tte_gagal").data["kode"] == kode
    assert not TandaTanganTertunda.objects.exists()


def test_penyedia_mati_lalu_pulih(client, permohonan, petugas, bsre):
    bsre.mati = True
    r = setujui_api(permohonan, petugas["lurah"])
    assert r.status_code == 503
    assert "menunggu tanda tangan" in r.json()["detail"]
    tidak_berubah(permohonan)
    tertunda = TandaTanganTertunda.objects.get(permohonan=permohonan)
    assert (tertunda.aksi, tertunda.penandatangan, tertunda.alasan) == ("setujui", petugas["lurah"],
                                                                         "penyedia_tidak_tersedia")
    assert AuditEvent.objects.get(kategori="surat", aksi="tte_tertunda").data["kode"] == "penyedia_tidak_tersedia"
    detail = api(petugas["lurah"]).get(f"/api/v1/permohonan/{permohonan.pk}/").json()
    assert detail["status"] == "diverifikasi" and detail["tanda_tangan_tertunda"]["alasan"] == "penyedia_tidak_tersedia"
    assert "setujui" in detail["aksi_tersedia"]

    # Unreachable altogether (connection refused) is the same outage; the retry needs no second look.
    port = bsre.server.server_address[1]
    bsre.berhenti()
    r = setujui_api(permohonan, petugas["lurah"], lihat_draf=False)
    assert r.status_code == 503
    tidak_berubah(permohonan)
    assert TandaTanganTertunda.objects.get(permohonan=permohonan).percobaan == 2

    # Visible in the signer's queue while it waits.
    client.force_login(petugas["lurah"])
    halaman = client.get(reverse("web:siap_ditandatangani")).content.decode()
    assert permohonan.nomor_registrasi in halaman and "menunggu BSrE" in halaman

    # Still down: nobody is told yet.
    assert tte_kabari_pulih() == 0
    bsre.mulai(port=port)
    bsre.mati = True
    assert tte_kabari_pulih() == 0
    # Back: the signer gets the link to the passphrase prompt, once.
    bsre.mati = False
    assert tte_kabari_pulih() == 1
    pesan = Outbox.objects.get(templat="tte_pulih")
    assert pesan.penerima == HP_LURAH and "/petugas/siap-ditandatangani/#passphrase" in pesan.isi
    assert tte_kabari_pulih() == 0

    r = client.post(reverse("web:siap_ditandatangani"), {"permohonan": [permohonan.pk], "passphrase": PASSPHRASE})
    assert r.status_code == 302
    p = Permohonan.objects.get(pk=permohonan.pk)
    assert p.status == Status.SELESAI and p.surat.get().urut == 1
    assert not TandaTanganTertunda.objects.exists()
    assert api(petugas["lurah"]).get(f"/api/v1/permohonan/{p.pk}/").json()["tanda_tangan_tertunda"] is None


def test_persetujuan_yang_menunggu_bsre_cukup_bagi_penyetujunya_saja(permohonan, kantor, petugas, bsre):
    """An approval waiting for BSrE stands for its signer's look at the draft, and for nobody else's. This
    one was kept before the draft rule existed, so the ledger holds no pratinjau_draf for it at all."""
    plh = buat_user("plh.medono", "Rudi", "Hartono")
    tugaskan(plh, Peran.LURAH, kantor["medono"], jabatan="Plh. Lurah Medono")
    TandaTanganTertunda.objects.create(permohonan=permohonan, aksi="setujui", penandatangan=petugas["lurah"],
                                       sejak=WAKTU, terakhir_dicoba=WAKTU, alasan="penyedia_tidak_tersedia")
    assert not AuditEvent.objects.filter(aksi="pratinjau_draf").exists()
    r = setujui_api(permohonan, plh, lihat_draf=False)
    assert r.status_code == 409 and "belum Anda buka" in r.json()["detail"]
    tidak_berubah(permohonan)
    assert bsre.panggilan == []
    r = setujui_api(permohonan, petugas["lurah"], lihat_draf=False)
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "selesai" and not TandaTanganTertunda.objects.exists()


def test_dikembalikan_menggugurkan_persetujuan_yang_menunggu_bsre(wilayah, kantor, layanan, warga, petugas, bsre):
    """The camat approved, BSrE was down; then the request was returned and went round again. The waiting
    approval went with the return: nobody is told to sign it, and the camat opens the new draft first."""
    Penugasan.objects.filter(user=petugas["camat"]).update(nik_tte=NIK_CAMAT)
    bsre.daftarkan(NIK_CAMAT, "sandi-camat", "BAMBANG WIJAYA")
    petugas_kec = buat_user("petugas.pekalonganbarat", "Eko", "Prasetyo")
    tugaskan(petugas_kec, Peran.PETUGAS_KECAMATAN, kantor["kecamatan"])
    waris = buat_permohonan(layanan=layanan["ahli_waris"], kelurahan=wilayah["medono"], pemohon=warga["budi"],
                            status=Status.DIVERIFIKASI_KECAMATAN, data={"nama_almarhum": "Slamet"})
    bsre.mati = True
    r = setujui_api(waris, petugas["camat"], passphrase="sandi-camat", aksi="setujui_camat")
    assert r.status_code == 503
    assert TandaTanganTertunda.objects.get(permohonan=waris).penandatangan == petugas["camat"]
    bsre.mati = False
    r = api(petugas["camat"]).post(f"/api/v1/permohonan/{waris.pk}/aksi/",
                                   {"aksi": "kembalikan", "catatan": "Data saksi perlu diperbaiki kelurahan"},
                                   format="json")
    assert r.status_code == 200 and r.json()["tanda_tangan_tertunda"] is None
    assert not TandaTanganTertunda.objects.exists()
    assert tte_kabari_pulih() == 0 and not Outbox.objects.filter(templat="tte_pulih").exists()
    for pengguna, nama in ((petugas["petugas"], "verifikasi"), (petugas["lurah"], "setujui"),
                           (petugas_kec, "verifikasi_kecamatan")):
        r = api(pengguna).post(f"/api/v1/permohonan/{waris.pk}/aksi/", {"aksi": nama}, format="json")
        assert r.status_code == 200, (nama, r.content)
    r = setujui_api(waris, petugas["camat"], passphrase="sandi-camat", aksi="setujui_camat", lihat_draf=False)
    assert r.status_code == 409 and "belum Anda buka" in r.json()["detail"]
    assert Permohonan.objects.get(pk=waris.pk).status == Status.DIVERIFIKASI_KECAMATAN
    r = setujui_api(waris, petugas["camat"], passphrase="sandi-camat", aksi="setujui_camat")
    assert r.status_code == 200 and r.json()["status"] == "selesai"


def test_antrean_menandatangani_beberapa_surat_dengan_satu_passphrase(client, wilayah, layanan, warga, petugas, bsre):
    daftar = [buat_permohonan(layanan=layanan["domisili"], kelurahan=wilayah["medono"], pemohon=warga["budi"])
              for _ in range(3)]
    client.force_login(petugas["lurah"])
    halaman = client.get(reverse("web:siap_ditandatangani")).content.decode()
    assert 'type="password"' in halaman and 'id="passphrase"' in halaman and 'autocomplete="off"' in halaman
    for p in daftar:
        assert p.nomor_registrasi in halaman
        client.get(reverse("web:petugas_draf", args=[p.pk]))  # nothing is signed unseen
    r = client.post(reverse("web:siap_ditandatangani"),
                    {"permohonan": [p.pk for p in daftar], "passphrase": PASSPHRASE})
    assert r.status_code == 302
    assert sorted(Surat.objects.values_list("urut", flat=True)) == [1, 2, 3]
    assert [c[1] for c in bsre.panggilan] == ["/api/v2/sign/pdf"] * 3
    assert client.get(reverse("web:siap_ditandatangani")).content.decode().count("Lihat draf") == 0


def test_antrean_berhenti_pada_passphrase_salah(client, wilayah, layanan, warga, petugas, bsre):
    daftar = [buat_permohonan(layanan=layanan["domisili"], kelurahan=wilayah["medono"], pemohon=warga["budi"])
              for _ in range(2)]
    client.force_login(petugas["lurah"])
    for p in daftar:
        client.get(reverse("web:petugas_draf", args=[p.pk]))
    r = client.post(reverse("web:siap_ditandatangani"), {"permohonan": [p.pk for p in daftar], "passphrase": "x"})
    assert r.status_code == 400
    assert "Passphrase TTE salah" in r.content.decode()
    assert len(bsre.panggilan) == 1 and not Surat.objects.exists() and nomor_terpakai() == 0


def test_halaman_aksi_meminta_passphrase(client, permohonan, petugas, bsre):
    client.force_login(petugas["lurah"])
    url = reverse("web:petugas_aksi", args=[permohonan.pk, "setujui"])
    html = client.get(url).content.decode()
    assert 'type="password"' in html and 'autocomplete="off"' in html and 'name="passphrase"' in html
    lihat_draf_web(client, permohonan.pk)  # what the confirm step's frame loads
    r = client.post(url, {"passphrase": "salah-sekali", "konfirmasi": "1"})
    assert r.status_code == 400 and "Passphrase TTE salah" in r.content.decode()
    assert "salah-sekali" not in r.content.decode()
    tidak_berubah(permohonan)
    # The right passphrase without the confirm step beside the draft issues nothing (issue 18, item 3).
    r = client.post(url, {"passphrase": PASSPHRASE})
    assert r.status_code == 400 and "Periksa draf surat" in r.content.decode()
    tidak_berubah(permohonan)
    r = client.post(url, {"passphrase": PASSPHRASE, "konfirmasi": "1"})
    assert r.status_code == 302 and Permohonan.objects.get(pk=permohonan.pk).status == Status.SELESAI


def test_tautan_whatsapp_ke_penandatangan_saat_siap(permohonan, wilayah, layanan, warga, petugas, bsre):
    p = buat_permohonan(layanan=layanan["domisili"], kelurahan=wilayah["medono"], pemohon=warga["budi"],
                        status=Status.DIAJUKAN)
    permohonan_aksi(permohonan_id=p.pk, pengguna=petugas["petugas"], aksi="verifikasi")
    pesan = Outbox.objects.get(templat="siap_ditandatangani")
    assert pesan.penerima == HP_LURAH and pesan.isi.endswith("/petugas/siap-ditandatangani/#passphrase")
    assert p.nomor_registrasi in pesan.isi


def test_penandatangan_per_layanan_sekretaris_an_dan_camat(wilayah, kantor, layanan, warga, petugas, bsre):
    sekretaris = buat_user("sekel.medono", "Rina", "Kurnia")
    tugas = tugaskan(sekretaris, Peran.LURAH, kantor["medono"], nip="198203022008012005",
                     jabatan="Sekretaris Kelurahan")
    Penugasan.objects.filter(pk=tugas.pk).update(kedudukan="an", nik_tte=NIK_SEKRETARIS)
    bsre.daftarkan(NIK_SEKRETARIS, "sandi-sekel", "RINA KURNIA")
    PenandatanganLayanan.objects.create(kantor=kantor["medono"], layanan=layanan["domisili"], pengguna=sekretaris)
    p = buat_permohonan(layanan=layanan["domisili"], kelurahan=wilayah["medono"], pemohon=warga["budi"])

    # Only the named signer is offered the signing action; the lurah who is not named is refused.
    assert "setujui" not in aksi_tersedia(permohonan=p, pengguna=petugas["lurah"])
    assert "setujui" in aksi_tersedia(permohonan=p, pengguna=sekretaris)
    r = setujui_api(p, petugas["lurah"])
    assert r.status_code == 403 and "Rina Kurnia" in r.json()["detail"]
    assert setujui_api(p, sekretaris, passphrase="sandi-sekel").status_code == 200
    surat = Surat.objects.get(permohonan=p)
    assert surat.penandatangan["jabatan"].startswith("a.n. LURAH MEDONO")
    assert surat.tanda_tangan_elektronik["nama"] == "RINA KURNIA"

    # Kecamatan-level letter: the camat signs with the camat's own certificate.
    Penugasan.objects.filter(user=petugas["camat"]).update(nik_tte=NIK_CAMAT)
    bsre.daftarkan(NIK_CAMAT, "sandi-camat", "BAMBANG WIJAYA")
    waris = buat_permohonan(layanan=layanan["ahli_waris"], kelurahan=wilayah["medono"], pemohon=warga["budi"],
                            status=Status.DIVERIFIKASI_KECAMATAN, data={"nama_almarhum": "Slamet"})
    assert setujui_api(waris, petugas["camat"], passphrase="sandi-camat", aksi="setujui_camat").status_code == 200
    surat = Surat.objects.get(permohonan=waris)
    assert surat.kantor == kantor["kecamatan"] and surat.tanda_tangan_elektronik["nama"] == "BAMBANG WIJAYA"
    validasi = validate_pdf_signature(PdfFileReader(surat.berkas_pdf.open("rb")).embedded_signatures[0],
                                      ValidationContext(trust_roots=[bsre.akar]))
    assert validasi.bottom_line


def test_verifikasi_melaporkan_tte_dan_sertifikat_dicabut(client, permohonan, petugas, bsre):
    assert setujui_api(permohonan, petugas["lurah"]).status_code == 200
    surat = Surat.objects.get(permohonan=permohonan)
    token = token_buat(surat.id_publik)
    d = APIClient().get(f"/api/v1/verifikasi/{token}/").json()
    assert d["sha256"] == surat.sha256
    penyedia = d["tte_penyedia"]
    assert penyedia["tersedia"] and penyedia["kesimpulan"] == "VALID"
    assert penyedia["penandatangan"][0]["nama"] == "SITI RAHAYU"
    assert penyedia["penandatangan"][0]["status_sertifikat"] == "berlaku" and penyedia["penandatangan"][0]["waktu"]
    assert [c[1] for c in bsre.panggilan].count("/api/v2/verify/pdf") == 1
    client.get(reverse("surat-verifikasi", args=[token]))
    assert [c[1] for c in bsre.panggilan].count("/api/v2/verify/pdf") == 1  # cached

    bsre.pengguna[NIK_LURAH]["status"] = "REVOKED"
    cache.clear()
    html = client.get(reverse("surat-verifikasi", args=[token])).content.decode()
    assert "SERTIFIKAT DICABUT" in html and surat.sha256 in html
    assert APIClient().get(f"/api/v1/verifikasi/{token}/").json()["tte_penyedia"]["kesimpulan"] == "INVALID"

    bsre.mati = True
    cache.clear()
    html = client.get(reverse("surat-verifikasi", args=[token])).content.decode()
    assert "Layanan verifikasi BSrE sedang tidak dapat dihubungi" in html and surat.sha256 in html


def _teks_semua_baris() -> str:
    """Every text/JSON column of every row of every table."""
    potongan = []
    for model in apps.get_models():
        kolom = [f.attname for f in model._meta.concrete_fields
                 if isinstance(f, (models.CharField, models.TextField, models.JSONField))]
        if kolom:
            for baris in model.objects.values_list(*kolom):
                potongan.append(repr(baris))
    return "\n".join(potongan)


def test_passphrase_tidak_ada_di_log_basis_data_pesan_maupun_laporan_galat(
        permohonan, wilayah, layanan, warga, petugas, bsre, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    halaman = []
    # A refusal, an outage, a desk approval and an API approval, each with the passphrase.
    r = setujui_api(permohonan, petugas["lurah"], passphrase=PASSPHRASE + "x")
    halaman.append(r.content)
    bsre.mati = True
    halaman.append(setujui_api(permohonan, petugas["lurah"]).content)
    bsre.mati = False
    web = Client()
    web.force_login(petugas["lurah"])
    r = web.post(reverse("web:petugas_aksi", args=[permohonan.pk, "setujui"]), {"passphrase": PASSPHRASE, "konfirmasi": "1"}, follow=True)
    halaman.append(r.content)
    kedua = buat_permohonan(layanan=layanan["domisili"], kelurahan=wilayah["medono"], pemohon=warga["budi"])
    halaman.append(setujui_api(kedua, petugas["lurah"]).content)
    assert Surat.objects.count() == 2

    # An unexpected failure after signing (storage down), through the API and the desk page:
    # Django's error report must hide the passphrase (form data and every frame that held it).
    def rusak(*args, **kwargs):
        raise RuntimeError("penyimpanan tidak tersedia")

    monkeypatch.setattr("layanan.surat.terbit._simpan_pdf", rusak)
    laporan = []
    ketiga = buat_permohonan(layanan=layanan["domisili"], kelurahan=wilayah["medono"], pemohon=warga["budi"])
    klien = APIClient(raise_request_exception=False)
    klien.force_authenticate(petugas["lurah"])
    lihat_draf_api(klien, ketiga.pk)
    for klien_uji, kirim in (
        (klien, lambda k: k.post(f"/api/v1/permohonan/{ketiga.pk}/aksi/",
                                 {"aksi": "setujui", "passphrase": PASSPHRASE}, format="multipart")),
        (web, lambda k: k.post(reverse("web:petugas_aksi", args=[ketiga.pk, "setujui"]), {"passphrase": PASSPHRASE, "konfirmasi": "1"})),
    ):
        klien_uji.raise_request_exception = False
        r = kirim(klien_uji)
        assert r.status_code == 500 and r.exc_info is not None
        reporter = ExceptionReporter(r.wsgi_request, *r.exc_info)
        laporan += [reporter.get_traceback_text(), reporter.get_traceback_html()]
        assert "penyimpanan tidak tersedia" in laporan[-2]
        assert "passphrase" in laporan[-2]  # the field is named, its value hidden
        halaman.append(r.content)

    tempat = {
        "log": caplog.text,
        "basis data": _teks_semua_baris(),
        "outbox": "\n".join(Outbox.objects.values_list("isi", flat=True)) + repr(list(Outbox.objects.values())),
        "jawaban": b"\n".join(halaman).decode("utf-8", "replace"),
        "laporan galat": "\n".join(laporan),
    }
    assert Outbox.objects.exists() and AuditEvent.objects.filter(aksi="tte_gagal").exists()
    for nama, teks in tempat.items():
        assert PASSPHRASE not in teks, nama


def test_terbitkan_ulang_di_admin_meminta_passphrase(client, permohonan, petugas, bsre):
    assert setujui_api(permohonan, petugas["lurah"]).status_code == 200
    lama = Surat.objects.get(permohonan=permohonan)
    lurah = petugas["lurah"]
    lurah.is_staff = lurah.is_superuser = True
    lurah.save()
    client.force_login(lurah)
    url = reverse("admin:layanan_surat_changelist")
    dasar = {"action": "terbitkan_ulang", "_selected_action": [lama.pk]}
    html = client.post(url, dasar).content.decode()
    assert 'type="password"' in html and 'name="passphrase"' in html
    r = client.post(url, {**dasar, "terapkan": "1", "alasan": "Salah ketik alamat", "passphrase": "keliru"}, follow=True)
    assert "Passphrase TTE salah" in r.content.decode()
    assert Surat.objects.count() == 1
    # The refused attempt is in the ledger, as a refused approval is (the passphrase never is).
    gagal = AuditEvent.objects.get(aksi="tte_gagal", objek_tipe="surat", objek_id=str(lama.pk))
    assert gagal.aktor == lurah.username and gagal.data["aksi"] == "terbitkan_ulang" and gagal.data["kode"] == "passphrase_salah"
    assert "keliru" not in json.dumps(gagal.data)
    client.post(url, {**dasar, "terapkan": "1", "alasan": "Salah ketik alamat", "passphrase": PASSPHRASE})
    baru = Surat.objects.get(digantikan=lama)
    assert baru.urut == 2 and baru.tanda_tangan_elektronik["penyedia"] == "bsre"
