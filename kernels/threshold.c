/* Threshold family: table init and the checked public entry points. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void locdet_threshold_dsp_init(locdet_kernels *k, unsigned flags)
{
    LOCDET_SET_SLOT(k, threshold, binary, locdet_threshold_binary_scalar, "scalar");
    LOCDET_SET_SLOT(k, threshold, histogram, locdet_threshold_histogram_scalar, "scalar");
    LOCDET_SET_SLOT(k, threshold, adaptive_mean, locdet_threshold_adaptive_mean_scalar, "scalar");
    LOCDET_SET_SLOT(k, threshold, adaptive_gaussian, locdet_threshold_adaptive_gaussian_scalar,
                    "scalar");
    LOCDET_SET_SLOT(k, threshold, adaptive_gaussian_fixed,
                    locdet_threshold_adaptive_gaussian_fixed_scalar, "scalar");
#if LOCDET_HAVE_AVX2
    if (flags & LOCDET_CPU_FLAG_AVX2) {
        LOCDET_SET_SLOT(k, threshold, binary, locdet_threshold_binary_avx2, "avx2");
        LOCDET_SET_SLOT(k, threshold, histogram, locdet_threshold_histogram_avx2, "avx2");
        LOCDET_SET_SLOT(k, threshold, adaptive_mean, locdet_threshold_adaptive_mean_avx2, "avx2");
        LOCDET_SET_SLOT(k, threshold, adaptive_gaussian_fixed,
                        locdet_threshold_adaptive_gaussian_fixed_avx2, "avx2");
        /* The float Gaussian needs fused multiply-add to match OpenCV; every
         * AVX2 CPU we know of has FMA, but check rather than assume. */
        __builtin_cpu_init();
        if (__builtin_cpu_supports("fma"))
            LOCDET_SET_SLOT(k, threshold, adaptive_gaussian,
                            locdet_threshold_adaptive_gaussian_avx2, "avx2");
    }
#endif
#if LOCDET_HAVE_NEON
    if (flags & LOCDET_CPU_FLAG_NEON) {
        LOCDET_SET_SLOT(k, threshold, binary, locdet_threshold_binary_neon, "neon");
        LOCDET_SET_SLOT(k, threshold, histogram, locdet_threshold_histogram_neon, "neon");
        LOCDET_SET_SLOT(k, threshold, adaptive_mean, locdet_threshold_adaptive_mean_neon, "neon");
        LOCDET_SET_SLOT(k, threshold, adaptive_gaussian, locdet_threshold_adaptive_gaussian_neon,
                        "neon");
        LOCDET_SET_SLOT(k, threshold, adaptive_gaussian_fixed,
                        locdet_threshold_adaptive_gaussian_fixed_neon, "neon");
    }
#endif
    (void)flags;
}

static void fill(const locdet_image *dst, uint8_t value)
{
    for (int y = 0; y < dst->height; y++)
        memset(dst->data + y * dst->stride, value, (size_t)dst->width);
}

int locdet_threshold_binary(const locdet_kernels *k, const locdet_image *src,
                            const locdet_image *dst, int thresh, bool invert)
{
    if (!k || !locdet_image_valid(src) || !locdet_image_valid(dst) ||
        !locdet_image_same_size(src, dst) || locdet_image_partial_overlap(src, dst))
        return LOCDET_ERR_INVALID;
    /* Out-of-range thresholds have a constant answer, as in OpenCV. */
    if (thresh < 0) {
        fill(dst, invert ? 0 : 255);
        return LOCDET_OK;
    }
    if (thresh >= 255) {
        fill(dst, invert ? 255 : 0);
        return LOCDET_OK;
    }
    k->threshold.binary(dst->data, dst->stride, src->data, src->stride, src->width,
                        src->height, (uint8_t)thresh, invert);
    return LOCDET_OK;
}

/* ---- Otsu ------------------------------------------------------------- */

/* OpenCV 4.6 getThreshVal_Otsu_8u, operation for operation (double
 * arithmetic, the same quirk that leaves mu1 scaled by q1 on a skipped bin,
 * the first maximum wins). */
