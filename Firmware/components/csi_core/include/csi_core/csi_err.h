/*
 * Result codes of the portable core. The ESP-IDF components map them onto esp_err_t.
 */
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    CSI_OK = 0,
    CSI_ERR_INVALID_ARG,
    /* The buffer length does not match any layout the packet's metadata allows. */
    CSI_ERR_LAYOUT,
    /* One frame alone does not fit the datagram size limit. */
    CSI_ERR_TOO_LARGE,
    /* The batch holds as many frames, or bytes, as it may: flush it, then offer again. */
    CSI_ERR_BATCH_FULL,
    /* The transport did not take the datagram. */
    CSI_ERR_SEND,
} csi_err_t;

const char *csi_err_name(csi_err_t err);

#ifdef __cplusplus
}
#endif
