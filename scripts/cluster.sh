#!/usr/bin/env bash
# Several copies of every service on this machine, the way a deployment runs them: the local servers
# (`scripts/servers.sh up`), N copies of each service from dist/ (each its own process and HTTP port; the copies of
# a service share its NATS queue group, its durable consumers and its database), two gateways, and HAProxy in front
# of the gateways, checking their readiness. Logs, pids and the HAProxy configuration live in .local/cluster/.
#
#   bash scripts/cluster.sh up 3 [--seed]     N copies of each service (idempotent; extra copies are stopped)
#   bash scripts/cluster.sh scale grid 2      copies of one service
#   bash scripts/cluster.sh restart grid 1    one copy: SIGTERM, wait for the exit, start, wait for readiness
#   bash scripts/cluster.sh status            every process, its port, readiness and memory; HAProxy's view
#   bash scripts/cluster.sh down              stops the cluster (the local servers stay; `scripts/servers.sh down`)
#
# Ports: the load balancer on CLUSTER_PORT (8080), its statistics on CLUSTER_STATS_PORT (8404), gateways 4001-4002,
# copy i of a service on 4<k>0<i>: membership 41xx, grid 42xx, activities 43xx, property 44xx, notifications 45xx.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
state="${LOCAL_STATE_DIR:-$root/.local}"
dir="$state/cluster"
run="$dir/run"
logs="$dir/logs"
mkdir -p "$run" "$logs"

lb_port="${CLUSTER_PORT:-8080}"
stats_port="${CLUSTER_STATS_PORT:-8404}"
services=(membership grid activities property notifications)
gateways=2
declare -A base=([membership]=4100 [grid]=4200 [activities]=4300 [property]=4400 [notifications]=4500 [api-gateway]=4000)

# The local servers first: they are started only when NATS_URL and MONGO_URL are not given.
if [ "${1:-}" = up ]; then bash scripts/servers.sh up; fi
export NATS_URL="${NATS_URL:-nats://127.0.0.1:${NATS_PORT:-4222}}"
export MONGO_URL="${MONGO_URL:-mongodb://127.0.0.1:${MONGO_PORT:-27017}}"
export JWT_SECRET="${JWT_SECRET:-local-development-secret-change-me}"
export BOOTSTRAP_ADMIN_USERNAME="${BOOTSTRAP_ADMIN_USERNAME:-admin}"
export BOOTSTRAP_ADMIN_PASSWORD="${BOOTSTRAP_ADMIN_PASSWORD:-admin-password}"
# Load tests run through one client address; production sets its own limit.
export RATE_LIMIT_PER_MINUTE="${RATE_LIMIT_PER_MINUTE:-100000000}"
export LOG_LEVEL="${LOG_LEVEL:-warn}"
# Readiness stays down this long before a copy stops taking work: longer than HAProxy needs to see it (2 checks 500 ms apart).
gateway_drain_ms="${GATEWAY_DRAIN_DELAY_MS:-2000}"
service_drain_ms="${SERVICE_DRAIN_DELAY_MS:-0}"

