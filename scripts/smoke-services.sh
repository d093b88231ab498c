#!/usr/bin/env bash
# `npm run start:services` as a user runs it: seven processes over one embedded Postgres.
# Each must answer /health/ready on its own port; SIGTERM must stop them all cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
data_dir=$(mktemp -d)
log=$(mktemp)
DATA_DIR="$data_dir" EMBEDDED_PG_PORT=3998 setsid npm run start:services >"$log" 2>&1 &
pid=$!
cleanup() {
  kill -TERM -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pkill -f 'dist/apps/.*/main.js' 2>/dev/null || true
  rm -rf "$data_dir"
}
trap cleanup EXIT

for port in 3001 3002 3003 3004 3005 3006 3007; do
  for _ in $(seq 1 160); do
    curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "start:services exited early"; exit 1; }
    sleep 0.25
  done
  curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null || { cat "$log"; echo "port $port not ready"; exit 1; }
done
[ "$(grep -c 'pk_' "$log")" = 1 ] || { cat "$log"; echo "expected exactly one admin key across the services"; exit 1; }

kill -TERM -- "-$pid"
wait "$pid" || true
for _ in $(seq 1 80); do pgrep -f "$data_dir" >/dev/null || pgrep -f 'dist/apps/.*/main.js' >/dev/null || break; sleep 0.25; done
[ "$(grep -c 'stopped cleanly' "$log")" = 7 ] || { cat "$log"; echo "not every service stopped cleanly"; exit 1; }
trap - EXIT
rm -rf "$data_dir"
echo "smoke services: passed"
