/* Label family semantics: the labeling against a brute-force flood-fill
 * oracle (exact labels, since the numbering is defined), hand cases, thread
 * counts, argument errors and the overflow path, at every ISA level. */
#include <criterion/criterion.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locdet/kernels.h"

/* Internal (kernels/internal.h): the tuning knobs of locdet_label. */
int locdet_label_tuned(const locdet_kernels *k, const locdet_image *binary, int connectivity,
                       int threads, int32_t max_labels, int min_strip_rows,
                       struct locdet_labeling *out);
/* Internal (kernels/parallel.h): strips under this many pixels run serially. */
void locdet_parallel_set_min_pixels(long pixels);

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (uint32_t)(rng >> 32);
}

/* ---- the oracle: flood fill, then OpenCV's numbering by sorting ---------- */
typedef struct oracle {
    int32_t *labels; /* w * h, stride w */
    int32_t count;
    locdet_component *stats;
} oracle;

typedef struct comp_key {
    int64_t key;
    int32_t id;
} comp_key;

static int cmp_key(const void *a, const void *b)
{
    const comp_key *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

static void oracle_label(const locdet_image *img, int conn, oracle *o)
{
    const int w = img->width, h = img->height;
    int32_t *tmp = calloc((size_t)w * h, sizeof *tmp);
    int32_t *stack = malloc((size_t)w * h * sizeof *stack);
    comp_key *keys = malloc(((size_t)w * h + 1) * sizeof *keys);
    cr_assert(tmp && stack && keys);
    int32_t n = 0;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            if (!img->data[y * img->stride + x] || tmp[y * w + x])
                continue;
            n++;
            int64_t key = INT64_MAX;
            int sp = 0;
            stack[sp++] = y * w + x;
            tmp[y * w + x] = n;
            while (sp) {
                int32_t i = stack[--sp];
                int cx = i % w, cy = i / w;
                /* 8-connected: the first 2x2 block in block raster order;
                 * 4-connected: the first pixel in raster order. */
                int64_t k = conn == 8 ? (int64_t)(cy / 2) * w + cx / 2 : (int64_t)i;
                if (k < key)
                    key = k;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        if ((!dx && !dy) || (conn == 4 && dx && dy))
                            continue;
                        int nx = cx + dx, ny = cy + dy;
                        if (nx < 0 || ny < 0 || nx >= w || ny >= h)
                            continue;
                        if (img->data[ny * img->stride + nx] && !tmp[ny * w + nx]) {
                            tmp[ny * w + nx] = n;
                            stack[sp++] = ny * w + nx;
                        }
                    }
                }
            }
            keys[n - 1] = (comp_key){key, n};
        }
    }
    qsort(keys, (size_t)n, sizeof *keys, cmp_key);
    int32_t *final = malloc(((size_t)n + 1) * sizeof *final);
    final[0] = 0;
    for (int32_t i = 0; i < n; i++)
        final[keys[i].id] = i + 1;
    o->count = n + 1;
    o->labels = tmp;
    o->stats = calloc((size_t)n + 1, sizeof *o->stats);
    int64_t *sx = calloc((size_t)n + 1, sizeof *sx), *sy = calloc((size_t)n + 1, sizeof *sy);
    int32_t *right = malloc(((size_t)n + 1) * sizeof *right), *bottom = malloc(((size_t)n + 1) * sizeof *bottom);
    for (int32_t i = 0; i <= n; i++) {
        o->stats[i].left = INT32_MAX, o->stats[i].top = INT32_MAX;
        right[i] = -1, bottom[i] = -1;
    }
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            int32_t l = final[tmp[y * w + x]];
            tmp[y * w + x] = l;
            locdet_component *c = &o->stats[l];
            c->area++;
            sx[l] += x, sy[l] += y;
            if (x < c->left)
                c->left = x;
            if (y < c->top)
                c->top = y;
            if (x > right[l])
                right[l] = x;
            if (y > bottom[l])
                bottom[l] = y;
        }
    }
    for (int32_t i = 0; i <= n; i++) {
        locdet_component *c = &o->stats[i];
        if (c->area == 0) { /* OpenCV's row for a background with no pixel */
            *c = (locdet_component){-1, INT32_MAX, 0, 0, 0, NAN, NAN};
            continue;
        }
        c->width = right[i] - c->left + 1;
        c->height = bottom[i] - c->top + 1;
        c->cx = (double)sx[i] / (double)c->area;
        c->cy = (double)sy[i] / (double)c->area;
    }
    free(stack), free(keys), free(final), free(sx), free(sy), free(right), free(bottom);
}

