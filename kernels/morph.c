/* Morphology family: table init, scratch sizing and the checked public entry
 * point (argument rules, reach clamping, in-place, open/close, strips). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "parallel.h"

void locdet_morph_dsp_init(locdet_kernels *k, unsigned flags)
{
    LOCDET_SET_SLOT(k, morph, rect, locdet_morph_rect_scalar, "scalar");
#if LOCDET_HAVE_AVX2
    if (flags & LOCDET_CPU_FLAG_AVX2) {
        LOCDET_SET_SLOT(k, morph, rect, locdet_morph_rect_avx2, "avx2");
    }
#endif
#if LOCDET_HAVE_NEON
    if (flags & LOCDET_CPU_FLAG_NEON) {
        LOCDET_SET_SLOT(k, morph, rect, locdet_morph_rect_neon, "neon");
    }
#endif
    (void)flags;
}

static size_t round64(size_t n)
{
    return (n + 63) & ~(size_t)63;
}

/* The layout of morph_simd_tmpl.c at 32-byte vectors (the widest); it also
 * covers the scalar reference (2w + 3(w + left + right) + kv * w). */
size_t locdet_morph_scratch_size(int width, int left, int right, int up, int down)
{
    const size_t vw = 32, pad = 64, w = (size_t)width;
    const size_t kv = (size_t)up + (size_t)down + 1, kh = (size_t)left + (size_t)right + 1;
    size_t n = 64;                              /* alignment slack */
    n += 2 * round64(w);                        /* neutral row, running prefix */
    n += round64(w + 2 * pad) * vw;             /* vertical results */
    n += round64((w + kh - 1) * vw);            /* transposed rows */
    n += round64(w * vw);                       /* transposed results */
    n += round64(kh * vw) + vw * vw;            /* horizontal suffixes, tile */
    n += kv * round64(w);                       /* vertical suffixes */
    return n;
}

typedef struct pass {
    const locdet_kernels *k;
    const locdet_image *src, *dst;
    int left, right, up, down;
    bool max;
    uint8_t *scratch;
    size_t scratch_each;
} pass;

static void run_strip(void *ctx, int begin, int end, int index)
{
    const pass *p = ctx;
    p->k->morph.rect(p->dst->data + (ptrdiff_t)begin * p->dst->stride, p->dst->stride, p->src->data, p->src->stride, p->src->width,
                     p->src->height, begin, end, p->left, p->right, p->up, p->down, p->max,
                     p->scratch + (size_t)index * p->scratch_each);
}

static int run_pass(pass *p, int threads)
{
    /* A strip re-reads about kv rows around it: keep strips taller than that. */
    const int kv = p->up + p->down + 1, h = p->src->height;
    const int min_rows = locdet_strip_min_rows(p->src->width, kv > 32 ? kv : 32);
    int strips = threads;
    if (strips > h / min_rows)
        strips = h / min_rows > 0 ? h / min_rows : 1;
    p->scratch_each = round64(locdet_morph_scratch_size(p->src->width, p->left, p->right, p->up,
                                                        p->down));
    p->scratch = malloc(p->scratch_each * (size_t)strips);
    if (!p->scratch)
        return LOCDET_ERR_NOMEM;
    locdet_parallel_strips(strips, h, min_rows, run_strip, p);
    free(p->scratch);
    p->scratch = NULL;
    return LOCDET_OK;
}

/* Open/close with a short element: each strip goes in chunks of output
 * rows; the first op fills a chunk-sized buffer with the rows the second op
 * needs (kv - 1 of them computed twice), so no image-sized temporary is
 * written and read back. */
#define FUSE_MAX_KV 16
#define FUSE_CHUNK 64

static void run_fused_strip(void *ctx, int begin, int end, int index)
{
    const pass *p = ctx;
    const int w = p->src->width, h = p->src->height, kv = p->up + p->down + 1;
    uint8_t *mid = p->scratch + (size_t)index * p->scratch_each;
    uint8_t *scratch = mid + round64((size_t)w * (FUSE_CHUNK + kv - 1));
    for (int c0 = begin; c0 < end; c0 += FUSE_CHUNK) {
        int c1 = end - c0 < FUSE_CHUNK ? end : c0 + FUSE_CHUNK;
        int a = c0 - p->up > 0 ? c0 - p->up : 0, b = c1 + p->down < h ? c1 + p->down : h;
        /* mid holds rows a .. b - 1 of the first result; as an image of
         * b - a rows its edges are the image's wherever they clip a window. */
        p->k->morph.rect(mid, w, p->src->data, p->src->stride, w, h, a, b, p->left, p->right,
                         p->up, p->down, !p->max, scratch);
        int up = p->up < b - a - 1 ? p->up : b - a - 1;
        int down = p->down < b - a - 1 ? p->down : b - a - 1;
        p->k->morph.rect(p->dst->data + (ptrdiff_t)c0 * p->dst->stride, p->dst->stride, mid, w, w,
                         b - a, c0 - a, c1 - a, p->left, p->right, up, down, p->max, scratch);
    }
}

