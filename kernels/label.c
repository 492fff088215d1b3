/* Label family: table init and connected-component labeling with statistics.
 *
 * Run-based labeling (the Lacassagne/Lemaitre line, "Light Speed Labeling"):
 *   1. per strip of rows, on its own thread: each row is turned into its runs
 *      of foreground by the `runs` slot (SIMD); each run takes the label of
 *      the runs of the previous row it touches (uniting their labels in a
 *      union-find with union by minimum and path halving), or a new
 *      provisional label. The statistics (area, sums of x and y, bounding
 *      box) are added per run to its provisional label: no per-pixel work
 *      but the run extraction. The row's run code is parked in its own row
 *      of the label image (it always fits, see park_runs), so runs need no
 *      memory of their own; a run's label goes to a per-strip array.
 *   2. sequentially: the strips' tables are joined, the runs across each
 *      strip border are united, each class's statistics are summed into its
 *      root, and final numbers go to the roots in OpenCV's order.
 *   3. per strip again: every row is painted from its parked runs.
 * Provisional labels grow in raster order of their creating run, strip after
 * strip, so the root of a class (its minimum) is its first run in raster
 * order whatever the strips: the output does not depend on the threads. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"
#include "parallel.h"

void locdet_label_dsp_init(locdet_kernels *k, unsigned flags)
{
    LOCDET_SET_SLOT(k, label, runs, locdet_label_runs_scalar, "scalar");
#if LOCDET_HAVE_AVX2
    if (flags & LOCDET_CPU_FLAG_AVX2) {
        LOCDET_SET_SLOT(k, label, runs, locdet_label_runs_avx2, "avx2");
    }
#endif
#if LOCDET_HAVE_NEON
    if (flags & LOCDET_CPU_FLAG_NEON) {
        LOCDET_SET_SLOT(k, label, runs, locdet_label_runs_neon, "neon");
    }
#endif
    (void)flags;
}

/* Statistics of one provisional label (then of one class, in its root). The
 * final locdet_component rows are written over this array in place, which
 * works because a row (40 bytes) is smaller than this (48 bytes) and a
 * final number never exceeds the provisional label it comes from. */
typedef struct acc {
    int64_t area, sx, sy;
    int32_t left, right; /* right exclusive */
    int32_t top, bottom; /* bottom inclusive */
    int32_t first_x;     /* x of the creating run: the 8-connected order key */
    int32_t pad;
} acc;
_Static_assert(sizeof(acc) >= sizeof(locdet_component), "stats are written in place");

/* The label image (4 bytes a pixel) and the label tables are touched first
 * by this call. Page faults on fresh 4 KiB pages cost more than the labeling
 * itself (measured: half the time of a 4096x4096 plan), so big blocks ask
 * for transparent huge pages (2 MiB aligned, MADV_HUGEPAGE); they stay
 * plain malloc blocks for free() and realloc(). */
#define HUGE_PAGE (2u << 20)
static void *alloc_big(size_t bytes)
{
    void *p = NULL;
#ifdef MADV_HUGEPAGE
    if (bytes >= 4 * (size_t)HUGE_PAGE) {
        if (posix_memalign(&p, HUGE_PAGE, bytes) != 0)
            return NULL;
        madvise(p, bytes & ~((size_t)HUGE_PAGE - 1), MADV_HUGEPAGE); /* advice only */
        return p;
    }
#endif
    p = malloc(bytes);
    return p;
}

/* realloc for the growing tables: big blocks get the same advice. realloc
 * keeps their pages (glibc moves big blocks with mremap), so only the new
 * tail is fresh memory: a copy into a new huge-page block would zero and
 * touch twice the final size. */
static void *grow_big(void *old, size_t bytes)
{
    void *p = realloc(old, bytes);
#ifdef MADV_HUGEPAGE
    if (p && bytes >= 4 * (size_t)HUGE_PAGE) {
        uintptr_t b = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
        uintptr_t e = ((uintptr_t)p + bytes) & ~(uintptr_t)(HUGE_PAGE - 1);
        if (e > b)
            madvise((void *)b, e - b, MADV_HUGEPAGE); /* advice only */
    }
#endif
    return p;
}

