/* rooms: doors found by their leaf and swing arc. Leaves that survive the
 * wall opening are dropped (step 3); corner doors are bridged (step 4);
 * closet doors between jambs are bridged and unmarked passages opened
 * (step 5). rooms.c has the whole pipeline. */
#include <math.h>
#include <stdlib.h>

#include "rooms.h"

/* a leaf drawn as a bar may run this many px past its swing's radius
 * (plangen apartment's 3-4 px bars: 2-3 px, corner to corner) */
#define LEAF_OVERRUN 4

/* a corner door's hinge may stand this many px inside the gap's end: a
 * leaf drawn along the wall across, a pixel off its face (plangen
 * small:89's closet, hatched:140 and 154) */
#define HINGE_INSET 1

/* Whether map (img's size) holds `value` within `reach` px of (x, y) */
static bool value_near(const uint8_t *map, const locdet_image *img, int x, int y, int reach,
                       uint8_t value)
{
    for (int dy = -reach; dy <= reach; dy++)
        for (int dx = -reach; dx <= reach; dx++) {
            int px = x + dx, py = y + dy;
            if (px >= 0 && py >= 0 && px < img->width && py < img->height &&
                map[(size_t)py * img->width + px] == value)
                return true;
        }
    return false;
}

/* Share of the quarter circle of radius |tip - hinge| around the hinge,
 * swung from the tip toward side `side` (+1 or -1), that has ink (at or
 * below `level`, ink_near). The middle 15-75 degrees only:
 * the ends touch the leaf and the wall. With walls (0 or 255, img's
 * size; NULL: none), a point within 1 px of a wall has no ink: a swing
 * arc is drawn across the floor, and a wall crossing the circle is no
 * arc. */
static double arc_ink(const locdet_image *img, int level, double hx, double hy, double tx,
                      double ty, int side, const uint8_t *walls)
{
    /* not hypot(): on aarch64 it binds GLIBC_2.35, newer than Lambda's */
    double len = sqrt((tx - hx) * (tx - hx) + (ty - hy) * (ty - hy));
    if (len < 1)
        return 0;
    double ux = (tx - hx) / len, uy = (ty - hy) / len, vx = -uy * side, vy = ux * side;
    int n = (int)(len * M_PI / 3); /* about 2 px apart along the arc */
    if (n > 48)
        n = 48;
    if (n < 6)
        n = 6;
    int hits = 0;
    for (int i = 0; i < n; i++) {
        double phi = (15 + 60.0 * (i + 0.5) / n) * M_PI / 180;
        int x = (int)lround(hx + len * (cos(phi) * ux + sin(phi) * vx));
        int y = (int)lround(hy + len * (cos(phi) * uy + sin(phi) * vy));
        hits += ink_near(img, x, y, level) && !(walls && value_near(walls, img, x, y, 1, 255));
    }
    return (double)hits / n;
}

/* ink_near, and no wall (cls 1) within 2 px: a wall's face is no leaf */
static bool ink_near_off_walls(const locdet_image *img, const uint8_t *cls, int x, int y,
                               int level)
{
    return !value_near(cls, img, x, y, 2, 1) && ink_near(img, x, y, level);
}

/* Share of the leaf of a door hinged at (hx, hy) that closes onto (tx, ty),
 * standing open at 90 degrees toward `side`, that has ink (ink_near; with
 * the class map cls, off the walls: ink_near_off_walls): the segment from
 * the hinge, 0.2 to 0.9 of the way. */
static double leaf_ink(const locdet_image *img, const uint8_t *cls, int level, double hx,
                       double hy, double tx, double ty, int side)
{
    double dx = tx - hx, dy = ty - hy, len = sqrt(dx * dx + dy * dy);
    if (len < 1)
        return 0;
    double vx = -dy / len * side, vy = dx / len * side;
    int n = (int)(len / 2);
    n = n < 4 ? 4 : n;
    int hits = 0;
    for (int i = 0; i < n; i++) {
        double f = len * (0.2 + 0.7 * (i + 0.5) / n);
        int x = (int)lround(hx + f * vx), y = (int)lround(hy + f * vy);
        hits += cls ? ink_near_off_walls(img, cls, x, y, level) : ink_near(img, x, y, level);
    }
    return (double)hits / n;
}

/* A door drawn across a gap along x (o = 0) or y (o = 1) on line v: hinged
 * at u = hinge, closing onto u = tip, standing open toward `side`. The ink
 * shares of its swing arc, of its leaf (the radius at 90 degrees) and of
 * the arc at 0.7 of the radius (inside the swing, clear for a door). The
 * leaf is measured first: under min_leaf (no door for any caller) the two
 * arcs are not measured and read 0. cls (the class map) or NULL: leaf_ink. */
typedef struct door_ink {
    double arc, leaf, inside;
} door_ink;

static door_ink door_drawn(const locdet_image *img, const uint8_t *cls, int level, int o,
                           double v, double hinge, double tip, int side, double min_leaf)
{
    double inner = hinge + 0.7 * (tip - hinge);
    double hx = o ? v : hinge, hy = o ? hinge : v, tx = o ? v : tip, ty = o ? tip : v;
    double ix = o ? v : inner, iy = o ? inner : v;
    door_ink d = {0, leaf_ink(img, cls, level, hx, hy, tx, ty, side), 0};
    if (d.leaf < min_leaf)
        return d;
    d.arc = arc_ink(img, level, hx, hy, tx, ty, side, NULL);
    d.inside = arc_ink(img, level, hx, hy, ix, iy, side, NULL);
    return d;
}

/* How far a door's leaf reaches from its hinge (as door_drawn places
 * them: the leaf at 90 degrees toward `side`), up to max px: the last
 * pixel with ink near it, gaps of 2 px bridged; 0 when none. */
static int leaf_reach(const locdet_image *img, int level, int o, double v, double hinge,
                      double tip, int side, int max)
{
    double hx = o ? v : hinge, hy = o ? hinge : v;
    double dx = o ? 0 : tip - hinge, dy = o ? tip - hinge : 0;
    double len = fabs(tip - hinge);
    if (len < 1)
        return 0;
    double vx = -dy / len * side, vy = dx / len * side;
    int last = 0;
    for (int f = 1; f <= max && f - last <= 3; f++)
        if (ink_near(img, (int)lround(hx + f * vx), (int)lround(hy + f * vy), level))
            last = f;
    return last;
}

/* Whether door_drawn's door is there for the jamb and corner doors:
 * leaf and swing arc inked on `share`, inside the swing clear (under half
 * that). */
static bool door_shown(door_ink d, double share)
{
    return d.leaf >= share && d.arc >= share && d.inside < share / 2;
}

/* Whether a thin wall (thin: not in thick; not piece c of labels) lies on
 * the line from hinge (hx, hy) through tip (tx, ty), within `band` px of
 * it, past the tip by up to the line's length: the thin wall across a door
 * from a thin wall piece beside it. */
static bool wall_beyond(const locdet_image *walls, const uint8_t *thick,
                        const locdet_labeling *labels, int32_t c, int hx, int hy, int tx, int ty,
                        int band)
{
    double dx = tx - hx, dy = ty - hy, len = sqrt(dx * dx + dy * dy);
    if (len < 1)
        return false;
    double ux = dx / len, uy = dy / len;
    for (int f = 2; f <= (int)len; f++)
        for (int b = -band; b <= band; b++) {
            int x = (int)lround(tx + f * ux - b * uy), y = (int)lround(ty + f * uy + b * ux);
            if (x >= 0 && y >= 0 && x < walls->width && y < walls->height &&
                walls->data[(size_t)y * walls->width + x] &&
                !thick[(size_t)y * walls->width + x] &&
                labels->labels[(ptrdiff_t)y * labels->stride + x] != c)
                return true;
        }
    return false;
}

