#!/usr/bin/env bash
# The whole test suite from a fresh clone: installs dependencies, installs the local servers, type-checks,
# runs unit, integration and end-to-end tests, and ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install.sh
# Tests start private servers of their own (libs/testing); this installs nats-server and builds the database launcher.
[ -n "${MONGO_URL:-}" ] && [ -n "${NATS_URL:-}" ] || bash scripts/servers.sh install

echo "[test] type-checking"
npx tsc -p tsconfig.json --noEmit

mkdir -p .local/test
results=.local/test/results.json
rm -f "$results"
status=0
# Suites that start apps share the run's NATS server, so they run one at a time.
npx jest --runInBand --json --outputFile="$results" "$@" || status=$?

if [ ! -f "$results" ]; then
  echo "0 passed, 1 failed"
  exit 1
fi
node -e '
  const r = require(process.argv[1]);
  const failed = r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
  console.log(`${r.numPassedTests} passed, ${failed} failed`);
  process.exit(failed > 0 || !r.success ? 1 : 0);
' "$(pwd)/$results" || status=1
exit $status
