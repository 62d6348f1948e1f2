#!/usr/bin/env bash
# Stops what scripts/up.sh started: the apps, then the local servers it started. Data stays in .local/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
state="${LOCAL_STATE_DIR:-$(pwd)/.local}"
for app in api-gateway membership grid activities property notifications; do
  pidfile="$state/run/$app.pid"
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    echo "[down] $app stopped"
  fi
  rm -f "$pidfile"
done
bash scripts/tracing.sh down
bash scripts/servers.sh down