/* Rows per strip below which a thread is not worth starting. */
#define MIN_STRIP_ROWS 64

typedef struct strip {
    int y0, y1;
    int status;
    int32_t n, cap;      /* provisional labels 1..n; parent/acc hold cap entries */
    int32_t *parent;
    acc *acc;
    int32_t *runlab;     /* label of each run of the strip, in raster order */
    size_t nruns, runcap;
    int32_t bg_left, bg_right, bg_top, bg_bottom; /* background bounding box */
    int32_t off;         /* global label = off + local label */
} strip;

typedef struct job {
    const locdet_kernels *k;
    const locdet_image *src;
    int conn8;
    int32_t max_labels;
    int32_t *labels;
    ptrdiff_t stride;
    int32_t *rowcnt;     /* entries parked in each label row */
    int32_t *rowfirst;   /* strip-local labels made before each row */
    strip *strips;
    int nstrips;
    int32_t *lut;        /* global parent, then the final label of each */
    int32_t *paint_buf;  /* per strip, room for one row's runs */
} job;

static int32_t find(int32_t *p, int32_t x)
{
    while (p[x] != x) {
        p[x] = p[p[x]];
        x = p[x];
    }
    return x;
}

/* Unite the classes of a and b; the smaller root wins and is returned. */
static int32_t unite(int32_t *p, int32_t a, int32_t b)
{
    a = find(p, a);
    b = find(p, b);
    if (a < b) {
        p[b] = a;
        return a;
    }
    p[a] = b;
    return b;
}

static bool grow_labels(strip *st)
{
    int64_t cap = (int64_t)st->cap * 2;
    if (cap > (int64_t)INT32_MAX)
        cap = INT32_MAX;
    int32_t *p = grow_big(st->parent, (size_t)cap * sizeof *p);
    if (!p)
        return false;
    st->parent = p;
    acc *a = grow_big(st->acc, (size_t)cap * sizeof *a);
    if (!a)
        return false;
    st->acc = a;
    st->cap = (int32_t)cap;
    return true;
}

/* Each run of `cur` takes the labels of the runs of `prev` it touches.
 * Touching: 4-connected runs share a column; 8-connected runs also touch at
 * a corner, which widening the current run by one pixel each side covers. */
static int label_row(const job *jb, strip *st, int y, const int32_t *prev, const int32_t *plab,
                     int pn, const int32_t *cur, int32_t *clab, int cn)
{
    const int d = jb->conn8;
    /* Locals: stores through acc* may alias the strip's fields otherwise. */
    int32_t *parent = st->parent, n = st->n;
    acc *accs = st->acc;
    int status = LOCDET_OK;
    int j = 0;
    for (int r = 0; r < cn; r++) {
        const int32_t s = cur[2 * r], e = cur[2 * r + 1];
        while (j < pn && prev[2 * j + 1] <= s - d)
            j++;
        int32_t lab = 0;
        for (int m = j; m < pn && prev[2 * m] < e + d; m++) {
            int32_t l = plab[m];
            if (!lab)
                lab = find(parent, l);
            else if (l != lab)
                lab = unite(parent, lab, l);
        }
        const int64_t len = e - s;
        const int64_t sx = len * ((int64_t)s + e - 1) / 2;
        if (!lab) {
            if (n >= jb->max_labels) {
                status = LOCDET_ERR_OVERFLOW;
                break;
            }
            if (n + 1 >= st->cap) {
                st->n = n;
                if (!grow_labels(st)) {
                    status = LOCDET_ERR_NOMEM;
                    break;
                }
                parent = st->parent, accs = st->acc;
            }
            lab = ++n;
            parent[lab] = lab;
            accs[lab] = (acc){len, sx, len * y, s, e, y, y, s, 0};
        } else {
            acc *a = &accs[lab];
            a->area += len;
            a->sx += sx;
            a->sy += len * y;
            if (s < a->left)
                a->left = s;
            if (e > a->right)
                a->right = e;
            a->bottom = y;
            if (d && (a->top ^ y) < 2 && s < a->first_x)
                a->first_x = s; /* the same 2x2 block row as its creation */
        }
        clab[r] = lab;
    }
    st->n = n;
    return status;
}

