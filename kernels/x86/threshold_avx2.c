/* Threshold family, AVX2. Compiled with -mavx2 only; called only when
 * cpu.c found AVX2. */
#include <immintrin.h>
#include <string.h>

#include "../internal.h"

/* Contract: see decl_threshold_binary_fn in internal.h. 32 pixels a step,
 * then 16, then a scalar tail: no byte outside a row is touched. */
decl_threshold_binary_fn(locdet_threshold_binary_avx2)
{
    /* x > t  <=>  max(x, t + 1) == x, for unsigned bytes and t <= 254. */
    const uint8_t t1 = (uint8_t)(thresh + 1);
    const __m256i lim = _mm256_set1_epi8((char)t1);
    const __m256i flip = invert ? _mm256_set1_epi8(-1) : _mm256_setzero_si256();
    const __m128i lim16 = _mm_set1_epi8((char)t1);
    const __m128i flip16 = _mm256_castsi256_si128(flip);
    const uint8_t above = invert ? 0 : 255;
    for (int y = 0; y < height; y++) {
        const uint8_t *s = src + y * src_stride;
        uint8_t *d = dst + y * dst_stride;
        int x = 0;
        for (; x + 32 <= width; x += 32) {
            __m256i v = _mm256_loadu_si256((const __m256i *)(s + x));
            __m256i m = _mm256_cmpeq_epi8(_mm256_max_epu8(v, lim), v);
            _mm256_storeu_si256((__m256i *)(d + x), _mm256_xor_si256(m, flip));
        }
        if (x + 16 <= width) {
            __m128i v = _mm_loadu_si128((const __m128i *)(s + x));
            __m128i m = _mm_cmpeq_epi8(_mm_max_epu8(v, lim16), v);
            _mm_storeu_si128((__m128i *)(d + x), _mm_xor_si128(m, flip16));
            x += 16;
        }
        for (; x < width; x++)
            d[x] = s[x] > thresh ? above : (uint8_t)~above;
    }
}

/* Contract: see decl_threshold_histogram_fn in internal.h. Plans are mostly
 * long runs of paper and ink: a 32-byte block equal to the current run value
 * costs one compare. In other blocks the 0s and 255s (the bulk of a
 * rendered plan, edges included) are counted in vector byte counters, and
 * only the remaining bytes go one by one into 4 sub-histograms (so that
 * equal neighbours do not wait on each other's store). */
decl_threshold_histogram_fn(locdet_threshold_histogram_avx2)
{
    uint32_t sub[4][256];
    memset(sub, 0, sizeof sub);
    uint8_t run_value = 255;
    uint64_t run_count = 0, zeros = 0, ones = 0;
    __m256i runv = _mm256_set1_epi8((char)run_value);
    const __m256i vzero = _mm256_setzero_si256(), vones = _mm256_set1_epi8(-1);
    __m256i acc0 = vzero, acc255 = vzero; /* per-lane counts, flushed before 255 */
    int pending = 0;
    for (int y = 0; y < height; y++) {
        const uint8_t *s = src + y * src_stride;
        int x = 0;
        for (; x + 32 <= width; x += 32) {
            __m256i v = _mm256_loadu_si256((const __m256i *)(s + x));
            if (_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, runv)) == -1) {
                run_count += 32;
                continue;
            }
            __m256i e0 = _mm256_cmpeq_epi8(v, vzero), e1 = _mm256_cmpeq_epi8(v, vones);
            acc0 = _mm256_sub_epi8(acc0, e0);
            acc255 = _mm256_sub_epi8(acc255, e1);
            if (++pending == 255) {
                __m256i s0 = _mm256_sad_epu8(acc0, vzero), s1 = _mm256_sad_epu8(acc255, vzero);
                uint64_t t0[4], t1[4];
                _mm256_storeu_si256((__m256i *)t0, s0);
                _mm256_storeu_si256((__m256i *)t1, s1);
                zeros += t0[0] + t0[1] + t0[2] + t0[3];
                ones += t1[0] + t1[1] + t1[2] + t1[3];
                acc0 = acc255 = vzero;
                pending = 0;
            }
            uint32_t rest = ~(uint32_t)_mm256_movemask_epi8(_mm256_or_si256(e0, e1));
            for (int n = 0; rest; n++, rest &= rest - 1) {
                int i = __builtin_ctz(rest);
                sub[n & 3][s[x + i]]++;
            }
            /* The block's last byte is the likeliest value of the next. */
            sub[0][run_value] += (uint32_t)run_count;
            run_count = 0;
            run_value = s[x + 31];
            runv = _mm256_set1_epi8((char)run_value);
        }
        for (; x < width; x++)
            sub[x & 3][s[x]]++;
    }
    __m256i s0 = _mm256_sad_epu8(acc0, vzero), s1 = _mm256_sad_epu8(acc255, vzero);
    uint64_t t0[4], t1[4];
    _mm256_storeu_si256((__m256i *)t0, s0);
    _mm256_storeu_si256((__m256i *)t1, s1);
    zeros += t0[0] + t0[1] + t0[2] + t0[3];
    ones += t1[0] + t1[1] + t1[2] + t1[3];
    locdet_histogram_fold(hist, sub, run_value, run_count, zeros, ones);
}

