/* checkasm: label family (the per-row run extraction slot). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkasm.h"

#define OUT_GUARD 16
#define OUT_CANARY 0x5a5a5a5a

/* Rows that stress the run boundaries: random at a density, long runs,
 * alternating pixels (the most runs a row can hold), runs touching the ends
 * and any nonzero value as foreground. */
static void fill_row_case(locdet_image *img, int mode)
{
    int density = checkasm_rand_range(0, 100);
    for (int y = 0; y < img->height; y++) {
        uint8_t *row = img->data + y * img->stride;
        int on = checkasm_rand() & 1, left = 0;
        for (int x = 0; x < img->width; x++) {
            switch (mode) {
            case 0: row[x] = (int)(checkasm_rand() % 100) < density ? (uint8_t)(1 + checkasm_rand() % 255) : 0; break;
            case 1: /* runs of random length */
                if (left-- <= 0)
                    on ^= 1, left = checkasm_rand_range(0, 80);
                row[x] = on ? 255 : 0;
                break;
            case 2: row[x] = (x + y) & 1 ? 1 : 0; break;
            default: row[x] = (x == 0 || x == img->width - 1 || checkasm_rand() % 7 == 0) ? 128 : 0; break;
            }
        }
    }
}

static void check_runs(void)
{
    const locdet_kernels *ref = checkasm_reference();
    locdet_isa isas[LOCDET_ISA_COUNT];
    int n = checkasm_isas(isas);
    for (int i = 0; i < n; i++) {
        const locdet_kernels *k = locdet_kernels_for_isa(isas[i]);
        if (k->label.runs == ref->label.runs)
            continue; /* slot not raised at this level */
        for (int it = 0; it < checkasm_iterations(); it++) {
            int w = checkasm_rand_range(1, 131), h = checkasm_rand_range(1, 8);
            if (it % 10 == 0)
                w = checkasm_rand_range(132, 700); /* several SIMD steps */
            int mode = it % 4;
            checkasm_image src;
            checkasm_image_alloc(&src, w, h);
            fill_row_case(&src.img, mode);
            size_t room = (size_t)w + LOCDET_LABEL_RUNS_PAD;
            int32_t *want = malloc(room * sizeof *want);
            int32_t *got = malloc((room + OUT_GUARD) * sizeof *got);
            if (!want || !got) {
                fprintf(stderr, "checkasm: out of memory\n");
                exit(1);
            }
            char what[64];
            snprintf(what, sizeof what, "label.runs mode=%d", mode);
            bool ok = true;
            for (int y = 0; y < h && ok; y++) {
                const uint8_t *row = src.img.data + y * src.img.stride;
                for (size_t j = 0; j < room + OUT_GUARD; j++)
                    got[j] = OUT_CANARY;
                int rn = ref->label.runs(row, w, want);
                int gn = k->label.runs(row, w, got);
                if (rn != gn) {
                    checkasm_fail(what, isas[i], w, h, "row %d: %d runs, reference %d", y, gn, rn);
                    ok = false;
                    break;
                }
                for (int j = 0; j < 2 * rn; j++) {
                    if (want[j] != got[j]) {
                        checkasm_fail(what, isas[i], w, h, "row %d entry %d: got %d, reference %d",
                                      y, j, got[j], want[j]);
                        ok = false;
                        break;
                    }
                }
                for (size_t j = room; j < room + OUT_GUARD && ok; j++) {
                    if (got[j] != (int32_t)OUT_CANARY) {
                        checkasm_fail(what, isas[i], w, h, "wrote past width + pad");
                        ok = false;
                    }
                }
            }
            if (!checkasm_guards_intact(&src)) {
                checkasm_fail(what, isas[i], w, h, "wrote into the source");
                ok = false;
            }
            if (ok)
                checkasm_pass();
            free(want), free(got);
            checkasm_image_free(&src);
        }
    }
    if (checkasm_bench_enabled()) {
        /* Whole images: sparse like a plan, and 50% noise. */
        const int W = 2048, H = 256;
        int32_t *out = malloc(((size_t)W + LOCDET_LABEL_RUNS_PAD) * sizeof *out);
        for (int m = 0; m < 2; m++) {
            checkasm_image src;
            checkasm_image_alloc(&src, W, H);
            checkasm_fill_binary(&src.img, m ? 50 : 3);
            char label[64];
            snprintf(label, sizeof label, "label.runs %dx%d %s", W, H, m ? "noise50" : "ink3%");
#define ALL_ROWS(kk)                                                           \
    for (int y = 0; y < H; y++)                                                \
        (kk)->label.runs(src.img.data + y * src.img.stride, W, out)
            CHECKASM_BENCH(label, LOCDET_ISA_SCALAR, ALL_ROWS(ref));
            for (int i = 0; i < n; i++) {
                const locdet_kernels *k = locdet_kernels_for_isa(isas[i]);
                CHECKASM_BENCH(label, isas[i], ALL_ROWS(k));
            }
#undef ALL_ROWS
            checkasm_image_free(&src);
        }
        free(out);
    }
}

void checkasm_check_label(void)
{
    check_runs();
}