static void oracle_free(oracle *o)
{
    free(o->labels), free(o->stats);
}

static bool same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static void expect_equal(const locdet_labeling *got, const oracle *want, const char *what)
{
    cr_assert_eq(got->count, want->count, "%s: count %d, want %d", what, got->count, want->count);
    for (int y = 0; y < got->height; y++) {
        for (int x = 0; x < got->width; x++) {
            int32_t g = got->labels[y * got->stride + x], o = want->labels[y * got->width + x];
            if (g != o)
                cr_assert_fail("%s: label at (%d,%d) is %d, want %d", what, x, y, g, o);
        }
    }
    for (int32_t i = 0; i < got->count; i++) {
        const locdet_component *g = &got->stats[i], *o = &want->stats[i];
        cr_assert(g->left == o->left && g->top == o->top && g->width == o->width &&
                      g->height == o->height && g->area == o->area && same_double(g->cx, o->cx) &&
                      same_double(g->cy, o->cy),
                  "%s: stats of label %d: got {%d %d %d %d %lld %.17g %.17g}, want {%d %d %d %d "
                  "%lld %.17g %.17g}",
                  what, i, g->left, g->top, g->width, g->height, (long long)g->area, g->cx, g->cy,
                  o->left, o->top, o->width, o->height, (long long)o->area, o->cx, o->cy);
    }
}

static locdet_image random_image(int w, int h, int percent, ptrdiff_t extra)
{
    ptrdiff_t stride = w + extra;
    uint8_t *p = malloc((size_t)stride * h);
    cr_assert(p);
    for (ptrdiff_t i = 0; i < stride * h; i++)
        p[i] = (int)(rnd() % 100) < percent ? (uint8_t)(1 + rnd() % 255) : 0;
    /* Padding bytes are foreground: a kernel that reads them gets caught. */
    for (int y = 0; y < h; y++)
        memset(p + y * stride + w, 255, (size_t)extra);
    return (locdet_image){p, w, h, stride};
}

static void check_against_oracle(const locdet_image *img, const char *what)
{
    for (int conn = 4; conn <= 8; conn += 4) {
        oracle o;
        oracle_label(img, conn, &o);
        for (int isa = 0; isa < LOCDET_ISA_COUNT; isa++) {
            const locdet_kernels *k = locdet_kernels_for_isa((locdet_isa)isa);
            if (!k)
                continue;
            locdet_labeling l;
            cr_assert_eq(locdet_label(k, img, conn, 1, &l), LOCDET_OK);
            char name[160];
            snprintf(name, sizeof name, "%s %dx%d conn %d %s", what, img->width, img->height, conn,
                     locdet_isa_name((locdet_isa)isa));
            expect_equal(&l, &o, name);
            locdet_labeling_free(&l);
        }
        oracle_free(&o);
    }
}

Test(label, random_images_match_the_oracle)
{
    const int densities[] = {5, 20, 35, 50, 60, 75, 95};
    for (int t = 0; t < 60; t++) {
        int w = 1 + (int)(rnd() % 257), h = 1 + (int)(rnd() % 263);
        if (t < 4)
            w = t + 1, h = 4 - t; /* 1x4 .. 4x1 */
        if (t == 4)
            w = 257, h = 263;
        int d = densities[t % 7];
        locdet_image img = random_image(w, h, d, (ptrdiff_t)(rnd() % 9));
        char what[32];
        snprintf(what, sizeof what, "random %d%%", d);
        check_against_oracle(&img, what);
        free(img.data);
    }
}

/* Build an image from rows of '#' (foreground) and '.' */
static locdet_image from_art(const char *const *rows, int h)
{
    int w = (int)strlen(rows[0]);
    uint8_t *p = malloc((size_t)w * h);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            p[y * w + x] = rows[y][x] == '#' ? 255 : 0;
    return (locdet_image){p, w, h, w};
}

