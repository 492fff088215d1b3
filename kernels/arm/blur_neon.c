/* Blur family, NEON. */
#include "neon.h"

#include "../internal.h"

/* Contract: see decl_blur_gaussian5_fn in internal.h. The AVX2 scheme,
 * 8 pixels a step in 16-bit lanes. */
decl_blur_gaussian5_fn(locdet_blur_gaussian5_neon)
{
    uint16_t *pad = scratch;
    uint16_t *col = pad + 2;
    for (int y = 0; y < height; y++) {
        const uint8_t *s[5];
        for (int j = 0; j < 5; j++)
            s[j] = src + locdet_reflect101(y + j - 2, height) * src_stride;
        int x = 0;
        for (; x + 8 <= width; x += 8) {
            uint16x8_t v = vaddl_u8(vld1_u8(s[0] + x), vld1_u8(s[4] + x));
            v = vaddq_u16(v, vshlq_n_u16(vaddl_u8(vld1_u8(s[1] + x), vld1_u8(s[3] + x)), 2));
            v = vmlaq_n_u16(v, vmovl_u8(vld1_u8(s[2] + x)), 6);
            vst1q_u16(col + x, v);
        }
        for (; x < width; x++)
            col[x] = (uint16_t)(s[0][x] + s[4][x] + 4 * (s[1][x] + s[3][x]) + 6 * s[2][x]);
        pad[0] = col[locdet_reflect101(-2, width)];
        pad[1] = col[locdet_reflect101(-1, width)];
        col[width] = col[locdet_reflect101(width, width)];
        col[width + 1] = col[locdet_reflect101(width + 1, width)];
        uint8_t *o = dst + y * dst_stride;
        x = 0;
        for (; x + 8 <= width; x += 8) {
            const uint16_t *p = pad + x;
            uint16x8_t v = vaddq_u16(vld1q_u16(p), vld1q_u16(p + 4));
            v = vaddq_u16(v, vshlq_n_u16(vaddq_u16(vld1q_u16(p + 1), vld1q_u16(p + 3)), 2));
            v = vmlaq_n_u16(v, vld1q_u16(p + 2), 6);
            /* (v + 128) >> 8 without overflow concerns: v <= 65280. */
            vst1_u8(o + x, vrshrn_n_u16(v, 8));
        }
        for (; x < width; x++) {
            const uint16_t *p = pad + x;
            o[x] = (uint8_t)((p[0] + p[4] + 4 * (p[1] + p[3]) + 6 * p[2] + 128) >> 8);
        }
    }
}
