#include <string.h>
#include <time.h>

#include "test_support.h"

int test_failures = 0;

int test_finish(const char *name)
{
    if (test_failures > 0) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, test_failures);
        return 1;
    }
    printf("%s: ok\n", name);
    return 0;
}

uint64_t test_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

csi_capture_t test_capture(uint8_t secondary, uint8_t sig_mode, uint8_t cwb, uint8_t stbc, uint16_t len)
{
    csi_capture_t cap;
    memset(&cap, 0, sizeof(cap));
    cap.secondary_channel = secondary;
    cap.sig_mode = sig_mode;
    cap.cwb = cwb;
    cap.stbc = stbc;
    cap.len = len;
    cap.rssi = -50;
    cap.noise_floor = -92;
    cap.channel = 6;
    for (uint16_t i = 0; i < len / 2; i++) {
        cap.buf[2 * i] = (int8_t)(i % 128);
        cap.buf[2 * i + 1] = (int8_t)(-(int)(i % 128) - 1);
    }
    return cap;
}

uint64_t test_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}
