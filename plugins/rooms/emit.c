/* rooms, step 6: rooms out of the free space: false splits merged, rooms
 * kept or not, strips and notches mended, outlines traced and scored.
 * rooms.c has the whole pipeline. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "rooms.h"

/* Whether a box (inset by `inset` px) is crossed by an X: both diagonals
 * have ink at or below `level` (ink_near) on `need` of their length, each
 * along y by up to `slide` px and an eighth of the box's shorter side (an
 * X is drawn across the shaft's outline box, which the free space's box
 * need not match: plangen hatched:89's runs 6 px above it), while neither
 * midline (off the centre, where an X crosses it) has ink on 0.2 or more
 * of it, as hatching and fills do. */
static bool box_crossed(const locdet_image *img, int level, int left, int top, int width,
                        int height, int inset, int slide, double need)
{
    int x0 = left + inset, y0 = top + inset, x1 = left + width - 1 - inset,
        y1 = top + height - 1 - inset;
    if (x1 - x0 < 4 || y1 - y0 < 4)
        return false;
    int n = (x1 - x0 > y1 - y0 ? x1 - x0 : y1 - y0) / 2;
    if (n > 64)
        n = 64;
    /* a flat box's diagonal moved far would run along its long walls */
    int shorter = x1 - x0 < y1 - y0 ? x1 - x0 : y1 - y0;
    if (slide > shorter / 8)
        slide = shorter / 8;
    /* the midlines first: cheap, and most rooms fail there or on the
     * first diagonal */
    for (int mid = 0; mid < 2; mid++) {
        int hits = 0, samples = 0;
        for (int i = 0; i < n; i++) {
            double f = (i + 0.5) / n;
            if (f > 0.35 && f < 0.65)
                continue;
            samples++;
            int x = (int)lround(mid ? (x0 + x1) / 2.0 : x0 + f * (x1 - x0));
            int y = (int)lround(mid ? y0 + f * (y1 - y0) : (y0 + y1) / 2.0);
            hits += ink_near(img, x, y, level);
        }
        if (hits >= 0.2 * samples)
            return false;
    }
    int least = (int)ceil(need * n); /* hits a diagonal needs */
    for (int diag = 0; diag < 2; diag++) {
        bool found = false;
        for (int dy = -slide; dy <= slide && !found; dy++) {
            int hits = 0;
            for (int i = 0; i < n && hits + (n - i) >= least; i++) {
                double f = (i + 0.5) / n;
                int x = (int)lround(x0 + f * (x1 - x0));
                int y = (int)lround(diag ? y1 - f * (y1 - y0) : y0 + f * (y1 - y0));
                hits += ink_near(img, x, y + dy, level);
            }
            found = hits >= least;
        }
        if (!found)
            return false;
    }
    return true;
}

typedef struct crossing {
    int32_t a, b, x, y, len;
    int dir; /* 0: the run is vertical (the rooms touch along x), 1: horizontal */
} crossing;

static int cmp_crossing(const void *pa, const void *pb)
{
    const crossing *p = pa, *q = pb;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    return p->dir - q->dir;
}

static int32_t find_root(int32_t *par, int32_t c)
{
    while (par[c] != c)
        c = par[c] = par[par[c]];
    return c;
}

/* The share of a crossing (a bridge run of len px from (x, y), down for
 * dir 0, right for dir 1) that has ink at `level`. */
static double crossing_ink(const locdet_image *img, int level, int dir, int x, int y, int len)
{
    return len > 0 ? (double)ink_count(img, level, dir, x, y, len) / len : 0;
}

/* A crossing through a wall thicker than the thin walls' (over 2 t + 2)
 * with ink on window_ink of it: a window or a glazed door drawn in an
 * outer wall, not a false bridge. */
static bool window(const rooms *r, const locdet_image *img, int level, int thick, int dir, int x,
                   int y, int len)
{
    return r->window_ink > 0 && len > 2 * thick + 2 &&
           crossing_ink(img, level, dir, x, y, len) >= r->window_ink;
}

/* Whether the bridge next to free pixel (x, y), in step (dx, dy), has ink
 * (at or below level) under it within 2 strongest + 2 px across: a line
 * drawn in the opening. cls is 0 free, 1 wall, 2 bridge, 3 exterior, w x h. */
static bool drawn_across(const uint8_t *cls, const locdet_image *img, int level, int w, int h,
                         int x, int y, int dx, int dy, int strongest)
{
    for (int k = 0; k <= 2 * strongest + 2; k++) {
        x += dx;
        y += dy;
        if (x < 0 || y < 0 || x >= w || y >= h || cls[(size_t)y * w + x] != 2)
            return false;
        if (img->data[(ptrdiff_t)y * img->stride + x] <= level)
            return true;
    }
    return false;
}

/* An opening *a..*b along x (o = 0) or y (o = 1) on line vm, nu px long,
 * widened on the image: on past each end while there is no ink (at
 * level), up to reach px from mid. A bridge stops short of the walls'
 * faces, and their outline may stand a few px off their ink. */
static void widen_on_ink(const locdet_image *img, int level, int o, int vm, int nu, int mid,
                         int reach, int *a, int *b)
{
#define INK(u) img->data[(ptrdiff_t)(o ? (u) : vm) * img->stride + (o ? vm : (u))]
    while (*a > 0 && INK(*a - 1) > level && mid - *a < reach)
        (*a)--;
    while (*b < nu - 1 && INK(*b + 1) > level && *b - mid < reach)
        (*b)++;
#undef INK
}

static bool fragment(const rooms *r, const locdet_component *st, uint32_t bridges, int thick);

/* Whether a door is drawn over the bridge that n crossings (one pair of
 * components, one direction) run through: the crossings' extent, along
 * the opening a0..b0 and across v0..v1, the opening then read on the ink
 * (the bridge stops short of the walls' faces). */
static bool crossings_door_drawn(const rooms *r, const locdet_image *img, const uint8_t *cls,
                                 int level, const crossing *cr, size_t n)
{
    int o = cr[0].dir, a0 = INT32_MAX, b0 = -1, v0 = INT32_MAX, v1 = -1;
    for (size_t k = 0; k < n; k++) {
        int u = o ? cr[k].y : cr[k].x, v = o ? cr[k].x : cr[k].y;
        a0 = u < a0 ? u : a0;
        b0 = u > b0 ? u : b0;
        v0 = v < v0 ? v : v0;
        v1 = v + cr[k].len - 1 > v1 ? v + cr[k].len - 1 : v1;
    }
    widen_on_ink(img, level, o, (v0 + v1) / 2, o ? img->height : img->width, (a0 + b0) / 2,
                 b0 - a0 + 1, &a0, &b0);
    return opening_door_drawn(img, cls, level, o, v0, v1, a0, b0, r->jamb_arc);
}

/* Component c of lab joins component q: its pixels, statistics and, with
 * nb, border edge counts; c is left empty (width 0). */