say() { echo "[cluster] $*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
port_of() { echo $((${base[$1]} + $2)); }
entry_of() { if [ "$1" = api-gateway ]; then echo dist/apps/api-gateway/src/main.js; else echo "dist/apps/$1/src/main.js"; fi; }

start_copy() {
  local app=$1 i=$2 port pidfile="$run/$1-$2.pid" drain="$service_drain_ms"
  port=$(port_of "$app" "$i")
  if alive "$pidfile"; then return 0; fi
  [ "$app" = api-gateway ] && drain="$gateway_drain_ms"
  # The gateways take the client's address from HAProxy's X-Forwarded-For.
  TRUSTED_PROXIES=127.0.0.1 HTTP_PORT=$port DRAIN_DELAY_MS=$drain nohup node "$(entry_of "$app")" >>"$logs/$app-$i.log" 2>&1 &
  echo $! >"$pidfile"
  say "$app #$i started on port $port (pid $!)"
}

wait_ready() {
  local app=$1 i=$2 port
  port=$(port_of "$app" "$i")
  for _ in $(seq 1 300); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/health/ready" 2>/dev/null && return 0
    alive "$run/$app-$i.pid" || break
    sleep 0.2
  done
  say "$app #$i is not ready; last log lines:" >&2
  tail -n 20 "$logs/$app-$i.log" >&2
  return 1
}

# Until HAProxy sends requests to gateway i again (its checks have seen it ready), when HAProxy runs.
wait_balanced() {
  alive "$run/haproxy.pid" || return 0
  for _ in $(seq 1 150); do
    curl -s "http://127.0.0.1:$stats_port/;csv" | grep -q "^gateways,gateway-$1,.*,UP," && return 0
    sleep 0.2
  done
  say "haproxy does not see gateway #$1 up" >&2
  return 1
}

# SIGTERM lets the copy drain (readiness down, leave the queue group, finish what it holds); SIGKILL after 30 s.
stop_copy() {
  local app=$1 i=$2 pidfile="$run/$1-$2.pid" pid
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    say "$app #$i stopped"
  fi
  rm -f "$pidfile"
}

scale() {
  local app=$1 n=$2 i f
  for i in $(seq 1 "$n"); do start_copy "$app" "$i"; done
  for i in $(seq 1 "$n"); do wait_ready "$app" "$i"; done
  if [ "$app" = api-gateway ]; then for i in $(seq 1 "$n"); do wait_balanced "$i"; done; fi
  for f in "$run/$app-"*.pid; do
    [ -e "$f" ] || continue
    i="${f##*-}"; i="${i%.pid}"
    if [ "$i" -gt "$n" ]; then stop_copy "$app" "$i"; fi
  done
}

install_haproxy() {
  command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] && return
  say "installing haproxy from Debian packages"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q haproxy >/dev/null ||
    { as_root apt-get update -q >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q haproxy >/dev/null; }
}

write_haproxy_config() {
  local i servers=""
  for i in $(seq 1 "$gateways"); do
    servers+="    server gateway-$i 127.0.0.1:$(port_of api-gateway "$i") check inter 500ms fall 2 rise 2"$'\n'
  done
  cat >"$dir/haproxy.cfg" <<CFG
global
    maxconn 4096
    stats socket $run/haproxy.sock mode 600 level admin

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 10s
    # A request that found a gateway closing its connection goes to the other one.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response

frontend api
    bind 127.0.0.1:$lb_port
    option forwardfor
    default_backend gateways

backend gateways
    balance leastconn
    option httpchk GET /health/ready
    http-check expect status 200
$servers
frontend stats
    bind 127.0.0.1:$stats_port
    stats enable
    stats uri /
    stats refresh 5s
CFG
}

start_haproxy() {
  install_haproxy
  write_haproxy_config
  local bin pidfile="$run/haproxy.pid"
  bin="$(command -v haproxy || echo /usr/sbin/haproxy)"
  "$bin" -c -q -f "$dir/haproxy.cfg"
  if alive "$pidfile"; then
    # A new process takes the port over and the old one finishes its connections (-sf).
    "$bin" -D -f "$dir/haproxy.cfg" -p "$pidfile" -sf "$(cat "$pidfile")"
  else
    "$bin" -D -f "$dir/haproxy.cfg" -p "$pidfile"
  fi
  for _ in $(seq 1 50); do
    curl -fsS -o /dev/null "http://127.0.0.1:$lb_port/health/ready" 2>/dev/null && break
    sleep 0.2
  done
  say "haproxy on 127.0.0.1:$lb_port in front of $gateways gateways (statistics: http://127.0.0.1:$stats_port/)"
}

ensure_built() {
  if [ ! -f dist/apps/api-gateway/src/main.js ]; then
    say "building"
    npm run -s build
  fi
}

