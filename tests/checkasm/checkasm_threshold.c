/* checkasm: threshold family. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void check_histogram(void)
{
    const locdet_kernels *ref = checkasm_reference();
    locdet_isa isas[LOCDET_ISA_COUNT];
    int n = checkasm_isas(isas);
    for (int i = 0; i < n; i++) {
        const locdet_kernels *k = locdet_kernels_for_isa(isas[i]);
        if (k->threshold.histogram == ref->threshold.histogram)
            continue;
        for (int it = 0; it < checkasm_iterations(); it++) {
            int w = checkasm_rand_range(1, 131), h = checkasm_rand_range(1, 67);
            checkasm_image src;
            checkasm_image_alloc(&src, w, h);
            checkasm_fill_random(&src.img);
            if (it % 3 == 0) /* long runs of one value with a few others: the run path */
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        src.img.data[y * src.img.stride + x] = checkasm_rand_range(0, 40) ? 255 : 0;
            uint32_t want[256] = {0}, got[256] = {0};
            ref->threshold.histogram(want, src.img.data, src.img.stride, w, h);
            k->threshold.histogram(got, src.img.data, src.img.stride, w, h);
            if (memcmp(want, got, sizeof want) != 0) {
                int b = 0;
                while (want[b] == got[b])
                    b++;
                checkasm_fail("threshold.histogram", isas[i], w, h,
                              "bin %d: reference %u, got %u", b, want[b], got[b]);
            } else {
                checkasm_pass();
            }
            checkasm_image_free(&src);
        }
    }
}

/* A block size for an image: small ones often (the 16-bit path and the
 * special 3/5/7/9-tap Gaussians), sometimes larger than the image. */
static int random_block(int w, int h, int max)
{
    int big = (w > h ? w : h) * 2 + 3;
    int b = checkasm_rand_range(0, 2) ? checkasm_rand_range(3, 21) : checkasm_rand_range(3, big);
    b = b > max ? max : b;
    return b | 1;
}

