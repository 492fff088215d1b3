/* Evaluation against ground truth: parsing, matching, polygon IoU, AUC,
 * pooling, table and JSON. See eval.h and docs/eval.md. */
#include "eval.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Records the error (locdet_error_set) and gives -1, these functions'
 * failure value. */
#define fail(err, code, ...) (locdet_error_set((err), (code), __VA_ARGS__), -1)

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* ---------------------------------------------------------------- parsing */

cJSON *locdet_eval_read_json(const char *path, locdet_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        locdet_error_set(err, LOCDET_EXIT_INVALID_EVENT, "%s: cannot open", path);
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (len + 1 < cap)
            break;
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    int read_error = ferror(f);
    fclose(f);
    if (!buf) {
        locdet_error_set(err, LOCDET_EXIT_INTERNAL, "%s: out of memory", path);
        return NULL;
    }
    if (read_error) {
        free(buf);
        locdet_error_set(err, LOCDET_EXIT_INVALID_EVENT, "%s: read error", path);
        return NULL;
    }
    buf[len] = 0;
    cJSON *doc = cJSON_ParseWithLength(buf, len);
    free(buf);
    if (!doc)
        locdet_error_set(err, LOCDET_EXIT_INVALID_EVENT, "%s: not valid JSON", path);
    return doc;
}

static bool read_box(const cJSON *arr, double box[4])
{
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) != 4)
        return false;
    for (int i = 0; i < 4; i++) {
        const cJSON *v = cJSON_GetArrayItem(arr, i);
        if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
            return false;
        box[i] = v->valuedouble;
    }
    return box[2] >= box[0] && box[3] >= box[1];
}

/* polygon: [[x,y],...]; absent or null gives no polygon. 1 ok, 0 malformed, -1 nomem */
static int read_polygon(const cJSON *arr, locdet_eval_room *r)
{
    r->poly = NULL;
    r->n_poly = 0;
    if (!arr || cJSON_IsNull(arr))
        return 1;
    if (!cJSON_IsArray(arr))
        return 0;
    int n = cJSON_GetArraySize(arr);
    if (n == 0)
        return 1;
    double *p = malloc(sizeof *p * 2 * (size_t)n);
    if (!p)
        return -1;
    int i = 0;
    const cJSON *pt;
    cJSON_ArrayForEach(pt, arr) {
        const cJSON *x = cJSON_GetArrayItem(pt, 0), *y = cJSON_GetArrayItem(pt, 1);
        if (!cJSON_IsArray(pt) || cJSON_GetArraySize(pt) != 2 || !cJSON_IsNumber(x) ||
            !cJSON_IsNumber(y) || !isfinite(x->valuedouble) || !isfinite(y->valuedouble)) {
            free(p);
            return 0;
        }
        p[2 * i] = x->valuedouble;
        p[2 * i + 1] = y->valuedouble;
        i++;
    }
    r->poly = p;
    r->n_poly = n;
    return 1;
}

