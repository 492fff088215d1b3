/* rooms, steps 1-3: the ink levels, the wall thickness t, and the walls
 * (how they are drawn, opened out of the ink, short pieces and glyphs
 * dropped, thin closet walls added). rooms.c has the whole pipeline. */
#include <math.h>

#include "rooms.h"
#include <stdlib.h>

/* The ink (runs x length) of the runs len px long, with those of len +- 1
 * when spread (a resampled drawing spreads one wall width over them). */
static uint64_t peak_ink(const uint64_t *hist, int len, int max_len, bool spread)
{
    uint64_t ink = hist[len] * (uint64_t)len;
    if (spread) {
        ink += hist[len - 1] * (uint64_t)(len - 1);
        if (len < max_len)
            ink += hist[len + 1] * (uint64_t)(len + 1);
    }
    return ink;
}

/* The thinnest local peak of the run-length ink (hist[len] x len) in
 * [from, to) with at least `least` ink (peak_ink); `to` when there is none.
 * 2 px is a pen stroke when thicker walls exist: from 3 px at least. */
static int thinnest_peak(const uint64_t *hist, int from, int to, int max_len, bool spread,
                         uint64_t least)
{
    for (int len = from > 3 ? from : 3; len < to; len++) {
        uint64_t wgt = hist[len] * (uint64_t)len;
        uint64_t prev = hist[len - 1] * (uint64_t)(len - 1);
        uint64_t next = hist[len + 1] * (uint64_t)(len + 1);
        if (peak_ink(hist, len, max_len, spread) >= least && wgt >= prev && wgt >= next)
            return len;
    }
    return to;
}

/* With no thinner peak holding a quarter of the strongest's ink, a sharp
 * one: SHARP_PEAK times the runs of its two neighbours together (walls are
 * drawn one width; pen strokes and their antialiasing spread over 2-4 px).
 * plangen hatched:137's 15 px interior walls hold 0.19 of the ink of its
 * 30 px outer walls, and with t the outer wall its doors stayed open. */
#define SHARP_PEAK 4

/* The thinnest run length in from .. to-1 carrying `least` ink (runs x
 * length) whose runs are SHARP_PEAK times its neighbours'; `to` if none. */
static int thinnest_sharp_peak(const uint64_t *hist, int from, int to, uint64_t least)
{
    for (int len = from > 3 ? from : 3; len < to; len++)
        if (hist[len] * (uint64_t)len >= least &&
            hist[len] >= SHARP_PEAK * (hist[len - 1] + hist[len + 1]))
            return len;
    return to;
}

/* The strongest length S of the run-length histogram: weighted by
 * length^run_power (1: ink pixels; 2 favours walls over the many pen
 * strokes of a furnished plan), smoothed over +-1. */
static int strongest_length(const rooms *r, const uint64_t *hist, int max_len)
{
    uint64_t top_w = 0;
    int top_len = 1;
    for (int len = 2; len <= max_len; len++) {
        double sm = 0;
        for (int d = -1; d <= 1; d++)
            if (len + d >= 2 && len + d <= max_len)
                sm += (d ? 0.5 : 1.0) * (double)hist[len + d];
        uint64_t wgt = (uint64_t)(sm * pow(len, r->run_power));
        if (wgt > top_w) {
            top_w = wgt;
            top_len = len;
        }
    }
    return top_len;
}

/* t: S (top_len) is a wall, often an exterior one; plans draw the interior
 * walls thinner and the opening must keep them, so take the thinnest strong
 * peak down to thin_share S (below that come the pen strokes of text and
 * furniture). spread: peaks' ink counted over +-1 px (peak_ink). */
static int thinnest_wall(const rooms *r, const uint64_t *hist, int max_len, int top_len,
                         bool spread)
{
    uint64_t top = peak_ink(hist, top_len, max_len, spread);
    int lo = (int)lround(r->thin_share * top_len);
    int best = thinnest_peak(hist, lo, top_len, max_len, spread, top / 4);
    if (best == top_len)
        best = thinnest_sharp_peak(hist, lo, top_len, top / 8);
    /* Two thick classes (outer walls and, at 2 thin_share S or more,
     * inner ones) can leave the partitions thinner than both: plans with
     * 300-400 mm outer walls and 70-150 mm partitions. They are few
     * against the thick walls: a peak with an eighth of the strongest's
     * ink, from partition_share S up to the inner class. With one class
     * (t = S) peaks that thin are furniture and text strokes. */
    if (r->partition_share > 0 && best < top_len && best >= 2 * r->thin_share * top_len) {
        int from = (int)lround(r->partition_share * top_len);
        int partition = thinnest_peak(hist, from, best, max_len, spread, top / 8);
        if (partition < best)
            best = partition;
    }
    return best;
}

/* A run LINE_RUN px or longer through ink at most LINE_WIDTH px wide across
 * its middle runs along a pen line: a line's length, no wall's thickness.
 * plangen hatched:143's hall, 84 px wide, is tiled with lines across it:
 * their runs made S 84 px, and no room was found. */
#define LINE_RUN 16
#define LINE_WIDTH 2

/* Ink on line v of ink at position u (along x for o = 0, along y for
 * o = 1), outside the image none. */
static inline bool ink_at(const locdet_image *ink, int o, int u, int v)
{
    int x = o ? v : u, y = o ? u : v;
    return x >= 0 && y >= 0 && x < ink->width && y < ink->height &&
           ink->data[(ptrdiff_t)y * ink->stride + x];
}

/* Whether the ink through (x, y) is at most LINE_WIDTH px wide along x
 * (o = 0) or y (o = 1). */
