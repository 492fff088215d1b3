/* rooms, step 5: closet fronts, free runs between wall stub tips with a
 * wall back behind and a door line on them, painted as wall. rooms.c has
 * the whole pipeline. */
#include <math.h>
#include <stdlib.h>

#include "rooms.h"

/* The free run of bar through (m, v) along u (u stride su, v stride sv),
 * followed at most one pixel past [from, to]: *lo .. *hi. */
void free_extent(const uint8_t *bar, ptrdiff_t su, ptrdiff_t sv, int n_u, int m, int v,
                 int from, int to, int *lo, int *hi)
{
    const uint8_t *row = bar + (ptrdiff_t)v * sv;
    int l = m, h = m;
    while (l > 0 && !row[(ptrdiff_t)(l - 1) * su] && l >= from)
        l--;
    while (h < n_u - 1 && !row[(ptrdiff_t)(h + 1) * su] && h <= to)
        h++;
    *lo = l;
    *hi = h;
}

/* The gray level of img at u along the scan and v across it: (u, v) =
 * (x, y) for rows (o = 0), (y, x) for columns (o = 1). */
static inline int gray_uv(const locdet_image *img, int o, int u, int v)
{
    return o ? img->data[(ptrdiff_t)u * img->stride + v]
             : img->data[(ptrdiff_t)v * img->stride + u];
}

/* Whether the line drawn along a closet front at (u, v) runs on past its
 * end: from u, going dir along u, through the barrier it ends on (at most
 * 4 t + 2 px: a stub, or an outer wall up to 4 t thick) and then, in free
 * space, with ink within a pixel of row v on half of the next 2 t px. A
 * door line ends at its jambs; an axis or section line drawn across the
 * plan runs through the walls and on. */
static bool line_runs_on(const uint8_t *bar, const locdet_image *img, int level, ptrdiff_t su,
                         ptrdiff_t sv, int o, int U, int V, int u, int v, int dir, int thick)
{
    int reach = 4 * thick + 2, x = u;
    while (x >= 0 && x < U && bar[(ptrdiff_t)x * su + (ptrdiff_t)v * sv] && abs(x - u) <= reach)
        x += dir;
    if (x < 0 || x >= U || abs(x - u) > reach)
        return false;
    int inked = 0, n = 2 * thick;
    for (int i = 0; i < n; i++, x += dir) {
        if (x < 0 || x >= U)
            return false;
        for (int k = -1; k <= 1; k++) {
            int vv = v + k;
            if (vv < 0 || vv >= V)
                continue;
            if (gray_uv(img, o, x, vv) <= level) {
                inked++;
                break;
            }
        }
    }
    return 2 * inked >= n;
}

/* What try_closet_front reads: line v of orientation o is row v (o = 0) or
 * column v (o = 1), U pixels long, V lines; pixel u of it is at u su + v sv. */
typedef struct pocket_scan {
    const rooms *r;
    uint8_t *bar, *wall;
    const uint8_t *ext;
    int ep, eo;
    const locdet_image *img;
    int level, thick, o, U, V;
    ptrdiff_t su, sv;
    int mind, maxd;
} pocket_scan;

/* One closet front candidate: the free run a..b of line v (pixels of bar
 * between two barrier pixels), tested toward both sides; painted into bar
 * and wall when it is a front (see close_pockets). */
