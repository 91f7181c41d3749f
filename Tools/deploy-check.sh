#!/usr/bin/env bash
# Checks Deploy/ against the binaries just built, without Docker, a cluster or a running systemd:
#   1. `make install` into a temporary DESTDIR with the given binaries: files and modes, the
#      config pointing at the key, a second install keeping an edited config and the key, the
#      installed gateway running `version`, and the installed key signing a log entry whose proof
#      `gateway verify` accepts with the installed verifier key;
#   2. `systemd-analyze verify` of both installed units (and the gateway's with its drop-in),
#      with ExecStart pointed at the staged binaries, no warning allowed; `systemd-analyze
#      security --offline` exposure under a threshold;
#   3. the container configs through the real binaries' config loaders: the gateway image's
#      config with compose's environment starts and answers the images' health probe, and the
#      cloud-sync configs (image, compose, Kubernetes, systemd) load;
#   4. Tools/deploy-check.py: Dockerfiles (stages, USER, HEALTHCHECK, runtime packages against
#      ldd of the binaries), compose and Kubernetes files.
#   GATEWAY_BIN=... CLOUD_SYNC_BIN=... Tools/deploy-check.sh    (default: the debug build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin_path=$(cd "$root" && swift build --show-bin-path)
gateway=${GATEWAY_BIN:-$bin_path/gateway}
cloud_sync=${CLOUD_SYNC_BIN:-$bin_path/cloud-sync}
for b in "$gateway" "$cloud_sync"; do
    [ -x "$b" ] || { echo "no binary at $b (swift build --product gateway --product cloud-sync first)" >&2; exit 1; }
done
toolchain_lib=$(dirname "$(readlink -f "$(command -v swift)")")/../lib/swift/linux

work=$(mktemp -d "${TMPDIR:-/tmp}/deploy-check.XXXXXX")
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
fails=0
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
expect() { local what=$1; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }
mode_of() { stat -c %a "$1"; }
free_port() { python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET, getattr(socket, sys.argv[1])); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' "$1"; }

# --- 1. install into a staging root ------------------------------------------------------------
dest=$work/root
origin=deploy-check.example/gw-01
install_once() {
    make -s -C "$root" install DESTDIR="$dest" PREFIX=/usr/local GATEWAY_ORIGIN="$origin" \
        GATEWAY_BIN="$gateway" CLOUD_SYNC_BIN="$cloud_sync" >"$work/install.log" 2>&1 ||
        { cat "$work/install.log"; fail "make install DESTDIR=$dest"; exit 1; }
}
install_once
ok "make install DESTDIR=... GATEWAY_BIN=... CLOUD_SYNC_BIN=..."
units=$dest/usr/local/lib/systemd/system
for f in usr/local/bin/gateway:755 usr/local/bin/cloud-sync:755 \
         usr/local/lib/systemd/system/sensing-gateway.service:644 usr/local/lib/systemd/system/cloud-sync.service:644 \
         usr/local/lib/sysusers.d/sensing-gateway.conf:644 usr/local/lib/modules-load.d/sensing-gateway.conf:644 \
         usr/local/lib/sysctl.d/60-sensing-gateway.conf:644 \
         usr/local/share/doc/sensing-gateway/no-live-capture.conf:644 \
         etc/sensing-gateway/gateway.yaml:640 etc/cloud-sync/cloud-sync.yaml:640 \
         etc/sensing-gateway/log.key:600 etc/sensing-gateway/log.pub:644; do
    path=$dest/${f%%:*}
    if [ -f "$path" ] && [ "$(mode_of "$path")" = "${f##*:}" ]; then ok "/${f%%:*} mode ${f##*:}"
    else fail "/${f%%:*} should exist with mode ${f##*:} (has: $( [ -e "$path" ] && mode_of "$path" || echo missing))"; fi
