/* Threshold family, scalar reference: the specification the SIMD variants
 * must match bit for bit. */
#include <math.h>

#include "../internal.h"

/* Contract: see decl_threshold_binary_fn in internal.h. */
decl_threshold_binary_fn(locdet_threshold_binary_scalar)
{
    const uint8_t above = invert ? 0 : 255;
    for (int y = 0; y < height; y++) {
        const uint8_t *s = src + y * src_stride;
        uint8_t *d = dst + y * dst_stride;
        for (int x = 0; x < width; x++)
            d[x] = s[x] > thresh ? above : (uint8_t)~above;
    }
}

/* Contract: see decl_threshold_histogram_fn in internal.h. */
decl_threshold_histogram_fn(locdet_threshold_histogram_scalar)
{
    for (int y = 0; y < height; y++) {
        const uint8_t *s = src + y * src_stride;
        for (int x = 0; x < width; x++)
            hist[s[x]]++;
    }
}

static inline int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static inline uint8_t compare(int pixel, int mean, int idelta, uint8_t above)
{
    /* OpenCV's table: tab[src - mean + 255] = src - mean > -idelta. */
    return pixel - mean > -idelta ? above : (uint8_t)~above;
}

/* Contract: see decl_threshold_adaptive_mean_fn in internal.h. Running sums:
 * col[x] holds the column sum over the block's rows, updated by one row in
 * and one out per output row; the row sum slides the same way along x. */
decl_threshold_adaptive_mean_fn(locdet_threshold_adaptive_mean_scalar)
{
    const int r = block / 2;
    const uint8_t above = invert ? 0 : 255;
    uint32_t ds, dd;
    double scale;
    locdet_box_mean_constants(block, &ds, &dd, &scale);
    uint32_t *col = scratch;
    for (int x = 0; x < width; x++)
        col[x] = 0;
    for (int j = -r; j <= r; j++) {
        const uint8_t *s = src + clampi(j, 0, height - 1) * src_stride;
        for (int x = 0; x < width; x++)
            col[x] += s[x];
    }
    for (int y = 0; y < height; y++) {
        if (y > 0) {
            const uint8_t *in = src + clampi(y + r, 0, height - 1) * src_stride;
            const uint8_t *out = src + clampi(y - r - 1, 0, height - 1) * src_stride;
            for (int x = 0; x < width; x++)
                col[x] += (uint32_t)in[x] - out[x];
        }
        uint32_t sum = 0;
        for (int i = -r; i <= r; i++)
            sum += col[clampi(i, 0, width - 1)];
        const uint8_t *s = src + y * src_stride;
        uint8_t *d = dst + y * dst_stride;
        for (int x = 0; x < width; x++) {
            int mean = locdet_box_mean_round(sum, block, ds, dd, scale);
            d[x] = compare(s[x], mean, idelta, above);
            sum += col[clampi(x + r + 1, 0, width - 1)] - col[clampi(x - r, 0, width - 1)];
        }
    }
}

/* One row of OpenCV 4.6's float row filter. p points at the row extended by
 * nx/2 replicated pixels on each side. The operation order is OpenCV's on an
 * FMA machine: its kernels for 3 and 5 taps use the symmetry, longer kernels
 * accumulate left to right from the first product. */
static void gauss_row(float *out, const float *p, int width, const float *k, int nx)
{
    for (int x = 0; x < width; x++) {
        const float *c = p + x + nx / 2;
        float s;
        if (nx == 1)
            s = c[0];
        else if (nx == 3)
            s = fmaf(c[0], k[1], (c[-1] + c[1]) * k[2]);
        else if (nx == 5)
            s = fmaf(c[-2] + c[2], k[4], fmaf(c[0], k[2], (c[-1] + c[1]) * k[3]));
        else {
            s = p[x] * k[0];
            for (int j = 1; j < nx; j++)
                s = fmaf(p[x + j], k[j], s);
        }
        out[x] = s;
    }
}

/* Contract: see decl_threshold_adaptive_gaussian_fn in internal.h. Rows are
 * filtered once into a ring of min(ny, height) rows; the column pass, the
 * rounding and the compare run per output row. */
