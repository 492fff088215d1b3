/* rooms, step 5: the drawing's extent on the sheet (title blocks and
 * frames off it), the exterior, and the class map the later steps read.
 * rooms.c has the whole pipeline. */
#include <math.h>

#include "rooms.h"

/* Mark as 2 the free (0) pixels of m connected to (0, 0), 4-connected:
 * a scanline flood fill, no label image. */
static int flood_from_corner(const locdet_call *call, uint8_t *m, int w, int h)
{
    size_t cap = 4096, n = 0;
    int32_t *st = call->scratch(call, cap * 2 * sizeof *st);
    if (!st)
        return LOCDET_ERR_NOMEM;
    st[n++] = 0;
    st[n++] = 0;
    while (n) {
        int y = st[--n], x = st[--n];
        uint8_t *row = m + (size_t)y * w;
        if (row[x])
            continue;
        int xl = x, xr = x;
        while (xl > 0 && !row[xl - 1])
            xl--;
        xr = x + (int)zero_span(row + x + 1, w - 1 - x);
        memset(row + xl, 2, (size_t)(xr - xl + 1));
        for (int ny = y - 1; ny <= y + 1; ny += 2) {
            if (ny < 0 || ny >= h)
                continue;
            const uint8_t *nr = m + (size_t)ny * w;
            /* the start of each free run of the neighbour row in [xl, xr];
             * runs of filled or wall pixels are skipped a word at a time */
            for (int i = xl; i <= xr; i++) {
                if (nr[i]) {
                    i += (int)nonzero_span(nr + i, xr - i + 1) - 1;
                    continue;
                }
                if (i > xl && !nr[i - 1])
                    continue;
                if (n + 2 > cap * 2) {
                    int32_t *bigger = call->scratch(call, cap * 4 * sizeof *st);
                    if (!bigger)
                        return LOCDET_ERR_NOMEM;
                    memcpy(bigger, st, n * sizeof *st);
                    st = bigger;
                    cap *= 2;
                }
                st[n++] = i;
                st[n++] = ny;
                i += (int)zero_span(nr + i, xr - i + 1) - 1;
            }
        }
    }
    return LOCDET_OK;
}

/* A sheet's frame, or any line drawn around the whole plan, encloses the
 * space outside the building, which the flood from the image border then
 * misses: it would pass for one big room holding all the others, and take
 * in the rooms that look out on it through bridged windows. A free
 * component that is not on the image border, whose box covers a quarter of
 * the image and holds frame_rooms components of room size is that space:
 * it becomes exterior (cls 3, label 0, no box). Held means that the
 * component lies beyond it in all four directions. */
void drop_frames(const rooms *r, const locdet_call *call, locdet_labeling *lab,
                 uint8_t *cls, double min_area, int s)
{
    int w = lab->width, h = lab->height;
    for (int32_t c = 1; c < lab->count; c++) {
        locdet_component *st = &lab->stats[c];
        if (st->width == 0 || touches_border(st, w, h) ||
            4.0 * st->width * st->height < (double)w * h)
            continue;
        int inside = 0;
        for (int32_t d = 1; d < lab->count && inside < r->frame_rooms; d++) {
            const locdet_component *sd = &lab->stats[d];
            if (d == c || (double)sd->area < min_area || sd->width == 0 ||
                sd->left < st->left || sd->top < st->top ||
                sd->left + sd->width > st->left + st->width ||
                sd->top + sd->height > st->top + st->height)
                continue;
            /* held: c lies beyond it in all four directions (a room on the
             * edge of an open-plan space looks out on the exterior) */
            int my = sd->top + sd->height / 2, mx = sd->left + sd->width / 2;
            const int32_t *row = lab->labels + (ptrdiff_t)my * lab->stride;
            bool left = false, right = false, up = false, down = false;
            for (int x = sd->left - 1; x >= 0 && !left; x--)
                left = row[x] == c;
            for (int x = sd->left + sd->width; x < w && !right; x++)
                right = row[x] == c;
            for (int y = sd->top - 1; y >= 0 && !up; y--)
                up = lab->labels[(ptrdiff_t)y * lab->stride + mx] == c;
            for (int y = sd->top + sd->height; y < h && !down; y++)
                down = lab->labels[(ptrdiff_t)y * lab->stride + mx] == c;
            inside += left && right && up && down;
        }
        if (inside < r->frame_rooms)
            continue;
        call->host->log(call->host, LOCDET_LOG_DEBUG,
                        "frame %d %d %d %d holds %d rooms or more: exterior", st->left * s,
                        st->top * s, (st->left + st->width) * s, (st->top + st->height) * s,
                        inside);
        for (int y = st->top; y < st->top + st->height; y++) {
            int32_t *lr = lab->labels + (ptrdiff_t)y * lab->stride;
            uint8_t *cr = cls + (size_t)y * w;
            for (int x = st->left; x < st->left + st->width; x++)
                if (lr[x] == c) {
                    lr[x] = 0;
                    cr[x] = 3;
                }
        }
        st->width = st->height = 0;
        st->area = 0;
    }
}

