/* Morphology family, scalar reference: the specification the SIMD variants
 * must match bit for bit. Separable van Herk / Gil-Werman running min/max:
 * a vertical pass streamed over the strip's rows, then a horizontal pass on
 * each produced row. Both cost O(1) per pixel whatever the element size. */
#include <string.h>

#include "../internal.h"

#define ALWAYS_INLINE inline __attribute__((always_inline))

static ALWAYS_INLINE uint8_t op8(uint8_t a, uint8_t b, bool max)
{
    return max ? (a > b ? a : b) : (a < b ? a : b);
}

/* out[c] = op of t[c .. c + k - 1] for c in [0, n - k + 1): blocks of k start
 * at 0; g is the running op from each block's start, h from each block's end,
 * and a window always covers the end of one block and the start of the next. */
static ALWAYS_INLINE void van_herk_line(uint8_t *out, const uint8_t *t, int n, int k, uint8_t *g,
                                        uint8_t *h, bool max)
{
    for (int b = 0; b < n; b += k) {
        int e = b + k < n ? b + k : n;
        g[b] = t[b];
        for (int i = b + 1; i < e; i++)
            g[i] = op8(g[i - 1], t[i], max);
        h[e - 1] = t[e - 1];
        for (int i = e - 2; i >= b; i--)
            h[i] = op8(h[i + 1], t[i], max);
    }
    for (int c = 0; c + k <= n; c++)
        out[c] = op8(h[c], g[c + k - 1], max);
}

static ALWAYS_INLINE void rect(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,
                               ptrdiff_t src_stride, int width, int height, int y0, int y1,
                               int left, int right, int up, int down, bool max, uint8_t *scratch)
{
    const uint8_t neutral = max ? 0 : 255;
    const int kv = up + down + 1, kh = left + right + 1, n = width + left + right;
    uint8_t *blank = scratch;            /* a neutral row: rows outside the image */
    uint8_t *pre = blank + width;        /* running op from the next block's start */
    uint8_t *line = pre + width;         /* the vertical result, padded by left/right */
    uint8_t *g = line + n, *h = g + n;
    uint8_t *suf = h + n;                /* kv rows: running op from the block's end */
    memset(blank, neutral, (size_t)width);
    memset(line, neutral, (size_t)n);

    /* Vertical: window starts s = y - up; blocks of kv rows from y0 - up. The
     * window at s = b + i is rows b + i .. b + kv - 1 (suf[i]) and rows
     * b + kv .. b + kv + i - 1 of the next block (pre after i rows). */
    for (int b = y0 - up; b < y1 - up; b += kv) {
#define ROW(r) ((r) < 0 || (r) >= height ? blank : src + (ptrdiff_t)(r) * src_stride)
        memcpy(suf + (size_t)(kv - 1) * width, ROW(b + kv - 1), (size_t)width);
        for (int i = kv - 2; i >= 0; i--) {
            const uint8_t *r = ROW(b + i), *below = suf + (size_t)(i + 1) * width;
            uint8_t *s = suf + (size_t)i * width;
            for (int x = 0; x < width; x++)
                s[x] = op8(below[x], r[x], max);
        }
        for (int i = 0; i < kv && b + i < y1 - up; i++) {
            const uint8_t *s = suf + (size_t)i * width;
            uint8_t *v = line + left;
            if (i == 0) {
                memcpy(v, s, (size_t)width);
            } else {
                const uint8_t *r = ROW(b + kv + i - 1);
                for (int x = 0; x < width; x++) {
                    pre[x] = i == 1 ? r[x] : op8(pre[x], r[x], max);
                    v[x] = op8(s[x], pre[x], max);
                }
            }
#undef ROW
            /* Horizontal on the padded line: output column c is window
             * line[c .. c + kh - 1], i.e. columns c - left .. c + right. */
            uint8_t *d = dst + (ptrdiff_t)(b + i + up - y0) * dst_stride;
            van_herk_line(d, line, n, kh, g, h, max);
        }
    }
}

/* Contract: see decl_morph_rect_fn in internal.h. */
decl_morph_rect_fn(locdet_morph_rect_scalar)
{
    if (max)
        rect(dst, dst_stride, src, src_stride, width, height, y0, y1, left, right, up, down, true,
             scratch);
    else
        rect(dst, dst_stride, src, src_stride, width, height, y0, y1, left, right, up, down, false,
             scratch);
}