Test(label, hand_cases)
{
    static const char *const spiral[] = {
        "#########.",
        "........#.",
        ".######.#.",
        ".#....#.#.",
        ".#.##.#.#.",
        ".#.#..#.#.",
        ".#.####.#.",
        ".#......#.",
        ".########.",
    };
    static const char *const u_late[] = {
        "#.#.#.#.#.#",
        "#.#.#.#.#.#",
        "#.#.#.#.#.#",
        "###########",
    };
    static const char *const diag[] = {
        "#...",
        ".#..",
        "..#.",
        "...#",
    };
    static const char *const anti_diag[] = {
        "...#",
        "..#.",
        ".#..",
        "#...",
    };
    /* 8-connected numbering: the component whose first pixel is at (1,1)
     * comes before the one at (6,0) (its 2x2 block is earlier). */
    static const char *const block_order[] = {
        "......#.",
        ".#......",
        "........",
        "..#...#.",
        ".......#",
    };
    /* The class of (6,0) reaches (1,1) through rows below, so its first
     * block (0,0) precedes that of (4,0): numbered out of creation order. */
    static const char *const reach_back[] = {
        "....#.#....",
        ".#.....#...",
        ".#.....#...",
        ".#######...",
    };
    static const char *const singles[] = {
        "#.#.#",
        ".#.#.",
        "#.#.#",
    };
    struct {
        const char *name;
        const char *const *rows;
        int h;
    } cases[] = {
        {"spiral", spiral, 9},         {"U merging late", u_late, 4},
        {"diagonal", diag, 4},         {"anti-diagonal", anti_diag, 4},
        {"block order", block_order, 5}, {"single pixels", singles, 3},
        {"reach back", reach_back, 4},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        locdet_image img = from_art(cases[c].rows, cases[c].h);
        check_against_oracle(&img, cases[c].name);
        free(img.data);
    }
}

Test(label, known_counts)
{
    static const char *const diag[] = {"#...", ".#..", "..#.", "...#"};
    static const char *const u_late[] = {"#.#.#", "#.#.#", "#####"};
    locdet_image d = from_art(diag, 4), u = from_art(u_late, 3);
    locdet_labeling l;
    const locdet_kernels *k = locdet_kernels_default();
    cr_assert_eq(locdet_label(k, &d, 8, 1, &l), LOCDET_OK);
    cr_assert_eq(l.count, 2, "a diagonal is one 8-component");
    cr_assert_eq(l.stats[1].area, 4);
    cr_assert(l.stats[1].cx == 1.5 && l.stats[1].cy == 1.5);
    locdet_labeling_free(&l);
    cr_assert_eq(locdet_label(k, &d, 4, 1, &l), LOCDET_OK);
    cr_assert_eq(l.count, 5, "a diagonal is four 4-components");
    for (int i = 0; i < 4; i++)
        cr_assert_eq(l.labels[i * l.stride + i], i + 1);
    locdet_labeling_free(&l);
    static const char *const reach_back[] = {"....#.#....", ".#.....#...", ".#.....#...",
                                             ".#######..."};
    locdet_image rb = from_art(reach_back, 4);
    cr_assert_eq(locdet_label(k, &rb, 8, 1, &l), LOCDET_OK);
    cr_assert_eq(l.count, 3);
    cr_assert(l.labels[6] == 1 && l.labels[4] == 2, "first 2x2 block order, as OpenCV");
    locdet_labeling_free(&l);
    cr_assert_eq(locdet_label(k, &rb, 4, 1, &l), LOCDET_OK);
    cr_assert(l.labels[4] == 1 && l.labels[6] == 2 && l.labels[l.stride + 7] == 3,
              "4-connected: raster order of first pixel");
    locdet_labeling_free(&l);
    free(rb.data);
    cr_assert_eq(locdet_label(k, &u, 4, 1, &l), LOCDET_OK);
    cr_assert_eq(l.count, 2, "the U's arms meet on the last row");
    cr_assert_eq(l.stats[1].area, 11);
    cr_assert(l.stats[1].left == 0 && l.stats[1].top == 0 && l.stats[1].width == 5 &&
              l.stats[1].height == 3);
    cr_assert(l.stats[0].area == 4 && l.stats[0].left == 1 && l.stats[0].width == 3 &&
              l.stats[0].height == 2);
    locdet_labeling_free(&l);
    free(d.data), free(u.data);
}