static bool thin_across(const locdet_image *ink, int o, int x, int y)
{
    int u = o ? y : x, v = o ? x : y, width = 1;
    for (int d = 1; d <= LINE_WIDTH && ink_at(ink, o, u - d, v); d++)
        width++;
    for (int d = 1; d <= LINE_WIDTH && ink_at(ink, o, u + d, v); d++)
        width++;
    return width <= LINE_WIDTH;
}

/* The wall thickness t from the run lengths (2 .. max_len) of the ink,
 * horizontal and vertical runs together, runs along pen lines left out
 * (LINE_RUN); *strongest: S, the length carrying the most ink. Vertical
 * runs are read row by row, where a row differs from the one above (a run
 * starts or ends there), so the image is read in order. */
int wall_thickness(const rooms *r, const locdet_call *call, const locdet_image *ink,
                   int *strongest)
{
    return wall_thickness_spread(r, call, ink, strongest, NULL);
}

/* wall_thickness, and when spread is not NULL, in *spread t with the peaks'
 * ink counted over +-1 px: a resampled drawing (turned onto the axes, or
 * decoded at half size) draws one wall width as two or three run
 * lengths. */
int wall_thickness_spread(const rooms *r, const locdet_call *call, const locdet_image *ink,
                          int *strongest, int *spread)
{
    int w = ink->width, h = ink->height;
    int max_len = (w < h ? w : h) / 8;
    *strongest = 1;
    if (spread)
        *spread = 1;
    if (max_len < 2)
        return 1;
    uint64_t *hist = call->scratch(call, (size_t)(max_len + 1) * sizeof *hist);
    int32_t *col = call->scratch(call, (size_t)w * sizeof *col);
    if (!hist || !col)
        return -1;
    memset(hist, 0, (size_t)(max_len + 1) * sizeof *hist);
    /* col[x]: the row where column x's run of ink began */
    const uint8_t *prev = NULL;
    for (int y = 0; y <= h; y++) {
        const uint8_t *row = y < h ? ink->data + (ptrdiff_t)y * ink->stride : NULL;
        for (int x = row ? (int)zero_span(row, (size_t)w) : w; x < w;) {
            int run = (int)nonzero_span(row + x, (size_t)(w - x));
            if (run >= 2 && run <= max_len &&
                (run < LINE_RUN || !thin_across(ink, 1, x + run / 2, y)))
                hist[run]++;
            x += run;
            x += (int)zero_span(row + x, (size_t)(w - x));
        }
        /* columns change only where the row differs from the one above:
         * equal words are skipped (most of a plan, paper or inside a wall) */
        for (int x = 0; x < w; x++) {
            if (x + 8 <= w && same8(row ? row + x : NULL, prev ? prev + x : NULL)) {
                x += 7;
                continue;
            }
            bool on = row && row[x], was = prev && prev[x];
            if (on && !was) {
                col[x] = y;
            } else if (!on && was) {
                int run = y - col[x];
                if (run >= 2 && run <= max_len &&
                    (run < LINE_RUN || !thin_across(ink, 0, x, col[x] + run / 2)))
                    hist[run]++;
            }
        }
        prev = row;
    }
    int top_len = strongest_length(r, hist, max_len);
    int best = thinnest_wall(r, hist, max_len, top_len, false);
    if (spread)
        *spread = thinnest_wall(r, hist, max_len, top_len, true);
    call->host->log(call->host, LOCDET_LOG_DEBUG, "strongest ink run %d px, wall thickness %d px",
                    top_len, best);
    if (spread && *spread != best)
        call->host->log(call->host, LOCDET_LOG_DEBUG,
                        "wall thickness %d px with widths over +-1 px", *spread);
    *strongest = top_len;
    return best;
}

/* Otsu's split of hist's levels 0 .. end: the middle of the levels that
 * share the best between-class variance (a flat top: two-level images
 * give its middle, as the antialiased edges between the levels are then
 * half ink); -1 if there is no split. */
static int otsu(const uint64_t hist[256], int end)
{
    double sum = 0, n = 0;
    for (int v = 0; v <= end; v++) {
        sum += (double)v * (double)hist[v];
        n += (double)hist[v];
    }
    double sb = 0, wb = 0, best_var = -1;
    double var[256];
    for (int v = 0; v < end; v++) {
        wb += (double)hist[v];
        sb += (double)v * (double)hist[v];
        var[v] = -1;
        if (wb == 0 || wb == n)
            continue;
        double mb = sb / wb, mf = (sum - sb) / (n - wb);
        var[v] = wb * (n - wb) * (mb - mf) * (mb - mf);
        if (var[v] > best_var)
            best_var = var[v];
    }
    int first = -1, last = -1;
    for (int v = 0; v < end; v++)
        if (var[v] >= best_var * (1 - 1e-9)) {
            if (first < 0)
                first = v;
            last = v;
        }
    return first < 0 ? -1 : (first + last) / 2;
}

#define TINT_LIGHT 0.75
#define TINT_MASS 2.0
#define TINT_DEEP 0.5

/* A floor tint (rooms filled flat light gray): the most common level
 * (within +-2) of the 40 under the ink level `level`, at least
 * TINT_LIGHT of the paper, holding TINT_MASS times the pixels darker than
 * it by 20 levels or more, and deep: on TINT_DEEP of its pixels (every
 * fourth row and column) the tint lies width / 60 px away all four ways (a
 * room is that wide; walls filled gray are thinner). Otsu put it with the
 * ink (plangen hatched:106 tints five rooms 200-207, 21% of the image,
 * beside 4% of black ink: level 218, every tinted room a wall). Returns
 * the split of the ink below it (Otsu up to 4 levels under it), or -1
 * when there is no such tint. */
