/* Threshold family, NEON. */
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
