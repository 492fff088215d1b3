/* locdet: the command line.
 *   locdet detect FILE... [options]   rooms as JSON (docs/cli.md)
 *   locdet plugins                    the strategies on the search path
 *   locdet info                       CPU, chosen kernel variants, libraries
 * JSON goes to stdout (or --json OUT); everything for people goes to stderr.
 * Exit codes are host/errors.h's list (docs/errors.md). */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <jconfig.h>
#include <spng.h>
#ifdef LOCDET_HAVE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

#include "eval_cli.h"
#include "fileio.h"
#include "host.h"
#include "image.h"
#include "plugins.h"

#ifndef LOCDET_VERSION
#define LOCDET_VERSION "unknown"
#endif

static const char usage_main[] =
    "usage: locdet COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  detect FILE...   find the rooms of floor plans (PNG or JPEG); JSON out\n"
    "  plugins          list the strategies on the plugin search path\n"
    "  info             CPU features, the kernel variant chosen per slot, library versions\n"
    "  eval DIR...      score strategies against ground truth (docs/eval.md)\n"
    "\n"
    "  locdet COMMAND --help   help for one command\n"
    "  locdet --version\n";

static const char usage_detect[] =
    "usage: locdet detect FILE... [options]   (options may come before or after the files)\n"
    "\n"
    "  -s, --strategy NAME   strategy plugin (default: LOCDET_STRATEGY, else rooms)\n"
    "  -p, --param K=V       strategy parameter; repeatable; applied after LOCDET_PARAMS=\"k=v,k=v\"\n"
    "  -j, --json OUT|-      write the JSON to OUT (default: stdout, also for -)\n"
    "  -o, --overlay OUT     write an overlay PNG: a file for one input, a folder for several\n"
    "                        (one <stem>.png each; created if missing)\n"
    "  -t, --threads N       kernel threads (default: LOCDET_THREADS, else the CPUs available)\n"
    "      --max-pixels N    refuse larger images (default: LOCDET_MAX_PIXELS, else 200000000)\n"
    "  -h, --help\n"
    "\n"
    "One file gives a JSON object, several a JSON array in the order given. A file that fails\n"
    "still gets its result (status \"failed\"); the exit code is the first failure's.\n"
    "Exit codes: 0 ok, 2 usage, 4 image decode, 5 image too large, 6 strategy not found,\n"
    "7 plugin ABI, 8 bad parameter, 9 config, 10 cannot write output, 70 internal.\n";

static const char usage_plugins[] =
    "usage: locdet plugins\n"
    "\n"
    "Lists every NAME.so on the search path (LOCDET_PLUGIN_PATH, plugins/ beside the\n"
    "executable, /opt/locdet/plugins): name, version, ABI, file and parameters.\n";

static const char usage_info[] =
    "usage: locdet info\n"
    "\n"
    "Prints the CPU and its features, the ISA levels available and chosen (LOCDET_ISA caps\n"
    "it), the variant chosen for each kernel slot, the threads, and library versions.\n";