static void absorb(locdet_labeling *lab, uint32_t (*nb)[5], int32_t q, int32_t c)
{
    locdet_component *d = &lab->stats[q], *o = &lab->stats[c];
    int32_t x1 = d->left + d->width, y1 = d->top + d->height;
    int32_t ox1 = o->left + o->width, oy1 = o->top + o->height;
    double area = (double)d->area + (double)o->area;
    d->cx = (d->cx * (double)d->area + o->cx * (double)o->area) / area;
    d->cy = (d->cy * (double)d->area + o->cy * (double)o->area) / area;
    d->area += o->area;
    d->left = d->left < o->left ? d->left : o->left;
    d->top = d->top < o->top ? d->top : o->top;
    d->width = (x1 > ox1 ? x1 : ox1) - d->left;
    d->height = (y1 > oy1 ? y1 : oy1) - d->top;
    for (int k = 0; nb && k < 5; k++)
        nb[q][k] += nb[c][k];
    for (int y = o->top; y < oy1; y++) {
        int32_t *row = lab->labels + y * lab->stride;
        for (int x = o->left; x < ox1; x++)
            if (row[x] == c)
                row[x] = q;
    }
    o->width = o->height = 0;
}

/* The bridge pixels of n crossings join component q; returns how many. */
static int64_t fill_crossings(locdet_labeling *lab, int32_t q, const crossing *cr, size_t n)
{
    int64_t filled = 0;
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < cr[i].len; k++) {
            int32_t *p = cr[i].dir == 0 ? &lab->labels[(cr[i].y + k) * lab->stride + cr[i].x]
                                        : &lab->labels[cr[i].y * lab->stride + cr[i].x + k];
            if (!*p) {
                *p = q;
                filled++;
            }
        }
    lab->stats[q].area += filled;
    return filled;
}

/* A room's own box perimeter and the area fragments added to it, for its
 * confidence. */
typedef struct own_measure {
    double perimeter;
    int64_t joined;
} own_measure;

/* Where merge_split sends the fragments (components is_room drops as
 * pieces cut off by bridges) that lead to a room: lead[c] is that room's
 * label (0: none), and c's best crossings, through which it joins, are
 * cr[at[c]] .. cr[at[c] + len[c] - 1]. */
typedef struct fragment_joins {
    int32_t *lead; /* lab->count of them, zeroed by the caller */
    const crossing *cr;
    size_t *at, *len;
} fragment_joins;

/* Rooms split by a false bridge (wall stubs or arrowheads lined up across a
 * room): two free-space components that meet across bridge pixels only,
 * over most of the smaller one's side, are one room. A door spans only part
 * of a wall. The bridge runs between them join the merged component.
 * Fragments (frag: pieces is_room would drop, cut off by bridges) go the
 * way of their neighbour across the most bridge, when no door is drawn
 * there: following those steps through other fragments, a piece reaches a
 * component that is none, which it joins once the rooms are chosen (fj:
 * a hall cut across by false bridges is whole again, a piece of a room
 * goes back to it), or a loop of fragments (each the other's best), which
 * it joins now: one piece, a room if it passes on its own. Each fragment
 * takes one step, so no two rooms join through fragments. */
static int merge_split(const rooms *r, const locdet_call *call, const uint8_t *cls,
                       locdet_labeling *lab, uint32_t (*nb)[5], int thick, int strongest,
                       const locdet_image *img, int level, const uint8_t *frag,
                       fragment_joins *fj)
{
    int w = lab->width, h = lab->height;
    size_t nbp = 0;
    for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
        nbp += cls[i] == 2;
    if (!nbp)
        return LOCDET_OK;
    crossing *cr = call->scratch(call, 2 * nbp * sizeof *cr);
    int32_t *par = call->scratch(call, (size_t)lab->count * sizeof *par);
    if (!cr || !par)
        return LOCDET_ERR_NOMEM;
    int maxlen = 2 * strongest + 2;
    size_t n = 0;
    const int32_t *L = lab->labels;
    ptrdiff_t ls = lab->stride;
    /* vertical runs, row by row: start[x] is where column x's run began */
    int32_t *start = call->scratch(call, (size_t)w * sizeof *start);
    if (!start)
        return LOCDET_ERR_NOMEM;
    for (int x = 0; x < w; x++)
        start[x] = cls[x] == 2 ? -1 : 0; /* a run from the top edge is no crossing */
    for (int y = 1; y < h; y++) {
        const uint8_t *row = cls + (size_t)y * w;
        for (int x = 0; x < w; x++) {
            uint64_t word;
            /* bridges are rare: skip 8 pixels with none and no open run */
            if (x + 8 <= w &&
                (memcpy(&word, row + x, 8), !has_zero_byte(word ^ 0x0202020202020202u)) &&
                !(start[x] | start[x + 1] | start[x + 2] | start[x + 3] | start[x + 4] |
                  start[x + 5] | start[x + 6] | start[x + 7])) {
                x += 7;
                continue;
            }
            if (row[x] == 2) {
                if (!start[x] && row[x - w] != 2)
                    start[x] = y;
                continue;
            }
            int y0 = start[x];
            if (y0 > 0 && y - y0 <= maxlen) {
                int32_t a = L[(y0 - 1) * ls + x], b = L[y * ls + x];
                if (a && b && a != b && !window(r, img, level, thick, 0, x, y0, y - y0))
                    cr[n++] = (crossing){a < b ? a : b, a < b ? b : a, x, y0, y - y0, 0};
            }
            start[x] = 0;
        }
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w;) {
            if (cls[(size_t)y * w + x] != 2) {
                const uint8_t *row = cls + (size_t)y * w;
                const uint8_t *next = memchr(row + x, 2, (size_t)(w - x));
                x = next ? (int)(next - row) : w;
                continue;
            }
            int x0 = x;
            while (x < w && cls[(size_t)y * w + x] == 2)
                x++;
            if (x0 > 0 && x < w && x - x0 <= maxlen) {
                int32_t a = L[y * ls + x0 - 1], b = L[y * ls + x];
                if (a && b && a != b && !window(r, img, level, thick, 1, x0, y, x - x0))
                    cr[n++] = (crossing){a < b ? a : b, a < b ? b : a, x0, y, x - x0, 1};
            }
        }
    if (!n)
        return LOCDET_OK;
    qsort(cr, n, sizeof *cr, cmp_crossing);
    /* per fragment: its best crossings (most of them with one neighbour,
     * best_n; 0: none), the neighbour, whether merged already */
    uint32_t *best_n = call->scratch(call, (size_t)lab->count * sizeof *best_n);
    int32_t *best_to = call->scratch(call, (size_t)lab->count * sizeof *best_to);
    uint8_t *merged = call->scratch(call, (size_t)lab->count);
    fj->at = call->scratch(call, 2 * (size_t)lab->count * sizeof *fj->at);
    if (!best_n || !best_to || !merged || !fj->at)
        return LOCDET_ERR_NOMEM;
    fj->len = fj->at + lab->count;
    fj->cr = cr;
    for (int32_t c = 0; c < lab->count; c++) {
        par[c] = c;
        best_n[c] = 0;
        merged[c] = 0;
    }
    bool any = false;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && cr[j].a == cr[i].a && cr[j].b == cr[i].b && cr[j].dir == cr[i].dir)
            j++;
        const locdet_component *A = &lab->stats[cr[i].a], *B = &lab->stats[cr[i].b];
        const locdet_component *sm = A->area < B->area ? A : B, *lg = sm == A ? B : A;
        double side = cr[i].dir == 0 ? sm->width : sm->height;
        /* both halves must be rooms on their own: slivers of free space
         * left inside a bridged wall would chain rooms together, and a
         * strip bent around a room (a patio's edge under its sliding door,
         * the space between a building and the hatched ground around it)
         * fills little of its box */
        double min_side = r->min_room_ratio * thick;
        bool merge = (double)(j - i) >= r->merge_span * side && side >= r->merge_min * thick &&
                     (double)sm->area >= min_side * min_side &&
                     (double)sm->area >= r->merge_fill * sm->width * sm->height &&
                     (double)lg->area >= r->merge_fill * lg->width * lg->height;
        /* a door drawn over the bridge (leaf and arc, the leaf off the
         * walls' faces) is no false bridge */
        if (merge)
            merge = !crossings_door_drawn(r, img, cls, level, cr + i, j - i);
        if (merge) {
            int32_t ra = find_root(par, cr[i].a), rb = find_root(par, cr[i].b);
            if (ra != rb) {
                par[ra > rb ? ra : rb] = ra < rb ? ra : rb;
                any = true;
            }
            merged[cr[i].a] = merged[cr[i].b] = 1;
        }
        /* a fragment's step: the fragment deeper across the crossings
         * than the thin walls are thick (the slots between a window's
         * lines are no piece of a room) */
        for (int e = 0; e < 2; e++) {
            int32_t f = e ? cr[i].b : cr[i].a;
            const locdet_component *fs = &lab->stats[f];
            int depth = cr[i].dir == 0 ? fs->height : fs->width;
            if (frag[f] && depth > thick && (uint32_t)(j - i) > best_n[f]) {
                best_n[f] = (uint32_t)(j - i);
                best_to[f] = e ? cr[i].a : cr[i].b;
                fj->at[f] = i;
                fj->len[f] = j - i;
            }
        }
        i = j;
    }
    /* the fragments' steps: none where a door is drawn, nor from a
     * fragment merged already */
    for (int32_t f = 1; f < lab->count; f++)
        if (best_n[f] &&
            (merged[f] || crossings_door_drawn(r, img, cls, level, cr + fj->at[f], fj->len[f])))
            best_n[f] = 0;
    /* walked[c]: the last fragment whose steps passed c (a loop is met
     * again) */
    int32_t *walked = call->scratch(call, (size_t)lab->count * sizeof *walked);
    if (!walked)
        return LOCDET_ERR_NOMEM;
    for (int32_t c = 0; c < lab->count; c++)
        walked[c] = 0;
    for (int32_t f = 1; f < lab->count; f++) {
        if (!best_n[f])
            continue;
        int32_t g = best_to[f];
        walked[f] = f;
        while (best_n[g] && walked[g] != f) {
            walked[g] = f;
            g = best_to[g];
        }
        if (!frag[g] || merged[g]) {
            fj->lead[f] = g;
        } else if (best_n[g]) { /* into a loop: one piece with it */
            int32_t ra = find_root(par, f), rb = find_root(par, best_to[f]);
            if (ra != rb) {
                par[ra > rb ? ra : rb] = ra < rb ? ra : rb;
                any = true;
            }
        }
    }
    for (int32_t f = 1; f < lab->count; f++)
        if (fj->lead[f])
            fj->lead[f] = find_root(par, fj->lead[f]);
    if (!any)
        return LOCDET_OK;
    /* merged statistics into the root; others are marked empty (width 0) */
    for (int32_t c = 1; c < lab->count; c++) {
        int32_t q = find_root(par, c);
        if (q != c)
            absorb(lab, nb, q, c);
    }
    for (size_t i = 0; i < n; i++) {
        int32_t q = find_root(par, cr[i].a);
        if (q == find_root(par, cr[i].b))
            fill_crossings(lab, q, cr + i, 1);
    }
    return LOCDET_OK;
}

