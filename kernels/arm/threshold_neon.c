/* Threshold family, NEON. */
#include <math.h>
#include <string.h>

#include "neon.h"

#include "../internal.h"

/* Contract: see decl_threshold_binary_fn in internal.h. 16 pixels a step,
 * then a scalar tail: no byte outside a row is touched. */
decl_threshold_binary_fn(locdet_threshold_binary_neon)
{
    const uint8x16_t t = vdupq_n_u8(thresh);
    const uint8x16_t flip = vdupq_n_u8(invert ? 0xff : 0);
    const uint8_t above = invert ? 0 : 255;
    for (int y = 0; y < height; y++) {
        const uint8_t *s = src + y * src_stride;
        uint8_t *d = dst + y * dst_stride;
        int x = 0;
        for (; x + 16 <= width; x += 16) {
            uint8x16_t m = vcgtq_u8(vld1q_u8(s + x), t);
            vst1q_u8(d + x, veorq_u8(m, flip));
        }
        for (; x < width; x++)
            d[x] = s[x] > thresh ? above : (uint8_t)~above;
    }
}

/* Contract: see decl_threshold_histogram_fn in internal.h. As the AVX2
 * variant: a 16-byte block equal to the current run value costs one
 * compare; in a block of only 0s and 255s those are counted in vectors;
 * other blocks go byte by byte into 4 sub-histograms. */
decl_threshold_histogram_fn(locdet_threshold_histogram_neon)
{
    uint32_t sub[4][256];
    memset(sub, 0, sizeof sub);
    uint8_t run_value = 255;
    uint64_t run_count = 0, zeros = 0, ones = 0;
    uint8x16_t runv = vdupq_n_u8(run_value);
    for (int y = 0; y < height; y++) {
        const uint8_t *s = src + y * src_stride;
        int x = 0;
        for (; x + 16 <= width; x += 16) {
            uint8x16_t v = vld1q_u8(s + x);
            if (vminvq_u8(vceqq_u8(v, runv)) == 0xff) {
                run_count += 16;
                continue;
            }
            uint8x16_t e1 = vceqq_u8(v, vdupq_n_u8(255));
            uint8x16_t e0 = vceqzq_u8(v);
            if (vminvq_u8(vorrq_u8(e0, e1)) == 0xff) {
                unsigned n1 = vaddvq_u8(vshrq_n_u8(e1, 7));
                ones += n1;
                zeros += 16 - n1;
            } else {
                for (int q = 0; q < 16; q += 8) {
                    uint64_t b;
                    memcpy(&b, s + x + q, 8);
                    sub[0][b & 255]++, sub[1][(b >> 8) & 255]++;
                    sub[2][(b >> 16) & 255]++, sub[3][(b >> 24) & 255]++;
                    sub[0][(b >> 32) & 255]++, sub[1][(b >> 40) & 255]++;
                    sub[2][(b >> 48) & 255]++, sub[3][b >> 56]++;
                }
            }
            sub[0][run_value] += (uint32_t)run_count;
            run_count = 0;
            run_value = s[x + 15];
            runv = vdupq_n_u8(run_value);
        }
        for (; x < width; x++)
            sub[x & 3][s[x]]++;
    }
    locdet_histogram_fold(hist, sub, run_value, run_count, zeros, ones);
}

/* Up to 8 bytes of p (the rest zero), without reading past p + n. */
static inline uint8x8_t load8_partial(const uint8_t *p, int n)
{
    if (n >= 8)
        return vld1_u8(p);
    uint8_t tmp[8] = {0};
    memcpy(tmp, p, (size_t)n);
    return vld1_u8(tmp);
}

static inline void store8_partial(uint8_t *p, uint8x8_t v, int n)
{
    if (n >= 8) {
        vst1_u8(p, v);
        return;
    }
    uint8_t tmp[8];
    vst1_u8(tmp, v);
    memcpy(p, tmp, (size_t)n);
}

/* 8 means (int16 lanes 0..255) against 8 pixels: src - mean > -idelta. */
static inline uint8x8_t compare8(int16x8_t mean, uint8x8_t src, int16x8_t neg_idelta, uint8x8_t flip)
{
    int16x8_t d = vsubq_s16(vreinterpretq_s16_u16(vmovl_u8(src)), mean);
    return veor_u8(vmovn_u16(vcgtq_s16(d, neg_idelta)), flip);
}