done
expect "units run the binaries from PREFIX" grep -q "^ExecStart=/usr/local/bin/gateway run --config /etc/sensing-gateway/gateway.yaml" "$units/sensing-gateway.service"
expect "installed config signs with the installed key" grep -q "^  key_file: /etc/sensing-gateway/log.key" "$dest/etc/sensing-gateway/gateway.yaml"
expect "log.pub is the verifier key of $origin" grep -q "^$origin+[0-9a-f]\{8\}+" "$dest/etc/sensing-gateway/log.pub"
expect "no @PLACEHOLDER@ left in the installed units" bash -c "! grep -q '@[A-Z]*@' '$units'/*.service"

echo "# edited on site" >> "$dest/etc/sensing-gateway/gateway.yaml"
echo "# edited on site" >> "$dest/etc/cloud-sync/cloud-sync.yaml"
key_before=$(sha256sum < "$dest/etc/sensing-gateway/log.key")
install_once
expect "a second install keeps the edited gateway.yaml" grep -q "^# edited on site" "$dest/etc/sensing-gateway/gateway.yaml"
expect "a second install keeps the edited cloud-sync.yaml" grep -q "^# edited on site" "$dest/etc/cloud-sync/cloud-sync.yaml"
expect "a second install keeps the signing key" test "$key_before" = "$(sha256sum < "$dest/etc/sensing-gateway/log.key")"
expect "a second install says it kept the config" grep -q "kept /etc/sensing-gateway/gateway.yaml" "$work/install.log"

installed=$dest/usr/local/bin/gateway
expect "installed gateway runs 'version'" bash -c "'$installed' version | grep -q '^gateway [0-9]'"
expect "installed key shows its verifier key (log.pub)" test "$("$installed" keys show --key "$dest/etc/sensing-gateway/log.key")" = "$(cat "$dest/etc/sensing-gateway/log.pub")"
# Sign a real log: a simulated room (empty, someone walks, empty) replayed with the installed
# key, so its events are logged and a checkpoint signed; a proof of entry 0, checked offline
# against the installed verifier key.
round_trip() {
    "$installed" simulate --scenario empty-walk-empty --seconds 14 --out "$work/room" &&
        "$installed" replay "$work/room" --db "$work/signed.sqlite" --calibrate 5 --key "$dest/etc/sensing-gateway/log.key" &&
        "$installed" proof --db "$work/signed.sqlite" --index 0 --out "$work/e0.proof" &&
        "$installed" verify "$work/e0.proof" --key "$dest/etc/sensing-gateway/log.pub"
} >"$work/round-trip.log" 2>&1
if round_trip && grep -q "^OK: entry 0 of $origin" "$work/round-trip.log"; then
    ok "installed key signs a checkpoint; 'gateway verify' accepts a proof with log.pub"
else
    fail "sign/verify round trip with the installed key: $(tail -3 "$work/round-trip.log")"
fi

# Without DESTDIR (the live system), in a private mount namespace whose /etc is a copy and whose
# /usr/local and /var/lib are empty, so this machine is untouched: users are created, the key is
# owned by sensing-gateway, and the daemon runs as that user on the installed config and key.
# Needs root and unshare (a default Docker container has neither right): skipped otherwise.
if [ "$(id -u)" -eq 0 ] && unshare --mount --propagation private true 2>/dev/null; then
    live_port=$(free_port SOCK_STREAM)
    cat > "$work/live.sh" <<LIVE