/* Whether the line of n pixels `step` apart from p holds a run of ink at
 * least `need` long, bridging gaps of up to 2 px (a hairline broken by JPEG
 * or antialiasing). A run over half the line covers its middle: three
 * paper pixels there (more than a gap bridged) rule it out at once. */
static bool has_run(const uint8_t *p, int n, ptrdiff_t step, int need)
{
    if (2 * need > n + 4 && n >= 3 &&
        !(p[(n / 2 - 1) * step] | p[(n / 2) * step] | p[(n / 2 + 1) * step]))
        return false;
    int run = 0, gap = 0;
    for (int i = 0; i < n; i++, p += step) {
        if (!run && i > n - need)
            return false;
        if (*p) {
            run += gap + 1;
            gap = 0;
            if (run >= need)
                return true;
        } else if (run && gap < 2) {
            gap++;
        } else {
            run = gap = 0;
        }
    }
    return false;
}

/* From line `from` of `count` (line i starts at d + i * line_step, its n
 * pixels `along` apart), stepping by dir (+1 or -1) toward the image edge:
 * the first line holding a run of `need` (has_run), then on across all
 * such lines next to it. Returns the first line past them, -1 or count at
 * the edge (also when there is none). */
static int far_side(const uint8_t *d, int from, int dir, int count, ptrdiff_t line_step,
                    ptrdiff_t along, int n, int need)
{
    int i = from;
    while (i >= 0 && i < count && !has_run(d + i * line_step, n, along, need))
        i += dir;
    while (i >= 0 && i < count && has_run(d + i * line_step, n, along, need))
        i += dir;
    return i;
}

/* The drawing's bounds on a sheet: the innermost ink line within
 * sheet_margin of each image edge that runs sheet_line of the image's
 * length, when no line inside the margins runs that long (a grid of rooms,
 * a table: the drawing's own lines are that long, and they mark nothing).
 * A sheet frame and the rule in front of its title block are such lines; a
 * building's outer wall can be one, and then all beyond it is the exterior
 * anyway. The cut lies on the line's far side (a wall's outer face).
 * cut = {left, top, right, bottom}: pixels with x < left, y < top,
 * x >= right or y >= bottom lie off the drawing. */
void sheet_bounds(const rooms *r, const locdet_call *call, const locdet_image *ink,
                  int cut[4])
{
    int w = ink->width, h = ink->height;
    cut[0] = cut[1] = 0;
    cut[2] = w;
    cut[3] = h;
    if (r->sheet_line <= 0)
        return;
    int mx = (int)(r->sheet_margin * w), my = (int)(r->sheet_margin * h);
    int need_v = (int)ceil(r->sheet_line * h);
    const uint8_t *d = ink->data;
    ptrdiff_t st = ink->stride;
    cut[0] = far_side(d, mx - 1, -1, w, 1, st, h, need_v) + 1;
    cut[2] = far_side(d, w - mx, 1, w, 1, st, h, need_v);
    for (int x = mx; x < w - mx && (cut[0] || cut[2] < w); x++)
        if (has_run(d + x, h, st, need_v))
            cut[0] = 0, cut[2] = w;
    /* rows across what the columns left: a drawing's title line ends at
     * the title block */
    int span = cut[2] - cut[0], need_h = (int)ceil(r->sheet_line * span);
    d += cut[0];
    cut[1] = far_side(d, my - 1, -1, h, st, 1, span, need_h) + 1;
    cut[3] = far_side(d, h - my, 1, h, st, 1, span, need_h);
    for (int y = my; y < h - my && (cut[1] || cut[3] < h); y++)
        if (has_run(d + y * st, span, 1, need_h))
            cut[1] = 0, cut[3] = h;
    if (cut[0] || cut[1] || cut[2] < w || cut[3] < h)
        call->host->log(call->host, LOCDET_LOG_DEBUG, "drawing bounds %d %d %d %d", cut[0],
                        cut[1], cut[2], cut[3]);
}

