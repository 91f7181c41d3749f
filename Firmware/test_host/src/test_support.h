/* Checks that stay on in every build type, and helpers the host tests share. */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "csi_core/csi_capture.h"

extern int test_failures;

#define CHECK(cond) \
    do { \
        if (!(cond)) { \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            test_failures++; \
        } \
    } while (0)

#define CHECK_EQ(a, b) \
    do { \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b); \
        if (check_a_ != check_b_) { \
            fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__, __LINE__, #a, #b, \
                    check_a_, check_b_); \
            test_failures++; \
        } \
    } while (0)

/* Prints the verdict and returns the process exit code. */
int test_finish(const char *name);

/* Deterministic pseudo-random numbers (SplitMix64). */
uint64_t test_rand(uint64_t *state);

/* A capture of the given shape whose pair i holds (imag, real) = (i % 128, -(i % 128) - 1). */
csi_capture_t test_capture(uint8_t secondary, uint8_t sig_mode, uint8_t cwb, uint8_t stbc, uint16_t len);

/* Microseconds on the host's monotonic clock. */
uint64_t test_now_us(void);