static int floor_tint(const locdet_image *g, const uint64_t hist[256], int level, int paper)
{
    int tint = -1;
    uint64_t tint_n = 0;
    for (int v = level; v > level - 40 && v > 2; v--) {
        uint64_t s = hist[v - 2] + hist[v - 1] + hist[v] + (v + 1 < 256 ? hist[v + 1] : 0) +
                     (v + 2 < 256 ? hist[v + 2] : 0);
        if (s > tint_n) {
            tint_n = s;
            tint = v;
        }
    }
    if (tint < TINT_LIGHT * paper)
        return -1;
    uint64_t darker = 0;
    for (int v = 0; v < tint - 20; v++)
        darker += hist[v];
    if ((double)tint_n < TINT_MASS * (double)darker)
        return -1;
    int d = g->width / 60 > 4 ? g->width / 60 : 4;
    uint64_t seen = 0, deep = 0;
#define TINTED(x, y) (abs((int)g->data[(ptrdiff_t)(y) * g->stride + (x)] - tint) <= 3)
    for (int y = d; y < g->height - d; y += 4)
        for (int x = d; x < g->width - d; x += 4)
            if (TINTED(x, y)) {
                seen++;
                deep += TINTED(x - d, y) && TINTED(x + d, y) && TINTED(x, y - d) &&
                        TINTED(x, y + d);
            }
#undef TINTED
    if ((double)deep < TINT_DEEP * (double)seen || !seen)
        return -1;
    return otsu(hist, tint - 4);
}

/* The ink level from the histogram: Otsu's split of the levels up to the
 * paper, the most common level (smoothed over +-2). Plans on gray paper
 * with white margins (R3D crops) would otherwise have Otsu split paper from
 * margin and call the whole paper ink. */
int ink_level(const locdet_image *g, int *paper_out)
{
    /* four partial histograms: paper is one level, and counting it into
     * one table would chain every increment through the same counter */
    uint64_t hist[256] = {0}, part[4][256] = {{0}};
    for (int y = 0; y < g->height; y++) {
        const uint8_t *row = g->data + (ptrdiff_t)y * g->stride;
        int x = 0;
        for (; x + 4 <= g->width; x += 4) {
            part[0][row[x]]++;
            part[1][row[x + 1]]++;
            part[2][row[x + 2]]++;
            part[3][row[x + 3]]++;
        }
        for (; x < g->width; x++)
            part[0][row[x]]++;
    }
    for (int v = 0; v < 256; v++)
        hist[v] = part[0][v] + part[1][v] + part[2][v] + part[3][v];
    int paper = 255;
    uint64_t best = 0;
    for (int v = 0; v < 256; v++) {
        uint64_t s = 0;
        for (int d = -2; d <= 2; d++)
            if (v + d >= 0 && v + d < 256)
                s += hist[v + d];
        if (s > best) {
            best = s;
            paper = v;
        }
    }
    /* the paper peak reaches a few levels up (noise, JPEG) */
    int top = paper + 6 < 255 ? paper + 6 : 255;
    int level = otsu(hist, top);
    if (level < 0)
        level = paper / 2;
    int tinted = floor_tint(g, hist, level, paper);
    if (tinted >= 0)
        level = tinted;
    *paper_out = paper;
    return level;
}

/* Sets to value every pixel of a (and of b, when given) whose component in
 * lab is selected: the verdicts made per component, the pixels read in
 * the selected components' boxes only when those cover less than the
 * image (most calls select a few symbols or none), else one lookup per
 * pixel. */
void paint_components(const locdet_labeling *lab, const uint8_t *selected, uint8_t value,
                      const locdet_image *a, const locdet_image *b)
{
    int64_t boxed = 0, image = (int64_t)a->width * a->height;
    for (int32_t c = 1; c < lab->count && boxed < image; c++)
        if (selected[c])
            boxed += (int64_t)lab->stats[c].width * lab->stats[c].height;
    if (boxed < image && !selected[0]) {
        for (int32_t c = 1; c < lab->count; c++) {
            if (!selected[c])
                continue;
            const locdet_component *st = &lab->stats[c];
            for (int y = st->top; y < st->top + st->height; y++) {
                const int32_t *lr = lab->labels + (ptrdiff_t)y * lab->stride;
                uint8_t *ar = a->data + (ptrdiff_t)y * a->stride;
                uint8_t *br = b ? b->data + (ptrdiff_t)y * b->stride : NULL;
                for (int x = st->left; x < st->left + st->width; x++)
                    if (lr[x] == c) {
                        ar[x] = value;
                        if (br)
                            br[x] = value;
                    }
            }
        }
        return;
    }
    for (int y = 0; y < a->height; y++) {
        const int32_t *lr = lab->labels + (ptrdiff_t)y * lab->stride;
        uint8_t *ar = a->data + (ptrdiff_t)y * a->stride;
        uint8_t *br = b ? b->data + (ptrdiff_t)y * b->stride : NULL;
        for (int x = 0; x < a->width; x++)
            if (selected[lr[x]]) {
                ar[x] = value;
                if (br)
                    br[x] = value;
            }
    }
}

/* Drops the 8-connected pieces of mask whose box is shorter than min_span
 * both ways: walls are long, text and symbols are not. The area kept, or
 * a status < 0; *solid (when given) the part of it in pieces solid_span
 * wide both ways or more that fill half their box or more (floor tints,
 * where walls make a network thin against its box). */
int64_t drop_short_pieces(const rooms *r, const locdet_call *call, const locdet_image *mask,
                          double min_span, double solid_span, int64_t *solid)
{
    const locdet_kernel_api *k = r->host->kernels;
    locdet_labeling lab;
    int rc = k->label(k->table, mask, 8, r->host->threads, &lab);
    if (rc)
        return rc;
    uint8_t *drop = call->scratch(call, (size_t)lab.count);
    if (!drop) {
        k->labeling_free(&lab);
        return LOCDET_ERR_NOMEM;
    }
    int64_t kept = 0, filled = 0;
    drop[0] = 0;
    for (int32_t c = 1; c < lab.count; c++) {
        const locdet_component *st = &lab.stats[c];
        drop[c] = st->width < min_span && st->height < min_span;
        if (!drop[c]) {
            kept += st->area;
            if (st->width >= solid_span && st->height >= solid_span &&
                2 * st->area >= (int64_t)st->width * st->height)
                filled += st->area;
        }
    }
    if (solid)
        *solid = filled;
    paint_components(&lab, drop, 0, mask, NULL);
    k->labeling_free(&lab);
    return kept;
}

