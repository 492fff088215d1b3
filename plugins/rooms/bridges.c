/* rooms, step 4: openings bridged (directional closings along walls,
 * glazed fronts, diagonal and angled walls, doors beside a perpendicular
 * wall). rooms.c has the whole pipeline. */
#include <limits.h>
#include <math.h>

#include "rooms.h"

/* The shortest partition drawn light (partition_from), in t: as short as
 * a narrow door (nogt example3's garage door is 3 t). */
#define PARTITION_MIN 2

/* A turned drawing resampled onto the axes has stepped wall faces: a
 * closing between two parallel walls fills only the columns under the
 * steps, each narrow enough for a bridge (bridge_thin). Such a fill is no
 * bridge when the lines beside it on both sides are walled within this
 * many t more than the closing's length. */
#define NOTCH_SLACK (1.0 / 3)

/* A closing near the image border keeps what it grew there (outside pixels
 * never win the erosion), so a wall near the border seems bridged to it.
 * Clear the new pixels (in c, not in src) that run into the border along
 * the closing direction (dir 0: x, 1: y). */
static void drop_border_runs(const locdet_image *c, const uint8_t *src, int dir)
{
    int w = c->width, h = c->height;
    uint8_t *d = c->data;
    if (dir == 0) {
        for (int y = 0; y < h; y++) {
            uint8_t *row = d + (size_t)y * w;
            const uint8_t *sr = src + (size_t)y * w;
            for (int x = 0; x < w && row[x] && !sr[x]; x++)
                row[x] = 0;
            for (int x = w - 1; x >= 0 && row[x] && !sr[x]; x--)
                row[x] = 0;
        }
    } else {
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h && d[(size_t)y * w + x] && !src[(size_t)y * w + x]; y++)
                d[(size_t)y * w + x] = 0;
            for (int y = h - 1; y >= 0 && d[(size_t)y * w + x] && !src[(size_t)y * w + x]; y--)
                d[(size_t)y * w + x] = 0;
        }
    }
}

/* The mark of a run from `start` to `end` (exclusive) along line l of dir
 * (0: row l, 1: column l): 1 when the walls extend across the run's middle
 * farther than the run is long (a cross-section of a wall running the other
 * way), 255 otherwise. */
static uint8_t cross_mark(const uint8_t *walls, int w, int h, int dir, int l, int start, int end,
                          int widest)
{
    int len = end - start, mid = (start + end) / 2;
    if (len > widest + 1)
        return 255;
    int n_lines = dir ? w : h;
    ptrdiff_t across = dir ? 1 : w;
    const uint8_t *m = dir ? walls + (ptrdiff_t)mid * w + l : walls + (ptrdiff_t)l * w + mid;
    int ext = 1;
    for (int k = 1; l - k >= 0 && m[-k * across] && ext <= len; k++)
        ext++;
    for (int k = 1; l + k < n_lines && m[k * across] && ext <= len; k++)
        ext++;
    return ext > len ? 1 : 255;
}

/* Calls run(ctx, x, start, end) for every run of nonzero pixels down a
 * column of img (rows start .. end - 1), reading the image row by row (a
 * column walk misses the cache at every pixel); runs end in row order, and
 * in column order within a row. open (w entries) is scratch. */
void column_runs(const uint8_t *img, int w, int h, int32_t *open,
                 void (*run)(void *ctx, int x, int start, int end), void *ctx)
{
    for (int y = 0; y <= h; y++) {
        const uint8_t *row = y < h ? img + (size_t)y * w : NULL;
        const uint8_t *up = y ? img + (size_t)(y - 1) * w : NULL;
        for (int x = 0; x < w; x++) {
            /* 8 columns with no run starting or ending here */
            if (x + 8 <= w && same8(row ? row + x : NULL, up ? up + x : NULL)) {
                x += 7;
                continue;
            }
            bool on = row && row[x], was = up && up[x];
            if (on && !was)
                open[x] = y;
            else if (!on && was)
                run(ctx, x, open[x], y);
        }
    }
}

/* Whether the walls extend `reach` px or more to both sides of line l of
 * dir (0: row l, 1: column l) at position p along it: a wall running the
 * other way crosses there. */
static bool crossed_at(const uint8_t *walls, int w, int h, int dir, int l, int p, int reach)
{
    int n_lines = dir ? w : h;
    ptrdiff_t across = dir ? 1 : w;
    const uint8_t *m = dir ? walls + (ptrdiff_t)p * w + l : walls + (ptrdiff_t)l * w + p;
    if (l - reach < 0 || l + reach >= n_lines)
        return false;
    for (int k = 1; k <= reach; k++)
        if (!m[-k * across] || !m[k * across])
            return false;
    return true;
}

typedef struct cross_marking {
    const uint8_t *walls;
    uint8_t *mark;
    int w, h, widest;
} cross_marking;

static void mark_column_run(void *ctx, int x, int start, int end)
{
    const cross_marking *c = ctx;
    uint8_t v = cross_mark(c->walls, c->w, c->h, 1, x, start, end, c->widest);
    for (int y = start; y < end; y++)
        c->mark[(size_t)y * c->w + x] = v;
}

/* Runs along dir (0: x, 1: y) in runs, at most `widest` + 1 long, that
 * cross a wall running the other way (the walls extend across the run's
 * middle farther than the run is long) are that wall's cross-sections:
 * marked 1 in mark (other runs 255, the rest 0). cols (w entries) is
 * scratch. */
static void mark_cross_sections(const uint8_t *runs, const uint8_t *walls, uint8_t *mark, int w,
                                int h, int dir, int widest, int32_t *cols)
{
    memset(mark, 0, (size_t)w * (size_t)h);
    if (dir == 0) {
        for (int y = 0; y < h; y++) {
            const uint8_t *row = runs + (size_t)y * w;
            int x = (int)zero_span(row, (size_t)w);
            while (x < w) {
                int start = x;
                x += (int)nonzero_span(row + x, (size_t)(w - x));
                uint8_t v = cross_mark(walls, w, h, 0, y, start, x, widest);
                memset(mark + (size_t)y * w + start, v, (size_t)(x - start));
                x += (int)zero_span(row + x, (size_t)(w - x));
            }
        }
        return;
    }
    cross_marking c = {walls, mark, w, h, widest};
    column_runs(runs, w, h, cols, mark_column_run, &c);
}

/* The walls and their t, for the T junction test of the fills. */
typedef struct t_faces {
    const uint8_t *walls;
    int w, h, dir, thick;
} t_faces;