set -u
cp -a /etc "$work/etc" && mount --bind "$work/etc" /etc && mount -t tmpfs tmpfs /usr/local && mount -t tmpfs tmpfs /var/lib
t() { local what=\$1; shift; if "\$@"; then echo "ok   live install: \$what"; else echo "FAIL live install: \$what"; fi; }
make -s -C "$root" install GATEWAY_BIN="$gateway" CLOUD_SYNC_BIN="$cloud_sync" GATEWAY_ORIGIN=$origin >"$work/live-install.log" 2>&1
t "make install (no DESTDIR) as root" test \$? -eq 0
t "users sensing-gateway (in dialout) and cloud-sync exist" bash -c "id -nG sensing-gateway | grep -qw dialout && id cloud-sync >/dev/null"
t "log.key 0600 sensing-gateway, gateway.yaml 0640 root:sensing-gateway, cloud-sync.yaml 0640 root:cloud-sync" test \
    "\$(stat -c '%a %U:%G' /etc/sensing-gateway/log.key /etc/sensing-gateway/gateway.yaml /etc/cloud-sync/cloud-sync.yaml | tr '\n' ' ')" = \
    "600 sensing-gateway:sensing-gateway 640 root:sensing-gateway 640 root:cloud-sync "
install -d -o sensing-gateway -g sensing-gateway -m 0750 /var/lib/sensing-gateway   # what StateDirectory= does
GATEWAY_HTTP_PORT=$live_port GATEWAY_UDP_PORT=0 setpriv --reuid=sensing-gateway --regid=sensing-gateway --init-groups \\
    /usr/local/bin/gateway run --config /etc/sensing-gateway/gateway.yaml >"$work/live-gw.log" 2>&1 &
pid=\$!
for _ in \$(seq 100); do "$root/Deploy/docker/healthz-probe" $live_port 2>/dev/null && break; sleep 0.1; done
kill -TERM \$pid; wait \$pid
kill -KILL \$pid 2>/dev/null   # never leave a daemon behind, even if the check fails
t "the daemon runs as sensing-gateway on the installed config and key" grep -q "signing checkpoints as $origin" "$work/live-gw.log"
t "... and stops cleanly" grep -q "stopped cleanly" "$work/live-gw.log" || tail -5 "$work/live-gw.log"
LIVE
    live_out=$(unshare --mount --propagation private bash "$work/live.sh" 2>&1) || true
    echo "$live_out" | grep -E "^(ok|FAIL) "
    fails=$((fails + $(echo "$live_out" | grep -c "^FAIL" || true)))
    echo "$live_out" | grep -q "^ok   live install: ... and stops" || { fail "live install did not complete"; tail -5 "$work/live-install.log"; }
else
    echo "skip live install (needs root and unshare --mount)"
fi

# --- 2. systemd --------------------------------------------------------------------------------
# verify needs ExecStart's binary on this machine: check copies of the installed units whose
# ExecStart names the staged binary (everything else byte-for-byte the installed file). Verify
# exits 0 even on unknown keys, so any output fails the check.
sd=$work/systemd
mkdir -p "$sd/sensing-gateway.service.d"
for unit in sensing-gateway cloud-sync; do
    sed "s|^ExecStart=/usr/local/bin/|ExecStart=$dest/usr/local/bin/|" "$units/$unit.service" > "$sd/$unit.service"
    out=$(systemd-analyze verify "$sd/$unit.service" 2>&1) && [ -z "$out" ] &&
        ok "systemd-analyze verify $unit.service" || fail "systemd-analyze verify $unit.service: $out"
