"""Operator-tunable values of complaints, surveys and Zona Integritas come from the environment."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from audit.pengaturan import BAWAAN, atur

DARI_ENV = ("PENGADUAN_TANGGAPAN_HARI_KERJA", "PENGADUAN_SELESAI_HARI", "PENGADUAN_BUKTI_MAX_BYTES",
            "SURVEI_TAUTAN_MAKS_HARI", "ZI_MIN_IPAK_WBK", "ZI_MIN_IPAK_WBBM", "ZI_MIN_IPKP_WBK", "ZI_MIN_IPKP_WBBM")


def test_settings_defaults_agree_with_audit_defaults():
    for nama in DARI_ENV:
        if nama not in os.environ:
            assert getattr(settings, nama) == BAWAAN[nama], nama


def test_environment_overrides_reach_the_code():
    env = {**os.environ, "PENGADUAN_SELESAI_HARI": "30", "PENGADUAN_TANGGAPAN_HARI_KERJA": "3",
           "ZI_MIN_IPKP_WBBM": "16.5", "DJANGO_SETTINGS_MODULE": "config.settings"}
    kode = ("import django; django.setup(); from audit.pengaturan import atur; "
            "print(atur('PENGADUAN_SELESAI_HARI'), atur('PENGADUAN_TANGGAPAN_HARI_KERJA'), atur('ZI_MIN_IPKP_WBBM'))")
    keluar = subprocess.run([sys.executable, "-c", kode], env=env, capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parent.parent)
    assert keluar.stdout.split() == ["30", "3", "16.5"]


def test_complaint_clock_follows_the_setting(db, settings):
    from audit.services import pengaduan_buat
    from tests.pembantu_indikator import wib

    settings.PENGADUAN_SELESAI_HARI = 30
    settings.PENGADUAN_TANGGAPAN_HARI_KERJA = 1
    assert atur("PENGADUAN_SELESAI_HARI") == 30
    p = pengaduan_buat(kategori="lambat", isi="Surat belum selesai dua minggu.", waktu=wib(2026, 3, 13, 10))
    assert p.tenggat_selesai == wib(2026, 4, 12, 10)
    assert p.tenggat_tanggapan == wib(2026, 3, 16, 10)  # Friday + 1 working day = Monday
