/* `locdet eval`: run strategies over folders of plans with ground truth and
 * score them (host/eval.h). Human table on stdout, or with --json the JSON
 * document on stdout and the table on stderr; --gallery writes one
 * side-by-side PNG per plan and strategy (ground truth | detection) and an
 * index.html. docs/eval.md. */
#include "eval_cli.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "eval.h"
#include "fileio.h"
#include "host.h"
#include "image.h"
#include "overlay.h"
#include "result.h"

static const char usage_eval[] =
    "usage: locdet eval DIR... [options]   (options may come before or after the folders)\n"
    "\n"
    "Runs each strategy over every plan in DIR that has ground truth beside it\n"
    "(ID.gt.json next to the image it names, or ID.png / ID.jpg / ID.jpeg), and\n"
    "scores the rooms: greedy one-to-one box matching at IoU >= 0.5; precision,\n"
    "recall, F1, mean IoU, polygon IoU, confidence AUC, detection time.\n"
    "\n"
    "  -s, --strategy NAME   a strategy to evaluate; repeat for several side by side\n"
    "                        (default: LOCDET_STRATEGY, else rooms)\n"
    "  -p, --param [S:]K=V   strategy parameter (for strategy S only, when given)\n"
    "      --json            the JSON report on stdout; the table goes to stderr\n"
    "  -g, --gallery DIR     write DIR/<set>__<plan>.<strategy>.png (truth | detection)\n"
    "                        and DIR/index.html\n"
    "      --half even|odd   only the plans at even (0, 2, ...) or odd positions of each\n"
    "                        folder, files sorted by name (a tuning / held-out split)\n"
    "  -t, --threads N       kernel threads (default: LOCDET_THREADS, else all CPUs)\n"
    "  -q, --quiet           no per-plan progress on stderr\n"
    "  -h, --help\n"
    "\n"
    "Exit codes: 0 ok (whatever the scores), 2 usage, 3 malformed ground truth,\n"
    "6 strategy not found, 7 plugin ABI, 8 bad parameter, 70 internal.\n";

typedef struct plan_file {
    char *name;  /* set/ID */
    char *image; /* path */
    char *gt;    /* path */
    int set;
} plan_file;

typedef struct plan_list {
    plan_file *v;
    int n, cap;
} plan_list;

static int usage(const char *msg, const char *arg)
{
    fprintf(stderr, "locdet eval: %s%s%s\nTry 'locdet eval --help'.\n", msg, arg ? ": " : "",
            arg ? arg : "");
    return LOCDET_EXIT_USAGE;
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", a, b);
    return s;
}

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *base_name(const char *p)
{
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        n--;
    const char *s = p + n;
    while (s > p && s[-1] != '/')
        s--;
    return s;
}

/* The plans of one folder, sorted by ground-truth file name. half: 0 all,
 * 1 even positions, 2 odd. */
static int list_dir(const char *dir, int set, int half, plan_list *out, locdet_error *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        locdet_error_set(err, LOCDET_EXIT_USAGE, "%s: cannot open folder (%s)", dir,
                         strerror(errno));
        return -1;
    }
    char **names = NULL;
    int n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l <= 8 || strcmp(e->d_name + l - 8, ".gt.json") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **q = realloc(names, sizeof *q * (size_t)cap);
            if (!q)
                break;
            names = q;
        }
        names[n] = strdup(e->d_name);
        if (!names[n])
            break;
        n++;
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    char set_name[256];
    snprintf(set_name, sizeof set_name, "%s", base_name(dir));
    size_t sl = strlen(set_name);
    while (sl > 1 && set_name[sl - 1] == '/')
        set_name[--sl] = 0;
    int rc = 0;
    for (int i = 0; i < n; i++) {
        if ((half == 1 && i % 2) || (half == 2 && !(i % 2))) {
            free(names[i]);
            continue;
        }
        char *gt = join(dir, names[i]);
        char id[512];
        snprintf(id, sizeof id, "%.*s", (int)(strlen(names[i]) - 8), names[i]);
        free(names[i]);
        char *image = NULL;
        /* the image the ground truth names, else ID.png / .jpg / .jpeg */
        locdet_error jerr;
        cJSON *doc = gt ? locdet_eval_read_json(gt, &jerr) : NULL;
        const cJSON *im = doc ? cJSON_GetObjectItemCaseSensitive(doc, "image") : NULL;
        if (cJSON_IsString(im) && !strchr(im->valuestring, '/')) {
            image = join(dir, im->valuestring);
            if (image && !is_file(image)) {
                free(image);
                image = NULL;
            }
        }
        cJSON_Delete(doc);
        static const char *const ext[] = {".png", ".jpg", ".jpeg", ".PNG", ".JPG", ".JPEG"};
        for (size_t k = 0; !image && k < sizeof ext / sizeof *ext; k++) {
            char f[600];
            snprintf(f, sizeof f, "%s%s", id, ext[k]);
            image = join(dir, f);
            if (image && !is_file(image)) {
                free(image);
                image = NULL;
            }
        }
        if (!gt || !image) {
            fprintf(stderr, "locdet eval: %s/%s.gt.json: no image beside it, skipped\n", dir, id);
            free(gt);
            free(image);
            continue;
        }
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 64;
            plan_file *q = realloc(out->v, sizeof *q * (size_t)out->cap);
            if (!q) {
                rc = -1;
                free(gt);
                free(image);
                continue;
            }
            out->v = q;
        }
        char pname[800];
        snprintf(pname, sizeof pname, "%s/%s", set_name, id);
        out->v[out->n] = (plan_file){strdup(pname), image, gt, set};
        out->n++;
    }
    free(names);
    if (rc)
        locdet_error_set(err, LOCDET_EXIT_INTERNAL, "out of memory");
    return rc;
}