/* A closet is often smaller than the smallest room (min_area): from
 * CLOSET_AREA of it, a free component is a room when walls (not bridges)
 * run along CLOSET_WALL of its box's perimeter, it fills CLOSET_FILL of
 * its box, and a door is drawn over its opening (leaf and arc inked on
 * CLOSET_DOOR_INK: bridged_by_door), which spans less than CLOSET_OPEN of
 * that side and CLOSET_DOOR_PX px at least. A pocket with no door drawn is
 * a shaft, a duct or linework boxed in. */
#define CLOSET_AREA 0.6
#define CLOSET_WALL 0.8
#define CLOSET_FILL 0.9
#define CLOSET_DOOR_INK 0.5
#define CLOSET_OPEN 0.85
#define CLOSET_DOOR_PX 10

static bool small_closet(const locdet_component *st, const uint32_t nb[5], double min_area)
{
    double area = (double)st->area, box = (double)st->width * st->height;
    return area < min_area && area >= CLOSET_AREA * min_area && nb[2] > 0 &&
           nb[1] >= CLOSET_WALL * 2.0 * (st->width + st->height) && area >= CLOSET_FILL * box;
}

/* A small piece (under fragment_area t^2) with door bridges on over
 * fragment_bridge of its box perimeter (`bridges` border edges) is a
 * fragment: a corridor or room cut where wall stubs line up, a door swing
 * boxed in by bridges. A room has a door or two. */
static bool fragment(const rooms *r, const locdet_component *st, uint32_t bridges, int thick)
{
    return (double)st->area < r->fragment_area * thick * thick &&
           (double)bridges > r->fragment_bridge * 2.0 * (st->width + st->height);
}

/* The border edges of free component c that cross a bridge with a line
 * drawn on it (ink at `level`) to the exterior within `reach` px: windows,
 * no door between rooms. (A bare bridge to the exterior may close a pocket
 * outside the building, between a dimension line's ticks.) */
static uint32_t windows_to_exterior(const locdet_labeling *lab, int32_t c, const uint8_t *cls,
                                    const locdet_image *img, int level, int reach)
{
    const locdet_component *st = &lab->stats[c];
    int w = lab->width, h = lab->height;
    static const int dx[4] = {-1, 1, 0, 0}, dy[4] = {0, 0, -1, 1};
    uint32_t n = 0;
    for (int y = st->top; y < st->top + st->height; y++)
        for (int x = st->left; x < st->left + st->width; x++) {
            if (lab->labels[(ptrdiff_t)y * lab->stride + x] != c)
                continue;
            for (int d = 0; d < 4; d++) {
                int u = x + dx[d], v = y + dy[d], k = 0;
                bool drawn = false;
                while (k <= reach && u >= 0 && v >= 0 && u < w && v < h &&
                       cls[(size_t)v * w + u] == 2) {
                    drawn |= img->data[(ptrdiff_t)v * img->stride + u] <= level;
                    u += dx[d];
                    v += dy[d];
                    k++;
                }
                n += drawn && k <= reach && u >= 0 && v >= 0 && u < w && v < h &&
                     cls[(size_t)v * w + u] == 3;
            }
        }
    return n;
}

/* Whether a door is drawn over the bridge that bounds free component c:
 * the bridge pixels beside it span an opening along their longer side
 * (opening_door_drawn). */
