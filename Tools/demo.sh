#!/usr/bin/env bash
# `make demo`: starts the daemon with SQLite in a temporary folder, streams a simulated
# empty-walk-empty scenario (10 s empty, 10 s walking, 10 s empty) at it over UDP in real time,
# prints events as the daemon detects them, stops it with SIGTERM and lists what was stored.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$(cd "$root" && swift build --show-bin-path)/gateway"
udp_port=${DEMO_UDP_PORT:-5566}
http_port=${DEMO_HTTP_PORT:-8080}
seconds=${DEMO_SECONDS:-30}
work=$(mktemp -d /tmp/gateway-demo.XXXXXX)
cat > "$work/gateway.yaml" <<YAML
gateway:
  name: demo
udp:
  host: 127.0.0.1
  port: $udp_port
http:
  host: 127.0.0.1
  port: $http_port
store:
  path: $work/gateway.sqlite
detector:
  calibration_seconds: 5
YAML

echo "== gateway demo: daemon on udp/$udp_port, http/$http_port, data in $work"
"$bin" run --config "$work/gateway.yaml" 2> "$work/gateway.log" &
daemon=$!
cleanup() { kill "$daemon" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && break
    kill -0 "$daemon" 2>/dev/null || { cat "$work/gateway.log"; exit 1; }
    sleep 0.1
done
echo "== /healthz: $(curl -s "http://127.0.0.1:$http_port/healthz")"
# Show detector output as it happens (calibration and events only; the daemon logs nothing per frame).
tail -n +1 -f --pid="$daemon" "$work/gateway.log" | grep --line-buffered -E "calibrated|event |warning|error" &
tailer=$!
echo "== streaming $seconds s of simulated CSI (empty, walk, empty) at 100 frames/s"
"$bin" simulate --scenario empty-walk-empty --seconds "$seconds" --udp "127.0.0.1:$udp_port"
sleep 1.5
echo "== metrics:"
curl -s "http://127.0.0.1:$http_port/metrics" | grep -E '^gateway_(ingest|pipeline)_' || true
kill -TERM "$daemon"
wait "$daemon" || true
trap - EXIT
kill "$tailer" 2>/dev/null || true
echo "== stored events (walking phase was $((seconds / 3))-$((2 * seconds / 3)) s after the stream began):"
"$bin" events --db "$work/gateway.sqlite"
echo "== logs and database kept in $work"
