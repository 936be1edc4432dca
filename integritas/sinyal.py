"""Integrity signals drawn from the audit ledger, each linking to the requests behind it.

A signal is a place for the inspectorate to look, not a verdict. Thresholds
live in config/settings.py (SINYAL_*); docs/indikator.md explains each rule.
"""

import statistics
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from integritas.indikator import rentang_waktu, tingkat_kode
from integritas.models import PermohonanRingkas

JENIS = ("di_luar_urutan", "luar_jam_kerja", "tolak_lalu_setuju", "persetujuan_cepat", "pemohon_berulang")
PERSETUJUAN = {"setujui": "verifikasi", "setujui_camat": "verifikasi_kecamatan"}
# What the queue rules read of each request (light rows, not model instances).
BIDANG_BARIS = ("permohonan_id", "nomor_registrasi", "kelurahan", "layanan", "kanal", "pemohon", "status",
                "diajukan_pada", "selesai_pada", "pernah_perbaikan")


def _lokal(waktu) -> str:
    return timezone.localtime(waktu).strftime("%Y-%m-%d %H.%M")


def _tautan(pid, nomor) -> dict:
    return {"id": int(pid), "nomor_registrasi": nomor or ""}


def _tautan_baris(baris) -> dict:
    return _tautan(baris.permohonan_id, baris.nomor_registrasi)


def _batasi(tautan: list) -> list:
    return tautan[: settings.SINYAL_MAKS_TAUTAN]


def _saring_rantai(wilayah: str) -> Q:
    return Q(rantai=wilayah) if tingkat_kode(wilayah) == 4 else Q(rantai__startswith=wilayah + ".")


def _ringkas_dalam(wilayah: str):
    return PermohonanRingkas.objects.filter(**{
        {2: "kota", 3: "kecamatan", 4: "kelurahan"}[tingkat_kode(wilayah)]: wilayah
    })


def _di_luar_urutan(wilayah, mulai, akhir) -> list[tuple]:
    """Pairs (later B, earlier A): same kelurahan, service and channel; B finished while A still waited.

    A must have been submitted at least the threshold before B and still be open
    (or end) at least the threshold after B finished; A that waited for the
    resident's correction or was cancelled does not count.
    """
    ambang = timedelta(seconds=settings.SINYAL_DI_LUAR_URUTAN_MIN_DETIK)
    baris = (
        _ringkas_dalam(wilayah)
        .filter(diajukan_pada__lt=akhir)
        .filter(Q(selesai_pada__isnull=True) | Q(selesai_pada__gte=mulai))
        .order_by("kelurahan", "layanan", "kanal", "diajukan_pada", "permohonan_id")
        .values_list(*BIDANG_BARIS, named=True)
    )
    kelompok = defaultdict(list)
    for b in baris:
        kelompok[(b.kelurahan, b.layanan, b.kanal)].append(b)
    pasangan = []
    for daftar in kelompok.values():
        terlama = None  # among eligible earlier requests: the one that waited longest
        i = 0
        for b in daftar:
            while i < len(daftar) and daftar[i].diajukan_pada <= b.diajukan_pada - ambang:
                a = daftar[i]
                if not a.pernah_perbaikan and a.status != "dibatalkan":
                    if terlama is None or _akhir(a) > _akhir(terlama):
                        terlama = a
                i += 1
            if (b.status == "selesai" and mulai <= b.selesai_pada < akhir and terlama is not None
                    and _akhir(terlama) > b.selesai_pada + ambang):
                pasangan.append((b, terlama))
    return pasangan


def _pasangan(bersama: dict, wilayah, mulai, akhir) -> list[tuple]:
    """Out-of-turn pairs, computed once per call of sinyal_hitung and shared by two rules."""
    if "di_luar_urutan" not in bersama:
        bersama["di_luar_urutan"] = _di_luar_urutan(wilayah, mulai, akhir)
    return bersama["di_luar_urutan"]


_TAK_HINGGA = datetime.max.replace(tzinfo=UTC)


def _akhir(baris):
    """When a request left the queue; one still open has not left it."""
    return baris.selesai_pada or _TAK_HINGGA