/* Pen strokes only in the run lengths, yet the walls may be filled flat
 * gray between two hairlines (poche, as construction sheets draw them; the
 * linework outnumbers the walls there). The ink lighter than the dark pen
 * strokes (above half the ink level), opened by 3 px, keeps fills at least
 * 3 px wide and loses the strokes with their antialiased edges; what is
 * left of text goes with the short pieces. When that is fill_share of the
 * ink or more, fill holds the wall pixels (with the hairlines: dilated by
 * 1 px) and the wall thickness (the fill's and the two hairlines) is
 * returned; 0 otherwise, or a status < 0. dark is scratch. */
static int gray_fill_walls(const rooms *r, const locdet_call *call, const locdet_image *img,
                           int level, int dark_level, const locdet_image *fill,
                           const locdet_image *dark, int *strongest)
{
    const locdet_kernel_api *k = r->host->kernels;
    int threads = r->host->threads;
    int rc;
    if ((rc = k->threshold_binary(k->table, img, fill, level, true)) ||
        (rc = k->threshold_binary(k->table, img, dark, dark_level, true)))
        return rc;
    uint8_t *restrict fd = fill->data;
    const uint8_t *restrict dd = dark->data;
    size_t n = (size_t)fill->width * (size_t)fill->height;
    int64_t ink = 0;
    for (size_t i = 0; i < n; i++) {
        ink += fd[i] != 0;
        fd[i] &= (uint8_t)~dd[i];
    }
    if ((rc = k->morph(k->table, LOCDET_MORPH_OPEN, fill, fill, 3, 3, threads)))
        return rc;
    int thick = wall_thickness(r, call, fill, strongest);
    if (thick < 0)
        return LOCDET_ERR_NOMEM;
    int64_t solid = 0;
    int64_t kept = drop_short_pieces(r, call, fill, r->blob_ratio * (thick + 2), 0, &solid);
    if (kept < 0)
        return (int)kept;
    call->host->log(call->host, LOCDET_LOG_DEBUG,
                    "gray fill up to %d: %.3f of the ink, %.2f of it in solid pieces", level,
                    ink ? (double)kept / (double)ink : 0.0, kept ? (double)solid / kept : 0.0);
    /* walls are a network, thin against its box; a floor's tint fills its
     * room's */
    if (!ink || (double)kept < r->fill_share * (double)ink || 2 * solid > kept)
        return 0;
    if ((thick = wall_thickness(r, call, fill, strongest)) < 0)
        return LOCDET_ERR_NOMEM;
    if ((rc = k->morph(k->table, LOCDET_MORPH_DILATE, fill, fill, 3, 3, threads)))
        return rc;
    *strongest += 2;
    return thick + 2;
}

/* A flat gray lighter than the ink level that may fill the walls: the
 * darkest clear peak of the levels from `level` to a quarter of the way
 * from `light` to the paper (counted over +-2 levels), with a quarter of
 * the most common one's count at least; up to a quarter of the way from it
 * to the paper. Tinted floors are lighter than poche and may cover as
 * much. 0 when there is none. */
static int light_fill_level(const locdet_image *img, int level, int light)
{
    uint64_t hist[256] = {0};
    for (int y = 0; y < img->height; y++) {
        const uint8_t *row = img->data + (ptrdiff_t)y * img->stride;
        for (int x = 0; x < img->width; x++)
            hist[row[x]]++;
    }
    int paper = 255;
    for (int v = 0; v < 256; v++)
        if (hist[v] > hist[paper])
            paper = v;
    uint64_t near[256] = {0}, most = 0;
    int last = light + (paper - light) / 4;
    for (int v = level + 1; v <= last; v++) {
        for (int d = -2; d <= 2; d++)
            if (v + d > level && v + d <= last)
                near[v] += hist[v + d];
        most = near[v] > most ? near[v] : most;
    }
    for (int v = level + 1; most && v <= last; v++)
        if (4 * near[v] >= most && near[v] >= near[v - 1] && (v == last || near[v] >= near[v + 1]))
            return v + (paper - v) / 4;
    return 0;
}

/* Whether the pair of lines runs on through the break b0 .. b1-1 in a
 * run of pair marks (line l of od, positions along it step apart, lines
 * next apart): paper between the pair's lines at every position of the
 * break. A line meeting the wall from outside merges with its pen line
 * into a run wider than a pen (a fitting drawn against the wall, A-491's
 * stalls), and where a line is lighter than the level for a pixel or two
 * it is left out; lines crossing the pair (paving, hatching, a grid) and
 * a wall's end (a line across) put ink between the lines. The pair's
 * extent across is read from the marks at q0, the last position before
 * the break. */
static bool pair_runs_through(const uint8_t *od, const uint8_t *id, ptrdiff_t next,
                              ptrdiff_t step, int lines, int l, int q0, int b0, int b1,
                              int pen)
{
    int lo = l, hi = l;
    while (lo > 0 && od[(ptrdiff_t)(lo - 1) * next + (ptrdiff_t)q0 * step])
        lo--;
    while (hi + 1 < lines && od[(ptrdiff_t)(hi + 1) * next + (ptrdiff_t)q0 * step])
        hi++;
    for (int q = b0; q < b1; q++)
        for (int u = lo + pen; u <= hi - pen; u++)
            if (id[(ptrdiff_t)u * next + (ptrdiff_t)q * step])
                return false;
    return true;
}

