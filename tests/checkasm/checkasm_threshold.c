/* checkasm: threshold family. */
#include <stdio.h>

#include "checkasm.h"

static void check_binary(void)
{
    const locdet_kernels *ref = checkasm_reference();
    locdet_isa isas[LOCDET_ISA_COUNT];
    int n = checkasm_isas(isas);
    for (int i = 0; i < n; i++) {
        const locdet_kernels *k = locdet_kernels_for_isa(isas[i]);
        if (k->threshold.binary == ref->threshold.binary)
            continue; /* slot not raised at this level */
        for (int it = 0; it < checkasm_iterations(); it++) {
            int w = checkasm_rand_range(1, 131), h = checkasm_rand_range(1, 67);
            uint8_t thresh = (uint8_t)checkasm_rand_range(0, 254);
            bool invert = checkasm_rand() & 1;
            checkasm_image src, want, got;
            checkasm_image_alloc(&src, w, h);
            checkasm_fill_random(&src.img);
            checkasm_image_alloc(&want, w, h);
            checkasm_image_alloc_like(&got, &want);
            ref->threshold.binary(want.img.data, want.img.stride, src.img.data, src.img.stride, w, h,
                                  thresh, invert);
            k->threshold.binary(got.img.data, got.img.stride, src.img.data, src.img.stride, w, h,
                                thresh, invert);
            char what[64];
            snprintf(what, sizeof what, "threshold.binary t=%u inv=%d", thresh, invert);
            bool ok = checkasm_compare(what, isas[i], &want.img, &got.img);
            if (!checkasm_guards_intact(&got)) {
                checkasm_fail(what, isas[i], w, h, "wrote outside the image");
                ok = false;
            }
            /* In place must give the same answer. */
            checkasm_image inplace;
            checkasm_image_alloc_like(&inplace, &src);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    inplace.img.data[y * inplace.img.stride + x] = src.img.data[y * src.img.stride + x];
            k->threshold.binary(inplace.img.data, inplace.img.stride, inplace.img.data,
                                inplace.img.stride, w, h, thresh, invert);
            if (ok && !checkasm_compare(what, isas[i], &want.img, &inplace.img))
                ok = false;
            if (ok)
                checkasm_pass();
            checkasm_image_free(&src), checkasm_image_free(&want), checkasm_image_free(&got);
            checkasm_image_free(&inplace);
        }
    }
    if (checkasm_bench_enabled()) {
        checkasm_image src, dst;
        checkasm_image_alloc(&src, 1024, 1024);
        checkasm_fill_random(&src.img);
        checkasm_image_alloc(&dst, 1024, 1024);
        CHECKASM_BENCH("threshold.binary 1024x1024", LOCDET_ISA_SCALAR,
                       ref->threshold.binary(dst.img.data, dst.img.stride, src.img.data,
                                             src.img.stride, 1024, 1024, 128, false));
        for (int i = 0; i < n; i++) {
            const locdet_kernels *k = locdet_kernels_for_isa(isas[i]);
            CHECKASM_BENCH("threshold.binary 1024x1024", isas[i],
                           k->threshold.binary(dst.img.data, dst.img.stride, src.img.data,
                                               src.img.stride, 1024, 1024, 128, false));
        }
        checkasm_image_free(&src), checkasm_image_free(&dst);
    }
}

void checkasm_check_threshold(void)
{
    check_binary();
}