/* Park a row's runs in its label row: 2 * runs entries, less the last end
 * when it is the row's end (implied). That never exceeds the width: a row
 * whose last pixel is background has at most width / 2 runs. */
static int32_t park_runs(int32_t *dst, const int32_t *runs, int n, int width)
{
    int32_t cnt = 2 * n - (n && runs[2 * n - 1] == width);
    memcpy(dst, runs, (size_t)cnt * sizeof *dst);
    return cnt;
}

/* The inverse: the row's runs as pairs in `runs` (room for width + 1). */
static int unpark_runs(int32_t *runs, const int32_t *src, int32_t cnt, int width)
{
    memcpy(runs, src, (size_t)cnt * sizeof *runs);
    if (cnt & 1)
        runs[cnt++] = width;
    return cnt / 2;
}

static void background_row(strip *st, int y, const int32_t *runs, int n, int width)
{
    int32_t first, last;
    if (n == 0) {
        first = 0, last = width - 1;
    } else {
        first = runs[0] > 0 ? 0 : runs[1];
        last = runs[2 * n - 1] < width ? width - 1 : runs[2 * n - 2] - 1;
        if (first >= width)
            return; /* one run over the whole row */
    }
    if (first < st->bg_left)
        st->bg_left = first;
    if (last > st->bg_right)
        st->bg_right = last;
    if (st->bg_top > y)
        st->bg_top = y;
    st->bg_bottom = y;
}

static void scan_strip(void *ctx, int y0, int y1, int index)
{
    job *jb = ctx;
    strip *st = &jb->strips[index];
    const int w = jb->src->width;
    st->y0 = y0, st->y1 = y1;
    st->bg_left = INT32_MAX, st->bg_right = -1, st->bg_top = INT32_MAX, st->bg_bottom = -1;
    /* Room for a label per 8 pixels and a run per 3, so dense noise rarely
     * grows the tables (a grow copies into fresh pages, which costs more
     * than the copy); untouched room is address space only. */
    int64_t px = (int64_t)w * (y1 - y0);
    int64_t cap = px / 8 + 1024;
    st->cap = (int32_t)(cap < jb->max_labels ? cap : (int64_t)jb->max_labels + 1);
    st->parent = alloc_big((size_t)st->cap * sizeof *st->parent);
    st->acc = alloc_big((size_t)st->cap * sizeof *st->acc);
    st->runcap = (size_t)(px / 3) + (size_t)w + 1024;
    st->runlab = alloc_big(st->runcap * sizeof *st->runlab);
    size_t row_room = (size_t)w + LOCDET_LABEL_RUNS_PAD;
    int32_t *buf = malloc(2 * row_room * sizeof *buf);
    if (!st->parent || !st->acc || !st->runlab || !buf) {
        st->status = LOCDET_ERR_NOMEM;
        free(buf);
        return;
    }
    st->acc[0] = (acc){0};
    int32_t *prev = buf, *cur = buf + row_room;
    int pn = 0;
    size_t pstart = 0;
    for (int y = y0; y < y1; y++) {
        const uint8_t *src = jb->src->data + (ptrdiff_t)y * jb->src->stride;
        int cn = jb->k->label.runs(src, w, cur);
        if (st->runcap - st->nruns < (size_t)cn) {
            size_t cap = st->runcap * 2;
            int32_t *r = grow_big(st->runlab, cap * sizeof *r);
            if (!r) {
                st->status = LOCDET_ERR_NOMEM;
                break;
            }
            st->runlab = r, st->runcap = cap;
        }
        jb->rowfirst[y] = st->n;
        int32_t *clab = st->runlab + st->nruns;
        int status = label_row(jb, st, y, prev, st->runlab + pstart, pn, cur, clab, cn);
        if (status != LOCDET_OK) {
            st->status = status;
            break;
        }
        background_row(st, y, cur, cn, w);
        jb->rowcnt[y] = park_runs(jb->labels + (ptrdiff_t)y * jb->stride, cur, cn, w);
        pstart = st->nruns;
        st->nruns += (size_t)cn;
        pn = cn;
        int32_t *t = prev;
        prev = cur, cur = t;
    }
    free(buf);
}

