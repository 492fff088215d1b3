/* Blur family: known answers and argument errors. */
#include <criterion/criterion.h>
#include <string.h>

#include "locdet/kernels.h"

static const locdet_kernels *kernels(void)
{
    const locdet_kernels *k = locdet_kernels_default();
    cr_assert_not_null(k);
    return k;
}

Test(blur_gaussian5, constant_image_is_unchanged)
{
    enum { W = 33, H = 17 };
    uint8_t src[W * H], dst[W * H];
    for (int v = 0; v < 256; v += 51) {
        memset(src, v, sizeof src);
        locdet_image s = {src, W, H, W}, d = {dst, W, H, W};
        cr_assert_eq(locdet_blur_gaussian5(kernels(), &s, &d), LOCDET_OK);
        for (int i = 0; i < W * H; i++)
            cr_assert_eq(dst[i], v);
    }
}

Test(blur_gaussian5, step_edge)
{
    /* One row: the column pass multiplies by 16, so out = (sum w * v + 8) >> 4
     * with w = 1 4 6 4 1: 255 -> 16, 1275 -> 80, 2805 -> 175, 3825 -> 239. */
    enum { W = 24 };
    uint8_t src[W], dst[W];
    for (int x = 0; x < W; x++)
        src[x] = x < 12 ? 0 : 255;
    locdet_image s = {src, W, 1, W}, d = {dst, W, 1, W};
    cr_assert_eq(locdet_blur_gaussian5(kernels(), &s, &d), LOCDET_OK);
    uint8_t want[W] = {0};
    want[10] = 16, want[11] = 80, want[12] = 175, want[13] = 239;
    for (int x = 14; x < W; x++)
        want[x] = 255;
    cr_assert_arr_eq(dst, want, W);
}

Test(blur_gaussian5, reflect_101_border_and_in_place)
{
    /* 2x1: reflect-101 gives the row a b a b a for each pixel's window,
     * weights (1+6+1) on itself and (4+4) on the other. */
    uint8_t src[2] = {0, 128}, dst[2];
    locdet_image s = {src, 2, 1, 2}, d = {dst, 2, 1, 2};
    cr_assert_eq(locdet_blur_gaussian5(kernels(), &s, &d), LOCDET_OK);
    cr_assert_eq(dst[0], (8 * 128 * 16 + 128) >> 8);
    cr_assert_eq(dst[1], (8 * 128 * 16 + 128) >> 8);
    uint8_t buf[64], ref[64];
    for (int i = 0; i < 64; i++)
        buf[i] = (uint8_t)(i * i * 7);
    locdet_image b = {buf, 8, 8, 8}, r = {ref, 8, 8, 8};
    cr_assert_eq(locdet_blur_gaussian5(kernels(), &b, &r), LOCDET_OK);
    cr_assert_eq(locdet_blur_gaussian5(kernels(), &b, &b), LOCDET_OK);
    cr_assert_arr_eq(buf, ref, 64);
}

Test(blur_gaussian5, bad_arguments_are_refused)
{
    uint8_t src[16] = {0}, dst[16];
    locdet_image s = {src, 4, 4, 4}, d = {dst, 4, 4, 4}, small = {dst, 2, 2, 2};
    locdet_image null_data = {NULL, 4, 4, 4}, zero = {src, 4, 0, 4};
    locdet_image shifted = {src + 1, 4, 3, 4}, s3 = {src, 4, 3, 4};
    cr_assert_eq(locdet_blur_gaussian5(NULL, &s, &d), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_blur_gaussian5(kernels(), NULL, &d), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_blur_gaussian5(kernels(), &s, NULL), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_blur_gaussian5(kernels(), &null_data, &d), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_blur_gaussian5(kernels(), &zero, &zero), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_blur_gaussian5(kernels(), &s, &small), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_blur_gaussian5(kernels(), &s3, &shifted), LOCDET_ERR_INVALID);
}
