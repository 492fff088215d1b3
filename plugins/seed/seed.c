/* seed: the old system's pipeline, same output.
 *
 *   gray -> Gaussian blur 5x5 -> adaptive Gaussian threshold (block 11, C 2,
 *   inverted) -> close 3x3 -> open 3x3 -> findContours(RETR_CCOMP,
 *   CHAIN_APPROX_SIMPLE) -> keep the contours with no parent (outer borders,
 *   those of components nested in holes included) whose area is within
 *   1,000..1,000,000 px and whose Douglas-Peucker polygon (epsilon 0.01 x
 *   perimeter) has at least 4 vertices.
 *
 * Each room: the simplified polygon, the contour's area and bounding rect,
 * the contour's centroid, and confidence 0.7 x (area / bbox area) +
 * 0.3 x max(0, 1 - 0.1 x (vertices - 4)). Every kernel matches its OpenCV
 * namesake, so the rooms equal the old system's (tests/host/test_seed_opencv). */
#include <stdio.h>
#include <string.h>

#include "locdet/plugin.h"

static const locdet_param_def params[] = {
    {"block", LOCDET_PARAM_INT, "11", 3, 255, NULL, "adaptive threshold block size (odd)"},
    {"c", LOCDET_PARAM_FLOAT, "2", -255, 255, NULL, "adaptive threshold constant"},
    {"min_area", LOCDET_PARAM_FLOAT, "1000", 0, 1e12, NULL, "smallest room, in px (contour area)"},
    {"max_area", LOCDET_PARAM_FLOAT, "1000000", 0, 1e12, NULL, "largest room, in px (contour area)"},
    {"epsilon", LOCDET_PARAM_FLOAT, "0.01", 0, 1, NULL, "Douglas-Peucker epsilon, fraction of the perimeter"},
    {"min_vertices", LOCDET_PARAM_INT, "4", 3, 1000, NULL, "fewest polygon vertices for a room"},
};
enum { P_BLOCK, P_C, P_MIN_AREA, P_MAX_AREA, P_EPSILON, P_MIN_VERTICES };

typedef struct seed {
    const locdet_host_api *host;
    int block, min_vertices;
    double c, min_area, max_area, epsilon;
} seed;

static bool check(const locdet_param_value *v, char *why, size_t n)
{
    if (v[P_BLOCK].i % 2 == 0) {
        snprintf(why, n, "parameter 'block' must be odd, got %lld", (long long)v[P_BLOCK].i);
        return false;
    }
    if (v[P_MIN_AREA].f > v[P_MAX_AREA].f) {
        snprintf(why, n, "min_area %g is above max_area %g", v[P_MIN_AREA].f, v[P_MAX_AREA].f);
        return false;
    }
    return true;
}

static void *create(const locdet_host_api *host, const locdet_param_value *v, char *why, size_t n)
{
    if (host->abi.major != LOCDET_PLUGIN_ABI_MAJOR ||
        host->kernels->size < sizeof(locdet_kernel_api)) {
        snprintf(why, n, "host ABI %u.%u lacks kernels this strategy needs", host->abi.major,
                 host->abi.minor);
        return NULL;
    }
    seed *s = host->alloc(sizeof *s);
    if (!s) {
        snprintf(why, n, "out of memory");
        return NULL;
    }
    *s = (seed){
        .host = host,
        .block = (int)v[P_BLOCK].i,
        .c = v[P_C].f,
        .min_area = v[P_MIN_AREA].f,
        .max_area = v[P_MAX_AREA].f,
        .epsilon = v[P_EPSILON].f,
        .min_vertices = (int)v[P_MIN_VERTICES].i,
    };
    return s;
}

static void destroy(void *self)
{
    seed *s = self;
    s->host->free(s);
}

/* Area centroid of a closed chain (as cv::moments m10/m00, m01/m00); the
 * vertex mean when the chain encloses nothing. */
static void centroid(const locdet_point *p, int n, double *cx, double *cy)
{
    double a = 0, sx = 0, sy = 0;
    for (int i = 0; i < n; i++) {
        const locdet_point *q = &p[i], *r = &p[(i + 1) % n];
        double c = (double)q->x * r->y - (double)r->x * q->y;
        a += c;
        sx += (double)(q->x + r->x) * c;
        sy += (double)(q->y + r->y) * c;
    }
    if (a != 0) {
        *cx = sx / (3 * a);
        *cy = sy / (3 * a);
        return;
    }
    sx = sy = 0;
    for (int i = 0; i < n; i++) {
        sx += p[i].x;
        sy += p[i].y;
    }
    *cx = sx / n;
    *cy = sy / n;
}

