#!/usr/bin/env python3
"""Golden fixtures for the Nexmon CSI decoder (Tests/IngestTests/Fixtures/nexmon/*.json).

Values come from third-party decoders, not from our code:
  * nexcsi  (CSI values, frame counts)   pinned below
  * CSIKit  (header fields as a second opinion: MAC, sequence, core, stream, chanspec, chip)

Setup (once):
    python3 -m venv /tmp/nexvenv
    /tmp/nexvenv/bin/pip install nexcsi==0.5.2 CSIKit==2.5 numpy==1.26.4
Run from the repository root:
    /tmp/nexvenv/bin/python Tools/golden-nexmon.py [../shared/data/csi]

Conventions the fixtures use (the gateway's, documented per file in "transform"):
  * values are in FFT order (nexcsi unpack(..., fftshift=False)), as (real, imag) pairs;
  * bcm4339 (pre-2020 firmware) sends Q before I, so the pair nexcsi reads as (re, im) is
    recorded swapped;
  * packed-float chips: nexcsi computes m * 2^(e_low + 10) from the low (nexp-1) exponent bits,
    which for the negative exponents in these files equals m * 2^(e + 2^(nexp-1) + 10).
    The gateway keeps the hardware value m * 2^e, so nexcsi's value is divided by
    2^(2^(nexp-1) + 10); the script asserts that every exponent is negative.
"""
import json
import os
import struct
import sys
from importlib.metadata import version

import numpy as np
from nexcsi import decoder
from CSIKit.reader.readers.read_pcap import PcapFrame

NEXCSI_VERSION = "0.5.2"
CSIKIT_VERSION = "2.5"

FILES = [
    # (path under data/csi, nexcsi device, fixture name, packed-float (nman, nexp) or None, swap I/Q)
    ("csikit/nexmon/example_4339.pcap", "bcm4339", "example_4339", None, True),
    ("csikit/nexmon/example_43455c0.pcap", "bcm43455c0", "example_43455c0", None, False),
    ("csikit/nexmon/example_4366c0.pcap", "bcm4366c0", "example_4366c0", (12, 6), False),
    ("nexmon_csi/example_bcm4358_80mhz.pcap", "bcm4358", "example_bcm4358_80mhz", (9, 5), False),
    ("csi-sec-course/rpi4_bcm43455c0_csi.pcap", "bcm43455c0", "rpi4_bcm43455c0_csi", None, False),
]


def raw_packets(path):
    """(ts_sec, ts_usec, packet bytes) of a little-endian microsecond pcap."""
    data = open(path, "rb").read()
    assert struct.unpack("<I", data[:4])[0] == 0xA1B2C3D4, "expects little-endian pcap"
    offset, out = 24, []
    while offset + 16 <= len(data):
        sec, usec, incl, _ = struct.unpack("<IIII", data[offset:offset + 16])
        out.append((sec, usec, data[offset + 16:offset + 16 + incl]))
        offset += 16 + incl
    return out


def check_exponents(packets, nsub, nexp):
    mask = (1 << nexp) - 1
    for _, _, pkt in packets:
        words = np.frombuffer(pkt[60:60 + 4 * nsub], dtype="<u4")
        e = (words & mask).astype(np.int64)
        assert np.all(e >= (1 << (nexp - 1))), "a non-negative exponent: nexcsi's scale would not be constant"


def frame_entry(index, sample, values, packet):
    header = PcapFrame.read_payloadHeader(packet[2][42:64])  # CSIKit's header parser
    seq = int(sample["seq"])
    css = int(sample["css"])
    entry = {
        "index": index,
        "timestamp_us": int(sample["ts_sec"]) * 1_000_000 + int(sample["ts_usec"]),
        "mac": header["source_mac"].lower(),
        "sequence_control": seq,
        "sequence_number": seq >> 4,
        "core": css & 7,
        "spatial_stream": (css >> 3) & 7,
        "chanspec": int(sample["csp"]),
        "chip": int(sample["cvr"]),
        "rssi": int(sample["rssi"]),
        "first8": [[float(v.real), float(v.imag)] for v in values[:8]],
    }
    assert entry["core"] == header["core"] and entry["spatial_stream"] == header["spatial_stream"]
    assert entry["sequence_control"] == header["sequence_no"]
    return entry


def golden(root, rel, device, name, packed, swap):
    path = os.path.join(root, rel)
    packets = raw_packets(path)
    reader = decoder(device)
    samples = reader.read_pcap(path)
    csi = np.asarray(reader.unpack(samples["csi"], fftshift=False))
    nsub = csi.shape[1]
    transform = "nexcsi unpack(fftshift=False) as (real, imag)"
    if packed:
        nman, nexp = packed
        check_exponents(packets, nsub, nexp)
        csi = csi / float(2 ** ((1 << (nexp - 1)) + 10))
        transform += f"; divided by 2^{(1 << (nexp - 1)) + 10} to give m*2^e (all exponents negative)"
    if swap:
        csi = csi.imag + 1j * csi.real
        transform += "; I/Q swapped (bcm4339 sends Q first)"
    assert len(samples) == len(packets), "every packet of these files is Nexmon CSI"
    legacy = packets[0][2][42:46] == b"\x11\x11\x11\x11"
    frames = []
    for index in sorted({0, 1, len(samples) - 1}):
        entry = frame_entry(index, samples[index], csi[index], packets[index])
        if legacy:
            entry["rssi"] = 0
        frames.append(entry)
    return {
        "file": rel,
        "tool": f"nexcsi {version('nexcsi')} (values, counts) + CSIKit {version('CSIKit')} (header check)",
        "transform": transform,
        "legacy_header": legacy,
        "subcarriers": nsub,
        "frame_count": len(samples),
        "padded_frames": sum(1 for _, _, p in packets if len(p) - 60 > 4 * nsub),
        "frames": frames,
    }


def main():
    assert version("nexcsi") == NEXCSI_VERSION and version("CSIKit") == CSIKIT_VERSION, "install the pinned versions"
    root = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/csi"
    out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "IngestTests", "Fixtures", "nexmon")
    os.makedirs(out_dir, exist_ok=True)
    for rel, device, name, packed, swap in FILES:
        result = golden(root, rel, device, name, packed, swap)
        with open(os.path.join(out_dir, name + ".json"), "w") as f:
            json.dump(result, f, indent=1)
            f.write("\n")
        print(f"{name}: {result['frame_count']} frames, {result['subcarriers']} subcarriers")


if __name__ == "__main__":
    main()
