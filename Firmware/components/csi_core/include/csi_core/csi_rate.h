/*
 * Token bucket on the radio's microsecond timestamp: caps the frames per second the node
 * encodes and sends, whatever rate the air delivers CSI at.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint32_t rate_hz;     /* 0: no limit */
    uint32_t burst;       /* frames that may pass back to back after a quiet spell (>= 1) */
    uint64_t tokens;      /* in frame-microseconds: one frame costs 1 000 000 */
    uint32_t last_us;
    bool started;
} csi_rate_t;

void csi_rate_init(csi_rate_t *rate, uint32_t rate_hz, uint32_t burst);

/* True when a frame received at now_us may pass (and takes its token). Timestamps wrap at
 * 2^32 µs; one that goes backwards adds no tokens. */
bool csi_rate_allow(csi_rate_t *rate, uint32_t now_us);

#ifdef __cplusplus
}
#endif