static int read_rooms(const cJSON *doc, const char *box_key, locdet_eval_rooms *out,
                      locdet_error *err)
{
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(doc))
        return fail(err, LOCDET_EXIT_INVALID_EVENT, "not a JSON object");
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(doc, "width");
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(doc, "height");
    const cJSON *img = cJSON_GetObjectItemCaseSensitive(doc, "image");
    if (cJSON_IsObject(img)) { /* a result: image {width, height, format} */
        w = cJSON_GetObjectItemCaseSensitive(img, "width");
        h = cJSON_GetObjectItemCaseSensitive(img, "height");
    }
    out->width = cJSON_IsNumber(w) ? (int)w->valuedouble : 0;
    out->height = cJSON_IsNumber(h) ? (int)h->valuedouble : 0;
    const cJSON *rooms = cJSON_GetObjectItemCaseSensitive(doc, "rooms");
    if (!cJSON_IsArray(rooms))
        return fail(err, LOCDET_EXIT_INVALID_EVENT, "no \"rooms\" array");
    int n = cJSON_GetArraySize(rooms);
    out->room = calloc(n ? (size_t)n : 1, sizeof *out->room);
    if (!out->room)
        return fail(err, LOCDET_EXIT_INTERNAL, "out of memory");
    const cJSON *r;
    cJSON_ArrayForEach(r, rooms) {
        locdet_eval_room *e = &out->room[out->n];
        if (!read_box(cJSON_GetObjectItemCaseSensitive(r, box_key), e->bbox)) {
            int i = out->n;
            locdet_eval_rooms_free(out);
            return fail(err, LOCDET_EXIT_INVALID_EVENT,
                        "rooms[%d]: \"%s\" is not [x0,y0,x1,y1] with x0<=x1, y0<=y1", i, box_key);
        }
        int pr = read_polygon(cJSON_GetObjectItemCaseSensitive(r, "polygon"), e);
        if (pr <= 0) {
            int i = out->n;
            locdet_eval_rooms_free(out);
            return pr < 0 ? fail(err, LOCDET_EXIT_INTERNAL, "out of memory")
                          : fail(err, LOCDET_EXIT_INVALID_EVENT,
                                 "rooms[%d]: \"polygon\" is not [[x,y],...]", i);
        }
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(r, "confidence");
        e->confidence = cJSON_IsNumber(c) ? c->valuedouble : NAN;
        const cJSON *l = cJSON_GetObjectItemCaseSensitive(r, "label");
        if (cJSON_IsString(l))
            snprintf(e->label, sizeof e->label, "%s", l->valuestring);
        out->n++;
    }
    return 0;
}

int locdet_eval_rooms_from_gt(const cJSON *doc, locdet_eval_rooms *out, locdet_error *err)
{
    return read_rooms(doc, "bbox", out, err);
}

int locdet_eval_rooms_from_result(const cJSON *doc, locdet_eval_rooms *out, locdet_error *err)
{
    return read_rooms(doc, "bbox_px", out, err);
}

void locdet_eval_rooms_free(locdet_eval_rooms *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->n; i++)
        free(r->room[i].poly);
    free(r->room);
    memset(r, 0, sizeof *r);
}

/* ---------------------------------------------------------------- geometry */

double locdet_eval_box_iou(const double a[4], const double b[4])
{
    double iw = fmin(a[2], b[2]) - fmax(a[0], b[0]);
    double ih = fmin(a[3], b[3]) - fmax(a[1], b[1]);
    double inter = iw > 0 && ih > 0 ? iw * ih : 0;
    double ua = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
    return ua > 0 ? inter / ua : 0;
}

