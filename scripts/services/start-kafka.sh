#!/usr/bin/env bash
# Starts a single-node Apache Kafka broker (KRaft, broker+controller) on 127.0.0.1:$LAB_KAFKA_PORT
# (default 19092), run from Maven Central jars listed in scripts/services/kafka/pom.xml (no Docker needed).
# Set MAVEN_OPTS=-Dmaven.repo.local=<dir> to use another Maven cache. Prints the brokers to use.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

LIB="$KAFKA_DIR/lib"
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
if [[ "$(cat "$LIB/.pom.sha256" 2>/dev/null)" != "$pom_sum" ]]; then
  say "fetching Kafka jars with Maven (first time: ~60 MB from Maven Central, then cached in ~/.m2)"
  rm -rf "$LIB"
  mvn -B -ntp -Dstyle.color=never -f "$POM" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$LIB" >"$KAFKA_DIR/maven.log" 2>&1 \
    || { tail -n 40 "$KAFKA_DIR/maven.log" >&2; die "mvn could not fetch the Kafka jars"; }
  say "fetched $(find "$LIB" -name '*.jar' | wc -l) jars ($(du -sh "$LIB" | cut -f1))"
  echo "$pom_sum" >"$LIB/.pom.sha256"
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

[[ -s "$KAFKA_DIR/cluster-id" ]] || head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=' >"$KAFKA_DIR/cluster-id"
java -cp "$LIB/*" kafka.tools.StorageTool format -t "$(cat "$KAFKA_DIR/cluster-id")" -c "$PROPS" \
  --ignore-formatted >"$KAFKA_DIR/format.log" 2>&1 \
  || { cat "$KAFKA_DIR/format.log" >&2; die "kafka storage format failed"; }

say "starting kafka on $KAFKA_BROKERS (log: $KAFKA_LOG)"
started_at=$SECONDS
nohup java -Xms256m -Xmx512m -cp "$LIB/*" kafka.Kafka "$PROPS" </dev/null >"$KAFKA_LOG" 2>&1 &
echo $! >"$KAFKA_PIDFILE"

broker_up() {
  kafka_pid >/dev/null || { tail -n 40 "$KAFKA_LOG" >&2; die "kafka exited while starting"; }
  grep -q "Kafka Server started" "$KAFKA_LOG" && port_open "$LAB_KAFKA_PORT"
}
wait_until 120 broker_up || { tail -n 40 "$KAFKA_LOG" >&2; die "kafka not ready after 120 s"; }
say "kafka ready after $((SECONDS - started_at)) s"
echo "LAB_KAFKA_BROKERS=$KAFKA_BROKERS"
