/*
 * Batching: several frames per envelope, never over the MTU, every frame accounted for (sent,
 * too large, refused by the transport, bad layout), and every datagram a valid envelope.
 */
#include <string.h>

#include "csi_core/csi_batch.h"
#include "csi_core/csi_pipeline.h"
#include "test_support.h"

typedef struct {
    size_t mtu;
    uint32_t datagrams;
    uint32_t frames;
    uint32_t fail_every;      /* refuse every n-th datagram (0: never) */
    uint32_t refused;
    int64_t last_sequence;
    uint32_t bad;
    size_t largest;
} receiver_t;

static csi_err_t receive(void *ctx, const uint8_t *data, size_t len)
{
    receiver_t *r = ctx;
    r->datagrams++;
    if (r->fail_every != 0 && r->datagrams % r->fail_every == 0) {
        r->refused++;
        return CSI_ERR_SEND;
    }
    if (len > r->mtu) {
        r->bad++;
    }
    if (len > r->largest) {
        r->largest = len;
    }
    Sensing__V1__Envelope *e = sensing__v1__envelope__unpack(NULL, len, data);
    if (e == NULL) {
        r->bad++;
        return CSI_OK;
    }
    if (e->schema_version != 1 || e->body_case != SENSING__V1__ENVELOPE__BODY_BATCH || e->batch->n_frames == 0) {
        r->bad++;
    } else {
        for (size_t i = 0; i < e->batch->n_frames; i++) {
            const Sensing__V1__Frame *f = e->batch->frames[i];
            if (f->kind_case != SENSING__V1__FRAME__KIND_CSI || (int64_t)f->csi->sequence <= r->last_sequence) {
                r->bad++;
                continue;
            }
            r->last_sequence = f->csi->sequence;
            r->frames++;
        }
    }
    sensing__v1__envelope__free_unpacked(e, NULL);
    return CSI_OK;
}

typedef struct {
    uint8_t secondary, sig_mode, cwb, stbc;
    uint16_t len;
} shape_t;

static const shape_t SHAPES[] = {
    {CSI_SECONDARY_NONE, CSI_SIG_MODE_NON_HT, 0, 0, 128},
    {CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 0, 0, 256},
    {CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 0, 1, 384},
    {CSI_SECONDARY_BELOW, CSI_SIG_MODE_HT, 0, 1, 380},
    {CSI_SECONDARY_ABOVE, CSI_SIG_MODE_HT, 1, 0, 384},
    {CSI_SECONDARY_BELOW, CSI_SIG_MODE_HT, 1, 1, 612},
    {CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 0, 0, 200},   /* fits no layout */
};

static csi_capture_t ring_slots[64];
static csi_node_t node;
static csi_pipeline_t pipeline;

/* Pushes `total` random captures through node and pipeline, polling every few. */
static void run(size_t mtu, size_t max_frames, uint32_t fail_every, uint32_t total, uint64_t seed)
{
    receiver_t r = {.mtu = mtu, .fail_every = fail_every, .last_sequence = -1};
    CHECK_EQ(csi_node_init(&node, ring_slots, 64, 0, 1, 0), CSI_OK);
    csi_frame_options_t opt = {.device_id = "esp32-batch", .chip = CSI_CHIP_CLASSIC, .ltf_mask = CSI_LTF_ALL};
    CHECK_EQ(csi_pipeline_init(&pipeline, &node, &opt, mtu, max_frames, 1000, receive, &r), CSI_OK);
    uint64_t state = seed;
    uint32_t committed = 0;
    uint64_t now = 0;
    for (uint32_t i = 0; i < total; i++) {
        const shape_t *s = &SHAPES[test_rand(&state) % (sizeof(SHAPES) / sizeof(SHAPES[0]))];
        csi_capture_t c = test_capture(s->secondary, s->sig_mode, s->cwb, s->stbc, s->len);
        csi_capture_t *slot = csi_node_begin(&node, i * 100u);
        CHECK(slot != NULL);
        if (slot == NULL) {
            continue;
        }
        uint32_t seq = slot->sequence;
        *slot = c;
        slot->sequence = seq;
        csi_node_commit(&node);
        committed++;
        if (csi_ring_count(&node.ring) >= 32 || test_rand(&state) % 8 == 0) {
            now += test_rand(&state) % 2000;
            csi_pipeline_poll(&pipeline, now, 0);
        }
    }
    csi_pipeline_poll(&pipeline, now, 0);
    csi_pipeline_flush(&pipeline);
    csi_counters_snapshot_t s = csi_counters_snapshot(&node.counters);
    CHECK_EQ(r.bad, 0);
    CHECK(r.largest <= mtu);
    CHECK_EQ(r.frames, s.frames_sent);
    CHECK_EQ(pipeline.last_sequence_sent, (uint32_t)r.last_sequence);
    CHECK_EQ(r.datagrams, s.datagrams_sent + r.refused);
    CHECK_EQ(s.frames_sent + s.too_large + s.send_failed + s.bad_layout, committed);
    CHECK_EQ(csi_counters_lost(&s) + s.frames_sent, committed);
    CHECK(s.bad_layout > 0);
    CHECK(fail_every == 0 || s.send_failed > 0);
    printf("mtu %4zu, <= %2zu frames: %u frames in %u datagrams (largest %zu B, %.1f frames each), "
           "%u too large, %u refused, %u bad layout\n", mtu, max_frames, s.frames_sent, s.datagrams_sent,
           r.largest, s.datagrams_sent ? (double)s.frames_sent / s.datagrams_sent : 0.0, s.too_large,
           s.send_failed, s.bad_layout);
}

