#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into this host's database, media directory, signing key and
# office certificate, then check the audit ledger.
#
#   deploy/restore.sh /var/backups/simpatik/simpatik-20261129T010000Z
#
# Stop simpatik-web, simpatik-worker and simpatik-beat first. The database may be empty (a new host) or
# hold an older state: every object in the dump is dropped and recreated. DATABASE_URL_PEMILIK, when set,
# is used instead of DATABASE_URL (restore as the owner role, then re-run deploy/postgres-roles.sql).
# A signing key or certificate already in place that differs from the backup's stops the restore
# (letters signed with one would not verify with the other), unless PULIHKAN_TIMPA=1.
set -euo pipefail
umask 077

if [ -n "${SIMPATIK_ENV_FILE:-}" ]; then set -a; . "$SIMPATIK_ENV_FILE"; set +a; fi
ASAL=${1:?usage: restore.sh BACKUP_DIR}
DB=${DATABASE_URL_PEMILIK:-${DATABASE_URL:?DATABASE_URL is not set}}
APP=$(cd "$(dirname "$0")/.." && pwd)
PY=${SIMPATIK_PYTHON:-$APP/.venv/bin/python}

(cd "$ASAL" && sha256sum --check --quiet SHA256SUMS)

pasang() {  # pasang SOURCE TARGET: put a secret file in place, refusing to replace a different one
  local sumber=$1 sasaran=$2
  if [ -e "$sasaran" ] && ! cmp -s "$sumber" "$sasaran"; then
    if [ "${PULIHKAN_TIMPA:-0}" != 1 ]; then
      echo "restore.sh: $sasaran exists and differs from the backup's; set PULIHKAN_TIMPA=1 to replace it" >&2
      exit 3
    fi
  fi
  mkdir -p "$(dirname "$sasaran")"
  install -m 0600 "$sumber" "$sasaran"
}

pasang "$ASAL/signing_key.pem" "${SIGNING_KEY_PATH:?SIGNING_KEY_PATH is not set}"
if [ -f "$ASAL/kantor.p12" ]; then pasang "$ASAL/kantor.p12" "${SURAT_PKCS12_PATH:?SURAT_PKCS12_PATH is not set}"; fi

pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
  --dbname="$DB" "$ASAL/database.dump"

if [ -f "$ASAL/media.tar.gz" ]; then
  mkdir -p "${MEDIA_ROOT:?MEDIA_ROOT is not set}"
  tar --extract --gzip --file="$ASAL/media.tar.gz" --directory="$MEDIA_ROOT"
fi

# Migrations of a newer release apply on top; then the whole ledger is re-verified.
cd "$APP"
"$PY" manage.py migrate --noinput
"$PY" manage.py audit_verify
echo "restore.sh: restored from $ASAL"