static int fail(locdet_exit code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(locdet_exit code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("locdet: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return code;
}

static int usage_error(const char *cmd, const char *msg, const char *arg)
{
    fprintf(stderr, "locdet%s%s: %s%s%s\n", cmd ? " " : "", cmd ? cmd : "", msg,
            arg ? ": " : "", arg ? arg : "");
    fprintf(stderr, "Try 'locdet %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
    return LOCDET_EXIT_USAGE;
}

static bool parse_positive(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-')
        return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno || v == 0 || v > max)
        return false;
    *out = v;
    return true;
}

/* "plans/a.b.png" -> "a.b" */
static void stem_of(const char *path, char *out, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = (dot && dot != base) ? (size_t)(dot - base) : strlen(base);
    if (n >= size)
        n = size - 1;
    memcpy(out, base, n);
    out[n] = '\0';
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* mkdir -p */
static int make_dirs(const char *path)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return -1;
    return is_dir(buf) ? 0 : (errno = ENOTDIR, -1);
}

/* The folder a file would be written into must exist and be writable;
 * checked before any work so a long batch does not fail at its end. */
static bool parent_writable(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    char *slash = strrchr(buf, '/');
    if (!slash)
        return access(".", W_OK) == 0;
    if (slash == buf)
        slash[1] = '\0';
    else
        *slash = '\0';
    return access(buf, W_OK) == 0;
}

static int write_json(FILE *f, void *ctx)
{
    const char *text = ctx;
    return fputs(text, f) < 0 ? -1 : 0;
}

static int cmd_detect(int argc, char **argv)
{
    static const struct option opts[] = {
        {"strategy", required_argument, NULL, 's'}, {"param", required_argument, NULL, 'p'},
        {"json", required_argument, NULL, 'j'},     {"overlay", required_argument, NULL, 'o'},
        {"threads", required_argument, NULL, 't'},  {"max-pixels", required_argument, NULL, 'M'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
    };
    const char *strategy = NULL, *json_out = NULL, *overlay = NULL;
    const char **params = calloc((size_t)argc, sizeof *params);
    int n_params = 0, threads = 0, rc = LOCDET_EXIT_OK;
    unsigned long long max_pixels = 0, v;
    if (!params)
        return fail(LOCDET_EXIT_INTERNAL, "out of memory");
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":s:p:j:o:t:h", opts, NULL)) != -1) {
        switch (c) {
        case 's': strategy = optarg; break;
        case 'p': params[n_params++] = optarg; break;
        case 'j': json_out = optarg; break;
        case 'o': overlay = optarg; break;
        case 't':
            if (!parse_positive(optarg, 1024, &v)) {
                free(params);
                return usage_error("detect", "--threads wants a whole number 1..1024", optarg);
            }
            threads = (int)v;
            break;
        case 'M':
            if (!parse_positive(optarg, UINT64_MAX, &v)) {
                free(params);
                return usage_error("detect", "--max-pixels wants a positive whole number", optarg);
            }
            max_pixels = v;
            break;
        case 'h':
            fputs(usage_detect, stdout);
            free(params);
            return LOCDET_EXIT_OK;
        case ':':
            free(params);
            return usage_error("detect", "option needs a value", argv[optind - 1]);
        default:
            free(params);
            return usage_error("detect", "unknown option", argv[optind - 1]);
        }
    }
    char **files = argv + optind;
    int n_files = argc - optind;
    if (n_files == 0) {
        free(params);
        return usage_error("detect", "no input files", NULL);
    }
    if (json_out && strcmp(json_out, "-") == 0)
        json_out = NULL;

    /* Overlay: a file for one input (unless it names a folder), a folder
     * for several, where stems must not collide. */
    bool overlay_dir = overlay && (n_files > 1 || is_dir(overlay) ||
                                   overlay[strlen(overlay) - 1] == '/');
    if (overlay_dir) {
        for (int i = 0; i < n_files; i++)
            for (int j = 0; j < i; j++) {
                char a[256], b[256];
                stem_of(files[i], a, sizeof a);
                stem_of(files[j], b, sizeof b);
                if (strcmp(a, b) == 0) {
                    free(params);
                    fprintf(stderr, "locdet detect: %s and %s would both write %s/%s.png\n",
                            files[j], files[i], overlay, a);
                    return LOCDET_EXIT_USAGE;
                }
            }
        if (make_dirs(overlay) != 0) {
            free(params);
            return fail(LOCDET_EXIT_STORAGE, "cannot create overlay folder %s: %s", overlay,
                        strerror(errno));
        }
    } else if (overlay && !parent_writable(overlay)) {
        free(params);
        return fail(LOCDET_EXIT_STORAGE, "cannot write %s: its folder is missing or not writable",
                    overlay);
    }
    if (json_out && !parent_writable(json_out)) {
        free(params);
        return fail(LOCDET_EXIT_STORAGE, "cannot write %s: its folder is missing or not writable",
                    json_out);
    }

    /* One loaded strategy serves every file. */
    locdet_error err = {0};
    locdet_host_config cfg = {
        .strategy = strategy,
        .params_env = getenv("LOCDET_PARAMS"),
        .params = params,
        .n_params = n_params,
        .threads = threads,
        .max_pixels = max_pixels,
    };
    locdet_host *host = locdet_host_open(&cfg, &err);
    free(params);
    if (!host)
        return fail(err.code, "%s", err.message);

    cJSON *all = n_files > 1 ? cJSON_CreateArray() : NULL;
    cJSON *one = NULL;
    bool progress = isatty(STDERR_FILENO) && n_files >= 10;
    for (int i = 0; i < n_files; i++) {
        if (progress)
            fprintf(stderr, "\rlocdet: [%d/%d] %.60s\033[K", i + 1, n_files, files[i]);
        char stem[256], opath[4096];
        stem_of(files[i], stem, sizeof stem);
        if (overlay_dir)
            snprintf(opath, sizeof opath, "%s%s%s.png", overlay,
                     overlay[strlen(overlay) - 1] == '/' ? "" : "/", stem);
        else if (overlay)
            snprintf(opath, sizeof opath, "%s", overlay);
        uint8_t *bytes;
        size_t size;
        cJSON *result;
        locdet_error e = {0};
        if (locdet_read_file(files[i], &bytes, &size, &e) == LOCDET_EXIT_OK) {
            locdet_detect_request req = {
                .bytes = bytes, .size = size, .job_id = stem, .overlay_path = overlay ? opath : NULL,
                .name = files[i],
            };
            result = locdet_host_detect(host, &req, &e);
            free(bytes);
        } else {
            result = locdet_result_failed(stem, &e);
        }
        if (!result) {
            cJSON_Delete(all);
            locdet_host_close(host);
            return fail(LOCDET_EXIT_INTERNAL, "out of memory");
        }
        if (e.code) {
            if (progress)
                fputs("\r\033[K", stderr);
            fprintf(stderr, "locdet: %s\n", e.message);
            if (rc == LOCDET_EXIT_OK)
                rc = e.code;
        }
        if (all)
            cJSON_AddItemToArray(all, result);
        else
            one = result;
    }
    if (progress)
        fputs("\r\033[K", stderr);
    locdet_host_close(host);

    char *text = cJSON_Print(all ? all : one);
    cJSON_Delete(all ? all : one);
    if (!text)
        return fail(LOCDET_EXIT_INTERNAL, "out of memory");
    size_t len = strlen(text);
    char *line = realloc(text, len + 2);
    if (!line) {
        free(text);
        return fail(LOCDET_EXIT_INTERNAL, "out of memory");
    }
    memcpy(line + len, "\n", 2);
    if (json_out) {
        if (locdet_write_atomic(json_out, write_json, line, &err) != LOCDET_EXIT_OK) {
            fail(err.code, "%s", err.message);
            if (rc == LOCDET_EXIT_OK)
                rc = err.code;
        }
    } else if (fputs(line, stdout) < 0 || fflush(stdout) != 0) {
        fail(LOCDET_EXIT_STORAGE, "cannot write to stdout: %s", strerror(errno));
        if (rc == LOCDET_EXIT_OK)
            rc = LOCDET_EXIT_STORAGE;
    }
    free(line);
    return rc;
}

