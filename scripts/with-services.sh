#!/usr/bin/env bash
# with-services.sh — run a command against throw-away PostgreSQL and Redis.
#
# Usage: scripts/with-services.sh CMD [ARGS...]
#
# The test suite needs a real PostgreSQL (not SQLite) and a Redis broker, but
# must not depend on, or disturb, any system-wide instance. This script starts
# a fresh PostgreSQL cluster and a Redis server on free ports of 127.0.0.1 with
# all state in a temporary directory (durability switched off for speed), runs
# CMD with these variables exported:
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:PGPORT/qcdc
#   CELERY_BROKER_URL=redis://127.0.0.1:REDISPORT/0
#   REDIS_URL=redis://127.0.0.1:REDISPORT/1
#   QCDC_TEST_SERVICES=1
#   QCDC_SERVICES_PG_*  (how to stop and start this PostgreSQL: see below)
#
# and always stops both servers and deletes the directory afterwards (also on
# error, Ctrl-C or SIGTERM). Exits with CMD's exit code. Several invocations
# can run in parallel. Missing binaries: run scripts/install-test-deps.sh.
set -euo pipefail

log() { echo "with-services: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ $# -gt 0 ] || { echo "usage: $0 CMD [ARGS...]" >&2; exit 2; }

# --- locate binaries ---------------------------------------------------------
pg_bins=()
while IFS= read -r d; do pg_bins+=("$d"); done < <(
  compgen -G '/usr/lib/postgresql/*/bin' | sort -V)
[ ${#pg_bins[@]} -gt 0 ] && [ -x "${pg_bins[-1]}/initdb" ] \
  || die "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin (run scripts/install-test-deps.sh)"
PG_BIN=${pg_bins[-1]}
REDIS_SERVER=$(command -v redis-server || true)
[ -n "$REDIS_SERVER" ] || die "redis-server not found (run scripts/install-test-deps.sh)"
# Prefer the system python (a pyenv/venv shim can take ~0.2 s just to start).
if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=$(command -v python3 || true); fi
[ -n "$PYTHON" ] || die "python3 not found (needed to pick free ports)"

# PostgreSQL refuses to run as root: as root, run its tools as "postgres".
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

# --- state and cleanup -------------------------------------------------------
WORKDIR=""
PG_STARTED=0
REDIS_PIDFILE=""

# Is PID running? A zombie counts as gone: redis daemonizes, so its parent is
# PID 1, which may take a while to reap it.
alive() {
  local state
  if [ -r "/proc/$1/stat" ]; then
    state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [ -n "$state" ] && [ "$state" != Z ]
  else
    kill -0 "$1" 2>/dev/null
  fi
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  set +e
  if [ "$PG_STARTED" = 1 ] && [ -f "$PGDATA/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" stop -m immediate -w >/dev/null 2>&1 \
      || log "warning: pg_ctl stop failed"
  fi
  if [ -n "$REDIS_PIDFILE" ] && [ -s "$REDIS_PIDFILE" ]; then
    local pid i
    pid=$(cat "$REDIS_PIDFILE")
    kill "$pid" 2>/dev/null
    for i in $(seq 50); do alive "$pid" || break; sleep 0.05; done
    alive "$pid" && kill -9 "$pid" 2>/dev/null
  fi
  [ -n "$WORKDIR" ] && rm -rf "$WORKDIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# The postgres user must be able to reach the directory; if $TMPDIR lives
# somewhere it cannot traverse (e.g. under /root), fall back to /tmp.
make_workdir() {
  local base=$1
  WORKDIR=$(mktemp -d "$base/qcdc-services.XXXXXX")
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$WORKDIR"
    if ! runuser -u postgres -- test -w "$WORKDIR"; then
      rm -rf "$WORKDIR"; WORKDIR=""
      return 1
    fi
  fi
}
if ! make_workdir "${TMPDIR:-/tmp}"; then
  log "postgres user cannot access ${TMPDIR:-/tmp}; using /tmp"
  make_workdir /tmp || die "postgres user cannot access a directory under /tmp"
fi

PGDATA=$WORKDIR/pgdata
PGSOCK=$WORKDIR/pgsock
PGLOG=$WORKDIR/postgresql.log
REDISDIR=$WORKDIR/redis
as_pg mkdir -p "$PGSOCK"
mkdir -p "$REDISDIR"

# --- free ports --------------------------------------------------------------
# Bind both sockets before closing either so the two ports differ.
read -r PG_PORT REDIS_PORT < <("$PYTHON" -c '
import socket
socks = []
for _ in range(2):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(*(s.getsockname()[1] for s in socks))
')
[ -n "${PG_PORT:-}" ] && [ -n "${REDIS_PORT:-}" ] || die "could not pick free ports"

# --- PostgreSQL --------------------------------------------------------------
initdb_with_locale() {
  as_pg "$PG_BIN/initdb" -D "$PGDATA" -A trust -U postgres --encoding=UTF8 \
    --locale="$1" --no-sync >"$WORKDIR/initdb.log" 2>&1
}
if ! initdb_with_locale C.UTF-8; then
  as_pg rm -rf "$PGDATA"
  if ! initdb_with_locale C; then
    cat "$WORKDIR/initdb.log" >&2
    die "initdb failed"
  fi
fi
cat >>"$PGDATA/postgresql.conf" <<'EOF'

# with-services.sh: throw-away test cluster, durability not needed
fsync = off
synchronous_commit = off
full_page_writes = off
# as deployed (docker-compose.yml): the data on an SSD or in memory
random_page_cost = 1.1
EOF

PG_STARTED=1   # from here on, cleanup tries to stop it (harmless if not running)
PG_OPTIONS="-p $PG_PORT -k '$PGSOCK' -c listen_addresses=127.0.0.1"
if ! as_pg "$PG_BIN/pg_ctl" -w -D "$PGDATA" -o "$PG_OPTIONS" -l "$PGLOG" start >/dev/null; then
  log "PostgreSQL failed to start; log file $PGLOG:"
  cat "$PGLOG" >&2 || true
  exit 1
fi
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres -O postgres qcdc \
  || { cat "$PGLOG" >&2; die "createdb qcdc failed"; }

# --- Redis -------------------------------------------------------------------
REDIS_PIDFILE=$REDISDIR/redis.pid
"$REDIS_SERVER" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
  --daemonize yes --pidfile "$REDIS_PIDFILE" --logfile "$REDISDIR/redis.log" \
  --dir "$REDISDIR" >/dev/null \
  || { cat "$REDISDIR/redis.log" >&2 2>/dev/null || true; die "redis-server failed to start"; }

redis_ping() {
  local reply=""
  { exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  read -r -t 2 reply <&3 || true
  exec 3>&- 3<&-
  [[ $reply == +PONG* ]]
}
for _ in $(seq 100); do redis_ping && break; sleep 0.1; done
redis_ping || { cat "$REDISDIR/redis.log" >&2 2>/dev/null || true; die "redis-server did not answer PING"; }

# --- run the command ---------------------------------------------------------
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/qcdc"
export CELERY_BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/1"
export QCDC_TEST_SERVICES=1
# How to stop and start this PostgreSQL again (make soak does, to see the portal recover):
#   [runuser -u $QCDC_SERVICES_PG_USER --] $QCDC_SERVICES_PG_BIN/pg_ctl -D $QCDC_SERVICES_PGDATA
#     -o "$QCDC_SERVICES_PG_OPTIONS" -l $QCDC_SERVICES_PG_LOG start|stop
export QCDC_SERVICES_PG_BIN="$PG_BIN" QCDC_SERVICES_PGDATA="$PGDATA"
export QCDC_SERVICES_PG_OPTIONS="$PG_OPTIONS" QCDC_SERVICES_PG_LOG="$PGLOG"
export QCDC_SERVICES_PG_USER="$([ "$(id -u)" -eq 0 ] && echo postgres || true)"
log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT"

set +e
"$@"
rc=$?
set -e
exit "$rc"