/* Whether the run whose end pixel is p on line l of tf->dir, running on
 * toward p + toward, ends in a T junction: a wall running the other way
 * crosses it 2 t + 1 px or more to both sides (crossed_at) within t / 2 + 1
 * px of the end (a hatched face is jagged). The run stops at that wall's
 * far face, which faces the gap beyond like a cross-section: no wall's
 * end. Runs are 2 t + 1 px long or more, so the test stays on the run. */
static bool t_face(const t_faces *tf, int l, int p, int toward)
{
    int reach = 2 * tf->thick + 1, back = tf->thick / 2 + 1;
    for (int k = 0; k < back; k++)
        if (crossed_at(tf->walls, tf->w, tf->h, tf->dir, l, p + toward * k, reach))
            return true;
    return false;
}

/* One segment of n closed pixels, step apart, on line l from p0 along it:
 * clears each fill (pixels not in mark) that joins two cross-sections
 * (mark 1), or a cross-section and a run ending in a T junction (t_face),
 * or two such runs. */
static void drop_segment_fills(uint8_t *cl, const uint8_t *ml, ptrdiff_t step, int n,
                               const t_faces *tf, int l, int p0)
{
    uint8_t before = 0; /* the mark of the last run passed in this segment */
    int before_at = -1; /* and its last pixel */
    for (int i = 0; i < n; i++) {
        if (ml[i * step]) {
            before = ml[i * step];
            before_at = i;
            continue;
        }
        int start = i;
        while (i < n && !ml[i * step])
            i++;
        if (before && i < n && (before == 1 || t_face(tf, l, p0 + before_at, -1)) &&
            (ml[i * step] == 1 || t_face(tf, l, p0 + i, 1)))
            for (int j = start; j < i; j++)
                cl[j * step] = 0;
        i--;
    }
}

typedef struct cross_fills {
    uint8_t *closed;
    const uint8_t *mark;
    const t_faces *tf;
} cross_fills;

/* column_runs' callback: the clearing only reaches rows above the one
 * column_runs is reading */
static void drop_column_fills(void *ctx, int x, int start, int end)
{
    const cross_fills *c = ctx;
    size_t o = (size_t)start * c->tf->w + x;
    drop_segment_fills(c->closed + o, c->mark + o, c->tf->w, end - start, c->tf, x, start);
}

/* Clears the closing's fills (in closed, not in mark) that join two
 * cross-sections (mark 1) along dir, or T junctions' far faces (t_face):
 * two walls running the other way face each other across a room there; no
 * wall runs along the gap. Every marked pixel is closed (the closing only
 * adds), so each segment of closed pixels is tested on its own. walls and
 * thick: the walls and their t. cols (w entries) is scratch. */
static void drop_cross_fills(uint8_t *closed, const uint8_t *mark, const uint8_t *walls, int w,
                             int h, int dir, int thick, int32_t *cols)
{
    t_faces tf = {walls, w, h, dir, thick};
    if (dir == 0) {
        for (int y = 0; y < h; y++) {
            uint8_t *cl = closed + (size_t)y * w;
            const uint8_t *ml = mark + (size_t)y * w;
            int x = (int)zero_span(cl, (size_t)w);
            while (x < w) {
                int end = x + (int)nonzero_span(cl + x, (size_t)(w - x));
                drop_segment_fills(cl + x, ml + x, 1, end - x, &tf, y, x);
                x = end + (int)zero_span(cl + end, (size_t)(w - end));
            }
        }
        return;
    }
    cross_fills c = {closed, mark, &tf};
    column_runs(closed, w, h, cols, drop_column_fills, &c);
}

/* How much darker line v of img is than the paper beside it, from u0 to
 * u1 (exclusive) along x (dir 0) or y (dir 1): the mean of the darkest of
 * lines v-1 .. v+1 against the lighter of the means of lines v-4 and v+4
 * (a double line's other stroke lies on one side only). Noise and uneven
 * paper tone pass a faint ink level along a whole line; they do not make
 * it darker than both its sides. */
static double line_contrast(const locdet_image *img, int dir, int v, int u0, int u1)
{
    int n_lines = dir ? img->width : img->height;
    if (v < 4 || v + 4 >= n_lines || u1 <= u0)
        return 0;
    double line = 0, before = 0, after = 0;
    for (int u = u0; u < u1; u++) {
        int darkest = 255;
        for (int d = -1; d <= 1; d++) {
            int p = dir ? img->data[(ptrdiff_t)u * img->stride + v + d]
                        : img->data[(ptrdiff_t)(v + d) * img->stride + u];
            darkest = p < darkest ? p : darkest;
        }
        line += darkest;
        before += dir ? img->data[(ptrdiff_t)u * img->stride + v - 4]
                      : img->data[(ptrdiff_t)(v - 4) * img->stride + u];
        after += dir ? img->data[(ptrdiff_t)u * img->stride + v + 4]
                     : img->data[(ptrdiff_t)(v + 4) * img->stride + u];
    }
    return ((before > after ? before : after) - line) / (u1 - u0);
}

/* Glazing: an opening between two collinear wall runs (2 t + 1 long or
 * more) wider than the door bridges reach (`gap`) but at most glazing t,
 * with no wall across it, and a line drawn along it (ink at gz->level,
 * ink_near, on glazing_ink of its length, gz->contrast darker than the
 * paper beside it), is a glazed wall or a window band: the line's row
 * (column for dir 1) is painted into barrier across the opening. Between
 * two posts (both runs under blob_ratio t) one line is a terrace's or
 * patio's outline: a second line must be drawn beside it (second_line), as
 * a garage door or a window has. */
typedef struct glazing {
    const locdet_image *img;
    int level;
    double contrast;
    int32_t *cols; /* 3 x width: per column, the run being read and the one before */
    uint8_t *wall_only; /* partitions are painted here too: walls */
} glazing;

/* The pixels with ink (at or below `level`) of the run of len px from
 * (x, y), down for dir 0, right for dir 1. */
int ink_count(const locdet_image *img, int level, int dir, int x, int y, int len)
{
    int hits = 0;
    for (int k = 0; k < len; k++) {
        int px = dir == 0 ? x : x + k, py = dir == 0 ? y + k : y;
        hits += img->data[(ptrdiff_t)py * img->stride + px] <= level;
    }
    return hits;
}

/* Whether a second line is drawn along a .. b-1 parallel to line v, on
 * glazing_ink of it (ink at gz->level, pixel by pixel), 2 to 2 t + 2
 * lines away with a line between that is not drawn: the two faces of a
 * door or window, not one line's width. */
