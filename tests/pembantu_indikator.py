"""Transition events as layanan writes them (DESIGN: the ledger is the source of the indicators)."""

from datetime import datetime, timedelta
from itertools import count
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from audit.models import AuditEvent
from audit.services import audit_catat

WIB = ZoneInfo("Asia/Jakarta")
MEDONO = "33.75.01.1002"
TIRTO = "33.75.01.1009"
PEKALONGAN_BARAT = "33.75.01"
KOTA = "33.75"
KRAPYAK = "33.75.03.1001"  # Pekalongan Utara
JAM = 3600

_nomor = count(1)


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


def petugas(username, pk=None):
    return SimpleNamespace(username=username, pk=pk or abs(hash(username)) % 10_000)


def catat(pid, aksi, dari, ke, waktu, *, kelurahan=MEDONO, layanan="domisili", kanal="online", aktor=None,
          peran="", tahap="kelurahan", diajukan_pada=None, sla=None, pemohon="", nomor=None):
    kecamatan = kelurahan.rsplit(".", 1)[0]
    return audit_catat(
        rantai=kelurahan, kategori=AuditEvent.Kategori.TRANSISI, aksi=aksi, aktor=aktor, peran=peran,
        objek_tipe="permohonan", objek_id=pid, waktu=waktu,
        data={
            "nomor_registrasi": nomor or f"NR{pid:06d}", "layanan": layanan, "kelurahan": kelurahan,
            "kecamatan": kecamatan, "kantor": kecamatan if tahap == "kecamatan" else kelurahan, "tahap": tahap,
            "dari": dari, "ke": ke, "catatan": "", "kanal": kanal,
            "diajukan_pada": (diajukan_pada or waktu).isoformat(), "pemohon": pemohon, "sla": sla or {},
        },
    )


def permohonan_selesai(pid, diajukan, *, jam_kelurahan, memenuhi=True, kelurahan=MEDONO, layanan="domisili",
                       kanal="online", petugas_=None, lurah=None, selesai=None, verifikasi=None, pemohon="",
                       jam_setuju=None, dalam_jam_kerja=True, jatah_jam=8):
    """A kelurahan-level request: ajukan, verifikasi, setujui → selesai, with the SLA dict of each step."""
    petugas_ = petugas_ or petugas("petugas.medono", 11)
    lurah = lurah or petugas("lurah.medono", 12)
    selesai = selesai or diajukan + timedelta(hours=max(jam_kelurahan, 1) * 2)
    verifikasi = verifikasi or diajukan + (selesai - diajukan) / 2
    jam_setuju = jam_kelurahan / 2 if jam_setuju is None else jam_setuju
    tenggat = (diajukan + timedelta(days=3)).isoformat()
    umum = dict(kelurahan=kelurahan, layanan=layanan, kanal=kanal, diajukan_pada=diajukan, pemohon=pemohon)
    sla = {"jatah_detik": jatah_jam * JAM, "terpakai_kecamatan_detik": 0, "jeda_detik": 0, "tenggat": tenggat}
    catat(pid, "ajukan", "", "diajukan", diajukan, aktor=petugas(f"warga{pid}", 100000 + pid), peran="warga",
          sla={**sla, "terpakai_kelurahan_detik": 0, "dalam_jam_kerja": True}, **umum)
    catat(pid, "verifikasi", "diajukan", "diverifikasi", verifikasi, aktor=petugas_, peran="petugas_kelurahan",
          sla={**sla, "terpakai_kelurahan_detik": int((jam_kelurahan - jam_setuju) * JAM),
               "dalam_jam_kerja": dalam_jam_kerja}, **umum)
    catat(pid, "setujui", "diverifikasi", "selesai", selesai, aktor=lurah, peran="lurah",
          sla={**sla, "terpakai_kelurahan_detik": int(jam_kelurahan * JAM), "memenuhi_standar": memenuhi,
               "status": "selesai", "dalam_jam_kerja": dalam_jam_kerja}, **umum)
