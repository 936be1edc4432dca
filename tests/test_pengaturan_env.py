"""Operator-tunable values of complaints, surveys and Zona Integritas come from the environment."""

import os
import subprocess
import sys
from pathlib import Path


def test_environment_overrides_reach_the_code():
    env = {**os.environ, "PENGADUAN_SELESAI_HARI": "30", "PENGADUAN_TANGGAPAN_HARI_KERJA": "3",
           "ZI_MIN_IPKP_WBBM": "16.5", "PENGADUAN_HARI_KERJA": "pungli:1/9", "ZI_WBK_MIN_TOTAL": "76",
           "SURVEI_PEGAWAI_MIN_RESPONDEN": "7", "LAMPU_SLA_HIJAU": "0.9", "LAMPU_IKM_KUNING": "d",
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    kode = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.PENGADUAN_SELESAI_HARI, s.PENGADUAN_TANGGAPAN_HARI_KERJA, s.ZI_MIN_IPKP_WBBM, "
            "s.PENGADUAN_HARI_KERJA['pungli'][1], s.ZI_WBK_MIN_TOTAL, s.SURVEI_PEGAWAI_MIN_RESPONDEN, "
            "s.LAMPU_SLA_HIJAU, s.LAMPU_IKM_KUNING)")
    keluar = subprocess.run([sys.executable, "-c", kode], env=env, capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parent.parent)
    assert keluar.stdout.split() == ["30", "3", "16.5", "9", "76", "7", "0.9", "D"]


def test_complaint_clock_follows_the_setting(db, settings):
    from integritas.services import pengaduan_buat
    from tests.pembantu_indikator import wib

    settings.PENGADUAN_SELESAI_HARI = 30
    settings.PENGADUAN_HARI_KERJA = {"lambat": (1, 100)}  # the 30-day cap comes before 100 working days
    p = pengaduan_buat(kategori="lambat", isi="Surat belum selesai dua minggu.", waktu=wib(2026, 3, 13, 10))
    assert p.tenggat_selesai == wib(2026, 4, 12, 10)
    assert p.tenggat_tanggapan == wib(2026, 3, 16, 10)  # Friday + 1 working day = Monday
