/* rooms, step 1b: drawings turned off the axes. Every later step bridges,
 * closes and scans along x and y, so a plan drawn at 25 degrees on its
 * sheet (a wing of a site plan) loses every door. Its drawing is turned
 * back onto the axes, detected there, and the outlines turned again onto
 * the input; a drawing with parts at several angles, once per angle. Here:
 * the directions, their refinement and the turning. rooms.c has the whole
 * pipeline (and the passes), emit.c the claims between passes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rooms.h"

#define ANGLE_BINS 180 /* half a degree each, over 0 .. 90 degrees */
#define ANGLE_STEP 3   /* edges sampled every third pixel both ways */
/* A turned drawing's image is cut to its ink's extent, less EXTENT_TAIL of
 * the ink on each side (dust), with a margin of 1/CROP_SHARE of its longer
 * side (64 px at least) of paper around: the full turned image holds the
 * input's corners too, 70% of it on a large plan turned 30 degrees */
#define EXTENT_TAIL 0.001
#define CROP_SHARE 16

/* Whether more than half of the n pixels `step` apart from p are ink (at
 * or below level): a frame or rule line along a cut's edge. */
static bool mostly_ink(const uint8_t *p, ptrdiff_t step, int n, int level)
{
    int ink = 0;
    for (int i = 0; i < n; i++)
        ink += p[i * step] <= level;
    return 2 * ink > n;
}

/* cut (left, top, right, bottom) moved inward past the frame and rule
 * lines it may end on, and 2 px of their antialiasing: sheet_bounds cuts at
 * those lines, which once turned would be long slanted walls. */
void inset_past_lines(const locdet_image *img, int cut[4], int level)
{
    const uint8_t *d = img->data;
    ptrdiff_t st = img->stride;
    for (int pass = 0; pass < 2; pass++) {
        while (cut[3] - cut[1] > 8 &&
               mostly_ink(d + cut[1] * st + cut[0], 1, cut[2] - cut[0], level))
            cut[1]++;
        while (cut[3] - cut[1] > 8 &&
               mostly_ink(d + (cut[3] - 1) * st + cut[0], 1, cut[2] - cut[0], level))
            cut[3]--;
        while (cut[2] - cut[0] > 8 &&
               mostly_ink(d + cut[1] * st + cut[0], st, cut[3] - cut[1], level))
            cut[0]++;
        while (cut[2] - cut[0] > 8 &&
               mostly_ink(d + cut[1] * st + cut[2] - 1, st, cut[3] - cut[1], level))
            cut[2]--;
    }
    if (cut[2] - cut[0] > 8 && cut[3] - cut[1] > 8) {
        cut[0] += 2;
        cut[1] += 2;
        cut[2] -= 2;
        cut[3] -= 2;
    }
}

/* The 3x3 Sobel gradient at x of the row mid (up and down: the rows above
 * and below). */
static inline void sobel(const uint8_t *up, const uint8_t *mid, const uint8_t *down, int x,
                         int *gx, int *gy)
{
    *gx = (up[x + 1] + 2 * mid[x + 1] + down[x + 1]) - (up[x - 1] + 2 * mid[x - 1] + down[x - 1]);
    *gy = (down[x - 1] + 2 * down[x] + down[x + 1]) - (up[x - 1] + 2 * up[x] + up[x + 1]);
}

/* The share of the ink edges in box (left, top, right, bottom; clipped to
 * img, every pixel) as strong as `least` (|gx| + |gy|) that run within 5
 * degrees of the axes: how square on the drawing is around a room found in
 * one pass of several. 0 when the box has no edge. */