static bool bridged_by_door(const locdet_labeling *lab, int32_t c, const uint8_t *cls,
                            const locdet_image *img, int level, double share)
{
    const locdet_component *st = &lab->stats[c];
    int w = img->width, h = img->height;
    int x0 = w, y0 = h, x1 = -1, y1 = -1;
    for (int y = st->top - 1; y <= st->top + st->height; y++)
        for (int x = st->left - 1; x <= st->left + st->width; x++) {
            if (x < 1 || y < 1 || x >= w - 1 || y >= h - 1 || cls[(size_t)y * w + x] != 2)
                continue;
            const int32_t *l = lab->labels + (ptrdiff_t)y * lab->stride + x;
            if (l[-1] != c && l[1] != c && l[-lab->stride] != c && l[lab->stride] != c)
                continue;
            x0 = x < x0 ? x : x0;
            x1 = x > x1 ? x : x1;
            y0 = y < y0 ? y : y0;
            y1 = y > y1 ? y : y1;
        }
    if (x1 < 0)
        return false;
    /* along u, across v: the bridge's whole depth away from the room, and
     * the opening between the walls at its ends */
    int o = x1 - x0 < y1 - y0, a = o ? y0 : x0, b = o ? y1 : x1, v0 = o ? x0 : y0,
        v1 = o ? x1 : y1, mid = (a + b) / 2;
    ptrdiff_t su = o ? w : 1, sv = o ? 1 : w;
    int nv = o ? w : h, nu = o ? h : w;
    /* away from the room: the side of the bridge it does not lie on (its
     * box may reach past the bridge on both) */
#define LAB(u, v) lab->labels[(ptrdiff_t)(o ? (u) : (v)) * lab->stride + (o ? (v) : (u))]
    int dir;
    if (v1 + 1 < nv && LAB(mid, v1 + 1) == c)
        dir = -1;
    else if (v0 > 0 && LAB(mid, v0 - 1) == c)
        dir = 1;
    else /* the room touches the bridge off its middle line */
        dir = v0 >= (o ? st->left : st->top) ? 1 : -1;
#undef LAB
#define CLS(u, v) cls[(ptrdiff_t)(u) * su + (ptrdiff_t)(v) * sv]
    int far = dir > 0 ? v1 : v0;
    while (far + dir >= 0 && far + dir < nv && CLS(mid, far + dir) == 2)
        far += dir;
    if (dir > 0)
        v1 = far;
    else
        v0 = far;
#undef CLS
    /* the walls' outline may stand a few px off their ink: the opening is
     * read on the ink */
    widen_on_ink(img, level, o, (v0 + v1) / 2, nu, mid, b - a + 1, &a, &b);
    /* a door in the closet's front, not the front open end to end; and
     * wide enough for its swing arc to tell (at 15 degrees off the leaf
     * and the wall, the arc stays CLOSET_DOOR_PX / 4 px from them, and
     * ink_near looks 1 px around) */
    int width = b - a + 1;
    if (width >= CLOSET_OPEN * (o ? st->height : st->width) || width < CLOSET_DOOR_PX)
        return false;
    return opening_door_drawn(img, NULL, level, o, v0, v1, a, b, share);
}

/* The border edges of free component c (of lab, w x h) on the bridges
 * listed in ends: corridors' ends, undrawn doors. */
static uint32_t corridor_end_edges(const locdet_labeling *lab, int32_t c, const uint8_t *cls,
                                   int w, int h, const corridor_ends *ends)
{
    const locdet_component *st = &lab->stats[c];
    uint32_t n = 0;
    for (size_t i = 0; i < ends->n; i++) {
        const corridor_box *b = &ends->box[i];
        if (b->x1 < st->left - 1 || b->x0 > st->left + st->width || b->y1 < st->top - 1 ||
            b->y0 > st->top + st->height)
            continue;
        for (int y = b->y0 > 1 ? b->y0 : 1; y <= b->y1 && y < h - 1; y++)
            for (int x = b->x0 > 1 ? b->x0 : 1; x <= b->x1 && x < w - 1; x++) {
                if (cls[(size_t)y * w + x] != 2)
                    continue;
                const int32_t *l = lab->labels + (ptrdiff_t)y * lab->stride + x;
                n += (l[-1] == c) + (l[1] == c) + (l[-lab->stride] == c) + (l[lab->stride] == c);
            }
    }
    return n;
}

/* A strip: a piece whose box diagonal squared is over STRIP_LENGTH times
 * its area (20 px long per px wide, drawn straight) with over
 * STRIP_EXTERIOR of its border edges on the exterior: the ground between a
 * building's wall and a retaining wall or curb (nogt A-190A's areaway:
 * 24, 0.23). Corridors are as long (plangen large:1's and 2's, 21-24) but
 * lie inside; no R3D or CubiCasa room is over 9. */
#define STRIP_LENGTH 20
#define STRIP_EXTERIOR 0.1

/* A narrow strip: a straight piece (filling NARROW_FILL of its box) whose
 * box diagonal squared is over NARROW_LENGTH times its area and that is
 * under NARROW_WIDTH t across on average (area / long side), wherever it
 * lies: a chase, a cavity or the gap between a wall and a line along it,
 * too narrow to walk along (nogt A-191's chase: 2.5 t wide, 14; a speck
 * at the foot of _15's corridor: 2.3 t, 15). Corridors are as long but
 * wider: plangen large:1's and 2's are 7.8 and 7.5 t, and where t is an
 * outer wall a corridor may be 4 t. _13's strips along its wings,
 * 4.3-4.8 t, are planter beds and the walkways in front of its units
 * alike, so they stay. Lengths down to 8 and fills of 0.4 to 0.6 give the
 * same rooms; at 6, plangen loses closets 2.5-3 t deep. */
#define NARROW_LENGTH 12
#define NARROW_WIDTH 3
#define NARROW_FILL 0.5

/* A small room (under SMALL_OPEN_AREA times the smallest room) faces the
 * exterior on at most SMALL_OPEN of its border edges: a closet or a WC
 * lies inside the building, its window bridged. Such a piece open to the
 * outside is a pocket between the building's wall and linework outside
 * it (nogt A-491's strip above a dimension chain, 26.6 t^2 and 0.10;
 * A-190A's piece by its areaway, 16.9 t^2 and 0.24). Of the 767 R3D,
 * CubiCasa and plangen rooms under 16 times the smallest room, none
 * faces the exterior on over 0.001; the smallest that does is 202 t^2
 * (R3D 31851141). */
#define SMALL_OPEN_AREA 2
#define SMALL_OPEN 0.05

/* A doorless piece in a drawing with gray-filled walls is no room up to
 * DOORLESS_AREA times the smallest room: A-192's chase is 77 t^2 (4.8
 * times); no R3D, CubiCasa, plangen or other `nogt` room changes at any
 * size, and the larger a piece, the likelier a room whose door the
 * drawing leaves out. */
#define DOORLESS_AREA 16

/* Whether free component st, with border edge counts nb (as emit_rooms
 * counts them), is a room: the tests of step 6 (docs/rooms.md); `closet`:
 * it is a closet smaller than min_area (small_closet); uncut: the border
 * edges on bridges that cut nothing out of a room (windows, corridors'
 * ends), which the fragment test leaves out; filled: the walls are gray
 * fill (emit_rooms). Logs the candidate's features at debug level. */
