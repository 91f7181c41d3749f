/*
 * The task that turns captures into datagrams: woken by the CSI callback (task notification)
 * or by the batch linger timeout, it runs csi_pipeline_poll and logs the counters now and then.
 */
#include <inttypes.h>

#include "csi_core/csi_pipeline.h"
#include "esp_check.h"
#include "esp_log.h"
#include "esp_timer.h"
#include "uplink.h"

static const char *TAG = "uplink";

#define UPLINK_TASK_STACK 4096
#define UPLINK_TASK_PRIO 5

static struct {
    csi_pipeline_t pipeline;
    const uplink_transport_ops_t *ops;
    uint32_t linger_ms;
    int64_t stats_every_us;
    int64_t next_stats_us;
} s_up;

static csi_err_t send_datagram(void *ctx, const uint8_t *data, size_t len)
{
    (void)ctx;
    return s_up.ops->send(data, len) == ESP_OK ? CSI_OK : CSI_ERR_SEND;
}

static void log_stats(const csi_node_t *node)
{
    csi_counters_snapshot_t s = csi_counters_snapshot(&node->counters);
    ESP_LOGI(TAG, "captured %" PRIu32 ", sent %" PRIu32 " frames in %" PRIu32 " datagrams (%" PRIu32 " B); "
             "skipped by rate limit %" PRIu32 "; lost: ring full %" PRIu32 ", oversize %" PRIu32 ", layout %" PRIu32
             ", too large %" PRIu32 ", send failed %" PRIu32,
             s.captured, s.frames_sent, s.datagrams_sent, s.bytes_sent, s.rate_limited, s.ring_full, s.oversize,
             s.bad_layout, s.too_large, s.send_failed);
}

static void uplink_task(void *arg)
{
    (void)arg;
    TickType_t wait = pdMS_TO_TICKS(s_up.linger_ms > 0 ? s_up.linger_ms : 1);
    if (wait == 0) {
        wait = 1;
    }
    for (;;) {
        ulTaskNotifyTake(pdTRUE, wait);
        int64_t now = esp_timer_get_time();
        s_up.ops->maintain(now);
        csi_pipeline_poll(&s_up.pipeline, (uint64_t)now, 0);
        if (s_up.stats_every_us > 0 && now >= s_up.next_stats_us) {
            s_up.next_stats_us = now + s_up.stats_every_us;
            log_stats(s_up.pipeline.node);
        }
    }
}

esp_err_t uplink_start(const uplink_config_t *cfg, csi_node_t *node, TaskHandle_t *task)
{
    ESP_RETURN_ON_FALSE(cfg != NULL && node != NULL && task != NULL, ESP_ERR_INVALID_ARG, TAG, "bad arguments");
    if (cfg->transport == UPLINK_MQTT) {
        ESP_RETURN_ON_ERROR(uplink_mqtt_init(cfg->mqtt_uri, cfg->mqtt_topic, cfg->mqtt_qos, &s_up.ops), TAG, "MQTT");
    } else {
        ESP_RETURN_ON_ERROR(uplink_udp_init(cfg->host, cfg->port, &s_up.ops), TAG, "UDP");
    }
    csi_err_t err = csi_pipeline_init(&s_up.pipeline, node, &cfg->frame, cfg->mtu, cfg->max_frames,
                                      (uint64_t)cfg->linger_ms * 1000u, send_datagram, NULL);
    ESP_RETURN_ON_FALSE(err == CSI_OK, ESP_ERR_INVALID_ARG, TAG, "pipeline: %s", csi_err_name(err));
    s_up.linger_ms = cfg->linger_ms;
    s_up.stats_every_us = (int64_t)cfg->stats_interval_s * 1000000;
    s_up.next_stats_us = esp_timer_get_time() + s_up.stats_every_us;
    BaseType_t ok = xTaskCreate(uplink_task, "uplink", UPLINK_TASK_STACK, NULL, UPLINK_TASK_PRIO, task);
    ESP_RETURN_ON_FALSE(ok == pdPASS, ESP_ERR_NO_MEM, TAG, "task");
    ESP_LOGI(TAG, "device %s: batches of <= %u frames, <= %u bytes, linger %" PRIu32 " ms", cfg->frame.device_id,
             (unsigned)cfg->max_frames, (unsigned)cfg->mtu, cfg->linger_ms);
    return ESP_OK;
}
