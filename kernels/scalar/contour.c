/* Contour family, scalar: Suzuki-Abe border following in the manner of
 * OpenCV findContours (RETR_CCOMP, CHAIN_APPROX_SIMPLE), the outer border of
 * one label, and Douglas-Peucker as OpenCV 4.6 approxPolyDP. Written from
 * the algorithms' descriptions and OpenCV's observable behaviour; the
 * comments name each rule that output equality depends on. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../internal.h"

/* Chain codes: 0 = right, then counter-clockwise on screen (y grows down). */
static const int8_t code_dx[8] = {1, 1, 0, -1, -1, -1, 0, 1};
static const int8_t code_dy[8] = {0, -1, -1, -1, 0, 1, 1, 1};

/* Work image values: 0 background, 1 foreground not yet on a traced border,
 * otherwise a border mark: MARK_CODE bits name the component (its index
 * modulo 126, plus 2) and MARK_RIGHT says the pixel's right neighbour is
 * background examined by the tracer (Suzuki's negative NBD). As in OpenCV, a
 * right mark always overwrites and a plain mark only replaces a 1. */
#define MARK_RIGHT 0x80u
#define MARK_CODE 0x7fu
#define CODE_COUNT 126

typedef struct points_buf {
    locdet_point *p;
    size_t n, cap;
} points_buf;

static bool points_push(points_buf *b, int x, int y)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        locdet_point *p = realloc(b->p, cap * sizeof *p);
        if (!p)
            return false;
        b->p = p, b->cap = cap;
    }
    b->p[b->n++] = (locdet_point){x, y};
    return true;
}

typedef struct raw_contour {
    size_t start;      /* first point in the points buffer */
    size_t n;
    int parent;        /* discovery index of the outer border, -1 for outer borders */
    int comp;          /* component index */
    int next_in_comp;  /* next border of the same component (discovery index) or -1 */
    bool hole;
} raw_contour;

typedef struct component {
    int x0, y0, x1, y1;  /* bounding box (inclusive), padded coordinates */
    int outer;           /* discovery index of its outer border */
    int last_border;     /* head of its border list */
    int next_same_code;  /* earlier component with the same mark code, or -1 */
} component;

typedef struct tracer {
    uint8_t *img;        /* padded work image */
    ptrdiff_t stride;
    ptrdiff_t delta[16]; /* chain code -> pointer step, twice over */
    points_buf pts;
    raw_contour *contours;
    int n_contours, cap_contours;
    component *comps;
    int n_comps, cap_comps;
    int code_head[CODE_COUNT];
} tracer;

static bool grow(void **p, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return true;
    if (*cap > INT_MAX / 2)
        return false;
    int c = *cap ? *cap * 2 : 256;
    void *q = realloc(*p, (size_t)c * elem);
    if (!q)
        return false;
    *p = q, *cap = c;
    return true;
}

/* Follow one border from i0 (padded coordinates x, y) and append its corner
 * points. Outer borders start their clockwise search for the second pixel
 * at the left neighbour, holes at the right one; then each step searches
 * counter-clockwise from the pixel we came from. A point is written when
 * the direction changes; the first pixel counts as entered in the
 * direction of the closing step, so a border whose start lies inside a
 * straight run begins at the run's end (OpenCV does the same). */
