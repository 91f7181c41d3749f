/*
 * Cross-language vectors. For each input in vectors.c the C side builds and packs the
 * envelope, and:
 *   - checks its bytes equal the committed vectors/c/<name>.bin, and the description it writes
 *     equals the committed vectors/vectors.json (the Swift test reads both);
 *   - decodes the Swift encoder's committed vectors/swift/<name>.bin with protobuf-c and checks
 *     every field against the frames it built itself, and that the two encoders agree byte for
 *     byte.
 * FIRMWARE_VECTORS_UPDATE=1 rewrites vectors/c and vectors.json instead of comparing
 * (then run the Swift test with the same variable to rewrite vectors/swift).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "csi_core/csi_frame.h"
#include "test_support.h"
#include "vectors.h"

#define MAX_FILE 65536

static const char *dir;
static int update;

static size_t read_file(const char *path, uint8_t *buf, size_t cap, int *found)
{
    FILE *f = fopen(path, "rb");
    *found = f != NULL;
    if (f == NULL) {
        return 0;
    }
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

static void write_file(const char *path, const void *buf, size_t len)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f != NULL) {
        CHECK_EQ(fwrite(buf, 1, len, f), len);
        fclose(f);
    }
}

/* Compares (or, updating, writes) one committed file. */
static void expect_file(const char *relative, const uint8_t *bytes, size_t len)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, relative);
    if (update) {
        write_file(path, bytes, len);
        return;
    }
    static uint8_t committed[MAX_FILE];
    int found;
    size_t n = read_file(path, committed, sizeof(committed), &found);
    if (!found || n != len || memcmp(committed, bytes, len) != 0) {
        fprintf(stderr, "%s is %s: the C encoding changed; regenerate the vectors "
                "(FIRMWARE_VECTORS_UPDATE=1, see Firmware/README.md)\n", path, found ? "stale" : "missing");
        test_failures++;
    }
}

/* ---- the description (vectors.json) ---- */

typedef struct {
    char *buf;
    size_t len;
    size_t cap;
} text_t;

static void put(text_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(text_t *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= t->cap - t->len) {
        fprintf(stderr, "vectors.json buffer too small\n");
        exit(2);
    }
    t->len += (size_t)n;
}

static void put_hex(text_t *t, const uint8_t *data, size_t len)
{
    put(t, "\"");
    for (size_t i = 0; i < len; i++) {
        put(t, "%02x", data[i]);
    }
    put(t, "\"");
}

static void put_frame(text_t *t, const Sensing__V1__CsiFrame *f)
{
    put(t, "        {\n");
    put(t, "          \"device_id\": \"%s\",\n", f->device_id);
    put(t, "          \"sequence\": %" PRIu32 ",\n", f->sequence);
    put(t, "          \"device_timestamp_us\": %" PRIu32 ",\n", f->device_timestamp_us);
    put(t, "          \"device_wall_time_us\": %" PRId64 ",\n", f->device_wall_time_us);
    put(t, "          \"receive_time_us\": %" PRId64 ",\n", f->receive_time_us);
    put(t, "          \"rssi_dbm\": %" PRId32 ",\n", f->rssi_dbm);
    put(t, "          \"noise_floor_dbm\": %" PRId32 ",\n", f->noise_floor_dbm);
    put(t, "          \"channel\": %" PRIu32 ",\n", f->channel);
    put(t, "          \"secondary_channel\": %d,\n", (int)f->secondary_channel);
    put(t, "          \"bandwidth\": %d,\n", (int)f->bandwidth);
    put(t, "          \"signal_mode\": %" PRIu32 ",\n", f->signal_mode);
    put(t, "          \"mcs\": %" PRIu32 ",\n", f->mcs);
    put(t, "          \"antenna\": %" PRIu32 ",\n", f->antenna);
    put(t, "          \"source_mac\": ");
    put_hex(t, f->source_mac.data, f->source_mac.len);
    put(t, ",\n          \"layout\": %d,\n", (int)f->layout);
    put(t, "          \"first_word_invalid\": %s,\n", f->first_word_invalid ? "true" : "false");
    put(t, "          \"agc_gain\": %" PRIu32 ",\n", f->agc_gain);
    put(t, "          \"fft_gain\": %" PRIu32 ",\n", f->fft_gain);
    put(t, "          \"invalid_subcarriers\": [");
    for (size_t i = 0; i < f->n_invalid_subcarriers; i++) {
        put(t, "%s%" PRIu32, i ? ", " : "", f->invalid_subcarriers[i]);
    }
    put(t, "],\n          \"subcarriers\": %zu,\n", f->int8_pairs.len / 2);
    put(t, "          \"int8_pairs\": ");
    put_hex(t, f->int8_pairs.data, f->int8_pairs.len);
    put(t, "\n        }");
}

