/* rooms: the default strategy. Rooms a person would draw, from walls, door
 * openings and light ink, with every size taken from image statistics.
 * docs/rooms.md describes the steps; the short form:
 *
 *   1. gray histogram: Otsu level (strong ink), paper level and its noise,
 *      a weak-ink level between them (window lines, door arcs, balconies);
 *   2. wall thickness T: peak of the length-weighted histogram of horizontal
 *      and vertical strong-ink run lengths;
 *   3. walls: strong ink opened by about 0.4 T (text and thin lines go);
 *   4. door width D: the most common gap between collinear wall runs;
 *   5. door bridges: closing along walls (1.3 D long), keeping the new pixels
 *      only where they are no thicker than a wall;
 *   6. barriers: walls, bridges, and weak-ink strokes longer than a few T
 *      (text glyphs are shorter and do not cut rooms);
 *   7. exterior: free space joined to the padded border after a closing of
 *      the barriers by about 2 D (windows and small gaps shut);
 *   8. rooms: 4-connected free space that is not exterior, kept when large
 *      enough, thick enough and mostly bounded by walls; outlined, simplified;
 *      confidence from how well walls enclose it and how room-like it is.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locdet/plugin.h"
#include "rooms_kernels.h"

#define ROOMS_VERSION "1.0.0"

/* ------------------------------------------------------------------ params */

enum { P_MIN_ROOM_D2, P_EXTERIOR_CLOSE_D, P_DOOR_BRIDGE_D, P_MIN_WALL, P_WEAK_INK, P_DEBUG, P_COUNT };

static const locdet_param_def params[P_COUNT] = {
    [P_MIN_ROOM_D2] = {"min_room", LOCDET_PARAM_FLOAT, "0.25", 0.0, 100.0, NULL,
                       "smallest room, in square door widths (D^2)"},
    [P_EXTERIOR_CLOSE_D] = {"exterior_close", LOCDET_PARAM_FLOAT, "2.0", 0.0, 20.0, NULL,
                            "gap in the outer wall still taken as closed, in door widths"},
    [P_DOOR_BRIDGE_D] = {"door_bridge", LOCDET_PARAM_FLOAT, "1.3", 0.0, 10.0, NULL,
                         "longest opening bridged along a wall, in door widths"},
    [P_MIN_WALL] = {"min_wall", LOCDET_PARAM_FLOAT, "0.3", 0.0, 1.0, NULL,
                     "least share of a room's outline on walls or door bridges (furniture pockets have none)"},
    [P_WEAK_INK] = {"weak_ink", LOCDET_PARAM_BOOL, "true", 0, 0, NULL,
                    "light strokes (windows, door arcs) longer than a few wall thicknesses cut rooms"},
    [P_DEBUG] = {"debug", LOCDET_PARAM_BOOL, "false", 0, 0, NULL,
                 "log the image statistics and per-room features"},
};

typedef struct rooms {
    const locdet_host_api *host;
    rooms_kernels k;
    double min_room_d2, exterior_close_d, door_bridge_d, min_wall;
    bool weak_ink, debug;
} rooms;

/* ------------------------------------------------------------------ images */

typedef struct plane {
    uint8_t *p;
    int w, h;
    ptrdiff_t s;
} plane;

static locdet_image as_image(const plane *b)
{
    return (locdet_image){b->p, b->w, b->h, b->s};
}

static bool plane_new(const locdet_call *call, plane *b, int w, int h)
{
    b->w = w;
    b->h = h;
    b->s = (w + 63) & ~63;
    b->p = call->scratch(call, (size_t)b->s * (size_t)h + 64);
    return b->p != NULL;
}