static bool follow_border(tracer *t, uint8_t *i0, int x, int y, bool hole, uint8_t code,
                          int box[4])
{
    const ptrdiff_t *d = t->delta;
    int s, s_end;
    s = s_end = hole ? 0 : 4;
    uint8_t *i1;
    do {
        s = (s - 1) & 7;
        i1 = i0 + d[s];
    } while (*i1 == 0 && s != s_end);

    box[0] = box[2] = x;
    box[1] = box[3] = y;
    if (s == s_end) { /* a single pixel */
        *i0 = (uint8_t)(code | MARK_RIGHT);
        return points_push(&t->pts, x, y);
    }

    uint8_t *i3 = i0, *i4;
    int prev_s = s ^ 4;
    for (;;) {
        s_end = s;
        do
            i4 = i3 + d[++s];
        while (*i4 == 0);
        s &= 7;
        /* The right neighbour was examined as background iff the search
         * wrapped past code 0 (s in 1..s_end). */
        if ((unsigned)(s - 1) < (unsigned)s_end)
            *i3 = (uint8_t)(code | MARK_RIGHT);
        else if (*i3 == 1)
            *i3 = code;
        if (s != prev_s) {
            if (!points_push(&t->pts, x, y))
                return false;
            prev_s = s;
            if (x < box[0]) box[0] = x;
            if (x > box[2]) box[2] = x;
            if (y < box[1]) box[1] = y;
            if (y > box[3]) box[3] = y;
        }
        x += code_dx[s];
        y += code_dy[s];
        if (i4 == i0 && i3 == i1)
            break;
        i3 = i4;
        s = (s + 4) & 7;
    }
    return true;
}

/* Whether (x, y) lies on the pixel path of a corner chain: consecutive
 * corners are joined by straight runs in one of the 8 directions. */
static bool on_chain(const locdet_point *p, size_t n, int x, int y)
{
    for (size_t i = 0; i < n; i++) {
        locdet_point a = p[i], b = p[i + 1 < n ? i + 1 : 0];
        int ddx = (b.x > a.x) - (b.x < a.x), ddy = (b.y > a.y) - (b.y < a.y);
        int len = abs(b.x - a.x) > abs(b.y - a.y) ? abs(b.x - a.x) : abs(b.y - a.y);
        int rx = x - a.x, ry = y - a.y;
        int k = ddx ? rx * ddx : ry * ddy;
        if (k >= 0 && k <= len && rx == k * ddx && ry == k * ddy)
            return true;
    }
    return false;
}

static bool comp_has_pixel(const tracer *t, int c, int x, int y)
{
    for (int b = t->comps[c].last_border; b >= 0; b = t->contours[b].next_in_comp) {
        const raw_contour *r = &t->contours[b];
        /* points are stored in output coordinates: padded minus one */
        if (on_chain(t->pts.p + r->start, r->n, x - 1, y - 1))
            return true;
    }
    return false;
}

/* The component a marked pixel on scan row y belongs to. Its mark gives the
 * component's code; among the components with that code whose box holds
 * the pixel, the last one standing is it, so only a tie needs a walk along
 * the borders. Lookups only ever move down the image, so a component whose
 * box ends above row y leaves its list for good: the lists stay as short as
 * the number of components crossing the row (noise has ~10^5 components). */
static int component_at(tracer *t, int x, int y)
{
    unsigned code = (t->img[y * t->stride + x] & MARK_CODE) - 2;
    int found = -1;
    int *link = &t->code_head[code];
    while (*link >= 0) {
        component *cp = &t->comps[*link];
        if (cp->y1 < y) {
            *link = cp->next_same_code;
            continue;
        }
        int c = *link;
        link = &cp->next_same_code;
        if (x < cp->x0 || x > cp->x1 || y < cp->y0)
            continue;
        if (found >= 0 && comp_has_pixel(t, found, x, y))
            return found;
        found = c;
    }
    return found;
}

static bool add_contour(tracer *t, int comp, int parent, bool hole)
{
    if (!grow((void **)&t->contours, &t->cap_contours, t->n_contours + 1, sizeof *t->contours))
        return false;
    int idx = t->n_contours++;
    t->contours[idx] = (raw_contour){.start = t->pts.n, .n = 0, .parent = parent, .comp = comp,
                                     .next_in_comp = t->comps[comp].last_border, .hole = hole};
    t->comps[comp].last_border = idx;
    return true;
}

/* First index in [x, end) where row[x] != v, or end. Eight bytes at a time. */
static inline int next_change(const uint8_t *row, int x, int end, uint8_t v)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t pattern = 0x0101010101010101ull * v;
    for (; x + 8 <= end; x += 8) {
        uint64_t w;
        memcpy(&w, row + x, 8);
        w ^= pattern;
        if (w)
            return x + (__builtin_ctzll(w) >> 3);
    }