/* ---- plugins ----------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void print_plugin(const locdet_plugin *p)
{
    const locdet_strategy *s = p->entry;
    printf("%s %s  ABI %u.%u  %s\n", s->name, s->version, s->abi.major, s->abi.minor, p->path);
    printf("  %s\n", s->description);
    if (s->decode_scale > 1)
        printf("  decodes at 1/%d\n", s->decode_scale);
    for (int i = 0; i < s->n_params; i++) {
        char type[256];
        locdet_param_describe_type(&s->params[i], type, sizeof type);
        printf("  --param %s=%s  (%s)  %s\n", s->params[i].name, s->params[i].def, type,
               s->params[i].help ? s->params[i].help : "");
    }
}

static int cmd_plugins(int argc, char **argv)
{
    if (argc > 1) {
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
            fputs(usage_plugins, stdout);
            return LOCDET_EXIT_OK;
        }
        return usage_error("plugins", "unexpected argument", argv[1]);
    }
    char **dirs = locdet_search_path();
    if (!dirs)
        return fail(LOCDET_EXIT_INTERNAL, "out of memory");
    char *seen[1024];
    int n_seen = 0, found = 0;
    for (char **d = dirs; *d; d++) {
        DIR *dir = opendir(*d);
        printf("# %s%s\n", *d, dir ? "" : " (missing)");
        if (!dir)
            continue;
        char *names[1024];
        int n = 0;
        struct dirent *de;
        while ((de = readdir(dir)) && n < 1024) {
            size_t len = strlen(de->d_name);
            if (len > 3 && strcmp(de->d_name + len - 3, ".so") == 0)
                names[n++] = strndup(de->d_name, len - 3);
        }
        closedir(dir);
        qsort(names, (size_t)n, sizeof *names, cmp_str);
        for (int i = 0; i < n; i++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s.so", *d, names[i]);
            bool shadowed = false;
            for (int j = 0; j < n_seen; j++)
                shadowed |= strcmp(seen[j], names[i]) == 0;
            if (shadowed) {
                printf("%s  (shadowed by an earlier folder)  %s\n", names[i], path);
                free(names[i]);
                continue;
            }
            if (n_seen < 1024)
                seen[n_seen++] = names[i];
            locdet_plugin p;
            locdet_error err;
            if (!locdet_strategy_name_valid(names[i])) {
                printf("%s  unusable: not a valid strategy name ([a-z0-9_-]+)  %s\n", names[i], path);
            } else if (locdet_plugin_load(path, names[i], &p, &err) != LOCDET_EXIT_OK) {
                printf("%s  unusable: %s\n", names[i], err.message);
            } else {
                print_plugin(&p);
                locdet_plugin_unload(&p);
                found++;
            }
        }
    }
    for (int j = 0; j < n_seen; j++)
        free(seen[j]);
    locdet_search_path_free(dirs);
    if (!found)
        fprintf(stderr, "locdet: no usable strategy found\n");
    return LOCDET_EXIT_OK;
}

/* ---- info -------------------------------------------------------------- */

