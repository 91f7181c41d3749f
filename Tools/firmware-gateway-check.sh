#!/usr/bin/env bash
# End-to-end check of the firmware's core against the real gateway, on 127.0.0.1: starts
# `gateway run` on free ports with a scratch store, streams from the virtual ESP32 (csi_core +
# proto sending UDP, Firmware/test_host/src/virtual_esp32.c), then checks that the gateway
# accepted every frame, rejected none as malformed or duplicate, counted none lost, and that the
# store's device row and feature windows agree; then that a node dropping frames (too large for
# its MTU) shows exactly that many lost frames at the gateway.
#   Tools/firmware-gateway-check.sh [frames/s] [seconds]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rate=${1:-500}
seconds=${2:-4}
gateway="${GATEWAY_BIN:-$(cd "$root" && swift build --show-bin-path)/gateway}"
node="$root/.build-firmware/host/virtual_esp32"
[ -x "$node" ] || "$root/Tools/firmware-test.sh" >/dev/null
[ -x "$gateway" ] || { echo "no gateway binary at $gateway (swift build first)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/fw-gateway.XXXXXX")
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET, getattr(socket, sys.argv[1])); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' "$1"; }
udp_port=$(free_port SOCK_DGRAM)
http_port=$(free_port SOCK_STREAM)
cat > "$work/gateway.yaml" <<YAML
udp: {host: 127.0.0.1, port: $udp_port}
http: {host: 127.0.0.1, port: $http_port}
store: {path: $work/gateway.sqlite}
YAML
"$gateway" run --config "$work/gateway.yaml" >"$work/gateway.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/gateway.log" >&2; exit 1; }
    sleep 0.1
done

"$node" --port "$udp_port" --rate "$rate" --seconds "$seconds" --device esp32-e2e --shape mixed | tee "$work/node.log"
sent=$(sed -n 's/.* \([0-9]*\) frames sent in .*/\1/p' "$work/node.log")
sleep 1.5   # the store commits every 200 ms

metric() {
    curl -fsS "http://127.0.0.1:$http_port/metrics" |
        awk -v name="$1" '$1 ~ "^"name"(\\{|$)" { sum += $2 } END { printf "%d\n", sum }'
}
accepted=$(metric gateway_ingest_frames_total)
malformed=$(metric gateway_ingest_malformed_total)
lost=$(metric gateway_ingest_lost_frames_total)
duplicates=$(metric gateway_ingest_duplicates_total)

# A lossy node: with a 500-byte MTU its HT40 STBC frames (742 B) are too large and dropped on
# the node. Each leaves a sequence gap, which the gateway must count as lost, exactly.
"$node" --port "$udp_port" --rate "$rate" --seconds 2 --device esp32-e2e-lossy --shape mixed --mtu 500 | tee "$work/lossy.log"
read -r lossy_sent lossy_dropped lossy_first lossy_last < <(sed -n \
    's/.* \([0-9]*\) frames sent in .* too large \([0-9]*\),.*sequences sent \([0-9]*\)\.\.\([0-9]*\)$/\1 \2 \3 \4/p' "$work/lossy.log")
sleep 1.5
lossy_lost=$(( $(metric gateway_ingest_lost_frames_total) - lost ))
lossy_expected=$(( lossy_last - lossy_first + 1 - lossy_sent ))
echo "lossy node: sent $lossy_sent, dropped $lossy_dropped as too large; the gateway counted $lossy_lost lost" \
     "(gaps between sequences $lossy_first and $lossy_last: $lossy_expected)"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
stored=$(python3 - "$work/gateway.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
frames = db.execute("SELECT COALESCE(SUM(frames), 0) FROM devices WHERE id = 'esp32-e2e'").fetchone()[0]
windows, lost = db.execute(
    "SELECT COUNT(*), COALESCE(SUM(lost_frames), 0) FROM features WHERE device = 'esp32-e2e'").fetchone()
print(frames, windows, lost)
PY
)
read -r stored_frames windows window_lost <<<"$stored"
echo "gateway: sent $sent, accepted $accepted, malformed $malformed, lost $lost, duplicates $duplicates;" \
     "store: $stored_frames frames for the device, $windows feature windows with $window_lost lost frames"
fail=0
[ "$accepted" -eq "$sent" ] || { echo "FAIL: accepted $accepted of $sent" >&2; fail=1; }
[ "$malformed" -eq 0 ] || { echo "FAIL: $malformed malformed" >&2; fail=1; }
[ "$lost" -eq 0 ] && [ "$duplicates" -eq 0 ] || { echo "FAIL: gateway counted $lost lost, $duplicates duplicates" >&2; fail=1; }
[ "$stored_frames" -eq "$sent" ] || { echo "FAIL: the store counted $stored_frames frames" >&2; fail=1; }
[ "$window_lost" -eq 0 ] || { echo "FAIL: stored feature windows count $window_lost lost frames" >&2; fail=1; }
[ "$lossy_dropped" -gt 0 ] && [ "$lossy_lost" -eq "$lossy_expected" ] ||
    { echo "FAIL: lossy node dropped $lossy_dropped, gateway counted $lossy_lost lost, expected $lossy_expected" >&2; fail=1; }
[ "$fail" -eq 0 ] && echo "firmware -> gateway: ok"
exit "$fail"
