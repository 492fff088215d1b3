/* Label family, NEON. */
#include "neon.h"

#include "../internal.h"

/* Contract: see decl_label_runs_fn in internal.h. 16 pixels a step: the
 * byte-wise transition mask fg ^ (fg shifted by one pixel, across steps by
 * vext) is narrowed to one nibble per pixel (NEON has no movemask); keeping
 * one bit per nibble lets the usual clear-lowest-bit loop walk the
 * transitions. Then a pixel-by-pixel tail: no byte outside the row is read. */
decl_label_runs_fn(locdet_label_runs_neon)
{
    int n = 0, x = 0;
    uint8x16_t prev = vdupq_n_u8(0);
    for (; x + 16 <= width; x += 16) {
        uint8x16_t v = vld1q_u8(row + x);
        uint8x16_t fg = vtstq_u8(v, v);
        uint8x16_t t = veorq_u8(fg, vextq_u8(prev, fg, 15));
        prev = fg;
        uint64_t bits = vget_lane_u64(vreinterpret_u64_u8(vshrn_n_u16(vreinterpretq_u16_u8(t), 4)), 0);
        bits &= 0x8888888888888888ull;
        while (bits) {
            out[n++] = x + (__builtin_ctzll(bits) >> 2);
            bits &= bits - 1;
        }
    }
    int last = vgetq_lane_u8(prev, 15) != 0;
    for (; x < width; x++) {
        int fg = row[x] != 0;
        if (fg != last)
            out[n++] = x;
        last = fg;
    }
    if (last)
        out[n++] = width;
    return n / 2;
}
