/* Threshold equality with OpenCV, on every level this machine runs. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "locdet/kernels.h"
#include "opencv_peer.h"

Test(opencv, threshold_binary_equals_cv_threshold)
{
    enum { W = 1023, H = 517 };
    uint8_t *src = malloc(W * H), *ours = malloc(W * H), *theirs = malloc(W * H);
    cr_assert(src && ours && theirs);
    uint32_t state = 12345;
    for (int i = 0; i < W * H; i++) {
        state = state * 1664525u + 1013904223u;
        src[i] = (uint8_t)(state >> 24);
    }
    locdet_image s = {src, W, H, W}, d = {ours, W, H, W};
    for (int isa = 0; isa < LOCDET_ISA_COUNT; isa++) {
        const locdet_kernels *k = locdet_kernels_for_isa((locdet_isa)isa);
        if (!k)
            continue;
        const int thresholds[] = {-5, 0, 1, 100, 127, 128, 200, 254, 255, 256};
        for (size_t t = 0; t < sizeof thresholds / sizeof thresholds[0]; t++) {
            for (int inv = 0; inv < 2; inv++) {
                cr_assert_eq(locdet_threshold_binary(k, &s, &d, thresholds[t], inv), LOCDET_OK);
                peer_threshold_binary(src, W, theirs, W, W, H, thresholds[t], inv);
                for (int i = 0; i < W * H; i++)
                    cr_assert_eq(ours[i], theirs[i], "%s t=%d inv=%d pixel %d: ours %u, opencv %u",
                                 locdet_isa_name((locdet_isa)isa), thresholds[t], inv, i, ours[i],
                                 theirs[i]);
            }
        }
    }
    free(src), free(ours), free(theirs);
}
