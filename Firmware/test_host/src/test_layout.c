/*
 * Frame assembly for every buffer layout ESP-IDF produces: where each subcarrier lands in the
 * gateway's FFT-ordered vector, which bins are invalid, the layout and bandwidth reported.
 * The capture's pair i holds (imag, real) = (i % 128, -(i % 128) - 1), so the value in a bin
 * says which buffer pair was put there.
 */
#include <string.h>

#include "csi_core/csi_frame.h"
#include "csi_core/csi_layout.h"
#include "test_support.h"

#define L_LLTF SENSING__V1__SUBCARRIER_LAYOUT__SUBCARRIER_LAYOUT_LLTF
#define L_HT SENSING__V1__SUBCARRIER_LAYOUT__SUBCARRIER_LAYOUT_LLTF_HT_LTF
#define L_STBC SENSING__V1__SUBCARRIER_LAYOUT__SUBCARRIER_LAYOUT_LLTF_HT_LTF_STBC
#define L_HTONLY SENSING__V1__SUBCARRIER_LAYOUT__SUBCARRIER_LAYOUT_HT_LTF
#define BW20 SENSING__V1__BANDWIDTH__BANDWIDTH_20MHZ
#define BW40 SENSING__V1__BANDWIDTH__BANDWIDTH_40MHZ

static int8_t out[2 * CSI_MAX_PAIRS];
static csi_shape_t shape;

static csi_err_t normalize(csi_capture_t *cap, csi_chip_family_t chip, unsigned mask)
{
    memset(out, 0x55, sizeof(out));
    memset(&shape, 0, sizeof(shape));
    return csi_layout_normalize(cap, chip, mask, out, &shape);
}

/* Vector position `pos` holds buffer pair `raw`. */
static void expect_pair(uint32_t pos, uint32_t raw, int line)
{
    int8_t imag = (int8_t)(raw % 128), real = (int8_t)(-(int)(raw % 128) - 1);
    if (out[2 * pos] != imag || out[2 * pos + 1] != real) {
        fprintf(stderr, "line %d: position %u holds (%d, %d), expected pair %u\n", line, pos, out[2 * pos],
                out[2 * pos + 1], raw);
        test_failures++;
    }
}
#define EXPECT_PAIR(pos, raw) expect_pair((pos), (raw), __LINE__)

/* Bins no subcarrier filled are zero. */
static void expect_zero(uint32_t pos, int line)
{
    if (out[2 * pos] != 0 || out[2 * pos + 1] != 0) {
        fprintf(stderr, "line %d: unfilled position %u is not zero\n", line, pos);
        test_failures++;
    }
}
#define EXPECT_ZERO(pos) expect_zero((pos), __LINE__)

/* The invalid list equals `expected` (n entries). */
static void expect_invalid(const uint32_t *expected, uint16_t n, int line)
{
    int same = shape.n_invalid == n;
    for (uint16_t i = 0; same && i < n; i++) {
        same = shape.invalid[i] == expected[i];
    }
    if (!same) {
        fprintf(stderr, "line %d: invalid list has %u entries:", line, shape.n_invalid);
        for (uint16_t i = 0; i < shape.n_invalid; i++) {
            fprintf(stderr, " %u", shape.invalid[i]);
        }
        fprintf(stderr, "\n");
        test_failures++;
    }
}
#define EXPECT_INVALID(...) \
    do { \
        static const uint32_t exp_[] = {__VA_ARGS__}; \
        expect_invalid(exp_, (uint16_t)(sizeof(exp_) / sizeof(exp_[0])), __LINE__); \
    } while (0)
#define EXPECT_NO_INVALID() expect_invalid(NULL, 0, __LINE__)

static void expect_shape(Sensing__V1__SubcarrierLayout layout, Sensing__V1__Bandwidth bw, uint16_t pairs)
{
    CHECK_EQ(shape.layout, layout);
    CHECK_EQ(shape.bandwidth, bw);
    CHECK_EQ(shape.pairs, pairs);
    CHECK_EQ(csi_layout_expected_pairs(layout, bw), pairs);
}

