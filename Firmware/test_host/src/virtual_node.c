#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test_support.h"
#include "virtual_node.h"

static csi_err_t udp_send(void *ctx, const uint8_t *data, size_t len)
{
    vnode_t *v = ctx;
    ssize_t n = send(v->fd, data, len, 0);
    return n == (ssize_t)len ? CSI_OK : CSI_ERR_SEND;
}

int vnode_open(vnode_t *v, const char *device_id, const char *host, uint16_t port, uint32_t rate_hz, size_t mtu)
{
    memset(v, 0, sizeof(*v));
    v->seed = 42;
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
    if (inet_pton(AF_INET, host, &to.sin_addr) != 1) {
        errno = EINVAL;
        return -1;
    }
    v->fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (v->fd < 0) {
        return -1;
    }
    if (connect(v->fd, (struct sockaddr *)&to, sizeof(to)) != 0) {
        close(v->fd);
        return -1;
    }
    csi_frame_options_t opt = {.device_id = device_id, .chip = CSI_CHIP_CLASSIC, .ltf_mask = CSI_LTF_ALL};
    if (csi_node_init(&v->node, v->slots, VNODE_RING, rate_hz, 4, 0) != CSI_OK ||
            csi_pipeline_init(&v->pipeline, &v->node, &opt, mtu, CSI_BATCH_MAX_FRAMES, 5000, udp_send, v) != CSI_OK) {
        close(v->fd);
        errno = EINVAL;
        return -1;
    }
    return 0;
}

void vnode_close(vnode_t *v)
{
    if (v->fd >= 0) {
        close(v->fd);
        v->fd = -1;
    }
}

void vnode_fill(csi_capture_t *c, vnode_shape_t shape, uint64_t *seed)
{
    static const struct {
        uint8_t secondary, sig_mode, cwb, stbc;
        uint16_t len;
    } shapes[VNODE_SHAPES] = {
        {CSI_SECONDARY_NONE, CSI_SIG_MODE_NON_HT, 0, 0, 128},
        {CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 0, 0, 256},
        {CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 0, 1, 384},
        {CSI_SECONDARY_ABOVE, CSI_SIG_MODE_HT, 1, 0, 384},
        {CSI_SECONDARY_BELOW, CSI_SIG_MODE_HT, 1, 1, 612},
    };
    int k = shape == VNODE_MIXED ? (int)(test_rand(seed) % VNODE_SHAPES) : (int)shape;
    c->secondary_channel = shapes[k].secondary;
    c->sig_mode = shapes[k].sig_mode;
    c->cwb = shapes[k].cwb;
    c->stbc = shapes[k].stbc;
    c->len = shapes[k].len;
    c->rssi = (int8_t)(-45 - (int)(test_rand(seed) % 10));
    c->noise_floor = -92;
    c->channel = 6;
    c->mcs = c->sig_mode ? 7 : 0;
    memcpy(c->mac, "\x02\x00\x00\xc5\x1a\x01", 6);
    /* A smooth channel (a few taps) plus noise, as int8 like the radio reports it. */
    double phase = (double)(test_rand(seed) % 628) / 100.0;
    for (uint16_t i = 0; i < c->len / 2; i++) {
        double a = 20.0 + 8.0 * sin(0.11 * i + phase);
        double re = a * cos(0.3 * i + phase) + (double)(int)(test_rand(seed) % 5) - 2.0;
        double im = a * sin(0.3 * i + phase) + (double)(int)(test_rand(seed) % 5) - 2.0;
        c->buf[2 * i] = (int8_t)lrint(im);
        c->buf[2 * i + 1] = (int8_t)lrint(re);
    }
}

int vnode_capture(vnode_t *v, vnode_shape_t shape, uint32_t t_us)
{
    csi_capture_t *slot = csi_node_begin(&v->node, t_us);
    if (slot == NULL) {
        return 0;
    }
    vnode_fill(slot, shape, &v->seed);
    slot->wall_time_us = 0;
    slot->first_word_invalid = false;
    slot->gain_valid = false;
    csi_node_commit(&v->node);
    return 1;
}

uint32_t vnode_poll(vnode_t *v, uint64_t now_us)
{
    return csi_pipeline_poll(&v->pipeline, now_us, 0);
}

/* ESP32-CSI-Tool's line: "CSI_DATA,<role>,<mac>,<rssi>,<rate>,<sig_mode>,<mcs>,<cwb>,<smoothing>,
 * <not_sounding>,<aggregation>,<stbc>,<fec_coding>,<sgi>,<noise_floor>,<ampdu_cnt>,<channel>,
 * <secondary_channel>,<local_timestamp>,<ant>,<sig_len>,<rx_state>,<real_time_set>,
 * <real_timestamp>,<len>,[<v0> <v1> ... ]" plus a newline. */
size_t vnode_csv_line_bytes(const csi_capture_t *c)
{
    char line[8192];
    int n = snprintf(line, sizeof(line),
                     "CSI_DATA,STA,%02X:%02X:%02X:%02X:%02X:%02X,%d,11,%u,%u,%u,0,1,0,%u,0,0,%d,0,%u,%u,%u,0,98,0,1,"
                     "1767225600.123456,%u,[",
                     c->mac[0], c->mac[1], c->mac[2], c->mac[3], c->mac[4], c->mac[5], c->rssi, c->sig_mode, c->mcs,
                     c->cwb, c->stbc, c->noise_floor, c->channel, c->secondary_channel, c->timestamp_us, c->len);
    size_t total = n > 0 ? (size_t)n : 0;
    for (uint16_t i = 0; i < c->len; i++) {
        char v[8];
        int m = snprintf(v, sizeof(v), "%d ", c->buf[i]);
        total += m > 0 ? (size_t)m : 0;
    }
    return total + 2; /* "]\n" */
}
