/*
 * CSI capture on the ESP32: joins the WiFi network, configures CSI, and feeds every CSI
 * callback into a csi_node_t (the ring buffer the uplink task drains). Also generates the
 * traffic that carries CSI (ping) and keeps wall-clock time (SNTP).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "csi_core/csi_capture.h"
#include "csi_core/csi_node.h"
#include "esp_err.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    const char *ssid;
    const char *password;
    bool lltf;              /* legacy LTF */
    bool htltf;             /* HT-LTF */
    bool stbc_htltf;        /* STBC HT-LTF (classic MAC) */
    bool channel_filter;
    bool ap_only;           /* keep CSI only of packets the access point sent */
    bool promiscuous;
    bool report_gain;
    uint32_t ping_hz;       /* 0: no traffic of our own */
    const char *ping_target; /* "" or NULL: the network's gateway */
} capture_config_t;

/* Boot: NVS, netif, event loop, WiFi station; returns once an IPv4 address is assigned. Keeps
 * reconnecting (with backoff) if the access point goes away later. */
esp_err_t capture_wifi_connect(const capture_config_t *cfg, uint32_t timeout_ms);

/* Configures CSI and registers the callback that fills `node`; `consumer` (may be NULL) gets
 * a task notification per captured frame. */
esp_err_t capture_start(const capture_config_t *cfg, csi_node_t *node, TaskHandle_t consumer);

/* Pings the target at cfg->ping_hz so the replies carry CSI at a steady rate. */
esp_err_t capture_traffic_start(const capture_config_t *cfg);

/* Starts SNTP; frames carry device_wall_time_us once the first sync arrives. */
esp_err_t capture_time_start(const char *server);

/* Unix microseconds, or 0 before the first SNTP sync. */
int64_t capture_time_now_us(void);

/* What csi_core needs to know about this build's chip and CSI configuration. */
csi_chip_family_t capture_chip_family(void);
unsigned capture_ltf_mask(const capture_config_t *cfg);

#ifdef __cplusplus
}
#endif