double square_ink(const locdet_image *img, const int box[4], int least)
{
    int x0 = box[0] > 1 ? box[0] : 1, y0 = box[1] > 1 ? box[1] : 1;
    int x1 = box[2] < img->width - 1 ? box[2] : img->width - 1;
    int y1 = box[3] < img->height - 1 ? box[3] : img->height - 1;
    double along = 0, all = 0;
    for (int y = y0; y < y1; y++) {
        const uint8_t *up = img->data + (ptrdiff_t)(y - 1) * img->stride;
        const uint8_t *mid = up + img->stride, *down = mid + img->stride;
        for (int x = x0; x < x1; x++) {
            int gx, gy;
            sobel(up, mid, down, x, &gx, &gy);
            int ax = abs(gx), ay = abs(gy);
            if (ax + ay < least)
                continue;
            all += ax + ay;
            /* within 5 degrees of an axis: the lesser component under
             * tan 5 degrees of the greater */
            along += (ax < ay ? ax : ay) * 1000 <= (ax > ay ? ax : ay) * 87 ? ax + ay : 0;
        }
    }
    return all > 0 ? along / all : 0;
}

/* The orientations of the drawing inside cut (left, top, right, bottom) of
 * img (8-bit gray, any stride): the strongest directions of its ink edges,
 * modulo 90 degrees (a wall has two faces and a room two axes), in degrees
 * in (-45, 45], strongest first, at least 5 degrees apart, up to max of
 * them into out; returns how many. Edges are sampled every third pixel
 * both ways with a 3x3 Sobel, kept where as strong as the contrast of ink
 * at `level` on paper, weighted by strength and smoothed over 1.5 degrees.
 * An orientation's weight is the smoothed weight at its direction; *axes
 * the weight along the axes. Its balance: the lesser over the greater of
 * its two halves, the edges along it and those across it (rooms have walls
 * both ways; a field of hatching has one). */
int drawing_orientations(const locdet_image *img, const int cut[4], int level, int paper,
                         orientation *out, int max, double *axes)
{
    /* [0]: edges whose gradient runs 0 .. 90 degrees, [1]: 90 .. 180 (the
     * faces of the walls across those) */
    double hist[2][ANGLE_BINS] = {{0}};
    int least = 2 * (paper - level);
    if (least < 32)
        least = 32;
    for (int y = cut[1] + 1; y < cut[3] - 1; y += ANGLE_STEP) {
        const uint8_t *up = img->data + (ptrdiff_t)(y - 1) * img->stride;
        const uint8_t *mid = up + img->stride, *down = mid + img->stride;
        for (int x = cut[0] + 1; x < cut[2] - 1; x += ANGLE_STEP) {
            int gx, gy;
            sobel(up, mid, down, x, &gx, &gy);
            int strength = abs(gx) + abs(gy);
            if (strength < least)
                continue;
            double deg = atan2(gy, gx) * (180 / M_PI); /* -180 .. 180 */
            deg += deg < 0 ? 180 : 0;
            int across = deg >= 90;
            deg -= across ? 90 : 0;
            int bin = (int)(deg * (ANGLE_BINS / 90.0));
            hist[across][bin < ANGLE_BINS ? bin : ANGLE_BINS - 1] += strength;
        }
    }
    double smooth[2][ANGLE_BINS];
    for (int b = 0; b < ANGLE_BINS; b++)
        for (int k = 0; k < 2; k++) {
            smooth[k][b] = 0;
            for (int d = -3; d <= 3; d++) {
                /* bin b - 1 of one family wraps to the other's last */
                int i = b + d, fam = k;
                if (i < 0 || i >= ANGLE_BINS) {
                    i = (i + ANGLE_BINS) % ANGLE_BINS;
                    fam = 1 - k;
                }
                smooth[k][b] += hist[fam][i];
            }
        }
    double folded[ANGLE_BINS], left[ANGLE_BINS];
    for (int b = 0; b < ANGLE_BINS; b++)
        left[b] = folded[b] = smooth[0][b] + smooth[1][b];
    *axes = folded[0];
    int n = 0;
    while (n < max) {
        int peak = -1;
        for (int b = 0; b < ANGLE_BINS; b++)
            if (left[b] > 0 && (peak < 0 || left[b] > left[peak]))
                peak = b;
        if (peak < 0)
            break;
        /* a local maximum, not the shoulder of one taken already */
        bool top = true;
        for (int d = -4; d <= 4; d++)
            top &= folded[(peak + d + ANGLE_BINS) % ANGLE_BINS] <= folded[peak];
        if (!top) {
            left[peak] = 0;
            continue;
        }
        double lo = fmin(smooth[0][peak], smooth[1][peak]);
        double hi = fmax(smooth[0][peak], smooth[1][peak]);
        double deg = peak ? (peak + 0.5) * (90.0 / ANGLE_BINS) : 0;
        out[n++] = (orientation){deg > 45 ? deg - 90 : deg, folded[peak], hi > 0 ? lo / hi : 0};
        /* the next peak at least 5 degrees away */
        for (int d = -10; d <= 10; d++)
            left[(peak + d + ANGLE_BINS) % ANGLE_BINS] = 0;
    }
    return n;
}

