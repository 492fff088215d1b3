/* Threshold family, AVX2. Compiled with -mavx2 only; called only when
 * cpu.c found AVX2. */
#include <immintrin.h>

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
