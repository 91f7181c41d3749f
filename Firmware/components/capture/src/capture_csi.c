/*
 * The CSI callback: copies what csi_core needs out of wifi_csi_info_t into a ring slot and
 * returns. It runs in the WiFi task, so it does no encoding, logging or blocking.
 */
#include <string.h>

#include "capture.h"
#include "csi_core/csi_layout.h"
#include "esp_check.h"
#include "esp_log.h"
#include "esp_mac.h"
#include "esp_wifi.h"
#include "soc/soc_caps.h"

#if __has_include("esp_csi_gain_ctrl.h")
#include "esp_csi_gain_ctrl.h"
#endif
#if defined(WIFI_CSI_PHY_GAIN_ENABLE) && WIFI_CSI_PHY_GAIN_ENABLE
#define CAPTURE_HAS_GAIN 1
#else
#define CAPTURE_HAS_GAIN 0
#endif

static const char *TAG = "capture";

typedef struct {
    csi_node_t *node;
    TaskHandle_t consumer;
    bool ap_only;
    bool report_gain;
    uint8_t ap_mac[6];
} capture_state_t;

static capture_state_t s_state;

csi_chip_family_t capture_chip_family(void)
{
#if CONFIG_SOC_WIFI_HE_SUPPORT
    return CSI_CHIP_HE;
#else
    return CSI_CHIP_CLASSIC;
#endif
}

unsigned capture_ltf_mask(const capture_config_t *cfg)
{
    unsigned mask = 0;
    mask |= cfg->lltf ? CSI_LTF_LLTF : 0;
    mask |= cfg->htltf ? CSI_LTF_HT : 0;
    mask |= cfg->stbc_htltf ? CSI_LTF_STBC : 0;
    return mask;
}

/* rx_ctrl differs between the classic MAC and the WiFi 6 MAC. */
static void copy_rx_ctrl(csi_capture_t *slot, const wifi_pkt_rx_ctrl_t *rx)
{
    slot->rssi = (int8_t)rx->rssi;
    slot->noise_floor = (int8_t)rx->noise_floor;
    slot->channel = (uint8_t)rx->channel;
#if CONFIG_SOC_WIFI_HE_SUPPORT
    slot->secondary_channel = (uint8_t)rx->second;
    switch (rx->cur_bb_format) {
    case RX_BB_FORMAT_HT:
        slot->sig_mode = CSI_SIG_MODE_HT;
        break;
    case RX_BB_FORMAT_VHT:
        slot->sig_mode = CSI_SIG_MODE_VHT;
        break;
    case RX_BB_FORMAT_11B:
    case RX_BB_FORMAT_11G:
        slot->sig_mode = CSI_SIG_MODE_NON_HT;
        break;
    default:
        slot->sig_mode = 4;   /* HE: csi_core has no gateway layout for HE-LTF and drops it */
        break;
    }
    slot->cwb = 0;     /* the WiFi 6 rx_ctrl has no bandwidth bit: csi_core reads it off the length */
    slot->stbc = 0;
    slot->mcs = 0;
    slot->antenna = 0;
#else
    slot->secondary_channel = (uint8_t)rx->secondary_channel;
    slot->sig_mode = (uint8_t)rx->sig_mode;
    slot->cwb = (uint8_t)rx->cwb;
    slot->stbc = (uint8_t)rx->stbc;
    slot->mcs = (uint8_t)rx->mcs;
    slot->antenna = (uint8_t)rx->ant;
#endif
}

static void csi_callback(void *ctx, wifi_csi_info_t *info)
{
    capture_state_t *st = ctx;
    if (info == NULL || info->buf == NULL) {
        return;
    }
    if (st->ap_only && memcmp(info->mac, st->ap_mac, sizeof(st->ap_mac)) != 0) {
        return;
    }
    csi_capture_t *slot = csi_node_begin(st->node, info->rx_ctrl.timestamp);
    if (slot == NULL) {
        return;    /* rate limited or ring full: counted by csi_core */
    }
    if (!csi_node_copy_buf(st->node, info->buf, info->len)) {
        return;    /* oversize: counted */
    }
    copy_rx_ctrl(slot, &info->rx_ctrl);
    slot->wall_time_us = capture_time_now_us();
    slot->first_word_invalid = info->first_word_invalid;
    memcpy(slot->mac, info->mac, sizeof(slot->mac));
    slot->gain_valid = false;
    slot->agc_gain = 0;
    slot->fft_gain = 0;
#if CAPTURE_HAS_GAIN
    if (st->report_gain) {
        uint8_t agc = 0;
        int8_t fft = 0;
        esp_csi_gain_ctrl_get_rx_gain(&info->rx_ctrl, &agc, &fft);
        slot->agc_gain = agc;
        slot->fft_gain = fft;
        slot->gain_valid = true;
    }
#endif
    csi_node_commit(st->node);
    if (st->consumer != NULL) {
        xTaskNotifyGive(st->consumer);
    }
}