#ifdef ROOMS_DUMP
#include <stdlib.h>
static void dump(const char *name, const plane *b)
{
    const char *dir = getenv("ROOMS_DUMP");
    if (!dir)
        return;
    char path[512];
    snprintf(path, sizeof path, "%s/%s.pgm", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    fprintf(f, "P5 %d %d 255\n", b->w, b->h);
    for (int y = 0; y < b->h; y++)
        fwrite(b->p + y * b->s, 1, (size_t)b->w, f);
    fclose(f);
}
#else
#define dump(name, b) ((void)0)
#endif

/* ------------------------------------------------------------------ stats */

typedef struct stats {
    int otsu, paper, weak; /* gray levels */
    int T;                 /* wall thickness, pixels */
    int D;                 /* door width, pixels */
    bool d_measured;       /* D from gaps (else a multiple of T) */
    double ink;            /* fraction of strong ink */
} stats;

/* Paper: the brightest big peak of the histogram. Floors are often tinted
 * (light gray or colour fills a few levels under the paper), so weak ink
 * must be darker than the darkest big bright peak's noise floor (where that
 * peak falls under 1/20 of its height), but never darker than halfway from
 * the Otsu level to the paper, nor within 8 of the paper. A big peak holds
 * at least 2% of the pixels within +-6 levels. */
static void gray_levels(const uint64_t hist[256], int otsu, stats *st)
{
    uint64_t total = 0;
    for (int v = 0; v < 256; v++)
        total += hist[v];
    int paper = -1, darkest = -1;
    for (int v = otsu + 1; v < 256; v++) {
        bool peak = true;
        for (int d = 1; d <= 3 && peak; d++)
            peak = (v - d <= otsu || hist[v] >= hist[v - d]) && (v + d > 255 || hist[v] >= hist[v + d]);
        if (!peak)
            continue;
        uint64_t mass = 0;
        for (int d = -6; d <= 6; d++)
            if (v + d >= 0 && v + d < 256)
                mass += hist[v + d];
        if (mass * 50 < total)
            continue;
        if (darkest < 0)
            darkest = v;
        paper = v;
    }
    if (paper < 0) { /* no big bright peak: the brightest level in use */
        paper = 255;
        while (paper > otsu + 1 && !hist[paper])
            paper--;
        darkest = paper;
    }
    int floor_ = darkest;
    while (floor_ > otsu + 1 && hist[floor_ - 1] * 20 > hist[darkest])
        floor_--;
    int weak = floor_ - 4;
    int mid = (otsu + paper) / 2;
    if (weak < mid)
        weak = mid;
    if (weak > paper - 8)
        weak = paper - 8;
    if (weak < otsu)
        weak = otsu;
    st->otsu = otsu;
    st->paper = paper;
    st->weak = weak;
}

/* Wall thickness: each strong-ink run of length L (horizontal and vertical)
 * votes L at L. Walls give many pixels at L = T across their length; thin
 * lines vote at 1-2 and long runs along walls spread over many lengths. The
 * peak over [2, maxT], smoothed over neighbours. */
static int wall_thickness(const plane *ink, int32_t *colrun, uint64_t *vote, int maxT)
{
    memset(vote, 0, sizeof *vote * (size_t)(maxT + 2));
    memset(colrun, 0, sizeof *colrun * (size_t)ink->w);
    for (int y = 0; y <= ink->h; y++) {
        const uint8_t *r = y < ink->h ? ink->p + y * ink->s : NULL;
        int run = 0;
        for (int x = 0; x < ink->w; x++) {
            bool on = r && r[x];
            if (on) {
                run++;
                colrun[x]++;
            } else {
                if (run) {
                    if (run <= maxT)
                        vote[run] += (uint64_t)run;
                    run = 0;
                }
                int c = colrun[x];
                if (c) {
                    if (c <= maxT)
                        vote[c] += (uint64_t)c;
                    colrun[x] = 0;
                }
            }
        }
        if (run && run <= maxT)
            vote[run] += (uint64_t)run;
    }
    int best = 0;
    double best_v = 0;
    for (int L = 2; L <= maxT; L++) {
        double v = (double)vote[L] + 0.5 * (double)(vote[L - 1] + vote[L + 1]);
        if (v > best_v) {
            best_v = v;
            best = L;
        }
    }
    return best ? best : 2;
}

/* Door width: gaps between consecutive wall runs on one row (or column)
 * whose neighbouring runs are both wall-long (>= 1.5 T), in [2 T, 14 T].
 * A door in a wall shows as the same gap on about T rows. Smoothed peak. */
static void gap_votes_rows(const plane *walls, int T, uint32_t *vote, int maxG)
{
    int min_run = (3 * T + 1) / 2;
    for (int y = 0; y < walls->h; y++) {
        const uint8_t *r = walls->p + y * walls->s;
        int prev_end = -1, prev_len = 0, x = 0;
        while (x < walls->w) {
            while (x < walls->w && !r[x])
                x++;
            if (x >= walls->w)
                break;
            int start = x;
            while (x < walls->w && r[x])
                x++;
            int len = x - start;
            if (prev_end >= 0 && prev_len >= min_run && len >= min_run) {
                int g = start - prev_end;
                if (g <= maxG)
                    vote[g]++;
            }
            prev_end = x;
            prev_len = len;
        }
    }
}

static void gap_votes_cols(const plane *walls, int T, uint32_t *vote, int maxG, int32_t *st)
{
    /* per column: end of the previous run, its length, the current run's start */
    int min_run = (3 * T + 1) / 2;
    int32_t *prev_end = st, *prev_len = st + walls->w, *cur = st + 2 * walls->w;
    for (int x = 0; x < walls->w; x++) {
        prev_end[x] = -1;
        prev_len[x] = 0;
        cur[x] = -1;
    }
    for (int y = 0; y <= walls->h; y++) {
        const uint8_t *r = y < walls->h ? walls->p + y * walls->s : NULL;
        for (int x = 0; x < walls->w; x++) {
            bool on = r && r[x];
            if (on) {
                if (cur[x] < 0)
                    cur[x] = y;
            } else if (cur[x] >= 0) {
                int len = y - cur[x];
                if (prev_end[x] >= 0 && prev_len[x] >= min_run && len >= min_run) {
                    int g = cur[x] - prev_end[x];
                    if (g <= maxG)
                        vote[g]++;
                }
                prev_end[x] = y;
                prev_len[x] = len;
                cur[x] = -1;
            }
        }
    }
}

static int door_width(const plane *walls, int T, uint32_t *vote, int32_t *colstate, bool *measured)
{
    int lo = 2 * T, maxG = 14 * T;
    memset(vote, 0, sizeof *vote * (size_t)(maxG + 2));
    gap_votes_rows(walls, T, vote, maxG);
    gap_votes_cols(walls, T, vote, maxG, colstate);
    /* smooth over +-T/4 (at least 1): door widths vary a little */
    int half = T / 4 > 1 ? T / 4 : 1;
    double best_v = 0;
    int best = 0;
    uint64_t total = 0;
    for (int g = lo; g <= maxG; g++)
        total += vote[g];
    for (int g = lo; g <= maxG; g++) {
        double v = 0;
        for (int d = -half; d <= half; d++)
            if (g + d >= lo && g + d <= maxG)
                v += vote[g + d];
        if (v > best_v) {
            best_v = v;
            best = g;
        }
    }
    /* a door needs about T rows of evidence; else assume a usual ratio */
    *measured = best && best_v >= 2.0 * T;
    (void)total;
    return *measured ? best : 5 * T;
}

/* ------------------------------------------------------------------ bridges */

/* Door bridges from a closing along one direction. A new pixel of the
 * closing (closed & ~walls) is a bridge candidate when its gap, along that
 * direction, ends at wall runs on both sides that look like a wall and not
 * a glyph or the crossing of a thin line: both at least min_run long, one
 * at least T. Then the candidates are kept only where walls plus
 * candidates, across that direction, are at most tmax thick: a bridge over
 * a door continues a wall, while the space between two parallel walls
 * closer than the closing length is a thick block. Written as ROW or
 * column passes: horizontal = true bridges gaps along rows. mark is
 * scratch of the same size; the bridges are ORed into out. */
static void door_bridges(const plane *closed, const plane *walls, plane *mark, plane *out, int T,
                         int min_run, int tmax, bool horizontal, int32_t *colstart)
{
    int w = walls->w, h = walls->h;
    /* access (along, across) as (x, y) for horizontal, (y, x) otherwise */
#define AT(pl, a, c) ((pl)->p[horizontal ? (ptrdiff_t)(c) * (pl)->s + (a) : (ptrdiff_t)(a) * (pl)->s + (c)])
    int n_along = horizontal ? w : h, n_across = horizontal ? h : w;
    for (int c = 0; c < n_across; c++) {
        int a = 0;
        while (a < n_along) {
            if (!(AT(closed, a, c) && !AT(walls, a, c))) {
                AT(mark, a, c) = 0;
                a++;
                continue;
            }
            int s = a;
            while (a < n_along && AT(closed, a, c) && !AT(walls, a, c))
                a++;
            bool ok = s > 0 && a < n_along;
            if (ok) {
                int l = 0, r = 0;
                for (int i = s - 1; i >= 0 && AT(walls, i, c) && l < T; i--)
                    l++;
                for (int i = a; i < n_along && AT(walls, i, c) && r < T; i++)
                    r++;
                ok = l >= min_run && r >= min_run && (l >= T || r >= T);
            }
            for (int i = s; i < a; i++)
                AT(mark, i, c) = ok ? 255 : 0;
        }
    }
#undef AT
    /* thickness across: runs of walls | mark */
    if (horizontal) {
        for (int x = 0; x < w; x++)
            colstart[x] = -1;
        for (int y = 0; y <= h; y++) {
            for (int x = 0; x < w; x++) {
                bool on = y < h && (walls->p[y * walls->s + x] | mark->p[y * mark->s + x]);
                if (on) {
                    if (colstart[x] < 0)
                        colstart[x] = y;
                } else if (colstart[x] >= 0) {
                    if (y - colstart[x] <= tmax)
                        for (int yy = colstart[x]; yy < y; yy++)
                            out->p[yy * out->s + x] |= mark->p[yy * mark->s + x];
                    colstart[x] = -1;
                }
            }
        }
        return;
    }
    for (int y = 0; y < h; y++) {
        const uint8_t *wl = walls->p + y * walls->s, *m = mark->p + y * mark->s;
        uint8_t *o = out->p + y * out->s;
        int x = 0;
        while (x < w) {
            if (!(wl[x] | m[x])) {
                x++;
                continue;
            }
            int s = x;
            while (x < w && (wl[x] | m[x]))
                x++;
            if (x - s <= tmax)
                for (int i = s; i < x; i++)
                    o[i] |= m[i];
        }
    }
}

/* ------------------------------------------------------------------ rooms */

typedef struct feat {
    int64_t edge;      /* room pixels next to a barrier or the exterior */
    int64_t edge_wall; /* ... next to a wall (strong) */
    int64_t edge_ext;  /* ... next to the exterior */
    int64_t inner_ink; /* strong-ink pixels inside the room's box (not counted yet) */
} feat;

static double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* Pixel-centre outline -> pixel-corner outline: each vertex moves by +1 in
 * x (y) when either adjacent edge's outward normal points to +x (+y). Exact
 * for axis-aligned outlines; close for diagonal ones. */
static void centres_to_corners(rooms_point *p, int n)
{
    if (n < 3) {
        for (int i = 0; i < n; i++)
            p[i].x += 0, p[i].y += 0;
        return;
    }
    double a2 = 0;
    for (int i = 0, j = n - 1; i < n; j = i++)
        a2 += (double)p[j].x * p[i].y - (double)p[i].x * p[j].y;
    int sgn = a2 > 0 ? 1 : -1; /* >0: clockwise on screen (y down) */
    rooms_point prev = p[n - 1], first = p[0];
    for (int i = 0; i < n; i++) {
        rooms_point cur = p[i], next = i + 1 < n ? p[i + 1] : first;
        int ex1 = cur.x - prev.x, ey1 = cur.y - prev.y;
        int ex2 = next.x - cur.x, ey2 = next.y - cur.y;
        /* outward normal of edge (ex, ey) for screen-clockwise: (ey, -ex)... sign-fixed */
        int nx1 = -sgn * ey1, ny1 = sgn * ex1, nx2 = -sgn * ey2, ny2 = sgn * ex2;
        prev = cur;
        p[i].x = cur.x + ((nx1 > 0 || nx2 > 0) ? 1 : 0);
        p[i].y = cur.y + ((ny1 > 0 || ny2 > 0) ? 1 : 0);
    }
}

/* Walk the outer outline (pixel centres, corners only: straight 8-way
 * steps between them) and look at each outline pixel's 4-neighbours
 * outside the room: the share of outline pixels next to a wall or bridge,
 * and next to the exterior. */
static void outline_shares(const rooms_labeling *lr, int32_t l, const rooms_point *pts, int n,
                           const plane *wb, const plane *barrier, const int32_t *ext_labels,
                           ptrdiff_t ext_stride, int32_t ext, double *wall_frac, double *ext_frac)
{
    int w = wb->w, h = wb->h;
    long total = 0, on_wall = 0, on_ext = 0;
    for (int i = 0; i < n; i++) {
        rooms_point a = pts[i], b = pts[(i + 1) % n];
        int sx = (b.x > a.x) - (b.x < a.x), sy = (b.y > a.y) - (b.y < a.y);
        int steps = abs(b.x - a.x) > abs(b.y - a.y) ? abs(b.x - a.x) : abs(b.y - a.y);
        if (n == 1)
            steps = 1;
        for (int t = 0; t < steps; t++) {
            int x = a.x + sx * t, y = a.y + sy * t;
            static const int d[4][2] = {{-1, 0}, {1, 0}, {0, -1}, {0, 1}};
            bool wall = false, out = false;
            for (int q = 0; q < 4; q++) {
                int nx = x + d[q][0], ny = y + d[q][1];
                if (nx < 0 || ny < 0 || nx >= w || ny >= h) {
                    out = true;
                    continue;
                }
                if (lr->labels[ny * lr->stride + nx] == l)
                    continue;
                /* ink fringes (antialiasing, JPEG) sit between room and wall:
                 * look two pixels out */
                int fx = nx + d[q][0], fy = ny + d[q][1];
                if (wb->p[ny * wb->s + nx] ||
                    (barrier->p[ny * barrier->s + nx] && fx >= 0 && fy >= 0 && fx < w && fy < h &&
                     wb->p[fy * wb->s + fx]))
                    wall = true;
                else if (!barrier->p[ny * barrier->s + nx] && ext_labels[ny * ext_stride + nx] == ext)
                    out = true;
            }
            total++;
            on_wall += wall;
            on_ext += out && !wall;
        }
    }
    *wall_frac = total ? (double)on_wall / total : 0;
    *ext_frac = total ? (double)on_ext / total : 0;
}

/* ------------------------------------------------------------------ detect */

#define CHECK(expr)                                                                                \
    do {                                                                                           \
        int rc_ = (expr);                                                                          \
        if (rc_ != LOCDET_OK) {                                                                    \
            rc = rc_;                                                                              \
            goto out;                                                                              \
        }                                                                                          \
    } while (0)
#define NEED(ptr)                                                                                  \
    do {                                                                                           \
        if (!(ptr)) {                                                                              \
            rc = LOCDET_ERR_NOMEM;                                                                 \
            goto out;                                                                              \
        }                                                                                          \
    } while (0)
#define STOP()                                                                                     \
    do {                                                                                           \
        if (call->should_stop && call->should_stop(call)) {                                        \
            rc = LOCDET_ERR_CANCELLED;                                                             \
            goto out;                                                                              \
        }                                                                                          \
    } while (0)

static int detect(void *self, const locdet_call *call)
{
    rooms *r = self;
    const rooms_kernels *k = &r->k;
    const locdet_host_api *host = call->host;
    int threads = host->threads;
    const locdet_image *img = &call->image;
    int w = img->width, h = img->height;
    int rc = LOCDET_OK;
    rooms_labeling lw = {0}, le = {0}, lr = {0};
    feat *f = NULL;
    uint8_t *keep = NULL;
    if (w < 8 || h < 8)
        return LOCDET_OK; /* nothing a person would call a room */

    /* 1. gray levels */
    uint64_t hist[256] = {0};
    for (int y = 0; y < h; y++) {
        const uint8_t *row = img->data + y * img->stride;
        for (int x = 0; x < w; x++)
            hist[row[x]]++;
    }
    int otsu = 0;
    CHECK(k->otsu(k->table, img, NULL, false, &otsu));
    stats st = {0};
    gray_levels(hist, otsu, &st);

    plane strong, weak, walls, tmp, barrier;
    NEED(plane_new(call, &strong, w, h));
    NEED(plane_new(call, &weak, w, h));
    NEED(plane_new(call, &walls, w, h));
    NEED(plane_new(call, &tmp, w, h));
    NEED(plane_new(call, &barrier, w, h));
    locdet_image strong_i = as_image(&strong), weak_i = as_image(&weak), walls_i = as_image(&walls),
                 tmp_i = as_image(&tmp);
    CHECK(k->threshold(k->table, img, &strong_i, st.otsu, true));
    CHECK(k->threshold(k->table, img, &weak_i, st.weak, true));
    uint64_t n_strong = 0;
    for (int v = 0; v <= st.otsu; v++)
        n_strong += hist[v];
    st.ink = (double)n_strong / ((double)w * h);
    dump("strong", &strong);
    dump("weak", &weak);
    STOP();

    /* 2. wall thickness */
    int maxT = (w < h ? w : h) / 12;
    if (maxT < 3)
        maxT = 3;
    if (maxT > 200)
        maxT = 200;
    int maxG = 14 * 200 + 2;
    int32_t *colstate = call->scratch(call, sizeof(int32_t) * 3 * (size_t)(w > h ? w : h));
    uint64_t *tvote = call->scratch(call, sizeof(uint64_t) * (size_t)(maxT + 2));
    uint32_t *gvote = call->scratch(call, sizeof(uint32_t) * (size_t)(maxG + 2));
    NEED(colstate);
    NEED(tvote);
    NEED(gvote);
    st.T = wall_thickness(&strong, colstate, tvote, maxT);
    int T = st.T;

    /* 3. walls: strong ink opened by ~0.4 T */
    int ko = (int)lround(0.4 * T);
    if (ko < 2)
        ko = T >= 3 ? 2 : 1;
    CHECK(k->morph(k->table, ROOMS_MORPH_OPEN, &strong_i, &walls_i, ko, ko, threads));
    dump("walls", &walls);
    STOP();

    /* 4. long strokes: weak-ink (or strong-ink) components longer than a
     * few wall thicknesses; text glyphs are shorter. Thin interior walls,
     * window lines, door arcs and furniture all cut free space. */
    plane lines, src;
    NEED(plane_new(call, &lines, w, h));
    NEED(plane_new(call, &src, w, h));
    locdet_image src_i = as_image(&src);
    CHECK(k->label(k->table, r->weak_ink ? &weak_i : &strong_i, 8, threads, &lw));
    keep = host->alloc((size_t)lw.count);
    NEED(keep);
    int min_len = 3 * T > 12 ? 3 * T : 12;
    keep[0] = 0;
    for (int i = 1; i < lw.count; i++) {
        const rooms_component *c = &lw.stats[i];
        keep[i] = (c->width >= min_len || c->height >= min_len) ? 255 : 0;
    }
    /* src: what doors are bridged between: long strong strokes (walls and
     * wall lines; text never, so no bridges hop between lines of text) */
    for (int y = 0; y < h; y++) {
        const int32_t *lab = lw.labels + y * lw.stride;
        const uint8_t *sg = strong.p + y * strong.s, *wl = walls.p + y * walls.s;
        uint8_t *ln = lines.p + y * lines.s, *sr = src.p + y * src.s;
        for (int x = 0; x < w; x++) {
            ln[x] = keep[lab[x]];
            sr[x] = sg[x] & ln[x];
            (void)wl;
        }
    }
    k->labeling_free(&lw);
    host->free(keep);
    keep = NULL;
    STOP();

    /* 5. door width */
    st.D = door_width(&src, T, gvote, colstate, &st.d_measured);
    int D = st.D;

    /* 6. door bridges along walls. wb: walls of any weight (strong ink
     * opened by ~T/4, so 1 px furniture and hatch lines go but thin interior
     * walls stay) and the door bridges: what encloses a room. */
    plane wb;
    NEED(plane_new(call, &wb, w, h));
    locdet_image wb_i = as_image(&wb);
    int k2 = T / 4 > 2 ? T / 4 : 2;
    if (k2 > ko)
        k2 = ko;
    CHECK(k->morph(k->table, ROOMS_MORPH_OPEN, &strong_i, &wb_i, k2, k2, threads));
    int L = (int)lround(r->door_bridge_d * D);
    int tmax = T + (T + 1) / 2 + 1;
    int min_run = T / 2 > 2 ? T / 2 : 2;
    if (L >= 3) {
        CHECK(k->morph(k->table, ROOMS_MORPH_CLOSE, &src_i, &tmp_i, L, 1, threads));
        door_bridges(&tmp, &src, &weak, &wb, T, min_run, tmax, true, colstate);
        CHECK(k->morph(k->table, ROOMS_MORPH_CLOSE, &src_i, &tmp_i, 1, L, threads));
        door_bridges(&tmp, &src, &weak, &wb, T, min_run, tmax, false, colstate);
    }
    for (int y = 0; y < h; y++) {
        const uint8_t *ln = lines.p + y * lines.s, *wl = wb.p + y * wb.s;
        uint8_t *b = barrier.p + y * barrier.s;
        for (int x = 0; x < w; x++)
            b[x] = ln[x] | wl[x];
    }
    STOP();

    /* 7. exterior: close the walls and bridges by ~2 D in a padded frame
     * (windows and gaps in the outer wall shut; dimension lines and other
     * thin strokes outside do not count), then the free space joined to the
     * border */
    int ke = (int)lround(r->exterior_close_d * D);
    if (ke < 3)
        ke = 3;
    int P = ke / 2 + 2;
    plane pb, pf;
    NEED(plane_new(call, &pb, w + 2 * P, h + 2 * P));
    NEED(plane_new(call, &pf, w + 2 * P, h + 2 * P));
    memset(pb.p, 0, (size_t)pb.s * pb.h);
    for (int y = 0; y < h; y++)
        memcpy(pb.p + (y + P) * pb.s + P, wb.p + y * wb.s, (size_t)w);
    locdet_image pb_i = as_image(&pb), pf_i = as_image(&pf);
    CHECK(k->morph(k->table, ROOMS_MORPH_CLOSE, &pb_i, &pf_i, ke, ke, threads));
    CHECK(k->threshold(k->table, &pf_i, &pf_i, 127, true)); /* free = 255 */
    CHECK(k->label(k->table, &pf_i, 4, threads, &le));
    int32_t ext = le.labels[0]; /* the padding's corner */
    STOP();

    /* 8. rooms: free, not exterior */
    for (int y = 0; y < h; y++) {
        const uint8_t *b = barrier.p + y * barrier.s;
        const int32_t *e = le.labels + (y + P) * le.stride + P;
        uint8_t *o = tmp.p + y * tmp.s;
        for (int x = 0; x < w; x++)
            o[x] = (!b[x] && e[x] != ext) ? 255 : 0;
    }
    dump("barrier", &barrier);
    dump("ext_closed", &pf);
    dump("free", &tmp);
    CHECK(k->label(k->table, &tmp_i, 4, threads, &lr));
    STOP();

    f = host->alloc(sizeof *f * (size_t)lr.count);
    NEED(f);
    memset(f, 0, sizeof *f * (size_t)lr.count);
    /* room pixels on their border: what is next to them (4-neighbours) */
    for (int y = 0; y < h; y++) {
        const int32_t *lab = lr.labels + y * lr.stride;
        const uint8_t *wl = walls.p + y * walls.s;
        const int32_t *e = le.labels + (y + P) * le.stride + P;
        for (int x = 0; x < w; x++) {
            int32_t l = lab[x];
            if (!l)
                continue;
            int nb[4][2] = {{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}};
            bool edge = false, by_wall = false, by_ext = false;
            for (int i = 0; i < 4; i++) {
                int nx = nb[i][0], ny = nb[i][1];
                if (nx < 0 || ny < 0 || nx >= w || ny >= h) {
                    edge = by_ext = true;
                    continue;
                }
                if (lr.labels[ny * lr.stride + nx] == l)
                    continue;
                edge = true;
                if (wb.p[ny * wb.s + nx])
                    by_wall = true;
                else if (le.labels[(ny + P) * le.stride + nx + P] == ext &&
                         !barrier.p[ny * barrier.s + nx])
                    by_ext = true;
            }
            (void)wl;
            (void)e;
            if (edge) {
                f[l].edge++;
                f[l].edge_wall += by_wall;
                f[l].edge_ext += by_ext;
            }
        }
    }

    double min_area = r->min_room_d2 * (double)D * D;
    if (min_area < 9.0 * T * T)
        min_area = 9.0 * T * T;
    if (r->debug)
        host->log(host, LOCDET_LOG_INFO,
                  "%dx%d otsu %d paper %d weak %d ink %.3f T %d D %d%s L %d ke %d min_area %.0f "
                  "candidates %d",
                  w, h, st.otsu, st.paper, st.weak, st.ink, T, D, st.d_measured ? "" : " (5T)", L,
                  ke, min_area, (int)lr.count - 1);
    for (int l = 1; l < lr.count; l++) {
        const rooms_component *c = &lr.stats[l];
        double area = (double)c->area;
        if (area < 2.0 * T * T)
            continue;
        double thick = f[l].edge ? 2.0 * area / (double)f[l].edge : 0;
        double fill = area / ((double)c->width * c->height);
        if (area < min_area || thick < 1.0 * T)
            continue;
        rooms_point *pts = NULL, *simple = NULL;
        int n = 0, ns = 0;
        CHECK(k->trace_label(k->table, lr.labels, lr.stride, w, h, l, c->left, c->top, &pts, &n));
        /* the outer outline only (holes around furniture and text do not
         * count): its share on walls or bridges, and on the exterior */
        double wall_frac, ext_frac;
        outline_shares(&lr, l, pts, n, &wb, &barrier, le.labels + P * le.stride + P, le.stride,
                       ext, &wall_frac, &ext_frac);
        bool keep_room = wall_frac >= r->min_wall;
        if (r->debug)
            host->log(host, LOCDET_LOG_INFO,
                      "cand %d box %d,%d %dx%d area %.0f thick %.1f wall %.2f ext %.2f fill %.2f%s",
                      l, c->left, c->top, c->width, c->height, area, thick, wall_frac, ext_frac,
                      fill, keep_room ? "" : " (dropped)");
        if (!keep_room) {
            k->points_free(pts);
            continue;
        }
        /* confidence: enclosed by walls, room-sized, compact, not on the outside */
        double size = clamp01(log(area / min_area) / log(16.0));
        double conf = 0.35 * clamp01(wall_frac / 0.7) + 0.25 * size + 0.25 * clamp01((fill - 0.3) / 0.6) +
                      0.15 * (1.0 - clamp01(ext_frac / 0.3));
        conf = 0.05 + 0.9 * conf;

        centres_to_corners(pts, n);
        int arc = k->approx_poly(pts, n, 1.0, true, &simple, &ns);
        k->points_free(pts);
        CHECK(arc);
        if (ns < 3) {
            k->points_free(simple);
            continue;
        }
        locdet_room room = {0};
        room.polygon = (const locdet_point *)simple;
        room.n_points = ns;
        room.confidence = conf;
        room.bbox_px[0] = c->left;
        room.bbox_px[1] = c->top;
        room.bbox_px[2] = c->left + c->width;
        room.bbox_px[3] = c->top + c->height;
        room.area_px = area;
        room.centroid[0] = c->cx + 0.5;
        room.centroid[1] = c->cy + 0.5;
        int arc2 = call->add_room(call, &room);
        k->points_free(simple);
        CHECK(arc2);
    }

out:
    k->labeling_free(&lw);
    k->labeling_free(&le);
    k->labeling_free(&lr);
    if (f)
        host->free(f);
    if (keep)
        host->free(keep);
    return rc;
}

/* ------------------------------------------------------------------ entry */

static void *create(const locdet_host_api *host, const locdet_param_value *v, char *why,
                    size_t why_size)
{
    rooms_kernels k;
    if (!rooms_kernels_get(host, &k, why, why_size))
        return NULL;
    rooms *r = host->alloc(sizeof *r);
    if (!r) {
        snprintf(why, why_size, "out of memory");
        return NULL;
    }
    r->host = host;
    r->k = k;
    r->min_room_d2 = v[P_MIN_ROOM_D2].f;
    r->exterior_close_d = v[P_EXTERIOR_CLOSE_D].f;
    r->door_bridge_d = v[P_DOOR_BRIDGE_D].f;
    r->min_wall = v[P_MIN_WALL].f;
    r->weak_ink = v[P_WEAK_INK].b;
    r->debug = v[P_DEBUG].b;
    return r;
}

static void destroy(void *self)
{
    rooms *r = self;
    if (r)
        r->host->free(r);
}

LOCDET_PLUGIN_EXPORT const locdet_strategy locdet_strategy_entry = {
    .abi = {LOCDET_PLUGIN_ABI_MAJOR, LOCDET_PLUGIN_ABI_MINOR},
    .name = "rooms",
    .version = ROOMS_VERSION,
    .description = "rooms from walls, door openings and light ink; sizes from image statistics",
    .params = params,
    .n_params = P_COUNT,
    .decode_scale = 1,
    .create = create,
    .detect = detect,
    .destroy = destroy,
};
