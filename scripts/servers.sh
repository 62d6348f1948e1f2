#!/usr/bin/env bash
# Installs and starts the local servers the system needs: NATS with JetStream,
# mongo-java-server (a MongoDB-compatible server in Java; H2 file backend by default, memory backend on request)
# and Mailpit (a local SMTP server whose HTTP API lists the e-mail it received; built with Go into .local/bin).
# Idempotent: a server already answering on its port is left alone. `down` stops only what `up` started.
# With MONGO_URL and NATS_URL both set, nothing is installed or started.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="${LOCAL_STATE_DIR:-$root/.local}"
nats_port="${NATS_PORT:-4222}"
mongo_port="${MONGO_PORT:-27017}"
mailpit_smtp_port="${MAILPIT_SMTP_PORT:-1025}"
mailpit_http_port="${MAILPIT_HTTP_PORT:-8025}"
mailpit_version="v1.33.1"
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

install_nats() {
  if ! command -v nats-server >/dev/null && [ ! -x /usr/sbin/nats-server ]; then
    say "installing nats-server from Debian packages"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nats-server >/dev/null ||
      { as_root apt-get update -q >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nats-server >/dev/null; }
  fi
}

start_nats() {
  if answers "$nats_port"; then say "nats already answering on $nats_port, left as is"; return; fi
  install_nats
  local bin; bin="$(command -v nats-server || echo /usr/sbin/nats-server)"
  mkdir -p "$state/nats"
  nohup "$bin" -a 127.0.0.1 -p "$nats_port" -js -sd "$state/nats" >"$state/logs/nats.log" 2>&1 &
  echo $! >"$run/nats.pid"
  wait_port "$nats_port" nats
  say "nats started on $nats_port (JetStream, data in $state/nats)"
}

# The launcher is built once with Maven into $state/mongo-local; rebuilt when its sources change. Concurrent
# callers (test runs, benchmarks) wait for one build under a lock instead of building over each other.
launcher_fresh() {
  local out="$state/mongo-local" src="$root/deploy/local/mongo-java-server"
  [ -f "$out/mongo-local.jar" ] && [ "$out/mongo-local.jar" -nt "$src/pom.xml" ] &&
    [ -z "$(find "$src/src" -newer "$out/mongo-local.jar" -type f 2>/dev/null)" ]
}

build_mongo_local() {
  launcher_fresh && return
  exec 9>"$state/mongo-local.lock"
  flock 9
  if ! launcher_fresh; then
    local out="$state/mongo-local" src="$root/deploy/local/mongo-java-server"
    command -v java >/dev/null || { say "java (17) is required for the local database"; exit 1; }
    command -v mvn >/dev/null || { say "maven is required to build the local database launcher"; exit 1; }
    say "building the local MongoDB-compatible server (mongo-java-server, first time only)"
    (cd "$src" && mvn -q -B package -DskipTests >"$state/logs/mongo-local-build.log" 2>&1) ||
      { tail -n 30 "$state/logs/mongo-local-build.log" >&2; exit 1; }
    rm -rf "$out.new" && mkdir -p "$out.new"
    cp -r "$src/target/lib" "$out.new/lib" && cp "$src/target/mongo-local.jar" "$out.new/mongo-local.jar"
    rm -rf "$out" && mv "$out.new" "$out"
  fi
  flock -u 9
}

# MONGO_BACKEND=h2 (default: an MVStore file that survives restarts and kill -9) or memory (tests, fast).
start_mongo() {
  if answers "$mongo_port"; then say "mongodb-compatible server already answering on $mongo_port, left as is"; return; fi
  build_mongo_local
  local backend="${MONGO_BACKEND:-h2}" file="${MONGO_FILE:-$state/mongo/data.mv}"
  mkdir -p "$(dirname "$file")"
  nohup java "-Xmx${MONGO_HEAP:-1g}" -XX:+UseSerialGC -cp "$state/mongo-local/mongo-local.jar:$state/mongo-local/lib/*" \
    local.mongo.MongoLocal --port "$mongo_port" --backend "$backend" --file "$file" \
    --cache-mb "${MONGO_CACHE_MB:-512}" --commit-ms "${MONGO_COMMIT_MS:-10}" >"$state/logs/mongo.log" 2>&1 &
  echo $! >"$run/mongo.pid"
  wait_port "$mongo_port" mongo
  if [ "$backend" = memory ]; then say "mongo-java-server started on $mongo_port (memory backend)";
  else say "mongo-java-server started on $mongo_port (H2 backend, data in $file)"; fi
}

# Built once from the Go module proxy; a stamp names the version built, so a new version rebuilds and others skip.
install_mailpit() {
  local bin="$state/bin/mailpit" stamp="$state/bin/mailpit.version"
  [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$mailpit_version" ] && return
  command -v go >/dev/null || { say "go is required to build mailpit"; exit 1; }
  mkdir -p "$state/bin"
  exec 8>"$state/mailpit.lock"
  flock 8
  if ! { [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$mailpit_version" ]; }; then
    say "building mailpit $mailpit_version (first time only)"
    GOBIN="$state/bin" GOFLAGS=-mod=mod go install "github.com/axllent/mailpit@$mailpit_version" >"$state/logs/mailpit-build.log" 2>&1 ||
      { tail -n 30 "$state/logs/mailpit-build.log" >&2; exit 1; }
    echo "$mailpit_version" >"$stamp"
  fi
  flock -u 8
}

start_mailpit() {
  if answers "$mailpit_smtp_port"; then say "smtp already answering on $mailpit_smtp_port, left as is"; return; fi
  install_mailpit
  nohup "$state/bin/mailpit" --smtp "127.0.0.1:$mailpit_smtp_port" --listen "127.0.0.1:$mailpit_http_port" \
    --disable-version-check --max 5000 >"$state/logs/mailpit.log" 2>&1 &
  echo $! >"$run/mailpit.pid"
  wait_port "$mailpit_smtp_port" mailpit
  say "mailpit started: SMTP on $mailpit_smtp_port, HTTP API on $mailpit_http_port"
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
    [ -n "${MONGO_URL:-}" ] || start_mongo
    [ -n "${NOTIFICATIONS_SMTP_URL:-}" ] || start_mailpit
    ;;
  install)
    install_nats
    build_mongo_local
    install_mailpit
    ;;
  down)
    stop_one mailpit
    stop_one mongo
    stop_one nats
    ;;
  status)
    answers "$nats_port" && say "nats: up on $nats_port" || say "nats: down"
    answers "$mongo_port" && say "mongodb: up on $mongo_port" || say "mongodb: down"
    answers "$mailpit_smtp_port" && say "mailpit: up on $mailpit_smtp_port (HTTP $mailpit_http_port)" || say "mailpit: down"
    ;;
  *) echo "usage: $0 up|install|down|status" >&2; exit 2 ;;
esac