def sinyal_di_luar_urutan(wilayah, mulai, akhir, bersama: dict) -> list[dict]:
    return [
        {
            "jenis": "di_luar_urutan",
            "judul": _("Diproses mendahului antrean"),
            "kelurahan": b.kelurahan,
            "aktor": None,
            "keterangan": _("%(b)s (diajukan %(tb)s) selesai lebih dulu daripada %(a)s (diajukan %(ta)s)") % {
                "b": b.nomor_registrasi, "tb": _lokal(b.diajukan_pada),
                "a": a.nomor_registrasi, "ta": _lokal(a.diajukan_pada),
            },
            "permohonan": [_tautan_baris(b), _tautan_baris(a)],
        }
        for b, a in _pasangan(bersama, wilayah, mulai, akhir)
    ]


def sinyal_pemohon_berulang(wilayah, mulai, akhir, bersama: dict) -> list[dict]:
    """The same (pseudonymous) resident ahead of the queue again and again."""
    per_pemohon = defaultdict(list)
    for b, _a in _pasangan(bersama, wilayah, mulai, akhir):
        if b.pemohon:
            per_pemohon[b.pemohon].append(b)
    minimum = settings.SINYAL_PEMOHON_BERULANG_MIN
    return [
        {
            "jenis": "pemohon_berulang",
            "judul": _("Pemohon yang sama berulang kali didahulukan"),
            "kelurahan": daftar[0].kelurahan,
            "aktor": None,
            "keterangan": _("%(n)d permohonan dari pemohon yang sama diproses mendahului antrean") % {"n": len(daftar)},
            "permohonan": _batasi([_tautan_baris(b) for b in daftar]),
        }
        for daftar in per_pemohon.values()
        if len(daftar) >= minimum
    ]


def _event_transisi(wilayah, mulai, akhir):
    return AuditEvent.objects.filter(
        _saring_rantai(wilayah), kategori=AuditEvent.Kategori.TRANSISI, objek_tipe="permohonan",
        waktu__gte=mulai, waktu__lt=akhir,
    )


def sinyal_luar_jam_kerja(wilayah, mulai, akhir, bersama: dict) -> list[dict]:
    """Officers' actions recorded while the office was closed (the SLA clock says so in each event)."""
    per_aktor = defaultdict(list)
    qs = (
        _event_transisi(wilayah, mulai, akhir)
        .filter(data__sla__dalam_jam_kerja=False)
        .exclude(peran__in=["", "warga"])
        .order_by("waktu", "id")
    )
    for event in qs:
        per_aktor[(event.rantai, event.aktor)].append(event)
    return [
        {
            "jenis": "luar_jam_kerja",
            "judul": _("Aksi petugas di luar jam layanan"),
            "kelurahan": rantai,
            "aktor": aktor,
            "keterangan": _("%(n)d aksi di luar jam layanan") % {"n": len(daftar)},
            "permohonan": _batasi(_unik([_tautan(e.objek_id, (e.data or {}).get("nomor_registrasi")) for e in daftar])),
        }
        for (rantai, aktor), daftar in per_aktor.items()
    ]


def _unik(tautan: list) -> list:
    terlihat, hasil = set(), []
    for t in tautan:
        if t["id"] not in terlihat:
            terlihat.add(t["id"])
            hasil.append(t)
    return hasil


def sinyal_tolak_lalu_setuju(wilayah, mulai, akhir, bersama: dict) -> list[dict]:
    """A resident's request rejected, then the same service for the same resident approved soon after."""
    batas = timedelta(days=settings.SINYAL_BALIK_SETUJU_HARI)
    baris = (
        _ringkas_dalam(wilayah)
        .exclude(pemohon="")
        .filter(status__in=["ditolak", "selesai"], selesai_pada__gte=mulai - batas, selesai_pada__lt=akhir)
        .order_by("selesai_pada")
        .values_list(*BIDANG_BARIS, named=True)
    )
    ditolak = defaultdict(list)
    hasil = []
    for b in baris:
        kunci = (b.pemohon, b.layanan, b.kelurahan)
        if b.status == "ditolak":
            ditolak[kunci].append(b)
            continue
        if b.selesai_pada < mulai:
            continue
        for r in ditolak.get(kunci, []):
            if r.selesai_pada <= b.diajukan_pada and b.selesai_pada - r.selesai_pada <= batas:
                hasil.append({
                    "jenis": "tolak_lalu_setuju",
                    "judul": _("Ditolak lalu disetujui"),
                    "kelurahan": b.kelurahan,
                    "aktor": None,
                    "keterangan": _("%(r)s ditolak, lalu %(b)s untuk pemohon dan layanan yang sama disetujui") % {
                        "r": r.nomor_registrasi, "b": b.nomor_registrasi},
                    "permohonan": [_tautan_baris(r), _tautan_baris(b)],
                })
    return hasil


