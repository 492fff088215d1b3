/* Morphology family: the SIMD body shared by AVX2 and NEON (dav1d-style
 * template, included by x86/morph_avx2.c and arm/morph_neon.c; never
 * compiled on its own). The includer defines:
 *   VW                      vector width in bytes (32 or 16)
 *   vec, VLOAD(p), VSTORE(p, v), VMIN(a, b), VMAX(a, b), VDUP(byte)
 *   transpose_vw(s, ss, d, ds)  VW x VW byte transpose, any strides
 *   VSTREAM(p, v), VSTREAM_FENCE()  optional: non-temporal store (p aligned
 *                           to VW) and the fence that orders such stores
 *   RECT_FN                 the exported name
 *
 * Same separable scheme as the scalar reference (kernels/scalar/morph.c):
 * a vertical pass streamed over the strip's rows (direct for short
 * windows, van Herk otherwise), VW columns per vector, then a horizontal
 * pass per produced row: direct min/max of shifted loads for short windows,
 * and for long ones van Herk on VW rows at once after transposing them, so
 * the running op goes down vectors again (one vector = one column of VW
 * rows). Columns go in vectors from 0; the last vector is moved back to end
 * at the width (recomputing a few columns) so no byte past a row is read or
 * written. Needs width >= VW; narrower images go to the scalar reference. */
#ifndef RECT_FN
#error "morph_simd_tmpl.c is included by x86/morph_avx2.c and arm/morph_neon.c only"
#endif
#include <string.h>

#define ALWAYS_INLINE inline __attribute__((always_inline))
#define OP(a, b) (max ? VMAX((a), (b)) : VMIN((a), (b)))

/* Windows up to this many rows / columns are done directly. */
#define VDIRECT 5
#define HDIRECT 9
/* Neutral margin on both sides of a vertical-result row (>= HDIRECT - 1). */
#define PAD 64

/* Column vectors: x = 0, VW, ... and last width - VW (needs width >= VW).
 * The overlap recomputes equal values, and min/max in place is idempotent. */
static inline int next_col(int x, int end)
{
    return x == end ? -1 : x + VW < end ? x + VW : end;
}
#define FOR_COLS(x, width) for (int x = 0, end_ = (width) - VW; x >= 0; x = next_col(x, end_))

static inline uint8_t *align64(uint8_t *p)
{
    return (uint8_t *)(((uintptr_t)p + 63) & ~(uintptr_t)63);
}

static inline size_t round64(size_t n)
{
    return (n + 63) & ~(size_t)63;
}

typedef struct rect_state {
    uint8_t *dst;     /* output row y0 */
    ptrdiff_t dst_stride;
    int y0, width, left, right;
    uint8_t *brows;   /* VW rows of vertical results, data at +PAD */
    ptrdiff_t bstride;
    uint8_t *t;       /* transposed rows, one vector per padded column */
    uint8_t *o;       /* horizontal results, still transposed */
    uint8_t *hsuf;    /* kh vectors: suffixes of one horizontal block */
    uint8_t *tile;    /* VW x VW: transposing back a partial group */
    int group_y0, group_n;
    bool stream;      /* direct-path rows go to dst with non-temporal stores */
} rect_state;

/* Horizontal pass, direct: one row of vertical results to one dst row. kh
 * is a constant in each instance (see h_direct), so the loads unroll. */
static ALWAYS_INLINE void h_direct_k(const rect_state *st, const uint8_t *b, uint8_t *d, int kh,
                                     bool max)
{
    b -= st->left;
    FOR_COLS(x, st->width) {
        vec v = VLOAD(b + x);
        for (int j = 1; j < kh; j++)
            v = OP(v, VLOAD(b + x + j));
#ifdef VSTREAM
        if (st->stream && !((uintptr_t)(d + x) & (VW - 1))) {
            VSTREAM(d + x, v);
            continue;
        }
#endif
        VSTORE(d + x, v);
    }
}