/* Unite the runs that touch across the border above strip s. */
static int join_border(job *jb, int s, int32_t *buf)
{
    const strip *up = &jb->strips[s - 1], *dn = &jb->strips[s];
    const int w = jb->src->width, y = dn->y0;
    int32_t *prev = buf, *cur = buf + w + 1;
    int pn = unpark_runs(prev, jb->labels + (ptrdiff_t)(y - 1) * jb->stride, jb->rowcnt[y - 1], w);
    int cn = unpark_runs(cur, jb->labels + (ptrdiff_t)y * jb->stride, jb->rowcnt[y], w);
    const int32_t *plab = up->runlab + up->nruns - pn, *clab = dn->runlab;
    const int d = jb->conn8;
    int j = 0;
    for (int r = 0; r < cn; r++) {
        const int32_t s0 = cur[2 * r], e = cur[2 * r + 1];
        while (j < pn && prev[2 * j + 1] <= s0 - d)
            j++;
        for (int m = j; m < pn && prev[2 * m] < e + d; m++)
            unite(jb->lut, up->off + plab[m], dn->off + clab[r]);
    }
    return LOCDET_OK;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* One row group's roots, in OpenCV's order, appended to `order`; returns how
 * many. 4-connected: the labels made in one row, in order. 8-connected: the
 * labels made in rows 2i (e0..e1) and 2i + 1 (e1..o1), by first 2x2 block:
 * first_x / 2, first_x being the class's leftmost x in that block row (two
 * classes never share a block). Roots of row 2i + 1 come sorted (their
 * first pixel is their leftmost there); those of row 2i usually do, but a
 * class can reach further left in row 2i + 1 through rows below, so they
 * are checked and the group sorted when they do not. */
static int group_roots(const int32_t *parent, const acc *a, int32_t e0, int32_t e1, int32_t o1,
                       int32_t *order, uint64_t *keys)
{
    int n = 0;
    bool sorted = true;
    for (int32_t i = e0; i < e1; i++) {
        if (parent[i] != i)
            continue;
        if (n && a[order[n - 1]].first_x >> 1 > a[i].first_x >> 1)
            sorted = false;
        order[n++] = i;
    }
    if (e1 == o1)
        return n;
    if (!sorted) {
        for (int32_t j = e1; j < o1; j++)
            if (parent[j] == j)
                order[n++] = j;
        for (int q = 0; q < n; q++)
            keys[q] = (uint64_t)(a[order[q]].first_x >> 1) << 32 | (uint32_t)order[q];
        qsort(keys, (size_t)n, sizeof *keys, cmp_u64);
        for (int q = 0; q < n; q++)
            order[q] = (int32_t)(uint32_t)keys[q];
        return n;
    }
    /* Merge: the row-2i roots move to the tail of `order`, then both lists
     * merge into its head. */
    int ne = n;
    int32_t *ev = order + (o1 - e0) - ne; /* room: the group has o1 - e0 labels */
    memmove(ev, order, (size_t)ne * sizeof *order);
    int i = 0;
    n = 0;
    for (int32_t j = e1; j < o1; j++) {
        if (parent[j] != j)
            continue;
        while (i < ne && a[ev[i]].first_x >> 1 < a[j].first_x >> 1)
            order[n++] = ev[i++];
        order[n++] = j;
    }
    while (i < ne)
        order[n++] = ev[i++];
    return n;
}

/* Write final row f over the accumulators (memcpy: the bytes change type). */
static void put_component(acc *all, int32_t f, const acc *a)
{
    locdet_component c = {a->left, a->top, a->right - a->left, a->bottom - a->top + 1, a->area,
                          (double)a->sx / (double)a->area, (double)a->sy / (double)a->area};
    memcpy((char *)all + (size_t)f * sizeof c, &c, sizeof c);
}

