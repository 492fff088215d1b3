/* locdet-bench: every kernel at every ISA level beside its OpenCV peer, in
 * one run, on a plan from tools/plangen. A table for people on stdout (or on
 * stderr with --json, where stdout carries one JSON document). */
#include <cjson/cJSON.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "plangen.h"
#if LOCDET_HAVE_OPENCV
#include "opencv_peer.h"
#endif

#ifndef LOCDET_COMMIT
#define LOCDET_COMMIT "unknown"
#endif

#define BENCH_PRESET "bench"
#define BENCH_SEED 1

static const bench_case *const families[] = {
    bench_cases_memcpy,
    bench_cases_threshold,
    bench_cases_morph,
    bench_cases_contour,
    bench_cases_label,
    bench_cases_pipeline,
};

typedef struct options {
    bool json, list;
    int isa;        /* -1: every available level */
    int threads;
    int size;       /* 0: the preset's size */
    int runs;
    const char *filter;
} options;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static bool alloc_image(locdet_image *img, int w, int h)
{
    /* 64-byte aligned rows, as a real caller would allocate them. */
    ptrdiff_t stride = ((ptrdiff_t)w + 63) & ~(ptrdiff_t)63;
    void *p = NULL;
    if (posix_memalign(&p, 64, (size_t)stride * (size_t)h) != 0)
        return false;
    memset(p, 0, (size_t)stride * (size_t)h);
    *img = (locdet_image){p, w, h, stride};
    return true;
}

const locdet_image *bench_input(const bench_inputs *in, const char *name)
{
    if (!name || !*name || strcmp(name, "plan") == 0)
        return &in->binary;
    if (strcmp(name, "plan-inverse") == 0)
        return &in->inverse;
    if (strcmp(name, "noise50") == 0)
        return &in->noise50;
    return &in->gray;
}

static int make_inputs(bench_inputs *in, int size)
{
    plangen_plan plan;
    if (plangen_generate(BENCH_PRESET, BENCH_SEED, size, &plan) != 0) {
        fprintf(stderr, "locdet-bench: plangen could not generate preset '%s' at size %d\n",
                BENCH_PRESET, size);
        return -1;
    }
    int w = plan.width, h = plan.height;
    if (!alloc_image(&in->gray, w, h) || !alloc_image(&in->binary, w, h) ||
        !alloc_image(&in->inverse, w, h) || !alloc_image(&in->noise50, w, h)) {
        plangen_free(&plan);
        return -1;
    }
    for (int y = 0; y < h; y++)
        memcpy(in->gray.data + y * in->gray.stride, plan.pixels + y * plan.stride, (size_t)w);
    plangen_free(&plan);
    const locdet_kernels *ref = locdet_kernels_for_isa(LOCDET_ISA_SCALAR);
    /* Ink is what is darker than mid-gray; the fixed level keeps runs comparable. */
    locdet_threshold_binary(ref, &in->gray, &in->binary, 127, true);
    locdet_threshold_binary(ref, &in->gray, &in->inverse, 127, false);
    uint64_t s = 0x243f6a8885a308d3ull, ink = 0;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            s ^= s << 13, s ^= s >> 7, s ^= s << 17;
            in->noise50.data[y * in->noise50.stride + x] = (s >> 63) ? 255 : 0;
            ink += in->binary.data[y * in->binary.stride + x] != 0;
        }
    }
    in->preset = BENCH_PRESET;
    in->seed = BENCH_SEED;
    in->ink_coverage = (double)ink / ((double)w * h);
    return 0;
}

static void free_inputs(bench_inputs *in)
{
    free(in->gray.data), free(in->binary.data), free(in->inverse.data), free(in->noise50.data);
}

static void cpu_name(char *out, size_t n)
{
    snprintf(out, n, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        /* x86: "model name"; aarch64: "CPU part" is all there is. */
        if (strncmp(line, "model name", 10) == 0 || strncmp(line, "CPU part", 8) == 0) {
            char *colon = strchr(line, ':');
            if (colon) {
                colon += 1 + (colon[1] == ' ');
                colon[strcspn(colon, "\n")] = 0;
                snprintf(out, n, "%s", colon);
            }
            break;
        }
    }
    fclose(f);
}