static void poly_bounds(const double *p, int n, double *x0, double *y0, double *x1, double *y1)
{
    *x0 = *y0 = INFINITY;
    *x1 = *y1 = -INFINITY;
    for (int i = 0; i < n; i++) {
        *x0 = fmin(*x0, p[2 * i]);
        *x1 = fmax(*x1, p[2 * i]);
        *y0 = fmin(*y0, p[2 * i + 1]);
        *y1 = fmax(*y1, p[2 * i + 1]);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Fill row[0..w) (pixel x = bx + i) with 1 where the pixel centre (x+.5,
 * yc) lies inside the polygon, even-odd rule. xs has room for n crossings. */
static void fill_row(uint8_t *row, int bx, int w, const double *p, int n, double yc, double *xs)
{
    int k = 0;
    for (int i = 0, j = n - 1; i < n; j = i++) {
        double xi = p[2 * i], yi = p[2 * i + 1], xj = p[2 * j], yj = p[2 * j + 1];
        /* half-open in y so a vertex on the scanline counts once */
        if ((yi <= yc && yc < yj) || (yj <= yc && yc < yi))
            xs[k++] = xi + (yc - yi) * (xj - xi) / (yj - yi);
    }
    qsort(xs, (size_t)k, sizeof *xs, cmp_double);
    for (int i = 0; i + 1 < k; i += 2) {
        /* centres x+.5 in [xa, xb): x from ceil(xa-.5) to ceil(xb-.5)-1 */
        long a = (long)ceil(xs[i] - 0.5) - bx, b = (long)ceil(xs[i + 1] - 0.5) - bx;
        if (a < 0)
            a = 0;
        if (b > w)
            b = w;
        for (long x = a; x < b; x++)
            row[x] ^= 1;
    }
}

static double raster_iou(const double *a, int na, const double *b, int nb, long *area_a)
{
    double ax0, ay0, ax1, ay1, bx0, by0, bx1, by1;
    poly_bounds(a, na, &ax0, &ay0, &ax1, &ay1);
    if (nb > 0)
        poly_bounds(b, nb, &bx0, &by0, &bx1, &by1);
    else
        bx0 = ax0, by0 = ay0, bx1 = ax1, by1 = ay1;
    double ux0 = fmin(ax0, bx0), uy0 = fmin(ay0, by0), ux1 = fmax(ax1, bx1), uy1 = fmax(ay1, by1);
    if (!(ux1 > ux0 && uy1 > uy0)) {
        if (area_a)
            *area_a = 0;
        return 0;
    }
    int bx = (int)floor(ux0), by = (int)floor(uy0);
    int w = (int)ceil(ux1) - bx, h = (int)ceil(uy1) - by;
    uint8_t *ra = calloc((size_t)w * 2, 1);
    double *xs = malloc(sizeof *xs * (size_t)(na > nb ? na : nb));
    if (!ra || !xs) {
        free(ra);
        free(xs);
        return -1;
    }
    uint8_t *rb = ra + w;
    long inter = 0, uni = 0, aa = 0;
    for (int y = 0; y < h; y++) {
        double yc = by + y + 0.5;
        memset(ra, 0, (size_t)w * 2);
        fill_row(ra, bx, w, a, na, yc, xs);
        if (nb > 0)
            fill_row(rb, bx, w, b, nb, yc, xs);
        for (int x = 0; x < w; x++) {
            inter += ra[x] & rb[x];
            uni += ra[x] | rb[x];
            aa += ra[x];
        }
    }
    free(ra);
    free(xs);
    if (area_a)
        *area_a = aa;
    return uni > 0 ? (double)inter / (double)uni : 0;
}

double locdet_eval_polygon_iou(const double *a, int na, const double *b, int nb)
{
    if (na < 3 || nb < 3)
        return 0;
    return raster_iou(a, na, b, nb, NULL);
}

long locdet_eval_polygon_area(const double *p, int n)
{
    if (n < 3)
        return 0;
    long area = 0;
    if (raster_iou(p, n, NULL, 0, &area) < 0)
        return -1;
    return area;
}

/* ---------------------------------------------------------------- AUC */

typedef struct scored {
    double v;
    int pos;
} scored;

static int cmp_scored(const void *a, const void *b)
{
    return cmp_double(&((const scored *)a)->v, &((const scored *)b)->v);
}

double locdet_eval_auc(const double *pos, int n_pos, const double *neg, int n_neg)
{
    if (n_pos <= 0 || n_neg <= 0)
        return NAN;
    size_t n = (size_t)n_pos + (size_t)n_neg;
    scored *s = malloc(sizeof *s * n);
    if (!s)
        return -2;
    for (int i = 0; i < n_pos; i++)
        s[i] = (scored){pos[i], 1};
    for (int i = 0; i < n_neg; i++)
        s[n_pos + i] = (scored){neg[i], 0};
    qsort(s, n, sizeof *s, cmp_scored);
    /* Mann-Whitney: sum of the positives' ranks (1-based, ties averaged). */
    double rank_sum = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && s[j].v == s[i].v)
            j++;
        double avg = (double)(i + 1 + j) / 2.0; /* mean of ranks i+1..j */
        for (size_t k = i; k < j; k++)
            if (s[k].pos)
                rank_sum += avg;
        i = j;
    }
    free(s);
    double u = rank_sum - (double)n_pos * (n_pos + 1) / 2.0;
    return u / ((double)n_pos * (double)n_neg);
}

/* ---------------------------------------------------------------- matching */

typedef struct pair {
    double iou;
    int g, d;
} pair;

static int cmp_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->iou != y->iou)
        return x->iou < y->iou ? 1 : -1; /* best first */
    if (x->g != y->g)
        return x->g - y->g;
    return x->d - y->d;
}