/* The runs of pair marks along line l of od (n positions) that reach len
 * when read through breaks of up to `pen` positions that the pair runs on
 * through (pair_runs_through) are walls too: their positions, breaks
 * included, are marked 3 (255 stays). */
static void keep_through_breaks(uint8_t *od, const uint8_t *id, ptrdiff_t next, ptrdiff_t step,
                                int lines, int n, int l, int pen, int len)
{
    uint8_t *o = od + (ptrdiff_t)l * next;
    int i = 0;
    while (i < n) {
        while (i < n && !o[i * step])
            i++;
        int a = i, end = i;
        if (a >= n)
            break;
        for (;;) {
            while (i < n && o[i * step])
                i++;
            end = i;
            while (i < n && i - end < pen && !o[i * step])
                i++;
            if (i >= n || !o[i * step] ||
                !pair_runs_through(od, id, next, step, lines, l, end - 1, end, i, pen))
                break;
        }
        i = end;
        if (end - a >= len)
            for (int j = a; j < end; j++)
                o[j * step] = o[j * step] == 255 ? 255 : 3;
    }
}

/* Door jambs at a corner or a T: a wall's end between a wall across it
 * and a door is often shorter than a wall's section (A-491's kitchen
 * door: an 18 px pair from the wall above to the door, 10 pens being
 * 30 px). A component of dropped sections (2) of one direction's marks
 * (walls: 255 and 3, kept) is kept as wall (3) when it is a wall's end:
 * at least 4 pens long, at most a wall thick (gmax + 2 pens) across,
 * touching a kept wall of the other direction (other), with a kept wall
 * of its own direction in line with it (over half its width) within
 * JAMB_REACH pens beyond either end: the wall on the door's other side.
 * vertical: walls holds the vertical walls (runs down the columns).
 * dropped is scratch (the image's size). Returns a status. */
#define JAMB_REACH 20
static int keep_jambs(const rooms *r, uint8_t *walls, const uint8_t *other, bool vertical,
                      const locdet_image *dropped, int pen, int gmax)
{
    const locdet_kernel_api *k = r->host->kernels;
    int w = dropped->width, h = dropped->height, rc;
    size_t n = (size_t)w * (size_t)h;
    for (size_t j = 0; j < n; j++)
        dropped->data[j] = walls[j] == 2 ? 255 : 0;
    locdet_labeling lab;
    if ((rc = k->label(k->table, dropped, 8, r->host->threads, &lab)))
        return rc;
    /* dropped is free again: one byte per component (outlined walls
     * hold sections 10 pens long, so components and background are
     * fewer than the pixels), whether it touches the other direction's
     * walls, then whether it is kept */
    uint8_t *touch = dropped->data;
    memset(touch, 0, (size_t)lab.count);
    for (int y = 1; y < h - 1; y++) {
        const int32_t *lr = lab.labels + (ptrdiff_t)y * lab.stride;
        for (int x = 1; x < w - 1; x++) {
            int32_t c = lr[x];
            if (!c || touch[c])
                continue;
            for (int dy = -1; dy <= 1 && !touch[c]; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    uint8_t v = other[(size_t)(y + dy) * w + x + dx];
                    if (v == 255 || v == 3) {
                        touch[c] = 1;
                        break;
                    }
                }
        }
    }
    int minlen = 4 * pen, reach = JAMB_REACH * pen, n_along = vertical ? h : w;
    ptrdiff_t sa = vertical ? w : 1, sc = vertical ? 1 : w; /* along, across */
    for (int32_t c = 1; c < lab.count; c++) {
        const locdet_component *st = &lab.stats[c];
        int a0 = vertical ? st->top : st->left, len = vertical ? st->height : st->width;
        int c0 = vertical ? st->left : st->top, wide = vertical ? st->width : st->height;
        bool keep = touch[c] && len >= minlen && wide <= gmax + 2 * pen;
        bool in_line = false;
        for (int side = 0; keep && side < 2 && !in_line; side++)
            for (int d = 1; d <= reach && !in_line; d++) {
                int q = side ? a0 + len - 1 + d : a0 - d;
                if (q < 0 || q >= n_along)
                    break;
                int hits = 0;
                for (int u = c0; u < c0 + wide; u++) {
                    uint8_t v = walls[q * sa + u * sc];
                    hits += v == 255 || v == 3;
                }
                in_line = 2 * hits >= wide;
            }
        touch[c] = keep && in_line;
    }
    locdet_image wi = {walls, w, h, w};
    paint_components(&lab, touch, 3, &wi, NULL);
    k->labeling_free(&lab);
    return LOCDET_OK;
}

/* Walls drawn as two parallel pen lines with paper between (outlined, no
 * fill): across each line of pixels, a run of ink at most `pen` thick, a
 * gap of paper 2 to 6 pens wide and another such run mark a section of a
 * wall. Sections that run on along the wall for 10 pens or more are kept
 * (text and symbols are shorter), read through breaks up to a pen long
 * that no line crosses (keep_through_breaks: A-491's stall fittings cut a
 * partition's pair every 4-30 px). Horizontal walls come from the
 * columns (into out), vertical ones from the rows (into across). out
 * receives the walls, lines included; the share of the ink that the
 * unbroken sections hold is returned (paving's pairs, cut by its cross
 * lines, stay under outline_share), or a status < 0. ink is scratch. */