/* Up to 16 bytes of p (the rest zero), without reading past p + n. */
static inline __m128i load_partial(const uint8_t *p, int n)
{
    if (n >= 16)
        return _mm_loadu_si128((const __m128i *)p);
    uint8_t tmp[16] = {0};
    memcpy(tmp, p, (size_t)n);
    return _mm_loadu_si128((const __m128i *)tmp);
}

static inline void store_partial(uint8_t *p, __m128i v, int n)
{
    if (n >= 16) {
        _mm_storeu_si128((__m128i *)p, v);
        return;
    }
    uint8_t tmp[16];
    _mm_storeu_si128((__m128i *)tmp, v);
    memcpy(p, tmp, (size_t)n);
}

/* 16 means (int16 lanes 0..255) against 16 source pixels: OpenCV's
 * src - mean > -idelta, as 0/255 bytes (flipped when inverted). */
static inline __m128i compare16(__m256i mean, __m128i src, __m256i neg_idelta, __m256i flip)
{
    __m256i d = _mm256_sub_epi16(_mm256_cvtepu8_epi16(src), mean);
    __m256i m = _mm256_xor_si256(_mm256_cmpgt_epi16(d, neg_idelta), flip);
    m = _mm256_permute4x64_epi64(_mm256_packs_epi16(m, m), 0x08);
    return _mm256_castsi256_si128(m);
}

/* Inclusive prefix sums of 16 uint16 lanes (mod 2^16). */
static inline __m256i prefix_u16(__m256i x)
{
    x = _mm256_add_epi16(x, _mm256_slli_si256(x, 2));
    x = _mm256_add_epi16(x, _mm256_slli_si256(x, 4));
    x = _mm256_add_epi16(x, _mm256_slli_si256(x, 8));
    /* Carry the low lane's total into the high lane. */
    __m256i lo = _mm256_permute2x128_si256(x, x, 0x08);
    lo = _mm256_shuffle_epi8(lo, _mm256_set1_epi16(0x0f0e));
    return _mm256_add_epi16(x, lo);
}

/* Inclusive prefix sums of 8 uint32 lanes (mod 2^32). */
static inline __m256i prefix_u32(__m256i x)
{
    x = _mm256_add_epi32(x, _mm256_slli_si256(x, 4));
    x = _mm256_add_epi32(x, _mm256_slli_si256(x, 8));
    __m256i lo = _mm256_permute2x128_si256(x, x, 0x08);
    return _mm256_add_epi32(x, _mm256_shuffle_epi32(lo, 0xff));
}

/* Contract: see decl_threshold_adaptive_mean_fn in internal.h. The column
 * sums live in a row-padded array cs (cs[1 + r + x] = column x, replicated
 * r slots each side); the row box sums are a prefix sum of
 * cs[x + 2r + 1] - cs[x], whole vectors at a time. Blocks up to 16 fit
 * 16-bit sums (255 * 256); larger ones use 32 bits. Same integers as the
 * scalar reference, so the same answers. */