Test(label, empty_full_one_row_one_column)
{
    const locdet_kernels *k = locdet_kernels_default();
    for (int shape = 0; shape < 4; shape++) {
        int w = shape == 2 ? 1 : shape == 3 ? 300 : 37, h = shape == 2 ? 300 : shape == 3 ? 1 : 23;
        for (int fill = 0; fill < 3; fill++) {
            uint8_t *p = malloc((size_t)w * h);
            for (int i = 0; i < w * h; i++)
                p[i] = fill == 0 ? 0 : fill == 1 ? 255 : (i % 3 ? 7 : 0);
            locdet_image img = {p, w, h, w};
            check_against_oracle(&img, fill == 0 ? "empty" : fill == 1 ? "full" : "stripes");
            locdet_labeling l;
            cr_assert_eq(locdet_label(k, &img, 8, 1, &l), LOCDET_OK);
            if (fill == 0) {
                cr_assert_eq(l.count, 1);
                cr_assert(l.stats[0].area == (int64_t)w * h && l.stats[0].left == 0 &&
                          l.stats[0].width == w && l.stats[0].height == h);
            } else if (fill == 1) {
                cr_assert_eq(l.count, 2);
                cr_assert(l.stats[0].area == 0 && l.stats[0].left == -1 &&
                          l.stats[0].top == INT32_MAX && isnan(l.stats[0].cx));
                cr_assert_eq(l.stats[1].area, (int64_t)w * h);
            }
            locdet_labeling_free(&l);
            free(p);
        }
    }
}

Test(label, threads_give_identical_output)
{
    /* Strips down to one row, so every border case is met. */
    const int densities[] = {10, 45, 55, 80};
    for (int t = 0; t < 16; t++) {
        int w = 1 + (int)(rnd() % 200), h = 1 + (int)(rnd() % 150);
        locdet_image img = random_image(w, h, densities[t % 4], 3);
        for (int conn = 4; conn <= 8; conn += 4) {
            oracle o;
            oracle_label(&img, conn, &o);
            for (int threads = 1; threads <= 7; threads++) {
                for (int min_rows = 1; min_rows <= 64; min_rows *= 8) {
                    locdet_labeling l;
                    cr_assert_eq(locdet_label_tuned(locdet_kernels_default(), &img, conn, threads,
                                                    INT32_MAX - 1, min_rows, &l),
                                 LOCDET_OK);
                    char what[96];
                    snprintf(what, sizeof what, "%d threads, strips of >= %d rows", threads, min_rows);
                    expect_equal(&l, &o, what);
                    locdet_labeling_free(&l);
                }
            }
            oracle_free(&o);
        }
        free(img.data);
    }
}

Test(label, public_entry_with_threads_on_a_large_image)
{
    enum { W = 1031, H = 777 };
    locdet_parallel_set_min_pixels(1); /* 0.8 MP: split it all the same */
    locdet_image img = random_image(W, H, 50, 0);
    for (int conn = 4; conn <= 8; conn += 4) {
        oracle o;
        oracle_label(&img, conn, &o);
        for (int threads = 1; threads <= 7; threads += 2) {
            locdet_labeling l;
            cr_assert_eq(locdet_label(locdet_kernels_default(), &img, conn, threads, &l), LOCDET_OK);
            expect_equal(&l, &o, "large");
            locdet_labeling_free(&l);
        }
        oracle_free(&o);
    }
    free(img.data);
}