#endif
    while (x < end && row[x] == v)
        x++;
    return x;
}

/* Build the output: outer borders newest first, each followed by its holes
 * newest first. That is the order OpenCV's tree gives (every new border is
 * put in front of its siblings, then the tree is walked depth first). */
static int build_set(tracer *t, int off_x, int off_y, locdet_contour_set *out)
{
    int n = t->n_contours;
    if (n == 0) {
        free(t->pts.p);
        t->pts.p = NULL;
        return LOCDET_OK;
    }
    int *next = malloc((size_t)n * sizeof *next);
    int *child = malloc((size_t)n * sizeof *child);
    int *order = malloc((size_t)n * sizeof *order);
    int *pos = malloc((size_t)n * sizeof *pos);
    locdet_contour *cs = calloc((size_t)n, sizeof *cs);
    if (!next || !child || !order || !pos || !cs) {
        free(next), free(child), free(order), free(pos), free(cs);
        return LOCDET_ERR_NOMEM;
    }
    int top = -1;
    for (int i = 0; i < n; i++) {
        child[i] = -1;
        if (t->contours[i].hole) {
            int p = t->contours[i].parent;
            next[i] = child[p];
            child[p] = i;
        } else {
            next[i] = top;
            top = i;
        }
    }
    int m = 0;
    for (int o = top; o >= 0; o = next[o]) {
        order[m++] = o;
        for (int h = child[o]; h >= 0; h = next[h])
            order[m++] = h;
    }
    for (int i = 0; i < n; i++)
        pos[order[i]] = i;
    for (int i = 0; i < n; i++) {
        const raw_contour *r = &t->contours[order[i]];
        locdet_contour *c = &cs[i];
        c->points = t->pts.p + r->start;
        c->n = (int)r->n;
        c->hole = r->hole;
        c->hierarchy[LOCDET_HIER_NEXT] = next[order[i]] >= 0 ? pos[next[order[i]]] : -1;
        c->hierarchy[LOCDET_HIER_PREV] = -1;
        c->hierarchy[LOCDET_HIER_CHILD] = child[order[i]] >= 0 ? pos[child[order[i]]] : -1;
        c->hierarchy[LOCDET_HIER_PARENT] = r->parent >= 0 ? pos[r->parent] : -1;
        for (size_t k = 0; k < r->n; k++) {
            c->points[k].x += off_x;
            c->points[k].y += off_y;
        }
    }
    for (int i = 0; i < n; i++)
        if (cs[i].hierarchy[LOCDET_HIER_NEXT] >= 0)
            cs[cs[i].hierarchy[LOCDET_HIER_NEXT]].hierarchy[LOCDET_HIER_PREV] = i;
    free(next), free(child), free(order), free(pos);
    out->contours = cs;
    out->count = n;
    out->storage = t->pts.p;
    out->point_count = t->pts.n;
    t->pts.p = NULL;
    return LOCDET_OK;
}