/* keep_pockets: the exterior is opened by POCKET_RATIO times the exterior
 * closing; a piece of it off the padded border whose box is POCKET_WIDE
 * times that wide both ways (a hall, not a strip of sidewalk between a
 * facade and a curb, nogt _15), with walls (grown by a quarter of the
 * closing) on POCKET_WALLS of its border and the rest of the exterior on
 * at most POCKET_OPEN (a mouth, not a side: A-490's space between its
 * drawings has half), is a space the building encloses. */
#define POCKET_RATIO 2
#define POCKET_WIDE 2
#define POCKET_WALLS 0.5
#define POCKET_OPEN 0.1
#define MAX_POCKETS 250
/* keep_pockets' owner map: a pocket's number, OUTSIDE the rest of the
 * exterior, 0 what the opening took off, NOT_EXT no exterior */
#define OUTSIDE 254
#define NOT_EXT 255

/* Queue of pixel indices for keep_pockets' flood, grown on demand */
typedef struct pixel_queue {
    int32_t *at;
    size_t head, tail, cap;
} pixel_queue;

static bool queue_push(const locdet_call *call, pixel_queue *q, int32_t i)
{
    if (q->tail == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 4096;
        int32_t *bigger = call->scratch(call, cap * sizeof *bigger);
        if (!bigger)
            return false;
        if (q->tail > q->head) /* the first block: nothing to move (at is NULL) */
            memcpy(bigger, q->at + q->head, (q->tail - q->head) * sizeof *bigger);
        q->tail -= q->head;
        q->head = 0;
        q->at = bigger;
        q->cap = cap;
    }
    q->at[q->tail++] = i;
    return true;
}

/* A space the drawing encloses but for an opening wider than the exterior
 * closing floods as exterior: nogt example6's sketch (an entrance 29 t
 * wide) and A-190A's reading room (glazing, two thin lines the opening
 * removes, on two sides). The exterior (2 in pad) opened by a `size`
 * square: its pieces off the padded border are such spaces (wider than
 * size, their mouth narrower). What the opening took off the exterior
 * (corners, strips along wobbly walls, the mouth) goes to the nearer piece
 * along the exterior (a flood from all at once): a pocket keeps its
 * strips, and the mouth is split across its middle. The pockets that pass
 * the tests above go back to free space (0). wall_only: the walls (the
 * image's size, pad less b px each side). */
