/* Otsu, adaptive mean, adaptive Gaussian: known answers and argument errors,
 * at the level LOCDET_ISA selects (./tools/dev test runs every level). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "locdet/kernels.h"

static const locdet_kernels *kernels(void)
{
    const locdet_kernels *k = locdet_kernels_default();
    cr_assert_not_null(k);
    return k;
}

typedef int (*adaptive_fn)(const locdet_kernels *, const locdet_image *, const locdet_image *,
                           int, double, bool);
static const adaptive_fn adaptive[3] = {locdet_threshold_adaptive_mean,
                                        locdet_threshold_adaptive_gaussian,
                                        locdet_threshold_adaptive_gaussian_fixed};
static const char *const adaptive_name[3] = {"mean", "gaussian", "gaussian_fixed"};

Test(otsu, two_level_image)
{
    /* Every cut between the levels separates them equally well: OpenCV keeps
     * the first, the lower level itself. */
    enum { W = 37, H = 5 };
    uint8_t src[W * H], dst[W * H];
    for (int i = 0; i < W * H; i++)
        src[i] = (i * 7) % 3 ? 50 : 200;
    locdet_image s = {src, W, H, W}, d = {dst, W, H, W};
    int t = -1;
    cr_assert_eq(locdet_threshold_otsu(kernels(), &s, &d, false, &t), LOCDET_OK);
    cr_assert_eq(t, 50);
    for (int i = 0; i < W * H; i++)
        cr_assert_eq(dst[i], src[i] == 200 ? 255 : 0);
    cr_assert_eq(locdet_threshold_otsu(kernels(), &s, &d, true, NULL), LOCDET_OK);
    for (int i = 0; i < W * H; i++)
        cr_assert_eq(dst[i], src[i] == 200 ? 0 : 255);
}

Test(otsu, constant_image_gives_zero_and_only_computes_without_dst)
{
    uint8_t src[64];
    memset(src, 77, sizeof src);
    locdet_image s = {src, 8, 8, 8};
    int t = -1;
    cr_assert_eq(locdet_threshold_otsu(kernels(), &s, NULL, false, &t), LOCDET_OK);
    cr_assert_eq(t, 0); /* no bin splits the image: OpenCV returns 0 */
    for (int i = 0; i < 64; i++)
        cr_assert_eq(src[i], 77, "src must be untouched");
}

Test(otsu, in_place)
{
    uint8_t buf[100];
    for (int i = 0; i < 100; i++)
        buf[i] = i < 60 ? 10 + i % 5 : 230 + i % 7;
    locdet_image img = {buf, 10, 10, 10};
    int t;
    cr_assert_eq(locdet_threshold_otsu(kernels(), &img, &img, false, &t), LOCDET_OK);
    cr_assert(t >= 14 && t < 230, "threshold %d", t);
    for (int i = 0; i < 100; i++)
        cr_assert_eq(buf[i], i < 60 ? 0 : 255);
}

Test(otsu, bad_arguments_are_refused)
{
    uint8_t src[16] = {0}, dst[16];
    locdet_image s = {src, 4, 4, 4}, d = {dst, 4, 4, 4}, small = {dst, 2, 2, 2};
    locdet_image null_data = {NULL, 4, 4, 4}, zero = {src, 0, 4, 4};
    int t;
    cr_assert_eq(locdet_threshold_otsu(NULL, &s, &d, false, &t), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_threshold_otsu(kernels(), NULL, &d, false, &t), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_threshold_otsu(kernels(), &s, NULL, false, NULL), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_threshold_otsu(kernels(), &null_data, NULL, false, &t), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_threshold_otsu(kernels(), &zero, NULL, false, &t), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_threshold_otsu(kernels(), &s, &small, false, &t), LOCDET_ERR_INVALID);
}

Test(adaptive, constant_image)
{
    /* mean == src everywhere: BINARY is 0 > -ceil(C), BINARY_INV 0 <= -floor(C). */
    enum { W = 45, H = 21 };
    uint8_t src[W * H], dst[W * H];
    memset(src, 131, sizeof src);
    locdet_image s = {src, W, H, W}, d = {dst, W, H, W};
    for (int m = 0; m < 3; m++) {
        const int blocks[] = {3, 5, 7, 9, 11, 17, 31, 99};
        for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
            struct { double c; bool inv; uint8_t want; } cases[] = {
                {2, false, 255}, {0, false, 0}, {0.5, false, 255}, {-1, false, 0},
                {2, true, 0}, {0, true, 255}, {-0.5, true, 255}, {0.5, true, 255},
            };
            for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
                cr_assert_eq(adaptive[m](kernels(), &s, &d, blocks[b], cases[c].c, cases[c].inv),
                             LOCDET_OK);
                for (int i = 0; i < W * H; i++)
                    cr_assert_eq(dst[i], cases[c].want, "%s block %d C %g inv %d pixel %d",
                                 adaptive_name[m], blocks[b], cases[c].c, cases[c].inv, i);
            }
        }
    }
}