static inline void h_direct(const rect_state *st, const uint8_t *b, uint8_t *d, bool max)
{
    switch (st->left + st->right + 1) {
#define K(n) case n: h_direct_k(st, b, d, n, max); break;
    K(1) K(2) K(3) K(4) K(5) K(6) K(7) K(8) default: h_direct_k(st, b, d, HDIRECT, max); break;
#undef K
    }
}

/* Horizontal pass, van Herk on transposed rows: brows[0 .. group_n) become
 * dst rows group_y0 ... Rows past group_n hold stale data whose lanes are
 * computed and dropped. */
static ALWAYS_INLINE void h_transposed(rect_state *st, bool max)
{
    const int w = st->width, kh = st->left + st->right + 1;
    uint8_t *t = st->t, *o = st->o, *suf = st->hsuf;
    FOR_COLS(x, w)
        transpose_vw(st->brows + PAD + x, st->bstride, t + (size_t)(st->left + x) * VW, VW);
    /* Output column c is window t[c .. c + kh - 1]; blocks of kh from 0. */
    for (int b = 0; b < w; b += kh) {
        const uint8_t *tb = t + (size_t)b * VW;
        vec acc = VLOAD(tb + (size_t)(kh - 1) * VW);
        VSTORE(suf + (size_t)(kh - 1) * VW, acc);
        for (int i = kh - 2; i >= 0; i--) {
            acc = OP(acc, VLOAD(tb + (size_t)i * VW));
            VSTORE(suf + (size_t)i * VW, acc);
        }
        VSTORE(o + (size_t)b * VW, acc);
        int n = w - b < kh ? w - b : kh;
        const uint8_t *next = tb + (size_t)kh * VW;
        vec p = VDUP(max ? 0 : 255);
        for (int i = 1; i < n; i++) {
            p = OP(p, VLOAD(next + (size_t)(i - 1) * VW));
            VSTORE(o + (size_t)(b + i) * VW, OP(VLOAD(suf + (size_t)i * VW), p));
        }
    }
    uint8_t *d0 = st->dst + (ptrdiff_t)(st->group_y0 - st->y0) * st->dst_stride;
    FOR_COLS(x, w) {
        if (st->group_n == VW) {
            transpose_vw(o + (size_t)x * VW, VW, d0 + x, st->dst_stride);
        } else {
            transpose_vw(o + (size_t)x * VW, VW, st->tile, VW);
            for (int g = 0; g < st->group_n; g++)
                VSTORE(d0 + (ptrdiff_t)g * st->dst_stride + x, VLOAD(st->tile + g * VW));
        }
    }
}

/* A vertical result row is ready in the row the caller got from next_brow(). */
static ALWAYS_INLINE uint8_t *next_brow(rect_state *st, bool direct)
{
    return st->brows + PAD + (direct ? 0 : (ptrdiff_t)st->group_n * st->bstride);
}

static ALWAYS_INLINE void emit(rect_state *st, int y, bool direct, bool max)
{
    if (direct) {
        h_direct(st, st->brows + PAD, st->dst + (ptrdiff_t)(y - st->y0) * st->dst_stride, max);
        return;
    }
    if (st->group_n == 0)
        st->group_y0 = y;
    if (++st->group_n == VW) {
        h_transposed(st, max);
        st->group_n = 0;
    }
}

/* Vertical pass, direct: each output row is the op of kv source rows (a
 * constant in each instance). */
