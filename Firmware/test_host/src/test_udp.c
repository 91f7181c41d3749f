/*
 * The virtual node over real UDP on 127.0.0.1: a receiver thread decodes every datagram with
 * protobuf-c and checks the envelope and the sequence accounting.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "test_support.h"
#include "virtual_node.h"

#define FRAMES 30000u

typedef struct {
    int fd;
    uint32_t frames, datagrams, bad;
    int64_t last_sequence;
    uint32_t gaps;
} receiver_t;

static void *receive_loop(void *arg)
{
    receiver_t *r = arg;
    static uint8_t buf[65536];
    for (;;) {
        ssize_t n = recv(r->fd, buf, sizeof(buf), 0);
        if (n <= 0) {
            break;  /* timeout: the sender is done */
        }
        r->datagrams++;
        Sensing__V1__Envelope *e = sensing__v1__envelope__unpack(NULL, (size_t)n, buf);
        if (e == NULL || e->schema_version != 1 || e->body_case != SENSING__V1__ENVELOPE__BODY_BATCH ||
                n > CSI_DEFAULT_MTU) {
            r->bad++;
        } else {
            for (size_t i = 0; i < e->batch->n_frames; i++) {
                const Sensing__V1__CsiFrame *f = e->batch->frames[i]->csi;
                if (f == NULL || strcmp(f->device_id, "esp32-udp") != 0 || (int64_t)f->sequence <= r->last_sequence) {
                    r->bad++;
                    continue;
                }
                r->gaps += (uint32_t)((int64_t)f->sequence - r->last_sequence - 1);
                r->last_sequence = f->sequence;
                r->frames++;
            }
        }
        if (e != NULL) {
            sensing__v1__envelope__free_unpacked(e, NULL);
        }
    }
    return NULL;
}

int main(void)
{
    receiver_t r = {.last_sequence = -1};
    r.fd = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(r.fd >= 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    CHECK_EQ(bind(r.fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    socklen_t alen = sizeof(addr);
    getsockname(r.fd, (struct sockaddr *)&addr, &alen);
    int rcvbuf = 8 << 20;
    setsockopt(r.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
    struct timeval tv = {.tv_sec = 1, .tv_usec = 0};
    setsockopt(r.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    pthread_t t;
    pthread_create(&t, NULL, receive_loop, &r);

    static vnode_t v;
    CHECK_EQ(vnode_open(&v, "esp32-udp", "127.0.0.1", ntohs(addr.sin_port), 0, CSI_DEFAULT_MTU), 0);
    uint64_t start = test_now_us();
    for (uint32_t i = 0; i < FRAMES; i++) {
        CHECK(vnode_capture(&v, VNODE_MIXED, i * 1000u));
        if (csi_ring_count(&v.node.ring) >= VNODE_RING / 2) {
            vnode_poll(&v, test_now_us());
        }
        if (i % 2000 == 0) {
            usleep(1000);  /* let the receiver keep up; loopback drops when its buffer fills */
        }
    }
    vnode_poll(&v, test_now_us());
    csi_pipeline_flush(&v.pipeline);
    double elapsed = (double)(test_now_us() - start) / 1e6;
    pthread_join(t, NULL);
    csi_counters_snapshot_t s = csi_counters_snapshot(&v.node.counters);
    vnode_close(&v);
    close(r.fd);

    CHECK_EQ(r.bad, 0);
    CHECK_EQ(s.frames_sent, FRAMES);
    CHECK_EQ(csi_counters_lost(&s), 0);
    /* Loopback may still drop a datagram under load; whatever arrived must account exactly. */
    uint32_t trailing = FRAMES - 1 - (uint32_t)r.last_sequence;
    CHECK_EQ(r.frames + r.gaps + trailing, FRAMES);
    CHECK(r.frames >= FRAMES * 99 / 100);
    printf("udp: %u frames in %u datagrams sent in %.2f s (%.0f frames/s), %u received, %u missing\n", s.frames_sent,
           s.datagrams_sent, elapsed, FRAMES / elapsed, r.frames, r.gaps + trailing);
    return test_finish("test_udp");
}
