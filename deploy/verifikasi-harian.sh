#!/usr/bin/env bash
# Daily: sign a fresh checkpoint of every chain, verify the whole ledger against the checkpoint saved the
# day before (catches truncation, rewrites and restores from an older copy), then keep today's.
# Run by simpatik-verifikasi.timer; a non-zero exit is what monitoring alerts on.
set -euo pipefail
if [ -n "${SIMPATIK_ENV_FILE:-}" ]; then set -a; . "$SIMPATIK_ENV_FILE"; set +a; fi
APP=$(cd "$(dirname "$0")/.." && pwd)
PY=${SIMPATIK_PYTHON:-$APP/.venv/bin/python}
DIR=${CHECKPOINT_DIR:-/var/lib/simpatik/checkpoint}
mkdir -p "$DIR"
cd "$APP"
if [ -f "$DIR/terakhir.json" ]; then
  "$PY" manage.py audit_verify --checkpoint "$DIR/terakhir.json"
else
  "$PY" manage.py audit_verify
fi
"$PY" manage.py audit_checkpoint
curl --fail --silent --show-error "${PUBLIC_BASE_URL:?}/api/v1/audit/checkpoint/" > "$DIR/baru.json"
cp "$DIR/baru.json" "$DIR/$(date -u +%Y%m%d).json"
mv "$DIR/baru.json" "$DIR/terakhir.json"
