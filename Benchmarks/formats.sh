#!/usr/bin/env bash
# Parsing + amplitude extraction of the real captures in ../shared/data/csi, ours against
# csiread (PyPI, Cython), side by side. This machine's speed drifts by 2x within a minute, so
# the two run alternately, ROUNDS times (each run is itself the median of 5 passes per file),
# and the table shows the median of each column and the median of the per-round ratios
# (ours / csiread frames per second).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${CSI_DATA:-../shared/data/csi}
rounds=${ROUNDS:-3}
venv=.venv-bench
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q csiread==1.4.1 numpy
fi
swift build -c release --product ingest-bench >/dev/null
bin="$(swift build -c release --show-bin-path)/ingest-bench"
files=$(cd "$data" && ls esp32-csi-tool/*.csv csikit/esp32/*.csv wisensing-esp32/*.csv csikit/nexmon/*.pcap nexmon_csi/*.pcap csi-sec-course/*.pcap | sed "s|^|$data/|")
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for round in $(seq "$rounds"); do
    echo "round $round of $rounds ..." >&2
    "$bin" formats $files | sed "s/^/$round /" >> "$results"
    "$venv/bin/python" Tools/bench-csiread.py $files | sed "s/^/$round /" >> "$results"
done
# Lines: ROUND FORMAT-BENCH|CSIREAD-BENCH FILE FRAMES RATE [REASON...]
awk -v data="$data/" '
function median(list, n,   sorted, i, j, t) {
    for (i = 1; i <= n; i++) sorted[i] = list[i]
    for (i = 2; i <= n; i++) for (j = i; j > 1 && sorted[j-1] > sorted[j]; j--) { t = sorted[j]; sorted[j] = sorted[j-1]; sorted[j-1] = t }
    return sorted[int((n + 1) / 2)]
}
$2 == "FORMAT-BENCH" { ours[$3, $1] = $5; frames[$3] = $4; if (!($3 in seen)) { seen[$3] = 1; order[++count] = $3 } }
$2 == "CSIREAD-BENCH" { theirs[$3, $1] = $5; if ($5 == 0) { reason[$3] = ""; for (i = 6; i <= NF; i++) reason[$3] = reason[$3] " " $i } }
{ if ($1 > rounds) rounds = $1 }
END {
    printf "%-48s %8s %12s %12s %8s\n", "file", "frames", "ours fr/s", "csiread fr/s", "ratio"
    for (k = 1; k <= count; k++) {
        f = order[k]; n = 0
        for (r = 1; r <= rounds; r++) { a[r] = ours[f, r]; b[r] = theirs[f, r]; if (theirs[f, r] > 0) q[++n] = ours[f, r] / theirs[f, r] }
        name = substr(f, length(data) + 1)
        if (n == 0) printf "%-48s %8s %12.0f %12s %s\n", name, frames[f], median(a, rounds), 0, "n/a (csiread:" reason[f] ")"
        else printf "%-48s %8s %12.0f %12.0f %7.2fx\n", name, frames[f], median(a, rounds), median(b, rounds), median(q, n)
    }
}' "$results"
