# shellcheck shell=bash disable=SC2034  # sourced: the scripts use the variables set here
# Shared settings and helpers for the local service scripts. Sourced, not run.
#
# State lives under $LAB_STATE_DIR (default: <repo>/.lab, gitignored). Ports can be
# moved with LAB_PG_PORT / LAB_KAFKA_PORT / LAB_KAFKA_CONTROLLER_PORT; the defaults stay
# clear of a developer's own Postgres (5432) and Kafka (9092).

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LAB_STATE_DIR="${LAB_STATE_DIR:-$REPO_ROOT/.lab}"
LAB_PG_PORT="${LAB_PG_PORT:-55432}"
LAB_KAFKA_PORT="${LAB_KAFKA_PORT:-19092}"
LAB_KAFKA_CONTROLLER_PORT="${LAB_KAFKA_CONTROLLER_PORT:-19093}"
PG_URL="postgres://postgres@127.0.0.1:$LAB_PG_PORT/postgres"
KAFKA_BROKERS="127.0.0.1:$LAB_KAFKA_PORT"
# initdb and postgres refuse to run as root: as root we run them as this user.
PG_OS_USER="${LAB_PG_OS_USER:-labci}"

say() { echo "[services] $*"; }
die() { echo "[services] ERROR: $*" >&2; exit 1; }

is_root() { [[ "$(id -u)" == 0 ]]; }

# True when something accepts TCP connections on 127.0.0.1:<port>.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# apt_install <package>...: installs missing Debian packages when we are root, else explains.
apt_install() {
  if ! is_root || ! command -v apt-get >/dev/null; then
    die "missing $*: install it (Debian: sudo apt-get install -y $*) and retry"
  fi
  say "installing $* with apt-get (one-off)"
  if [[ -z "${LAB_APT_UPDATED:-}" ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq || die "apt-get update failed"
    export LAB_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || die "apt-get install $* failed"
}

# Directory holding initdb/pg_ctl/postgres: PATH first, then Debian's newest versioned dir.
pg_bindir() {
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null && command -v postgres >/dev/null; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"  # may be a symlink into the versioned dir
    return
  fi
  local dir
  dir="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  [[ -n "$dir" && -x "$dir/initdb" ]] && echo "$dir"
}

ensure_pg_binaries() {
  [[ -n "$(pg_bindir)" ]] || apt_install postgresql
  [[ -n "$(pg_bindir)" ]] || die "no initdb/pg_ctl found after installing postgresql"
}

ensure_docker_compose() {
  command -v docker-compose >/dev/null || apt_install docker-compose
}

ensure_java_and_maven() {
  command -v java >/dev/null || apt_install default-jre-headless
  command -v mvn >/dev/null || apt_install maven
}

# as_pg_user <cmd>...: runs a Postgres binary as ourselves, or as $PG_OS_USER when root.
as_pg_user() {
  if is_root; then runuser -u "$PG_OS_USER" -- "$@"; else "$@"; fi
}

ensure_pg_os_user() {
  is_root || return 0
  id "$PG_OS_USER" >/dev/null 2>&1 && return 0
  say "creating system user $PG_OS_USER to run postgres (it refuses to run as root)"
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_OS_USER" \
    || die "could not create user $PG_OS_USER"
}

# Where the cluster lives. As root it must be reachable by $PG_OS_USER; a repo under a
# private home directory is not, so then the cluster goes to a per-port dir in /tmp.
pg_home() {
  if is_root && ! runuser -u "$PG_OS_USER" -- test -x "$LAB_STATE_DIR" 2>/dev/null; then
    echo "/tmp/ml-monitoring-lab-postgres-$LAB_PG_PORT"
  else
    echo "$LAB_STATE_DIR/postgres"
  fi
}

# wait_until <seconds> <cmd>...: polls cmd every 0.5 s; returns 1 once the bound has passed.
wait_until() {
  local limit_s="$1"; shift
  local deadline=$((SECONDS + limit_s))
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

KAFKA_DIR="$LAB_STATE_DIR/kafka"
KAFKA_PIDFILE="$KAFKA_DIR/kafka.pid"
KAFKA_LOG="$KAFKA_DIR/kafka.log"

# Prints the PID of our running broker, if any (the PID file alone may be stale after a crash).
kafka_pid() {
  local pid
  pid="$(cat "$KAFKA_PIDFILE" 2>/dev/null)" || return 1
  [[ -n "$pid" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $KAFKA_DIR/" \
    && echo "$pid"
}
