#include <string.h>

#include "csi_core/csi_frame.h"

csi_err_t csi_frame_build(csi_frame_slot_t *slot, const csi_capture_t *cap, const csi_frame_options_t *opt)
{
    if (slot == NULL || cap == NULL || opt == NULL || opt->device_id == NULL) {
        return CSI_ERR_INVALID_ARG;
    }
    csi_shape_t shape;
    csi_err_t err = csi_layout_normalize(cap, opt->chip, opt->ltf_mask, slot->pairs, &shape);
    if (err != CSI_OK) {
        return err;
    }

    size_t id_len = strlen(opt->device_id);
    if (id_len > CSI_DEVICE_ID_MAX) {
        id_len = CSI_DEVICE_ID_MAX;
    }
    memcpy(slot->device_id, opt->device_id, id_len);
    slot->device_id[id_len] = '\0';
    memcpy(slot->mac, cap->mac, sizeof(slot->mac));
    memcpy(slot->invalid, shape.invalid, (size_t)shape.n_invalid * sizeof(slot->invalid[0]));

    Sensing__V1__CsiFrame *f = &slot->csi;
    sensing__v1__csi_frame__init(f);
    f->device_id = slot->device_id;
    f->sequence = cap->sequence;
    f->device_timestamp_us = cap->timestamp_us;
    f->device_wall_time_us = cap->wall_time_us;
    f->receive_time_us = 0;
    f->rssi_dbm = cap->rssi;
    f->noise_floor_dbm = cap->noise_floor;
    f->channel = cap->channel;
    f->secondary_channel = shape.secondary;
    f->bandwidth = shape.bandwidth;
    f->signal_mode = cap->sig_mode;
    f->mcs = cap->mcs;
    f->antenna = cap->antenna;
    f->source_mac.data = slot->mac;
    f->source_mac.len = sizeof(slot->mac);
    f->layout = shape.layout;
    f->first_word_invalid = cap->first_word_invalid ? 1 : 0;
    if (cap->gain_valid) {
        f->agc_gain = cap->agc_gain;
        /* The chip's FFT gain is a signed byte; the schema's field is unsigned: sent as the
         * byte's two's-complement value (0..255). */
        f->fft_gain = (uint8_t)cap->fft_gain;
    }
    f->n_invalid_subcarriers = shape.n_invalid;
    f->invalid_subcarriers = shape.n_invalid > 0 ? slot->invalid : NULL;
    f->csi_case = SENSING__V1__CSI_FRAME__CSI_INT8_PAIRS;
    f->int8_pairs.data = (uint8_t *)slot->pairs;
    f->int8_pairs.len = (size_t)shape.pairs * 2;

    sensing__v1__frame__init(&slot->frame);
    slot->frame.kind_case = SENSING__V1__FRAME__KIND_CSI;
    slot->frame.csi = f;
    return CSI_OK;
}