/* Without a secondary channel the buffer is already in FFT order: copied as it is. */
static void test_no_secondary(void)
{
    csi_capture_t c = test_capture(CSI_SECONDARY_NONE, CSI_SIG_MODE_NON_HT, 0, 0, 128);
    CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_ALL), CSI_OK);
    expect_shape(L_LLTF, BW20, 64);
    CHECK_EQ(shape.secondary, SENSING__V1__SECONDARY_CHANNEL__SECONDARY_CHANNEL_NONE);
    CHECK(memcmp(out, c.buf, 128) == 0);
    EXPECT_NO_INVALID();

    c = test_capture(CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 0, 0, 256);
    CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_ALL), CSI_OK);
    expect_shape(L_HT, BW20, 128);
    CHECK(memcmp(out, c.buf, 256) == 0);
    EXPECT_NO_INVALID();

    c = test_capture(CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 0, 1, 384);
    CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_ALL), CSI_OK);
    expect_shape(L_STBC, BW20, 192);
    CHECK(memcmp(out, c.buf, 384) == 0);
    EXPECT_NO_INVALID();
}

/* With a secondary channel a 20 MHz field is one run centred on the 40 MHz channel: it is
 * turned around to the primary's FFT order (buffer pair i is subcarrier i - 32). */
static void test_secondary_20(void)
{
    for (uint8_t sec = CSI_SECONDARY_ABOVE; sec <= CSI_SECONDARY_BELOW; sec++) {
        csi_capture_t c = test_capture(sec, CSI_SIG_MODE_NON_HT, 0, 0, 128);
        CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_ALL), CSI_OK);
        expect_shape(L_LLTF, BW20, 64);
        CHECK_EQ(shape.secondary, sec == CSI_SECONDARY_ABOVE ? SENSING__V1__SECONDARY_CHANNEL__SECONDARY_CHANNEL_ABOVE
                 : SENSING__V1__SECONDARY_CHANNEL__SECONDARY_CHANNEL_BELOW);
        EXPECT_PAIR(0, 32);   /* DC */
        EXPECT_PAIR(31, 63);  /* subcarrier 31 */
        EXPECT_PAIR(32, 0);   /* subcarrier -32 */
        EXPECT_PAIR(63, 31);  /* subcarrier -1 */
        EXPECT_NO_INVALID();

        c = test_capture(sec, CSI_SIG_MODE_HT, 0, 0, 256);
        CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_ALL), CSI_OK);
        expect_shape(L_HT, BW20, 128);
        EXPECT_PAIR(0, 32);
        EXPECT_PAIR(64, 96);
        EXPECT_PAIR(64 + 32, 64);
        EXPECT_PAIR(127, 95);
        EXPECT_NO_INVALID();
    }
}

/* HT20 STBC in a 40 MHz channel: 63 (below) or 62 (above) subcarriers per HT field. */
static void test_stbc_20_in_40(void)
{
    csi_capture_t c = test_capture(CSI_SECONDARY_BELOW, CSI_SIG_MODE_HT, 0, 1, 380);
    CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_ALL), CSI_OK);
    expect_shape(L_STBC, BW20, 192);
    /* HT-LTF: pairs 64..126 are subcarriers -32..30; subcarrier 31 (bin 31) is missing. */
    EXPECT_PAIR(64 + 0, 64 + 32);
    EXPECT_PAIR(64 + 30, 126);
    EXPECT_PAIR(64 + 32, 64);
    /* STBC HT-LTF: pairs 127..189. */
    EXPECT_PAIR(128 + 0, 127 + 32);
    EXPECT_PAIR(128 + 63, 127 + 31);
    EXPECT_INVALID(64 + 31, 128 + 31);
    EXPECT_ZERO(64 + 31);
    EXPECT_ZERO(128 + 31);

    c = test_capture(CSI_SECONDARY_ABOVE, CSI_SIG_MODE_HT, 0, 1, 376);
    CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_ALL), CSI_OK);
    expect_shape(L_STBC, BW20, 192);
    /* HT-LTF: pairs 64..125 are subcarriers -30..31; -32 and -31 (bins 32, 33) are missing. */
    EXPECT_PAIR(64 + 0, 64 + 30);
    EXPECT_PAIR(64 + 34, 64);
    EXPECT_PAIR(64 + 31, 125);
    EXPECT_PAIR(128 + 34, 126);
    EXPECT_INVALID(64 + 32, 64 + 33, 128 + 32, 128 + 33);
    EXPECT_ZERO(64 + 32);
    EXPECT_ZERO(128 + 33);
}

