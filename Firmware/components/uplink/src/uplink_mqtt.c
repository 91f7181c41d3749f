/*
 * MQTT transport (esp-mqtt): one Envelope per message on <prefix><device id>. esp-mqtt
 * reconnects by itself; while disconnected, sends fail fast and the frames count as
 * send_failed rather than piling up in the outbox.
 */
#include <stdatomic.h>
#include <string.h>

#include "esp_check.h"
#include "esp_log.h"
#include "mqtt_client.h"
#include "uplink.h"

static const char *TAG = "uplink_mqtt";

static struct {
    esp_mqtt_client_handle_t client;
    char topic[96];
    int qos;
    atomic_bool connected;
} s_mqtt;

static void on_event(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    (void)base;
    (void)data;
    switch ((esp_mqtt_event_id_t)id) {
    case MQTT_EVENT_CONNECTED:
        ESP_LOGI(TAG, "connected, publishing to %s (QoS %d)", s_mqtt.topic, s_mqtt.qos);
        atomic_store(&s_mqtt.connected, true);
        break;
    case MQTT_EVENT_DISCONNECTED:
        ESP_LOGW(TAG, "disconnected; esp-mqtt reconnects");
        atomic_store(&s_mqtt.connected, false);
        break;
    case MQTT_EVENT_ERROR:
        ESP_LOGW(TAG, "transport error");
        break;
    default:
        break;
    }
}

static esp_err_t mqtt_send(const uint8_t *data, size_t len)
{
    if (!atomic_load(&s_mqtt.connected)) {
        return ESP_ERR_INVALID_STATE;
    }
    /* QoS 0 writes to the socket now; QoS 1 queues in the outbox until the broker's PUBACK. */
    int id = esp_mqtt_client_publish(s_mqtt.client, s_mqtt.topic, (const char *)data, (int)len, s_mqtt.qos, 0);
    return id < 0 ? ESP_FAIL : ESP_OK;
}

static void mqtt_maintain(int64_t now_us)
{
    (void)now_us;
}

static const uplink_transport_ops_t s_ops = {.send = mqtt_send, .maintain = mqtt_maintain};

esp_err_t uplink_mqtt_init(const char *uri, const char *topic, int qos, const uplink_transport_ops_t **ops)
{
    ESP_RETURN_ON_FALSE(uri != NULL && topic != NULL && ops != NULL, ESP_ERR_INVALID_ARG, TAG, "no broker or topic");
    ESP_RETURN_ON_FALSE(qos == 0 || qos == 1, ESP_ERR_INVALID_ARG, TAG, "QoS must be 0 or 1");
    ESP_RETURN_ON_FALSE(strlen(topic) < sizeof(s_mqtt.topic), ESP_ERR_INVALID_ARG, TAG, "topic too long");
    strlcpy(s_mqtt.topic, topic, sizeof(s_mqtt.topic));
    s_mqtt.qos = qos;
    atomic_init(&s_mqtt.connected, false);
    const esp_mqtt_client_config_t cfg = {
        .broker.address.uri = uri,
        .network.reconnect_timeout_ms = 2000,
        .session.keepalive = 30,
    };
    s_mqtt.client = esp_mqtt_client_init(&cfg);
    ESP_RETURN_ON_FALSE(s_mqtt.client != NULL, ESP_ERR_NO_MEM, TAG, "client init");
    ESP_RETURN_ON_ERROR(esp_mqtt_client_register_event(s_mqtt.client, ESP_EVENT_ANY_ID, on_event, NULL), TAG,
                        "events");
    ESP_RETURN_ON_ERROR(esp_mqtt_client_start(s_mqtt.client), TAG, "start");
    *ops = &s_ops;
    return ESP_OK;
}
