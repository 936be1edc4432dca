"""Locks, triggers and races: only meaningful on PostgreSQL (skipped on SQLite, required in CI)."""

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from rest_framework.test import APIClient

from audit.models import AuditEvent
from audit.selectors import rantai_verifikasi
from audit.services import audit_catat
from kelurahan.models import Peran
from layanan.models import Permohonan
from tests.factories import MEDONO, Dunia, buat_petugas, token, unggahan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def serentak(jumlah, kerja):
    """Run `kerja(i)` in `jumlah` threads released at the same instant; returns results in order."""
    hasil = [None] * jumlah
    galat = []
    gerbang = threading.Barrier(jumlah)

    def jalan(i):
        try:
            gerbang.wait()
            hasil[i] = kerja(i)
        except Exception as e:  # surfaced below
            galat.append(e)
        finally:
            connections.close_all()

    benang = [threading.Thread(target=jalan, args=(i,)) for i in range(jumlah)]
    for b in benang:
        b.start()
    for b in benang:
        b.join(60)
    assert not galat, galat
    return hasil


def test_two_officers_acting_at_once_one_wins_one_conflicts():
    dunia = Dunia()
    kedua = buat_petugas("petugas2.medono", Peran.PETUGAS_KELURAHAN, dunia.medono)
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token(dunia.warga.user)}")
    r = c.post(
        "/api/v1/permohonan/",
        {"layanan": "domisili", "kelurahan": MEDONO, "keperluan": "Uji", "data": '{"lama_tinggal": 1}',
         "nama": "Siti", "alamat": "Jl. Medono", "berkas_pengantar_rt": unggahan(), "berkas_ktp": unggahan()},
        format="multipart",
    )
    pk = r.json()["id"]
    petugas = [dunia.petugas_medono, kedua]
    kunci = [token(u) for u in petugas]

    def verifikasi(i):
        k = APIClient()
        k.credentials(HTTP_AUTHORIZATION=f"Token {kunci[i]}")
        return k.post(f"/api/v1/permohonan/{pk}/aksi/", {"aksi": "verifikasi"}, format="json").status_code

    kode = serentak(2, verifikasi)
    assert sorted(kode) == [200, 409]
    assert Permohonan.objects.get(pk=pk).status == "diverifikasi"
    assert AuditEvent.objects.filter(objek_id=str(pk), aksi="verifikasi").count() == 1
    assert rantai_verifikasi(MEDONO).utuh


def test_concurrent_appends_to_one_chain_stay_unbroken():
    def tulis(i):
        for j in range(15):
            with transaction.atomic():
                audit_catat(rantai=MEDONO, kategori="transisi", aksi="uji", data={"benang": i, "ke": j})
        return True

    serentak(6, tulis)
    hasil = rantai_verifikasi(MEDONO)
    assert hasil.utuh, hasil
    assert hasil.jumlah == 90
    assert list(AuditEvent.objects.filter(rantai=MEDONO).order_by("urutan").values_list("urutan", flat=True)) == list(
        range(1, 91)
    )


def test_update_delete_and_truncate_on_audit_rows_are_refused():
    e = audit_catat(rantai=MEDONO, kategori="transisi", aksi="uji", data={"a": 1})
    with pytest.raises(DatabaseError, match="hanya boleh ditambah"):
        with transaction.atomic():
            AuditEvent.objects.filter(pk=e.pk).update(aksi="diubah")
    with pytest.raises(DatabaseError, match="hanya boleh ditambah"):
        with transaction.atomic():
            AuditEvent.objects.filter(pk=e.pk).delete()
    with pytest.raises(DatabaseError, match="hanya boleh ditambah"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET LOCAL simpatik.izinkan_truncate = 'off'")
            cur.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.get(pk=e.pk).aksi == "uji"


def test_row_altered_with_trigger_disabled_is_caught_by_audit_verify(capsys):
    for i in range(5):
        audit_catat(rantai=MEDONO, kategori="transisi", aksi="uji", data={"i": i})
    korban = AuditEvent.objects.get(rantai=MEDONO, urutan=3)
    call_command("audit_verify")
    with connection.cursor() as cur:
        cur.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_tolak_ubah_baris")
        cur.execute("UPDATE audit_auditevent SET data = '{\"i\": 99}' WHERE id = %s", [korban.pk])
        cur.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_tolak_ubah_baris")
    with pytest.raises(CommandError, match=f"id={korban.pk}"):
        call_command("audit_verify")
    assert f"RUSAK  {MEDONO}: kejadian id={korban.pk}" in capsys.readouterr().out


def test_a_fork_cannot_be_stored_even_bypassing_the_head_lock():
    from django.db import IntegrityError

    e = audit_catat(rantai=MEDONO, kategori="transisi", aksi="uji")
    palsu = AuditEvent(rantai=MEDONO, urutan=2, hash_sebelum=e.hash_sebelum, hash="f" * 64, waktu=e.waktu,
                       kategori="transisi", aksi="palsu")
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            palsu.save(force_insert=True)
