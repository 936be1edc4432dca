"""The runtime database role cannot rewrite the ledger, whatever it sets in its session (PostgreSQL).

The role is made here as a deployment makes it: the ordinary grants on every table (even
TRUNCATE, the worst case), then deploy/postgres-ledger-grants.sql applied with psql, exactly
as the deployment docs say. The app then works as that role (appends, checkpoints), and
every UPDATE, DELETE or TRUNCATE of a ledger table is refused by the grants themselves.
"""

import subprocess
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit import checks
from audit.checkpoint import checkpoint_semua
from audit.models import AuditEvent, Checkpoint, RantaiAudit
from audit.services import audit_catat
from tests.pembantu_indikator import MEDONO

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PERAN = "simpatik_uji_aplikasi"
HIBAH = Path(__file__).resolve().parent.parent / "deploy" / "postgres-ledger-grants.sql"
TABEL = ["audit_auditevent", "audit_checkpoint", "audit_simpulmerkle", "audit_rantaiaudit"]
SESI = [
    None,
    "SET simpatik.izinkan_truncate = 'on'",
    "SET session_replication_role = replica",
    "SET ROLE postgres",
    "RESET ROLE",
]


def _psql(sql=None, *, berkas=None):
    d = connection.settings_dict
    perintah = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", f"aplikasi={PERAN}", "-h", d["HOST"] or "127.0.0.1",
                "-p", str(d["PORT"] or 5432), "-U", d["USER"], "-d", d["NAME"]]
    perintah += ["-f", str(berkas)] if berkas else ["-c", sql]
    subprocess.run(perintah, check=True, capture_output=True, text=True)


@pytest.fixture
def peran_aplikasi():
    _psql(f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{PERAN}') THEN "
          f"CREATE ROLE {PERAN} LOGIN; END IF; END $$; ALTER ROLE {PERAN} LOGIN NOSUPERUSER;")
    _psql(f"GRANT USAGE ON SCHEMA public TO {PERAN}; "
          f"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO {PERAN}; "
          f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {PERAN};")
    _psql(berkas=HIBAH)
    yield PERAN
    connection.close()  # the role set on this connection goes with it


def _sebagai(peran):
    with connection.cursor() as c:
        c.execute(f"SET ROLE {peran}")


def test_the_runtime_role_appends_and_signs_but_cannot_update_delete_or_truncate(peran_aplikasi):
    audit_catat(rantai=MEDONO, kategori="sla", aksi="awal", data={})
    checkpoint_semua()
    _sebagai(peran_aplikasi)
    # The app's own work goes on as that role.
    for i in range(20):
        audit_catat(rantai=MEDONO, kategori="sla", aksi="uji", data={"i": i})
    assert len(checkpoint_semua()["dibuat"]) == 1
    call_command("audit_verify", rantai=[MEDONO])
    perintah = {
        "audit_auditevent": ["UPDATE audit_auditevent SET aksi = 'x'", "DELETE FROM audit_auditevent"],
        "audit_checkpoint": ["UPDATE audit_checkpoint SET akar = 'x'", "DELETE FROM audit_checkpoint"],
        "audit_simpulmerkle": ["UPDATE audit_simpulmerkle SET hash = 'x'", "DELETE FROM audit_simpulmerkle"],
        "audit_rantaiaudit": ["DELETE FROM audit_rantaiaudit"],
    }
    d = connection.settings_dict
    # Logged in as the runtime role itself, as the app is: it cannot RESET or SET its way to another role.
    with psycopg.connect(host=d["HOST"] or "127.0.0.1", port=d["PORT"] or 5432, user=peran_aplikasi,
                         dbname=d["NAME"]) as sendiri:
        for tabel in TABEL:
            for sql in perintah[tabel] + [f"TRUNCATE {tabel} CASCADE", f"ALTER TABLE {tabel} DISABLE TRIGGER ALL"]:
                for sesi in SESI:
                    if sesi:
                        try:
                            sendiri.execute(sesi)
                        except psycopg.Error:
                            sendiri.rollback()  # the role may not even set it; what follows must still be refused
                    with pytest.raises(psycopg.errors.InsufficientPrivilege):
                        sendiri.execute(sql)
                    sendiri.rollback()
    # Moving a head back is refused by its trigger (UPDATE is allowed: every append moves it forward).
    with pytest.raises(DatabaseError, match="hanya boleh maju"):
        with transaction.atomic(), connection.cursor() as c:
            c.execute("UPDATE audit_rantaiaudit SET urutan = urutan - 1 WHERE kunci = %s", [MEDONO])
    assert AuditEvent.objects.filter(rantai=MEDONO).count() == 21
    assert Checkpoint.objects.filter(rantai=MEDONO).count() == 2
    assert RantaiAudit.objects.get(kunci=MEDONO).urutan == 21


def test_deploy_check_passes_for_the_runtime_role_and_refuses_others(peran_aplikasi):
    with connection.cursor() as c:
        assert "superuser" in checks.masalah_hak(c)[0]
    assert [e.id for e in checks.hak_buku_besar()] == ["audit.E001"]
    _sebagai(peran_aplikasi)
    with connection.cursor() as c:
        assert checks.masalah_hak(c) == []
    assert checks.hak_buku_besar() == []
    with connection.cursor() as c:
        c.execute("RESET ROLE")
        c.execute(f"GRANT DELETE ON audit_checkpoint TO {peran_aplikasi}")
        c.execute(f"SET ROLE {peran_aplikasi}")
        assert checks.masalah_hak(c) == [f"peran '{peran_aplikasi}' boleh DELETE pada audit_checkpoint"]
        c.execute("RESET ROLE")
        c.execute(f"REVOKE DELETE ON audit_checkpoint FROM {peran_aplikasi}")