done
score() { systemd-analyze security --offline=true "$1" 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p'; }
# Findings about live-capture privileges, without and with the drop-in.
capture_findings() {
    local unit=$sd/sensing-gateway.service pattern='^✗ (AmbientCapabilities=|RestrictAddressFamilies=~AF_PACKET|CapabilityBoundingSet=~CAP_NET_)'
    mv "$sd/sensing-gateway.service.d" "$sd/off.d"
    local before; before=$(systemd-analyze security --offline=true "$unit" 2>/dev/null | grep -cE "$pattern" || true)
    mv "$sd/off.d" "$sd/sensing-gateway.service.d"
    echo "$before $(systemd-analyze security --offline=true "$unit" 2>/dev/null | grep -cE "$pattern" || true)"
}
gw_score=$(score "$sd/sensing-gateway.service")
cs_score=$(score "$sd/cloud-sync.service")
cp "$dest/usr/local/share/doc/sensing-gateway/no-live-capture.conf" "$sd/sensing-gateway.service.d/"
out=$(systemd-analyze verify "$sd/sensing-gateway.service" 2>&1) && [ -z "$out" ] &&
    ok "systemd-analyze verify sensing-gateway.service + no-live-capture.conf" || fail "verify with no-live-capture.conf: $out"
nocap_score=$(score "$sd/sensing-gateway.service")
expect "the unit grants CAP_NET_RAW and nothing else" \
    test "$(sed -n 's/^AmbientCapabilities=//p; s/^CapabilityBoundingSet=//p' "$units/sensing-gateway.service" | sort -u)" = CAP_NET_RAW
expect "the drop-in removes the ambient capability, CAP_NET_RAW and AF_PACKET (3 findings before, 0 after)" \
    test "$(capture_findings)" = "3 0"
echo "     exposure (systemd-analyze security, 0 best .. 10): gateway $gw_score, without live capture $nocap_score, cloud-sync $cs_score"
expect "exposure: gateway <= 2.5, without live capture <= 2.0, cloud-sync <= 2.0" python3 -c \
    "import sys; g, n, c = map(float, sys.argv[1:]); sys.exit(not (g <= 2.5 and n <= 2.0 and c <= 2.0 and n < g))" \
    "${gw_score:-99}" "${nocap_score:-99}" "${cs_score:-99}"
printf 'udp: {prot: 1}\n' > "$work/bad-gateway.yaml"
"$gateway" run --config "$work/bad-gateway.yaml" >/dev/null 2>&1 && rc=0 || rc=$?
expect "a config error exits $rc, the units' RestartPreventExitStatus (no restart loop)" \
    test "$rc" = "$(sed -n 's/^RestartPreventExitStatus=//p' "$units/sensing-gateway.service")"
grace=$(sed -n 's/.*maximumGracefulShutdownDuration = .*seconds(\([0-9]*\)).*/\1/p' "$root/Sources/GatewayApp/GatewayServices.swift")
for unit in sensing-gateway cloud-sync; do
    stop=$(sed -n 's/^TimeoutStopSec=\([0-9]*\)s$/\1/p' "$units/$unit.service")
    expect "$unit TimeoutStopSec ${stop}s > graceful shutdown ${grace}s" test "${stop:-0}" -gt "${grace:-999}"
done

# --- 3. container configs through the real loaders ---------------------------------------------
http_port=$(free_port SOCK_STREAM)
# The gateway image's config plus compose's environment; only what must differ outside a
# container is overridden: ports and paths, and the broker's and cloud's host names.
compose_env=$(python3 -c '
import sys, yaml
env = yaml.safe_load(open(sys.argv[1]))["services"]["gateway"]["environment"]
print("\n".join(f"{k}={v}" for k, v in env.items()))' "$root/Deploy/compose/compose.yaml")
(
    while IFS= read -r assignment; do export "${assignment?}"; done <<<"$compose_env"
    export GATEWAY_UDP_HOST=127.0.0.1 GATEWAY_UDP_PORT=0 GATEWAY_HTTP_HOST=127.0.0.1 GATEWAY_HTTP_PORT="$http_port" \
        GATEWAY_STORE_PATH="$work/compose-gateway.sqlite" GATEWAY_LEDGER_KEY_FILE="$dest/etc/sensing-gateway/log.key" \
        GATEWAY_MQTT_HOST=127.0.0.1 GATEWAY_MQTT_PORT=1 GATEWAY_SYNC_URL=http://127.0.0.1:1
    exec "$gateway" run --config "$root/Deploy/docker/gateway.yaml"
) >"$work/gateway.log" 2>&1 &
gw_pid=$!
pids+=("$gw_pid")
healthy=no
for _ in $(seq 150); do
    if "$root/Deploy/docker/healthz-probe" "$http_port" 2>/dev/null; then healthy=yes; break; fi
    kill -0 "$gw_pid" 2>/dev/null || break
    sleep 0.1
done
expect "gateway image config + compose environment starts and passes healthz-probe" test "$healthy" = yes
expect "healthz-probe fails when nothing listens" bash -c "! '$root/Deploy/docker/healthz-probe' '$(free_port SOCK_STREAM)' 2>/dev/null"
# A server that answers /healthz with 404 (Python's, on an empty folder) must not count as healthy.
mkdir "$work/empty"
not_found_port=$(free_port SOCK_STREAM)
python3 -m http.server --bind 127.0.0.1 --directory "$work/empty" "$not_found_port" >/dev/null 2>&1 &
pids+=("$!")
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$not_found_port") 2>/dev/null && break; sleep 0.1; done
expect "healthz-probe fails on a 404 answer" bash -c "! '$root/Deploy/docker/healthz-probe' '$not_found_port'"
kill -TERM "$gw_pid" 2>/dev/null || true
wait "$gw_pid" 2>/dev/null || true
expect "gateway stops cleanly on SIGTERM" grep -q "stopped cleanly" "$work/gateway.log"
expect "compose's environment took effect (name, MQTT source, signing key)" bash -c \
    "grep -q 'MQTT source started' '$work/gateway.log' && grep -q 'signing checkpoints as $origin' '$work/gateway.log' &&
     grep -q 'gateway.name=compose-gateway' '$work/gateway.log'"
[ "$healthy" = yes ] || tail -20 "$work/gateway.log"

# cloud-sync configs: a config error exits 64 at once; a loaded config logs "starting" with its
# storage before connecting (PostgreSQL is pointed at port 1, where nothing listens).
verifier=$(cat "$dest/etc/sensing-gateway/log.pub")
loads() {
    local name=$1 config=$2 storage=$3 prefix
    case "$storage" in sqlite) prefix=/ ;; *) prefix=postgres:// ;; esac
    sed -e "s|password_file: [^,}]*|password_file: $work/pg-password|" -e "s|host: [a-z.]*\.local|host: 127.0.0.1|" \
        -e "s|host: postgres,|host: 127.0.0.1,|" -e "s|port: 5432|port: 1|" -e "s|@GATEWAY_ORIGIN@|${verifier%%+*}|" \
        -e "s|@VERIFIER_KEY@|$verifier|" -e "s|sqlite: /var/lib/cloud-sync/|sqlite: $work/|" \
        -e "s|port: 8443|port: 0|" "$config" > "$work/$name.yaml"
    timeout 20 "$cloud_sync" serve --config "$work/$name.yaml" >"$work/$name.log" 2>&1 &
    local pid=$! rc=0
    for _ in $(seq 100); do grep -q " starting" "$work/$name.log" 2>/dev/null && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" || rc=$?
    if [ "$rc" -ne 64 ] && grep -q " starting" "$work/$name.log" && grep -q "storage=$prefix" "$work/$name.log"; then
        ok "cloud-sync loads $name ($storage storage)"
    else fail "cloud-sync rejects $name (exit $rc): $(tail -2 "$work/$name.log")"; fi
}
echo "not-a-real-password" > "$work/pg-password"
loads "the image's cloud-sync.yaml" "$root/Deploy/docker/cloud-sync.yaml" sqlite
loads "the systemd install's cloud-sync.yaml" "$root/Deploy/cloud-sync.yaml" sqlite
loads "compose's cloud-sync.yaml.in" "$root/Deploy/compose/cloud-sync.yaml.in" postgres
python3 -c 'import sys, yaml
print(yaml.safe_load(open(sys.argv[1]))["data"]["cloud-sync.yaml"])' "$root/Deploy/kubernetes/configmap.yaml" > "$work/k8s-config.yaml"
loads "the Kubernetes ConfigMap's cloud-sync.yaml" "$work/k8s-config.yaml" postgres
# compose's init job, run here as in its container: every path compose mounts into it is moved
# under $work (read from compose.yaml), the installed gateway is the image's. Twice: the second
# run must keep key and password. Root only (it hands the key to uid 10001).
if [ "$(id -u)" -eq 0 ]; then
    mkdir -p "$work/init/bin" && ln -s "$installed" "$work/init/bin/gateway"
    python3 - "$root/Deploy/compose" "$work/init" > "$work/init/rewrite.sed" <<'PY'
