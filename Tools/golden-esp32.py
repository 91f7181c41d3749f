#!/usr/bin/env python3
"""Golden values for the ESP32 CSV and ESPectre npz readers (Tests/IngestTests/ESP32*, NPZ*).

For each real capture under ../shared/data/csi/ it records the frame count and, for frames 0, 1
and the last, the MAC (or device), RSSI, subcarrier count and the first 8 amplitudes |real + j*imag|
(pairs are printed imaginary first). Output: Tests/IngestTests/Fixtures/esp32/golden.json.

Tools, pinned:
  - csiread 1.4.1 (PyPI), `csiread.ESP32(None, False).pmsg(line)` per line, for the
    ESP32-CSI-Tool files. A line pmsg rejects (raises) is counted as malformed.
  - numpy (PyPI; the version is written into the JSON) for the .npz files.
  - A plain-Python parser (csv module + json) for the esp-csi esp_csi_tool.py log, which csiread
    cannot read (30 columns, quoted comma list).

Set up and run (from the repository root):
  python3 -m venv /tmp/venv-golden
  /tmp/venv-golden/bin/pip install csiread==1.4.1 numpy==2.4.6
  /tmp/venv-golden/bin/python Tools/golden-esp32.py
"""
import csv
import glob
import json
import math
import os
import platform
import sys

import csiread
import numpy as np

CSIREAD_VERSION = "1.4.1"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.normpath(os.path.join(ROOT, "..", "shared", "data", "csi"))
OUT = os.path.join(ROOT, "Tests", "IngestTests", "Fixtures", "esp32", "golden.json")

CSI_TOOL_FILES = [
    "esp32-csi-tool/example_csi.csv",
    "csikit/esp32/example_data.csv",
    "csikit/esp32/example_100hz_pitraffic.csv",
    "csikit/esp32/example_fast_100hz_pitraffic.csv",
    "csikit/esp32/example_fast2_100hz_pitraffic.csv",
    "wisensing-esp32/person_200cm_1.csv",
]
ESP_CSI_TOOL_FILES = ["csi-sec-course/esp_csi_tool_csi_data.csv"]


def amplitudes(pairs_imag_real):
    return [round(math.hypot(re, im), 6) for im, re in pairs_imag_real[:8]]


def sample(index, mac, rssi, subcarriers, amps, **extra):
    entry = {"index": index, "mac": mac, "rssi": rssi, "subcarriers": subcarriers, "amplitudes": amps}
    entry.update(extra)
    return entry


def csiread_file(rel):
    """ESP32-CSI-Tool CSV through csiread's per-line parser."""
    frames, malformed = [], []
    with open(os.path.join(DATA, rel)) as f:
        for number, line in enumerate(f, start=1):
            line = line.rstrip("\r\n")
            if not line.startswith("CSI_DATA"):
                continue
            if not line.endswith("]"):
                # 27th column (host time, wisensing): csiread expects the list last; cut it off.
                line = line.rsplit(",", 1)[0]
            parser = csiread.ESP32(None, False)
            try:
                code = parser.pmsg(line)
            except Exception:  # csiread raises on odd value counts (numpy broadcast error)
                malformed.append(number)
                continue
            if code != 0xF200:
                malformed.append(number)
                continue
            csi = parser.csi[0]
            frames.append((parser.mac[0].lower(), int(parser.rssi[0]), [(c.imag, c.real) for c in csi]))
    picks = [0, 1, len(frames) - 1]
    return {
        "file": rel,
        "tool": "csiread",
        "tool_version": csiread.__version__ if hasattr(csiread, "__version__") else CSIREAD_VERSION,
        "note": "csiread.ESP32.pmsg per CSI_DATA line; lines it rejects are counted as malformed"
        + ("; the 27th (host time) column was cut off before pmsg" if "wisensing" in rel else ""),
        "frames": len(frames),
        "malformed_lines": malformed,
        "samples": [sample(i, frames[i][0], frames[i][1], len(frames[i][2]), amplitudes(frames[i][2])) for i in picks],
    }


def esp_csi_tool_file(rel):
    """esp-csi esp_csi_tool.py log (30 columns) with a plain-Python parser."""
    frames, malformed = [], []
    with open(os.path.join(DATA, rel), newline="") as f:
        for number, row in enumerate(csv.reader(f), start=1):
            if not row or row[0] != "CSI_DATA":
                continue
            values = json.loads(row[29]) if len(row) == 30 else None
            if not values or len(values) % 2:
                malformed.append(number)
                continue
            pairs = [(values[2 * k], values[2 * k + 1]) for k in range(len(values) // 2)]
            frames.append((row[5].lower(), int(row[6]), pairs, int(row[1]), row[2]))
    picks = [0, 1, len(frames) - 1]
    return {
        "file": rel,
        "tool": "plain-python (csv + json)",
        "tool_version": platform.python_version(),
        "note": "csiread 1.4.1 cannot read esp-csi esp_csi_tool.py logs (30 columns, quoted comma list); "
        "values computed by this script's own parser. Printed pairs are 52 (valid LLTF); the reader "
        "expands them to 64 bins (bins 26...37 zero), so bins 0...7 equal printed pairs 0...7",
        "frames": len(frames),
        "malformed_lines": malformed,
        "samples": [
            sample(i, frames[i][0], frames[i][1], len(frames[i][2]), amplitudes(frames[i][2]),
                   seq=frames[i][3], host_time=frames[i][4])
            for i in picks
        ],
    }


def npz_file(rel):
    data = np.load(os.path.join(DATA, rel))
    csi = data["csi_data"]
    n = csi.shape[0]
    device = "espectre-" + str(data["chip"])

    def amps(i):
        row = csi[i].astype(np.int64)
        return [round(math.hypot(int(row[2 * k + 1]), int(row[2 * k])), 6) for k in range(8)]

    return {
        "file": rel,
        "tool": "numpy",
        "tool_version": np.__version__,
        "note": "np.load; csi_data int8[N,128] = 64 x (imag, real)",
        "frames": int(n),
        "malformed_lines": [],
        "chip": str(data["chip"]),
        "label": str(data["label"]),
        "duration_ms": float(data["duration_ms"]),
        "collected_at": str(data["collected_at"]),
        "samples": [sample(i, device, None, int(csi.shape[1] // 2), amps(i)) for i in [0, 1, n - 1]],
    }


def main():
    if not os.path.isdir(DATA):
        sys.exit(f"{DATA} is missing; the real captures live in shared/data/csi next to the repository")
    entries = [csiread_file(rel) for rel in CSI_TOOL_FILES]
    entries += [esp_csi_tool_file(rel) for rel in ESP_CSI_TOOL_FILES]
    npz = sorted(os.path.relpath(p, DATA) for p in glob.glob(os.path.join(DATA, "espectre", "*", "*.npz")))
    entries += [npz_file(rel) for rel in npz]
    golden = {
        "generator": "Tools/golden-esp32.py",
        "csiread": CSIREAD_VERSION,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "amplitude": "hypot(real, imag) of the first 8 printed pairs (imag, real), rounded to 6 decimals",
        "entries": entries,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(entries)} files")


if __name__ == "__main__":
    main()
