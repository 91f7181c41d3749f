#include "csi_core/csi_err.h"

const char *csi_err_name(csi_err_t err)
{
    switch (err) {
    case CSI_OK:
        return "ok";
    case CSI_ERR_INVALID_ARG:
        return "invalid argument";
    case CSI_ERR_LAYOUT:
        return "buffer fits no subcarrier layout";
    case CSI_ERR_TOO_LARGE:
        return "frame larger than the MTU";
    case CSI_ERR_BATCH_FULL:
        return "batch full";
    case CSI_ERR_SEND:
        return "send failed";
    }
    return "unknown";
}
