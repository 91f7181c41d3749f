#include <string.h>

#include "test_support.h"
#include "vectors.h"

#define N_VECTORS 10

static vector_t table[N_VECTORS];
static int built;

static csi_capture_t capture(uint64_t seed, uint32_t sequence, uint8_t secondary, uint8_t sig_mode, uint8_t cwb,
                             uint8_t stbc, uint16_t len)
{
    csi_capture_t c;
    memset(&c, 0, sizeof(c));
    uint64_t state = seed;
    c.sequence = sequence;
    c.timestamp_us = (uint32_t)(test_rand(&state) & 0xFFFFFFFFu);
    c.wall_time_us = 1767225600000000ll + (int64_t)(test_rand(&state) % 1000000000u);
    c.rssi = (int8_t)(-30 - (int)(test_rand(&state) % 60));
    c.noise_floor = (int8_t)(-90 - (int)(test_rand(&state) % 8));
    c.channel = (uint8_t)(1 + test_rand(&state) % 11);
    c.secondary_channel = secondary;
    c.sig_mode = sig_mode;
    c.cwb = cwb;
    c.stbc = stbc;
    c.mcs = sig_mode == CSI_SIG_MODE_NON_HT ? 0 : (uint8_t)(test_rand(&state) % 8);
    c.antenna = 0;
    for (int i = 0; i < 6; i++) {
        c.mac[i] = (uint8_t)test_rand(&state);
    }
    c.len = len;
    for (uint16_t i = 0; i < len; i++) {
        c.buf[i] = (int8_t)(uint8_t)test_rand(&state);
    }
    return c;
}

static void build(void)
{
    size_t n = 0;
    vector_t *v;

    v = &table[n++];
    v->name = "lltf_none";
    v->about = "non-HT packet, no secondary channel, first word invalid (ESP32): LLTF";
    v->chip = CSI_CHIP_CLASSIC;
    v->ltf_mask = CSI_LTF_ALL;
    v->n_frames = 1;
    v->captures[0] = capture(101, 0, CSI_SECONDARY_NONE, CSI_SIG_MODE_NON_HT, 0, 0, 128);
    v->captures[0].first_word_invalid = true;

    v = &table[n++];
    v->name = "ht20_none";
    v->about = "HT20 packet, no secondary channel: LLTF + HT-LTF";
    v->chip = CSI_CHIP_CLASSIC;
    v->ltf_mask = CSI_LTF_ALL;
    v->n_frames = 1;
    v->captures[0] = capture(102, 1, CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 0, 0, 256);
    v->captures[0].gain_valid = true;
    v->captures[0].agc_gain = 42;
    v->captures[0].fft_gain = 12;

    v = &table[n++];
    v->name = "ht20_stbc_none";
    v->about = "HT20 STBC packet, no secondary channel: LLTF + HT-LTF + STBC HT-LTF";
    v->chip = CSI_CHIP_CLASSIC;
    v->ltf_mask = CSI_LTF_ALL;
    v->n_frames = 1;
    v->captures[0] = capture(103, 2, CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 0, 1, 384);

    v = &table[n++];
    v->name = "ht20_below";
    v->about = "HT20 packet, secondary channel below: both fields turned to FFT order";
    v->chip = CSI_CHIP_CLASSIC;
    v->ltf_mask = CSI_LTF_ALL;
    v->n_frames = 1;
    v->captures[0] = capture(104, 3, CSI_SECONDARY_BELOW, CSI_SIG_MODE_HT, 0, 0, 256);

    v = &table[n++];
    v->name = "ht20_stbc_above";
    v->about = "HT20 STBC packet, secondary channel above: 62-subcarrier HT fields, bins 32-33 invalid";
    v->chip = CSI_CHIP_CLASSIC;
    v->ltf_mask = CSI_LTF_ALL;
    v->n_frames = 1;
    v->captures[0] = capture(105, 4, CSI_SECONDARY_ABOVE, CSI_SIG_MODE_HT, 0, 1, 376);

    v = &table[n++];
    v->name = "ht40_above";
    v->about = "HT40 packet, secondary channel above: LLTF + 128-bin HT-LTF";
    v->chip = CSI_CHIP_CLASSIC;
    v->ltf_mask = CSI_LTF_ALL;
    v->n_frames = 1;
    v->captures[0] = capture(106, 5, CSI_SECONDARY_ABOVE, CSI_SIG_MODE_HT, 1, 0, 384);

    v = &table[n++];
    v->name = "ht40_stbc_below";
    v->about = "HT40 STBC packet, secondary below, first word invalid: 320 subcarriers, 16 invalid";
    v->chip = CSI_CHIP_CLASSIC;
    v->ltf_mask = CSI_LTF_ALL;
    v->n_frames = 1;
    v->captures[0] = capture(107, 6, CSI_SECONDARY_BELOW, CSI_SIG_MODE_HT, 1, 1, 612);
    v->captures[0].first_word_invalid = true;

    v = &table[n++];
    v->name = "htltf_only_ht40";
    v->about = "HT40 packet with LLTF switched off (lltf_en = false): HT-LTF only";
    v->chip = CSI_CHIP_CLASSIC;
    v->ltf_mask = CSI_LTF_HT | CSI_LTF_STBC;
    v->n_frames = 1;
    v->captures[0] = capture(108, 7, CSI_SECONDARY_BELOW, CSI_SIG_MODE_HT, 1, 0, 256);

    v = &table[n++];
    v->name = "he_chip_ht20";
    v->about = "WiFi 6 chip (C5/C6), HT20 packet: 57 valid subcarriers in a 64-bin HT-LTF";
    v->chip = CSI_CHIP_HE;
    v->ltf_mask = CSI_LTF_ALL;
    v->n_frames = 1;
    v->captures[0] = capture(109, 8, CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 0, 0, 114);
    v->captures[0].gain_valid = true;
    v->captures[0].agc_gain = 17;
    v->captures[0].fft_gain = -4;

    v = &table[n++];
    v->name = "batch_three";
    v->about = "Envelope{batch} of three consecutive frames: LLTF, LLTF + HT-LTF, HT40";
    v->chip = CSI_CHIP_CLASSIC;
    v->ltf_mask = CSI_LTF_ALL;
    v->n_frames = 3;
    v->captures[0] = capture(110, 4294967294u, CSI_SECONDARY_NONE, CSI_SIG_MODE_NON_HT, 0, 0, 128);
    v->captures[1] = capture(111, 4294967295u, CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 0, 0, 256);
    v->captures[2] = capture(112, 0, CSI_SECONDARY_ABOVE, CSI_SIG_MODE_HT, 1, 0, 384);
}

const vector_t *vectors_all(size_t *count)
{
    if (!built) {
        build();
        built = 1;
    }
    *count = N_VECTORS;
    return table;
}
