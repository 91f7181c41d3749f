/*
 * Traffic that carries CSI: ICMP echo requests to the access point (or a configured host) at a
 * set rate. Each reply is a packet the radio measures, so CSI arrives at the ping rate even on
 * a quiet network.
 */
#include <string.h>

#include "capture.h"
#include "esp_check.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "lwip/inet.h"
#include "lwip/ip_addr.h"
#include "ping/ping_sock.h"

static const char *TAG = "capture_traffic";

static esp_ping_handle_t s_ping;

static esp_err_t ping_target(const capture_config_t *cfg, ip_addr_t *target)
{
    ip4_addr_t v4;
    if (cfg->ping_target != NULL && cfg->ping_target[0] != '\0') {
        ESP_RETURN_ON_FALSE(ip4addr_aton(cfg->ping_target, &v4) == 1, ESP_ERR_INVALID_ARG, TAG,
                            "ping target '%s' is not an IPv4 address", cfg->ping_target);
    } else {
        esp_netif_t *sta = esp_netif_get_handle_from_ifkey("WIFI_STA_DEF");
        ESP_RETURN_ON_FALSE(sta != NULL, ESP_ERR_INVALID_STATE, TAG, "no station interface");
        esp_netif_ip_info_t info;
        ESP_RETURN_ON_ERROR(esp_netif_get_ip_info(sta, &info), TAG, "station address");
        v4.addr = info.gw.addr;
    }
    ip_addr_copy_from_ip4(*target, v4);
    return ESP_OK;
}

esp_err_t capture_traffic_start(const capture_config_t *cfg)
{
    ESP_RETURN_ON_FALSE(cfg != NULL, ESP_ERR_INVALID_ARG, TAG, "no config");
    if (cfg->ping_hz == 0) {
        ESP_LOGI(TAG, "no traffic of our own: CSI from whatever the network sends");
        return ESP_OK;
    }
    esp_ping_config_t pc = ESP_PING_DEFAULT_CONFIG();
    ESP_RETURN_ON_ERROR(ping_target(cfg, &pc.target_addr), TAG, "ping target");
    pc.count = ESP_PING_COUNT_INFINITE;
    pc.interval_ms = cfg->ping_hz >= 1000 ? 1 : 1000 / cfg->ping_hz;
    pc.timeout_ms = 1000;
    pc.data_size = 1;             /* a small request; the reply is what carries CSI */
    pc.task_stack_size = 3072;
    esp_ping_callbacks_t cbs = {0};
    ESP_RETURN_ON_ERROR(esp_ping_new_session(&pc, &cbs, &s_ping), TAG, "ping session");
    ESP_RETURN_ON_ERROR(esp_ping_start(s_ping), TAG, "ping start");
    ESP_LOGI(TAG, "pinging %s every %u ms", ipaddr_ntoa(&pc.target_addr), (unsigned)pc.interval_ms);
    return ESP_OK;
}
