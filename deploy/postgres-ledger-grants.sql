-- The audit ledger's grants: the runtime role may add to the ledger and read it, never rewrite it.
--
--   sudo -u postgres psql -v ON_ERROR_STOP=1 -d simpatik -v aplikasi=simpatik_app \
--        -f deploy/postgres-ledger-grants.sql
--
-- Run after every `manage.py migrate` (which runs as the owner role), after the general grants of
-- deploy/postgres-roles.sql. `manage.py check --deploy`, connected as the runtime role, refuses a
-- deployment where this has not been done (audit/checks.py).
--
-- Append-only tables (events, signed checkpoints, stored Merkle nodes): SELECT and INSERT only.
-- Chain heads: SELECT, INSERT and UPDATE (every append moves its head; a trigger lets it only move
-- forward), never DELETE or TRUNCATE. The runtime role must own none of them: an owner may
-- disable triggers and grant itself anything. Triggers are the second line; these grants are the first.

SELECT format('REVOKE ALL ON public.%I FROM PUBLIC, %I', t, :'aplikasi')
  FROM unnest(ARRAY['audit_auditevent', 'audit_checkpoint', 'audit_simpulmerkle', 'audit_rantaiaudit']) AS t
 WHERE to_regclass('public.' || t) IS NOT NULL \gexec

SELECT format('GRANT SELECT, INSERT ON public.%I TO %I', t, :'aplikasi')
  FROM unnest(ARRAY['audit_auditevent', 'audit_checkpoint', 'audit_simpulmerkle']) AS t
 WHERE to_regclass('public.' || t) IS NOT NULL \gexec

SELECT format('GRANT SELECT, INSERT, UPDATE ON public.audit_rantaiaudit TO %I', :'aplikasi')
 WHERE to_regclass('public.audit_rantaiaudit') IS NOT NULL \gexec

-- Their id sequences: nextval for inserts.
SELECT format('GRANT USAGE, SELECT ON SEQUENCE %s TO %I', pg_get_serial_sequence('public.' || t, 'id'), :'aplikasi')
  FROM unnest(ARRAY['audit_auditevent', 'audit_checkpoint', 'audit_simpulmerkle']) AS t
 WHERE to_regclass('public.' || t) IS NOT NULL AND pg_get_serial_sequence('public.' || t, 'id') IS NOT NULL \gexec
