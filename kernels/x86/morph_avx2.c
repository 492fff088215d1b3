/* Morphology family, AVX2: 32 columns per vector. Compiled with -mavx2
 * only; called only when cpu.c found AVX2. The algorithm is in
 * ../morph_simd_tmpl.c. */
#include <immintrin.h>

#include "../internal.h"

#define VW 32
typedef __m256i vec;
#define VLOAD(p) _mm256_loadu_si256((const __m256i *)(const void *)(p))
#define VSTORE(p, v) _mm256_storeu_si256((__m256i *)(void *)(p), (v))
#define VMIN(a, b) _mm256_min_epu8((a), (b))
#define VMAX(a, b) _mm256_max_epu8((a), (b))
#define VDUP(x) _mm256_set1_epi8((char)(x))
#define VSTREAM(p, v) _mm256_stream_si256((__m256i *)(void *)(p), (v))
#define VSTREAM_FENCE() _mm_sfence()
#define RECT_FN locdet_morph_rect_avx2

/* 32x32 bytes: each 128-bit lane holds a 16x16 quarter (rows i and 16 + i of
 * one column half), and 4 rounds of interleaving rows i and i + 8 transpose
 * both quarters at once (each round rotates the 8-bit row:column index by
 * one bit; four rotations swap row and column). */
static inline void transpose_vw(const uint8_t *s, ptrdiff_t ss, uint8_t *d, ptrdiff_t ds)
{
    for (int half = 0; half < 2; half++) {
        __m256i r[16], t[16];
#pragma GCC unroll 16
        for (int i = 0; i < 16; i++) {
            __m128i lo = _mm_loadu_si128((const __m128i *)(const void *)(s + i * ss + 16 * half));
            __m128i hi =
                _mm_loadu_si128((const __m128i *)(const void *)(s + (16 + i) * ss + 16 * half));
            r[i] = _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
        }
#pragma GCC unroll 4
        for (int round = 0; round < 4; round++) {
#pragma GCC unroll 8
            for (int i = 0; i < 8; i++) {
                t[2 * i] = _mm256_unpacklo_epi8(r[i], r[i + 8]);
                t[2 * i + 1] = _mm256_unpackhi_epi8(r[i], r[i + 8]);
            }
#pragma GCC unroll 16
            for (int i = 0; i < 16; i++)
                r[i] = t[i];
        }
#pragma GCC unroll 16
        for (int i = 0; i < 16; i++)
            VSTORE(d + (16 * half + i) * ds, r[i]);
    }
}

#include "../morph_simd_tmpl.c"
