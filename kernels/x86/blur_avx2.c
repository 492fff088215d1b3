/* Blur family, AVX2. Compiled with -mavx2 only; called only when cpu.c found
 * AVX2. */
#include <immintrin.h>

#include "../internal.h"

/* Contract: see decl_blur_gaussian5_fn in internal.h. Column pass first,
 * 16 pixels at a time in 16-bit lanes (at most 16 * 255), into a row padded
 * with 2 reflected sums each side; then the row pass in 16-bit lanes (at most
 * 256 * 255 + 128, no overflow). Exact integers, so identical to the
 * reference. Rows are read only up to their width. */
decl_blur_gaussian5_fn(locdet_blur_gaussian5_avx2)
{
    uint16_t *pad = scratch;
    uint16_t *col = pad + 2;
    const __m256i round = _mm256_set1_epi16(128);
    for (int y = 0; y < height; y++) {
        const uint8_t *s[5];
        for (int j = 0; j < 5; j++)
            s[j] = src + locdet_reflect101(y + j - 2, height) * src_stride;
        int x = 0;
        for (; x + 16 <= width; x += 16) {
            __m256i a = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(s[0] + x)));
            __m256i b = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(s[1] + x)));
            __m256i c = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(s[2] + x)));
            __m256i d = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(s[3] + x)));
            __m256i e = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(s[4] + x)));
            __m256i v = _mm256_add_epi16(_mm256_add_epi16(a, e),
                                         _mm256_slli_epi16(_mm256_add_epi16(b, d), 2));
            v = _mm256_add_epi16(v, _mm256_add_epi16(_mm256_slli_epi16(c, 2), _mm256_slli_epi16(c, 1)));
            _mm256_storeu_si256((__m256i *)(col + x), v);
        }
        for (; x < width; x++)
            col[x] = (uint16_t)(s[0][x] + s[4][x] + 4 * (s[1][x] + s[3][x]) + 6 * s[2][x]);
        pad[0] = col[locdet_reflect101(-2, width)];
        pad[1] = col[locdet_reflect101(-1, width)];
        col[width] = col[locdet_reflect101(width, width)];
        col[width + 1] = col[locdet_reflect101(width + 1, width)];
        uint8_t *o = dst + y * dst_stride;
        x = 0;
        for (; x + 16 <= width; x += 16) {
            const uint16_t *p = pad + x;
            __m256i p0 = _mm256_loadu_si256((const __m256i *)p);
            __m256i p1 = _mm256_loadu_si256((const __m256i *)(p + 1));
            __m256i p2 = _mm256_loadu_si256((const __m256i *)(p + 2));
            __m256i p3 = _mm256_loadu_si256((const __m256i *)(p + 3));
            __m256i p4 = _mm256_loadu_si256((const __m256i *)(p + 4));
            __m256i v = _mm256_add_epi16(_mm256_add_epi16(p0, p4),
                                         _mm256_slli_epi16(_mm256_add_epi16(p1, p3), 2));
            v = _mm256_add_epi16(v, _mm256_add_epi16(_mm256_slli_epi16(p2, 2), _mm256_slli_epi16(p2, 1)));
            v = _mm256_srli_epi16(_mm256_add_epi16(v, round), 8);
            v = _mm256_permute4x64_epi64(_mm256_packus_epi16(v, v), 0x08);
            _mm_storeu_si128((__m128i *)(o + x), _mm256_castsi256_si128(v));
        }
        for (; x < width; x++) {
            const uint16_t *p = pad + x;
            o[x] = (uint8_t)((p[0] + p[4] + 4 * (p[1] + p[3]) + 6 * p[2] + 128) >> 8);
        }
    }
}