static bool is_room(const rooms *r, const locdet_call *call, const locdet_image *img,
                    const locdet_component *st, const uint32_t nb[5], uint32_t uncut, int thick,
                    double min_area, int level, int s, bool closet, bool filled)
{
    int w = img->width, h = img->height;
    bool exterior = touches_border(st, w, h);
    double edges = (double)nb[1] + nb[2] + nb[3];
    if (!exterior && ((double)st->area >= min_area || closet))
        call->host->log(call->host, LOCDET_LOG_DEBUG,
                        "cand %d %d %d %d area %.1f wall %.3f bridge %.3f ext %.3f fill %.3f",
                        st->left * s, st->top * s, (st->left + st->width) * s,
                        (st->top + st->height) * s, st->area / ((double)thick * thick),
                        nb[1] / (2.0 * (st->width + st->height)),
                        nb[2] / (2.0 * (st->width + st->height)),
                        edges > 0 ? nb[3] / edges : 0,
                        (double)st->area / ((double)st->width * st->height));
    double box_perimeter = 2.0 * (st->width + st->height);
    if (exterior || ((double)st->area < min_area && !closet) ||
        (double)nb[3] > r->max_exterior * edges ||
        (double)nb[1] + r->drawn_wall * nb[4] < r->min_solid * box_perimeter)
        return false;
    /* A room is at least `sliver` t across on average: narrower is the
     * gap between a wall and a parallel line (glazing, a scope line). */
    double long_side = st->width > st->height ? st->width : st->height;
    if ((double)st->area < r->sliver * thick * long_side)
        return false;
    if ((double)st->area < SMALL_OPEN_AREA * min_area && (double)nb[3] > SMALL_OPEN * edges)
        return false;
    /* Where the walls are gray fill, every door is a gap in it: a piece
     * walled all round, with no bridge and no exterior on its border, is
     * a shaft, a chase or a hollow column (nogt ). */
    if (filled && !nb[2] && !nb[3] && (double)st->area < DOORLESS_AREA * min_area)
        return false;
    double diagonal = (double)st->width * st->width + (double)st->height * st->height;
    if (diagonal > STRIP_LENGTH * (double)st->area && (double)nb[3] > STRIP_EXTERIOR * edges)
        return false;
    if (diagonal > NARROW_LENGTH * (double)st->area &&
        (double)st->area >= NARROW_FILL * (double)st->width * st->height &&
        (double)st->area < NARROW_WIDTH * thick * long_side)
        return false;
    /* A room fills a fair share of its box: a strip bent along the
     * walls (the gap inside a wall band drawn as two hatch outlines)
     * fills little of it. R3D's and plangen's rooms fill 0.25 or more. */
    if ((double)st->area < r->min_fill * (double)st->width * st->height)
        return false;
    /* a fragment, its windows and corridors' ends not counted */
    if (fragment(r, st, nb[2] > uncut ? nb[2] - uncut : 0, thick))
        return false;
    /* A box crossed by both diagonals (and clear along its midlines)
     * is a shaft, duct or void drawn the way plans mark them. */
    if (r->void_cross > 0 && box_crossed(img, level, st->left, st->top, st->width, st->height, 2,
                                         thick, r->void_cross))
        return false;
    return true;
}

/* Component c of a labelling within its box and a margin of pad px (clipped
 * to the labelling): mask is 255 on its pixels, 0 elsewhere; (x0, y0) is
 * the mask's origin in the labelling. */
typedef struct room_crop {
    int x0, y0, pad;
    locdet_image mask;
} room_crop;

/* Fills crop from component c of lab with a margin of pad px around its box
 * (clipped to the labelling); mask_buf holds the labelling's width x height
 * bytes. */
static void crop_room(const locdet_labeling *lab, int32_t c, int pad, uint8_t *mask_buf,
                      room_crop *crop)
{
    const locdet_component *st = &lab->stats[c];
    int x0 = st->left - pad > 0 ? st->left - pad : 0;
    int y0 = st->top - pad > 0 ? st->top - pad : 0;
    int x1 = st->left + st->width + pad < lab->width ? st->left + st->width + pad : lab->width;
    int y1 = st->top + st->height + pad < lab->height ? st->top + st->height + pad : lab->height;
    int cw = x1 - x0, ch = y1 - y0;
    for (int y = 0; y < ch; y++) {
        const int32_t *lr = lab->labels + (ptrdiff_t)(y + y0) * lab->stride + x0;
        uint8_t *mr = mask_buf + (size_t)y * cw;
        for (int x = 0; x < cw; x++)
            mr[x] = (uint8_t)-(lr[x] == c);
    }
    *crop = (room_crop){x0, y0, pad, {mask_buf, cw, ch, cw}};
}

/* Whether pixel (x, y) of a w x h class map has the exterior (class 3) as a
 * 4-neighbour; row is the class map's row y. */
static inline bool beside_exterior(const uint8_t *row, int w, int h, int x, int y)
{
    return (x > 0 && row[x - 1] == 3) || (x + 1 < w && row[x + 1] == 3) ||
           (y > 0 && row[x - w] == 3) || (y + 1 < h && row[x + w] == 3);
}

/* A room under FREE_AREA x the smallest room whose surroundings, within pad
 * px of its box, are FREE_SHARE exterior or more (of what is not wall) stands
 * free on the sheet: a tree's or a column's circle, a symbol, a sliver
 * between landscape lines outside the building. A room of a building has
 * another room or the building's free space past at least one wall; R3D's,
 * CubiCasa's and plangen's rooms have at most 0.67 exterior around them
 * (docs/rooms.md, step 6). */
#define FREE_AREA 16
#define FREE_SHARE 0.8

/* Whether room c of lab stands free (above): the classes (cls) of what
 * lies within pad px of its box, other than the room, are counted. The box
 * is what is cheap to read; what else lies in it (the room an L-shaped
 * strip bends around) counts too. */
static bool stands_free(const locdet_labeling *lab, int32_t c, const uint8_t *cls, int pad)
{
    const locdet_component *st = &lab->stats[c];
    int w = lab->width, h = lab->height;
    int x0 = st->left - pad > 0 ? st->left - pad : 0;
    int y0 = st->top - pad > 0 ? st->top - pad : 0;
    int x1 = st->left + st->width + pad < w ? st->left + st->width + pad : w;
    int y1 = st->top + st->height + pad < h ? st->top + st->height + pad : h;
    int64_t exterior = 0, inside = 0;
    /* every other pixel both ways: a share needs no more */
    for (int y = y0; y < y1; y += 2) {
        const uint8_t *cr = cls + (size_t)y * w;
        const int32_t *lr = lab->labels + (ptrdiff_t)y * lab->stride;
        for (int x = x0; x < x1; x += 2) {
            if (cr[x] == 1 || lr[x] == c)
                continue;
            if (cr[x] == 3)
                exterior++;
            else
                inside++;
        }
    }
    return exterior > 0 && (double)exterior >= FREE_SHARE * (double)(exterior + inside);
}

/* A room's strips narrower than spur px that touch the exterior are not the
 * room's: free space along the outside of a wall, which the exterior's
 * closing cut off and an unbridged window let in, would be traced as a
 * spike, and fill_notches would take the wall between into the room.
 * Strips inside stay (between a cabinet and a wall, a slanted wall's acute
 * corner). The strips are what opening the component's pixels by a spur x
 * spur square (odd) takes away; those with a pixel beside the exterior
 * (cls 3) go back to no room (label 0), and so does what they alone joined
 * to the room: its largest piece stays. When a second piece is as large as
 * the smallest room (min_area), the room is left as labelled. A margin of
 * spur/2 around the box (crop) makes the erosion exact; the crop's mask is
 * left as the room's pixels. strip_buf holds the labelling's width x height
 * bytes. */
