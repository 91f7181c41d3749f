/*
 * The sending side of a node: drains the ring, builds frames, batches them under the MTU and
 * hands each encoded envelope to a transport callback. Runs in one task (the uplink task on the
 * ESP32, a thread or loop on the host).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csi_core/csi_batch.h"
#include "csi_core/csi_err.h"
#include "csi_core/csi_frame.h"
#include "csi_core/csi_node.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sends one datagram; returns CSI_OK when the transport took it. */
typedef csi_err_t (*csi_send_fn)(void *ctx, const uint8_t *data, size_t len);

typedef struct {
    csi_node_t *node;
    csi_frame_options_t options;
    csi_send_fn send;
    void *send_ctx;
    uint64_t linger_us;          /* longest a partial batch waits for more frames */
    uint64_t first_frame_at_us;  /* consumer clock when the batch got its first frame */
    bool sent_any;
    uint32_t first_sequence_sent; /* sequence numbers of the first and latest frame delivered */
    uint32_t last_sequence_sent;
    csi_batch_t batch;
    uint8_t out[CSI_MAX_MTU];
} csi_pipeline_t;

csi_err_t csi_pipeline_init(csi_pipeline_t *p, csi_node_t *node, const csi_frame_options_t *options,
                            size_t mtu, size_t max_frames, uint64_t linger_us,
                            csi_send_fn send, void *send_ctx);

/*
 * Processes up to max_captures committed captures (0: all there are), sending each batch as it
 * fills, then sends a partial batch that has waited linger_us or more (now_us: the consumer's
 * clock). Returns the number of captures taken from the ring.
 */
uint32_t csi_pipeline_poll(csi_pipeline_t *p, uint64_t now_us, uint32_t max_captures);

/* Sends whatever is batched now. */
csi_err_t csi_pipeline_flush(csi_pipeline_t *p);

#ifdef __cplusplus
}
#endif
