"""seed_demo: Kota Pekalongan master data, demo accounts and residents, and (by default)
a few months of request history walked through the real services.

Idempotent: a second run creates no duplicate rows. Refuses to run with DEBUG
off unless --force, because it creates accounts with a published password.
"""

import logging
import secrets
import time
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.checkpoint import checkpoint_semua
from audit.enkripsi import indeks_nik
from audit.master_data import audit_master_data
from kelurahan.models import Kantor, Penugasan, Peran
from kelurahan.pekalongan import kantor_pekalongan_pasang
from kelurahan.services import WILAYAH_DASAR, wilayah_impor_csv
from layanan.demo.riwayat import KELURAHAN_DEMO, riwayat_demo_buat, riwayat_dibuat
from layanan.katalog import katalog_muat
from layanan.models import Permohonan, Warga

# username, role, office (wilayah code), first name, last name, NIP, jabatan. Names and NIP are demo data;
# the lurah and camat match the signers of their offices (kelurahan/pekalongan.py).
AKUN_DEMO = [
    ("petugas.medono", Peran.PETUGAS_KELURAHAN, "33.75.01.1002", "Rina", "Wulandari",
     "199004152015032002", "Pengadministrasi Pelayanan Kelurahan Medono"),
    ("lurah.medono", Peran.LURAH, "33.75.01.1002", "Agus", "Setiawan, S.STP.",
     "198106242003121001", "Lurah Medono"),
    ("petugas.tirto", Peran.PETUGAS_KELURAHAN, "33.75.01.1009", "Dewi", "Anggraeni",
     "199207082019022004", "Pengadministrasi Pelayanan Kelurahan Tirto"),
    ("lurah.tirto", Peran.LURAH, "33.75.01.1009", "Muhammad", "Fauzi, S.Sos.",
     "197911052006041009", "Lurah Tirto"),
    # The other kelurahan of Pekalongan Barat, so the camat's dashboard compares all seven.
    ("petugas.podosugih", Peran.PETUGAS_KELURAHAN, "33.75.01.1003", "Yuli", "Astuti",
     "199103122017022001", "Pengadministrasi Pelayanan Kelurahan Podosugih"),
    ("lurah.podosugih", Peran.LURAH, "33.75.01.1003", "Nur", "Hidayah, S.E.",
     "197806112006042011", "Lurah Podosugih"),
    ("petugas.sapurokebulen", Peran.PETUGAS_KELURAHAN, "33.75.01.1004", "Arif", "Wibowo",
     "199305212019031007", "Pengadministrasi Pelayanan Kelurahan Sapuro Kebulen"),
    ("lurah.sapurokebulen", Peran.LURAH, "33.75.01.1004", "Teguh", "Prasetyo, S.Sos.",
     "197704092005011008", "Lurah Sapuro Kebulen"),
    ("petugas.bendankergon", Peran.PETUGAS_KELURAHAN, "33.75.01.1006", "Lina", "Marlina",
     "199411302020122003", "Pengadministrasi Pelayanan Kelurahan Bendan Kergon"),
    ("lurah.bendankergon", Peran.LURAH, "33.75.01.1006", "Siti", "Aminah, S.IP.",
     "198203182009042003", "Lurah Bendan Kergon"),
    ("petugas.pasirkratonkramat", Peran.PETUGAS_KELURAHAN, "33.75.01.1008", "Hendro", "Saputro",
     "198912042014031004", "Pengadministrasi Pelayanan Kelurahan Pasirkratonkramat"),
    ("lurah.pasirkratonkramat", Peran.LURAH, "33.75.01.1008", "Rudi", "Hartanto, S.H.",
     "197911232007011006", "Lurah Pasirkratonkramat"),
    ("petugas.pringrejo", Peran.PETUGAS_KELURAHAN, "33.75.01.1012", "Nining", "Kurniasih",
     "199508172020122006", "Pengadministrasi Pelayanan Kelurahan Pringrejo"),
    ("lurah.pringrejo", Peran.LURAH, "33.75.01.1012", "Wahyu", "Nugroho, S.AP.",
     "198305022010011014", "Lurah Pringrejo"),
    ("petugas.pekalonganbarat", Peran.PETUGAS_KECAMATAN, "33.75.01", "Slamet", "Riyadi",
     "198508172010011012", "Kepala Seksi Pelayanan Umum Kecamatan Pekalongan Barat"),
    ("camat.pekalonganbarat", Peran.CAMAT, "33.75.01", "Bambang", "Hermawan, M.Si.",
     "197202141994031005", "Camat Pekalongan Barat"),
    ("inspektorat", Peran.INSPEKTORAT, "33.75", "Sri", "Lestari, S.E., Ak., M.M.",
     "197610202000032003", "Inspektur Kota Pekalongan"),
    ("admin", Peran.ADMIN, "33.75", "Hendra", "Kurniawan, S.Kom.",
     "198709232011011003", "Pranata Komputer Ahli Muda"),
]