int locdet_contour_trace_work(uint8_t *work, ptrdiff_t ws, int width, int height, int off_x,
                              int off_y, locdet_contour_set *out)
{
    memset(out, 0, sizeof *out);
    tracer t = {.img = work, .stride = ws};
    static const int8_t dx8[8] = {1, 1, 0, -1, -1, -1, 0, 1}, dy8[8] = {0, -1, -1, -1, 0, 1, 1, 1};
    for (int s = 0; s < 16; s++)
        t.delta[s] = dy8[s & 7] * ws + dx8[s & 7];
    for (int c = 0; c < CODE_COUNT; c++)
        t.code_head[c] = -1;

    int status = LOCDET_OK;
    const int end = width + 1; /* scan the inner columns 1..width */
    for (int y = 1; y <= height && status == LOCDET_OK; y++) {
        uint8_t *row = work + y * ws;
        uint8_t prev = 0;
        int lnbd = 0; /* last marked pixel passed on this row (Suzuki's LNBD) */
        for (int x = 1;; x++) {
            x = next_change(row, x, end, prev);
            if (x >= end)
                break;
            uint8_t p = row[x];
            bool hole;
            if (prev == 0 && p == 1) {
                hole = false;           /* 0 -> 1: an outer border starts at x */
            } else if (p == 0 && (int8_t)prev >= 1) {
                hole = true;            /* >=1 -> 0: a hole border starts at x-1 */
                if (prev != 1)
                    lnbd = x - 1;
            } else {
                prev = p;
                if (p > 1)
                    lnbd = x;
                continue;
            }
            int comp, parent = -1;
            if (hole) {
                comp = component_at(&t, lnbd, y);
                parent = t.comps[comp].outer;
            } else {
                if (!grow((void **)&t.comps, &t.cap_comps, t.n_comps + 1, sizeof *t.comps)) {
                    status = LOCDET_ERR_NOMEM;
                    break;
                }
                comp = t.n_comps++;
                int code = comp % CODE_COUNT;
                t.comps[comp] = (component){.outer = t.n_contours, .last_border = -1,
                                            .next_same_code = t.code_head[code]};
                t.code_head[code] = comp;
            }
            if (!add_contour(&t, comp, parent, hole)) {
                status = LOCDET_ERR_NOMEM;
                break;
            }
            int ox = x - hole;
            int box[4];
            uint8_t code = (uint8_t)(comp % CODE_COUNT + 2);
            if (!follow_border(&t, row + ox, ox - 1, y - 1, hole, code, box)) {
                status = LOCDET_ERR_NOMEM;
                break;
            }
            raw_contour *r = &t.contours[t.n_contours - 1];
            r->n = t.pts.n - r->start;
            if (!hole) {
                component *cp = &t.comps[comp];
                cp->x0 = box[0] + 1, cp->y0 = box[1] + 1;
                cp->x1 = box[2] + 1, cp->y1 = box[3] + 1;
            }
            lnbd = ox;
            prev = row[x]; /* now marked (outer) or still 0 (hole) */
        }
    }
    if (status == LOCDET_OK && t.pts.n > (size_t)INT_MAX)
        status = LOCDET_ERR_OVERFLOW;
    if (status == LOCDET_OK)
        status = build_set(&t, off_x, off_y, out);
    free(t.pts.p);
    free(t.contours);
    free(t.comps);
    return status;
}

decl_contour_trace_fn(locdet_contour_trace_scalar)
{
    const ptrdiff_t ws = (ptrdiff_t)width + 2;
    /* +8: next_change reads whole words up to the end of a row */
    size_t size = (size_t)ws * (size_t)(height + 2) + 8;
    uint8_t *work = malloc(size);
    if (!work)
        return LOCDET_ERR_NOMEM;
    memset(work, 0, (size_t)ws);
    for (int y = 0; y < height; y++) {
        const uint8_t *s = src + y * src_stride;
        uint8_t *d = work + (y + 1) * ws;
        d[0] = 0;
        for (int x = 0; x < width; x++)
            d[x + 1] = s[x] != 0;
        d[width + 1] = 0;
    }
    memset(work + (height + 1) * ws, 0, (size_t)ws + 8);
    int status = locdet_contour_trace_work(work, ws, width, height, 0, 0, out);
    free(work);
    return status;
}

/* ---- one label, straight on the int32 image ------------------------------ */

/* The same border following as follow_border for an outer border, with
 * "pixel == label, inside the image" as the foreground test and no marks:
 * only the stop rule (back at the start, about to repeat the first step)
 * is needed, so the label image stays read-only. */