Test(label, overflow_is_reported)
{
    /* A 4-connected checkerboard: one label per foreground pixel. */
    enum { W = 64, H = 64 };
    uint8_t p[W * H];
    for (int i = 0; i < W * H; i++)
        p[i] = ((i % W) + (i / W)) % 2 ? 255 : 0;
    locdet_image img = {p, W, H, W};
    const locdet_kernels *k = locdet_kernels_default();
    locdet_labeling l;
    for (int threads = 1; threads <= 3; threads++) {
        cr_assert_eq(locdet_label_tuned(k, &img, 4, threads, W * H / 2 - 1, 1, &l),
                     LOCDET_ERR_OVERFLOW);
        cr_assert_null(l.labels);
        cr_assert_null(l.stats);
        cr_assert_eq(locdet_label_tuned(k, &img, 4, threads, W * H / 2, 1, &l), LOCDET_OK);
        cr_assert_eq(l.count, W * H / 2 + 1);
        locdet_labeling_free(&l);
    }
    /* 8-connected, the same board is one component. */
    cr_assert_eq(locdet_label_tuned(k, &img, 8, 1, 1, 1, &l), LOCDET_ERR_OVERFLOW,
                 "provisional labels count, not only the final ones");
    cr_assert_eq(locdet_label(k, &img, 8, 1, &l), LOCDET_OK);
    cr_assert_eq(l.count, 2);
    locdet_labeling_free(&l);
}

Test(label, checkerboard_8192_has_33_million_components, .timeout = 240)
{
    /* The largest count a 8192x8192 image can hold: every other pixel. */
    enum { N = 8192 };
    uint8_t *p = malloc((size_t)N * N);
    cr_assert(p);
    for (int y = 0; y < N; y++)
        for (int x = 0; x < N; x++)
            p[(size_t)y * N + x] = (x + y) % 2 ? 255 : 0;
    locdet_image img = {p, N, N, N};
    locdet_labeling l;
    cr_assert_eq(locdet_label(locdet_kernels_default(), &img, 4, 2, &l), LOCDET_OK);
    cr_assert_eq(l.count, N * N / 2 + 1);
    /* Raster order of first pixel: (1,0) is 1, (0,1) is N/2 + 1. */
    cr_assert_eq(l.labels[1], 1);
    cr_assert_eq(l.labels[l.stride], N / 2 + 1);
    cr_assert_eq(l.labels[(ptrdiff_t)(N - 1) * l.stride + N - 2], N * N / 2);
    cr_assert(l.stats[N * N / 2].left == N - 2 && l.stats[N * N / 2].top == N - 1 &&
              l.stats[N * N / 2].area == 1);
    cr_assert_eq(l.stats[0].area, (int64_t)N * N / 2);
    locdet_labeling_free(&l);
    cr_assert_eq(locdet_label(locdet_kernels_default(), &img, 8, 2, &l), LOCDET_OK);
    cr_assert_eq(l.count, 2);
    cr_assert_eq(l.stats[1].area, (int64_t)N * N / 2);
    locdet_labeling_free(&l);
    free(p);
}

Test(label, bad_arguments_are_refused)
{
    uint8_t p[16] = {0};
    locdet_image img = {p, 4, 4, 4};
    const locdet_kernels *k = locdet_kernels_default();
    locdet_labeling l = {.count = 99};
    cr_assert_eq(locdet_label(NULL, &img, 8, 1, &l), LOCDET_ERR_INVALID);
    cr_assert_eq(l.count, 0, "out is zeroed on error");
    cr_assert_eq(locdet_label(k, NULL, 8, 1, &l), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_label(k, &img, 8, 1, NULL), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_label(k, &img, 6, 1, &l), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_label(k, &img, 0, 1, &l), LOCDET_ERR_INVALID);
    locdet_image bad = {p, 4, 4, 3};
    cr_assert_eq(locdet_label(k, &bad, 8, 1, &l), LOCDET_ERR_INVALID);
    locdet_image zero = {p, 0, 4, 4};
    cr_assert_eq(locdet_label(k, &zero, 8, 1, &l), LOCDET_ERR_INVALID);
    locdet_image null_data = {NULL, 4, 4, 4};
    cr_assert_eq(locdet_label(k, &null_data, 8, 1, &l), LOCDET_ERR_INVALID);
    locdet_labeling_free(&l);
    locdet_labeling_free(NULL);
    /* Thread counts out of range fall back, never fail. */
    cr_assert_eq(locdet_label(k, &img, 8, 0, &l), LOCDET_OK);
    locdet_labeling_free(&l);
    cr_assert_eq(locdet_label(k, &img, 8, 100000, &l), LOCDET_OK);
    locdet_labeling_free(&l);
}