decl_threshold_adaptive_mean_fn(locdet_threshold_adaptive_mean_avx2)
{
    const int r = block / 2;
    uint32_t ds, dd;
    double scale;
    locdet_box_mean_constants(block, &ds, &dd, &scale);
    const __m256i neg_idelta = _mm256_set1_epi16((int16_t)-idelta);
    const __m256i flip = invert ? _mm256_set1_epi8(-1) : _mm256_setzero_si256();
    const int vec_end = (width + 15) & ~15; /* whole vectors cover [0, vec_end) */
    const bool narrow = block <= 16;
    const size_t cs_len = (size_t)vec_end + 2 * (size_t)r + 2 + 32;
    locdet_box_mean_prime_columns(scratch, cs_len, narrow, src, src_stride, width, height, r);
    uint16_t *cs16 = scratch;
    uint32_t *cs32 = scratch;
    for (int y = 0; y < height; y++) {
        const uint8_t *s = src + y * src_stride;
        uint8_t *d = dst + y * dst_stride;
        if (y > 0) {
            int yi = y + r < height ? y + r : height - 1, yo = y - r - 1 < 0 ? 0 : y - r - 1;
            const uint8_t *in = src + yi * src_stride, *out = src + yo * src_stride;
            for (int x = 0; x < width; x += 16) {
                __m256i a = _mm256_cvtepu8_epi16(load_partial(in + x, width - x));
                __m256i b = _mm256_cvtepu8_epi16(load_partial(out + x, width - x));
                __m256i diff = _mm256_sub_epi16(a, b); /* -255..255, sign-extend for 32 bits */
                if (narrow) {
                    __m256i *c = (__m256i *)(cs16 + 1 + r + x);
                    _mm256_storeu_si256(c, _mm256_add_epi16(_mm256_loadu_si256(c), diff));
                } else {
                    __m256i *c0 = (__m256i *)(cs32 + 1 + r + x), *c1 = c0 + 1;
                    __m256i d0 = _mm256_cvtepi16_epi32(_mm256_castsi256_si128(diff));
                    __m256i d1 = _mm256_cvtepi16_epi32(_mm256_extracti128_si256(diff, 1));
                    _mm256_storeu_si256(c0, _mm256_add_epi32(_mm256_loadu_si256(c0), d0));
                    _mm256_storeu_si256(c1, _mm256_add_epi32(_mm256_loadu_si256(c1), d1));
                }
            }
        }
        /* Replicate the end columns, and make the first difference zero. */
        if (narrow) {
            for (int i = 0; i < r; i++) {
                cs16[1 + i] = cs16[1 + r];
                cs16[1 + r + width + i] = cs16[r + width];
            }
            cs16[0] = cs16[2 * r + 1];
            uint16_t s0 = 0;
            for (int i = 1; i <= 2 * r + 1; i++)
                s0 = (uint16_t)(s0 + cs16[i]);
            __m256i carry = _mm256_set1_epi16((int16_t)s0);
            for (int x = 0; x < width; x += 16) {
                __m256i diff = _mm256_sub_epi16(
                    _mm256_loadu_si256((const __m256i *)(cs16 + x + 2 * r + 1)),
                    _mm256_loadu_si256((const __m256i *)(cs16 + x)));
                __m256i p = prefix_u16(diff);
                __m256i box = _mm256_add_epi16(p, carry);
                carry = _mm256_add_epi16(carry, _mm256_shuffle_epi8(
                    _mm256_permute2x128_si256(p, p, 0x11), _mm256_set1_epi16(0x0f0e)));
                /* ((box + dd) * ds) >> 23 in 32 bits, as OpenCV. */
                __m256i lo = _mm256_cvtepu16_epi32(_mm256_castsi256_si128(box));
                __m256i hi = _mm256_cvtepu16_epi32(_mm256_extracti128_si256(box, 1));
                lo = _mm256_srli_epi32(_mm256_mullo_epi32(_mm256_add_epi32(lo, _mm256_set1_epi32((int)dd)), _mm256_set1_epi32((int)ds)), 23);
                hi = _mm256_srli_epi32(_mm256_mullo_epi32(_mm256_add_epi32(hi, _mm256_set1_epi32((int)dd)), _mm256_set1_epi32((int)ds)), 23);
                __m256i mean = _mm256_permute4x64_epi64(_mm256_packs_epi32(lo, hi), 0xd8);
                store_partial(d + x, compare16(mean, load_partial(s + x, width - x), neg_idelta, flip),
                              width - x);
            }
        } else {
            for (int i = 0; i < r; i++) {
                cs32[1 + i] = cs32[1 + r];
                cs32[1 + r + width + i] = cs32[r + width];
            }
            cs32[0] = cs32[2 * r + 1];
            uint32_t s0 = 0;
            for (int i = 1; i <= 2 * r + 1; i++)
                s0 += cs32[i];
            __m256i carry = _mm256_set1_epi32((int)s0);
            const __m256d vscale = _mm256_set1_pd(scale);
            for (int x = 0; x < width; x += 16) {
                __m256i box[2];
                for (int h = 0; h < 2; h++) {
                    __m256i diff = _mm256_sub_epi32(
                        _mm256_loadu_si256((const __m256i *)(cs32 + x + 8 * h + 2 * r + 1)),
                        _mm256_loadu_si256((const __m256i *)(cs32 + x + 8 * h)));
                    __m256i p = prefix_u32(diff);
                    box[h] = _mm256_add_epi32(p, carry);
                    carry = _mm256_add_epi32(carry, _mm256_permutevar8x32_epi32(p, _mm256_set1_epi32(7)));
                    /* Sums stay below 2^31 (block <= 2047): exact in double;
                     * the rounding is nearest-even, as nearbyint. */
                    __m128i m0 = _mm256_cvtpd_epi32(_mm256_mul_pd(_mm256_cvtepi32_pd(_mm256_castsi256_si128(box[h])), vscale));
                    __m128i m1 = _mm256_cvtpd_epi32(_mm256_mul_pd(_mm256_cvtepi32_pd(_mm256_extracti128_si256(box[h], 1)), vscale));
                    box[h] = _mm256_inserti128_si256(_mm256_castsi128_si256(m0), m1, 1);
                }
                __m256i mean = _mm256_permute4x64_epi64(_mm256_packs_epi32(box[0], box[1]), 0xd8);
                store_partial(d + x, compare16(mean, load_partial(s + x, width - x), neg_idelta, flip),
                              width - x);
            }
        }
    }
}

