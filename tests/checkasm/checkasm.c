/* checkasm main: seeds, buffers with guards, comparisons, --bench. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checkasm.h"

#define GUARD_BYTE 0xa5
#define MAX_MISALIGN 31
#define MAX_EXTRA_STRIDE 37

static uint64_t seed;
static uint64_t rng_state;
static int failures, passes, iterations = 200;
static bool bench;
static const char *only_family;
static const char *current_family;

uint32_t checkasm_rand(void)
{
    /* splitmix64: good enough, identical on every platform. */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}

int checkasm_rand_range(int lo, int hi)
{
    return lo + (int)(checkasm_rand() % (uint32_t)(hi - lo + 1));
}

static void image_alloc(checkasm_image *ci, int width, int height, ptrdiff_t stride, int misalign)
{
    size_t bytes = (size_t)misalign + (size_t)stride * (size_t)height + 64;
    ci->alloc = malloc(bytes);
    if (!ci->alloc) {
        fprintf(stderr, "checkasm: out of memory\n");
        exit(1);
    }
    memset(ci->alloc, GUARD_BYTE, bytes);
    ci->alloc_size = bytes;
    ci->img = (locdet_image){ci->alloc + misalign, width, height, stride};
}

void checkasm_image_alloc(checkasm_image *ci, int width, int height)
{
    ptrdiff_t stride = width + checkasm_rand_range(0, MAX_EXTRA_STRIDE);
    image_alloc(ci, width, height, stride, checkasm_rand_range(0, MAX_MISALIGN));
}

void checkasm_image_alloc_like(checkasm_image *ci, const checkasm_image *like)
{
    image_alloc(ci, like->img.width, like->img.height, like->img.stride,
                (int)(like->img.data - like->alloc));
}

void checkasm_image_free(checkasm_image *ci)
{
    free(ci->alloc);
    memset(ci, 0, sizeof *ci);
}

void checkasm_fill_random(locdet_image *img)
{
    int mode = checkasm_rand_range(0, 3);
    uint8_t base = (uint8_t)checkasm_rand();
    for (int y = 0; y < img->height; y++) {
        uint8_t *row = img->data + y * img->stride;
        for (int x = 0; x < img->width; x++) {
            switch (mode) {
            case 0: row[x] = (uint8_t)checkasm_rand(); break;
            case 1: row[x] = (uint8_t)(base + checkasm_rand_range(-2, 2)); break; /* near one value */
            case 2: row[x] = (checkasm_rand() & 1) ? 0 : 255; break;              /* extremes */
            default: row[x] = (x / 7 + y / 5) & 1 ? base : (uint8_t)~base; break;  /* runs */
            }
        }
    }
}

void checkasm_fill_binary(locdet_image *img, int percent_ink)
{
    for (int y = 0; y < img->height; y++) {
        uint8_t *row = img->data + y * img->stride;
        for (int x = 0; x < img->width; x++)
            row[x] = (int)(checkasm_rand() % 100) < percent_ink ? 255 : 0;
    }
}

bool checkasm_guards_intact(const checkasm_image *ci)
{
    const uint8_t *start = ci->img.data;
    for (const uint8_t *p = ci->alloc; p < ci->alloc + ci->alloc_size; p++) {
        ptrdiff_t off = p - start;
        if (off >= 0 && off < ci->img.stride * ci->img.height && off % ci->img.stride < ci->img.width)
            continue;
        if (*p != GUARD_BYTE)
            return false;
    }
    return true;
}

int checkasm_isas(locdet_isa out[LOCDET_ISA_COUNT])
{
    const char *cap = getenv("LOCDET_ISA");
    int capped = cap && *cap ? locdet_isa_from_name(cap) : -1;
    int n = 0;
    for (int i = 1; i < LOCDET_ISA_COUNT; i++) {
        if (!locdet_isa_available((locdet_isa)i))
            continue;
        if (capped >= 0 && i != capped)
            continue;
        out[n++] = (locdet_isa)i;
    }
    return n;
}

const locdet_kernels *checkasm_reference(void)
{
    return locdet_kernels_for_isa(LOCDET_ISA_SCALAR);
}