/* ------------------------------------------------------------------ gallery */

enum { GAP = 8 }; /* between the two panels */

typedef struct rgbimg {
    uint8_t *p;
    int w, h;
} rgbimg;

static void put(rgbimg *im, int x, int y, uint8_t r, uint8_t g, uint8_t b)
{
    if (x < 0 || y < 0 || x >= im->w || y >= im->h)
        return;
    uint8_t *q = im->p + ((size_t)y * im->w + x) * 3;
    q[0] = r, q[1] = g, q[2] = b;
}

static void draw_line(rgbimg *im, double x0, double y0, double x1, double y1, int thick,
                      uint8_t r, uint8_t g, uint8_t b, int x_off)
{
    double len = fmax(fabs(x1 - x0), fabs(y1 - y0));
    int steps = (int)ceil(len) + 1;
    for (int i = 0; i <= steps; i++) {
        double t = steps ? (double)i / steps : 0;
        int x = (int)floor(x0 + t * (x1 - x0)), y = (int)floor(y0 + t * (y1 - y0));
        for (int dy = -(thick - 1) / 2; dy <= thick / 2; dy++)
            for (int dx = -(thick - 1) / 2; dx <= thick / 2; dx++)
                if (x + dx >= 0 && x + dx < (im->w - GAP) / 2)
                    put(im, x + dx + x_off, y + dy, r, g, b);
    }
}

static void outline_rooms(rgbimg *im, const locdet_eval_rooms *rs, int thick, int x_off,
                          uint8_t r, uint8_t g, uint8_t b)
{
    for (int i = 0; i < rs->n; i++) {
        const locdet_eval_room *e = &rs->room[i];
        if (e->n_poly >= 2) {
            for (int k = 0; k < e->n_poly; k++) {
                int j = (k + 1) % e->n_poly;
                draw_line(im, e->poly[2 * k], e->poly[2 * k + 1], e->poly[2 * j],
                          e->poly[2 * j + 1], thick, r, g, b, x_off);
            }
        } else {
            const double *bb = e->bbox;
            draw_line(im, bb[0], bb[1], bb[2], bb[1], thick, r, g, b, x_off);
            draw_line(im, bb[2], bb[1], bb[2], bb[3], thick, r, g, b, x_off);
            draw_line(im, bb[2], bb[3], bb[0], bb[3], thick, r, g, b, x_off);
            draw_line(im, bb[0], bb[3], bb[0], bb[1], thick, r, g, b, x_off);
        }
    }
}

/* Left: the plan with the true rooms outlined (green), detections matched
 * or not (blue / red boxes); right: the host's overlay of the detection
 * with the true outlines on top. */