static void put_capture(text_t *t, const csi_capture_t *c)
{
    put(t, "        {\"sequence\": %" PRIu32 ", \"timestamp_us\": %" PRIu32 ", \"wall_time_us\": %" PRId64
        ", \"rssi\": %d, \"noise_floor\": %d, \"channel\": %u, \"secondary_channel\": %u, \"sig_mode\": %u, "
        "\"cwb\": %u, \"stbc\": %u, \"mcs\": %u, \"antenna\": %u, \"first_word_invalid\": %s, "
        "\"gain_valid\": %s, \"agc_gain\": %u, \"fft_gain\": %d, \"mac\": ",
        c->sequence, c->timestamp_us, c->wall_time_us, c->rssi, c->noise_floor, c->channel, c->secondary_channel,
        c->sig_mode, c->cwb, c->stbc, c->mcs, c->antenna, c->first_word_invalid ? "true" : "false",
        c->gain_valid ? "true" : "false", c->agc_gain, c->fft_gain);
    put_hex(t, c->mac, 6);
    put(t, ", \"len\": %u, \"buf\": ", c->len);
    put_hex(t, (const uint8_t *)c->buf, c->len);
    put(t, "}");
}

/* ---- field-by-field comparison of a decoded frame ---- */

static void compare_frame(const char *name, const Sensing__V1__CsiFrame *got, const Sensing__V1__CsiFrame *want)
{
    int before = test_failures;
    CHECK(strcmp(got->device_id, want->device_id) == 0);
    CHECK_EQ(got->sequence, want->sequence);
    CHECK_EQ(got->device_timestamp_us, want->device_timestamp_us);
    CHECK_EQ(got->device_wall_time_us, want->device_wall_time_us);
    CHECK_EQ(got->receive_time_us, want->receive_time_us);
    CHECK_EQ(got->rssi_dbm, want->rssi_dbm);
    CHECK_EQ(got->noise_floor_dbm, want->noise_floor_dbm);
    CHECK_EQ(got->channel, want->channel);
    CHECK_EQ(got->secondary_channel, want->secondary_channel);
    CHECK_EQ(got->bandwidth, want->bandwidth);
    CHECK_EQ(got->signal_mode, want->signal_mode);
    CHECK_EQ(got->mcs, want->mcs);
    CHECK_EQ(got->antenna, want->antenna);
    CHECK(got->source_mac.len == want->source_mac.len &&
          memcmp(got->source_mac.data, want->source_mac.data, want->source_mac.len) == 0);
    CHECK_EQ(got->layout, want->layout);
    CHECK_EQ(got->first_word_invalid, want->first_word_invalid);
    CHECK_EQ(got->agc_gain, want->agc_gain);
    CHECK_EQ(got->fft_gain, want->fft_gain);
    CHECK_EQ(got->n_invalid_subcarriers, want->n_invalid_subcarriers);
    for (size_t i = 0; i < want->n_invalid_subcarriers && i < got->n_invalid_subcarriers; i++) {
        CHECK_EQ(got->invalid_subcarriers[i], want->invalid_subcarriers[i]);
    }
    CHECK_EQ(got->csi_case, SENSING__V1__CSI_FRAME__CSI_INT8_PAIRS);
    CHECK(got->int8_pairs.len == want->int8_pairs.len &&
          memcmp(got->int8_pairs.data, want->int8_pairs.data, want->int8_pairs.len) == 0);
    if (test_failures != before) {
        fprintf(stderr, "  in the Swift encoding of %s, frame %u\n", name, want->sequence);
    }
}

static void check_swift(const vector_t *v, const csi_frame_slot_t *slots, const uint8_t *c_bytes, size_t c_len)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/swift/%s.bin", dir, v->name);
    static uint8_t bytes[MAX_FILE];
    int found;
    size_t n = read_file(path, bytes, sizeof(bytes), &found);
    if (!found) {
        fprintf(stderr, "%s is missing: run the Swift FirmwareVectorsTests with FIRMWARE_VECTORS_UPDATE=1\n", path);
        test_failures++;
        return;
    }
    Sensing__V1__Envelope *e = sensing__v1__envelope__unpack(NULL, n, bytes);
    CHECK(e != NULL);
    if (e == NULL) {
        return;
    }
    CHECK_EQ(e->schema_version, 1);
    if (v->n_frames == 1) {
        CHECK_EQ(e->body_case, SENSING__V1__ENVELOPE__BODY_CSI);
        if (e->body_case == SENSING__V1__ENVELOPE__BODY_CSI) {
            compare_frame(v->name, e->csi, &slots[0].csi);
        }
    } else {
        CHECK_EQ(e->body_case, SENSING__V1__ENVELOPE__BODY_BATCH);
        if (e->body_case == SENSING__V1__ENVELOPE__BODY_BATCH) {
            CHECK_EQ(e->batch->n_frames, v->n_frames);
            for (size_t i = 0; i < v->n_frames && i < e->batch->n_frames; i++) {
                CHECK_EQ(e->batch->frames[i]->kind_case, SENSING__V1__FRAME__KIND_CSI);
                compare_frame(v->name, e->batch->frames[i]->csi, &slots[i].csi);
            }
        }
    }
    sensing__v1__envelope__free_unpacked(e, NULL);
    /* Both encoders write fields in number order with proto3 defaults left out: the same bytes. */
    if (n != c_len || memcmp(bytes, c_bytes, n) != 0) {
        fprintf(stderr, "%s: the Swift and C encodings differ (%zu vs %zu bytes)\n", v->name, n, c_len);
        test_failures++;
    }
}

