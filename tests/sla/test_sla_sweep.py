"""The SLA sweep: officers told once per crossing, escalation, concurrency and query cost."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.enkripsi import indeks_hp
from audit.models import AuditEvent
from audit.selectors import rantai_verifikasi
from kelurahan.models import Penugasan, Peran
from layanan.models import Permohonan, Status
from layanan.permohonan import sla
from layanan.permohonan.sla import sla_sweep
from layanan.tasks import sla_sweep as sla_sweep_task
from notifikasi.models import Berhenti, Outbox, TemplatPesan
from notifikasi.relay import outbox_kirim_tertinggal
from tests.sla.bantu import ajukan, buat_layanan, transisi, wib

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
    from audit.models import AuditEvent, Checkpoint

    ajukan(buat_layanan("domisili", 1), wilayah["medono"], warga, wib(2026, 11, 9, 8))
    with time_machine.travel(wib(2026, 11, 9, 12), tick=False):
        assert sla_sweep_task.apply().get() == {"rawan": 0, "terlambat": 1}
        # A sweep that appended events is followed by a signed checkpoint covering them.
        kel = wilayah["medono"].kode
        assert Checkpoint.objects.get(rantai=kel).ukuran == AuditEvent.objects.filter(rantai=kel).count()
        assert sla_sweep_task.apply().get() == {"rawan": 0, "terlambat": 0}
    assert Checkpoint.objects.filter(rantai=kel).count() == 1


def test_beat_signs_checkpoints_every_few_minutes(settings):
    jadwal = settings.CELERY_BEAT_SCHEDULE["audit-checkpoint"]
    assert jadwal["task"] == "audit.tasks.audit_checkpoint" and 60 <= jadwal["schedule"] <= 900


def test_several_crossings_one_summary_per_officer_and_level(wilayah, kantor, warga, petugas):
    layanan = buat_layanan("domisili", 1)  # rawan at 08.45, terlambat at 09.00 for an 08.00 submission
    medono = [ajukan(layanan, wilayah["medono"], warga, wib(2026, 11, 9, 8, 0, i))[0] for i in range(7)]
    tirto, _ = ajukan(layanan, wilayah["tirto"], warga, wib(2026, 11, 9, 8, 0, 30))
    assert sapu(wib(2026, 11, 9, 10)) == {"rawan": 0, "terlambat": 8}

    # Medono's petugas and lurah: one summary each, naming the first five; the camat (escalation) one
    # summary of all eight; Tirto's lurah, told of one request only, the usual single message.
    assert penerima("sla_terlambat_banyak") == sorted(
        [NO_HP["petugas.medono"], NO_HP["lurah.medono"], NO_HP["camat.pekalonganbarat"]]
    )
    assert penerima("sla_terlambat") == [NO_HP["lurah.tirto"]]
    ringkas = Outbox.objects.get(templat="sla_terlambat_banyak", penerima_indeks=indeks_hp(NO_HP["petugas.medono"]))
    assert ringkas.variabel["jumlah"] == "7" and ringkas.variabel["lainnya"] == "2"
    assert ringkas.isi == (
        "Simpatik: 7 permohonan melewati tenggat: "
        + ", ".join(p.nomor_registrasi for p in medono[:5])
        + " dan 2 lainnya. Daftarnya: http://127.0.0.1:8000/petugas/?sla=terlambat"
    )
    assert ringkas.referensi == "daftar_kerja?sla=terlambat"
    camat = Outbox.objects.get(penerima_indeks=indeks_hp(NO_HP["camat.pekalonganbarat"]))
    assert camat.variabel["jumlah"] == "8"
    tunggal = Outbox.objects.get(templat="sla_terlambat")
    assert tirto.nomor_registrasi in tunggal.isi and tunggal.referensi == f"permohonan:{tirto.pk}"

    # Still one audit event per crossing, each naming who was told, on its kelurahan chain.
    events = AuditEvent.objects.filter(kategori="sla", aksi="sla_terlambat")
    assert events.count() == 8
    assert sorted(events.filter(rantai="33.75.01.1002").values_list("objek_id", flat=True)) == sorted(
        str(p.pk) for p in medono
    )
    e = events.get(objek_id=str(tirto.pk))
    assert e.rantai == "33.75.01.1009"
    assert e.data["diberitahu"] == [  # in Penugasan order, as before
        {"user": "camat.pekalonganbarat", "peran": "camat"}, {"user": "lurah.tirto", "peran": "lurah"}
    ]
    assert set(e.data) == {"nomor_registrasi", "layanan", "kelurahan", "kecamatan", "status", "tahap", "tingkat",
                           "diberitahu", "tanpa_no_hp", "sla"}
    assert rantai_verifikasi("33.75.01.1002").utuh and rantai_verifikasi("33.75.01.1009").utuh


def test_summary_without_more_than_five_has_no_lainnya(wilayah, kantor, warga, petugas):
    layanan = buat_layanan("domisili", 1)
    ps = [ajukan(layanan, wilayah["medono"], warga, wib(2026, 11, 9, 8, 0, i))[0] for i in range(2)]
    assert sapu(wib(2026, 11, 9, 8, 50)) == {"rawan": 2, "terlambat": 0}
    pesan = Outbox.objects.get(templat="sla_rawan_banyak")
    assert pesan.penerima == NO_HP["petugas.medono"]
    assert pesan.isi == (
        f"Simpatik: 2 permohonan sudah memakai 75% jatah waktunya: {ps[0].nomor_registrasi}, "
        f"{ps[1].nomor_registrasi}. Mohon segera diproses: http://127.0.0.1:8000/petugas/?sla=rawan"
    )


def test_opted_out_number_and_inactive_summary_are_kept_as_skipped(wilayah, kantor, warga, petugas):
    Berhenti.objects.create(kunci_hp=indeks_hp(NO_HP["camat.pekalonganbarat"]), sejak=wib(2026, 11, 1))
    TemplatPesan.objects.filter(kode="sla_terlambat_banyak").update(aktif=False)  # row from the migration
    layanan = buat_layanan("domisili", 1)
    for i in range(3):
        ajukan(layanan, wilayah["medono"], warga, wib(2026, 11, 9, 8, 0, i))
    ajukan(layanan, wilayah["tirto"], warga, wib(2026, 11, 9, 8, 0, 30))
    assert sapu(wib(2026, 11, 9, 10)) == {"rawan": 0, "terlambat": 4}
    outbox_kirim_tertinggal()  # the relay asks the opt-out registry before sending
    status = dict(Outbox.objects.values_list("penerima", "status"))
    assert status == {
        NO_HP["petugas.medono"]: "dilewati",  # summary template switched off in the admin
        NO_HP["lurah.medono"]: "dilewati",
        NO_HP["camat.pekalonganbarat"]: "dilewati",  # replied BERHENTI (and switched off)
        NO_HP["lurah.tirto"]: "terkirim",  # a single crossing: the usual template, still on
    }
    # The opt-out alone also holds for the single message.
    Berhenti.objects.create(kunci_hp=indeks_hp(NO_HP["lurah.tirto"]), sejak=wib(2026, 11, 1))
    ajukan(layanan, wilayah["tirto"], warga, wib(2026, 11, 10, 8))
    assert sapu(wib(2026, 11, 10, 10)) == {"rawan": 0, "terlambat": 1}
    outbox_kirim_tertinggal()
    assert dict(Outbox.objects.filter(templat="sla_terlambat").order_by("pk").values_list("penerima", "status")) == {
        NO_HP["lurah.tirto"]: "dilewati", NO_HP["camat.pekalonganbarat"]: "dilewati",
    }


def test_a_failing_batch_is_retried_one_by_one(wilayah, kantor, warga, petugas, monkeypatch, caplog):
    layanan = buat_layanan("domisili", 1)
    ps = [ajukan(layanan, wilayah["medono"], warga, wib(2026, 11, 9, 8, 0, i))[0] for i in range(3)]
    asli = sla.sla_data

    def rusak_untuk_satu(p, waktu):
        if p.pk == ps[1].pk:
            raise ValueError("data rusak")
        return asli(p, waktu)

    monkeypatch.setattr(sla, "sla_data", rusak_untuk_satu)
    assert sapu(wib(2026, 11, 9, 8, 50)) == {"rawan": 2, "terlambat": 0}
    assert f"permohonan {ps[1].pk} gagal" in caplog.text
    # The bad one rolled back alone: not marked told, no message, no event; the next sweep retries it.
    assert Permohonan.objects.get(pk=ps[1].pk).sla_tingkat_diberitahu == 0
    assert sorted(AuditEvent.objects.filter(kategori="sla").values_list("objek_id", flat=True)) == sorted(
        [str(ps[0].pk), str(ps[2].pk)]
    )
    assert Outbox.objects.filter(templat="sla_rawan").count() == 2


def test_query_count_of_a_sweep_does_not_grow_with_crossings(
    wilayah, kantor, warga, petugas, django_assert_max_num_queries
):
    layanan = buat_layanan("domisili", 1)
    for i, kel in enumerate(["medono", "tirto"]):  # one crossing in each of two kelurahan
        ajukan(layanan, wilayah[kel], warga, wib(2026, 11, 9, 8, 0, i))
    with CaptureQueriesContext(connection) as sedikit:
        assert sapu(wib(2026, 11, 9, 10)) == {"rawan": 0, "terlambat": 2}
    for i in range(50):  # fifty across the same two kelurahan
        ajukan(layanan, wilayah["medono" if i % 2 else "tirto"], warga, wib(2026, 11, 10, 8, 0, i))
    with django_assert_max_num_queries(len(sedikit)):
        assert sapu(wib(2026, 11, 10, 10)) == {"rawan": 0, "terlambat": 50}
    assert AuditEvent.objects.filter(kategori="sla").count() == 52


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


def _diberitahu_per_permohonan():
    """{request id: how many sla events}: each crossing must appear exactly once."""
    hitung = {}
    for objek_id in AuditEvent.objects.filter(kategori="sla").values_list("objek_id", flat=True):
        hitung[int(objek_id)] = hitung.get(int(objek_id), 0) + 1
    return hitung


def _jumlah_dalam_pesan(templat):
    """Crossings a number was told about: 1 per single message, `jumlah` per summary."""
    hasil = {}
    for pesan in Outbox.objects.filter(templat__in=[templat, f"{templat}_banyak"]):
        n = int(pesan.variabel["jumlah"]) if pesan.templat.endswith("_banyak") else 1
        hasil[pesan.penerima] = hasil.get(pesan.penerima, 0) + n
    return hasil


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_tell_each_crossing_once(wilayah, kantor, warga, petugas, monkeypatch):
    # Small transactions so the two sweeps meet on many of them.
    monkeypatch.setattr(sla, "POTONGAN_SAPU", 3)
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
    # Every request told exactly once, on its own kelurahan chain, and the chains still verify.
    assert _diberitahu_per_permohonan() == dict.fromkeys(Permohonan.objects.values_list("pk", flat=True), 1)
    assert rantai_verifikasi("33.75.01.1002").utuh and rantai_verifikasi("33.75.01.1009").utuh
    # Only Medono has a petugas_kelurahan with a number: its 20 requests, counted across the
    # messages of both sweeps (single or summary), none twice.
    assert _jumlah_dalam_pesan("sla_rawan") == {NO_HP["petugas.medono"]: jumlah // 2}
    assert sla_sweep(sekarang=sekarang) == {"rawan": 0, "terlambat": 0}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sweep_skips_a_request_locked_by_a_transition_and_tells_it_next_time(wilayah, kantor, warga, petugas):
    layanan = buat_layanan("domisili", 1)
    ps = [ajukan(layanan, wilayah["medono"], warga, wib(2026, 11, 9, 8, 0, i))[0] for i in range(4)]
    sekarang = wib(2026, 11, 9, 8, 50)
    dikunci, lepas = threading.Event(), threading.Event()

    def petugas_sedang_memproses():  # an officer's transition holds the row lock
        with transaction.atomic():
            Permohonan.objects.select_for_update().get(pk=ps[0].pk)
            dikunci.set()
            lepas.wait(10)
        connection.close()

    b = threading.Thread(target=petugas_sedang_memproses)
    b.start()
    dikunci.wait(10)
    try:
        assert sla_sweep(sekarang=sekarang) == {"rawan": 3, "terlambat": 0}  # did not wait for the lock
    finally:
        lepas.set()
        b.join()
    assert sla_sweep(sekarang=sekarang) == {"rawan": 1, "terlambat": 0}
    assert _diberitahu_per_permohonan() == {p.pk: 1 for p in ps}
    assert list(Outbox.objects.order_by("pk").values_list("templat", flat=True)) == ["sla_rawan_banyak", "sla_rawan"]
