/* Result JSON: DESIGN.md's schema. Every key is always present (null when
 * not known) so that readers never branch on a missing key; "error" appears
 * only on failed results. */
#include "result.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host.h"

double locdet_polygon_area(const locdet_point *p, int n, double *cx, double *cy)
{
    /* Sums in 64-bit integers: exact for any coordinates an image has. */
    int64_t a2 = 0, sx = 0, sy = 0;
    for (int i = 0; i < n; i++) {
        const locdet_point *q = &p[i], *r = &p[(i + 1) % n];
        int64_t c = (int64_t)q->x * r->y - (int64_t)r->x * q->y;
        a2 += c;
        sx += (int64_t)(q->x + r->x) * c;
        sy += (int64_t)(q->y + r->y) * c;
    }
    if (cx && cy) {
        if (a2 != 0) {
            *cx = (double)sx / (3.0 * (double)a2);
            *cy = (double)sy / (3.0 * (double)a2);
        } else {
            /* Degenerate (collinear) polygon: the mean of its vertices. */
            double mx = 0, my = 0;
            for (int i = 0; i < n; i++) {
                mx += p[i].x;
                my += p[i].y;
            }
            *cx = n ? mx / n : 0;
            *cy = n ? my / n : 0;
        }
    }
    return fabs((double)a2) / 2.0;
}

static bool in_range(locdet_point p, int w, int h)
{
    return p.x >= 0 && p.y >= 0 && p.x <= w && p.y <= h;
}

int locdet_rooms_add(locdet_rooms *rs, const locdet_room *r, int width, int height, char *why,
                     size_t why_size)
{
#define BAD(...) (snprintf(why, why_size, __VA_ARGS__), LOCDET_ERR_INVALID)
    if (!r || !r->polygon || r->n_points < 3)
        return BAD("a room needs a polygon of at least 3 points");
    for (int i = 0; i < r->n_points; i++)
        if (!in_range(r->polygon[i], width, height))
            return BAD("polygon point (%d, %d) is outside the %dx%d image", r->polygon[i].x,
                       r->polygon[i].y, width, height);
    if (!(r->confidence >= 0.0 && r->confidence <= 1.0))
        return BAD("confidence %g is not in 0..1", r->confidence);
    const int32_t *b = r->bbox_px;
    bool has_bbox = b[0] || b[1] || b[2] || b[3];
    if (has_bbox && !(b[0] >= 0 && b[1] >= 0 && b[0] < b[2] && b[1] < b[3] && b[2] <= width &&
                      b[3] <= height))
        return BAD("bbox_px [%d, %d, %d, %d] is empty or outside the %dx%d image", b[0], b[1], b[2],
                   b[3], width, height);
    if (r->area_px < 0 || !isfinite(r->area_px) || !isfinite(r->centroid[0]) ||
        !isfinite(r->centroid[1]))
        return BAD("area_px or centroid is not a finite number (or area is negative)");
    if (r->n_lines < 0 || (r->n_lines > 0 && !r->lines))
        return BAD("n_lines is %d but lines is NULL", r->n_lines);
    for (int i = 0; i < r->n_lines; i++)
        if (!in_range(r->lines[i].start, width, height) || !in_range(r->lines[i].end, width, height))
            return BAD("line %d is outside the image", i);
    if (r->name_hint) {
        if (strlen(r->name_hint) > 256)
            return BAD("name_hint is longer than 256 bytes");
        for (const unsigned char *c = (const unsigned char *)r->name_hint; *c; c++)
            if (*c < 0x20)
                return BAD("name_hint holds a control character");
    }
#undef BAD
    if (rs->n == rs->cap) {
        int nc = rs->cap ? rs->cap * 2 : 16;
        locdet_room_rec *nv = realloc(rs->v, (size_t)nc * sizeof *nv);
        if (!nv)
            return LOCDET_ERR_NOMEM;
        rs->v = nv;
        rs->cap = nc;
    }
    locdet_room_rec *o = &rs->v[rs->n];
    memset(o, 0, sizeof *o);
    o->polygon = malloc((size_t)r->n_points * sizeof *o->polygon);
    o->lines = r->n_lines ? malloc((size_t)r->n_lines * sizeof *o->lines) : NULL;
    o->name_hint = r->name_hint ? strdup(r->name_hint) : NULL;
    if (!o->polygon || (r->n_lines && !o->lines) || (r->name_hint && !o->name_hint)) {
        free(o->polygon);
        free(o->lines);
        free(o->name_hint);
        return LOCDET_ERR_NOMEM;
    }
    memcpy(o->polygon, r->polygon, (size_t)r->n_points * sizeof *o->polygon);
    if (r->n_lines)
        memcpy(o->lines, r->lines, (size_t)r->n_lines * sizeof *o->lines);
    o->n_points = r->n_points;
    o->n_lines = r->n_lines;
    o->confidence = r->confidence;
    double cx, cy, area = locdet_polygon_area(r->polygon, r->n_points, &cx, &cy);
    o->area = r->area_px > 0 ? r->area_px : area;
    bool has_centroid = r->centroid[0] != 0 || r->centroid[1] != 0;
    o->cx = has_centroid ? r->centroid[0] : cx;
    o->cy = has_centroid ? r->centroid[1] : cy;
    if (has_bbox) {
        memcpy(o->bbox, b, sizeof o->bbox);
    } else {
        int32_t x0 = r->polygon[0].x, y0 = r->polygon[0].y, x1 = x0, y1 = y0;
        for (int i = 1; i < r->n_points; i++) {
            const locdet_point *p = &r->polygon[i];
            x0 = p->x < x0 ? p->x : x0;
            y0 = p->y < y0 ? p->y : y0;
            x1 = p->x > x1 ? p->x : x1;
            y1 = p->y > y1 ? p->y : y1;
        }
        /* Vertices are pixel positions: the pixel at x1 is inside. */
        o->bbox[0] = x0;
        o->bbox[1] = y0;
        o->bbox[2] = x1 + 1 < width ? x1 + 1 : width;
        o->bbox[3] = y1 + 1 < height ? y1 + 1 : height;
    }
    rs->n++;
    return LOCDET_OK;
}