/* Open doors are drawn as a leaf (a straight stroke from the hinge, as long
 * as the door is wide) and a thin swing arc from its tip back to the wall.
 * A leaf drawn two pen widths thick survives the opening when walls are
 * only a few px thick, and then acts as a wall: it sources false bridges
 * and cuts rooms. Thin wall pieces (nowhere `core` px thick) 2 t to
 * door_ratio t long that end on a thick wall at one end only and have ink on
 * `min_arc` of either quarter circle around that end are leaves; they are
 * cleared from walls. The arc of a bar along x or y is also looked for
 * up to LEAF_OVERRUN px inside its tip, unless a thin wall lies on its
 * line past the tip (wall_beyond). thick_walls: the walls opened by
 * `core`. */
int drop_door_leaves(const rooms *r, const locdet_call *call, const locdet_image *walls,
                     const uint8_t *thick_walls, const locdet_image *img, int light,
                     int thick, int core, double min_arc)
{
    const locdet_kernel_api *k = r->host->kernels;
    int w = walls->width, h = walls->height, rc;
    /* thin: the walls outside the thick ones */
    uint8_t *thin = call->scratch(call, (size_t)w * (size_t)h);
    if (!thin)
        return LOCDET_ERR_NOMEM;
    const uint8_t *wd = walls->data, *td = thick_walls;
    for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
        thin[i] = wd[i] & ~td[i];
    locdet_image thin_img = {thin, w, h, w};
    locdet_labeling tl;
    if ((rc = k->label(k->table, &thin_img, 8, r->host->threads, &tl)))
        return rc;
    for (int32_t c = 1; c < tl.count; c++) {
        const locdet_component *st = &tl.stats[c];
        int span = st->width > st->height ? st->width : st->height;
        /* as long as a door is wide (a longer thin line is no leaf, and
         * the scans below stay within a door's square), and thin */
        if (span < 2 * thick || span > r->door_ratio * thick ||
            (double)st->area > 1.5 * core * span)
            continue;
        /* ends: the pixel farthest from the box centre, then the one
         * farthest from it */
        double bx = st->left + st->width / 2.0, by = st->top + st->height / 2.0;
        int ex[2] = {0, 0}, ey[2] = {0, 0};
        for (int pass = 0; pass < 2; pass++) {
            double best = -1, ox = pass ? ex[0] : bx, oy = pass ? ey[0] : by;
            for (int y = st->top; y < st->top + st->height; y++)
                for (int x = st->left; x < st->left + st->width; x++) {
                    if (tl.labels[(ptrdiff_t)y * tl.stride + x] != c)
                        continue;
                    double d = (x - ox) * (x - ox) + (y - oy) * (y - oy);
                    if (d > best) {
                        best = d;
                        ex[pass] = x;
                        ey[pass] = y;
                    }
                }
        }
        /* which end touches a thick wall */
        bool touch[2] = {false, false};
        for (int e = 0; e < 2; e++)
            for (int dy = -2; dy <= 2 && !touch[e]; dy++)
                for (int dx = -2; dx <= 2 && !touch[e]; dx++) {
                    int x = ex[e] + dx, y = ey[e] + dy;
                    touch[e] = x >= 0 && y >= 0 && x < w && y < h && td[(size_t)y * w + x];
                }
        if (touch[0] && touch[1])
            continue; /* a thin wall between two walls */
        bool leaf = false;
        /* a bar along x or y (a leaf open square to its wall); a diagonal
         * piece overrunning its arc was a floor hatch's line from a jamb */
        bool square = st->width <= 2 * core || st->height <= 2 * core;
        for (int e = 0; e < 2 && !leaf; e++) {
            if (touch[1 - e] && !touch[e])
                continue; /* the hinge is the touching end */
            double lx = ex[1 - e] - ex[e], ly = ey[1 - e] - ey[e];
            double len = sqrt(lx * lx + ly * ly);
            /* A bar may run past its swing: the arc is looked for inside
             * its tip too, unless a thin wall lies on its line past the
             * tip (it is then a closet front's piece beside the door) */
            int overrun = square && !wall_beyond(walls, td, &tl, c, ex[e], ey[e], ex[1 - e],
                                                 ey[1 - e], core)
                              ? LEAF_OVERRUN
                              : 0;
            for (int over = 0; over <= overrun && !leaf && len > 2 * over; over++) {
                double f = (len - over) / len, tx = ex[e] + f * lx, ty = ey[e] + f * ly;
                for (int side = -1; side <= 1 && !leaf; side += 2)
                    /* and the swing inside the arc is clear (not a hatched
                     * or filled area, where every circle has ink). The
                     * arc is read off the walls: around a thin wall's end
                     * (plangen diagonal:148's, between a bedroom and a
                     * bath), a closet's thin walls and another door's
                     * swing arc inked 0.62 of its circle, and the wall
                     * was cleared as a leaf. */
                    leaf = arc_ink(img, light, ex[e], ey[e], tx, ty, side, wd) >= min_arc &&
                           arc_ink(img, light, ex[e], ey[e], ex[e] + 0.7 * (tx - ex[e]),
                                   ey[e] + 0.7 * (ty - ey[e]), side, NULL) < min_arc / 2;
            }
        }
        if (!leaf)
            continue;
        call->host->log(call->host, LOCDET_LOG_DEBUG, "door leaf %d %d - %d %d", ex[0], ey[0],
                        ex[1], ey[1]);
        for (int y = st->top; y < st->top + st->height; y++)
            for (int x = st->left; x < st->left + st->width; x++)
                if (tl.labels[(ptrdiff_t)y * tl.stride + x] == c)
                    walls->data[(size_t)y * w + x] = 0;
    }
    k->labeling_free(&tl);
    return LOCDET_OK;
}

/* A window of the image that flood_free searches. */
typedef struct flood_box {
    int x0, y0, width, height;
} flood_box;

/* Floods from (x, y) the free pixels of bar (0, w px a row) 4-connected to
 * it within box b, marking them in seen (b's size; queue holds as many
 * entries). Exterior pixels (ext 2, at pitch ep and offset eo) end the
 * flood when stop_outside (it returns true), else are not entered. */
static bool flood_free(const uint8_t *bar, int w, const uint8_t *ext, int ep, int eo,
                       const flood_box *b, int x, int y, bool stop_outside, uint8_t *seen,
                       int32_t *queue)
{
    memset(seen, 0, (size_t)b->width * (size_t)b->height);
    int32_t head = 0, tail = 0;
    queue[tail++] = (y - b->y0) * b->width + (x - b->x0);
    seen[queue[0]] = 1;
    while (head < tail) {
        int32_t i = queue[head++];
        int qx = b->x0 + i % b->width, qy = b->y0 + i / b->width;
        bool outside = ext[(ptrdiff_t)(qy + eo) * ep + qx + eo] == 2;
        if (outside && stop_outside)
            return true;
        static const int dx[4] = {1, -1, 0, 0}, dy[4] = {0, 0, 1, -1};
        for (int k = 0; k < 4; k++) {
            int nx = qx + dx[k], ny = qy + dy[k];
            if (nx < b->x0 || nx >= b->x0 + b->width || ny < b->y0 || ny >= b->y0 + b->height)
                continue;
            int32_t j = (ny - b->y0) * b->width + (nx - b->x0);
            if (seen[j] || bar[(size_t)ny * w + nx] ||
                (!stop_outside && ext[(ptrdiff_t)(ny + eo) * ep + nx + eo] == 2))
                continue;
            seen[j] = 1;
            queue[tail++] = j;
        }
    }
    return false;
}

