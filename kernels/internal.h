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

/* histogram: hist[v] += number of pixels equal to v. Layout as binary; the
 * caller zeroes hist and guarantees width*height < 2^32. Reads exactly
 * width bytes per row. */
#define decl_threshold_histogram_fn(name)                                      \
    void name(uint32_t hist[256], const uint8_t *src, ptrdiff_t src_stride,    \
              int width, int height)
typedef decl_threshold_histogram_fn((*locdet_threshold_histogram_fn));
/* The SIMD histograms' last step: the open run, the vector-counted 0s and
 * 255s, and the 4 sub-histograms (kept apart so equal neighbours do not
 * wait on each other's store) added into hist. */
static inline void locdet_histogram_fold(uint32_t hist[256], uint32_t sub[4][256],
                                         uint8_t run_value, uint64_t run_count, uint64_t zeros,
                                         uint64_t ones)
{
    sub[0][run_value] += (uint32_t)run_count;
    sub[0][0] += (uint32_t)zeros;
    sub[0][255] += (uint32_t)ones;
    for (int i = 0; i < 256; i++)
        hist[i] += sub[0][i] + sub[1][i] + sub[2][i] + sub[3][i];
}

/* adaptive_mean: OpenCV adaptiveThreshold(ADAPTIVE_THRESH_MEAN_C). mean =
 * box mean over block x block (odd, 3..LOCDET_ADAPTIVE_MAX_BLOCK) with
 * replicated border, rounded as OpenCV's 8-bit boxFilter does (see
 * locdet_box_mean_round in scalar/threshold.c); out = (src - mean > -idelta)
 * ? 255 : 0, inverted: the complement. idelta in -512..512. scratch: at least
 * locdet_adaptive_mean_scratch_bytes(width, block) bytes, 64-byte aligned,
 * any content. dst must not overlap src. Writes exactly width bytes per row. */
#define decl_threshold_adaptive_mean_fn(name)                                  \
    void name(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,          \
              ptrdiff_t src_stride, int width, int height, int block,          \
              int idelta, bool invert, void *scratch)
typedef decl_threshold_adaptive_mean_fn((*locdet_threshold_adaptive_mean_fn));

/* adaptive_gaussian: OpenCV adaptiveThreshold(ADAPTIVE_THRESH_GAUSSIAN_C),
 * which blurs in float: a separable filter with replicated border, row pass
 * then column pass, each in the exact float operation order of OpenCV 4.6 on
 * an FMA machine (see scalar/threshold.c), mean = round-half-even of the
 * result, then the compare of adaptive_mean. kx has nx taps, ky ny taps
 * (odd; 1 means identity), symmetric. scratch: at least
 * locdet_adaptive_gaussian_scratch_bytes(width, height, nx, ny) bytes,
 * 64-byte aligned. dst must not overlap src. */
#define decl_threshold_adaptive_gaussian_fn(name)                              \
    void name(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,          \
              ptrdiff_t src_stride, int width, int height, const float *kx,    \
              int nx, const float *ky, int ny, int idelta, bool invert,        \
              void *scratch)
typedef decl_threshold_adaptive_gaussian_fn((*locdet_threshold_adaptive_gaussian_fn));

/* adaptive_gaussian_fixed: the Gaussian mean in exact integers instead of
 * OpenCV's float order (not bit-identical to OpenCV; docs/kernels-threshold.md
 * gives the difference). Separable, replicated border, row pass then column
 * pass, each sum exact in 32 bits:
 *   row:    S = sum_{i=0..rx} wx[i] * (p[x-i] + p[x+i])   (<= 255 * 2^16)
 *           R = (S + 2^9) >> 10                            (Q6 gray, <= 16320)
 *   column: T = sum_{j=0..ry} wy[j] * (R[y-j] + R[y+j])    (<= 16320 * 2^16 < 2^31)
 *           mean = (T + 2^21) >> 22                        (0..255)
 * then the compare of adaptive_mean. wx has nx / 2 + 1 pair weights (the
 * centre pixel counts twice, at half its tap), each 0..16384, and
 * 2 * sum(wx) = 2^16 (locdet_gaussian_weights_q16); same for wy. nx (ny) = 1
 * means no filtering along x (y): R = p << 6 (mean = (R + 32) >> 6), the
 * weights are not read. nx, ny odd, 1..LOCDET_ADAPTIVE_MAX_BLOCK, any size
 * relative to the image. Layout as adaptive_mean. scratch: at least
 * locdet_adaptive_gaussian_fixed_scratch_bytes(width, height, nx, ny) bytes,
 * 64-byte aligned, any content. dst must not overlap src. Writes exactly
 * width bytes per row. */
