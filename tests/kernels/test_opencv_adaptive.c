/* Otsu, adaptiveThreshold (mean, Gaussian) and GaussianBlur 5x5 equality with
 * OpenCV, on every level this machine runs, on random and plan-like images. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locdet/kernels.h"
#include "opencv_peer.h"
#include "plangen.h"

static uint32_t rng = 2024;
static uint32_t next_rand(void)
{
    rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
    return rng;
}

/* An image with a stride wider than its width (odd, so rows are unaligned). */
typedef struct image {
    locdet_image img;
    uint8_t *buf;
} image;

static image new_image(int w, int h)
{
    ptrdiff_t stride = w + 3 + (w & 1 ? 0 : 1);
    uint8_t *buf = malloc((size_t)(stride * h));
    cr_assert_not_null(buf);
    memset(buf, 0x33, (size_t)(stride * h));
    return (image){{buf, w, h, stride}, buf};
}

static void fill_random(image *im)
{
    for (int y = 0; y < im->img.height; y++)
        for (int x = 0; x < im->img.width; x++)
            im->img.data[y * im->img.stride + x] = (uint8_t)next_rand();
}

/* Like a scanned plan: light paper with noise and uneven shading, dark walls
 * of several thicknesses, thin lines, gray anti-aliased edges, small text. */
static void fill_plan(image *im)
{
    int w = im->img.width, h = im->img.height;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            im->img.data[y * im->img.stride + x] =
                (uint8_t)(225 + (x + y) * 20 / (w + h) + (int)(next_rand() % 9) - 4);
    for (int n = 0; n < 40; n++) {
        int horiz = next_rand() & 1, t = 1 + (int)(next_rand() % 9);
        int x0 = (int)(next_rand() % (unsigned)w), y0 = (int)(next_rand() % (unsigned)h);
        int len = 10 + (int)(next_rand() % (unsigned)(horiz ? w : h));
        uint8_t ink = (uint8_t)(15 + next_rand() % 40);
        for (int i = 0; i < len; i++) {
            for (int j = -1; j <= t; j++) {
                int x = horiz ? x0 + i : x0 + j, y = horiz ? y0 + j : y0 + i;
                if (x < 0 || y < 0 || x >= w || y >= h)
                    continue;
                uint8_t *p = im->img.data + y * im->img.stride + x;
                *p = j < 0 || j == t ? (uint8_t)((*p + ink) / 2) : ink; /* soft edges */
            }
        }
    }
    for (int n = 0; n < w * h / 400; n++) { /* text-like specks */
        int x = (int)(next_rand() % (unsigned)w), y = (int)(next_rand() % (unsigned)h);
        for (int j = 0; j < 3 && y + j < h; j++)
            for (int i = 0; i < 2 && x + i < w; i++)
                im->img.data[(y + j) * im->img.stride + x + i] = (uint8_t)(60 + next_rand() % 80);
    }
}

static int count_diff(const image *a, const image *b, int *fx, int *fy)
{
    int n = 0;
    for (int y = 0; y < a->img.height; y++)
        for (int x = 0; x < a->img.width; x++)
            if (a->img.data[y * a->img.stride + x] != b->img.data[y * b->img.stride + x]) {
                if (!n)
                    *fx = x, *fy = y;
                n++;
            }
    return n;
}

typedef struct plan_params {
    const int *blocks;
    size_t n_blocks;
    const double *cs;
    size_t n_cs;
} plan_params;

static void check_with(image *src, const char *what, const plan_params *pp);

static void check_all(image *src, const char *what)
{
    int w = src->img.width, h = src->img.height;
    const int blocks[] = {3, 5, 7, 9, 11, 13, 15, 17, 21, 31, 51, 101, 2 * (w > h ? w : h) + 1};
    const double cs[] = {2, 0, -3.5, 7.25};
    plan_params pp = {blocks, sizeof blocks / sizeof blocks[0], cs, sizeof cs / sizeof cs[0]};
    check_with(src, what, &pp);
}