/* Output rows per column sweep: GAUSS_GROUP rows share their ring rows, so
 * the ring (in L2 on wide images) is read about (ny + 3) / 4 times per
 * output row instead of ny times; the rows stay in L1 across the group. */
#define GAUSS_GROUP 4

/* Column pass of GAUSS_GROUP output rows at x, for a kernel radius known at
 * compile time: the 2 ry + 4 rows are loaded once and stay in registers.
 * The operations per output are the reference's (centre product, then the
 * pairs from the inside out). */
__attribute__((target("avx2,fma"), always_inline))
static inline void column_group(const float **rowp, const float *ky, const int ry, int x,
                                __m256 out[GAUSS_GROUP])
{
    __m256 r[2 * 7 + GAUSS_GROUP];
    for (int i = 0; i < 2 * ry + GAUSS_GROUP; i++)
        r[i] = _mm256_loadu_ps(rowp[i - ry] + x);
    for (int t = 0; t < GAUSS_GROUP; t++) {
        const __m256 *c = r + ry + t;
        __m256 v = _mm256_mul_ps(c[0], _mm256_set1_ps(ky[ry]));
        for (int j = 1; j <= ry; j++)
            v = _mm256_fmadd_ps(_mm256_add_ps(c[j], c[-j]), _mm256_set1_ps(ky[ry + j]), v);
        out[t] = v;
    }
}

/* 16 means of one row (two vectors of float sums) against the source. */
__attribute__((target("avx2,fma")))
static inline void finish16(uint8_t *d, const uint8_t *s, int n, __m256 v0, __m256 v1,
                            __m256i neg_idelta, __m256i flip)
{
    __m256i m0 = _mm256_cvtps_epi32(v0); /* nearest-even, as nearbyintf */
    __m256i m1 = _mm256_cvtps_epi32(v1);
    __m256i mean = _mm256_permute4x64_epi64(_mm256_packs_epi32(m0, m1), 0xd8);
    mean = _mm256_min_epi16(_mm256_max_epi16(mean, _mm256_setzero_si256()), _mm256_set1_epi16(255));
    store_partial(d, compare16(mean, load_partial(s, n), neg_idelta, flip), n);
}

/* Contract: see decl_threshold_adaptive_gaussian_fn in internal.h. Same
 * operations as the scalar reference, 8 lanes at a time: the products and
 * sums are the same IEEE operations (fused where the reference calls fmaf),
 * so every lane rounds the same way. */