static int otsu_select(const uint32_t hist[256], double total)
{
    double mu = 0, scale = 1. / total;
    for (int i = 0; i < 256; i++)
        mu += i * (double)hist[i];
    mu *= scale;
    double mu1 = 0, q1 = 0, max_sigma = 0;
    int max_val = 0;
    for (int i = 0; i < 256; i++) {
        double p_i = hist[i] * scale;
        mu1 *= q1;
        q1 += p_i;
        double q2 = 1. - q1;
        if (fmin(q1, q2) < FLT_EPSILON || fmax(q1, q2) > 1. - FLT_EPSILON)
            continue;
        mu1 = (mu1 + i * p_i) / q1;
        double mu2 = (mu - q1 * mu1) / q2;
        double sigma = q1 * q2 * (mu1 - mu2) * (mu1 - mu2);
        if (sigma > max_sigma) {
            max_sigma = sigma;
            max_val = i;
        }
    }
    return max_val;
}

int locdet_threshold_otsu(const locdet_kernels *k, const locdet_image *src,
                          const locdet_image *dst, bool invert, int *thresh_out)
{
    if (!k || !locdet_image_valid(src) || (!dst && !thresh_out))
        return LOCDET_ERR_INVALID;
    if (dst && (!locdet_image_valid(dst) || !locdet_image_same_size(src, dst) ||
                locdet_image_partial_overlap(src, dst)))
        return LOCDET_ERR_INVALID;
    if ((uint64_t)src->width * (uint64_t)src->height > UINT32_MAX)
        return LOCDET_ERR_INVALID; /* the 32-bit bins could overflow */
    uint32_t hist[256] = {0};
    k->threshold.histogram(hist, src->data, src->stride, src->width, src->height);
    int t = otsu_select(hist, (double)src->width * (double)src->height);
    if (thresh_out)
        *thresh_out = t;
    return dst ? locdet_threshold_binary(k, src, dst, t, invert) : LOCDET_OK;
}

/* ---- adaptive thresholds ----------------------------------------------- */

void locdet_box_mean_constants(int block, uint32_t *div_scale, uint32_t *div_delta,
                               double *scale)
{
    /* OpenCV ColumnSum<ushort, uchar>: used while block^2 <= 256. */
    int d = block * block;
    double scalef = (double)(1 << 23) / d;
    uint32_t ds = (uint32_t)floor(scalef);
    uint32_t dd = (uint32_t)(d / 2);
    if (scalef - ds < 0.5)
        dd++;
    else
        ds++;
    *div_scale = ds;
    *div_delta = dd;
    *scale = 1.0 / d;
}

void locdet_box_mean_prime_columns(void *scratch, size_t len, bool narrow, const uint8_t *src,
                                   ptrdiff_t src_stride, int width, int height, int r)
{
    uint16_t *cs16 = scratch;
    uint32_t *cs32 = scratch;
    memset(scratch, 0, (narrow ? sizeof(uint16_t) : sizeof(uint32_t)) * len);
    for (int j = -r; j <= r; j++) {
        const uint8_t *s = src + (j < 0 ? 0 : j >= height ? height - 1 : j) * src_stride;
        for (int x = 0; x < width; x++) {
            if (narrow)
                cs16[1 + r + x] += s[x];
            else
                cs32[1 + r + x] += s[x];
        }
    }
}

static size_t round64(size_t n)
{
    return (n + 63) & ~(size_t)63;
}

size_t locdet_adaptive_mean_scratch_bytes(int width, int block)
{
    /* Column sums, then the row-padded copy (with one slot in front), each
     * with room for whole vectors past the end. */
    return round64(sizeof(uint32_t) * ((size_t)width + 64)) +
           round64(sizeof(uint32_t) * ((size_t)width + (size_t)block + 64));
}

size_t locdet_adaptive_gaussian_scratch_bytes(int width, int height, int nx, int ny)
{
    /* A ring of filtered rows (up to 3 more than the kernel: the AVX2
     * variant sweeps 4 output rows at a time), the padded source row, and
     * the row pointers. */
    size_t ring_rows = (size_t)(ny + 3 < height ? ny + 3 : height);
    return round64(sizeof(float) * (ring_rows * locdet_gaussian_row_floats(width) +
                                    locdet_gaussian_pad_floats(width, nx)) +
                   sizeof(float *) * (size_t)(ny + 3));
}

size_t locdet_adaptive_gaussian_fixed_scratch_bytes(int width, int height, int nx, int ny)
{
    size_t ring = (size_t)locdet_gaussian_fixed_ring_rows(height, ny) *
                  locdet_gaussian_fixed_row_len(width);
    return round64(sizeof(int16_t) * (ring + locdet_gaussian_fixed_pad_len(width, nx)) +
                   sizeof(int16_t *) * (size_t)ny);
}

