"""Daily digest for the lurah and the camat: yesterday's figures per office, once per office per day."""

import io

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from audit.enkripsi import indeks_hp
from audit.models import AuditEvent
from kelurahan.models import Penugasan, Peran
from layanan.models import DigestHarian
from layanan.permohonan import services
from notifikasi.models import Outbox
from tests.factories import Dunia
from tests.pembantu_indikator import wib
from tests.pembantu_ttd import tandatangani
from tests.test_web_petugas import ajukan

HP_LURAH, HP_CAMAT = "+6281100000001", "+6281100000002"


@pytest.fixture
def dunia(db):
    d = Dunia()
    Penugasan.objects.filter(user=d.lurah_medono).update(no_hp=HP_LURAH)
    Penugasan.objects.filter(user=d.camat).update(no_hp=HP_CAMAT)
    return d


def _pada(waktu, fungsi, *args, **kwargs):
    with time_machine.travel(waktu, tick=False):
        return fungsi(*args, **kwargs)


def _digest(penerima):
    return list(Outbox.objects.filter(templat="digest_harian", penerima_indeks=indeks_hp(penerima)).order_by("id"))


def test_yesterdays_figures_per_office_once_per_day(dunia):
    # Monday 16 March 2026: three requests at Medono, one at Tirto (same kecamatan).
    lama = _pada(wib(2026, 3, 13, 8), ajukan, dunia)  # Friday: overdue (8 working hours) by Monday noon
    a = _pada(wib(2026, 3, 16, 8), ajukan, dunia)
    b = _pada(wib(2026, 3, 16, 9), ajukan, dunia)
    _pada(wib(2026, 3, 16, 9, 30), ajukan, dunia, kelurahan="33.75.01.1009", warga=dunia.warga_lain)
    _pada(wib(2026, 3, 16, 10), services.permohonan_aksi, permohonan_id=a.pk, pengguna=dunia.petugas_medono,
          aksi="verifikasi")
    _pada(wib(2026, 3, 16, 11), tandatangani, permohonan_id=a.pk, pengguna=dunia.lurah_medono, aksi="setujui")
    _pada(wib(2026, 3, 16, 12), services.permohonan_aksi, permohonan_id=b.pk, pengguna=dunia.petugas_medono,
          aksi="tolak", catatan="Bukan warga kelurahan ini.")

    hasil = _pada(wib(2026, 3, 17, 7), services.digest_kirim)
    assert hasil == {"kantor": 2, "pesan": 2, "sudah": 0}  # Medono's lurah and the camat have numbers
    (lurah,) = _digest(HP_LURAH)
    assert lurah.variabel["kantor"] == "Kantor Kelurahan Medono"
    teks = lurah.variabel["ringkasan"]
    assert "Senin, 16 Maret 2026" in teks
    assert "2 baru, 1 selesai, 1 ditolak" in teks
    assert "Masih terbuka 1 (rawan 0, terlambat 1)" in teks and lama.nomor_registrasi in teks
    (camat,) = _digest(HP_CAMAT)
    assert "3 baru, 1 selesai, 1 ditolak" in camat.variabel["ringkasan"]
    assert "Masih terbuka 2" in camat.variabel["ringkasan"]
    assert DigestHarian.objects.get(kantor=dunia.medono).angka["terlama"] == lama.nomor_registrasi
    assert AuditEvent.objects.filter(kategori="notifikasi", aksi="digest_harian").count() == 2

    # Again the same day (a second beat, an operator's command): nothing more is written.
    assert _pada(wib(2026, 3, 17, 9), services.digest_kirim) == {"kantor": 0, "pesan": 0, "sudah": 2}
    keluar = io.StringIO()
    _pada(wib(2026, 3, 17, 10), call_command, "kirim_digest", stdout=keluar)
    assert "pesan: 0, sudah terkirim: 2" in keluar.getvalue()
    assert len(_digest(HP_LURAH)) == 1 and len(_digest(HP_CAMAT)) == 1

    # The next day is a new digest.
    _pada(wib(2026, 3, 18, 7), services.digest_kirim)
    assert "0 baru" in _digest(HP_LURAH)[-1].variabel["ringkasan"] and len(_digest(HP_LURAH)) == 2