__attribute__((target("avx2,fma")))
decl_threshold_adaptive_gaussian_fn(locdet_threshold_adaptive_gaussian_avx2)
{
    const int rx = nx / 2, ry = ny / 2;
    const int ring_rows = ny + GAUSS_GROUP - 1 < height ? ny + GAUSS_GROUP - 1 : height;
    const size_t rs = locdet_gaussian_row_floats(width);
    float *ring = scratch;
    float *pad = ring + (size_t)ring_rows * rs;
    const size_t pad_len = locdet_gaussian_pad_floats(width, nx);
    const float **rowp = (const float **)(pad + pad_len) + ry;
    /* Lanes past the row end compute on zeros, never on stale bits. */
    memset(ring, 0, sizeof(float) * ((size_t)ring_rows * rs + pad_len));
    const __m256i neg_idelta = _mm256_set1_epi16((int16_t)-idelta);
    const __m256i flip = invert ? _mm256_set1_epi8(-1) : _mm256_setzero_si256();
    const __m256i max255 = _mm256_set1_epi16(255);
    int next = 0;
    for (int y0 = 0; y0 < height; y0 += GAUSS_GROUP) {
        const int g = height - y0 < GAUSS_GROUP ? height - y0 : GAUSS_GROUP;
        for (int last = y0 + g - 1 + ry < height ? y0 + g - 1 + ry : height - 1; next <= last; next++) {
            const uint8_t *s = src + next * src_stride;
            for (int i = 0; i < rx; i++) {
                pad[i] = s[0];
                pad[rx + width + i] = s[width - 1];
            }
            int x = 0;
            for (; x + 8 <= width; x += 8)
                _mm256_storeu_ps(pad + rx + x, _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(
                                                   _mm_loadl_epi64((const __m128i *)(s + x)))));
            for (; x < width; x++)
                pad[rx + x] = s[x];
            /* 8 independent accumulators: one FMA chain is latency bound,
             * 8 keep both FMA pipes busy. */
            float *o = ring + (size_t)(next % ring_rows) * rs;
            for (x = 0; x < width; x += 32) {
                const float *c = pad + x + rx;
                __m256 v[4];
                if (nx == 1) {
                    for (int q = 0; q < 4; q++)
                        v[q] = _mm256_loadu_ps(c + 8 * q);
                } else if (nx == 3) {
                    for (int q = 0; q < 4; q++) {
                        const float *cq = c + 8 * q;
                        v[q] = _mm256_mul_ps(_mm256_add_ps(_mm256_loadu_ps(cq - 1), _mm256_loadu_ps(cq + 1)),
                                             _mm256_set1_ps(kx[2]));
                        v[q] = _mm256_fmadd_ps(_mm256_loadu_ps(cq), _mm256_set1_ps(kx[1]), v[q]);
                    }
                } else if (nx == 5) {
                    for (int q = 0; q < 4; q++) {
                        const float *cq = c + 8 * q;
                        v[q] = _mm256_mul_ps(_mm256_add_ps(_mm256_loadu_ps(cq - 1), _mm256_loadu_ps(cq + 1)),
                                             _mm256_set1_ps(kx[3]));
                        v[q] = _mm256_fmadd_ps(_mm256_loadu_ps(cq), _mm256_set1_ps(kx[2]), v[q]);
                        v[q] = _mm256_fmadd_ps(_mm256_add_ps(_mm256_loadu_ps(cq - 2), _mm256_loadu_ps(cq + 2)),
                                               _mm256_set1_ps(kx[4]), v[q]);
                    }
                } else {
                    const __m256 k0 = _mm256_set1_ps(kx[0]);
                    for (int q = 0; q < 4; q++)
                        v[q] = _mm256_mul_ps(_mm256_loadu_ps(pad + x + 8 * q), k0);
                    for (int j = 1; j < nx; j++) {
                        const __m256 kj = _mm256_set1_ps(kx[j]);
                        for (int q = 0; q < 4; q++)
                            v[q] = _mm256_fmadd_ps(_mm256_loadu_ps(pad + x + 8 * q + j), kj, v[q]);
                    }
                }
                for (int q = 0; q < 4; q++)
                    _mm256_storeu_ps(o + x + 8 * q, v[q]);
            }
        }
        for (int j = -ry; j < ry + g; j++) {
            int yy = y0 + j < 0 ? 0 : y0 + j >= height ? height - 1 : y0 + j;
            rowp[j] = ring + (size_t)(yy % ring_rows) * rs;
        }
        if (g == GAUSS_GROUP && ny >= 5 && ny <= 15) {
            for (int x = 0; x < width; x += 16) {
                __m256 a[GAUSS_GROUP], b[GAUSS_GROUP];
                switch (ry) { /* one register-resident copy per radius */
                case 2: column_group(rowp, ky, 2, x, a), column_group(rowp, ky, 2, x + 8, b); break;
                case 3: column_group(rowp, ky, 3, x, a), column_group(rowp, ky, 3, x + 8, b); break;
                case 4: column_group(rowp, ky, 4, x, a), column_group(rowp, ky, 4, x + 8, b); break;
                case 5: column_group(rowp, ky, 5, x, a), column_group(rowp, ky, 5, x + 8, b); break;
                case 6: column_group(rowp, ky, 6, x, a), column_group(rowp, ky, 6, x + 8, b); break;
                default: column_group(rowp, ky, 7, x, a), column_group(rowp, ky, 7, x + 8, b); break;
                }
                for (int t = 0; t < GAUSS_GROUP; t++)
                    finish16(dst + (y0 + t) * dst_stride + x, src + (y0 + t) * src_stride + x,
                             width - x, a[t], b[t], neg_idelta, flip);
            }
            continue;
        }
        for (int x = 0; x < width; x += 16) {
            for (int t = 0; t < g; t++) {
                const float **row = rowp + t;
                __m256 v[2];
                if (ny == 1) {
                    for (int q = 0; q < 2; q++)
                        v[q] = _mm256_loadu_ps(row[0] + x + 8 * q);
                } else if (ny == 3) {
                    for (int q = 0; q < 2; q++) {
                        int xx = x + 8 * q;
                        v[q] = _mm256_mul_ps(_mm256_add_ps(_mm256_loadu_ps(row[-1] + xx),
                                                           _mm256_loadu_ps(row[1] + xx)),
                                             _mm256_set1_ps(ky[2]));
                        v[q] = _mm256_fmadd_ps(_mm256_loadu_ps(row[0] + xx), _mm256_set1_ps(ky[1]), v[q]);
                    }
                } else {
                    const __m256 kc = _mm256_set1_ps(ky[ry]);
                    for (int q = 0; q < 2; q++)
                        v[q] = _mm256_mul_ps(_mm256_loadu_ps(row[0] + x + 8 * q), kc);
                    for (int j = 1; j <= ry; j++) {
                        const __m256 kj = _mm256_set1_ps(ky[ry + j]);
                        const float *a = row[j] + x, *b = row[-j] + x;
                        for (int q = 0; q < 2; q++)
                            v[q] = _mm256_fmadd_ps(_mm256_add_ps(_mm256_loadu_ps(a + 8 * q),
                                                                 _mm256_loadu_ps(b + 8 * q)),
                                                   kj, v[q]);
                    }
                }
                __m256i m0 = _mm256_cvtps_epi32(v[0]); /* nearest-even, as nearbyintf */
                __m256i m1 = _mm256_cvtps_epi32(v[1]);
                __m256i mean = _mm256_permute4x64_epi64(_mm256_packs_epi32(m0, m1), 0xd8);
                mean = _mm256_min_epi16(_mm256_max_epi16(mean, _mm256_setzero_si256()), max255);
                const uint8_t *s = src + (y0 + t) * src_stride;
                uint8_t *d = dst + (y0 + t) * dst_stride;
                store_partial(d + x, compare16(mean, load_partial(s + x, width - x), neg_idelta, flip),
                              width - x);
            }
        }
    }
}

