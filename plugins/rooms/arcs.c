/* rooms, step 5 (bowed glazing): windows drawn as light bands at any
 * angle, bowed ones too (a bay's or a curtain wall's glazing between two
 * wall ends), painted into the barrier where the exterior has flooded
 * into the building. rooms.c has the whole pipeline. */
#include <math.h>

#include "rooms.h"

/* A band: at least ARC_CHORD t between its ends, the walls at each end at
 * most ARC_END walls across (at_wall_end), bowed at most ARC_BOW of its
 * chord. */
#define ARC_CHORD 4.0
#define ARC_END 2.0
#define ARC_BOW 0.15

/* not hypot(): on aarch64 it binds GLIBC_2.35, newer than Lambda's */
static double length(double dx, double dy)
{
    return sqrt(dx * dx + dy * dy);
}

/* How much exterior (2 in pad, padded by big px) lies inside the walls'
 * orthogonal hull, within the drawing (cut, x0 y0 x1 y1, exclusive
 * ends): pixels with wall to both sides on their row and above and below
 * on their column, walls off the drawing (a sheet's frame, its title
 * block) left out. Read on a grid of step px (a wall step px thick lies
 * on a grid row), so the result is a count of grid points: the area in
 * step^2. box receives their extent (x0 y0 x1 y1, inclusive; x1 < x0 when
 * none). -1: no memory. */
static int64_t exterior_inside(const locdet_call *call, const uint8_t *wall_only, int w, int h,
                        const uint8_t *pad, int pw, int big, const int cut[4], int step,
                        int box[4])
{
    box[0] = w, box[1] = h, box[2] = -1, box[3] = -1;
    int rows = (h + step - 1) / step;
    int32_t *row_lo = call->scratch(call, (size_t)(2 * rows + 2 * w) * sizeof *row_lo);
    if (!row_lo)
        return -1;
    int32_t *row_hi = row_lo + rows, *col_lo = row_hi + rows, *col_hi = col_lo + w;
    for (int x = 0; x < w; x++)
        col_lo[x] = h, col_hi[x] = -1;
    int first = (cut[1] + step - 1) / step;
    for (int i = first; i < rows && i * step < cut[3]; i++) {
        int y = i * step;
        const uint8_t *restrict wr = wall_only + (size_t)y * w;
        int lo = cut[0] + (int)zero_span(wr + cut[0], cut[2] - cut[0]), hi = cut[2] - 1;
        row_lo[i] = lo, row_hi[i] = -1;
        if (lo == cut[2])
            continue;
        while (!wr[hi])
            hi--;
        row_hi[i] = hi;
        int32_t *restrict cl = col_lo, *restrict ch = col_hi;
        for (int x = lo; x <= hi; x++) {
            cl[x] = wr[x] && cl[x] == h ? y : cl[x];
            ch[x] = wr[x] ? y : ch[x];
        }
    }
    int64_t n = 0;
    for (int i = first; i < rows && i * step < cut[3]; i++) {
        int y = i * step;
        const uint8_t *pr = pad + (size_t)(y + big) * pw + big;
        for (int x = (row_lo[i] + step) / step * step; x < row_hi[i]; x += step)
            if (pr[x] == 2 && col_lo[x] < y && y < col_hi[x]) {
                n++;
                box[0] = x < box[0] ? x : box[0];
                box[2] = x > box[2] ? x : box[2];
                box[1] = y < box[1] ? y : box[1];
                box[3] = y;
            }
    }
    return n;
}

/* A band's pixels and its contacts with big walls, for one candidate. */
typedef struct band_px {
    int32_t *x, *y; /* pixels: cap of them */
    size_t n, cap;
} band_px;

/* Whether the band meets a wall's end at (cx, cy): the band's direction
 * there is toward its pixels within rad = 2 wall px; the wall pixels within
 * rad spread across that direction by at most ARC_END wall px. A wall
 * ending in the band's line spreads its thickness; a wall's face across
 * the band's end spreads 2 rad. wall_px is the strongest wall's thickness:
 * glazing meets the outer walls, which may be thicker than the thin walls
 * (R3D 9's round flat: 14 px against 4). Window coordinates; labels of
 * the bands in lab, the walls in wall (stride ws). */