static int plan_init(locdet_eval_plan *out, const char *name, const locdet_eval_rooms *gt,
                     int n_det)
{
    memset(out, 0, sizeof *out);
    out->detect_ms = out->total_ms = NAN;
    out->n_gt = gt->n;
    out->n_det = n_det;
    size_t nd = n_det ? (size_t)n_det : 1, ng = gt->n ? (size_t)gt->n : 1;
    out->name = dup_str(name ? name : "");
    out->det_match = malloc(sizeof *out->det_match * nd);
    out->det_iou = calloc(nd, sizeof *out->det_iou);
    out->det_conf = malloc(sizeof *out->det_conf * nd);
    out->gt_label = malloc(sizeof *out->gt_label * ng);
    out->gt_matched = calloc(ng, 1);
    if (!out->name || !out->det_match || !out->det_iou || !out->det_conf || !out->gt_label ||
        !out->gt_matched) {
        locdet_eval_plan_free(out);
        return -1;
    }
    for (int i = 0; i < n_det; i++)
        out->det_match[i] = -1;
    for (int g = 0; g < gt->n; g++)
        memcpy(out->gt_label[g], gt->room[g].label, sizeof out->gt_label[g]);
    return 0;
}

int locdet_eval_plan_score(locdet_eval_plan *out, const char *name,
                           const locdet_eval_rooms *gt, const locdet_eval_rooms *det)
{
    if (plan_init(out, name, gt, det->n) < 0)
        return -1;
    for (int i = 0; i < det->n; i++)
        out->det_conf[i] = det->room[i].confidence;
    size_t cap = 16, np = 0;
    pair *pairs = malloc(sizeof *pairs * cap);
    char *gt_used = calloc(gt->n ? (size_t)gt->n : 1, 1);
    if (!pairs || !gt_used)
        goto nomem;
    for (int g = 0; g < gt->n; g++) {
        for (int d = 0; d < det->n; d++) {
            double iou = locdet_eval_box_iou(gt->room[g].bbox, det->room[d].bbox);
            if (iou < LOCDET_EVAL_IOU_MATCH)
                continue;
            if (np == cap) {
                pair *q = realloc(pairs, sizeof *pairs * cap * 2);
                if (!q)
                    goto nomem;
                pairs = q;
                cap *= 2;
            }
            pairs[np++] = (pair){iou, g, d};
        }
    }
    qsort(pairs, np, sizeof *pairs, cmp_pair);
    for (size_t i = 0; i < np; i++) {
        const pair *p = &pairs[i];
        if (gt_used[p->g] || out->det_match[p->d] >= 0)
            continue;
        gt_used[p->g] = 1;
        out->gt_matched[p->g] = 1;
        out->det_match[p->d] = p->g;
        out->det_iou[p->d] = p->iou;
        out->tp++;
        out->sum_iou += p->iou;
        const locdet_eval_room *a = &gt->room[p->g], *b = &det->room[p->d];
        if (a->n_poly >= 3 && b->n_poly >= 3) {
            double pi = locdet_eval_polygon_iou(a->poly, a->n_poly, b->poly, b->n_poly);
            if (pi < 0)
                goto nomem;
            out->sum_poly_iou += pi;
            out->n_poly++;
        }
    }
    free(pairs);
    free(gt_used);
    return 0;
nomem:
    free(pairs);
    free(gt_used);
    locdet_eval_plan_free(out);
    return -1;
}

int locdet_eval_plan_failed(locdet_eval_plan *out, const char *name,
                            const locdet_eval_rooms *gt, const char *message)
{
    if (plan_init(out, name, gt, 0) < 0)
        return -1;
    out->error = dup_str(message ? message : "failed");
    if (!out->error) {
        locdet_eval_plan_free(out);
        return -1;
    }
    return 0;
}

void locdet_eval_plan_free(locdet_eval_plan *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->det_match);
    free(p->det_iou);
    free(p->det_conf);
    free(p->gt_label);
    free(p->gt_matched);
    free(p->error);
    memset(p, 0, sizeof *p);
}

/* ---------------------------------------------------------------- pooling */

static int cmp_label_recall(const void *a, const void *b)
{
    const locdet_eval_label_recall *x = a, *y = b;
    if (x->n_gt != y->n_gt)
        return x->n_gt < y->n_gt ? 1 : -1;
    return strcmp(x->label, y->label);
}