static bool second_line(const rooms *r, const glazing *gz, int dir, int v, int a, int b,
                        int thick, int n_lines)
{
    int g = b - a, allowed = (int)((1 - r->glazing_ink) * g);
    for (int s = -1; s <= 1; s += 2) {
        bool apart = false;
        for (int d = 1; d <= 2 * thick + 2; d++) {
            int u = v + s * d;
            if (u < 0 || u >= n_lines)
                break;
            /* line u: a row read rightward for dir 0, a column downward */
            int misses = g - ink_count(gz->img, gz->level, !dir, dir ? u : a, dir ? a : u, g);
            if (misses > allowed)
                apart = true;
            else if (apart)
                return true;
        }
    }
    return false;
}

/* Whether two lines or more cross line v (a row for dir 0, a column for
 * dir 1) between a and b-1: ink (at level, ink_near) all along the
 * perpendicular from 2 to 2 t + 1 px off v on both sides, or along a
 * diagonal as far across. A tile grid's line that happens to run on from a
 * wall crosses its grid's other lines, and a line drawn across a hatched
 * floor crosses the hatch; a glazed wall's or a window's mullions, a
 * closet door's leaves, stop at its faces. */
bool crossed_by_lines(const locdet_image *img, int level, int dir, int v, int a, int b,
                      int thick)
{
    int reach = 2 * thick + 1, crossings = 0, n_lines = dir ? img->width : img->height;
    int n_along = dir ? img->height : img->width;
    if (v - reach < 0 || v + reach >= n_lines)
        return false;
    bool in_line = false;
    for (int q = a; q < b; q++) {
        bool crossed = false;
        /* slope: across (0), or 45 degrees either way */
        for (int slope = -1; slope <= 1 && !crossed; slope++) {
            if (slope && (q - reach < 0 || q + reach >= n_along))
                continue;
            crossed = true;
            for (int d = 2; d <= reach && crossed; d++) {
                int q0 = q - slope * d, q1 = q + slope * d;
                crossed = dir ? ink_near(img, v - d, q0, level) && ink_near(img, v + d, q1, level)
                              : ink_near(img, q0, v - d, level) && ink_near(img, q1, v + d, level);
            }
        }
        /* a line 1-3 px wide (and its ink_near fringe) counts once */
        if (crossed && !in_line && ++crossings >= 2)
            return true;
        in_line = crossed;
    }
    return false;
}

/* The opening a .. b-1 on line v (a row for dir 0, a column for dir 1)
 * between runs `before` and `after` px long, lo < b - a <= hi: glazed?
 * Then painted. A side of INT_MAX px is a wall across the line
 * (partition_from): the line is then a partition, painted into wall_only
 * too. */
static void glaze_opening(const rooms *r, const glazing *gz, const locdet_image *walls,
                          const locdet_image *barrier, int thick, int lo, int hi, int dir, int v,
                          int a, int b, int before, int after)
{
    int g = b - a, post = (int)lround(r->blob_ratio * thick);
    bool posts = before < post && after < post, partition = before == INT_MAX || after == INT_MAX;
    if (g <= lo || g > hi)
        return;
    int w = walls->width, n_lines = dir ? w : walls->height;
    ptrdiff_t su = dir ? w : 1, sv = dir ? 1 : w;
    const uint8_t *wall = walls->data + v * sv;
    /* most openings are paper: out at the first misses past the share
     * allowed */
    int allowed = (int)((1 - r->glazing_ink) * g), misses = 0, beside = 0;
    for (int q = a; q < b; q++) {
        if (wall[q * su])
            return;
        misses += !(dir ? ink_near(gz->img, v, q, gz->level) : ink_near(gz->img, q, v, gz->level));
        /* a wall within t across: the line is its face's fringe */
        bool near = false;
        for (int d = 1; d <= thick && !near; d++)
            near = (v - d >= 0 && wall[q * su - d * sv]) ||
                   (v + d < n_lines && wall[q * su + d * sv]);
        beside += near;
        if (misses > allowed || beside > allowed)
            return;
    }
    if (line_contrast(gz->img, dir, v, a, b) < gz->contrast ||
        crossed_by_lines(gz->img, gz->level, dir, v, a, b, thick))
        return;
    /* between posts: a door or window drawn as two lines or more (a
     * terrace's or patio's outline is one) */
    if (posts && !second_line(r, gz, dir, v, a, b, thick, n_lines))
        return;
    for (int q = a; q < b; q++) {
        barrier->data[v * sv + q * su] = 255;
        if (partition)
            gz->wall_only[v * sv + q * su] = 255;
    }
    r->host->log(r->host, LOCDET_LOG_DEBUG, "%s %d %d %d %d, ink %.2f",
                 partition ? "partition" : "glazing", dir ? v : a, dir ? a : v, dir ? v : b - 1,
                 dir ? b - 1 : v, 1 - (double)misses / g);
}

/* Partitions drawn light: lines drawn on from a wall run's end to a wall
 * across its line (a wall running the other way, whose cross-section is no
 * run), more than `shortest` (PARTITION_MIN t) and at most `longest` px
 * (glazing t) long, are a door, a sliding door, glass or a railing: line v
 * is painted into barrier and wall_only (a wall: the merge of rooms across
 * false bridges would take a bridge spanning a room's whole side out
 * again). No door bridge closes such an opening past door_across t (the
 * collinear one needs a run on both sides, the bridges along walls reach
 * door_across t), nor a shorter one at the end of a hall under door_across
 * t high (the bridges along walls close the whole hall: too thick), and
 * the room behind joined the one in front (nogt example4's terrace behind
 * a sliding door drawn gray, example2's service balcony behind a railing,
 * example3's garage door). The opening runs from the run's end at a
 * (toward b) for dir_along 1, from b - 1 back to the run's start for -1;
 * `run` is the run's length. Not from a post, a wall's cross-section or a
 * T junction's far face (no wall ends there); only on lines within a
 * quarter of the wall's thickness of its middle, measured 2 t + 1 px back
 * from the end (past a corner it turns); the lines drawn must span 3 px
 * across or more within the wall's width (t / 2 + 1 px of slack: a
 * railing stands off the wall's face), with paper 4 px beyond them, no
 * line drawn along the opening within 2 t + 1 px beyond (stair treads, a
 * hatch) and no line meeting them from either side. Furniture edges flush
 * with a wall's line or along its face, a wardrobe's front and a stair's
 * treads are drawn so; glaze_opening's tests come last. */
