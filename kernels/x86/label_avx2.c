/* Label family, AVX2. Compiled with -mavx2 only; called only when cpu.c
 * found AVX2. */
#include <immintrin.h>

#include "../internal.h"

/* Foreground bits of 32 pixels: bit i set when p[i] != 0. */
static inline uint32_t fg32(const uint8_t *p)
{
    __m256i v = _mm256_loadu_si256((const __m256i *)p);
    return ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_setzero_si256()));
}

/* Append the positions of the set bits of t (pixel base + bit index). */
#define EMIT(t, base)                                                          \
    while (t) {                                                                \
        out[n++] = (base) + __builtin_ctzll(t);                                \
        t &= t - 1;                                                            \
    }

/* Contract: see decl_label_runs_fn in internal.h. 64 pixels a step: the
 * transition mask m ^ (m << 1 | carry) has one bit per run start or end, and
 * rows of plans are mostly empty steps. The tail reloads the last 32 bytes of
 * the row (overlapping) instead of reading past it; rows under 32 pixels go
 * pixel by pixel. */
decl_label_runs_fn(locdet_label_runs_avx2)
{
    int n = 0, x = 0;
    uint64_t carry = 0;
    for (; x + 64 <= width; x += 64) {
        uint64_t m = (uint64_t)fg32(row + x) | (uint64_t)fg32(row + x + 32) << 32;
        uint64_t t = m ^ (m << 1 | carry);
        carry = m >> 63;
        EMIT(t, x);
    }
    if (x + 32 <= width) {
        uint64_t m = fg32(row + x);
        uint64_t t = (m ^ (m << 1 | carry)) & 0xffffffffu;
        carry = m >> 31;
        EMIT(t, x);
        x += 32;
    }
    if (x < width) {
        int rem = width - x;
        uint64_t m;
        if (width >= 32) {
            m = fg32(row + width - 32) >> (32 - rem);
        } else {
            m = 0;
            for (int i = 0; i < rem; i++)
                m |= (uint64_t)(row[x + i] != 0) << i;
        }
        uint64_t t = (m ^ (m << 1 | carry)) & ((1ull << rem) - 1);
        carry = (m >> (rem - 1)) & 1;
        EMIT(t, x);
    }
    if (carry)
        out[n++] = width;
    return n / 2;
}
