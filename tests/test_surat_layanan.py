"""Every service's letter says what that service certifies, with every value the resident typed.

Each request goes through the real stack: the resident submits over the API with the
service's own fields and documents, officers act over the API, and the issued PDF is read
back from the download endpoint. The letters are also written to artifacts/surat/ (CI turns
four of them into PNG screenshots).
"""

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from rest_framework.test import APIClient

from kelurahan.models import Kantor, Peran
from layanan.katalog import KATALOG, katalog_muat
from layanan.models import Layanan, Permohonan
from layanan.surat.pdf import nilai_cetak
from tests.factories import KEC_BARAT, MEDONO, buat_kantor, buat_petugas, buat_warga, buat_wilayah, token, unggahan
from tests.pembantu_ttd import lihat_draf_api

pytestmark = pytest.mark.django_db
ARTEFAK = Path(__file__).resolve().parent.parent / "artifacts" / "surat"

# What each service's letter must say about its subject, besides its title.
POKOK = {
    "domisili": "bertempat tinggal (berdomisili)",
    "sktm": "keluarga tidak mampu",
    "usaha": "menjalankan usaha",
    "pengantar-skck": "Surat Keterangan Catatan Kepolisian (SKCK)",
    "pengantar-nikah": "akan melangsungkan pernikahan",
    "kelahiran": "telah lahir seorang anak laki-laki",
    "kematian": "telah meninggal dunia",
    "ahli-waris": "meninggalkan ahli waris",
    "belum-menikah": "belum pernah menikah",
    "pindah": "bermaksud pindah",
    "penghasilan": "penghasilan rata-rata per bulan",
    "janda-duda": "berstatus janda cerai mati",
    "iumk": "memberikan Izin Usaha Mikro dan Kecil",
    "dispensasi-nikah": "pernikahan kurang dari 10 (sepuluh) hari kerja",
}