/* Fill [x, end) with v, 8 entries a step; may write up to 7 past end, which
 * the caller overwrites next or keeps inside the row. */
#define FILL8(row, x, end, v)                                                  \
    do {                                                                       \
        for (;;) {                                                             \
            for (int q_ = 0; q_ < 8; q_++)                                     \
                (row)[(x) + q_] = (v);                                         \
            (x) += 8;                                                          \
            if ((x) >= (end))                                                  \
                break;                                                         \
        }                                                                      \
    } while (0)

/* One label row from its runs. Noisy rows have runs of a pixel or two, so
 * each run and each gap is written 8 entries at a time, the overshoot being
 * overwritten by the next gap or run (a fixed-size store beats a loop whose
 * exit mispredicts); near the row's end the loops go exactly. */
static void paint_row(int32_t *row, const int32_t *runs, int n, const int32_t *lab,
                      const int32_t *lut, int w)
{
    int32_t x = 0;
    int r = 0;
    for (; r < n && runs[2 * r + 1] + 8 <= w; r++) {
        const int32_t b = runs[2 * r], e = runs[2 * r + 1], v = lut[lab[r]];
        if (x < b)
            FILL8(row, x, b, 0);
        x = b;
        FILL8(row, x, e, v);
        x = e;
    }
    for (; r < n; r++) {
        const int32_t b = runs[2 * r], e = runs[2 * r + 1], v = lut[lab[r]];
        for (; x < b; x++)
            row[x] = 0;
        for (; x < e; x++)
            row[x] = v;
    }
    for (; x < w; x++)
        row[x] = 0;
}

static void paint_strips(void *ctx, int s0, int s1, int index)
{
    (void)index;
    job *jb = ctx;
    const int w = jb->src->width;
    for (int s = s0; s < s1; s++) {
        const strip *st = &jb->strips[s];
        const int32_t *lab = st->runlab;
        const int32_t *lut = jb->lut + st->off;
        int32_t *runs = jb->paint_buf + (size_t)s * ((size_t)w + 1);
        for (int y = st->y0; y < st->y1; y++) {
            int32_t *row = jb->labels + (ptrdiff_t)y * jb->stride;
            /* Copied out first: painting overwrites the parked runs. */
            int n = unpark_runs(runs, row, jb->rowcnt[y], w);
            paint_row(row, runs, n, lab, lut, w);
            lab += n;
        }
    }
}

/* Final numbers, group by group of rows (see group_roots), written as final
 * stats rows over the accumulators once the group's roots are read (see
 * acc). A root's parent entry becomes -(its final number). Returns the
 * count including the background. */
static int32_t number_roots(job *jb, acc *all, int32_t nlab, int32_t *order, acc *tmp,
                            uint64_t *keys, int64_t fg[3])
{
    const int h = jb->src->height, g = jb->conn8 ? 2 : 1;
    const int32_t *first = jb->rowfirst; /* global; first[h] = nlab + 1 */
    int32_t *p = jb->lut;
    int32_t next = 1;
    for (int y = 0; y < h; y += g) {
        int32_t e0 = first[y], e1 = first[y + 1];
        int32_t o1 = g == 2 ? first[y + 2 < h ? y + 2 : h] : e1;
        int n = group_roots(p, all, e0, e1, o1, order, keys);
        for (int q = 0; q < n; q++)
            memcpy(&tmp[q], &all[order[q]], sizeof *tmp);
        for (int q = 0; q < n; q++) {
            p[order[q]] = -(next + q);
            fg[0] += tmp[q].area, fg[1] += tmp[q].sx, fg[2] += tmp[q].sy;
            put_component(all, next + q, &tmp[q]);
        }
        next += n;
    }
    (void)nlab;
    return next;
}