static const char *chip_name(csi_chip_family_t chip)
{
    return chip == CSI_CHIP_HE ? "he" : "classic";
}

int main(void)
{
    dir = getenv("FIRMWARE_VECTORS_DIR");
    if (dir == NULL) {
        fprintf(stderr, "FIRMWARE_VECTORS_DIR is not set (ctest sets it)\n");
        return 2;
    }
    const char *u = getenv("FIRMWARE_VECTORS_UPDATE");
    update = u != NULL && strcmp(u, "1") == 0;

    size_t count;
    const vector_t *vectors = vectors_all(&count);
    static char json_buf[1 << 20];
    text_t json = {.buf = json_buf, .len = 0, .cap = sizeof(json_buf)};
    put(&json, "{\n  \"about\": \"Cross-language vectors of the ESP32 firmware: written by Firmware/test_host "
        "(test_vectors); read by Tests/IngestTests/FirmwareVectorsTests.swift. Do not edit by hand.\",\n");
    put(&json, "  \"schema_version\": 1,\n  \"vectors\": [\n");
    static csi_frame_slot_t slots[VECTOR_MAX_FRAMES];
    for (size_t i = 0; i < count; i++) {
        const vector_t *v = &vectors[i];
        csi_frame_options_t opt = {.device_id = VECTOR_DEVICE_ID, .chip = v->chip, .ltf_mask = v->ltf_mask};
        Sensing__V1__Frame *frames[VECTOR_MAX_FRAMES];
        for (size_t k = 0; k < v->n_frames; k++) {
            CHECK_EQ(csi_frame_build(&slots[k], &v->captures[k], &opt), CSI_OK);
            frames[k] = &slots[k].frame;
        }
        Sensing__V1__Envelope env;
        sensing__v1__envelope__init(&env);
        env.schema_version = 1;
        Sensing__V1__FrameBatch batch;
        sensing__v1__frame_batch__init(&batch);
        if (v->n_frames == 1) {
            env.body_case = SENSING__V1__ENVELOPE__BODY_CSI;
            env.csi = &slots[0].csi;
        } else {
            batch.n_frames = v->n_frames;
            batch.frames = frames;
            env.body_case = SENSING__V1__ENVELOPE__BODY_BATCH;
            env.batch = &batch;
        }
        static uint8_t packed[MAX_FILE];
        size_t len = sensing__v1__envelope__pack(&env, packed);
        CHECK_EQ(len, sensing__v1__envelope__get_packed_size(&env));
        char file[256];
        snprintf(file, sizeof(file), "c/%s.bin", v->name);
        expect_file(file, packed, len);
        if (!update) {
            /* Updating, the Swift fixtures are rewritten next (by the Swift test). */
            check_swift(v, slots, packed, len);
        }

        put(&json, "    {\n      \"name\": \"%s\",\n      \"about\": \"%s\",\n", v->name, v->about);
        put(&json, "      \"body\": \"%s\",\n      \"encoded_bytes\": %zu,\n", v->n_frames == 1 ? "csi" : "batch", len);
        put(&json, "      \"chip\": \"%s\",\n      \"ltf_mask\": %u,\n      \"captures\": [\n", chip_name(v->chip),
            v->ltf_mask);
        for (size_t k = 0; k < v->n_frames; k++) {
            put_capture(&json, &v->captures[k]);
            put(&json, k + 1 < v->n_frames ? ",\n" : "\n");
        }
        put(&json, "      ],\n      \"frames\": [\n");
        for (size_t k = 0; k < v->n_frames; k++) {
            put_frame(&json, &slots[k].csi);
            put(&json, k + 1 < v->n_frames ? ",\n" : "\n");
        }
        put(&json, "      ]\n    }%s\n", i + 1 < count ? "," : "");
        printf("%-18s %4zu bytes  %s\n", v->name, len, v->about);
    }
    put(&json, "  ]\n}\n");
    expect_file("vectors.json", (const uint8_t *)json.buf, json.len);
    if (update) {
        printf("vectors rewritten under %s\n", dir);
    }
    return test_finish("test_vectors");
}