/* Count plan p's labelled true rooms into out->labels. */
static void count_labels(locdet_eval_summary *out, const locdet_eval_plan *p)
{
    for (int g = 0; g < p->n_gt; g++) {
        const char *label = p->gt_label[g];
        if (!label[0])
            continue;
        int i = 0;
        while (i < out->n_labels && strcmp(out->labels[i].label, label) != 0)
            i++;
        if (i == out->n_labels) {
            if (i < LOCDET_EVAL_LABELS - 1) {
                snprintf(out->labels[i].label, sizeof out->labels[i].label, "%s", label);
                out->n_labels++;
            } else { /* the last entry pools every further label */
                i = LOCDET_EVAL_LABELS - 1;
                if (out->n_labels == i) {
                    snprintf(out->labels[i].label, sizeof out->labels[i].label, "(more)");
                    out->n_labels++;
                }
            }
        }
        out->labels[i].n_gt++;
        out->labels[i].tp += p->gt_matched[g];
    }
}

static double median(double *v, int n)
{
    if (n == 0)
        return NAN;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int locdet_eval_summarize(const locdet_eval_plan *plans, int n, locdet_eval_summary *out)
{
    memset(out, 0, sizeof *out);
    int total_det = 0;
    for (int i = 0; i < n; i++)
        total_det += plans[i].n_det;
    double *pos = malloc(sizeof *pos * (size_t)(total_det + 1));
    double *neg = malloc(sizeof *neg * (size_t)(total_det + 1));
    double *dms = malloc(sizeof *dms * (size_t)(n + 1));
    double *tms = malloc(sizeof *tms * (size_t)(n + 1));
    if (!pos || !neg || !dms || !tms) {
        free(pos), free(neg), free(dms), free(tms);
        return -1;
    }
    int np = 0, nn = 0, nd = 0, nt = 0, n_poly = 0;
    double sum_iou = 0, sum_poly = 0;
    out->detect_ms_max = NAN;
    for (int i = 0; i < n; i++) {
        const locdet_eval_plan *p = &plans[i];
        out->plans++;
        out->failed += p->error != NULL;
        out->n_gt += p->n_gt;
        out->n_det += p->n_det;
        out->tp += p->tp;
        sum_iou += p->sum_iou;
        sum_poly += p->sum_poly_iou;
        n_poly += p->n_poly;
        for (int d = 0; d < p->n_det; d++) {
            if (isnan(p->det_conf[d]))
                continue;
            if (p->det_match[d] >= 0)
                pos[np++] = p->det_conf[d];
            else
                neg[nn++] = p->det_conf[d];
        }
        if (!isnan(p->detect_ms)) {
            dms[nd++] = p->detect_ms;
            out->detect_ms_max = isnan(out->detect_ms_max) ? p->detect_ms
                                                            : fmax(out->detect_ms_max, p->detect_ms);
        }
        if (!isnan(p->total_ms))
            tms[nt++] = p->total_ms;
        count_labels(out, p);
    }
    /* "(more)", when there, stays last */
    qsort(out->labels, (size_t)(out->n_labels - (out->n_labels == LOCDET_EVAL_LABELS)),
          sizeof *out->labels, cmp_label_recall);
    /* No detections and nothing to find is a perfect score; otherwise the
     * usual ratios (F1 = 2 tp / (gt + det) equals 2PR / (P + R)). */
    out->precision = out->n_det ? (double)out->tp / out->n_det : (out->n_gt ? 0 : 1);
    out->recall = out->n_gt ? (double)out->tp / out->n_gt : 1;
    out->f1 = out->n_gt + out->n_det ? 2.0 * out->tp / (out->n_gt + out->n_det) : 1;
    out->mean_iou = out->tp ? sum_iou / out->tp : NAN;
    out->mean_poly_iou = n_poly ? sum_poly / n_poly : NAN;
    out->auc = locdet_eval_auc(pos, np, neg, nn);
    out->detect_ms_median = median(dms, nd);
    out->total_ms_median = median(tms, nt);
    free(pos), free(neg), free(dms), free(tms);
    return out->auc == -2 ? -1 : 0;
}

/* ---------------------------------------------------------------- report */

int locdet_eval_strategy_add(locdet_eval_strategy *s, locdet_eval_plan *p)
{
    if (s->n_plans == s->cap_plans) {
        int cap = s->cap_plans ? s->cap_plans * 2 : 16;
        locdet_eval_plan *q = realloc(s->plans, sizeof *q * (size_t)cap);
        if (!q)
            return -1;
        s->plans = q;
        s->cap_plans = cap;
    }
    s->plans[s->n_plans++] = *p;
    memset(p, 0, sizeof *p);
    return 0;
}

void locdet_eval_report_free(locdet_eval_report *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->n_strategies; i++) {
        locdet_eval_strategy *s = &r->strategies[i];
        for (int j = 0; j < s->n_plans; j++)
            locdet_eval_plan_free(&s->plans[j]);
        free(s->plans);
        free(s->name);
    }
    free(r->strategies);
    for (int i = 0; i < r->n_sets; i++)
        free(r->set_names[i]);
    free(r->set_names);
    free(r->set_of_plan);
    memset(r, 0, sizeof *r);
}

