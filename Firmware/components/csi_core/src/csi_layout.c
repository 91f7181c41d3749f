#include <stdbool.h>
#include <string.h>

#include "csi_core/csi_layout.h"

/* A run of consecutive subcarrier indexes in buffer order. */
typedef struct {
    int16_t first;
    uint16_t count;
} run_t;

/* One training field in the buffer. */
typedef struct {
    unsigned ltf;     /* CSI_LTF_* */
    uint8_t n_runs;
    run_t runs[2];
    int8_t shift;     /* added to every index: 40 MHz-centred to primary-centred */
    uint8_t fft;      /* block size it is placed into: 64 or 128 */
    bool keep;        /* false: present in the buffer but left out of the vector */
} part_t;

typedef struct {
    uint8_t n;
    part_t parts[3];
} spec_t;

static const run_t RUNS_20_FFT[2] = {{0, 32}, {-32, 32}};
static const run_t RUNS_40_FFT[2] = {{0, 64}, {-64, 64}};
static const run_t RUNS_40_STBC[2] = {{0, 61}, {-60, 60}};

static part_t part_two_runs(unsigned ltf, const run_t runs[2], uint8_t fft)
{
    part_t p = {.ltf = ltf, .n_runs = 2, .shift = 0, .fft = fft, .keep = true};
    p.runs[0] = runs[0];
    p.runs[1] = runs[1];
    return p;
}

static part_t part_one_run(unsigned ltf, int16_t first, uint16_t count, int8_t shift)
{
    part_t p = {.ltf = ltf, .n_runs = 1, .shift = shift, .fft = 64, .keep = true};
    p.runs[0].first = first;
    p.runs[0].count = count;
    return p;
}

/* A 20 MHz field of the primary channel: FFT-ordered without a secondary channel, one
 * 40 MHz-centred run with one. `trim` drops that many edge subcarriers (HT20 STBC). */
static part_t part_primary20(unsigned ltf, uint8_t secondary, uint16_t trim)
{
    if (secondary == CSI_SECONDARY_BELOW) {
        return part_one_run(ltf, 0, (uint16_t)(64 - trim), -32);
    }
    if (secondary == CSI_SECONDARY_ABOVE) {
        return part_one_run(ltf, (int16_t)(-64 + (int)trim), (uint16_t)(64 - trim), 32);
    }
    return part_two_runs(ltf, RUNS_20_FFT, 64);
}

static csi_err_t spec_classic(const csi_capture_t *cap, unsigned ltf_mask, spec_t *spec)
{
    uint8_t sec = cap->secondary_channel;
    if (sec > CSI_SECONDARY_BELOW) {
        return CSI_ERR_LAYOUT;
    }
    bool ht = cap->sig_mode != CSI_SIG_MODE_NON_HT;
    bool ht40 = ht && cap->cwb != 0;
    bool stbc = ht && cap->stbc != 0;
    if (ht40 && sec == CSI_SECONDARY_NONE) {
        return CSI_ERR_LAYOUT;
    }
    spec_t all = {.n = 0};
    all.parts[all.n++] = part_primary20(CSI_LTF_LLTF, sec, 0);
    if (ht) {
        for (unsigned ltf = CSI_LTF_HT; ltf <= CSI_LTF_STBC; ltf <<= 1) {
            if (ltf == CSI_LTF_STBC && !stbc) {
                break;
            }
            if (ht40) {
                all.parts[all.n++] = part_two_runs(ltf, stbc ? RUNS_40_STBC : RUNS_40_FFT, 128);
            } else if (sec == CSI_SECONDARY_NONE) {
                all.parts[all.n++] = part_primary20(ltf, sec, 0);
            } else {
                /* HT20 STBC in a 40 MHz channel: 63 (below) or 62 (above) subcarriers. */
                uint16_t trim = stbc ? (sec == CSI_SECONDARY_BELOW ? 1 : 2) : 0;
                all.parts[all.n++] = part_primary20(ltf, sec, trim);
            }
        }
    }
    /* Fields switched off in wifi_csi_config_t are not in the buffer. */
    spec->n = 0;
    for (uint8_t i = 0; i < all.n; i++) {
        if ((all.parts[i].ltf & ltf_mask) != 0) {
            spec->parts[spec->n++] = all.parts[i];
        }
    }
    return CSI_OK;
}

