/* Labeling equality with OpenCV connectedComponentsWithStats (labels and
 * statistics), on random and plan-like images, on every level. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "locdet/kernels.h"
#include "opencv_peer.h"

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint32_t rnd(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (uint32_t)(rng >> 32);
}

static void expect_opencv(const locdet_image *img, const char *what)
{
    const int w = img->width, h = img->height;
    int32_t *cv_labels = malloc((size_t)w * h * sizeof *cv_labels);
    cr_assert(cv_labels);
    for (int conn = 4; conn <= 8; conn += 4) {
        int32_t *st = NULL;
        double *ce = NULL;
        int n = peer_connected_components(img->data, img->stride, w, h, conn, cv_labels, w, &st, &ce);
        cr_assert(n >= 1 && st && ce);
        for (int isa = 0; isa < LOCDET_ISA_COUNT; isa++) {
            const locdet_kernels *k = locdet_kernels_for_isa((locdet_isa)isa);
            if (!k)
                continue;
            for (int threads = 1; threads <= 3; threads += 2) {
                locdet_labeling l;
                cr_assert_eq(locdet_label(k, img, conn, threads, &l), LOCDET_OK);
                const char *isa_name = locdet_isa_name((locdet_isa)isa);
                cr_assert_eq(l.count, n, "%s %dx%d conn %d %s: count %d, opencv %d", what, w, h,
                             conn, isa_name, l.count, n);
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        if (l.labels[y * l.stride + x] != cv_labels[y * w + x])
                            cr_assert_fail("%s conn %d %s: label at (%d,%d) %d, opencv %d", what, conn,
                                     isa_name, x, y, l.labels[y * l.stride + x], cv_labels[y * w + x]);
                for (int i = 0; i < n; i++) {
                    const locdet_component *c = &l.stats[i];
                    const int32_t *o = &st[i * 5];
                    bool same_c = (isnan(c->cx) && isnan(ce[2 * i])) ||
                                  (c->cx == ce[2 * i] && c->cy == ce[2 * i + 1]);
                    cr_assert(c->left == o[0] && c->top == o[1] && c->width == o[2] &&
                                  c->height == o[3] && c->area == o[4] && same_c,
                              "%s conn %d %s: label %d: ours {%d %d %d %d %lld %.17g %.17g}, "
                              "opencv {%d %d %d %d %d %.17g %.17g}",
                              what, conn, isa_name, i, c->left, c->top, c->width, c->height,
                              (long long)c->area, c->cx, c->cy, o[0], o[1], o[2], o[3], o[4],
                              ce[2 * i], ce[2 * i + 1]);
                }
                locdet_labeling_free(&l);
            }
        }
        free(st), free(ce);
    }
    free(cv_labels);
}

Test(opencv, label_random_images)
{
    const int densities[] = {5, 30, 50, 70, 95};
    for (int t = 0; t < 25; t++) {
        int w = 1 + (int)(rnd() % 300), h = 1 + (int)(rnd() % 300);
        ptrdiff_t stride = w + (ptrdiff_t)(rnd() % 5);
        uint8_t *p = malloc((size_t)stride * h);
        for (ptrdiff_t i = 0; i < stride * h; i++)
            p[i] = (int)(rnd() % 100) < densities[t % 5] ? 255 : 0;
        locdet_image img = {p, w, h, stride};
        expect_opencv(&img, "random");
        free(p);
    }
}

/* Walls (thick lines), doors (gaps), text-like specks and hatching: what a
 * thresholded plan looks like, and its inverse (rooms as components). */
static void draw_plan(uint8_t *p, int w, int h)
{
    memset(p, 0, (size_t)w * h);
    for (int i = 0; i < 40; i++) {
        int horizontal = rnd() & 1, t = 2 + (int)(rnd() % 6);
        int x0 = (int)(rnd() % w), y0 = (int)(rnd() % h), len = 20 + (int)(rnd() % (w / 2));
        for (int a = 0; a < len; a++) {
            if (a % 97 > 80)
                continue; /* a door */
            for (int b = 0; b < t; b++) {
                int x = horizontal ? x0 + a : x0 + b, y = horizontal ? y0 + b : y0 + a;
                if (x < w && y < h)
                    p[y * w + x] = 255;
            }
        }
    }
    for (int i = 0; i < 3000; i++) { /* text and symbols */
        int x = (int)(rnd() % w), y = (int)(rnd() % h), s = 1 + (int)(rnd() % 4);
        for (int dy = 0; dy < s; dy++)
            for (int dx = 0; dx < s; dx++)
                if (x + dx < w && y + dy < h && (rnd() & 3))
                    p[(y + dy) * w + x + dx] = 255;
    }
    for (int y = h / 3; y < h / 2; y++) /* hatching: diagonals */
        for (int x = w / 3; x < w / 2; x++)
            if ((x + y) % 6 == 0)
                p[y * w + x] = 255;
}

Test(opencv, label_numbering_out_of_creation_order)
{
    /* 8-connected, OpenCV numbers by first 2x2 block: the class of (6,0)
     * reaches (1,1) through rows below and so comes before (4,0). */
    static const char *const art[] = {"....#.#....", ".#.....#...", ".#.....#...", ".#######..."};
    uint8_t p[4 * 11];
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 11; x++)
            p[y * 11 + x] = art[y][x] == '#' ? 255 : 0;
    locdet_image img = {p, 11, 4, 11};
    expect_opencv(&img, "reach back");
}

Test(opencv, label_plan_like_images)
{
    enum { W = 1200, H = 900 };
    uint8_t *p = malloc(W * H);
    cr_assert(p);
    draw_plan(p, W, H);
    locdet_image img = {p, W, H, W};
    expect_opencv(&img, "plan");
    for (int i = 0; i < W * H; i++)
        p[i] = p[i] ? 0 : 255;
    expect_opencv(&img, "plan-inverse");
    free(p);
}
