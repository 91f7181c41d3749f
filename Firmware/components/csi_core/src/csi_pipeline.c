#include <string.h>

#include "csi_core/csi_pipeline.h"

csi_err_t csi_pipeline_init(csi_pipeline_t *p, csi_node_t *node, const csi_frame_options_t *options,
                            size_t mtu, size_t max_frames, uint64_t linger_us,
                            csi_send_fn send, void *send_ctx)
{
    if (p == NULL || node == NULL || options == NULL || options->device_id == NULL || send == NULL) {
        return CSI_ERR_INVALID_ARG;
    }
    csi_err_t err = csi_batch_init(&p->batch, mtu, max_frames);
    if (err != CSI_OK) {
        return err;
    }
    p->node = node;
    p->options = *options;
    p->send = send;
    p->send_ctx = send_ctx;
    p->linger_us = linger_us;
    p->first_frame_at_us = 0;
    p->sent_any = false;
    p->first_sequence_sent = 0;
    p->last_sequence_sent = 0;
    return CSI_OK;
}

csi_err_t csi_pipeline_flush(csi_pipeline_t *p)
{
    size_t frames = csi_batch_count(&p->batch);
    if (frames == 0) {
        return CSI_OK;
    }
    csi_counters_t *c = &p->node->counters;
    size_t len = csi_batch_encode(&p->batch, p->out, sizeof(p->out));
    csi_err_t err = len == 0 ? CSI_ERR_TOO_LARGE : p->send(p->send_ctx, p->out, len);
    if (err == CSI_OK) {
        csi_counter_add(&c->frames_sent, (uint32_t)frames);
        csi_counter_add(&c->datagrams_sent, 1);
        csi_counter_add(&c->bytes_sent, (uint32_t)len);
        if (!p->sent_any) {
            p->sent_any = true;
            p->first_sequence_sent = p->batch.frames[0]->csi->sequence;
        }
        p->last_sequence_sent = p->batch.frames[frames - 1]->csi->sequence;
    } else {
        csi_counter_add(&c->send_failed, (uint32_t)frames);
        err = CSI_ERR_SEND;
    }
    csi_batch_clear(&p->batch);
    return err;
}

/* Adds the frame built in the pending slot, sending the batch first when it is full. */
static void add_pending(csi_pipeline_t *p, uint64_t now_us)
{
    csi_err_t err = csi_batch_offer(&p->batch);
    if (err == CSI_ERR_BATCH_FULL) {
        (void)csi_pipeline_flush(p);
        err = csi_batch_offer(&p->batch);
    }
    if (err == CSI_OK) {
        if (csi_batch_count(&p->batch) == 1) {
            p->first_frame_at_us = now_us;
        }
    } else {
        csi_counter_add(&p->node->counters.too_large, 1);
    }
}

uint32_t csi_pipeline_poll(csi_pipeline_t *p, uint64_t now_us, uint32_t max_captures)
{
    uint32_t taken = 0;
    const csi_capture_t *cap;
    while ((max_captures == 0 || taken < max_captures) && (cap = csi_ring_peek(&p->node->ring)) != NULL) {
        csi_err_t err = csi_frame_build(csi_batch_pending(&p->batch), cap, &p->options);
        csi_ring_release(&p->node->ring);
        taken++;
        if (err != CSI_OK) {
            csi_counter_add(&p->node->counters.bad_layout, 1);
            continue;
        }
        add_pending(p, now_us);
    }
    if (csi_batch_count(&p->batch) > 0 &&
            (csi_batch_count(&p->batch) >= p->batch.max_frames || now_us - p->first_frame_at_us >= p->linger_us)) {
        (void)csi_pipeline_flush(p);
    }
    return taken;
}
