"""`audit.sisip`: the one-statement INSERT writes the same rows as the ORM's save and bulk_create, and a
taken registration number is drawn again without a savepoint (issue 22)."""

import datetime
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction

from audit.sisip import sisipkan, sisipkan_banyak
from layanan.models import Berkas, Permohonan
from layanan.permohonan.services import _simpan_dengan_nomor_unik
from notifikasi.models import Outbox
from tests.factories import MEDONO, Dunia

pytestmark = pytest.mark.django_db

WAKTU = datetime.datetime(2026, 11, 30, 3, 4, 5, 678000, tzinfo=datetime.UTC)


@pytest.fixture
def dunia():
    return Dunia()


def _permohonan(dunia, nomor):
    return Permohonan(
        nomor_registrasi=nomor, layanan=dunia.domisili, kelurahan_id=MEDONO, kecamatan_id="33.75.01",
        pemohon=dunia.warga, identitas={"nama": "Siti Aminah", "nik": dunia.warga.nik, "catatan": "é ü \u2019"},
        keperluan="uji", data={"lama_tinggal": 5}, dibuat_oleh=dunia.warga.user, diajukan_pada=WAKTU,
        tenggat=WAKTU + datetime.timedelta(hours=8),
    )


def _baris(model, pk, tanpa):
    """The row as the ORM reads it back (sealed fields opened), without the columns that differ by design."""
    baris = model.objects.filter(pk=pk).values()[0]
    return {k: v for k, v in baris.items() if k not in {"id", *tanpa}}


def _sama(model, a, b, tanpa=()):
    assert _baris(model, a.pk, tanpa) == _baris(model, b.pk, tanpa)


def test_request_row_equals_the_orms_including_sealed_fields_and_word_index(dunia):
    a = _permohonan(dunia, "SMPTK0000001")
    a.save(force_insert=True)
    b = _permohonan(dunia, "SMPTK0000002")
    assert sisipkan(b) is True and b.pk and not b._state.adding
    # auto_now differs by the microseconds between the two writes; everything else is the same,
    # blind and word indexes included (they are written by the fields' pre_save).
    _sama(Permohonan, a, b, tanpa={"nomor_registrasi", "diperbarui"})
    assert Permohonan.objects.get(pk=b.pk).identitas["catatan"] == "é ü \u2019"
    assert Permohonan.objects.filter(pk=b.pk, diperbarui__isnull=False).exists()
    # the sealed column holds ciphertext, not the name
    with connection.cursor() as c:
        c.execute("SELECT identitas FROM layanan_permohonan WHERE id = %s", [b.pk])
        assert "Siti" not in str(c.fetchone()[0])


def test_files_rows_equal_bulk_creates_with_their_keys_in_order(dunia):
    p = _permohonan(dunia, "SMPTK0000003")
    p.save(force_insert=True)

    def berkas(kode):
        b = Berkas(permohonan=p, persyaratan_kode=kode, nama_asli=f"{kode}.pdf", jenis="application/pdf",
                   ukuran=4, sha256="0" * 64)
        b.berkas.save("x", ContentFile(b"%PDF"), save=False)
        return b

    orm = Berkas.objects.bulk_create([berkas("ktp"), berkas("kk")])
    kita = sisipkan_banyak([berkas("ktp"), berkas("kk")])
    assert [b.persyaratan_kode for b in kita] == ["ktp", "kk"]
    for a, b in zip(orm, kita, strict=True):
        assert Berkas.objects.get(pk=b.pk).persyaratan_kode == b.persyaratan_kode
        _sama(Berkas, a, b, tanpa={"berkas", "diunggah_pada"})
        assert Berkas.objects.get(pk=b.pk).diunggah_pada is not None
    assert sisipkan_banyak([]) == []