/* Whether the free space of bar (0) 4-connected to (x0, y0) reaches the
 * exterior (ext 2, at pitch ep and offset eo) within sc->reach px of it
 * both ways: what lies behind a door is the outside. */
static bool reaches_exterior(const uint8_t *bar, const uint8_t *ext, int ep, int eo, int w,
                             int h, int x0, int y0, const reach_scratch *sc)
{
    int reach = sc->reach;
    int left = x0 - reach > 0 ? x0 - reach : 0, top = y0 - reach > 0 ? y0 - reach : 0;
    int right = x0 + reach < w - 1 ? x0 + reach : w - 1;
    int bottom = y0 + reach < h - 1 ? y0 + reach : h - 1;
    flood_box b = {left, top, right - left + 1, bottom - top + 1};
    return flood_free(bar, w, ext, ep, eo, &b, x0, y0, true, sc->seen, sc->queue);
}

/* Closet doors between jambs: a closet entered from its short end, or
 * beside a stub too short for the collinear bridges, is too narrow for the
 * bridges along any wall (the closing fills it across). Row by row
 * (columns for o = 1), a free run of bar jamb_narrow .. door_across t long
 * is such a door when its row is the jamb's tip (the barrier at one of
 * its ends stops right beyond it), the rows beyond it (toward -s) run more
 * than t past it within t (the room, not exterior), the rows behind keep
 * its extent
 * and then widen within 2 t (the jamb stubs stick out: a door is narrower
 * than the space behind it), that space stays within 3 t of the door on
 * both sides up to a wall jamb_depth t away at most (a closet, not a
 * corridor) or reaches the exterior (an entrance: reaches_exterior, when
 * sc->call is set), and a door is drawn on it: hinged at either end, on
 * either face of the jamb, toward either side, its leaf (the radius at 90
 * degrees) and its swing arc inked on jamb_arc, inside the arc clear (a
 * closet's door may be narrower: hinged a few px inside the run, as wide as
 * its leaf is long). The run is painted into bar (a bridge). This is the
 * test for the free run a..b of line v (along x for o = 0, along y for
 * o = 1); close_jambs finds the runs. */
static void jamb_run(const rooms *r, uint8_t *bar, const uint8_t *ext, int ep, int eo,
                     const locdet_image *img, int level, int w, int h, int thick, int o, int a,
                     int b, int v, reach_scratch *sc)
{
    if (sc->failed)
        return;
    int U = o ? h : w, V = o ? w : h, c = thick, maxd = (int)lround(r->jamb_depth * thick);
    ptrdiff_t su = o ? w : 1, sv = o ? 1 : w;
#define AT(u, v) bar[(ptrdiff_t)(u) * su + (ptrdiff_t)(v) * sv]
    int m = (a + b) / 2;
    for (int s = -1; s <= 1; s += 2) {
        int vo = v - s;
        /* v is the jamb's tip: the barrier at one end stops beyond it */
        if (vo < 0 || vo >= V || AT(m, vo) || (AT(a - 1, vo) && AT(b + 1, vo)))
            continue;
        int ex = o ? ext[(ptrdiff_t)(m + eo) * ep + vo + eo]
                   : ext[(ptrdiff_t)(vo + eo) * ep + m + eo];
        if (ex == 2)
            continue;
        /* beyond, within a wall thickness: the room */
        bool open = false;
        for (int e = 1; e <= c && !open; e++) {
            int lo, hi, ve = v - s * e;
            if (ve < 0 || ve >= V || AT(m, ve))
                break;
            free_extent(bar, su, sv, U, m, ve, a - c, b + c, &lo, &hi);
            open = lo < a - c || hi > b + c;
        }
        if (!open)
            continue;
        /* behind: the jamb (same extent), then wider */
        int d = 1, inner = 0;
        for (; d <= 2 * c; d++) {
            int vv = v + s * d;
            if (vv < 0 || vv >= V || AT(m, vv))
                break;
            int l, rr;
            free_extent(bar, su, sv, U, m, vv, a - 2, b + 2, &l, &rr);
            if (l < a - 1 || rr > b + 1) {
                inner = d;
                break;
            }
            if (l > a + 1 || rr < b - 1)
                break;
        }
        if (!inner)
            continue;
        /* behind the jamb a closet: no wider than 3 t past the
         * door on either side, a back wall within jamb_depth t */
        for (d = inner; d <= maxd; d++) {
            int vv = v + s * d;
            if (vv < 0 || vv >= V || AT(m, vv))
                break;
            int l, rr;
            free_extent(bar, su, sv, U, m, vv, a - 3 * c, b + 3 * c, &l, &rr);
            if (l < a - 3 * c || rr > b + 3 * c)
                break;
        }
        int vb = v + s * d;
        bool closet = d <= maxd && vb >= 0 && vb < V && AT(m, vb);
        if (!closet && !sc->call)
            continue;
        /* the swing: hinged at either end, on the jamb's outer
         * face (row v) or inner face, toward either side */
        double best = 0;
        for (int e = 0; e < 2 && best < r->jamb_arc; e++) {
            int vf = e ? v + s * (inner - 1) : v;
            for (int hinge = 0; hinge < 2; hinge++) {
                double hu = hinge ? b + 0.5 : a - 0.5, tu = hinge ? a - 0.5 : b + 0.5;
                for (int side = -1; side <= 1; side += 2) {
                    /* the arc inked, inside it clear, the leaf inked */
                    door_ink d = door_drawn(img, NULL, level, o, vf, hu, tu, side, r->jamb_arc);
                    /* or a narrower door, as wide as its leaf is long: the
                     * far jamb, shorter than a wall is thick, did not
                     * survive the opening (which may also have cut this
                     * one's tip short by a pixel or three: the hinge
                     * then lies inside the run) */
                    double toward = tu > hu ? 1 : -1; /* from the hinge into the run */
                    int narrowest = (int)lround(r->jamb_narrow * thick);
                    for (int shift = 0; closet && shift <= 3 && !door_shown(d, r->jamb_arc);
                         shift++) {
                        double hs = hu + toward * shift;
                        int reach = leaf_reach(img, level, o, vf, hs, tu, side, b - a);
                        /* the reach overshoots by the neighbourhood and
                         * where the arc starts */
                        for (int leaf = reach; leaf >= reach - 3 && !door_shown(d, r->jamb_arc);
                             leaf--)
                            if (leaf >= narrowest && leaf < b - a)
                                d = door_drawn(img, NULL, level, o, vf, hs, hs + toward * leaf,
                                               side, r->jamb_arc);
                    }
                    if (door_shown(d, r->jamb_arc))
                        best = d.arc > best ? d.arc : best;
                }
            }
        }
        if (best < r->jamb_arc)
            continue;
        /* or, behind the jamb, the outside: an entrance (a room is never
         * open to the exterior, whatever stands outside its door) */
        int bu = m, bv = v + s * inner;
        if (!closet && !sc->seen) {
            sc->seen = sc->call->scratch(sc->call, sc->box);
            sc->queue = sc->call->scratch(sc->call, sc->box * sizeof *sc->queue);
            if (!sc->seen || !sc->queue) {
                sc->failed = true;
                return;
            }
        }
        if (!closet && !reaches_exterior(bar, ext, ep, eo, w, h, o ? bv : bu, o ? bu : bv, sc))
            continue;
        for (int x = a; x <= b; x++)
            AT(x, v) = 255;
        r->host->log(r->host, LOCDET_LOG_DEBUG,
                     "%s door %d %d %d %d, jamb %d px, arc %.2f", closet ? "jamb" : "entrance",
                     o ? v : a, o ? a : v, o ? v : b, o ? b : v, inner, best);
        break;
    }
#undef AT
}

