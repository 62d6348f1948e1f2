#!/usr/bin/env bash
# Brings the whole system up on this machine with a demo community: installs dependencies, starts NATS and
# mongo-java-server (H2 file backend, data in .local/mongo), builds, starts the four services and the gateway,
# seeds, and prints where to go.
# Idempotent: what is already running is left alone. `bash scripts/down.sh` stops it all.
# SEED_SIZE=full seeds the reference-size community (286 buildings, 12,584 units, 40,000 residents).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
state="${LOCAL_STATE_DIR:-$root/.local}"
mkdir -p "$state/run" "$state/logs"

bash scripts/install.sh
bash scripts/servers.sh up
echo "[up] building"
npm run -s build

export NATS_URL="${NATS_URL:-nats://127.0.0.1:${NATS_PORT:-4222}}"
export MONGO_URL="${MONGO_URL:-mongodb://127.0.0.1:${MONGO_PORT:-27017}}"
export JWT_SECRET="${JWT_SECRET:-local-development-secret-change-me}"
export BOOTSTRAP_ADMIN_USERNAME="${BOOTSTRAP_ADMIN_USERNAME:-admin}"
export BOOTSTRAP_ADMIN_PASSWORD="${BOOTSTRAP_ADMIN_PASSWORD:-admin-password}"
export NOTIFICATIONS_SMTP_URL="${NOTIFICATIONS_SMTP_URL:-smtp://127.0.0.1:${MAILPIT_SMTP_PORT:-1025}}"
# Local runs allow bulk work such as the seed; production sets its own limit.
if [ "${SEED_SIZE:-demo}" = full ]; then export RATE_LIMIT_PER_MINUTE="${RATE_LIMIT_PER_MINUTE:-1000000}"; fi
export RATE_LIMIT_PER_MINUTE="${RATE_LIMIT_PER_MINUTE:-6000}"
# TRACING=1 starts the local trace viewer (Jaeger) and sends it every app's spans.
if [ "${TRACING:-0}" = 1 ]; then
  bash scripts/tracing.sh up
  export OTEL_EXPORTER_OTLP_ENDPOINT="${OTEL_EXPORTER_OTLP_ENDPOINT:-http://127.0.0.1:4318}"
fi

declare -A ports=([membership]=3101 [grid]=3102 [activities]=3103 [property]=3104 [notifications]=3105 [api-gateway]=3000)

start_app() {
  local app=$1 port=${ports[$1]} pidfile="$state/run/$1.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "[up] $app already running (pid $(cat "$pidfile")), left as is"
    return
  fi
  HTTP_PORT=$port nohup node "dist/apps/$app/src/main.js" >>"$state/logs/$app.log" 2>&1 &
  echo $! >"$pidfile"
  echo "[up] $app started on port $port (log: $state/logs/$app.log)"
}

wait_ready() {
  local app=$1 port=${ports[$1]}
  for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then return 0; fi
    sleep 0.3
  done
  echo "[up] $app is not ready; last log lines:" >&2
  tail -n 20 "$state/logs/$app.log" >&2
  return 1
}

for app in membership grid activities property notifications api-gateway; do start_app "$app"; done
for app in membership grid activities property notifications api-gateway; do wait_ready "$app"; done

GATEWAY_URL="http://127.0.0.1:${ports[api-gateway]}" node dist/scripts/seed.js

cat <<MSG

The system is up.
  Gateway:      http://127.0.0.1:${ports[api-gateway]}/api/v1
  Swagger UI:   http://127.0.0.1:${ports[api-gateway]}/docs   (OpenAPI JSON at /docs-json)
  Health:       http://127.0.0.1:${ports[api-gateway]}/health/ready   Metrics: /metrics
  Logs:         $state/logs/
  Demo logins:  see the seed summary above (district admin: $BOOTSTRAP_ADMIN_USERNAME / $BOOTSTRAP_ADMIN_PASSWORD)
  Stop:         bash scripts/down.sh
MSG
