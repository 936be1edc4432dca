"""The synthetic history generator (bench/generate.py) writes what the real code would write.

Not a benchmark: no timings. It checks that generated chains verify, counts
and letter numbers hold, the SLA fields agree with layanan/sla.py on the real
calendars, and the same seed gives the same chains.
"""

import zoneinfo
from datetime import datetime

import pytest

from audit.models import AuditEvent, RantaiAudit
from audit.selectors import rantai_verifikasi, semua_rantai
from bench import generate as gen
from kelurahan.kalender import kalender_bangun
from layanan import sla
from layanan.models import STATUS_BERJALAN, Permohonan, Status, Surat, Warga

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
SEKARANG = datetime(2026, 3, 10, 10, 15, tzinfo=WIB)
MULAI = datetime(2026, 1, 5, 0, 0, tzinfo=WIB)


def _jalankan(**lain):
    return gen.generate(n=200, seed=11, proses=1, sekarang=SEKARANG, mulai=MULAI, cetak=lambda *_: None, **lain)


def test_generator_writes_verifiable_chains_and_consistent_rows():
    hasil = _jalankan()
    assert Permohonan.objects.count() == hasil["permohonan"] == 200
    assert Warga.objects.count() == hasil["warga"]
    # The world's set-up (offices, catalogue) writes master-data events of its own.
    assert AuditEvent.objects.filter(kategori__in=["transisi", "surat"]).count() == hasil["kejadian"]
    rantai = semua_rantai()
    assert len([k for k in rantai if k.startswith("33.75.")]) == 27
    for kunci in rantai:
        assert rantai_verifikasi(kunci).utuh, kunci

    # Every request's last transition event names its current state; letters exist exactly for selesai.
    selesai = tepat = 0
    for p in Permohonan.objects.all():
        kejadian = list(AuditEvent.objects.filter(objek_tipe="permohonan", objek_id=str(p.pk), kategori="transisi")
                        .order_by("urutan"))
        assert (kejadian[0].aksi, kejadian[0].data["dari"], kejadian[0].data["ke"]) == ("ajukan", None, "diajukan")
        assert all(a.data["ke"] == b.data["dari"] for a, b in zip(kejadian, kejadian[1:]))
        akhir = kejadian[-1]
        assert akhir.data["ke"] == p.status
        assert akhir.rantai == p.kelurahan_id
        if p.status == Status.SELESAI:
            selesai += 1
            assert p.surat.count() == 1
            assert p.memenuhi_standar == (p.terpakai_kelurahan_detik + p.terpakai_kecamatan_detik <= p.sla_jatah_detik)
            tepat += p.memenuhi_standar
    assert Surat.objects.count() == selesai == hasil["surat"]
    assert 0.8 < tepat / selesai < 1  # a realistic mix: most on time, some late
    # Letter numbers: gapless from 1 per office and year.
    for kantor_id, tahun in Surat.objects.values_list("kantor_id", "tahun").distinct():
        urut = sorted(Surat.objects.filter(kantor_id=kantor_id, tahun=tahun).values_list("urut", flat=True))
        assert urut == list(range(1, len(urut) + 1))

    # The indicator projection loaded by COPY is exactly what rebuilding it from the chain gives.
    from audit.indikator import ringkasan_bangun_ulang
    from audit.models import PermohonanRingkas

    def proyeksi():
        return sorted(PermohonanRingkas.objects.values_list(*[f.attname for f in PermohonanRingkas._meta.fields]))

    dimuat = proyeksi()
    assert len(dimuat) == 200
    ringkasan_bangun_ulang()
    assert proyeksi() == dimuat

    # Open running requests: the deadlines are what the real SLA clock projects.
    terbuka = list(Permohonan.objects.filter(status__in=STATUS_BERJALAN).select_related("layanan"))
    assert terbuka, "the window should leave some requests open"
    for p in terbuka:
        assert sla._proyeksi(p, p.tahap_mulai) == (p.tenggat_rawan, p.tenggat)


def test_working_time_line_agrees_with_the_office_calendar():
    gen.siapkan_dunia()
    kalender = kalender_bangun("33.75.01.1002")
    garis = gen.GarisKerja(kalender, datetime(2025, 12, 1).date(), datetime(2026, 12, 31).date(), WIB)
    import random

    r = random.Random(3)
    for _ in range(300):
        a = int(datetime(2026, 1, 1, tzinfo=WIB).timestamp()) + r.randint(0, 300 * 86400)
        b = a + r.randint(0, 20 * 86400)
        detik = r.randint(1, 80 * 3600)
        ta, tb = datetime.fromtimestamp(a, WIB), datetime.fromtimestamp(b, WIB)
        assert garis.antara(a, b) == kalender.detik_kerja_antara(ta, tb)
        assert garis.tambah(a, detik) == int(kalender.tambah_jam_kerja(ta, detik).timestamp())


def test_same_seed_same_chains_and_terbuka_mode_leaves_the_chosen_share_untold():
    _jalankan()

    def kepala_kelurahan():
        return dict(RantaiAudit.objects.filter(kunci__startswith="33.75.").values_list("kunci", "hash_terakhir"))

    kepala = kepala_kelurahan()
    assert len(kepala) == 27
    from bench.common import sambungan_psycopg

    with sambungan_psycopg() as k:
        gen.kosongkan(k)
        k.commit()
    _jalankan()
    assert kepala_kelurahan() == kepala

    hasil = gen.generate(n=400, seed=5, mode="terbuka", melewati=0.05, proses=1, sekarang=SEKARANG,
                         cetak=lambda *_: None)
    assert hasil["status"].keys() <= {"diajukan", "diverifikasi"}
    assert 5 <= hasil["lewat"] <= 45  # 5 % of 400, drawn at random
    # The sweep finds exactly those, and the chains still verify after it appends its events.
    dihitung = sla.sla_sweep(sekarang=SEKARANG)
    assert dihitung["rawan"] + dihitung["terlambat"] == hasil["lewat"]
    for kunci in semua_rantai():
        assert rantai_verifikasi(kunci).utuh, kunci
