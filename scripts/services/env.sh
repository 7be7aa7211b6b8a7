#!/usr/bin/env bash
# Prints the export lines that point the tests at the services started by start-*.sh:
#   eval "$(bash scripts/services/env.sh)"
# Add `export LAB_REQUIRE=postgres,kafka` to make the tests fail rather than skip when one is down.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

echo "export LAB_PG_URL=$PG_URL"
echo "export LAB_KAFKA_BROKERS=$KAFKA_BROKERS"
port_open "$LAB_PG_PORT" || echo "[services] warning: nothing listens on $LAB_PG_PORT (start-postgres.sh)" >&2
port_open "$LAB_KAFKA_PORT" || echo "[services] warning: nothing listens on $LAB_KAFKA_PORT (start-kafka.sh)" >&2