def test_outbox_row_equals_the_orms_with_its_blind_index(dunia):
    def pesan():
        return Outbox(penerima="+6281234567801", templat="uji", variabel={"nama": "Siti"}, isi="Halo Siti",
                      referensi="permohonan:1")

    a, b = pesan(), pesan()
    a.save(force_insert=True)
    sisipkan(b)
    _sama(Outbox, a, b, tanpa={"dibuat", "diperbarui"})
    assert _baris(Outbox, b.pk, ())["penerima_indeks"]  # filled by IndeksButa.pre_save
    assert Outbox.objects.get(pk=b.pk).dibuat is not None


def test_an_instance_with_a_key_is_refused(dunia):
    a = _permohonan(dunia, "SMPTK0000004")
    a.save(force_insert=True)
    with pytest.raises(ValueError):
        sisipkan(a)


def test_a_taken_number_is_drawn_again_and_the_transaction_goes_on(dunia):
    _permohonan(dunia, "SMPTK0000005").save(force_insert=True)
    p = _permohonan(dunia, "SMPTK0000005")
    with transaction.atomic():
        with mock.patch("layanan.permohonan.services.buat_nomor_registrasi", return_value="SMPTK0000006"):
            _simpan_dengan_nomor_unik(p)
        # No error was raised inside the transaction: on PostgreSQL it would now refuse every statement.
        assert Permohonan.objects.filter(nomor_registrasi="SMPTK0000006").get().pk == p.pk
    assert Permohonan.objects.filter(nomor_registrasi="SMPTK0000005").count() == 1


def test_no_free_number_after_the_retries_fails_and_writes_nothing(dunia):
    _permohonan(dunia, "SMPTK0000007").save(force_insert=True)
    p = _permohonan(dunia, "SMPTK0000007")
    with mock.patch("layanan.permohonan.services.buat_nomor_registrasi", return_value="SMPTK0000007") as buat:
        with pytest.raises(IntegrityError):
            _simpan_dengan_nomor_unik(p)
    assert buat.call_count == 5 and p.pk is None
    assert Permohonan.objects.count() == 1


def test_another_violation_still_raises(dunia):
    p = _permohonan(dunia, "SMPTK0000008")
    p.layanan_id = 999_999  # no such service: the foreign key, not the number
    with pytest.raises(IntegrityError), transaction.atomic():
        _simpan_dengan_nomor_unik(p)
        connection.check_constraints()  # SQLite checks foreign keys at commit


def test_ledger_and_rollup_rows_equal_the_orms_with_nulls_and_odd_types(dunia):
    """Values of the wrong Python type still go through the field (an int for a text column), and NULLs stay
    NULL: the fast path takes only values already in their column's form."""
    from audit.models import AuditEvent
    from integritas.models import PermohonanRingkas

    def event(urutan):
        return AuditEvent(rantai="uji", urutan=urutan, hash_sebelum=str(urutan) * 64, hash="1" * 64, waktu=WAKTU,
                          kategori="transisi", aksi="ajukan", aktor="", aktor_id=None, peran="", objek_tipe=7,
                          objek_id=12, data={"a": [1, "é"]}, ip="10.0.0.1", user_agent="UA")

    a, b = event(1), event(2)
    a.save(force_insert=True)
    sisipkan(b)
    _sama(AuditEvent, a, b, tanpa={"urutan", "hash_sebelum"})
    assert _baris(AuditEvent, b.pk, ())["objek_tipe"] == "7" and _baris(AuditEvent, b.pk, ())["aktor_id"] is None

    def ringkas(pid):
        return PermohonanRingkas(permohonan_id=pid, kelurahan=MEDONO, kecamatan="33.75.01", kota="33.75",
                                 status="diajukan", diajukan_pada=WAKTU, tenggat=None, jatah_detik=None,
                                 memenuhi_standar=None, lewat_kecamatan=True, event_terakhir=a.pk,
                                 diperbarui_pada=WAKTU)

    c = ringkas(1)
    c.save(force_insert=True)
    d = ringkas(2)
    sisipkan(d, konflik="permohonan_id")
    _sama(PermohonanRingkas, c, d, tanpa={"permohonan_id"})
    assert _baris(PermohonanRingkas, 2, ())["jatah_detik"] is None
