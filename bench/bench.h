/* locdet-bench: the shared pieces a kernel family's bench file needs.
 * A family adds a NULL-terminated array of bench_case in its own file
 * (bench_<family>.c) and lists it in locdet-bench.c. */
#ifndef LOCDET_BENCH_H
#define LOCDET_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "locdet/kernels.h"

/* Inputs built once per run from tools/plangen at a fixed preset and seed. */
typedef struct bench_inputs {
    locdet_image gray;         /* the plan as rendered: 0 = ink, 255 = paper */
    locdet_image binary;       /* "plan": ink = 255, paper = 0 (threshold of gray) */
    locdet_image inverse;      /* "plan-inverse": free space = 255 */
    locdet_image noise50;      /* "noise50": uniform random 0/255 at 50% */
    const char *preset;
    uint64_t seed;
    double ink_coverage;       /* fraction of 255 in `binary` */
} bench_inputs;

/* Per-row state handed to a case: scratch outputs of the input's size. */
typedef struct bench_env {
    const bench_inputs *in;
    locdet_image out;          /* an output image the size of the inputs */
    locdet_image out2;         /* a second one, for two-step cases */
    void *scratch;             /* case-owned, from setup() */
    int threads;
} bench_env;

typedef struct bench_case {
    const char *name;          /* "threshold.binary" */
    const char *params;        /* "", "3x3", "plan" ... */
    bool has_isa;              /* false for memcpy: its row has "isa": null */
    bool pipeline;             /* a whole strategy through the host: runs at the selected level */
    /* Optional: allocate per-case scratch into env->scratch; 0 on success. */
    int (*setup)(const struct bench_case *c, bench_env *env);
    void (*teardown)(const struct bench_case *c, bench_env *env);
    /* One timed call of locdet on table k; nonzero on error. */
    int (*run)(const struct bench_case *c, const locdet_kernels *k, bench_env *env);
    /* One timed call of the peer (OpenCV); NULL if the peer has no namesake. */
    int (*peer)(const struct bench_case *c, bench_env *env);
    intptr_t arg[4];           /* case parameters (kernel size, input index...) */
} bench_case;

/* Pick an input by name: "plan", "plan-inverse", "noise50", "gray". */
const locdet_image *bench_input(const bench_inputs *in, const char *name);

extern const bench_case bench_cases_memcpy[];
extern const bench_case bench_cases_threshold[];
extern const bench_case bench_cases_morph[];
extern const bench_case bench_cases_contour[];
extern const bench_case bench_cases_label[];
extern const bench_case bench_cases_pipeline[];

#endif
