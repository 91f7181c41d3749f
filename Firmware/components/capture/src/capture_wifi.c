/*
 * WiFi station: joins the configured network and stays joined (reconnects with backoff).
 */
#include <string.h>

#include "capture.h"
#include "esp_check.h"
#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_timer.h"
#include "esp_wifi.h"
#include "freertos/event_groups.h"
#include "nvs_flash.h"

static const char *TAG = "capture_wifi";

#define GOT_IP_BIT BIT0
#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 30000

static EventGroupHandle_t s_events;
static esp_timer_handle_t s_reconnect_timer;
static uint32_t s_backoff_ms = BACKOFF_MIN_MS;

static void reconnect(void *arg)
{
    (void)arg;
    esp_err_t err = esp_wifi_connect();
    if (err != ESP_OK) {
        ESP_LOGW(TAG, "connect: %s", esp_err_to_name(err));
    }
}

static void on_event(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    if (base == WIFI_EVENT && id == WIFI_EVENT_STA_START) {
        reconnect(NULL);
    } else if (base == WIFI_EVENT && id == WIFI_EVENT_STA_DISCONNECTED) {
        const wifi_event_sta_disconnected_t *d = data;
        xEventGroupClearBits(s_events, GOT_IP_BIT);
        ESP_LOGW(TAG, "disconnected (reason %d), retrying in %u ms", d->reason, (unsigned)s_backoff_ms);
        esp_timer_stop(s_reconnect_timer);
        esp_timer_start_once(s_reconnect_timer, (uint64_t)s_backoff_ms * 1000u);
        s_backoff_ms = s_backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : s_backoff_ms * 2;
    } else if (base == IP_EVENT && id == IP_EVENT_STA_GOT_IP) {
        const ip_event_got_ip_t *e = data;
        ESP_LOGI(TAG, "address " IPSTR ", gateway " IPSTR, IP2STR(&e->ip_info.ip), IP2STR(&e->ip_info.gw));
        s_backoff_ms = BACKOFF_MIN_MS;
        xEventGroupSetBits(s_events, GOT_IP_BIT);
    }
}

static esp_err_t init_nvs(void)
{
    esp_err_t err = nvs_flash_init();
    if (err == ESP_ERR_NVS_NO_FREE_PAGES || err == ESP_ERR_NVS_NEW_VERSION_FOUND) {
        ESP_RETURN_ON_ERROR(nvs_flash_erase(), TAG, "erase NVS");
        err = nvs_flash_init();
    }
    return err;
}

esp_err_t capture_wifi_connect(const capture_config_t *cfg, uint32_t timeout_ms)
{
    ESP_RETURN_ON_FALSE(cfg != NULL && cfg->ssid != NULL && cfg->ssid[0] != '\0', ESP_ERR_INVALID_ARG, TAG,
                        "no SSID configured (idf.py menuconfig, Sensing node -> WiFi)");
    ESP_RETURN_ON_ERROR(init_nvs(), TAG, "NVS");
    ESP_RETURN_ON_ERROR(esp_netif_init(), TAG, "netif");
    ESP_RETURN_ON_ERROR(esp_event_loop_create_default(), TAG, "event loop");
    ESP_RETURN_ON_FALSE(esp_netif_create_default_wifi_sta() != NULL, ESP_FAIL, TAG, "station netif");
    s_events = xEventGroupCreate();
    ESP_RETURN_ON_FALSE(s_events != NULL, ESP_ERR_NO_MEM, TAG, "event group");
    const esp_timer_create_args_t timer = {.callback = reconnect, .name = "wifi_reconnect"};
    ESP_RETURN_ON_ERROR(esp_timer_create(&timer, &s_reconnect_timer), TAG, "reconnect timer");

    wifi_init_config_t init = WIFI_INIT_CONFIG_DEFAULT();
    ESP_RETURN_ON_ERROR(esp_wifi_init(&init), TAG, "WiFi init");
    ESP_RETURN_ON_ERROR(esp_event_handler_instance_register(WIFI_EVENT, ESP_EVENT_ANY_ID, on_event, NULL, NULL),
                        TAG, "WiFi events");
    ESP_RETURN_ON_ERROR(esp_event_handler_instance_register(IP_EVENT, IP_EVENT_STA_GOT_IP, on_event, NULL, NULL),
                        TAG, "IP events");

    wifi_config_t wc = {0};
    strlcpy((char *)wc.sta.ssid, cfg->ssid, sizeof(wc.sta.ssid));
    if (cfg->password != NULL) {
        strlcpy((char *)wc.sta.password, cfg->password, sizeof(wc.sta.password));
    }
    wc.sta.threshold.authmode = (cfg->password == NULL || cfg->password[0] == '\0') ? WIFI_AUTH_OPEN : WIFI_AUTH_WPA2_PSK;
    ESP_RETURN_ON_ERROR(esp_wifi_set_storage(WIFI_STORAGE_RAM), TAG, "WiFi storage");
    ESP_RETURN_ON_ERROR(esp_wifi_set_mode(WIFI_MODE_STA), TAG, "station mode");
    ESP_RETURN_ON_ERROR(esp_wifi_set_config(WIFI_IF_STA, &wc), TAG, "station config");
    ESP_RETURN_ON_ERROR(esp_wifi_start(), TAG, "WiFi start");
    ESP_LOGI(TAG, "joining \"%s\"", cfg->ssid);

    EventBits_t bits = xEventGroupWaitBits(s_events, GOT_IP_BIT, pdFALSE, pdTRUE, pdMS_TO_TICKS(timeout_ms));
    ESP_RETURN_ON_FALSE((bits & GOT_IP_BIT) != 0, ESP_ERR_TIMEOUT, TAG, "no address within %u ms", (unsigned)timeout_ms);
    return ESP_OK;
}
