#!/usr/bin/env bash
# Builds the benchmarks in release mode and runs them; prints ratios against baselines measured
# in the same process. Extra arguments go to ingest-bench (--devices, --seconds, --rate, --rounds);
# cloud-sync-bench runs with its defaults (Benchmarks/CloudSyncBench/main.swift).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product ingest-bench
"$(swift build -c release --show-bin-path)/ingest-bench" "$@"
swift build -c release --product cloud-sync-bench
"$(swift build -c release --show-bin-path)/cloud-sync-bench"
