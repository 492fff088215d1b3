/* Internal to kernels/: the per-family function tables and the helpers the
 * per-ISA files share. Not installed, not seen by plugins. */
#ifndef LOCDET_KERNELS_INTERNAL_H
#define LOCDET_KERNELS_INTERNAL_H

#include "locdet/kernels.h"

/* ---- threshold family ---------------------------------------------------
 * binary: one image. Layout: 8-bit rows, any stride (bytes, may be odd), no
 * alignment. Border: none (pointwise). Range: thresh in 0..254 here (the
 * wrapper resolves the other values to a fill). Reads exactly width bytes
 * per row and writes exactly width bytes per row: no over-read or
 * over-write, since rows may end at the end of an allocation. */
#define decl_threshold_binary_fn(name)                                         \
    void name(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,          \
              ptrdiff_t src_stride, int width, int height, uint8_t thresh,     \
              bool invert)
typedef decl_threshold_binary_fn((*locdet_threshold_binary_fn));

typedef struct locdet_threshold_dsp {
    locdet_threshold_binary_fn binary;
} locdet_threshold_dsp;

decl_threshold_binary_fn(locdet_threshold_binary_scalar);
decl_threshold_binary_fn(locdet_threshold_binary_avx2);
decl_threshold_binary_fn(locdet_threshold_binary_neon);
void locdet_threshold_dsp_init(locdet_kernels *k, unsigned flags);

/* ---- label family -------------------------------------------------------
 * runs: the run-length code of one binary row. Layout: `width` bytes, any
 * alignment; nonzero = foreground. Writes the runs of foreground in order as
 * out[2i] = first x, out[2i + 1] = end x (exclusive) and returns the number
 * of runs (at most (width + 1) / 2). Reads exactly `width` bytes. `out` has
 * room for width + LOCDET_LABEL_RUNS_PAD int32 entries; entries from index
 * 2 * runs on are scratch (a variant may write there), so callers compare
 * and use only the first 2 * runs entries. */
#define LOCDET_LABEL_RUNS_PAD 64
#define decl_label_runs_fn(name) int name(const uint8_t *row, int width, int32_t *out)
typedef decl_label_runs_fn((*locdet_label_runs_fn));

typedef struct locdet_label_dsp {
    locdet_label_runs_fn runs;
} locdet_label_dsp;

decl_label_runs_fn(locdet_label_runs_scalar);
decl_label_runs_fn(locdet_label_runs_avx2);
decl_label_runs_fn(locdet_label_runs_neon);
void locdet_label_dsp_init(locdet_kernels *k, unsigned flags);
/* locdet_label with its tuning exposed for tests: a lower cap on provisional
 * labels (the public entry uses INT32_MAX - 1) reaches LOCDET_ERR_OVERFLOW on
 * small images, and strips down to one row (public: 64) put many strip
 * borders in small images. */
int locdet_label_tuned(const locdet_kernels *k, const locdet_image *binary, int connectivity,
                       int threads, int32_t max_labels, int min_strip_rows,
                       struct locdet_labeling *out);

/* ---- the table ---------------------------------------------------------- */
#define LOCDET_MAX_SLOTS 64

struct locdet_kernels {
    locdet_isa isa;
    unsigned flags;
    locdet_threshold_dsp threshold;
    locdet_label_dsp label;
    int slot_count;
    struct { const char *slot; const char *variant; } slots[LOCDET_MAX_SLOTS];
};

/* Record which variant a slot holds (replaces an earlier record of the slot). */
void locdet_slot_record(locdet_kernels *k, const char *slot, const char *variant);

/* Set a slot and record its variant: LOCDET_SET_SLOT(k, threshold, binary,
 * locdet_threshold_binary_avx2, "avx2"). */
#define LOCDET_SET_SLOT(k, family, slot, fn, variant)                          \
    do {                                                                       \
        (k)->family.slot = (fn);                                               \
        locdet_slot_record((k), #family "." #slot, (variant));                 \
    } while (0)

/* Argument checks shared by the public wrappers. */
bool locdet_image_valid(const locdet_image *img);
bool locdet_image_same_size(const locdet_image *a, const locdet_image *b);
/* True if the byte ranges of two images overlap without being identical. */
bool locdet_image_partial_overlap(const locdet_image *a, const locdet_image *b);

/* Which ISA code this build carries. */
#if defined(__x86_64__) || defined(_M_X64)
#define LOCDET_HAVE_AVX2 1
#else
#define LOCDET_HAVE_AVX2 0
#endif
#if defined(__aarch64__) || defined(LOCDET_NEON_SIMDE)
#define LOCDET_HAVE_NEON 1
#else
#define LOCDET_HAVE_NEON 0
#endif

#endif