/* Fixed-point Gaussian: lo/hi += madd(interleave(p0, p1), (w0, w1)), the
 * sums of two terms of 16 pixels in 32-bit lanes (pixels 0-3 and 8-11 in lo,
 * 4-7 and 12-15 in hi: _mm256_packs_epi32(lo, hi) restores the order). */
static inline void madd_terms(__m256i *lo, __m256i *hi, __m256i p0, __m256i p1, __m256i w01)
{
    *lo = _mm256_add_epi32(*lo, _mm256_madd_epi16(_mm256_unpacklo_epi16(p0, p1), w01));
    *hi = _mm256_add_epi32(*hi, _mm256_madd_epi16(_mm256_unpackhi_epi16(p0, p1), w01));
}

static inline __m256i pair_sum(const int16_t *a, const int16_t *b)
{
    return _mm256_add_epi16(_mm256_loadu_si256((const __m256i *)a),
                            _mm256_loadu_si256((const __m256i *)b));
}

/* The weights of decl_threshold_adaptive_gaussian_fixed_fn packed two per
 * int32 for madd: wp[k] = w[2k] | w[2k + 1] << 16 (0 past r). */
static void pack_weights(uint32_t *wp, const uint16_t *w, int r)
{
    for (int k = 0; 2 * k <= r; k++)
        wp[k] = w[2 * k] | (2 * k + 1 <= r ? (uint32_t)w[2 * k + 1] << 16 : 0);
}

/* sum_{i=0..r} w[i] * (m[i][x] + p[i][x]) for 16 lanes, as two vectors of
 * 32-bit sums (m[0] == p[0] is the centre, counted twice; every pair sum
 * fits int16), terms taken two at a time. r >= 1. Inlined with a constant
 * r, the loops unroll and the pointers and weights stay in registers. */
__attribute__((always_inline))
static inline void gauss_fixed_terms(const int16_t *const *m, const int16_t *const *p, int x,
                                     int r, const uint32_t *wp, __m256i *lo, __m256i *hi)
{
    __m256i p0 = pair_sum(p[0] + x, p[0] + x), p1 = pair_sum(m[1] + x, p[1] + x);
    __m256i w01 = _mm256_set1_epi32((int)wp[0]);
    *lo = _mm256_madd_epi16(_mm256_unpacklo_epi16(p0, p1), w01);
    *hi = _mm256_madd_epi16(_mm256_unpackhi_epi16(p0, p1), w01);
    for (int i = 2; i <= r; i += 2) {
        p0 = pair_sum(m[i] + x, p[i] + x);
        p1 = i + 1 <= r ? pair_sum(m[i + 1] + x, p[i + 1] + x) : p0; /* weight 0 if past r */
        madd_terms(lo, hi, p0, p1, _mm256_set1_epi32((int)wp[i / 2]));
    }
}

/* (v + 2^(n-1)) >> n for two vectors of non-negative 32-bit sums whose
 * v >> (n - 1) fits int16, packed to 16 lanes in order: avg(v >> (n-1), 0)
 * is the rounding step. */
#define ROUND_PACK(lo, hi, n)                                                  \
    _mm256_avg_epu16(_mm256_packs_epi32(_mm256_srli_epi32((lo), (n) - 1),     \
                                        _mm256_srli_epi32((hi), (n) - 1)),    \
                     _mm256_setzero_si256())

/* Row pass of one replicated row: o[x] = (S + 2^9) >> 10 for x in
 * [0, width), width a multiple of 16 (o and the pad have room). */
__attribute__((always_inline))
static inline void gauss_fixed_row(int16_t *o, const int16_t *pad, int width, int r,
                                   const uint32_t *wp)
{
    const int16_t *m[LOCDET_ADAPTIVE_MAX_BLOCK / 2 + 1], *p[LOCDET_ADAPTIVE_MAX_BLOCK / 2 + 1];
    for (int i = 0; i <= r; i++)
        m[i] = pad + r - i, p[i] = pad + r + i;
    for (int x = 0; x < width; x += 16) {
        __m256i lo, hi;
        gauss_fixed_terms(m, p, x, r, wp, &lo, &hi);
        _mm256_storeu_si256((__m256i *)(o + x), ROUND_PACK(lo, hi, 10)); /* S >> 9 <= 32640 */
    }
}