void close_jambs(const rooms *r, uint8_t *bar, const uint8_t *ext, int ep, int eo,
                 const locdet_image *img, int level, int w, int h, int thick,
                 reach_scratch *sc)
{
    int maxw = (int)lround(r->door_across * thick), minw = (int)lround(r->jamb_narrow * thick);
    if (r->jamb_arc <= 0 || maxw < 2)
        return;
    minw = minw > 2 ? minw : 2;
    /* rows: free runs between barrier pixels, skipped a word at a time */
    for (int y = 1; y < h - 1; y++) {
        uint8_t *row = bar + (size_t)y * w;
        int x = (int)nonzero_span(row, (size_t)w);
        while (x < w) {
            int a = x;
            x += (int)zero_span(row + x, (size_t)(w - x));
            int len = x - a;
            if (a > 0 && x < w && len >= minw && len <= maxw)
                jamb_run(r, bar, ext, ep, eo, img, level, w, h, thick, 0, a, x - 1, y, sc);
            x += (int)nonzero_span(row + x, (size_t)(w - x));
        }
    }
    /* columns: each run ends on a barrier pixel whose upper neighbour is
     * free; from there up (words without such a pixel skipped: barrier
     * pixels are 0 or 255) */
    for (int y = 2; y < h; y++) {
        const uint8_t *row = bar + (size_t)y * w, *up = row - w;
        for (int x = 1; x < w - 1; x++) {
            uint64_t rw, uw;
            if (x + 8 <= w - 1 && (memcpy(&rw, row + x, 8), memcpy(&uw, up + x, 8), !(rw & ~uw))) {
                x += 7;
                continue;
            }
            if (!row[x] || up[x] || y - minw < 1 || bar[(size_t)(y - minw) * w + x])
                continue;
            int a = y - 1;
            while (a > 0 && y - a <= maxw && !bar[(size_t)(a - 1) * w + x])
                a--;
            int len = y - a;
            if (a > 0 && len >= minw && len <= maxw)
                jamb_run(r, bar, ext, ep, eo, img, level, w, h, thick, 1, a, y - 1, x, sc);
        }
    }
}

/* Whether door_drawn's door hinged at hu, closing onto tu along x (o = 0)
 * or y (o = 1), stands on either face of the lines first .. last (half a
 * pixel outside either) toward either side: door_shown on `share`; cls
 * as door_drawn. */
static bool door_on_either_face(const locdet_image *img, const uint8_t *cls, int level, int o,
                                int first, int last, double hu, double tu, double share)
{
    for (int e = 0; e < 2; e++) {
        double v = e ? last + 0.5 : first - 0.5;
        for (int side = -1; side <= 1; side += 2)
            if (door_shown(door_drawn(img, cls, level, o, v, hu, tu, side, share), share))
                return true;
    }
    return false;
}

/* A door between a wall's end and the wall across its line (a door beside
 * a corner): the gap from position a to b (inclusive, along the lines
 * first .. last of the wall's end) is a door when one is drawn over it,
 * hinged at either end on either face of the wall (half a pixel outside
 * the first or the last line), swinging to either side: leaf and arc
 * inked (jamb_arc), inside the swing clear. */
static bool corner_door_drawn(const rooms *r, const locdet_image *img, int level, int o,
                              int first, int last, int a, int b)
{
    for (int hinge = 0; hinge < 4; hinge++) {
        /* the swing may reach a pixel or two past the wall's end */
        double hu = hinge & 1 ? b + 0.5 : a - 0.5, tu = hinge & 1 ? a - 0.5 : b + 0.5;
        tu += (hinge & 1 ? -1.5 : 1.5) * (hinge >> 1);
        /* not with a swing past the wall's end as well: two slacks at
         * once read a section mark's lines as a door (nogt A-190A) */
        for (int in = 0; in <= (hinge >> 1 ? 0 : HINGE_INSET); in++)
            if (door_on_either_face(img, NULL, level, o, first, last,
                                    hu + (hinge & 1 ? -in : in), tu, r->jamb_arc))
                return true;
    }
    return false;
}

/* Whether a door is drawn over the opening a..b (inclusive) along x (o = 0)
 * or y (o = 1) of a bridge lying on lines v0 .. v1: hinged at either end
 * on either face of the bridge, swinging to either side, as wide as the
 * opening or half as wide (a pair of leaves): leaf and arc inked on
 * `share`, inside the swing clear (door_shown). With the class map cls
 * (0 free, 1 wall, 2 bridge, 3 exterior) the leaf is read off the walls'
 * faces; NULL: anywhere. */
bool opening_door_drawn(const locdet_image *img, const uint8_t *cls, int level, int o, int v0,
                        int v1, int a, int b, double share)
{
    for (int hinge = 0; hinge < 4; hinge++) {
        double hu = hinge & 1 ? b + 0.5 : a - 0.5, tu = hinge & 1 ? a - 0.5 : b + 0.5;
        if (hinge >> 1)
            tu = (a + b) / 2.0;
        if (door_on_either_face(img, cls, level, o, v0, v1, hu, tu, share))
            return true;
    }
    return false;
}

static int cmp_corner_gap(const void *pa, const void *pb)
{
    const corner_gap *p = pa, *q = pb;
    if (p->rev != q->rev)
        return p->rev ? 1 : -1;
    if (p->l != q->l)
        return p->l < q->l ? -1 : 1;
    return (p->a > q->a) - (p->a < q->a);
}

/* The lines of one orientation (o = 0: rows, 1: columns), read forward or,
 * rev, from the far end: pixel p of line l. */
typedef struct corner_lines {
    ptrdiff_t sl, sp;
    int P;
} corner_lines;

static inline ptrdiff_t corner_at(const corner_lines *cl, bool rev, int l, int p)
{
    return (ptrdiff_t)l * cl->sl + (ptrdiff_t)(rev ? cl->P - 1 - p : p) * cl->sp;
}

/* The gap after a wall's end at pixel p of line l (read as rev says): a
 * wall run at least `along` long ends at p, bridge stubs (a wall's face
 * closed over) up to t, a free gap of minw to maxw, stubs again and a wall
 * across. Its extent a..b (stubs included) into *g; false if none. */
static bool corner_gap_at(const corner_lines *cl, const uint8_t *walls, const uint8_t *bar,
                          bool rev, int l, int p, int thick, int along, int minw, int maxw,
                          corner_gap *g)
{
    int P = cl->P;
#define AT(img_, p_) (img_)[corner_at(cl, rev, l, (p_))]
    /* the run's far end first: most ends are a wall's side */
    if (p - (along - 1) < 0 || !AT(walls, p - (along - 1)))
        return false;
    for (int back = 1; back < along; back++)
        if (!AT(walls, p - back))
            return false;
    int s0 = p + 1;
    while (s0 < P && AT(bar, s0) && s0 - p <= thick)
        s0++;
    if (s0 >= P || AT(bar, s0))
        return false;
    int q = s0;
    while (q < P && !AT(bar, q) && q - s0 <= maxw)
        q++;
    int e = q;
    while (e < P && AT(bar, e) && !AT(walls, e) && e - q <= thick)
        e++;
    if (q >= P || q - s0 < minw || q - s0 > maxw || e >= P || !AT(walls, e))
        return false;
#undef AT
    *g = (corner_gap){l, p + 1, e - 1, 0, rev, false};
    return true;
}

/* An undrawn door at a corridor's end (corridor_end_at): the corridor is
 * CORRIDOR_MIN t wide or more (no wider than door_across t), runs on past
 * the gap for CORRIDOR_RUN gaps, and the room beside it is CORRIDOR_ROOM
 * gaps across or more. */
#define CORRIDOR_MIN 4
#define CORRIDOR_RUN 1.5
#define CORRIDOR_ROOM 2.5