decl_contour_trace_label_fn(locdet_contour_trace_label_scalar)
{
#define FG(px, py)                                                             \
    ((unsigned)(px) < (unsigned)width && (unsigned)(py) < (unsigned)height &&  \
     labels[(ptrdiff_t)(py) * stride + (px)] == label)
    *pts = NULL;
    *n = 0;
    const int32_t *row = labels + (ptrdiff_t)y0 * stride;
    int xs = x0;
    while (xs < width && row[xs] != label)
        xs++;
    if (xs >= width)
        return LOCDET_ERR_INVALID;

    points_buf b = {0};
    int s = 4, s_end = 4;
    do
        s = (s - 1) & 7;
    while (!FG(xs + code_dx[s], y0 + code_dy[s]) && s != s_end);
    if (s == s_end) {
        if (!points_push(&b, xs, y0))
            return LOCDET_ERR_NOMEM;
    } else {
        const int x1 = xs + code_dx[s], y1 = y0 + code_dy[s];
        int x3 = xs, y3 = y0, x4, y4;
        int prev_s = s ^ 4;
        for (;;) {
            do {
                s++;
                x4 = x3 + code_dx[s & 7];
                y4 = y3 + code_dy[s & 7];
            } while (!FG(x4, y4));
            s &= 7;
            if (s != prev_s) {
                if (b.n >= (size_t)INT_MAX) {
                    free(b.p);
                    return LOCDET_ERR_OVERFLOW;
                }
                if (!points_push(&b, x3, y3)) {
                    free(b.p);
                    return LOCDET_ERR_NOMEM;
                }
                prev_s = s;
            }
            if (x4 == xs && y4 == y0 && x3 == x1 && y3 == y1)
                break;
            x3 = x4, y3 = y4;
            s = (s + 4) & 7;
        }
    }
#undef FG
    /* hand back an exact-size block */
    locdet_point *shrunk = realloc(b.p, b.n * sizeof *b.p);
    *pts = shrunk ? shrunk : b.p;
    *n = (int)b.n;
    return LOCDET_OK;
}

/* ---- Douglas-Peucker, as OpenCV 4.6 approxPolyDP_ on integer points ------
 * Closed curves: three rounds of "farthest point from the current start"
 * pick the start (the last round's start) and the split point; slices are
 * then split at their point farthest from the chord (first maximum wins)
 * while that distance exceeds epsilon; a slice that is kept writes its
 * start point. A final pass drops a vertex whose neighbours' chord passes
 * within epsilon/sqrt(2) of it, when that chord is neither horizontal nor
 * vertical and the vertex lies between them. An open curve whose ends meet
 * is simplified as closed with a single round, and cleaned as open. */
typedef struct slice {
    int start, end;
} slice;

typedef struct slice_stack {
    slice *s;
    size_t top, cap;
} slice_stack;

static bool slice_push(slice_stack *st, slice v)
{
    if (st->top == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 64;
        slice *p = realloc(st->s, cap * sizeof *p);
        if (!p)
            return false;
        st->s = p, st->cap = cap;
    }
    st->s[st->top++] = v;
    return true;
}

/* int differences in 64 bits: equal to OpenCV's int arithmetic wherever
 * that does not overflow, and defined where it would. */
static inline double dsub(int32_t a, int32_t b)
{
    return (double)((int64_t)a - b);
}

