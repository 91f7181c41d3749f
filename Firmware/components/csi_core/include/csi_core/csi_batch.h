/*
 * Several frames in one Envelope{schema_version = 1, batch = FrameBatch}, kept under a byte
 * limit (the datagram payload). The encoded size of each frame is taken from
 * protobuf_c_message_get_packed_size before it is added, so the envelope never exceeds the
 * limit; the envelope's own bytes (tags and lengths) are added exactly.
 *
 * Frames are built in place into the batch's pending slot, then offered:
 *
 *     csi_frame_slot_t *slot = csi_batch_pending(&batch);
 *     csi_frame_build(slot, &capture, &options);
 *     switch (csi_batch_offer(&batch)) { ... CSI_ERR_BATCH_FULL: send, clear, offer again }
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csi_core/csi_err.h"
#include "csi_core/csi_frame.h"
#include "sensing/v1/sensing.pb-c.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CSI_BATCH_MAX_FRAMES 16
#define CSI_SCHEMA_VERSION 1
/* Payload that fits one Ethernet-sized datagram with room for IP/UDP headers and tunnels. */
#define CSI_DEFAULT_MTU 1400
/* Largest limit accepted (MQTT messages may exceed one datagram). */
#define CSI_MAX_MTU 4096

typedef struct {
    size_t mtu;
    size_t max_frames;
    size_t count;
    size_t body_bytes;            /* encoded FrameBatch so far */
    size_t pending;               /* index in slots of the slot the next frame is built into */
    bool used[CSI_BATCH_MAX_FRAMES + 1];
    csi_frame_slot_t slots[CSI_BATCH_MAX_FRAMES + 1];
    Sensing__V1__Frame *frames[CSI_BATCH_MAX_FRAMES];
    Sensing__V1__FrameBatch batch;
    Sensing__V1__Envelope envelope;
} csi_batch_t;

/* mtu: largest encoded envelope; max_frames: 1 .. CSI_BATCH_MAX_FRAMES. */
csi_err_t csi_batch_init(csi_batch_t *b, size_t mtu, size_t max_frames);

csi_frame_slot_t *csi_batch_pending(csi_batch_t *b);

/*
 * Adds the pending frame: CSI_OK; CSI_ERR_BATCH_FULL when it does not fit beside the frames
 * already there (send and clear, then offer again); CSI_ERR_TOO_LARGE when it would not fit even
 * alone (the pending slot is reused for the next frame).
 */
csi_err_t csi_batch_offer(csi_batch_t *b);

size_t csi_batch_count(const csi_batch_t *b);

/* Exact encoded size of the envelope as it stands. */
size_t csi_batch_encoded_size(const csi_batch_t *b);

/* Packs the envelope into out; returns its length, or 0 when empty or cap is too small. */
size_t csi_batch_encode(csi_batch_t *b, uint8_t *out, size_t cap);

/* Drops the batched frames (after a send); the pending frame, if built, stays pending. */
void csi_batch_clear(csi_batch_t *b);

/* Encoded length of a protobuf varint. */
size_t csi_varint_size(uint64_t value);

#ifdef __cplusplus
}
#endif