static double outlined_walls(const rooms *r, const locdet_image *img, int level, int pen,
                             const locdet_image *out, const locdet_image *across,
                             const locdet_image *ink)
{
    const locdet_kernel_api *k = r->host->kernels;
    int w = img->width, h = img->height, rc;
    if ((rc = k->threshold_binary(k->table, img, ink, level, true)))
        return rc;
    const uint8_t *id = ink->data;
    memset(out->data, 0, (size_t)w * (size_t)h);
    memset(across->data, 0, (size_t)w * (size_t)h);
    int gmin = 2 * pen, gmax = 6 * pen, len = 10 * pen;
    for (int pass = 0; pass < 2; pass++) {
        /* pass 0: down the columns, pass 1: along the rows */
        int lines = pass ? h : w, n = pass ? w : h;
        ptrdiff_t step = pass ? 1 : w, next = pass ? w : 1;
        uint8_t *od = pass ? across->data : out->data;
        for (int l = 0; l < lines; l++) {
            const uint8_t *p = id + (ptrdiff_t)l * next;
            uint8_t *o = od + (ptrdiff_t)l * next;
            int i = 0, prev_start = -1, prev_end = -1;
            while (i < n) {
                while (i < n && !p[i * step])
                    i++;
                int a = i;
                while (i < n && p[i * step])
                    i++;
                if (a >= n)
                    break;
                if (i - a > pen) {
                    prev_start = -1;
                    continue;
                }
                int gap = a - prev_end;
                if (prev_start >= 0 && gap >= gmin && gap <= gmax)
                    for (int j = prev_start; j < i; j++)
                        o[j * step] = 1;
                prev_start = a;
                prev_end = i;
            }
        }
        /* along the walls: runs of sections 10 pens long */
        lines = pass ? w : h;
        n = pass ? h : w;
        step = pass ? w : 1;
        next = pass ? 1 : w;
        for (int l = 0; l < lines; l++) {
            uint8_t *o = od + (ptrdiff_t)l * next;
            int i = 0;
            while (i < n) {
                while (i < n && !o[i * step])
                    i++;
                int a = i;
                if (a >= n)
                    break;
                while (i < n && o[i * step])
                    i++;
                uint8_t keep = (uint8_t)(i - a >= len ? 255 : 2); /* 2: dropped */
                for (int j = a; j < i; j++)
                    o[j * step] = keep;
            }
            keep_through_breaks(od, id, next, step, lines, n, l, pen, len);
        }
    }
    int64_t kept = 0, inked = 0;
    uint8_t *restrict od = out->data;
    uint8_t *restrict ad = across->data;
    for (size_t j = 0; j < (size_t)w * (size_t)h; j++) {
        kept += ((od[j] == 255) | (ad[j] == 255)) & (id[j] != 0);
        inked += id[j] != 0;
    }
    double share = inked ? (double)kept / (double)inked : 0;
    /* ink is free now; jambs only on an outlined drawing (they cost two
     * labelings) */
    if (share >= r->outline_share &&
        ((rc = keep_jambs(r, od, ad, false, ink, pen, gmax)) ||
         (rc = keep_jambs(r, ad, od, true, ink, pen, gmax))))
        return rc;
    for (size_t j = 0; j < (size_t)w * (size_t)h; j++)
        od[j] = (uint8_t)-((od[j] == 255) | (ad[j] == 255) | (od[j] == 3) | (ad[j] == 3));
    return share;
}

/* A wall component that is not a wall: small both ways and, unless
 * max_fill >= 1, not a solid block (a short wall piece between two doors
 * is solid; glyphs are not). */
bool blob(const locdet_component *st, double len, double max_fill)
{
    return st->width < len && st->height < len &&
           (max_fill >= 1 || (double)st->area < max_fill * st->width * st->height);
}

/* Thin walls: closets are often walled thinner than the rooms (plangen:
 * 3/4 of an interior wall), and where t is the outer wall (thumbnails whose
 * interior walls are too faint a peak) the opening removes them. thin holds
 * the ink opened by the smaller thin_wall square; its pieces beyond the
 * walls that are that thick themselves, touch a wall and run at least t / 2
 * are walls too: a closet door's jamb stub is often shorter than t (plangen
 * small:71's, 0.7 t; without it the door reads as the closet's whole front).
 * thin is clobbered. */
int add_thin_walls(const rooms *r, const locdet_call *call, const locdet_image *walls,
                   const locdet_image *thin, int thick, int size)
{
    const locdet_kernel_api *k = r->host->kernels;
    int w = walls->width, h = walls->height, rc;
    clear_where(thin, walls->data);
    locdet_labeling lab;
    if ((rc = k->label(k->table, thin, 8, r->host->threads, &lab)))
        return rc;
    uint8_t *keep = call->scratch(call, (size_t)lab.count);
    if (!keep) {
        k->labeling_free(&lab);
        return LOCDET_ERR_NOMEM;
    }
    memset(keep, 0, (size_t)lab.count);
    for (int y = 1; y < h - 1; y++) {
        const int32_t *lr = lab.labels + (ptrdiff_t)y * lab.stride;
        const uint8_t *wr = walls->data + (size_t)y * w;
        for (int x = 1; x < w - 1; x++)
            if (lr[x] && (wr[x - 1] | wr[x + 1] | wr[x - w] | wr[x + w]))
                keep[lr[x]] = 1;
    }
    for (int32_t c = 1; c < lab.count; c++) {
        const locdet_component *st = &lab.stats[c];
        int len = st->width > st->height ? st->width : st->height;
        /* what the wider opening shaved off a wall's jagged or slanted
         * face is a fringe: not that thick on average */
        keep[c] = keep[c] && 2 * len >= thick && st->area >= (int64_t)(size - 1) * len;
        if (keep[c])
            r->host->log(r->host, LOCDET_LOG_DEBUG, "thin wall %d %d %d %d area %lld", st->left,
                         st->top, st->width, st->height, (long long)st->area);
    }
    paint_components(&lab, keep, 255, walls, NULL);
    k->labeling_free(&lab);
    return LOCDET_OK;
}

/* column_runs' callback: a run of paper down column x longer than
 * `longest` px loses the closing's fill */
