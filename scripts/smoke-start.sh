#!/usr/bin/env bash
# Boots the platform exactly as a user does (`npm start`, embedded Postgres under a fresh
# DATA_DIR), waits for /health/ready, checks /docs and auth, then stops it with SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
data_dir=$(mktemp -d)
log=$(mktemp)
port=${SMOKE_PORT:-3999}
started=$(date +%s%N)
# Its own process group, so a failed check can stop npm and the platform under it together.
DATA_DIR="$data_dir" PORT="$port" EMBEDDED_PG_PORT=$((port + 1)) setsid npm start >"$log" 2>&1 &
pid=$!
cleanup() { kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data_dir"; }
trap cleanup EXIT

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "npm start exited early"; exit 1; fi
  sleep 0.25
done
ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))
curl -fsS "http://127.0.0.1:$port/health/ready" || { cat "$log"; echo "not ready"; exit 1; }
echo
curl -fsS "http://127.0.0.1:$port/docs" | grep -q 'swagger' || { echo "/docs is not the API explorer"; exit 1; }
curl -fsS "http://127.0.0.1:$port/docs-json" | grep -q '"openapi"' || { echo "/docs-json is not OpenAPI"; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v1/auth/whoami")
[ "$status" = 401 ] || { echo "unauthenticated request got $status, expected 401"; exit 1; }
grep -q 'pk_' "$log" || { echo "first start did not print an admin key"; cat "$log"; exit 1; }
echo "npm start: ready in ${ready_ms} ms (build included)"

# npm itself answers SIGTERM with 143 after forwarding it; the platform's own log says
# whether it drained and stopped cleanly, and no Postgres may be left running.
kill -TERM -- "-$pid"
wait "$pid" || true
for _ in $(seq 1 80); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.25; done
grep -q 'stopped cleanly' "$log" || { cat "$log"; echo "no clean shutdown in the log"; exit 1; }
if pgrep -f "$data_dir/postgres/cluster" >/dev/null; then echo "embedded Postgres left running"; exit 1; fi
trap - EXIT
rm -rf "$data_dir"
echo "smoke: passed"
