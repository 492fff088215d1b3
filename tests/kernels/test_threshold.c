/* Threshold family semantics: known answers, argument errors, every level. */
#include <criterion/criterion.h>
#include <string.h>

#include "locdet/kernels.h"

static const locdet_kernels *kernels(void)
{
    const locdet_kernels *k = locdet_kernels_default();
    cr_assert_not_null(k);
    return k;
}

Test(threshold_binary, known_answer)
{
    uint8_t src[] = {0, 99, 100, 101, 254, 255, 7, 200};
    uint8_t dst[8];
    locdet_image s = {src, 8, 1, 8}, d = {dst, 8, 1, 8};
    cr_assert_eq(locdet_threshold_binary(kernels(), &s, &d, 100, false), LOCDET_OK);
    uint8_t want[] = {0, 0, 0, 255, 255, 255, 0, 255};
    cr_assert_arr_eq(dst, want, 8);
    cr_assert_eq(locdet_threshold_binary(kernels(), &s, &d, 100, true), LOCDET_OK);
    uint8_t want_inv[] = {255, 255, 255, 0, 0, 0, 255, 0};
    cr_assert_arr_eq(dst, want_inv, 8);
}

Test(threshold_binary, wide_rows_with_padding_untouched)
{
    /* 70 wide: the SIMD body, the 16-step and the scalar tail all run. */
    enum { W = 70, H = 3, STRIDE = 75 };
    uint8_t src[STRIDE * H], dst[STRIDE * H];
    for (int i = 0; i < STRIDE * H; i++)
        src[i] = (uint8_t)(i * 37);
    memset(dst, 0x11, sizeof dst);
    locdet_image s = {src, W, H, STRIDE}, d = {dst, W, H, STRIDE};
    cr_assert_eq(locdet_threshold_binary(kernels(), &s, &d, 127, false), LOCDET_OK);
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < STRIDE; x++) {
            uint8_t got = dst[y * STRIDE + x];
            if (x < W)
                cr_assert_eq(got, src[y * STRIDE + x] > 127 ? 255 : 0, "at (%d,%d)", x, y);
            else
                cr_assert_eq(got, 0x11, "padding at (%d,%d) was written", x, y);
        }
    }
}

Test(threshold_binary, in_place)
{
    uint8_t buf[] = {10, 200, 128, 129, 0, 255, 128, 127, 1, 2, 3, 250, 251, 252, 253, 254, 9, 250};
    locdet_image img = {buf, 18, 1, 18};
    cr_assert_eq(locdet_threshold_binary(kernels(), &img, &img, 128, false), LOCDET_OK);
    uint8_t want[] = {0, 255, 0, 255, 0, 255, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 0, 255};
    cr_assert_arr_eq(buf, want, 18);
}

Test(threshold_binary, out_of_range_thresholds_match_opencv)
{
    uint8_t src[] = {0, 128, 255}, dst[3];
    locdet_image s = {src, 3, 1, 3}, d = {dst, 3, 1, 3};
    cr_assert_eq(locdet_threshold_binary(kernels(), &s, &d, -1, false), LOCDET_OK);
    cr_assert(dst[0] == 255 && dst[1] == 255 && dst[2] == 255);
    cr_assert_eq(locdet_threshold_binary(kernels(), &s, &d, 255, false), LOCDET_OK);
    cr_assert(dst[0] == 0 && dst[1] == 0 && dst[2] == 0);
    cr_assert_eq(locdet_threshold_binary(kernels(), &s, &d, 300, true), LOCDET_OK);
    cr_assert(dst[0] == 255 && dst[1] == 255 && dst[2] == 255);
}

Test(threshold_binary, bad_arguments_are_refused)
{
    uint8_t src[16] = {0}, dst[16] = {0};
    const locdet_kernels *k = kernels();
    locdet_image s = {src, 4, 4, 4}, d = {dst, 4, 4, 4};
    cr_assert_eq(locdet_threshold_binary(NULL, &s, &d, 1, false), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_threshold_binary(k, NULL, &d, 1, false), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_threshold_binary(k, &s, NULL, 1, false), LOCDET_ERR_INVALID);
    locdet_image null_data = {NULL, 4, 4, 4};
    cr_assert_eq(locdet_threshold_binary(k, &null_data, &d, 1, false), LOCDET_ERR_INVALID);
    locdet_image zero_w = {src, 0, 4, 4}, zero_h = {src, 4, 0, 4};
    cr_assert_eq(locdet_threshold_binary(k, &zero_w, &zero_w, 1, false), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_threshold_binary(k, &zero_h, &zero_h, 1, false), LOCDET_ERR_INVALID);
    locdet_image bad_stride = {src, 4, 4, 3};
    cr_assert_eq(locdet_threshold_binary(k, &bad_stride, &d, 1, false), LOCDET_ERR_INVALID);
    locdet_image negative = {src, -4, 4, 4};
    cr_assert_eq(locdet_threshold_binary(k, &negative, &d, 1, false), LOCDET_ERR_INVALID);
    locdet_image other_size = {dst, 2, 2, 2};
    cr_assert_eq(locdet_threshold_binary(k, &s, &other_size, 1, false), LOCDET_ERR_INVALID);
    locdet_image shifted = {src + 1, 4, 3, 4};
    locdet_image s3 = {src, 4, 3, 4};
    cr_assert_eq(locdet_threshold_binary(k, &s3, &shifted, 1, false), LOCDET_ERR_INVALID,
                 "partly overlapping src and dst must be refused");
}

Test(kernels, isa_names_round_trip)
{
    for (int i = 0; i < LOCDET_ISA_COUNT; i++)
        cr_assert_eq(locdet_isa_from_name(locdet_isa_name((locdet_isa)i)), i);
    cr_assert_eq(locdet_isa_from_name("sse9"), -1);
    cr_assert(locdet_isa_available(LOCDET_ISA_SCALAR));
    cr_assert_null(locdet_kernels_for_isa(LOCDET_ISA_COUNT));
}

static void count_slot(void *ctx, const char *slot, const char *variant)
{
    (void)slot;
    cr_assert_not_null(variant);
    (*(int *)ctx)++;
}

Test(kernels, every_slot_has_a_variant)
{
    int seen = 0;
    int n = locdet_kernels_describe(kernels(), count_slot, &seen);
    cr_assert_gt(n, 0);
    cr_assert_eq(seen, n);
}