/* p->max is the second op. */
static int run_fused(pass *p, int threads)
{
    const int h = p->src->height, kv = p->up + p->down + 1;
    const int min_rows = locdet_strip_min_rows(p->src->width, 32);
    int strips = threads;
    if (strips > h / min_rows)
        strips = h / min_rows > 0 ? h / min_rows : 1;
    p->scratch_each = round64((size_t)p->src->width * (FUSE_CHUNK + kv - 1)) +
                      round64(locdet_morph_scratch_size(p->src->width, p->left, p->right, p->up,
                                                        p->down));
    p->scratch = malloc(p->scratch_each * (size_t)strips);
    if (!p->scratch)
        return LOCDET_ERR_NOMEM;
    locdet_parallel_strips(strips, h, min_rows, run_fused_strip, p);
    free(p->scratch);
    p->scratch = NULL;
    return LOCDET_OK;
}

static void copy_image(const locdet_image *dst, const locdet_image *src)
{
    if (dst->data == src->data)
        return;
    for (int y = 0; y < src->height; y++)
        memcpy(dst->data + y * dst->stride, src->data + y * src->stride, (size_t)src->width);
}

static int clamp_reach(int reach, int size)
{
    return reach < size - 1 ? reach : size - 1;
}

int locdet_morph(const locdet_kernels *k, locdet_morph_op op, const locdet_image *src,
                 const locdet_image *dst, int kw, int kh, int threads)
{
    if (!k || (unsigned)op > LOCDET_MORPH_CLOSE || !locdet_image_valid(src) ||
        !locdet_image_valid(dst) || !locdet_image_same_size(src, dst) ||
        locdet_image_partial_overlap(src, dst) || kw < 1 || kh < 1 || threads < 0)
        return LOCDET_ERR_INVALID;
    if (threads == 0)
        threads = locdet_default_threads();
    const int w = src->width, h = src->height;
    /* OpenCV's anchor (kw/2, kh/2). Reaches past the image change nothing
     * (outside pixels never win), so they are clamped: this bounds the work
     * and the scratch for huge elements. */
    pass p = {.k = k,
              .left = clamp_reach(kw / 2, w),
              .right = clamp_reach(kw - 1 - kw / 2, w),
              .up = clamp_reach(kh / 2, h),
              .down = clamp_reach(kh - 1 - kh / 2, h)};
    if (p.left + p.right + p.up + p.down == 0) {
        copy_image(dst, src); /* a 1x1 element (or a 1x1 image) is the identity */
        return LOCDET_OK;
    }
    /* Erode/dilate in place and open/close go through one temporary image:
     * strips read rows their neighbours write. */
    bool two_steps = op == LOCDET_MORPH_OPEN || op == LOCDET_MORPH_CLOSE;
    bool in_place = src->data == dst->data;
    if (two_steps && p.up + p.down + 1 <= FUSE_MAX_KV) {
        /* A chunk (and a neighbouring strip) re-reads source rows that the
         * chunk before it wrote: in place needs a copy. */
        if (in_place) {
            locdet_image copy = {malloc((size_t)w * (size_t)h), w, h, w};
            if (!copy.data)
                return LOCDET_ERR_NOMEM;
            copy_image(&copy, src);
            p.src = &copy;
            p.dst = dst;
            p.max = op == LOCDET_MORPH_OPEN;
            int status = run_fused(&p, threads);
            free(copy.data);
            return status;
        }
        p.src = src;
        p.dst = dst;
        p.max = op == LOCDET_MORPH_OPEN;
        return run_fused(&p, threads);
    }
    locdet_image tmp = {NULL, w, h, w};
    if (two_steps || in_place) {
        tmp.data = malloc((size_t)w * (size_t)h);
        if (!tmp.data)
            return LOCDET_ERR_NOMEM;
    }
    int status;
    if (!two_steps) {
        if (in_place)
            copy_image(&tmp, src);
        p.src = in_place ? &tmp : src;
        p.dst = dst;
        p.max = op == LOCDET_MORPH_DILATE;
        status = run_pass(&p, threads);
    } else {
        p.src = src;
        p.dst = &tmp;
        p.max = op == LOCDET_MORPH_CLOSE;
        status = run_pass(&p, threads);
        if (status == LOCDET_OK) {
            p.src = &tmp;
            p.dst = dst;
            p.max = !p.max;
            status = run_pass(&p, threads);
        }
    }
    free(tmp.data);
    return status;
}