static void try_closet_front(const pocket_scan *ps, int v, int a, int b)
{
    const rooms *r = ps->r;
    uint8_t *bar = ps->bar, *wall = ps->wall;
    const uint8_t *ext = ps->ext;
    const locdet_image *img = ps->img;
    int ep = ps->ep, eo = ps->eo, level = ps->level, thick = ps->thick, o = ps->o;
    int U = ps->U, V = ps->V, mind = ps->mind, maxd = ps->maxd, c = thick, len = b - a + 1;
    ptrdiff_t su = ps->su, sv = ps->sv;
#define AT(u, v) bar[(ptrdiff_t)(u) * su + (ptrdiff_t)(v) * sv]
    int m = (a + b) / 2;
    for (int s = -1; s <= 1; s += 2) {
        int vo = v - s;
        if (vo < 0 || vo >= V || AT(m, vo))
            continue;
        int ex = o ? ext[(ptrdiff_t)(m + eo) * ep + vo + eo]
                   : ext[(ptrdiff_t)(vo + eo) * ep + m + eo];
        if (ex == 2)
            continue;
        int lo, hi;
        free_extent(bar, su, sv, U, m, vo, a - c, b + c, &lo, &hi);
        int open = (lo < a - c) + (hi > b + c);
        if (open < r->closet_tips)
            continue;
        int d = 1;
        bool ok = true;
        for (;; d++) {
            int vv = v + s * d;
            if (vv < 0 || vv >= V || d > maxd) {
                ok = false;
                break;
            }
            if (AT(m, vv))
                break;
            int l, rr;
            free_extent(bar, su, sv, U, m, vv, a - c, b + c, &l, &rr);
            if (l < a - c || rr > b + c || l > a + c || rr < b - c) {
                ok = false;
                break;
            }
        }
        if (!ok || d < mind)
            continue;
        /* the back is a wall across the whole front */
        int back = 0, vb = v + s * d;
        for (int x = a; x <= b; x++)
            back += !!wall[(ptrdiff_t)x * su + (ptrdiff_t)vb * sv];
        if (back < r->closet_back * len)
            continue;
        /* Ink across the front, within half a wall thickness
         * of it (a sliding door line, bifold leaves, arcs):
         * pockets with an open front are mostly nooks, strips
         * along a wall beside a door, counters. */
        int near = 0, kn = (thick + 1) / 2;
        for (int x = a; x <= b; x++)
            for (int k = -kn; k <= kn; k++) {
                int vv = v + k;
                if (vv < 0 || vv >= V)
                    continue;
                if (gray_uv(img, o, x, vv) <= level &&
                    !wall[(ptrdiff_t)x * su + (ptrdiff_t)vv * sv]) {
                    near++;
                    break;
                }
            }
        if (near < r->closet_ink * len)
            continue;
        /* a line through the walls at both ends is no door, nor a tile
         * grid's line that runs on from a wall's face */
        if ((line_runs_on(bar, img, level, su, sv, o, U, V, a - 1, v, -1, thick) &&
             line_runs_on(bar, img, level, su, sv, o, U, V, b + 1, v, 1, thick)) ||
            crossed_by_lines(img, level, o, v, a, b + 1, thick))
            continue;
        for (int x = a; x <= b; x++) {
            AT(x, v) = 255;
            wall[(ptrdiff_t)x * su + (ptrdiff_t)v * sv] = 255;
        }
        r->host->log(r->host, LOCDET_LOG_DEBUG,
                     "closet front %d %d %d %d, depth %d px, open on %d sides, ink %.2f",
                     o ? v : a, o ? a : v, o ? v : b, o ? b : v, d, open,
                     near / (double)len);
        break;
    }
#undef AT
}

/* The free runs of bar's columns that lie between two barrier pixels and
 * are minw .. maxw long (border columns left out, as in the rows), found by
 * column_runs: counted per column in a first pass, listed in a second, in
 * column order and down each column, the order of a column walk. */
typedef struct pocket_gaps {
    int32_t *count; /* per column; then where its gaps start in list */
    int32_t *last;  /* per column: the end of the run before, -1 when none */
    int32_t (*list)[2];
    int minw, maxw, w;
} pocket_gaps;

static void count_column_gap(void *ctx, int x, int start, int end)
{
    pocket_gaps *g = ctx;
    int len = start - g->last[x];
    if (g->last[x] >= 0 && len >= g->minw && len <= g->maxw && x > 0 && x < g->w - 1) {
        if (g->list) {
            int32_t *e = g->list[g->count[x]++];
            e[0] = g->last[x];
            e[1] = start - 1;
        } else {
            g->count[x]++;
        }
    }
    g->last[x] = end;
}

