/*
 * A "virtual ESP32" on the host: csi_core + proto fed with synthetic captures, sending real
 * UDP datagrams, as the firmware's uplink does. Used by virtual_esp32 (the program) and
 * test_udp.
 */
#pragma once

#include <stdint.h>

#include "csi_core/csi_node.h"
#include "csi_core/csi_pipeline.h"

#define VNODE_RING 256

typedef struct {
    int fd;
    csi_capture_t slots[VNODE_RING];
    csi_node_t node;
    csi_pipeline_t pipeline;
    uint64_t seed;
} vnode_t;

/* The buffer shapes a virtual node cycles through (or one of them). */
typedef enum {
    VNODE_MIXED = -1,
    VNODE_LLTF = 0,
    VNODE_HT20 = 1,
    VNODE_HT20_STBC = 2,
    VNODE_HT40 = 3,
    VNODE_HT40_STBC = 4,
    VNODE_SHAPES = 5,
} vnode_shape_t;

/* Opens a UDP socket to host:port. Returns 0, or -1 with errno set. */
int vnode_open(vnode_t *v, const char *device_id, const char *host, uint16_t port, uint32_t rate_hz, size_t mtu);
void vnode_close(vnode_t *v);

/* Producer: one synthetic capture received at radio time t_us. False when dropped. */
int vnode_capture(vnode_t *v, vnode_shape_t shape, uint32_t t_us);

/* Consumer: drains and sends (see csi_pipeline_poll). */
uint32_t vnode_poll(vnode_t *v, uint64_t now_us);

/* Bytes one CSV line of ESP32-CSI-Tool would take for the same capture (for comparisons). */
size_t vnode_csv_line_bytes(const csi_capture_t *c);

/* Fills a capture of the given shape with channel-like synthetic values. */
void vnode_fill(csi_capture_t *c, vnode_shape_t shape, uint64_t *seed);