/* The plans of strategy s that belong to set k (k < 0: all), copied
 * shallowly into tmp. */
static int plans_of_set(const locdet_eval_report *r, const locdet_eval_strategy *s, int k,
                        locdet_eval_plan *tmp)
{
    int n = 0;
    for (int i = 0; i < s->n_plans; i++)
        if (k < 0 || (r->set_of_plan && r->set_of_plan[i] == k))
            tmp[n++] = s->plans[i];
    return n;
}

static void fmt_num(char *buf, size_t n, double v, const char *fmt)
{
    if (isnan(v))
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, fmt, v);
}

enum { COLW = 56 }; /* width of one strategy's cells */

static void print_cells(FILE *f, const locdet_eval_summary *s)
{
    char iou[16], piou[16], auc[16], ms[16];
    fmt_num(iou, sizeof iou, s->mean_iou, "%.3f");
    fmt_num(piou, sizeof piou, s->mean_poly_iou, "%.3f");
    fmt_num(auc, sizeof auc, s->auc, "%.2f");
    fmt_num(ms, sizeof ms, s->detect_ms_median, "%.1f");
    char tp[24];
    snprintf(tp, sizeof tp, "%d/%d/%d", s->tp, s->n_det, s->n_gt);
    fprintf(f, " | %-11s %5.3f %5.3f %5.3f %5s %5s %4s %6s", tp, s->precision, s->recall, s->f1,
            iou, piou, auc, ms);
}

static void print_rule(FILE *f, int name_w, int n)
{
    for (int i = 0; i < name_w + n * COLW; i++)
        fputc('-', f);
    fputc('\n', f);
}

