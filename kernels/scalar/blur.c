/* Blur family, scalar reference: the specification the SIMD variants must
 * match bit for bit. */
#include "../internal.h"

/* Contract: see decl_blur_gaussian5_fn in internal.h. Separable and exact:
 * the column pass sums to at most 16 * 255, the row pass to 256 * 255. */
decl_blur_gaussian5_fn(locdet_blur_gaussian5_scalar)
{
    static const int w5[5] = {1, 4, 6, 4, 1};
    /* Column sums of the row, with 2 reflected sums each side. */
    uint16_t *pad = scratch;
    uint16_t *col = pad + 2;
    for (int y = 0; y < height; y++) {
        const uint8_t *s[5];
        for (int j = 0; j < 5; j++)
            s[j] = src + locdet_reflect101(y + j - 2, height) * src_stride;
        for (int x = 0; x < width; x++) {
            int v = 0;
            for (int j = 0; j < 5; j++)
                v += w5[j] * s[j][x];
            col[x] = (uint16_t)v;
        }
        pad[0] = col[locdet_reflect101(-2, width)];
        pad[1] = col[locdet_reflect101(-1, width)];
        col[width] = col[locdet_reflect101(width, width)];
        col[width + 1] = col[locdet_reflect101(width + 1, width)];
        uint8_t *d = dst + y * dst_stride;
        for (int x = 0; x < width; x++) {
            int v = 0;
            for (int i = 0; i < 5; i++)
                v += w5[i] * pad[x + i];
            d[x] = (uint8_t)((v + 128) >> 8);
        }
    }
}