void locdet_gaussian_weights_q16(int n, uint16_t *w)
{
    /* Ideal pair weights: the float taps (OpenCV's getGaussianKernel) times
     * 2^16, the centre's halved. Plain rounding leaves the sum off by up to
     * (n/2 + 1) / 2; letting the centre absorb that would, for large n
     * (centre tap about 85 / 2^16 at n = 2047), move it by several times its
     * size. Instead the remainder goes one unit at a time to the weights
     * whose rounding lost (or gained) the most, so every weight stays within
     * 1 of its ideal value and flat images stay exact. */
    float k[LOCDET_ADAPTIVE_MAX_BLOCK];
    locdet_gaussian_kernel_f32(n, k);
    int r = n / 2;
    double ideal[LOCDET_ADAPTIVE_MAX_BLOCK / 2 + 1];
    int32_t sum = 0;
    for (int i = 0; i <= r; i++) {
        ideal[i] = (double)k[r + i] * (i ? 65536.0 : 32768.0);
        w[i] = (uint16_t)floor(ideal[i] + 0.5);
        sum += w[i];
    }
    for (int32_t d = 32768 - sum; d != 0; d += d > 0 ? -1 : 1) {
        int best = -1;
        for (int i = 0; i <= r; i++) {
            double res = ideal[i] - w[i];
            if (d < 0 && w[i] == 0)
                continue;
            if (best < 0 || (d > 0 ? res > ideal[best] - w[best] : res < ideal[best] - w[best]))
                best = i;
        }
        w[best] = (uint16_t)(w[best] + (d > 0 ? 1 : -1));
    }
}

void locdet_gaussian_kernel_f32(int n, float *k)
{
    /* OpenCV getGaussianKernelBitExact with sigma <= 0: fixed tables up to 9
     * taps, otherwise sigma = 0.15 n + 0.35 (one fused rounding, as its
     * softdouble mulAdd) and exp in double. Checked against OpenCV's own
     * kernels by tests/kernels/test_opencv_threshold.c. */
    static const float t3[] = {0.25f, 0.5f, 0.25f};
    static const float t5[] = {0.0625f, 0.25f, 0.375f, 0.25f, 0.0625f};
    static const float t7[] = {0.03125f, 0.109375f, 0.21875f, 0.28125f,
                               0.21875f, 0.109375f, 0.03125f};
    static const float t9[] = {4 / 256.f, 13 / 256.f, 30 / 256.f, 51 / 256.f, 60 / 256.f,
                               51 / 256.f, 30 / 256.f, 13 / 256.f, 4 / 256.f};
    const float *table = n == 1 ? (const float[]){1.f} : n == 3 ? t3 : n == 5 ? t5
                       : n == 7 ? t7 : n == 9 ? t9 : NULL;
    if (table) {
        memcpy(k, table, sizeof(float) * (size_t)n);
        return;
    }
    double sigma = fma((double)n, 0.15, 0.35);
    double scale2 = -0.125 / (sigma * sigma);
    int n2 = (n - 1) / 2;
    double v[LOCDET_ADAPTIVE_MAX_BLOCK / 2], sum = 0;
    for (int i = 0, x = 1 - n; i < n2; i++, x += 2) {
        v[i] = exp((double)(x * x) * scale2);
        sum += v[i];
    }
    sum *= 2;
    sum += 1;
    double mul = 1. / sum;
    for (int i = 0; i < n2; i++)
        k[i] = k[n - 1 - i] = (float)(v[i] * mul);
    k[n2] = (float)mul;
}

typedef struct adaptive_job {
    const locdet_image *src;
    locdet_image out;
    int block, idelta;
    bool invert;
} adaptive_job;

/* Checks shared by the adaptive thresholds; fills job. In place (dst ==
 * src) the kernel writes a temporary image, copied back by adaptive_finish. */
static int adaptive_start(const locdet_kernels *k, const locdet_image *src,
                          const locdet_image *dst, int block, double c, bool invert,
                          adaptive_job *job)
{
    if (!k || !locdet_image_valid(src) || !locdet_image_valid(dst) ||
        !locdet_image_same_size(src, dst) || locdet_image_partial_overlap(src, dst))
        return LOCDET_ERR_INVALID;
    if (block < 3 || block % 2 == 0 || block > LOCDET_ADAPTIVE_MAX_BLOCK || isnan(c))
        return LOCDET_ERR_INVALID;
    /* OpenCV: ceil(C) for BINARY, floor(C) for BINARY_INV. Beyond +-512 the
     * answer no longer changes (|src - mean| <= 255). */
    double id = invert ? floor(c) : ceil(c);
    id = id < -512 ? -512 : id > 512 ? 512 : id;
    *job = (adaptive_job){.src = src, .out = *dst, .block = block, .idelta = (int)id,
                          .invert = invert};
    if (dst->data == src->data) {
        job->out.stride = src->width;
        job->out.data = malloc((size_t)src->width * (size_t)src->height);
        if (!job->out.data)
            return LOCDET_ERR_NOMEM;
    }
    return LOCDET_OK;
}