static ALWAYS_INLINE void v_direct(rect_state *st, const uint8_t *src, ptrdiff_t src_stride,
                                   int height, const uint8_t *blank, int y0, int y1, int up, int kv,
                                   bool hdirect, bool max)
{
#define ROW(r) ((r) < 0 || (r) >= height ? blank : src + (ptrdiff_t)(r) * src_stride)
    int y = y0;
    /* Fused small elements: two output rows at a time share their kv - 1
     * common rows, so each source row is loaded about once per output row. */
    for (; hdirect && kv > 1 && y + 1 < y1; y += 2) {
        const uint8_t *rows[VDIRECT + 1];
        for (int j = 0; j <= kv; j++)
            rows[j] = ROW(y - up + j);
        uint8_t *b0 = st->brows + PAD, *b1 = b0 + st->bstride;
        /* Rows new to the cache arrive one or two per output row among rows
         * re-read from it; the hardware prefetcher does not keep up (a third
         * slower at 3x3), so the next ones are asked for a step ahead. */
        const uint8_t *ahead0 = ROW(y - up + kv + 1), *ahead1 = ROW(y - up + kv + 2);
        FOR_COLS(x, st->width) {
            __builtin_prefetch(ahead0 + x);
            __builtin_prefetch(ahead1 + x);
            vec m = VLOAD(rows[1] + x);
            for (int j = 2; j < kv; j++)
                m = OP(m, VLOAD(rows[j] + x));
            VSTORE(b0 + x, OP(VLOAD(rows[0] + x), m));
            VSTORE(b1 + x, OP(m, VLOAD(rows[kv] + x)));
        }
        uint8_t *d = st->dst + (ptrdiff_t)(y - st->y0) * st->dst_stride;
        h_direct(st, b0, d, max);
        h_direct(st, b1, d + st->dst_stride, max);
    }
    for (; y < y1; y++) {
        const uint8_t *rows[VDIRECT];
        for (int j = 0; j < kv; j++)
            rows[j] = ROW(y - up + j);
        uint8_t *bv = next_brow(st, hdirect);
        const uint8_t *ahead = ROW(y - up + kv);
        FOR_COLS(x, st->width) {
            __builtin_prefetch(ahead + x);
            vec v = VLOAD(rows[0] + x);
            for (int j = 1; j < kv; j++)
                v = OP(v, VLOAD(rows[j] + x));
            VSTORE(bv + x, v);
        }
        emit(st, y, hdirect, max);
    }
#undef ROW
}