/* How sharp the two projections of the n ink points px (x, y pairs about
 * the cut's centre) across the axes of a drawing at `at` degrees are: the
 * sum of their squared bin counts (1 px bins, hist: 2 x bins, half the
 * bins on each side of the centre). */
static double projection_score(const float *px, size_t n, double at, uint32_t *hist, int bins)
{
    double a = at * (M_PI / 180), half = bins / 2.0;
    float c = (float)cos(a), sn = (float)sin(a);
    memset(hist, 0, 2 * (size_t)bins * sizeof *hist);
    for (size_t i = 0; i < n; i++) {
        float x = px[2 * i], y = px[2 * i + 1];
        hist[(int)(y * c - x * sn + half)]++;        /* across lines along `at` */
        hist[bins + (int)(x * c + y * sn + half)]++; /* across lines at right angles */
    }
    double score = 0;
    for (int b = 0; b < 2 * bins; b++)
        score += (double)hist[b] * hist[b];
    return score;
}

/* deg refined to a tenth of a degree within `span` degrees of it (half
 * degrees first, then tenths around the best): the angle
 * whose two projections of the ink (at or below level; about 64 K of its
 * pixels inside cut, drawn at random) across the drawing's two axes
 * are sharpest (largest sum of squared bin counts, 1 px bins). The Sobel
 * histogram is coarse on thin and antialiased lines; walls along an axis
 * pile their ink into a few bins of its projection. *sharpness: how much
 * sharper the projections are there than 3 degrees off on either side
 * (their mean): straight walls at that angle make it 1.05 to 4, radial or
 * hand-drawn walls that only lean that way about 1. -1000 (no angle): out
 * of memory. */
double refine_angle(const locdet_call *call, const locdet_image *img, const int cut[4], int level,
                    double deg, double span, double *sharpness)
{
    *sharpness = 1;
    int cw = cut[2] - cut[0], ch = cut[3] - cut[1];
    if (cw < 3 || ch < 3)
        return deg;
    /* ink pixels kept at random (a fixed hash, so runs repeat), one in
     * `keep`: a regular grid of samples would pile into few bins at angles
     * of simple slopes (atan 1/4 = 14.04 degrees) whatever the drawing */
    size_t ink = 0;
    for (int y = cut[1]; y < cut[3]; y += 4) {
        const uint8_t *row = img->data + (ptrdiff_t)y * img->stride;
        for (int x = cut[0]; x < cut[2]; x += 4)
            ink += row[x] <= level;
    }
    size_t cap = 65536;
    uint32_t keep = (uint32_t)(16 * ink / cap + 1);
    float *px = call->scratch(call, 2 * (cap + 1) * sizeof *px);
    int bins = (int)ceil(sqrt((double)cw * cw + (double)ch * ch)) + 3;
    uint32_t *hist = call->scratch(call, 2 * (size_t)bins * sizeof *hist);
    if (!px || !hist)
        return -1000;
    size_t n = 0;
    uint32_t state = 2463534242u;
    for (int y = cut[1]; y < cut[3] && n < cap; y++) {
        const uint8_t *row = img->data + (ptrdiff_t)y * img->stride;
        for (int x = cut[0]; x < cut[2] && n < cap; x++) {
            if (row[x] > level)
                continue;
            state ^= state << 13; /* xorshift32 */
            state ^= state >> 17;
            state ^= state << 5;
            if (state % keep)
                continue;
            px[2 * n] = (float)(x - cut[0] - cw / 2.0);
            px[2 * n + 1] = (float)(y - cut[1] - ch / 2.0);
            n++;
        }
    }
    /* half-degree steps over the span, then tenths around the best */
    double best = deg, best_score = -1;
    for (int pass = 0; pass < 2; pass++) {
        double from = pass ? best - 0.4 : deg - span, to = pass ? best + 0.4 : deg + span;
        double by = pass ? 0.1 : 0.5, centre = best;
        best_score = -1;
        for (int k = 0; from + k * by <= to + 1e-9; k++) {
            double at = from + k * by, score = projection_score(px, n, at, hist, bins);
            if (score > best_score) {
                best_score = score;
                centre = at;
            }
        }
        best = centre;
    }
    double off = projection_score(px, n, best - 3, hist, bins) +
                 projection_score(px, n, best + 3, hist, bins);
    if (off > 0)
        *sharpness = 2 * best_score / off;
    return best;
}