/* Whether a wall pixel lies on line l within n px of position p, stepping
 * by `step` (+-1) along the line. */
static bool wall_within(const uint8_t *walls, const corner_lines *cl, int l, int p, int step,
                        int n)
{
    for (int j = 0; j < n; j++, p += step)
        if (p >= 0 && p < cl->P && walls[corner_at(cl, false, l, p)])
            return true;
    return false;
}

/* Whether the gap a..b (inclusive) after the end of a wall on lines
 * first .. last (n_lines of them; toward increasing positions unless rev)
 * is the end of a corridor at a room's corner, with no door drawn:
 *  - the wall runs 0.9 of the gap's length back from its end (a room's
 *    wall, not a stair's divider a corridor turns round);
 *  - a wall runs off its end to one side only (the corridor's wall: on 0.9
 *    of the 2 t lines past that side, within t of the end), and the other
 *    face is free (0.9) for t lines and the gap's length back;
 *  - the space off that face runs CORRIDOR_ROOM gaps (`wide` px at least)
 *    across, up to a wall, on a line a quarter, half or three quarters of
 *    the gap back (0.9 of it: a symbol may stand there): a room, not a
 *    corridor turning round the wall's end;
 *  - the corridor runs on past the gap for CORRIDOR_RUN gaps (2 t at
 *    least), free along its middle and on 0.8 of its width (a room's notch
 *    beside a closet is as deep as it is wide);
 *  - the wall across the gap runs on past both faces (0.9 of the lines: 2
 *    t on the corridor's side, t on the room's, where a window may start).
 * nogt example4: a bedroom's undrawn door at the end of a hall no wider
 * than a door, where the bridges along walls fill the whole hall between
 * its two walls and so keep none of it. */
static bool corridor_end_at(const uint8_t *walls, const uint8_t *bar, const corner_lines *cl,
                            int n_lines, int first, int last, int a, int b, bool rev, int thick,
                            int wide)
{
    int dir = rev ? -1 : 1, pe = rev ? b + 1 : a - 1, across = rev ? a - 1 : b + 1;
    int gap = b - a + 1, reach = 2 * thick, P = cl->P;
#define FREE(l_, p_) (!bar[corner_at(cl, false, (l_), (p_))])
    if (first - reach < 0 || last + reach >= n_lines || pe - dir * gap < 0 ||
        pe - dir * gap >= P)
        return false;
    int run = 0;
    for (int j = 0; j <= gap; j++)
        run += wall_within(walls, cl, (first + last) / 2, pe - dir * j, dir, 1);
    if (run < 0.9 * (gap + 1))
        return false;
    bool walled[2], open[2];
    for (int s = 0; s < 2; s++) {
        int runs = 0, free_face = 0;
        for (int k = 1; k <= reach; k++) {
            int l = s ? last + k : first - k;
            runs += wall_within(walls, cl, l, pe, -dir, thick);
            for (int j = 0; k <= thick && j <= gap; j++)
                free_face += FREE(l, pe - dir * j);
        }
        walled[s] = runs >= 0.9 * reach;
        open[s] = free_face >= 0.9 * thick * (gap + 1);
    }
    if (walled[0] == walled[1] || !open[walled[0] ? 1 : 0])
        return false;
    int side = walled[0] ? 0 : 1; /* the corridor's side: 1 past last */
    double room_px = CORRIDOR_ROOM * gap > wide ? CORRIDOR_ROOM * gap : wide;
    bool room = false;
    for (int q = 1; q <= 3 && !room; q++) {
        int back = pe - dir * (q * gap / 4), free_run = 0;
        for (int k = 1, solid = 0; k <= room_px && solid < thick; k++) {
            int l = side ? first - k : last + k;
            bool free_px = l >= 0 && l < n_lines && FREE(l, back);
            free_run += free_px;
            solid = free_px ? 0 : solid + 1;
        }
        room = free_run >= 0.9 * room_px;
    }
    if (!room)
        return false;
    int corridor = 0, run_on = (int)lround(CORRIDOR_RUN * gap);
    run_on = run_on > reach ? run_on : reach;
    for (int k = 1; k <= run_on; k++) {
        int l = side ? last + k : first - k;
        if (l < 0 || l >= n_lines || !FREE(l, (a + b) / 2))
            return false;
        for (int p = a; p <= b; p++)
            corridor += FREE(l, p);
    }
    if (corridor < 0.8 * run_on * gap)
        return false;
#undef FREE
    int on = 0, l0 = first - (side ? thick : reach), l1 = last + (side ? reach : thick);
    for (int l = l0; l <= l1; l++)
        on += wall_within(walls, cl, l, across, dir, thick);
    return on >= 0.9 * (l1 - l0 + 1);
}

/* Doors beside a corner: a wall at least 2 t + 1 long ends, and its line
 * runs free for 2 t to corner_door t to another wall. The bridges along a
 * wall reach door_across t only (a longer reach closes corridors); with a
 * door drawn over the gap (leaf and swing arc) it is bridged on every line
 * of the wall's end, and so is a gap of CORRIDOR_MIN to door_across t with
 * none drawn at a corridor's end (corridor_end_at, listed in ends). o = 0:
 * horizontal walls (gaps along rows), 1: vertical ones. The wall ends,
 * toward either side, are found row by row (a word of 8 pixels at a time
 * where none ends), the gaps of consecutive lines within 2 px of each
 * other are one wall's end, and the door is looked for once per end. gaps:
 * room for cap of them; past that the rest are not looked at. */