static int write_gallery_png(const char *path, const uint8_t *bytes, size_t size,
                             const cJSON *result, const locdet_eval_rooms *gt,
                             const locdet_eval_rooms *det, const locdet_eval_plan *score,
                             locdet_error *err)
{
    locdet_decoded dec;
    if (locdet_image_decode(bytes, size, path, 0, 1, &dec, err) != LOCDET_EXIT_OK)
        return -1;
    int w = dec.image.width, h = dec.image.height, gap = GAP;
    rgbimg im = {malloc((size_t)(2 * w + gap) * h * 3), 2 * w + gap, h};
    uint8_t *right = malloc((size_t)w * h * 3);
    locdet_rooms rooms = {0};
    int rc = -1;
    if (!im.p || !right) {
        locdet_error_set(err, LOCDET_EXIT_INTERNAL, "out of memory");
        goto out;
    }
    /* the detection overlay (host/overlay.c) from the result's polygons */
    const cJSON *rs = cJSON_GetObjectItemCaseSensitive(result, "rooms"), *r;
    cJSON_ArrayForEach(r, rs) {
        const cJSON *poly = cJSON_GetObjectItemCaseSensitive(r, "polygon"), *pt;
        int n = cJSON_GetArraySize(poly), k = 0;
        locdet_point *pts = malloc(sizeof *pts * (size_t)(n ? n : 1));
        if (!pts)
            continue;
        cJSON_ArrayForEach(pt, poly) {
            pts[k].x = (int32_t)cJSON_GetArrayItem(pt, 0)->valuedouble;
            pts[k].y = (int32_t)cJSON_GetArrayItem(pt, 1)->valuedouble;
            k++;
        }
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(r, "confidence");
        locdet_room room = {.polygon = pts, .n_points = n,
                            .confidence = cJSON_IsNumber(c) ? c->valuedouble : 0.5};
        char why[128];
        if (n >= 3)
            locdet_rooms_add(&rooms, &room, w, h, why, sizeof why);
        free(pts);
    }
    locdet_overlay_draw(&dec.image, &rooms, right);
    int thick = (w < h ? w : h) / 500 + 1;
    for (int y = 0; y < h; y++) {
        uint8_t *row = im.p + (size_t)y * im.w * 3;
        const uint8_t *g = dec.image.data + (ptrdiff_t)y * dec.image.stride;
        for (int x = 0; x < w; x++)
            row[3 * x] = row[3 * x + 1] = row[3 * x + 2] = (uint8_t)(120 + g[x] * 135 / 255);
        memset(row + 3 * w, 255, (size_t)gap * 3);
        memcpy(row + 3 * (w + gap), right + (size_t)y * w * 3, (size_t)w * 3);
    }
    outline_rooms(&im, gt, thick + 1, 0, 0, 160, 0);
    for (int d = 0; d < det->n; d++) {
        locdet_eval_rooms one = {(locdet_eval_room[]){det->room[d]}, 1, 0, 0};
        one.room[0].n_poly = 0; /* boxes: that is what is scored */
        bool hit = score->det_match[d] >= 0;
        outline_rooms(&im, &one, thick, 0, hit ? 30 : 220, hit ? 60 : 0, hit ? 220 : 0);
    }
    outline_rooms(&im, gt, thick, w + gap, 0, 120, 0);
    rc = locdet_write_rgb_png(path, im.p, im.w, im.h, err) == LOCDET_EXIT_OK ? 0 : -1;
out:
    locdet_rooms_clear(&rooms);
    free(right);
    free(im.p);
    locdet_decoded_free(&dec);
    return rc;
}

static void gallery_file(char *buf, size_t n, const char *plan, const char *strategy)
{
    /* set/ID -> set__ID.strategy.png, with anything odd made '_' */
    char safe[400];
    size_t k = 0;
    for (const char *p = plan; *p && k + 2 < sizeof safe; p++) {
        if (*p == '/') {
            safe[k++] = '_';
            safe[k++] = '_';
        } else {
            char c = *p;
            bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.';
            safe[k++] = ok ? c : '_';
        }
    }
    safe[k] = 0;
    snprintf(buf, n, "%s.%s.png", safe, strategy);
}

static void html_escape(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else if (*s == '"')
            fputs("&quot;", f);
        else
            fputc(*s, f);
    }
}