static void test_ht40(void)
{
    for (uint8_t sec = CSI_SECONDARY_ABOVE; sec <= CSI_SECONDARY_BELOW; sec++) {
        csi_capture_t c = test_capture(sec, CSI_SIG_MODE_HT, 1, 0, 384);
        CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_ALL), CSI_OK);
        expect_shape(L_HT, BW40, 192);
        EXPECT_PAIR(0, 32);
        for (uint32_t k = 0; k < 128; k++) {
            EXPECT_PAIR(64 + k, 64 + k);   /* the 40 MHz HT-LTF is already in FFT order */
        }
        EXPECT_NO_INVALID();

        c = test_capture(sec, CSI_SIG_MODE_HT, 1, 1, 612);
        CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_ALL), CSI_OK);
        expect_shape(L_STBC, BW40, 320);
        /* HT-LTF 0~60 then -60~-1: bins 61..67 (subcarriers 61..64, -64..-61) are missing. */
        EXPECT_PAIR(64 + 0, 64);
        EXPECT_PAIR(64 + 60, 124);
        EXPECT_PAIR(64 + 68, 125);
        EXPECT_PAIR(64 + 127, 184);
        EXPECT_PAIR(192 + 0, 185);
        EXPECT_PAIR(192 + 68, 246);
        EXPECT_PAIR(192 + 127, 305);
        EXPECT_INVALID(125, 126, 127, 128, 129, 130, 131, 253, 254, 255, 256, 257, 258, 259);
        EXPECT_ZERO(125);
        EXPECT_ZERO(259);
    }
    /* HT40 needs a secondary channel. */
    csi_capture_t c = test_capture(CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 1, 0, 384);
    CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_ALL), CSI_ERR_LAYOUT);
}

static void test_first_word_invalid(void)
{
    csi_capture_t c = test_capture(CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 0, 0, 256);
    c.first_word_invalid = true;
    CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_ALL), CSI_OK);
    EXPECT_INVALID(0, 1);
    EXPECT_PAIR(0, 0);  /* kept as the chip gave it, only flagged */

    /* Turned around with a secondary channel, the first word lands on subcarriers -32, -31. */
    c = test_capture(CSI_SECONDARY_BELOW, CSI_SIG_MODE_HT, 1, 0, 384);
    c.first_word_invalid = true;
    CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_ALL), CSI_OK);
    EXPECT_INVALID(32, 33);
    EXPECT_PAIR(32, 0);
}

/* Fields switched off in the CSI configuration are absent from the buffer. */
static void test_ltf_mask(void)
{
    csi_capture_t c = test_capture(CSI_SECONDARY_BELOW, CSI_SIG_MODE_HT, 1, 0, 256);
    CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_HT | CSI_LTF_STBC), CSI_OK);
    expect_shape(L_HTONLY, BW40, 128);
    CHECK(memcmp(out, c.buf, 256) == 0);

    c = test_capture(CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 0, 0, 128);
    CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_HT), CSI_OK);
    expect_shape(L_HTONLY, BW20, 64);

    c = test_capture(CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 0, 1, 128);
    CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_LLTF), CSI_OK);
    expect_shape(L_LLTF, BW20, 64);

    c = test_capture(CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 0, 1, 256);
    CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_LLTF | CSI_LTF_HT), CSI_OK);
    expect_shape(L_HT, BW20, 128);

    /* HT-LTF + STBC without LLTF: no gateway layout has that pair; the STBC field is dropped. */
    c = test_capture(CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 0, 1, 256);
    CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_HT | CSI_LTF_STBC), CSI_OK);
    expect_shape(L_HTONLY, BW20, 64);
    CHECK(memcmp(out, c.buf, 128) == 0);

    /* Non-HT packet with LLTF switched off: nothing to send. */
    c = test_capture(CSI_SECONDARY_NONE, CSI_SIG_MODE_NON_HT, 0, 0, 0);
    CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_HT), CSI_ERR_LAYOUT);
}