void close_corner_doors(const rooms *r, const uint8_t *walls, uint8_t *bar,
                        const locdet_image *img, int level, int w, int h, int thick,
                        int widest, int o, corner_gap *gaps, size_t cap, corridor_ends *ends)
{
    /* a wall's end spans its thickness: half t to S + 2 lines (a diagonal
     * wall's rows end a few pixels apart, a block's face runs on) */
    int min_lines = thick / 2 > 2 ? thick / 2 : 2, max_lines = widest + 2;
    int along = 2 * thick + 1, minw = 2 * thick;
    int maxw = (int)lround(r->corner_door * thick);
    int undrawn = (int)lround(r->door_across * thick);
    corner_lines cl = {o ? 1 : w, o ? w : 1, o ? h : w};
    ptrdiff_t step = cl.sp; /* the next pixel along a line, in raw offsets */
    size_t n = 0;
    int x_end = o ? w : w - 1;
    for (int y = o ? 1 : 0; y < (o ? h - 1 : h) && n + 2 <= cap; y++) {
        const uint8_t *row = walls + (size_t)y * w;
        for (int x = o ? 0 : 1; x < x_end && n + 2 <= cap; x++) {
            /* paper a word at a time, then wall inside other wall */
            if (!row[x]) {
                x += (int)zero_span(row + x, (size_t)(x_end - x)) - 1;
                continue;
            }
            uint64_t cur, after, before;
            if (x + 9 <= w && (memcpy(&cur, row + x, 8), memcpy(&after, row + x + step, 8),
                               memcpy(&before, row + x - step, 8), !(cur & ~(after & before)))) {
                x += 7;
                continue;
            }
            int l = o ? x : y, p = o ? y : x;
            ptrdiff_t reach = (ptrdiff_t)(along - 1) * step;
            /* ends toward the line's far end, then toward its start; most
             * are a wall's side, with no wall `along` back */
            if (!row[x + step] && p >= along - 1 && row[x - reach] &&
                corner_gap_at(&cl, walls, bar, false, l, p, thick, along, minw, maxw, &gaps[n]))
                n++;
            if (!row[x - step] && p + along - 1 < cl.P && row[x + reach] &&
                corner_gap_at(&cl, walls, bar, true, l, cl.P - 1 - p, thick, along, minw, maxw,
                              &gaps[n]))
                n++;
        }
    }
    qsort(gaps, n, sizeof *gaps, cmp_corner_gap);
    /* groups: a gap continues one on the line before (same direction)
     * whose group's first gap it matches within 2 px */
    size_t prev = 0, cur = 0; /* the first gaps of the line before, of this line */
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || gaps[i].l != gaps[i - 1].l || gaps[i].rev != gaps[i - 1].rev) {
            prev = i > 0 && gaps[i - 1].rev == gaps[i].rev && gaps[i - 1].l == gaps[i].l - 1
                       ? cur
                       : i;
            cur = i;
        }
        gaps[i].first = (int32_t)i;
        for (size_t j = prev; j < cur; j++) {
            const corner_gap *f = &gaps[gaps[j].first];
            if (!gaps[j].continued && abs(gaps[i].a - f->a) <= 2 && abs(gaps[i].b - f->b) <= 2) {
                gaps[j].continued = true;
                gaps[i].first = gaps[j].first;
                break;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (gaps[i].continued)
            continue;
        const corner_gap *f = &gaps[gaps[i].first];
        int first = f->l, last = gaps[i].l, lines = last - first + 1;
        int da = f->rev ? cl.P - 1 - f->b : f->a, db = f->rev ? cl.P - 1 - f->a : f->b;
        if (lines < min_lines || lines > max_lines)
            continue;
        bool corridor = false;
        if (!corner_door_drawn(r, img, level, o, first, last, da, db)) {
            int gap = db - da + 1;
            corridor = gap <= undrawn && gap >= CORRIDOR_MIN * thick &&
                       corridor_end_at(walls, bar, &cl, o ? w : h, first, last, da, db, f->rev,
                                       thick, undrawn);
            if (!corridor)
                continue;
        }
        for (int k = first; k <= last; k++)
            for (int p = da; p <= db; p++)
                bar[corner_at(&cl, false, k, p)] = 255;
        if (corridor && ends->n < ends->cap)
            ends->box[ends->n++] = o ? (corridor_box){first, da, last, db}
                                     : (corridor_box){da, first, db, last};
        r->host->log(r->host, LOCDET_LOG_DEBUG, "%s %s %d-%d, %d-%d",
                     corridor ? "corridor end" : "corner door", o ? "column" : "row", first, last,
                     da, db);
    }
}

/* A bridge across a corridor (between two of its walls' junctions with
 * walls lined up across it) is no door: the walls it ends on run on along
 * both its sides. Such a bridge from CROSSING_SHARE of `passage` t long is
 * opened like a passage. */
#define CROSSING_SHARE 0.5

/* Whether the walls at both ends of bridge st (along x when horiz) run on
 * along both its sides for 2 t: barrier, wall or bridge (a door in the
 * wall beside the junction), on 0.9 of the 2 t px past each side, on a
 * line beyond each end within `face` + 2 px of it (st lies `face` px off
 * the walls' faces). bar: the barrier, which holds every wall pixel. */
static bool crosses_corridor(const uint8_t *bar, int w, int h, const locdet_component *st,
                             bool horiz, int thick, int face)
{
    int reach = 2 * thick;
    int lo = horiz ? st->top : st->left, hi = lo + (horiz ? st->height : st->width);
    int end0 = horiz ? st->left - 1 : st->top - 1;
    int end1 = horiz ? st->left + st->width : st->top + st->height;
    int n_along = horiz ? h : w, n_lines = horiz ? w : h;
    if (lo - reach < 0 || hi + reach > n_along)
        return false;
    for (int e = 0; e < 2; e++) {
        bool runs_on = false;
        for (int d = 0; d <= face + 2 && !runs_on; d++) {
            int line = e ? end1 + d : end0 - d;
            if (line < 0 || line >= n_lines)
                break;
            int before = 0, after = 0;
            for (int k = 1; k <= reach; k++) {
                size_t b = horiz ? (size_t)(lo - k) * w + line : (size_t)line * w + lo - k;
                size_t a = horiz ? (size_t)(hi - 1 + k) * w + line : (size_t)line * w + hi - 1 + k;
                before += bar[b] != 0;
                after += bar[a] != 0;
            }
            runs_on = before >= 0.9 * reach && after >= 0.9 * reach;
        }
        if (!runs_on)
            return false;
    }
    return true;
}

/* Whether a door leaf stands at an angle over an opening along x (horiz)
 * or y between the wall ends u0 and u1 (px centres -0.5), whose centre
 * line is v and faces v -+ half: a straight line of ink (at `level`,
 * ink_near, off the walls `wall`) from either end, hinged on the face of
 * the side it opens to, at ANGLED_LEAF_FIRST to ANGLED_LEAF_LAST degrees
 * off the opening, on 0.8 of the stretch 0.2-0.9 along it, for half or a
 * quarter of the opening: a door drawn half open or a bi-fold door's
 * first panel (R3D's closets), which door_drawn (the leaf at 90 degrees
 * and its swing arc) does not see. Walls are left out: a wall meeting the
 * opening's end at an angle (a diagonal wall) is no leaf. */
#define ANGLED_LEAF_FIRST 30
#define ANGLED_LEAF_LAST 60
#define ANGLED_LEAF_STEP 15

static bool angled_leaf_drawn(const locdet_image *img, int level, const uint8_t *wall, bool horiz,
                              double v, double half, double u0, double u1)
{
    int w = img->width, h = img->height;
    double len = u1 - u0;
    for (int end = 0; end < 2; end++) {
        double hinge = end ? u1 : u0, toward = end ? -1 : 1;
        for (int side = -1; side <= 1; side += 2)
            for (int a = ANGLED_LEAF_FIRST; a <= ANGLED_LEAF_LAST; a += ANGLED_LEAF_STEP)
                for (int part = 2; part <= 4; part += 2) {
                    double leaf = len / part, rad = a * M_PI / 180;
                    double du = toward * cos(rad), dv = side * sin(rad);
                    double hv = v + side * half;
                    double hx = horiz ? hinge : hv, hy = horiz ? hv : hinge;
                    double ux = horiz ? du : dv, uy = horiz ? dv : du;
                    int n = (int)(leaf / 2), hits = 0;
                    n = n < 4 ? 4 : n;
                    for (int i = 0; i < n; i++) {
                        double f = leaf * (0.2 + 0.7 * (i + 0.5) / n);
                        int x = (int)lround(hx + f * ux), y = (int)lround(hy + f * uy);
                        hits += ink_near(img, x, y, level) &&
                                !(x >= 0 && y >= 0 && x < w && y < h && wall[(size_t)y * w + x]);
                    }
                    if (hits >= 0.8 * n)
                        return true;
                }
    }
    return false;
}

/* A doorway left open: the walls at both ends of an opening run on in
 * line past them for DOORWAY_WALL t (on 0.9 of it) and part the same two
 * spaces as the opening does (doorway_parts_same_spaces), and both those
 * spaces reach at least the opening's length away from it. That is a wall
 * between two rooms with a wide doorway (nogt example6's bedroom, 30 t),
 * not the bend of an L- or Z-shaped room, where the wall in line at one
 * end parts other rooms (plangen small:12's living room, a bedroom above
 * one end and a bath below the other), nor a strip along a wall behind a
 * wall piece (R3D 60's closet rail, 5 t deep for a 45 px opening).
 * So is a room's opening onto a corridor passing by: the walls run on in
 * line as above, the space on one side reaches the opening's length away
 * (at a quarter, half or three quarters of it: furniture may stand in the
 * way) and on the other side nowhere, that shallow space runs on past both
 * ends beside the walls (the same space, as above), and the deep one does
 * not: the walls in line part the corridor from other rooms (nogt
 * example3's activity room, open on 15 t to the corridor below it, and
 * not the closet rail, whose room wraps round its ends). */