static void print_slot(void *ctx, const char *slot, const char *variant)
{
    (void)ctx;
    printf("  %-32s %s\n", slot, variant);
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: locdet-bench [kernels] [--json] [--list] [--isa LEVEL] [--threads N]\n"
            "                    [--size N] [--filter GLOB] [--runs N]\n"
            "Times every kernel at every ISA level beside OpenCV (when built with it), on the\n"
            "plangen '%s' plan (seed %d). --json prints one JSON document on stdout and the\n"
            "table on stderr. --list prints the variant each kernel slot got, per level.\n",
            BENCH_PRESET, BENCH_SEED);
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || *end || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_options(int argc, char **argv, options *o)
{
    *o = (options){.isa = -1, .threads = 1, .runs = 15};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "kernels") == 0)
            continue;
        if (strcmp(a, "--json") == 0)
            o->json = true;
        else if (strcmp(a, "--list") == 0)
            o->list = true;
        else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(a, "--isa") == 0) {
            o->isa = locdet_isa_from_name(v);
            if (o->isa < 0) {
                fprintf(stderr, "locdet-bench: --isa: unknown level '%s' (scalar, avx2, neon)\n",
                        v ? v : "");
                return -1;
            }
            if (!locdet_isa_available((locdet_isa)o->isa)) {
                fprintf(stderr, "locdet-bench: --isa %s: not available here\n", v);
                return -1;
            }
            i++;
        } else if (strcmp(a, "--threads") == 0) {
            if (parse_int(v, 1, 256, &o->threads)) {
                fprintf(stderr, "locdet-bench: --threads needs a number from 1 to 256\n");
                return -1;
            }
            i++;
        } else if (strcmp(a, "--size") == 0) {
            if (parse_int(v, 16, 20000, &o->size)) {
                fprintf(stderr, "locdet-bench: --size needs a number from 16 to 20000\n");
                return -1;
            }
            i++;
        } else if (strcmp(a, "--runs") == 0) {
            if (parse_int(v, 1, 1000, &o->runs)) {
                fprintf(stderr, "locdet-bench: --runs needs a number from 1 to 1000\n");
                return -1;
            }
            i++;
        } else if (strcmp(a, "--filter") == 0) {
            if (!v) {
                fprintf(stderr, "locdet-bench: --filter needs a pattern\n");
                return -1;
            }
            o->filter = v;
            i++;
        } else {
            fprintf(stderr, "locdet-bench: unknown argument '%s'\n", a);
            usage(stderr);
            return -1;
        }
    }
    return 0;
}

/* The levels to time: every native level, or the one asked for. Emulated
 * NEON (SIMDe on x86_64) is timed only when asked for by name. */
static int levels(const options *o, locdet_isa out[LOCDET_ISA_COUNT])
{
    if (o->isa >= 0) {
        out[0] = (locdet_isa)o->isa;
        return 1;
    }
    int n = 0;
    for (int i = 0; i < LOCDET_ISA_COUNT; i++) {
#if !defined(__aarch64__)
        if (i == LOCDET_ISA_NEON)
            continue;
#endif
        if (locdet_isa_available((locdet_isa)i))
            out[n++] = (locdet_isa)i;
    }
    return n;
}

static bool matches(const options *o, const bench_case *c)
{
    if (!o->filter)
        return true;
    char full[128];
    snprintf(full, sizeof full, "%s%s%s", c->name, *c->params ? ":" : "", c->params);
    return fnmatch(o->filter, c->name, 0) == 0 || fnmatch(o->filter, full, 0) == 0;
}

