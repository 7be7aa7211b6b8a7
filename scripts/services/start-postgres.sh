#!/usr/bin/env bash
# Starts the lab's own Postgres cluster: 127.0.0.1:$LAB_PG_PORT (default 55432), wal_level=logical,
# superuser "postgres" trusted on loopback (nothing else listens).
# Creates the cluster on first use and reuses it afterwards. Prints the URL to use.
#
# Durability: by default the server keeps Postgres's own settings (fsync, synchronous_commit and
# full_page_writes on), so a commit it acknowledged survives a crash. LAB_PG_FAST=1 opts into a
# throwaway speed setting for test runs (all three off): a crash may then lose acknowledged
# commits, and test/integration/loadgen-postgres-crash.test.ts refuses to run against it.
# The setting is given on every start, so it also applies to a cluster created earlier.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

case "${LAB_PG_FAST:-0}" in
  1) DURABILITY=off ;;
  0 | "") DURABILITY=on ;;
  *) echo "[services] ERROR: LAB_PG_FAST must be 1 (fast, not crash-safe) or 0/unset (durable), got '$LAB_PG_FAST'" >&2; exit 2 ;;
esac

ensure_pg_binaries
ensure_pg_os_user
BIN="$(pg_bindir)"
mkdir -p "$LAB_STATE_DIR"
PG_HOME="$(pg_home)"
DATA="$PG_HOME/data"
LOG="$PG_HOME/postgres.log"

if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$LAB_PG_PORT" && [[ -f "$DATA/postmaster.pid" ]]; then
  say "postgres already running on port $LAB_PG_PORT ($DATA); its durability settings are those it was started with"
  echo "LAB_PG_URL=$PG_URL"
  exit 0
fi
port_open "$LAB_PG_PORT" && die "port $LAB_PG_PORT is used by another program; pick another with LAB_PG_PORT"

mkdir -p "$PG_HOME"
if is_root; then chown "$PG_OS_USER" "$PG_HOME"; fi
if [[ ! -f "$DATA/PG_VERSION" ]]; then
  say "creating cluster in $DATA ($("$BIN/postgres" --version))"
  as_pg_user "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C >"$PG_HOME/initdb.log" \
    || { cat "$PG_HOME/initdb.log" >&2; die "initdb failed"; }
  cat >>"$DATA/postgresql.conf" <<'CONF'

# ml-monitoring-lab (fsync, synchronous_commit, full_page_writes: given by start-postgres.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
wal_level = logical
CONF
fi

# A crash leaves postmaster.pid behind; if its PID now belongs to another program, postgres refuses to start.
stale_pid="$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null || true)"
if [[ -n "$stale_pid" && "$(cat "/proc/$stale_pid/comm" 2>/dev/null)" != postgres ]]; then
  say "removing stale postmaster.pid (PID $stale_pid is not a running postgres)"
  rm -f "$DATA/postmaster.pid"
fi

say "starting postgres on 127.0.0.1:$LAB_PG_PORT, fsync/synchronous_commit/full_page_writes $DURABILITY (log: $LOG)"
started_at=$SECONDS
SERVER_OPTIONS="-p $LAB_PG_PORT -c fsync=$DURABILITY -c synchronous_commit=$DURABILITY -c full_page_writes=$DURABILITY"
as_pg_user "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -o "$SERVER_OPTIONS" -w -t 60 start >/dev/null \
  || { tail -n 30 "$LOG" >&2; die "postgres did not start"; }
wait_until 30 "$BIN/pg_isready" -q -h 127.0.0.1 -p "$LAB_PG_PORT" \
  || { tail -n 30 "$LOG" >&2; die "postgres does not accept connections on port $LAB_PG_PORT"; }
say "postgres ready after $((SECONDS - started_at)) s"
echo "LAB_PG_URL=$PG_URL"
