#!/usr/bin/env bash
# Installs and starts the local servers the system needs: NATS with JetStream and FerretDB (SQLite backend).
# Idempotent: a server already answering on its port is left alone. `down` stops only what `up` started.
# With MONGO_URL and NATS_URL both set, nothing is installed or started.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="${LOCAL_STATE_DIR:-$root/.local}"
nats_port="${NATS_PORT:-4222}"
mongo_port="${MONGO_PORT:-27017}"
run="$state/run"
mkdir -p "$run" "$state/logs"

say() { echo "[servers] $*"; }
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

wait_port() {
  local port=$1 name=$2
  for _ in $(seq 1 150); do
    answers "$port" && return 0
    sleep 0.2
  done
  say "$name did not open port $port; see $state/logs/$name.log"
  tail -n 20 "$state/logs/$name.log" >&2 || true
  return 1
}

start_nats() {
  if answers "$nats_port"; then say "nats already answering on $nats_port, left as is"; return; fi
  if ! command -v nats-server >/dev/null && [ ! -x /usr/sbin/nats-server ]; then
    say "installing nats-server from Debian packages"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nats-server >/dev/null ||
      { as_root apt-get update -q >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nats-server >/dev/null; }
  fi
  local bin; bin="$(command -v nats-server || echo /usr/sbin/nats-server)"
  mkdir -p "$state/nats"
  nohup "$bin" -a 127.0.0.1 -p "$nats_port" -js -sd "$state/nats" >"$state/logs/nats.log" 2>&1 &
  echo $! >"$run/nats.pid"
  wait_port "$nats_port" nats
  say "nats started on $nats_port (JetStream, data in $state/nats)"
}

build_ferretdb() {
  local bin="$state/bin/ferretdb-local"
  local src="$root/deploy/local/ferretdb"
  if [ -x "$bin" ] && [ "$bin" -nt "$src/main.go" ] && [ "$bin" -nt "$src/go.mod" ]; then return; fi
  command -v go >/dev/null || { say "go is required to build FerretDB"; exit 1; }
  say "building FerretDB v1.24.2 (first time only, takes a few minutes)"
  mkdir -p "$state/bin"
  (cd "$src" && GOFLAGS=-mod=mod go build -o "$bin" .)
}

start_ferretdb() {
  if answers "$mongo_port"; then say "mongodb-compatible server already answering on $mongo_port, left as is"; return; fi
  build_ferretdb
  mkdir -p "$state/ferretdb"
  nohup "$state/bin/ferretdb-local" -listen "127.0.0.1:$mongo_port" -data "$state/ferretdb" >"$state/logs/ferretdb.log" 2>&1 &
  echo $! >"$run/ferretdb.pid"
  wait_port "$mongo_port" ferretdb
  say "ferretdb started on $mongo_port (SQLite, data in $state/ferretdb)"
}

stop_one() {
  local name=$1 pidfile="$run/$1.pid"
  [ -f "$pidfile" ] || { say "$name was not started here, left as is"; return; }
  local pid; pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    say "$name stopped"
  fi
  rm -f "$pidfile"
}

case "${1:-up}" in
  up)
    if [ -n "${MONGO_URL:-}" ] && [ -n "${NATS_URL:-}" ]; then
      say "using MONGO_URL and NATS_URL from the environment; nothing started"
      exit 0
    fi
    [ -n "${NATS_URL:-}" ] || start_nats
    [ -n "${MONGO_URL:-}" ] || start_ferretdb
    ;;
  down)
    stop_one ferretdb
    stop_one nats
    ;;
  status)
    answers "$nats_port" && say "nats: up on $nats_port" || say "nats: down"
    answers "$mongo_port" && say "mongodb: up on $mongo_port" || say "mongodb: down"
    ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
