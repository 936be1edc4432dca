"""import_wilayah: idempotent, renames updated, bad files rejected whole, the national list loads."""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from kelurahan.models import Wilayah
from kelurahan.services import WILAYAH_DASAR, WilayahTidakValid, wilayah_impor_csv

pytestmark = pytest.mark.django_db

NASIONAL = Path(os.environ.get("SIMPATIK_WILAYAH_CSV", settings.BASE_DIR / "kelurahan/data/wilayah.csv.gz"))


def _csv(tmp_path, isi, nama="wilayah.csv"):
    path = tmp_path / nama
    path.write_text("kode,nama\n" + isi, encoding="utf-8")
    return path


def _impor(path):
    out, err = StringIO(), StringIO()
    call_command("import_wilayah", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


KECIL = "33,Jawa Tengah\n33.75,Kota Pekalongan\n33.75.01,Pekalongan Barat\n33.75.01.1002,Medono\n33.75.01.1009,Tirto\n"


def test_import_idempoten_dan_induk_benar(tmp_path):
    path = _csv(tmp_path, KECIL)
    keluar, _ = _impor(path)
    assert "dibuat 5, diubah 0, tetap 0" in keluar
    medono = Wilayah.objects.get(kode="33.75.01.1002")
    assert (medono.tingkat, medono.induk_id, medono.is_kelurahan) == (4, "33.75.01", True)
    assert Wilayah.objects.get(kode="33").induk_id is None
    assert Wilayah.objects.get(kode="33.75").tingkat == 2
    jumlah_audit = AuditEvent.objects.count()

    keluar, _ = _impor(path)
    assert "tidak ada perubahan: dibuat 0, diubah 0, tetap 5" in keluar
    assert Wilayah.objects.count() == 5
    assert AuditEvent.objects.count() == jumlah_audit  # nothing changed, nothing recorded


def test_nama_yang_berubah_diperbarui_dan_dicatat(tmp_path):
    _impor(_csv(tmp_path, KECIL))
    baru = KECIL.replace("33.75.01.1009,Tirto", "33.75.01.1009,Tirto Baru") + "33.75.01.1012,Pringrejo\n"
    keluar, _ = _impor(_csv(tmp_path, baru, "baru.csv"))
    assert "dibuat 1, diubah 1, tetap 4" in keluar
    assert Wilayah.objects.get(kode="33.75.01.1009").nama == "Tirto Baru"
    event = AuditEvent.objects.filter(aksi="impor_wilayah").order_by("-urutan").first()
    assert event.data["nama_diubah"] == {"33.75.01.1009": ["Tirto", "Tirto Baru"]}


def test_baris_salah_dilaporkan_dengan_nomor_baris_dan_tidak_ada_yang_diimpor(tmp_path):
    isi = (
        "33,Jawa Tengah\n"            # line 2: fine
        "33.75,Kota Pekalongan\n"     # line 3: fine
        "33.7X.01,Salah Format\n"     # line 4: bad code
        "33.76.01,Tanpa Induk\n"      # line 5: parent 33.76 missing
        "33.75.01,\n"                 # line 6: empty name
        "33.75,Kota Pekalongan\n"     # line 7: duplicate of line 3
    )
    with pytest.raises(CommandError, match="4 baris tidak valid; tidak ada yang diimpor"):
        _impor(_csv(tmp_path, isi))
    assert Wilayah.objects.count() == 0

    with pytest.raises(WilayahTidakValid) as info:
        wilayah_impor_csv(path=_csv(tmp_path, isi))
    galat = info.value.galat
    assert galat[0].startswith("baris 4:") and "33.7X.01" in galat[0]
    assert galat[1].startswith("baris 5:") and "induk 33.76" in galat[1]
    assert galat[2] == "baris 6: nama kosong"
    assert galat[3].startswith("baris 7:") and "ganda" in galat[3] and "baris 3" in galat[3]
    assert Wilayah.objects.count() == 0


def test_induk_yang_sudah_ada_di_basis_data_diterima(tmp_path):
    _impor(_csv(tmp_path, KECIL))
    keluar, _ = _impor(_csv(tmp_path, "33.75.01.1003,Podosugih\n", "tambah.csv"))
    assert "dibuat 1" in keluar
    assert Wilayah.objects.get(kode="33.75.01.1003").induk_id == "33.75.01"


def test_wilayah_dasar_berisi_semua_kecamatan_dan_kota_pekalongan():
    hasil = wilayah_impor_csv(path=WILAYAH_DASAR)
    assert hasil.berhasil and hasil.dibuat == Wilayah.objects.count()
    per_tingkat = {t: Wilayah.objects.filter(tingkat=t).count() for t in (1, 2, 3)}
    assert per_tingkat == {1: 38, 2: 514, 3: 7285}
    assert Wilayah.objects.filter(kode__startswith="33.75.", tingkat=3).count() == 4
    kelurahan = Wilayah.objects.filter(kode__startswith="33.75.", tingkat=4)
    assert kelurahan.count() == 27 and all(w.is_kelurahan for w in kelurahan)


def test_daftar_nasional_lengkap_dimuat(tmp_path):
    assert NASIONAL.exists(), f"daftar wilayah nasional tidak ditemukan di {NASIONAL} (set SIMPATIK_WILAYAH_CSV)"
    keluar, _ = _impor(NASIONAL)
    assert "dibuat 91599, diubah 0, tetap 0" in keluar
    per_tingkat = {t: Wilayah.objects.filter(tingkat=t).count() for t in (1, 2, 3, 4)}
    assert per_tingkat == {1: 38, 2: 514, 3: 7285, 4: 83762}
    assert Wilayah.objects.filter(induk__isnull=True).count() == 38