/* The Catmull-Rom weights of the four samples around a point t (0 .. 1)
 * past the second, x 256 and summing to 256: sharper than bilinear, which
 * would leave a 1 px line turned half as dark as it was drawn. */
static void catmull_rom(double t, int w[4])
{
    double t2 = t * t, t3 = t2 * t;
    w[0] = (int)lround(128 * (-t3 + 2 * t2 - t));
    w[2] = (int)lround(128 * (-3 * t3 + 4 * t2 + t));
    w[3] = (int)lround(128 * (t3 - t2));
    w[1] = 256 - w[0] - w[2] - w[3];
}

/* The bins lo..hi of an n-bin histogram that remain when more than `tail`
 * counts are taken off each end (whole bins while they fit). */
static void trimmed_range(const uint32_t *hist, int n, size_t tail, int *lo, int *hi)
{
    size_t seen = 0;
    int a = 0, b = n - 1;
    while (a < n - 1 && (seen += hist[a]) <= tail)
        a++;
    seen = 0;
    while (b > a && (seen += hist[b]) <= tail)
        b--;
    *lo = a;
    *hi = b;
}

/* The part cut (left, top, right, bottom) of img turned by -deg degrees
 * (image axes: y down) onto a new packed image just large enough for its
 * ink (at or below `ink`; EXTENT_TAIL, CROP_SHARE), bicubic (Catmull-Rom,
 * 64 phases), paper where the turned image has no source or its four
 * nearest source pixels are all paper. *tr maps its pixels back onto
 * img's. NULL data: out of memory. */
