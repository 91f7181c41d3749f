/*
 * Lock-free single-producer single-consumer ring of csi_capture_t slots.
 *
 * The producer (the WiFi CSI callback) reserves a slot, copies the CSI bytes into it and
 * commits; ESP-IDF frees its buffer when the callback returns, so nothing points back into it.
 * The consumer (the uplink task) peeks the oldest committed slot, encodes it and releases it.
 * Indexes run freely and wrap at 2^32; the capacity is a power of two.
 */
#pragma once

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csi_core/csi_capture.h"
#include "csi_core/csi_err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Keeps the producer's and consumer's indexes on separate cache lines (hosts; harmless on ESP). */
#define CSI_RING_PAD 64

typedef struct {
    csi_capture_t *slots;
    uint32_t mask;
    atomic_uint_least32_t head; /* next slot to write; written by the producer only */
    char pad_head[CSI_RING_PAD - sizeof(atomic_uint_least32_t)];
    atomic_uint_least32_t tail; /* next slot to read; written by the consumer only */
    char pad_tail[CSI_RING_PAD - sizeof(atomic_uint_least32_t)];
} csi_ring_t;

/* slots: caller-owned storage of `capacity` slots; capacity a power of two, 2 .. 2^30. */
csi_err_t csi_ring_init(csi_ring_t *ring, csi_capture_t *slots, uint32_t capacity);

uint32_t csi_ring_capacity(const csi_ring_t *ring);

/* Producer: a free slot to fill, or NULL when the ring is full. */
csi_capture_t *csi_ring_reserve(csi_ring_t *ring);
/* Producer: publishes the slot csi_ring_reserve returned. */
void csi_ring_commit(csi_ring_t *ring);

/* Consumer: the oldest committed slot, or NULL when the ring is empty. */
const csi_capture_t *csi_ring_peek(csi_ring_t *ring);
/* Consumer: hands the slot csi_ring_peek returned back to the producer. */
void csi_ring_release(csi_ring_t *ring);

/* Either side: committed slots not yet released (a snapshot). */
uint32_t csi_ring_count(const csi_ring_t *ring);

#ifdef __cplusplus
}
#endif
