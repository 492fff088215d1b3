/* Morph equality with OpenCV (erode, dilate, morphologyEx open/close with
 * MORPH_RECT), on every level this machine runs, many sizes incl. even ones. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "locdet/kernels.h"
#include "opencv_peer.h"

static void compare(int w, int h, int stride, bool binary)
{
    static const int sizes[][2] = {{1, 1}, {2, 2}, {3, 3}, {4, 4},   {5, 5},    {1, 7},
                                   {7, 1}, {2, 9}, {6, 3}, {8, 10},  {15, 15},  {16, 17},
                                   {31, 30}, {33, 2}, {71, 71}, {100, 1}, {1, 100}, {201, 201},
                                   {1000, 3}, {3, 1000}, {2000, 2000}};
    uint8_t *src = malloc((size_t)stride * h), *ours = malloc((size_t)stride * h),
            *theirs = malloc((size_t)stride * h);
    cr_assert(src && ours && theirs);
    uint32_t state = 12345u + (uint32_t)w;
    for (int i = 0; i < stride * h; i++) {
        state = state * 1664525u + 1013904223u;
        src[i] = binary ? ((state >> 24) < 40 ? 255 : 0) : (uint8_t)(state >> 24);
    }
    locdet_image s = {src, w, h, stride}, d = {ours, w, h, stride};
    for (int isa = 0; isa < LOCDET_ISA_COUNT; isa++) {
        const locdet_kernels *k = locdet_kernels_for_isa((locdet_isa)isa);
        if (!k)
            continue;
        for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
            int kw = sizes[z][0], kh = sizes[z][1];
            for (int op = 0; op < 4; op++) {
                cr_assert_eq(locdet_morph(k, (locdet_morph_op)op, &s, &d, kw, kh, 2), LOCDET_OK);
                peer_morph(op, src, stride, theirs, stride, w, h, kw, kh);
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        cr_assert_eq(ours[y * stride + x], theirs[y * stride + x],
                                     "%s %dx%d %s op %d %dx%d at (%d,%d): ours %u, opencv %u",
                                     locdet_isa_name((locdet_isa)isa), w, h,
                                     binary ? "binary" : "gray", op, kw, kh, x, y,
                                     ours[y * stride + x], theirs[y * stride + x]);
            }
        }
    }
    free(src), free(ours), free(theirs);
}

Test(opencv, morph_binary_equals_cv_morphology) { compare(1023, 517, 1029, true); }
Test(opencv, morph_gray_equals_cv_morphology) { compare(641, 203, 641, false); }
Test(opencv, morph_small_images_equal_cv_morphology)
{
    compare(37, 29, 41, true);
    compare(5, 3, 5, false);
    compare(1, 40, 1, false);
    compare(40, 1, 40, true);
}
