/*
 * Sensing node: measures WiFi CSI and streams it to the gateway as sensing.v1 protobuf
 * envelopes (UDP port 5566 or MQTT). Settings: idf.py menuconfig -> "Sensing node".
 *
 * Boot wiring only; the work is in components/capture (WiFi callback -> ring buffer),
 * components/csi_core (frames, batching, counters) and components/uplink (the sending task).
 */
#include <stdbool.h>
#include <stdio.h>

#include "capture.h"
#include "csi_core/csi_batch.h"
#include "csi_core/csi_node.h"
#include "esp_err.h"
#include "esp_log.h"
#include "esp_mac.h"
#include "sdkconfig.h"
#include "uplink.h"

static const char *TAG = "sensing_node";

/* Kconfig bools are defined (as 1) when enabled and absent otherwise. */
#ifdef CONFIG_CSI_LTF_LLTF
#define OPT_LLTF true
#else
#define OPT_LLTF false
#endif
#ifdef CONFIG_CSI_LTF_HT
#define OPT_HTLTF true
#else
#define OPT_HTLTF false
#endif
#ifdef CONFIG_CSI_LTF_STBC
#define OPT_STBC true
#else
#define OPT_STBC false
#endif
#ifdef CONFIG_CSI_CHANNEL_FILTER
#define OPT_CHANNEL_FILTER true
#else
#define OPT_CHANNEL_FILTER false
#endif
#ifdef CONFIG_CSI_ACCEPT_AP_ONLY
#define OPT_AP_ONLY true
#else
#define OPT_AP_ONLY false
#endif
#ifdef CONFIG_CSI_PROMISCUOUS
#define OPT_PROMISCUOUS true
#else
#define OPT_PROMISCUOUS false
#endif
#ifdef CONFIG_CSI_REPORT_GAIN
#define OPT_REPORT_GAIN true
#else
#define OPT_REPORT_GAIN false
#endif

static csi_capture_t s_slots[CONFIG_CSI_RING_SLOTS];
static csi_node_t s_node;
static char s_device_id[CSI_DEVICE_ID_MAX + 1];
#if CONFIG_CSI_TRANSPORT_MQTT
static char s_topic[96];
#endif

static void pick_device_id(void)
{
    if (CONFIG_CSI_DEVICE_ID[0] != '\0') {
        snprintf(s_device_id, sizeof(s_device_id), "%s", CONFIG_CSI_DEVICE_ID);
        return;
    }
    uint8_t mac[6] = {0};
    ESP_ERROR_CHECK(esp_read_mac(mac, ESP_MAC_WIFI_STA));
    snprintf(s_device_id, sizeof(s_device_id), "esp32-%02x%02x%02x%02x%02x%02x",
             mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

void app_main(void)
{
    pick_device_id();
    ESP_ERROR_CHECK(csi_node_init(&s_node, s_slots, CONFIG_CSI_RING_SLOTS, CONFIG_CSI_MAX_RATE_HZ, 4, 0) == CSI_OK
                    ? ESP_OK : ESP_ERR_INVALID_ARG);

    const capture_config_t capture = {
        .ssid = CONFIG_CSI_WIFI_SSID,
        .password = CONFIG_CSI_WIFI_PASSWORD,
        .lltf = OPT_LLTF,
        .htltf = OPT_HTLTF,
        .stbc_htltf = OPT_STBC,
        .channel_filter = OPT_CHANNEL_FILTER,
        .ap_only = OPT_AP_ONLY,
        .promiscuous = OPT_PROMISCUOUS,
        .report_gain = OPT_REPORT_GAIN,
        .ping_hz = CONFIG_CSI_RATE_HZ,
        .ping_target = CONFIG_CSI_PING_TARGET,
    };
    ESP_ERROR_CHECK(capture_wifi_connect(&capture, 60000));
    ESP_ERROR_CHECK(capture_time_start(CONFIG_CSI_SNTP_SERVER));

    uplink_config_t uplink = {
        .mtu = CONFIG_CSI_MTU,
        .max_frames = CONFIG_CSI_BATCH_MAX_FRAMES,
        .linger_ms = CONFIG_CSI_BATCH_LINGER_MS,
        .stats_interval_s = CONFIG_CSI_STATS_INTERVAL_S,
        .frame = {
            .device_id = s_device_id,
            .chip = capture_chip_family(),
            .ltf_mask = capture_ltf_mask(&capture),
        },
    };
#if CONFIG_CSI_TRANSPORT_MQTT
    snprintf(s_topic, sizeof(s_topic), "%s%s", CONFIG_CSI_MQTT_TOPIC_PREFIX, s_device_id);
    uplink.transport = UPLINK_MQTT;
    uplink.mqtt_uri = CONFIG_CSI_MQTT_URI;
    uplink.mqtt_topic = s_topic;
    uplink.mqtt_qos = CONFIG_CSI_MQTT_QOS;
#else
    uplink.transport = UPLINK_UDP;
    uplink.host = CONFIG_CSI_GATEWAY_HOST;
    uplink.port = CONFIG_CSI_GATEWAY_PORT;
#endif
    TaskHandle_t consumer = NULL;
    ESP_ERROR_CHECK(uplink_start(&uplink, &s_node, &consumer));
    ESP_ERROR_CHECK(capture_start(&capture, &s_node, consumer));
    ESP_ERROR_CHECK(capture_traffic_start(&capture));
    ESP_LOGI(TAG, "streaming CSI as %s", s_device_id);
}
