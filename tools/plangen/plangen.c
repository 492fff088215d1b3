/* plangen: synthetic floor plans with exact room ground truth.
 *
 * Pipeline (see docs/plangen.md):
 *   1. layout   BSP of the building's inner rectangle into leaves (pixel rects),
 *               closets carved from rooms, L-shapes by merging neighbours,
 *               diagonal corner cuts, labels, a spanning tree of doors, windows.
 *   2. cells    every rectangle of the layout goes into a compressed grid whose
 *               cells are OUTSIDE / WALL / DOOR / WINDOW / SHAFT / room id.
 *               Walls are drawn from it; room polygons are traced from it.
 *   3. decor    door swings, furniture, text, dimension lines, floor fills.
 *   4. degrade  rotation (ground truth rotated with it), blur, noise, specks.
 * Everything is integer arithmetic except nothing: no float touches a pixel.
 */
#include "plangen.h"

#include <cJSON.h>
#include <spng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#define MAXL 160   /* leaves */
#define MAXG 160   /* groups (rooms) */
#define MAXD 96    /* doors */
#define MAXW 96    /* windows */
#define MAXC 8     /* diagonal cuts */
#define MAXRES 40  /* reserved rects per leaf */

/* ------------------------------------------------------------------ PRNG */

typedef struct rng { uint64_t s[4]; } rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xd1342543de82ef95ull);
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(rng *r) /* xoshiro256** */
{
    uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t; s[3] = rotl(s[3], 45);
    return res;
}

/* uniform in [lo, hi], inclusive */
static int rint_(rng *r, int lo, int hi)
{
    if (hi <= lo) return lo;
    return lo + (int)(rng_next(r) % ((uint64_t)(hi - lo) + 1));
}
static int rpct(rng *r, int pct) { return rint_(r, 0, 99) < pct; }

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++) { h ^= (uint8_t)*s; h *= 0x100000001b3ull; }
    return h;
}

/* ------------------------------------------------------------ int math */

static int imin(int a, int b) { return a < b ? a : b; }
static int imax(int a, int b) { return a > b ? a : b; }
static int iclamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

static int64_t floordiv(int64_t a, int64_t b) /* b > 0 */
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}
static int64_t ceildiv(int64_t a, int64_t b) /* b > 0 */
{
    return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

/* sin and cos of an angle in millidegrees (|a| <= 45000), Q30 */
static void isincos(int mdeg, int64_t *s, int64_t *c)
{
    const int64_t one = (int64_t)1 << 30;
    int64_t x = (int64_t)mdeg * 3373259426ll / 180000; /* pi * 2^30 = 3373259426.1 */
    int64_t x2 = (x * x) >> 30;
    int64_t term = x, sn = x;
    for (int k = 1; k <= 6; k++) {
        term = -((term * x2) >> 30) / ((2 * k) * (2 * k + 1));
        sn += term;
    }
    term = one;
    int64_t cs = one;
    for (int k = 1; k <= 6; k++) {
        term = -((term * x2) >> 30) / ((2 * k - 1) * (2 * k));
        cs += term;
    }
    *s = sn;
    *c = cs;
}

/* ------------------------------------------------------------ geometry */

typedef struct rect { int x0, y0, x1, y1; } rect;

static rect mkrect(int x0, int y0, int x1, int y1)
{
    rect r = { imin(x0, x1), imin(y0, y1), imax(x0, x1), imax(y0, y1) };
    return r;
}
static int rw(rect r) { return r.x1 - r.x0; }
static int rh(rect r) { return r.y1 - r.y0; }
static int roverlap(rect a, rect b)
{
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}
static int rinside(rect in, rect out)
{
    return in.x0 >= out.x0 && in.y0 >= out.y0 && in.x1 <= out.x1 && in.y1 <= out.y1;
}
static rect rgrow(rect r, int m) { rect o = { r.x0 - m, r.y0 - m, r.x1 + m, r.y1 + m }; return o; }

/* ------------------------------------------------------------ rasterizer */

void plangen_polygon_spans(const int (*p)[2], int n, int width, int height,
                           plangen_span_fn cb, void *user)
{
    if (!p || n < 3 || !cb) return;
    int ymin = p[0][1], ymax = p[0][1];
    for (int i = 1; i < n; i++) { ymin = imin(ymin, p[i][1]); ymax = imax(ymax, p[i][1]); }
    ymin = imax(ymin, 0);
    ymax = imin(ymax, height);
    int64_t stackbuf[64], *xs = n <= 64 ? stackbuf : malloc(sizeof(int64_t) * (size_t)n);
    if (!xs) return;
    for (int py = ymin; py < ymax; py++) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            int64_t xa = p[i][0], ya = p[i][1];
            int64_t xb = p[(i + 1) % n][0], yb = p[(i + 1) % n][1];
            if (ya == yb) continue;
            int64_t lo = ya < yb ? ya : yb, hi = ya < yb ? yb : ya;
            if (py < lo || py >= hi) continue;
            int64_t dy = yb - ya;
            int64_t num = 2 * xa * dy + (xb - xa) * (2 * (int64_t)py + 1 - 2 * ya) - dy;
            int64_t den = 2 * dy;
            if (den < 0) { num = -num; den = -den; }
            int64_t c = ceildiv(num, den); /* first pixel whose centre is at or right of x */
            int j = k++;
            while (j > 0 && xs[j - 1] > c) { xs[j] = xs[j - 1]; j--; }
            xs[j] = c;
        }
        for (int j = 0; j + 1 < k; j += 2) {
            int64_t a = xs[j] < 0 ? 0 : xs[j], b = xs[j + 1] > width ? width : xs[j + 1];
            if (a < b) cb(user, py, (int)a, (int)b);
        }
    }
    if (xs != stackbuf) free(xs);
}

/* ------------------------------------------------------------ canvas */

typedef struct canvas {
    uint8_t *px;
    int w, h;
    ptrdiff_t stride;
    unsigned layers, cur; /* enabled layers, layer being drawn */
} canvas;

#define DRAWING(cv) (((cv)->layers & (cv)->cur) != 0)

static void cv_fill(canvas *cv, rect r, uint8_t v, int darken)
{
    if (!DRAWING(cv)) return;
    r.x0 = imax(r.x0, 0); r.y0 = imax(r.y0, 0);
    r.x1 = imin(r.x1, cv->w); r.y1 = imin(r.y1, cv->h);
    if (r.x0 >= r.x1 || r.y0 >= r.y1) return;
    for (int y = r.y0; y < r.y1; y++) {
        uint8_t *row = cv->px + y * cv->stride;
        if (!darken) { memset(row + r.x0, v, (size_t)(r.x1 - r.x0)); continue; }
        for (int x = r.x0; x < r.x1; x++) if (row[x] > v) row[x] = v;
    }
}

static void cv_outline(canvas *cv, rect r, int t, uint8_t v)
{
    if (rw(r) <= 2 * t || rh(r) <= 2 * t) { cv_fill(cv, r, v, 1); return; }
    cv_fill(cv, mkrect(r.x0, r.y0, r.x1, r.y0 + t), v, 1);
    cv_fill(cv, mkrect(r.x0, r.y1 - t, r.x1, r.y1), v, 1);
    cv_fill(cv, mkrect(r.x0, r.y0 + t, r.x0 + t, r.y1 - t), v, 1);
    cv_fill(cv, mkrect(r.x1 - t, r.y0 + t, r.x1, r.y1 - t), v, 1);
}

/* line of thickness t from (x0,y0) to (x1,y1), pixel-corner coordinates */
static void cv_line(canvas *cv, int x0, int y0, int x1, int y1, int t, uint8_t v)
{
    if (!DRAWING(cv)) return;
    if (t < 1) t = 1;
    if (y0 == y1) { cv_fill(cv, mkrect(x0, y0 - t / 2, x1, y0 - t / 2 + t), v, 1); return; }
    if (x0 == x1) { cv_fill(cv, mkrect(x0 - t / 2, y0, x0 - t / 2 + t, y1), v, 1); return; }
    int dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    int err = dx + dy, x = x0, y = y0;
    for (;;) {
        cv_fill(cv, mkrect(x - t / 2, y - t / 2, x - t / 2 + t, y - t / 2 + t), v, 1);
        if (x == x1 && y == y1) break;
        int e2 = 2 * err;
        if (e2 >= dy) { err += dy; x += sx; }
        if (e2 <= dx) { err += dx; y += sy; }
    }
}

static void cv_dashed(canvas *cv, int x0, int y0, int x1, int y1, int t, int dash, uint8_t v)
{
    if (dash < 1) dash = 1;
    if (y0 == y1) {
        for (int x = imin(x0, x1); x < imax(x0, x1); x += 2 * dash)
            cv_line(cv, x, y0, imin(x + dash, imax(x0, x1)), y0, t, v);
    } else {
        for (int y = imin(y0, y1); y < imax(y0, y1); y += 2 * dash)
            cv_line(cv, x0, y, x0, imin(y + dash, imax(y0, y1)), t, v);
    }
}

/* Elliptic ring centred at pixel corner (cx, cy), semi-axes a, b, thickness t.
 * quad: bit 0 = (+x,+y), 1 = (-x,+y), 2 = (-x,-y), 3 = (+x,-y) (y down). */
static void cv_ellipse(canvas *cv, int cx, int cy, int a, int b, int t, unsigned quad, uint8_t v)
{
    if (!DRAWING(cv) || a < 1 || b < 1) return;
    int64_t A = a, B = b, ai = a - t, bi = b - t;
    int x0 = imax(cx - a, 0), x1 = imin(cx + a, cv->w), y0 = imax(cy - b, 0), y1 = imin(cy + b, cv->h);
    for (int y = y0; y < y1; y++) {
        int64_t dy = 2 * (int64_t)(y - cy) + 1;
        uint8_t *row = cv->px + y * cv->stride;
        for (int x = x0; x < x1; x++) {
            int64_t dx = 2 * (int64_t)(x - cx) + 1;
            unsigned q = dx > 0 ? (dy > 0 ? 1u : 8u) : (dy > 0 ? 2u : 4u);
            if (!(quad & q)) continue;
            if (B * B * dx * dx + A * A * dy * dy >= 4 * A * A * B * B) continue;
            if (ai > 0 && bi > 0 && bi * bi * dx * dx + ai * ai * dy * dy < 4 * ai * ai * bi * bi) continue;
            if (row[x] > v) row[x] = v;
        }
    }
}

typedef struct polyfill { canvas *cv; uint8_t v; int mode; int period, lw; } polyfill;

static void polyfill_span(void *u, int y, int x0, int x1)
{
    polyfill *pf = u;
    uint8_t *row = pf->cv->px + y * pf->cv->stride;
    for (int x = x0; x < x1; x++) {
        int on = 1;
        if (pf->mode == 1) on = ((x + y) % pf->period) < pf->lw;                  /* diagonal hatch */
        else if (pf->mode == 2) on = (x % pf->period) < pf->lw || (y % pf->period) < pf->lw; /* tiles */
        else if (pf->mode == 3) on = 1;                                          /* set (paper) */
        if (!on) continue;
        if (pf->mode == 3) row[x] = pf->v;
        else if (row[x] > pf->v) row[x] = pf->v;
    }
}

/* mode 0 fill (darken), 1 diagonal hatch, 2 tile grid, 3 set */
static void cv_poly(canvas *cv, const int (*p)[2], int n, uint8_t v, int mode, int period, int lw)
{
    if (!DRAWING(cv)) return;
    polyfill pf = { cv, v, mode, period > 0 ? period : 1, lw };
    plangen_polygon_spans(p, n, cv->w, cv->h, polyfill_span, &pf);
}