static int keep_pockets(const rooms *r, const locdet_call *call, const locdet_image *pad,
                        const uint8_t *wall_only, int b, int size)
{
    const locdet_kernel_api *k = r->host->kernels;
    int pw = pad->width, ph = pad->height, w = pw - 2 * b, rc;
    if (size >= pw || size >= ph)
        return LOCDET_OK;
    /* Most plans have none: the test first runs on f x f blocks that are
     * exterior throughout (walls stay walls), opened by size / f. */
    int f = b / 4 > 1 ? b / 4 : 1, bw = (pw + f - 1) / f, bh = (ph + f - 1) / f;
    uint8_t *blocks = call->scratch(call, (size_t)bw * (size_t)bh + (size_t)pw);
    if (!blocks)
        return LOCDET_ERR_NOMEM;
    /* a block row's rows ANDed first (vectorized), then its blocks */
    uint8_t *restrict acc = blocks + (size_t)bw * (size_t)bh;
    for (int by = 0; by < bh; by++) {
        memset(acc, 255, (size_t)pw);
        for (int y = by * f; y < by * f + f && y < ph; y++) {
            const uint8_t *restrict pr = pad->data + (size_t)y * pw;
            for (int x = 0; x < pw; x++)
                acc[x] &= (uint8_t)-(pr[x] == 2);
        }
        for (int bx = 0; bx < bw; bx++) {
            uint8_t all = 255;
            for (int x = bx * f; x < bx * f + f && x < pw; x++)
                all &= acc[x];
            blocks[(size_t)by * bw + bx] = all;
        }
    }
    locdet_image small = {blocks, bw, bh, bw};
    int small_size = size / f;
    if (small_size >= bw || small_size >= bh)
        return LOCDET_OK;
    if ((rc = k->morph(k->table, LOCDET_MORPH_OPEN, &small, &small, small_size, small_size, 1)))
        return rc;
    locdet_labeling sl;
    if ((rc = k->label(k->table, &small, 4, 1, &sl)))
        return rc;
    bool found = false;
    for (int32_t c = 1; c < sl.count && !found; c++) {
        const locdet_component *st = &sl.stats[c];
        found = !touches_border(st, bw, bh);
    }
    k->labeling_free(&sl);
    if (!found)
        return LOCDET_OK;
    size_t n = (size_t)pw * (size_t)ph;
    uint8_t *own = call->scratch(call, n);
    if (!own)
        return LOCDET_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        own[i] = (uint8_t)-(pad->data[i] == 2);
    locdet_image e = {own, pw, ph, pw};
    if ((rc = k->morph(k->table, LOCDET_MORPH_OPEN, &e, &e, size, size, r->host->threads)))
        return rc;
    locdet_labeling lab;
    if ((rc = k->label(k->table, &e, 4, r->host->threads, &lab)))
        return rc;
    /* pocket[c]: 1.. for the wide pieces off the border (MAX_POCKETS at most) */
    uint8_t *pocket = call->scratch(call, (size_t)lab.count);
    if (!pocket) {
        k->labeling_free(&lab);
        return LOCDET_ERR_NOMEM;
    }
    int pockets = 0;
    for (int32_t c = 1; c < lab.count; c++) {
        const locdet_component *st = &lab.stats[c];
        bool inside = !touches_border(st, pw, ph);
        bool wide = st->width >= POCKET_WIDE * size && st->height >= POCKET_WIDE * size;
        pocket[c] = inside && wide && pockets < MAX_POCKETS ? (uint8_t)++pockets : 0;
    }
    if (!pockets) {
        k->labeling_free(&lab);
        return LOCDET_OK;
    }
    /* own: a pocket's number, OUTSIDE, 0 (to be shared out) or NOT_EXT */
    for (int y = 0; y < ph; y++) {
        const int32_t *lr = lab.labels + (ptrdiff_t)y * lab.stride;
        const uint8_t *pr = pad->data + (size_t)y * pw;
        uint8_t *orow = own + (size_t)y * pw;
        for (int x = 0; x < pw; x++)
            orow[x] = pr[x] != 2 ? NOT_EXT : !lr[x] ? 0 : pocket[lr[x]] ? pocket[lr[x]] : OUTSIDE;
    }
    k->labeling_free(&lab);
    /* the flood starts from the pieces' pixels beside what is shared out:
     * the queue holds those and the shared pixels, not the image */
    pixel_queue q = {NULL, 0, 0, 0};
    for (int y = 0; y < ph; y++)
        for (int x = 0; x < pw; x++) {
            size_t i = (size_t)y * pw + (size_t)x;
            if (own[i] == 0 || own[i] == NOT_EXT)
                continue;
            bool edge = (x > 0 && !own[i - 1]) || (x + 1 < pw && !own[i + 1]) ||
                        (y > 0 && !own[i - pw]) || (y + 1 < ph && !own[i + pw]);
            if (edge && !queue_push(call, &q, (int32_t)i))
                return LOCDET_ERR_NOMEM;
        }
    while (q.head < q.tail) {
        int32_t i = q.at[q.head++];
        int x = i % pw, y = i / pw;
        int32_t nb[4] = {x > 0 ? i - 1 : -1, x + 1 < pw ? i + 1 : -1, y > 0 ? i - pw : -1,
                         y + 1 < ph ? i + pw : -1};
        for (int d = 0; d < 4; d++)
            if (nb[d] >= 0 && own[nb[d]] == 0) {
                own[nb[d]] = own[i];
                if (!queue_push(call, &q, nb[d]))
                    return LOCDET_ERR_NOMEM;
            }
    }
    /* the walls grown by a quarter of the exterior closing: the closing's
     * fill along a wobbly or jagged face lies between them and a pocket */
    uint8_t *near = call->scratch(call, (size_t)w * (size_t)(ph - 2 * b));
    if (!near)
        return LOCDET_ERR_NOMEM;
    locdet_image wo = {(uint8_t *)wall_only, w, ph - 2 * b, w}, nw = {near, w, ph - 2 * b, w};
    int grow = 2 * (b / 4) + 1;
    if ((rc = k->morph(k->table, LOCDET_MORPH_DILATE, &wo, &nw, grow, grow, r->host->threads)))
        return rc;
    /* each pocket's border: on walls, on other lines, open to the rest */
    int64_t border[MAX_POCKETS + 1][3];
    memset(border, 0, sizeof border);
    for (int y = 1; y + 1 < ph; y++)
        for (int x = 1; x + 1 < pw; x++) {
            size_t i = (size_t)y * pw + (size_t)x;
            int p = own[i];
            if (p == 0 || p > MAX_POCKETS)
                continue;
            size_t nb[4] = {i - 1, i + 1, i - (size_t)pw, i + (size_t)pw};
            for (int d = 0; d < 4; d++) {
                if (own[nb[d]] == OUTSIDE) {
                    border[p][2]++;
                } else if (own[nb[d]] == NOT_EXT) {
                    int ux = (int)(nb[d] % (size_t)pw) - b, uy = (int)(nb[d] / (size_t)pw) - b;
                    bool wall = ux >= 0 && uy >= 0 && ux < w && uy < ph - 2 * b &&
                                near[(size_t)uy * w + ux];
                    border[p][wall ? 0 : 1]++;
                }
            }
        }
    bool keep[MAX_POCKETS + 1] = {false};
    for (int p = 1; p <= pockets; p++) {
        int64_t all = border[p][0] + border[p][1] + border[p][2];
        keep[p] = all > 0 && (double)border[p][0] >= POCKET_WALLS * (double)all &&
                  (double)border[p][2] <= POCKET_OPEN * (double)all;
        r->host->log(r->host, LOCDET_LOG_DEBUG, "pocket %d: walls %lld, lines %lld, open %lld%s",
                     p, (long long)border[p][0], (long long)border[p][1],
                     (long long)border[p][2], keep[p] ? ", kept" : "");
    }
    for (size_t i = 0; i < n; i++)
        if (own[i] >= 1 && own[i] <= MAX_POCKETS && keep[own[i]])
            pad->data[i] = 0;
    return LOCDET_OK;
}