static inline uint16x8_t prefix_u16(uint16x8_t x)
{
    const uint16x8_t z = vdupq_n_u16(0);
    x = vaddq_u16(x, vextq_u16(z, x, 7));
    x = vaddq_u16(x, vextq_u16(z, x, 6));
    return vaddq_u16(x, vextq_u16(z, x, 4));
}

static inline uint32x4_t prefix_u32(uint32x4_t x)
{
    const uint32x4_t z = vdupq_n_u32(0);
    x = vaddq_u32(x, vextq_u32(z, x, 3));
    return vaddq_u32(x, vextq_u32(z, x, 2));
}

/* OpenCV's rounding of 4 box sums of a block > 16: nearest-even of s * scale
 * in double, as the reference. */
static inline int32x4_t mean_wide(uint32x4_t s, float64x2_t scale)
{
    float64x2_t lo = vmulq_f64(vcvtq_f64_u64(vmovl_u32(vget_low_u32(s))), scale);
    float64x2_t hi = vmulq_f64(vcvtq_f64_u64(vmovl_u32(vget_high_u32(s))), scale);
    int64x2_t l = vcvtq_s64_f64(vrndnq_f64(lo)), h = vcvtq_s64_f64(vrndnq_f64(hi));
    return vcombine_s32(vmovn_s64(l), vmovn_s64(h));
}

/* Contract: see decl_threshold_adaptive_mean_fn in internal.h. The layout of
 * the AVX2 variant (row-padded column sums, prefix sums of differences),
 * 8 pixels a step. */