static csi_err_t spec_he(const csi_capture_t *cap, spec_t *spec)
{
    static const run_t lltf[2] = {{0, 27}, {-26, 26}};
    static const run_t ht20[2] = {{0, 29}, {-28, 28}};
    static const run_t ht40[2] = {{0, 59}, {-58, 58}};
    bool none = cap->secondary_channel == CSI_SECONDARY_NONE;
    spec->n = 0;
    switch (cap->len) {
    case 106:
        if (!none) {
            return CSI_ERR_LAYOUT;
        }
        spec->parts[spec->n++] = part_two_runs(CSI_LTF_LLTF, lltf, 64);
        return CSI_OK;
    case 114:
    case 228:
        if (!none || cap->sig_mode == CSI_SIG_MODE_NON_HT) {
            return CSI_ERR_LAYOUT;
        }
        spec->parts[spec->n++] = part_two_runs(CSI_LTF_HT, ht20, 64);
        break;
    case 234:
    case 468:
        if (none || cap->sig_mode == CSI_SIG_MODE_NON_HT) {
            return CSI_ERR_LAYOUT;
        }
        spec->parts[spec->n++] = part_two_runs(CSI_LTF_HT, ht40, 128);
        break;
    default:
        return CSI_ERR_LAYOUT;
    }
    if (cap->len == 228 || cap->len == 468) {
        /* STBC: the second HT-LTF follows; no gateway layout has HT-LTF + STBC without LLTF. */
        part_t second = spec->parts[0];
        second.ltf = CSI_LTF_STBC;
        second.keep = false;
        spec->parts[spec->n++] = second;
    }
    return CSI_OK;
}

static uint16_t part_pairs(const part_t *p)
{
    uint16_t n = 0;
    for (uint8_t r = 0; r < p->n_runs; r++) {
        n = (uint16_t)(n + p->runs[r].count);
    }
    return n;
}

uint16_t csi_layout_expected_pairs(Sensing__V1__SubcarrierLayout layout, Sensing__V1__Bandwidth bandwidth)
{
    bool wide = bandwidth == SENSING__V1__BANDWIDTH__BANDWIDTH_40MHZ;
    switch (layout) {
    case SENSING__V1__SUBCARRIER_LAYOUT__SUBCARRIER_LAYOUT_LLTF:
        return 64;
    case SENSING__V1__SUBCARRIER_LAYOUT__SUBCARRIER_LAYOUT_HT_LTF:
        return wide ? 128 : 64;
    case SENSING__V1__SUBCARRIER_LAYOUT__SUBCARRIER_LAYOUT_LLTF_HT_LTF:
        return wide ? 192 : 128;
    case SENSING__V1__SUBCARRIER_LAYOUT__SUBCARRIER_LAYOUT_LLTF_HT_LTF_STBC:
        return wide ? 320 : 192;
    default:
        return 0;
    }
}

static Sensing__V1__SubcarrierLayout layout_for(unsigned kept)
{
    switch (kept) {
    case CSI_LTF_LLTF:
        return SENSING__V1__SUBCARRIER_LAYOUT__SUBCARRIER_LAYOUT_LLTF;
    case CSI_LTF_LLTF | CSI_LTF_HT:
        return SENSING__V1__SUBCARRIER_LAYOUT__SUBCARRIER_LAYOUT_LLTF_HT_LTF;
    case CSI_LTF_ALL:
        return SENSING__V1__SUBCARRIER_LAYOUT__SUBCARRIER_LAYOUT_LLTF_HT_LTF_STBC;
    case CSI_LTF_HT:
        return SENSING__V1__SUBCARRIER_LAYOUT__SUBCARRIER_LAYOUT_HT_LTF;
    default:
        return SENSING__V1__SUBCARRIER_LAYOUT__SUBCARRIER_LAYOUT_UNSPECIFIED;
    }
}

