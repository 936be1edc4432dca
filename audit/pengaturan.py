"""Tunable values of surveys, complaints, Zona Integritas minimums and integrity signals.

Each may be overridden in Django settings (from the environment); the
defaults follow REFERENCES.md. Minimums marked secondary there stay configurable.
"""

from decimal import Decimal

from django.conf import settings

BAWAAN = {
    # Complaints (Perpres 76/2013): answer within 5 working days, resolve within 60 days.
    "PENGADUAN_TANGGAPAN_HARI_KERJA": 5,
    "PENGADUAN_SELESAI_HARI": 60,
    "PENGADUAN_BUKTI_MAX_BYTES": 5 * 1024 * 1024,
    # How long the survey link in the WhatsApp message stays valid.
    "SURVEI_TAUTAN_MAKS_HARI": 30,
    # Zona Integritas (Permenpan RB 90/2021): weights and minimums (secondary) of the results part.
    "ZI_BOBOT_IPAK": Decimal("17.5"),
    "ZI_BOBOT_IPKP": Decimal("17.5"),
    "ZI_MIN_IPAK_WBK": Decimal("15.75"),
    "ZI_MIN_IPAK_WBBM": Decimal("15.75"),
    "ZI_MIN_IPKP_WBK": Decimal("14.00"),
    "ZI_MIN_IPKP_WBBM": Decimal("15.75"),
    # Integrity signals.
    "SINYAL_DI_LUAR_URUTAN_MIN_DETIK": 3600,
    "SINYAL_PEMOHON_BERULANG_MIN": 2,
    "SINYAL_BALIK_SETUJU_HARI": 30,
    "SINYAL_CEPAT_RASIO": Decimal("0.25"),
    "SINYAL_CEPAT_MIN_SAMPEL": 10,
    "SINYAL_MAKS_TAUTAN": 50,
}


def atur(nama: str):
    nilai = getattr(settings, nama, BAWAAN[nama])
    if isinstance(BAWAAN[nama], Decimal):
        return Decimal(str(nilai))
    return type(BAWAAN[nama])(nilai)
