#!/usr/bin/env python3
"""Times csiread (PyPI, Cython) on the same work as `ingest-bench formats`: read() a capture
and take np.abs of the CSI. Prints `CSIREAD-BENCH <file> <frames> <frames/s>` per file (median
of 5 runs), or `CSIREAD-BENCH <file> 0 0 <reason>` when csiread cannot read the file. ESP32 CSV
files that csiread's read() rejects are timed through its per-line parser (pmsg) instead.
Used by Benchmarks/formats.sh; csiread 1.4.1 and numpy are installed there into .venv-bench/.
"""
import statistics
import sys
import time

import csiread
import numpy as np

# Nexmon captures need the chip and bandwidth up front (csiread does not read them from the file).
NEXMON = {
    "example_4339.pcap": ("4339", 80),
    "example_43455c0.pcap": ("43455c0", 80),
    "example_4366c0.pcap": ("4366c0", 80),
    "example_bcm4358_80mhz.pcap": ("4358", 80),
    "rpi4_bcm43455c0_csi.pcap": ("43455c0", 20),
}


def per_line(path):
    """csiread's ESP32 read() rejects files with a header row, a 27th column or one bad line;
    its per-line parser (pmsg) reads them, so files like that are timed through it."""
    parser = csiread.ESP32(None, False)
    frames = 0
    with open(path) as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.startswith("CSI_DATA"):
                continue
            if not line.endswith("]"):
                line = line.rsplit(",", 1)[0]
            try:
                if parser.pmsg(line) != 0xF200:
                    continue
            except Exception:
                continue
            np.abs(parser.csi[0])
            frames += 1
    return frames


def once(path):
    name = path.rsplit("/", 1)[-1]
    if name.endswith(".pcap"):
        chip, bw = NEXMON[name]
        reader = csiread.Nexmon(path, chip=chip, bw=bw, if_report=False)
        reader.read()
    else:
        reader = csiread.ESP32(path, if_report=False)
        try:
            reader.read()
        except ValueError:
            return per_line(path)
    amplitudes = np.abs(reader.csi)
    return amplitudes.shape[0]


for path in sys.argv[1:]:
    try:
        frames = once(path)
        rates = []
        for _ in range(5):
            start = time.perf_counter()
            once(path)
            rates.append(frames / (time.perf_counter() - start))
        print(f"CSIREAD-BENCH {path} {frames} {statistics.median(rates):.0f}")
    except Exception as error:  # csiread rejects some real files (e.g. a truncated line)
        print(f"CSIREAD-BENCH {path} 0 0 {type(error).__name__}: {str(error)[:60]}")