/* 5x7 block font */
static const char FONT_CHARS[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'\"-./x:";
static const uint8_t FONT[][7] = {
    {0x0E,0x11,0x11,0x1F,0x11,0x11,0x11}, {0x1E,0x11,0x11,0x1E,0x11,0x11,0x1E},
    {0x0E,0x11,0x10,0x10,0x10,0x11,0x0E}, {0x1C,0x12,0x11,0x11,0x11,0x12,0x1C},
    {0x1F,0x10,0x10,0x1E,0x10,0x10,0x1F}, {0x1F,0x10,0x10,0x1E,0x10,0x10,0x10},
    {0x0E,0x11,0x10,0x17,0x11,0x11,0x0F}, {0x11,0x11,0x11,0x1F,0x11,0x11,0x11},
    {0x0E,0x04,0x04,0x04,0x04,0x04,0x0E}, {0x07,0x02,0x02,0x02,0x02,0x12,0x0C},
    {0x11,0x12,0x14,0x18,0x14,0x12,0x11}, {0x10,0x10,0x10,0x10,0x10,0x10,0x1F},
    {0x11,0x1B,0x15,0x15,0x11,0x11,0x11}, {0x11,0x11,0x19,0x15,0x13,0x11,0x11},
    {0x0E,0x11,0x11,0x11,0x11,0x11,0x0E}, {0x1E,0x11,0x11,0x1E,0x10,0x10,0x10},
    {0x0E,0x11,0x11,0x11,0x15,0x12,0x0D}, {0x1E,0x11,0x11,0x1E,0x14,0x12,0x11},
    {0x0F,0x10,0x10,0x0E,0x01,0x01,0x1E}, {0x1F,0x04,0x04,0x04,0x04,0x04,0x04},
    {0x11,0x11,0x11,0x11,0x11,0x11,0x0E}, {0x11,0x11,0x11,0x11,0x11,0x0A,0x04},
    {0x11,0x11,0x11,0x15,0x15,0x15,0x0A}, {0x11,0x11,0x0A,0x04,0x0A,0x11,0x11},
    {0x11,0x11,0x11,0x0A,0x04,0x04,0x04}, {0x1F,0x01,0x02,0x04,0x08,0x10,0x1F},
    {0x0E,0x11,0x13,0x15,0x19,0x11,0x0E}, {0x04,0x0C,0x04,0x04,0x04,0x04,0x0E},
    {0x0E,0x11,0x01,0x02,0x04,0x08,0x1F}, {0x1F,0x02,0x04,0x02,0x01,0x11,0x0E},
    {0x02,0x06,0x0A,0x12,0x1F,0x02,0x02}, {0x1F,0x10,0x1E,0x01,0x01,0x11,0x0E},
    {0x06,0x08,0x10,0x1E,0x11,0x11,0x0E}, {0x1F,0x01,0x02,0x04,0x08,0x08,0x08},
    {0x0E,0x11,0x11,0x0E,0x11,0x11,0x0E}, {0x0E,0x11,0x11,0x0F,0x01,0x02,0x0C},
    {0x04,0x04,0x08,0x00,0x00,0x00,0x00}, {0x0A,0x0A,0x00,0x00,0x00,0x00,0x00},
    {0x00,0x00,0x00,0x1F,0x00,0x00,0x00}, {0x00,0x00,0x00,0x00,0x00,0x0C,0x0C},
    {0x00,0x01,0x02,0x04,0x08,0x10,0x00}, {0x00,0x00,0x11,0x0A,0x04,0x0A,0x11},
    {0x00,0x0C,0x0C,0x00,0x0C,0x0C,0x00},
};

static int text_len(const char *s, int scale) { int n = (int)strlen(s); return n ? (6 * n - 1) * scale : 0; }

/* text with its top-left at (x, y); vertical text reads bottom to top, (x, y)
 * is then its bottom-left corner */
static void cv_text(canvas *cv, int x, int y, const char *s, int scale, int vertical, uint8_t v)
{
    if (!DRAWING(cv)) return;
    for (int ci = 0; s[ci]; ci++) {
        const char *f = strchr(FONT_CHARS, s[ci]);
        if (s[ci] == ' ' || !f) continue;
        const uint8_t *gl = FONT[f - FONT_CHARS];
        for (int gy = 0; gy < 7; gy++)
            for (int gx = 0; gx < 5; gx++) {
                if (!(gl[gy] & (0x10 >> gx))) continue;
                int t = ci * 6 + gx;
                rect r = vertical ? mkrect(x + gy * scale, y - (t + 1) * scale, x + (gy + 1) * scale, y - t * scale)
                                  : mkrect(x + t * scale, y + gy * scale, x + (t + 1) * scale, y + (gy + 1) * scale);
                cv_fill(cv, r, v, 1);
            }
    }
}

/* ------------------------------------------------------------ presets */

typedef struct preset {
    const char *name, *desc;
    int w_min, w_max, asp_min, asp_max; /* default width range; height/width in permille */
    int bw_min, bw_max;                 /* building width in mm */
    int rooms_min, rooms_max, min_room; /* BSP leaves; min room side in mm */
    int ext_mm, int_mm, margin_pm;      /* wall thickness; image margin per side (permille of W) */
    int closets, lshapes, corridor_pct;
    int arcs, windows_pct, text, furniture, dims;
    int wall_style, floor_pct, shafts, diag_cuts, chamfers;
    int specks_pmp, sigma, blur, rot_mdeg, weak_ink, thin_ink_max;
} preset;

static const preset PRESETS[] = {
    { "bench",
      "4096x4096 blueprint for the kernel benchmark. Walls: thick, solid (exterior 300 mm, "
      "interior 140 mm). Doors: gaps with swing arcs. Windows: common. Text: labels and sizes. "
      "Furniture: medium. Dimension lines: yes. Noise: mild specks (25/Mpx). Ink about 10%.",
      4096, 4096, 1000, 1000, 15000, 18000, 14, 18, 2600, 300, 140, 80,
      3, 2, 70, 1, 60, 2, 2, 1, 0, 0, 0, 0, 0, 25, 0, 0, 0, 0, 40 },
    { "simple",
      "About 1000 px, clean rectangles. Walls: solid. Doors: plain gaps, no arcs. Windows: none. "
      "Text: none. Furniture: none. Dimension lines: none. Noise: none.",
      900, 1100, 700, 1000, 9000, 13000, 4, 8, 2400, 250, 150, 50,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
    { "apartment",
      "1000-1600 px apartment. Walls: solid. Rooms: rectangular and L-shaped, closets. "
      "Doors: swing arcs. Windows: thin parallel lines, common. Text: labels and sizes. "
      "Furniture: medium. Dimension lines: yes. Noise: none.",
      1000, 1600, 650, 1000, 9000, 15000, 7, 12, 2400, 280, 130, 90,
      3, 2, 60, 1, 70, 2, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
    { "scan",
      "The apartment as a scan: 1200-2000 px, rotation up to +-2 deg (ground truth rotated "
      "with it), blur 1-2 passes, gaussian noise sigma 6-12, uneven paper tone, specks "
      "(60/Mpx), weak ink (thin lines at gray 150-240 half the time).",
      1200, 2000, 650, 1000, 9000, 15000, 7, 12, 2400, 280, 130, 90,
      3, 2, 60, 1, 70, 2, 2, 1, 0, 0, 0, 0, 0, 60, 12, 2, 2000, 1, 120 },
    { "hatched",
      "1000-1600 px apartment with hatched or gray-filled walls (outlined), hatched, tiled "
      "or gray floors in about half the rooms, 1-2 shafts with hatch and cross. Doors: arcs. "
      "Text: labels. Furniture: light. Dimension lines: yes. Noise: none.",
      1000, 1600, 650, 1000, 9000, 15000, 7, 12, 2400, 300, 150, 90,
      2, 1, 50, 1, 60, 1, 1, 1, 1, 50, 2, 0, 0, 0, 0, 0, 0, 0, 0 },
    { "diagonal",
      "1000-1600 px apartment with 45-degree walls: 1-2 chamfered building corners and 1-2 "
      "rooms with a diagonal wall cutting off a triangular closet (door gap in the diagonal). "
      "Doors: arcs. Windows: common. Text: labels. Furniture: light. Dimension lines: yes.",
      1000, 1600, 650, 1000, 11000, 16000, 6, 10, 3000, 280, 130, 90,
      2, 1, 40, 1, 60, 1, 1, 1, 0, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0 },
    { "large",
      "8000-10000 px, big plan (18-30 rooms). All apartment features: closets, L-shapes, "
      "arcs, windows, labels and sizes, furniture, dimension lines. Noise: faint specks (5/Mpx).",
      8000, 10000, 700, 1000, 18000, 28000, 18, 30, 2600, 300, 140, 60,
      5, 4, 80, 1, 60, 2, 2, 1, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 30 },
    { "small",
      "300-500 px thumbnail, 3-6 rooms, walls 2-10 px, 1 px thin lines. Doors: arcs. "
      "Windows: some. Text: short labels where they fit. Furniture: light. No dimension lines. "
      "Noise: none.",
      300, 500, 650, 1000, 7000, 11000, 3, 6, 2200, 250, 130, 50,
      1, 1, 0, 1, 50, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
};
#define NPRESETS ((int)(sizeof PRESETS / sizeof PRESETS[0]))

static const char *PRESET_NAMES[NPRESETS + 1] = {
    "bench", "simple", "apartment", "scan", "hatched", "diagonal", "large", "small", NULL
};

const char *const *plangen_presets(void) { return PRESET_NAMES; }

static const preset *find_preset(const char *name)
{
    if (!name) return NULL;
    for (int i = 0; i < NPRESETS; i++)
        if (!strcmp(PRESETS[i].name, name)) return &PRESETS[i];
    return NULL;
}

const char *plangen_preset_description(const char *name)
{
    const preset *p = find_preset(name);
    return p ? p->desc : NULL;
}

/* ------------------------------------------------------------ layout types */

enum { K_ROOM, K_HALL, K_CLOSET, K_SHAFT };
enum { LB_LIVING, LB_BED, LB_BATH, LB_HALL, LB_CLOSET, LB_OTHER };
static const char *const LABEL_R3D[] = {
    "livingroom/kitchen/diningroom", "bedroom", "bathroom/washroom", "hall", "closet", "other"
};
enum { C_OUTSIDE = -1, C_WALL = -2, C_DOOR = -3, C_WINDOW = -4, C_SHAFT = -5 };

typedef struct leaf {
    rect r;
    int group, kind, nosplit, cut;
    rect res[MAXRES];
    int nres;
} leaf;

typedef struct group {
    int n, leaf[2];      /* n == 0 with cut >= 0: triangle closet of a cut */
    rect strip;          /* wall strip removed between the two leaves */
    int alive, label, textvar, host, degree, cut;
    long area;           /* approximate, px */
} group;

typedef struct cut {
    int leaf, corner, c, m, ext, g0, g1, group; /* gap in t = u - v: [g0, g1); g0 == g1: none */
} cut;

typedef struct door {
    rect gap;
    int hx, hy, px, py, ax, ay, w, arc;
} door;

typedef struct window { rect r; int vertical; } window;

typedef struct grid { int nx, ny, *xs, *ys, *cell; } grid;

typedef struct gen {
    const preset *ps;
    plangen_options opt;
    rng rl, rd, ri, rn;         /* layout, decor, ink, noise */
    int W, H;
    rect foot, inner;
    int bw_px, bw_mm;
    int te, ti, tc, lw, dw, cdw, mind;
    leaf L[MAXL]; int nl;
    group G[MAXG]; int ng;
    cut C[MAXC]; int nc;
    door D[MAXD]; int nd;
    window Wn[MAXW]; int nw;
    grid gr;
    canvas cv;
    int wall_style; uint8_t ink_wall, wall_gray;
} gen;

static int MM(const gen *g, int mm)
{
    return (int)(((int64_t)mm * g->bw_px + g->bw_mm / 2) / g->bw_mm);
}
static int PX2MM(const gen *g, int px)
{
    return (int)(((int64_t)px * g->bw_mm + g->bw_px / 2) / g->bw_px);
}

static uint8_t ink_thin(gen *g)
{
    if (g->opt.disable & PLANGEN_NO_NOISE) return 0;
    if (g->ps->weak_ink && rpct(&g->ri, 50)) return (uint8_t)rint_(&g->ri, 150, 240);
    return (uint8_t)rint_(&g->ri, 0, g->ps->thin_ink_max);
}

/* ------------------------------------------------------------ layout */

static int new_group(gen *g)
{
    if (g->ng >= MAXG) return -1;
    group *gp = &g->G[g->ng];
    memset(gp, 0, sizeof *gp);
    gp->alive = 1; gp->host = -1; gp->cut = -1; gp->label = LB_OTHER;
    return g->ng++;
}

static int new_leaf(gen *g, rect r, int kind)
{
    if (g->nl >= MAXL) return -1;
    int gi = new_group(g);
    if (gi < 0) return -1;
    leaf *l = &g->L[g->nl];
    memset(l, 0, sizeof *l);
    l->r = r; l->kind = kind; l->cut = -1; l->group = gi;
    g->G[gi].n = 1; g->G[gi].leaf[0] = g->nl;
    return g->nl++;
}

/* split leaf li: axis 0 cuts at x = p (new leaf to the right), axis 1 at y = p.
 * The wall is [p, p + t). Returns the new leaf. */
static int split_leaf(gen *g, int li, int axis, int p, int t, int kind)
{
    rect r = g->L[li].r, a = r, b = r;
    if (axis == 0) { a.x1 = p; b.x0 = p + t; } else { a.y1 = p; b.y0 = p + t; }
    int nl = new_leaf(g, b, kind);
    if (nl < 0) return -1;
    g->L[li].r = a;
    return nl;
}

static int leaf_adjacent(const gen *g, int a, int b, rect *strip, int *vertical)
{
    rect A = g->L[a].r, B = g->L[b].r;
    for (int swap = 0; swap < 2; swap++) {
        if (B.x0 > A.x1 && B.x0 - A.x1 <= g->ti) {
            int y0 = imax(A.y0, B.y0), y1 = imin(A.y1, B.y1);
            if (y1 > y0) { *strip = mkrect(A.x1, y0, B.x0, y1); *vertical = 1; return 1; }
        }
        if (B.y0 > A.y1 && B.y0 - A.y1 <= g->ti) {
            int x0 = imax(A.x0, B.x0), x1 = imin(A.x1, B.x1);
            if (x1 > x0) { *strip = mkrect(x0, A.y1, x1, B.y0); *vertical = 0; return 1; }
        }
        rect t = A; A = B; B = t;
    }
    return 0;
}

static void merge_groups(gen *g, int ga, int gb, rect strip)
{
    group *A = &g->G[ga], *B = &g->G[gb];
    A->leaf[1] = B->leaf[0]; A->n = 2; A->strip = strip;
    g->L[B->leaf[0]].group = ga;
    B->alive = 0; B->n = 0;
}

static void bsp(gen *g)
{
    const preset *ps = g->ps;
    int target = rint_(&g->rl, ps->rooms_min, ps->rooms_max);
    new_leaf(g, g->inner, K_ROOM);
    if (rpct(&g->rl, ps->corridor_pct)) {
        /* a corridor along the long axis, rooms on both sides */
        rect r = g->inner;
        int ax = rw(r) >= rh(r) ? 1 : 0; /* split across the short side */
        int len = ax ? rh(r) : rw(r), o = ax ? r.y0 : r.x0;
        int cw = MM(g, rint_(&g->rl, 1100, 1500));
        if (len >= 2 * g->mind + cw + 2 * g->ti) {
            int p = o + len * rint_(&g->rl, 350, 550) / 1000;
            p = iclamp(p, o + g->mind, o + len - g->mind - cw - 2 * g->ti);
            int corr = split_leaf(g, 0, ax, p, g->ti, K_ROOM);
            if (corr >= 0 && split_leaf(g, corr, ax, p + g->ti + cw, g->ti, K_ROOM) >= 0) {
                g->L[corr].kind = K_HALL;
                g->L[corr].nosplit = 1;
            }
        }
    }
    while (g->nl < target) {
        int best = -1; long ba = -1;
        for (int i = 0; i < g->nl; i++) {
            if (g->L[i].nosplit || g->L[i].kind != K_ROOM) continue;
            long a = (long)rw(g->L[i].r) * rh(g->L[i].r);
            if (a > ba) { ba = a; best = i; }
        }
        if (best < 0) break;
        rect r = g->L[best].r;
        int axis = rw(r) * 10 > rh(r) * 12 ? 0 : rh(r) * 10 > rw(r) * 12 ? 1 : rint_(&g->rl, 0, 1);
        int done = 0;
        for (int k = 0; k < 2 && !done; k++, axis ^= 1) {
            int len = axis ? rh(r) : rw(r), o = axis ? r.y0 : r.x0;
            if (len < 2 * g->mind + g->ti) continue;
            int p = o + len * rint_(&g->rl, 330, 670) / 1000;
            p = iclamp(p, o + g->mind, o + len - g->ti - g->mind);
            if (split_leaf(g, best, axis, p, g->ti, K_ROOM) < 0) return;
            done = 1;
        }
        if (!done) g->L[best].nosplit = 1;
    }
}

/* carve a closet (or shaft) from the side of a room leaf: split off a strip
 * along one side, cut the closet from one end of the strip and merge the rest
 * of the strip back into the room (an L-shaped room with a closet in its notch) */
static void carve_closet(gen *g, int kind)
{
    for (int tries = 0; tries < 20; tries++) {
        int li = rint_(&g->rl, 0, g->nl - 1);
        leaf *l = &g->L[li];
        if (l->kind != K_ROOM || l->nosplit == 2 || g->G[l->group].n != 1) continue;
        int side = rint_(&g->rl, 0, 3), end = rint_(&g->rl, 0, 1);
        int depth = MM(g, kind == K_SHAFT ? rint_(&g->rl, 700, 1100) : rint_(&g->rl, 650, 900));
        int clen = MM(g, kind == K_SHAFT ? rint_(&g->rl, 700, 1200) : rint_(&g->rl, 1100, 2000));
        int with_rem = rpct(&g->rl, 75) || kind == K_SHAFT;
        rect r = l->r;
        int perp = (side & 1) ? rh(r) : rw(r), along = (side & 1) ? rw(r) : rh(r);
        if (perp < g->mind + depth + g->tc || along < clen + g->dw) continue;
        if (with_rem && along - clen - g->tc < MM(g, 900)) {
            if (kind == K_SHAFT) continue;
            with_rem = 0;
        }
        int axis = (side & 1) ? 1 : 0, m, s;
        if (side == 0 || side == 1) {
            int nl = split_leaf(g, li, axis, ((side & 1) ? r.y0 : r.x0) + depth, g->tc, K_ROOM);
            if (nl < 0) return;
            s = li; m = nl;
            /* keep the room's group on the main part */
            int gs = g->L[s].group, gm = g->L[m].group;
            g->L[s].group = gm; g->G[gm].leaf[0] = s;
            g->L[m].group = gs; g->G[gs].leaf[0] = m;
        } else {
            int nl = split_leaf(g, li, axis, ((side & 1) ? r.y1 : r.x1) - depth - g->tc, g->tc, K_ROOM);
            if (nl < 0) return;
            m = li; s = nl;
        }
        g->L[m].nosplit = 2;
        int c = s;
        if (with_rem) {
            rect sr = g->L[s].r;
            int ax2 = (side & 1) ? 0 : 1, o = ax2 ? sr.y0 : sr.x0, len = ax2 ? rh(sr) : rw(sr);
            int p = end ? o + len - clen - g->tc : o + clen;
            int nl = split_leaf(g, s, ax2, p, g->tc, K_ROOM);
            if (nl < 0) return;
            int rem = end ? s : nl;
            c = end ? nl : s;
            rect strip; int vert;
            if (leaf_adjacent(g, m, rem, &strip, &vert))
                merge_groups(g, g->L[m].group, g->L[rem].group, strip);
            g->L[rem].nosplit = 2;
        }
        g->L[c].kind = kind;
        g->L[c].nosplit = 1;
        g->G[g->L[c].group].host = g->L[m].group;
        if (kind == K_SHAFT) g->G[g->L[c].group].alive = 0;
        return;
    }
}

static void make_lshapes(gen *g, int count)
{
    for (int k = 0; k < count; k++) {
        int cand[256][2], nc = 0;
        for (int a = 0; a < g->nl; a++)
            for (int b = a + 1; b < g->nl && nc < 256; b++) {
                leaf *A = &g->L[a], *B = &g->L[b];
                if (A->kind != K_ROOM || B->kind != K_ROOM) continue;
                if (g->G[A->group].n != 1 || g->G[B->group].n != 1 || A->group == B->group) continue;
                rect s; int v;
                if (!leaf_adjacent(g, a, b, &s, &v)) continue;
                int ov = v ? rh(s) : rw(s);
                int ea = v ? rh(A->r) : rw(A->r), eb = v ? rh(B->r) : rw(B->r);
                if (ov < MM(g, 1400) || (ov == ea && ov == eb)) continue;
                long area = (long)rw(A->r) * rh(A->r) + (long)rw(B->r) * rh(B->r);
                if (area * 100 > (long)rw(g->inner) * rh(g->inner) * 40) continue;
                cand[nc][0] = a; cand[nc][1] = b; nc++;
            }
        if (!nc) return;
        int pick = rint_(&g->rl, 0, nc - 1);
        rect s; int v;
        leaf_adjacent(g, cand[pick][0], cand[pick][1], &s, &v);
        merge_groups(g, g->L[cand[pick][0]].group, g->L[cand[pick][1]].group, s);
    }
}

/* canonical frame of a corner: (u, v) -> pixel */
static void corner_map(rect r, int corner, int u, int v, int *x, int *y)
{
    switch (corner) {
    case 0: *x = r.x0 + u; *y = r.y0 + v; break;
    case 1: *x = r.x1 - u; *y = r.y0 + v; break;
    case 2: *x = r.x1 - u; *y = r.y1 - v; break;
    default: *x = r.x0 + u; *y = r.y1 - v; break;
    }
}

static int even(int v) { return v & ~1; }

static void make_cuts(gen *g)
{
    const preset *ps = g->ps;
    int nch = ps->chamfers ? rint_(&g->rl, 1, ps->chamfers) : 0;
    int ncut = ps->diag_cuts ? rint_(&g->rl, 1, ps->diag_cuts) : 0;
    for (int k = 0; k < nch + ncut && g->nc < MAXC; k++) {
        int ext = k < nch;
        for (int tries = 0; tries < 60; tries++) {
            int li = rint_(&g->rl, 0, g->nl - 1), corner = rint_(&g->rl, 0, 3);
            if (ext) { /* the leaf at a building corner */
                int cx = (corner == 1 || corner == 2) ? g->inner.x1 - 1 : g->inner.x0;
                int cy = corner >= 2 ? g->inner.y1 - 1 : g->inner.y0;
                for (li = 0; li < g->nl; li++)
                    if (cx >= g->L[li].r.x0 && cx < g->L[li].r.x1 && cy >= g->L[li].r.y0 && cy < g->L[li].r.y1) break;
                if (li == g->nl) continue;
            }
            leaf *l = &g->L[li];
            if (l->kind != K_ROOM || l->cut >= 0 || g->G[l->group].n != 1) continue;
            rect r = l->r;
            int atx0 = r.x0 == g->inner.x0, atx1 = r.x1 == g->inner.x1;
            int aty0 = r.y0 == g->inner.y0, aty1 = r.y1 == g->inner.y1;
            int at_corner = (corner == 0 && atx0 && aty0) || (corner == 1 && atx1 && aty0) ||
                            (corner == 2 && atx1 && aty1) || (corner == 3 && atx0 && aty1);
            if (ext && !at_corner) continue;
            int m = even((ext ? g->te : g->ti) * 1414 / 1000 + 1);
            if (m < 2) m = 2;
            int c = MM(g, ext ? rint_(&g->rl, 1000, 1700) : rint_(&g->rl, 1500, 2100));
            int gw = MM(g, 700) * 1414 / 1000;
            int g0 = -gw / 2, g1 = g0 + gw;
            if (((g0 ^ c) & 1)) g0--;
            if (((g1 ^ c) & 1)) g1++;
            if (imin(rw(r), rh(r)) < c + MM(g, 1300)) continue;
            if (!ext && (c - m < MM(g, 1000) || g1 - g0 + 4 > c - m)) continue;
            cut *ct = &g->C[g->nc];
            ct->leaf = li; ct->corner = corner; ct->c = c; ct->m = m; ct->ext = ext;
            ct->g0 = ext ? 0 : g0; ct->g1 = ext ? 0 : g1; ct->group = -1;
            l->cut = g->nc;
            l->nosplit = 1;
            /* reserve the corner square for decor */
            int x0, y0, x1, y1;
            corner_map(r, corner, 0, 0, &x0, &y0);
            corner_map(r, corner, c + MM(g, 300), c + MM(g, 300), &x1, &y1);
            l->res[l->nres++] = mkrect(x0, y0, x1, y1);
            if (!ext) {
                int gi = new_group(g);
                if (gi < 0) return;
                g->G[gi].cut = g->nc; g->G[gi].host = l->group;
                ct->group = gi;
            }
            g->nc++;
            break;
        }
    }
}

static long group_area(const gen *g, int gi)
{
    const group *gp = &g->G[gi];
    if (gp->n == 0 && gp->cut >= 0) { long s = g->C[gp->cut].c - g->C[gp->cut].m; return s * s / 2; }
    long a = 0;
    for (int i = 0; i < gp->n; i++) a += (long)rw(g->L[gp->leaf[i]].r) * rh(g->L[gp->leaf[i]].r);
    if (gp->n == 2) a += (long)rw(gp->strip) * rh(gp->strip);
    return a;
}

static int group_main_leaf(const gen *g, int gi)
{
    const group *gp = &g->G[gi];
    if (gp->n == 0) return -1;
    if (gp->n == 1) return gp->leaf[0];
    rect a = g->L[gp->leaf[0]].r, b = g->L[gp->leaf[1]].r;
    return (long)rw(a) * rh(a) >= (long)rw(b) * rh(b) ? gp->leaf[0] : gp->leaf[1];
}

static void assign_labels(gen *g)
{
    int order[MAXG], n = 0;
    long mm2 = (long)MM(g, 1000) * MM(g, 1000); /* px per m^2 */
    if (mm2 < 1) mm2 = 1;
    for (int i = 0; i < g->ng; i++) {
        group *gp = &g->G[i];
        if (!gp->alive) continue;
        gp->area = group_area(g, i);
        if (gp->n == 0) { gp->label = LB_CLOSET; continue; }
        int ml = group_main_leaf(g, i);
        if (g->L[ml].kind == K_CLOSET) { gp->label = LB_CLOSET; continue; }
        if (g->L[ml].kind == K_HALL) { gp->label = LB_HALL; continue; }
        order[n++] = i;
    }
    /* sort by area, descending */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && g->G[order[j]].area > g->G[order[j - 1]].area; j--) {
            int t = order[j]; order[j] = order[j - 1]; order[j - 1] = t;
        }
    int baths = 0;
    for (int k = 0; k < n; k++) {
        group *gp = &g->G[order[k]];
        rect r = g->L[group_main_leaf(g, order[k])].r;
        int aspect = imax(rw(r), rh(r)) * 10 / imax(1, imin(rw(r), rh(r)));
        if (k == 0) { gp->label = LB_LIVING; gp->textvar = 0; continue; }
        if (k == 1 && n >= 7 && rpct(&g->rl, 50)) { gp->label = LB_LIVING; gp->textvar = 1; continue; }
        if (gp->n == 1 && aspect >= 28 && imin(rw(r), rh(r)) < MM(g, 2000)) { gp->label = LB_HALL; continue; }
        if (k >= n - 2 && baths < 2 && (gp->area < 7 * mm2 || baths == 0) && n >= 3) {
            gp->label = LB_BATH; baths++; continue;
        }
        gp->label = LB_BED;
    }
    if (n >= 3 && baths == 0) g->G[order[n - 1]].label = LB_BATH;
}

/* the usable range [a0, a1) along side s of a leaf, corners with a cut excluded */
static void side_range(const gen *g, int li, int side, int *a0, int *a1)
{
    const leaf *l = &g->L[li];
    *a0 = (side & 1) ? l->r.x0 : l->r.y0;
    *a1 = (side & 1) ? l->r.x1 : l->r.y1;
    if (l->cut < 0) return;
    const cut *ct = &g->C[l->cut];
    int ex = ct->c + g->te + MM(g, 200);
    /* corners at the a0 end / a1 end of each side */
    static const int lo_c[4] = { 0, 0, 1, 3 }, hi_c[4] = { 3, 1, 2, 2 };
    if (ct->corner == lo_c[side]) *a0 += ex;
    if (ct->corner == hi_c[side]) *a1 -= ex;
}

static int hits_openings(const gen *g, rect r)
{
    for (int i = 0; i < g->nd; i++) if (roverlap(r, g->D[i].gap)) return 1;
    for (int i = 0; i < g->nw; i++) if (roverlap(r, g->Wn[i].r)) return 1;
    return 0;
}

static int res_free(const leaf *l, rect r)
{
    for (int i = 0; i < l->nres; i++) if (roverlap(r, l->res[i])) return 0;
    return 1;
}
static void res_add(leaf *l, rect r) { if (l->nres < MAXRES) l->res[l->nres++] = r; }

/* Door in wall strip `strip` (vertical: the wall runs along y) between leaf la
 * and leaf lb (lb < 0: exterior wall of la). Range [a0, a1) along the wall. */
static int place_door(gen *g, int la, int lb, rect strip, int vertical, int a0, int a1, int dwid)
{
    if (g->nd >= MAXD) return 0;
    int mj = imax(g->ti, MM(g, 150));
    int lo = a0 + mj, hi = a1 - mj - dwid;
    if (hi < lo) return 0;
    for (int tries = 0; tries < 8; tries++) {
        int p = rint_(&g->rl, lo, hi);
        rect gap = vertical ? mkrect(strip.x0, p, strip.x1, p + dwid) : mkrect(p, strip.y0, p + dwid, strip.y1);
        if (hits_openings(g, rgrow(gap, mj))) continue;
        int cands[2] = { la, lb }, first = rint_(&g->rl, 0, 1);
        for (int k = 0; k < 2; k++) {
            int li = cands[(first + k) & 1];
            if (li < 0) continue;
            leaf *l = &g->L[li];
            door d; memset(&d, 0, sizeof d);
            d.gap = gap; d.w = dwid; d.arc = g->ps->arcs;
            int hinge_end = rint_(&g->rl, 0, 1);
            if (vertical) {
                int right = l->r.x0 >= strip.x1;
                d.hx = right ? strip.x1 : strip.x0; d.px = right ? 1 : -1;
                d.hy = hinge_end ? p + dwid : p; d.ay = hinge_end ? -1 : 1;
            } else {
                int below = l->r.y0 >= strip.y1;
                d.hy = below ? strip.y1 : strip.y0; d.py = below ? 1 : -1;
                d.hx = hinge_end ? p + dwid : p; d.ax = hinge_end ? -1 : 1;
            }
            int depth = d.arc ? dwid : dwid / 2;
            rect sq = mkrect(d.hx, d.hy, d.hx + d.px * depth + d.ax * dwid, d.hy + d.py * depth + d.ay * dwid);
            if (!rinside(sq, l->r) || !res_free(l, sq)) continue;
            /* leave room for the door leaf beyond the square's edge */
            if ((vertical ? rw(l->r) : rh(l->r)) < depth + MM(g, 300)) continue;
            res_add(l, rgrow(sq, MM(g, 100)));
            g->D[g->nd++] = d;
            return 1;
        }
    }
    return 0;
}

static int find(int *uf, int x) { while (uf[x] != x) x = uf[x] = uf[uf[x]]; return x; }

static void place_doors(gen *g)
{
    int uf[MAXG];
    for (int i = 0; i < g->ng; i++) uf[i] = i;
    typedef struct { int a, b, pri; uint64_t key; } edge;
    edge E[MAXL * 8];
    int ne = 0;
    for (int a = 0; a < g->nl; a++)
        for (int b = a + 1; b < g->nl; b++) {
            leaf *A = &g->L[a], *B = &g->L[b];
            if (A->kind == K_SHAFT || B->kind == K_SHAFT || A->group == B->group) continue;
            rect s; int v;
            if (!leaf_adjacent(g, a, b, &s, &v) || ne >= MAXL * 8) continue;
            group *GA = &g->G[A->group], *GB = &g->G[B->group];
            int pri = 1;
            if (GA->label == LB_CLOSET || GB->label == LB_CLOSET) {
                pri = (GA->host == B->group || GB->host == A->group) ? 0 : 2;
            }
            E[ne].a = a; E[ne].b = b; E[ne].pri = pri; E[ne].key = rng_next(&g->rl);
            ne++;
        }
    for (int i = 1; i < ne; i++)
        for (int j = i; j > 0 && (E[j].pri < E[j - 1].pri || (E[j].pri == E[j - 1].pri && E[j].key < E[j - 1].key)); j--) {
            edge t = E[j]; E[j] = E[j - 1]; E[j - 1] = t;
        }
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < ne; i++) {
            int a = E[i].a, b = E[i].b, ga = g->L[a].group, gb = g->L[b].group;
            if (find(uf, ga) == find(uf, gb)) continue;
            group *GA = &g->G[ga], *GB = &g->G[gb];
            int leafy_a = GA->label == LB_CLOSET || (pass == 0 && GA->label == LB_BATH);
            int leafy_b = GB->label == LB_CLOSET || (pass == 0 && GB->label == LB_BATH);
            if ((leafy_a && GA->degree) || (leafy_b && GB->degree)) continue;
            rect s; int v;
            leaf_adjacent(g, a, b, &s, &v);
            int ra0, ra1, rb0, rb1, sa = v ? (g->L[a].r.x1 <= s.x0 ? 2 : 0) : (g->L[a].r.y1 <= s.y0 ? 3 : 1);
            int sb = sa ^ 2;
            side_range(g, a, sa, &ra0, &ra1);
            side_range(g, b, sb, &rb0, &rb1);
            int o0 = imax(v ? s.y0 : s.x0, imax(ra0, rb0)), o1 = imin(v ? s.y1 : s.x1, imin(ra1, rb1));
            int closet = GA->label == LB_CLOSET || GB->label == LB_CLOSET;
            int dwid = closet ? g->cdw : g->dw;
            if (!place_door(g, a, b, s, v, o0, o1, dwid)) {
                if (!closet || !place_door(g, a, b, s, v, o0, o1, g->cdw * 3 / 4)) continue;
            }
            GA->degree++; GB->degree++;
            uf[find(uf, ga)] = find(uf, gb);
        }
    /* cut closets open through the gap in their diagonal */
    /* entrance: exterior door of the living room or a hall */
    for (int want = 0; want < 2; want++)
        for (int li = 0; li < g->nl; li++) {
            group *gp = &g->G[g->L[li].group];
            if (!gp->alive || (want == 0 ? gp->label != LB_HALL : gp->label != LB_LIVING)) continue;
            for (int side = 0; side < 4; side++) {
                rect r = g->L[li].r, s;
                if (side == 0 && r.x0 == g->inner.x0) s = mkrect(g->foot.x0, r.y0, r.x0, r.y1);
                else if (side == 1 && r.y0 == g->inner.y0) s = mkrect(r.x0, g->foot.y0, r.x1, r.y0);
                else if (side == 2 && r.x1 == g->inner.x1) s = mkrect(r.x1, r.y0, g->foot.x1, r.y1);
                else if (side == 3 && r.y1 == g->inner.y1) s = mkrect(r.x0, r.y1, r.x1, g->foot.y1);
                else continue;
                int a0, a1;
                side_range(g, li, side, &a0, &a1);
                int lo = a0 + g->te, hi = a1 - g->te;
                if (place_door(g, li, -1, s, !(side & 1), lo, hi, MM(g, 950))) return;
            }
        }
}

static void place_windows(gen *g)
{
    if (!g->ps->windows_pct) return;
    for (int li = 0; li < g->nl; li++) {
        leaf *l = &g->L[li];
        if (l->kind == K_CLOSET || l->kind == K_SHAFT) continue;
        for (int side = 0; side < 4; side++) {
            rect r = l->r, s;
            if (side == 0 && r.x0 == g->inner.x0) s = mkrect(g->foot.x0, r.y0, r.x0, r.y1);
            else if (side == 1 && r.y0 == g->inner.y0) s = mkrect(r.x0, g->foot.y0, r.x1, r.y0);
            else if (side == 2 && r.x1 == g->inner.x1) s = mkrect(r.x1, r.y0, g->foot.x1, r.y1);
            else if (side == 3 && r.y1 == g->inner.y1) s = mkrect(r.x0, r.y1, r.x1, g->foot.y1);
            else continue;
            if (!rpct(&g->rl, g->ps->windows_pct)) continue;
            int a0, a1;
            side_range(g, li, side, &a0, &a1);
            int mj = imax(g->te, MM(g, 300));
            int len = a1 - a0 - 2 * mj;
            int nwin = len > MM(g, 4500) ? 2 : 1;
            for (int k = 0; k < nwin && g->nw < MAXW; k++) {
                int ww = imin(MM(g, rint_(&g->rl, 900, 1800)), len / nwin);
                if (ww < MM(g, 600)) break;
                int seg0 = a0 + mj + k * len / nwin, seg1 = a0 + mj + (k + 1) * len / nwin;
                for (int tries = 0; tries < 5; tries++) {
                    int p = rint_(&g->rl, seg0, seg1 - ww);
                    rect wr = (side & 1) ? mkrect(p, s.y0, p + ww, s.y1) : mkrect(s.x0, p, s.x1, p + ww);
                    if (hits_openings(g, rgrow(wr, mj))) continue;
                    g->Wn[g->nw].r = wr; g->Wn[g->nw].vertical = !(side & 1); g->nw++;
                    break;
                }
            }
        }
    }
}

/* ------------------------------------------------------------ cell grid */

typedef struct paint { rect r; int v; } paint;

static int cmp_int(const void *a, const void *b) { int x = *(const int *)a, y = *(const int *)b; return (x > y) - (x < y); }

static int uniq(int *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_int);
    int k = 0;
    for (int i = 0; i < n; i++) if (!k || v[k - 1] != v[i]) v[k++] = v[i];
    return k;
}

static int lower_idx(const int *v, int n, int x)
{
    int lo = 0, hi = n;
    while (lo < hi) { int m = (lo + hi) / 2; if (v[m] < x) lo = m + 1; else hi = m; }
    return lo;
}

static int build_grid(gen *g)
{
    int maxp = 2 + g->nl + g->ng + g->nd + g->nw;
    paint *ops = malloc(sizeof *ops * (size_t)maxp);
    if (!ops) return -2;
    int n = 0;
    ops[n].r = g->foot; ops[n++].v = C_WALL;
    for (int i = 0; i < g->nl; i++) {
        ops[n].r = g->L[i].r;
        ops[n++].v = g->L[i].kind == K_SHAFT ? C_SHAFT : g->L[i].group;
    }
    for (int i = 0; i < g->ng; i++)
        if (g->G[i].alive && g->G[i].n == 2) { ops[n].r = g->G[i].strip; ops[n++].v = i; }
    for (int i = 0; i < g->nd; i++) { ops[n].r = g->D[i].gap; ops[n++].v = C_DOOR; }
    for (int i = 0; i < g->nw; i++) { ops[n].r = g->Wn[i].r; ops[n++].v = C_WINDOW; }
    grid *gr = &g->gr;
    gr->xs = malloc(sizeof(int) * (size_t)(2 * n + 2));
    gr->ys = malloc(sizeof(int) * (size_t)(2 * n + 2));
    if (!gr->xs || !gr->ys) { free(ops); return -2; }
    int nx = 0, ny = 0;
    gr->xs[nx++] = 0; gr->xs[nx++] = g->W; gr->ys[ny++] = 0; gr->ys[ny++] = g->H;
    for (int i = 0; i < n; i++) {
        gr->xs[nx++] = ops[i].r.x0; gr->xs[nx++] = ops[i].r.x1;
        gr->ys[ny++] = ops[i].r.y0; gr->ys[ny++] = ops[i].r.y1;
    }
    nx = uniq(gr->xs, nx); ny = uniq(gr->ys, ny);
    gr->nx = nx - 1; gr->ny = ny - 1;
    gr->cell = malloc(sizeof(int) * (size_t)gr->nx * (size_t)gr->ny);
    if (!gr->cell) { free(ops); return -2; }
    for (int i = 0; i < gr->nx * gr->ny; i++) gr->cell[i] = C_OUTSIDE;
    for (int k = 0; k < n; k++) {
        int i0 = lower_idx(gr->xs, nx, ops[k].r.x0), i1 = lower_idx(gr->xs, nx, ops[k].r.x1);
        int j0 = lower_idx(gr->ys, ny, ops[k].r.y0), j1 = lower_idx(gr->ys, ny, ops[k].r.y1);
        for (int j = j0; j < j1; j++)
            for (int i = i0; i < i1; i++) gr->cell[j * gr->nx + i] = ops[k].v;
    }
    free(ops);
    return 0;
}

static int gcell(const grid *gr, int i, int j)
{
    if (i < 0 || j < 0 || i >= gr->nx || j >= gr->ny) return C_OUTSIDE;
    return gr->cell[j * gr->nx + i];
}

/* trace the outline of cell region `id` (one simply connected region);
 * clockwise on screen (interior on the right). Returns the point count. */
static int trace_region(const grid *gr, int id, int (**out)[2])
{
    int vx = gr->nx + 1, vy = gr->ny + 1, si = -1, sj = -1;
    uint8_t *mask = calloc((size_t)vx * (size_t)vy, 1);
    if (!mask) return -2;
    int nedges = 0;
    for (int j = 0; j < gr->ny; j++)
        for (int i = 0; i < gr->nx; i++) {
            if (gcell(gr, i, j) != id) continue;
            if (si < 0) { si = i; sj = j; }
            if (gcell(gr, i, j - 1) != id) { mask[j * vx + i] |= 1; nedges++; }
            if (gcell(gr, i + 1, j) != id) { mask[j * vx + i + 1] |= 2; nedges++; }
            if (gcell(gr, i, j + 1) != id) { mask[(j + 1) * vx + i + 1] |= 4; nedges++; }
            if (gcell(gr, i - 1, j) != id) { mask[(j + 1) * vx + i] |= 8; nedges++; }
        }
    if (si < 0) { free(mask); return 0; }
    int (*pts)[2] = malloc(sizeof *pts * (size_t)(nedges + 1));
    if (!pts) { free(mask); return -2; }
    static const int DX[4] = { 1, 0, -1, 0 }, DY[4] = { 0, 1, 0, -1 };
    int i = si, j = sj, d = 3, n = 0;
    for (;;) {
        int m = mask[j * vx + i], nd = -1;
        for (int k = 0; k < 3; k++) {
            int c = (d + (k == 0 ? 1 : k == 1 ? 0 : 3)) & 3;
            if (m & (1 << c)) { nd = c; break; }
        }
        if (nd < 0) break;
        mask[j * vx + i] &= (uint8_t)~(1 << nd);
        if (nd != d) { pts[n][0] = gr->xs[i]; pts[n][1] = gr->ys[j]; n++; }
        d = nd;
        i += DX[d]; j += DY[d];
        if (i == si && j == sj) break;
    }
    free(mask);
    *out = pts;
    return n;
}

/* ------------------------------------------------------------ drawing */

static void draw_walls(gen *g)
{
    canvas *cv = &g->cv;
    grid *gr = &g->gr;
    cv->cur = PLANGEN_LAYER_WALLS;
    int lwo = imax(1, g->lw * 3 / 2), period = imax(3, MM(g, 120)), lwh = imax(1, g->lw * 2 / 3);
    for (int j = 0; j < gr->ny; j++)
        for (int i = 0; i < gr->nx; i++) {
            int v = gr->cell[j * gr->nx + i];
            rect r = mkrect(gr->xs[i], gr->ys[j], gr->xs[i + 1], gr->ys[j + 1]);
            if (v == C_DOOR && g->opt.close_doors) { cv_fill(cv, r, g->ink_wall, 1); continue; }
            if (v != C_WALL) continue;
            if (g->wall_style == 0) { cv_fill(cv, r, g->ink_wall, 1); continue; }
            if (g->wall_style == 2) cv_fill(cv, r, g->wall_gray, 1);
            else if (DRAWING(cv))
                for (int y = r.y0; y < r.y1; y++) {
                    uint8_t *row = cv->px + y * cv->stride;
                    for (int x = r.x0; x < r.x1; x++)
                        if ((x + y) % period < lwh && row[x] > g->ink_wall) row[x] = g->ink_wall;
                }
            /* outline where the wall meets anything else */
            int t = lwo;
            if (gcell(gr, i, j - 1) != C_WALL) cv_fill(cv, mkrect(r.x0, r.y0, r.x1, imin(r.y1, r.y0 + t)), g->ink_wall, 1);
            if (gcell(gr, i, j + 1) != C_WALL) cv_fill(cv, mkrect(r.x0, imax(r.y0, r.y1 - t), r.x1, r.y1), g->ink_wall, 1);
            if (gcell(gr, i - 1, j) != C_WALL) cv_fill(cv, mkrect(r.x0, r.y0, imin(r.x1, r.x0 + t), r.y1), g->ink_wall, 1);
            if (gcell(gr, i + 1, j) != C_WALL) cv_fill(cv, mkrect(imax(r.x0, r.x1 - t), r.y0, r.x1, r.y1), g->ink_wall, 1);
            int cx[2] = { r.x0, imax(r.x0, r.x1 - t) }, cy[2] = { r.y0, imax(r.y0, r.y1 - t) };
            for (int a = 0; a < 2; a++)
                for (int b = 0; b < 2; b++)
                    if (gcell(gr, i + (a ? 1 : -1), j + (b ? 1 : -1)) != C_WALL)
                        cv_fill(cv, mkrect(cx[a], cy[b], imin(r.x1, cx[a] + t), imin(r.y1, cy[b] + t)), g->ink_wall, 1);
        }
    /* windows: frame lines on both faces and the glass line in the middle */
    for (int k = 0; k < g->nw; k++) {
        rect r = g->Wn[k].r;
        uint8_t v = g->ink_wall;
        int t = imax(1, g->lw);
        if (g->Wn[k].vertical) {
            int mid = (r.x0 + r.x1) / 2;
            cv_fill(cv, mkrect(r.x0, r.y0, r.x0 + t, r.y1), v, 1);
            cv_fill(cv, mkrect(r.x1 - t, r.y0, r.x1, r.y1), v, 1);
            cv_fill(cv, mkrect(mid - t / 2, r.y0, mid - t / 2 + t, r.y1), v, 1);
            cv_fill(cv, mkrect(r.x0, r.y0, r.x1, r.y0 + t), v, 1);
            cv_fill(cv, mkrect(r.x0, r.y1 - t, r.x1, r.y1), v, 1);
        } else {
            int mid = (r.y0 + r.y1) / 2;
            cv_fill(cv, mkrect(r.x0, r.y0, r.x1, r.y0 + t), v, 1);
            cv_fill(cv, mkrect(r.x0, r.y1 - t, r.x1, r.y1), v, 1);
            cv_fill(cv, mkrect(r.x0, mid - t / 2, r.x1, mid - t / 2 + t), v, 1);
            cv_fill(cv, mkrect(r.x0, r.y0, r.x0 + t, r.y1), v, 1);
            cv_fill(cv, mkrect(r.x1 - t, r.y0, r.x1, r.y1), v, 1);
        }
    }
    /* shafts: gray or hatched, with a cross */
    for (int li = 0; li < g->nl; li++) {
        if (g->L[li].kind != K_SHAFT) continue;
        rect r = g->L[li].r;
        int pts[4][2] = { { r.x0, r.y0 }, { r.x1, r.y0 }, { r.x1, r.y1 }, { r.x0, r.y1 } };
        if (g->wall_style == 2) cv_poly(cv, (const int (*)[2])pts, 4, (uint8_t)(g->wall_gray + 40), 0, 0, 0);
        else cv_poly(cv, (const int (*)[2])pts, 4, g->ink_wall, 1, period, lwh);
        cv_line(cv, r.x0, r.y0, r.x1 - 1, r.y1 - 1, g->lw, g->ink_wall);
        cv_line(cv, r.x1 - 1, r.y0, r.x0, r.y1 - 1, g->lw, g->ink_wall);
    }
    /* diagonal walls */
    for (int k = 0; k < g->nc; k++) {
        cut *ct = &g->C[k];
        rect r = g->L[ct->leaf].r;
        int c = ct->c, m = ct->m, e = ct->ext ? g->te : 0;
        int P[4][2], Q[4][2];
        int band[4][2] = { { c - m + e, -e }, { c + e, -e }, { -e, c + e }, { -e, c - m + e } };
        if (ct->ext || ct->g0 == ct->g1 || g->opt.close_doors) {
            for (int q = 0; q < 4; q++) corner_map(r, ct->corner, band[q][0], band[q][1], &P[q][0], &P[q][1]);
            cv_poly(cv, (const int (*)[2])P, 4, g->ink_wall, 0, 0, 0);
        } else {
            int g0 = ct->g0, g1 = ct->g1;
            int p1[4][2] = { { c - m, 0 }, { c, 0 }, { (c + g1) / 2, (c - g1) / 2 }, { (c - m + g1) / 2, (c - m - g1) / 2 } };
            int p2[4][2] = { { 0, c - m }, { (c - m + g0) / 2, (c - m - g0) / 2 }, { (c + g0) / 2, (c - g0) / 2 }, { 0, c } };
            for (int q = 0; q < 4; q++) {
                corner_map(r, ct->corner, p1[q][0], p1[q][1], &P[q][0], &P[q][1]);
                corner_map(r, ct->corner, p2[q][0], p2[q][1], &Q[q][0], &Q[q][1]);
            }
            cv_poly(cv, (const int (*)[2])P, 4, g->ink_wall, 0, 0, 0);
            cv_poly(cv, (const int (*)[2])Q, 4, g->ink_wall, 0, 0, 0);
        }
        if (ct->ext) {
            int T[3][2], tri[3][2] = { { -e, -e }, { c - m + e, -e }, { -e, c - m + e } };
            for (int q = 0; q < 3; q++) corner_map(r, ct->corner, tri[q][0], tri[q][1], &T[q][0], &T[q][1]);
            cv_poly(cv, (const int (*)[2])T, 3, 255, 3, 0, 0);
        }
    }
}

static void draw_doors(gen *g)
{
    canvas *cv = &g->cv;
    cv->cur = PLANGEN_LAYER_DOORS;
    for (int k = 0; k < g->nd; k++) {
        door *d = &g->D[k];
        uint8_t v = ink_thin(g);
        if (!d->arc || g->opt.close_doors) continue;
        int t = imax(1, g->lw), tl = imax(2, g->lw * 2);
        /* open door leaf along the jamb, perpendicular to the wall */
        rect leaf_r = mkrect(d->hx, d->hy, d->hx + d->px * d->w + d->ax * tl, d->hy + d->py * d->w + d->ay * tl);
        cv_fill(cv, leaf_r, v, 1);
        int sx = d->px + d->ax, sy = d->py + d->ay;
        unsigned q = sx > 0 ? (sy > 0 ? 1u : 8u) : (sy > 0 ? 2u : 4u);
        cv_ellipse(cv, d->hx, d->hy, d->w, d->w, t, q, v);
    }
}

typedef struct item { rect R; int side; } item;

static void item_pt(const item *it, int a, int d, int *x, int *y)
{
    switch (it->side) {
    case 1: *x = it->R.x0 + a; *y = it->R.y0 + d; break;
    case 3: *x = it->R.x0 + a; *y = it->R.y1 - d; break;
    case 0: *x = it->R.x0 + d; *y = it->R.y0 + a; break;
    default: *x = it->R.x1 - d; *y = it->R.y0 + a; break;
    }
}
static rect item_rect(const item *it, int a0, int d0, int a1, int d1)
{
    int x0, y0, x1, y1;
    item_pt(it, a0, d0, &x0, &y0);
    item_pt(it, a1, d1, &x1, &y1);
    return mkrect(x0, y0, x1, y1);
}
static int item_len(const item *it) { return (it->side & 1) ? rw(it->R) : rh(it->R); }
static int item_dep(const item *it) { return (it->side & 1) ? rh(it->R) : rw(it->R); }

/* place an item of length A along a wall and depth D (side < 0: any wall;
 * side 4: free-standing) in leaf li */
static int place_item(gen *g, int li, int A, int D, int side, item *out)
{
    leaf *l = &g->L[li];
    rect r = l->r;
    int margin = MM(g, 80);
    for (int tries = 0; tries < 14; tries++) {
        int s = side < 0 ? rint_(&g->rd, 0, 3) : side;
        int gapw = rpct(&g->rd, 50) ? 0 : MM(g, 60);
        item it; it.side = s == 4 ? rint_(&g->rd, 0, 3) : s;
        int along = (it.side & 1) ? rw(r) : rh(r), perp = (it.side & 1) ? rh(r) : rw(r);
        if (A + 2 * gapw > along || D + gapw + MM(g, 600) > perp) continue;
        int a = rint_(&g->rd, gapw, along - A - gapw);
        int d = gapw;
        if (s == 4) {
            int free0 = MM(g, 700), free1 = perp - D - MM(g, 700);
            if (free1 < free0) continue;
            d = rint_(&g->rd, free0, free1);
        }
        rect R;
        switch (it.side) {
        case 1: R = mkrect(r.x0 + a, r.y0 + d, r.x0 + a + A, r.y0 + d + D); break;
        case 3: R = mkrect(r.x0 + a, r.y1 - d - D, r.x0 + a + A, r.y1 - d); break;
        case 0: R = mkrect(r.x0 + d, r.y0 + a, r.x0 + d + D, r.y0 + a + A); break;
        default: R = mkrect(r.x1 - d - D, r.y0 + a, r.x1 - d, r.y0 + a + A); break;
        }
        if (!rinside(R, r) || !res_free(l, rgrow(R, margin))) continue;
        it.R = R;
        res_add(l, R);
        *out = it;
        return 1;
    }
    return 0;
}

static void draw_furniture(gen *g, int li, int label)
{
    canvas *cv = &g->cv;
    cv->cur = PLANGEN_LAYER_FURNITURE;
    int t = imax(1, g->lw);
    item it;
    uint8_t v;
    int dens = g->ps->furniture;
    rect r = g->L[li].r;
#define M(x) MM(g, (x))
    switch (label) {
    case LB_BED: {
        int bw = rpct(&g->rd, 60) ? M(1600) : M(1000), ns = M(450);
        if (place_item(g, li, bw + 2 * ns + 2 * M(50), M(2050), -1, &it)) {
            v = ink_thin(g);
            int A = item_len(&it), D = item_dep(&it), b0 = ns + M(50);
            cv_outline(cv, item_rect(&it, b0, 0, A - b0, D), t, v);
            int pw = (A - 2 * b0 - M(150)) / 2;
            cv_outline(cv, item_rect(&it, b0 + M(50), M(60), b0 + M(50) + pw, M(450)), t, v);
            cv_outline(cv, item_rect(&it, A - b0 - M(50) - pw, M(60), A - b0 - M(50), M(450)), t, v);
            int x0, y0, x1, y1;
            item_pt(&it, b0, M(650), &x0, &y0); item_pt(&it, A - b0, M(650), &x1, &y1);
            cv_line(cv, x0, y0, x1, y1, t, v);
            cv_outline(cv, item_rect(&it, 0, 0, ns, ns), t, v);
            cv_outline(cv, item_rect(&it, A - ns, 0, A, ns), t, v);
        }
        if (dens >= 2 && place_item(g, li, M(rint_(&g->rd, 1200, 2000)), M(600), -1, &it)) {
            v = ink_thin(g);
            int A = item_len(&it), D = item_dep(&it), x0, y0, x1, y1;
            cv_outline(cv, item_rect(&it, 0, 0, A, D), t, v);
            item_pt(&it, 0, 0, &x0, &y0); item_pt(&it, A, D, &x1, &y1);
            cv_line(cv, x0, y0, x1, y1, t, v);
        }
        if (dens >= 2 && place_item(g, li, M(1200), M(1100), -1, &it)) {
            v = ink_thin(g);
            cv_outline(cv, item_rect(&it, 0, 0, item_len(&it), M(600)), t, v);
            cv_outline(cv, item_rect(&it, M(400), M(650), M(850), M(1100)), t, v);
        }
        break;
    }
    case LB_LIVING: {
        if (place_item(g, li, M(2100), M(1900), -1, &it)) {
            v = ink_thin(g);
            int A = item_len(&it);
            cv_outline(cv, item_rect(&it, 0, 0, A, M(900)), t, v);
            cv_outline(cv, item_rect(&it, M(200), M(250), A - M(200), M(900)), t, v);
            cv_outline(cv, item_rect(&it, M(450), M(1300), A - M(450), M(1900)), t, v);
        }
        if (place_item(g, li, M(2400), M(1900), 4, &it)) {
            v = ink_thin(g);
            int A = item_len(&it), D = item_dep(&it);
            if (rpct(&g->rd, 50)) {
                cv_outline(cv, item_rect(&it, M(500), M(500), A - M(500), D - M(500)), t, v);
                for (int k = 0; k < 2; k++) {
                    int a = M(700) + k * (A - M(1400) - M(450));
                    cv_outline(cv, item_rect(&it, a, 0, a + M(450), M(420)), t, v);
                    cv_outline(cv, item_rect(&it, a, D - M(420), a + M(450), D), t, v);
                }
            } else {
                int cx, cy, rr = imin(A, D) / 2 - M(450);
                item_pt(&it, A / 2, D / 2, &cx, &cy);
                cv_ellipse(cv, cx, cy, rr, rr, t, 15, v);
                for (int k = 0; k < 4; k++) {
                    int ox = k == 0 ? 1 : k == 1 ? -1 : 0, oy = k == 2 ? 1 : k == 3 ? -1 : 0;
                    int px = cx + ox * (rr + M(250)), py = cy + oy * (rr + M(250));
                    cv_outline(cv, mkrect(px - M(200), py - M(200), px + M(200), py + M(200)), t, v);
                }
            }
        }
        if (dens >= 2 && place_item(g, li, imin(M(3000), imax(rw(r), rh(r)) - M(1400)), M(600), -1, &it)) {
            v = ink_thin(g);
            int A = item_len(&it), D = item_dep(&it);
            cv_outline(cv, item_rect(&it, 0, 0, A, D), t, v);
            cv_outline(cv, item_rect(&it, M(300), M(80), M(1100), D - M(80)), t, v);
            int cx, cy;
            item_pt(&it, M(700), D / 2, &cx, &cy);
            cv_ellipse(cv, cx, cy, M(220), M(180), t, 15, v);
            for (int k = 0; k < 4; k++) {
                item_pt(&it, A - M(700) + (k & 1) * M(300) - M(150), D / 2 + ((k >> 1) ? M(130) : -M(130)), &cx, &cy);
                cv_ellipse(cv, cx, cy, M(100), M(100), t, 15, v);
            }
        }
        break;
    }
    case LB_BATH: {
        if (place_item(g, li, M(1600), M(750), -1, &it)) {
            v = ink_thin(g);
            cv_outline(cv, item_rect(&it, 0, 0, item_len(&it), item_dep(&it)), t, v);
            int cx, cy;
            item_pt(&it, item_len(&it) / 2, item_dep(&it) / 2, &cx, &cy);
            int a = (it.side & 1) ? M(680) : M(280), b = (it.side & 1) ? M(280) : M(680);
            cv_ellipse(cv, cx, cy, a, b, t, 15, v);
        }
        if (place_item(g, li, M(420), M(720), -1, &it)) {
            v = ink_thin(g);
            int A = item_len(&it), cx, cy;
            cv_outline(cv, item_rect(&it, 0, 0, A, M(200)), t, v);
            item_pt(&it, A / 2, M(200) + M(260), &cx, &cy);
            int a = (it.side & 1) ? M(190) : M(260), b = (it.side & 1) ? M(260) : M(190);
            cv_ellipse(cv, cx, cy, a, b, t, 15, v);
        }
        if (place_item(g, li, M(550), M(450), -1, &it)) {
            v = ink_thin(g);
            int cx, cy;
            cv_outline(cv, item_rect(&it, 0, 0, item_len(&it), item_dep(&it)), t, v);
            item_pt(&it, item_len(&it) / 2, item_dep(&it) / 2, &cx, &cy);
            cv_ellipse(cv, cx, cy, M(180), M(140), t, 15, v);
        }
        break;
    }
    case LB_CLOSET: {
        v = ink_thin(g);
        int horiz = rw(r) >= rh(r), dash = imax(2, M(120));
        if (horiz) cv_dashed(cv, r.x0 + M(80), (r.y0 + r.y1) / 2, r.x1 - M(80), (r.y0 + r.y1) / 2, t, dash, v);
        else cv_dashed(cv, (r.x0 + r.x1) / 2, r.y0 + M(80), (r.x0 + r.x1) / 2, r.y1 - M(80), t, dash, v);
        break;
    }
    default:
        break;
    }
#undef M
}

static const char *const TEXTS[][4] = {
    /* LB_LIVING x3 */ { "LIVING ROOM", "LIVING", "LIV", NULL },
    { "KITCHEN", "KIT", "K", NULL },
    { "DINING", "DIN", NULL, NULL },
    /* LB_BED */ { "BEDROOM", "BED", "BR", NULL },
    /* LB_BATH */ { "BATH", "BA", NULL, NULL },
    /* LB_HALL */ { "HALL", "HL", NULL, NULL },
    /* LB_CLOSET */ { "CL", NULL, NULL, NULL },
    /* LB_OTHER */ { "STOR", "ST", NULL, NULL },
};

static void fmt_len(const gen *g, int px, int metric, char *buf, size_t n)
{
    int mm = PX2MM(g, px);
    if (metric) {
        int cm = (mm + 5) / 10;
        snprintf(buf, n, "%d.%02d", cm / 100, cm % 100);
    } else {
        int in = (mm * 10 + 127) / 254;
        snprintf(buf, n, "%d'-%d\"", in / 12, in % 12);
    }
}

static void draw_label(gen *g, int li, int label, int textvar, int metric, int ordinal)
{
    canvas *cv = &g->cv;
    leaf *l = &g->L[li];
    rect r = l->r;
    int scale = imax(1, MM(g, 200) / 7), margin = MM(g, 150);
    int row = label == LB_LIVING ? textvar : label == LB_BED ? 3 : label == LB_BATH ? 4 :
              label == LB_HALL ? 5 : label == LB_CLOSET ? 6 : 7;
    char name[32], size[48] = "";
    const char *chosen = NULL;
    for (int k = 0; k < 4 && TEXTS[row][k]; k++) {
        const char *s = TEXTS[row][k];
        if (label == LB_BED && ordinal > 1 && k < 2) {
            snprintf(name, sizeof name, "%s %d", s, ordinal);
            s = name;
        }
        if (text_len(s, scale) <= rw(r) - 2 * margin) { chosen = s; break; }
    }
    if (!chosen || 7 * scale > rh(r) - 2 * margin) return;
    if (chosen != name) { snprintf(name, sizeof name, "%s", chosen); }
    int s2 = imax(1, scale * 2 / 3);
    if (g->ps->text >= 2 && label != LB_CLOSET) {
        char a[16], b[16];
        fmt_len(g, rw(r), metric, a, sizeof a);
        fmt_len(g, rh(r), metric, b, sizeof b);
        snprintf(size, sizeof size, "%s x %s", a, b);
        if (text_len(size, s2) > rw(r) - 2 * margin) size[0] = 0;
    }
    int tw = imax(text_len(name, scale), text_len(size, s2));
    int th = 7 * scale + (size[0] ? 2 * scale + 7 * s2 : 0);
    int cx0 = (r.x0 + r.x1) / 2, cy0 = (r.y0 + r.y1) / 2;
    for (int k = 0; k < 25; k++) {
        /* centre first, then a spiral-ish walk over a 5x5 grid of offsets */
        static const int ORD[25][2] = { {0,0},{0,-1},{0,1},{-1,0},{1,0},{-1,-1},{1,-1},{-1,1},{1,1},
            {0,-2},{0,2},{-2,0},{2,0},{-1,-2},{1,-2},{-1,2},{1,2},{-2,-1},{2,-1},{-2,1},{2,1},
            {-2,-2},{2,-2},{-2,2},{2,2} };
        int cx = cx0 + ORD[k][0] * (rw(r) / 6), cy = cy0 + ORD[k][1] * (rh(r) / 6);
        rect box = mkrect(cx - tw / 2 - scale, cy - th / 2 - scale, cx + tw / 2 + scale, cy + th / 2 + scale);
        if (!rinside(rgrow(box, margin / 2), r) || !res_free(l, box)) continue;
        res_add(l, box);
        cv->cur = PLANGEN_LAYER_TEXT;
        uint8_t v = ink_thin(g);
        cx = (box.x0 + box.x1) / 2;
        cv_text(cv, cx - text_len(name, scale) / 2, box.y0 + scale, name, scale, 0, v);
        if (size[0]) cv_text(cv, cx - text_len(size, s2) / 2, box.y0 + scale + 9 * scale, size, s2, 0, v);
        return;
    }
}

static void draw_floors(gen *g, plangen_room *rooms, int nr)
{
    if (!g->ps->floor_pct) return;
    canvas *cv = &g->cv;
    cv->cur = PLANGEN_LAYER_FLOOR;
    for (int k = 0; k < nr; k++) {
        int wet = !strcmp(rooms[k].label, LABEL_R3D[LB_BATH]);
        if (!wet && !rpct(&g->rd, g->ps->floor_pct)) continue;
        int mode = rint_(&g->rd, 0, 2);
        int period = MM(g, mode == 2 ? 300 : 200);
        uint8_t v = mode == 0 ? (uint8_t)rint_(&g->rd, 200, 230) : (uint8_t)rint_(&g->rd, 120, 190);
        cv_poly(cv, (const int (*)[2])rooms[k].polygon, rooms[k].n_points, v, mode, period, imax(1, g->lw * 2 / 3));
    }
}

static void draw_dims(gen *g)
{
    if (!g->ps->dims) return;
    canvas *cv = &g->cv;
    cv->cur = PLANGEN_LAYER_DIMS;
    int margin = imin(g->foot.x0, g->foot.y0);
    int scale = imax(1, MM(g, 170) / 7), t = imax(1, g->lw), tick = MM(g, 160), gap = MM(g, 150);
    int metric = rpct(&g->rd, 40);
    uint8_t v = ink_thin(g);
    for (int side = 0; side < 2; side++) { /* 0: top, 1: left */
        int off = margin * 40 / 100, off2 = margin * 75 / 100;
        if (off < 7 * scale + 2 * gap) return;
        int pos[MAXL + 2], np = 0;
        pos[np++] = side ? g->foot.y0 : g->foot.x0;
        pos[np++] = side ? g->foot.y1 : g->foot.x1;
        for (int i = 0; i < g->nl; i++) {
            rect r = g->L[i].r;
            if (side == 0 && r.y0 == g->inner.y0 && r.x1 < g->inner.x1) pos[np++] = r.x1 + g->ti / 2;
            if (side == 1 && r.x0 == g->inner.x0 && r.y1 < g->inner.y1) pos[np++] = r.y1 + g->ti / 2;
        }
        np = uniq(pos, np);
        int base = side ? g->foot.x0 : g->foot.y0;
        for (int level = 0; level < 2; level++) {
            int d = base - (level ? off2 : off);
            const int *pp = pos;
            int n = np, two[2] = { pos[0], pos[np - 1] };
            if (level) { pp = two; n = 2; if (off2 - off < 7 * scale + 2 * gap || base - off2 < 7 * scale + 2 * gap) break; }
            if (side == 0) cv_line(cv, pp[0] - tick, d, pp[n - 1] + tick, d, t, v);
            else cv_line(cv, d, pp[0] - tick, d, pp[n - 1] + tick, t, v);
            for (int k = 0; k < n; k++) {
                if (side == 0) {
                    cv_line(cv, pp[k], d - tick, pp[k], base - gap, t, v);
                    cv_line(cv, pp[k] - tick / 2, d + tick / 2, pp[k] + tick / 2, d - tick / 2, t * 2, v);
                } else {
                    cv_line(cv, d - tick, pp[k], base - gap, pp[k], t, v);
                    cv_line(cv, d - tick / 2, pp[k] + tick / 2, d + tick / 2, pp[k] - tick / 2, t * 2, v);
                }
                if (k + 1 < n) {
                    char buf[24];
                    fmt_len(g, pp[k + 1] - pp[k], metric, buf, sizeof buf);
                    int tl = text_len(buf, scale), mid = (pp[k] + pp[k + 1]) / 2;
                    if (tl > pp[k + 1] - pp[k] - 2 * tick) continue;
                    if (side == 0) cv_text(cv, mid - tl / 2, d - gap - 7 * scale, buf, scale, 0, v);
                    else cv_text(cv, d - gap - 7 * scale, mid + tl / 2, buf, scale, 1, v);
                }
            }
        }
    }
}

/* ------------------------------------------------------------ degradation */

/* The canvas turned by mdeg millidegrees about its centre onto a canvas of
 * nw x nh (the same size for a scan's slight rotation; larger to hold a
 * turned drawing whole), bilinear, paper where nothing maps. */
static int rotate_image(gen *g, int mdeg, int nw, int nh)
{
    canvas *cv = &g->cv;
    ptrdiff_t nstride = ((ptrdiff_t)nw + 63) & ~(ptrdiff_t)63;
    size_t sz = (size_t)nstride * (size_t)nh;
    uint8_t *dst = aligned_alloc(64, sz);
    if (!dst) return -2;
    memset(dst, 255, sz);
    int64_t s, c;
    isincos(mdeg, &s, &c); /* Q30 */
    /* source = centre + R(-a) (dest - dest centre), in Q16 of pixel-centre units */
    int64_t cx = (int64_t)cv->w << 15, cy = (int64_t)cv->h << 15; /* w/2, h/2 in Q16 */
    int64_t dcx = (int64_t)nw << 15, dcy = (int64_t)nh << 15;
    for (int y = 0; y < nh; y++) {
        int64_t Y = ((int64_t)y << 16) + (1 << 15) - dcy;
        for (int x = 0; x < nw; x++) {
            int64_t X = ((int64_t)x << 16) + (1 << 15) - dcx;
            int64_t sx = cx + ((c * X + s * Y) >> 30) - (1 << 15);
            int64_t sy = cy + ((-s * X + c * Y) >> 30) - (1 << 15);
            int64_t ix = sx >> 16, iy = sy >> 16;
            int fx = (int)(sx & 0xffff), fy = (int)(sy & 0xffff);
            int v00 = 255, v01 = 255, v10 = 255, v11 = 255;
            if (iy >= 0 && iy < cv->h) {
                const uint8_t *row = cv->px + iy * cv->stride;
                if (ix >= 0 && ix < cv->w) v00 = row[ix];
                if (ix + 1 >= 0 && ix + 1 < cv->w) v01 = row[ix + 1];
            }
            if (iy + 1 >= 0 && iy + 1 < cv->h) {
                const uint8_t *row = cv->px + (iy + 1) * cv->stride;
                if (ix >= 0 && ix < cv->w) v10 = row[ix];
                if (ix + 1 >= 0 && ix + 1 < cv->w) v11 = row[ix + 1];
            }
            int64_t top = v00 * (65536 - fx) + v01 * fx, bot = v10 * (65536 - fx) + v11 * fx;
            int64_t val = (top * (65536 - fy) + bot * fy + ((int64_t)1 << 31)) >> 32;
            dst[y * nstride + x] = (uint8_t)val;
        }
    }
    free(cv->px);
    cv->px = dst;
    cv->w = g->W = nw;
    cv->h = g->H = nh;
    cv->stride = nstride;
    return 0;
}

/* A point of a w x h canvas where rotate_image puts it on the nw x nh one. */
static void rotate_point(int w, int h, int nw, int nh, int mdeg, int *x, int *y)
{
    int64_t s, c;
    isincos(mdeg, &s, &c);
    /* doubled coordinates about the centre (w/2, h/2) */
    int64_t X = 2 * (int64_t)*x - w, Y = 2 * (int64_t)*y - h;
    int64_t rx = c * X - s * Y, ry = s * X + c * Y; /* Q30, doubled */
    /* point = (nw + r) / 2, rounded to nearest */
    *x = (int)floordiv(((int64_t)nw << 30) + rx + ((int64_t)1 << 30), (int64_t)1 << 31);
    *y = (int)floordiv(((int64_t)nh << 30) + ry + ((int64_t)1 << 30), (int64_t)1 << 31);
}

static void blur(canvas *cv)
{
    uint8_t *tmp = malloc((size_t)cv->w + 2);
    uint8_t *prev = malloc((size_t)cv->w), *cur = malloc((size_t)cv->w);
    if (!tmp || !prev || !cur) { free(tmp); free(prev); free(cur); return; }
    int w = cv->w;
    /* horizontal pass */
    for (int y = 0; y < cv->h; y++) {
        uint8_t *row = cv->px + y * cv->stride;
        memcpy(tmp + 1, row, (size_t)w);
        tmp[0] = row[0]; tmp[w + 1] = row[w - 1];
        for (int x = 0; x < w; x++) row[x] = (uint8_t)((tmp[x] + 2 * tmp[x + 1] + tmp[x + 2] + 2) >> 2);
    }
    /* vertical pass, keeping the unfiltered previous row */
    memcpy(prev, cv->px, (size_t)w);
    for (int y = 0; y < cv->h; y++) {
        uint8_t *row = cv->px + y * cv->stride;
        const uint8_t *next = y + 1 < cv->h ? row + cv->stride : row;
        memcpy(cur, row, (size_t)w);
        for (int x = 0; x < w; x++) row[x] = (uint8_t)((prev[x] + 2 * cur[x] + next[x] + 2) >> 2);
        memcpy(prev, cur, (size_t)w);
    }
    free(tmp); free(prev); free(cur);
}

static void scan_tone(gen *g)
{
    canvas *cv = &g->cv;
    int base = rint_(&g->rn, 225, 248), gx = rint_(&g->rn, -12, 12), gy = rint_(&g->rn, -12, 12);
    int sigma = rint_(&g->rn, g->ps->sigma / 2, g->ps->sigma);
    int inkfloor = rint_(&g->rn, 10, 50);
    for (int y = 0; y < cv->h; y++) {
        uint8_t *row = cv->px + y * cv->stride;
        int ty = base + gy * (2 * y - cv->h) / (2 * cv->h);
        for (int x = 0; x < cv->w; x += 2) {
            uint64_t r = rng_next(&g->rn);
            for (int k = 0; k < 2 && x + k < cv->w; k++, r >>= 32) {
                int n = (int)(r & 0xff) + (int)((r >> 8) & 0xff) + (int)((r >> 16) & 0xff) + (int)((r >> 24) & 0xff) - 510;
                int paper = ty + gx * (2 * (x + k) - cv->w) / (2 * cv->w);
                int v = inkfloor + (row[x + k] * (paper - inkfloor) + 127) / 255 + n * sigma / 148;
                row[x + k] = (uint8_t)iclamp(v, 0, 255);
            }
        }
    }
}

static void specks(gen *g, int per_mpx)
{
    canvas *cv = &g->cv;
    long count = (long)per_mpx * cv->w / 1000 * cv->h / 1000;
    int smax = imax(1, g->lw);
    for (long k = 0; k < count; k++) {
        int x = rint_(&g->rn, 0, cv->w - 1), y = rint_(&g->rn, 0, cv->h - 1);
        int rx = rint_(&g->rn, 1, smax), ry = rint_(&g->rn, 1, smax);
        uint8_t v = (uint8_t)rint_(&g->rn, 0, g->ps->sigma ? 140 : 60);
        if (rpct(&g->rn, 10)) { /* a paper drop-out instead of a speck */
            rect r = mkrect(x, y, x + rx, y + ry);
            r.x1 = imin(r.x1, cv->w); r.y1 = imin(r.y1, cv->h);
            for (int yy = r.y0; yy < r.y1; yy++) memset(cv->px + yy * cv->stride + r.x0, 255, (size_t)(r.x1 - r.x0));
            continue;
        }
        if (rx == 1 && ry == 1) cv_fill(cv, mkrect(x, y, x + 1, y + 1), v, 1);
        else cv_ellipse(cv, x, y, rx, ry, rx + ry, 15, v);
    }
}

/* ------------------------------------------------------------ assembly */

static void polygon_orient(int (*p)[2], int n)
{
    int64_t a = 0;
    for (int i = 0; i < n; i++) {
        int j = (i + 1) % n;
        a += (int64_t)p[i][0] * p[j][1] - (int64_t)p[j][0] * p[i][1];
    }
    if (a >= 0) return;
    for (int i = 0, j = n - 1; i < j; i++, j--) {
        int tx = p[i][0], ty = p[i][1];
        p[i][0] = p[j][0]; p[i][1] = p[j][1]; p[j][0] = tx; p[j][1] = ty;
    }
}

typedef struct stats { long area; int x0, y0, x1, y1; } stats;

static void stats_span(void *u, int y, int x0, int x1)
{
    stats *s = u;
    s->area += x1 - x0;
    if (x0 < s->x0) s->x0 = x0;
    if (x1 > s->x1) s->x1 = x1;
    if (y < s->y0) s->y0 = y;
    if (y + 1 > s->y1) s->y1 = y + 1;
}

static void room_stats(plangen_room *rm, int w, int h)
{
    stats s = { 0, w, h, 0, 0 };
    plangen_polygon_spans((const int (*)[2])rm->polygon, rm->n_points, w, h, stats_span, &s);
    rm->area_px = s.area;
    if (!s.area) { s.x0 = s.y0 = s.x1 = s.y1 = 0; }
    rm->bbox[0] = s.x0; rm->bbox[1] = s.y0; rm->bbox[2] = s.x1; rm->bbox[3] = s.y1;
}

static int make_room_polygon(gen *g, int gi, int (**out)[2])
{
    group *gp = &g->G[gi];
    int (*p)[2];
    if (gp->n == 0) { /* triangle closet of a cut */
        cut *ct = &g->C[gp->cut];
        p = malloc(sizeof *p * 3);
        if (!p) return -2;
        int tri[3][2] = { { 0, 0 }, { ct->c - ct->m, 0 }, { 0, ct->c - ct->m } };
        for (int q = 0; q < 3; q++) corner_map(g->L[ct->leaf].r, ct->corner, tri[q][0], tri[q][1], &p[q][0], &p[q][1]);
        polygon_orient(p, 3);
        *out = p;
        return 3;
    }
    int li = gp->leaf[0];
    if (gp->n == 1 && g->L[li].cut >= 0) {
        cut *ct = &g->C[g->L[li].cut];
        rect r = g->L[li].r;
        p = malloc(sizeof *p * 5);
        if (!p) return -2;
        int W = rw(r), H = rh(r), c = ct->c;
        int pent[5][2] = { { c, 0 }, { W, 0 }, { W, H }, { 0, H }, { 0, c } };
        for (int q = 0; q < 5; q++) corner_map(r, ct->corner, pent[q][0], pent[q][1], &p[q][0], &p[q][1]);
        polygon_orient(p, 5);
        *out = p;
        return 5;
    }
    return trace_region(&g->gr, gi, out);
}

static void free_gen(gen *g)
{
    free(g->gr.xs); free(g->gr.ys); free(g->gr.cell);
}

int plangen_generate_ex(const char *preset_name, uint64_t seed, const plangen_options *opt,
                        plangen_plan *out)
{
    if (!out) return -1;
    memset(out, 0, sizeof *out);
    const preset *ps = find_preset(preset_name);
    if (!ps) return -1;
    plangen_options o = { 0, 0, 0, 0, 0, 0 };
    if (opt) o = *opt;
    if (o.width < 0 || o.height < 0 || (o.width && o.width < 64) || o.width > 20000 || o.height > 20000 ||
        (o.height && o.height < 64) || o.turn_mdeg < -40000 || o.turn_mdeg > 40000)
        return -1;
    gen *g = calloc(1, sizeof *g);
    if (!g) return -2;
    g->ps = ps;
    g->opt = o;
    uint64_t base = seed ^ fnv1a(ps->name);
    rng_seed(&g->rl, base, 1); rng_seed(&g->rd, base, 2); rng_seed(&g->ri, base, 3); rng_seed(&g->rn, base, 4);

    int w = rint_(&g->rl, ps->w_min, ps->w_max), asp = rint_(&g->rl, ps->asp_min, ps->asp_max);
    g->W = o.width ? o.width : w;
    g->H = o.height ? o.height : imax(64, (int)((int64_t)g->W * asp / 1000));
    int margin = imax(4, g->W * ps->margin_pm / 1000);
    g->foot = mkrect(margin, margin, g->W - margin, g->H - margin);
    g->bw_px = rw(g->foot);
    g->bw_mm = rint_(&g->rl, ps->bw_min, ps->bw_max);
    g->te = imax(3, MM(g, ps->ext_mm));
    g->ti = imax(2, MM(g, ps->int_mm));
    g->tc = imax(2, g->ti * 3 / 4);
    g->lw = imax(1, MM(g, 18));
    g->dw = imax(6, MM(g, rint_(&g->rl, 800, 900)));
    g->cdw = imax(5, MM(g, 650));
    g->mind = MM(g, ps->min_room);
    g->inner = mkrect(g->foot.x0 + g->te, g->foot.y0 + g->te, g->foot.x1 - g->te, g->foot.y1 - g->te);
    g->wall_style = ps->wall_style ? rint_(&g->rl, 1, 2) : 0;
    g->wall_gray = (uint8_t)rint_(&g->rl, 110, 170);
    int rot = ps->rot_mdeg ? rint_(&g->rl, -ps->rot_mdeg, ps->rot_mdeg) : 0;
    if (rot > -300 && rot < 300 && rot) rot = rot < 0 ? -300 : 300;
    int metric = rpct(&g->rl, 40);

    int rc = -2;
    bsp(g);
    int ncl = ps->closets ? rint_(&g->rl, (ps->closets + 1) / 2, ps->closets) : 0;
    for (int k = 0; k < ncl; k++) carve_closet(g, K_CLOSET);
    int nsh = ps->shafts ? rint_(&g->rl, 1, ps->shafts) : 0;
    for (int k = 0; k < nsh; k++) carve_closet(g, K_SHAFT);
    make_lshapes(g, ps->lshapes ? rint_(&g->rl, (ps->lshapes + 1) / 2, ps->lshapes) : 0);
    make_cuts(g);
    assign_labels(g);
    place_doors(g);
    place_windows(g);
    if (build_grid(g)) goto fail;

    /* ground truth */
    int nr = 0;
    for (int i = 0; i < g->ng; i++) nr += g->G[i].alive;
    out->rooms = calloc((size_t)(nr ? nr : 1), sizeof *out->rooms);
    if (!out->rooms) goto fail;
    int gid[MAXG];
    for (int i = 0; i < g->ng; i++) {
        if (!g->G[i].alive) continue;
        plangen_room *rm = &out->rooms[out->n_rooms];
        int n = make_room_polygon(g, i, &rm->polygon);
        if (n < 0) goto fail;
        if (n < 3) { free(rm->polygon); rm->polygon = NULL; continue; }
        rm->n_points = n;
        snprintf(rm->label, sizeof rm->label, "%s", LABEL_R3D[g->G[i].label]);
        gid[out->n_rooms] = i;
        out->n_rooms++;
    }

    /* reading order: by top edge, then left edge */
    for (int a = 1; a < out->n_rooms; a++)
        for (int b = a; b > 0; b--) {
            const plangen_room *p = &out->rooms[b - 1], *q = &out->rooms[b];
            int py = p->polygon[0][1], px = p->polygon[0][0], qy = q->polygon[0][1], qx = q->polygon[0][0];
            for (int k = 0; k < p->n_points; k++) if (p->polygon[k][1] < py || (p->polygon[k][1] == py && p->polygon[k][0] < px)) { py = p->polygon[k][1]; px = p->polygon[k][0]; }
            for (int k = 0; k < q->n_points; k++) if (q->polygon[k][1] < qy || (q->polygon[k][1] == qy && q->polygon[k][0] < qx)) { qy = q->polygon[k][1]; qx = q->polygon[k][0]; }
            if (py < qy || (py == qy && px <= qx)) break;
            plangen_room t = out->rooms[b]; out->rooms[b] = out->rooms[b - 1]; out->rooms[b - 1] = t;
            int tg = gid[b]; gid[b] = gid[b - 1]; gid[b - 1] = tg;
        }

    /* pixels */
    canvas *cv = &g->cv;
    cv->w = g->W; cv->h = g->H;
    cv->stride = ((ptrdiff_t)g->W + 63) & ~(ptrdiff_t)63;
    cv->px = aligned_alloc(64, (size_t)cv->stride * (size_t)g->H);
    if (!cv->px) goto fail;
    memset(cv->px, 255, (size_t)cv->stride * (size_t)g->H);
    cv->layers = o.layers ? o.layers : PLANGEN_LAYER_ALL;
    g->ink_wall = (o.disable & PLANGEN_NO_NOISE) ? 0 : (uint8_t)rint_(&g->ri, 0, ps->sigma ? 70 : 0);

    draw_walls(g);
    draw_floors(g, out->rooms, out->n_rooms);
    draw_doors(g);
    int ordinal = 0;
    for (int k = 0; k < out->n_rooms; k++) {
        group *gp = &g->G[gid[k]];
        int li = group_main_leaf(g, gid[k]);
        if (li < 0) continue;
        if (gp->label == LB_BED) ordinal++;
        if (ps->furniture) draw_furniture(g, li, gp->label);
        if (ps->text) draw_label(g, li, gp->label, gp->textvar, metric, ordinal);
    }
    draw_dims(g);

    /* degradation */
    cv->cur = PLANGEN_LAYER_ALL;
    unsigned saved_layers = cv->layers;
    cv->layers = PLANGEN_LAYER_ALL;
    if (o.disable & PLANGEN_NO_ROTATION) rot = 0;
    rot += o.turn_mdeg;
    if (rot) {
        /* a turn grows the canvas to hold the turned drawing whole */
        int w0 = g->W, h0 = g->H, nw = w0, nh = h0;
        if (o.turn_mdeg) {
            int64_t sn, cs;
            isincos(rot, &sn, &cs);
            sn = sn < 0 ? -sn : sn;
            nw = (int)((cs * w0 + sn * h0 + ((int64_t)1 << 30) - 1) >> 30);
            nh = (int)((sn * w0 + cs * h0 + ((int64_t)1 << 30) - 1) >> 30);
        }
        if (rotate_image(g, rot, nw, nh)) goto fail;
        for (int k = 0; k < out->n_rooms; k++) {
            plangen_room *rm = &out->rooms[k];
            int m = 0;
            for (int q = 0; q < rm->n_points; q++) {
                int x = rm->polygon[q][0], y = rm->polygon[q][1];
                rotate_point(w0, h0, nw, nh, rot, &x, &y);
                if (m && rm->polygon[m - 1][0] == x && rm->polygon[m - 1][1] == y) continue;
                rm->polygon[m][0] = x; rm->polygon[m][1] = y; m++;
            }
            if (m > 1 && rm->polygon[m - 1][0] == rm->polygon[0][0] && rm->polygon[m - 1][1] == rm->polygon[0][1]) m--;
            rm->n_points = m;
        }
    }
    if (!(o.disable & PLANGEN_NO_NOISE)) {
        int passes = ps->blur ? rint_(&g->rn, 1, ps->blur) : 0;
        for (int k = 0; k < passes; k++) blur(cv);
        if (ps->sigma) scan_tone(g);
        if (ps->specks_pmp) specks(g, ps->specks_pmp);
    }
    cv->layers = saved_layers;
    for (int k = 0; k < out->n_rooms; k++) room_stats(&out->rooms[k], g->W, g->H);
    /* row padding is paper */
    for (int y = 0; y < g->H && cv->stride > g->W; y++)
        memset(cv->px + y * cv->stride + g->W, 255, (size_t)(cv->stride - g->W));

    out->pixels = cv->px;
    out->width = g->W;
    out->height = g->H;
    out->stride = cv->stride;
    snprintf(out->preset, sizeof out->preset, "%s", ps->name);
    out->seed = seed;
    out->turn_mdeg = o.turn_mdeg;
    cv->px = NULL;
    free_gen(g);
    free(g);
    return 0;
fail:
    free(g->cv.px);
    g->cv.px = NULL;
    free_gen(g);
    free(g);
    plangen_free(out);
    return rc;
}

int plangen_generate(const char *preset, uint64_t seed, int width, plangen_plan *out)
{
    plangen_options o = { width, 0, 0, 0, 0, 0 };
    if (width < 0) { if (out) memset(out, 0, sizeof *out); return -1; }
    return plangen_generate_ex(preset, seed, &o, out);
}

void plangen_free(plangen_plan *p)
{
    if (!p) return;
    free(p->pixels);
    if (p->rooms)
        for (int i = 0; i < p->n_rooms; i++) free(p->rooms[i].polygon);
    free(p->rooms);
    memset(p, 0, sizeof *p);
}

double plangen_ink_fraction(const plangen_plan *p)
{
    if (!p || !p->pixels || p->width <= 0 || p->height <= 0) return 0.0;
    long n = 0;
    for (int y = 0; y < p->height; y++) {
        const uint8_t *row = p->pixels + y * p->stride;
        for (int x = 0; x < p->width; x++) n += row[x] < 128;
    }
    return (double)n / ((double)p->width * (double)p->height);
}

/* ------------------------------------------------------------ writers */

int plangen_write_png(const plangen_plan *p, const char *path)
{
    if (!p || !p->pixels || !path) return -1;
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    spng_ctx *ctx = spng_ctx_new(SPNG_CTX_ENCODER);
    int rc = -1;
    if (!ctx) goto done;
    struct spng_ihdr ihdr = { 0 };
    ihdr.width = (uint32_t)p->width;
    ihdr.height = (uint32_t)p->height;
    ihdr.bit_depth = 8;
    ihdr.color_type = SPNG_COLOR_TYPE_GRAYSCALE;
    if (spng_set_png_file(ctx, f) || spng_set_ihdr(ctx, &ihdr)) goto done;
    spng_set_option(ctx, SPNG_FILTER_CHOICE, SPNG_FILTER_CHOICE_NONE | SPNG_FILTER_CHOICE_SUB | SPNG_FILTER_CHOICE_UP);
    spng_set_option(ctx, SPNG_IMG_COMPRESSION_LEVEL, 6);
    if (spng_encode_image(ctx, NULL, 0, SPNG_FMT_PNG, SPNG_ENCODE_PROGRESSIVE | SPNG_ENCODE_FINALIZE)) goto done;
    for (int y = 0; y < p->height; y++) {
        int e = spng_encode_row(ctx, p->pixels + y * p->stride, (size_t)p->width);
        if (e && e != SPNG_EOI) goto done;
    }
    rc = 0;
done:
    spng_ctx_free(ctx);
    if (fclose(f) && !rc) rc = -1;
    return rc;
}

int plangen_write_jpeg(const plangen_plan *p, const char *path, int quality)
{
    if (!p || !p->pixels || !path || quality < 1 || quality > 100) return -1;
    tjhandle tj = tjInitCompress();
    if (!tj) return -1;
    unsigned char *buf = NULL;
    unsigned long len = 0;
    int rc = -1;
    if (tjCompress2(tj, p->pixels, p->width, (int)p->stride, p->height, TJPF_GRAY, &buf, &len,
                    TJSAMP_GRAY, quality, TJFLAG_ACCURATEDCT) == 0) {
        FILE *f = fopen(path, "wb");
        if (f) {
            rc = fwrite(buf, 1, len, f) == len ? 0 : -1;
            if (fclose(f)) rc = -1;
        }
    }
    tjFree(buf);
    tjDestroy(tj);
    return rc;
}

char *plangen_gt_json_string(const plangen_plan *p, const char *image_name)
{
    if (!p) return NULL;
    cJSON *root = cJSON_CreateObject();
    if (!root) return NULL;
    cJSON_AddStringToObject(root, "image", image_name ? image_name : "");
    cJSON_AddNumberToObject(root, "width", p->width);
    cJSON_AddNumberToObject(root, "height", p->height);
    cJSON_AddStringToObject(root, "preset", p->preset);
    if (p->seed <= ((uint64_t)1 << 53)) {
        cJSON_AddNumberToObject(root, "seed", (double)p->seed);
    } else {
        char b[24];
        snprintf(b, sizeof b, "%llu", (unsigned long long)p->seed);
        cJSON_AddStringToObject(root, "seed", b);
    }
    if (p->turn_mdeg)
        cJSON_AddNumberToObject(root, "turn_deg", p->turn_mdeg / 1000.0);
    cJSON *rooms = cJSON_AddArrayToObject(root, "rooms");
    for (int i = 0; rooms && i < p->n_rooms; i++) {
        const plangen_room *rm = &p->rooms[i];
        cJSON *o = cJSON_CreateObject(), *poly = cJSON_CreateArray();
        for (int k = 0; k < rm->n_points; k++) {
            cJSON *pt = cJSON_CreateIntArray(rm->polygon[k], 2);
            cJSON_AddItemToArray(poly, pt);
        }
        cJSON_AddItemToObject(o, "polygon", poly);
        cJSON_AddItemToObject(o, "bbox", cJSON_CreateIntArray(rm->bbox, 4));
        cJSON_AddStringToObject(o, "label", rm->label);
        cJSON_AddNumberToObject(o, "area_px", (double)rm->area_px);
        cJSON_AddItemToArray(rooms, o);
    }
    char *s = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return s;
}

int plangen_write_gt_json(const plangen_plan *p, const char *image_name, const char *path)
{
    if (!p || !path) return -1;
    char *s = plangen_gt_json_string(p, image_name);
    if (!s) return -1;
    FILE *f = fopen(path, "wb");
    int rc = -1;
    if (f) {
        size_t n = strlen(s);
        rc = (fwrite(s, 1, n, f) == n && fputc('\n', f) != EOF) ? 0 : -1;
        if (fclose(f)) rc = -1;
    }
    cJSON_free(s);
    return rc;
}