static void print_slot(void *ctx, const char *slot, const char *variant)
{
    (void)ctx;
    printf("  %-28s %s\n", slot, variant);
}

static void print_cpu(void)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[8192], model[256] = "unknown", flags[8192] = "";
    while (f && fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        char *val = colon + 1 + (colon[1] == ' ');
        val[strcspn(val, "\n")] = '\0';
        if (!strncmp(line, "model name", 10) && !strcmp(model, "unknown"))
            snprintf(model, sizeof model, "%s", val);
        else if ((!strncmp(line, "flags", 5) || !strncmp(line, "Features", 8)) && !flags[0])
            snprintf(flags, sizeof flags, " %s ", val);
    }
    if (f)
        fclose(f);
    printf("cpu: %s\n", model);
    static const char *const interesting[] = {
        "sse4_2", "avx", "avx2", "fma", "bmi2", "avx512f", "avx512bw", "avx512vl",
        "avx512vbmi", "asimd", "sve", "sve2", NULL};
    printf("cpu features:");
    for (int i = 0; interesting[i]; i++) {
        char key[32];
        snprintf(key, sizeof key, " %s ", interesting[i]);
        if (strstr(flags, key))
            printf(" %s", interesting[i]);
    }
    printf("\n");
}

static int cmd_info(int argc, char **argv)
{
    if (argc > 1) {
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
            fputs(usage_info, stdout);
            return LOCDET_EXIT_OK;
        }
        return usage_error("info", "unexpected argument", argv[1]);
    }
    printf("locdet %s, plugin ABI %d.%d\n", LOCDET_VERSION, LOCDET_PLUGIN_ABI_MAJOR,
           LOCDET_PLUGIN_ABI_MINOR);
    print_cpu();
    printf("isa available:");
    for (int i = 0; i < LOCDET_ISA_COUNT; i++)
        if (locdet_isa_available((locdet_isa)i))
            printf(" %s", locdet_isa_name((locdet_isa)i));
    const char *isa_err = NULL;
    locdet_isa sel = locdet_isa_selected(&isa_err);
    const char *cap = getenv("LOCDET_ISA");
    printf("\nisa selected: %s%s%s%s\n", locdet_isa_name(sel), cap ? " (LOCDET_ISA=" : "",
           cap ? cap : "", cap ? ")" : "");
    if (isa_err)
        printf("  warning: %s\n", isa_err);
    printf("threads: %d\n", locdet_default_threads());
    printf("kernel slots:\n");
    locdet_kernels_describe(locdet_kernels_default(), print_slot, NULL);
    printf("libraries: libspng %s, libjpeg-turbo %d.%d.%d, cJSON %s", spng_version_string(),
           LIBJPEG_TURBO_VERSION_NUMBER / 1000000, LIBJPEG_TURBO_VERSION_NUMBER / 1000 % 1000,
           LIBJPEG_TURBO_VERSION_NUMBER % 1000, cJSON_Version());
#ifdef LOCDET_HAVE_JEMALLOC
    const char *jv = NULL;
    size_t sz = sizeof jv;
    if (mallctl("version", &jv, &sz, NULL, 0) == 0 && jv)
        printf(", jemalloc %.*s", (int)strcspn(jv, "-"), jv);
#else
    printf(", allocator: libc malloc");
#endif
    printf("\nplugin search path:");
    char **dirs = locdet_search_path();
    for (char **d = dirs; d && *d; d++)
        printf(" %s", *d);
    printf("\n");
    locdet_search_path_free(dirs);
    return LOCDET_EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return LOCDET_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage_main, stdout);
        return LOCDET_EXIT_OK;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("locdet %s (plugin ABI %d.%d)\n", LOCDET_VERSION, LOCDET_PLUGIN_ABI_MAJOR,
               LOCDET_PLUGIN_ABI_MINOR);
        return LOCDET_EXIT_OK;
    }
    if (!strcmp(cmd, "detect"))
        return cmd_detect(argc - 1, argv + 1);
    if (!strcmp(cmd, "plugins"))
        return cmd_plugins(argc - 1, argv + 1);
    if (!strcmp(cmd, "info"))
        return cmd_info(argc - 1, argv + 1);
    if (!strcmp(cmd, "eval"))
        return locdet_eval_command(argc - 1, argv + 1);
    return usage_error(NULL, "unknown command", cmd);
}
