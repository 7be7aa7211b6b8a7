#!/usr/bin/env bash
# Stops the lab's Kafka broker (SIGTERM, then SIGKILL after 30 s). `--purge` also deletes its topics.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

if pid="$(kafka_pid)"; then
  say "stopping kafka (PID $pid)"
  kill -TERM "$pid"
  if ! wait_until 30 eval '! kafka_pid >/dev/null'; then
    say "kafka still running after 30 s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
else
  say "kafka is not running"
fi
rm -f "$KAFKA_PIDFILE"
if [[ "${1:-}" == --purge ]]; then
  say "deleting $KAFKA_DIR/data"
  rm -rf "$KAFKA_DIR/data" "$KAFKA_DIR/cluster-id"
fi
