#!/usr/bin/env bash
# The ESP32 firmware's checks that run without ESP-IDF (part of `make test`):
#   1. host build of csi_core + proto + tests (CMake, gcc; csi_core with -Wall -Wextra -Werror
#      -pedantic -Wconversion -Wshadow) and ctest: ring buffer under threads, sequence and drop
#      accounting, every buffer layout, batching limits, cross-language vectors, UDP loopback,
#      generated code freshness;
#   2. csi_core (and the generated protobuf-c code) cross-compiled freestanding for RISC-V
#      rv32imc (ESP32-C3 class), checking it needs no atomic read-modify-write helpers;
#   3. cppcheck on all firmware C except the generated protobuf-c code.
# Build output goes under .build-firmware/ (ignored). FIRMWARE_VECTORS_UPDATE=1 rewrites the
# C vectors (see Firmware/README.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fw="$root/Firmware"
out="$root/.build-firmware"
jobs=$(nproc 2>/dev/null || echo 2)
step() { printf '\n== %s\n' "$*"; }

step "host build"
start=$(date +%s)
nice -n 10 cmake -S "$fw/test_host" -B "$out/host" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
nice -n 10 cmake --build "$out/host" -j "$jobs" -- --no-print-directory >/dev/null
echo "built in $(( $(date +%s) - start )) s"

step "host tests (ctest)"
ctest --test-dir "$out/host" --output-on-failure

step "RISC-V cross-compile (rv32imc, freestanding)"
picolibc=/usr/lib/picolibc/riscv64-unknown-elf/include
stage="$out/riscv/include/protobuf-c"
mkdir -p "$stage" "$out/riscv/obj"
# Only protobuf-c's header from the host's include tree, so nothing else of glibc leaks in.
cp /usr/include/protobuf-c/protobuf-c.h "$stage/"
cc=(riscv64-unknown-elf-gcc -march=rv32imc -mabi=ilp32 -ffreestanding -std=c11 -Os
    -isystem "$picolibc" -isystem "$out/riscv/include"
    -I "$fw/components/csi_core/include" -I "$fw/components/proto")
for src in "$fw"/components/csi_core/src/*.c; do
    "${cc[@]}" -Wall -Wextra -Werror -pedantic -c "$src" -o "$out/riscv/obj/$(basename "$src" .c).o"
done
"${cc[@]}" -Wall -Wno-missing-braces -c "$fw/components/proto/sensing/v1/sensing.pb-c.c" -o "$out/riscv/obj/sensing.pb-c.o"
if riscv64-unknown-elf-nm -u "$out"/riscv/obj/*.o | grep -q '__atomic_'; then
    echo "csi_core calls libatomic helpers; the ESP32-C3 has no atomic instructions" >&2
    riscv64-unknown-elf-nm -u "$out"/riscv/obj/*.o | grep '__atomic_' >&2
    exit 1
fi
riscv64-unknown-elf-size -t "$out"/riscv/obj/*.o | tail -1 | awk '{print "csi_core + proto for rv32imc: " $1 " bytes text, " $2 " data, " $3 " bss"}'

step "cppcheck"
# components/proto is protoc-c's output, regenerated rather than edited: not checked.
cppcheck --error-exitcode=1 --enable=warning,style,performance,portability --std=c11 --inline-suppr --quiet \
    --suppress=missingIncludeSystem \
    -I "$fw/components/csi_core/include" -I "$fw/components/proto" \
    -I "$fw/components/capture/include" -I "$fw/components/uplink/include" \
    "$fw/components/csi_core" "$fw/components/capture" "$fw/components/uplink" "$fw/main" "$fw/test_host/src"
echo "cppcheck: clean"
