/*
 * One Sensing__V1__CsiFrame together with the storage its pointers refer to, so a frame can be
 * built once, sized, batched and packed without any allocation.
 */
#pragma once

#include <stdint.h>

#include "csi_core/csi_capture.h"
#include "csi_core/csi_err.h"
#include "csi_core/csi_layout.h"
#include "sensing/v1/sensing.pb-c.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Device ids longer than this are cut (the gateway accepts up to 64 bytes). */
#define CSI_DEVICE_ID_MAX 48

typedef struct {
    const char *device_id;
    csi_chip_family_t chip;
    unsigned ltf_mask;    /* CSI_LTF_* the capture was configured with */
} csi_frame_options_t;

typedef struct {
    Sensing__V1__CsiFrame csi;
    Sensing__V1__Frame frame;    /* wraps csi, for a FrameBatch */
    char device_id[CSI_DEVICE_ID_MAX + 1];
    uint8_t mac[6];
    uint32_t invalid[CSI_MAX_INVALID];
    int8_t pairs[2 * CSI_MAX_PAIRS];
} csi_frame_slot_t;

/* Fills slot from one capture. CSI_ERR_LAYOUT when the buffer fits no layout. */
csi_err_t csi_frame_build(csi_frame_slot_t *slot, const csi_capture_t *cap, const csi_frame_options_t *opt);

#ifdef __cplusplus
}
#endif
