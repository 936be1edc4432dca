#!/usr/bin/env bash
# The production database roles, tried: migrate as an owner role, apply the grants, and run
# `manage.py check --deploy` as the runtime role (must pass) and as the owner (must be refused
# with audit.E001). Used by .ci/run; runnable by hand against a local PostgreSQL (trust auth).
set -euo pipefail
cd "$(dirname "$0")/.."
PG="-h 127.0.0.1 -p 5432"
DBR="simpatik_ci_peran_$$"
PEMILIK=simpatik_ci_pemilik
APLIKASI=simpatik_ci_aplikasi
trap 'psql $PG -U postgres -q -c "DROP DATABASE IF EXISTS $DBR" >/dev/null 2>&1 || true' EXIT
psql $PG -U postgres -v ON_ERROR_STOP=1 -q <<SQL
SELECT format('CREATE ROLE %I LOGIN', r) FROM unnest(ARRAY['$PEMILIK', '$APLIKASI']) AS r
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) \gexec
CREATE DATABASE $DBR OWNER $PEMILIK;
SQL
DEBUG=1 DATABASE_URL="postgres://$PEMILIK@127.0.0.1:5432/$DBR" .venv/bin/python manage.py migrate -v0
# The general grants (deploy/postgres-roles.sql gives these, with more care), then the ledger's.
psql $PG -U postgres -d "$DBR" -v ON_ERROR_STOP=1 -q -c \
  "GRANT USAGE ON SCHEMA public TO $APLIKASI; GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO $APLIKASI; GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO $APLIKASI;"
psql $PG -U postgres -d "$DBR" -v ON_ERROR_STOP=1 -q -v aplikasi="$APLIKASI" -f deploy/postgres-ledger-grants.sql
KUNCI=$(mktemp -d)
trap 'rm -rf "$KUNCI"; psql $PG -U postgres -q -c "DROP DATABASE IF EXISTS $DBR" >/dev/null 2>&1 || true' EXIT
KUNCI_DATA=$(DEBUG=1 .venv/bin/python manage.py enkripsi_ulang --kunci-baru)
KUNCI_INDEKS=$(DEBUG=1 .venv/bin/python manage.py enkripsi_ulang --kunci-baru)
periksa() {
  DATA_KEYS="$KUNCI_DATA" BLIND_INDEX_KEY="$KUNCI_INDEKS" \
  SIGNING_KEY_PATH="$KUNCI/signing_key.pem" CACHE_URL=redis://127.0.0.1:6379/13 DEBUG=0 SECRET_KEY="ci-$(head -c 48 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9' | head -c 60)" \
    ALLOWED_HOSTS=simpatik.example.go.id PUBLIC_BASE_URL=https://simpatik.example.go.id \
    DATABASE_URL="postgres://$1@127.0.0.1:5432/$DBR" .venv/bin/python manage.py check --deploy --fail-level WARNING 2>&1
}
SIGNING_KEY_PATH="$KUNCI/signing_key.pem" DEBUG=1 DATABASE_URL="postgres://$APLIKASI@127.0.0.1:5432/$DBR" \
  .venv/bin/python manage.py buat_kunci >/dev/null
periksa "$APLIKASI"
if keluar=$(periksa "$PEMILIK"); then
  echo "check --deploy accepted the owner role as the runtime role"; exit 1
fi
grep -q "audit.E001" <<<"$keluar" || { echo "$keluar"; echo "expected audit.E001 for the owner role"; exit 1; }
echo "ledger grants: runtime role accepted, owner role refused (audit.E001)"