def test_office_without_a_number_is_retried_later_the_same_day(dunia):
    Penugasan.objects.filter(peran=Peran.LURAH).update(no_hp="")
    assert _pada(wib(2026, 3, 17, 7), services.digest_kirim)["kantor"] == 1  # the camat only
    assert not DigestHarian.objects.filter(kantor=dunia.medono).exists()
    Penugasan.objects.filter(user=dunia.lurah_medono).update(no_hp=HP_LURAH)
    assert _pada(wib(2026, 3, 17, 8), services.digest_kirim) == {"kantor": 1, "pesan": 1, "sudah": 1}


def test_beat_runs_it_at_seven_local_time():
    jadwal = settings.CELERY_BEAT_SCHEDULE["kirim-digest"]
    assert jadwal["task"] == "layanan.tasks.kirim_digest"
    assert jadwal["schedule"].hour == {7} and jadwal["schedule"].minute == {0}
    assert settings.CELERY_TIMEZONE == "Asia/Jakarta"


HP_INSPEKTORAT = "+6281100000003"


def test_digest_carries_each_head_its_chains_checkpoint_and_audit_verify_reads_it_back(dunia, tmp_path):
    """Witnesses outside the database: the lurah keeps Medono's chain, the camat every kelurahan of the
    kecamatan, the inspectorate the city-wide chains. Their message is a checkpoint audit_verify reads."""
    from django.core.management.base import CommandError

    from audit.checkpoint import checkpoint_semua
    from audit.models import Checkpoint
    from integritas.services import pengaduan_buat
    from tests.pembantu_audit import sebagai_pemilik

    Penugasan.objects.filter(user=dunia.inspektorat).update(no_hp=HP_INSPEKTORAT)
    _pada(wib(2026, 3, 16, 8), ajukan, dunia)
    _pada(wib(2026, 3, 16, 9), ajukan, dunia, kelurahan="33.75.01.1009", warga=dunia.warga_lain)
    _pada(wib(2026, 3, 16, 10), pengaduan_buat, kategori="pungli", isi="Diminta uang oleh calo di loket.")
    _pada(wib(2026, 3, 17, 6, 55), checkpoint_semua)
    _pada(wib(2026, 3, 17, 7), services.digest_kirim)
    cp = {c.rantai: c for c in Checkpoint.objects.all()}
    medono, tirto = cp["33.75.01.1002"], cp["33.75.01.1009"]

    (lurah,) = _digest(HP_LURAH)
    teks = lurah.variabel["ringkasan"]
    assert f"Jejak audit (simpan pesan ini): 33.75.01.1002 {medono.ukuran} {medono.akar[:16]}" in teks
    assert "33.75.01.1009" not in teks and "\n" not in teks
    (camat,) = _digest(HP_CAMAT)
    assert (f"33.75.01.1002 {medono.ukuran} {medono.akar[:16]}; 33.75.01.1009 {tirto.ukuran} {tirto.akar[:16]}"
            in camat.variabel["ringkasan"])
    (inspektur,) = _digest(HP_INSPEKTORAT)
    assert inspektur.variabel["kantor"] == "Inspektorat Kota Pekalongan"
    assert "2 baru" in inspektur.variabel["ringkasan"]
    assert f"pengaduan {cp['pengaduan'].ukuran} {cp['pengaduan'].akar[:16]}" in inspektur.variabel["ringkasan"]
    assert "33.75.01.1002" not in inspektur.variabel["ringkasan"]
    assert DigestHarian.objects.get(kantor=dunia.medono).angka["checkpoint"] == [
        f"33.75.01.1002 {medono.ukuran} {medono.akar[:16]}"]

    # The camat pastes the message; a week later the chain is rewritten inside the database.
    berkas = tmp_path / "digest-camat.txt"
    berkas.write_text(camat.variabel["ringkasan"].split("Jejak audit")[1])
    call_command("audit_verify", checkpoint=str(berkas), stdout=io.StringIO())
    with sebagai_pemilik():
        AuditEvent.objects.filter(rantai="33.75.01.1009", urutan=1).update(aksi="diubah")
    with pytest.raises(CommandError, match="33.75.01.1009"):
        call_command("audit_verify", checkpoint=str(berkas), stdout=io.StringIO())