void locdet_eval_print_table(FILE *f, const locdet_eval_report *r)
{
    int name_w = 12;
    for (int i = 0; r->n_strategies && i < r->strategies[0].n_plans; i++) {
        int l = (int)strlen(r->strategies[0].plans[i].name);
        if (l > name_w)
            name_w = l;
    }
    for (int k = 0; k < r->n_sets; k++) {
        int l = (int)strlen(r->set_names[k]) + 8;
        if (l > name_w)
            name_w = l;
    }
    if (name_w > 48)
        name_w = 48;
    fprintf(f, "%-*s", name_w, "plan");
    for (int s = 0; s < r->n_strategies; s++)
        fprintf(f, " | %-*.*s", COLW - 3, COLW - 3, r->strategies[s].name);
    fputc('\n', f);
    fprintf(f, "%-*s", name_w, "");
    for (int s = 0; s < r->n_strategies; s++)
        fprintf(f, " | %-11s %5s %5s %5s %5s %5s %4s %6s", "tp/det/gt", "P", "R", "F1", "IoU",
                "pIoU", "AUC", "ms");
    fputc('\n', f);
    print_rule(f, name_w, r->n_strategies);
    int n_plans = r->n_strategies ? r->strategies[0].n_plans : 0;
    for (int i = 0; i < n_plans; i++) {
        fprintf(f, "%-*.*s", name_w, name_w, r->strategies[0].plans[i].name);
        for (int s = 0; s < r->n_strategies; s++) {
            const locdet_eval_plan *p = &r->strategies[s].plans[i];
            locdet_eval_summary sum;
            if (locdet_eval_summarize(p, 1, &sum) < 0)
                return;
            print_cells(f, &sum);
        }
        fputc('\n', f);
        for (int s = 0; s < r->n_strategies; s++)
            if (r->strategies[s].plans[i].error)
                fprintf(f, "%*s  ! %s: %s\n", name_w, "", r->strategies[s].name,
                        r->strategies[s].plans[i].error);
    }
    print_rule(f, name_w, r->n_strategies);
    locdet_eval_plan *tmp = malloc(sizeof *tmp * (size_t)(n_plans + 1));
    if (!tmp)
        return;
    /* one line per set when there are several, then all plans pooled */
    for (int k = r->n_sets > 1 ? 0 : r->n_sets; k <= r->n_sets; k++) {
        bool all = k == r->n_sets;
        char label[64];
        snprintf(label, sizeof label, "pooled%s%s", all ? "" : " ", all ? "" : r->set_names[k]);
        fprintf(f, "%-*.*s", name_w, name_w, label);
        for (int s = 0; s < r->n_strategies; s++) {
            int n = plans_of_set(r, &r->strategies[s], all ? -1 : k, tmp);
            locdet_eval_summary sum;
            if (locdet_eval_summarize(tmp, n, &sum) < 0)
                break;
            print_cells(f, &sum);
        }
        fputc('\n', f);
    }
    /* where the misses are: recall per true label, all plans pooled */
    for (int s = 0; s < r->n_strategies; s++) {
        int n = plans_of_set(r, &r->strategies[s], -1, tmp);
        locdet_eval_summary sum;
        if (locdet_eval_summarize(tmp, n, &sum) < 0 || !sum.n_labels)
            continue;
        int col = fprintf(f, "recall by true label, %s:", r->strategies[s].name);
        for (int i = 0; i < sum.n_labels; i++) {
            const locdet_eval_label_recall *l = &sum.labels[i];
            char cell[LOCDET_EVAL_LABEL_MAX + 32];
            int len = snprintf(cell, sizeof cell, " %s %d/%d %.2f%s", l->label, l->tp, l->n_gt,
                               (double)l->tp / l->n_gt, i + 1 < sum.n_labels ? "," : "");
            if (col + len > 100 && i) { /* wrap, indented */
                fputs("\n ", f);
                col = 1;
            }
            fputs(cell, f);
            col += len;
        }
        fputc('\n', f);
    }
    free(tmp);
    fprintf(f, "(IoU: mean box IoU of matches at IoU >= %.1f; pIoU: mean polygon IoU of "
               "matches; AUC: confidence, matched vs unmatched; ms: median detect time)\n",
            LOCDET_EVAL_IOU_MATCH);
}

static void add_num(cJSON *o, const char *k, double v)
{
    if (isnan(v))
        cJSON_AddNullToObject(o, k);
    else
        cJSON_AddNumberToObject(o, k, v);
}

