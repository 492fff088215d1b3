/* locdet kernels: the public image type, status codes, CPU levels and the
 * kernel table handle. Family APIs live in their own headers, included below.
 *
 * A kernel table (locdet_kernels) holds one function pointer per slot, filled
 * with the scalar reference first and then raised to the best ISA the CPU has
 * (dav1d style). Every public kernel function takes the table to run on, so a
 * test or a benchmark can run any ISA level side by side. */
#ifndef LOCDET_KERNELS_H
#define LOCDET_KERNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One 8-bit single-plane image. `stride` is in bytes and may exceed `width`
 * (it may be odd; rows need no alignment). Binary images hold 0 or 255. */
typedef struct locdet_image {
    uint8_t *data;
    int width;
    int height;
    ptrdiff_t stride;
} locdet_image;

/* Status codes returned by every checked kernel entry point. */
enum locdet_status {
    LOCDET_OK = 0,
    LOCDET_ERR_INVALID = -1,   /* null pointer, zero or negative size, bad stride, bad parameter */
    LOCDET_ERR_NOMEM = -2,     /* allocation failed */
    LOCDET_ERR_OVERFLOW = -3,  /* result does not fit (e.g. too many labels) */
    LOCDET_ERR_CANCELLED = -4, /* a cancellation check asked to stop */
};
const char *locdet_status_string(int status);

/* ISA levels. On x86_64: scalar < avx2. On aarch64: scalar < neon. In the
 * SIMDe test build on x86_64 (meson -Dneon_simde=true) the NEON code is also
 * compiled, and LOCDET_ISA=neon selects it (emulated; never time it). */
typedef enum locdet_isa {
    LOCDET_ISA_SCALAR = 0,
    LOCDET_ISA_AVX2 = 1,
    LOCDET_ISA_NEON = 2,
    LOCDET_ISA_COUNT
} locdet_isa;

enum locdet_cpu_flag {
    LOCDET_CPU_FLAG_AVX2 = 1u << 0,
    LOCDET_CPU_FLAG_NEON = 1u << 1,
};

/* Flags of the ISAs this CPU runs and this build carries (never capped). */
unsigned locdet_cpu_detect(void);
/* Name <-> level. Returns -1 for an unknown name. */
const char *locdet_isa_name(locdet_isa isa);
int locdet_isa_from_name(const char *name);
/* Whether this build carries the ISA and the CPU runs it. */
bool locdet_isa_available(locdet_isa isa);
/* The level chosen for this process: the best available, capped by the
 * environment variable LOCDET_ISA (scalar|avx2|neon). An unknown or
 * unavailable LOCDET_ISA value makes *error point at a message and falls back
 * to the best available level. Evaluated once. */
locdet_isa locdet_isa_selected(const char **error);

typedef struct locdet_kernels locdet_kernels;

/* The table of one ISA level, or NULL if that level is not available.
 * Tables are built once and are immutable; safe to share between threads. */
const locdet_kernels *locdet_kernels_for_isa(locdet_isa isa);
/* The table of locdet_isa_selected(). */
const locdet_kernels *locdet_kernels_default(void);
locdet_isa locdet_kernels_isa(const locdet_kernels *k);

/* Enumerate the slots of a table with the variant each got, e.g.
 * ("threshold.binary", "avx2"). Returns the number of slots. */
typedef void (*locdet_slot_visitor)(void *ctx, const char *slot, const char *variant);
int locdet_kernels_describe(const locdet_kernels *k, locdet_slot_visitor visit, void *ctx);

/* Threads: the default count is LOCDET_THREADS if set (>= 1), else the CPUs
 * this process may run on (sched_getaffinity). */
int locdet_default_threads(void);

#ifdef __cplusplus
}
#endif

#include "locdet/threshold.h"
#include "locdet/blur.h"
#include "locdet/morph.h"
#include "locdet/contour.h"
#include "locdet/label.h"

#endif
