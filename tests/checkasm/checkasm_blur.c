/* checkasm: blur family. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkasm.h"

static void check_gaussian5(void)
{
    const locdet_kernels *ref = checkasm_reference();
    locdet_isa isas[LOCDET_ISA_COUNT];
    int n = checkasm_isas(isas);
    for (int i = 0; i < n; i++) {
        const locdet_kernels *k = locdet_kernels_for_isa(isas[i]);
        if (k->blur.gaussian5 == ref->blur.gaussian5)
            continue;
        for (int it = 0; it < checkasm_iterations(); it++) {
            int w = checkasm_rand_range(1, 131), h = checkasm_rand_range(1, 67);
            checkasm_image src, want, got;
            checkasm_image_alloc(&src, w, h);
            checkasm_fill_random(&src.img);
            checkasm_image_alloc(&want, w, h);
            checkasm_image_alloc_like(&got, &want);
            size_t bytes = locdet_blur_gaussian5_scratch_bytes(w);
            void *scratch = aligned_alloc(64, bytes);
            if (!scratch) {
                fprintf(stderr, "checkasm: out of memory\n");
                exit(1);
            }
            memset(scratch, 0x5a, bytes);
            ref->blur.gaussian5(want.img.data, want.img.stride, src.img.data, src.img.stride, w, h,
                                scratch);
            memset(scratch, 0xa5, bytes);
            k->blur.gaussian5(got.img.data, got.img.stride, src.img.data, src.img.stride, w, h,
                              scratch);
            bool ok = checkasm_compare("blur.gaussian5", isas[i], &want.img, &got.img);
            if (!checkasm_guards_intact(&got)) {
                checkasm_fail("blur.gaussian5", isas[i], w, h, "wrote outside the image");
                ok = false;
            }
            if (ok)
                checkasm_pass();
            free(scratch);
            checkasm_image_free(&src), checkasm_image_free(&want), checkasm_image_free(&got);
        }
    }
    if (checkasm_bench_enabled()) {
        enum { W = 1024, H = 1024 };
        checkasm_image src, dst;
        checkasm_image_alloc(&src, W, H);
        checkasm_fill_random(&src.img);
        checkasm_image_alloc(&dst, W, H);
        void *scratch = aligned_alloc(64, locdet_blur_gaussian5_scratch_bytes(W));
        for (int i = -1; i < n; i++) {
            const locdet_kernels *k = i < 0 ? ref : locdet_kernels_for_isa(isas[i]);
            CHECKASM_BENCH("blur.gaussian5 1024x1024", i < 0 ? LOCDET_ISA_SCALAR : isas[i],
                           k->blur.gaussian5(dst.img.data, dst.img.stride, src.img.data,
                                             src.img.stride, W, H, scratch));
        }
        free(scratch);
        checkasm_image_free(&src), checkasm_image_free(&dst);
    }
}

void checkasm_check_blur(void)
{
    check_gaussian5();
}
