"""Small, explicit builders for the test world: Kota Pekalongan, its offices,
officers of every role, two services and residents."""

import io
import secrets

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token

from kelurahan.models import Kantor, Penugasan, Peran, Wilayah
from layanan.models import Layanan, Persyaratan, Warga

KOTA = "33.75"
KEC_BARAT = "33.75.01"
KEC_TIMUR = "33.75.02"
MEDONO = "33.75.01.1002"
TIRTO = "33.75.01.1009"
KAUMAN = "33.75.02.1004"
PASSWORD = "rahasia-uji-123"


def buat_wilayah():
    baris = [
        ("33", "Jawa Tengah", 1, None),
        (KOTA, "Kota Pekalongan", 2, "33"),
        (KEC_BARAT, "Pekalongan Barat", 3, KOTA),
        (KEC_TIMUR, "Pekalongan Timur", 3, KOTA),
        (MEDONO, "Medono", 4, KEC_BARAT),
        (TIRTO, "Tirto", 4, KEC_BARAT),
        (KAUMAN, "Kauman", 4, KEC_TIMUR),
    ]
    for kode, nama, tingkat, induk in baris:
        Wilayah.objects.update_or_create(kode=kode, defaults={"nama": nama, "tingkat": tingkat, "induk_id": induk})


def buat_kantor(kode, jenis, nama, **lain):
    return Kantor.objects.update_or_create(
        wilayah_id=kode,
        defaults={
            "jenis": jenis,
            "nama": nama,
            "alamat": "Jl. Uji No. 1",
            "kop_baris_1": "PEMERINTAH KOTA PEKALONGAN",
            "penandatangan_nama": f"Kepala {nama}",
            "penandatangan_nip": "197001012000031001",
            "penandatangan_jabatan": nama.upper(),
            **lain,
        },
    )[0]


def buat_petugas(username, peran, kantor, *, nama=None):
    User = get_user_model()
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=nama or username.title())
    Penugasan.objects.create(user=user, peran=peran, kantor=kantor, nip="198001012005011001", jabatan=peran)
    return user


def buat_layanan_domisili():
    layanan = Layanan.objects.create(
        kode="domisili",
        nama="Surat Keterangan Domisili",
        tingkat=Layanan.Tingkat.KELURAHAN,
        perihal="SURAT KETERANGAN DOMISILI",
        kode_klasifikasi="400.12.2.1",
        sla_jam=8,
        sla_jam_kelurahan=8,
        formulir=[
            {"nama": "lama_tinggal", "label": "Lama tinggal (tahun)", "tipe": "angka", "wajib": True},
            {"nama": "status_rumah", "label": "Status rumah", "tipe": "pilihan", "wajib": False,
             "pilihan": ["milik sendiri", "sewa", "menumpang"]},
        ],
    )
    Persyaratan.objects.create(layanan=layanan, kode="pengantar_rt", nama="Surat pengantar RT/RW", unggah=True)
    Persyaratan.objects.create(layanan=layanan, kode="ktp", nama="KTP-el", unggah=True)
    Persyaratan.objects.create(layanan=layanan, kode="hadir", nama="Hadir sendiri saat pengambilan", unggah=False)
    return layanan


def buat_layanan_ahli_waris():
    layanan = Layanan.objects.create(
        kode="ahli-waris",
        nama="Surat Keterangan Ahli Waris",
        tingkat=Layanan.Tingkat.KECAMATAN,
        perihal="SURAT KETERANGAN AHLI WARIS",
        kode_klasifikasi="400.12.3.1",
        sla_jam=24,
        sla_jam_kelurahan=8,
        sla_jam_kecamatan=16,
        formulir=[
            {"nama": "nama_almarhum", "label": "Nama almarhum", "tipe": "teks", "wajib": True},
            {"nama": "tanggal_meninggal", "label": "Tanggal meninggal", "tipe": "tanggal", "wajib": True},
        ],
    )
    Persyaratan.objects.create(layanan=layanan, kode="akta_kematian", nama="Akta kematian", unggah=True)
    return layanan