def _terpakai(event) -> int | None:
    sla = (event.data or {}).get("sla") or {}
    if "terpakai_kelurahan_detik" not in sla:
        return None
    return int(sla["terpakai_kelurahan_detik"] or 0) + int(sla.get("terpakai_kecamatan_detik") or 0)


def sinyal_persetujuan_cepat(wilayah, mulai, akhir, bersama: dict) -> list[dict]:
    """An officer whose approvals take far less time after verification than peers' in the same role.

    Duration: working seconds the SLA clock counted between the verification and
    the approval when both events carry it, else wall-clock seconds.
    """
    verifikasi = {}
    sampel = defaultdict(list)  # (aksi, aktor) -> [(detik, event)]
    qs = _event_transisi(wilayah, mulai - timedelta(days=60), akhir).filter(
        aksi__in=[*PERSETUJUAN, *PERSETUJUAN.values()]
    ).order_by("waktu", "id")
    for event in qs.iterator(chunk_size=5000):
        if event.aksi in PERSETUJUAN.values():
            verifikasi[(event.objek_id, event.aksi)] = event
            continue
        sebelum = verifikasi.get((event.objek_id, PERSETUJUAN[event.aksi]))
        if sebelum is None or event.waktu < mulai or not event.aktor:
            continue
        kerja_a, kerja_b = _terpakai(sebelum), _terpakai(event)
        detik = kerja_b - kerja_a if kerja_a is not None and kerja_b is not None else (
            (event.waktu - sebelum.waktu).total_seconds())
        sampel[(event.aksi, event.aktor)].append((detik, event))
    minimum = settings.SINYAL_CEPAT_MIN_SAMPEL
    rasio = float(settings.SINYAL_CEPAT_RASIO)
    hasil = []
    for (aksi, aktor), milik in sampel.items():
        sejawat = [d for (a, o), daftar in sampel.items() if a == aksi and o != aktor for d, _e in daftar]
        if len(milik) < minimum or len(sejawat) < minimum:
            continue
        median_sendiri = statistics.median(d for d, _e in milik)
        median_sejawat = statistics.median(sejawat)
        if median_sejawat > 0 and median_sendiri < rasio * median_sejawat:
            urut = sorted(milik, key=lambda de: de[0])
            hasil.append({
                "jenis": "persetujuan_cepat",
                "judul": _("Persetujuan jauh lebih cepat daripada rekan"),
                "kelurahan": urut[0][1].rantai,
                "aktor": aktor,
                "keterangan": _("median %(a).1f jam, rekan %(b).1f jam (%(n)d persetujuan)") % {
                    "a": median_sendiri / 3600, "b": median_sejawat / 3600, "n": len(milik)},
                "permohonan": _batasi(_unik([
                    _tautan(e.objek_id, (e.data or {}).get("nomor_registrasi")) for _d, e in urut])),
            })
    return hasil


PENGHITUNG = {
    "di_luar_urutan": sinyal_di_luar_urutan,
    "luar_jam_kerja": sinyal_luar_jam_kerja,
    "tolak_lalu_setuju": sinyal_tolak_lalu_setuju,
    "persetujuan_cepat": sinyal_persetujuan_cepat,
    "pemohon_berulang": sinyal_pemohon_berulang,
}


def sinyal_hitung(*, wilayah: str, dari, sampai, jenis: list[str] | None = None) -> list[dict]:
    """All integrity signals of a unit (kelurahan, kecamatan or kota code) for a period."""
    mulai, akhir = rentang_waktu(dari, sampai)
    hasil, bersama = [], {}
    for nama in jenis or JENIS:
        hasil.extend(PENGHITUNG[nama](wilayah, mulai, akhir, bersama))
    return hasil


def sinyal_bernama(hasil: list[dict]) -> list[dict]:
    """Signals as the inspectorate reads them (issue 18): the kelurahan by name and the officer by full
    name (the ledger holds codes and usernames). Two lookups for the whole list."""
    from django.contrib.auth import get_user_model

    from integritas.indikator import nama_wilayah

    kelurahan = nama_wilayah(s["kelurahan"] for s in hasil)
    akun = {s["aktor"] for s in hasil if s["aktor"]}
    nama = {u.username: u.get_full_name() or u.username
            for u in get_user_model().objects.filter(username__in=akun).only("username", "first_name", "last_name")}
    return [{**s, "kelurahan_nama": kelurahan.get(s["kelurahan"], s["kelurahan"]),
             "petugas": nama.get(s["aktor"], s["aktor"]) if s["aktor"] else None} for s in hasil]
