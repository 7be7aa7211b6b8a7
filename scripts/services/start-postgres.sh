#!/usr/bin/env bash
# Starts the lab's own Postgres cluster: 127.0.0.1:$LAB_PG_PORT (default 55432), wal_level=logical,
# superuser "postgres" trusted on loopback (a disposable cluster: fsync off, nothing else listens).
# Creates the cluster on first use and reuses it afterwards. Prints the URL to use.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

ensure_pg_binaries
ensure_pg_os_user
BIN="$(pg_bindir)"
mkdir -p "$LAB_STATE_DIR"
PG_HOME="$(pg_home)"
DATA="$PG_HOME/data"
LOG="$PG_HOME/postgres.log"

if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$LAB_PG_PORT" && [[ -f "$DATA/postmaster.pid" ]]; then
  say "postgres already running on port $LAB_PG_PORT ($DATA)"
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

# ml-monitoring-lab: a disposable test cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
wal_level = logical
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
fi

# A crash leaves postmaster.pid behind; if its PID now belongs to another program, postgres refuses to start.
stale_pid="$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null || true)"
if [[ -n "$stale_pid" && "$(cat "/proc/$stale_pid/comm" 2>/dev/null)" != postgres ]]; then
  say "removing stale postmaster.pid (PID $stale_pid is not a running postgres)"
  rm -f "$DATA/postmaster.pid"
fi

say "starting postgres on 127.0.0.1:$LAB_PG_PORT (log: $LOG)"
started_at=$SECONDS
as_pg_user "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -o "-p $LAB_PG_PORT" -w -t 60 start >/dev/null \
  || { tail -n 30 "$LOG" >&2; die "postgres did not start"; }
wait_until 30 "$BIN/pg_isready" -q -h 127.0.0.1 -p "$LAB_PG_PORT" \
  || { tail -n 30 "$LOG" >&2; die "postgres does not accept connections on port $LAB_PG_PORT"; }
say "postgres ready after $((SECONDS - started_at)) s"
echo "LAB_PG_URL=$PG_URL"
