/* Overlay PNG: plan dimmed, rooms filled, outlined and numbered. */
#include "overlay.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <spng.h>

#include "fileio.h"

/* 5x7 digits, one byte per row, bit 4 = leftmost column. */
static const uint8_t digits[10][7] = {
    {0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e}, {0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e},
    {0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f}, {0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e},
    {0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02}, {0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e},
    {0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e}, {0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08},
    {0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e}, {0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c},
};

typedef struct canvas {
    uint8_t *rgb;
    int w, h;
} canvas;

typedef struct rgb3 {
    uint8_t r, g, b;
} rgb3;

/* Hues a golden angle apart: neighbours by id never look alike. */
static rgb3 room_colour(int i)
{
    double hue = fmod(i * 0.618033988749895, 1.0) * 6.0, s = 0.7, v = 0.95;
    int sector = (int)hue;
    double f = hue - sector, p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
    double r, g, b;
    switch (sector) {
    case 0: r = v; g = t; b = p; break;
    case 1: r = q; g = v; b = p; break;
    case 2: r = p; g = v; b = t; break;
    case 3: r = p; g = q; b = v; break;
    case 4: r = t; g = p; b = v; break;
    default: r = v; g = p; b = q; break;
    }
    return (rgb3){(uint8_t)(r * 255), (uint8_t)(g * 255), (uint8_t)(b * 255)};
}

static inline void blend(canvas *c, int x, int y, rgb3 col, int alpha /* 0..256 */)
{
    if (x < 0 || y < 0 || x >= c->w || y >= c->h)
        return;
    uint8_t *p = c->rgb + ((size_t)y * (size_t)c->w + (size_t)x) * 3;
    p[0] = (uint8_t)((p[0] * (256 - alpha) + col.r * alpha) >> 8);
    p[1] = (uint8_t)((p[1] * (256 - alpha) + col.g * alpha) >> 8);
    p[2] = (uint8_t)((p[2] * (256 - alpha) + col.b * alpha) >> 8);
}

static void rect(canvas *c, int x0, int y0, int x1, int y1, rgb3 col)
{
    for (int y = y0 < 0 ? 0 : y0; y < y1 && y < c->h; y++)
        for (int x = x0 < 0 ? 0 : x0; x < x1 && x < c->w; x++)
            blend(c, x, y, col, 256);
}

/* Where the closed polygon p crosses the line y = at (axis 0) or x = at
 * (axis 1): the other coordinate of each crossing, appended to xs (n
 * entries free), unsorted; returns how many. Half-open along the line's
 * normal, so a vertex on the line counts once. */
static int line_crossings(const locdet_point *p, int n, int axis, double at, double *xs)
{
    int k = 0;
    for (int i = 0; i < n; i++) {
        const locdet_point *a = &p[i], *b = &p[(i + 1) % n];
        double a_at = axis ? a->x : a->y, b_at = axis ? b->x : b->y;
        double a_on = axis ? a->y : a->x, b_on = axis ? b->y : b->x;
        if ((a_at <= at && b_at > at) || (b_at <= at && a_at > at))
            xs[k++] = a_on + (at - a_at) * (b_on - a_on) / (b_at - a_at);
    }
    return k;
}

static void line(canvas *c, locdet_point a, locdet_point b, int thick, rgb3 col)
{
    int dx = abs(b.x - a.x), dy = -abs(b.y - a.y);
    int sx = a.x < b.x ? 1 : -1, sy = a.y < b.y ? 1 : -1, e = dx + dy;
    int lo = -(thick - 1) / 2, hi = thick / 2;
    for (;;) {
        rect(c, a.x + lo, a.y + lo, a.x + hi + 1, a.y + hi + 1, col);
        if (a.x == b.x && a.y == b.y)
            break;
        int e2 = 2 * e;
        if (e2 >= dy) { e += dy; a.x += sx; }
        if (e2 <= dx) { e += dx; a.y += sy; }
    }
}

