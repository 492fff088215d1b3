/* Morph family semantics: known answers, a brute-force oracle, threads,
 * in place, argument errors. Runs at the level LOCDET_ISA selects. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "locdet/kernels.h"

/* Internal (kernels/parallel.h): strips under this many pixels run serially;
 * the thread tests set it to 1 so that their small images are split. */
void locdet_parallel_set_min_pixels(long pixels);

static const locdet_kernels *kernels(void)
{
    const locdet_kernels *k = locdet_kernels_default();
    cr_assert_not_null(k);
    return k;
}

static uint32_t rng = 2463534242u;
static uint8_t rand8(void)
{
    rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
    return (uint8_t)(rng >> 7);
}

static void fill(uint8_t *p, size_t n, bool binary, int percent)
{
    for (size_t i = 0; i < n; i++)
        p[i] = binary ? ((rand8() % 100) < percent ? 255 : 0) : rand8();
}

/* The definition: min/max over [x - kw/2, x - kw/2 + kw - 1] x [y - kh/2, ...]
 * clipped to the image; open/close compose it. */
static void brute_minmax(const uint8_t *src, uint8_t *dst, int w, int h, int kw, int kh, bool max)
{
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            uint8_t v = max ? 0 : 255;
            for (int yy = y - kh / 2; yy < y - kh / 2 + kh; yy++) {
                for (int xx = x - kw / 2; xx < x - kw / 2 + kw; xx++) {
                    if (yy < 0 || yy >= h || xx < 0 || xx >= w)
                        continue;
                    uint8_t s = src[yy * w + xx];
                    v = max ? (s > v ? s : v) : (s < v ? s : v);
                }
            }
            dst[y * w + x] = v;
        }
    }
}

static void brute(locdet_morph_op op, const uint8_t *src, uint8_t *dst, int w, int h, int kw, int kh)
{
    if (op == LOCDET_MORPH_ERODE || op == LOCDET_MORPH_DILATE) {
        brute_minmax(src, dst, w, h, kw, kh, op == LOCDET_MORPH_DILATE);
        return;
    }
    uint8_t *tmp = malloc((size_t)w * h);
    cr_assert_not_null(tmp);
    bool first_max = op == LOCDET_MORPH_CLOSE;
    brute_minmax(src, tmp, w, h, kw, kh, first_max);
    brute_minmax(tmp, dst, w, h, kw, kh, !first_max);
    free(tmp);
}

static int morph(locdet_morph_op op, uint8_t *src, uint8_t *dst, int w, int h, int kw, int kh,
                 int threads)
{
    locdet_image s = {src, w, h, w}, d = {dst, w, h, w};
    return locdet_morph(kernels(), op, &s, &d, kw, kh, threads);
}

Test(morph, single_pixel_dilates_to_the_element)
{
    /* The rectangle lands at [x - (kw - 1 - kw/2), x + kw/2]: dilate is the
     * max over the window, not reflected, as in OpenCV (even sizes show it). */
    enum { W = 40, H = 30, PX = 17, PY = 11 };
    static const int sizes[][2] = {{1, 1}, {3, 3}, {4, 4}, {2, 5}, {7, 1}, {1, 6}, {9, 8}};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int kw = sizes[s][0], kh = sizes[s][1];
        uint8_t src[W * H] = {0}, dst[W * H];
        src[PY * W + PX] = 255;
        cr_assert_eq(morph(LOCDET_MORPH_DILATE, src, dst, W, H, kw, kh, 1), LOCDET_OK);
        int x0 = PX - (kw - 1 - kw / 2), x1 = PX + kw / 2;
        int y0 = PY - (kh - 1 - kh / 2), y1 = PY + kh / 2;
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                cr_assert_eq(dst[y * W + x], x >= x0 && x <= x1 && y >= y0 && y <= y1 ? 255 : 0,
                             "%dx%d at (%d,%d)", kw, kh, x, y);
    }
}

Test(morph, outside_pixels_never_win)
{
    /* Erode of an all-ink image keeps the edges; dilate of paper stays paper. */
    enum { W = 70, H = 41 };
    uint8_t src[W * H], dst[W * H];
    memset(src, 255, sizeof src);
    cr_assert_eq(morph(LOCDET_MORPH_ERODE, src, dst, W, H, 15, 9, 1), LOCDET_OK);
    for (int i = 0; i < W * H; i++)
        cr_assert_eq(dst[i], 255, "erode changed pixel %d", i);
    memset(src, 0, sizeof src);
    cr_assert_eq(morph(LOCDET_MORPH_DILATE, src, dst, W, H, 15, 9, 1), LOCDET_OK);
    for (int i = 0; i < W * H; i++)
        cr_assert_eq(dst[i], 0, "dilate changed pixel %d", i);
    /* A dark pixel in a corner erodes only its reach, not a border band. */
    memset(src, 255, sizeof src);
    src[0] = 0;
    cr_assert_eq(morph(LOCDET_MORPH_ERODE, src, dst, W, H, 5, 3, 1), LOCDET_OK);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            cr_assert_eq(dst[y * W + x], x <= 2 && y <= 1 ? 0 : 255, "(%d,%d)", x, y);
}