/* Closet fronts: a closet is a pocket of free space between two short wall
 * stubs (or a stub and a side wall) whose front is open to the room, drawn
 * as a thin line, door leaves or nothing. Row by row (o = 0; columns for
 * o = 1), a free run of bar between two barrier pixels is a front when the
 * row beyond it (toward -s) runs past a tip by more than a wall thickness
 * on closet_tips sides, and the rows behind it (toward +s) keep the same
 * extent (within a wall thickness: T-shaped caps) until a back wall
 * closet_shallow .. closet_depth t away (wall on closet_back of it), and
 * ink lies on closet_ink of the front: open pockets are mostly nooks and
 * counters. The front is painted into bar and wall: a wall, so that the
 * closet is a room and is never merged back across it. ext marks the
 * exterior (2) at pitch ep and offset eo; a front must face the interior.
 * Columns are read row by row (pocket_gaps) but tested in the order of a
 * column walk. */
int close_pockets(const rooms *r, const locdet_call *call, uint8_t *bar, uint8_t *wall,
                  const uint8_t *ext, int ep, int eo, const locdet_image *img, int level,
                  int w, int h, int thick)
{
    int maxw = (int)lround(r->closet_width * thick), minw = (int)lround(r->closet_narrow * thick);
    int maxd = (int)lround(r->closet_depth * thick), mind = (int)lround(r->closet_shallow * thick);
    if (maxw < 1 || maxd < 1)
        return LOCDET_OK;
    pocket_scan ps = {r, bar, wall, ext, ep, eo, img, level, thick, 0, w, h, 1, w, mind, maxd};
    /* rows */
    for (int v = 1; v < h - 1; v++) {
        const uint8_t *row = bar + (size_t)v * w;
        for (int u = 1; u < w - 1;) {
            if (row[u] || !row[u - 1]) {
                /* the rest of the run at once */
                size_t rest = (size_t)(w - 1 - u);
                u += (int)(row[u] ? nonzero_span(row + u, rest) : zero_span(row + u, rest));
                continue;
            }
            int a = u;
            u += (int)zero_span(row + u, (size_t)(w - u));
            int b = u - 1, len = b - a + 1;
            if (u >= w || len < minw || len > maxw)
                continue;
            try_closet_front(&ps, v, a, b);
        }
    }
    /* columns: the same free runs, in the same order (fronts painted in one
     * column do not change the runs of another) */
    int32_t *cols = call->scratch(call, 3 * (size_t)w * sizeof *cols);
    if (!cols)
        return LOCDET_ERR_NOMEM;
    pocket_gaps g = {cols, cols + w, NULL, minw, maxw, w};
    for (int pass = 0; pass < 2; pass++) {
        for (int x = 0; x < w; x++)
            g.last[x] = -1;
        if (pass == 1) {
            size_t n = 0;
            for (int x = 0; x < w; x++) {
                int32_t k = g.count[x];
                g.count[x] = (int32_t)n;
                n += (size_t)k;
            }
            if (!n)
                return LOCDET_OK;
            g.list = call->scratch(call, n * sizeof *g.list);
            if (!g.list)
                return LOCDET_ERR_NOMEM;
        } else {
            memset(g.count, 0, (size_t)w * sizeof *g.count);
        }
        column_runs(bar, w, h, cols + 2 * w, count_column_gap, &g);
    }
    ps = (pocket_scan){r, bar, wall, ext, ep, eo, img, level, thick, 1, h, w, w, 1, mind, maxd};
    /* count[x] is now where column x + 1's gaps start */
    for (int x = 1, i = g.count[0]; x < w - 1; x++)
        for (; i < g.count[x]; i++)
            try_closet_front(&ps, x, g.list[i][0], g.list[i][1]);
    return LOCDET_OK;
}