static void adaptive_finish(const adaptive_job *job, const locdet_image *dst, bool ok)
{
    if (job->out.data == dst->data)
        return;
    for (int y = 0; y < dst->height && ok; y++)
        memcpy(dst->data + y * dst->stride, job->out.data + y * job->out.stride,
               (size_t)dst->width);
    free(job->out.data);
}

int locdet_threshold_adaptive_mean(const locdet_kernels *k, const locdet_image *src,
                                   const locdet_image *dst, int block, double c, bool invert)
{
    adaptive_job job;
    int err = adaptive_start(k, src, dst, block, c, invert, &job);
    if (err)
        return err;
    void *scratch = aligned_alloc(64, locdet_adaptive_mean_scratch_bytes(src->width, block));
    if (scratch)
        k->threshold.adaptive_mean(job.out.data, job.out.stride, src->data, src->stride,
                                   src->width, src->height, block, job.idelta, invert, scratch);
    bool ok = scratch != NULL;
    free(scratch);
    adaptive_finish(&job, dst, ok);
    return ok ? LOCDET_OK : LOCDET_ERR_NOMEM;
}

int locdet_threshold_adaptive_gaussian(const locdet_kernels *k, const locdet_image *src,
                                       const locdet_image *dst, int block, double c,
                                       bool invert)
{
    adaptive_job job;
    int err = adaptive_start(k, src, dst, block, c, invert, &job);
    if (err)
        return err;
    /* OpenCV's GaussianBlur with an isolated, non-constant border drops the
     * kernel along an axis where the image is 1 pixel long. */
    int nx = src->width == 1 ? 1 : block, ny = src->height == 1 ? 1 : block;
    float *kx = malloc(sizeof(float) * (size_t)(nx + ny));
    void *scratch = aligned_alloc(
        64, locdet_adaptive_gaussian_scratch_bytes(src->width, src->height, nx, ny));
    if (kx && scratch) {
        float *ky = kx + nx;
        locdet_gaussian_kernel_f32(nx, kx);
        locdet_gaussian_kernel_f32(ny, ky);
        k->threshold.adaptive_gaussian(job.out.data, job.out.stride, src->data, src->stride,
                                       src->width, src->height, kx, nx, ky, ny, job.idelta,
                                       invert, scratch);
    }
    err = kx && scratch ? LOCDET_OK : LOCDET_ERR_NOMEM;
    free(kx);
    free(scratch);
    adaptive_finish(&job, dst, err == LOCDET_OK);
    return err;
}

int locdet_threshold_adaptive_gaussian_fixed(const locdet_kernels *k, const locdet_image *src,
                                             const locdet_image *dst, int block, double c,
                                             bool invert)
{
    adaptive_job job;
    int err = adaptive_start(k, src, dst, block, c, invert, &job);
    if (err)
        return err;
    /* As the float variant: a 1-pixel-long axis is not filtered. */
    int nx = src->width == 1 ? 1 : block, ny = src->height == 1 ? 1 : block;
    uint16_t wx[LOCDET_ADAPTIVE_MAX_BLOCK / 2 + 1], wy[LOCDET_ADAPTIVE_MAX_BLOCK / 2 + 1];
    if (nx > 1)
        locdet_gaussian_weights_q16(nx, wx);
    if (ny > 1)
        locdet_gaussian_weights_q16(ny, wy);
    void *scratch = aligned_alloc(
        64, locdet_adaptive_gaussian_fixed_scratch_bytes(src->width, src->height, nx, ny));
    if (scratch)
        k->threshold.adaptive_gaussian_fixed(job.out.data, job.out.stride, src->data,
                                             src->stride, src->width, src->height, wx, nx, wy,
                                             ny, job.idelta, invert, scratch);
    err = scratch ? LOCDET_OK : LOCDET_ERR_NOMEM;
    free(scratch);
    adaptive_finish(&job, dst, err == LOCDET_OK);
    return err;
}