static void test_rejects(void)
{
    csi_capture_t c = test_capture(CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 0, 0, 200);
    CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_ALL), CSI_ERR_LAYOUT);
    c = test_capture(3, CSI_SIG_MODE_NON_HT, 0, 0, 128);
    CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_ALL), CSI_ERR_LAYOUT);
    c = test_capture(CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 0, 1, 256);  /* STBC packet, 2 fields */
    CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_ALL), CSI_ERR_LAYOUT);
    c = test_capture(CSI_SECONDARY_NONE, CSI_SIG_MODE_NON_HT, 0, 0, 128);
    c.len = CSI_MAX_BUF_LEN + 2;
    CHECK_EQ(normalize(&c, CSI_CHIP_CLASSIC, CSI_LTF_ALL), CSI_ERR_INVALID_ARG);
}

/* WiFi 6 chips: one field per packet, valid subcarriers only, placed into full FFT blocks. */
static void test_he_chips(void)
{
    csi_capture_t c = test_capture(CSI_SECONDARY_NONE, CSI_SIG_MODE_NON_HT, 0, 0, 106);
    CHECK_EQ(normalize(&c, CSI_CHIP_HE, CSI_LTF_ALL), CSI_OK);
    expect_shape(L_LLTF, BW20, 64);
    EXPECT_PAIR(0, 0);
    EXPECT_PAIR(26, 26);
    EXPECT_PAIR(38, 27);   /* subcarrier -26 */
    EXPECT_PAIR(63, 52);
    EXPECT_INVALID(27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37);
    EXPECT_ZERO(32);

    c = test_capture(CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 0, 0, 114);
    CHECK_EQ(normalize(&c, CSI_CHIP_HE, CSI_LTF_ALL), CSI_OK);
    expect_shape(L_HTONLY, BW20, 64);
    EXPECT_PAIR(28, 28);
    EXPECT_PAIR(36, 29);
    EXPECT_INVALID(29, 30, 31, 32, 33, 34, 35);

    c = test_capture(CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 0, 1, 228);
    CHECK_EQ(normalize(&c, CSI_CHIP_HE, CSI_LTF_ALL), CSI_OK);
    expect_shape(L_HTONLY, BW20, 64);
    EXPECT_PAIR(63, 56);

    c = test_capture(CSI_SECONDARY_ABOVE, CSI_SIG_MODE_HT, 0, 0, 234);
    CHECK_EQ(normalize(&c, CSI_CHIP_HE, CSI_LTF_ALL), CSI_OK);
    expect_shape(L_HTONLY, BW40, 128);
    EXPECT_PAIR(58, 58);
    EXPECT_PAIR(70, 59);
    EXPECT_PAIR(127, 116);
    EXPECT_INVALID(59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69);

    c = test_capture(CSI_SECONDARY_ABOVE, CSI_SIG_MODE_NON_HT, 0, 0, 106);
    CHECK_EQ(normalize(&c, CSI_CHIP_HE, CSI_LTF_ALL), CSI_ERR_LAYOUT);
    c = test_capture(CSI_SECONDARY_NONE, CSI_SIG_MODE_NON_HT, 0, 0, 114);
    CHECK_EQ(normalize(&c, CSI_CHIP_HE, CSI_LTF_ALL), CSI_ERR_LAYOUT);
    c = test_capture(CSI_SECONDARY_NONE, CSI_SIG_MODE_HT, 0, 0, 490);   /* HE-LTF: no gateway layout */
    CHECK_EQ(normalize(&c, CSI_CHIP_HE, CSI_LTF_ALL), CSI_ERR_LAYOUT);
}

