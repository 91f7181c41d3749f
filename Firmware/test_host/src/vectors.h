/*
 * The cross-language vectors: known captures, each encoded by the C side into
 * vectors/c/<name>.bin, described in vectors/vectors.json, and encoded again by the Swift side
 * (swift-protobuf) into vectors/swift/<name>.bin. See Firmware/README.md.
 */
#pragma once

#include <stddef.h>

#include "csi_core/csi_capture.h"
#include "csi_core/csi_frame.h"

#define VECTOR_MAX_FRAMES 3

typedef struct {
    const char *name;
    const char *about;
    csi_chip_family_t chip;
    unsigned ltf_mask;
    /* 1: Envelope{csi}; more: Envelope{batch} of that many frames. */
    size_t n_frames;
    csi_capture_t captures[VECTOR_MAX_FRAMES];
} vector_t;

/* The vectors, built once (deterministic contents). */
const vector_t *vectors_all(size_t *count);

#define VECTOR_DEVICE_ID "esp32-vector"