static bool at_wall_end(const locdet_labeling *lab, int32_t c, const uint8_t *wall, ptrdiff_t ws,
                        int ww, int wh, int cx, int cy, int wall_px)
{
    int rad = 2 * wall_px;
    int x0 = cx - rad > 0 ? cx - rad : 0, x1 = cx + rad < ww - 1 ? cx + rad : ww - 1;
    int y0 = cy - rad > 0 ? cy - rad : 0, y1 = cy + rad < wh - 1 ? cy + rad : wh - 1;
    double bx = 0, by = 0;
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++)
            if (lab->labels[(ptrdiff_t)y * lab->stride + x] == c)
                bx += x - cx, by += y - cy;
    double bl = length(bx, by);
    if (bl < 1e-9)
        return false;
    bx /= bl, by /= bl;
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++)
            if (wall[(ptrdiff_t)y * ws + x] &&
                (x - cx) * (x - cx) + (y - cy) * (y - cy) <= rad * rad) {
                double q = (x - cx) * -by + (y - cy) * bx;
                lo = q < lo ? q : lo;
                hi = q > hi ? q : hi;
            }
    return hi - lo <= ARC_END * wall_px;
}

/* Windows drawn as light bands between two wall ends, straight or bowed
 * (a bay's glazing), painted into the barrier. Looked for in win (x0, y0,
 * x1, y1, exclusive ends) only: where the exterior flooded in.
 * - bands: light ink (img <= light) off the barrier, with the wall pieces
 *   shorter than 2 blob_ratio t taken in (posts, mullions between panes),
 *   closed then opened by 3 px (single pen lines go: door swings, text);
 * - a band is at least ARC_CHORD t long, nowhere thicker than 2 t + 1,
 *   and touches the big walls (2 blob_ratio t or longer) within face_px
 *   (2 px at least: the bridges beside a wall's end, its face, cut the
 *   band short of the wall) at
 *   two contacts 0.8 of its box's diagonal apart or more, each at a wall's
 *   end (at_wall_end);
 * - it bows off its chord by 0 to ARC_BOW of the chord: a straight band
 *   is the glazing rule's (step 4), and door swings bow 0.21.
 * img is read-only; barrier (the image's size, stride its width) gains
 * the bands; tmp (the same) is scratch. Returns how many bands were
 * painted, or a negative LOCDET_ERR_*. */
