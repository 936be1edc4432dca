"""Letter numbers under concurrent approvals on PostgreSQL: no gaps, no duplicates."""

import threading

import pytest
from django.db import close_old_connections, connection

from layanan.models import PenghitungNomorSurat, Permohonan, Status, Surat
from layanan.permohonan.services import permohonan_aksi
from tests.fixtures_surat import *  # noqa: F403  (fixtures: wilayah, kantor, petugas, layanan, warga)
from tests.fixtures_surat import WAKTU, buat_permohonan, buat_user, tugaskan
from tests.pembantu_ttd import lihat_draf

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

JUMLAH = 12


def _serentak(fungsi, argumen):
    """Run fungsi(arg) in one thread per arg, released together by a barrier; return results/exceptions."""
    hasil = [None] * len(argumen)
    mulai = threading.Barrier(len(argumen))

    def kerja(i, arg):
        try:
            mulai.wait()
            hasil[i] = fungsi(arg)
        except Exception as e:  # noqa: BLE001 - reported to the test
            hasil[i] = e
        finally:
            connection.close()

    utas = [threading.Thread(target=kerja, args=(i, a)) for i, a in enumerate(argumen)]
    for t in utas:
        t.start()
    for t in utas:
        t.join(120)
    close_old_connections()
    return hasil


def test_persetujuan_camat_serentak_memberi_nomor_tanpa_celah_dan_ganda(wilayah, kantor, layanan, warga, petugas):
    # Kecamatan-level letters of two kelurahan share one counter but not one audit chain: only the
    # counter's row lock keeps them apart. Two signers (camat and a Plt.) approve at once.
    from kelurahan.models import Peran

    plt = buat_user("plt.camat", "Rudi", "Hartono")
    tugaskan(plt, Peran.CAMAT, kantor["kecamatan"], nip="198203152006041002")
    daftar = [
        buat_permohonan(layanan=layanan["ahli_waris"], kelurahan=wilayah["medono" if i % 2 else "tirto"],
                        pemohon=warga["budi"], data={"nama_almarhum": "Slamet"},
                        status=Status.DIVERIFIKASI_KECAMATAN).pk
        for i in range(JUMLAH)
    ]
    penyetuju = [petugas["camat"], plt]
    for i, pk in enumerate(daftar):  # each signer opens their drafts first; the signatures then race
        lihat_draf(penyetuju[i % 2], pk)
    hasil = _serentak(
        lambda i: permohonan_aksi(permohonan_id=daftar[i], pengguna=penyetuju[i % 2], aksi="setujui_camat",
                                  waktu=WAKTU),
        list(range(JUMLAH)),
    )
    assert [h for h in hasil if isinstance(h, Exception)] == []
    assert Permohonan.objects.filter(pk__in=daftar, status=Status.SELESAI).count() == JUMLAH
    urut = sorted(Surat.objects.values_list("urut", flat=True))
    assert urut == list(range(1, JUMLAH + 1))
    assert len(set(Surat.objects.values_list("nomor", flat=True))) == JUMLAH
    assert PenghitungNomorSurat.objects.get(kantor=kantor["kecamatan"], tahun=2026).terakhir == JUMLAH


def test_terbitkan_langsung_serentak(wilayah, kantor, layanan, warga, petugas):
    from django.db import transaction

    from layanan.surat.terbit import surat_terbitkan

    daftar = [buat_permohonan(layanan=layanan["domisili"], kelurahan=wilayah["medono"], pemohon=warga["budi"])
              for _ in range(JUMLAH)]

    def terbitkan(p):
        with transaction.atomic():
            return surat_terbitkan(permohonan=p, penandatangan=petugas["lurah"], waktu=WAKTU).urut

    hasil = _serentak(terbitkan, daftar)
    assert sorted(hasil) == list(range(1, JUMLAH + 1))


def test_dua_kantor_serentak_masing_masing_berurutan(wilayah, kantor, layanan, warga, petugas):
    daftar = []
    for i in range(8):
        kel = wilayah["medono"] if i % 2 == 0 else wilayah["tirto"]
        daftar.append(buat_permohonan(layanan=layanan["domisili"], kelurahan=kel, pemohon=warga["budi"]).pk)
    lurah = {"33.75.01.1002": petugas["lurah"], "33.75.01.1009": petugas["lurah_tirto"]}
    kel_dari = dict(Permohonan.objects.filter(pk__in=daftar).values_list("pk", "kelurahan_id"))
    for pk in daftar:
        lihat_draf(lurah[kel_dari[pk]], pk)
    hasil = _serentak(
        lambda pk: permohonan_aksi(permohonan_id=pk, pengguna=lurah[kel_dari[pk]], aksi="setujui", waktu=WAKTU),
        daftar,
    )
    assert [h for h in hasil if isinstance(h, Exception)] == []
    for k in (kantor["medono"], kantor["tirto"]):
        assert sorted(Surat.objects.filter(kantor=k).values_list("urut", flat=True)) == [1, 2, 3, 4]