Test(morph, one_by_one_is_the_identity)
{
    enum { W = 77, H = 13 };
    uint8_t src[W * H], dst[W * H];
    fill(src, sizeof src, false, 0);
    for (int op = 0; op < 4; op++) {
        cr_assert_eq(morph((locdet_morph_op)op, src, dst, W, H, 1, 1, 2), LOCDET_OK);
        cr_assert_arr_eq(dst, src, sizeof src, "op %d", op);
    }
}

Test(morph, lines)
{
    /* A vertical bar survives a 1xk open iff it is k tall; a horizontal kx1
     * erode shortens a run by k - 1. */
    enum { W = 50, H = 40 };
    uint8_t src[W * H] = {0}, dst[W * H];
    for (int y = 5; y < 26; y++)
        src[y * W + 10] = 255; /* 21 tall */
    cr_assert_eq(morph(LOCDET_MORPH_OPEN, src, dst, W, H, 1, 21, 1), LOCDET_OK);
    cr_assert_arr_eq(dst, src, sizeof src);
    cr_assert_eq(morph(LOCDET_MORPH_OPEN, src, dst, W, H, 1, 22, 1), LOCDET_OK);
    for (int i = 0; i < W * H; i++)
        cr_assert_eq(dst[i], 0);
    /* Even sizes: erode and dilate share the anchor kh/2, so an open moves
     * what survives by one row (OpenCV does the same). */
    src[25 * W + 10] = 0; /* 20 tall: rows 5..24 */
    cr_assert_eq(morph(LOCDET_MORPH_OPEN, src, dst, W, H, 1, 20, 1), LOCDET_OK);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            cr_assert_eq(dst[y * W + x], x == 10 && y >= 6 && y <= 25 ? 255 : 0, "(%d,%d)", x, y);
    memset(src, 0, sizeof src);
    for (int x = 3; x < 33; x++)
        src[7 * W + x] = 255; /* 30 long */
    cr_assert_eq(morph(LOCDET_MORPH_ERODE, src, dst, W, H, 11, 1, 1), LOCDET_OK);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            cr_assert_eq(dst[y * W + x], y == 7 && x >= 3 + 5 && x < 33 - 5 ? 255 : 0, "(%d,%d)",
                         x, y);
}

Test(morph, element_past_the_image_gives_the_image_extreme)
{
    enum { W = 45, H = 33 };
    uint8_t src[W * H], dst[W * H];
    fill(src, sizeof src, false, 0);
    uint8_t lo = 255, hi = 0;
    for (int i = 0; i < W * H; i++)
        lo = src[i] < lo ? src[i] : lo, hi = src[i] > hi ? src[i] : hi;
    cr_assert_eq(morph(LOCDET_MORPH_ERODE, src, dst, W, H, 2 * W + 1, 2 * H + 1, 1), LOCDET_OK);
    for (int i = 0; i < W * H; i++)
        cr_assert_eq(dst[i], lo);
    cr_assert_eq(morph(LOCDET_MORPH_DILATE, src, dst, W, H, 100000, 100000, 3), LOCDET_OK);
    for (int i = 0; i < W * H; i++)
        cr_assert_eq(dst[i], hi);
}

