#!/usr/bin/env bash
# Regenerates the committed protobuf code from Protos/:
#   - Swift (swift-protobuf) into Sources/SensingProto/
#   - a stamp file Sources/SensingProto/GENERATED.sha256 that the SensingProto tests check,
#     so committed code can never be stale against Protos/ without a failing test.
#   - C (protobuf-c) into Firmware/components/proto/, for the ESP32 firmware, with its own stamp
#     Firmware/components/proto/GENERATED.sha256 that the firmware host tests check.
# Needs Debian's protobuf-compiler and protobuf-c-compiler (installed here if missing). protoc-gen-swift is built from
# the swift-protobuf package at the version Package.swift names, in a cache folder outside the
# repo's build (building the plugin takes minutes; nothing else needs it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
SWIFT_PROTOBUF_VERSION=1.39.0
cache=${PROTOC_GEN_CACHE:-$root/.build-protoc}

if ! command -v protoc >/dev/null; then
    apt-get update -qq && apt-get install -y -qq protobuf-compiler
fi
if ! command -v protoc-c >/dev/null; then
    apt-get update -qq && apt-get install -y -qq protobuf-c-compiler
fi
plugin="$cache/swift-protobuf/.build/release/protoc-gen-swift"
if [ ! -x "$plugin" ]; then
    mkdir -p "$cache"
    if [ ! -d "$cache/swift-protobuf" ]; then
        git -c advice.detachedHead=false clone -q --branch "$SWIFT_PROTOBUF_VERSION" \
            https://github.com/apple/swift-protobuf.git "$cache/swift-protobuf"
    fi
    echo "building protoc-gen-swift $SWIFT_PROTOBUF_VERSION (one time, several minutes)..." >&2
    swift build -c release --product protoc-gen-swift --package-path "$cache/swift-protobuf" >&2
fi

protos=$(cd Protos && find . -name '*.proto' | sed 's|^\./||' | sort)
out=Sources/SensingProto
rm -f "$out"/*.pb.swift
# shellcheck disable=SC2086
protoc --plugin=protoc-gen-swift="$plugin" -IProtos \
    --swift_out="$out" --swift_opt=Visibility=Public --swift_opt=FileNaming=PathToUnderscores \
    $protos

# The stamp: one line per schema file and per generated file, sha256sum's format.
{
    for p in $protos; do (cd Protos && sha256sum "$p" | sed 's|  |  Protos/|'); done
    (cd "$out" && sha256sum *.pb.swift | sed "s|  |  $out/|")
} > "$out/GENERATED.sha256"
echo "generated: $(ls "$out"/*.pb.swift | tr '\n' ' ')"

# C for the firmware: protoc-c keeps the package path (sensing/v1/sensing.pb-c.{c,h}), so the
# component's include directory is its root and the generated .c includes "sensing/v1/...".
c_out=Firmware/components/proto
find "$c_out" -name '*.pb-c.[ch]' -delete
# shellcheck disable=SC2086
protoc-c -IProtos --c_out="$c_out" $protos
c_files=$(cd "$c_out" && find . -name '*.pb-c.[ch]' | sed 's|^\./||' | sort)
{
    for p in $protos; do (cd Protos && sha256sum "$p" | sed 's|  |  Protos/|'); done
    # shellcheck disable=SC2086
    (cd "$c_out" && sha256sum $c_files | sed "s|  |  $c_out/|")
} > "$c_out/GENERATED.sha256"
echo "generated: $(echo $c_files | sed "s|[^ ]*|$c_out/&|g")"
