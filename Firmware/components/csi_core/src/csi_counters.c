#include "csi_core/csi_counters.h"

void csi_counters_init(csi_counters_t *c)
{
    atomic_init(&c->captured, 0);
    atomic_init(&c->rate_limited, 0);
    atomic_init(&c->ring_full, 0);
    atomic_init(&c->oversize, 0);
    atomic_init(&c->bad_layout, 0);
    atomic_init(&c->too_large, 0);
    atomic_init(&c->send_failed, 0);
    atomic_init(&c->frames_sent, 0);
    atomic_init(&c->datagrams_sent, 0);
    atomic_init(&c->bytes_sent, 0);
}

static uint32_t load(const atomic_uint_least32_t *counter)
{
    /* C11 declares atomic_load on a non-const pointer; the counter is only read here. */
    return (uint32_t)atomic_load_explicit((atomic_uint_least32_t *)counter, memory_order_relaxed);
}

csi_counters_snapshot_t csi_counters_snapshot(const csi_counters_t *c)
{
    csi_counters_snapshot_t s = {
        .captured = load(&c->captured),
        .rate_limited = load(&c->rate_limited),
        .ring_full = load(&c->ring_full),
        .oversize = load(&c->oversize),
        .bad_layout = load(&c->bad_layout),
        .too_large = load(&c->too_large),
        .send_failed = load(&c->send_failed),
        .frames_sent = load(&c->frames_sent),
        .datagrams_sent = load(&c->datagrams_sent),
        .bytes_sent = load(&c->bytes_sent),
    };
    return s;
}

uint32_t csi_counters_lost(const csi_counters_snapshot_t *s)
{
    return s->ring_full + s->oversize + s->bad_layout + s->too_large + s->send_failed;
}