static void check_adaptive(bool gaussian)
{
    const char *name = gaussian ? "threshold.adaptive_gaussian" : "threshold.adaptive_mean";
    const locdet_kernels *ref = checkasm_reference();
    locdet_isa isas[LOCDET_ISA_COUNT];
    int n = checkasm_isas(isas);
    for (int i = 0; i < n; i++) {
        const locdet_kernels *k = locdet_kernels_for_isa(isas[i]);
        if (gaussian ? k->threshold.adaptive_gaussian == ref->threshold.adaptive_gaussian
                     : k->threshold.adaptive_mean == ref->threshold.adaptive_mean)
            continue;
        for (int it = 0; it < checkasm_iterations(); it++) {
            int w = checkasm_rand_range(1, 131), h = checkasm_rand_range(1, 67);
            if (it % 8 == 7) /* wide rows: several of the Gaussian's 512-pixel strips */
                w = checkasm_rand_range(500, 1300), h = checkasm_rand_range(1, 9);
            int block = random_block(w, h, gaussian ? 61 : LOCDET_ADAPTIVE_MAX_BLOCK);
            int idelta = checkasm_rand_range(0, 9) ? checkasm_rand_range(-20, 20)
                                                   : (checkasm_rand() & 1 ? 512 : -512);
            bool invert = checkasm_rand() & 1;
            checkasm_image src, want, got;
            checkasm_image_alloc(&src, w, h);
            checkasm_fill_random(&src.img);
            checkasm_image_alloc(&want, w, h);
            checkasm_image_alloc_like(&got, &want);
            int nx = w == 1 ? 1 : block, ny = h == 1 ? 1 : block;
            size_t bytes = gaussian ? locdet_adaptive_gaussian_scratch_bytes(w, h, nx, ny)
                                    : locdet_adaptive_mean_scratch_bytes(w, block);
            void *scratch = aligned_alloc(64, bytes);
            float *kx = malloc(sizeof(float) * (size_t)(nx + ny)), *ky = kx + nx;
            if (!scratch || !kx) {
                fprintf(stderr, "checkasm: out of memory\n");
                exit(1);
            }
            locdet_gaussian_kernel_f32(nx, kx);
            locdet_gaussian_kernel_f32(ny, ky);
            /* Garbage in the scratch must not matter. */
            memset(scratch, 0x5a, bytes);
            if (gaussian)
                ref->threshold.adaptive_gaussian(want.img.data, want.img.stride, src.img.data,
                                                 src.img.stride, w, h, kx, nx, ky, ny, idelta,
                                                 invert, scratch);
            else
                ref->threshold.adaptive_mean(want.img.data, want.img.stride, src.img.data,
                                             src.img.stride, w, h, block, idelta, invert, scratch);
            memset(scratch, 0xa5, bytes);
            if (gaussian)
                k->threshold.adaptive_gaussian(got.img.data, got.img.stride, src.img.data,
                                               src.img.stride, w, h, kx, nx, ky, ny, idelta,
                                               invert, scratch);
            else
                k->threshold.adaptive_mean(got.img.data, got.img.stride, src.img.data,
                                           src.img.stride, w, h, block, idelta, invert, scratch);
            char what[96];
            snprintf(what, sizeof what, "%s block=%d idelta=%d inv=%d", name, block, idelta, invert);
            bool ok = checkasm_compare(what, isas[i], &want.img, &got.img);
            if (!checkasm_guards_intact(&got)) {
                checkasm_fail(what, isas[i], w, h, "wrote outside the image");
                ok = false;
            }
            if (ok)
                checkasm_pass();
            free(scratch), free(kx);
            checkasm_image_free(&src), checkasm_image_free(&want), checkasm_image_free(&got);
        }
    }
    if (checkasm_bench_enabled()) {
        enum { W = 1024, H = 1024, B = 11 };
        checkasm_image src, dst;
        checkasm_image_alloc(&src, W, H);
        checkasm_fill_random(&src.img);
        checkasm_image_alloc(&dst, W, H);
        size_t bytes = gaussian ? locdet_adaptive_gaussian_scratch_bytes(W, H, B, B)
                                : locdet_adaptive_mean_scratch_bytes(W, B);
        void *scratch = aligned_alloc(64, bytes);
        float kx[B];
        locdet_gaussian_kernel_f32(B, kx);
        char label[64];
        snprintf(label, sizeof label, "%s %dx%d b%d", name, W, H, B);
        for (int i = -1; i < n; i++) {
            const locdet_kernels *k = i < 0 ? ref : locdet_kernels_for_isa(isas[i]);
            locdet_isa isa = i < 0 ? LOCDET_ISA_SCALAR : isas[i];
            if (gaussian)
                CHECKASM_BENCH(label, isa,
                               k->threshold.adaptive_gaussian(dst.img.data, dst.img.stride,
                                                              src.img.data, src.img.stride, W, H,
                                                              kx, B, kx, B, 2, true, scratch));
            else
                CHECKASM_BENCH(label, isa,
                               k->threshold.adaptive_mean(dst.img.data, dst.img.stride,
                                                          src.img.data, src.img.stride, W, H, B,
                                                          2, true, scratch));
        }
        free(scratch);
        checkasm_image_free(&src), checkasm_image_free(&dst);
    }
}

/* The fixed-point Gaussian: every block size from 3 up to twice the image
 * (and sometimes up to LOCDET_ADAPTIVE_MAX_BLOCK on small images, where the
 * sums are largest relative to the image). */
