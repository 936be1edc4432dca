"""seed_demo: accounts, offices, catalogue, residents, generated history; idempotent; refuses in production."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from audit.selectors import rantai_verifikasi, semua_rantai
from kelurahan.models import HariLibur, JamLayanan, Kantor, Penugasan, Wilayah
from layanan.demo.riwayat import KELURAHAN_DEMO
from layanan.models import (
    STATUS_TERBUKA,
    Layanan,
    Permohonan,
    Persyaratan,
    Status,
    Surat,
    Warga,
)
from layanan.permohonan.validasi import validasi_nik
from notifikasi.models import Outbox

pytestmark = pytest.mark.django_db

AKUN = {
    "petugas.medono": ("petugas_kelurahan", "33.75.01.1002"),
    "lurah.medono": ("lurah", "33.75.01.1002"),
    "petugas.tirto": ("petugas_kelurahan", "33.75.01.1009"),
    "lurah.tirto": ("lurah", "33.75.01.1009"),
    "petugas.pekalonganbarat": ("petugas_kecamatan", "33.75.01"),
    "camat.pekalonganbarat": ("camat", "33.75.01"),
    "inspektorat": ("inspektorat", "33.75"),
    "admin": ("admin", "33.75"),
}
SEKARANG = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture(autouse=True)
def _hash_cepat(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEMO_PASSWORD = "sandi-demo-uji"
    settings.DEBUG = True  # pytest-django turns it off; the command is for development databases


def _seed(*argumen):
    out = StringIO()
    call_command("seed_demo", *argumen, stdout=out)
    return out.getvalue()


def _jumlah():
    return {m.__name__: m.objects.count() for m in (get_user_model(), Penugasan, Kantor, JamLayanan, HariLibur, Layanan,
                                                    Persyaratan, Warga, Wilayah, Permohonan, AuditEvent)}


def test_akun_kantor_katalog_dan_warga_dibuat_lalu_idempoten():
    keluar = _seed("--tanpa-riwayat")
    User = get_user_model()
    for username, (peran, kode) in AKUN.items():
        user = User.objects.get(username=username)
        assert user.check_password("sandi-demo-uji"), username
        tugas = user.penugasan.get()
        assert (tugas.peran, tugas.kantor.wilayah_id) == (peran, kode)
        assert len(tugas.nip) == 18 and tugas.nip.isdigit() and tugas.jabatan
        assert username in keluar
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.get(username="petugas.medono").is_staff
    assert "sandi-demo-uji" in keluar

    # Offices: the kota, 4 kecamatan and 27 kelurahan, with letterhead, signer, promise and compensation.
    assert Kantor.objects.filter(jenis="kota", wilayah_id="33.75").count() == 1
    assert Kantor.objects.filter(jenis="kecamatan", wilayah__induk_id="33.75").count() == 4
    assert Kantor.objects.filter(jenis="kelurahan", wilayah__kode__startswith="33.75.").count() == 27
    for kantor in Kantor.objects.exclude(jenis="kota"):
        assert kantor.kop_baris_1 == "PEMERINTAH KOTA PEKALONGAN" and kantor.kop_baris_2.startswith("KECAMATAN ")
        assert kantor.penandatangan_nama and len(kantor.penandatangan_nip) == 18 and kantor.alamat
        assert "maaf tertulis" in kantor.kompensasi and "tidak menepati" in kantor.maklumat
        jam = list(kantor.jam_layanan.values_list("hari", "mulai", "selesai"))
        assert len(jam) == 10 and {h for h, *_ in jam} == {0, 1, 2, 3, 4}
    medono = Kantor.objects.get(wilayah_id="33.75.01.1002")
    assert medono.penandatangan_jabatan == "LURAH MEDONO"
    assert medono.penandatangan_nip == Penugasan.objects.get(user__username="lurah.medono").nip
    jumat = sorted(medono.jam_layanan.filter(hari=4).values_list("mulai", "selesai"))
    assert [(a.strftime("%H.%M"), b.strftime("%H.%M")) for a, b in jumat] == [("07.30", "11.30"), ("13.00", "16.30")]

    assert Layanan.objects.count() >= 12
    warga = list(Warga.objects.all())
    assert len(warga) == 5
    for w in warga:
        info = validasi_nik(w.nik)  # real kecamatan, real date, +40 for women
        assert (info["jenis_kelamin"], info["tanggal_lahir"]) == (w.jenis_kelamin, w.tanggal_lahir)
        assert w.no_hp.startswith("+628") and w.nik in keluar
        assert w.nik not in w.user.username
    assert {w.jenis_kelamin for w in warga} == {"L", "P"}
    assert Permohonan.objects.count() == 0

    sebelum = _jumlah()
    keluar = _seed("--tanpa-riwayat")
    assert _jumlah() == sebelum
    assert "Kantor: dibuat 0, sudah ada 32" in keluar and "Layanan: dibuat 0, diubah 0" in keluar


def test_menolak_saat_debug_mati_kecuali_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        _seed("--tanpa-riwayat")
    assert not get_user_model().objects.exists() and not Kantor.objects.exists()
    _seed("--tanpa-riwayat", "--force")
    assert get_user_model().objects.filter(username__in=list(AKUN)).count() == len(AKUN)


def test_riwayat_melalui_layanan_nyata_dan_tidak_digandakan():
    with time_machine.travel(SEKARANG, tick=False):
        keluar = _seed("--jumlah", "40", "--seed", "11", "--sejak", "2026-09-01")
    assert "Riwayat: 40 permohonan" in keluar
    semua = list(Permohonan.objects.select_related("layanan"))
    assert len(semua) == 40
    assert {p.kelurahan_id for p in semua} <= set(KELURAHAN_DEMO) and len({p.kelurahan_id for p in semua}) >= 5
    assert all(k.startswith("33.75.01.") for k in KELURAHAN_DEMO) and len(KELURAHAN_DEMO) == 7
    assert {p.kanal for p in semua} == {"online", "loket"}
    status = {p.status for p in semua}
    assert Status.SELESAI in status and status & set(STATUS_TERBUKA)
    assert sum(p.status == Status.SELESAI for p in semua) > len(semua) / 2
    assert all(datetime(2026, 9, 1, tzinfo=ZoneInfo("Asia/Jakarta")) <= p.diajukan_pada < SEKARANG for p in semua)
    # Every finished request has its letter, numbered without gaps per office and year.
    assert Surat.objects.count() == sum(p.status == Status.SELESAI for p in semua)
    for kantor_id in Surat.objects.values_list("kantor", flat=True).distinct():
        urut = sorted(Surat.objects.filter(kantor_id=kantor_id).values_list("urut", flat=True))
        assert urut == list(range(1, len(urut) + 1))
    # The ledger: intact chains, each running forward in time, one transition per action.
    for rantai in semua_rantai():
        assert rantai_verifikasi(rantai).utuh, rantai
        waktu = list(AuditEvent.objects.filter(rantai=rantai).order_by("urutan").values_list("waktu", flat=True))
        assert waktu == sorted(waktu), rantai
    # Every chain has a signed checkpoint at its full size, so the demo's proofs work at once.
    from audit.models import Checkpoint

    for rantai in semua_rantai():
        ukuran = AuditEvent.objects.filter(rantai=rantai).count()
        assert Checkpoint.objects.filter(rantai=rantai, ukuran=ukuran).exists(), rantai
    assert f"Checkpoint audit: {len(semua_rantai())} rantai ditandatangani." in keluar
    transisi = AuditEvent.objects.filter(kategori="transisi")
    assert transisi.filter(aksi="ajukan").count() == 40
    assert transisi.filter(aksi="setujui").exists() and transisi.filter(aksi="verifikasi").exists()
    # Each letter's signer opened its draft first, in the history's own time (permohonan_aksi requires it).
    for surat in Surat.objects.select_related("permohonan"):
        ttd = transisi.get(objek_id=str(surat.permohonan_id), data__ke="selesai")
        lihat = AuditEvent.objects.filter(aksi="pratinjau_draf", objek_id=str(surat.permohonan_id),
                                          aktor_id=ttd.aktor_id, urutan__lt=ttd.urutan).order_by("-urutan").first()
        lalu = transisi.filter(objek_id=str(surat.permohonan_id), urutan__lt=ttd.urutan).order_by("-urutan").first()
        assert lihat is not None and lihat.urutan > lalu.urutan and lalu.waktu <= lihat.waktu <= ttd.waktu
    # No resident is messaged about demo history.
    assert Outbox.objects.exists()
    assert not Outbox.objects.exclude(status=Outbox.StatusPesan.DILEWATI).exists()

    sebelum = _jumlah()
    with time_machine.travel(SEKARANG, tick=False):
        keluar = _seed("--jumlah", "40", "--seed", "11", "--sejak", "2026-09-01")
    assert "tidak dibuat lagi" in keluar
    assert _jumlah() == sebelum