decl_threshold_adaptive_gaussian_fn(locdet_threshold_adaptive_gaussian_scalar)
{
    const int rx = nx / 2, ry = ny / 2;
    const uint8_t above = invert ? 0 : 255;
    const int ring_rows = ny < height ? ny : height;
    const size_t rs = locdet_gaussian_row_floats(width);
    float *ring = scratch;
    float *pad = ring + (size_t)ring_rows * rs;
    const float **row = (const float **)(pad + locdet_gaussian_pad_floats(width, nx)) + ry;
    int next = 0;
    for (int y = 0; y < height; y++) {
        for (int last = y + ry < height ? y + ry : height - 1; next <= last; next++) {
            const uint8_t *s = src + next * src_stride;
            for (int i = 0; i < width + 2 * rx; i++)
                pad[i] = s[clampi(i - rx, 0, width - 1)];
            gauss_row(ring + (size_t)(next % ring_rows) * rs, pad, width, kx, nx);
        }
        for (int j = -ry; j <= ry; j++)
            row[j] = ring + (size_t)(clampi(y + j, 0, height - 1) % ring_rows) * rs;
        const uint8_t *s = src + y * src_stride;
        uint8_t *d = dst + y * dst_stride;
        for (int x = 0; x < width; x++) {
            float v;
            if (ny == 1)
                v = row[0][x];
            else if (ny == 3)
                v = fmaf(row[0][x], ky[1], (row[-1][x] + row[1][x]) * ky[2]);
            else {
                v = row[0][x] * ky[ry];
                for (int j = 1; j <= ry; j++)
                    v = fmaf(row[j][x] + row[-j][x], ky[ry + j], v);
            }
            int mean = (int)nearbyintf(v);
            mean = mean < 0 ? 0 : mean > 255 ? 255 : mean;
            d[x] = compare(s[x], mean, idelta, above);
        }
    }
}

/* Contract: see decl_threshold_adaptive_gaussian_fixed_fn in internal.h.
 * The specification of the fixed-point Gaussian: every sum is exact in
 * 32 bits, so any summation order (the SIMD variants pair the terms
 * differently) gives the same integers. Rows are filtered once into a ring
 * of min(ny, height) rows of Q6 values; the column pass, the rounding and
 * the compare run per output row. */
decl_threshold_adaptive_gaussian_fixed_fn(locdet_threshold_adaptive_gaussian_fixed_scalar)
{
    const int rx = nx / 2, ry = ny / 2;
    const uint8_t above = invert ? 0 : 255;
    const int ring_rows = locdet_gaussian_fixed_ring_rows(height, ny);
    const size_t rs = locdet_gaussian_fixed_row_len(width);
    int16_t *ring = scratch;
    int16_t *pad = ring + (size_t)ring_rows * rs;
    const int16_t **row =
        (const int16_t **)(pad + locdet_gaussian_fixed_pad_len(width, nx)) + ry;
    int next = 0;
    for (int y = 0; y < height; y++) {
        for (int last = y + ry < height ? y + ry : height - 1; next <= last; next++) {
            const uint8_t *s = src + next * src_stride;
            int16_t *o = ring + (size_t)(next % ring_rows) * rs;
            for (int i = 0; i < width + 2 * rx; i++)
                pad[i] = s[clampi(i - rx, 0, width - 1)];
            for (int x = 0; x < width; x++) {
                const int16_t *c = pad + rx + x;
                if (nx == 1) {
                    o[x] = (int16_t)(c[0] << 6);
                    continue;
                }
                int32_t sum = 0;
                for (int i = 0; i <= rx; i++)
                    sum += (int32_t)wx[i] * (c[-i] + c[i]);
                o[x] = (int16_t)((sum + (1 << 9)) >> 10);
            }
        }
        for (int j = -ry; j <= ry; j++)
            row[j] = ring + (size_t)(clampi(y + j, 0, height - 1) % ring_rows) * rs;
        const uint8_t *s = src + y * src_stride;
        uint8_t *d = dst + y * dst_stride;
        for (int x = 0; x < width; x++) {
            int mean;
            if (ny == 1) {
                mean = (row[0][x] + 32) >> 6;
            } else {
                int32_t sum = 0;
                for (int j = 0; j <= ry; j++)
                    sum += (int32_t)wy[j] * (row[-j][x] + row[j][x]);
                mean = (sum + (1 << 21)) >> 22;
            }
            d[x] = compare(s[x], mean, idelta, above);
        }
    }
}