void checkasm_fail(const char *what, locdet_isa isa, int width, int height, const char *fmt, ...)
{
    failures++;
    if (failures > 20)
        return; /* the count is still reported */
    fprintf(stderr, "FAIL %s [%s] %dx%d seed=%llu: ", what, locdet_isa_name(isa), width, height,
            (unsigned long long)seed);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void checkasm_pass(void)
{
    passes++;
}

bool checkasm_compare(const char *what, locdet_isa isa, const locdet_image *ref, const locdet_image *got)
{
    for (int y = 0; y < ref->height; y++) {
        const uint8_t *r = ref->data + y * ref->stride, *g = got->data + y * got->stride;
        for (int x = 0; x < ref->width; x++) {
            if (r[x] != g[x]) {
                checkasm_fail(what, isa, ref->width, ref->height,
                              "first difference at (%d,%d): reference %u, got %u", x, y, r[x], g[x]);
                return false;
            }
        }
    }
    return true;
}

bool checkasm_bench_enabled(void)
{
    return bench;
}

uint64_t checkasm_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void checkasm_bench_report(const char *label, locdet_isa isa, double ns)
{
    static char last_label[128];
    static double scalar_ns;
    if (isa == LOCDET_ISA_SCALAR) {
        snprintf(last_label, sizeof last_label, "%s", label);
        scalar_ns = ns;
        printf("  %-40s %-7s %10.1f us\n", label, locdet_isa_name(isa), ns / 1e3);
    } else if (strcmp(last_label, label) == 0 && ns > 0) {
        printf("  %-40s %-7s %10.1f us  x%.2f\n", label, locdet_isa_name(isa), ns / 1e3, scalar_ns / ns);
    } else {
        printf("  %-40s %-7s %10.1f us\n", label, locdet_isa_name(isa), ns / 1e3);
    }
}

int checkasm_iterations(void)
{
    return iterations;
}

static const struct {
    const char *name;
    void (*check)(void);
} families[] = {
    {"threshold", checkasm_check_threshold},
    {"blur", checkasm_check_blur},
    {"morph", checkasm_check_morph},
    {"label", checkasm_check_label},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: checkasm [--seed=N] [--iterations=N] [--family=NAME] [--bench]\n"
               "Compares every SIMD kernel slot with the scalar reference.\n"
               "LOCDET_ISA=avx2|neon restricts the run to one level.\n");
}

int main(int argc, char **argv)
{
    seed = (uint64_t)time(NULL) ^ ((uint64_t)checkasm_now_ns() << 16);
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--seed=", 7) == 0)
            seed = strtoull(argv[i] + 7, NULL, 10);
        else if (strncmp(argv[i], "--iterations=", 13) == 0)
            iterations = atoi(argv[i] + 13);
        else if (strncmp(argv[i], "--family=", 9) == 0)
            only_family = argv[i] + 9;
        else if (strcmp(argv[i], "--bench") == 0)
            bench = true;
        else if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "checkasm: unknown argument '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (iterations < 1)
        iterations = 1;
    seed &= 0xffffffffu; /* short enough to retype */
    rng_state = seed;
    locdet_isa isas[LOCDET_ISA_COUNT];
    int n = checkasm_isas(isas);
    printf("checkasm: seed=%llu, levels:", (unsigned long long)seed);
    for (int i = 0; i < n; i++)
        printf(" %s", locdet_isa_name(isas[i]));
    printf("%s\n", n ? "" : " (none beyond scalar)");
    bool ran = false;
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
        if (only_family && strcmp(only_family, families[f].name) != 0)
            continue;
        current_family = families[f].name;
        int before = failures;
        families[f].check();
        printf("  %-12s %s\n", current_family, failures == before ? "ok" : "FAILED");
        ran = true;
    }
    if (!ran) {
        fprintf(stderr, "checkasm: no family named '%s'\n", only_family);
        return 2;
    }
    printf("checkasm: %d comparisons passed, %d failed (seed=%llu)\n", passes, failures,
           (unsigned long long)seed);
    return failures ? 1 : 0;
}
