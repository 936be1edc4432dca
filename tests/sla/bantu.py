"""Helpers of the SLA tests: a request submitted and moved the way layanan's services do it, on clocks
the tests set."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from layanan.models import Layanan, Permohonan, Status
from layanan.permohonan.sla import sla_catat_transisi

WIB = ZoneInfo("Asia/Jakarta")
JAM = 3600
KOMPENSASI_MEDONO = "Permohonan maaf tertulis dan surat diantar ke rumah pemohon."


def wib(*args):
    return datetime(*args, tzinfo=WIB)


def buat_layanan(kode, jam, tingkat="kelurahan", jam_kelurahan=None, jam_kecamatan=0):
    return Layanan.objects.create(
        kode=kode, nama=kode.replace("-", " ").title(), tingkat=tingkat, kode_klasifikasi="400.12.2.1",
        sla_jam=Decimal(jam), sla_jam_kelurahan=Decimal(jam if jam_kelurahan is None else jam_kelurahan),
        sla_jam_kecamatan=Decimal(jam_kecamatan),
    )


def ajukan(layanan, kelurahan, warga, waktu):
    """Submission as layanan/services.py does it: the hook with dari=None, then save."""
    with time_machine.travel(waktu, tick=False):
        p = Permohonan(
            layanan=layanan, kelurahan=kelurahan, kecamatan=kelurahan.induk, pemohon=warga,
            keperluan="Persyaratan administrasi", diajukan_pada=waktu,
        )
        data = sla_catat_transisi(p, dari=None, ke=Status.DIAJUKAN, waktu=None)
        p.save()
    return p, data


def transisi(p, aksi, waktu):
    with time_machine.travel(waktu, tick=False):
        p = Permohonan.objects.select_related("layanan").get(pk=p.pk)
        dari = p.status
        getattr(p, aksi)()
        data = sla_catat_transisi(p, dari=dari, ke=p.status, waktu=None)
        if p.status == Status.SELESAI:
            p.selesai_pada = waktu
        p.save()
    return p, data
