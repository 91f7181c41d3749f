// CMosquitto: libmosquitto (MQTT 3.1.1/5 client) for the MQTT source.
// This shim exists so Swift sees one header and the MQTT 5 property helpers.
#ifndef C_MOSQUITTO_SHIM_H
#define C_MOSQUITTO_SHIM_H
#include <mosquitto.h>
#include <mqtt_protocol.h>
#endif
