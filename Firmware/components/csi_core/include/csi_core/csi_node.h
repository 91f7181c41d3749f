/*
 * The capture side of one sensing node (one device id): rate limit, sequence numbers, ring
 * buffer and counters. The WiFi callback is its only producer:
 *
 *     csi_capture_t *slot = csi_node_begin(&node, rx_ctrl->timestamp);
 *     if (slot) { fill it (csi_node_copy_buf for the bytes); csi_node_commit(&node); }
 *
 * A sequence number is used by every frame that passed the rate limiter, so a frame lost later
 * (ring full, oversize, bad layout, too large, send failure) shows as a gap to the gateway,
 * while frames the node chose to skip (rate limit) do not.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "csi_core/csi_capture.h"
#include "csi_core/csi_counters.h"
#include "csi_core/csi_err.h"
#include "csi_core/csi_rate.h"
#include "csi_core/csi_ring.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    csi_ring_t ring;
    csi_rate_t rate;
    csi_counters_t counters;
    uint32_t next_sequence;     /* producer-owned */
    csi_capture_t *reserved;    /* producer-owned: slot between begin and commit */
} csi_node_t;

csi_err_t csi_node_init(csi_node_t *node, csi_capture_t *slots, uint32_t capacity,
                        uint32_t rate_hz, uint32_t burst, uint32_t first_sequence);

/* Producer: a slot (sequence and timestamp set) to fill, or NULL (rate limited or ring full). */
csi_capture_t *csi_node_begin(csi_node_t *node, uint32_t timestamp_us);

/* Producer: copies the CSI bytes into the reserved slot; false (and the frame is dropped as
 * oversize, ending the reservation) when len exceeds a slot. */
bool csi_node_copy_buf(csi_node_t *node, const int8_t *buf, uint16_t len);

/* Producer: publishes the reserved slot to the consumer. */
void csi_node_commit(csi_node_t *node);

#ifdef __cplusplus
}
#endif