void locdet_rooms_clear(locdet_rooms *rs)
{
    for (int i = 0; i < rs->n; i++) {
        free(rs->v[i].polygon);
        free(rs->v[i].lines);
        free(rs->v[i].name_hint);
    }
    free(rs->v);
    memset(rs, 0, sizeof *rs);
}

void locdet_timestamp_now(char buf[32])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, 32 - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

/* Round to 1/per: dividing by an exact integer gives the double nearest the
 * decimal, so cJSON prints it short ("0.93", not "0.93000000000000005"). */
static double round_to(double x, double per)
{
    return round(x * per) / per;
}

static cJSON *point(double x, double y)
{
    double v[2] = {x, y};
    return cJSON_CreateDoubleArray(v, 2);
}

static cJSON *room_json(const locdet_room_rec *r, int index, int w, int h)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    char id[32];
    snprintf(id, sizeof id, "room_%03d", index + 1);
    cJSON_AddStringToObject(o, "id", id);
    double nb[4] = {round((double)r->bbox[0] * 1000.0 / w), round((double)r->bbox[1] * 1000.0 / h),
                    round((double)r->bbox[2] * 1000.0 / w), round((double)r->bbox[3] * 1000.0 / h)};
    cJSON_AddItemToObject(o, "bounding_box", cJSON_CreateDoubleArray(nb, 4));
    cJSON_AddItemToObject(o, "bbox_px", cJSON_CreateIntArray((const int *)r->bbox, 4));
    cJSON *poly = cJSON_AddArrayToObject(o, "polygon");
    for (int i = 0; poly && i < r->n_points; i++)
        cJSON_AddItemToArray(poly, point(r->polygon[i].x, r->polygon[i].y));
    cJSON *lines = cJSON_AddArrayToObject(o, "lines");
    for (int i = 0; lines && i < r->n_lines; i++) {
        cJSON *l = cJSON_CreateObject();
        cJSON_AddItemToObject(l, "start", point(r->lines[i].start.x, r->lines[i].start.y));
        cJSON_AddItemToObject(l, "end", point(r->lines[i].end.x, r->lines[i].end.y));
        cJSON_AddItemToArray(lines, l);
    }
    cJSON_AddNumberToObject(o, "area_px", round_to(r->area, 2));
    cJSON_AddItemToObject(o, "centroid", point(round_to(r->cx, 100), round_to(r->cy, 100)));
    cJSON_AddNumberToObject(o, "confidence", round_to(r->confidence, 10000));
    if (r->name_hint)
        cJSON_AddStringToObject(o, "name_hint", r->name_hint);
    else
        cJSON_AddNullToObject(o, "name_hint");
    return o;
}

