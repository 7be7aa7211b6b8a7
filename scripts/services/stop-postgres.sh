#!/usr/bin/env bash
# Stops the lab's Postgres cluster. `--purge` also deletes its data directory.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

BIN="$(pg_bindir || true)"
PG_HOME="$(pg_home)"
DATA="$PG_HOME/data"

if [[ -n "$BIN" && -f "$DATA/postmaster.pid" ]]; then
  say "stopping postgres ($DATA)"
  as_pg_user "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 30 stop >/dev/null \
    || say "pg_ctl stop failed (already gone?)"
else
  say "postgres is not running"
fi
if [[ "${1:-}" == --purge ]]; then
  say "deleting $PG_HOME"
  rm -rf "$PG_HOME"
fi