int locdet_label_tuned(const locdet_kernels *k, const locdet_image *binary, int connectivity,
                       int threads, int32_t max_labels, int min_strip_rows, locdet_labeling *out)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!k || !out || !locdet_image_valid(binary) || (connectivity != 4 && connectivity != 8) ||
        max_labels < 1 || min_strip_rows < 1)
        return LOCDET_ERR_INVALID;
    if (threads <= 0)
        threads = locdet_default_threads();
    if (threads > 256)
        threads = 256;
    const int w = binary->width, h = binary->height;
    if ((size_t)w * (size_t)h > SIZE_MAX / sizeof(int32_t) / 2)
        return LOCDET_ERR_NOMEM;
    job jb = {.k = k, .src = binary, .conn8 = connectivity == 8, .max_labels = max_labels,
              .stride = w};
    int status = LOCDET_OK;
    acc *all = NULL, *tmp = NULL;
    int32_t *order = NULL, *buf = NULL;
    uint64_t *keys = NULL;
    jb.labels = alloc_big((size_t)w * (size_t)h * sizeof *jb.labels);
    jb.rowcnt = malloc((size_t)h * sizeof *jb.rowcnt);
    jb.rowfirst = malloc(((size_t)h + 1) * sizeof *jb.rowfirst);
    jb.strips = calloc((size_t)threads, sizeof *jb.strips);
    if (!jb.labels || !jb.rowcnt || !jb.rowfirst || !jb.strips) {
        status = LOCDET_ERR_NOMEM;
        goto done;
    }
    jb.nstrips = locdet_parallel_strips(threads, h, min_strip_rows, scan_strip, &jb);

    /* Join the strips' tables: global label = off + local label. */
    int64_t total = 0;
    for (int s = 0; s < jb.nstrips; s++) {
        strip *st = &jb.strips[s];
        if (st->status != LOCDET_OK && status == LOCDET_OK)
            status = st->status;
        st->off = (int32_t)(total < INT32_MAX ? total : INT32_MAX);
        total += st->n;
    }
    if (status == LOCDET_OK && total > max_labels)
        status = LOCDET_ERR_OVERFLOW;
    if (status != LOCDET_OK)
        goto done;
    const int32_t nlab = (int32_t)total;
    for (int s = 0; s < jb.nstrips; s++)
        for (int y = jb.strips[s].y0; y < jb.strips[s].y1; y++)
            jb.rowfirst[y] += jb.strips[s].off + 1;
    jb.rowfirst[h] = nlab + 1;
    if (jb.nstrips == 1) {
        jb.lut = jb.strips[0].parent, all = jb.strips[0].acc;
        jb.strips[0].parent = NULL, jb.strips[0].acc = NULL;
    } else {
        /* Strip 0's tables grow to hold them all; each other strip's are
         * freed once copied, so the peak stays below twice the tables. */
        strip *s0 = &jb.strips[0];
        jb.lut = grow_big(s0->parent, ((size_t)nlab + 1) * sizeof *jb.lut);
        if (jb.lut)
            s0->parent = NULL;
        all = jb.lut ? grow_big(s0->acc, ((size_t)nlab + 1) * sizeof *all) : NULL;
        if (all)
            s0->acc = NULL;
        if (!jb.lut || !all) {
            status = LOCDET_ERR_NOMEM;
            goto done;
        }
        for (int s = 1; s < jb.nstrips; s++) {
            strip *st = &jb.strips[s];
            for (int32_t i = 1; i <= st->n; i++)
                jb.lut[st->off + i] = st->off + st->parent[i];
            memcpy(all + st->off + 1, st->acc + 1, (size_t)st->n * sizeof *all);
            free(st->parent), free(st->acc);
            st->parent = NULL, st->acc = NULL;
        }
    }
    jb.lut[0] = 0;
    buf = malloc(2 * ((size_t)w + 1) * sizeof *buf);
    order = malloc(((size_t)w + 2) * sizeof *order);
    tmp = malloc(((size_t)w + 2) * sizeof *tmp);
    keys = malloc(((size_t)w + 2) * sizeof *keys);
    jb.paint_buf = malloc((size_t)jb.nstrips * ((size_t)w + 1) * sizeof *jb.paint_buf);
    if (!buf || !order || !tmp || !keys || !jb.paint_buf) {
        status = LOCDET_ERR_NOMEM;
        goto done;
    }
    for (int s = 1; s < jb.nstrips; s++)
        join_border(&jb, s, buf);

    /* Point every label at its root and sum each class into its root. The
     * parent of i is below i, so one ascending pass sees roots settled. */
    int32_t *p = jb.lut;
    for (int32_t i = 1; i <= nlab; i++) {
        int32_t r = p[p[i]];
        p[i] = r;
        if (r != i) {
            acc *a = &all[r];
            const acc *b = &all[i];
            a->area += b->area, a->sx += b->sx, a->sy += b->sy;
            if (b->left < a->left)
                a->left = b->left;
            if (b->right > a->right)
                a->right = b->right;
            if (b->bottom > a->bottom)
                a->bottom = b->bottom;
            if (b->top >> 1 == a->top >> 1 && b->first_x < a->first_x)
                a->first_x = b->first_x;
        }
    }
    int64_t fg[3] = {0, 0, 0}; /* foreground area, sum of x, sum of y */
    int32_t count = number_roots(&jb, all, nlab, order, tmp, keys, fg);
    /* Roots hold -(final); every other label takes its root's. Descending,
     * so a root is still negative when its members ask. */
    for (int32_t i = nlab; i >= 1; i--)
        p[i] = p[i] < 0 ? -p[i] : -p[p[i]];

    /* The background row: its box from the strips, its sums as the totals
     * over the image less the foreground's. */
    locdet_component bg = {-1, INT32_MAX, 0, 0, 0, NAN, NAN};
    int64_t bg_area = (int64_t)w * h - fg[0];
    if (bg_area > 0) {
        int32_t l = INT32_MAX, r = -1, t = INT32_MAX, b = -1;
        for (int s = 0; s < jb.nstrips; s++) {
            const strip *st = &jb.strips[s];
            l = st->bg_left < l ? st->bg_left : l;
            r = st->bg_right > r ? st->bg_right : r;
            t = st->bg_top < t ? st->bg_top : t;
            b = st->bg_bottom > b ? st->bg_bottom : b;
        }
        int64_t sx = (int64_t)h * ((int64_t)w * (w - 1) / 2) - fg[1];
        int64_t sy = (int64_t)w * ((int64_t)h * (h - 1) / 2) - fg[2];
        bg = (locdet_component){l, t, r - l + 1, b - t + 1, bg_area, (double)sx / (double)bg_area,
                                (double)sy / (double)bg_area};
    }
    memcpy(all, &bg, sizeof bg);
    locdet_parallel_strips(jb.nstrips, jb.nstrips, 1, paint_strips, &jb);

    /* The stats shrink to count rows; a failed shrink keeps the larger block. */
    void *shrunk = realloc(all, (size_t)count * sizeof(locdet_component));
    out->stats = shrunk ? shrunk : (void *)all;
    all = NULL;
    out->labels = jb.labels, jb.labels = NULL;
    out->stride = jb.stride;
    out->width = w, out->height = h;
    out->count = count;

done:
    free(jb.labels), free(jb.rowcnt), free(jb.rowfirst), free(jb.lut), free(jb.paint_buf);
    free(all), free(order), free(buf), free(tmp), free(keys);
    if (jb.strips) {
        for (int s = 0; s < threads; s++)
            free(jb.strips[s].parent), free(jb.strips[s].acc), free(jb.strips[s].runlab);
        free(jb.strips);
    }
    return status;
}

int locdet_label(const locdet_kernels *k, const locdet_image *binary, int connectivity,
                 int threads, locdet_labeling *out)
{
    int min_rows = binary ? locdet_strip_min_rows(binary->width, MIN_STRIP_ROWS) : MIN_STRIP_ROWS;
    return locdet_label_tuned(k, binary, connectivity, threads, INT32_MAX - 1, min_rows, out);
}

void locdet_labeling_free(locdet_labeling *l)
{
    if (!l)
        return;
    free(l->labels);
    free(l->stats);
    memset(l, 0, sizeof *l);
}
