/* Morphology family, NEON: 16 columns per vector. The algorithm is in
 * ../morph_simd_tmpl.c. */
#include "neon.h"

#include "../internal.h"

#define VW 16
typedef uint8x16_t vec;
#define VLOAD(p) vld1q_u8((const uint8_t *)(p))
#define VSTORE(p, v) vst1q_u8((uint8_t *)(p), (v))
#define VMIN(a, b) vminq_u8((a), (b))
#define VMAX(a, b) vmaxq_u8((a), (b))
#define VDUP(x) vdupq_n_u8((uint8_t)(x))
#define RECT_FN locdet_morph_rect_neon

/* 16x16 bytes: 4 rounds of interleaving rows i and i + 8 (each round rotates
 * the 8-bit row:column index by one bit; four rotations swap the two). */
static inline void transpose_vw(const uint8_t *s, ptrdiff_t ss, uint8_t *d, ptrdiff_t ds)
{
    uint8x16_t r[16], t[16];
    for (int i = 0; i < 16; i++)
        r[i] = vld1q_u8(s + i * ss);
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 8; i++) {
            t[2 * i] = vzip1q_u8(r[i], r[i + 8]);
            t[2 * i + 1] = vzip2q_u8(r[i], r[i + 8]);
        }
        for (int i = 0; i < 16; i++)
            r[i] = t[i];
    }
    for (int i = 0; i < 16; i++)
        vst1q_u8(d + i * ds, r[i]);
}

#include "../morph_simd_tmpl.c"