#define decl_threshold_adaptive_gaussian_fixed_fn(name)                        \
    void name(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,          \
              ptrdiff_t src_stride, int width, int height, const uint16_t *wx, \
              int nx, const uint16_t *wy, int ny, int idelta, bool invert,     \
              void *scratch)
typedef decl_threshold_adaptive_gaussian_fixed_fn((*locdet_threshold_adaptive_gaussian_fixed_fn));


size_t locdet_adaptive_mean_scratch_bytes(int width, int block);
size_t locdet_adaptive_gaussian_scratch_bytes(int width, int height, int nx, int ny);
size_t locdet_adaptive_gaussian_fixed_scratch_bytes(int width, int height, int nx, int ny);
/* The fixed-point Gaussian's scratch: a ring of min(ny, height)
 * row-filtered rows (int16, locdet_gaussian_fixed_row_len(width) each: whole
 * 64-lane vectors past the end), then the replicated source row (int16,
 * locdet_gaussian_fixed_pad_len: nx - 1 border lanes plus whole vectors),
 * then ny row pointers. */
static inline size_t locdet_gaussian_fixed_row_len(int width)
{
    return (((size_t)width + 63) & ~(size_t)63) + 64;
}
static inline size_t locdet_gaussian_fixed_pad_len(int width, int nx)
{
    return (((size_t)width + (size_t)nx + 63) & ~(size_t)63) + 128;
}
static inline int locdet_gaussian_fixed_ring_rows(int height, int ny)
{
    return ny < height ? ny : height;
}
/* Floats per filtered row in the adaptive Gaussian ring: width rounded up
 * to 64 plus 64, so vector code may run whole 64-pixel steps past the end. */
static inline size_t locdet_gaussian_row_floats(int width)
{
    return (((size_t)width + 63) & ~(size_t)63) + 64;
}
/* Floats of the padded source row that follows the ring (then ny row
 * pointers). */
static inline size_t locdet_gaussian_pad_floats(int width, int nx)
{
    return (((size_t)width + (size_t)nx + 63) & ~(size_t)63) + 128;
}
/* OpenCV's 8-bit box-filter rounding of a block x block sum s. */
static inline int locdet_box_mean_round(uint32_t s, int block, uint32_t div_scale,
                                        uint32_t div_delta, double scale)
{
    if (block <= 16) /* OpenCV's 16-bit column sums: a fixed-point divide */
        return (int)(((s + div_delta) * div_scale) >> 23);
    return (int)__builtin_nearbyint((double)s * scale); /* no ties: block^2 is odd */
}
/* The constants of locdet_box_mean_round for a block size. */
void locdet_box_mean_constants(int block, uint32_t *div_scale, uint32_t *div_delta,
                               double *scale);
/* The SIMD adaptive means' column sums before row 0: `len` entries of
 * `scratch` zeroed (16-bit if narrow, else 32-bit), then entry 1 + r + x
 * gets the sum of column x over rows -r..r, rows clamped to the image
 * (replicated border). */
void locdet_box_mean_prime_columns(void *scratch, size_t len, bool narrow, const uint8_t *src,
                                   ptrdiff_t src_stride, int width, int height, int r);

typedef struct locdet_threshold_dsp {
    locdet_threshold_binary_fn binary;
    locdet_threshold_histogram_fn histogram;
    locdet_threshold_adaptive_mean_fn adaptive_mean;
    locdet_threshold_adaptive_gaussian_fn adaptive_gaussian;
    locdet_threshold_adaptive_gaussian_fixed_fn adaptive_gaussian_fixed;
} locdet_threshold_dsp;