DATA = {
    "domisili": {"alamat_domisili": "Jl. Kurinci Gang 3 No. 17", "rt": 2, "rw": 5,
                 "status_tempat_tinggal": "sewa/kontrak", "lama_tinggal_tahun": 4},
    "sktm": {"untuk": "pendidikan", "nama_yang_bersangkutan": "Rina Aminah", "hubungan": "anak",
             "instansi_tujuan": "SMA Negeri 1 Pekalongan", "penghasilan_bulanan": 1250000, "jumlah_tanggungan": 4},
    "usaha": {"nama_usaha": "Batik Tulis Sekar Jagad", "jenis_usaha": "batik dan konveksi",
              "alamat_usaha": "Jl. Hayam Wuruk No. 8", "mulai_usaha": "2019-04-01", "jumlah_pekerja": 3},
    "pengantar-skck": {"keperluan_skck": "melamar pekerjaan", "kantor_polisi": "Polres Pekalongan Kota"},
    "pengantar-nikah": {
        "formulir_diminta": "N1, N2, N4, N5", "status_pemohon": "perawan", "nama_ayah": "Darmo Sutrisno",
        "nama_ibu": "Sumiyati", "nama_calon": "Agus Prasetyo", "nik_calon": "3375011508950004",
        "tempat_lahir_calon": "Batang", "tanggal_lahir_calon": "1995-08-15", "alamat_calon": "Jl. Gajah Mada 40",
        "nama_ayah_calon": "Slamet Riyanto", "nama_ibu_calon": "Partini", "tanggal_nikah": "2026-12-20",
        "tempat_nikah": "KUA Pekalongan Barat"},
    "kelahiran": {"nama_bayi": "Muhammad Arkan Pratama", "jenis_kelamin_bayi": "laki-laki",
                  "tempat_lahir_bayi": "RSUD Bendan", "tanggal_lahir_bayi": "2026-11-02", "jam_lahir": "08:30",
                  "anak_ke": 2, "nama_ayah": "Budi Pratama", "nik_ayah": "3375010202880005",
                  "nama_ibu": "Siti Aminah", "nik_ibu": "3375014506900002", "hubungan_pelapor": "ibu"},
    "kematian": {"nama_almarhum": "Karto Wiyono", "nik_almarhum": "3375010101450001",
                 "jenis_kelamin_almarhum": "laki-laki", "tempat_lahir_almarhum": "Pekalongan",
                 "tanggal_lahir_almarhum": "1945-01-01", "alamat_terakhir": "Jl. Kurinci No. 3 Medono",
                 "tanggal_meninggal": "2026-11-10", "jam_meninggal": "04:15", "tempat_meninggal": "rumah duka",
                 "sebab": "sakit biasa/tua", "hubungan_pelapor": "anak kandung"},
    "ahli-waris": {
        "nama_pewaris": "Haji Abdul Rozak", "nik_pewaris": "3375010303500002", "tanggal_meninggal": "2026-08-17",
        "tempat_meninggal": "RSUD Bendan", "alamat_terakhir": "Jl. Kurinci No. 9", "nomor_akta_kematian": "3375-KM-0099",
        "ahli_waris": [
            {"nama": "Siti Aminah", "nik": "3375014506900002", "hubungan": "anak", "tanggal_lahir": "1990-06-05"},
            {"nama": "Fatimah Rozak", "nik": "3375015007550001", "hubungan": "istri"},
            {"nama": "Ahmad Rozak", "nik": "3375012009920003", "hubungan": "anak"},
        ],
        "saksi": [{"nama": "Sugeng Riyadi", "nik": "3375011111700001", "alamat": "Jl. Kurinci No. 11"},
                  {"nama": "Warsito", "nik": "3375011212680002", "alamat": "Jl. Kurinci No. 15"}],
        "keperluan_waris": "balik nama sertifikat"},
    "belum-menikah": {"digunakan_untuk": "pendaftaran Bintara Polri"},
    "pindah": {"alamat_tujuan": "Jl. Pemuda No. 21", "kelurahan_tujuan": "Sekayu", "kecamatan_tujuan": "Semarang Tengah",
               "kabkota_tujuan": "Kota Semarang", "provinsi_tujuan": "Jawa Tengah", "kode_wilayah_tujuan": "33.74.01.1001",
               "alasan_pindah": "pekerjaan", "tanggal_pindah": "2026-12-01",
               "anggota_pindah": [{"nama": "Rina Aminah", "nik": "3375014708120001", "hubungan": "anak"}]},
    "penghasilan": {"nama_anak": "Rina Aminah", "sekolah_tujuan": "Universitas Diponegoro",
                    "penghasilan_bulanan": 2750000},
    "janda-duda": {"status": "janda cerai mati", "nama_pasangan": "Suparno", "tanggal_peristiwa": "2024-02-14",
                   "nomor_akta": "3375-KM-2024-0012"},
    "iumk": {"nama_usaha": "Warung Nasi Megono Bu Siti", "bentuk_usaha": "perorangan",
             "kegiatan_usaha": "penjualan makanan olahan", "sarana_usaha": "toko/kios",
             "alamat_usaha": "Jl. Kurinci No. 21", "modal_usaha": 15000000, "mulai_usaha": "2022-01-10",
             "npwp": "12.345.678.9-012.000"},
    "dispensasi-nikah": {"nama_calon": "Agus Prasetyo", "nik_calon": "3375011508950004",
                         "tanggal_pemberitahuan": "2026-11-20", "tanggal_nikah": "2026-11-27",
                         "tempat_nikah": "KUA Pekalongan Barat", "alasan": "calon suami bertugas ke luar negeri"},
}


def teks_pdf(isi: bytes) -> str:
    return " ".join(" ".join(h.extract_text() for h in PdfReader(io.BytesIO(isi)).pages).split())


def klien(user) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token(user)}")
    return c