/* 5. The exterior: what stays connected to the border of the padded
 * image once the barrier is closed with a big square (exterior_ratio t, 3
 * px at least), so that windows and gaps in the outer wall no longer let a
 * room leak out. *pad receives the barrier padded by *big px on every
 * side, closed, with the exterior marked 2: allocated (call scratch) when
 * pad->data is NULL, else written over (a second pass, the same size).
 * exterior_pockets then takes the enclosed spaces out.
 * A square closes a gap in a wall along x or y up to its size, but in a
 * diagonal or curved wall its corner reaches into the gap from both sides,
 * and any gap wider than the wall is thick stays open (R3D 9's round
 * flat: its entrance, 16 px in a 14 px wall, let the exterior into the
 * living room). diagonal: the barrier is first dilated by DIAGONAL_GROW of
 * the closing's size (d px each way), then closed by the rest (big - 2 d):
 * gaps along the axes close as before (under big), gaps in 45-degree walls
 * up to the wall's thickness plus 4 sqrt(2) d (0.7 big), and the exterior
 * grows back over the d px it lost along the walls (off the barrier). */
#define DIAGONAL_GROW 0.125

int flood_exterior(const rooms *r, const locdet_call *call, const locdet_image *barrier, int thick,
                   bool diagonal, locdet_image *pad, int *big)
{
    const locdet_kernel_api *k = r->host->kernels;
    int w = barrier->width, h = barrier->height, rc;
    int b = (int)lround(r->exterior_ratio * thick);
    if (b < 3)
        b = 3;
    int pw = w + 2 * b, ph = h + 2 * b;
    uint8_t *data = pad->data ? pad->data : call->scratch(call, (size_t)pw * (size_t)ph);
    *pad = (locdet_image){data, pw, ph, pw};
    *big = b;
    if (!pad->data)
        return LOCDET_ERR_NOMEM;
    memset(pad->data, 0, (size_t)pw * (size_t)ph);
    for (int y = 0; y < h; y++)
        memcpy(pad->data + (size_t)(y + b) * pw + b, barrier->data + (size_t)y * w, (size_t)w);
    int d = diagonal ? (int)(DIAGONAL_GROW * b) : 0;
    if (d > 0 && (rc = k->morph(k->table, LOCDET_MORPH_DILATE, pad, pad, 2 * d + 1, 2 * d + 1,
                                r->host->threads)))
        return rc;
    if ((rc = k->morph(k->table, LOCDET_MORPH_CLOSE, pad, pad, b - 2 * d, b - 2 * d,
                       r->host->threads)) ||
        (rc = flood_from_corner(call, pad->data, pw, ph)))
        return rc;
    if (d == 0)
        return LOCDET_OK;
    /* the exterior grows back d px over what the dilation took */
    uint8_t *grown = call->scratch(call, (size_t)pw * (size_t)ph);
    if (!grown)
        return LOCDET_ERR_NOMEM;
    for (size_t i = 0; i < (size_t)pw * (size_t)ph; i++)
        grown[i] = (uint8_t)-(pad->data[i] == 2);
    locdet_image gi = {grown, pw, ph, pw};
    if ((rc = k->morph(k->table, LOCDET_MORPH_DILATE, &gi, &gi, 2 * d + 1, 2 * d + 1,
                       r->host->threads)))
        return rc;
    for (int y = 0; y < ph; y++) {
        uint8_t *pr = pad->data + (size_t)y * pw;
        const uint8_t *gr = grown + (size_t)y * pw;
        const uint8_t *br = y >= b && y < b + h ? barrier->data + (size_t)(y - b) * w : NULL;
        for (int x = 0; x < pw; x++)
            if (gr[x] && pr[x] == 255 && !(br && x >= b && x < b + w && br[x - b]))
                pr[x] = 2;
    }
    return LOCDET_OK;
}

