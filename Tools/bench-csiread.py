#!/usr/bin/env python3
"""Times csiread (PyPI, Cython) on the same work as `ingest-bench formats`: read() a capture
and take np.abs of the CSI. Prints `CSIREAD-BENCH <file> <frames> <frames/s>` per file (median
of 5 runs), or `CSIREAD-BENCH <file> 0 0 <reason>` when csiread cannot read the file.
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


def once(path):
    name = path.rsplit("/", 1)[-1]
    if name.endswith(".pcap"):
        chip, bw = NEXMON[name]
        reader = csiread.Nexmon(path, chip=chip, bw=bw, if_report=False)
    else:
        reader = csiread.ESP32(path, if_report=False)
    reader.read()
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
