#!/usr/bin/env bash
# End-to-end test of the demo portal in a real Chromium (not part of `yarn test`).
#
# Starts the demo like `yarn start` (frontend :3000, backend :7007, demo fleet
# :7070, seed), waits until it is up and seeded, runs e2e/releases.e2e.js, and
# always stops everything it started. Screenshots go to e2e/screenshots/ and
# plugins/immutable-releases/docs/; the demo's output to e2e/screenshots/demo.log.
#
# Environment:
#   E2E_CHROMIUM        the browser (default /usr/bin/chromium)
#   E2E_START_TIMEOUT   seconds to wait for the demo to be up and seeded (default 600)
#   E2E_PORT_OFFSET     move all three ports by this much (default 0), e.g. 100 for
#                       3100/7107/7170 when a demo already runs on this machine
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
chromium="${E2E_CHROMIUM:-/usr/bin/chromium}"
start_timeout="${E2E_START_TIMEOUT:-600}"
offset="${E2E_PORT_OFFSET:-0}"
app_port=$((3000 + offset))
backend_port=$((7007 + offset))
fleet_port=$((7070 + offset))
mkdir -p e2e/screenshots
log="e2e/screenshots/demo.log"

fail() {
  echo "e2e: $*" >&2
  exit 1
}

[ -x "$chromium" ] || fail "no Chromium at $chromium (set E2E_CHROMIUM)"
for port in "$app_port" "$backend_port" "$fleet_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "port $port is already in use: stop what listens there, or set E2E_PORT_OFFSET"
  fi
done

start_args=()
if [ "$offset" != 0 ]; then
  ports_config="e2e/screenshots/ports.yaml"
  cat >"$ports_config" <<YAML
app:
  baseUrl: http://localhost:$app_port
  listen: { host: 127.0.0.1, port: $app_port }
backend:
  baseUrl: http://localhost:$backend_port
  listen: { host: 127.0.0.1, port: $backend_port }
  cors: { origin: http://localhost:$app_port }
YAML
  start_args=(--config "$ports_config")
fi
export DEMO_APP_URL="http://localhost:$app_port"
export DEMO_BACKEND_URL="http://localhost:$backend_port"
export DEMO_FLEET_PORT="$fleet_port"
# Its own demo fleet state, apart from a demo started by hand.
export IMMUTABLE_RELEASES_DEMO_STATE_DIR="$root/.state/e2e"

# The demo runs in its own process group, so one signal reaches all of it.
setsid corepack yarn start "${start_args[@]}" >"$log" 2>&1 &
demo_pid=$!
stop_demo() {
  if kill -0 "$demo_pid" 2>/dev/null; then
    kill -TERM -- "-$demo_pid" 2>/dev/null || true
    # scripts/start.js stops its children; give it time, then insist.
    for _ in $(seq 1 30); do
      kill -0 "$demo_pid" 2>/dev/null || break
      sleep 1
    done
    kill -KILL -- "-$demo_pid" 2>/dev/null || true
  fi
  wait "$demo_pid" 2>/dev/null || true
}
trap stop_demo EXIT
trap 'exit 130' INT TERM

echo "e2e: starting the demo (output in $log)"
deadline=$((SECONDS + start_timeout))
until grep -q '^\[start\] demo ready' "$log"; do
  if ! kill -0 "$demo_pid" 2>/dev/null; then
    tail -n 40 "$log" >&2
    fail "the demo stopped before it was ready (see $log)"
  fi
  if ((SECONDS > deadline)); then
    tail -n 40 "$log" >&2
    fail "the demo was not ready within ${start_timeout}s (see $log)"
  fi
  sleep 2
done
if grep -q '^\[start\] demo ready.*seed failed' "$log"; then
  grep '^\[seed\]' "$log" >&2 || true
  fail "the demo started but the seed failed (see $log)"
fi
curl -fsS "http://127.0.0.1:$backend_port/api/immutable-releases/health" >/dev/null ||
  fail "the backend does not answer its health check"
curl -fsS "http://127.0.0.1:$app_port" >/dev/null || fail "the frontend does not answer"
echo "e2e: demo up and seeded"

E2E_CHROMIUM="$chromium" E2E_APP_URL="http://localhost:$app_port" \
  E2E_BACKEND_URL="http://localhost:$backend_port" node e2e/releases.e2e.js
