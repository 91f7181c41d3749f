/*
 * Turns the raw CSI buffer of one packet into the vector the gateway expects: the training
 * fields the buffer holds, each placed into its own FFT-ordered block (bin k is subcarrier k
 * for k < N/2, k - N otherwise; N = 64 for a 20 MHz field, 128 for a 40 MHz one).
 *
 * ESP-IDF's table ("Wi-Fi Channel State Information" in the WiFi driver guide) gives, per
 * secondary channel, signal mode, bandwidth and STBC, which subcarriers each field covers:
 *
 *   secondary  packet        LLTF            HT-LTF               STBC-HT-LTF          bytes
 *   none       non-HT        0~31,-32~-1     -                    -                    128
 *   none       HT20          0~31,-32~-1     0~31,-32~-1          -                    256
 *   none       HT20 STBC     0~31,-32~-1     0~31,-32~-1          0~31,-32~-1          384
 *   below      non-HT        0~63            -                    -                    128
 *   below      HT20          0~63            0~63                 -                    256
 *   below      HT20 STBC     0~63            0~62                 0~62                 380
 *   below      HT40          0~63            0~63,-64~-1          -                    384
 *   below      HT40 STBC     0~63            0~60,-60~-1          0~60,-60~-1          612
 *   above      non-HT        -64~-1          -                    -                    128
 *   above      HT20          -64~-1          -64~-1               -                    256
 *   above      HT20 STBC     -64~-1          -62~-1               -62~-1               376
 *   above      HT40          -64~-1          0~63,-64~-1          -                    384
 *   above      HT40 STBC     -64~-1          0~60,-60~-1          0~60,-60~-1          612
 *
 * With a secondary channel the indexes count from the centre of the 40 MHz channel, so a
 * 20 MHz field (the primary channel's) is shifted by 32 to its own centre before it is placed.
 * Fields disabled in wifi_csi_config_t are absent from the buffer. Bins no subcarrier fills
 * are zero and listed as invalid, as are the two pairs of an invalid first word.
 *
 * The gateway's layouts: LLTF (64), LLTF + HT-LTF (128 at HT20, 192 at HT40), LLTF + HT-LTF +
 * STBC HT-LTF (192, 320) and HT-LTF only (64, 128). A buffer with an STBC field but no LLTF
 * or no HT-LTF keeps its other fields and drops the STBC one.
 *
 * WiFi 6 chips (C5, C6) report one field per packet, valid subcarriers only:
 * L-LTF -26~26 (106 bytes), HT-LTF -28~28 (114), HT40 HT-LTF -58~58 (234), each doubled for
 * STBC (the second copy is dropped). Only packets without a secondary channel offset, or
 * HT40, are mapped; others count as bad layout.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "csi_core/csi_capture.h"
#include "csi_core/csi_err.h"
#include "sensing/v1/sensing.pb-c.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Training fields enabled in the CSI configuration (wifi_csi_config_t on the classic MAC). */
#define CSI_LTF_LLTF 0x1u
#define CSI_LTF_HT 0x2u
#define CSI_LTF_STBC 0x4u
#define CSI_LTF_ALL (CSI_LTF_LLTF | CSI_LTF_HT | CSI_LTF_STBC)

/* Longest normalised vector: LLTF + HT40 HT-LTF + HT40 STBC HT-LTF. */
#define CSI_MAX_PAIRS 320
#define CSI_MAX_INVALID 48

typedef struct {
    Sensing__V1__SubcarrierLayout layout;
    Sensing__V1__Bandwidth bandwidth;
    Sensing__V1__SecondaryChannel secondary;
    uint16_t pairs;                       /* subcarriers in the vector */
    uint16_t n_invalid;
    uint32_t invalid[CSI_MAX_INVALID];    /* ascending positions in the vector */
} csi_shape_t;

/*
 * Places cap->buf into out (2 * CSI_MAX_PAIRS bytes) and describes the result.
 * Returns CSI_ERR_LAYOUT when the length matches no layout the packet allows.
 */
csi_err_t csi_layout_normalize(const csi_capture_t *cap, csi_chip_family_t chip, unsigned ltf_mask,
                               int8_t out[2 * CSI_MAX_PAIRS], csi_shape_t *shape);

/* Subcarrier count the gateway accepts for a layout and bandwidth (0 when none). */
uint16_t csi_layout_expected_pairs(Sensing__V1__SubcarrierLayout layout, Sensing__V1__Bandwidth bandwidth);

#ifdef __cplusplus
}
#endif