/* src - mean > -idelta on 32 bytes, without widening: for idelta >= 1 it
 * is mean <= src + (idelta - 1), for idelta <= 0 it is not
 * src <= mean + (-idelta); a saturating add keeps both exact (a sum past
 * 255 makes the first always true and the second always false, as it
 * should). k holds the clamped addend, `to_src` says which side it goes to,
 * and flip is the output flip, complemented for the second form. */
typedef struct byte_compare {
    __m256i k, flip;
    bool to_src;
} byte_compare;

static inline byte_compare byte_compare_init(int idelta, bool invert)
{
    int k = idelta >= 1 ? idelta - 1 : -idelta;
    bool to_src = idelta >= 1;
    return (byte_compare){_mm256_set1_epi8((char)(k > 255 ? 255 : k)),
                          _mm256_set1_epi8(invert != !to_src ? -1 : 0), to_src};
}

static inline __m256i byte_compare_run(const byte_compare *bc, __m256i mean, __m256i src)
{
    __m256i a = bc->to_src ? mean : src;
    __m256i b = _mm256_adds_epu8(bc->to_src ? src : mean, bc->k);
    return _mm256_xor_si256(_mm256_cmpeq_epi8(_mm256_max_epu8(a, b), b), bc->flip);
}

/* Up to 32 bytes of p (the rest zero), without reading past p + n. */
static inline __m256i load_partial32(const uint8_t *p, int n)
{
    if (n >= 32)
        return _mm256_loadu_si256((const __m256i *)p);
    uint8_t tmp[32] = {0};
    memcpy(tmp, p, (size_t)n);
    return _mm256_loadu_si256((const __m256i *)tmp);
}

static inline void store_partial32(uint8_t *p, __m256i v, int n)
{
    if (n >= 32) {
        _mm256_storeu_si256((__m256i *)p, v);
        return;
    }
    uint8_t tmp[32];
    _mm256_storeu_si256((__m256i *)tmp, v);
    memcpy(p, tmp, (size_t)n);
}

/* Two vectors of 16 means (int16 lanes 0..255) as 32 bytes in order. */
static inline __m256i pack_means(__m256i a, __m256i b)
{
    return _mm256_permute4x64_epi64(_mm256_packus_epi16(a, b), 0xd8);
}

/* Column pass of one output row from the ring rows m[j] (y - j) and p[j]
 * (y + j), then the compare, 32 pixels a step. r = 0: no filtering, the
 * mean is (R + 32) >> 6. */
__attribute__((always_inline))
static inline void gauss_fixed_column(uint8_t *d, const uint8_t *s, int width,
                                      const int16_t *const *cm, const int16_t *const *cp, int r,
                                      const uint32_t *wp, const byte_compare *bc)
{
    const int16_t *m[LOCDET_ADAPTIVE_MAX_BLOCK / 2 + 1], *p[LOCDET_ADAPTIVE_MAX_BLOCK / 2 + 1];
    for (int j = 0; j <= r; j++)
        m[j] = cm[j], p[j] = cp[j];
    for (int x = 0; x < width; x += 32) {
        __m256i mean[2];
        for (int h = 0; h < 2; h++) {
            if (r == 0) {
                __m256i v = _mm256_loadu_si256((const __m256i *)(p[0] + x + 16 * h));
                mean[h] = _mm256_srli_epi16(_mm256_add_epi16(v, _mm256_set1_epi16(32)), 6);
            } else {
                __m256i lo, hi;
                gauss_fixed_terms(m, p, x + 16 * h, r, wp, &lo, &hi);
                mean[h] = ROUND_PACK(lo, hi, 22); /* T >> 21 <= 510 */
            }
        }
        __m256i out = byte_compare_run(bc, pack_means(mean[0], mean[1]),
                                       load_partial32(s + x, width - x));
        store_partial32(d + x, out, width - x);
    }
}

/* Contract: see decl_threshold_adaptive_gaussian_fixed_fn in internal.h.
 * The reference's integers, 16 pixels a step in 16-bit lanes: the pair sums
 * (p[x-i] + p[x+i] <= 510; R[y-j] + R[y+j] <= 32640) are interleaved two
 * terms at a time and multiplied with _mm256_madd_epi16 into exact 32-bit
 * sums, which are rounded and packed back to 16 bits. Radii 1..7 (blocks up
 * to 15) get their own unrolled copies. */
