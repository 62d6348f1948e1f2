#!/usr/bin/env bash
# A local trace viewer: Jaeger v2 all-in-one with in-memory storage. It takes OTLP/HTTP on 4318 (OTLP/gRPC on
# 4317) and serves its query API on 16686 (/api/traces; the web UI is a placeholder page in a build from the module
# proxy, whose UI assets are built separately). Built once from the Go module proxy into .local/jaeger (Go is
# needed; the first build compiles a large module: 5 to 25 minutes on 2 busy cores, under a minute after that).
# Apps send it spans when OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318; `TRACING=1 bash scripts/up.sh` starts it
# and sets that. Idempotent; `down` stops only what `up` started.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="${LOCAL_STATE_DIR:-$root/.local}"
run="$state/run"
version="${JAEGER_VERSION:-v1.75.0}"
bin="$state/jaeger/jaeger-$version"
mkdir -p "$run" "$state/logs" "$state/jaeger"

say() { echo "[tracing] $*"; }
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

build() {
  [ -x "$bin" ] && return
  command -v go >/dev/null || { say "go is required to build Jaeger"; exit 1; }
  exec 9>"$state/jaeger.lock"
  flock 9
  if [ ! -x "$bin" ]; then
    say "building Jaeger $version (first time only; log: $state/logs/jaeger-build.log)"
    local src="$state/jaeger/src"
    mkdir -p "$src"
    (
      cd "$src"
      [ -f go.mod ] || go mod init local/jaeger
      go get -tool "github.com/jaegertracing/jaeger/cmd/jaeger@$version"
      go build -o "$bin.new" github.com/jaegertracing/jaeger/cmd/jaeger
    ) >"$state/logs/jaeger-build.log" 2>&1 || { tail -n 30 "$state/logs/jaeger-build.log" >&2; exit 1; }
    mv "$bin.new" "$bin"
  fi
  flock -u 9
}

up() {
  if answers 16686; then say "a trace viewer already answers on 16686, left as is"; return; fi
  build
  nohup "$bin" >"$state/logs/jaeger.log" 2>&1 &
  echo $! >"$run/jaeger.pid"
  for _ in $(seq 1 150); do
    if answers 4318 && answers 16686; then
      say "Jaeger started: OTLP/HTTP on 4318, query API on http://127.0.0.1:16686/api/traces (log: $state/logs/jaeger.log)"
      return
    fi
    sleep 0.2
  done
  say "Jaeger did not open its ports; last log lines:"
  tail -n 20 "$state/logs/jaeger.log" >&2
  exit 1
}

down() {
  local pidfile="$run/jaeger.pid"
  [ -f "$pidfile" ] || { say "Jaeger was not started here, left as is"; return; }
  local pid; pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    say "Jaeger stopped"
  fi
  rm -f "$pidfile"
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  build) build ;;
  *) echo "usage: $0 up|down|build" >&2; exit 2 ;;
esac