decl_threshold_binary_fn(locdet_threshold_binary_scalar);
decl_threshold_binary_fn(locdet_threshold_binary_avx2);
decl_threshold_binary_fn(locdet_threshold_binary_neon);
decl_threshold_histogram_fn(locdet_threshold_histogram_scalar);
decl_threshold_histogram_fn(locdet_threshold_histogram_avx2);
decl_threshold_histogram_fn(locdet_threshold_histogram_neon);
decl_threshold_adaptive_mean_fn(locdet_threshold_adaptive_mean_scalar);
decl_threshold_adaptive_mean_fn(locdet_threshold_adaptive_mean_avx2);
decl_threshold_adaptive_mean_fn(locdet_threshold_adaptive_mean_neon);
decl_threshold_adaptive_gaussian_fn(locdet_threshold_adaptive_gaussian_scalar);
decl_threshold_adaptive_gaussian_fn(locdet_threshold_adaptive_gaussian_avx2);
decl_threshold_adaptive_gaussian_fn(locdet_threshold_adaptive_gaussian_neon);
decl_threshold_adaptive_gaussian_fixed_fn(locdet_threshold_adaptive_gaussian_fixed_scalar);
decl_threshold_adaptive_gaussian_fixed_fn(locdet_threshold_adaptive_gaussian_fixed_avx2);
decl_threshold_adaptive_gaussian_fixed_fn(locdet_threshold_adaptive_gaussian_fixed_neon);
void locdet_threshold_dsp_init(locdet_kernels *k, unsigned flags);
/* OpenCV getGaussianKernel(n, sigma 0, CV_32F) for odd n >= 1 (k has n taps). */
void locdet_gaussian_kernel_f32(int n, float *k);
/* The pair weights of adaptive_gaussian_fixed for odd n >= 3: w[i] for
 * i = 0..n/2, the taps of locdet_gaussian_kernel_f32 in Q16 with the centre
 * tap halved (it is applied to p + p), quantized so that 2 * sum(w) = 2^16
 * exactly and each weight is within 1 of its ideal value. */
void locdet_gaussian_weights_q16(int n, uint16_t *w);

/* ---- blur family ----------------------------------------------------------
 * gaussian5: OpenCV GaussianBlur(5x5, sigma 0, BORDER_REFLECT_101) on 8 bits:
 * taps 1 4 6 4 1 per axis, out = (sum + 128) >> 8, exact integers. Layout as
 * threshold binary; any width/height >= 1. scratch: at least
 * locdet_blur_gaussian5_scratch_bytes(width) bytes, 64-byte aligned. dst must
 * not overlap src. Writes exactly width bytes per row. */
#define decl_blur_gaussian5_fn(name)                                           \
    void name(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,          \
              ptrdiff_t src_stride, int width, int height, void *scratch)
typedef decl_blur_gaussian5_fn((*locdet_blur_gaussian5_fn));

typedef struct locdet_blur_dsp {
    locdet_blur_gaussian5_fn gaussian5;
} locdet_blur_dsp;

size_t locdet_blur_gaussian5_scratch_bytes(int width);
/* OpenCV borderInterpolate(p, len, BORDER_REFLECT_101). */
static inline int locdet_reflect101(int p, int len)
{
    if (len == 1)
        return 0;
    while ((unsigned)p >= (unsigned)len)
        p = p < 0 ? -p : 2 * len - 2 - p;
    return p;
}
decl_blur_gaussian5_fn(locdet_blur_gaussian5_scalar);
decl_blur_gaussian5_fn(locdet_blur_gaussian5_avx2);
decl_blur_gaussian5_fn(locdet_blur_gaussian5_neon);
void locdet_blur_dsp_init(locdet_kernels *k, unsigned flags);

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
 * locdet_morph_scratch_size() bytes, any alignment and content (nothing in
 * it is read before this call writes it), used by this call only (so strips
 * of one image run in parallel, each with its own scratch). */
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
    locdet_blur_dsp blur;
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