@pytest.fixture
def kota(db):
    buat_wilayah()
    kec = buat_kantor(KEC_BARAT, Kantor.Jenis.KECAMATAN, "Kecamatan Pekalongan Barat",
                      penandatangan_jabatan="CAMAT PEKALONGAN BARAT", penandatangan_nama="Drs. Bambang Wijaya, M.Si.",
                      alamat="Jl. Jenderal Sudirman No. 29, Pekalongan", kode_pos="51116", telepon="(0285) 421553")
    medono = buat_kantor(MEDONO, Kantor.Jenis.KELURAHAN, "Kelurahan Medono", penandatangan_jabatan="LURAH MEDONO",
                         penandatangan_nama="Hj. Siti Rahayu, S.Sos.", kop_baris_2="KECAMATAN PEKALONGAN BARAT",
                         alamat="Jl. Kurinci No. 1, Medono, Pekalongan", kode_pos="51111", telepon="(0285) 421000")
    katalog_muat()
    return {
        "petugas": buat_petugas("petugas.medono", Peran.PETUGAS_KELURAHAN, medono),
        "lurah": buat_petugas("lurah.medono", Peran.LURAH, medono),
        "petugas_kec": buat_petugas("petugas.kec", Peran.PETUGAS_KECAMATAN, kec),
        "camat": buat_petugas("camat.barat", Peran.CAMAT, kec),
        "warga": buat_warga(),
    }


def jalankan_sampai_selesai(kota, kode: str, data: dict) -> tuple[Permohonan, bytes]:
    layanan = Layanan.objects.get(kode=kode)
    isian = {
        "layanan": kode, "kelurahan": MEDONO, "keperluan": "Persyaratan administrasi", "data": json.dumps(data),
        "nama": "Siti Aminah", "alamat": "Jl. Kurinci No. 9 RT 002 RW 005, Medono", "tempat_lahir": "Pekalongan",
        "agama": "Islam", "pekerjaan": "Pedagang", "status_perkawinan": "Kawin",
    }
    for syarat in layanan.persyaratan.filter(unggah=True):
        isian[f"berkas_{syarat.kode}"] = unggahan(f"{syarat.kode}.pdf")
    r = klien(kota["warga"].user).post("/api/v1/permohonan/", isian, format="multipart")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    langkah = [("petugas", "verifikasi"), ("lurah", "setujui")]
    if layanan.tingkat == Layanan.Tingkat.KECAMATAN:
        langkah += [("petugas_kec", "verifikasi_kecamatan"), ("camat", "setujui_camat")]
    for siapa, aksi in langkah:
        if (siapa, aksi) == langkah[-1]:  # the last step signs the letter: its signer opens the draft first
            lihat_draf_api(klien(kota[siapa]), pk)
        r = klien(kota[siapa]).post(f"/api/v1/permohonan/{pk}/aksi/", {"aksi": aksi}, format="json")
        assert r.status_code == 200, (aksi, r.content)
    assert r.json()["status"] == "selesai"
    unduh = klien(kota["warga"].user).get(f"/api/v1/permohonan/{pk}/surat.pdf")
    assert unduh.status_code == 200
    pdf = b"".join(unduh.streaming_content) if unduh.streaming else unduh.content
    ARTEFAK.mkdir(parents=True, exist_ok=True)
    (ARTEFAK / f"{kode}.pdf").write_bytes(pdf)
    return Permohonan.objects.get(pk=pk), pdf


def nilai_tercetak(layanan: Layanan, data: dict) -> list[str]:
    """Every value the resident typed, as the letter prints it (dates in Indonesian, RT/RW padded, rupiah)."""
    hasil = []
    for bidang in layanan.formulir:
        nilai = data.get(bidang["nama"])
        if bidang["tipe"] == "daftar":
            for baris in nilai or []:
                hasil += [nilai_cetak(k, baris[k["nama"]]) for k in bidang["kolom"] if baris.get(k["nama"])]
        elif nilai not in (None, ""):
            hasil.append(nilai_cetak(bidang, nilai))
    return hasil


def test_setiap_layanan_di_katalog_punya_data_uji():
    assert {e["kode"] for e in KATALOG} == set(DATA) == set(POKOK)


@pytest.mark.parametrize("kode", sorted(DATA))
def test_surat_tiap_layanan_memuat_judul_pokok_dan_semua_isian(kota, kode):
    permohonan, pdf = jalankan_sampai_selesai(kota, kode, DATA[kode])
    teks = teks_pdf(pdf)
    layanan = permohonan.layanan
    assert layanan.perihal in teks
    assert POKOK[kode] in teks, teks
    for nilai in nilai_tercetak(layanan, DATA[kode]):
        assert nilai in teks, (kode, nilai)
    assert permohonan.surat.get().nomor in teks
    # The letter speaks for the office that signs it, not for the applicant's office alone.
    if layanan.tingkat == Layanan.Tingkat.KECAMATAN:
        assert "CAMAT PEKALONGAN BARAT" in teks
    else:
        assert "LURAH MEDONO" in teks and "Lurah Medono, Kecamatan Pekalongan Barat" in teks