static void check_adaptive_gaussian_fixed(void)
{
    const char *name = "threshold.adaptive_gaussian_fixed";
    const locdet_kernels *ref = checkasm_reference();
    locdet_isa isas[LOCDET_ISA_COUNT];
    int n = checkasm_isas(isas);
    static uint16_t wx[LOCDET_ADAPTIVE_MAX_BLOCK / 2 + 1], wy[LOCDET_ADAPTIVE_MAX_BLOCK / 2 + 1];
    for (int i = 0; i < n; i++) {
        const locdet_kernels *k = locdet_kernels_for_isa(isas[i]);
        if (k->threshold.adaptive_gaussian_fixed == ref->threshold.adaptive_gaussian_fixed)
            continue;
        for (int it = 0; it < checkasm_iterations(); it++) {
            int w = checkasm_rand_range(1, 131), h = checkasm_rand_range(1, 67);
            if (it % 8 == 7) /* wide rows */
                w = checkasm_rand_range(500, 1300), h = checkasm_rand_range(1, 9);
            int block = random_block(w, h, LOCDET_ADAPTIVE_MAX_BLOCK);
            if (it % 16 == 5) /* the largest blocks */
                block = LOCDET_ADAPTIVE_MAX_BLOCK - 2 * checkasm_rand_range(0, 3);
            int idelta = checkasm_rand_range(0, 9) ? checkasm_rand_range(-20, 20)
                                                   : (checkasm_rand() & 1 ? 512 : -512);
            bool invert = checkasm_rand() & 1;
            checkasm_image src, want, got;
            checkasm_image_alloc(&src, w, h);
            checkasm_fill_random(&src.img);
            if (it % 5 == 3) /* saturated 0/255 content: the largest sums */
                checkasm_fill_binary(&src.img, checkasm_rand_range(0, 100));
            checkasm_image_alloc(&want, w, h);
            checkasm_image_alloc_like(&got, &want);
            int nx = w == 1 ? 1 : block, ny = h == 1 ? 1 : block;
            size_t bytes = locdet_adaptive_gaussian_fixed_scratch_bytes(w, h, nx, ny);
            void *scratch = aligned_alloc(64, bytes);
            if (!scratch) {
                fprintf(stderr, "checkasm: out of memory\n");
                exit(1);
            }
            if (nx > 1)
                locdet_gaussian_weights_q16(nx, wx);
            if (ny > 1)
                locdet_gaussian_weights_q16(ny, wy);
            memset(scratch, 0x5a, bytes); /* garbage in the scratch must not matter */
            ref->threshold.adaptive_gaussian_fixed(want.img.data, want.img.stride, src.img.data,
                                                   src.img.stride, w, h, wx, nx, wy, ny, idelta,
                                                   invert, scratch);
            memset(scratch, 0xa5, bytes);
            k->threshold.adaptive_gaussian_fixed(got.img.data, got.img.stride, src.img.data,
                                                 src.img.stride, w, h, wx, nx, wy, ny, idelta,
                                                 invert, scratch);
            char what[96];
            snprintf(what, sizeof what, "%s block=%d idelta=%d inv=%d", name, block, idelta, invert);
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
        enum { W = 1024, H = 1024, B = 11 };
        checkasm_image src, dst;
        checkasm_image_alloc(&src, W, H);
        checkasm_fill_random(&src.img);
        checkasm_image_alloc(&dst, W, H);
        void *scratch = aligned_alloc(64, locdet_adaptive_gaussian_fixed_scratch_bytes(W, H, B, B));
        locdet_gaussian_weights_q16(B, wx);
        char label[64];
        snprintf(label, sizeof label, "%s %dx%d b%d", name, W, H, B);
        for (int i = -1; i < n; i++) {
            const locdet_kernels *k = i < 0 ? ref : locdet_kernels_for_isa(isas[i]);
            CHECKASM_BENCH(label, i < 0 ? LOCDET_ISA_SCALAR : isas[i],
                           k->threshold.adaptive_gaussian_fixed(dst.img.data, dst.img.stride,
                                                                src.img.data, src.img.stride, W,
                                                                H, wx, B, wx, B, 2, true, scratch));
        }
        free(scratch);
        checkasm_image_free(&src), checkasm_image_free(&dst);
    }
}

void checkasm_check_threshold(void)
{
    check_binary();
    check_histogram();
    check_adaptive(false);
    check_adaptive(true);
    check_adaptive_gaussian_fixed();
}