static int glaze_arcs(const rooms *r, const locdet_call *call, const locdet_image *img,
                      int light, const locdet_image *barrier, const uint8_t *wall_only,
                      const locdet_image *tmp, int thick, int strongest, const int win[4])
{
    const locdet_kernel_api *k = r->host->kernels;
    int w = barrier->width, rc;
    int ww = win[2] - win[0], wh = win[3] - win[1];
    size_t origin = (size_t)win[1] * w + (size_t)win[0];
    uint8_t *bar = barrier->data + origin;
    const uint8_t *wall = wall_only + origin;
    const uint8_t *im = img->data + (ptrdiff_t)win[1] * img->stride + win[0];
    uint8_t *band = call->scratch(call, (size_t)ww * (size_t)wh);
    uint8_t *near = call->scratch(call, (size_t)ww * (size_t)wh);
    if (!band || !near)
        return LOCDET_ERR_NOMEM;
    locdet_image bands = {tmp->data + origin, ww, wh, w}, bi = {band, ww, wh, ww};
    locdet_image ni = {near, ww, wh, ww}, wi = {(uint8_t *)wall, ww, wh, w};
    for (int y = 0; y < wh; y++) {
        const uint8_t *restrict ir = im + (ptrdiff_t)y * img->stride;
        const uint8_t *restrict br = bar + (size_t)y * w, *restrict wr = wall + (size_t)y * w;
        uint8_t *restrict tr = bands.data + (size_t)y * w, *restrict nr = near + (size_t)y * ww;
        for (int x = 0; x < ww; x++) {
            tr[x] = (uint8_t)-((ir[x] <= light) & (br[x] == 0));
            nr[x] = wr[x];
        }
    }
    /* near: the big walls, dilated by face_px (contacts); the small pieces
     * join the bands */
    locdet_labeling wl;
    if ((rc = k->label(k->table, &wi, 8, r->host->threads, &wl)))
        return rc;
    double big_wall = 2 * r->blob_ratio * thick;
    for (int32_t c = 1; c < wl.count; c++) {
        const locdet_component *ws = &wl.stats[c];
        if ((ws->width > ws->height ? ws->width : ws->height) >= big_wall)
            continue;
        for (int y = ws->top; y < ws->top + ws->height; y++)
            for (int x = ws->left; x < ws->left + ws->width; x++)
                if (wl.labels[(ptrdiff_t)y * wl.stride + x] == c) {
                    near[(size_t)y * ww + x] = 0;
                    bands.data[(size_t)y * w + x] = 255;
                }
    }
    k->labeling_free(&wl);
    int contact = 2 * (r->face_px > 2 ? r->face_px : 2) + 1; /* the dilation's square */
    if ((rc = k->morph(k->table, LOCDET_MORPH_DILATE, &ni, &ni, contact, contact,
                       r->host->threads)) ||
        (rc = k->morph(k->table, LOCDET_MORPH_CLOSE, &bands, &bi, 3, 3, r->host->threads)) ||
        (rc = k->morph(k->table, LOCDET_MORPH_OPEN, &bi, &bands, 3, 3, r->host->threads)))
        return rc;
    locdet_labeling lab;
    if ((rc = k->label(k->table, &bands, 8, r->host->threads, &lab)))
        return rc;
    /* band: what survives an erosion by t (parts too thick for glazing) */
    int thick_part = 2 * thick + 1;
    if ((rc = k->morph(k->table, LOCDET_MORPH_ERODE, &bands, &bi, thick_part, thick_part,
                       r->host->threads))) {
        k->labeling_free(&lab);
        return rc;
    }
    double min_chord = ARC_CHORD * thick;
    band_px px = {NULL, NULL, 0, 0};
    int painted = 0;
    for (int32_t c = 1; c < lab.count; c++) {
        const locdet_component *st = &lab.stats[c];
        int ext = st->width > st->height ? st->width : st->height;
        if (ext < min_chord || (double)st->area > 2.0 * thick * (st->width + st->height))
            continue;
        if ((size_t)st->area > px.cap) {
            px.cap = (size_t)st->area * 2;
            px.x = call->scratch(call, 2 * px.cap * sizeof *px.x);
            if (!px.x) {
                k->labeling_free(&lab);
                return LOCDET_ERR_NOMEM;
            }
            px.y = px.x + px.cap;
        }
        /* its pixels, contacts first (swapped to the front) */
        px.n = 0;
        size_t contacts = 0;
        bool fat = false;
        for (int y = st->top; y < st->top + st->height && !fat; y++)
            for (int x = st->left; x < st->left + st->width; x++) {
                if (lab.labels[(ptrdiff_t)y * lab.stride + x] != c)
                    continue;
                if (band[(size_t)y * ww + x]) {
                    fat = true;
                    break;
                }
                px.x[px.n] = x, px.y[px.n] = y;
                if (near[(size_t)y * ww + x]) {
                    int32_t tx = px.x[contacts], ty = px.y[contacts];
                    px.x[contacts] = x, px.y[contacts] = y;
                    px.x[px.n] = tx, px.y[px.n] = ty;
                    contacts++;
                }
                px.n++;
            }
        if (fat || contacts == 0)
            continue;
        /* the farthest pair of contacts, nearly: the one farthest from the
         * first, then the one farthest from that */
        size_t a0 = 0, a1 = 0;
        double d0 = -1, chord = -1;
        for (size_t i = 0; i < contacts; i++) {
            double d = length(px.x[i] - px.x[0], px.y[i] - px.y[0]);
            if (d > d0)
                d0 = d, a0 = i;
        }
        for (size_t i = 0; i < contacts; i++) {
            double d = length(px.x[i] - px.x[a0], px.y[i] - px.y[a0]);
            if (d > chord)
                chord = d, a1 = i;
        }
        if (chord < min_chord || chord < 0.8 * length(st->width, st->height))
            continue;
        int cx0 = px.x[a0], cy0 = px.y[a0], cx1 = px.x[a1], cy1 = px.y[a1];
        /* the bow: the pixels' spread off the chord less the band's
         * thickness (area over chord) */
        double ux = (cx1 - cx0) / chord, uy = (cy1 - cy0) / chord;
        double dmin = HUGE_VAL, dmax = -HUGE_VAL;
        for (size_t i = 0; i < px.n; i++) {
            double d = (px.x[i] - cx0) * uy - (px.y[i] - cy0) * ux;
            dmin = d < dmin ? d : dmin;
            dmax = d > dmax ? d : dmax;
        }
        double bow = dmax - dmin - (double)st->area / chord;
        if (bow < 0 || bow > ARC_BOW * chord)
            continue;
        if (!at_wall_end(&lab, c, wall, w, ww, wh, cx0, cy0, strongest) ||
            !at_wall_end(&lab, c, wall, w, ww, wh, cx1, cy1, strongest))
            continue;
        r->host->log(r->host, LOCDET_LOG_DEBUG, "arc glazing %d %d %d %d, chord %.0f, bow %.0f",
                     win[0] + st->left, win[1] + st->top, win[0] + st->left + st->width - 1,
                     win[1] + st->top + st->height - 1, chord, bow);
        for (size_t i = 0; i < px.n; i++)
            bar[(size_t)px.y[i] * w + px.x[i]] = 255;
        painted++;
    }
    k->labeling_free(&lab);
    return painted;
}