/* The running size the batch keeps equals what protobuf-c packs, frame after frame. */
static void test_size_bookkeeping(void)
{
    static csi_batch_t b;
    CHECK_EQ(csi_batch_init(&b, CSI_DEFAULT_MTU, CSI_BATCH_MAX_FRAMES), CSI_OK);
    csi_frame_options_t opt = {.device_id = "esp32-size", .chip = CSI_CHIP_CLASSIC, .ltf_mask = CSI_LTF_ALL};
    uint8_t out[CSI_MAX_MTU];
    uint32_t added = 0;
    for (uint32_t i = 0;; i++) {
        csi_capture_t c = test_capture(CSI_SECONDARY_NONE, CSI_SIG_MODE_NON_HT, 0, 0, 128);
        c.sequence = i * 1000u;    /* varint sizes grow */
        CHECK_EQ(csi_frame_build(csi_batch_pending(&b), &c, &opt), CSI_OK);
        csi_err_t err = csi_batch_offer(&b);
        if (err == CSI_ERR_BATCH_FULL) {
            break;
        }
        CHECK_EQ(err, CSI_OK);
        added++;
        CHECK_EQ(csi_batch_encoded_size(&b), protobuf_c_message_get_packed_size(&b.envelope.base));
    }
    size_t n = csi_batch_encode(&b, out, sizeof(out));
    CHECK(n > 0 && n <= CSI_DEFAULT_MTU);
    CHECK_EQ(added, csi_batch_count(&b));
    /* LLTF frames are about 170 bytes: 8 fit in 1400. */
    CHECK_EQ(added, 8);
    /* The frame that did not fit stays pending and goes first into the next batch. */
    csi_batch_clear(&b);
    CHECK_EQ(csi_batch_offer(&b), CSI_OK);
    CHECK_EQ(csi_batch_count(&b), 1);
    n = csi_batch_encode(&b, out, sizeof(out));
    Sensing__V1__Envelope *e = sensing__v1__envelope__unpack(NULL, n, out);
    CHECK(e != NULL && e->batch->n_frames == 1 && e->batch->frames[0]->csi->sequence == 8000);
    if (e != NULL) {
        sensing__v1__envelope__free_unpacked(e, NULL);
    }
    /* A frame larger than the MTU on its own is refused as too large. */
    CHECK_EQ(csi_batch_init(&b, 300, 4), CSI_OK);
    csi_capture_t big = test_capture(CSI_SECONDARY_BELOW, CSI_SIG_MODE_HT, 1, 1, 612);
    CHECK_EQ(csi_frame_build(csi_batch_pending(&b), &big, &opt), CSI_OK);
    CHECK_EQ(csi_batch_offer(&b), CSI_ERR_TOO_LARGE);
    CHECK_EQ(csi_batch_count(&b), 0);
    CHECK_EQ(csi_batch_encode(&b, out, sizeof(out)), 0);
    CHECK_EQ(csi_batch_init(&b, 10, 4), CSI_OK);
    CHECK_EQ(csi_batch_init(&b, CSI_MAX_MTU + 1, 4), CSI_ERR_INVALID_ARG);
    CHECK_EQ(csi_batch_init(&b, 1400, 0), CSI_ERR_INVALID_ARG);
    CHECK_EQ(csi_batch_init(&b, 1400, CSI_BATCH_MAX_FRAMES + 1), CSI_ERR_INVALID_ARG);
}

/* A partial batch waits up to linger_us for company, then goes. */
static void test_linger(void)
{
    receiver_t r = {.mtu = CSI_DEFAULT_MTU, .last_sequence = -1};
    CHECK_EQ(csi_node_init(&node, ring_slots, 64, 0, 1, 0), CSI_OK);
    csi_frame_options_t opt = {.device_id = "esp32-linger", .chip = CSI_CHIP_CLASSIC, .ltf_mask = CSI_LTF_ALL};
    CHECK_EQ(csi_pipeline_init(&pipeline, &node, &opt, CSI_DEFAULT_MTU, 8, 5000, receive, &r), CSI_OK);
    csi_capture_t *slot = csi_node_begin(&node, 0);
    CHECK(slot != NULL);
    if (slot == NULL) {
        return;
    }
    uint32_t seq = slot->sequence;
    *slot = test_capture(CSI_SECONDARY_NONE, CSI_SIG_MODE_NON_HT, 0, 0, 128);
    slot->sequence = seq;
    csi_node_commit(&node);
    CHECK_EQ(csi_pipeline_poll(&pipeline, 100000, 0), 1);
    CHECK_EQ(r.datagrams, 0);
    CHECK_EQ(csi_pipeline_poll(&pipeline, 104999, 0), 0);
    CHECK_EQ(r.datagrams, 0);
    CHECK_EQ(csi_pipeline_poll(&pipeline, 105000, 0), 0);
    CHECK_EQ(r.datagrams, 1);
    CHECK_EQ(r.frames, 1);
}

int main(void)
{
    test_size_bookkeeping();
    test_linger();
    run(CSI_DEFAULT_MTU, CSI_BATCH_MAX_FRAMES, 0, 20000, 1);
    run(1472, 4, 0, 20000, 2);
    run(700, CSI_BATCH_MAX_FRAMES, 7, 20000, 3);
    run(400, CSI_BATCH_MAX_FRAMES, 0, 20000, 4);     /* HT40 frames do not fit: too large */
    run(4096, CSI_BATCH_MAX_FRAMES, 5, 20000, 5);
    return test_finish("test_batch");
}