static int trim_spurs(const rooms *r, const locdet_call *call, locdet_labeling *lab,
                      const uint8_t *cls, int32_t c, room_crop *crop, int spur, double min_area,
                      uint8_t *strip_buf)
{
    const locdet_kernel_api *k = r->host->kernels;
    int threads = r->host->threads, w = lab->width, h = lab->height;
    locdet_component *st = &lab->stats[c];
    int x0 = crop->x0, y0 = crop->y0;
    locdet_image mask = crop->mask;
    uint8_t *mask_buf = mask.data;
    locdet_image strip = {strip_buf, mask.width, mask.height, mask.stride};
    int rc = k->morph(k->table, LOCDET_MORPH_OPEN, &mask, &strip, spur, spur, threads);
    if (rc)
        return rc;
    size_t n = (size_t)mask.width * mask.height;
    uint8_t any = 0;
    for (size_t i = 0; i < n; i++) {
        strip_buf[i] = mask_buf[i] & (uint8_t)~strip_buf[i];
        any |= strip_buf[i];
    }
    if (!any)
        return LOCDET_OK;

    locdet_labeling strips;
    if ((rc = k->label(k->table, &strip, 4, threads, &strips)))
        return rc;
    uint8_t *drop = call->scratch(call, (size_t)strips.count);
    if (!drop) {
        k->labeling_free(&strips);
        return LOCDET_ERR_NOMEM;
    }
    memset(drop, 0, (size_t)strips.count);
    bool cut = false;
    /* strip pixels only: the words of strip_buf that are 0 are skipped */
    for (int y = 0; y < mask.height; y++) {
        const uint8_t *sr = strip_buf + (size_t)y * strip.stride;
        const int32_t *lr = strips.labels + (ptrdiff_t)y * strips.stride;
        const uint8_t *cr = cls + (size_t)(y + y0) * w;
        for (int x = 0; x < mask.width; x++) {
            if (x + 8 <= mask.width && same8(sr + x, NULL)) {
                x += 7;
                continue;
            }
            if (sr[x] && !drop[lr[x]] && beside_exterior(cr, w, h, x + x0, y + y0))
                drop[lr[x]] = 1, cut = true;
        }
    }
    for (int y = 0; y < mask.height && cut; y++) {
        const uint8_t *sr = strip_buf + (size_t)y * strip.stride;
        const int32_t *lr = strips.labels + (ptrdiff_t)y * strips.stride;
        uint8_t *mr = mask_buf + (size_t)y * mask.stride;
        for (int x = 0; x < mask.width; x++) {
            if (x + 8 <= mask.width && same8(sr + x, NULL)) {
                x += 7;
                continue;
            }
            if (drop[lr[x]])
                mr[x] = 0;
        }
    }
    k->labeling_free(&strips);
    if (!cut)
        return LOCDET_OK;

    /* the room is its largest piece left */
    locdet_labeling pieces;
    if ((rc = k->label(k->table, &mask, 4, threads, &pieces)))
        return rc;
    int32_t body = 0;
    for (int32_t p = 1; p < pieces.count; p++)
        if (!body || pieces.stats[p].area > pieces.stats[body].area)
            body = p;
    bool split = false;
    for (int32_t p = 1; p < pieces.count; p++)
        split |= p != body && (double)pieces.stats[p].area >= min_area;
    if (body && !split) {
        double sum_x = 0, sum_y = 0;
        for (int y = 0; y < mask.height; y++) {
            int32_t *lr = lab->labels + (ptrdiff_t)(y + y0) * lab->stride + x0;
            const int32_t *pr = pieces.labels + (ptrdiff_t)y * pieces.stride;
            uint8_t *mr = mask_buf + (size_t)y * mask.stride;
            for (int x = 0; x < mask.width; x++) {
                mr[x] = (uint8_t)-(pr[x] == body);
                if (lr[x] == c && pr[x] != body) {
                    lr[x] = 0;
                    sum_x += x + x0;
                    sum_y += y + y0;
                }
            }
        }
        const locdet_component *b = &pieces.stats[body];
        st->cx = (st->cx * (double)st->area - sum_x) / (double)b->area;
        st->cy = (st->cy * (double)st->area - sum_y) / (double)b->area;
        st->area = b->area;
        st->left = b->left + x0;
        st->top = b->top + y0;
        st->width = b->width;
        st->height = b->height;
    } else {
        crop_room(lab, c, crop->pad, mask_buf, crop); /* the mask as labelled */
    }
    k->labeling_free(&pieces);
    return LOCDET_OK;
}

/* A room's outline spans the notches that text, furniture and wall stubs
 * cut into it: the component's pixels (crop) closed by a notch x notch square
 * (odd), within its box, are relabelled c where they are not another room's
 * (keep), and its area and centroid follow. The closing at a pixel of the box
 * reads the dilation within notch/2 of it, and that reads the box alone: a
 * crop margin of notch/2 is exact. closed_buf holds the labelling's width x
 * height bytes. A square closing keeps an L's inner corner and never reaches
 * past the box, so rooms keep their shape and box. */
static int fill_notches(const rooms *r, locdet_labeling *lab, const uint8_t *keep, int32_t c,
                        const room_crop *crop, int notch, uint8_t *closed_buf)
{
    const locdet_kernel_api *k = r->host->kernels;
    locdet_component *st = &lab->stats[c];
    int x0 = crop->x0, y0 = crop->y0;
    locdet_image mask = crop->mask;
    locdet_image closed = {closed_buf, mask.width, mask.height, mask.stride};
    int rc = k->morph(k->table, LOCDET_MORPH_CLOSE, &mask, &closed, notch, notch, r->host->threads);
    if (rc)
        return rc;
    int64_t added = 0;
    double sum_x = 0, sum_y = 0;
    for (int y = st->top; y < st->top + st->height; y++) {
        int32_t *lr = lab->labels + (ptrdiff_t)y * lab->stride;
        const uint8_t *cr = closed.data + (size_t)(y - y0) * mask.stride;
        const uint8_t *mr = mask.data + (size_t)(y - y0) * mask.stride;
        for (int x = st->left; x < st->left + st->width; x++) {
            /* the closing adds to the room where it differs from the mask */
            if (x + 8 <= st->left + st->width && same8(cr + (x - x0), mr + (x - x0))) {
                x += 7;
                continue;
            }
            int32_t l = lr[x];
            if (cr[x - x0] && l != c && !(l > 0 && keep[l])) {
                lr[x] = c;
                added++;
                sum_x += x;
                sum_y += y;
            }
        }
    }
    if (added) {
        double area = (double)(st->area + added);
        st->cx = (st->cx * (double)st->area + sum_x) / area;
        st->cy = (st->cy * (double)st->area + sum_y) / area;
        st->area += added;
    }
    return LOCDET_OK;
}

/* Whether an outline runs along its frame's axes: edges within 5 degrees
 * of them make 0.6 of its length or more. A room found in a pass turned to
 * one part of a drawing is square in that pass's frame; pieces of the
 * other parts, turned off their axes, are not. */
static bool square_on(const locdet_point *poly, int n)
{
    double along = 0, all = 0;
    for (int i = 0; i < n; i++) {
        double dx = fabs((double)poly[(i + 1) % n].x - poly[i].x);
        double dy = fabs((double)poly[(i + 1) % n].y - poly[i].y);
        double len = sqrt(dx * dx + dy * dy);
        all += len;
        along += fmin(dx, dy) <= 0.0875 * len ? len : 0; /* tan 5 degrees */
    }
    return all > 0 && along >= 0.6 * all;
}

/* The pixels of component c (a room of pass tr) on the input image, at
 * claimed (tr->cw x tr->ch): how many an earlier pass had claimed; with
 * `claim`, they are claimed now. */