def test_kematian_menyebut_almarhum_meninggal_dunia_bukan_pemohon(kota):
    _, pdf = jalankan_sampai_selesai(kota, "kematian", DATA["kematian"])
    teks = teks_pdf(pdf)
    assert "Nama : Karto Wiyono" in teks
    assert "telah meninggal dunia pada hari Selasa, tanggal 10 November 2026, pukul 04.15 WIB, di rumah duka" in teks
    # The applicant appears as the reporter, after the deceased.
    assert teks.index("Karto Wiyono") < teks.index("dilaporkan oleh") < teks.index("Siti Aminah")


def test_kelahiran_menyebut_anak_telah_lahir(kota):
    _, pdf = jalankan_sampai_selesai(kota, "kelahiran", DATA["kelahiran"])
    teks = teks_pdf(pdf)
    assert "pada hari Senin, tanggal 2 November 2026, pukul 08.30 WIB, di RSUD Bendan telah lahir seorang anak" in teks
    assert "Muhammad Arkan Pratama" in teks and "Anak ke : 2" in teks


def test_ahli_waris_mendaftar_tiap_ahli_waris_dan_saksi_dibenarkan_lurah_dikuatkan_camat(kota):
    _, pdf = jalankan_sampai_selesai(kota, "ahli-waris", DATA["ahli-waris"])
    teks = teks_pdf(pdf)
    assert "Hubungan dengan pewaris" in teks  # the heirs' table has its column labels
    for ahli in DATA["ahli-waris"]["ahli_waris"]:
        assert f"{ahli['nama']} {ahli['nik']} {ahli['hubungan']}" in teks
    assert "Sugeng Riyadi" in teks and "Warsito" in teks
    assert "dibenarkan oleh Lurah Medono (Hj. Siti Rahayu, S.Sos." in teks and "Dikuatkan oleh" in teks


def test_domisili_rt_rw_tiga_digit(kota):
    _, pdf = jalankan_sampai_selesai(kota, "domisili", DATA["domisili"])
    assert "Jl. Kurinci Gang 3 No. 17 RT 002/RW 005, Kelurahan Medono" in teks_pdf(pdf)


def test_iumk_izin_dengan_nomor_izin_dari_camat(kota):
    permohonan, pdf = jalankan_sampai_selesai(kota, "iumk", DATA["iumk"])
    teks = teks_pdf(pdf)
    surat = permohonan.surat.get()
    assert surat.nomor.startswith("500.3.2/0001/33.75.01/")
    assert f"Nomor IUMK : {surat.nomor}" in teks and "Rp15.000.000" in teks
    assert "Surat keterangan ini" not in teks  # a permit, not a certificate


def test_daftar_ahli_waris_ditolak_bila_baris_tidak_lengkap(kota):
    data = {**DATA["ahli-waris"], "ahli_waris": [{"nama": "Tanpa NIK", "hubungan": "anak"}], "saksi": []}
    isian = {"layanan": "ahli-waris", "kelurahan": MEDONO, "keperluan": "x", "data": json.dumps(data),
             "nama": "Siti Aminah", "alamat": "Jl. Kurinci"}
    for syarat in Layanan.objects.get(kode="ahli-waris").persyaratan.filter(unggah=True):
        isian[f"berkas_{syarat.kode}"] = unggahan()
    r = klien(kota["warga"].user).post("/api/v1/permohonan/", isian, format="multipart")
    assert r.status_code == 400
    galat = json.dumps(r.json())
    assert "Baris 1, nik" in galat and "Paling sedikit 2 baris" in galat
    assert not Permohonan.objects.exists()


# --- the web form, the English site, the letterhead ------------------------------------------------