int main(int argc, char **argv)
{
    options o;
    if (parse_options(argc, argv, &o))
        return 2;
    locdet_isa isas[LOCDET_ISA_COUNT];
    int n_isas = levels(&o, isas);

    if (o.list) {
        for (int i = 0; i < LOCDET_ISA_COUNT; i++) {
            const locdet_kernels *k = locdet_kernels_for_isa((locdet_isa)i);
            if (!k)
                continue;
            printf("%s%s:\n", locdet_isa_name((locdet_isa)i),
                   i == (int)locdet_isa_selected(NULL) ? " (selected)" : "");
            locdet_kernels_describe(k, print_slot, NULL);
        }
        return 0;
    }

    FILE *human = o.json ? stderr : stdout;
    bench_inputs in = {0};
    if (make_inputs(&in, o.size) != 0)
        return 1;
    char cpu[256];
    cpu_name(cpu, sizeof cpu);
#if LOCDET_HAVE_OPENCV
    peer_opencv_set_threads(o.threads);
    const char *peer_name = peer_opencv_version();
#else
    const char *peer_name = NULL;
#endif

    cJSON *doc = cJSON_CreateObject();
    cJSON *machine = cJSON_AddObjectToObject(doc, "machine");
    cJSON_AddStringToObject(machine, "cpu", cpu);
    cJSON *avail = cJSON_AddArrayToObject(machine, "isa_available");
    for (int i = 0; i < LOCDET_ISA_COUNT; i++)
        if (locdet_isa_available((locdet_isa)i))
            cJSON_AddItemToArray(avail, cJSON_CreateString(locdet_isa_name((locdet_isa)i)));
    cJSON_AddNumberToObject(machine, "threads", o.threads);
    cJSON_AddStringToObject(machine, "commit", LOCDET_COMMIT);
    cJSON_AddStringToObject(machine, "preset", in.preset);
    cJSON_AddNumberToObject(machine, "seed", (double)in.seed);
    cJSON_AddNumberToObject(machine, "width", in.gray.width);
    cJSON_AddNumberToObject(machine, "height", in.gray.height);
    cJSON_AddNumberToObject(machine, "ink_coverage", in.ink_coverage);
    /* components: the plan's 8-connected components, background excluded. */
    locdet_labeling plan_cc;
    if (locdet_label(locdet_kernels_for_isa(LOCDET_ISA_SCALAR), &in.binary, 8, 1, &plan_cc) == LOCDET_OK) {
        cJSON_AddNumberToObject(machine, "components", plan_cc.count - 1);
        fprintf(human, "components (8-connected, plan): %d\n", plan_cc.count - 1);
        locdet_labeling_free(&plan_cc);
    }
    if (peer_name)
        cJSON_AddStringToObject(machine, "peer", peer_name);
    else
        cJSON_AddNullToObject(machine, "peer");
    cJSON *results = cJSON_AddArrayToObject(doc, "results");

    fprintf(human, "locdet-bench: %s, plan '%s' seed %llu, %dx%d, ink %.1f%%, %d thread(s), %d runs\n",
            cpu, in.preset, (unsigned long long)in.seed, in.gray.width, in.gray.height,
            100 * in.ink_coverage, o.threads, o.runs);
    fprintf(human, "%-34s %-14s %-7s %10s %10s %12s %8s\n", "kernel", "params", "isa", "median ms",
            "min ms", "peer ms", "speedup");

    bench_env env = {.in = &in, .threads = o.threads};
    if (!alloc_image(&env.out, in.gray.width, in.gray.height) ||
        !alloc_image(&env.out2, in.gray.width, in.gray.height))
        return 1;
    double *ours = calloc((size_t)o.runs, sizeof *ours), *peer = calloc((size_t)o.runs, sizeof *peer);
    int status = 0;
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
        for (const bench_case *c = families[f]; c->name; c++) {
            if (!matches(&o, c))
                continue;
            if (c->setup && c->setup(c, &env) != 0) {
                fprintf(stderr, "locdet-bench: %s %s: setup failed\n", c->name, c->params);
                status = 1;
                continue;
            }
            int rows = c->has_isa ? n_isas : 1;
            for (int li = 0; li < rows; li++) {
                const locdet_kernels *k = locdet_kernels_for_isa(c->has_isa ? isas[li] : LOCDET_ISA_SCALAR);
                bool with_peer = c->peer && peer_name;
                /* Warm up both, then alternate them so they share the machine's noise. */
                int err = c->run(c, k, &env);
                if (with_peer)
                    c->peer(c, &env);
                for (int r = 0; r < o.runs && !err; r++) {
                    double t0 = now_ms();
                    err = c->run(c, k, &env);
                    ours[r] = now_ms() - t0;
                    if (with_peer) {
                        t0 = now_ms();
                        c->peer(c, &env);
                        peer[r] = now_ms() - t0;
                    }
                }
                if (err) {
                    fprintf(stderr, "locdet-bench: %s %s: kernel returned %d (%s)\n", c->name,
                            c->params, err, locdet_status_string(err));
                    status = 1;
                    break;
                }
                double min = ours[0];
                for (int r = 1; r < o.runs; r++)
                    min = ours[r] < min ? ours[r] : min;
                double med = median(ours, o.runs);
                double peer_med = with_peer ? median(peer, o.runs) : 0;
                const char *isa_name = c->has_isa    ? locdet_isa_name(isas[li])
                                       : c->pipeline ? locdet_isa_name(locdet_isa_selected(NULL))
                                                     : NULL;
                cJSON *row = cJSON_CreateObject();
                cJSON_AddStringToObject(row, "name", c->name);
                if (isa_name)
                    cJSON_AddStringToObject(row, "isa", isa_name);
                else
                    cJSON_AddNullToObject(row, "isa");
                cJSON_AddStringToObject(row, "params", c->params);
                cJSON_AddNumberToObject(row, "width", in.gray.width);
                cJSON_AddNumberToObject(row, "height", in.gray.height);
                cJSON_AddNumberToObject(row, "threads", o.threads);
                cJSON_AddNumberToObject(row, "runs", o.runs);
                cJSON_AddNumberToObject(row, "median_ms", med);
                cJSON_AddNumberToObject(row, "min_ms", min);
                if (with_peer) {
                    cJSON *p = cJSON_AddObjectToObject(row, "peer");
                    cJSON_AddStringToObject(p, "name", peer_name);
                    cJSON_AddNumberToObject(p, "median_ms", peer_med);
                }
                cJSON_AddItemToArray(results, row);
                char peer_col[16] = "-", ratio[16] = "-";
                if (with_peer) {
                    snprintf(peer_col, sizeof peer_col, "%.3f", peer_med);
                    snprintf(ratio, sizeof ratio, "%.2fx", peer_med / med);
                }
                fprintf(human, "%-34s %-14s %-7s %10.3f %10.3f %12s %8s\n", c->name, c->params,
                        isa_name ? isa_name : "-", med, min, peer_col, ratio);
            }
            if (c->teardown)
                c->teardown(c, &env);
        }
    }
    if (o.json) {
        char *text = cJSON_Print(doc);
        if (text)
            puts(text);
        free(text);
    }
    cJSON_Delete(doc);
    free(ours), free(peer);
    free(env.out.data), free(env.out2.data);
    free_inputs(&in);
    return status;
}