static int64_t claim_room(const locdet_labeling *lab, int32_t c, const turn *tr, bool claim)
{
    const locdet_component *st = &lab->stats[c];
    int64_t taken = 0;
    for (int y = st->top; y < st->top + st->height; y++) {
        const int32_t *row = lab->labels + (ptrdiff_t)y * lab->stride;
        for (int x = st->left; x < st->left + st->width; x++) {
            if (row[x] != c)
                continue;
            double sx, sy;
            turn_point(tr, x + 0.5, y + 0.5, &sx, &sy);
            int ix = (int)floor(sx), iy = (int)floor(sy);
            if (ix < 0 || iy < 0 || ix >= tr->cw || iy >= tr->ch)
                continue;
            uint8_t *m = tr->claimed + (ptrdiff_t)iy * tr->cw + ix;
            taken += *m;
            if (claim)
                *m = 1;
        }
    }
    return taken;
}

/* The bridge edges of free component c that the fragment test (is_room)
 * does not count as cuts: a small room's windows, when walls hold
 * min_solid of its box without them (a pocket outside the building
 * between a dimension line's ticks has its drawn lines); and a corridor's
 * end, an undrawn door: a hall with doors round it and such an end is no
 * piece cut off (nogt example4's). Only looked for on fragments. */
static uint32_t uncut_edges(const rooms *r, const locdet_labeling *lab, int32_t c,
                            const uint32_t nb[5], const uint8_t *cls, const locdet_image *img,
                            int light, int strongest, const corridor_ends *ends, int thick)
{
    const locdet_component *st = &lab->stats[c];
    uint32_t uncut = fragment(r, st, nb[2], thick) &&
                             (double)nb[1] >= r->min_solid * 2.0 * (st->width + st->height)
                         ? windows_to_exterior(lab, c, cls, img, light, 2 * strongest + 2)
                         : 0;
    if (ends->n > 0 && fragment(r, st, nb[2] > uncut ? nb[2] - uncut : 0, thick))
        uncut += corridor_end_edges(lab, c, cls, lab->width, lab->height, ends);
    return uncut;
}

/* 6. Rooms from the free space (space: 255 where cls is 0): labelled
 * (4-connected), framed space taken out, border edges counted, false
 * splits merged, rooms chosen, the fragments that lead to one joined to
 * it (merge_split), then each component kept as a room loses its strips
 * beside the exterior, has its notches filled, is traced, simplified and
 * added to the call's result (coordinates times s). filled: the walls are
 * gray fill between hairlines (else the lines under bridges are counted,
 * drawn_wall: plans with solid or hatched walls). cls may be
 * changed by drop_frames. space and spare (image sized, pages already
 * touched) are overwritten after the labelling: the strip openings and
 * notch closings work in them. ends: the corridors' ends bridged in step 4
 * (no cuts for the fragment test). */
