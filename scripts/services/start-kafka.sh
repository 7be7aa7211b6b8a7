#!/usr/bin/env bash
# Starts a single-node Apache Kafka broker (KRaft, broker+controller) on 127.0.0.1:$LAB_KAFKA_PORT
# (default 19092), run from Maven Central jars listed in scripts/services/kafka/pom.xml (no Docker needed).
# Set MAVEN_OPTS=-Dmaven.repo.local=<dir> to use another Maven cache. Prints the brokers to use.
# The jars are copied once per version of the jar list into a cache shared by every broker of this
# user (LAB_KAFKA_JARS_DIR, default ~/.cache/ml-monitoring-lab/kafka-jars/<sha256 of the pom>), so a
# test's private broker starts without running Maven again.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

PROPS="$KAFKA_DIR/server.properties"
POM="$REPO_ROOT/scripts/services/kafka/pom.xml"

if pid="$(kafka_pid)"; then
  say "kafka already running (PID $pid)"
  echo "LAB_KAFKA_BROKERS=$KAFKA_BROKERS"
  exit 0
fi
rm -f "$KAFKA_PIDFILE"
for port in "$LAB_KAFKA_PORT" "$LAB_KAFKA_CONTROLLER_PORT"; do
  port_open "$port" && die "port $port is used by another program; set LAB_KAFKA_PORT / LAB_KAFKA_CONTROLLER_PORT"
done
ensure_java_and_maven
mkdir -p "$KAFKA_DIR/data"

pom_sum="$(sha256sum "$POM" | cut -d' ' -f1)"
JARS_DIR="${LAB_KAFKA_JARS_DIR:-${XDG_CACHE_HOME:-${HOME:-$LAB_STATE_DIR}/.cache}/ml-monitoring-lab/kafka-jars}"
LIB="$JARS_DIR/$pom_sum"
if [[ ! -d "$LIB" ]]; then
  say "fetching Kafka jars with Maven into $LIB (first time: ~60 MB from Maven Central, then cached)"
  mkdir -p "$JARS_DIR"
  fetching="$(mktemp -d "$JARS_DIR/.fetching.XXXXXX")"
  mvn -B -ntp -Dstyle.color=never -f "$POM" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$fetching" >"$KAFKA_DIR/maven.log" 2>&1 \
    || { rm -rf "$fetching"; tail -n 40 "$KAFKA_DIR/maven.log" >&2; die "mvn could not fetch the Kafka jars"; }
  chmod 755 "$fetching"
  # A rename is atomic: a broker started at the same time sees either no directory or a whole one.
  mv -T "$fetching" "$LIB" 2>/dev/null || rm -rf "$fetching"
  say "fetched $(find "$LIB" -name '*.jar' | wc -l) jars ($(du -sh "$LIB" | cut -f1))"
fi

cat >"$PROPS" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$LAB_KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$LAB_KAFKA_PORT,CONTROLLER://127.0.0.1:$LAB_KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$LAB_KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DIR/data
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.cleaner.dedupe.buffer.size=1048577
PROPS

# A cluster id is 16 random bytes in URL-safe base64. One that starts with '-' would be read as an
# option by the storage tool (1 start in 64 failed so): draw again until it does not.
new_cluster_id() {
  local id
  until id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')" && [[ "$id" != -* ]]; do :; done
  echo "$id"
}
[[ -s "$KAFKA_DIR/cluster-id" && "$(cat "$KAFKA_DIR/cluster-id")" != -* ]] || new_cluster_id >"$KAFKA_DIR/cluster-id"
java -cp "$LIB/*" kafka.tools.StorageTool format -t "$(cat "$KAFKA_DIR/cluster-id")" -c "$PROPS" \
  --ignore-formatted >"$KAFKA_DIR/format.log" 2>&1 \
  || { cat "$KAFKA_DIR/format.log" >&2; die "kafka storage format failed"; }

say "starting kafka on $KAFKA_BROKERS (log: $KAFKA_LOG)"
started_at=$SECONDS
nohup java -Xms256m -Xmx512m -cp "$LIB/*" kafka.Kafka "$PROPS" </dev/null >"$KAFKA_LOG" 2>&1 &
echo $! >"$KAFKA_PIDFILE"

broker_up() {
  if ! kafka_pid >/dev/null; then
    # Just after the fork the child may not have become java yet: alive is not exited.
    kill -0 "$(cat "$KAFKA_PIDFILE")" 2>/dev/null && return 1
    tail -n 40 "$KAFKA_LOG" >&2; die "kafka exited while starting"
  fi
  grep -q "Kafka Server started" "$KAFKA_LOG" && port_open "$LAB_KAFKA_PORT"
}
wait_until 120 broker_up || { tail -n 40 "$KAFKA_LOG" >&2; die "kafka not ready after 120 s"; }
say "kafka ready after $((SECONDS - started_at)) s"
echo "LAB_KAFKA_BROKERS=$KAFKA_BROKERS"
