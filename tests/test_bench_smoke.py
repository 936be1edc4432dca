"""The synthetic history generator (bench/generate.py) writes what the real code would write.

Not a benchmark: no timings. It checks that generated chains verify, counts
and letter numbers hold, the SLA fields agree with layanan/sla.py on the real
calendars, surveys and complaints are what audit.services writes (and the
indicators read the same IKM as computed by hand), and the same seed gives the
same chains and rows.
"""

import zoneinfo
from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import pairwise

import pytest
from django.contrib.auth import get_user_model

from audit.models import AuditEvent, RantaiAudit
from audit.selectors import rantai_verifikasi, semua_rantai
from bench import generate as gen
from integritas.ikm import ITEM_IPAK, ITEM_IPKP, UNSUR_IKM
from integritas.indikator import indikator_hitung, indikator_survei
from integritas.models import Pengaduan, Survei
from integritas.services import (
    ALUR_PENGADUAN,
    kunci_samaran,
    pengaduan_buat,
    pengaduan_tenggat,
    pengaduan_ubah_status,
    survei_simpan,
)
from kelurahan.kalender import kalender_bangun
from layanan.models import STATUS_BERJALAN, Permohonan, Status, Surat, Warga
from layanan.permohonan import sla

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
    assert AuditEvent.objects.filter(kategori__in=["transisi", "surat", "akses_data"]).count() == hasil["kejadian"]
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
        assert all(a.data["ke"] == b.data["dari"] for a, b in pairwise(kejadian))
        akhir = kejadian[-1]
        assert akhir.data["ke"] == p.status
        assert akhir.rantai == p.kelurahan_id
        if p.status == Status.SELESAI:
            # As permohonan_aksi requires: the signer opened the draft after the previous transition.
            sebelum = (AuditEvent.objects.filter(objek_tipe="permohonan", objek_id=str(p.pk), rantai=p.kelurahan_id,
                                                 urutan__lt=akhir.urutan).order_by("-urutan").first())
            assert (sebelum.kategori, sebelum.aksi, sebelum.aktor_id) == ("akses_data", "pratinjau_draf", akhir.aktor_id)
            assert sebelum.waktu <= akhir.waktu and sebelum.data["status"] == akhir.data["dari"]
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
    from integritas.indikator import ringkasan_bangun_ulang
    from integritas.models import PermohonanRingkas

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


def test_same_seed_same_chains_surveys_and_complaints_and_terbuka_mode_leaves_the_chosen_share_untold():
    _jalankan()

    def kepala_kelurahan():
        return dict(RantaiAudit.objects.filter(kunci__startswith="33.75.").values_list("kunci", "hash_terakhir"))

    def survei_dan_aduan():
        """Survey rows (without the serial id), complaint rows, and the heads of their two chains."""
        kolom = [f.attname for f in Survei._meta.fields if f.attname != "id"]
        return (sorted(Survei.objects.values_list(*kolom)), sorted(Pengaduan.objects.values_list()),
                dict(RantaiAudit.objects.filter(kunci__in=["survei", "pengaduan"]).values_list("kunci", "hash_terakhir")))

    kepala = kepala_kelurahan()
    assert len(kepala) == 27
    integritas = survei_dan_aduan()
    assert integritas[0] and "survei" in integritas[2]
    from bench.common import sambungan_psycopg

    with sambungan_psycopg() as k:
        gen.kosongkan(k)
        k.commit()
    _jalankan()
    assert kepala_kelurahan() == kepala
    assert survei_dan_aduan() == integritas

    hasil = gen.generate(n=400, seed=5, mode="terbuka", melewati=0.05, proses=1, sekarang=SEKARANG,
                         cetak=lambda *_: None)
    assert hasil["status"].keys() <= {"diajukan", "diverifikasi"}
    assert 5 <= hasil["lewat"] <= 45  # 5 % of 400, drawn at random
    # The sweep finds exactly those, and the chains still verify after it appends its events.
    dihitung = sla.sla_sweep(sekarang=SEKARANG)
    assert dihitung["rawan"] + dihitung["terlambat"] == hasil["lewat"]
    for kunci in semua_rantai():
        assert rantai_verifikasi(kunci).utuh, kunci


