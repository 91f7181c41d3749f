/*
 * Wall-clock time from SNTP, so frames carry device_wall_time_us next to the radio's
 * microsecond counter. Until the first sync the field stays 0 ("unknown").
 */
#include <stdatomic.h>
#include <sys/time.h>

#include "capture.h"
#include "esp_check.h"
#include "esp_log.h"
#include "esp_netif_sntp.h"

static const char *TAG = "capture_time";

static atomic_bool s_synced;

static void on_sync(struct timeval *tv)
{
    (void)tv;
    if (!atomic_load(&s_synced)) {
        ESP_LOGI(TAG, "wall clock set by SNTP");
    }
    atomic_store(&s_synced, true);
}

esp_err_t capture_time_start(const char *server)
{
    if (server == NULL || server[0] == '\0') {
        ESP_LOGI(TAG, "no SNTP server: device_wall_time_us stays 0");
        return ESP_OK;
    }
    esp_sntp_config_t cfg = ESP_NETIF_SNTP_DEFAULT_CONFIG(server);
    cfg.sync_cb = on_sync;
    ESP_RETURN_ON_ERROR(esp_netif_sntp_init(&cfg), TAG, "SNTP init");
    return ESP_OK;
}

int64_t capture_time_now_us(void)
{
    if (!atomic_load_explicit(&s_synced, memory_order_relaxed)) {
        return 0;
    }
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}
