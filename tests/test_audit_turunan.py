"""The tables derived from the ledger (rollups, surveys, complaints) are held to it by audit_verify.

A history written by the real services (transitions, surveys, handled complaints) checks clean; then each
kind of insider edit of a derived row is reported with the chain it should follow, and the
witness's saved checkpoint does not excuse it.
"""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit import turunan
from audit.checkpoint import checkpoint_semua
from integritas.models import Pengaduan, PermohonanRingkas, Survei
from tests.pembantu_audit import sebagai_pemilik
from tests.pembantu_indikator import wib

pytestmark = pytest.mark.django_db


IKM = dict.fromkeys(("persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi", "perilaku", "pengaduan",
                     "sarana"), 3)
IPAK = dict.fromkeys(("diskriminasi", "kecurangan", "gratifikasi", "pungli", "percaloan"), 4)
IPKP = dict.fromkeys(("informasi", "persyaratan", "prosedur", "waktu", "biaya", "sarana", "petugas", "pengaduan"), 4)


@pytest.fixture
def riwayat(client, tmp_path):
    """Requests through their transitions (the rollup follows), surveys and a handled complaint, all
    through the services that write them; then a checkpoint a witness saves."""
    from integritas.services import pengaduan_buat, pengaduan_ubah_status, survei_simpan
    from tests.pembantu_indikator import MEDONO, TIRTO, permohonan_selesai, petugas

    permohonan_selesai(1, wib(2026, 11, 2, 8), jam_kelurahan=3)
    permohonan_selesai(2, wib(2026, 11, 2, 9), jam_kelurahan=12, memenuhi=False, kelurahan=TIRTO)
    permohonan_selesai(3, wib(2026, 11, 3, 8), jam_kelurahan=2)
    for pid, kel in ((1, MEDONO), (2, TIRTO), (3, MEDONO)):
        survei_simpan(permohonan_id=pid, kelurahan=kel, layanan="domisili", ikm={**IKM, "waktu": pid % 4 + 1},
                      ipak=IPAK, ipkp=IPKP, diminta_bayar=pid == 2, waktu=wib(2026, 11, 4, 9))
    inspektur = petugas("inspektorat", 5)
    for kategori in ("pungli", "lambat"):
        p = pengaduan_buat(kategori=kategori, isi="Diminta uang tambahan di loket pelayanan.",
                           waktu=wib(2026, 11, 5, 9))
        pengaduan_ubah_status(kode_lacak=p.kode_lacak, status="diverifikasi", pengguna=inspektur, peran="inspektorat",
                              waktu=wib(2026, 11, 6, 9))
    checkpoint_semua()
    berkas = tmp_path / "saksi.json"
    berkas.write_text(json.dumps(client.get("/api/v1/audit/checkpoint/").json()))
    return berkas


def _verifikasi(berkas):
    keluar = io.StringIO()
    call_command("audit_verify", checkpoint=str(berkas), stdout=keluar)
    return keluar.getvalue()


def _tolak(berkas, *harapan):
    keluar = io.StringIO()
    with pytest.raises(CommandError) as galat:
        call_command("audit_verify", checkpoint=str(berkas), stdout=keluar)
    for h in harapan:
        assert h in keluar.getvalue(), keluar.getvalue()
    return str(galat.value)


def test_a_real_history_checks_clean(riwayat):
    assert turunan.terdaftar() == ["pengaduan", "ringkasan", "survei"]
    assert (PermohonanRingkas.objects.count(), Survei.objects.count(), Pengaduan.objects.count()) == (3, 3, 2)
    keluar = _verifikasi(riwayat)
    for nama in ("ringkasan", "survei", "pengaduan"):
        assert f"OK     turunan {nama}" in keluar


def test_an_edited_survey_row_is_named_with_its_chain(riwayat):
    s = Survei.objects.order_by("pk").first()
    Survei.objects.filter(pk=s.pk).update(ikm_waktu=1 if s.ikm_waktu != 1 else 2)
    pesan = _tolak(riwayat, f"BEDA   rantai survei: audit_survei id={s.pk}: jawabannya tidak sama",
                   "kejadian survei di rantai tanpa baris yang sama")
    assert "rantai survei" in pesan


def test_a_deleted_survey_and_an_invented_one_are_both_reported(riwayat):
    s = Survei.objects.order_by("pk").last()
    Survei.objects.filter(pk=s.pk).delete()
    _tolak(riwayat, "rantai survei: audit_survei", "tanpa baris yang sama (dihapus atau diubah)")


def test_a_complaint_closed_outside_the_app_is_named(riwayat):
    p = Pengaduan.objects.exclude(status="ditutup").order_by("pk").first()
    Pengaduan.objects.filter(pk=p.pk).update(status="ditutup")
    _tolak(riwayat, f"rantai pengaduan: audit_pengaduan {p.kode_lacak}: status 'ditutup' ≠ '{p.status}'")


def test_a_rollup_row_edited_or_deleted_is_named_with_its_kelurahan_chain(riwayat):
    a, b = PermohonanRingkas.objects.order_by("pk")[:2]
    PermohonanRingkas.objects.filter(pk=a.pk).update(memenuhi_standar=not a.memenuhi_standar)
    PermohonanRingkas.objects.filter(pk=b.pk).delete()
    _tolak(riwayat, f"rantai {a.kelurahan}: audit_permohonanringkas permohonan_id={a.pk}: memenuhi_standar",
           f"rantai {b.kelurahan}: audit_permohonanringkas permohonan_id={b.pk}: baris hilang")


def test_an_event_edit_is_named_even_when_the_rollup_follows_it(riwayat):
    """The insider edits a transition event and its rollup row together: the rollup agrees, the chain does not."""
    from audit.models import AuditEvent

    e = AuditEvent.objects.filter(kategori="transisi", aksi="setujui").order_by("pk").first()
    with sebagai_pemilik():
        AuditEvent.objects.filter(pk=e.pk).update(aktor="orang-lain")
    _tolak(riwayat, f"RUSAK  {e.rantai}: kejadian id={e.pk}")