int emit_rooms(const rooms *r, const locdet_call *call, const locdet_image *img,
               uint8_t *cls, const locdet_image *space, uint8_t *spare, int thick,
               int strongest, int level, int light, bool filled, bool pen_walls, int s,
               const turn *tr, const corridor_ends *ends)
{
    bool drawn = r->drawn_wall > 0 && !filled;
    const locdet_kernel_api *k = r->host->kernels;
    const locdet_kernels *t = k->table;
    int threads = r->host->threads, w = img->width, h = img->height, rc;
    locdet_labeling lab;
    if ((rc = k->label(t, space, 4, threads, &lab)))
        return rc;
    double side = r->min_room_ratio * thick;
    double min_area = side * side;
    /* With walls drawn as pen lines (pen_walls), t is the pen, not a
     * wall's thickness: the smallest room is measured against the thinnest
     * wall such a drawing can show, two pens (outlined walls' lines stand
     * 2 pens apart at the least). The other measures keep t. */
    double min_room = pen_walls ? 4 * min_area : min_area;
    if (r->frame_rooms > 0)
        drop_frames(r, call, &lab, cls, min_area, s);

    /* Each component's border edges by what lies across: wall, bridge or
     * exterior (nb[c][cls]), and bridge with a line drawn under it
     * (nb[c][4]). A room is enclosed by walls: text and dimension lines
     * outside the building close off pockets that mostly face the exterior,
     * and pockets cut off by bridges alone (window recesses, corners) have
     * little wall of their own. A door drawn as glazing or a window drawn
     * in the opening is part wall: in plans with solid walls, where the
     * linework left standing is not grid or scope lines. */
    uint32_t(*nb)[5] = call->scratch(call, (size_t)lab.count * sizeof *nb);
    if (!nb) {
        k->labeling_free(&lab);
        return LOCDET_ERR_NOMEM;
    }
    memset(nb, 0, (size_t)lab.count * sizeof *nb);
    for (int y = 1; y < h - 1; y++) {
        const int32_t *lr = lab.labels + (ptrdiff_t)y * lab.stride;
        const uint8_t *cr = cls + (size_t)y * w;
        for (int x = 1; x < w - 1; x++) {
            /* Skip 8 pixels at once inside free space (they and their
             * neighbours all 0) and inside the rest (all nonzero: not
             * labelled, tmp was free space only). */
            uint64_t mid, lft, rgt, up, dn;
            if (x + 9 <= w &&
                (memcpy(&mid, cr + x, 8), memcpy(&lft, cr + x - 1, 8), memcpy(&rgt, cr + x + 1, 8),
                 memcpy(&up, cr + x - w, 8), memcpy(&dn, cr + x + w, 8),
                 !(lft | rgt | up | dn) || !has_zero_byte(mid))) {
                x += 7;
                continue;
            }
            int32_t c = lr[x];
            if (!c || !(cr[x - 1] | cr[x + 1] | cr[x - w] | cr[x + w]))
                continue;
            nb[c][cr[x - 1]]++;
            nb[c][cr[x + 1]]++;
            nb[c][cr[x - w]]++;
            nb[c][cr[x + w]]++;
            if (drawn) {
                nb[c][4] += drawn_across(cls, img, light, w, h, x, y, -1, 0, strongest) +
                            drawn_across(cls, img, light, w, h, x, y, 1, 0, strongest) +
                            drawn_across(cls, img, light, w, h, x, y, 0, -1, strongest) +
                            drawn_across(cls, img, light, w, h, x, y, 0, 1, strongest);
            }
        }
    }

    /* the fragments, before any merge (is_room's test); where they go
     * once the rooms are chosen (merge_split) */
    uint8_t *frag = call->scratch(call, (size_t)lab.count);
    fragment_joins fj = {call->scratch(call, (size_t)lab.count * sizeof *fj.lead), NULL, NULL,
                         NULL};
    if (!frag || !fj.lead) {
        k->labeling_free(&lab);
        return LOCDET_ERR_NOMEM;
    }
    memset(fj.lead, 0, (size_t)lab.count * sizeof *fj.lead);
    if (r->merge_span > 0) {
        frag[0] = 0;
        /* fewer cuts are a fragment only if all of them are: the cheap
         * test first */
        for (int32_t c = 1; c < lab.count; c++) {
            const locdet_component *st = &lab.stats[c];
            frag[c] = fragment(r, st, nb[c][2], thick);
            if (frag[c]) {
                uint32_t uncut = uncut_edges(r, &lab, c, nb[c], cls, img, light, strongest,
                                             ends, thick);
                frag[c] = fragment(r, st, nb[c][2] > uncut ? nb[c][2] - uncut : 0, thick);
            }
        }
        if ((rc = merge_split(r, call, cls, &lab, nb, thick, strongest, img, light, frag, &fj)))
            return rc;
    }

    /* Rooms first, so that a room's outline spans its notches (text,
     * furniture and wall stubs cut into it) but never another room. */
    uint8_t *keep = call->scratch(call, (size_t)lab.count);
    if (!keep) {
        k->labeling_free(&lab);
        return LOCDET_ERR_NOMEM;
    }
    for (int32_t c = 1; c < lab.count; c++) {
        const locdet_component *st = &lab.stats[c];
        /* width 0: merged into another (merge_split) */
        keep[c] = 0;
        if (st->width == 0)
            continue;
        bool closet = small_closet(st, nb[c], min_room) &&
                      bridged_by_door(&lab, c, cls, img, light, CLOSET_DOOR_INK);
        uint32_t uncut = uncut_edges(r, &lab, c, nb[c], cls, img, light, strongest, ends, thick);
        keep[c] =
            is_room(r, call, img, st, nb[c], uncut, thick, min_room, level, s, closet, filled);
    }
    /* fragments join the rooms they lead to (merge_split); a room's
     * confidence stays that of the room as found: its own box and area */
    own_measure *own = call->scratch(call, (size_t)lab.count * sizeof *own);
    if (!own) {
        k->labeling_free(&lab);
        return LOCDET_ERR_NOMEM;
    }
    for (int32_t c = 1; c < lab.count; c++)
        if (keep[c])
            own[c] = (own_measure){2.0 * (lab.stats[c].width + lab.stats[c].height), 0};
    for (int32_t f = 1; f < lab.count; f++) {
        int32_t q = fj.lead[f];
        if (q && keep[q] && !keep[f] && lab.stats[f].width > 0) {
            own[q].joined += lab.stats[f].area;
            absorb(&lab, NULL, q, f);
            own[q].joined += fill_crossings(&lab, q, fj.cr + fj.at[f], fj.len[f]);
        }
    }
    int notch = r->notch > 0 ? (int)lround(r->notch * thick) | 1 : 0; /* odd: centred */
    int spur = r->spur > 0 ? (int)lround(r->spur * thick) | 1 : 0;

    /* 6. outlines */
    for (int32_t c = 1; c < lab.count && !rc; c++) {
        if (!keep[c])
            continue;
        locdet_component *st = &lab.stats[c];
        double edges = (double)nb[c][1] + nb[c][2] + nb[c][3];
        double box_perimeter = own[c].perimeter;
        if (call->should_stop(call)) {
            rc = LOCDET_ERR_CANCELLED;
            break;
        }
        /* one crop serves both: a margin of the larger half element is exact */
        room_crop crop;
        if (spur > 1 || notch > 1)
            crop_room(&lab, c, (spur > notch ? spur : notch) / 2, space->data, &crop);
        /* a strip beside the exterior makes the room touch it (nb[c][3]) */
        if (spur > 1 && nb[c][3] &&
            (rc = trim_spurs(r, call, &lab, cls, c, &crop, spur, min_area, spare)))
            break;
        /* confidence: the free space, notches not filled (spurs trimmed
         * may have taken joined pixels too: at least one is left) */
        int64_t free_area = st->area - own[c].joined > 0 ? st->area - own[c].joined : 1;
        if (notch > 1 && (rc = fill_notches(r, &lab, keep, c, &crop, notch, spare)))
            break;
        bool free_standing = (double)st->area < FREE_AREA * min_area &&
                             stands_free(&lab, c, cls, strongest + 2 * thick);
        if (free_standing) {
            call->host->log(call->host, LOCDET_LOG_DEBUG, "free-standing %d %d %d %d dropped",
                            st->left * s, st->top * s, (st->left + st->width) * s,
                            (st->top + st->height) * s);
            keep[c] = 0; /* later rooms' notches may reach into it */
            continue;
        }
        locdet_point *outline, *poly;
        int n, np;
        if ((rc = k->trace_label(t, lab.labels, lab.stride, w, h, c, st->left, st->top, &outline,
                                 &n)))
            break;
        double eps = k->approx_epsilon(outline, n, r->epsilon);
        rc = k->approx_poly(outline, n, eps, true, &poly, &np);
        k->points_free(outline);
        if (rc)
            break;
        /* one pass of several keeps the rooms not found already (under a
         * quarter claimed); a part's own pass only those square in its
         * frame, with the ink around them square on too: a piece of
         * another part (turned off its axes here) is boxed in by slanted
         * ink */
        bool keep_room = np >= 3;
        if (keep_room && tr && tr->claimed) {
            int m = 2 * thick, box[4] = {st->left - m, st->top - m, st->left + st->width + m,
                                         st->top + st->height + m};
            int least = 4 * (light - level) > 32 ? 4 * (light - level) : 32;
            keep_room = (!tr->strict ||
                         (square_on(poly, np) && square_ink(img, box, least) >= 0.5)) &&
                        4 * claim_room(&lab, c, tr, false) < st->area;
            if (keep_room)
                claim_room(&lab, c, tr, true);
        }
        if (keep_room) {
            for (int i = 0; i < np; i++) {
                if (tr && tr->turned) {
                    /* back onto the input; a corner turned past its edge
                     * is on it (the drawing is paper there) */
                    double x, y;
                    turn_point(tr, poly[i].x, poly[i].y, &x, &y);
                    x = fmin(fmax(x * s, 0), call->width);
                    y = fmin(fmax(y * s, 0), call->height);
                    poly[i] = (locdet_point){(int32_t)lround(x), (int32_t)lround(y)};
                } else {
                    poly[i].x *= s;
                    poly[i].y *= s;
                }
            }
            /* Confidence: how much more of the border is drawn wall than
             * bridge (a bridge is a guess; a false room is usually cut
             * off by one), how large the room is against the smallest one
             * (fixtures, pockets and fragments are small), and, at half
             * weight, how little of it faces the exterior. Box fill is not
             * in it: open-plan and L-shaped rooms fill little of their box
             * and are matched as often (docs/rooms.md, step 7). */
            double border = fmin(1, fmax(0, ((double)nb[c][1] - nb[c][2]) / box_perimeter));
            double size = fmin(1, fmax(0, log((double)free_area / min_area) / log(1024)));
            double ext = edges > 0 ? (double)nb[c][3] / edges : 0;
            double conf = 0.05 + 0.9 * (border + size + 0.5 * (1 - ext)) / 2.5;
            locdet_room room = {
                .polygon = poly,
                .n_points = np,
                .confidence = conf,
                .bbox_px = {st->left * s, st->top * s,
                            (st->left + st->width) * s < call->width ? (st->left + st->width) * s
                                                                     : call->width,
                            (st->top + st->height) * s < call->height ? (st->top + st->height) * s
                                                                      : call->height},
                .area_px = (double)st->area * s * s,
                .centroid = {st->cx * s, st->cy * s},
            };
            if (tr && tr->turned) {
                /* the host boxes the turned outline */
                memset(room.bbox_px, 0, sizeof room.bbox_px);
                turn_point(tr, st->cx, st->cy, &room.centroid[0], &room.centroid[1]);
                room.centroid[0] *= s;
                room.centroid[1] *= s;
            }
            rc = call->add_room(call, &room);
        }
        k->points_free(poly);
    }
    k->labeling_free(&lab);
    return rc;
}