def _ikm_langsung(baris) -> Decimal | None:
    """IKM by the book, straight from answers: NRR per unsur, weight exactly 1/9, ×25, half up to 2 decimals."""
    if not baris:
        return None
    nrr = [Fraction(sum(b[u] for b in baris), len(baris)) for u in UNSUR_IKM]
    nilai = sum(nrr) / 9 * 25
    return (Decimal(nilai.numerator) / Decimal(nilai.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_generated_surveys_and_complaints_are_what_the_services_write():
    hasil = gen.generate(n=3000, seed=11, proses=1, sekarang=SEKARANG, mulai=MULAI, cetak=lambda *_: None)
    selesai = {kunci_samaran(p.pk, tujuan="survei"): p
               for p in Permohonan.objects.filter(status=Status.SELESAI).select_related("layanan")}
    survei = list(Survei.objects.all())
    assert len(survei) == hasil["survei"]
    # Only finished requests are surveyed (the services refuse the rest), once each, a few days after finishing.
    assert 0.28 < len(survei) / len(selesai) < 0.42
    for s in survei:
        p = selesai[s.kunci]
        assert (s.kelurahan, s.kecamatan, s.kota, s.layanan) == (
            p.kelurahan_id, p.kecamatan_id, "33.75", p.layanan.kode)
        hari_selesai = p.selesai_pada.astimezone(WIB).date()
        assert hari_selesai <= s.tanggal <= min(hari_selesai + timedelta(days=30), SEKARANG.date())
        assert s.diminta_bayar or (s.jumlah_bayar is None and s.kepada_bayar == "")
    # Realistic answers: mostly 3-4, some 2, rare 1; rarely asked to pay; no 0 or 5.
    skor = Counter(getattr(s, f"ikm_{u}") for s in survei for u in UNSUR_IKM)
    assert set(skor) <= {1, 2, 3, 4}
    jumlah = sum(skor.values())
    assert (skor[3] + skor[4]) / jumlah > 0.85 and 0.02 < skor[2] / jumlah < 0.15 and 0 < skor[1] / jumlah < 0.01
    assert 0 < sum(s.diminta_bayar for s in survei) / len(survei) < 0.04

    # One anonymous event per survey on the city-wide chain, in time order, carrying the same answers.
    assert rantai_verifikasi("survei").utuh
    kejadian = list(AuditEvent.objects.filter(rantai="survei").order_by("urutan"))
    assert len(kejadian) == len(survei) == hasil["integritas"]["kejadian_survei"]
    assert all(a.waktu <= b.waktu for a, b in pairwise(kejadian))
    for e in kejadian:
        assert (e.kategori, e.aksi, e.aktor, e.aktor_id, e.peran, e.objek_tipe, e.objek_id, e.ip, e.user_agent) == (
            "survei", "isi", "", None, "", "", "", None, "")
        assert e.waktu == datetime.combine(date.fromisoformat(e.data["tanggal"]), time.min, WIB)

    def jawaban_baris(s):
        return (s.kelurahan, s.layanan, s.tanggal.isoformat(), *(getattr(s, f"ikm_{u}") for u in UNSUR_IKM),
                *(getattr(s, f"ipak_{i}") for i in ITEM_IPAK), *(getattr(s, f"ipkp_{i}") for i in ITEM_IPKP),
                s.diminta_bayar)

    def jawaban_kejadian(d):
        return (d["kelurahan"], d["layanan"], d["tanggal"], *(d["ikm"][u] for u in UNSUR_IKM),
                *(d["ipak"][i] for i in ITEM_IPAK), *(d["ipkp"][i] for i in ITEM_IPKP), d["diminta_bayar"])

    assert Counter(jawaban_baris(s) for s in survei) == Counter(jawaban_kejadian(e.data) for e in kejadian)

    # The indicator functions give the IKM computed by hand from the rows, per kota, kecamatan and kelurahan,
    # and a few kelurahan do visibly worse than the rest.
    dari, sampai = MULAI.date(), SEKARANG.date()
    per_kel = {}
    for wilayah in ["33.75", "33.75.01", "33.75.03", *sorted({s.kelurahan for s in survei})]:
        baris = [{u: getattr(s, f"ikm_{u}") for u in UNSUR_IKM} for s in survei
                 if s.kelurahan == wilayah or s.kelurahan.startswith(wilayah + ".")]
        hitung = indikator_survei(wilayah=wilayah, dari=dari, sampai=sampai, populasi=100)
        assert hitung["ikm"]["responden"] == len(baris)
        assert Decimal(str(hitung["ikm"]["nilai"])) == _ikm_langsung(baris), wilayah
        if wilayah.count(".") == 3:
            per_kel[wilayah] = _ikm_langsung(baris)
    kota = indikator_hitung(wilayah="33.75", dari=dari, sampai=sampai, sekarang=SEKARANG)
    assert kota["ikm"]["mutu"] in ("A", "B") and kota["survei"]["responden"] == len(survei)
    assert max(per_kel.values()) - min(per_kel.values()) > 5

    # Complaints: as pengaduan_buat and pengaduan_ubah_status leave them, with their events on the pengaduan chain.
    pengaduan = list(Pengaduan.objects.prefetch_related("riwayat"))
    assert len(pengaduan) == hasil["pengaduan"] and 5 <= len(pengaduan) <= 60
    assert {"pungli", "lambat"} <= {p.kategori for p in pengaduan}
    assert rantai_verifikasi("pengaduan").utuh
    for p in pengaduan:
        assert (p.tenggat_tanggapan, p.tenggat_selesai) == pengaduan_tenggat(p.kategori, p.kelurahan, p.diterima_pada)
        riwayat = list(p.riwayat.all())
        assert (riwayat[0].dari, riwayat[0].ke, riwayat[0].waktu) == ("", "diterima", p.diterima_pada)
        assert all(b.ke in ALUR_PENGADUAN[a.ke] and b.dari == a.ke for a, b in pairwise(riwayat))
        assert p.status == riwayat[-1].ke
        assert p.ditanggapi_pada == (riwayat[1].waktu if len(riwayat) > 1 else None)
        events = list(AuditEvent.objects.filter(rantai="pengaduan", objek_id=p.kode_lacak).order_by("urutan"))
        assert [(e.aksi, e.data["ke"], e.waktu) for e in events] == [
            ("terima" if r.dari == "" else "ubah_status", r.ke, r.waktu) for r in riwayat]
        if p.nomor_registrasi:
            asal = Permohonan.objects.get(pk=p.permohonan_id)
            assert (asal.nomor_registrasi, asal.kelurahan_id, asal.layanan.kode) == (
                p.nomor_registrasi, p.kelurahan, p.layanan)

    # The real services append after the generated history: same shapes, and both chains still verify.
    contoh_survei = AuditEvent.objects.filter(rantai="survei").last()
    lain = next(p for k, p in selesai.items() if not Survei.objects.filter(kunci=k).exists())
    skor4 = {"ikm": dict.fromkeys(UNSUR_IKM, 4), "ipak": dict.fromkeys(ITEM_IPAK, 4),
             "ipkp": dict.fromkeys(ITEM_IPKP, 4)}
    survei_simpan(permohonan_id=lain.pk, kelurahan=lain.kelurahan_id, layanan=lain.layanan.kode,
                  diminta_bayar=False, waktu=SEKARANG, **skor4)
    nyata = AuditEvent.objects.filter(rantai="survei").last()
    assert set(nyata.data) == set(contoh_survei.data)
    contoh_terima = AuditEvent.objects.filter(rantai="pengaduan", aksi="terima").last()
    contoh_ubah = AuditEvent.objects.filter(rantai="pengaduan", aksi="ubah_status").last()
    aduan = pengaduan_buat(kategori="pungli", isi="Diminta uang untuk surat domisili.", kelurahan="33.75.01.1002",
                           waktu=SEKARANG)
    inspektur = get_user_model().objects.get(username="inspektorat.bench")
    pengaduan_ubah_status(kode_lacak=aduan.kode_lacak, status="diverifikasi", pengguna=inspektur,
                          peran="inspektorat", waktu=SEKARANG + timedelta(days=1))
    terima, ubah = AuditEvent.objects.filter(rantai="pengaduan").order_by("-urutan")[:2][::-1]
    for contoh, baru in ((contoh_terima, terima), (contoh_ubah, ubah)):
        assert set(baru.data) == set(contoh.data)
        assert (baru.aktor, baru.aktor_id, baru.peran, baru.objek_tipe) == (
            contoh.aktor, contoh.aktor_id, contoh.peran, contoh.objek_tipe)
    assert rantai_verifikasi("survei").utuh and rantai_verifikasi("pengaduan").utuh
