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

/* ---- morph family --------------------------------------------------------
 * rect: rows [y0, y1) of dst get the minimum (maximum if `max`) of src over
 * the columns [x - left, x + right] and rows [y - up, y + down], clipped to
 * the width x height image (outside pixels never win). Layout: 8-bit rows,
 * any stride, no alignment. Range: 0 <= left, right < width and
 * 0 <= up, down < height (the wrapper clamps larger reaches, which change
 * nothing); 0 <= y0 < y1 <= height. src points at row 0 of the image, dst
 * at output row y0 (so a strip may go to its own buffer). Reads only the
 * width bytes of src rows max(0, y0 - up) .. min(height, y1 + down) - 1 and
 * writes only the width bytes of the y1 - y0 dst rows: src and dst must not
 * overlap. scratch: at least
 * locdet_morph_scratch_size() bytes, any alignment, used by this call only
 * (so strips of one image run in parallel, each with its own scratch). */
#define decl_morph_rect_fn(name)                                               \
    void name(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,          \
              ptrdiff_t src_stride, int width, int height, int y0, int y1,     \
              int left, int right, int up, int down, bool max, uint8_t *scratch)
typedef decl_morph_rect_fn((*locdet_morph_rect_fn));

typedef struct locdet_morph_dsp {
    locdet_morph_rect_fn rect;
} locdet_morph_dsp;

/* Scratch bytes one call of any rect variant needs (the widest ISA's). */
size_t locdet_morph_scratch_size(int width, int left, int right, int up, int down);

decl_morph_rect_fn(locdet_morph_rect_scalar);
decl_morph_rect_fn(locdet_morph_rect_avx2);
decl_morph_rect_fn(locdet_morph_rect_neon);
void locdet_morph_dsp_init(locdet_kernels *k, unsigned flags);
/* ---- contour family (scalar only: border following is sequential) ------
 * trace: every border of a binary image, OpenCV findContours(RETR_CCOMP,
 * CHAIN_APPROX_SIMPLE) order and hierarchy. Layout: 8-bit rows, any stride,
 * nonzero = foreground. Reads exactly width bytes per row; never writes the
 * input (it works on a padded copy). Fills *out (caller frees it with
 * locdet_contour_set_free); returns a locdet_status.
 * trace_label: the outer border of the pixels equal to `label` in an int32
 * image (stride in elements), traced from the first pixel of row y0 at or
 * right of x0 holding the label; reads only label pixels and their 8
 * neighbours inside the image; returns a locdet_status. */
#define decl_contour_trace_fn(name)                                            \
    int name(const uint8_t *src, ptrdiff_t src_stride, int width, int height,  \
             locdet_contour_set *out)
typedef decl_contour_trace_fn((*locdet_contour_trace_fn));
#define decl_contour_trace_label_fn(name)                                      \
    int name(const int32_t *labels, ptrdiff_t stride, int width, int height,   \
             int32_t label, int x0, int y0, locdet_point **pts, int *n)
typedef decl_contour_trace_label_fn((*locdet_contour_trace_label_fn));

typedef struct locdet_contour_dsp {
    locdet_contour_trace_fn trace;
    locdet_contour_trace_label_fn trace_label;
} locdet_contour_dsp;

decl_contour_trace_fn(locdet_contour_trace_scalar);
decl_contour_trace_label_fn(locdet_contour_trace_label_scalar);
/* The tracer on a caller-built work image: (width+2) x (height+2) bytes of 0
 * and 1 with a zero frame, row stride work_stride, plus 8 readable bytes
 * after the last row. It is overwritten with border marks. Points are
 * reported relative to the first inner pixel plus (off_x, off_y). */
int locdet_contour_trace_work(uint8_t *work, ptrdiff_t work_stride, int width, int height,
                              int off_x, int off_y, locdet_contour_set *out);
/* Douglas-Peucker as OpenCV 4.6 approxPolyDP_; dst holds n points. Returns
 * the output count, or -1 when memory runs out. */
int locdet_approx_poly_scalar(const locdet_point *src, int n, locdet_point *dst, bool closed,
                              double epsilon);
void locdet_contour_dsp_init(locdet_kernels *k, unsigned flags);
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
    locdet_morph_dsp morph;
    locdet_contour_dsp contour;
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