def test_formulir_web_ahli_waris_dengan_baris(client, kota):
    client.force_login(kota["warga"].user)
    html = client.get("/layanan/ahli-waris/ajukan/").content.decode()
    assert 'name="data_ahli_waris__1__nama"' in html and 'name="data_saksi__2__alamat"' in html
    isian = {"diri-nama": "Siti Aminah", "diri-alamat": "Jl. Kurinci 9", "kelurahan": MEDONO,
             "keperluan": "Balik nama sertifikat"}
    for nama, nilai in DATA["ahli-waris"].items():
        if isinstance(nilai, list):
            for nomor, baris in enumerate(nilai, start=1):
                isian.update({f"data_{nama}__{nomor}__{k}": v for k, v in baris.items()})
        else:
            isian[f"data_{nama}"] = nilai
    for syarat in Layanan.objects.get(kode="ahli-waris").persyaratan.filter(unggah=True):
        isian[f"berkas_{syarat.kode}"] = unggahan(f"{syarat.kode}.pdf")
    r = client.post("/layanan/ahli-waris/ajukan/", isian)
    assert r.status_code == 302, r.content.decode()[:3000]
    p = Permohonan.objects.get()
    assert p.data["ahli_waris"] == DATA["ahli-waris"]["ahli_waris"] and len(p.data["saksi"]) == 2

    # a row missing its NIK is refused on the row's first cell, nothing stored
    isian["data_ahli_waris__2__nik"] = ""
    for syarat in Layanan.objects.get(kode="ahli-waris").persyaratan.filter(unggah=True):
        isian[f"berkas_{syarat.kode}"] = unggahan(f"{syarat.kode}.pdf")
    r = client.post("/layanan/ahli-waris/ajukan/", isian)
    assert r.status_code == 400 and "Baris 2, nik" in r.content.decode()
    assert Permohonan.objects.count() == 1


def test_situs_inggris_menampilkan_nama_syarat_dan_label_inggris(client, kota):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "Certificate of Death" in html and "Certificate of Heirs" in html
    # Requirements are on each service's own page (issue 18, item 5).
    assert "Cover letter from the RT/RW heads" in client.get("/layanan/domisili/").content.decode()
    assert "Completed within 1 working hour<" in html or "Completed within 1 working hour " in html
    assert "Completed within 1 working day" in html and "Completed within 2 working hours" in html
    client.force_login(kota["warga"].user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/layanan/kematian/ajukan/").content.decode()
    assert "Name of the deceased" in html and "Cause of death" in html and "Time of death" in html
    assert "Nama almarhum" not in html


def test_sla_teks_jamak_dan_pecahan():
    from django.utils import translation

    from layanan.web.views import sla_teks

    with translation.override("en"):
        assert [sla_teks(j) for j in ("1", "2", "1.5", "7.5", "15", "0.5")] == [
            "completed within 1 working hour", "completed within 2 working hours",
            "completed within 1.5 working hours", "completed within 1 working day",
            "completed within 2 working days", "completed within 30 working minutes"]
    with translation.override("id"):
        assert sla_teks("1.5") == "selesai dalam 1,5 jam kerja" and sla_teks("1") == "selesai dalam 1 jam kerja"


def test_kop_dengan_logo_kantor_dan_tata_garuda(kota):
    from django.core.files.base import ContentFile

    from tests.factories import png_bytes

    medono = Kantor.objects.get(wilayah_id=MEDONO)
    medono.logo.save("kota-pekalongan.png", ContentFile(png_bytes()), save=False)
    medono.kop_garuda = True
    medono.save()
    permohonan, pdf = jalankan_sampai_selesai(kota, "domisili", DATA["domisili"])
    gambar = PdfReader(io.BytesIO(pdf)).pages[0].images
    assert len(gambar) == 2  # the office's logo and the QR code

    from layanan.surat.pdf import konteks_surat, render_html
    from layanan.surat.terbit import penandatangan_blok

    konteks = konteks_surat(permohonan=permohonan, kantor=medono, nomor="1", tanggal=permohonan.diajukan_pada.date(),
                            penandatangan=penandatangan_blok(kantor=medono, pengguna=None))
    assert 'class="kop garuda"' in render_html(konteks)
