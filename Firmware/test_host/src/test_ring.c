/*
 * The SPSC ring under a real producer thread and consumer thread: order, no loss or
 * duplication when the producer waits, and exact drop counting when it does not.
 */
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "csi_core/csi_node.h"
#include "csi_core/csi_ring.h"
#include "test_support.h"

/* A small ring where drops are the point, a larger one where throughput is: with 2 cores shared
 * with other work, each hand-off between threads can cost a scheduler time slice. */
#define CAPACITY 64
#define LOSSLESS_CAPACITY 4096
#define LOSSLESS_ITEMS 2000000u
#define LOSSY_ITEMS 2000000u

static csi_capture_t slots[CAPACITY];
static csi_capture_t big_slots[LOSSLESS_CAPACITY];

static void stamp(csi_capture_t *c, uint32_t value)
{
    /* A payload derived from the sequence number, to catch a slot read before it was written. */
    c->sequence = value;
    c->timestamp_us = value * 7u;
    memcpy(c->buf, &value, sizeof(value));
    uint32_t inverted = ~value;
    memcpy(c->buf + 4, &inverted, sizeof(inverted));
    c->len = 8;
}

static int consistent(const csi_capture_t *c)
{
    uint32_t a, b;
    memcpy(&a, c->buf, sizeof(a));
    memcpy(&b, c->buf + 4, sizeof(b));
    return c->len == 8 && a == c->sequence && b == ~c->sequence && c->timestamp_us == c->sequence * 7u;
}

typedef struct {
    csi_ring_t *ring;
    uint32_t items;
} lossless_args_t;

static void *lossless_producer(void *arg)
{
    lossless_args_t *a = arg;
    for (uint32_t i = 0; i < a->items; i++) {
        csi_capture_t *slot;
        while ((slot = csi_ring_reserve(a->ring)) == NULL) {
            sched_yield();
        }
        stamp(slot, i);
        csi_ring_commit(a->ring);
    }
    return NULL;
}

static void test_lossless(void)
{
    csi_ring_t ring;
    CHECK_EQ(csi_ring_init(&ring, big_slots, LOSSLESS_CAPACITY), CSI_OK);
    lossless_args_t args = {.ring = &ring, .items = LOSSLESS_ITEMS};
    pthread_t producer;
    uint64_t start = test_now_us();
    CHECK_EQ(pthread_create(&producer, NULL, lossless_producer, &args), 0);
    uint32_t expected = 0;
    uint32_t torn = 0, out_of_order = 0;
    while (expected < LOSSLESS_ITEMS) {
        const csi_capture_t *c = csi_ring_peek(&ring);
        if (c == NULL) {
            sched_yield();
            continue;
        }
        if (!consistent(c)) {
            torn++;
        }
        if (c->sequence != expected) {
            out_of_order++;
        }
        expected = c->sequence + 1;
        csi_ring_release(&ring);
    }
    pthread_join(producer, NULL);
    uint64_t elapsed = test_now_us() - start;
    CHECK_EQ(torn, 0);
    CHECK_EQ(out_of_order, 0);
    CHECK_EQ(expected, LOSSLESS_ITEMS);
    CHECK(csi_ring_peek(&ring) == NULL);
    printf("lossless: %u items through a %d-slot ring in %.0f ms (%.1f M items/s)\n", LOSSLESS_ITEMS, LOSSLESS_CAPACITY,
           (double)elapsed / 1000.0, (double)LOSSLESS_ITEMS / (double)elapsed);
}

typedef struct {
    csi_node_t *node;
    uint32_t items;
} lossy_args_t;

static void *lossy_producer(void *arg)
{
    lossy_args_t *a = arg;
    for (uint32_t i = 0; i < a->items; i++) {
        if (i % 4 == 0) {
            /* Paced like a busy radio (~4 frames/µs), so the consumer gets a fair share. */
            uint64_t t = test_now_us();
            while (test_now_us() == t) {
            }
        }
        csi_capture_t *slot = csi_node_begin(a->node, i);
        if (slot == NULL) {
            continue;
        }
        uint32_t sequence = slot->sequence;
        stamp(slot, sequence);
        slot->timestamp_us = sequence * 7u;
        csi_node_commit(a->node);
    }
    return NULL;
}