static void partition_from(const rooms *r, const glazing *gz, const locdet_image *walls,
                           const locdet_image *barrier, int thick, int shortest,
                           int longest, int dir, int v, int a, int b, int run, int dir_along)
{
    int w = walls->width, h = walls->height, n_lines = dir ? w : h, n_along = dir ? h : w;
    int r0 = dir_along > 0 ? a - run : b, r1 = dir_along > 0 ? a : b + run;
    int reach = 2 * thick + 1; /* how far a crossing wall, the band's
                                  * neighbours and meeting lines are read */
    if (run < (int)lround(r->blob_ratio * thick) || run <= reach)
        return;
    /* most wall ends have paper past them (a fringe of a pixel or two):
     * the line starts at the end */
    for (int k = 3; k <= 5; k += 2) {
        int q = dir_along > 0 ? a - 1 + k : b - k;
        if (q < 0 || q >= n_along ||
            !(dir ? ink_near(gz->img, v, q, gz->level) : ink_near(gz->img, q, v, gz->level)))
            return;
    }
    if (cross_mark(walls->data, w, h, dir, v, r0, r1, run) == 1)
        return;
    /* nor from a T junction's far face (t_face): the wall stops there;
     * a corner it turns may hold a sliding door on (example4's) */
    t_faces tf = {walls->data, w, h, dir, thick};
    if (t_face(&tf, v, dir_along > 0 ? a - 1 : b, -dir_along))
        return;
    ptrdiff_t su = dir ? w : 1, sv = dir ? 1 : w;
    const uint8_t *wall = walls->data + v * sv;
    /* the wall's extent across, back from its end */
    int p = dir_along > 0 ? a - 1 - reach : b + reach, lo = v, hi = v;
    while (lo > 0 && wall[p * su + (lo - 1 - v) * sv])
        lo--;
    while (hi + 1 < n_lines && wall[p * su + (hi + 1 - v) * sv])
        hi++;
    /* twice v's distance from the middle, at most half the width: both
     * lines of a 2 px wall are a quarter of it off (example3's garage) */
    int off_middle = 2 * v - lo - hi;
    if (2 * (off_middle < 0 ? -off_middle : off_middle) > hi - lo + 1)
        return;
    /* the opening: up to the first wall pixel on the line */
    int q = dir_along > 0 ? a : b - 1;
    while (q >= a && q < b && (dir_along > 0 ? q - a : b - 1 - q) <= longest && !wall[q * su])
        q += dir_along;
    if (q < a || q >= b || !wall[q * su])
        return;
    int o0 = dir_along > 0 ? a : q + 1, o1 = dir_along > 0 ? q : b, g = o1 - o0;
    if (g <= shortest)
        return;
    /* lines of the wall's width drawn along it (ink_near: a scan's line
     * wobbles) 3 lines apart or more: a band or a double line, as sliding
     * doors, glass and railings are drawn (a furniture outline flush with
     * the wall's line is one line, near on three lines) */
    int first = -1, last = -1, allowed = (int)((1 - r->glazing_ink) * g);
    int slack = thick / 2 + 1; /* a railing's outer line may stand off the wall's face */
    for (int u = lo - reach; u <= hi + reach; u++) {
        if (u < 0 || u >= n_lines || (u >= lo - slack - 2 && u < lo - slack) ||
            (u > hi + slack && u <= hi + slack + 2))
            continue;
        /* out at the first misses past the share allowed: most lines are
         * paper */
        int misses = 0;
        for (int k = o0; k < o1 && misses <= allowed; k++)
            misses += !(dir ? ink_near(gz->img, u, k, gz->level)
                            : ink_near(gz->img, k, u, gz->level));
        if (misses > allowed)
            continue;
        /* a line beside the wall's width along the whole opening: stair
         * treads or a hatch, not a partition */
        if (u < lo - slack || u > hi + slack)
            return;
        first = first < 0 ? u : first;
        last = u;
    }
    if (first < 0 || last - first < 3)
        return;
    /* drawn on paper: ink 4 px off the band on either side (a tinted
     * floor, furniture along it) on at most what glazing_ink leaves */
    for (int e = 0; e < 2; e++) {
        int u = e ? last + 4 : first - 4;
        if (u < 0 || u >= n_lines ||
            ink_count(gz->img, gz->level, !dir, dir ? u : o0, dir ? o0 : u, g) > allowed)
            return;
    }
    /* no line meets it from either side (a wardrobe's dividers meet its
     * front; crossed_by_lines asks for both sides), t px off the walls */
    for (int k = o0 + thick; k < o1 - thick; k++)
        for (int side = -1; side <= 1; side += 2) {
            bool met = v + side * reach >= 0 && v + side * reach < n_lines;
            for (int d = 2; d <= reach && met; d++) {
                int u = v + side * d;
                met = dir ? ink_near(gz->img, u, k, gz->level) : ink_near(gz->img, k, u, gz->level);
            }
            if (met)
                return;
        }
    glaze_opening(r, gz, walls, barrier, thick, shortest, longest, dir, v, o0, o1,
                  dir_along > 0 ? run : INT_MAX, dir_along > 0 ? INT_MAX : run);
}

typedef struct glazing_scan {
    const rooms *r;
    const glazing *gz;
    const locdet_image *walls, *barrier;
    int thick, shortest, gap, longest; /* shortest, longest: partitions' lengths */
    int32_t *first, *last; /* per column: the run before, -1 when none */
} glazing_scan;

/* The opening from the end of a run `before` px long (end: its last
 * pixel, -1 when there is none on the line) to the start of the next,
 * `after` px long at `next` (n, the line's length, when there is none),
 * on line v of dir: glazing when both runs are there, partitions from
 * either run when the other is farther than the door bridges reach (they
 * close the rest). */
static void glaze_gap(const glazing_scan *s, int dir, int v, int end, int before, int next,
                      int after, int n)
{
    int a = end + 1;
    if (end >= 0 && next < n)
        glaze_opening(s->r, s->gz, s->walls, s->barrier, s->thick, s->gap, s->longest, dir, v, a,
                      next, before, after);
    if (end >= 0 && next < n && next - a <= s->gap)
        return;
    if (end >= 0)
        partition_from(s->r, s->gz, s->walls, s->barrier, s->thick, s->shortest, s->longest,
                       dir, v, a, next, before, 1);
    if (next < n)
        partition_from(s->r, s->gz, s->walls, s->barrier, s->thick, s->shortest, s->longest,
                       dir, v, a, next, after, -1);
}

/* column_runs' callback: the opening between a column's run and the one
 * before it */
