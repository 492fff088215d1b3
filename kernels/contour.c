/* Contour family: table init and the checked public entry points. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void locdet_contour_dsp_init(locdet_kernels *k, unsigned flags)
{
    /* Border following is one sequential walk per border: scalar at every
     * level. The slots exist so `locdet info` shows them and a faster
     * variant can be dropped in later. */
    LOCDET_SET_SLOT(k, contour, trace, locdet_contour_trace_scalar, "scalar");
    LOCDET_SET_SLOT(k, contour, trace_label, locdet_contour_trace_label_scalar, "scalar");
    (void)flags;
}

/* The work image is (w+2) x (h+2) bytes plus slack: refuse sizes whose byte
 * count does not fit (the caller's image can be that large only on paper). */
static bool work_size_ok(int width, int height)
{
    size_t ws = (size_t)width + 2, hs = (size_t)height + 2;
    return hs <= (SIZE_MAX - 64) / ws && ws * hs <= (size_t)PTRDIFF_MAX - 64;
}

int locdet_find_contours(const locdet_kernels *k, const locdet_image *binary,
                         locdet_contour_set *out)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!k || !out || !locdet_image_valid(binary) || !work_size_ok(binary->width, binary->height))
        return LOCDET_ERR_INVALID;
    return k->contour.trace(binary->data, binary->stride, binary->width, binary->height, out);
}

void locdet_contour_set_free(locdet_contour_set *set)
{
    if (!set)
        return;
    free(set->contours);
    free(set->storage);
    memset(set, 0, sizeof *set);
}

static bool labels_valid(const int32_t *labels, ptrdiff_t stride, int width, int height)
{
    return labels && width > 0 && height > 0 && stride >= width &&
           (size_t)height <= (size_t)PTRDIFF_MAX / sizeof(int32_t) / (size_t)stride;
}

int locdet_trace_label(const locdet_kernels *k, const int32_t *labels, ptrdiff_t stride,
                       int width, int height, int32_t label, int bbox_left, int bbox_top,
                       locdet_point **pts, int *n)
{
    if (pts)
        *pts = NULL;
    if (n)
        *n = 0;
    if (!k || !pts || !n || !labels_valid(labels, stride, width, height) || bbox_left < 0 ||
        bbox_left >= width || bbox_top < 0 || bbox_top >= height)
        return LOCDET_ERR_INVALID;
    return k->contour.trace_label(labels, stride, width, height, label, bbox_left, bbox_top, pts,
                                  n);
}

int locdet_trace_label_holes(const locdet_kernels *k, const int32_t *labels, ptrdiff_t stride,
                             int width, int height, int32_t label, const int bbox[4],
                             locdet_contour_set *out)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!k || !out || !bbox || !labels_valid(labels, stride, width, height))
        return LOCDET_ERR_INVALID;
    int x0 = bbox[0], y0 = bbox[1], x1 = bbox[2], y1 = bbox[3];
    if (x0 < 0 || y0 < 0 || x1 > width || y1 > height || x0 >= x1 || y0 >= y1)
        return LOCDET_ERR_INVALID;
    int w = x1 - x0, h = y1 - y0;
    const ptrdiff_t ws = (ptrdiff_t)w + 2;
    uint8_t *work = calloc((size_t)ws * (size_t)(h + 2) + 8, 1);
    if (!work)
        return LOCDET_ERR_NOMEM;
    for (int y = 0; y < h; y++) {
        const int32_t *s = labels + (ptrdiff_t)(y0 + y) * stride + x0;
        uint8_t *d = work + (y + 1) * ws + 1;
        for (int x = 0; x < w; x++)
            d[x] = s[x] == label;
    }
    int status = locdet_contour_trace_work(work, ws, w, h, x0, y0, out);
    free(work);
    return status;
}

static bool points_valid(const locdet_point *pts, int n)
{
    return n >= 0 && (n == 0 || pts);
}

int locdet_approx_poly(const locdet_point *in, int n, double epsilon, bool closed,
                       locdet_point **out, int *n_out)
{
    if (out)
        *out = NULL;
    if (n_out)
        *n_out = 0;
    /* OpenCV refuses the same epsilons (negative, NaN, 1e30 and over). */
    if (!out || !n_out || !points_valid(in, n) || !(epsilon >= 0.0 && epsilon < 1e30))
        return LOCDET_ERR_INVALID;
    if (n == 0)
        return LOCDET_OK;
    locdet_point *dst = malloc((size_t)n * sizeof *dst);
    if (!dst)
        return LOCDET_ERR_NOMEM;
    int m = locdet_approx_poly_scalar(in, n, dst, closed, epsilon);
    if (m < 0) {
        free(dst);
        return LOCDET_ERR_NOMEM;
    }
    locdet_point *shrunk = realloc(dst, (size_t)m * sizeof *dst);
    *out = shrunk ? shrunk : dst;
    *n_out = m;
    return LOCDET_OK;
}

double locdet_arc_length(const locdet_point *pts, int n, bool closed)
{
    if (!pts || n <= 1)
        return 0.0;
    /* OpenCV converts to float points and sums float-precision steps. */
    const locdet_point *last = &pts[closed ? n - 1 : 0];
    float px = (float)last->x, py = (float)last->y;
    double perimeter = 0.0;
    for (int i = 0; i < n; i++) {
        float x = (float)pts[i].x, y = (float)pts[i].y;
        float dx = x - px, dy = y - py;
        perimeter += sqrtf(dx * dx + dy * dy);
        px = x, py = y;
    }
    return perimeter;
}

double locdet_approx_epsilon(const locdet_point *pts, int n, double fraction)
{
    return fraction * locdet_arc_length(pts, n, true);
}

double locdet_contour_area(const locdet_point *pts, int n)
{
    if (!pts || n <= 0)
        return 0.0;
    float px = (float)pts[n - 1].x, py = (float)pts[n - 1].y;
    double a = 0.0;
    for (int i = 0; i < n; i++) {
        float x = (float)pts[i].x, y = (float)pts[i].y;
        a += (double)px * y - (double)py * x;
        px = x, py = y;
    }
    return fabs(a * 0.5);
}

void locdet_points_free(locdet_point *pts)
{
    free(pts);
}