import os, sys, yaml
here, base = sys.argv[1], sys.argv[2]
for volume in yaml.safe_load(open(os.path.join(here, "compose.yaml")))["services"]["init"]["volumes"]:
    source, target = volume.split(":")[:2]
    moved = os.path.join(base, "mnt" + target)
    if source.startswith("./"):
        os.makedirs(os.path.dirname(moved), exist_ok=True)
        os.symlink(os.path.join(here, source[2:]), moved)
    else:
        os.makedirs(moved)
    print(f"s|{target}|{moved}|g")
PY
    sed -f "$work/init/rewrite.sed" "$root/Deploy/compose/init.sh" > "$work/init/init.sh"
    init_run() { PATH="$work/init/bin:$PATH" GATEWAY_ORIGIN=compose.test/gw sh "$work/init/init.sh" >"$work/init/$1.log" 2>&1; }
    mnt=$work/init/mnt
    init_run first || fail "compose init.sh failed: $(tail -3 "$work/init/first.log")"
    state=$(cat "$mnt/etc/sensing-gateway/keys/log.key" "$mnt/run/db-secret/password" | sha256sum)
    init_run second || fail "compose init.sh failed the second time: $(tail -3 "$work/init/second.log")"
    expect "compose init: key 0600 owned by the image's uid 10001" test "$(stat -c '%a %u' "$mnt/etc/sensing-gateway/keys/log.key")" = "600 10001"
    expect "compose init: a 48-hex-digit PostgreSQL password" grep -qxE '[0-9a-f]{48}' "$mnt/run/db-secret/password"
    expect "compose init: a second start keeps key and password" bash -c \
        "test '$state' = \"\$(cat '$mnt/etc/sensing-gateway/keys/log.key' '$mnt/run/db-secret/password' | sha256sum)\" && ! grep -q made '$work/init/second.log'"
    expect "compose init: prints no secret" bash -c \
        "! grep -qF -e \"\$(cat '$mnt/run/db-secret/password')\" -e PRIVATE+KEY '$work/init/first.log' '$work/init/second.log'"
    expect "compose init: cloud-sync enrols the key's verifier key" grep -qF \
        "verifier_key: \"$("$installed" keys show --key "$mnt/etc/sensing-gateway/keys/log.key")\"" "$mnt/run/cloud-sync-config/cloud-sync.yaml"
    loads "the cloud-sync.yaml compose's init writes" "$mnt/run/cloud-sync-config/cloud-sync.yaml" postgres
else
    echo "skip compose init (needs root to chown the key)"
fi
printf 'listen: {host: 127.0.0.1, prot: 1}\nstorage: {sqlite: %s/x.sqlite}\n' "$work" > "$work/typo.yaml"
"$cloud_sync" serve --config "$work/typo.yaml" >/dev/null 2>&1 && rc=0 || rc=$?
expect "a config with an unknown key is rejected (exit $rc), so the loads above mean something" test "$rc" -eq 64

# --- 4. Dockerfiles, compose, Kubernetes -------------------------------------------------------
python3 "$root/Tools/deploy-check.py" "$root" "$toolchain_lib" "$gateway" "$cloud_sync" || fails=$((fails + 1))
if command -v kubectl >/dev/null; then
    expect "kubectl kustomize Deploy/kubernetes renders" bash -c "kubectl kustomize '$root/Deploy/kubernetes' >/dev/null"
fi

if [ "$fails" -gt 0 ]; then echo "deploy check: $fails failure(s)"; exit 1; fi
echo "deploy check: ok"