Test(adaptive, hand_computed_3x3_mean)
{
    /* Replicated border. Corner (0,0): 10 10 20 / 10 10 20 / 40 40 50, sum
     * 210, mean 210/9 = 23.3 -> 23. Centre: 450/9 = 50. */
    uint8_t src[9] = {10, 20, 30, 40, 50, 60, 70, 80, 90}, dst[9];
    locdet_image s = {src, 3, 3, 3}, d = {dst, 3, 3, 3};
    /* Corner: 10 - 23 = -13 > -ceil(C) from C > 13 on. */
    cr_assert_eq(locdet_threshold_adaptive_mean(kernels(), &s, &d, 3, 13, false), LOCDET_OK);
    cr_assert_eq(dst[0], 0);
    cr_assert_eq(locdet_threshold_adaptive_mean(kernels(), &s, &d, 3, 13.01, false), LOCDET_OK);
    cr_assert_eq(dst[0], 255);
    /* Centre: 0 > -ceil(C) from C > 0 on. */
    cr_assert_eq(locdet_threshold_adaptive_mean(kernels(), &s, &d, 3, 0, false), LOCDET_OK);
    cr_assert_eq(dst[4], 0);
    cr_assert_eq(locdet_threshold_adaptive_mean(kernels(), &s, &d, 3, 0.01, false), LOCDET_OK);
    cr_assert_eq(dst[4], 255);
    /* Inverted, floor(C): centre 0 <= -floor(-0.01) = 1. */
    cr_assert_eq(locdet_threshold_adaptive_mean(kernels(), &s, &d, 3, -0.01, true), LOCDET_OK);
    cr_assert_eq(dst[4], 255);
    cr_assert_eq(locdet_threshold_adaptive_mean(kernels(), &s, &d, 3, 1, true), LOCDET_OK);
    cr_assert_eq(dst[4], 0);
}

Test(adaptive, step_edge)
{
    /* Dark left half, bright right half: with C = 0 only the bright pixels
     * next to the edge exceed their mean, the rest equal it. */
    enum { W = 40, H = 9 };
    uint8_t src[W * H], dst[W * H];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            src[y * W + x] = x < W / 2 ? 30 : 220;
    locdet_image s = {src, W, H, W}, d = {dst, W, H, W};
    for (int m = 0; m < 3; m++) {
        cr_assert_eq(adaptive[m](kernels(), &s, &d, 5, 0, false), LOCDET_OK);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                cr_assert_eq(dst[y * W + x], x >= W / 2 && x < W / 2 + 2 ? 255 : 0,
                             "%s at (%d,%d)", adaptive_name[m], x, y);
    }
}

Test(adaptive, blocks_larger_than_the_image_and_in_place)
{
    enum { W = 7, H = 3 };
    uint8_t src[W * H], dst[W * H], buf[W * H];
    for (int i = 0; i < W * H; i++)
        src[i] = (uint8_t)(i * 53);
    locdet_image s = {src, W, H, W}, d = {dst, W, H, W}, b = {buf, W, H, W};
    for (int m = 0; m < 3; m++) {
        for (int block = 3; block <= 41; block += 2) {
            cr_assert_eq(adaptive[m](kernels(), &s, &d, block, 1.5, block % 4 == 1), LOCDET_OK);
            memcpy(buf, src, sizeof buf);
            cr_assert_eq(adaptive[m](kernels(), &b, &b, block, 1.5, block % 4 == 1), LOCDET_OK);
            cr_assert_arr_eq(buf, dst, sizeof buf, "in place differs, block %d", block);
        }
    }
    /* One pixel: the mean is the pixel. */
    uint8_t one = 9, out = 1;
    locdet_image o = {&one, 1, 1, 1}, oo = {&out, 1, 1, 1};
    cr_assert_eq(locdet_threshold_adaptive_gaussian(kernels(), &o, &oo, 2047, 1, false), LOCDET_OK);
    cr_assert_eq(out, 255);
    out = 1;
    cr_assert_eq(locdet_threshold_adaptive_gaussian_fixed(kernels(), &o, &oo, 2047, 1, false),
                 LOCDET_OK);
    cr_assert_eq(out, 255);
}