# Demo residents of Pekalongan Barat. NIK = 337501 (kecamatan) + DDMMYY (+40 on the day for women) + serial.
WARGA_DEMO = [
    dict(nik="3375011203850003", nama="Budi Santoso", jenis_kelamin="L", tanggal_lahir=date(1985, 3, 12),
         tempat_lahir="Pekalongan", agama="Islam", pekerjaan="Wiraswasta", status_perkawinan="Kawin",
         alamat="Jl. Sriwijaya Gg. 3 No. 12, RT 002/RW 005, Medono", no_hp="+6281325550101"),
    dict(nik="3375014508900002", nama="Siti Nurjanah", jenis_kelamin="P", tanggal_lahir=date(1990, 8, 5),
         tempat_lahir="Pekalongan", agama="Islam", pekerjaan="Pedagang", status_perkawinan="Kawin",
         alamat="Jl. Kurinci No. 7, RT 004/RW 002, Medono", no_hp="+6285640550102"),
    dict(nik="3375012201780005", nama="Ahmad Rofiq", jenis_kelamin="L", tanggal_lahir=date(1978, 1, 22),
         tempat_lahir="Batang", agama="Islam", pekerjaan="Buruh Harian Lepas", status_perkawinan="Kawin",
         alamat="Jl. Raya Tirto Gg. 5 No. 3, RT 001/RW 003, Tirto", no_hp="+6281575550103"),
    dict(nik="3375016711950004", nama="Dewi Lestari", jenis_kelamin="P", tanggal_lahir=date(1995, 11, 27),
         tempat_lahir="Pekalongan", agama="Kristen", pekerjaan="Karyawan Swasta", status_perkawinan="Belum Kawin",
         alamat="Perum Tirto Asri Blok C No. 9, RT 006/RW 008, Tirto", no_hp="+6289650550104"),
    dict(nik="3375010607020006", nama="Rizki Maulana", jenis_kelamin="L", tanggal_lahir=date(2002, 7, 6),
         tempat_lahir="Pekalongan", agama="Islam", pekerjaan="Pelajar/Mahasiswa", status_perkawinan="Belum Kawin",
         alamat="Jl. Hos Cokroaminoto No. 88, RT 003/RW 001, Medono", no_hp="+6281225550105"),
]


def akun_demo_pasang(*, password: str) -> list[dict]:
    """Create the demo officers (and their roles) once; later runs only restore the demo password."""
    User = get_user_model()
    kantor = Kantor.objects.in_bulk([baris[2] for baris in AKUN_DEMO], field_name="wilayah_id")
    hasil = []
    for username, peran, kode, depan, belakang, nip, jabatan in AKUN_DEMO:
        user, _dibuat = User.objects.get_or_create(username=username, defaults={"first_name": depan,
                                                                                "last_name": belakang})
        if peran == Peran.ADMIN and not (user.is_staff and user.is_superuser):
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        penugasan, baru = Penugasan.objects.get_or_create(
            user=user, peran=peran, kantor=kantor[kode], defaults={"nip": nip, "jabatan": jabatan}
        )
        if baru:
            audit_master_data(aksi="tambah", objek=penugasan, data={"sumber": "seed_demo", "user": username,
                                                                     "peran": peran, "kantor": kode})
        hasil.append({"username": username, "peran": peran, "kantor": kantor[kode].nama})
    return hasil


def warga_demo_pasang() -> list[Warga]:
    """Residents who can sign in with NIK + OTP (the code appears in the console log)."""
    User = get_user_model()
    daftar = []
    for data in WARGA_DEMO:
        warga = Warga.objects.filter(nik_indeks=indeks_nik(data["nik"])).first()
        if warga is None:
            # Random username as the services use: a NIK must not surface in logs as an actor name.
            user = User.objects.create_user(username=f"warga-{secrets.token_hex(6)}")  # no password: OTP only
            warga = Warga.objects.create(user=user, **data)
        daftar.append(warga)
    return daftar