cJSON *locdet_result_build(const locdet_result_info *in)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    bool failed = in->error && in->error->code != LOCDET_EXIT_OK;
    char ts[32];
    locdet_timestamp_now(ts);
    cJSON_AddStringToObject(o, "jobId", in->job_id ? in->job_id : "");
    cJSON_AddStringToObject(o, "status", failed ? "failed" : "completed");
    cJSON_AddStringToObject(o, "timestamp", ts);
    if (in->format) {
        cJSON *img = cJSON_AddObjectToObject(o, "image");
        cJSON_AddNumberToObject(img, "width", in->width);
        cJSON_AddNumberToObject(img, "height", in->height);
        cJSON_AddStringToObject(img, "format", in->format);
    } else {
        cJSON_AddNullToObject(o, "image");
    }
    if (in->strategy_name) {
        cJSON *s = cJSON_AddObjectToObject(o, "strategy");
        cJSON_AddStringToObject(s, "name", in->strategy_name);
        cJSON_AddStringToObject(s, "version", in->strategy_version ? in->strategy_version : "");
        cJSON *p = in->params ? cJSON_Duplicate(in->params, true) : cJSON_CreateObject();
        cJSON_AddItemToObject(s, "params", p);
    } else {
        cJSON_AddNullToObject(o, "strategy");
    }
    const char *isa = in->isa ? in->isa : locdet_isa_name(locdet_isa_selected(NULL));
    cJSON_AddStringToObject(o, "isa", isa);
    /* A failed job reports no rooms, even if the strategy found some before
     * it stopped: partial answers are not answers. */
    int n = (!failed && in->rooms && in->format) ? in->rooms->n : 0;
    cJSON_AddNumberToObject(o, "room_count", n);
    cJSON *rooms = cJSON_AddArrayToObject(o, "rooms");
    for (int i = 0; rooms && i < n; i++)
        cJSON_AddItemToArray(rooms, room_json(&in->rooms->v[i], i, in->width, in->height));
    cJSON *t = cJSON_AddObjectToObject(o, "timings_ms");
    cJSON_AddNumberToObject(t, "decode", round_to(in->t_decode, 1000));
    cJSON_AddNumberToObject(t, "detect", round_to(in->t_detect, 1000));
    cJSON_AddNumberToObject(t, "total", round_to(in->t_total, 1000));
    if (failed) {
        cJSON *e = cJSON_AddObjectToObject(o, "error");
        cJSON_AddStringToObject(e, "type", locdet_error_type(in->error->code));
        cJSON_AddStringToObject(e, "message", in->error->message);
    }
    /* cJSON's Add* helpers fail quietly on OOM; check the outcome once. */
    if (!cJSON_GetObjectItemCaseSensitive(o, "timings_ms") || cJSON_GetArraySize(rooms) != n ||
        (failed && !cJSON_GetObjectItemCaseSensitive(o, "error"))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

cJSON *locdet_result_failed(const char *job_id, const locdet_error *err)
{
    locdet_error internal = {LOCDET_EXIT_INTERNAL, "failed without a reason (a bug)"};
    locdet_result_info info = {
        .job_id = job_id,
        .error = (err && err->code != LOCDET_EXIT_OK) ? err : &internal,
    };
    return locdet_result_build(&info);
}
