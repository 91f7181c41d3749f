#!/usr/bin/env bash
# Installs the Debian packages the gateway builds and tests against, only when one is missing
# (so `make test` stays fast on a machine that has them). Needs root on a fresh machine.
set -euo pipefail
packages=(pkg-config libpcap-dev libmosquitto-dev libsqlite3-dev zlib1g-dev curl openssl mosquitto socat postgresql python3 python3-venv
    # The ESP32 firmware's host checks (Tools/firmware-test.sh): build, protobuf-c, the RISC-V
    # cross-compile of csi_core (picolibc for its headers), cppcheck.
    cmake gcc libprotobuf-c-dev protobuf-c-compiler cppcheck gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
    # Tools/deploy-check.sh: systemd-analyze for the units, PyYAML for compose and Kubernetes files.
    systemd python3-yaml)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}" >&2
    if [ "$(id -u)" -ne 0 ]; then
        echo "error: missing packages ${missing[*]} and not root; run: sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! command -v swift >/dev/null; then
    if [ -x /opt/swift/usr/bin/swift ]; then
        echo "note: add /opt/swift/usr/bin to PATH" >&2
    else
        echo "error: Swift 6 toolchain not found; install it from swift.org (see README)" >&2
        exit 1
    fi
fi
# pymodbus, pinned, in a venv under the ignored .build-peers/: the Modbus tests' and benchmark's
# real peer (Tools/modbus-peer.py). Skipped when the venv already has this version.
pymodbus_version=3.16.1
venv="$(cd "$(dirname "$0")/.." && pwd)/.build-peers/venv"
if ! "$venv/bin/python" -c "import pymodbus, serial, sys; sys.exit(pymodbus.__version__ != '$pymodbus_version')" 2>/dev/null; then
    echo "installing pymodbus $pymodbus_version into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "pymodbus[serial]==$pymodbus_version"
fi
