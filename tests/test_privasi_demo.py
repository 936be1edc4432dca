"""The audit ledger holds no personal data (so retention never has to touch it), and retention leaves the
chains verifying and the integrity indicators unchanged, on the demo city's generated history."""

import datetime
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.test import APIClient

from audit.models import AuditEvent
from layanan.models import Berkas, Permohonan, Warga

pytestmark = pytest.mark.django_db
SEKARANG = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture(autouse=True)
def _demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = True


def _indikator():
    klien = APIClient()
    klien.force_authenticate(get_user_model().objects.get(username="inspektorat"))
    hasil = {}
    for wilayah in ("33.75.01", "33.75.01.1002", "33.75.01.1009"):
        r = klien.get(f"/api/v1/indikator/?wilayah={wilayah}&dari=2025-01-01&sampai=2026-11-20")
        assert r.status_code == 200, r.content
        hasil[wilayah] = r.json()
    return hasil


def test_ledger_has_no_personal_data_and_retention_keeps_chain_and_indicators():
    with time_machine.travel(SEKARANG, tick=False):
        call_command("seed_demo", stdout=StringIO())
    warga = list(Warga.objects.all())
    assert len(warga) > 10
    rahasia = set()
    for w in warga:
        rahasia.update(v for v in (w.nik, w.no_hp, w.no_hp.removeprefix("+"), w.nama, w.alamat) if v and len(v) >= 5)
    for p in Permohonan.objects.all():
        rahasia.update(v for k, v in p.identitas.items() if k in ("nik", "nama", "alamat") and v and len(v) >= 5)
    # Officials act and sign under their own names (oleh_nama, office master data): a resident who shares a
    # lurah's name is not a leak.
    from kelurahan.pekalongan import KECAMATAN, KELURAHAN

    petugas = {u.get_full_name() for u in get_user_model().objects.filter(penugasan__isnull=False)}
    petugas |= {lurah for _alamat, lurah, _nip in KELURAHAN.values()} | {k[4] for k in KECAMATAN}
    rahasia = {r for r in rahasia if not any(r in nama for nama in petugas)}
    assert len(rahasia) > 30
    isi = [json.dumps([e.data, e.aktor, e.objek_id, e.user_agent], ensure_ascii=False)
           for e in AuditEvent.objects.all()]
    assert len(isi) > 100
    bocor = {r for r in rahasia for teks in isi if r in teks}
    assert not bocor, sorted(bocor)[:5]

    with time_machine.travel(SEKARANG, tick=False):
        sebelum = _indikator()
    assert sebelum["33.75.01"]["permohonan"]["total"] > 0
    with time_machine.travel(SEKARANG + datetime.timedelta(days=800), tick=False):
        out = StringIO()
        call_command("terapkan_retensi", stdout=out)
        call_command("audit_verify", stdout=StringIO())  # raises CommandError at the first fault
    assert "permohonan_dianonimkan: 0" not in out.getvalue()
    assert not Berkas.objects.filter(permohonan__status__in=["selesai", "ditolak", "dibatalkan"]).exists()
    with time_machine.travel(SEKARANG, tick=False):
        sesudah = _indikator()
    # Everything but `rantai_audit`, which reports when the chains were last verified: audit_verify just did.
    beda = [b for b in _beda(sebelum, sesudah) if ".rantai_audit." not in b[0]]
    assert beda == []
    assert any(".rantai_audit." in b[0] for b in _beda(sebelum, sesudah))  # the comparison does see changes


def _beda(a, b, jalur=""):
    """The paths where two JSON answers differ (readable when the assertion fails)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [x for k in sorted(set(a) | set(b)) for x in _beda(a.get(k), b.get(k), f"{jalur}.{k}")]
    return [] if a == b else [(jalur, a, b)]