static void glaze_column_run(void *ctx, int x, int start, int end)
{
    glazing_scan *s = ctx;
    glaze_gap(s, 1, x, s->last[x], s->last[x] >= 0 ? s->last[x] - s->first[x] + 1 : 0, start,
              end - start, s->walls->height);
    s->first[x] = start;
    s->last[x] = end - 1;
}

/* The openings between runs of runs_img (the walls opened along the
 * line: bridge's first step) along rows (dir 0) or columns (dir 1, read
 * row by row with one state per column), and before the first run and
 * after the last, each tested by glaze_gap. */
static void glaze(const rooms *r, const locdet_image *walls, const uint8_t *runs_img,
                  const glazing *gz, int thick, int gap, int dir, const locdet_image *barrier)
{
    int w = walls->width, h = walls->height, longest = (int)lround(r->glazing * thick);
    if (longest <= gap)
        return;
    glazing_scan scan = {r, gz, walls, barrier, thick, PARTITION_MIN * thick, gap, longest,
                         NULL, NULL};
    if (dir == 0) {
        for (int y = 0; y < h; y++) {
            const uint8_t *row = runs_img + (size_t)y * w;
            int x = (int)zero_span(row, (size_t)w), start = -1, end = -1;
            while (x < w) {
                int a = x;
                x += (int)nonzero_span(row + x, (size_t)(w - x));
                glaze_gap(&scan, 0, y, end, end >= 0 ? end - start + 1 : 0, a, x - a, w);
                start = a;
                end = x - 1;
                x += (int)zero_span(row + x, (size_t)(w - x));
            }
            if (end >= 0)
                glaze_gap(&scan, 0, y, end, end - start + 1, w, 0, w);
        }
        return;
    }
    /* per column: where the run being read began, and the run before */
    int32_t *open = gz->cols, *first = open + w, *last = first + w;
    for (int x = 0; x < w; x++)
        first[x] = last[x] = -1;
    scan.first = first;
    scan.last = last;
    column_runs(runs_img, w, h, open, glaze_column_run, &scan);
    for (int x = 0; x < w; x++)
        if (last[x] >= 0)
            glaze_gap(&scan, 1, x, last[x], last[x] - first[x] + 1, h, 0, h);
}

/* The fills of a closing (closed, minus the walls) opened by a kw x kh
 * line across their direction: fills thinner than that across are gone. */
static int keep_thick_fills(const rooms *r, const locdet_image *closed, const uint8_t *walls,
                            int kw, int kh)
{
    const locdet_kernel_api *k = r->host->kernels;
    clear_where(closed, walls);
    return k->morph(k->table, LOCDET_MORPH_OPEN, closed, closed, kw, kh, r->host->threads);
}

/* Bridge the openings of walls `thick` px thick: the horizontal ones (runs
 * of 2 thick + 1 or more along x) closed along x over `gap`, the vertical
 * ones along y; both ORed into barrier. tmp is clobbered. When diag is not
 * NULL it receives the walls in neither kind of run: diagonal walls. When
 * gz is not NULL, wider openings between the runs with glazing drawn
 * along them are bridged too (glaze). When mark (an image-sized scratch)
 * is not NULL, no bridge joins two cross-sections of walls up to `widest`
 * px thick (facing_walls); cols (width entries) is then its column state.
 * With across > 1, a bridge is kept only where it is `across` px thick or
 * more across its direction (solid walls: bridge_openings). */
static int bridge(const rooms *r, const locdet_image *walls, int thick, int widest, int gap,
                  const locdet_image *tmp, const locdet_image *barrier, uint8_t *diag,
                  const glazing *gz, uint8_t *mark, int32_t *cols, int across)
{
    const locdet_kernel_api *k = r->host->kernels;
    int along = 2 * thick + 1, threads = r->host->threads, rc;
    size_t n = (size_t)walls->width * (size_t)walls->height;
    const uint8_t *wd = walls->data, *td = tmp->data; /* locals: no aliasing reloads */
    if (gap <= 1)
        return LOCDET_OK;
    if ((rc = k->morph(k->table, LOCDET_MORPH_OPEN, walls, tmp, along, 1, threads)))
        return rc;
    if (diag)
        for (size_t i = 0; i < n; i++)
            diag[i] = wd[i] & ~td[i];
    if (gz)
        glaze(r, walls, td, gz, thick, gap, 0, barrier);
    int w = walls->width, h = walls->height;
    /* Walls over 2 t thick (outer walls): the rows across a vertical one
     * pass for a horizontal wall's runs. A door between a wall's end and
     * such a wall needs them as one side of its bridge; two of them facing
     * each other are no wall along the gap (a room narrower than the
     * bridges between two such walls came out as all bridge). Nor is a
     * gap between such a wall and a wall's T junction: the wall beyond
     * the junction's far face stops there (nogt F1_original's washroom
     * was cut along its bench; plangen hatched:54's bedroom, beside a
     * shaft, was lost). */
    bool cross = mark && r->facing_walls && widest >= along;
    if (cross)
        mark_cross_sections(td, wd, mark, w, h, 0, widest, cols);
    if ((rc = k->morph(k->table, LOCDET_MORPH_CLOSE, tmp, tmp, gap, 1, threads)))
        return rc;
    drop_border_runs(tmp, walls->data, 0);
    if (cross)
        drop_cross_fills(tmp->data, mark, wd, w, h, 0, thick, cols);
    if (across > 1 && (rc = keep_thick_fills(r, tmp, wd, 1, across)))
        return rc;
    or_into(barrier, tmp);
    if ((rc = k->morph(k->table, LOCDET_MORPH_OPEN, walls, tmp, 1, along, threads)))
        return rc;
    if (diag)
        for (size_t i = 0; i < n; i++)
            diag[i] &= ~td[i];
    if (gz)
        glaze(r, walls, td, gz, thick, gap, 1, barrier);
    if (cross)
        mark_cross_sections(td, wd, mark, w, h, 1, widest, cols);
    if ((rc = k->morph(k->table, LOCDET_MORPH_CLOSE, tmp, tmp, 1, gap, threads)))
        return rc;
    drop_border_runs(tmp, walls->data, 1);
    if (cross)
        drop_cross_fills(tmp->data, mark, wd, w, h, 1, thick, cols);
    if (across > 1 && (rc = keep_thick_fills(r, tmp, wd, across, 1)))
        return rc;
    or_into(barrier, tmp);
    return LOCDET_OK;
}

/* Whether line `line` (a column for dir 1, a row for dir 0) is free at
 * position pos and walled at both ends of that free run (free_extent)
 * within `reach` px: a closing of that length would fill it. */
