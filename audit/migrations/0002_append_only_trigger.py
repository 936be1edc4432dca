"""On PostgreSQL the ledger refuses UPDATE, DELETE and TRUNCATE at the database itself.

TRUNCATE is let through only when the session sets `simpatik.izinkan_truncate`
to 'on'; the test suite does that to empty its throwaway database between
tests. Nothing in the application sets it.
"""

from django.db import migrations

FUNGSI = """
CREATE OR REPLACE FUNCTION audit_tolak_ubah() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('simpatik.izinkan_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'audit_auditevent hanya boleh ditambah: ' || TG_OP || ' ditolak',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_tolak_ubah_baris ON audit_auditevent;
CREATE TRIGGER audit_tolak_ubah_baris BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_tolak_ubah();
DROP TRIGGER IF EXISTS audit_tolak_truncate ON audit_auditevent;
CREATE TRIGGER audit_tolak_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_tolak_ubah();
"""

HAPUS = """
DROP TRIGGER IF EXISTS audit_tolak_ubah_baris ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_tolak_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_tolak_ubah();
"""


def pasang(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNGSI)


def lepas(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(HAPUS)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(pasang, lepas)]
