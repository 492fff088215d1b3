/* plangen CLI: write PREFIX.png (or PREFIX.jpg) and PREFIX.gt.json. */
#include "plangen.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char USAGE[] =
    "usage: plangen --preset NAME --seed N [--width W] [--height H] --out PREFIX\n"
    "               [--jpeg Q] [--layers LIST] [--turn DEG] [--clean] [--no-rotate]\n"
    "               [--close-doors] [--quiet]\n"
    "       plangen --list\n"
    "       plangen --help\n"
    "\n"
    "Writes PREFIX.png (PREFIX.jpg with --jpeg) and PREFIX.gt.json. The output depends\n"
    "only on the preset, the seed and the options.\n"
    "  --preset NAME    one of the presets listed by --list\n"
    "  --seed N         unsigned 64-bit integer\n"
    "  --width W        image width in pixels (64..20000), default: the preset's\n"
    "  --height H       image height in pixels, default: from the preset's aspect ratio\n"
    "  --out PREFIX     output path prefix\n"
    "  --jpeg Q         write a JPEG of quality Q (1..100) instead of the PNG\n"
    "  --layers LIST    draw only these layers, comma-separated: walls,doors,text,\n"
    "                   furniture,dims,floor (the ground truth does not change)\n"
    "  --clean          no degradation: no noise, blur, specks or gray ink\n"
    "  --turn DEG       turn the whole drawing by DEG degrees (-40..40, clockwise on screen)\n"
    "                   onto a canvas grown to hold it; the ground truth turns with it\n"
    "  --no-rotate      no scan rotation\n"
    "  --close-doors    draw door openings as wall\n"
    "  --quiet          no summary line on stderr\n"
    "Exit status: 0 ok, 1 generation or write failure, 2 bad arguments.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "plangen: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'plangen --help'.\n");
    return 2;
}

static int parse_u64(const char *s, unsigned long long *out)
{
    if (!s || !*s || *s == '-' || *s == '+') return -1;
    for (const char *p = s; *p; p++) if (*p < '0' || *p > '9') return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end) return -1;
    *out = v;
    return 0;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    unsigned long long v;
    if (parse_u64(s, &v) || v < (unsigned long long)lo || v > (unsigned long long)hi) return -1;
    *out = (int)v;
    return 0;
}

static int parse_layers(const char *s, unsigned *out)
{
    static const struct { const char *name; unsigned bit; } L[] = {
        { "walls", PLANGEN_LAYER_WALLS }, { "doors", PLANGEN_LAYER_DOORS },
        { "text", PLANGEN_LAYER_TEXT }, { "furniture", PLANGEN_LAYER_FURNITURE },
        { "dims", PLANGEN_LAYER_DIMS }, { "floor", PLANGEN_LAYER_FLOOR },
        { "all", PLANGEN_LAYER_ALL },
    };
    unsigned m = 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        int found = 0;
        for (size_t i = 0; i < sizeof L / sizeof L[0]; i++)
            if (strlen(L[i].name) == n && !strncmp(L[i].name, s, n)) { m |= L[i].bit; found = 1; }
        if (!found) return -1;
        s += n;
        if (*s == ',') s++;
    }
    if (!m) return -1;
    *out = m;
    return 0;
}