/* Every CsiFrame field is filled from the capture, and survives protobuf-c packing. */
static void test_frame_fields(void)
{
    csi_capture_t c = test_capture(CSI_SECONDARY_ABOVE, CSI_SIG_MODE_HT, 1, 0, 384);
    c.sequence = 77;
    c.timestamp_us = 123456789u;
    c.wall_time_us = 1700000000123456ll;
    c.rssi = -61;
    c.noise_floor = -95;
    c.channel = 11;
    c.mcs = 7;
    c.antenna = 1;
    c.first_word_invalid = true;
    c.gain_valid = true;
    c.agc_gain = 30;
    c.fft_gain = -3;
    memcpy(c.mac, "\x24\x6f\x28\xaa\xbb\xcc", 6);
    static csi_frame_slot_t slot;
    csi_frame_options_t opt = {.device_id = "esp32-kitchen", .chip = CSI_CHIP_CLASSIC, .ltf_mask = CSI_LTF_ALL};
    CHECK_EQ(csi_frame_build(&slot, &c, &opt), CSI_OK);

    uint8_t buf[1024];
    size_t n = sensing__v1__csi_frame__pack(&slot.csi, buf);
    CHECK_EQ(n, sensing__v1__csi_frame__get_packed_size(&slot.csi));
    Sensing__V1__CsiFrame *f = sensing__v1__csi_frame__unpack(NULL, n, buf);
    CHECK(f != NULL);
    if (f == NULL) {
        return;
    }
    CHECK(strcmp(f->device_id, "esp32-kitchen") == 0);
    CHECK_EQ(f->sequence, 77);
    CHECK_EQ(f->device_timestamp_us, 123456789u);
    CHECK_EQ(f->device_wall_time_us, 1700000000123456ll);
    CHECK_EQ(f->receive_time_us, 0);
    CHECK_EQ(f->rssi_dbm, -61);
    CHECK_EQ(f->noise_floor_dbm, -95);
    CHECK_EQ(f->channel, 11);
    CHECK_EQ(f->secondary_channel, SENSING__V1__SECONDARY_CHANNEL__SECONDARY_CHANNEL_ABOVE);
    CHECK_EQ(f->bandwidth, BW40);
    CHECK_EQ(f->signal_mode, 1);
    CHECK_EQ(f->mcs, 7);
    CHECK_EQ(f->antenna, 1);
    CHECK(f->source_mac.len == 6 && memcmp(f->source_mac.data, c.mac, 6) == 0);
    CHECK_EQ(f->layout, L_HT);
    CHECK_EQ(f->first_word_invalid, 1);
    CHECK_EQ(f->agc_gain, 30);
    CHECK_EQ(f->fft_gain, 253);
    CHECK(f->n_invalid_subcarriers == 2 && f->invalid_subcarriers[0] == 32 && f->invalid_subcarriers[1] == 33);
    CHECK_EQ(f->csi_case, SENSING__V1__CSI_FRAME__CSI_INT8_PAIRS);
    CHECK_EQ(f->int8_pairs.len, 384);
    sensing__v1__csi_frame__free_unpacked(f, NULL);

    /* A device id longer than the limit is cut, not overrun. */
    char long_id[100];
    memset(long_id, 'x', sizeof(long_id) - 1);
    long_id[sizeof(long_id) - 1] = '\0';
    opt.device_id = long_id;
    CHECK_EQ(csi_frame_build(&slot, &c, &opt), CSI_OK);
    CHECK_EQ(strlen(slot.csi.device_id), CSI_DEVICE_ID_MAX);
}

int main(void)
{
    test_no_secondary();
    test_secondary_20();
    test_stbc_20_in_40();
    test_ht40();
    test_first_word_invalid();
    test_ltf_mask();
    test_rejects();
    test_he_chips();
    test_frame_fields();
    return test_finish("test_layout");
}