class Command(BaseCommand):
    help = "Mengisi data demo Kota Pekalongan: wilayah, kantor, katalog layanan, akun petugas, warga dan riwayat."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="jalankan walau DEBUG mati (jangan di produksi)")
        parser.add_argument("--tanpa-riwayat", action="store_true", help="hanya data induk dan akun, tanpa riwayat")
        parser.add_argument("--jumlah", type=int, default=160, help="jumlah permohonan riwayat (bawaan 160; tiap surat selesai dirender sebagai PDF)")
        parser.add_argument("--seed", type=int, default=2026, help="benih acak riwayat (bawaan 2026)")
        parser.add_argument("--sejak", type=date.fromisoformat, default=None,
                            help="tanggal awal riwayat TTTT-BB-HH (bawaan 1 Juni terakhir)")

    def handle(self, *args, **opsi):
        if not settings.DEBUG and not opsi["force"]:
            raise CommandError(_("DEBUG mati: seed_demo membuat akun dengan kata sandi yang diumumkan. Pakai --force bila memang "
                                 "disengaja."))
        mulai = time.perf_counter()
        wilayah = wilayah_impor_csv(path=WILAYAH_DASAR)
        with transaction.atomic():
            kantor = kantor_pekalongan_pasang()
            katalog = katalog_muat()
            akun = akun_demo_pasang(password=settings.DEMO_PASSWORD)
            warga = warga_demo_pasang()
        self.stdout.write(
            f"Wilayah: dibuat {wilayah.dibuat}, diubah {wilayah.diubah}, tetap {wilayah.tetap}. "
            f"Kantor: dibuat {kantor['dibuat']}, sudah ada {kantor['ada']}. "
            f"Layanan: dibuat {katalog['dibuat']}, diubah {katalog['diubah']}, tetap {katalog['tetap']}."
        )
        if not opsi["tanpa_riwayat"]:
            self._riwayat(opsi)
        # Sign the chains' first checkpoints now, as beat would a few minutes later on a server: the demo's
        # verification page and proofs work at once.
        hasil = checkpoint_semua()
        self.stdout.write(f"Checkpoint audit: {len(hasil['dibuat'])} rantai ditandatangani"
                          + "".join(f"; ditolak: {alasan}" for alasan in hasil["ditolak"].values()) + ".")
        self._cetak_akun(akun, warga)
        self.stdout.write(self.style.SUCCESS(f"Selesai dalam {time.perf_counter() - mulai:.1f} detik."))

    def _riwayat(self, opsi):
        if Permohonan.objects.filter(kelurahan_id__in=list(KELURAHAN_DEMO)).exists():
            self.stdout.write(_("Riwayat: sudah ada permohonan di kelurahan demo, tidak dibuat lagi."))
            return
        mulai = time.perf_counter()
        # The relay runs once per history message only to find it skipped; keep its trace out of the console.
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        try:
            hasil = riwayat_demo_buat(jumlah=opsi["jumlah"], seed=opsi["seed"], sejak=opsi["sejak"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        status = ", ".join(f"{k} {v}" for k, v in sorted(hasil["status"].items()))
        self.stdout.write(
            f"Riwayat: {hasil['permohonan']} permohonan, {hasil['aksi']} aksi ({status}); "
            f"{time.perf_counter() - mulai:.1f} detik."
        )
        for _penerima, tambahan in riwayat_dibuat.send(sender=self.__class__, kelurahan=list(KELURAHAN_DEMO),
                                                         seed=opsi["seed"]):
            self.stdout.write("; ".join(f"{nama}: {jumlah}" for nama, jumlah in tambahan.items()) + ".")

    def _cetak_akun(self, akun, warga):
        self.stdout.write("")
        self.stdout.write(_("Akun petugas (kata sandi dari DEMO_PASSWORD):"))
        baris = [("username", "peran", "kantor", "kata sandi")]
        baris += [(a["username"], a["peran"], a["kantor"], settings.DEMO_PASSWORD) for a in akun]
        lebar = [max(len(b[i]) for b in baris) for i in range(4)]
        for b in baris:
            self.stdout.write("  " + "  ".join(kolom.ljust(lebar[i]) for i, kolom in enumerate(b)))
        self.stdout.write("")
        self.stdout.write(_("Warga (masuk dengan NIK + kode OTP; pada backend console kode tampil di log):"))
        for w in warga:
            self.stdout.write(f"  {w.nik}  {w.no_hp}  {w.nama}")