/* Step 5's bowed glazing (rooms.c calls it after exterior_pockets, with
 * t >= 1): where (2 min_room_ratio)^2 t^2 or more of the exterior lies
 * inside the walls' orthogonal hull (four of the smallest rooms), it came
 * in through a window the bridges missed, glazing bowed or at an angle.
 * Bands are looked for in the box of that exterior grown by the closing's
 * size (big) and painted into barrier; then the exterior in pad (padded by
 * big px) is flooded again, within the first one, with gaps in diagonal
 * and curved walls closed too (flood_exterior): the enclosed spaces
 * exterior_pockets took out stay out (that search is the costly part of
 * step 5). tmp is scratch. */
int seal_bowed_glazing(const rooms *r, const locdet_call *call, const locdet_image *img,
                       int light, const locdet_image *barrier, const uint8_t *wall_only,
                       const locdet_image *tmp, int thick, int strongest, const int cut[4],
                       locdet_image *pad, int big)
{
    int w = barrier->width, h = barrier->height, rc, leak[4];
    int64_t inside =
        exterior_inside(call, wall_only, w, h, pad->data, pad->width, big, cut, thick, leak);
    if (inside < 0)
        return LOCDET_ERR_NOMEM;
    double room = 2 * r->min_room_ratio;
    r->host->log(r->host, LOCDET_LOG_DEBUG, "exterior inside the walls: %lld t^2",
                 (long long)inside);
    if ((double)inside < room * room)
        return LOCDET_OK;
    int win[4] = {leak[0] - big > 0 ? leak[0] - big : 0, leak[1] - big > 0 ? leak[1] - big : 0,
                  leak[2] + big + 1 < w ? leak[2] + big + 1 : w,
                  leak[3] + big + 1 < h ? leak[3] + big + 1 : h};
    int painted = glaze_arcs(r, call, img, light, barrier, wall_only, tmp, thick, strongest, win);
    if (painted < 0)
        return painted;
    size_t pad_size = (size_t)pad->width * (size_t)pad->height;
    uint8_t *before = call->scratch(call, pad_size);
    if (!before)
        return LOCDET_ERR_NOMEM;
    memcpy(before, pad->data, pad_size);
    /* the same big; gaps in diagonal and curved walls closed too */
    if ((rc = flood_exterior(r, call, barrier, thick, true, pad, &big)))
        return rc;
    exterior_again(pad, before, big, cut);
    return LOCDET_OK;
}