static volatile int producer_done;

static void *lossy_producer_then_flag(void *arg)
{
    lossy_producer(arg);
    __atomic_store_n(&producer_done, 1, __ATOMIC_RELEASE);
    return NULL;
}

/* The producer never waits: what does not fit is dropped, counted, and leaves a sequence gap. */
static void test_lossy(void)
{
    csi_node_t node;
    CHECK_EQ(csi_node_init(&node, slots, CAPACITY, 0, 1, 0), CSI_OK);
    lossy_args_t args = {.node = &node, .items = LOSSY_ITEMS};
    producer_done = 0;
    pthread_t producer;
    CHECK_EQ(pthread_create(&producer, NULL, lossy_producer_then_flag, &args), 0);
    uint32_t received = 0, gaps = 0, torn = 0, backwards = 0;
    int64_t last = -1;
    for (;;) {
        const csi_capture_t *c = csi_ring_peek(&node.ring);
        if (c == NULL) {
            if (__atomic_load_n(&producer_done, __ATOMIC_ACQUIRE) && csi_ring_peek(&node.ring) == NULL) {
                break;
            }
            sched_yield();
            continue;
        }
        if (!consistent(c)) {
            torn++;
        }
        if ((int64_t)c->sequence <= last) {
            backwards++;
        } else {
            gaps += (uint32_t)((int64_t)c->sequence - last - 1);
        }
        last = c->sequence;
        received++;
        csi_ring_release(&node.ring);
        if (received % 8192 == 0) {
            usleep(20); /* a slow consumer now and then, so the ring does fill */
        }
    }
    pthread_join(producer, NULL);
    csi_counters_snapshot_t s = csi_counters_snapshot(&node.counters);
    /* Drops at the very end leave no gap before a later frame: count them from the last one. */
    uint32_t trailing = LOSSY_ITEMS - 1 - (uint32_t)last;
    CHECK_EQ(torn, 0);
    CHECK_EQ(backwards, 0);
    CHECK_EQ(s.captured, LOSSY_ITEMS);
    CHECK_EQ(received + s.ring_full, LOSSY_ITEMS);
    CHECK_EQ(gaps + trailing, s.ring_full);
    CHECK(s.ring_full > 0);
    CHECK(received >= 1);
    printf("lossy: %u produced, %u received, %u dropped (ring full), all accounted\n", LOSSY_ITEMS, received,
           s.ring_full);
}

static void test_edges(void)
{
    csi_ring_t ring;
    CHECK_EQ(csi_ring_init(&ring, slots, 3), CSI_ERR_INVALID_ARG);
    CHECK_EQ(csi_ring_init(&ring, slots, 1), CSI_ERR_INVALID_ARG);
    CHECK_EQ(csi_ring_init(&ring, NULL, 4), CSI_ERR_INVALID_ARG);
    CHECK_EQ(csi_ring_init(&ring, slots, 4), CSI_OK);
    CHECK(csi_ring_peek(&ring) == NULL);
    /* Indexes wrap at 2^32 without losing count. */
    atomic_store(&ring.head, 0xFFFFFFFEu);
    atomic_store(&ring.tail, 0xFFFFFFFEu);
    for (uint32_t i = 0; i < 4; i++) {
        csi_capture_t *s = csi_ring_reserve(&ring);
        CHECK(s != NULL);
        if (s != NULL) {
            stamp(s, i);
        }
        csi_ring_commit(&ring);
    }
    CHECK(csi_ring_reserve(&ring) == NULL);
    CHECK_EQ(csi_ring_count(&ring), 4);
    for (uint32_t i = 0; i < 4; i++) {
        const csi_capture_t *c = csi_ring_peek(&ring);
        CHECK(c != NULL && c->sequence == i && consistent(c));
        csi_ring_release(&ring);
    }
    CHECK(csi_ring_peek(&ring) == NULL);
    CHECK_EQ(csi_ring_count(&ring), 0);
}

int main(void)
{
    test_edges();
    test_lossless();
    test_lossy();
    return test_finish("test_ring");
}