static ALWAYS_INLINE void rect(uint8_t *dst, ptrdiff_t dst_stride, const uint8_t *src,
                               ptrdiff_t src_stride, int width, int height, int y0, int y1,
                               int left, int right, int up, int down, bool max, uint8_t *scratch)
{
    const int w = width, kv = up + down + 1, kh = left + right + 1;
    const bool hdirect = kh <= HDIRECT;
    const size_t ws = round64((size_t)w);
    const uint8_t neutral = max ? 0 : 255;
    rect_state st = {.dst = dst, .dst_stride = dst_stride, .y0 = y0, .width = w, .left = left,
                     .right = right};
    uint8_t *p = align64(scratch);
    uint8_t *blank = p;  p += ws;
    uint8_t *pre = p;    p += ws;
    st.bstride = (ptrdiff_t)round64((size_t)w + 2 * PAD);
    st.brows = p;        p += (size_t)st.bstride * (hdirect ? 2 : VW);
    memset(blank, neutral, (size_t)w);
    if (hdirect) {
        /* h_direct reads into the margins */
        memset(st.brows, neutral, (size_t)st.bstride * 2);
    } else if (y1 - y0 < VW) {
        /* h_transposed reads the rows' data only, all VW rows of a group:
         * a strip of fewer rows leaves some never written (their lanes are
         * dropped, but are not left uninitialized) */
        memset(st.brows + (size_t)(y1 - y0) * (size_t)st.bstride, neutral,
               (size_t)st.bstride * (size_t)(VW - (y1 - y0)));
    }
    if (!hdirect) {
        size_t n = (size_t)w + (size_t)left + (size_t)right;
        st.t = p;        p += round64(n * VW);
        st.o = p;        p += round64((size_t)w * VW);
        st.hsuf = p;     p += round64((size_t)kh * VW);
        st.tile = p;     p += VW * VW;
        /* The padded columns of t stay neutral; the transposes fill the rest. */
        memset(st.t, neutral, (size_t)left * VW);
        memset(st.t + (size_t)(left + w) * VW, neutral, (size_t)right * VW);
    }
    uint8_t *suf = p;    /* kv rows, only for van Herk */
    /* An output larger than this core's L2 cannot stay cached for its reader:
     * storing it past the cache saves reading each dst line in first (about
     * a fifth of a 3x3 pass). A strip's or chunk's own small output (open /
     * close fuse through one) is re-read at once and stays cached. */
    st.stream = (size_t)(y1 - y0) * (size_t)w >= ((size_t)2 << 20);
#define ROW(r) ((r) < 0 || (r) >= height ? blank : src + (ptrdiff_t)(r) * src_stride)

    if (kv <= VDIRECT) {
        switch (kv) {
#define K(n) case n: v_direct(&st, src, src_stride, height, blank, y0, y1, up, n, hdirect, max); break;
        K(1) K(2) K(3) K(4) default: v_direct(&st, src, src_stride, height, blank, y0, y1, up,
                                               VDIRECT, hdirect, max); break;
#undef K
        }
    } else {
        /* Window starts s = y - up, blocks of kv rows from y0 - up: the
         * window at s = b + i is suf[i] (rows b + i .. b + kv - 1) op pre
         * (rows b + kv .. b + kv + i - 1), as in the scalar reference. */
        for (int b = y0 - up; b < y1 - up; b += kv) {
            const uint8_t *below = ROW(b + kv - 1);
            for (int i = kv - 2; i >= 0; i--) {
                const uint8_t *r = ROW(b + i);
                uint8_t *s = suf + (size_t)i * ws;
                FOR_COLS(x, w)
                    VSTORE(s + x, OP(VLOAD(below + x), VLOAD(r + x)));
                below = s;
            }
            for (int i = 0; i < kv && b + i < y1 - up; i++) {
                uint8_t *bv = next_brow(&st, hdirect);
                if (i == 0) {
                    memcpy(bv, suf, (size_t)w);
                } else if (i == 1) {
                    const uint8_t *r = ROW(b + kv), *s = suf + ws;
                    FOR_COLS(x, w) {
                        vec v = VLOAD(r + x);
                        VSTORE(pre + x, v);
                        VSTORE(bv + x, OP(VLOAD(s + x), v));
                    }
                } else {
                    /* The last row's suffix is the row itself (not copied). */
                    const uint8_t *r = ROW(b + kv + i - 1);
                    const uint8_t *s = i == kv - 1 ? ROW(b + kv - 1) : suf + (size_t)i * ws;
                    const uint8_t *ahead = ROW(b + kv + i); /* see v_direct */
                    FOR_COLS(x, w) {
                        __builtin_prefetch(ahead + x);
                        vec v = OP(VLOAD(pre + x), VLOAD(r + x));
                        VSTORE(pre + x, v);
                        VSTORE(bv + x, OP(VLOAD(s + x), v));
                    }
                }
                emit(&st, b + i + up, hdirect, max);
            }
        }
    }
#undef ROW
    if (!hdirect && st.group_n)
        h_transposed(&st, max);
#ifdef VSTREAM
    if (st.stream)
        VSTREAM_FENCE();
#endif
}

/* Contract: see decl_morph_rect_fn in internal.h. */
decl_morph_rect_fn(RECT_FN)
{
    if (width < VW) {
        locdet_morph_rect_scalar(dst, dst_stride, src, src_stride, width, height, y0, y1, left,
                                 right, up, down, max, scratch);
        return;
    }
    if (max)
        rect(dst, dst_stride, src, src_stride, width, height, y0, y1, left, right, up, down, true,
             scratch);
    else
        rect(dst, dst_stride, src, src_stride, width, height, y0, y1, left, right, up, down, false,
             scratch);
}
