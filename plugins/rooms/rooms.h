/* The rooms strategy's private header: its state, the byte-scan helpers
 * every step uses, and what each step's file gives the pipeline in
 * rooms.c. Each function's contract is above its definition. */
#ifndef LOCDET_ROOMS_H
#define LOCDET_ROOMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "locdet/plugin.h"

/* The strategy's parameters, read once by create (rooms.c's params[] says
 * what each means). */
typedef struct rooms {
    const locdet_host_api *host;
    int ink_level, wall_px, min_scaled_wall, face_px, closet_tips, angle_step, frame_rooms;
    int dither_px;
    bool entrance, facing_walls, border_lines, symbol_bridges;
    double open_ratio, door_ratio, min_room_ratio, epsilon, exterior_ratio, max_exterior;
    double light_ink, thin_share, run_power, partition_share, bridge_across, door_across;
    double light_gain;
    double min_solid, drawn_wall, hatch_ratio, blob_ratio, blob_fill, stroke_ratio;
    double merge_span, merge_min, merge_fill;
    double fragment_bridge, fragment_area, leaf_arc, void_cross;
    double closet_width, closet_narrow, closet_depth, closet_shallow, closet_back, closet_ink;
    double hatch_dense, thin_wall, jamb_arc, jamb_narrow, jamb_depth, passage, fill_share;
    double sliver, sheet_line, sheet_margin, outline_share, glazing, glazing_ink, corner_door;
    double window_ink, min_fill, outline_width, notch, spur, turn_min;
} rooms;

/* The search of reaches_exterior: its box (2 reach + 1 square, clipped to
 * the image) is allocated at the first entrance looked at, as few plans
 * have one. */
typedef struct reach_scratch {
    const locdet_call *call; /* NULL: no entrance doors */
    int reach;               /* door_across t */
    size_t box;
    uint8_t *seen;
    int32_t *queue; /* as many */
    bool failed;    /* out of memory */
} reach_scratch;

/* A gap found by close_corner_doors: on line l, positions a..b (counted
 * from the line's far end when rev); first: the index of the gap its
 * group starts with; continued: a gap on the next line joins its group. */
typedef struct corner_gap {
    int32_t l, a, b, first;
    bool rev, continued;
} corner_gap;

/* The bridges close_corner_doors put over corridors' ends (corridor_end_at,
 * doors.c), boxes x0..x1, y0..y1 inclusive: undrawn doors, which the
 * fragment test (emit.c) does not count as cuts. Room for cap of them;
 * past that the rest are bridged but not listed. */
typedef struct corridor_box {
    int x0, y0, x1, y1;
} corridor_box;

typedef struct corridor_ends {
    corridor_box *box;
    size_t n, cap;
} corridor_ends;

/* How the walls are drawn (step 2), and the thickness measured on them. */
typedef struct wall_source {
    int thick, strongest;
    int pen;           /* the pen stroke's width (strongest before a closing) */
    bool hatched;      /* a closing made the walls solid */
    locdet_image fill; /* the gray-filled or outlined walls; data NULL if neither */
    bool resampled;    /* in: the image is a turned drawing resampled onto the axes */
    bool pen_walls;    /* nothing thicker than a pen: the walls are the pen lines */
} wall_source;

/* A drawing turned back onto the axes (turn.c): a pixel (x, y) of the
 * turned image is (cx, cy) + R(angle) (x - ox, y - oy) of the input image
 * it was cut from; cos and sin are the angle's. A drawing with parts at
 * several angles is detected once per angle: claimed (the input image's
 * size, cw x ch) marks the rooms found so far; a pass keeps only rooms
 * mostly unclaimed and, when `strict` (a part's own pass, not the main
 * one), square in its frame. */
typedef struct turn {
    double cos, sin, cx, cy, ox, oy;
    bool turned;      /* false: a pass on the axes, in the input's own frame */
    uint8_t *claimed; /* NULL: one pass */
    int cw, ch;
    bool strict;
    int *widest; /* when not NULL: raised to the pass's strongest wall (px) */
    bool first;  /* the first pass: no room emitted yet (ROOMS_FULL_SCALE) */
} turn;

/* detect_image's answer when a turned drawing, measured square on, has
 * walls thinner than min_scaled_wall at the half size it was decoded at:
 * detect it again at full size (not an error; errors are negative). */
#define ROOMS_FULL_SCALE 1

/* A direction of a drawing's ink edges (turn.c): degrees in (-45, 45], its
 * weight, and the lesser over the greater of the edges along and across. */
typedef struct orientation {
    double deg, weight, balance;
} orientation;