#define DOORWAY_WALL 3

/* Whether wall runs on in line past both ends of bridge st (along x when
 * horiz), within its band across, from `face` px past each end, on 0.9 of
 * `reach` px. */
static bool walls_run_on(const uint8_t *wall, int w, int h, const locdet_component *st,
                         bool horiz, int face, int reach)
{
    int lo = horiz ? st->top : st->left, hi = lo + (horiz ? st->height : st->width);
    int end0 = (horiz ? st->left : st->top) - face - 1;
    int end1 = (horiz ? st->left + st->width : st->top + st->height) + face;
    for (int e = 0; e < 2; e++) {
        int n = 0;
        for (int i = 0; i < reach; i++) {
            int u = e ? end1 + i : end0 - i;
            bool hit = false;
            for (int v = lo; v < hi && !hit; v++) {
                int x = horiz ? u : v, y = horiz ? v : u;
                hit = x >= 0 && y >= 0 && x < w && y < h && wall[(size_t)y * w + x];
            }
            n += hit;
        }
        if (n < 0.9 * reach)
            return false;
    }
    return true;
}

/* The window around a doorway's bridge that doorway_parts_same_spaces
 * floods: the bridge, the walls in line past its ends and the spaces beside
 * them (`reach` along, `depth` across), and a margin of `margin` px. */
static flood_box doorway_window(const locdet_component *st, bool horiz, int face, int reach,
                                int depth, int margin, int w, int h)
{
    int along = face + reach + margin, across = depth + margin;
    int x0 = st->left - (horiz ? along : across), y0 = st->top - (horiz ? across : along);
    int x1 = st->left + st->width + (horiz ? along : across);
    int y1 = st->top + st->height + (horiz ? across : along);
    x0 = x0 < 0 ? 0 : x0, y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > w ? w : x1, y1 = y1 > h ? h : y1;
    return (flood_box){x0, y0, x1 - x0, y1 - y0};
}

/* Whether the walls in line past both ends of bridge st part the same
 * spaces as it does, on the sides in bit mask `sides` (1: before the
 * bridge, 2: after it): along `reach` px past each end (from `face` px),
 * the first free pixel within `depth` px off that side of the bridge's
 * band is joined (inside free space, within the window) to the pixel
 * beside the bridge's middle on that side, (sx[side], sy[side]), on half
 * of them or more. seen and queue hold the window's pixel count each. */
static bool doorway_parts_same_spaces(const uint8_t *bar, int w, const uint8_t *ext, int ep,
                                      int eo, const locdet_component *st, bool horiz, int face,
                                      int reach, int depth, const flood_box *win,
                                      const int sx[2], const int sy[2], int sides,
                                      uint8_t *seen, int32_t *queue)
{
    int lo = horiz ? st->top : st->left, hi = lo + (horiz ? st->height : st->width);
    int end0 = (horiz ? st->left : st->top) - face - 1;
    int end1 = (horiz ? st->left + st->width : st->top + st->height) + face;
    for (int side = 0; side < 2; side++) {
        if (!(sides & (1 << side)))
            continue;
        flood_free(bar, w, ext, ep, eo, win, sx[side], sy[side], false, seen, queue);
        for (int e = 0; e < 2; e++) {
            int same = 0;
            for (int i = 0; i < reach; i++) {
                int u = e ? end1 + i : end0 - i;
                for (int d = 0; d < depth; d++) {
                    int v = side ? hi + d : lo - 1 - d;
                    int x = horiz ? u : v, y = horiz ? v : u;
                    if (x < win->x0 || y < win->y0 || x >= win->x0 + win->width ||
                        y >= win->y0 + win->height)
                        break;
                    if (!bar[(size_t)y * w + x] &&
                        ext[(ptrdiff_t)(y + eo) * ep + x + eo] != 2) {
                        same += seen[(size_t)(y - win->y0) * win->width + (x - win->x0)];
                        break;
                    }
                }
            }
            if (2 * same < reach)
                return false;
        }
    }
    return true;
}

/* Whether the free space (no barrier) runs `need` px or more straight off
 * side e of a bridge, from (sx[e], sy[e]) beside its middle. */
static bool deep_side(const uint8_t *bar, int w, int h, bool horiz, const int sx[2],
                      const int sy[2], int e, int need)
{
    int dx = horiz ? 0 : e ? 1 : -1, dy = horiz ? (e ? 1 : -1) : 0, n = 0;
    for (int x = sx[e], y = sy[e];
         n < need && x >= 0 && y >= 0 && x < w && y < h && !bar[(size_t)y * w + x];
         x += dx, y += dy)
        n++;
    return n >= need;
}

/* Doorless openings: a bridge over an opening at least `passage` t wide
 * between two walls in a line, with free interior space on both sides, no
 * ink on it at `level` past the floor's beside it (window panes, sliding
 * doors, thresholds) and no door (leaf and swing arc, looked for at the
 * fainter level `faint`: scans draw some doors lighter than the light
 * ink) hinged at either end, is an opening inside
 * one room (an L-shaped room), not a door: it is taken out of the barrier,
 * unless it is a doorway left open or a room's opening onto a corridor
 * passing by (DOORWAY_WALL).
 * A door is rarely passage t wide (10 t: 1-1.5 m of interior wall) and
 * wider ones are drawn with their leaves (at 90 degrees with the swing
 * arc, or at an angle: angled_leaf_drawn). A bridge across a corridor
 * (crosses_corridor) counts from CROSSING_SHARE of that. The opening's
 * width is the bridge's longest stretch with no wall beside it (a bridge
 * may run on along a curved wall's face past the door) and the `face_px`
 * it lies off the wall at each end. mask is scratch. */
