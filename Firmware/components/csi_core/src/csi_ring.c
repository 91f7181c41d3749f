#include "csi_core/csi_ring.h"

csi_err_t csi_ring_init(csi_ring_t *ring, csi_capture_t *slots, uint32_t capacity)
{
    if (ring == NULL || slots == NULL || capacity < 2 || capacity > (1u << 30) ||
            (capacity & (capacity - 1)) != 0) {
        return CSI_ERR_INVALID_ARG;
    }
    ring->slots = slots;
    ring->mask = capacity - 1;
    atomic_init(&ring->head, 0);
    atomic_init(&ring->tail, 0);
    return CSI_OK;
}

uint32_t csi_ring_capacity(const csi_ring_t *ring)
{
    return ring->mask + 1;
}

csi_capture_t *csi_ring_reserve(csi_ring_t *ring)
{
    uint32_t head = (uint32_t)atomic_load_explicit(&ring->head, memory_order_relaxed);
    /* Acquire: the consumer's reads of the slot it released happen before we overwrite it. */
    uint32_t tail = (uint32_t)atomic_load_explicit(&ring->tail, memory_order_acquire);
    if (head - tail > ring->mask) {
        return NULL;
    }
    return &ring->slots[head & ring->mask];
}

void csi_ring_commit(csi_ring_t *ring)
{
    uint32_t head = (uint32_t)atomic_load_explicit(&ring->head, memory_order_relaxed);
    /* Release: the slot's contents are visible before the consumer sees the new head. */
    atomic_store_explicit(&ring->head, head + 1, memory_order_release);
}

const csi_capture_t *csi_ring_peek(csi_ring_t *ring)
{
    uint32_t tail = (uint32_t)atomic_load_explicit(&ring->tail, memory_order_relaxed);
    uint32_t head = (uint32_t)atomic_load_explicit(&ring->head, memory_order_acquire);
    if (head == tail) {
        return NULL;
    }
    return &ring->slots[tail & ring->mask];
}

void csi_ring_release(csi_ring_t *ring)
{
    uint32_t tail = (uint32_t)atomic_load_explicit(&ring->tail, memory_order_relaxed);
    atomic_store_explicit(&ring->tail, tail + 1, memory_order_release);
}

uint32_t csi_ring_count(const csi_ring_t *ring)
{
    csi_ring_t *r = (csi_ring_t *)ring;
    uint32_t tail = (uint32_t)atomic_load_explicit(&r->tail, memory_order_acquire);
    uint32_t head = (uint32_t)atomic_load_explicit(&r->head, memory_order_acquire);
    return head - tail;
}
