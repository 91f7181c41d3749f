#include "csi_core/csi_rate.h"

#define FRAME_COST 1000000u

void csi_rate_init(csi_rate_t *rate, uint32_t rate_hz, uint32_t burst)
{
    rate->rate_hz = rate_hz;
    rate->burst = burst == 0 ? 1 : burst;
    rate->tokens = (uint64_t)rate->burst * FRAME_COST;
    rate->last_us = 0;
    rate->started = false;
}

bool csi_rate_allow(csi_rate_t *rate, uint32_t now_us)
{
    if (rate->rate_hz == 0) {
        return true;
    }
    uint64_t cap = (uint64_t)rate->burst * FRAME_COST;
    if (rate->started) {
        uint32_t elapsed = now_us - rate->last_us;
        if (elapsed < 0x80000000u) {
            rate->tokens += (uint64_t)elapsed * rate->rate_hz;
            if (rate->tokens > cap) {
                rate->tokens = cap;
            }
            rate->last_us = now_us;
        }
    } else {
        rate->started = true;
        rate->last_us = now_us;
    }
    if (rate->tokens < FRAME_COST) {
        return false;
    }
    rate->tokens -= FRAME_COST;
    return true;
}