static double now_s(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    const char *preset = NULL, *out = NULL;
    unsigned long long seed = 0;
    int have_seed = 0, jpeg = 0, quiet = 0;
    plangen_options opt;
    memset(&opt, 0, sizeof opt);

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        char name[32];
        const char *eq = strchr(a, '=');
        if (!strncmp(a, "--", 2) && eq && (size_t)(eq - a) < sizeof name) {
            memcpy(name, a, (size_t)(eq - a));
            name[eq - a] = 0;
            val = eq + 1;
            a = name;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(USAGE, stdout); return 0; }
        if (!strcmp(a, "--list")) {
            for (const char *const *p = plangen_presets(); *p; p++)
                printf("%-10s %s\n", *p, plangen_preset_description(*p));
            return 0;
        }
        int flag = !strcmp(a, "--clean") || !strcmp(a, "--no-rotate") || !strcmp(a, "--close-doors") ||
                   !strcmp(a, "--quiet");
        if (flag) {
            if (val) return usage_error("option '%s' takes no value", a);
            if (!strcmp(a, "--clean")) opt.disable |= PLANGEN_NO_NOISE;
            else if (!strcmp(a, "--no-rotate")) opt.disable |= PLANGEN_NO_ROTATION;
            else if (!strcmp(a, "--close-doors")) opt.close_doors = 1;
            else quiet = 1;
            continue;
        }
        int known = !strcmp(a, "--preset") || !strcmp(a, "--seed") || !strcmp(a, "--width") ||
                    !strcmp(a, "--height") || !strcmp(a, "--out") || !strcmp(a, "--jpeg") ||
                    !strcmp(a, "--layers") || !strcmp(a, "--turn");
        if (!known) return usage_error("unknown argument '%s'", argv[i]);
        if (!val) {
            if (i + 1 >= argc) return usage_error("option '%s' needs a value", a);
            val = argv[++i];
        }
        if (!strcmp(a, "--preset")) {
            if (!plangen_preset_description(val)) return usage_error("unknown preset '%s' (see --list)", val);
            preset = val;
        } else if (!strcmp(a, "--seed")) {
            if (parse_u64(val, &seed)) return usage_error("--seed: '%s' is not an unsigned 64-bit integer", val);
            have_seed = 1;
        } else if (!strcmp(a, "--width")) {
            if (parse_int(val, 64, 20000, &opt.width)) return usage_error("--width: '%s' is not in 64..20000", val);
        } else if (!strcmp(a, "--height")) {
            if (parse_int(val, 64, 20000, &opt.height)) return usage_error("--height: '%s' is not in 64..20000", val);
        } else if (!strcmp(a, "--jpeg")) {
            if (parse_int(val, 1, 100, &jpeg)) return usage_error("--jpeg: quality '%s' is not in 1..100", val);
        } else if (!strcmp(a, "--turn")) {
            char *end;
            double deg = strtod(val, &end);
            if (end == val || *end || !(deg >= -40 && deg <= 40))
                return usage_error("--turn: '%s' is not a number of degrees in -40..40", val);
            opt.turn_mdeg = (int)lround(deg * 1000);
        } else if (!strcmp(a, "--layers")) {
            if (parse_layers(val, &opt.layers)) return usage_error("--layers: bad layer list '%s'", val);
        } else {
            if (!*val) return usage_error("--out: empty prefix%s", "");
            out = val;
        }
    }
    if (!preset) return usage_error("missing --preset NAME%s", "");
    if (!have_seed) return usage_error("missing --seed N%s", "");
    if (!out) return usage_error("missing --out PREFIX%s", "");

    size_t n = strlen(out) + 16;
    char *img = malloc(n), *gt = malloc(n);
    if (!img || !gt) { fprintf(stderr, "plangen: out of memory\n"); return 1; }
    snprintf(img, n, "%s.%s", out, jpeg ? "jpg" : "png");
    snprintf(gt, n, "%s.gt.json", out);
    const char *base = strrchr(img, '/');
    base = base ? base + 1 : img;

    plangen_plan plan;
    double t0 = now_s();
    int rc = plangen_generate_ex(preset, seed, &opt, &plan);
    double t1 = now_s();
    if (rc) {
        fprintf(stderr, "plangen: generation failed (%s)\n", rc == -2 ? "out of memory" : "bad arguments");
        free(img); free(gt);
        return 1;
    }
    int status = 0;
    if ((jpeg ? plangen_write_jpeg(&plan, img, jpeg) : plangen_write_png(&plan, img)) != 0) {
        fprintf(stderr, "plangen: cannot write %s\n", img);
        status = 1;
    } else if (plangen_write_gt_json(&plan, base, gt) != 0) {
        fprintf(stderr, "plangen: cannot write %s\n", gt);
        status = 1;
    }
    if (!status && !quiet)
        fprintf(stderr, "plangen: %s seed %llu: %dx%d, %d rooms, ink %.1f%%, generated in %.0f ms -> %s, %s\n",
                preset, seed, plan.width, plan.height, plan.n_rooms, 100.0 * plangen_ink_fraction(&plan),
                (t1 - t0) * 1e3, img, gt);
    plangen_free(&plan);
    free(img); free(gt);
    return status;
}