typedef struct long_gaps {
    uint8_t *closed;
    int w, longest;
} long_gaps;

static void unfill_long_column_gap(void *ctx, int x, int start, int end)
{
    const long_gaps *g = ctx;
    if (end - start > g->longest)
        for (int y = start; y < end; y++)
            g->closed[(size_t)y * g->w + x] = 0;
}

/* A hatch closing fills the gaps between a hatch's lines, which are short
 * both ways. It also fills the channel between two parallel lines closer
 * than the closing (a tub's edge and a tile grid line, a counter and the
 * wall behind it), which runs on along them. Every pixel the closing added
 * on a run of paper along x or y longer than `longest` px is cleared.
 * paper: nonzero where the image is lighter than the light level (a
 * turned pass's resampled hatch lines are partly lighter than the ink
 * level); open: w entries of scratch. */
static void unfill_long_gaps(uint8_t *closed, const uint8_t *paper, int w, int h, int longest,
                             int32_t *open)
{
    for (int y = 0; y < h; y++) {
        const uint8_t *pr = paper + (size_t)y * w;
        int x = (int)zero_span(pr, (size_t)w);
        while (x < w) {
            int a = x;
            x += (int)nonzero_span(pr + x, (size_t)(w - x));
            if (x - a > longest)
                memset(closed + (size_t)y * w + a, 0, (size_t)(x - a));
            x += (int)zero_span(pr + x, (size_t)(w - x));
        }
    }
    long_gaps g = {closed, w, longest};
    column_runs(paper, w, h, open, unfill_long_column_gap, &g);
}

/* In a turned drawing resampled onto the axes, the thin fill of a closing
 * this many px over the one taken is added to the walls (plangen hatched
 * turned 10 and 12 degrees: hatched:4's outer walls had gaps the exterior
 * flooded in through). */
#define RESAMPLED_HATCH_PX 2

/* The smallest closing that makes hatched walls solid (in closed) leaves
 * pen lines farther apart as they are: a diagonal hatch drawn on a floor,
 * whose square closing fills lines twice as far apart along x as across,
 * and the two lines of an unhatched wall (and, resampled, the gaps where
 * hatch lines blurred lighter than the ink). The closing of walls over
 * `wider` px fills them all; its fill is added to closed only where it is
 * thinner than 4 strongest both ways (the walls, not the floors). */
static int add_thin_hatch_fill(const rooms *r, const locdet_call *call,
                               const locdet_image *walls, const locdet_image *closed, int wider,
                               int strongest)
{
    const locdet_kernel_api *k = r->host->kernels;
    int threads = r->host->threads, rc;
    locdet_image wide = image_like(call, walls), floors = image_like(call, walls);
    if (!wide.data || !floors.data)
        return LOCDET_ERR_NOMEM;
    int floor = 4 * strongest;
    if ((rc = k->morph(k->table, LOCDET_MORPH_CLOSE, walls, &wide, wider, wider, threads)) ||
        (rc = k->morph(k->table, LOCDET_MORPH_OPEN, &wide, &floors, floor, floor, threads)))
        return rc;
    uint8_t *restrict cd = closed->data;
    const uint8_t *restrict wd = wide.data, *restrict fd = floors.data;
    size_t n = (size_t)walls->width * (size_t)walls->height;
    for (size_t i = 0; i < n; i++)
        cd[i] |= wd[i] & (uint8_t)~fd[i];
    return LOCDET_OK;
}

/* Step 2's choice of wall source when nothing is thicker than a pen
 * stroke: gray fill between hairlines first (as dark as the ink, or else a
 * lighter gray peak: light_fill_level; the hatch closing would make the
 * linework around them solid too), then closings that make hatched or
 * dithered walls solid, then walls outlined by two pen lines. ws holds the
 * strong ink's thickness on entry (thick, strongest) and is filled in on
 * return. walls holds the strong ink on entry; on return, the closed ink
 * (less its fill along long paper runs) when a closing is taken (and
 * kept: one that made no wall two pens thick
 * is undone when no outlines are found either), or the strong ink with the
 * outlined walls added (a gray fill as dark as the ink leaves it as it
 * is, a lighter one is added to it; ws->fill holds the fill). barrier and
 * tmp are scratch. */