/* The point of the input image under (x, y) of a turned image. */
static inline void turn_point(const turn *tr, double x, double y, double *sx, double *sy)
{
    double dx = x - tr->ox, dy = y - tr->oy;
    *sx = tr->cx + tr->cos * dx - tr->sin * dy;
    *sy = tr->cy + tr->sin * dx + tr->cos * dy;
}

/* The number of leading zero bytes of p[0, n): 8 at a time where it can. */
static inline size_t zero_span(const uint8_t *p, size_t n)
{
    size_t i = 0;
    uint64_t word;
    while (i + 8 <= n && (memcpy(&word, p + i, 8), !word))
        i += 8;
    while (i < n && !p[i])
        i++;
    return i;
}

/* Whether any of the 8 bytes of word is zero. */
static inline bool has_zero_byte(uint64_t word)
{
    return (word - 0x0101010101010101u) & ~word & 0x8080808080808080u;
}

/* The number of leading nonzero bytes of p[0, n). */
static inline size_t nonzero_span(const uint8_t *p, size_t n)
{
    size_t i = 0;
    uint64_t word;
    while (i + 8 <= n && (memcpy(&word, p + i, 8), !has_zero_byte(word)))
        i += 8;
    while (i < n && p[i])
        i++;
    return i;
}

/* Whether the 8 bytes at p equal the 8 at q (NULL: 8 zeros). */
static inline bool same8(const uint8_t *p, const uint8_t *q)
{
    uint64_t a = 0, b = 0;
    if (p)
        memcpy(&a, p, 8);
    if (q)
        memcpy(&b, q, 8);
    return a == b;
}

/* Whether component st touches the border of a w x h image. */
static inline bool touches_border(const locdet_component *st, int w, int h)
{
    return st->left == 0 || st->top == 0 || st->left + st->width == w ||
           st->top + st->height == h;
}

/* A scratch image of like's size (packed rows, not zeroed); data NULL when
 * out of memory. */
static inline locdet_image image_like(const locdet_call *call, const locdet_image *like)
{
    locdet_image img = {call->scratch(call, (size_t)like->width * (size_t)like->height),
                        like->width, like->height, like->width};
    return img;
}

/* dst |= src, pixel by pixel; both packed and the same size. */
static inline void or_into(const locdet_image *dst, const locdet_image *src)
{
    /* locals: a byte store could alias *dst, which would be reloaded per
     * pixel and keep the loop from vectorizing */
    uint8_t *restrict d = dst->data;
    const uint8_t *restrict sd = src->data;
    size_t n = (size_t)dst->width * (size_t)dst->height;
    for (size_t i = 0; i < n; i++)
        d[i] |= sd[i];
}

/* dst &= ~src, pixel by pixel (dst cleared where src is set); both packed
 * and the same size. */
static inline void clear_where(const locdet_image *dst, const uint8_t *src)
{
    /* locals, as in or_into */
    uint8_t *restrict d = dst->data;
    const uint8_t *restrict sd = src;
    size_t n = (size_t)dst->width * (size_t)dst->height;
    for (size_t i = 0; i < n; i++)
        d[i] &= (uint8_t)~sd[i];
}

/* Whether (x, y) or one of its 8 neighbours inside the image has ink (at or
 * below `level`): thin, antialiased strokes miss exact sample points. */
static inline bool ink_near(const locdet_image *img, int x, int y, int level)
{
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++) {
            int px = x + dx, py = y + dy;
            if (px >= 0 && py >= 0 && px < img->width && py < img->height &&
                img->data[(ptrdiff_t)py * img->stride + px] <= level)
                return true;
        }
    return false;
}

/* walls.c: ink levels, wall thickness, walls (steps 1-3) */
int wall_thickness(const rooms *r, const locdet_call *call, const locdet_image *ink,
                   int *strongest);
int wall_thickness_spread(const rooms *r, const locdet_call *call, const locdet_image *ink,
                          int *strongest, int *spread);
int ink_level(const locdet_image *g, int *paper_out);
void paint_components(const locdet_labeling *lab, const uint8_t *selected, uint8_t value,
                      const locdet_image *a, const locdet_image *b);
int64_t drop_short_pieces(const rooms *r, const locdet_call *call, const locdet_image *mask,
                          double min_span, double solid_span, int64_t *solid);
bool blob(const locdet_component *st, double len, double max_fill);
int add_thin_walls(const rooms *r, const locdet_call *call, const locdet_image *walls,
                   const locdet_image *thin, int thick, int size);
int find_wall_source(const rooms *r, const locdet_call *call, const locdet_image *img,
                     int level, int light, const locdet_image *walls,
                     const locdet_image *barrier, const locdet_image *tmp,
                     wall_source *ws);

