#!/usr/bin/env bash
# SHDR parse rate in release mode, without building the package: compiles the parser's files
# (standard library only) with Benchmarks/ShdrParseBench/main.swift and runs the loop.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${TMPDIR:-/tmp}/shdr-parse-bench"
swiftc -O -module-name ShdrParseBench -o "$out" \
    Sources/Chronos/ShdrItemKind.swift Sources/Chronos/ShdrLine.swift Sources/Chronos/ShdrTimestamp.swift \
    Sources/Chronos/ShdrFieldScanner.swift Sources/Chronos/ShdrLineParser.swift Benchmarks/ShdrParseBench/main.swift -lm
"$out"
