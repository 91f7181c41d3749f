/*
 * virtual_esp32: streams synthetic CSI from the firmware's portable core over UDP, the way a
 * node does (ring buffer, rate limit, batching under the MTU), so a gateway can be tested with
 * no board.
 *
 *   virtual_esp32 [--host 127.0.0.1] [--port 5566] [--device esp32-virtual] [--rate HZ]
 *                 [--seconds S] [--shape mixed|lltf|ht20|ht20-stbc|ht40|ht40-stbc] [--mtu BYTES]
 *   virtual_esp32 --sizes      encoded bytes per frame per layout vs an ESP32-CSI-Tool CSV line
 *
 * --rate 0 produces as fast as the consumer keeps up (the producer waits for ring space), to
 * measure the frames/s the core sustains.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "csi_core/csi_batch.h"
#include "test_support.h"
#include "virtual_node.h"

static const char *SHAPE_NAMES[VNODE_SHAPES] = {"lltf", "ht20", "ht20-stbc", "ht40", "ht40-stbc"};

typedef struct {
    vnode_t *v;
    vnode_shape_t shape;
    uint32_t rate;
    double seconds;
    volatile int done;
    uint64_t produced;
} run_t;

static void *producer(void *arg)
{
    run_t *r = arg;
    uint64_t start = test_now_us();
    uint64_t end = start + (uint64_t)(r->seconds * 1e6);
    uint64_t n = 0;
    for (;;) {
        uint64_t now = test_now_us();
        if (now >= end) {
            break;
        }
        if (r->rate > 0) {
            uint64_t due = start + n * 1000000u / r->rate;
            if (due > now) {
                struct timespec ts = {0, (long)((due - now) * 1000u)};
                nanosleep(&ts, NULL);
            }
        } else {
            while (csi_ring_count(&r->v->node.ring) >= csi_ring_capacity(&r->v->node.ring)) {
                sched_yield();
            }
        }
        vnode_capture(r->v, r->shape, (uint32_t)(test_now_us() - start));
        n++;
    }
    r->produced = n;
    __atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
    return NULL;
}

static int sizes(void)
{
    uint64_t seed = 7;
    static csi_frame_slot_t slot;
    static csi_batch_t batch;
    csi_frame_options_t opt = {.device_id = "esp32-kitchen", .chip = CSI_CHIP_CLASSIC, .ltf_mask = CSI_LTF_ALL};
    printf("%-10s %6s %10s %14s %12s %8s\n", "layout", "pairs", "envelope", "in 1400 B batch", "CSV line", "ratio");
    for (int k = 0; k < VNODE_SHAPES; k++) {
        csi_capture_t c;
        memset(&c, 0, sizeof(c));
        vnode_fill(&c, (vnode_shape_t)k, &seed);
        c.sequence = 123456;
        c.timestamp_us = 987654321u;
        c.wall_time_us = 1767225600123456ll;
        if (csi_frame_build(&slot, &c, &opt) != CSI_OK) {
            return 1;
        }
        Sensing__V1__Envelope env;
        sensing__v1__envelope__init(&env);
        env.schema_version = 1;
        env.body_case = SENSING__V1__ENVELOPE__BODY_CSI;
        env.csi = &slot.csi;
        size_t single = sensing__v1__envelope__get_packed_size(&env);
        /* Per frame when batched: fill a 1400-byte batch with this layout. */
        csi_batch_init(&batch, CSI_DEFAULT_MTU, CSI_BATCH_MAX_FRAMES);
        for (uint32_t i = 0;; i++) {
            c.sequence = 123456 + i;
            csi_frame_build(csi_batch_pending(&batch), &c, &opt);
            if (csi_batch_offer(&batch) != CSI_OK) {
                break;
            }
        }
        double per = (double)csi_batch_encoded_size(&batch) / (double)csi_batch_count(&batch);
        size_t csv = vnode_csv_line_bytes(&c);
        printf("%-10s %6zu %8zu B %9.1f B (%zux) %9zu B %7.2fx\n", SHAPE_NAMES[k], slot.csi.int8_pairs.len / 2, single,
               per, csi_batch_count(&batch), csv, (double)csv / per);
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *host = "127.0.0.1", *device = "esp32-virtual";
    uint16_t port = 5566;
    run_t r = {.shape = VNODE_MIXED, .rate = 100, .seconds = 5};
    size_t mtu = CSI_DEFAULT_MTU;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--sizes") == 0) {
            return sizes();
        } else if (val == NULL) {
            fprintf(stderr, "%s needs a value (see the comment at the top of virtual_esp32.c)\n", a);
            return 2;
        } else if (strcmp(a, "--host") == 0) {
            host = val;
        } else if (strcmp(a, "--port") == 0) {
            port = (uint16_t)atoi(val);
        } else if (strcmp(a, "--device") == 0) {
            device = val;
        } else if (strcmp(a, "--rate") == 0) {
            r.rate = (uint32_t)atoi(val);
        } else if (strcmp(a, "--seconds") == 0) {
            r.seconds = atof(val);
        } else if (strcmp(a, "--mtu") == 0) {
            mtu = (size_t)atoi(val);
        } else if (strcmp(a, "--shape") == 0) {
            r.shape = VNODE_MIXED;
            for (int k = 0; k < VNODE_SHAPES; k++) {
                if (strcmp(val, SHAPE_NAMES[k]) == 0) {
                    r.shape = (vnode_shape_t)k;
                }
            }
        } else {
            fprintf(stderr, "unknown option %s\n", a);
            return 2;
        }
        i++;
    }
    static vnode_t v;
    if (vnode_open(&v, device, host, port, 0, mtu) != 0) {
        perror("virtual_esp32: socket");
        return 1;
    }
    r.v = &v;
    pthread_t t;
    uint64_t start = test_now_us();
    pthread_create(&t, NULL, producer, &r);
    for (;;) {
        int finished = __atomic_load_n(&r.done, __ATOMIC_ACQUIRE);
        if (vnode_poll(&v, test_now_us()) == 0) {
            if (finished && csi_ring_count(&v.node.ring) == 0) {
                break;
            }
            usleep(200);
        }
    }
    pthread_join(t, NULL);
    csi_pipeline_flush(&v.pipeline);
    double elapsed = (double)(test_now_us() - start) / 1e6;
    csi_counters_snapshot_t s = csi_counters_snapshot(&v.node.counters);
    printf("device %s -> %s:%u: %llu captures in %.2f s, %u frames sent in %u datagrams (%.0f frames/s, "
           "%.1f bytes/frame), lost: ring full %u, too large %u, send failed %u, bad layout %u; "
           "sequences sent %u..%u\n",
           device, host, port, (unsigned long long)r.produced, elapsed, s.frames_sent, s.datagrams_sent,
           s.frames_sent / elapsed, s.frames_sent ? (double)s.bytes_sent / s.frames_sent : 0.0, s.ring_full,
           s.too_large, s.send_failed, s.bad_layout, v.pipeline.first_sequence_sent, v.pipeline.last_sequence_sent);
    vnode_close(&v);
    return 0;
}