int find_wall_source(const rooms *r, const locdet_call *call, const locdet_image *img,
                     int level, int light, const locdet_image *walls,
                     const locdet_image *barrier, const locdet_image *tmp,
                     wall_source *ws)
{
    const locdet_kernel_api *k = r->host->kernels;
    const locdet_kernels *t = k->table;
    int threads = r->host->threads, w = walls->width, h = walls->height, rc;
    int thick = ws->thick, strongest = ws->strongest;
    /* Nothing thicker than a pen stroke: walls may be hatched outlines.
     * Closing the ink over the hatch spacing makes them solid; a tile or
     * furniture grid, wider spaced, stays lines. The spacing is not known:
     * the closings grow 1 px at a time up to twice hatch_ratio strokes,
     * and the first that shows walls thicker than three strokes wins (a
     * larger one fills a floor's diagonal hatch). Dithered or textured
     * walls (a halftone's dots, 1-2 px apart) close at 2 to dither_px px,
     * which leave pen lines a few pixels apart (wardrobes, counters) as
     * they are: those sizes come first (from hatch_ratio strokes with
     * dither_px under 2). Past dither_px, the hatch_ratio closing's fill
     * of walls (2 px more in a resampled drawing) is added
     * (add_thin_hatch_fill). The closing taken keeps no
     * fill on paper runs longer than two closings (unfill_long_gaps). */
    int hatch = (int)lround(r->hatch_ratio * strongest);
    int pen = strongest, ink_thick = thick;
    /* a resampled drawing's 3 px pen strokes blur to 4 px */
    int pen_max = ws->resampled ? 4 : 3;
    bool hatched = false;
    /* Walls filled gray between hairlines come first: the hatch closing
     * would make the linework around them solid too. */
    locdet_image fill = {0};
    if (!r->wall_px && strongest <= pen_max && r->fill_share > 0) {
        fill = image_like(call, img);
        if (!fill.data)
            return LOCDET_ERR_NOMEM;
        int fill_strongest = 0;
        int fill_thick =
            gray_fill_walls(r, call, img, level, level / 2, &fill, tmp, &fill_strongest);
        /* a fill lighter than the ink level: the pen strokes alone are
         * the ink then (plangen's gray walls range 110-170) */
        int lighter = fill_thick ? 0 : light_fill_level(img, level, light);
        if (lighter > level)
            fill_thick =
                gray_fill_walls(r, call, img, lighter, level / 2, &fill, tmp, &fill_strongest);
        if (fill_thick < 0)
            return fill_thick;
        if (fill_thick) {
            thick = fill_thick;
            strongest = fill_strongest;
            /* the strong ink holds a fill only as dark as itself */
            if (lighter > level)
                or_into(walls, &fill);
        } else {
            fill.data = NULL;
        }
    }
    for (int size = r->dither_px >= 2 ? 2 : hatch;
         !r->wall_px && strongest <= pen_max && hatch > 1 && size <= 2 * hatch;
         size++) {
        if ((rc = k->morph(t, LOCDET_MORPH_CLOSE, walls, barrier, size, size, threads)))
            return rc;
        int closed_strongest;
        int closed = wall_thickness(r, call, barrier, &closed_strongest);
        if (closed < 0)
            return LOCDET_ERR_NOMEM;
        call->host->log(call->host, LOCDET_LOG_DEBUG,
                        "hatch closing %d px: walls %d / %d px, closed %d / %d px", size, thick,
                        strongest, closed, closed_strongest);
        /* between the dither and the hatch sizes, the walls as a whole
         * must close (t two pens thick): a turned drawing's resampled hatch
         * closes in patches first, and the patches' S passes */
        bool between = size > r->dither_px && size < hatch;
        if (closed_strongest >= 3 * strongest && (!between || closed >= 2 * strongest)) {
            int32_t *open = call->scratch(call, (size_t)w * sizeof *open);
            if (!open)
                return LOCDET_ERR_NOMEM;
            /* resampled, the hatch lines blur lighter than the ink level
             * in places and the smallest closing leaves the walls ragged:
             * RESAMPLED_HATCH_PX px more fill them */
            int wider = size < hatch ? hatch : size;
            if (ws->resampled && wider < size + RESAMPLED_HATCH_PX)
                wider = size + RESAMPLED_HATCH_PX;
            if (size > r->dither_px && wider > size) {
                if ((rc = add_thin_hatch_fill(r, call, walls, barrier, wider, closed_strongest)))
                    return rc;
                /* the walls measured as they are now: the patches closed
                 * first left t short of two pens on plangen hatched:14
                 * turned 8 degrees, and the closing was undone */
                closed = wall_thickness(r, call, barrier, &closed_strongest);
                if (closed < 0)
                    return LOCDET_ERR_NOMEM;
            }
            /* tmp: the paper */
            if ((rc = k->threshold_binary(t, img, tmp, light, false)))
                return rc;
            unfill_long_gaps(barrier->data, tmp->data, w, h, 2 * size, open);
            memcpy(walls->data, barrier->data, (size_t)w * (size_t)h);
            hatched = true;
            thick = closed;
            strongest = closed_strongest;
            break;
        }
    }
    /* Walls outlined by two pen lines: when no hatch closing makes walls
     * two pens thick, the pairs of lines are looked for. */
    if (!r->wall_px && !fill.data && pen <= 3 && r->outline_share > 0 &&
        (!hatched || thick < 2 * pen)) {
        locdet_image pairs = image_like(call, img);
        if (!pairs.data)
            return LOCDET_ERR_NOMEM;
        double share = outlined_walls(r, img, light, pen, &pairs, barrier, tmp);
        if (share < 0)
            return (int)share;
        call->host->log(call->host, LOCDET_LOG_DEBUG, "outlined walls: %.3f of the ink", share);
        bool outlined = share >= r->outline_share;
        int pairs_strongest = 0, pairs_thick = 0;
        if (outlined) {
            if ((pairs_thick = wall_thickness(r, call, &pairs, &pairs_strongest)) < 0)
                return LOCDET_ERR_NOMEM;
            /* two lines and the gap between them at most: thicker, the
             * pairs chain across bands of several lines */
            outlined = r->outline_width <= 0 || pairs_thick <= r->outline_width * pen;
            if (!outlined)
                call->host->log(call->host, LOCDET_LOG_DEBUG,
                                "outlines %d px thick, over %g pens of %d px: bands, not walls",
                                pairs_thick, r->outline_width, pen);
        }
        /* outlines are added to the strong ink, and an undone closing leaves
         * it: either way the walls start again from it */
        if ((outlined || hatched) && (rc = k->threshold_binary(t, img, walls, level, true)))
            return rc;
        if (outlined) {
            or_into(walls, &pairs);
            thick = pairs_thick;
            strongest = pairs_strongest;
            hatched = false;
            fill = pairs;
        } else if (hatched) {
            /* no outlines, and the closing made no wall two pens thick
             * (or this block would not run): what it closed solid was
             * bands (paving, hatched edges outside the building), and the
             * walls are the pen lines */
            hatched = false;
            thick = ink_thick;
            strongest = pen;
        }
    }
    bool pen_walls = !r->wall_px && pen <= pen_max && strongest <= pen_max && !fill.data;
    *ws = (wall_source){thick, strongest, pen, hatched, fill, ws->resampled, pen_walls};
    return LOCDET_OK;
}
