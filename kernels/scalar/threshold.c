/* Threshold family, scalar reference: the specification the SIMD variants
 * must match bit for bit. */
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