cJSON *locdet_eval_summary_json(const locdet_eval_summary *s)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddNumberToObject(o, "plans", s->plans);
    cJSON_AddNumberToObject(o, "failed", s->failed);
    cJSON_AddNumberToObject(o, "gt", s->n_gt);
    cJSON_AddNumberToObject(o, "detected", s->n_det);
    cJSON_AddNumberToObject(o, "matched", s->tp);
    add_num(o, "precision", s->precision);
    add_num(o, "recall", s->recall);
    add_num(o, "f1", s->f1);
    add_num(o, "mean_iou", s->mean_iou);
    add_num(o, "mean_polygon_iou", s->mean_poly_iou);
    add_num(o, "auc", s->auc);
    add_num(o, "detect_ms_median", s->detect_ms_median);
    add_num(o, "detect_ms_max", s->detect_ms_max);
    add_num(o, "total_ms_median", s->total_ms_median);
    cJSON *labels = cJSON_AddArrayToObject(o, "recall_by_label");
    for (int i = 0; labels && i < s->n_labels; i++) {
        const locdet_eval_label_recall *l = &s->labels[i];
        cJSON *e = cJSON_CreateObject();
        if (!e || !cJSON_AddItemToArray(labels, e)) {
            cJSON_Delete(e);
            cJSON_Delete(o);
            return NULL;
        }
        cJSON_AddStringToObject(e, "label", l->label);
        cJSON_AddNumberToObject(e, "gt", l->n_gt);
        cJSON_AddNumberToObject(e, "matched", l->tp);
        cJSON_AddNumberToObject(e, "recall", (double)l->tp / l->n_gt);
    }
    if (!labels) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* The plan's detections in result order: confidence, the index of the
 * true room matched (in the ground truth's "rooms") and the box IoU with it
 * (both null when unmatched), for calibrating or choosing a confidence. */
static int add_detections(cJSON *o, const locdet_eval_plan *p)
{
    cJSON *dets = cJSON_AddArrayToObject(o, "detections");
    if (!dets)
        return -1;
    for (int d = 0; d < p->n_det; d++) {
        cJSON *e = cJSON_CreateObject();
        if (!e || !cJSON_AddItemToArray(dets, e))
            return -1;
        add_num(e, "confidence", p->det_conf[d]);
        if (p->det_match[d] >= 0) {
            cJSON_AddNumberToObject(e, "match", p->det_match[d]);
            cJSON_AddNumberToObject(e, "iou", p->det_iou[d]);
        } else {
            cJSON_AddNullToObject(e, "match");
            cJSON_AddNullToObject(e, "iou");
        }
    }
    return 0;
}

cJSON *locdet_eval_report_json(const locdet_eval_report *r)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *strategies = doc ? cJSON_AddArrayToObject(doc, "strategies") : NULL;
    int n_plans = r->n_strategies ? r->strategies[0].n_plans : 0;
    locdet_eval_plan *tmp = malloc(sizeof *tmp * (size_t)(n_plans + 1));
    if (!strategies || !tmp)
        goto nomem;
    cJSON_AddNumberToObject(doc, "iou_threshold", LOCDET_EVAL_IOU_MATCH);
    for (int s = 0; s < r->n_strategies; s++) {
        const locdet_eval_strategy *st = &r->strategies[s];
        cJSON *so = cJSON_CreateObject();
        if (!so || !cJSON_AddItemToArray(strategies, so))
            goto nomem;
        cJSON_AddStringToObject(so, "name", st->name);
        locdet_eval_summary sum;
        if (locdet_eval_summarize(st->plans, st->n_plans, &sum) < 0)
            goto nomem;
        cJSON_AddItemToObject(so, "pooled", locdet_eval_summary_json(&sum));
        cJSON *sets = cJSON_AddArrayToObject(so, "sets");
        for (int k = 0; sets && k < r->n_sets; k++) {
            int n = plans_of_set(r, st, k, tmp);
            if (locdet_eval_summarize(tmp, n, &sum) < 0)
                goto nomem;
            cJSON *o = locdet_eval_summary_json(&sum);
            if (!o)
                goto nomem;
            cJSON_AddStringToObject(o, "set", r->set_names[k]);
            cJSON_AddItemToArray(sets, o);
        }
        cJSON *plans = cJSON_AddArrayToObject(so, "plans");
        for (int i = 0; plans && i < st->n_plans; i++) {
            if (locdet_eval_summarize(&st->plans[i], 1, &sum) < 0)
                goto nomem;
            cJSON *o = locdet_eval_summary_json(&sum);
            if (!o)
                goto nomem;
            cJSON_AddStringToObject(o, "plan", st->plans[i].name);
            if (r->set_of_plan)
                cJSON_AddStringToObject(o, "set", r->set_names[r->set_of_plan[i]]);
            if (st->plans[i].error)
                cJSON_AddStringToObject(o, "error", st->plans[i].error);
            else
                cJSON_AddNullToObject(o, "error");
            cJSON_AddItemToArray(plans, o);
            if (add_detections(o, &st->plans[i]) < 0)
                goto nomem;
        }
    }
    free(tmp);
    return doc;
nomem:
    free(tmp);
    cJSON_Delete(doc);
    return NULL;
}