/* What lies off the drawing (outside cut: margins, title block) is
 * exterior: marked 2 in pad (padded by big px). */
static void mark_off_drawing(const locdet_image *pad, int big, const int cut[4])
{
    int w = pad->width - 2 * big, h = pad->height - 2 * big, pw = pad->width;
    for (int y = 0; (cut[0] || cut[1] || cut[2] < w || cut[3] < h) && y < h; y++) {
        uint8_t *pr = pad->data + (size_t)(y + big) * pw + big;
        if (y < cut[1] || y >= cut[3]) {
            memset(pr, 2, (size_t)w);
            continue;
        }
        memset(pr, 2, (size_t)cut[0]);
        memset(pr + cut[2], 2, (size_t)(w - cut[2]));
    }
}

/* The exterior flood_exterior marked in pad (padded by big px), less the
 * spaces the building encloses behind a wider mouth (keep_pockets); what
 * lies off the drawing is exterior too. */
int exterior_pockets(const rooms *r, const locdet_call *call, const locdet_image *pad, int big,
                     const uint8_t *wall_only, const int cut[4])
{
    int rc = keep_pockets(r, call, pad, wall_only, big, POCKET_RATIO * big);
    if (!rc)
        mark_off_drawing(pad, big, cut);
    return rc;
}