static bool walled_within(const uint8_t *wd, int w, int h, int dir, int line, int pos, int reach)
{
    ptrdiff_t su = dir ? w : 1, sv = dir ? 1 : w;
    int n = dir ? h : w, lo, hi;
    if (wd[(ptrdiff_t)line * sv + (ptrdiff_t)pos * su])
        return false;
    /* a run longer than reach is followed past the bounds and fails */
    free_extent(wd, su, sv, n, pos, line, pos - reach, pos + reach, &lo, &hi);
    return hi - lo < reach && lo > 0 && hi < n - 1;
}

/* Bridges that continue a wall: walls closed along x over `gap`, keeping a
 * new pixel only where the closed image is at most max_run px thick across
 * (along y) through it, with no wall on that run; then the same along y. A
 * door between a wall's end and a perpendicular wall is bridged (the
 * collinear rule misses it), while the space between two parallel walls,
 * tall across, is not. A fill beside a wall, across the same run, only
 * thickens that wall: the shadow of a jamb stub that overhangs a thin wall,
 * cast along the wall to the wall across (it made the closet behind look
 * no wider than its door, and the door was not closed), or a jagged face's
 * notches. With notch > 0 (px; turned drawings), a fill whose lines on
 * both sides are walled within gap + notch px is no bridge either: it lies
 * between two parallel walls' stepped faces (plangen small:166 turned -6
 * degrees lost its closet to such stripes). */
static int bridge_thin(const rooms *r, const locdet_call *call, const locdet_image *walls,
                       int thick, int gap, int notch, const locdet_image *tmp,
                       const locdet_image *barrier)
{
    const locdet_kernel_api *k = r->host->kernels;
    int w = walls->width, h = walls->height, threads = r->host->threads, rc;
    if (gap <= 1)
        return LOCDET_OK;
    uint16_t *run = call->scratch(call, (size_t)w * (size_t)h * sizeof *run);
    if (!run)
        return LOCDET_ERR_NOMEM;
    int max_run = (int)lround(r->bridge_across * thick) + 1;
    for (int dir = 0; dir < 2; dir++) {
        if ((rc = k->morph(k->table, LOCDET_MORPH_CLOSE, walls, tmp, dir ? 1 : gap, dir ? gap : 1,
                           threads)))
            return rc;
        drop_border_runs(tmp, walls->data, dir);
        /* Restrict-qualified row pointers and selects instead of branches:
         * the loops below then vectorize. */
        const uint8_t *c = tmp->data, *wd = walls->data;
        uint8_t *bd = barrier->data;
        if (dir == 0) {
            /* run lengths along y: down counting, then up spreading; a
             * wall pixel saturates its run (65535: over any limit) */
            for (int x = 0; x < w; x++)
                run[x] = c[x] ? (wd[x] ? 65535 : 1) : 0;
            for (int y = 1; y < h; y++) {
                const uint8_t *restrict cr = c + (size_t)y * w, *restrict wr = wd + (size_t)y * w;
                const uint16_t *restrict up = run + (size_t)(y - 1) * w;
                uint16_t *restrict rr = run + (size_t)y * w;
                for (int x = 0; x < w; x++)
                    rr[x] = (uint16_t)(((up[x] + (up[x] != 65535)) | -(wr[x] != 0)) &
                                       -(cr[x] != 0));
            }
            for (int y = h - 2; y >= 0; y--) {
                const uint8_t *restrict cr = c + (size_t)y * w, *restrict cn = cr + w;
                const uint16_t *restrict dn = run + (size_t)(y + 1) * w;
                uint16_t *restrict rr = run + (size_t)y * w;
                for (int x = 0; x < w; x++) {
                    uint16_t take = (uint16_t)-((cr[x] != 0) & (cn[x] != 0));
                    rr[x] = (uint16_t)((dn[x] & take) | (rr[x] & ~take));
                }
            }
            /* under 65535: no run through a wall (nor a wall pixel) */
            uint16_t limit = (uint16_t)(max_run < 65535 ? max_run : 65534);
            /* notches: their runs marked as through a wall, from each
             * short run's first pixel (a closed pixel under an open one) */
            for (int y = 1; notch && y < h - 1; y++) {
                const uint8_t *cr = c + (size_t)y * w, *cp = cr - w;
                uint16_t *rr = run + (size_t)y * w;
                for (int x = 0; x < w; x++) {
                    uint64_t cur, prev;
                    if (x + 8 <= w &&
                        (memcpy(&cur, cr + x, 8), memcpy(&prev, cp + x, 8), !(cur & ~prev))) {
                        x += 7;
                        continue;
                    }
                    int len = rr[x];
                    if (!cr[x] || cp[x] || len > limit || y + len >= h ||
                        !walled_within(wd, w, h, 0, y - 1, x, gap + notch) ||
                        !walled_within(wd, w, h, 0, y + len, x, gap + notch))
                        continue;
                    for (int k = 0; k < len; k++)
                        rr[(size_t)k * w + x] = 65535;
                }
            }
            for (int y = 0; y < h; y++) {
                const uint8_t *restrict cr = c + (size_t)y * w;
                const uint16_t *restrict rr = run + (size_t)y * w;
                uint8_t *restrict br = bd + (size_t)y * w;
                for (int x = 0; x < w; x++)
                    br[x] |= (uint8_t)-((cr[x] != 0) & (rr[x] <= limit));
            }
        } else {
            /* runs along x: each short run painted as it ends, no run image */
            for (int y = 0; y < h; y++) {
                const uint8_t *cr = c + (size_t)y * w, *wr = wd + (size_t)y * w;
                uint8_t *br = bd + (size_t)y * w;
                int x = 0;
                while (x < w) {
                    uint64_t word;
                    /* the closed walls are sparse: skip empty words */
                    if (x + 8 <= w && (memcpy(&word, cr + x, 8), !word)) {
                        x += 8;
                        continue;
                    }
                    if (!cr[x]) {
                        x++;
                        continue;
                    }
                    int x0 = x, walled = 0;
                    while (x < w && cr[x])
                        walled |= wr[x++];
                    if (x - x0 <= max_run && !walled && notch && x0 > 0 && x < w &&
                        walled_within(wd, w, h, 1, x0 - 1, y, gap + notch) &&
                        walled_within(wd, w, h, 1, x, y, gap + notch))
                        walled = 1;
                    if (x - x0 <= max_run && !walled)
                        memset(br + x0, 255, (size_t)(x - x0));
                }
            }
        }
    }
    return LOCDET_OK;
}

