/* checkasm: morph family. The rect slot of every level against the scalar
 * reference: awkward sizes, reaches from 0 to past the image, binary and
 * grayscale content, whole images and strips, misaligned scratch. */
#include <stdio.h>
#include <stdlib.h>

#include "checkasm.h"

/* Mostly short reaches (the direct paths), often long ones (van Herk), and
 * the largest the slot takes (size - 1, i.e. an element past the image). */
static int random_reach(int size)
{
    int r;
    switch (checkasm_rand_range(0, 3)) {
    case 0: r = checkasm_rand_range(0, 2); break;
    case 1: r = checkasm_rand_range(0, 8); break;
    case 2: r = checkasm_rand_range(0, 40); break;
    default: r = size - 1; break;
    }
    return r < size - 1 ? r : size - 1;
}

static void check_rect(void)
{
    const locdet_kernels *ref = checkasm_reference();
    locdet_isa isas[LOCDET_ISA_COUNT];
    int n = checkasm_isas(isas);
    for (int i = 0; i < n; i++) {
        const locdet_kernels *k = locdet_kernels_for_isa(isas[i]);
        if (k->morph.rect == ref->morph.rect)
            continue;
        /* A few images past 2 MB too, where the direct path streams its
         * stores (some rows then start aligned, some not). */
        int large = checkasm_iterations() / 50 + 1;
        for (int it = 0; it < checkasm_iterations() + large; it++) {
            bool big = it >= checkasm_iterations();
            int w = big ? checkasm_rand_range(2000, 2100) : checkasm_rand_range(1, 131);
            int h = big ? 1100 : checkasm_rand_range(1, 67);
            int left = big ? checkasm_rand_range(0, 4) : random_reach(w);
            int right = big ? checkasm_rand_range(0, 4) : random_reach(w);
            int up = big ? checkasm_rand_range(0, 2) : random_reach(h);
            int down = big ? checkasm_rand_range(0, 2) : random_reach(h);
            bool max = checkasm_rand() & 1;
            /* A strip [y0, y1) as a thread gets, or the whole image. */
            int y0 = 0, y1 = h;
            if (!big && (checkasm_rand() & 1)) {
                y0 = checkasm_rand_range(0, h - 1);
                y1 = checkasm_rand_range(y0 + 1, h);
            }
            checkasm_image src, want, got;
            checkasm_image_alloc(&src, w, h);
            if (checkasm_rand() & 1)
                checkasm_fill_binary(&src.img, checkasm_rand_range(0, 100));
            else
                checkasm_fill_random(&src.img);
            checkasm_image_alloc(&want, w, h);
            checkasm_image_alloc_like(&got, &want);
            size_t bytes = locdet_morph_scratch_size(w, left, right, up, down);
            int misalign = checkasm_rand_range(0, 63);
            uint8_t *scratch = malloc(bytes + 64);
            if (!scratch) {
                fprintf(stderr, "checkasm: out of memory\n");
                exit(1);
            }
            ref->morph.rect(want.img.data + y0 * want.img.stride, want.img.stride, src.img.data, src.img.stride, w, h, y0,
                            y1, left, right, up, down, max, scratch + misalign);
            /* The kernel gets scratch as it comes from malloc: nothing in it
             * may be read before it is written. */
            for (size_t b = 0; b < bytes + 64; b++)
                scratch[b] = (uint8_t)checkasm_rand();
            k->morph.rect(got.img.data + y0 * got.img.stride, got.img.stride, src.img.data, src.img.stride, w, h, y0, y1,
                          left, right, up, down, max, scratch + misalign);
            char what[96];
            snprintf(what, sizeof what, "morph.rect %s l=%d r=%d u=%d d=%d rows %d..%d",
                     max ? "max" : "min", left, right, up, down, y0, y1);
            /* Rows outside [y0, y1) hold guard bytes in both: a write there differs. */
            bool ok = checkasm_compare(what, isas[i], &want.img, &got.img);
            if (!checkasm_guards_intact(&got)) {
                checkasm_fail(what, isas[i], w, h, "wrote outside the image");
                ok = false;
            }
            if (ok)
                checkasm_pass();
            free(scratch);
            checkasm_image_free(&src), checkasm_image_free(&want), checkasm_image_free(&got);
        }
    }
    if (checkasm_bench_enabled()) {
        static const int sizes[][2] = {{3, 3}, {5, 5}, {31, 31}, {71, 71}, {201, 201}};
        enum { W = 1024, H = 1024 };
        checkasm_image src, dst;
        checkasm_image_alloc(&src, W, H);
        checkasm_fill_binary(&src.img, 10);
        checkasm_image_alloc(&dst, W, H);
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            int l = sizes[s][0] / 2, r = sizes[s][0] - 1 - l, u = sizes[s][1] / 2,
                d = sizes[s][1] - 1 - u;
            uint8_t *scratch = malloc(locdet_morph_scratch_size(W, l, r, u, d));
            char label[64];
            snprintf(label, sizeof label, "morph.rect max %dx%d %dx%d", sizes[s][0], sizes[s][1],
                     W, H);
            CHECKASM_BENCH(label, LOCDET_ISA_SCALAR,
                           ref->morph.rect(dst.img.data, dst.img.stride, src.img.data,
                                           src.img.stride, W, H, 0, H, l, r, u, d, true, scratch));
            for (int i = 0; i < n; i++) {
                const locdet_kernels *k = locdet_kernels_for_isa(isas[i]);
                CHECKASM_BENCH(label, isas[i],
                               k->morph.rect(dst.img.data, dst.img.stride, src.img.data,
                                             src.img.stride, W, H, 0, H, l, r, u, d, true,
                                             scratch));
            }
            free(scratch);
        }
        checkasm_image_free(&src), checkasm_image_free(&dst);
    }
}

void checkasm_check_morph(void)
{
    check_rect();
}
