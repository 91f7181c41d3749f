/*
 * The producer side: token bucket on the radio's timestamp, sequence numbers, and which drops
 * leave a sequence gap (every loss) and which do not (the rate limit, a deliberate skip).
 */
#include <string.h>

#include "csi_core/csi_node.h"
#include "csi_core/csi_rate.h"
#include "test_support.h"

static csi_capture_t slots[8];

static void test_rate_limit(void)
{
    csi_rate_t r;
    csi_rate_init(&r, 100, 1);
    /* 1 kHz of packets for 10 s at a 100 Hz limit. */
    uint32_t passed = 0;
    for (uint32_t i = 0; i < 10000; i++) {
        passed += csi_rate_allow(&r, 5000000u + i * 1000u) ? 1u : 0u;
    }
    CHECK(passed >= 999 && passed <= 1001);

    /* A burst after a quiet spell is capped at `burst`. */
    csi_rate_init(&r, 10, 5);
    CHECK(csi_rate_allow(&r, 0));
    uint32_t burst = 0;
    for (uint32_t i = 0; i < 50; i++) {
        burst += csi_rate_allow(&r, 10000000u + i) ? 1u : 0u;
    }
    CHECK_EQ(burst, 5);

    /* The radio's counter wraps at 2^32 µs (~71 min): the bucket keeps filling across it. */
    csi_rate_init(&r, 1000, 1);
    CHECK(csi_rate_allow(&r, 0xFFFFFF00u));
    CHECK(!csi_rate_allow(&r, 0xFFFFFF10u));
    CHECK(csi_rate_allow(&r, 0x00000300u));
    /* A timestamp that goes backwards adds nothing. */
    CHECK(!csi_rate_allow(&r, 0x00000200u));

    /* 0 Hz means no limit. */
    csi_rate_init(&r, 0, 1);
    for (uint32_t i = 0; i < 100; i++) {
        CHECK(csi_rate_allow(&r, 0));
    }
}

static void push(csi_node_t *node, uint32_t t, uint16_t len, uint32_t *committed)
{
    csi_capture_t *slot = csi_node_begin(node, t);
    if (slot == NULL) {
        return;
    }
    int8_t buf[CSI_MAX_BUF_LEN + 4];
    memset(buf, 1, sizeof(buf));
    if (!csi_node_copy_buf(node, buf, len)) {
        return;
    }
    csi_node_commit(node);
    (*committed)++;
}

static void test_sequence_accounting(void)
{
    csi_node_t node;
    CHECK_EQ(csi_node_init(&node, slots, 8, 50, 1, 1000), CSI_OK);
    uint32_t committed = 0;
    /* 200 packets at 1 kHz: 50 Hz passes about 10 of them (the first immediately). */
    for (uint32_t i = 0; i < 200; i++) {
        push(&node, i * 1000u, 128, &committed);
    }
    csi_counters_snapshot_t s = csi_counters_snapshot(&node.counters);
    CHECK_EQ(s.captured, 200);
    CHECK_EQ(committed, 8);              /* the ring holds 8 */
    CHECK_EQ(s.rate_limited + committed + s.ring_full, 200);
    CHECK(s.ring_full >= 1);
    /* Sequence numbers: consecutive from 1000 for what passed the limiter, gaps for what the
     * ring could not take. */
    uint32_t expected = 1000;
    for (uint32_t i = 0; i < 8; i++) {
        const csi_capture_t *c = csi_ring_peek(&node.ring);
        CHECK(c != NULL);
        if (c != NULL) {
            CHECK_EQ(c->sequence, expected);
            CHECK_EQ(c->len, 128);
            expected++;
        }
        csi_ring_release(&node.ring);
    }
    CHECK_EQ(node.next_sequence, 1000 + 8 + s.ring_full);

    /* An oversize buffer uses a sequence number and is counted; the next frame follows it. */
    CHECK_EQ(csi_node_init(&node, slots, 8, 0, 1, 0), CSI_OK);
    committed = 0;
    push(&node, 0, 128, &committed);
    push(&node, 1, CSI_MAX_BUF_LEN + 2, &committed);
    push(&node, 2, 612, &committed);
    s = csi_counters_snapshot(&node.counters);
    CHECK_EQ(committed, 2);
    CHECK_EQ(s.oversize, 1);
    CHECK_EQ(csi_counters_lost(&s), 1);
    const csi_capture_t *a = csi_ring_peek(&node.ring);
    CHECK(a != NULL && a->sequence == 0);
    csi_ring_release(&node.ring);
    const csi_capture_t *b = csi_ring_peek(&node.ring);
    CHECK(b != NULL && b->sequence == 2 && b->len == 612);
    csi_ring_release(&node.ring);

    /* Sequence numbers wrap at 2^32 like the gateway expects. */
    CHECK_EQ(csi_node_init(&node, slots, 8, 0, 1, 0xFFFFFFFFu), CSI_OK);
    committed = 0;
    push(&node, 0, 128, &committed);
    push(&node, 1, 128, &committed);
    a = csi_ring_peek(&node.ring);
    CHECK(a != NULL && a->sequence == 0xFFFFFFFFu);
    csi_ring_release(&node.ring);
    b = csi_ring_peek(&node.ring);
    CHECK(b != NULL && b->sequence == 0);
    csi_ring_release(&node.ring);
}

int main(void)
{
    test_rate_limit();
    test_sequence_accounting();
    return test_finish("test_node");
}