def buat_warga(nik="3375014506900002", no_hp="+6281234567801", nama="Siti Aminah", *, setuju_privasi=True):
    """A registered resident; by default one who already accepted the privacy notice in force (as after a
    first submission), so tests of other concerns need not tick it again."""
    from django.utils import timezone

    from layanan.pdp.pemberitahuan import versi_berlaku

    User = get_user_model()
    user = User.objects.create_user(username=f"warga-{secrets.token_hex(4)}", password=None)
    return Warga.objects.create(user=user, nik=nik, no_hp=no_hp, nama=nama, jenis_kelamin="P", alamat="Jl. Medono 5",
                                privasi_versi=versi_berlaku() if setuju_privasi else "",
                                privasi_disetujui_pada=timezone.now() if setuju_privasi else None)


def token(user) -> str:
    """The user's API token; a new one (as at a real sign-in) when the current one has expired,
    e.g. after a test travelled in time (kelurahan/sesi.py)."""
    from django.utils import timezone

    from kelurahan.sesi import token_terbitkan, umur_token

    t = Token.objects.filter(user=user).first()
    if t is None or timezone.now() - t.created > umur_token(user):
        t = token_terbitkan(user)
    return t.key


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
        b"3 0 obj<</Type/Page/MediaBox[0 0 10 10]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buf, format="PNG")
    return buf.getvalue()


def unggahan(nama="pengantar.pdf", isi=None, jenis="application/pdf"):
    return SimpleUploadedFile(nama, isi if isi is not None else pdf_bytes(), content_type=jenis)


class Dunia:
    """Everything one lifecycle test needs, built once per test."""

    def __init__(self):
        buat_wilayah()
        self.kota = buat_kantor(KOTA, Kantor.Jenis.KOTA, "Inspektorat Kota Pekalongan")
        self.kec_barat = buat_kantor(KEC_BARAT, Kantor.Jenis.KECAMATAN, "Kantor Kecamatan Pekalongan Barat")
        self.kec_timur = buat_kantor(KEC_TIMUR, Kantor.Jenis.KECAMATAN, "Kantor Kecamatan Pekalongan Timur")
        self.medono = buat_kantor(MEDONO, Kantor.Jenis.KELURAHAN, "Kantor Kelurahan Medono")
        self.tirto = buat_kantor(TIRTO, Kantor.Jenis.KELURAHAN, "Kantor Kelurahan Tirto")
        self.kauman = buat_kantor(KAUMAN, Kantor.Jenis.KELURAHAN, "Kantor Kelurahan Kauman")
        self.petugas_medono = buat_petugas("petugas.medono", Peran.PETUGAS_KELURAHAN, self.medono)
        self.lurah_medono = buat_petugas("lurah.medono", Peran.LURAH, self.medono)
        self.petugas_tirto = buat_petugas("petugas.tirto", Peran.PETUGAS_KELURAHAN, self.tirto)
        self.lurah_tirto = buat_petugas("lurah.tirto", Peran.LURAH, self.tirto)
        self.petugas_kec = buat_petugas("petugas.pekalonganbarat", Peran.PETUGAS_KECAMATAN, self.kec_barat)
        self.camat = buat_petugas("camat.pekalonganbarat", Peran.CAMAT, self.kec_barat)
        self.camat_timur = buat_petugas("camat.pekalongantimur", Peran.CAMAT, self.kec_timur)
        self.inspektorat = buat_petugas("inspektorat", Peran.INSPEKTORAT, self.kota)
        self.domisili = buat_layanan_domisili()
        self.ahli_waris = buat_layanan_ahli_waris()
        self.warga = buat_warga()
        self.warga_lain = buat_warga(nik="3375010101900003", no_hp="+6281234567802", nama="Budi Santoso")
