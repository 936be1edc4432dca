"""Bulk appends to an audit chain (`audit_catat_banyak`): same chain as one-by-one appends, fewer statements."""

import itertools

import pytest

from audit.models import AuditEvent, RantaiAudit
from audit.rantai import hitung_hash, isi_event
from audit.selectors import rantai_verifikasi
from audit.services import audit_catat, audit_catat_banyak
from integritas.models import PermohonanRingkas
from tests.pembantu_indikator import MEDONO, TIRTO, wib

pytestmark = pytest.mark.django_db


def kejadian(i, **lain):
    return {"kategori": "sla", "aksi": "sla_rawan", "objek_tipe": "permohonan", "objek_id": i,
            "waktu": wib(2026, 11, 9, 10), "data": {"ke": i, "teks": "é ünïcode"}, **lain}


def test_bulk_append_verifies_with_one_head_lock_and_one_insert(django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # head upsert, one INSERT of all 50, head update
        events = audit_catat_banyak(rantai=MEDONO, kejadian=[kejadian(i) for i in range(50)])
    assert [e.urutan for e in events] == list(range(1, 51))
    assert all(e.pk for e in events)
    hasil = rantai_verifikasi(MEDONO)
    assert hasil.utuh and hasil.jumlah == 50, hasil
    kepala = RantaiAudit.objects.get(kunci=MEDONO)
    assert (kepala.urutan, kepala.hash_terakhir) == (50, events[-1].hash)
    # Each stored event hashes to what was computed, linked to the one before.
    simpan = list(AuditEvent.objects.filter(rantai=MEDONO).order_by("urutan"))
    for sebelum, e in itertools.pairwise(simpan):
        assert e.hash_sebelum == sebelum.hash
        assert e.hash == hitung_hash(hash_sebelum=e.hash_sebelum, isi=isi_event(e))


def test_bulk_and_single_appends_interleave_on_one_chain():
    audit_catat(rantai=MEDONO, kategori="sla", aksi="satu", data={"a": 1})
    audit_catat_banyak(rantai=MEDONO, kejadian=[kejadian(i) for i in range(3)])
    audit_catat_banyak(rantai=TIRTO, kejadian=[kejadian(i) for i in range(2)])
    audit_catat(rantai=MEDONO, kategori="sla", aksi="dua", data={"a": 2})
    audit_catat_banyak(rantai=MEDONO, kejadian=[kejadian(9)])
    assert audit_catat_banyak(rantai=MEDONO, kejadian=[]) == []
    for rantai, jumlah in ((MEDONO, 6), (TIRTO, 2)):
        hasil = rantai_verifikasi(rantai)
        assert hasil.utuh and hasil.jumlah == jumlah, hasil
    assert list(AuditEvent.objects.filter(rantai=MEDONO).order_by("urutan").values_list("aksi", flat=True)) == [
        "satu", "sla_rawan", "sla_rawan", "sla_rawan", "dua", "sla_rawan"
    ]


def test_bulk_transition_events_update_the_indicator_projection():
    data = {"nomor_registrasi": "NR000001", "layanan": "domisili", "kelurahan": MEDONO, "kecamatan": "33.75.01",
            "dari": None, "ke": "diajukan", "tahap": "kelurahan", "sla": {}}
    events = audit_catat_banyak(rantai=MEDONO, kejadian=[
        {"kategori": "transisi", "aksi": "ajukan", "objek_tipe": "permohonan", "objek_id": 1,
         "waktu": wib(2026, 11, 9, 8), "data": data},
        {"kategori": "transisi", "aksi": "verifikasi", "objek_tipe": "permohonan", "objek_id": 1,
         "waktu": wib(2026, 11, 9, 9), "data": {**data, "dari": "diajukan", "ke": "diverifikasi"}},
    ])
    ringkas = PermohonanRingkas.objects.get(pk=1)
    assert ringkas.status == "diverifikasi" and ringkas.event_terakhir == events[-1].pk


def test_several_chains_in_three_statements_with_request_context(django_assert_max_num_queries):
    from types import SimpleNamespace

    from audit.konteks import KonteksPermintaan, lepas_konteks, pasang_konteks
    from audit.services import audit_catat_per_rantai

    audit_catat(rantai=TIRTO, kategori="sla", aksi="awal", data={})
    pegawai = SimpleNamespace(username="lurah.medono", pk=7)
    token = pasang_konteks(KonteksPermintaan(ip="203.0.113.9", user_agent="Mozilla/5.0 \"uji\""))
    try:
        with django_assert_max_num_queries(3):  # every head locked by one upsert, one INSERT, one UPDATE
            events = audit_catat_per_rantai(kejadian={
                MEDONO: [kejadian(i, aktor=pegawai, peran="lurah") for i in range(20)],
                TIRTO: [kejadian(i) for i in range(5)] + [kejadian(99, anonim=True)],
                "sistem": [kejadian(0)],
            })
    finally:
        lepas_konteks(token)
    assert len({e.pk for e in events}) == 27 and all(e.pk for e in events)
    for rantai, jumlah in ((MEDONO, 20), (TIRTO, 7), ("sistem", 1)):
        hasil = rantai_verifikasi(rantai)
        assert hasil.utuh and hasil.jumlah == jumlah, hasil
    disimpan = AuditEvent.objects.get(rantai=MEDONO, urutan=3)
    assert (disimpan.aktor, disimpan.aktor_id, disimpan.ip, disimpan.user_agent) == (
        "lurah.medono", 7, "203.0.113.9", 'Mozilla/5.0 "uji"'
    )
    assert disimpan.waktu == wib(2026, 11, 9, 10) and disimpan.data == {"ke": 2, "teks": "é ünïcode"}
    anonim = AuditEvent.objects.get(rantai=TIRTO, objek_id="99")
    assert anonim.ip is None and anonim.user_agent == ""
    assert {e.pk: e.urutan for e in events} == dict(
        AuditEvent.objects.filter(pk__in=[e.pk for e in events]).values_list("pk", "urutan")
    )
