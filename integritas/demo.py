"""Surveys and complaints for the demo history, written through the real services.

After `riwayat_demo_buat` has walked months of requests, residents of some
finished requests answer the survey a day or two later, and a few complaints
arrive and are handled by the inspectorate, so the camat's and the
inspectorate's dashboards have something true to show. Answers lean on how the
request went: late requests score lower on "waktu", and a few residents report
being asked to pay.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from integritas.ikm import ITEM_IPAK, ITEM_IPKP, UNSUR_IKM
from integritas.services import ambang_lampu_catat, pengaduan_buat, pengaduan_ubah_status, survei_simpan
from kelurahan.models import Peran
from layanan.models import Permohonan, Status

PENGADUAN_DEMO = [
    # (kelurahan index, kategori, isi, days after the first request, steps: (status, days later, note))
    (0, "pungli", "Petugas loket meminta 'uang administrasi' Rp25.000 untuk surat domisili.", 20,
     [("diverifikasi", 2, "Bukti cukup, diteruskan ke pemeriksa."),
      ("ditindaklanjuti", 6, "Klarifikasi petugas dijadwalkan."),
      ("selesai", 21, "Petugas dibina, uang dikembalikan kepada pelapor.")]),
    (1, "lambat", "Surat keterangan usaha belum jadi setelah seminggu.", 45,
     [("diverifikasi", 3, "Dicek ke kelurahan."), ("selesai", 8, "Surat sudah terbit; kelurahan menambah petugas.")]),
    (0, "calo", "Ada orang di depan kantor menawarkan jasa mengurus surat lebih cepat.", 70,
     [("diverifikasi", 4, "Diteruskan ke Satpol PP untuk pemantauan.")]),
    (1, "perilaku", "Petugas kurang ramah saat menjelaskan persyaratan.", 95,
     [("ditutup", 2, "Tidak dapat diverifikasi: waktu dan petugas tidak disebutkan.")]),
    (0, "lainnya", "Mohon tersedia kursi tunggu tambahan di ruang pelayanan.", 110, []),
]


def _skor(acak: random.Random, dasar: float) -> int:
    return max(1, min(4, round(acak.gauss(dasar, 0.55))))


def _jawaban(acak: random.Random, permohonan: Permohonan, dasar: float) -> dict:
    ikm = {u: _skor(acak, dasar) for u in UNSUR_IKM}
    ikm["biaya"] = 4 if acak.random() < 0.95 else 3  # free of charge, as published
    if permohonan.memenuhi_standar is False:
        ikm["waktu"] = _skor(acak, 2.2)
    diminta_bayar = acak.random() < 0.03
    ipak = {k: _skor(acak, dasar + 0.2) for k in ITEM_IPAK}
    if diminta_bayar:
        ipak["pungli"] = ipak["gratifikasi"] = 1
    return {
        "ikm": ikm, "ipak": ipak, "ipkp": {k: _skor(acak, dasar) for k in ITEM_IPKP},
        "diminta_bayar": diminta_bayar,
        "jumlah_bayar": acak.choice([10000, 20000, 50000]) if diminta_bayar else None,
        "kepada_bayar": "petugas loket" if diminta_bayar else "",
    }


def integritas_demo_buat(*, kelurahan: list[str], seed: int = 2026, porsi_survei: float = 0.55) -> dict:
    """Surveys for a share of the finished requests of `kelurahan`, and the demo complaints."""
    acak = random.Random(seed + 7)
    selesai = (Permohonan.objects.filter(kelurahan_id__in=kelurahan, status=Status.SELESAI)
               .select_related("layanan").order_by("selesai_pada", "pk"))
    dasar = {kode: 3.55 - 0.25 * i for i, kode in enumerate(kelurahan)}  # the first office does a little better
    jumlah_survei = 0
    sekarang = timezone.now()
    with transaction.atomic():
        rencana = []
        for p in selesai:
            if acak.random() >= porsi_survei:
                continue
            waktu = p.selesai_pada + timedelta(hours=acak.randint(2, 60))
            if waktu <= sekarang:
                rencana.append((waktu, p.pk, p, _jawaban(acak, p, dasar[p.kelurahan_id])))
        # In answer order, so the survey chain runs forward in time like every other chain.
        for waktu, _pk, p, jawaban in sorted(rencana, key=lambda r: r[:2]):
            survei_simpan(permohonan_id=p.pk, kelurahan=p.kelurahan_id, layanan=p.layanan.kode, waktu=waktu,
                          **jawaban)
            jumlah_survei += 1
        pertama = Permohonan.objects.filter(kelurahan_id__in=kelurahan).order_by("diajukan_pada").first()
        inspektur = get_user_model().objects.filter(penugasan__peran=Peran.INSPEKTORAT, penugasan__aktif=True).first()
        jumlah_pengaduan = 0
        if pertama is not None and inspektur is not None:
            for indeks, kategori, isi, hari, langkah in PENGADUAN_DEMO:
                diterima = pertama.diajukan_pada + timedelta(days=hari, hours=3)
                if diterima > sekarang:
                    continue
                pengaduan = pengaduan_buat(kategori=kategori, isi=isi, kelurahan=kelurahan[indeks % len(kelurahan)],
                                           waktu=diterima)
                for status, setelah, catatan in langkah:
                    if diterima + timedelta(days=setelah) > sekarang:
                        break
                    pengaduan_ubah_status(kode_lacak=pengaduan.kode_lacak, status=status, catatan=catatan,
                                          pengguna=inspektur, peran=Peran.INSPEKTORAT,
                                          waktu=diterima + timedelta(days=setelah))
                jumlah_pengaduan += 1
    return {"survei": jumlah_survei, "pengaduan": jumlah_pengaduan}


def setelah_riwayat_demo(sender, *, kelurahan: list[str], seed: int, **kwargs) -> dict:
    """Receiver of layanan's `riwayat_dibuat`: seed_demo prints what it returns. The dashboards' thresholds are
    recorded too, as beat would do a few minutes later on a server, so the demo's legend says since when."""
    hasil = integritas_demo_buat(kelurahan=kelurahan, seed=seed)
    ambang_lampu_catat()
    return hasil
