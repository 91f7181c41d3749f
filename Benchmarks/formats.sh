#!/usr/bin/env bash
# Parsing + amplitude extraction of the real captures in ../shared/data/csi, ours against
# csiread (PyPI, Cython), side by side; prints frames/s for both and the ratio ours / csiread.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${CSI_DATA:-../shared/data/csi}
venv=.venv-bench
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q csiread==1.4.1 numpy
fi
swift build -c release --product ingest-bench >/dev/null
bin="$(swift build -c release --show-bin-path)/ingest-bench"
files=$(cd "$data" && ls esp32-csi-tool/*.csv csikit/esp32/*.csv wisensing-esp32/*.csv csikit/nexmon/*.pcap nexmon_csi/*.pcap csi-sec-course/*.pcap | sed "s|^|$data/|")
ours=$("$bin" formats $files)
theirs=$("$venv/bin/python" Tools/bench-csiread.py $files)
printf "%-48s %8s %14s %14s %8s\n" file frames "ours fr/s" "csiread fr/s" ratio
for f in $files; do
    o=$(echo "$ours" | awk -v f="$f" '$2 == f {print $3, $4}')
    t=$(echo "$theirs" | awk -v f="$f" '$2 == f {print $3, $4, $5, $6, $7}')
    read -r of orate <<< "$o"
    read -r tf trate treason <<< "$t"
    if [ "${trate:-0}" = "0" ]; then ratio="n/a (csiread: ${treason:-failed})"; else ratio=$(awk -v a="$orate" -v b="$trate" 'BEGIN {printf "%.2fx", a / b}'); fi
    printf "%-48s %8s %14s %14s %s\n" "${f#$data/}" "$of" "$orate" "${trate:-0}" "$ratio"
done