Test(morph, equals_brute_force)
{
    /* Widths around the vector sizes (16, 32), elements from 1 to past the image. */
    static const int dims[][2] = {{1, 1}, {1, 9}, {9, 1}, {16, 5}, {31, 17}, {32, 32}, {33, 40},
                                  {70, 23}, {97, 61}};
    for (size_t d = 0; d < sizeof dims / sizeof dims[0]; d++) {
        int w = dims[d][0], h = dims[d][1];
        uint8_t *src = malloc((size_t)w * h), *got = malloc((size_t)w * h),
                *want = malloc((size_t)w * h);
        cr_assert(src && got && want);
        for (int trial = 0; trial < 24; trial++) {
            int kw = trial < 6 ? trial + 1 : 1 + rand8() % (2 * w + 3);
            int kh = trial < 6 ? 6 - trial : 1 + rand8() % (2 * h + 3);
            if (trial % 5 == 4)
                kw = 1 + rand8() % 12, kh = 1 + rand8() % 12;
            bool binary = trial & 1;
            fill(src, (size_t)w * h, binary, 20 + trial * 3);
            locdet_morph_op op = (locdet_morph_op)(trial % 4);
            brute(op, src, want, w, h, kw, kh);
            cr_assert_eq(morph(op, src, got, w, h, kw, kh, 1 + trial % 3), LOCDET_OK);
            for (int i = 0; i < w * h; i++)
                cr_assert_eq(got[i], want[i], "%dx%d op %d %dx%d %s: pixel (%d,%d) got %u want %u",
                             w, h, op, kw, kh, binary ? "binary" : "gray", i % w, i / w, got[i],
                             want[i]);
        }
        free(src), free(got), free(want);
    }
}

Test(morph, threads_give_the_single_thread_result)
{
    enum { W = 301, H = 523 };
    locdet_parallel_set_min_pixels(1);
    uint8_t *src = malloc(W * H), *one = malloc(W * H), *many = malloc(W * H);
    cr_assert(src && one && many);
    fill(src, W * H, true, 10);
    static const int sizes[][2] = {{3, 3}, {5, 4}, {31, 31}, {1, 71}, {71, 1}, {200, 201}};
    for (int op = 0; op < 4; op++) {
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            cr_assert_eq(morph((locdet_morph_op)op, src, one, W, H, sizes[s][0], sizes[s][1], 1),
                         LOCDET_OK);
            for (int t = 2; t <= 7; t += 5) {
                cr_assert_eq(
                    morph((locdet_morph_op)op, src, many, W, H, sizes[s][0], sizes[s][1], t),
                    LOCDET_OK);
                cr_assert_arr_eq(one, many, W * H, "op %d %dx%d threads %d", op, sizes[s][0],
                                 sizes[s][1], t);
            }
        }
    }
    free(src), free(one), free(many);
}

/* Several threads of a program each running multi-threaded kernels at once:
 * the strip pool serves one call at a time and the others run their strips
 * on their own thread; every caller still gets its own exact result. */
typedef struct concurrent_job {
    const uint8_t *src;
    const uint8_t *want;
    uint8_t *got;
    int w, h, rounds, failures;
} concurrent_job;

static void *concurrent_caller(void *arg)
{
    concurrent_job *j = arg;
    for (int r = 0; r < j->rounds; r++) {
        locdet_image s = {(uint8_t *)j->src, j->w, j->h, j->w}, d = {j->got, j->w, j->h, j->w};
        memset(j->got, 0x5a, (size_t)j->w * (size_t)j->h);
        if (locdet_morph(locdet_kernels_default(), LOCDET_MORPH_CLOSE, &s, &d, 9, 7, 2 + r % 3) ||
            memcmp(j->want, j->got, (size_t)j->w * (size_t)j->h))
            j->failures++;
    }
    return NULL;
}

Test(morph, concurrent_callers_each_get_their_result)
{
    enum { W = 257, H = 301, CALLERS = 4 };
    locdet_parallel_set_min_pixels(1);
    concurrent_job jobs[CALLERS];
    pthread_t tids[CALLERS];
    for (int c = 0; c < CALLERS; c++) {
        uint8_t *src = malloc(W * H), *want = malloc(W * H), *got = malloc(W * H);
        cr_assert(src && want && got);
        fill(src, W * H, c % 2 == 0, 20);
        cr_assert_eq(morph(LOCDET_MORPH_CLOSE, src, want, W, H, 9, 7, 1), LOCDET_OK);
        jobs[c] = (concurrent_job){src, want, got, W, H, 40, 0};
    }
    for (int c = 0; c < CALLERS; c++)
        cr_assert_eq(pthread_create(&tids[c], NULL, concurrent_caller, &jobs[c]), 0);
    for (int c = 0; c < CALLERS; c++) {
        pthread_join(tids[c], NULL);
        cr_expect_eq(jobs[c].failures, 0, "caller %d: %d of %d rounds wrong", c, jobs[c].failures,
                     jobs[c].rounds);
        free((void *)jobs[c].src), free((void *)jobs[c].want), free(jobs[c].got);
    }
}

