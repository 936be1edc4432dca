"""Master data and requests for the letter tests: Kota Pekalongan, two kelurahan, one kecamatan."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from kelurahan.models import Kantor, Penugasan, Peran, Wilayah
from layanan.models import Layanan, Permohonan, Status, Warga

WIB = ZoneInfo("Asia/Jakarta")
WAKTU = datetime.datetime(2026, 11, 23, 10, 30, tzinfo=WIB)


def buat_user(username, nama_depan="", nama_belakang=""):
    return get_user_model().objects.create_user(username=username, first_name=nama_depan, last_name=nama_belakang)


def tugaskan(user, peran, kantor, nip="", jabatan=""):
    return Penugasan.objects.create(user=user, peran=peran, kantor=kantor, nip=nip, jabatan=jabatan)


@pytest.fixture
def wilayah(db):
    prov = Wilayah.objects.create(kode="33", nama="Jawa Tengah", tingkat=1)
    kota = Wilayah.objects.create(kode="33.75", nama="Kota Pekalongan", tingkat=2, induk=prov)
    kec = Wilayah.objects.create(kode="33.75.01", nama="Pekalongan Barat", tingkat=3, induk=kota)
    medono = Wilayah.objects.create(kode="33.75.01.1002", nama="Medono", tingkat=4, induk=kec)
    tirto = Wilayah.objects.create(kode="33.75.01.1009", nama="Tirto", tingkat=4, induk=kec)
    return {"kota": kota, "kecamatan": kec, "medono": medono, "tirto": tirto}


@pytest.fixture
def kantor(wilayah):
    umum = {"kop_baris_1": "Pemerintah Kota Pekalongan", "kop_baris_2": "Kecamatan Pekalongan Barat"}
    medono = Kantor.objects.create(
        wilayah=wilayah["medono"], jenis=Kantor.Jenis.KELURAHAN, nama="Kelurahan Medono",
        alamat="Jl. Kurinci No. 1, Pekalongan", kode_pos="51111", telepon="(0285) 421000",
        penandatangan_nama="Hj. Siti Rahayu, S.Sos.", penandatangan_nip="197503122001122003",
        penandatangan_jabatan="LURAH MEDONO", **umum,
    )
    tirto = Kantor.objects.create(
        wilayah=wilayah["tirto"], jenis=Kantor.Jenis.KELURAHAN, nama="Kelurahan Tirto",
        penandatangan_nama="Agus Salim", penandatangan_nip="198001012005011001", penandatangan_jabatan="LURAH TIRTO",
        **umum,
    )
    kec = Kantor.objects.create(
        wilayah=wilayah["kecamatan"], jenis=Kantor.Jenis.KECAMATAN, nama="Kecamatan Pekalongan Barat",
        kop_baris_1="Pemerintah Kota Pekalongan", penandatangan_nama="Drs. Bambang Wijaya, M.Si.",
        penandatangan_nip="196805101990031004", penandatangan_jabatan="CAMAT PEKALONGAN BARAT",
    )
    return {"medono": medono, "tirto": tirto, "kecamatan": kec}


@pytest.fixture
def petugas(kantor):
    lurah = buat_user("lurah.medono", "Siti", "Rahayu")
    tugaskan(lurah, Peran.LURAH, kantor["medono"], nip="197503122001122003", jabatan="Lurah Medono")
    lurah_tirto = buat_user("lurah.tirto", "Agus", "Salim")
    tugaskan(lurah_tirto, Peran.LURAH, kantor["tirto"], nip="198001012005011001", jabatan="Lurah Tirto")
    camat = buat_user("camat.pekalonganbarat", "Bambang", "Wijaya")
    tugaskan(camat, Peran.CAMAT, kantor["kecamatan"], nip="196805101990031004", jabatan="Camat Pekalongan Barat")
    petugas_medono = buat_user("petugas.medono", "Dewi", "Lestari")
    tugaskan(petugas_medono, Peran.PETUGAS_KELURAHAN, kantor["medono"])
    admin = buat_user("admin.kota", "Admin", "Kota")
    tugaskan(admin, Peran.ADMIN, kantor["kecamatan"])
    return {"lurah": lurah, "lurah_tirto": lurah_tirto, "camat": camat, "petugas": petugas_medono, "admin": admin}


@pytest.fixture
def layanan(db):
    domisili = Layanan.objects.create(
        kode="domisili", nama="Surat Keterangan Domisili", tingkat=Layanan.Tingkat.KELURAHAN,
        perihal="Surat Keterangan Domisili", kode_klasifikasi="400.12.2.2", sla_jam=2, sla_jam_kelurahan=2,
        formulir=[
            {"nama": "lama_tinggal", "label": "Lama tinggal", "tipe": "teks", "wajib": True},
            {"nama": "mulai_tinggal", "label": "Tinggal sejak", "tipe": "tanggal", "wajib": False},
        ],
    )
    ahli_waris = Layanan.objects.create(
        kode="ahli-waris", nama="Surat Keterangan Ahli Waris", tingkat=Layanan.Tingkat.KECAMATAN,
        perihal="Surat Keterangan Ahli Waris", kode_klasifikasi="400.12.3.1", sla_jam=16, sla_jam_kelurahan=8,
        sla_jam_kecamatan=8,
        formulir=[{"nama": "nama_almarhum", "label": "Nama almarhum", "tipe": "teks", "wajib": True}],
    )
    return {"domisili": domisili, "ahli_waris": ahli_waris}


IDENTITAS_BUDI = {
    "nik": "3375011203900012", "no_hp": "+6281234567890", "nama": "Budi Santoso", "tempat_lahir": "Pekalongan",
    "tanggal_lahir": "1990-03-12", "jenis_kelamin": "L", "agama": "Islam", "pekerjaan": "Wiraswasta",
    "status_perkawinan": "Kawin", "alamat": "Jl. Merdeka No. 5 RT 002 RW 003, Medono",
}


def buat_warga(username, identitas):
    user = buat_user(username)
    return Warga.objects.create(
        user=user, nik=identitas["nik"], nama=identitas["nama"], no_hp=identitas["no_hp"],
        jenis_kelamin=identitas["jenis_kelamin"],
    )


@pytest.fixture
def warga(db):
    budi = buat_warga("warga.budi", IDENTITAS_BUDI)
    lain = buat_warga("warga.ani", {**IDENTITAS_BUDI, "nik": "3375015506920003", "nama": "Ani Wulandari",
                                    "jenis_kelamin": "P", "no_hp": "+6281234500000"})
    return {"budi": budi, "ani": lain}


def buat_permohonan(*, layanan, kelurahan, pemohon, identitas=None, data=None, status=Status.DIVERIFIKASI,
                    keperluan="Persyaratan pembukaan rekening bank"):
    return Permohonan.objects.create(
        layanan=layanan, kelurahan=kelurahan, kecamatan=kelurahan.induk, pemohon=pemohon,
        identitas=identitas or IDENTITAS_BUDI, keperluan=keperluan,
        data=data if data is not None else {"lama_tinggal": "5 tahun", "mulai_tinggal": "2021-07-01"},
        status=status, diajukan_pada=WAKTU - datetime.timedelta(hours=3),
    )


@pytest.fixture
def permohonan(wilayah, kantor, layanan, warga):
    return buat_permohonan(layanan=layanan["domisili"], kelurahan=wilayah["medono"], pemohon=warga["budi"])