int locdet_approx_poly_scalar(const locdet_point *src, int count0, locdet_point *dst,
                              bool closed0, double eps)
{
    int init_iters = 3;
    slice sl = {0, 0}, right = {0, 0};
    locdet_point start_pt = {-1000000, -1000000}, end_pt = {0, 0}, pt = {0, 0};
    int pos = 0, count = count0, new_count = 0;
    bool closed = closed0, le_eps = false;
    slice_stack st = {0};

    if (count == 0)
        return 0;
    eps *= eps;

#define READ_SRC(v)                                                            \
    do {                                                                       \
        (v) = src[pos];                                                        \
        if (++pos >= count)                                                    \
            pos = 0;                                                           \
    } while (0)
#define PUSH(v)                                                                \
    do {                                                                       \
        if (!slice_push(&st, (v)))                                             \
            goto nomem;                                                        \
    } while (0)

    if (!closed) {
        right.start = count;
        end_pt = src[0];
        start_pt = src[count - 1];
        if (start_pt.x != end_pt.x || start_pt.y != end_pt.y) {
            sl = (slice){0, count - 1};
            PUSH(sl);
        } else {
            closed = true;
            init_iters = 1;
        }
    }

    if (closed) {
        right.start = 0;
        for (int i = 0; i < init_iters; i++) {
            double max_dist = 0;
            pos = (pos + right.start) % count;
            READ_SRC(start_pt);
            for (int j = 1; j < count; j++) {
                READ_SRC(pt);
                double dx = dsub(pt.x, start_pt.x), dy = dsub(pt.y, start_pt.y);
                double dist = dx * dx + dy * dy;
                if (dist > max_dist) {
                    max_dist = dist;
                    right.start = j;
                }
            }
            le_eps = max_dist <= eps;
        }
        if (!le_eps) {
            right.end = sl.start = pos % count;
            sl.end = right.start = (right.start + sl.start) % count;
            PUSH(right);
            PUSH(sl);
        } else {
            dst[new_count++] = start_pt;
        }
    }

    while (st.top > 0) {
        sl = st.s[--st.top];
        end_pt = src[sl.end];
        pos = sl.start;
        READ_SRC(start_pt);
        if (pos != sl.end) {
            double dx = dsub(end_pt.x, start_pt.x), dy = dsub(end_pt.y, start_pt.y);
            double max_dist = 0;
            while (pos != sl.end) {
                READ_SRC(pt);
                double dist = fabs(dsub(pt.y, start_pt.y) * dx - dsub(pt.x, start_pt.x) * dy);
                if (dist > max_dist) {
                    max_dist = dist;
                    right.start = (pos + count - 1) % count;
                }
            }
            le_eps = max_dist * max_dist <= eps * (dx * dx + dy * dy);
        } else {
            le_eps = true;
            start_pt = src[sl.start];
        }
        if (le_eps) {
            dst[new_count++] = start_pt;
        } else {
            right.end = sl.end;
            sl.end = right.start;
            PUSH(right);
            PUSH(sl);
        }
    }
    if (!closed)
        dst[new_count++] = src[count - 1];
#undef PUSH
#undef READ_SRC
    free(st.s);

    /* Clean-up pass, in place, exactly in OpenCV's order of reads and
     * writes (its write cursor may wrap onto points it has yet to read). */
    closed = closed0;
    count = new_count;
    pos = closed ? count - 1 : 0;
#define READ_DST(v)                                                            \
    do {                                                                       \
        (v) = dst[pos];                                                        \
        if (++pos >= count)                                                    \
            pos = 0;                                                           \
    } while (0)
    READ_DST(start_pt);
    int wpos = pos;
    READ_DST(pt);
    for (int i = !closed; i < count - !closed && new_count > 2; i++) {
        READ_DST(end_pt);
        double dx = dsub(end_pt.x, start_pt.x), dy = dsub(end_pt.y, start_pt.y);
        double dist = fabs(dsub(pt.x, start_pt.x) * dy - dsub(pt.y, start_pt.y) * dx);
        double inner = (double)(((int64_t)pt.x - start_pt.x) * ((int64_t)end_pt.x - pt.x) +
                                ((int64_t)pt.y - start_pt.y) * ((int64_t)end_pt.y - pt.y));
        if (dist * dist <= 0.5 * eps * (dx * dx + dy * dy) && dx != 0 && dy != 0 &&
            inner >= 0) {
            new_count--;
            dst[wpos] = start_pt = end_pt;
            if (++wpos >= count)
                wpos = 0;
            READ_DST(pt);
            i++;
            continue;
        }
        dst[wpos] = start_pt = pt;
        if (++wpos >= count)
            wpos = 0;
        pt = end_pt;
    }
    if (!closed)
        dst[wpos] = pt;
#undef READ_DST
    return new_count;

nomem:
    free(st.s);
    return -1;
}