static void check_with(image *src, const char *what, const plan_params *pp)
{
    int w = src->img.width, h = src->img.height;
    image ours = new_image(w, h), theirs = new_image(w, h);
    int fx = 0, fy = 0;
    for (int isa = 0; isa < LOCDET_ISA_COUNT; isa++) {
        const locdet_kernels *k = locdet_kernels_for_isa((locdet_isa)isa);
        if (!k)
            continue;
        const char *name = locdet_isa_name((locdet_isa)isa);
        for (int inv = 0; inv < 2; inv++) {
            int t = -1;
            cr_assert_eq(locdet_threshold_otsu(k, &src->img, &ours.img, inv, &t), LOCDET_OK);
            int tcv = peer_threshold_otsu(src->img.data, src->img.stride, theirs.img.data,
                                          theirs.img.stride, w, h, inv);
            cr_assert_eq(t, tcv, "%s %s %dx%d otsu: ours %d, opencv %d", name, what, w, h, t, tcv);
            int n = count_diff(&ours, &theirs, &fx, &fy);
            cr_assert_eq(n, 0, "%s %s %dx%d otsu inv=%d: %d pixels differ, first (%d,%d)", name,
                         what, w, h, inv, n, fx, fy);
        }
        const int *blocks = pp->blocks;
        const double *cs = pp->cs;
        for (int g = 0; g < 2; g++) {
            for (size_t b = 0; b < pp->n_blocks; b++) {
                for (size_t c = 0; c < pp->n_cs; c++) {
                    int inv = (int)((b + c) & 1);
                    int err = g ? locdet_threshold_adaptive_gaussian(k, &src->img, &ours.img,
                                                                     blocks[b], cs[c], inv)
                                : locdet_threshold_adaptive_mean(k, &src->img, &ours.img,
                                                                 blocks[b], cs[c], inv);
                    cr_assert_eq(err, LOCDET_OK);
                    peer_adaptive_threshold(src->img.data, src->img.stride, theirs.img.data,
                                            theirs.img.stride, w, h, g, inv, blocks[b], cs[c]);
                    int n = count_diff(&ours, &theirs, &fx, &fy);
                    cr_assert_eq(n, 0,
                                 "%s %s %dx%d adaptive %s block %d C %g inv %d: %d pixels "
                                 "differ, first (%d,%d)",
                                 name, what, w, h, g ? "gaussian" : "mean", blocks[b], cs[c], inv,
                                 n, fx, fy);
                }
            }
        }
        cr_assert_eq(locdet_blur_gaussian5(k, &src->img, &ours.img), LOCDET_OK);
        peer_gaussian_blur5(src->img.data, src->img.stride, theirs.img.data, theirs.img.stride, w, h);
        int n = count_diff(&ours, &theirs, &fx, &fy);
        cr_assert_eq(n, 0, "%s %s %dx%d gaussian5: %d pixels differ, first (%d,%d)", name, what, w,
                     h, n, fx, fy);
    }
    free(ours.buf), free(theirs.buf);
}

Test(opencv, random_images_awkward_sizes)
{
    const int sizes[][2] = {{1, 1}, {1, 9}, {9, 1}, {2, 2}, {3, 5}, {17, 4}, {31, 33}, {77, 40},
                            {131, 67}, {257, 129}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        image src = new_image(sizes[i][0], sizes[i][1]);
        fill_random(&src);
        check_all(&src, "random");
        free(src.buf);
    }
}

Test(opencv, plan_like_images)
{
    const int sizes[][2] = {{640, 480}, {333, 517}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        image src = new_image(sizes[i][0], sizes[i][1]);
        fill_plan(&src);
        check_all(&src, "plan-like");
        free(src.buf);
    }
}

Test(opencv, gaussian_blocks_cover_the_kernel_table)
{
    /* Every block size from 3 to 61 on a small image: a kernel tap that
     * differed from OpenCV's getGaussianKernel would show here. */
    image src = new_image(61, 23);
    fill_random(&src);
    image ours = new_image(61, 23), theirs = new_image(61, 23);
    const locdet_kernels *k = locdet_kernels_default();
    int fx = 0, fy = 0;
    for (int b = 3; b <= 61; b += 2) {
        for (int c = -2; c <= 2; c += 2) {
            cr_assert_eq(locdet_threshold_adaptive_gaussian(k, &src.img, &ours.img, b, c, false),
                         LOCDET_OK);
            peer_adaptive_threshold(src.img.data, src.img.stride, theirs.img.data, theirs.img.stride,
                                    61, 23, 1, 0, b, c);
            int n = count_diff(&ours, &theirs, &fx, &fy);
            cr_assert_eq(n, 0, "block %d C %d: %d differ, first (%d,%d)", b, c, n, fx, fy);
        }
    }
    free(src.buf), free(ours.buf), free(theirs.buf);
}

Test(opencv, plangen_plans)
{
    /* Plans from tools/plangen (noise, blur, paper tone, rotation included),
     * every preset, two seeds, at the old system's settings and around them. */
    const int blocks[] = {11, 15, 21, 51};
    const double cs[] = {2, 5, -1};
    plan_params pp = {blocks, 4, cs, 3};
    for (const char *const *preset = plangen_presets(); *preset; preset++) {
        for (uint64_t seed = 1; seed <= 2; seed++) {
            plangen_plan plan;
            cr_assert_eq(plangen_generate(*preset, seed, 700, &plan), 0, "preset %s", *preset);
            image src = new_image(plan.width, plan.height);
            for (int y = 0; y < plan.height; y++)
                memcpy(src.img.data + y * src.img.stride, plan.pixels + y * plan.stride,
                       (size_t)plan.width);
            plangen_free(&plan);
            char what[64];
            snprintf(what, sizeof what, "plangen %s seed %llu", *preset, (unsigned long long)seed);
            check_with(&src, what, &pp);
            free(src.buf);
        }
    }
}
