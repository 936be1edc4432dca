#!/usr/bin/env bash
# Back Simpatik up into a new dated directory under DIR: the database (pg_dump custom format), the media
# (uploads and letters, when on local disk), the signing key and the office certificate, with SHA256SUMS.
#
#   deploy/backup.sh /var/backups/simpatik
#
# Reads the same environment as the app (systemd's EnvironmentFile, or SIMPATIK_ENV_FILE=/etc/simpatik/simpatik.env).
# DATABASE_URL_CADANGAN, when set, is used instead of DATABASE_URL (e.g. the owner role).
# Keeps CADANGAN_SIMPAN_HARI days of backups (default 14). Prints the new directory's path last.
set -euo pipefail
umask 077

if [ -n "${SIMPATIK_ENV_FILE:-}" ]; then set -a; . "$SIMPATIK_ENV_FILE"; set +a; fi
TUJUAN=${1:?usage: backup.sh DIR}
DB=${DATABASE_URL_CADANGAN:-${DATABASE_URL:?DATABASE_URL is not set}}
case "$DB" in postgres://*|postgresql://*) ;; *) echo "backup.sh: only PostgreSQL databases are backed up ($DB)" >&2; exit 2;; esac

STEMPEL=$(date -u +%Y%m%dT%H%M%SZ)
KELUAR="$TUJUAN/simpatik-$STEMPEL"
mkdir -p "$KELUAR.tmp"
trap 'rm -rf "$KELUAR.tmp"' EXIT

# One consistent snapshot of every table (pg_dump runs in a single repeatable-read transaction).
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$KELUAR.tmp/database.dump" "$DB"

if [ -n "${S3_BUCKET:-}" ]; then
  # Object storage keeps its own copies: enable bucket versioning and replicate it (docs/operations.md).
  echo "media: object storage bucket ${S3_BUCKET} (not copied here)" > "$KELUAR.tmp/media.txt"
elif [ -d "${MEDIA_ROOT:-}" ]; then
  tar --create --gzip --file="$KELUAR.tmp/media.tar.gz" --directory="$MEDIA_ROOT" .
fi

KUNCI=${SIGNING_KEY_PATH:?SIGNING_KEY_PATH is not set}
cp -p "$KUNCI" "$KELUAR.tmp/signing_key.pem"
if [ -n "${SURAT_PKCS12_PATH:-}" ]; then cp -p "$SURAT_PKCS12_PATH" "$KELUAR.tmp/kantor.p12"; fi

(cd "$KELUAR.tmp" && sha256sum -- * > SHA256SUMS)
mv "$KELUAR.tmp" "$KELUAR"
trap - EXIT

find "$TUJUAN" -maxdepth 1 -name 'simpatik-*' -type d -mtime +"${CADANGAN_SIMPAN_HARI:-14}" -exec rm -rf {} +
echo "$KELUAR"
