/*
 * UDP transport: one Envelope per datagram to the gateway. The socket is reopened (name
 * resolved again) after errors, with exponential backoff; while it is down, sends fail fast.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "esp_check.h"
#include "esp_log.h"
#include "esp_timer.h"
#include "lwip/netdb.h"
#include "lwip/sockets.h"
#include "uplink.h"

static const char *TAG = "uplink_udp";

#define BACKOFF_MIN_US 100000
#define BACKOFF_MAX_US 30000000

static struct {
    char host[64];
    char port[8];
    int fd;
    int64_t retry_at_us;
    int64_t backoff_us;
} s_udp = {.fd = -1};

static void close_socket(int64_t now_us)
{
    if (s_udp.fd >= 0) {
        close(s_udp.fd);
        s_udp.fd = -1;
    }
    s_udp.retry_at_us = now_us + s_udp.backoff_us;
    s_udp.backoff_us = s_udp.backoff_us * 2 > BACKOFF_MAX_US ? BACKOFF_MAX_US : s_udp.backoff_us * 2;
}

static esp_err_t open_socket(void)
{
    const struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_DGRAM};
    struct addrinfo *res = NULL;
    int gai = getaddrinfo(s_udp.host, s_udp.port, &hints, &res);
    ESP_RETURN_ON_FALSE(gai == 0 && res != NULL, ESP_ERR_NOT_FOUND, TAG, "cannot resolve %s (%d)", s_udp.host, gai);
    int fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    if (fd < 0) {
        freeaddrinfo(res);
        ESP_LOGW(TAG, "socket: errno %d", errno);
        return ESP_FAIL;
    }
    if (connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
        ESP_LOGW(TAG, "connect %s:%s: errno %d", s_udp.host, s_udp.port, errno);
        freeaddrinfo(res);
        close(fd);
        return ESP_FAIL;
    }
    freeaddrinfo(res);
    int flags = fcntl(fd, F_GETFL, 0);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    s_udp.fd = fd;
    s_udp.backoff_us = BACKOFF_MIN_US;
    ESP_LOGI(TAG, "sending to %s:%s", s_udp.host, s_udp.port);
    return ESP_OK;
}

static esp_err_t udp_send(const uint8_t *data, size_t len)
{
    if (s_udp.fd < 0) {
        return ESP_ERR_INVALID_STATE;
    }
    ssize_t n = send(s_udp.fd, data, len, 0);
    if (n == (ssize_t)len) {
        return ESP_OK;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOMEM)) {
        return ESP_ERR_NO_MEM;      /* lwIP out of buffers: back-pressure, the socket is fine */
    }
    ESP_LOGW(TAG, "send: errno %d, reopening", errno);
    close_socket(esp_timer_get_time());
    return ESP_FAIL;
}

static void udp_maintain(int64_t now_us)
{
    if (s_udp.fd < 0 && now_us >= s_udp.retry_at_us && open_socket() != ESP_OK) {
        close_socket(now_us);
    }
}

static const uplink_transport_ops_t s_ops = {.send = udp_send, .maintain = udp_maintain};

esp_err_t uplink_udp_init(const char *host, uint16_t port, const uplink_transport_ops_t **ops)
{
    ESP_RETURN_ON_FALSE(host != NULL && host[0] != '\0' && ops != NULL, ESP_ERR_INVALID_ARG, TAG, "no gateway host");
    ESP_RETURN_ON_FALSE(strlen(host) < sizeof(s_udp.host), ESP_ERR_INVALID_ARG, TAG, "host name too long");
    strlcpy(s_udp.host, host, sizeof(s_udp.host));
    snprintf(s_udp.port, sizeof(s_udp.port), "%u", (unsigned)port);
    s_udp.backoff_us = BACKOFF_MIN_US;
    s_udp.retry_at_us = 0;
    if (open_socket() != ESP_OK) {
        close_socket(esp_timer_get_time());   /* retried by udp_maintain */
    }
    *ops = &s_ops;
    return ESP_OK;
}