decl_threshold_adaptive_mean_fn(locdet_threshold_adaptive_mean_neon)
{
    const int r = block / 2;
    uint32_t ds, dd;
    double scale;
    locdet_box_mean_constants(block, &ds, &dd, &scale);
    const int16x8_t neg_idelta = vdupq_n_s16((int16_t)-idelta);
    const uint8x8_t flip = vdup_n_u8(invert ? 0xff : 0);
    const int vec_end = (width + 15) & ~15;
    const bool narrow = block <= 16;
    const size_t cs_len = (size_t)vec_end + 2 * (size_t)r + 2 + 32;
    locdet_box_mean_prime_columns(scratch, cs_len, narrow, src, src_stride, width, height, r);
    uint16_t *cs16 = scratch;
    uint32_t *cs32 = scratch;
    const float64x2_t vscale = vdupq_n_f64(scale);
    for (int y = 0; y < height; y++) {
        const uint8_t *s = src + y * src_stride;
        uint8_t *d = dst + y * dst_stride;
        if (y > 0) {
            int yi = y + r < height ? y + r : height - 1, yo = y - r - 1 < 0 ? 0 : y - r - 1;
            const uint8_t *in = src + yi * src_stride, *out = src + yo * src_stride;
            for (int x = 0; x < width; x += 8) {
                int16x8_t diff = vreinterpretq_s16_u16(
                    vsubl_u8(load8_partial(in + x, width - x), load8_partial(out + x, width - x)));
                if (narrow) {
                    uint16_t *c = cs16 + 1 + r + x;
                    vst1q_u16(c, vaddq_u16(vld1q_u16(c), vreinterpretq_u16_s16(diff)));
                } else {
                    uint32_t *c = cs32 + 1 + r + x;
                    int32x4_t d0 = vmovl_s16(vget_low_s16(diff)), d1 = vmovl_s16(vget_high_s16(diff));
                    vst1q_u32(c, vaddq_u32(vld1q_u32(c), vreinterpretq_u32_s32(d0)));
                    vst1q_u32(c + 4, vaddq_u32(vld1q_u32(c + 4), vreinterpretq_u32_s32(d1)));
                }
            }
        }
        if (narrow) {
            for (int i = 0; i < r; i++) {
                cs16[1 + i] = cs16[1 + r];
                cs16[1 + r + width + i] = cs16[r + width];
            }
            cs16[0] = cs16[2 * r + 1];
            uint16_t s0 = 0;
            for (int i = 1; i <= 2 * r + 1; i++)
                s0 = (uint16_t)(s0 + cs16[i]);
            uint16x8_t carry = vdupq_n_u16(s0);
            const uint32x4_t vdd = vdupq_n_u32(dd), vds = vdupq_n_u32(ds);
            for (int x = 0; x < width; x += 8) {
                uint16x8_t p = prefix_u16(vsubq_u16(vld1q_u16(cs16 + x + 2 * r + 1), vld1q_u16(cs16 + x)));
                uint16x8_t box = vaddq_u16(p, carry);
                carry = vaddq_u16(carry, vdupq_laneq_u16(p, 7));
                uint32x4_t lo = vshrq_n_u32(vmulq_u32(vaddq_u32(vmovl_u16(vget_low_u16(box)), vdd), vds), 23);
                uint32x4_t hi = vshrq_n_u32(vmulq_u32(vaddq_u32(vmovl_u16(vget_high_u16(box)), vdd), vds), 23);
                int16x8_t mean = vreinterpretq_s16_u16(vcombine_u16(vmovn_u32(lo), vmovn_u32(hi)));
                store8_partial(d + x, compare8(mean, load8_partial(s + x, width - x), neg_idelta, flip),
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
            uint32x4_t carry = vdupq_n_u32(s0);
            for (int x = 0; x < width; x += 8) {
                int32x4_t m[2];
                for (int h = 0; h < 2; h++) {
                    uint32x4_t p = prefix_u32(vsubq_u32(vld1q_u32(cs32 + x + 4 * h + 2 * r + 1),
                                                        vld1q_u32(cs32 + x + 4 * h)));
                    m[h] = mean_wide(vaddq_u32(p, carry), vscale);
                    carry = vaddq_u32(carry, vdupq_laneq_u32(p, 3));
                }
                int16x8_t mean = vcombine_s16(vmovn_s32(m[0]), vmovn_s32(m[1]));
                store8_partial(d + x, compare8(mean, load8_partial(s + x, width - x), neg_idelta, flip),
                               width - x);
            }
        }
    }
}

/* acc + a * b with one rounding. SIMDe without x86 FMA would multiply and
 * add separately, so that build calls fmaf per lane (it is never timed). */
static inline float32x4_t fused(float32x4_t acc, float32x4_t a, float32x4_t b)
{
#if defined(__aarch64__)
    return vfmaq_f32(acc, a, b);
#else
    float fa[4], fb[4], fc[4];
    vst1q_f32(fa, a), vst1q_f32(fb, b), vst1q_f32(fc, acc);
    for (int i = 0; i < 4; i++)
        fc[i] = fmaf(fa[i], fb[i], fc[i]);
    return vld1q_f32(fc);
#endif
}

/* Contract: see decl_threshold_adaptive_gaussian_fn in internal.h. The
 * reference's operations, 4 lanes at a time. */
decl_threshold_adaptive_gaussian_fn(locdet_threshold_adaptive_gaussian_neon)
{
    const int rx = nx / 2, ry = ny / 2;
    const int ring_rows = ny < height ? ny : height;
    const size_t rs = locdet_gaussian_row_floats(width);
    float *ring = scratch;
    float *pad = ring + (size_t)ring_rows * rs;
    const size_t pad_len = locdet_gaussian_pad_floats(width, nx);
    const float **row = (const float **)(pad + pad_len) + ry;
    memset(ring, 0, sizeof(float) * ((size_t)ring_rows * rs + pad_len));
    const int16x8_t neg_idelta = vdupq_n_s16((int16_t)-idelta);
    const uint8x8_t flip = vdup_n_u8(invert ? 0xff : 0);
    int next = 0;
    for (int y = 0; y < height; y++) {
        for (int last = y + ry < height ? y + ry : height - 1; next <= last; next++) {
            const uint8_t *s = src + next * src_stride;
            for (int i = 0; i < rx; i++) {
                pad[i] = s[0];
                pad[rx + width + i] = s[width - 1];
            }
            int x = 0;
            for (; x + 8 <= width; x += 8) {
                uint16x8_t w = vmovl_u8(vld1_u8(s + x));
                vst1q_f32(pad + rx + x, vcvtq_f32_u32(vmovl_u16(vget_low_u16(w))));
                vst1q_f32(pad + rx + x + 4, vcvtq_f32_u32(vmovl_u16(vget_high_u16(w))));
            }
            for (; x < width; x++)
                pad[rx + x] = s[x];
            float *o = ring + (size_t)(next % ring_rows) * rs;
            for (x = 0; x < width; x += 4) {
                const float *c = pad + x + rx;
                float32x4_t v;
                if (nx == 1) {
                    v = vld1q_f32(c);
                } else if (nx == 3) {
                    v = vmulq_f32(vaddq_f32(vld1q_f32(c - 1), vld1q_f32(c + 1)), vdupq_n_f32(kx[2]));
                    v = fused(v, vld1q_f32(c), vdupq_n_f32(kx[1]));
                } else if (nx == 5) {
                    v = vmulq_f32(vaddq_f32(vld1q_f32(c - 1), vld1q_f32(c + 1)), vdupq_n_f32(kx[3]));
                    v = fused(v, vld1q_f32(c), vdupq_n_f32(kx[2]));
                    v = fused(v, vaddq_f32(vld1q_f32(c - 2), vld1q_f32(c + 2)), vdupq_n_f32(kx[4]));
                } else {
                    v = vmulq_f32(vld1q_f32(pad + x), vdupq_n_f32(kx[0]));
                    for (int j = 1; j < nx; j++)
                        v = fused(v, vld1q_f32(pad + x + j), vdupq_n_f32(kx[j]));
                }
                vst1q_f32(o + x, v);
            }
        }
        for (int j = -ry; j <= ry; j++) {
            int yy = y + j < 0 ? 0 : y + j >= height ? height - 1 : y + j;
            row[j] = ring + (size_t)(yy % ring_rows) * rs;
        }
        const uint8_t *s = src + y * src_stride;
        uint8_t *d = dst + y * dst_stride;
        for (int x = 0; x < width; x += 8) {
            int32x4_t m[2];
            for (int h = 0; h < 2; h++) {
                int xx = x + 4 * h;
                float32x4_t v;
                if (ny == 1) {
                    v = vld1q_f32(row[0] + xx);
                } else if (ny == 3) {
                    v = vmulq_f32(vaddq_f32(vld1q_f32(row[-1] + xx), vld1q_f32(row[1] + xx)),
                                  vdupq_n_f32(ky[2]));
                    v = fused(v, vld1q_f32(row[0] + xx), vdupq_n_f32(ky[1]));
                } else {
                    v = vmulq_f32(vld1q_f32(row[0] + xx), vdupq_n_f32(ky[ry]));
                    for (int j = 1; j <= ry; j++)
                        v = fused(v, vaddq_f32(vld1q_f32(row[j] + xx), vld1q_f32(row[-j] + xx)),
                                  vdupq_n_f32(ky[ry + j]));
                }
                m[h] = vcvtq_s32_f32(vrndnq_f32(v));
            }
            int16x8_t mean = vcombine_s16(vqmovn_s32(m[0]), vqmovn_s32(m[1]));
            mean = vminq_s16(vmaxq_s16(mean, vdupq_n_s16(0)), vdupq_n_s16(255));
            store8_partial(d + x, compare8(mean, load8_partial(s + x, width - x), neg_idelta, flip),
                           width - x);
        }
    }
}

/* sum_{i=0..r} w[i] * (m[i][x] + p[i][x]) + bias for 8 lanes, as two
 * vectors of 32-bit sums (m[0] == p[0] is the centre, counted twice; every
 * pair sum fits int16, every weight is 0..16384). */
static inline void gauss_fixed_terms(const int16_t *const *m, const int16_t *const *p, int x,
                                     int r, const uint16_t *w, int32x4_t bias, int32x4_t *lo,
                                     int32x4_t *hi)
{
    int32x4_t l = bias, h = bias;
    for (int i = 0; i <= r; i++) {
        int16x8_t s = vaddq_s16(vld1q_s16(m[i] + x), vld1q_s16(p[i] + x));
        l = vmlal_n_s16(l, vget_low_s16(s), (int16_t)w[i]);
        h = vmlal_n_s16(h, vget_high_s16(s), (int16_t)w[i]);
    }
    *lo = l, *hi = h;
}

/* Contract: see decl_threshold_adaptive_gaussian_fixed_fn in internal.h.
 * The reference's integers, 8 pixels a step: pair sums in 16-bit lanes,
 * widening multiply-accumulates into exact 32-bit sums, rounding narrowing
 * shifts back to 16 bits. */
decl_threshold_adaptive_gaussian_fixed_fn(locdet_threshold_adaptive_gaussian_fixed_neon)
{
    const int rx = nx / 2, ry = ny / 2;
    const int ring_rows = locdet_gaussian_fixed_ring_rows(height, ny);
    const size_t rs = locdet_gaussian_fixed_row_len(width);
    int16_t *ring = scratch;
    int16_t *pad = ring + (size_t)ring_rows * rs;
    /* The pairs' left and right operands: pad + rx -+ i, then the ring rows
     * of y -+ j (clamped). */
    const int16_t *pm[LOCDET_ADAPTIVE_MAX_BLOCK / 2 + 1], *pp[LOCDET_ADAPTIVE_MAX_BLOCK / 2 + 1];
    const int16_t *cm[LOCDET_ADAPTIVE_MAX_BLOCK / 2 + 1], *cp[LOCDET_ADAPTIVE_MAX_BLOCK / 2 + 1];
    for (int i = 0; i <= rx; i++)
        pm[i] = pad + rx - i, pp[i] = pad + rx + i;
    const int16x8_t neg_idelta = vdupq_n_s16((int16_t)-idelta);
    const uint8x8_t flip = vdup_n_u8(invert ? 0xff : 0);
    /* Lanes past the row end then compute on small values, never on stale
     * bits (no overflow even in SIMDe's scalar fallbacks). */
    memset(pad, 0, sizeof(int16_t) * locdet_gaussian_fixed_pad_len(width, nx));
    const int32x4_t zero = vdupq_n_s32(0);
    int next = 0;
    for (int y = 0; y < height; y++) {
        for (int last = y + ry < height ? y + ry : height - 1; next <= last; next++) {
            /* pad[i] = p[i - rx], replicated; each step may spill up to 7
             * lanes past its part (inside the pad): left, middle, right. */
            const uint8_t *s = src + next * src_stride;
            const int16x8_t first = vdupq_n_s16(s[0]), end = vdupq_n_s16(s[width - 1]);
            for (int i = 0; i < rx; i += 8)
                vst1q_s16(pad + i, first);
            for (int x = 0; x < width; x += 8)
                vst1q_s16(pad + rx + x,
                          vreinterpretq_s16_u16(vmovl_u8(load8_partial(s + x, width - x))));
            for (int i = 0; i < rx; i += 8)
                vst1q_s16(pad + rx + width + i, end);
            int16_t *o = ring + (size_t)(next % ring_rows) * rs;
            for (int x = 0; x < width; x += 8) {
                int16x8_t v;
                if (nx == 1) {
                    v = vshlq_n_s16(vld1q_s16(pad + x), 6);
                } else {
                    /* (S + 2^9) >> 10: the rounding narrowing shift. */
                    int32x4_t lo, hi;
                    gauss_fixed_terms(pm, pp, x, rx, wx, zero, &lo, &hi);
                    v = vcombine_s16(vrshrn_n_s32(lo, 10), vrshrn_n_s32(hi, 10));
                }
                vst1q_s16(o + x, v);
            }
        }
        for (int j = 0; j <= ry; j++) {
            int up = y - j < 0 ? 0 : y - j, down = y + j >= height ? height - 1 : y + j;
            cm[j] = ring + (size_t)(up % ring_rows) * rs;
            cp[j] = ring + (size_t)(down % ring_rows) * rs;
        }
        const uint8_t *s = src + y * src_stride;
        uint8_t *d = dst + y * dst_stride;
        for (int x = 0; x < width; x += 8) {
            int16x8_t mean;
            if (ny == 1) {
                mean = vrshrq_n_s16(vld1q_s16(cp[0] + x), 6);
            } else {
                int32x4_t lo, hi;
                gauss_fixed_terms(cm, cp, x, ry, wy, zero, &lo, &hi);
                mean = vcombine_s16(vmovn_s32(vrshrq_n_s32(lo, 22)), vmovn_s32(vrshrq_n_s32(hi, 22)));
            }
            store8_partial(d + x, compare8(mean, load8_partial(s + x, width - x), neg_idelta, flip),
                           width - x);
        }
    }
}