/* The gap rule of the line bridges, one wall pixel at a time: the pixel at
 * position p of a line whose state is last (position of its previous wall
 * pixel), cur (the run it ends) and pending (the gap before that run, when
 * the run before the gap was at least min_run long). Gaps of at most `hole`
 * steps do not end a run. Returns the length of a gap to fill, which ends
 * just before the current run (position p - cur), or 0. */
static int line_gap_step(int32_t *last, int32_t *cur, int32_t *pending, int p, int min_run,
                         int max_gap, int hole)
{
    int between = p - *last - 1;
    if (between > hole) {
        *pending = *cur >= min_run && between <= max_gap ? between : 0;
        *cur = 0;
    } else {
        *cur += between;
    }
    *last = p;
    if (++*cur >= min_run && *pending) {
        int fill = *pending;
        *pending = 0;
        return fill;
    }
    return 0;
}

/* Bridges in 45-degree walls, which the axis-aligned closings miss. diag
 * holds the diagonal walls (from bridge(): ordinary corners leave nothing).
 * Along each (1, 1) and (1, -1) line, a gap of at most `gap` px between two
 * runs each at least 2 thick px long (stubs and corner residues are shorter)
 * is filled into barrier. Only diagonal-wall pixels are visited, row by row,
 * with one state per line; a gap is filled back once the run after it is
 * long enough. */
static int bridge_diagonal(const locdet_call *call, const uint8_t *diag, int thick, int gap,
                           const locdet_image *barrier)
{
    int w = barrier->width, h = barrier->height;
    /* lengths along a diagonal in steps of sqrt 2 px */
    int max_gap = (int)(gap / M_SQRT2), min_run = (int)lround(2 * thick / M_SQRT2);
    if (max_gap < 1)
        return LOCDET_OK;
    size_t nd = (size_t)w + (size_t)h;
    /* per line and direction: the row of its last diagonal-wall pixel, the
     * run ending there, and the gap before that run when the run before the
     * gap was long enough (else 0) */
    int32_t *st = call->scratch(call, 6 * nd * sizeof *st);
    if (!st)
        return LOCDET_ERR_NOMEM;
    int32_t *last = st, *cur = st + 2 * nd, *pending = st + 4 * nd;
    for (size_t d = 0; d < 2 * nd; d++) {
        last[d] = -2 - max_gap;
        cur[d] = pending[d] = 0;
    }
    for (int y = 0; y < h; y++) {
        const uint8_t *row = diag + (size_t)y * w;
        /* diagonal walls are rare: skip empty words */
        for (int x = (int)zero_span(row, w); x < w;
             x += 1 + (int)zero_span(row + x + 1, (size_t)(w - x - 1))) {
            for (int dx = -1; dx <= 1; dx += 2) {
                size_t d = dx > 0 ? (size_t)(x - y + h - 1) : nd + (size_t)(x + y);
                int fill = line_gap_step(&last[d], &cur[d], &pending[d], y, min_run, max_gap, 0);
                for (int s = cur[d]; s < cur[d] + fill; s++)
                    barrier->data[(size_t)(y - s) * w + (x - dx * s)] = 255;
            }
        }
    }
    return LOCDET_OK;
}

/* Bridges in walls at other angles: curved outer walls (a ring of window
 * openings) and walls at 30 or 60 degrees. bridge_diagonal's rule along the
 * digital lines of every `step_deg` degrees that is not a multiple of 45
 * (the axis and diagonal bridges have those), with only the thick walls
 * (thick_walls: the walls opened by the stroke core) as sources: open door
 * leaves are straight lines at any angle, and two that happen to line up
 * would cut a hall in two.
 * A line is x-major (one pixel per column) below 45 degrees from x, else
 * y-major; runs and gaps are counted in major-axis steps. The non-axis
 * wall pixels (diag) are listed once, row by row; each line's pixels then
 * come in order along it when rows are taken top-down, or bottom-up for
 * x-major lines that rise to the right. */
static int bridge_angled(const locdet_call *call, const uint8_t *diag, const uint8_t *thick_walls,
                         int thick, int gap, int step_deg, const locdet_image *barrier)
{
    int w = barrier->width, h = barrier->height, side = w > h ? w : h;
    size_t cap = 1024, n = 0;
    int32_t *px = call->scratch(call, cap * 2 * sizeof *px);
    if (!px)
        return LOCDET_ERR_NOMEM;
    for (int y = 0; y < h; y++) {
        const uint8_t *row = diag + (size_t)y * w, *thick_row = thick_walls + (size_t)y * w;
        for (int x = (int)zero_span(row, w); x < w;
             x += 1 + (int)zero_span(row + x + 1, (size_t)(w - x - 1))) {
            if (!thick_row[x])
                continue;
            if (n == cap) {
                int32_t *bigger = call->scratch(call, cap * 4 * sizeof *px);
                if (!bigger)
                    return LOCDET_ERR_NOMEM;
                memcpy(bigger, px, n * 2 * sizeof *px);
                px = bigger;
                cap *= 2;
            }
            px[2 * n] = x;
            px[2 * n + 1] = y;
            n++;
        }
    }
    if (n < (size_t)(2 * thick))
        return LOCDET_OK;

    size_t nl_max = 2 * ((size_t)w + (size_t)h) + 8;
    int32_t *st = call->scratch(call, (3 * nl_max + (size_t)side) * sizeof *st);
    if (!st)
        return LOCDET_ERR_NOMEM;
    int32_t *last = st, *cur = st + nl_max, *pending = st + 2 * nl_max, *shift = st + 3 * nl_max;
    for (int deg = step_deg; deg < 180; deg += step_deg) {
        if (deg % 45 == 0)
            continue;
        double th = deg * M_PI / 180, c = cos(th), sn = sin(th);
        bool xmajor = fabs(c) >= fabs(sn);
        double m = xmajor ? sn / c : c / sn, per_px = xmajor ? fabs(c) : fabs(sn);
        int max_gap = (int)(gap * per_px), min_run = (int)lround(2 * thick * per_px);
        int hole = (int)(thick * per_px / 2);
        if (max_gap <= hole)
            continue;
        int major = xmajor ? w : h, minor = xmajor ? h : w;
        for (int i = 0; i < side; i++)
            shift[i] = (int32_t)lround(i * m);
        int off = (int)ceil(fabs(m) * major) + 1;
        size_t nl = (size_t)minor + 2 * (size_t)off + 1;
        for (size_t l = 0; l < nl; l++) {
            last[l] = -2 - max_gap;
            cur[l] = pending[l] = 0;
        }
        bool up = xmajor && m < 0;
        /* rows in order (or reversed), each row's pixels left to right */
        for (size_t done = 0, row_end = n; done < n;) {
            size_t b, e;
            if (!up) {
                b = done;
                for (e = b + 1; e < n && px[2 * e + 1] == px[2 * b + 1]; e++)
                    ;
            } else {
                e = row_end;
                for (b = e - 1; b > 0 && px[2 * (b - 1) + 1] == px[2 * (e - 1) + 1]; b--)
                    ;
                row_end = b;
            }
            done += e - b;
            for (size_t i = b; i < e; i++) {
                int x = px[2 * i], y = px[2 * i + 1];
                int p = xmajor ? x : y;
                size_t l = (size_t)((xmajor ? y - shift[x] : x - shift[y]) + off);
                /* holes under t/2 are rows dropped from diag, not gaps */
                int fill = line_gap_step(&last[l], &cur[l], &pending[l], p, min_run, max_gap, hole);
                for (int q = p - cur[l] - fill + 1; q <= p - cur[l]; q++) {
                    int line = (int)l - off;
                    int bx = xmajor ? q : line + shift[q], by = xmajor ? line + shift[q] : q;
                    if (bx >= 0 && bx < w && by >= 0 && by < h)
                        barrier->data[(size_t)by * w + bx] = 255;
                }
            }
        }
    }
    return LOCDET_OK;
}