/* doors.c: door leaves, corner doors, jamb doors, passages */
int drop_door_leaves(const rooms *r, const locdet_call *call, const locdet_image *walls,
                     const uint8_t *thick_walls, const locdet_image *img, int light,
                     int thick, int core, double min_arc);
void close_jambs(const rooms *r, uint8_t *bar, const uint8_t *ext, int ep, int eo,
                 const locdet_image *img, int level, int w, int h, int thick,
                 reach_scratch *sc);
bool opening_door_drawn(const locdet_image *img, const uint8_t *cls, int level, int o, int v0,
                        int v1, int a, int b, double share);
void close_corner_doors(const rooms *r, const uint8_t *walls, uint8_t *bar,
                        const locdet_image *img, int level, int w, int h, int thick,
                        int widest, int o, corner_gap *gaps, size_t cap, corridor_ends *ends);
int open_passages(const rooms *r, const locdet_image *barrier, const uint8_t *wall,
                  const locdet_image *mask, const uint8_t *ext, int ep, int eo,
                  const locdet_image *img, int level, int faint, int thick);

/* bridges.c: openings bridged (step 4) */
void column_runs(const uint8_t *img, int w, int h, int32_t *open,
                 void (*run)(void *ctx, int x, int start, int end), void *ctx);
int ink_count(const locdet_image *img, int level, int dir, int x, int y, int len);
bool crossed_by_lines(const locdet_image *img, int level, int dir, int v, int a, int b,
                      int thick);
int seal_bowed_glazing(const rooms *r, const locdet_call *call, const locdet_image *img,
                       int light, const locdet_image *barrier, const uint8_t *wall_only,
                       const locdet_image *tmp, int thick, int strongest, const int cut[4],
                       locdet_image *pad, int big);
int bridge_openings(const rooms *r, const locdet_call *call, const locdet_image *img,
                    const locdet_image *walls, const locdet_image *tmp,
                    const locdet_image *barrier, uint8_t *wall_only, uint8_t *cls,
                    const uint8_t *thick_walls, int thick, int strongest, int light, int faint,
                    int paper, bool glazed, bool symbols, bool resampled, int solid_across,
                    corridor_ends *ends);

/* closets.c: closet fronts (step 5) */
void free_extent(const uint8_t *bar, ptrdiff_t su, ptrdiff_t sv, int n_u, int m, int v,
                 int from, int to, int *lo, int *hi);
int close_pockets(const rooms *r, const locdet_call *call, uint8_t *bar, uint8_t *wall,
                  const uint8_t *ext, int ep, int eo, const locdet_image *img, int level,
                  int w, int h, int thick);

/* exterior.c: sheet extent, exterior, class map (step 5) */
void drop_frames(const rooms *r, const locdet_call *call, locdet_labeling *lab,
                 uint8_t *cls, double min_area, int s);
void sheet_bounds(const rooms *r, const locdet_call *call, const locdet_image *ink,
                  int cut[4]);
int flood_exterior(const rooms *r, const locdet_call *call, const locdet_image *barrier, int thick,
                   bool diagonal, locdet_image *pad, int *big);
int exterior_pockets(const rooms *r, const locdet_call *call, const locdet_image *pad, int big,
                     const uint8_t *wall_only, const int cut[4]);
void exterior_again(const locdet_image *pad, const uint8_t *before, int big, const int cut[4]);
int classify(const rooms *r, const uint8_t *wall_only, const locdet_image *barrier,
             const locdet_image *pad, int big, uint8_t *cls, const locdet_image *space);
bool near_border_only(const locdet_labeling *lab, int32_t c, int reach);

/* turn.c: drawings turned off the axes (step 1b) */
void inset_past_lines(const locdet_image *img, int cut[4], int level);
double square_ink(const locdet_image *img, const int box[4], int least);
int drawing_orientations(const locdet_image *img, const int cut[4], int level, int paper,
                         orientation *out, int max, double *axes);
double refine_angle(const locdet_call *call, const locdet_image *img, const int cut[4], int level,
                    double deg, double span, double *sharpness);
locdet_image turn_drawing(const locdet_call *call, const locdet_image *img, const int cut[4],
                          double deg, int ink, int paper, turn *tr);

/* emit.c: rooms out of the free space (step 6) */
int emit_rooms(const rooms *r, const locdet_call *call, const locdet_image *img,
               uint8_t *cls, const locdet_image *space, uint8_t *spare, int thick,
               int strongest, int level, int light, bool filled, bool pen_walls, int s,
               const turn *tr, const corridor_ends *ends);

#endif