Test(adaptive, gaussian_fixed_flat_images_are_exact_at_every_size)
{
    /* A flat area's fixed-point mean is its value exactly (the weights sum
     * to exactly 1 and the sums are exact), at any block up to the largest:
     * with C = 0, BINARY gives 0 everywhere and BINARY_INV 255. */
    const int sizes[][2] = {{1, 1}, {2, 3}, {37, 5}, {5, 37}, {64, 64}, {200, 3}};
    const int blocks[] = {3, 5, 11, 65, 127, 129, 255, 1001, LOCDET_ADAPTIVE_MAX_BLOCK};
    const uint8_t values[] = {0, 1, 128, 254, 255};
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
        int w = sizes[z][0], h = sizes[z][1];
        uint8_t *src = malloc((size_t)(w * h)), *dst = malloc((size_t)(w * h));
        cr_assert(src && dst);
        locdet_image s = {src, w, h, w}, d = {dst, w, h, w};
        for (size_t v = 0; v < sizeof values; v++) {
            memset(src, values[v], (size_t)(w * h));
            for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
                for (int inv = 0; inv < 2; inv++) {
                    cr_assert_eq(locdet_threshold_adaptive_gaussian_fixed(kernels(), &s, &d,
                                                                          blocks[b], 0, inv),
                                 LOCDET_OK);
                    for (int i = 0; i < w * h; i++)
                        cr_assert_eq(dst[i], inv ? 255 : 0, "%dx%d value %u block %d pixel %d",
                                     w, h, values[v], blocks[b], i);
                }
            }
        }
        free(src), free(dst);
    }
}

Test(adaptive, gaussian_fixed_hand_computed_3x3)
{
    /* Block 3 on a 3x3 image: taps 1/4 1/2 1/4 are exact in Q16, so the
     * mean is the exact Gaussian mean rounded. 0 0 0 / 0 255 0 / 0 0 0:
     * the centre's mean is 255 / 4 = 63.75 -> 64; the corner (replicated
     * border) weighs the 255 by 1/4 per axis: 255 / 16 = 15.9 -> 16. */
    uint8_t src[9] = {0, 0, 0, 0, 255, 0, 0, 0, 0}, dst[9];
    locdet_image s = {src, 3, 3, 3}, d = {dst, 3, 3, 3};
    /* Centre: 255 - 64 = 191 > -ceil(C) for any C >= -190. */
    cr_assert_eq(locdet_threshold_adaptive_gaussian_fixed(kernels(), &s, &d, 3, -190, false),
                 LOCDET_OK);
    cr_assert_eq(dst[4], 255);
    cr_assert_eq(locdet_threshold_adaptive_gaussian_fixed(kernels(), &s, &d, 3, -191, false),
                 LOCDET_OK);
    cr_assert_eq(dst[4], 0);
    /* Corner: 0 - 16 > -ceil(C) from C = 17 on. */
    cr_assert_eq(locdet_threshold_adaptive_gaussian_fixed(kernels(), &s, &d, 3, 16, false),
                 LOCDET_OK);
    cr_assert_eq(dst[0], 0);
    cr_assert_eq(locdet_threshold_adaptive_gaussian_fixed(kernels(), &s, &d, 3, 17, false),
                 LOCDET_OK);
    cr_assert_eq(dst[0], 255);
}

Test(adaptive, bad_arguments_are_refused)
{
    uint8_t src[16] = {0}, dst[16];
    locdet_image s = {src, 4, 4, 4}, d = {dst, 4, 4, 4}, small = {dst, 2, 2, 2};
    locdet_image null_data = {NULL, 4, 4, 4}, zero_w = {src, 0, 4, 4}, zero_h = {src, 4, 0, 4};
    locdet_image shifted = {src + 1, 4, 3, 4}, s3 = {src, 4, 3, 4};
    for (int m = 0; m < 3; m++) {
        cr_assert_eq(adaptive[m](NULL, &s, &d, 3, 0, false), LOCDET_ERR_INVALID);
        cr_assert_eq(adaptive[m](kernels(), NULL, &d, 3, 0, false), LOCDET_ERR_INVALID);
        cr_assert_eq(adaptive[m](kernels(), &s, NULL, 3, 0, false), LOCDET_ERR_INVALID);
        cr_assert_eq(adaptive[m](kernels(), &null_data, &d, 3, 0, false), LOCDET_ERR_INVALID);
        cr_assert_eq(adaptive[m](kernels(), &zero_w, &zero_w, 3, 0, false), LOCDET_ERR_INVALID);
        cr_assert_eq(adaptive[m](kernels(), &zero_h, &zero_h, 3, 0, false), LOCDET_ERR_INVALID);
        cr_assert_eq(adaptive[m](kernels(), &s, &small, 3, 0, false), LOCDET_ERR_INVALID);
        cr_assert_eq(adaptive[m](kernels(), &s3, &shifted, 3, 0, false), LOCDET_ERR_INVALID);
        const int bad_blocks[] = {-3, 0, 1, 2, 4, 10, LOCDET_ADAPTIVE_MAX_BLOCK + 2};
        for (size_t i = 0; i < sizeof bad_blocks / sizeof bad_blocks[0]; i++)
            cr_assert_eq(adaptive[m](kernels(), &s, &d, bad_blocks[i], 0, false),
                         LOCDET_ERR_INVALID, "block %d", bad_blocks[i]);
        cr_assert_eq(adaptive[m](kernels(), &s, &d, 3, NAN, false), LOCDET_ERR_INVALID);
        cr_assert_eq(adaptive[m](kernels(), &s, &d, LOCDET_ADAPTIVE_MAX_BLOCK, 1e300, true),
                     LOCDET_OK);
    }
}