/* walls without their pieces shorter than span both ways (drop_short_pieces),
 * in scratch (walls' size): *out. Bridges start from no such piece. */
static int long_pieces(const rooms *r, const locdet_call *call, const locdet_image *walls,
                       uint8_t *scratch, double span, locdet_image *out)
{
    int w = walls->width, h = walls->height;
    *out = (locdet_image){scratch, w, h, w};
    memcpy(scratch, walls->data, (size_t)w * (size_t)h);
    int64_t kept = drop_short_pieces(r, call, out, span, 0, NULL);
    return kept < 0 ? (int)kept : LOCDET_OK;
}

/* 4. Bridges over door and window openings into barrier, sized by the
 * walls they cut: the thin walls' doors (collinear, diagonal, angled,
 * along any wall, beside a corner), then, where exterior walls are
 * thicker, their (wider) windows. glazed: look for glazing (plans with
 * solid walls); symbols: wall pieces standing alone start no bridges
 * along walls (hatched and gray-filled plans, symbol_bridges); resampled:
 * a turned drawing, whose stepped faces' notches are no bridges along
 * walls (bridge_thin). walls ends up holding the thick walls when there
 * are any; tmp and cls are scratch. Partitions drawn light
 * (partition_from) go into wall_only too; the corridors' ends bridged
 * beside corners are listed in ends.
 * solid_across > 1 (hatched plans): a collinear bridge is kept only where
 * it is that thick across. Solid walls' jambs are wall-thick and in line,
 * so a door's bridge is as thick as they are; a bridge a pen or two thick
 * grazes a wall's face: a fixture fused to one wall, in the row of a wall
 * that meets the room's far side (nogt F1_original's WC was cut along its
 * sink). */
int bridge_openings(const rooms *r, const locdet_call *call, const locdet_image *img,
                    const locdet_image *walls, const locdet_image *tmp,
                    const locdet_image *barrier, uint8_t *wall_only, uint8_t *cls,
                    const uint8_t *thick_walls, int thick, int strongest, int light, int faint,
                    int paper, bool glazed, bool symbols, bool resampled, int solid_across,
                    corridor_ends *ends)
{
    const locdet_kernel_api *k = r->host->kernels;
    const locdet_kernels *t = k->table;
    int threads = r->host->threads, w = walls->width, h = walls->height, rc;
    /* diag's block also holds the column state of the glazing scan and of
     * the cross-section marks (one after the other) */
    size_t diag_size = ((size_t)w * (size_t)h + 63) & ~(size_t)63;
    uint8_t *diag = call->scratch(call, diag_size + 3 * (size_t)w * sizeof(int32_t));
    if (!diag)
        return LOCDET_ERR_NOMEM;
    int door = (int)lround(r->door_ratio * thick);
    glazing gz = {img, faint, (paper - light) / 2.0, (int32_t *)(diag + diag_size), wall_only};
    if ((rc = bridge(r, walls, thick, strongest, door, tmp, barrier, diag, glazed ? &gz : NULL,
                     cls, gz.cols, solid_across)) ||
        (door > 1 && (rc = bridge_diagonal(call, diag, thick, door, barrier))))
        return rc;
    if (r->angle_step > 0 && door > 1 &&
        (rc = bridge_angled(call, diag, thick_walls, thick, door, r->angle_step, barrier)))
        return rc;
    /* symbols: a wall piece standing alone and under blob_ratio t both
     * ways is a symbol, an arrowhead or text closed solid, and bridges
     * along walls do not start from it. cls is free scratch here. */
    locdet_image anchors = *walls;
    if (symbols && (rc = long_pieces(r, call, walls, cls, r->blob_ratio * thick, &anchors)))
        return rc;
    if (r->bridge_across > 0 &&
        (rc = bridge_thin(r, call, &anchors, thick, (int)lround(r->door_across * thick),
                          resampled ? (int)lround(NOTCH_SLACK * thick) : 0, tmp, barrier)))
        return rc;
    if (r->corner_door > 0 && r->jamb_arc > 0) {
        size_t cap = 16 * ((size_t)w + (size_t)h);
        corner_gap *gaps = call->scratch(call, cap * sizeof *gaps);
        if (!gaps)
            return LOCDET_ERR_NOMEM;
        for (int o = 0; o < 2; o++)
            close_corner_doors(r, walls->data, barrier->data, img, light, w, h, thick, strongest,
                               o, gaps, cap, ends);
    }
    if (strongest * 2 > thick * 3) {
        int keep = (int)lround(0.7 * strongest);
        if ((rc = k->morph(t, LOCDET_MORPH_OPEN, walls, tmp, keep, keep, threads)))
            return rc;
        /* walls is free now: the thick walls move there, tmp is scratch. */
        memcpy(walls->data, tmp->data, (size_t)w * (size_t)h);
        int wide_door = (int)lround(r->door_ratio * strongest);
        /* piers and shafts (thick pieces under blob_ratio S both ways)
         * start no wide door; cls is free scratch again */
        locdet_image long_walls;
        if ((rc = long_pieces(r, call, walls, cls, r->blob_ratio * strongest, &long_walls)))
            return rc;
        if ((rc = bridge(r, &long_walls, strongest, strongest, wide_door, tmp, barrier, NULL, NULL,
                         NULL, NULL, 0)))
            return rc;
    }
    return LOCDET_OK;
}
