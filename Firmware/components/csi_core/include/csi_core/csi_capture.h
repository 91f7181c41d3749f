/*
 * One CSI measurement as the WiFi callback hands it over, copied out of ESP-IDF's
 * wifi_csi_info_t / wifi_pkt_rx_ctrl_t into plain fields (no ESP-IDF types, so the core builds
 * and is tested on any host). This is what one ring buffer slot holds.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Largest buffer ESP-IDF delivers: HT40 with STBC on the classic MAC, 612 bytes. */
#define CSI_MAX_BUF_LEN 640

/* Which MAC generation filled the buffer; the buffer layouts differ. */
typedef enum {
    /* ESP32, ESP32-S2, ESP32-S3, ESP32-C3: LLTF, HT-LTF, STBC HT-LTF back to back. */
    CSI_CHIP_CLASSIC = 0,
    /* ESP32-C5, ESP32-C6 (WiFi 6 MAC): one training field per packet, valid subcarriers only. */
    CSI_CHIP_HE = 1,
} csi_chip_family_t;

/* rx_ctrl.secondary_channel (rx_ctrl.second on WiFi 6 chips). */
typedef enum {
    CSI_SECONDARY_NONE = 0,
    CSI_SECONDARY_ABOVE = 1,
    CSI_SECONDARY_BELOW = 2,
} csi_secondary_t;

/* rx_ctrl.sig_mode: the PHY of the packet that carried the CSI. */
typedef enum {
    CSI_SIG_MODE_NON_HT = 0,
    CSI_SIG_MODE_HT = 1,
    CSI_SIG_MODE_VHT = 3,
} csi_sig_mode_t;

typedef struct {
    /* Set by the core's producer side (csi_node_begin), not by the caller. */
    uint32_t sequence;
    /* rx_ctrl.timestamp: the radio's microsecond counter at reception; wraps. */
    uint32_t timestamp_us;
    /* Wall-clock time (SNTP) at reception, Unix microseconds; 0 while unknown. */
    int64_t wall_time_us;
    int8_t rssi;                 /* rx_ctrl.rssi, dBm */
    int8_t noise_floor;          /* rx_ctrl.noise_floor, dBm */
    uint8_t channel;             /* rx_ctrl.channel: primary channel */
    uint8_t secondary_channel;   /* csi_secondary_t */
    uint8_t sig_mode;            /* csi_sig_mode_t */
    uint8_t cwb;                 /* rx_ctrl.cwb: 1 = 40 MHz (classic MAC only) */
    uint8_t stbc;                /* rx_ctrl.stbc: non-zero for STBC packets */
    uint8_t mcs;                 /* rx_ctrl.mcs */
    uint8_t antenna;             /* rx_ctrl.ant */
    bool first_word_invalid;     /* wifi_csi_info_t.first_word_invalid */
    bool gain_valid;             /* agc_gain / fft_gain were read from the chip */
    uint8_t agc_gain;
    int8_t fft_gain;
    uint8_t mac[6];              /* wifi_csi_info_t.mac: transmitter of the packet */
    uint16_t len;                /* wifi_csi_info_t.len: valid bytes in buf */
    int8_t buf[CSI_MAX_BUF_LEN]; /* int8 pairs, imaginary then real */
} csi_capture_t;

#ifdef __cplusplus
}
#endif
