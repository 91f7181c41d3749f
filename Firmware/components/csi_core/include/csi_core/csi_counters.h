/*
 * What happened to every frame the radio reported. Each counter has exactly one writer (the
 * CSI callback or the uplink task), so it is updated with a relaxed load and store: no
 * read-modify-write atomics, which the RISC-V cores without the A extension (ESP32-C3) lack.
 * Any task may read them.
 */
#pragma once

#include <stdatomic.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    /* Written by the producer (the WiFi CSI callback). */
    atomic_uint_least32_t captured;       /* callbacks seen */
    atomic_uint_least32_t rate_limited;   /* skipped by the token bucket: no sequence number used */
    atomic_uint_least32_t ring_full;      /* dropped, ring buffer full: leaves a sequence gap */
    atomic_uint_least32_t oversize;       /* dropped, buffer larger than a slot: leaves a gap */
    /* Written by the consumer (the uplink task). */
    atomic_uint_least32_t bad_layout;     /* dropped, buffer fits no known layout: leaves a gap */
    atomic_uint_least32_t too_large;      /* dropped, one frame exceeds the MTU: leaves a gap */
    atomic_uint_least32_t send_failed;    /* frames in datagrams the transport refused: gaps */
    atomic_uint_least32_t frames_sent;
    atomic_uint_least32_t datagrams_sent;
    atomic_uint_least32_t bytes_sent;
} csi_counters_t;

/* A plain copy, for logging and tests. */
typedef struct {
    uint32_t captured;
    uint32_t rate_limited;
    uint32_t ring_full;
    uint32_t oversize;
    uint32_t bad_layout;
    uint32_t too_large;
    uint32_t send_failed;
    uint32_t frames_sent;
    uint32_t datagrams_sent;
    uint32_t bytes_sent;
} csi_counters_snapshot_t;

void csi_counters_init(csi_counters_t *c);

/* Only the counter's single writer may call this. */
static inline void csi_counter_add(atomic_uint_least32_t *counter, uint32_t n)
{
    uint32_t now = (uint32_t)atomic_load_explicit(counter, memory_order_relaxed);
    atomic_store_explicit(counter, now + n, memory_order_relaxed);
}

csi_counters_snapshot_t csi_counters_snapshot(const csi_counters_t *c);

/* Frames that left a gap in the sequence numbers the gateway sees. */
uint32_t csi_counters_lost(const csi_counters_snapshot_t *s);

#ifdef __cplusplus
}
#endif