static esp_err_t configure_csi(const capture_config_t *cfg)
{
#if CONFIG_SOC_WIFI_HE_SUPPORT
    /* WiFi 6 MAC: wifi_csi_config_t is wifi_csi_acquire_config_t, one field per packet type.
     * HE-LTF (HE20 SU/MU) has no gateway layout, so it stays off. */
    wifi_csi_config_t csi = {
        .enable = 1,
        .acquire_csi_legacy = cfg->lltf ? 1 : 0,
        .acquire_csi_ht20 = cfg->htltf ? 1 : 0,
        .acquire_csi_ht40 = cfg->htltf ? 1 : 0,
        .acquire_csi_su = 0,
        .acquire_csi_mu = 0,
        .acquire_csi_dcm = 0,
        .acquire_csi_beamformed = 0,
#if CONFIG_IDF_TARGET_ESP32C5 || CONFIG_IDF_TARGET_ESP32C61
        /* The C5 generation's variant: it may report the L-LTF of HT packets instead. */
        .acquire_csi_force_lltf = (cfg->lltf && !cfg->htltf) ? 1 : 0,
        .acquire_csi_vht = 0,
        .acquire_csi_he_stbc_mode = 0,
#else
        .acquire_csi_he_stbc = 0,
#endif
        .val_scale_cfg = 0,
    };
#else
    wifi_csi_config_t csi = {
        .lltf_en = cfg->lltf,
        .htltf_en = cfg->htltf,
        .stbc_htltf2_en = cfg->stbc_htltf,
        /* Keep the HT-LTF as measured rather than averaged with the LLTF. */
        .ltf_merge_en = false,
        .channel_filter_en = cfg->channel_filter,
        .manu_scale = false,
        .shift = 0,
    };
#endif
    return esp_wifi_set_csi_config(&csi);
}

esp_err_t capture_start(const capture_config_t *cfg, csi_node_t *node, TaskHandle_t consumer)
{
    ESP_RETURN_ON_FALSE(cfg != NULL && node != NULL, ESP_ERR_INVALID_ARG, TAG, "no config or node");
    ESP_RETURN_ON_FALSE(capture_ltf_mask(cfg) != 0, ESP_ERR_INVALID_ARG, TAG, "no training field enabled");
    s_state.node = node;
    s_state.consumer = consumer;
    s_state.ap_only = cfg->ap_only;
    s_state.report_gain = cfg->report_gain;
    if (cfg->ap_only) {
        wifi_ap_record_t ap;
        ESP_RETURN_ON_ERROR(esp_wifi_sta_get_ap_info(&ap), TAG, "not associated");
        memcpy(s_state.ap_mac, ap.bssid, sizeof(s_state.ap_mac));
        ESP_LOGI(TAG, "CSI from the access point " MACSTR " only", MAC2STR(ap.bssid));
    }
    /* A steady CSI rate needs the radio awake. */
    ESP_RETURN_ON_ERROR(esp_wifi_set_ps(WIFI_PS_NONE), TAG, "power save off");
    if (cfg->promiscuous) {
        ESP_RETURN_ON_ERROR(esp_wifi_set_promiscuous(true), TAG, "promiscuous mode");
    }
    ESP_RETURN_ON_ERROR(configure_csi(cfg), TAG, "CSI configuration");
    ESP_RETURN_ON_ERROR(esp_wifi_set_csi_rx_cb(csi_callback, &s_state), TAG, "CSI callback");
    ESP_RETURN_ON_ERROR(esp_wifi_set_csi(true), TAG, "CSI enable");
    ESP_LOGI(TAG, "CSI on (%s MAC, fields 0x%x, gain %s)",
             capture_chip_family() == CSI_CHIP_HE ? "WiFi 6" : "classic", capture_ltf_mask(cfg),
             CAPTURE_HAS_GAIN && cfg->report_gain ? "reported" : "not available");
    return ESP_OK;
}
