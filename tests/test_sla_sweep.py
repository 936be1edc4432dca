"""The SLA sweep: officers told once per crossing, escalation, concurrency and query cost."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from kelurahan.models import Penugasan, Peran
from layanan.models import Permohonan, Status
from layanan.sla import sla_sweep
from layanan.tasks import sla_sweep as sla_sweep_task
from notifikasi.models import Outbox
from tests.test_sla import ajukan, buat_layanan, kantor, transisi, warga, wib, wilayah  # noqa: F401

NO_HP = {
    "petugas.medono": "+6281100000001",
    "lurah.medono": "+6281100000002",
    "petugas.pekalonganbarat": "+6281100000003",
    "camat.pekalonganbarat": "+6281100000004",
    "lurah.tirto": "+6281100000005",
}


@pytest.fixture
def petugas(kantor):
    tugas = [
        ("petugas.medono", Peran.PETUGAS_KELURAHAN, "medono"),
        ("lurah.medono", Peran.LURAH, "medono"),
        ("petugas.pekalonganbarat", Peran.PETUGAS_KECAMATAN, "kecamatan"),
        ("camat.pekalonganbarat", Peran.CAMAT, "kecamatan"),
        ("lurah.tirto", Peran.LURAH, "tirto"),
    ]
    for username, peran, k in tugas:
        user = get_user_model().objects.create_user(username)
        Penugasan.objects.create(user=user, peran=peran, kantor=kantor[k], no_hp=NO_HP[username])
    # An officer without a phone number is recorded, not messaged.
    Penugasan.objects.create(
        user=get_user_model().objects.create_user("petugas2.medono"), peran=Peran.PETUGAS_KELURAHAN,
        kantor=kantor["medono"],
    )


def penerima(templat):
    return sorted(Outbox.objects.filter(templat=templat).values_list("penerima", flat=True))


def sapu(waktu):
    with time_machine.travel(waktu, tick=False):
        return sla_sweep()


def test_sweep_tells_once_per_crossing_and_escalates(wilayah, kantor, warga, petugas):
    # Fri 6 Nov 14.00 with 7.5 h: rawan Mon 9 Nov 10.37.30, tenggat 13.30 (see test_sla).
    p, _ = ajukan(buat_layanan("domisili", "7.5"), wilayah["medono"], warga, wib(2026, 11, 6, 14))
    assert sapu(wib(2026, 11, 9, 10, 37)) == {"rawan": 0, "terlambat": 0}

    assert sapu(wib(2026, 11, 9, 10, 38)) == {"rawan": 1, "terlambat": 0}
    assert penerima("sla_rawan") == [NO_HP["petugas.medono"]]  # whose turn: diajukan → petugas
    pesan = Outbox.objects.get(templat="sla_rawan")
    assert p.nomor_registrasi in pesan.isi and "5,63 dari 7,5 jam kerja" in pesan.isi
    assert pesan.referensi == f"permohonan:{p.pk}"
    assert sapu(wib(2026, 11, 9, 10, 39)) == {"rawan": 0, "terlambat": 0}  # repeated: nothing new

    transisi(p, "verifikasi", wib(2026, 11, 9, 11))  # now the lurah's turn
    with time_machine.travel(wib(2026, 11, 9, 13, 31), tick=False):
        keluaran = StringIO()
        call_command("sla_sweep", stdout=keluaran)
    assert keluaran.getvalue().strip() == "rawan: 0, terlambat: 1"
    # The lurah (whose turn) and, escalated, the lurah and the camat: one message per number.
    assert penerima("sla_terlambat") == sorted([NO_HP["lurah.medono"], NO_HP["camat.pekalonganbarat"]])
    assert sapu(wib(2026, 11, 9, 15)) == {"rawan": 0, "terlambat": 0}

    events = list(AuditEvent.objects.filter(kategori="sla").order_by("urutan"))
    assert [e.aksi for e in events] == ["sla_rawan", "sla_terlambat"]
    assert events[0].rantai == "33.75.01.1002" and events[0].objek_id == str(p.pk) and events[0].aktor == ""
    assert events[0].data["diberitahu"] == [{"user": "petugas.medono", "peran": "petugas_kelurahan"}]
    assert events[0].data["tanpa_no_hp"] == [{"user": "petugas2.medono", "peran": "petugas_kelurahan"}]
    assert events[1].data["sla"]["status"] == "terlambat" and events[1].data["sla"]["terpakai_detik"] == (7 * 60 + 31) * 60  # 2.5 Fri + 4.5 + 0.52 Mon


def test_past_both_thresholds_is_told_terlambat_only(wilayah, kantor, warga, petugas):
    ajukan(buat_layanan("domisili", "7.5"), wilayah["medono"], warga, wib(2026, 11, 6, 14))
    assert sapu(wib(2026, 11, 10, 8)) == {"rawan": 0, "terlambat": 1}
    assert penerima("sla_rawan") == []
    assert penerima("sla_terlambat") == sorted(
        [NO_HP["petugas.medono"], NO_HP["lurah.medono"], NO_HP["camat.pekalonganbarat"]]
    )


def test_paused_and_finished_requests_are_not_swept(wilayah, kantor, warga, petugas):
    layanan = buat_layanan("domisili", 2)
    dijeda, _ = ajukan(layanan, wilayah["medono"], warga, wib(2026, 11, 9, 8))
    transisi(dijeda, "minta_perbaikan", wib(2026, 11, 9, 11))  # 3 h used: past both, then paused
    selesai, _ = ajukan(layanan, wilayah["medono"], warga, wib(2026, 11, 9, 8))
    transisi(selesai, "verifikasi", wib(2026, 11, 9, 9))
    transisi(selesai, "setujui", wib(2026, 11, 9, 11))
    assert sapu(wib(2026, 11, 12)) == {"rawan": 0, "terlambat": 0}
    # Resubmitted late: the clock runs again and the crossing is told.
    transisi(dijeda, "ajukan_ulang", wib(2026, 11, 12, 8))
    assert sapu(wib(2026, 11, 12, 8, 1)) == {"rawan": 0, "terlambat": 1}


def test_kecamatan_stage_tells_the_kecamatan_officer(wilayah, kantor, warga, petugas):
    waris = buat_layanan("ahli-waris", 4, tingkat="kecamatan", jam_kelurahan=1, jam_kecamatan=3)
    p, _ = ajukan(waris, wilayah["medono"], warga, wib(2026, 11, 9, 8))
    transisi(p, "verifikasi", wib(2026, 11, 9, 8, 30))
    transisi(p, "setujui", wib(2026, 11, 9, 9))  # 1 h at the kelurahan; rawan at 3 h: 11.00
    assert sapu(wib(2026, 11, 9, 11)) == {"rawan": 1, "terlambat": 0}
    assert penerima("sla_rawan") == [NO_HP["petugas.pekalonganbarat"]]


def test_celery_task_runs_the_sweep(wilayah, kantor, warga, petugas):
    ajukan(buat_layanan("domisili", 1), wilayah["medono"], warga, wib(2026, 11, 9, 8))
    with time_machine.travel(wib(2026, 11, 9, 12), tick=False):
        assert sla_sweep_task.apply().get() == {"rawan": 0, "terlambat": 1}


def _banyak_terbuka(layanan, kelurahan, warga, jumlah, tenggat):
    """Open requests far from their thresholds (and finished ones long past): never crossing."""
    terbuka = [
        Permohonan(
            layanan=layanan, kelurahan=kelurahan, kecamatan=kelurahan.induk, pemohon=warga, keperluan="x",
            diajukan_pada=tenggat - timedelta(days=1), tahap_mulai=tenggat - timedelta(days=1),
            sla_jatah_detik=3600, tenggat=tenggat, tenggat_rawan=tenggat,
        )
        for _ in range(jumlah)
    ]
    Permohonan.objects.bulk_create(terbuka)
    lama = Permohonan.objects.filter(pk__in=[p.pk for p in terbuka[: jumlah // 2]])
    lama.update(status=Status.SELESAI, tenggat=wib(2026, 1, 5), tenggat_rawan=wib(2026, 1, 5), memenuhi_standar=False)


def test_sweep_query_count_does_not_grow_with_open_requests(
    wilayah, kantor, warga, petugas, django_assert_max_num_queries
):
    layanan = buat_layanan("domisili", 1)
    for menit in range(3):  # three crossing terlambat by Mon 12.00
        ajukan(layanan, wilayah["medono"], warga, wib(2026, 11, 9, 8, menit))
    _banyak_terbuka(layanan, wilayah["medono"], warga, 10, wib(2026, 12, 1))
    with CaptureQueriesContext(connection) as sedikit:
        assert sapu(wib(2026, 11, 9, 12)) == {"rawan": 0, "terlambat": 3}

    for menit in range(3):  # three more crossing, now among 40 times as many others
        ajukan(layanan, wilayah["tirto"], warga, wib(2026, 11, 16, 8, menit))
    _banyak_terbuka(layanan, wilayah["medono"], warga, 400, wib(2026, 12, 1))
    assert Permohonan.objects.filter(status=Status.DIAJUKAN).count() > 200
    with django_assert_max_num_queries(len(sedikit)):
        assert sapu(wib(2026, 11, 16, 12)) == {"rawan": 0, "terlambat": 3}
    # And what is paid is per crossing: a fixed few queries for the two index reads.
    with CaptureQueriesContext(connection) as kosong:
        assert sapu(wib(2026, 11, 16, 12)) == {"rawan": 0, "terlambat": 0}
    assert len(kosong) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_tell_each_crossing_once(wilayah, kantor, warga, petugas):
    layanan = buat_layanan("domisili", 1)
    jumlah = 40
    for i in range(jumlah):
        ajukan(layanan, wilayah["medono" if i % 2 else "tirto"], warga, wib(2026, 11, 9, 8, 0, i))
    sekarang = wib(2026, 11, 9, 8, 50)  # every one past its rawan threshold (08.45), none past 09.00
    mulai = threading.Barrier(2)
    hasil, galat = [], []

    def jalan():
        try:
            mulai.wait()
            hasil.append(sla_sweep(sekarang=sekarang))
        except Exception as e:  # pragma: no cover - reported below
            galat.append(e)
        finally:
            connection.close()

    benang = [threading.Thread(target=jalan) for _ in range(2)]
    for b in benang:
        b.start()
    for b in benang:
        b.join()
    assert galat == []
    assert sum(h["rawan"] for h in hasil) == jumlah
    # Only Medono has a petugas_kelurahan with a number: one message per Medono request, none twice.
    pesan = Outbox.objects.filter(templat="sla_rawan")
    assert pesan.count() == jumlah // 2
    assert len(set(pesan.values_list("referensi", flat=True))) == jumlah // 2
    assert AuditEvent.objects.filter(kategori="sla").count() == jumlah
    assert sla_sweep(sekarang=sekarang) == {"rawan": 0, "terlambat": 0}