csi_err_t csi_layout_normalize(const csi_capture_t *cap, csi_chip_family_t chip, unsigned ltf_mask,
                               int8_t out[2 * CSI_MAX_PAIRS], csi_shape_t *shape)
{
    if (cap == NULL || out == NULL || shape == NULL || cap->len > CSI_MAX_BUF_LEN) {
        return CSI_ERR_INVALID_ARG;
    }
    spec_t spec;
    csi_err_t err = chip == CSI_CHIP_HE ? spec_he(cap, &spec) : spec_classic(cap, ltf_mask, &spec);
    if (err != CSI_OK) {
        return err;
    }
    /* Which fields stay: an STBC field only next to both LLTF and HT-LTF. */
    unsigned present = 0;
    uint32_t buffer_pairs = 0;
    for (uint8_t i = 0; i < spec.n; i++) {
        present |= spec.parts[i].ltf;
        buffer_pairs += part_pairs(&spec.parts[i]);
    }
    if (spec.n == 0 || buffer_pairs * 2 != cap->len) {
        return CSI_ERR_LAYOUT;
    }
    if ((present & CSI_LTF_STBC) != 0 && (present & (CSI_LTF_LLTF | CSI_LTF_HT)) != (CSI_LTF_LLTF | CSI_LTF_HT)) {
        for (uint8_t i = 0; i < spec.n; i++) {
            if (spec.parts[i].ltf == CSI_LTF_STBC) {
                spec.parts[i].keep = false;
            }
        }
    }
    unsigned kept = 0;
    uint8_t widest = 64;
    for (uint8_t i = 0; i < spec.n; i++) {
        if (spec.parts[i].keep) {
            kept |= spec.parts[i].ltf;
            if (spec.parts[i].fft > widest) {
                widest = spec.parts[i].fft;
            }
        }
    }
    shape->layout = layout_for(kept);
    if (shape->layout == SENSING__V1__SUBCARRIER_LAYOUT__SUBCARRIER_LAYOUT_UNSPECIFIED) {
        return CSI_ERR_LAYOUT;
    }
    bool wide = chip == CSI_CHIP_HE ? widest == 128
                : (cap->sig_mode != CSI_SIG_MODE_NON_HT && cap->cwb != 0);
    shape->bandwidth = wide ? SENSING__V1__BANDWIDTH__BANDWIDTH_40MHZ : SENSING__V1__BANDWIDTH__BANDWIDTH_20MHZ;
    switch (cap->secondary_channel) {
    case CSI_SECONDARY_ABOVE:
        shape->secondary = SENSING__V1__SECONDARY_CHANNEL__SECONDARY_CHANNEL_ABOVE;
        break;
    case CSI_SECONDARY_BELOW:
        shape->secondary = SENSING__V1__SECONDARY_CHANNEL__SECONDARY_CHANNEL_BELOW;
        break;
    default:
        shape->secondary = SENSING__V1__SECONDARY_CHANNEL__SECONDARY_CHANNEL_NONE;
        break;
    }
    shape->pairs = 0;
    shape->n_invalid = 0;

    uint32_t raw = 0;        /* pair index in the buffer */
    for (uint8_t i = 0; i < spec.n; i++) {
        const part_t *p = &spec.parts[i];
        if (!p->keep) {
            raw += part_pairs(p);
            continue;
        }
        uint16_t base = shape->pairs;
        if (base + p->fft > CSI_MAX_PAIRS) {
            return CSI_ERR_LAYOUT;
        }
        /* 0: no subcarrier here, 1: filled, 2: filled from an invalid first word. */
        uint8_t state[128];
        memset(state, 0, sizeof(state));
        memset(&out[2 * base], 0, (size_t)2 * p->fft);
        int half = p->fft / 2;
        for (uint8_t r = 0; r < p->n_runs; r++) {
            for (uint16_t k = 0; k < p->runs[r].count; k++, raw++) {
                int index = p->runs[r].first + (int)k + p->shift;
                if (index < -half || index >= half) {
                    return CSI_ERR_LAYOUT;
                }
                int bin = index < 0 ? index + p->fft : index;
                out[2 * (base + bin)] = cap->buf[2 * raw];
                out[2 * (base + bin) + 1] = cap->buf[2 * raw + 1];
                state[bin] = (cap->first_word_invalid && raw < 2) ? 2 : 1;
            }
        }
        for (int bin = 0; bin < p->fft; bin++) {
            if (state[bin] != 1) {
                if (shape->n_invalid >= CSI_MAX_INVALID) {
                    return CSI_ERR_LAYOUT;
                }
                shape->invalid[shape->n_invalid++] = (uint32_t)(base + bin);
            }
        }
        shape->pairs = (uint16_t)(base + p->fft);
    }
    if (shape->pairs != csi_layout_expected_pairs(shape->layout, shape->bandwidth)) {
        return CSI_ERR_LAYOUT;
    }
    return CSI_OK;
}