decl_threshold_adaptive_gaussian_fixed_fn(locdet_threshold_adaptive_gaussian_fixed_avx2)
{
    const int rx = nx / 2, ry = ny / 2;
    const int ring_rows = locdet_gaussian_fixed_ring_rows(height, ny);
    const size_t rs = locdet_gaussian_fixed_row_len(width);
    int16_t *ring = scratch;
    int16_t *pad = ring + (size_t)ring_rows * rs;
    uint32_t wpx[LOCDET_ADAPTIVE_MAX_BLOCK / 4 + 1], wpy[LOCDET_ADAPTIVE_MAX_BLOCK / 4 + 1];
    if (nx > 1)
        pack_weights(wpx, wx, rx);
    if (ny > 1)
        pack_weights(wpy, wy, ry);
    /* The column pairs' operands: the ring rows of y - j and y + j. */
    const int16_t *cm[LOCDET_ADAPTIVE_MAX_BLOCK / 2 + 1], *cp[LOCDET_ADAPTIVE_MAX_BLOCK / 2 + 1];
    const byte_compare bc = byte_compare_init(idelta, invert);
    const int vec_width = (width + 31) & ~31;
    /* Lanes past the row end then compute on small values, never on stale
     * bits. */
    memset(pad, 0, sizeof(int16_t) * locdet_gaussian_fixed_pad_len(width, nx));
    int next = 0;
    for (int y = 0; y < height; y++) {
        for (int last = y + ry < height ? y + ry : height - 1; next <= last; next++) {
            /* pad[i] = p[i - rx], replicated. Each step may spill up to 15
             * lanes past its part (inside the pad): left, middle, right. */
            const uint8_t *s = src + next * src_stride;
            const __m256i first = _mm256_set1_epi16(s[0]), end = _mm256_set1_epi16(s[width - 1]);
            for (int i = 0; i < rx; i += 16)
                _mm256_storeu_si256((__m256i *)(pad + i), first);
            /* Each source row starts a new stream for the hardware
             * prefetcher (at a 4 KiB stride, a new page): fetch the next
             * row while this one is filtered. */
            const uint8_t *ahead = next + 1 < height ? s + src_stride : s;
            for (int x = 0; x < width; x += 16) {
                _mm_prefetch((const char *)(ahead + x), _MM_HINT_T0);
                _mm256_storeu_si256((__m256i *)(pad + rx + x),
                                    _mm256_cvtepu8_epi16(load_partial(s + x, width - x)));
            }
            for (int i = 0; i < rx; i += 16)
                _mm256_storeu_si256((__m256i *)(pad + rx + width + i), end);
            /* Whole 32-pixel steps: the column pass reads them all. */
            int16_t *o = ring + (size_t)(next % ring_rows) * rs;
            switch (rx) {
            case 0:
                for (int x = 0; x < vec_width; x += 16)
                    _mm256_storeu_si256((__m256i *)(o + x), _mm256_slli_epi16(
                        _mm256_loadu_si256((const __m256i *)(pad + x)), 6));
                break;
            case 1: gauss_fixed_row(o, pad, vec_width, 1, wpx); break;
            case 2: gauss_fixed_row(o, pad, vec_width, 2, wpx); break;
            case 3: gauss_fixed_row(o, pad, vec_width, 3, wpx); break;
            case 4: gauss_fixed_row(o, pad, vec_width, 4, wpx); break;
            case 5: gauss_fixed_row(o, pad, vec_width, 5, wpx); break;
            case 6: gauss_fixed_row(o, pad, vec_width, 6, wpx); break;
            case 7: gauss_fixed_row(o, pad, vec_width, 7, wpx); break;
            default: gauss_fixed_row(o, pad, vec_width, rx, wpx); break;
            }
        }
        for (int j = 0; j <= ry; j++) {
            int up = y - j < 0 ? 0 : y - j, down = y + j >= height ? height - 1 : y + j;
            cm[j] = ring + (size_t)(up % ring_rows) * rs;
            cp[j] = ring + (size_t)(down % ring_rows) * rs;
        }
        const uint8_t *s = src + y * src_stride;
        uint8_t *d = dst + y * dst_stride;
        switch (ry) {
        case 0: gauss_fixed_column(d, s, width, cm, cp, 0, wpy, &bc); break;
        case 1: gauss_fixed_column(d, s, width, cm, cp, 1, wpy, &bc); break;
        case 2: gauss_fixed_column(d, s, width, cm, cp, 2, wpy, &bc); break;
        case 3: gauss_fixed_column(d, s, width, cm, cp, 3, wpy, &bc); break;
        case 4: gauss_fixed_column(d, s, width, cm, cp, 4, wpy, &bc); break;
        case 5: gauss_fixed_column(d, s, width, cm, cp, 5, wpy, &bc); break;
        case 6: gauss_fixed_column(d, s, width, cm, cp, 6, wpy, &bc); break;
        case 7: gauss_fixed_column(d, s, width, cm, cp, 7, wpy, &bc); break;
        default: gauss_fixed_column(d, s, width, cm, cp, ry, wpy, &bc); break;
        }
    }
}