/* At the default minimum strip size an image over 2 MP is still split. */
Test(morph, threads_on_an_image_over_the_strip_minimum)
{
    enum { W = 1601, H = 1400 };
    uint8_t *src = malloc(W * H), *one = malloc(W * H), *many = malloc(W * H);
    cr_assert(src && one && many);
    fill(src, W * H, true, 10);
    for (int op = 0; op < 4; op++) {
        cr_assert_eq(morph((locdet_morph_op)op, src, one, W, H, 5, 9, 1), LOCDET_OK);
        cr_assert_eq(morph((locdet_morph_op)op, src, many, W, H, 5, 9, 2), LOCDET_OK);
        cr_assert_arr_eq(one, many, W * H, "op %d", op);
    }
    free(src), free(one), free(many);
}

Test(morph, in_place_equals_out_of_place)
{
    enum { W = 90, H = 70, STRIDE = 97 };
    uint8_t *src = malloc(STRIDE * H), *out = malloc(STRIDE * H), *buf = malloc(STRIDE * H);
    cr_assert(src && out && buf);
    fill(src, STRIDE * H, false, 0);
    for (int op = 0; op < 4; op++) {
        locdet_image s = {src, W, H, STRIDE}, o = {out, W, H, STRIDE}, b = {buf, W, H, STRIDE};
        memcpy(buf, src, STRIDE * H);
        cr_assert_eq(locdet_morph(kernels(), (locdet_morph_op)op, &s, &o, 13, 6, 2), LOCDET_OK);
        cr_assert_eq(locdet_morph(kernels(), (locdet_morph_op)op, &b, &b, 13, 6, 2), LOCDET_OK);
        for (int y = 0; y < H; y++)
            cr_assert_arr_eq(buf + y * STRIDE, out + y * STRIDE, W, "op %d row %d", op, y);
        /* The stride padding is not written. */
        for (int y = 0; y < H; y++)
            cr_assert_arr_eq(buf + y * STRIDE + W, src + y * STRIDE + W, STRIDE - W);
    }
    free(src), free(out), free(buf);
}

Test(morph, bad_arguments_are_refused)
{
    uint8_t src[64] = {0}, dst[64] = {0};
    const locdet_kernels *k = kernels();
    locdet_image s = {src, 8, 8, 8}, d = {dst, 8, 8, 8};
    cr_assert_eq(locdet_morph(NULL, LOCDET_MORPH_ERODE, &s, &d, 3, 3, 1), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_morph(k, LOCDET_MORPH_ERODE, NULL, &d, 3, 3, 1), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_morph(k, LOCDET_MORPH_ERODE, &s, NULL, 3, 3, 1), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_morph(k, (locdet_morph_op)4, &s, &d, 3, 3, 1), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_morph(k, (locdet_morph_op)-1, &s, &d, 3, 3, 1), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_morph(k, LOCDET_MORPH_DILATE, &s, &d, 0, 3, 1), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_morph(k, LOCDET_MORPH_DILATE, &s, &d, 3, 0, 1), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_morph(k, LOCDET_MORPH_DILATE, &s, &d, -3, 3, 1), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_morph(k, LOCDET_MORPH_DILATE, &s, &d, 3, -1, 1), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_morph(k, LOCDET_MORPH_DILATE, &s, &d, 3, 3, -1), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_morph(k, LOCDET_MORPH_DILATE, &s, &d, 3, 3, 0), LOCDET_OK,
                 "threads 0 means the default count");
    locdet_image other = {dst, 4, 8, 8};
    cr_assert_eq(locdet_morph(k, LOCDET_MORPH_OPEN, &s, &other, 3, 3, 1), LOCDET_ERR_INVALID);
    locdet_image bad_stride = {dst, 8, 8, 7};
    cr_assert_eq(locdet_morph(k, LOCDET_MORPH_OPEN, &s, &bad_stride, 3, 3, 1), LOCDET_ERR_INVALID);
    locdet_image s7 = {src, 8, 7, 8}, shifted = {src + 8, 8, 7, 8};
    cr_assert_eq(locdet_morph(k, LOCDET_MORPH_CLOSE, &s7, &shifted, 3, 3, 1), LOCDET_ERR_INVALID,
                 "partly overlapping src and dst must be refused");
}

static void find_slot(void *ctx, const char *slot, const char *variant)
{
    if (strcmp(slot, "morph.rect") == 0)
        *(const char **)ctx = variant;
}

Test(morph, slot_is_listed_with_its_variant)
{
    const char *variant = NULL;
    locdet_kernels_describe(kernels(), find_slot, &variant);
    cr_assert_not_null(variant);
    cr_assert_str_eq(variant, locdet_isa_name(locdet_kernels_isa(kernels())));
}
