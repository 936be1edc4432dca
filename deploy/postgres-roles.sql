-- Simpatik's PostgreSQL roles: an owner that runs migrations, and a runtime role the app connects as.
--
--   sudo -u postgres psql -v ON_ERROR_STOP=1 -d simpatik \
--        -v pemilik=simpatik_pemilik -v aplikasi=simpatik_app -f deploy/postgres-roles.sql
--
-- Run once at install (after `createdb -O simpatik_pemilik simpatik`) and again after every upgrade's
-- `migrate`, so tables added by the new version get the same grants. Set both roles' passwords with
-- \password. The app's DATABASE_URL names :aplikasi; the owner's (DATABASE_URL_PEMILIK in the docs) is
-- used only for `manage.py migrate` and backups.
--
-- The runtime role owns nothing, so it cannot ALTER, DROP, disable triggers or TRUNCATE. On the audit
-- ledger it may only SELECT and INSERT (and move chain heads forward): whoever holds the app's password
-- can add events but never rewrite or delete one. Everything else gets ordinary SELECT/INSERT/UPDATE/DELETE.

SELECT format('CREATE ROLE %I LOGIN', :'pemilik')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'pemilik') \gexec
SELECT format('CREATE ROLE %I LOGIN', :'aplikasi')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'aplikasi') \gexec

SELECT format('ALTER DATABASE %I OWNER TO %I', current_database(), :'pemilik') \gexec
SELECT format('ALTER SCHEMA public OWNER TO %I', :'pemilik') \gexec
SELECT format('REVOKE CREATE ON SCHEMA public FROM PUBLIC, %I', :'aplikasi') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), :'aplikasi') \gexec
SELECT format('GRANT USAGE ON SCHEMA public TO %I', :'aplikasi') \gexec

-- Tables a previous run or a superuser created belong to the owner (their identity sequences follow).
SELECT format('ALTER TABLE public.%I OWNER TO %I', tablename, :'pemilik')
  FROM pg_tables WHERE schemaname = 'public' AND tableowner <> :'pemilik' \gexec

-- Ordinary tables: the usual DML. Sequences: nextval for inserts.
SELECT format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', :'aplikasi') \gexec
SELECT format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', :'aplikasi') \gexec
SELECT format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO %I', :'aplikasi') \gexec

-- The ledger: every audit_* table except the derived tables integritas keeps under their old audit_
-- names (rollups, surveys, complaints, verification results), which the app updates and which
-- `audit_verify` checks against the ledger. Append-only tables (events, checkpoints, Merkle nodes):
-- SELECT and INSERT. The chain heads (audit_rantaiaudit) keep UPDATE, which their trigger lets only move
-- forward. The same rule as deploy/postgres-ledger-grants.sql of issue 13, so either order gives one state.
SELECT format('REVOKE UPDATE, DELETE, TRUNCATE ON public.%I FROM %I', tablename, :'aplikasi')
  FROM pg_tables
 WHERE schemaname = 'public' AND tablename LIKE 'audit\_%'
   AND tablename NOT IN ('audit_permohonanringkas', 'audit_survei', 'audit_pengaduan',
                         'audit_riwayatpengaduan', 'audit_pemeriksaanrantai') \gexec
SELECT format('GRANT UPDATE ON public.audit_rantaiaudit TO %I', :'aplikasi')
 WHERE to_regclass('public.audit_rantaiaudit') IS NOT NULL \gexec
SELECT format('REVOKE TRUNCATE ON ALL TABLES IN SCHEMA public FROM %I', :'aplikasi') \gexec