static int report(const seed *s, const locdet_call *call, const locdet_contour *ct)
{
    const locdet_kernel_api *k = s->host->kernels;
    double area = k->contour_area(ct->points, ct->n);
    if (area < s->min_area || area > s->max_area)
        return LOCDET_OK;
    double eps = s->epsilon * k->arc_length(ct->points, ct->n, true);
    locdet_point *poly;
    int n;
    int rc = k->approx_poly(ct->points, ct->n, eps, true, &poly, &n);
    if (rc)
        return rc;
    if (n < s->min_vertices || n < 3) {
        k->points_free(poly);
        return LOCDET_OK;
    }
    /* cv::boundingRect of the contour: x1, y1 exclusive. */
    int x0 = ct->points[0].x, y0 = ct->points[0].y, x1 = x0, y1 = y0;
    for (int i = 1; i < ct->n; i++) {
        const locdet_point *p = &ct->points[i];
        x0 = p->x < x0 ? p->x : x0;
        y0 = p->y < y0 ? p->y : y0;
        x1 = p->x > x1 ? p->x : x1;
        y1 = p->y > y1 ? p->y : y1;
    }
    double bbox_area = (double)(x1 - x0 + 1) * (double)(y1 - y0 + 1);
    double shape = 1.0 - 0.1 * (n - 4);
    double conf = 0.7 * (area / bbox_area) + 0.3 * (shape > 0 ? shape : 0);
    locdet_room room = {
        .polygon = poly,
        .n_points = n,
        .confidence = conf > 1 ? 1 : conf,
        .bbox_px = {x0, y0, x1 + 1, y1 + 1},
        .area_px = area,
    };
    centroid(ct->points, ct->n, &room.centroid[0], &room.centroid[1]);
    rc = call->add_room(call, &room);
    k->points_free(poly);
    return rc;
}

static int detect(void *self, const locdet_call *call)
{
    const seed *s = self;
    const locdet_kernel_api *k = s->host->kernels;
    const locdet_kernels *t = k->table;
    int w = call->image.width, h = call->image.height;
    locdet_image blur = {call->scratch(call, (size_t)w * (size_t)h), w, h, w};
    locdet_image bin = {call->scratch(call, (size_t)w * (size_t)h), w, h, w};
    if (!blur.data || !bin.data)
        return LOCDET_ERR_NOMEM;
    int rc = k->blur_gaussian5(t, &call->image, &blur);
    if (!rc)
        rc = k->threshold_adaptive_gaussian(t, &blur, &bin, s->block, s->c, true);
    if (rc)
        return rc;
    if (call->should_stop(call))
        return LOCDET_ERR_CANCELLED;
    rc = k->morph(t, LOCDET_MORPH_CLOSE, &bin, &bin, 3, 3, s->host->threads);
    if (!rc)
        rc = k->morph(t, LOCDET_MORPH_OPEN, &bin, &bin, 3, 3, s->host->threads);
    if (rc)
        return rc;
    if (call->should_stop(call))
        return LOCDET_ERR_CANCELLED;
    locdet_contour_set set;
    rc = k->find_contours(t, &bin, &set);
    if (rc)
        return rc;
    for (int i = 0; i < set.count && !rc; i++) {
        if (set.contours[i].hierarchy[LOCDET_HIER_PARENT] != -1)
            continue;
        if (i % 256 == 0 && call->should_stop(call))
            rc = LOCDET_ERR_CANCELLED;
        else
            rc = report(s, call, &set.contours[i]);
    }
    k->contour_set_free(&set);
    return rc;
}

LOCDET_PLUGIN_EXPORT const locdet_strategy locdet_strategy_entry = {
    .abi = {LOCDET_PLUGIN_ABI_MAJOR, LOCDET_PLUGIN_ABI_MINOR},
    .name = "seed",
    .version = "1.0.0",
    .description = "the old system's pipeline: blur, adaptive threshold, close/open 3x3, outer contours",
    .params = params,
    .n_params = (int)(sizeof params / sizeof params[0]),
    .decode_scale = 1,
    .create = create,
    .detect = detect,
    .destroy = destroy,
    .check = check,
};
