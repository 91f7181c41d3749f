/*
 * The uplink task: drains the capture ring buffer, builds and batches frames with csi_core,
 * and sends each Envelope over UDP or MQTT. A transport that is down or refuses a datagram
 * costs the frames in it (counted as send_failed, a sequence gap at the gateway) instead of
 * stalling the ring, so the CSI callback never waits.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "csi_core/csi_frame.h"
#include "csi_core/csi_node.h"
#include "esp_err.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    UPLINK_UDP,
    UPLINK_MQTT,
} uplink_transport_t;

typedef struct {
    uplink_transport_t transport;
    const char *host;          /* UDP: gateway address or name */
    uint16_t port;             /* UDP: gateway port (5566) */
    const char *mqtt_uri;      /* MQTT: broker */
    const char *mqtt_topic;    /* MQTT: topic */
    int mqtt_qos;              /* MQTT: 0 or 1 */
    size_t mtu;
    size_t max_frames;
    uint32_t linger_ms;
    uint32_t stats_interval_s;
    csi_frame_options_t frame;
} uplink_config_t;

/* Starts the transport and the task; *task receives the task's handle (for notifications). */
esp_err_t uplink_start(const uplink_config_t *cfg, csi_node_t *node, TaskHandle_t *task);

/* ---- transports (one at a time), used by the task ---- */

typedef struct uplink_transport_ops {
    /* Non-blocking where possible; ESP_OK when the datagram or message was taken. */
    esp_err_t (*send)(const uint8_t *data, size_t len);
    /* Called by the task between sends: reconnects after failures, with backoff. */
    void (*maintain)(int64_t now_us);
} uplink_transport_ops_t;

esp_err_t uplink_udp_init(const char *host, uint16_t port, const uplink_transport_ops_t **ops);
esp_err_t uplink_mqtt_init(const char *uri, const char *topic, int qos, const uplink_transport_ops_t **ops);

#ifdef __cplusplus
}
#endif