/* The exterior flooded again into pad once the barrier gained pixels: it
 * can only have shrunk, and what was no exterior before (the enclosed
 * spaces taken out, exterior_pockets) stays as it was in before (pad's
 * size); off the drawing is exterior. */
void exterior_again(const locdet_image *pad, const uint8_t *before, int big, const int cut[4])
{
    uint8_t *restrict p = pad->data;
    const uint8_t *restrict b = before;
    size_t n = (size_t)pad->width * (size_t)pad->height;
    /* a select by mask: the loop vectorizes */
    for (size_t i = 0; i < n; i++) {
        uint8_t back = (uint8_t)-((p[i] == 2) & (b[i] != 2));
        p[i] = (uint8_t)((b[i] & back) | (p[i] & ~back));
    }
    mark_off_drawing(pad, big, cut);
}

/* cls: 0 free, 1 wall (wall_only), 2 bridge (the rest of barrier), 3
 * exterior (2 in pad, the map padded by big px: flood_exterior). Bridge
 * pixels within face_px of a wall are the wall's face (the closings fill
 * its jagged, antialiased edge), not a door. space receives the free
 * space (255 where cls is 0). */
int classify(const rooms *r, const uint8_t *wall_only, const locdet_image *barrier,
             const locdet_image *pad, int big, uint8_t *cls, const locdet_image *space)
{
    const locdet_kernel_api *k = r->host->kernels;
    int w = barrier->width, h = barrier->height, pw = pad->width, rc;
    if (r->face_px > 0) {
        locdet_image wo = {(uint8_t *)wall_only, w, h, w};
        int face = 2 * r->face_px + 1;
        if ((rc = k->morph(k->table, LOCDET_MORPH_DILATE, &wo, space, face, face,
                           r->host->threads)))
            return rc;
        /* restrict locals: the loop vectorizes */
        const uint8_t *restrict wo_d = wall_only, *restrict bd = barrier->data;
        const uint8_t *restrict td = space->data;
        uint8_t *restrict cd = cls;
        for (size_t i = 0; i < (size_t)w * (size_t)h; i++) {
            uint8_t wl1 = wo_d[i] != 0, br1 = (bd[i] != 0) & !wl1, fc1 = td[i] != 0;
            cd[i] = (uint8_t)(wl1 | (br1 & fc1) | ((br1 & !fc1) << 1));
        }
    } else {
        for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
            cls[i] = wall_only[i] ? 1 : barrier->data[i] ? 2 : 0;
    }
    for (int y = 0; y < h; y++) {
        const uint8_t *restrict el = pad->data + (size_t)(y + big) * pw + big;
        uint8_t *restrict cr = cls + (size_t)y * w, *restrict fr = space->data + (size_t)y * w;
        for (int x = 0; x < w; x++) {
            uint8_t c = (uint8_t)(cr[x] | (-((cr[x] == 0) & (el[x] == 2)) & 3));
            cr[x] = c;
            fr[x] = (uint8_t)-(c == 0);
        }
    }
    return LOCDET_OK;
}

/* Whether component c has most of its pixels (more than half) within
 * `reach` px of the image border. */
bool near_border_only(const locdet_labeling *lab, int32_t c, int reach)
{
    const locdet_component *st = &lab->stats[c];
    int x0 = st->left > reach ? st->left : reach;
    int y0 = st->top > reach ? st->top : reach;
    int x1 = st->left + st->width < lab->width - reach ? st->left + st->width : lab->width - reach;
    int y1 = st->top + st->height < lab->height - reach ? st->top + st->height
                                                         : lab->height - reach;
    int64_t inner_box = x1 > x0 && y1 > y0 ? (int64_t)(x1 - x0) * (y1 - y0) : 0;
    /* the part of its box near the border holds too few pixels: no need
     * to count (a building cut by the border) */
    if ((int64_t)st->width * st->height - inner_box <= st->area / 2)
        return false;
    int64_t n = 0;
    for (int y = y0; y < y1; y++) {
        const int32_t *row = lab->labels + (ptrdiff_t)y * lab->stride;
        for (int x = x0; x < x1; x++)
            n += row[x] == c;
    }
    return 2 * n < st->area;
}