locdet_image turn_drawing(const locdet_call *call, const locdet_image *img, const int cut[4],
                          double deg, int ink, int paper, turn *tr)
{
    double c = cos(deg * (M_PI / 180)), sn = sin(deg * (M_PI / 180));
    int cw = cut[2] - cut[0], ch = cut[3] - cut[1];
    int w = (int)ceil(cw * fabs(c) + ch * fabs(sn)), h = (int)ceil(cw * fabs(sn) + ch * fabs(c));
    double cx = cut[0] + cw / 2.0, cy = cut[1] + ch / 2.0, ox = w / 2.0, oy = h / 2.0;
    /* the drawing's extent turned: where all but EXTENT_TAIL of its ink
     * (at or below ink, every other pixel both ways) lies along each
     * turned axis; dust specks and JPEG noise scattered over the sheet do
     * not stretch it */
    double ext[4] = {HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
    uint32_t *along = call->scratch(call, ((size_t)w + h) * sizeof *along);
    if (!along)
        return (locdet_image){0};
    uint32_t *across = along + w;
    memset(along, 0, ((size_t)w + h) * sizeof *along);
    size_t ink_px = 0;
    for (int y = cut[1]; y < cut[3]; y += 2) {
        const uint8_t *row = img->data + (ptrdiff_t)y * img->stride;
        for (int x = cut[0]; x < cut[2]; x += 2) {
            if (row[x] > ink)
                continue;
            double px = x + 0.5 - cx, py = y + 0.5 - cy;
            int u = (int)(ox + c * px + sn * py), v = (int)(oy - sn * px + c * py);
            along[u < 0 ? 0 : u >= w ? w - 1 : u]++;
            across[v < 0 ? 0 : v >= h ? h - 1 : v]++;
            ink_px++;
        }
    }
    if (ink_px > 0) {
        size_t tail = (size_t)(EXTENT_TAIL * (double)ink_px);
        int u0, u1, v0, v1;
        trimmed_range(along, w, tail, &u0, &u1);
        trimmed_range(across, h, tail, &v0, &v1);
        ext[0] = u0 - ox;
        ext[1] = v0 - oy;
        ext[2] = u1 + 1 - ox;
        ext[3] = v1 + 1 - oy;
    }
    /* the crop: whole pixels of the full turned image (left, top) */
    int left = 0, top = 0;
    if (ext[0] <= ext[2]) {
        double margin = fmax(64, fmax(ext[2] - ext[0], ext[3] - ext[1]) / CROP_SHARE);
        left = (int)fmax(0, floor(ox + ext[0] - margin));
        top = (int)fmax(0, floor(oy + ext[1] - margin));
        w = (int)fmin(w, ceil(ox + ext[2] + margin)) - left;
        h = (int)fmin(h, ceil(oy + ext[3] + margin)) - top;
        ox -= left;
        oy -= top;
    }
    locdet_image out = {call->scratch(call, (size_t)w * (size_t)h), w, h, w};
    *tr = (turn){.cos = c, .sin = sn, .cx = cx, .cy = cy, .ox = ox, .oy = oy, .turned = true};
    if (!out.data)
        return out;
    int weight[64][4];
    for (int ph = 0; ph < 64; ph++)
        catmull_rom(ph / 64.0, weight[ph]);
    const ptrdiff_t st = img->stride;
    /* source positions in 16.16 fixed point, a step of (cos, sin) per pixel */
    const int64_t one = 65536, step_x = llround(c * one), step_y = llround(sn * one);
    for (int y = 0; y < h; y++) {
        uint8_t *row = out.data + (size_t)y * w;
        double sx0, sy0;
        /* the walk of the full image's row from its first pixel, so that
         * the crop's pixels are the full image's to the last bit */
        turn_point(tr, 0.5 - left, y + 0.5, &sx0, &sy0);
        int64_t fx = llround((sx0 - 0.5) * one) + left * step_x;
        int64_t fy = llround((sy0 - 0.5) * one) + left * step_y;
        for (int x = 0; x < w; x++, fx += step_x, fy += step_y) {
            int x0 = (int)(fx >> 16), y0 = (int)(fy >> 16);
            if (x0 - 1 < cut[0] || y0 - 1 < cut[1] || x0 + 2 >= cut[2] || y0 + 2 >= cut[3]) {
                row[x] = (uint8_t)paper;
                continue;
            }
            const uint8_t *p = img->data + (ptrdiff_t)y0 * st + x0;
            if (p[0] >= paper && p[1] >= paper && p[st] >= paper && p[st + 1] >= paper) {
                row[x] = (uint8_t)paper;
                continue;
            }
            const int *wx = weight[(fx >> 10) & 63], *wy = weight[(fy >> 10) & 63];
            p -= st + 1;
            int v = 0;
            for (int j = 0; j < 4; j++, p += st)
                v += wy[j] * (wx[0] * p[0] + wx[1] * p[1] + wx[2] * p[2] + wx[3] * p[3]);
            v = (v + 32768) >> 16;
            row[x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
    return out;
}