/* Distance from (x, y) to segment a-b. */
static double segment_distance(double x, double y, locdet_point a, locdet_point b)
{
    double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((x - a.x) * dx + (y - a.y) * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double ex = x - (a.x + t * dx), ey = y - (a.y + t * dy);
    return sqrt(ex * ex + ey * ey); /* not hypot(): on aarch64 it binds GLIBC_2.35 */
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Even-odd test of the point (x, y). */
static bool inside_polygon(const locdet_point *p, int n, double x, double y)
{
    bool in = false;
    for (int i = 0, j = n - 1; i < n; j = i++)
        if ((p[i].y > y) != (p[j].y > y) &&
            x < p[j].x + (y - p[j].y) * (double)(p[i].x - p[j].x) / (double)(p[i].y - p[j].y))
            in = !in;
    return in;
}

static bool boxes_meet(const locdet_room_rec *a, const locdet_room_rec *b)
{
    return a->bbox[0] < b->bbox[2] && b->bbox[0] < a->bbox[2] && a->bbox[1] < b->bbox[3] &&
           b->bbox[1] < a->bbox[3];
}

/* Whether room `inner` lies within room `outer`: smaller, its box within
 * outer's, every vertex inside outer's polygon. */
static bool room_within(const locdet_room_rec *inner, const locdet_room_rec *outer)
{
    if (inner->area >= outer->area || inner->bbox[0] < outer->bbox[0] ||
        inner->bbox[1] < outer->bbox[1] || inner->bbox[2] > outer->bbox[2] ||
        inner->bbox[3] > outer->bbox[3])
        return false;
    for (int v = 0; v < inner->n_points; v++)
        if (!inside_polygon(outer->polygon, outer->n_points, inner->polygon[v].x,
                            inner->polygon[v].y))
            return false;
    return true;
}

/* Even-odd scanline fill of room `self`; pixel (x, y) is inside when its
 * position is. The rooms within it (a shaft, a closet reported in its
 * middle, where its outline has no hole) are holes, unless they lie within
 * another such room: each room shows its own colour. holes holds an entry
 * per room, xs one per vertex of all rooms. */
static void fill_room(canvas *c, const locdet_rooms *rooms, int self, rgb3 col, int alpha,
                      int *holes, double *xs)
{
    const locdet_room_rec *r = &rooms->v[self];
    int n_holes = 0;
    for (int o = 0; o < rooms->n; o++)
        if (o != self && room_within(&rooms->v[o], r))
            holes[n_holes++] = o;
    int kept = 0;
    for (int h = 0; h < n_holes; h++) {
        bool nested = false;
        for (int g = 0; g < n_holes && !nested; g++)
            nested = g != h && room_within(&rooms->v[holes[h]], &rooms->v[holes[g]]);
        if (!nested)
            holes[kept++] = holes[h];
    }
    int ymin = r->polygon[0].y, ymax = r->polygon[0].y;
    for (int i = 1; i < r->n_points; i++) {
        ymin = r->polygon[i].y < ymin ? r->polygon[i].y : ymin;
        ymax = r->polygon[i].y > ymax ? r->polygon[i].y : ymax;
    }
    ymin = ymin < 0 ? 0 : ymin;
    ymax = ymax >= c->h ? c->h - 1 : ymax;
    for (int y = ymin; y <= ymax; y++) {
        int k = line_crossings(r->polygon, r->n_points, 0, y, xs);
        for (int h = 0; h < kept; h++) {
            const locdet_room_rec *q = &rooms->v[holes[h]];
            if (y >= q->bbox[1] && y <= q->bbox[3])
                k += line_crossings(q->polygon, q->n_points, 0, y, xs + k);
        }
        qsort(xs, (size_t)k, sizeof *xs, cmp_double);
        for (int i = 0; i + 1 < k; i += 2)
            for (int x = (int)ceil(xs[i]); x <= (int)floor(xs[i + 1]); x++)
                blend(c, x, y, col, alpha);
    }
}

/* Ink under a label box of half-size (hw, hh) centred at (x, y): the count
 * of samples darker than 160, sampled every `step` px. Drawn text (a room's
 * name and area) is what a number should not cover. */
static int ink_under(const locdet_image *gray, double x, double y, int hw, int hh, int step)
{
    int x0 = (int)lround(x) - hw, y0 = (int)lround(y) - hh;
    int x1 = x0 + 2 * hw, y1 = y0 + 2 * hh, ink = 0;
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > gray->width ? gray->width : x1;
    y1 = y1 > gray->height ? gray->height : y1;
    for (int v = y0; v < y1; v += step) {
        const uint8_t *row = gray->data + (ptrdiff_t)v * gray->stride;
        for (int u = x0; u < x1; u += step)
            ink += row[u] < 160;
    }
    return ink;
}

/* Where room `self`'s number goes: a point inside its polygon and outside
 * every smaller room's, as far from all their outlines as can be found (the
 * centroid of an L or a U lies outside it; a shaft or closet reported as a
 * room of its own can sit in a room's middle, where the outline has no
 * hole). Candidates are the midpoints between the crossings of 32 rows
 * and 32 columns with the outlines of this room and of the rooms whose
 * boxes meet its box. Of those where a full-size label of half-size
 * (hw, hh) fits (as far from every outline), the one with the least ink
 * under the label wins, the farther on a tie: a number should not hide
 * the room's name. Where none fits, the farthest wins. *clear receives the
 * winner's distance to the nearest of those outlines (0 and (cx, cy) when
 * no candidate is found). xs holds an entry per vertex of all rooms. */
static void label_point(const locdet_image *gray, const locdet_rooms *rooms, int self, int hw,
                        int hh, double *xs, double *lx, double *ly, double *clear)
{
    const locdet_room_rec *r = &rooms->v[self];
    *lx = r->cx;
    *ly = r->cy;
    *clear = 0;
    double fit = sqrt((double)hw * hw + (double)hh * hh); /* the box's corners stay inside */
    int step = hw / 8 > 1 ? hw / 8 : 1;                   /* about 16 x 16 samples */
    int fit_ink = INT32_MAX;
    double fit_x = 0, fit_y = 0, fit_clear = 0;
    enum { LINES = 32 };
    for (int axis = 0; axis < 2; axis++) /* 0: rows (crossings along x), 1: columns */
        for (int l = 0; l < LINES; l++) {
            double lo = r->bbox[1 - axis], hi = r->bbox[3 - axis];
            double at = lo + (hi - lo) * (l + 0.5) / LINES;
            int k = 0;
            for (int o = 0; o < rooms->n; o++) {
                const locdet_room_rec *q = &rooms->v[o];
                if (o == self || boxes_meet(r, q))
                    k += line_crossings(q->polygon, q->n_points, axis, at, xs + k);
            }
            /* many rooms can cross one line: not an insertion sort */
            qsort(xs, (size_t)k, sizeof *xs, cmp_double);
            for (int i = 0; i + 1 < k; i++) {
                double on = (xs[i] + xs[i + 1]) / 2, x = axis ? at : on, y = axis ? on : at;
                if (!inside_polygon(r->polygon, r->n_points, x, y))
                    continue;
                /* the distance is needed past the best so far, or past fit */
                double need = *clear < fit ? *clear : fit;
                double d = INFINITY;
                for (int o = 0; o < rooms->n && d > need; o++) {
                    const locdet_room_rec *q = &rooms->v[o];
                    if (o != self && !boxes_meet(r, q))
                        continue;
                    /* the point is that room's when it is the smaller one (the
                     * shaft in the room, not the room around the shaft) */
                    if (o != self && q->area < r->area &&
                        inside_polygon(q->polygon, q->n_points, x, y))
                        d = 0;
                    for (int e = 0, n = q->n_points; e < n && d > need; e++)
                        d = fmin(d, segment_distance(x, y, q->polygon[e],
                                                     q->polygon[(e + 1) % n]));
                }
                if (d > *clear) {
                    *clear = d;
                    *lx = x;
                    *ly = y;
                }
                if (d > fit) {
                    int ink = ink_under(gray, x, y, hw, hh, step);
                    if (ink < fit_ink || (ink == fit_ink && d > fit_clear)) {
                        fit_ink = ink;
                        fit_x = x;
                        fit_y = y;
                        fit_clear = d;
                    }
                }
            }
        }
    if (fit_ink != INT32_MAX) {
        *lx = fit_x;
        *ly = fit_y;
        *clear = fit_clear;
    }
}

static void label(canvas *c, int number, int cx, int cy, int s)
{
    char text[16];
    int n = snprintf(text, sizeof text, "%d", number);
    int tw = n * 6 * s - s, th = 7 * s, pad = 2 * s;
    int x0 = cx - tw / 2, y0 = cy - th / 2;
    rect(c, x0 - pad - s, y0 - pad - s, x0 + tw + pad + s, y0 + th + pad + s, (rgb3){40, 40, 40});
    rect(c, x0 - pad, y0 - pad, x0 + tw + pad, y0 + th + pad, (rgb3){255, 255, 255});
    for (int i = 0; i < n; i++)
        for (int row = 0; row < 7; row++)
            for (int col = 0; col < 5; col++)
                if (digits[text[i] - '0'][row] & (0x10 >> col))
                    rect(c, x0 + (i * 6 + col) * s, y0 + row * s, x0 + (i * 6 + col + 1) * s,
                         y0 + (row + 1) * s, (rgb3){0, 0, 0});
}

void locdet_overlay_draw(const locdet_image *gray, const locdet_rooms *rooms, uint8_t *rgb)
{
    canvas c = {rgb, gray->width, gray->height};
    /* Dim: map 0..255 to 150..255 so colours read above the ink. */
    for (int y = 0; y < c.h; y++) {
        const uint8_t *s = gray->data + (ptrdiff_t)y * gray->stride;
        uint8_t *d = rgb + (size_t)y * (size_t)c.w * 3;
        for (int x = 0; x < c.w; x++)
            d[3 * x] = d[3 * x + 1] = d[3 * x + 2] = (uint8_t)(150 + s[x] * 105 / 255);
    }
    int small = c.w < c.h ? c.w : c.h;
    int thick = small / 400 > 1 ? small / 400 : 1;
    int glyph = small / 250 > 2 ? small / 250 : 2;
    /* crossings: a room's and its holes' (the fill) or all rooms' (the labels) */
    size_t all_points = 0;
    for (int i = 0; rooms && i < rooms->n; i++)
        all_points += (size_t)rooms->v[i].n_points;
    double *xs = malloc((all_points ? all_points : 1) * sizeof *xs);
    int *holes = malloc((rooms && rooms->n ? (size_t)rooms->n : 1) * sizeof *holes);
    for (int i = 0; rooms && xs && holes && i < rooms->n; i++)
        fill_room(&c, rooms, i, room_colour(i), 90, holes, xs);
    free(holes);
    for (int i = 0; rooms && i < rooms->n; i++) {
        const locdet_room_rec *r = &rooms->v[i];
        rgb3 col = room_colour(i);
        rgb3 dark = {(uint8_t)(col.r * 3 / 5), (uint8_t)(col.g * 3 / 5), (uint8_t)(col.b * 3 / 5)};
        for (int k = 0; k < r->n_points; k++)
            line(&c, r->polygon[k], r->polygon[(k + 1) % r->n_points], thick, dark);
    }
    /* Labels last, so no outline crosses a number: each inside its room,
     * away from the outline, and small enough to fit there (down to 1 px
     * per dot), so that small rooms side by side stay readable. */
    for (int i = 0; rooms && i < rooms->n; i++) {
        double lx = rooms->v[i].cx, ly = rooms->v[i].cy, clear = 0;
        int s = glyph;
        if (xs) {
            /* the box: (6 digits - 1 + 4 pad + 2 frame) s wide, (7 + 6) s high */
            int digits_n = 1;
            for (int v = i + 1; v >= 10; v /= 10)
                digits_n++;
            int box_w = 6 * digits_n + 5, box = box_w > 13 ? box_w : 13;
            label_point(gray, rooms, i, (box_w * s + 1) / 2, (13 * s + 1) / 2, xs, &lx, &ly,
                        &clear);
            int fit = (int)(2 * clear / box);
            s = fit < s ? fit : s;
            s = s < 1 ? 1 : s;
        }
        label(&c, i + 1, (int)lround(lx), (int)lround(ly), s);
    }
    free(xs);
}

typedef struct png_job {
    const uint8_t *rgb;
    int w, h;
} png_job;

static int write_png(FILE *f, void *ctx)
{
    const png_job *j = ctx;
    spng_ctx *enc = spng_ctx_new(SPNG_CTX_ENCODER);
    if (!enc)
        return -1;
    struct spng_ihdr ihdr = {.width = (uint32_t)j->w, .height = (uint32_t)j->h, .bit_depth = 8,
                             .color_type = SPNG_COLOR_TYPE_TRUECOLOR};
    int rc = spng_set_png_file(enc, f);
    if (!rc)
        rc = spng_set_ihdr(enc, &ihdr);
    /* Speed over size: an overlay is looked at, not archived. */
    if (!rc)
        rc = spng_set_option(enc, SPNG_IMG_COMPRESSION_LEVEL, 3);
    if (!rc)
        rc = spng_encode_image(enc, j->rgb, (size_t)j->w * (size_t)j->h * 3, SPNG_FMT_PNG,
                               SPNG_ENCODE_FINALIZE);
    spng_ctx_free(enc);
    return rc ? -1 : 0;
}

locdet_exit locdet_write_rgb_png(const char *path, const uint8_t *rgb, int width, int height,
                                 locdet_error *err)
{
    png_job job = {rgb, width, height};
    return locdet_write_atomic(path, write_png, &job, err);
}

locdet_exit locdet_overlay_write(const locdet_image *gray, const locdet_rooms *rooms,
                                 const char *path, locdet_error *err)
{
    uint8_t *rgb = malloc((size_t)gray->width * (size_t)gray->height * 3);
    if (!rgb)
        return locdet_error_set(err, LOCDET_EXIT_INTERNAL, "%s: out of memory for the overlay", path);
    locdet_overlay_draw(gray, rooms, rgb);
    locdet_exit ex = locdet_write_rgb_png(path, rgb, gray->width, gray->height, err);
    free(rgb);
    return ex;
}