int open_passages(const rooms *r, const locdet_image *barrier, const uint8_t *wall,
                  const locdet_image *mask, const uint8_t *ext, int ep, int eo,
                  const locdet_image *img, int level, int faint, int thick)
{
    const locdet_kernel_api *k = r->host->kernels;
    int w = barrier->width, h = barrier->height, rc;
    uint8_t *bar = barrier->data;
    /* the bridges off the walls' faces (the closings also fill a wall's
     * jagged face, which joins the bridges along it) */
    locdet_image wi = {(uint8_t *)wall, w, h, w};
    int face = 2 * r->face_px + 1;
    if ((rc = k->morph(k->table, LOCDET_MORPH_DILATE, &wi, mask, face, face, r->host->threads)))
        return rc;
    {
        uint8_t *restrict md = mask->data; /* locals: see or_into */
        const uint8_t *restrict bd = bar;
        for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
            md[i] = bd[i] & (uint8_t)~md[i];
    }
    locdet_labeling lab;
    if ((rc = k->label(k->table, mask, 8, r->host->threads, &lab)))
        return rc;
    for (int32_t c = 1; c < lab.count; c++) {
        const locdet_component *st = &lab.stats[c];
        bool horiz = st->width >= st->height;
        int len = horiz ? st->width : st->height, across = horiz ? st->height : st->width;
        /* over 2 t across: a bridge between two blocks (shafts) lined up
         * across a corridor, as wide as they are; a corridor crossing only */
        if (len < CROSSING_SHARE * r->passage * thick || across > len || across < 1)
            continue;
        bool wide = across > 2 * thick;
        /* its length is the longest run of cross-sections at least half
         * its width with no wall beside them (face_px + 2 off either
         * side): on a rotated scan a sliver of bridge along a wall's face
         * joins a bridge's end and stretches its box along the wall; on a
         * curved wall the bridge runs on along the wall's face */
        int run_max = 0, run = 0, off = r->face_px + 2;
        for (int j = 0; j < len; j++) {
            int n = 0;
            for (int i = 0; i < across; i++) {
                int x = horiz ? st->left + j : st->left + i, y = horiz ? st->top + i : st->top + j;
                n += lab.labels[(ptrdiff_t)y * lab.stride + x] == c;
            }
            bool beside = false;
            for (int e = 0; e < 2 && !beside; e++) {
                int x = horiz ? st->left + j : e ? st->left + st->width - 1 + off : st->left - off;
                int y = horiz ? (e ? st->top + st->height - 1 + off : st->top - off) : st->top + j;
                beside = x >= 0 && y >= 0 && x < w && y < h && wall[(size_t)y * w + x];
            }
            run = 2 * n >= across && !beside ? run + 1 : 0;
            run_max = run > run_max ? run : run_max;
        }
        /* the opening: that run and the face_px it lies off each wall */
        int opening = run_max + 2 * r->face_px;
        if (opening < CROSSING_SHARE * r->passage * thick ||
            ((wide || opening < r->passage * thick) &&
             !crosses_corridor(bar, w, h, st, horiz, thick, r->face_px)))
            continue;
        /* both sides free and inside, at the middle */
        int mx = st->left + st->width / 2, my = st->top + st->height / 2;
        int sx[2], sy[2];
        if (horiz) {
            sx[0] = sx[1] = mx;
            sy[0] = st->top - 1;
            sy[1] = st->top + st->height;
        } else {
            sy[0] = sy[1] = my;
            sx[0] = st->left - 1;
            sx[1] = st->left + st->width;
        }
        bool inside = true;
        for (int e = 0; e < 2; e++)
            inside = inside && sx[e] >= 0 && sy[e] >= 0 && sx[e] < w && sy[e] < h &&
                     !bar[(size_t)sy[e] * w + sx[e]] &&
                     ext[(ptrdiff_t)(sy[e] + eo) * ep + sx[e] + eo] != 2;
        if (!inside)
            continue;
        /* ink on it, past what the floor beside it has on as many pixels
         * (its pixels moved across + 2 px off either side, the side with
         * less): a tiled or hatched floor's lines cross the bridge as they
         * cross the room, a window pane, a sliding door or a threshold is
         * drawn on the opening only. A floor line lying along the bridge
         * still counts. */
        int64_t ink = 0, side_ink[2] = {0, 0};
        int shift = across + 2;
        for (int y = st->top; y < st->top + st->height; y++)
            for (int x = st->left; x < st->left + st->width; x++) {
                if (lab.labels[(ptrdiff_t)y * lab.stride + x] != c)
                    continue;
                ink += img->data[(ptrdiff_t)y * img->stride + x] <= level;
                for (int e = 0; e < 2; e++) {
                    int off = e ? shift : -shift;
                    int sx = horiz ? x : x + off, sy = horiz ? y + off : y;
                    side_ink[e] += sx >= 0 && sy >= 0 && sx < w && sy < h &&
                                   img->data[(ptrdiff_t)sy * img->stride + sx] <= level;
                }
            }
        ink -= side_ink[0] < side_ink[1] ? side_ink[0] : side_ink[1];
        if (ink > 0.02 * st->area)
            continue;
        /* a door hinged at either end, on the centre line or either face */
        bool door = false;
        for (int f = -1; f <= 1 && !door; f++) {
            double cu = horiz ? my + f * across / 2.0 : mx + f * across / 2.0;
            double lo = (horiz ? st->left : st->top) - 0.5;
            double hi = (horiz ? st->left + st->width : st->top + st->height) - 0.5;
            for (int hinge = 0; hinge < 2 && !door; hinge++) {
                double hu = hinge ? hi : lo, tu = hinge ? lo : hi;
                for (int side = -1; side <= 1 && !door; side += 2) {
                    door_ink d =
                        door_drawn(img, NULL, faint, !horiz, cu, hu, tu, side, r->jamb_arc);
                    door = d.arc >= r->jamb_arc && d.leaf >= r->jamb_arc;
                }
            }
        }
        /* ... or at an angle, hinged at a wall's end (face_px past the
         * bridge's) */
        double end0 = (horiz ? st->left : st->top) - 0.5 - r->face_px;
        double end1 = (horiz ? st->left + st->width : st->top + st->height) - 0.5 + r->face_px;
        if (door || angled_leaf_drawn(img, level, wall, horiz, horiz ? my : mx, across / 2.0, end0,
                                      end1))
            continue;
        bool deep[2] = {deep_side(bar, w, h, horiz, sx, sy, 0, len),
                        deep_side(bar, w, h, horiz, sx, sy, 1, len)};
        /* a corridor passing by on one side (DOORWAY_WALL): the other
         * side deep at a quarter, the middle or three quarters of it */
        bool deep_any[2] = {deep[0], deep[1]};
        for (int e = 0; e < 2; e++)
            for (int q = 1; q <= 3 && !deep_any[e]; q += 2) {
                int qx[2] = {sx[0], sx[1]}, qy[2] = {sy[0], sy[1]};
                if (horiz)
                    qx[e] = st->left + q * st->width / 4;
                else
                    qy[e] = st->top + q * st->height / 4;
                deep_any[e] = deep_side(bar, w, h, horiz, qx, qy, e, len);
            }
        bool passing = !(deep[0] && deep[1]) && deep_any[0] != deep_any[1];
        if (((deep[0] && deep[1]) || passing) &&
            walls_run_on(wall, w, h, st, horiz, r->face_px, DOORWAY_WALL * thick)) {
            /* the spaces beside it, flooded within a window around it
             * (a labeling of the whole plan held 4 bytes a pixel more
             * at the peak: 88 MB on plangen large:1) */
            int reach = DOORWAY_WALL * thick, depth = 2 * thick;
            flood_box win = doorway_window(st, horiz, r->face_px, reach, depth, len, w, h);
            size_t n = (size_t)win.width * (size_t)win.height;
            uint8_t *seen = r->host->alloc(n);
            int32_t *queue = r->host->alloc(n * sizeof *queue);
            if (!seen || !queue) {
                r->host->free(seen);
                r->host->free(queue);
                k->labeling_free(&lab);
                return LOCDET_ERR_NOMEM;
            }
            /* a doorway: both sides the same spaces past the ends; a
             * corridor passing by: its side the same, the room's not */
            int shallow = deep_any[0] ? 2 : 1; /* the corridor's side's bit */
            bool same = doorway_parts_same_spaces(bar, w, ext, ep, eo, st, horiz, r->face_px,
                                                  reach, depth, &win, sx, sy,
                                                  passing ? shallow : 3, seen, queue);
            if (same && passing)
                same = !doorway_parts_same_spaces(bar, w, ext, ep, eo, st, horiz, r->face_px,
                                                  reach, depth, &win, sx, sy, 3 - shallow, seen,
                                                  queue);
            r->host->free(seen);
            r->host->free(queue);
            if (same) {
                r->host->log(r->host, LOCDET_LOG_DEBUG, "%s %d %d %d %d",
                             passing ? "corridor beside" : "doorway", st->left, st->top,
                             st->left + st->width - 1, st->top + st->height - 1);
                continue;
            }
        }
        r->host->log(r->host, LOCDET_LOG_DEBUG, "open passage %d %d %d %d, %lld px", st->left,
                     st->top, st->left + st->width - 1, st->top + st->height - 1,
                     (long long)st->area);
        for (int y = st->top; y < st->top + st->height; y++)
            for (int x = st->left; x < st->left + st->width; x++)
                if (lab.labels[(ptrdiff_t)y * lab.stride + x] == c)
                    bar[(size_t)y * w + x] = 0;
    }
    k->labeling_free(&lab);
    return LOCDET_OK;
}