static int write_index(FILE *f, void *ctx)
{
    const locdet_eval_report *r = ctx;
    fputs("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>locdet eval</title>\n"
          "<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}"
          "td,th{border:1px solid #ccc;padding:4px;vertical-align:top}"
          "img{max-width:640px;display:block}.bad{color:#b00}</style></head><body>\n"
          "<h1>locdet eval</h1>\n<p>Left of each picture: the true rooms (green) with the "
          "detected boxes, matched (blue) or not (red). Right: the detection overlay, true "
          "outlines on top. Matching: greedy one-to-one, box IoU &ge; 0.5.</p>\n<table>\n"
          "<tr><th>strategy</th><th>rooms found / detected / true</th><th>P</th><th>R</th>"
          "<th>F1</th><th>mean IoU</th><th>AUC</th></tr>\n", f);
    for (int s = 0; s < r->n_strategies; s++) {
        locdet_eval_summary sum;
        if (locdet_eval_summarize(r->strategies[s].plans, r->strategies[s].n_plans, &sum) < 0)
            return -1;
        fputs("<tr><td>", f);
        html_escape(f, r->strategies[s].name);
        fprintf(f, "</td><td>%d / %d / %d</td><td>%.3f</td><td>%.3f</td><td><b>%.3f</b></td>"
                   "<td>%.3f</td><td>%.2f</td></tr>\n",
                sum.tp, sum.n_det, sum.n_gt, sum.precision, sum.recall, sum.f1,
                isnan(sum.mean_iou) ? 0 : sum.mean_iou, isnan(sum.auc) ? 0 : sum.auc);
    }
    fputs("</table>\n<table>\n<tr><th>plan</th>", f);
    for (int s = 0; s < r->n_strategies; s++) {
        fputs("<th>", f);
        html_escape(f, r->strategies[s].name);
        fputs("</th>", f);
    }
    fputs("</tr>\n", f);
    int n = r->n_strategies ? r->strategies[0].n_plans : 0;
    for (int i = 0; i < n; i++) {
        fputs("<tr><td>", f);
        html_escape(f, r->strategies[0].plans[i].name);
        fputs("</td>", f);
        for (int s = 0; s < r->n_strategies; s++) {
            const locdet_eval_plan *p = &r->strategies[s].plans[i];
            locdet_eval_summary sum;
            if (locdet_eval_summarize(p, 1, &sum) < 0)
                return -1;
            char file[512];
            gallery_file(file, sizeof file, p->name, r->strategies[s].name);
            fprintf(f, "<td%s>F1 %.3f &middot; %d/%d/%d", sum.f1 < 0.75 ? " class=\"bad\"" : "",
                    sum.f1, sum.tp, sum.n_det, sum.n_gt);
            if (p->error) {
                fputs("<br>", f);
                html_escape(f, p->error);
            } else {
                fputs("<br><a href=\"", f);
                html_escape(f, file);
                fputs("\"><img loading=\"lazy\" src=\"", f);
                html_escape(f, file);
                fputs("\"></a>", f);
            }
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n</body></html>\n", f);
    return ferror(f) ? -1 : 0;
}

/* ------------------------------------------------------------------ run */

static double timing(const cJSON *result, const char *key)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(result, "timings_ms");
    const cJSON *v = t ? cJSON_GetObjectItemCaseSensitive(t, key) : NULL;
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static int run_strategy(const char *name, const char *const *params, int n_params, int threads,
                        const plan_list *plans, const char *gallery, bool quiet,
                        locdet_eval_strategy *out, locdet_error *err)
{
    locdet_host_config cfg = {.strategy = name, .params_env = getenv("LOCDET_PARAMS"),
                              .params = params, .n_params = n_params, .threads = threads};
    locdet_host *h = locdet_host_open(&cfg, err);
    if (!h)
        return -1;
    out->name = strdup(locdet_host_strategy_name(h));
    int rc = out->name ? 0 : -1;
    for (int i = 0; rc == 0 && i < plans->n; i++) {
        const plan_file *pf = &plans->v[i];
        locdet_eval_rooms gt = {0}, det = {0};
        locdet_eval_plan score;
        cJSON *gdoc = locdet_eval_read_json(pf->gt, err);
        if (!gdoc || locdet_eval_rooms_from_gt(gdoc, &gt, err) < 0) {
            cJSON_Delete(gdoc);
            if (err->code == LOCDET_EXIT_INVALID_EVENT && gdoc) {
                char m[sizeof err->message];
                snprintf(m, sizeof m, "%s", err->message);
                locdet_error_set(err, LOCDET_EXIT_INVALID_EVENT, "%s: %s", pf->gt, m);
            }
            rc = -1;
            break;
        }
        cJSON_Delete(gdoc);
        uint8_t *bytes = NULL;
        size_t size = 0;
        locdet_error derr = {0};
        cJSON *res = NULL;
        if (locdet_read_file(pf->image, &bytes, &size, &derr) == LOCDET_EXIT_OK) {
            char job[256];
            snprintf(job, sizeof job, "%s", base_name(pf->name));
            locdet_detect_request req = {.bytes = bytes, .size = size, .job_id = job};
            res = locdet_host_detect(h, &req, &derr);
        }
        const cJSON *status = res ? cJSON_GetObjectItemCaseSensitive(res, "status") : NULL;
        int src;
        if (res && cJSON_IsString(status) && !strcmp(status->valuestring, "completed") &&
            locdet_eval_rooms_from_result(res, &det, &derr) == 0) {
            src = locdet_eval_plan_score(&score, pf->name, &gt, &det);
            if (src == 0) {
                score.detect_ms = timing(res, "detect");
                score.total_ms = timing(res, "total");
            }
        } else {
            src = locdet_eval_plan_failed(&score, pf->name, &gt,
                                          derr.message[0] ? derr.message : "detection failed");
        }
        if (src < 0) {
            locdet_error_set(err, LOCDET_EXIT_INTERNAL, "out of memory");
            rc = -1;
        } else {
            if (!quiet) {
                locdet_eval_summary s;
                if (locdet_eval_summarize(&score, 1, &s) == 0)
                    fprintf(stderr, "  %-10s %-40s %3d/%3d/%3d F1 %.3f%s%s\n", out->name,
                            pf->name, s.tp, s.n_det, s.n_gt, s.f1, score.error ? "  " : "",
                            score.error ? score.error : "");
            }
            if (gallery && res && !score.error) {
                char file[512];
                gallery_file(file, sizeof file, pf->name, out->name);
                char *path = join(gallery, file);
                locdet_error gerr = {0};
                if (!path || write_gallery_png(path, bytes, size, res, &gt, &det, &score, &gerr) < 0)
                    fprintf(stderr, "locdet eval: gallery %s: %s\n", file,
                            gerr.message[0] ? gerr.message : "out of memory");
                free(path);
            }
            if (locdet_eval_strategy_add(out, &score) < 0) {
                locdet_eval_plan_free(&score);
                locdet_error_set(err, LOCDET_EXIT_INTERNAL, "out of memory");
                rc = -1;
            }
        }
        cJSON_Delete(res);
        free(bytes);
        locdet_eval_rooms_free(&gt);
        locdet_eval_rooms_free(&det);
    }
    locdet_host_close(h);
    return rc;
}

int locdet_eval_command(int argc, char **argv)
{
    static const struct option opts[] = {
        {"strategy", required_argument, NULL, 's'}, {"param", required_argument, NULL, 'p'},
        {"json", no_argument, NULL, 'J'},           {"gallery", required_argument, NULL, 'g'},
        {"half", required_argument, NULL, 'H'},     {"threads", required_argument, NULL, 't'},
        {"quiet", no_argument, NULL, 'q'},          {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char **strategies = calloc((size_t)argc + 1, sizeof *strategies);
    const char **params = calloc((size_t)argc + 1, sizeof *params);
    const char **mine = calloc((size_t)argc + 1, sizeof *mine);
    int n_strategies = 0, n_params = 0, threads = 0, half = 0;
    bool json = false, quiet = false;
    const char *gallery = NULL;
    int rc = LOCDET_EXIT_OK;
    locdet_eval_report rep = {0};
    plan_list plans = {0};
    locdet_error err = {0};
    if (!strategies || !params || !mine) {
        fprintf(stderr, "locdet eval: out of memory\n");
        rc = LOCDET_EXIT_INTERNAL;
        goto out;
    }
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":s:p:g:t:qh", opts, NULL)) != -1) {
        switch (c) {
        case 's': strategies[n_strategies++] = optarg; break;
        case 'p': params[n_params++] = optarg; break;
        case 'J': json = true; break;
        case 'g': gallery = optarg; break;
        case 'q': quiet = true; break;
        case 'H':
            if (!strcmp(optarg, "even"))
                half = 1;
            else if (!strcmp(optarg, "odd"))
                half = 2;
            else {
                rc = usage("--half wants even or odd", optarg);
                goto out;
            }
            break;
        case 't': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 1024) {
                rc = usage("--threads wants a whole number 1..1024", optarg);
                goto out;
            }
            threads = (int)v;
            break;
        }
        case 'h':
            fputs(usage_eval, stdout);
            goto out;
        case ':': rc = usage("option needs a value", argv[optind - 1]); goto out;
        default: rc = usage("unknown option", argv[optind - 1]); goto out;
        }
    }
    int n_dirs = argc - optind;
    if (n_dirs <= 0) {
        rc = usage("no folders given", NULL);
        goto out;
    }
    if (n_strategies == 0) {
        const char *env = getenv("LOCDET_STRATEGY");
        strategies[n_strategies++] = env && *env ? env : LOCDET_DEFAULT_STRATEGY;
    }
    rep.set_names = calloc((size_t)n_dirs, sizeof *rep.set_names);
    if (!rep.set_names) {
        rc = LOCDET_EXIT_INTERNAL;
        goto out;
    }
    for (int i = 0; i < n_dirs; i++) {
        const char *dir = argv[optind + i];
        rep.set_names[rep.n_sets++] = strdup(base_name(dir));
        if (list_dir(dir, i, half, &plans, &err) < 0) {
            fprintf(stderr, "locdet eval: %s\n", err.message);
            rc = err.code;
            goto out;
        }
    }
    if (plans.n == 0) {
        fprintf(stderr, "locdet eval: no plans with ground truth (*.gt.json) in the folders given\n");
        rc = LOCDET_EXIT_USAGE;
        goto out;
    }
    rep.set_of_plan = calloc((size_t)plans.n, sizeof *rep.set_of_plan);
    rep.strategies = calloc((size_t)n_strategies, sizeof *rep.strategies);
    if (!rep.set_of_plan || !rep.strategies) {
        rc = LOCDET_EXIT_INTERNAL;
        goto out;
    }
    for (int i = 0; i < plans.n; i++)
        rep.set_of_plan[i] = plans.v[i].set;
    rep.n_plans_total = plans.n;
    if (gallery && mkdir(gallery, 0755) < 0 && errno != EEXIST) {
        fprintf(stderr, "locdet eval: %s: cannot create (%s)\n", gallery, strerror(errno));
        rc = LOCDET_EXIT_STORAGE;
        goto out;
    }
    for (int s = 0; s < n_strategies; s++) {
        /* parameters: plain K=V for every strategy, S:K=V for strategy S */
        int n_mine = 0;
        size_t sl = strlen(strategies[s]);
        for (int i = 0; i < n_params; i++) {
            const char *colon = strchr(params[i], ':'), *eq = strchr(params[i], '=');
            if (colon && (!eq || colon < eq)) {
                if ((size_t)(colon - params[i]) == sl && !strncmp(params[i], strategies[s], sl))
                    mine[n_mine++] = colon + 1;
            } else {
                mine[n_mine++] = params[i];
            }
        }
        if (run_strategy(strategies[s], mine, n_mine, threads, &plans, gallery, quiet,
                         &rep.strategies[rep.n_strategies], &err) < 0) {
            fprintf(stderr, "locdet eval: %s\n", err.message);
            rc = err.code ? err.code : LOCDET_EXIT_INTERNAL;
            rep.n_strategies++; /* freed with the report */
            goto out;
        }
        rep.n_strategies++;
    }
    locdet_eval_print_table(json ? stderr : stdout, &rep);
    if (json) {
        cJSON *doc = locdet_eval_report_json(&rep);
        char *text = doc ? cJSON_Print(doc) : NULL;
        cJSON_Delete(doc);
        if (!text) {
            rc = LOCDET_EXIT_INTERNAL;
            goto out;
        }
        puts(text);
        cJSON_free(text);
    }
    if (gallery) {
        char *index = join(gallery, "index.html");
        if (!index || locdet_write_atomic(index, write_index, &rep, &err) != LOCDET_EXIT_OK) {
            fprintf(stderr, "locdet eval: %s\n", index ? err.message : "out of memory");
            rc = LOCDET_EXIT_STORAGE;
        } else if (!quiet) {
            fprintf(stderr, "gallery: %s\n", index);
        }
        free(index);
    }
out:
    for (int i = 0; i < plans.n; i++) {
        free(plans.v[i].name);
        free(plans.v[i].image);
        free(plans.v[i].gt);
    }
    free(plans.v);
    locdet_eval_report_free(&rep);
    free(strategies);
    free(params);
    free(mine);
    return rc;
}
