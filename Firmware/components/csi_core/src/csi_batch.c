#include <string.h>

#include "csi_core/csi_batch.h"

size_t csi_varint_size(uint64_t value)
{
    size_t n = 1;
    while (value >= 0x80) {
        value >>= 7;
        n++;
    }
    return n;
}

/* Envelope{schema_version (field 1), batch (field 4, length-delimited) = body}. */
static size_t envelope_size(size_t body_bytes)
{
    return 1 + csi_varint_size(CSI_SCHEMA_VERSION) + 1 + csi_varint_size(body_bytes) + body_bytes;
}

static void pick_pending(csi_batch_t *b)
{
    for (size_t i = 0; i <= b->max_frames; i++) {
        if (!b->used[i]) {
            b->pending = i;
            return;
        }
    }
}

csi_err_t csi_batch_init(csi_batch_t *b, size_t mtu, size_t max_frames)
{
    if (b == NULL || max_frames == 0 || max_frames > CSI_BATCH_MAX_FRAMES || mtu > CSI_MAX_MTU ||
            mtu < envelope_size(0)) {
        return CSI_ERR_INVALID_ARG;
    }
    memset(b->used, 0, sizeof(b->used));
    b->mtu = mtu;
    b->max_frames = max_frames;
    b->count = 0;
    b->body_bytes = 0;
    b->pending = 0;
    sensing__v1__frame_batch__init(&b->batch);
    b->batch.frames = b->frames;
    b->batch.n_frames = 0;
    sensing__v1__envelope__init(&b->envelope);
    b->envelope.schema_version = CSI_SCHEMA_VERSION;
    b->envelope.body_case = SENSING__V1__ENVELOPE__BODY_BATCH;
    b->envelope.batch = &b->batch;
    return CSI_OK;
}

csi_frame_slot_t *csi_batch_pending(csi_batch_t *b)
{
    return &b->slots[b->pending];
}

csi_err_t csi_batch_offer(csi_batch_t *b)
{
    csi_frame_slot_t *slot = &b->slots[b->pending];
    size_t frame_bytes = protobuf_c_message_get_packed_size(&slot->frame.base);
    /* One repeated-field entry of FrameBatch: tag, length, the Frame. */
    size_t entry = 1 + csi_varint_size(frame_bytes) + frame_bytes;
    if (envelope_size(entry) > b->mtu) {
        return CSI_ERR_TOO_LARGE;
    }
    if (b->count >= b->max_frames || envelope_size(b->body_bytes + entry) > b->mtu) {
        return CSI_ERR_BATCH_FULL;
    }
    b->used[b->pending] = true;
    b->frames[b->count++] = &slot->frame;
    b->batch.n_frames = b->count;
    b->body_bytes += entry;
    pick_pending(b);
    return CSI_OK;
}

size_t csi_batch_count(const csi_batch_t *b)
{
    return b->count;
}

size_t csi_batch_encoded_size(const csi_batch_t *b)
{
    return envelope_size(b->body_bytes);
}

size_t csi_batch_encode(csi_batch_t *b, uint8_t *out, size_t cap)
{
    if (b->count == 0 || out == NULL) {
        return 0;
    }
    size_t size = protobuf_c_message_get_packed_size(&b->envelope.base);
    if (size > cap || size != envelope_size(b->body_bytes)) {
        return 0;
    }
    return protobuf_c_message_pack(&b->envelope.base, out);
}

void csi_batch_clear(csi_batch_t *b)
{
    for (size_t i = 0; i <= b->max_frames; i++) {
        if (i != b->pending) {
            b->used[i] = false;
        }
    }
    b->count = 0;
    b->batch.n_frames = 0;
    b->body_bytes = 0;
}