up() {
  local n=$1 seed=$2
  [[ "$n" =~ ^[1-9][0-9]?$ ]] || { echo "usage: $0 up N [--seed] (N copies of each service, 1-99)" >&2; exit 2; }
  ensure_built
  # Membership first: it creates the first administrator the others' requests may need.
  for app in "${services[@]}"; do scale "$app" "$n"; done
  scale api-gateway "$gateways"
  start_haproxy
  if [ "$seed" = 1 ]; then GATEWAY_URL="http://127.0.0.1:$lb_port" node dist/scripts/seed.js; fi
  cat <<MSG

The cluster is up: $n copies of each service, $gateways gateways.
  API:        http://127.0.0.1:$lb_port/api/v1   (Swagger UI: http://127.0.0.1:$lb_port/docs)
  HAProxy:    http://127.0.0.1:$stats_port/
  Logs:       $logs/
  Status:     bash scripts/cluster.sh status     Stop: bash scripts/cluster.sh down
MSG
}

restart() {
  local app=$1 i=$2
  [ -f "$run/$app-$i.pid" ] || { say "$app #$i is not running" >&2; exit 1; }
  stop_copy "$app" "$i"
  start_copy "$app" "$i"
  wait_ready "$app" "$i"
}

status() {
  local app f i pid port ready rss
  printf '%-14s %4s %6s %8s %8s %8s\n' app copy port pid ready rss_mb
  for app in "${services[@]}" api-gateway; do
    for f in "$run/$app-"*.pid; do
      [ -e "$f" ] || continue
      i="${f##*-}"; i="${i%.pid}"; pid="$(cat "$f")"; port=$(port_of "$app" "$i")
      if kill -0 "$pid" 2>/dev/null; then
        ready=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready" || true)
        rss=$(($(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024))
      else
        ready=gone; rss=-
      fi
      printf '%-14s %4s %6s %8s %8s %8s\n' "$app" "$i" "$port" "$pid" "$ready" "$rss"
    done
  done
  if alive "$run/haproxy.pid"; then
    echo "haproxy (pid $(cat "$run/haproxy.pid")) on $lb_port:"
    curl -s "http://127.0.0.1:$stats_port/;csv" | awk -F, '$1 == "gateways" && $2 != "BACKEND" {print "  " $2 ": " $18}'
  else
    echo "haproxy: not running"
  fi
  bash scripts/servers.sh status
}

down() {
  local pidfile="$run/haproxy.pid"
  if alive "$pidfile"; then kill "$(cat "$pidfile")"; say "haproxy stopped"; fi
  rm -f "$pidfile"
  for i in $(seq 1 "$gateways"); do stop_copy api-gateway "$i"; done
  for app in "${services[@]}"; do
    for f in "$run/$app-"*.pid; do
      [ -e "$f" ] || continue
      i="${f##*-}"; stop_copy "$app" "${i%.pid}" &
    done
  done
  wait
  say "the local servers are left running; bash scripts/servers.sh down stops them"
}

is_app() { [[ " ${services[*]} api-gateway " == *" $1 "* ]] || { echo "unknown app: $1" >&2; exit 2; }; }

case "${1:-}" in
  up)
    n="${2:-1}"; seed=0
    for arg in "${@:3}"; do [ "$arg" = --seed ] && seed=1; done
    [ "${SEED:-}" = 1 ] && seed=1
    up "$n" "$seed"
    ;;
  scale) is_app "${2:-}"; [[ "${3:-}" =~ ^[1-9][0-9]?$ ]] || { echo "usage: $0 scale APP N" >&2; exit 2; }; scale "$2" "$3" ;;
  restart) is_app "${2:-}"; restart "$2" "${3:-1}" ;;
  status) status ;;
  down) down ;;
  *) echo "usage: $0 up N [--seed] | scale APP N | restart APP I | status | down" >&2; exit 2 ;;
esac
