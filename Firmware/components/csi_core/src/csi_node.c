#include <string.h>

#include "csi_core/csi_node.h"

csi_err_t csi_node_init(csi_node_t *node, csi_capture_t *slots, uint32_t capacity,
                        uint32_t rate_hz, uint32_t burst, uint32_t first_sequence)
{
    if (node == NULL) {
        return CSI_ERR_INVALID_ARG;
    }
    csi_err_t err = csi_ring_init(&node->ring, slots, capacity);
    if (err != CSI_OK) {
        return err;
    }
    csi_rate_init(&node->rate, rate_hz, burst);
    csi_counters_init(&node->counters);
    node->next_sequence = first_sequence;
    node->reserved = NULL;
    return CSI_OK;
}

csi_capture_t *csi_node_begin(csi_node_t *node, uint32_t timestamp_us)
{
    csi_counter_add(&node->counters.captured, 1);
    if (!csi_rate_allow(&node->rate, timestamp_us)) {
        csi_counter_add(&node->counters.rate_limited, 1);
        return NULL;
    }
    uint32_t sequence = node->next_sequence++;
    csi_capture_t *slot = csi_ring_reserve(&node->ring);
    if (slot == NULL) {
        csi_counter_add(&node->counters.ring_full, 1);
        return NULL;
    }
    slot->sequence = sequence;
    slot->timestamp_us = timestamp_us;
    node->reserved = slot;
    return slot;
}

bool csi_node_copy_buf(csi_node_t *node, const int8_t *buf, uint16_t len)
{
    csi_capture_t *slot = node->reserved;
    if (slot == NULL) {
        return false;
    }
    if (len > CSI_MAX_BUF_LEN || (len > 0 && buf == NULL)) {
        node->reserved = NULL;
        csi_counter_add(&node->counters.oversize, 1);
        return false;
    }
    if (len > 0) {
        memcpy(slot->buf, buf, len);
    }
    slot->len = len;
    return true;
}

void csi_node_commit(csi_node_t *node)
{
    if (node->reserved == NULL) {
        return;
    }
    node->reserved = NULL;
    csi_ring_commit(&node->ring);
}
