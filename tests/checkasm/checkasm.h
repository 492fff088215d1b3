/* checkasm-style kernel harness (after dav1d's tests/checkasm): every SIMD
 * slot is compared byte for byte with the scalar reference on random inputs
 * of awkward sizes, odd strides and unaligned rows, with guard bytes around
 * every output. A plain executable with no fork, so it runs under qemu. */
#ifndef LOCDET_CHECKASM_H
#define LOCDET_CHECKASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* Deterministic PRNG seeded from --seed (printed at start and on failure). */
uint32_t checkasm_rand(void);
/* Uniform in [lo, hi]. */
int checkasm_rand_range(int lo, int hi);

/* An image inside a larger allocation: the row start is misaligned by
 * 0..31 bytes, the stride exceeds the width by 0..37 bytes (often odd), and
 * every byte outside the image is a guard byte checked after each call. */
typedef struct checkasm_image {
    locdet_image img;
    uint8_t *alloc;
    size_t alloc_size;
} checkasm_image;

/* Allocate width x height with a random stride and misalignment. */
void checkasm_image_alloc(checkasm_image *ci, int width, int height);
/* Same geometry as `like` (stride, misalignment): to compare two outputs. */
void checkasm_image_alloc_like(checkasm_image *ci, const checkasm_image *like);
void checkasm_image_free(checkasm_image *ci);
/* Random content: a mix of uniform bytes, runs, and near-threshold values. */
void checkasm_fill_random(locdet_image *img);
/* Random 0/255 content with the given percentage of 255. */
void checkasm_fill_binary(locdet_image *img, int percent_ink);
/* True if no guard byte changed. */
bool checkasm_guards_intact(const checkasm_image *ci);

/* The ISA levels under test (not scalar), honouring LOCDET_ISA as a cap. */
int checkasm_isas(locdet_isa out[LOCDET_ISA_COUNT]);
const locdet_kernels *checkasm_reference(void);

/* Compare two images' pixels; on the first difference report and return
 * false. `what` names the kernel and its parameters. */
bool checkasm_compare(const char *what, locdet_isa isa, const locdet_image *ref,
                      const locdet_image *got);
/* Report a failure (counted; printed with the seed). */
void checkasm_fail(const char *what, locdet_isa isa, int width, int height,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Count one passed comparison. */
void checkasm_pass(void);

/* --bench: time `call` (best of several runs) and print it with its speedup
 * over the scalar timing of the same label, which must be reported first. */
bool checkasm_bench_enabled(void);
uint64_t checkasm_now_ns(void);
void checkasm_bench_report(const char *label, locdet_isa isa, double ns);
#define CHECKASM_BENCH(label, isa, call)                                       \
    do {                                                                       \
        if (checkasm_bench_enabled()) {                                        \
            double best_ = 1e300;                                              \
            for (int r_ = 0; r_ < 11; r_++) {                                  \
                uint64_t t0_ = checkasm_now_ns();                              \
                call;                                                          \
                double dt_ = (double)(checkasm_now_ns() - t0_);                \
                if (dt_ < best_)                                               \
                    best_ = dt_;                                               \
            }                                                                  \
            checkasm_bench_report((label), (isa), best_);                      \
        }                                                                      \
    } while (0)

/* Number of random cases per slot and ISA (--iterations, default 200). */
int checkasm_iterations(void);

/* One check function per kernel family. */
void checkasm_check_threshold(void);
void checkasm_check_blur(void);
void checkasm_check_morph(void);
void checkasm_check_label(void);

#endif
