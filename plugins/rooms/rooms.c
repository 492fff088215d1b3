/* rooms: the default strategy. Rooms are the free space that walls enclose.
 * Every size comes from image statistics (the wall thickness t measured on
 * the plan); the parameters are ratios, the same for every plan.
 *
 *  0. scale: the host decodes at half size; plans whose walls are thinner
 *     than min_scaled_wall px there are decoded again at full size.
 *  1. ink: paper = the most common level; strong ink = Otsu's split of the
 *     levels up to the paper; light ink = halfway from there to the paper.
 *  2. wall thickness: the run length (horizontal and vertical runs of ink)
 *     weighted by length^run_power, smoothed: the strongest wall S; then the
 *     thinnest clear peak down to thin_share x S (interior walls), never a
 *     2 px pen stroke: t; when that is still 2 thin_share x S or more, a
 *     weaker peak from partition_share x S up to it (partitions thinner
 *     than both thick classes). Light ink gets its own (gray-filled walls).
 *  3. walls: strong ink opened by open_ratio x t, light ink by open_ratio x
 *     its S when that is light_gain x thicker (gray walls), ORed: text,
 *     furniture, arcs, window panes and dimension lines vanish; isolated
 *     glyph-like blobs and pieces with no part stroke_ratio x t thick
 *     (bold text) go too, in hatched plans so do small pieces whose ink is
 *     hatch_dense x denser than the walls' hatch (text, ticks closed
 *     solid), and so do door leaves that survive the opening: thin pieces
 *     hinged on a wall with ink on their swing arc (leaf_arc).
 *     When t is the strongest wall (no interior peak), ink pieces
 *     thin_wall x t thick that touch a wall and run 2 t are walls too
 *     (closets walled thinner than the rooms).
 *  4. openings bridged: walls long along x closed along x (door_ratio x t),
 *     the same along y (collinear wall ends), again for the thick walls;
 *     openings up to glazing x t between such walls with a faint line
 *     drawn along them (glazed fronts; not in hatched or gray-filled
 *     plans);
 *     45-degree walls gap-filled along their diagonal over the same length,
 *     walls at other angles (curved outer walls) along lines angle_step
 *     degrees apart, from wall pieces at least stroke_ratio t thick;
 *     then any wall closed along x and y over door_across x t, keeping a
 *     new pixel only where the result is at most bridge_across x t thick
 *     across (a door beside a perpendicular wall; not a corridor); in
 *     hatched and gray-filled plans not from wall pieces standing alone
 *     under blob_ratio t (symbols, labels closed solid: symbol_bridges).
 *  5. exterior: the barrier, padded, closed by exterior_ratio x t; what
 *     stays connected to the padding is outside (windows do not leak).
 *     Closet fronts: a free run closet_narrow .. closet_width t long
 *     between wall stub tips, with a wall back closet_shallow ..
 *     closet_depth t behind it and ink (a door line, leaves) on it, is
 *     painted as wall.
 *     Closet doors between jambs: a free run jamb_narrow .. door_across t
 *     at a jamb's tip, narrower than the closet behind it (ending within
 *     jamb_depth t), with a door's leaf and swing arc hinged at one end
 *     (jamb_arc), is painted as bridge; so is such a door with the
 *     exterior behind it within door_across t (entrance). Bridges
 *     passage t long or more with nothing drawn on them and no door
 *     hinged at their ends are openings inside a room (L- and Z-shaped
 *     rooms): taken out.
 *  6. rooms: 4-connected free space (the inside of a sheet frame that holds
 *     the whole plan counts as exterior: frame_rooms), kept when large
 *     enough (min_room_ratio), not a box crossed by an X (void_cross),
 *     facing the exterior on little of its border (max_exterior), with walls
 *     (bridges within face_px of a wall count as its face, door bridges do
 *     not, bridges over a drawn line count drawn_wall) on min_solid of its
 *     box perimeter, filling min_fill of its box. Two components that
 *     meet across bridges along merge_span of the smaller one's side (at
 *     least merge_min t long, both at least the minimum room, the smaller
 *     filling merge_fill of its box) are one room split by a false
 *     bridge. Strips under `spur` t beside the exterior taken out of each
 *     room, notches under `notch` t closed into it (never into another),
 *     then the outline traced and simplified (Douglas-Peucker);
 *     confidence from the wall share less the bridge share of the border,
 *     the size and the exterior share. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locdet/plugin.h"

static const locdet_param_def params[] = {
    {"ink_level", LOCDET_PARAM_INT, "0", 0, 254, NULL,
     "gray level at or below which a pixel is ink; 0 = Otsu"},
    {"wall_px", LOCDET_PARAM_INT, "0", 0, 10000, NULL,
     "wall thickness in px; 0 = estimate from the run-length histogram"},
    {"open_ratio", LOCDET_PARAM_FLOAT, "0.4", 0, 1, NULL,
     "opening size that keeps walls, in wall thicknesses"},
    {"door_ratio", LOCDET_PARAM_FLOAT, "18", 0, 200, NULL,
     "widest door or window opening bridged, in thicknesses of the wall it cuts"},
    {"min_room_ratio", LOCDET_PARAM_FLOAT, "4", 0, 1000, NULL,
     "smallest room is (min_room_ratio x wall thickness)^2 px"},
    {"epsilon", LOCDET_PARAM_FLOAT, "0.005", 0, 0.5, NULL,
     "outline simplification, fraction of the perimeter"},
    {"light_ink", LOCDET_PARAM_FLOAT, "0.5", 0, 1, NULL,
     "ink level moved from Otsu's toward the paper by this share (gray walls are ink)"},
    {"thin_share", LOCDET_PARAM_FLOAT, "0.3", 0, 1, NULL,
     "thinnest interior wall looked for, as a share of the strongest wall thickness"},
    {"run_power", LOCDET_PARAM_FLOAT, "1.25", 0, 4, NULL,
     "runs weighted by length to this power when looking for the strongest wall"},
    {"partition_share", LOCDET_PARAM_FLOAT, "0.15", 0, 1, NULL,
     "when the thinnest wall found is still 2 thin_share S or more, a weaker peak (an eighth "
     "of the strongest's ink) from this share of S up to it is the partitions' thickness; "
     "0 = none"},
    {"min_scaled_wall", LOCDET_PARAM_INT, "10", 1, 1000, NULL,
     "detect at half size when walls are at least this many px thick there"},
    {"bridge_across", LOCDET_PARAM_FLOAT, "1.2", 0, 100, NULL,
     "bridges along any wall kept where at most this many wall thicknesses across; 0 = none"},
    {"door_across", LOCDET_PARAM_FLOAT, "6", 0, 200, NULL,
     "widest opening bridged along any wall, in wall thicknesses"},
    {"light_gain", LOCDET_PARAM_FLOAT, "1.3", 0, 100, NULL,
     "light ink adds walls when its strongest wall is this many times strong ink's"},
    {"min_solid", LOCDET_PARAM_FLOAT, "0.6", 0, 1, NULL,
     "least wall border of a room, bridges not counted, as a share of its box perimeter"},
    {"drawn_wall", LOCDET_PARAM_FLOAT, "0.5", 0, 1, NULL,
     "bridges with a line under them (glazed and sliding doors, windows) count as this much "
     "wall for min_solid, in plans with solid walls; 0 = none"},
    {"hatch_ratio", LOCDET_PARAM_FLOAT, "2.4", 0, 100, NULL,
     "smallest closing that makes hatched walls solid, in pen-stroke widths (up to twice "
     "that is tried); tried when no wall is thicker than 3 px"},
    {"blob_ratio", LOCDET_PARAM_FLOAT, "4", 0, 1000, NULL,
     "isolated wall blobs smaller than this (in t) both ways are dropped; 0 = none"},
    {"blob_fill", LOCDET_PARAM_FLOAT, "0.6", 0, 1, NULL,
     "such a blob is dropped only when it fills less than this share of its box (1 = always)"},
    {"face_px", LOCDET_PARAM_INT, "4", 0, 100, NULL,
     "bridge pixels this close to a wall count as wall when measuring a room's walls"},
    {"max_exterior", LOCDET_PARAM_FLOAT, "0.3", 0, 1, NULL,
     "largest share of a room's border on the exterior"},
    {"exterior_ratio", LOCDET_PARAM_FLOAT, "16", 0, 1000, NULL,
     "gaps in the outer wall narrower than this (in wall thicknesses) do not let a room leak "
     "into the exterior"},
    {"angle_step", LOCDET_PARAM_INT, "5", 0, 90, NULL,
     "door gaps in walls at other angles than 0, 45 and 90 degrees (curved outer walls) are "
     "bridged along lines this many degrees apart; 0 = none"},
    {"leaf_arc", LOCDET_PARAM_FLOAT, "0.5", 0, 1, NULL,
     "thin wall pieces ending on a wall at one end, with ink on this share of a quarter "
     "circle around that end (a door's swing) and little inside it, are door leaves, not walls; "
     "0 = keep them"},
    {"frame_rooms", LOCDET_PARAM_INT, "5", 0, 100000, NULL,
     "free space off the image border whose box covers a quarter of the image and holds this "
     "many room-sized spaces is the inside of a sheet frame: exterior; 0 = no such test"},
    {"void_cross", LOCDET_PARAM_FLOAT, "0.7", 0, 1, NULL,
     "free space whose box has ink on this share of both diagonals and little on its "
     "midlines is a shaft or void marked with an X, not a room; 0 = no such test"},
    {"stroke_ratio", LOCDET_PARAM_FLOAT, "0.6", 0, 100, NULL,
     "isolated wall pieces under 2 blob_ratio t both ways with no part this thick (in t) are "
     "pen strokes (bold text, symbols); 0 = none"},
    {"merge_span", LOCDET_PARAM_FLOAT, "0.6", 0, 10, NULL,
     "two rooms split by bridges alone are one when the bridges span this share of the "
     "smaller room's side; 0 = never"},
    {"merge_min", LOCDET_PARAM_FLOAT, "8", 0, 1000, NULL,
     "... and that side is at least this many wall thicknesses long (closets stay apart)"},
    {"merge_fill", LOCDET_PARAM_FLOAT, "0.2", 0, 1, NULL,
     "... and the smaller one fills at least this share of its box (a strip bent around a "
     "room is no room of its own)"},
    {"fragment_bridge", LOCDET_PARAM_FLOAT, "0.3", 0, 10, NULL,
     "a piece under fragment_area with door bridges on more than this share of its box "
     "perimeter is a fragment cut off by bridges, not a room"},
    {"fragment_area", LOCDET_PARAM_FLOAT, "100", 0, 1e6, NULL,
     "... in square wall thicknesses; 0 = no such test"},
    {"closet_width", LOCDET_PARAM_FLOAT, "10", 0, 1000, NULL,
     "widest closet front closed between wall stub tips, in t; 0 = none"},
    {"closet_narrow", LOCDET_PARAM_FLOAT, "2.5", 0, 1000, NULL,
     "narrowest closet front, in t"},
    {"closet_depth", LOCDET_PARAM_FLOAT, "7", 0, 1000, NULL,
     "deepest closet behind its front, in t"},
    {"closet_shallow", LOCDET_PARAM_FLOAT, "3", 0, 1000, NULL,
     "shallowest closet behind its front, in t"},
    {"closet_tips", LOCDET_PARAM_INT, "1", 1, 2, NULL,
     "wall tips a closet front must end on (1: the other end may be a side wall)"},
    {"closet_back", LOCDET_PARAM_FLOAT, "0.9", 0, 1, NULL,
     "least share of a closet's back that is wall"},
    {"closet_ink", LOCDET_PARAM_FLOAT, "0.6", 0, 1, NULL,
     "least share of a closet front with ink on it (door line, leaves)"},
    {"hatch_dense", LOCDET_PARAM_FLOAT, "1.5", 0, 100, NULL,
     "in hatched plans, wall pieces under 2 blob_ratio t both ways whose ink inside their "
     "outlines is this many times denser than the walls' hatch are text or ticks closed "
     "solid; 0 = none"},
    {"thin_wall", LOCDET_PARAM_FLOAT, "0.25", 0, 1, NULL,
     "ink pieces this thick (in t, 3 px at least) that touch a wall and run 2 t are walls "
     "(closets walled thinner); 0 = none"},
    {"jamb_arc", LOCDET_PARAM_FLOAT, "0.7", 0, 1, NULL,
     "a gap narrower than the space behind it (jamb stubs) is closed when a door's swing arc "
     "hinged at one end has ink on this share; 0 = none"},
    {"jamb_narrow", LOCDET_PARAM_FLOAT, "1.5", 0, 1000, NULL,
     "narrowest such door, in t (the widest is door_across)"},
    {"jamb_depth", LOCDET_PARAM_FLOAT, "20", 0, 1000, NULL,
     "... and the closet behind it ends within this many t"},
    {"entrance", LOCDET_PARAM_INT, "1", 0, 1, NULL,
     "such a door is also closed when the free space behind it reaches the exterior within "
     "door_across t (an entrance); 0 = closets only"},
    {"glazing", LOCDET_PARAM_FLOAT, "60", 0, 1000, NULL,
     "openings between collinear wall runs wider than door_ratio t, up to this many t, with a "
     "line drawn along them are glazing: bridged; 0 = none"},
    {"glazing_ink", LOCDET_PARAM_FLOAT, "0.9", 0, 1, NULL,
     "... the share of the opening's length the line covers (light ink)"},
    {"passage", LOCDET_PARAM_FLOAT, "11", 0, 1000, NULL,
     "bridges at least this many t long with free space on both sides, no ink on them and no "
     "door hinged at their ends are openings inside a room: removed; 0 = none"},
    {"sliver", LOCDET_PARAM_FLOAT, "2", 0, 100, NULL,
     "rooms narrower than this many t on average (area / long side of the box) are slivers "
     "between a wall and a parallel line: dropped; 0 = none"},
    {"fill_share", LOCDET_PARAM_FLOAT, "0.15", 0, 1, NULL,
     "with pen strokes only, flat gray fill at least this share of the ink is the walls "
     "(poche between hairlines); 0 = never"},
    {"outline_share", LOCDET_PARAM_FLOAT, "0.05", 0, 1, NULL,
     "with pen strokes only and no hatch closing that makes walls 2 pens thick, pairs of "
     "parallel pen lines 2-6 pens apart and 10 pens long holding this share of the ink are "
     "the walls (outlined walls); 0 = never"},
    {"sheet_line", LOCDET_PARAM_FLOAT, "0.9", 0, 1, NULL,
     "an ink line this share of the image long, within sheet_margin of its edge, bounds the "
     "drawing (sheet frame, title block): beyond it is not a room; 0 = no such test"},
    {"sheet_margin", LOCDET_PARAM_FLOAT, "0.12", 0, 0.5, NULL,
     "... as a share of the image width or height"},
    {"dither_px", LOCDET_PARAM_INT, "3", 0, 100, NULL,
     "with pen strokes only, closings from 2 px up to this size are tried before the hatch "
     "closings (walls dithered or textured, dots 1-2 px apart); 0 = none"},
    {"facing_walls", LOCDET_PARAM_INT, "1", 0, 1, NULL,
     "1 = no collinear bridge joins two cross-sections of walls running the other way (walls "
     "over 2 t thick facing each other across a room)"},
    {"corner_door", LOCDET_PARAM_FLOAT, "12", 0, 1000, NULL,
     "a wall's end and a wall across its line 2 t to this many t apart are bridged when a "
     "door (leaf and swing arc, jamb_arc) is drawn over the gap; 0 = none"},
    {"window_ink", LOCDET_PARAM_FLOAT, "0.25", 0, 1, NULL,
     "rooms split by a bridge are merged back across it only where it crosses the wall "
     "clear: a crossing through a wall over 2 t + 2 thick with ink on this share of it is a "
     "window or glazed door; 0 = every crossing counts"},
    {"symbol_bridges", LOCDET_PARAM_INT, "0", 0, 1, NULL,
     "1 = in hatched and gray-filled plans too, bridges along walls (bridge_across) may start "
     "from wall pieces standing alone under blob_ratio t both ways (0: there they are symbols, "
     "arrowheads, text closed solid)"},
    {"border_lines", LOCDET_PARAM_INT, "1", 0, 1, NULL,
     "1 = wall pieces mostly within the opening's reach of the image border are lines along "
     "it (a cropped sheet's dimension lines), not walls"},
    {"min_fill", LOCDET_PARAM_FLOAT, "0.2", 0, 1, NULL,
     "a room fills at least this share of its box (a strip bent along the walls, a gap "
     "inside a wall band, is no room); 0 = none"},
    {"outline_width", LOCDET_PARAM_FLOAT, "8", 0, 100, NULL,
     "outlined walls are at most this many pens thick (two lines and the widest gap between "
     "them); pairs measured thicker are bands of several lines (paving, a terrace's edges), "
     "not walls, and a hatch closing that made no wall 2 pens thick is then undone; 0 = any"},
    {"notch", LOCDET_PARAM_FLOAT, "4", 0, 100, NULL,
     "a room's outline spans notches narrower than this many wall thicknesses (text, furniture "
     "and wall stubs cut into it): its pixels closed by a square this wide; 0 = as labelled"},
    {"spur", LOCDET_PARAM_FLOAT, "1", 0, 100, NULL,
     "a room's strips narrower than this many wall thicknesses that touch the exterior (free "
     "space along the outside of a wall that an unbridged window let in) are not the room's: "
     "its pixels opened by a square this wide, the largest piece kept; 0 = as labelled"},
};
enum {
    P_INK, P_WALL, P_OPEN, P_DOOR, P_MIN_ROOM, P_EPSILON, P_LIGHT, P_THIN, P_POWER, P_PARTITION,
    P_MIN_SCALED, P_ACROSS, P_DOOR_ACROSS, P_LGAIN, P_SOLID, P_DRAWN_WALL, P_HATCH, P_BLOB,
    P_BLOB_FILL, P_FACE, P_MAX_EXT, P_EXTERIOR, P_ANGLE_STEP, P_LEAF_ARC, P_FRAME, P_VOID,
    P_STROKE, P_MERGE, P_MERGE_MIN, P_MERGE_FILL, P_FRAG_BRIDGE, P_FRAG_AREA, P_CLOSET_W,
    P_CLOSET_N,
    P_CLOSET_D, P_CLOSET_S, P_CLOSET_T, P_CLOSET_B, P_CLOSET_I, P_HATCH_DENSE, P_THIN_WALL,
    P_JAMB_ARC, P_JAMB_N, P_JAMB_D, P_ENTRANCE, P_GLAZING, P_GLAZING_INK, P_PASSAGE, P_SLIVER,
    P_FILL_SHARE, P_OUTLINE, P_SHEET_LINE, P_SHEET_MARGIN, P_DITHER, P_FACING, P_CORNER_DOOR,
    P_WINDOW_INK, P_SYMBOL_BRIDGES, P_BORDER_LINES, P_MIN_FILL, P_OUTLINE_WIDTH,
    P_NOTCH,
    P_SPUR
};

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
    double window_ink, min_fill, outline_width, notch, spur;
} rooms;

static void *create(const locdet_host_api *host, const locdet_param_value *v, char *why, size_t n)
{
    if (host->abi.major != LOCDET_PLUGIN_ABI_MAJOR ||
        host->kernels->size < sizeof(locdet_kernel_api)) {
        snprintf(why, n, "host ABI %u.%u lacks kernels this strategy needs", host->abi.major,
                 host->abi.minor);
        return NULL;
    }
    rooms *r = host->alloc(sizeof *r);
    if (!r) {
        snprintf(why, n, "out of memory");
        return NULL;
    }
    *r = (rooms){
        .host = host,
        .ink_level = (int)v[P_INK].i,
        .wall_px = (int)v[P_WALL].i,
        .open_ratio = v[P_OPEN].f,
        .door_ratio = v[P_DOOR].f,
        .min_room_ratio = v[P_MIN_ROOM].f,
        .epsilon = v[P_EPSILON].f,
        .exterior_ratio = v[P_EXTERIOR].f,
        .max_exterior = v[P_MAX_EXT].f,
        .light_ink = v[P_LIGHT].f,
        .thin_share = v[P_THIN].f,
        .run_power = v[P_POWER].f,
        .partition_share = v[P_PARTITION].f,
        .bridge_across = v[P_ACROSS].f,
        .door_across = v[P_DOOR_ACROSS].f,
        .light_gain = v[P_LGAIN].f,
        .min_solid = v[P_SOLID].f,
        .drawn_wall = v[P_DRAWN_WALL].f,
        .hatch_ratio = v[P_HATCH].f,
        .blob_ratio = v[P_BLOB].f,
        .blob_fill = v[P_BLOB_FILL].f,
        .stroke_ratio = v[P_STROKE].f,
        .merge_span = v[P_MERGE].f,
        .merge_min = v[P_MERGE_MIN].f,
        .merge_fill = v[P_MERGE_FILL].f,
        .min_fill = v[P_MIN_FILL].f,
        .outline_width = v[P_OUTLINE_WIDTH].f,
        .notch = v[P_NOTCH].f,
        .spur = v[P_SPUR].f,
        .fragment_bridge = v[P_FRAG_BRIDGE].f,
        .fragment_area = v[P_FRAG_AREA].f,
        .leaf_arc = v[P_LEAF_ARC].f,
        .void_cross = v[P_VOID].f,
        .closet_width = v[P_CLOSET_W].f,
        .closet_narrow = v[P_CLOSET_N].f,
        .closet_depth = v[P_CLOSET_D].f,
        .closet_shallow = v[P_CLOSET_S].f,
        .closet_tips = (int)v[P_CLOSET_T].i,
        .closet_back = v[P_CLOSET_B].f,
        .closet_ink = v[P_CLOSET_I].f,
        .hatch_dense = v[P_HATCH_DENSE].f,
        .thin_wall = v[P_THIN_WALL].f,
        .jamb_arc = v[P_JAMB_ARC].f,
        .jamb_narrow = v[P_JAMB_N].f,
        .jamb_depth = v[P_JAMB_D].f,
        .entrance = v[P_ENTRANCE].i != 0,
        .dither_px = v[P_DITHER].i,
        .facing_walls = v[P_FACING].i != 0,
        .corner_door = v[P_CORNER_DOOR].f,
        .window_ink = v[P_WINDOW_INK].f,
        .border_lines = v[P_BORDER_LINES].i != 0,
        .symbol_bridges = v[P_SYMBOL_BRIDGES].i != 0,
        .glazing = v[P_GLAZING].f,
        .glazing_ink = v[P_GLAZING_INK].f,
        .passage = v[P_PASSAGE].f,
        .fill_share = v[P_FILL_SHARE].f,
        .sliver = v[P_SLIVER].f,
        .sheet_line = v[P_SHEET_LINE].f,
        .outline_share = v[P_OUTLINE].f,
        .sheet_margin = v[P_SHEET_MARGIN].f,
        .face_px = (int)v[P_FACE].i,
        .angle_step = (int)v[P_ANGLE_STEP].i,
        .frame_rooms = (int)v[P_FRAME].i,
        .min_scaled_wall = (int)v[P_MIN_SCALED].i,
    };
    return r;
}

static void destroy(void *self)
{
    rooms *r = self;
    r->host->free(r);
}

/* The number of leading zero bytes of p[0, n): 8 at a time where it can. */
static size_t zero_span(const uint8_t *p, size_t n)
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
static size_t nonzero_span(const uint8_t *p, size_t n)
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

/* The thinnest local peak of the run-length ink (hist[len] x len) in
 * [from, to) with at least `least` ink; `to` when there is none. 2 px is a
 * pen stroke when thicker walls exist: from 3 px at least. */
static int thinnest_peak(const uint64_t *hist, int from, int to, uint64_t least)
{
    for (int len = from > 3 ? from : 3; len < to; len++) {
        uint64_t wgt = hist[len] * (uint64_t)len;
        uint64_t prev = hist[len - 1] * (uint64_t)(len - 1);
        uint64_t next = hist[len + 1] * (uint64_t)(len + 1);
        if (wgt >= least && wgt >= prev && wgt >= next)
            return len;
    }
    return to;
}

/* The run length (2 .. max_len) carrying the most ink, horizontal and
 * vertical runs together. Vertical runs are read row by row, where a row
 * differs from the one above (a run starts or ends there), so the image
 * is read in order. */
static int wall_thickness(const rooms *r, const locdet_call *call, const locdet_image *ink,
                          int *strongest)
{
    int w = ink->width, h = ink->height;
    int max_len = (w < h ? w : h) / 8;
    *strongest = 1;
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
            if (run >= 2 && run <= max_len)
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
                if (run >= 2 && run <= max_len)
                    hist[run]++;
            }
        }
        prev = row;
    }
    /* The strongest length is a wall, often an exterior one; plans draw the
     * interior walls thinner and the opening must keep them, so take the
     * thinnest strong peak down to a third of it (below that come the pen
     * strokes of text and furniture). */
    uint64_t top = 0, top_w = 0;
    int top_len = 1;
    /* Weighted by length^power (1: ink pixels; 2 favours walls over the
     * many pen strokes of a furnished plan), smoothed over +-1. */
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
    top = hist[top_len] * (uint64_t)top_len;
    int lo = (int)lround(r->thin_share * top_len);
    int best = thinnest_peak(hist, lo, top_len, top / 4);
    /* Two thick classes (outer walls and, at 2 thin_share S or more,
     * inner ones) can leave the partitions thinner than both: plans with
     * 300-400 mm outer walls and 70-150 mm partitions. They are few
     * against the thick walls: a peak with an eighth of the strongest's
     * ink, from partition_share S up to the inner class. With one class
     * (t = S) peaks that thin are furniture and text strokes. */
    if (r->partition_share > 0 && best < top_len && best >= 2 * r->thin_share * top_len) {
        int from = (int)lround(r->partition_share * top_len);
        int partition = thinnest_peak(hist, from, best, top / 8);
        if (partition < best)
            best = partition;
    }
    call->host->log(call->host, LOCDET_LOG_DEBUG, "strongest ink run %d px, wall thickness %d px",
                    top_len, best);
    *strongest = top_len;
    return best;
}

/* The ink level from the histogram: Otsu's split of the levels up to the
 * paper, the most common level (smoothed over +-2). Plans on gray paper
 * with white margins (R3D crops) would otherwise have Otsu split paper from
 * margin and call the whole paper ink. */
static int ink_level(const locdet_image *g, int *paper_out)
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
    double sum = 0, n = 0;
    for (int v = 0; v <= top; v++) {
        sum += (double)v * (double)hist[v];
        n += (double)hist[v];
    }
    /* Otsu; a flat top (two-level images) gives its middle, as the
     * antialiased edges between the levels are then half ink. */
    double sb = 0, wb = 0, best_var = -1;
    double var[256];
    for (int v = 0; v < top; v++) {
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
    for (int v = 0; v < top; v++)
        if (var[v] >= best_var * (1 - 1e-9)) {
            if (first < 0)
                first = v;
            last = v;
        }
    int level = first < 0 ? paper / 2 : (first + last) / 2;
    *paper_out = paper;
    return level;
}

static locdet_image image_like(const locdet_call *call, const locdet_image *like)
{
    locdet_image img = {call->scratch(call, (size_t)like->width * (size_t)like->height),
                        like->width, like->height, like->width};
    return img;
}

static void or_into(const locdet_image *dst, const locdet_image *src)
{
    /* locals: a byte store could alias *dst, which would be reloaded per
     * pixel and keep the loop from vectorizing */
    uint8_t *restrict d = dst->data;
    const uint8_t *restrict sd = src->data;
    size_t n = (size_t)dst->width * (size_t)dst->height;
    for (size_t i = 0; i < n; i++)
        d[i] |= sd[i];
}

/* Sets to value every pixel of a (and of b, when given) whose component in
 * lab is selected: one lookup per pixel, the verdicts made per component. */
static void paint_components(const locdet_labeling *lab, const uint8_t *selected, uint8_t value,
                             const locdet_image *a, const locdet_image *b)
{
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
 * a status < 0. */
static int64_t drop_short_pieces(const rooms *r, const locdet_call *call, const locdet_image *mask,
                                 double min_span)
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
    int64_t kept = 0;
    drop[0] = 0;
    for (int32_t c = 1; c < lab.count; c++) {
        const locdet_component *st = &lab.stats[c];
        drop[c] = st->width < min_span && st->height < min_span;
        if (!drop[c])
            kept += st->area;
    }
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
                           int level, const locdet_image *fill, const locdet_image *dark,
                           int *strongest)
{
    const locdet_kernel_api *k = r->host->kernels;
    int threads = r->host->threads;
    int rc;
    if ((rc = k->threshold_binary(k->table, img, fill, level, true)) ||
        (rc = k->threshold_binary(k->table, img, dark, level / 2, true)))
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
    int64_t kept = drop_short_pieces(r, call, fill, r->blob_ratio * (thick + 2));
    if (kept < 0)
        return (int)kept;
    call->host->log(call->host, LOCDET_LOG_DEBUG, "gray fill: %.3f of the ink",
                    ink ? (double)kept / (double)ink : 0.0);
    if (!ink || (double)kept < r->fill_share * (double)ink)
        return 0;
    if ((thick = wall_thickness(r, call, fill, strongest)) < 0)
        return LOCDET_ERR_NOMEM;
    if ((rc = k->morph(k->table, LOCDET_MORPH_DILATE, fill, fill, 3, 3, threads)))
        return rc;
    *strongest += 2;
    return thick + 2;
}

/* Walls drawn as two parallel pen lines with paper between (outlined, no
 * fill): across each line of pixels, a run of ink at most `pen` thick, a
 * gap of paper 2 to 6 pens wide and another such run mark a section of a
 * wall. Sections that run on along the wall for 10 pens or more are kept
 * (text and symbols are shorter). Horizontal walls come from the columns
 * (into out), vertical ones from the rows (into across). out receives the
 * walls, lines included; the share of the ink they hold is returned, or a
 * status < 0. ink is scratch. */
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
        }
    }
    int64_t kept = 0, inked = 0;
    uint8_t *restrict od = out->data;
    const uint8_t *restrict ad = across->data;
    for (size_t j = 0; j < (size_t)w * (size_t)h; j++) {
        od[j] = (uint8_t)-((od[j] == 255) | (ad[j] == 255));
        inked += id[j] != 0;
        kept += od[j] && id[j];
    }
    return inked ? (double)kept / (double)inked : 0;
}

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
static void column_runs(const uint8_t *img, int w, int h, int32_t *open,
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

/* One segment of n closed pixels, step apart: clears each fill (pixels not
 * in mark) that joins two cross-sections (mark 1). */
static void drop_segment_fills(uint8_t *cl, const uint8_t *ml, ptrdiff_t step, int n)
{
    uint8_t before = 0; /* the mark of the last run passed in this segment */
    for (int i = 0; i < n; i++) {
        if (ml[i * step]) {
            before = ml[i * step];
            continue;
        }
        int start = i;
        while (i < n && !ml[i * step])
            i++;
        if (before == 1 && i < n && ml[i * step] == 1)
            for (int j = start; j < i; j++)
                cl[j * step] = 0;
        i--;
    }
}

typedef struct cross_fills {
    uint8_t *closed;
    const uint8_t *mark;
    int w;
} cross_fills;

/* column_runs' callback: the clearing only reaches rows above the one
 * column_runs is reading */
static void drop_column_fills(void *ctx, int x, int start, int end)
{
    const cross_fills *c = ctx;
    size_t o = (size_t)start * c->w + x;
    drop_segment_fills(c->closed + o, c->mark + o, c->w, end - start);
}

/* Clears the closing's fills (in closed, not in mark) that join two
 * cross-sections (mark 1) along dir: two walls running the other way face
 * each other across a room there; no wall runs along the gap. Every marked
 * pixel is closed (the closing only adds), so each segment of closed pixels
 * is tested on its own. cols (w entries) is scratch. */
static void drop_cross_fills(uint8_t *closed, const uint8_t *mark, int w, int h, int dir,
                             int32_t *cols)
{
    if (dir == 0) {
        for (int y = 0; y < h; y++) {
            uint8_t *cl = closed + (size_t)y * w;
            const uint8_t *ml = mark + (size_t)y * w;
            int x = (int)zero_span(cl, (size_t)w);
            while (x < w) {
                int end = x + (int)nonzero_span(cl + x, (size_t)(w - x));
                drop_segment_fills(cl + x, ml + x, 1, end - x);
                x = end + (int)zero_span(cl + end, (size_t)(w - end));
            }
        }
        return;
    }
    cross_fills c = {closed, mark, w};
    column_runs(closed, w, h, cols, drop_column_fills, &c);
}

/* Whether (x, y) or one of its 8 neighbours inside the image has ink (at or
 * below `level`): thin, antialiased strokes miss exact sample points. */
static bool ink_near(const locdet_image *img, int x, int y, int level)
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
} glazing;

/* The pixels with ink (at or below `level`) of the run of len px from
 * (x, y), down for dir 0, right for dir 1. */
static int ink_count(const locdet_image *img, int level, int dir, int x, int y, int len)
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

/* The opening a .. b-1 on line v (a row for dir 0, a column for dir 1)
 * between runs `before` and `after` px long: glazed? Then painted. */
static void glaze_opening(const rooms *r, const glazing *gz, const locdet_image *walls,
                          const locdet_image *barrier, int thick, int gap, int dir, int v, int a,
                          int b, int before, int after)
{
    int g = b - a, post = (int)lround(r->blob_ratio * thick);
    bool posts = before < post && after < post;
    if (g <= gap || g > (int)lround(r->glazing * thick))
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
    if (line_contrast(gz->img, dir, v, a, b) < gz->contrast)
        return;
    /* between posts: a door or window drawn as two lines or more (a
     * terrace's or patio's outline is one) */
    if (posts && !second_line(r, gz, dir, v, a, b, thick, n_lines))
        return;
    for (int q = a; q < b; q++)
        barrier->data[v * sv + q * su] = 255;
    r->host->log(r->host, LOCDET_LOG_DEBUG, "glazing %d %d %d %d, ink %.2f", dir ? v : a,
                 dir ? a : v, dir ? v : b - 1, dir ? b - 1 : v, 1 - (double)misses / g);
}

typedef struct glazing_scan {
    const rooms *r;
    const glazing *gz;
    const locdet_image *walls, *barrier;
    int thick, gap;
    int32_t *first, *last; /* per column: the run before, -1 when none */
} glazing_scan;

/* column_runs' callback: the opening between a column's run and the one
 * before it */
static void glaze_column_run(void *ctx, int x, int start, int end)
{
    glazing_scan *s = ctx;
    if (s->last[x] >= 0)
        glaze_opening(s->r, s->gz, s->walls, s->barrier, s->thick, s->gap, 1, x, s->last[x] + 1,
                      start, s->last[x] - s->first[x] + 1, end - start);
    s->first[x] = start;
    s->last[x] = end - 1;
}

/* The openings between runs of runs_img (the walls opened along the
 * line: bridge's first step) along rows (dir 0) or columns (dir 1, read
 * row by row with one state per column), each tested by glaze_opening. */
static void glaze(const rooms *r, const locdet_image *walls, const uint8_t *runs_img,
                  const glazing *gz, int thick, int gap, int dir, const locdet_image *barrier)
{
    int w = walls->width, h = walls->height;
    if ((int)lround(r->glazing * thick) <= gap)
        return;
    if (dir == 0) {
        for (int y = 0; y < h; y++) {
            const uint8_t *row = runs_img + (size_t)y * w;
            int x = (int)zero_span(row, (size_t)w), start = -1, end = -1;
            while (x < w) {
                int a = x;
                x += (int)nonzero_span(row + x, (size_t)(w - x));
                if (end >= 0)
                    glaze_opening(r, gz, walls, barrier, thick, gap, 0, y, end + 1, a,
                                  end - start + 1, x - a);
                start = a;
                end = x - 1;
                x += (int)zero_span(row + x, (size_t)(w - x));
            }
        }
        return;
    }
    /* per column: where the run being read began, and the run before */
    int32_t *open = gz->cols, *first = open + w, *last = first + w;
    for (int x = 0; x < w; x++)
        first[x] = last[x] = -1;
    glazing_scan scan = {r, gz, walls, barrier, thick, gap, first, last};
    column_runs(runs_img, w, h, open, glaze_column_run, &scan);
}

/* Bridge the openings of walls `thick` px thick: the horizontal ones (runs
 * of 2 thick + 1 or more along x) closed along x over `gap`, the vertical
 * ones along y; both ORed into barrier. tmp is clobbered. When diag is not
 * NULL it receives the walls in neither kind of run: diagonal walls. When
 * gz is not NULL, wider openings between the runs with glazing drawn
 * along them are bridged too (glaze). When mark (an image-sized scratch)
 * is not NULL, no bridge joins two cross-sections of walls up to `widest`
 * px thick (facing_walls); cols (width entries) is then its column state. */
static int bridge(const rooms *r, const locdet_image *walls, int thick, int widest, int gap,
                  const locdet_image *tmp, const locdet_image *barrier, uint8_t *diag,
                  const glazing *gz, uint8_t *mark, int32_t *cols)
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
     * bridges between two such walls came out as all bridge). */
    bool cross = mark && r->facing_walls && widest >= along;
    if (cross)
        mark_cross_sections(td, wd, mark, w, h, 0, widest, cols);
    if ((rc = k->morph(k->table, LOCDET_MORPH_CLOSE, tmp, tmp, gap, 1, threads)))
        return rc;
    drop_border_runs(tmp, walls->data, 0);
    if (cross)
        drop_cross_fills(tmp->data, mark, w, h, 0, cols);
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
        drop_cross_fills(tmp->data, mark, w, h, 1, cols);
    or_into(barrier, tmp);
    return LOCDET_OK;
}

/* Bridges that continue a wall: walls closed along x over `gap`, keeping a
 * new pixel only where the closed image is at most max_run px thick across
 * (along y) through it; then the same along y. A door between a wall's end
 * and a perpendicular wall is bridged (the collinear rule misses it), while
 * the space between two parallel walls, tall across, is not. */
static int bridge_thin(const rooms *r, const locdet_call *call, const locdet_image *walls,
                       int thick, int gap, const locdet_image *tmp, const locdet_image *barrier)
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
            /* run lengths along y: down counting, then up spreading */
            for (int x = 0; x < w; x++)
                run[x] = c[x] ? 1 : 0;
            for (int y = 1; y < h; y++) {
                const uint8_t *restrict cr = c + (size_t)y * w;
                const uint16_t *restrict up = run + (size_t)(y - 1) * w;
                uint16_t *restrict rr = run + (size_t)y * w;
                for (int x = 0; x < w; x++)
                    rr[x] = (uint16_t)((up[x] + (up[x] != 65535)) & -(cr[x] != 0));
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
            uint16_t limit = (uint16_t)(max_run < 65535 ? max_run : 65535);
            for (int y = 0; y < h; y++) {
                const uint8_t *restrict cr = c + (size_t)y * w, *restrict wr = wd + (size_t)y * w;
                const uint16_t *restrict rr = run + (size_t)y * w;
                uint8_t *restrict br = bd + (size_t)y * w;
                for (int x = 0; x < w; x++)
                    br[x] |= (uint8_t)-((cr[x] != 0) & (wr[x] == 0) & (rr[x] <= limit));
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
                    int x0 = x;
                    while (x < w && cr[x])
                        x++;
                    int len = x - x0 < 65535 ? x - x0 : 65535;
                    if (len <= max_run)
                        for (int i = x0; i < x; i++)
                            if (!wr[i])
                                br[i] = 255;
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

/* Share of the quarter circle of radius |tip - hinge| around the hinge,
 * swung from the tip toward side `side` (+1 or -1), that has ink (at or
 * below `level`, ink_near). The middle 15-75 degrees only:
 * the ends touch the leaf and the wall. */
static double arc_ink(const locdet_image *img, int level, double hx, double hy, double tx,
                      double ty, int side)
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
        hits += ink_near(img, x, y, level);
    }
    return (double)hits / n;
}

/* Share of the leaf of a door hinged at (hx, hy) that closes onto (tx, ty),
 * standing open at 90 degrees toward `side`, that has ink (ink_near): the
 * segment from the hinge, 0.2 to 0.9 of the way. */
static double leaf_ink(const locdet_image *img, int level, double hx, double hy, double tx,
                       double ty, int side)
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
        hits += ink_near(img, (int)lround(hx + f * vx), (int)lround(hy + f * vy), level);
    }
    return (double)hits / n;
}

/* A door drawn across a gap along x (o = 0) or y (o = 1) on line v: hinged
 * at u = hinge, closing onto u = tip, standing open toward `side`. The ink
 * shares of its swing arc, of its leaf (the radius at 90 degrees) and of
 * the arc at 0.7 of the radius (inside the swing, clear for a door). The
 * leaf is measured first: under min_leaf (no door for any caller) the two
 * arcs are not measured and read 0. */
typedef struct door_ink {
    double arc, leaf, inside;
} door_ink;

static door_ink door_drawn(const locdet_image *img, int level, int o, double v, double hinge,
                           double tip, int side, double min_leaf)
{
    double inner = hinge + 0.7 * (tip - hinge);
    double hx = o ? v : hinge, hy = o ? hinge : v, tx = o ? v : tip, ty = o ? tip : v;
    double ix = o ? v : inner, iy = o ? inner : v;
    door_ink d = {0, leaf_ink(img, level, hx, hy, tx, ty, side), 0};
    if (d.leaf < min_leaf)
        return d;
    d.arc = arc_ink(img, level, hx, hy, tx, ty, side);
    d.inside = arc_ink(img, level, hx, hy, ix, iy, side);
    return d;
}

/* Whether door_drawn's door is there for the jamb and corner doors:
 * leaf and swing arc inked on `share`, inside the swing clear (under half
 * that). */
static bool door_shown(door_ink d, double share)
{
    return d.leaf >= share && d.arc >= share && d.inside < share / 2;
}

/* Open doors are drawn as a leaf (a straight stroke from the hinge, as long
 * as the door is wide) and a thin swing arc from its tip back to the wall.
 * A leaf drawn two pen widths thick survives the opening when walls are
 * only a few px thick, and then acts as a wall: it sources false bridges
 * and cuts rooms. Thin wall pieces (nowhere `core` px thick) 2 t to
 * door_ratio t long that end on a thick wall at one end only and have ink on
 * `min_arc` of either quarter circle around that end are leaves; they are
 * cleared from walls. thick_walls: the walls opened by `core`. */
static int drop_door_leaves(const rooms *r, const locdet_call *call, const locdet_image *walls,
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
        for (int e = 0; e < 2 && !leaf; e++) {
            if (touch[1 - e] && !touch[e])
                continue; /* the hinge is the touching end */
            for (int side = -1; side <= 1 && !leaf; side += 2)
                /* and the swing inside the arc is clear (not a hatched
                 * or filled area, where every circle has ink) */
                leaf = arc_ink(img, light, ex[e], ey[e], ex[1 - e], ey[1 - e], side) >= min_arc &&
                       arc_ink(img, light, ex[e], ey[e], ex[e] + 0.7 * (ex[1 - e] - ex[e]),
                               ey[e] + 0.7 * (ey[1 - e] - ey[e]), side) < min_arc / 2;
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

/* A sheet's frame, or any line drawn around the whole plan, encloses the
 * space outside the building, which the flood from the image border then
 * misses: it would pass for one big room holding all the others, and take
 * in the rooms that look out on it through bridged windows. A free
 * component that is not on the image border, whose box covers a quarter of
 * the image and holds frame_rooms components of room size is that space:
 * it becomes exterior (cls 3, label 0, no box). Held means that the
 * component lies beyond it in all four directions. */
static void drop_frames(const rooms *r, const locdet_call *call, locdet_labeling *lab,
                        uint8_t *cls, double min_area, int s)
{
    int w = lab->width, h = lab->height;
    for (int32_t c = 1; c < lab->count; c++) {
        locdet_component *st = &lab->stats[c];
        if (st->width == 0 || st->left == 0 || st->top == 0 || st->left + st->width == w ||
            st->top + st->height == h || 4.0 * st->width * st->height < (double)w * h)
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
static void sheet_bounds(const rooms *r, const locdet_call *call, const locdet_image *ink,
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

/* Share of both diagonals of a box (inset by `inset` px) that has ink at
 * or below `level` (ink_near): the lesser of the two; 0 when
 * either midline (off the centre, where an X crosses it) has ink on 0.2 or
 * more of it, as hatching and fills do. */
static double box_diagonals_ink(const locdet_image *img, int level, int left, int top, int width,
                                int height, int inset)
{
    int x0 = left + inset, y0 = top + inset, x1 = left + width - 1 - inset,
        y1 = top + height - 1 - inset;
    if (x1 - x0 < 4 || y1 - y0 < 4)
        return 0;
    int n = (x1 - x0 > y1 - y0 ? x1 - x0 : y1 - y0) / 2;
    if (n > 64)
        n = 64;
    double least = 1, most_mid = 0;
    for (int diag = 0; diag < 4; diag++) {
        int hits = 0, samples = 0;
        for (int i = 0; i < n; i++) {
            double f = (i + 0.5) / n;
            /* 0, 1: the diagonals; 2, 3: the midlines, off the centre */
            if (diag >= 2 && f > 0.35 && f < 0.65)
                continue;
            samples++;
            int x = (int)lround(diag == 3 ? (x0 + x1) / 2.0 : x0 + f * (x1 - x0));
            int y = (int)lround(diag == 1 ? y1 - f * (y1 - y0)
                                : diag == 2 ? (y0 + y1) / 2.0 : y0 + f * (y1 - y0));
            hits += ink_near(img, x, y, level);
        }
        double share = (double)hits / samples;
        if (diag < 2 && share < least)
            least = share;
        if (diag >= 2 && share > most_mid)
            most_mid = share;
    }
    return most_mid < 0.2 ? least : 0;
}

/* A wall component that is not a wall: small both ways and, unless
 * max_fill >= 1, not a solid block (a short wall piece between two doors
 * is solid; glyphs are not). */
static bool blob(const locdet_component *st, double len, double max_fill)
{
    return st->width < len && st->height < len &&
           (max_fill >= 1 || (double)st->area < max_fill * st->width * st->height);
}

/* The free run of bar through (m, v) along u (u stride su, v stride sv),
 * followed at most one pixel past [from, to]: *lo .. *hi. */
static void free_extent(const uint8_t *bar, ptrdiff_t su, ptrdiff_t sv, int n_u, int m, int v,
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
        /* a line through the walls at both ends is no door */
        if (line_runs_on(bar, img, level, su, sv, o, U, V, a - 1, v, -1, thick) &&
            line_runs_on(bar, img, level, su, sv, o, U, V, b + 1, v, 1, thick))
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
static int close_pockets(const rooms *r, const locdet_call *call, uint8_t *bar, uint8_t *wall,
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

/* Thin walls: closets are often walled thinner than the rooms (plangen:
 * 3/4 of an interior wall), and where t is the outer wall (thumbnails whose
 * interior walls are too faint a peak) the opening removes them. thin holds
 * the ink opened by the smaller thin_wall square; its pieces beyond the
 * walls that are that thick themselves, touch a wall and run at least 2 t
 * are walls too. thin is clobbered. */
static int add_thin_walls(const rooms *r, const locdet_call *call, const locdet_image *walls,
                          const locdet_image *thin, int thick, int size)
{
    const locdet_kernel_api *k = r->host->kernels;
    int w = walls->width, h = walls->height, rc;
    {
        /* locals: a byte store could alias *thin, which would be reloaded
         * per pixel and keep the loop from vectorizing (see or_into) */
        uint8_t *restrict td = thin->data;
        const uint8_t *restrict wd = walls->data;
        for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
            td[i] &= (uint8_t)~wd[i];
    }
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
        keep[c] = keep[c] && len >= 2 * thick && st->area >= (int64_t)(size - 1) * len;
        if (keep[c])
            r->host->log(r->host, LOCDET_LOG_DEBUG, "thin wall %d %d %d %d area %lld", st->left,
                         st->top, st->width, st->height, (long long)st->area);
    }
    paint_components(&lab, keep, 255, walls, NULL);
    k->labeling_free(&lab);
    return LOCDET_OK;
}

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
    int bw = right - left + 1, bh = bottom - top + 1;
    memset(sc->seen, 0, (size_t)bw * (size_t)bh);
    int32_t head = 0, tail = 0;
    sc->queue[tail++] = (y0 - top) * bw + (x0 - left);
    sc->seen[(y0 - top) * bw + (x0 - left)] = 1;
    while (head < tail) {
        int32_t i = sc->queue[head++];
        int x = left + i % bw, y = top + i / bw;
        if (ext[(ptrdiff_t)(y + eo) * ep + x + eo] == 2)
            return true;
        static const int dx[4] = {1, -1, 0, 0}, dy[4] = {0, 0, 1, -1};
        for (int k = 0; k < 4; k++) {
            int nx = x + dx[k], ny = y + dy[k];
            if (nx < left || nx > right || ny < top || ny > bottom)
                continue;
            int32_t j = (ny - top) * bw + (nx - left);
            if (!sc->seen[j] && !bar[(size_t)ny * w + nx]) {
                sc->seen[j] = 1;
                sc->queue[tail++] = j;
            }
        }
    }
    return false;
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
 * than the space behind it), that space stays within 2 t of the door on
 * both sides up to a wall jamb_depth t away at most (a closet, not a
 * corridor) or reaches the exterior (an entrance: reaches_exterior, when
 * sc->call is set), and a door is drawn on it: hinged at either end, on
 * either face of the jamb, toward either side, its leaf (the radius at 90
 * degrees) and its swing arc inked on jamb_arc, inside the arc clear. The
 * run is painted into bar (a bridge). This is the test for the free run
 * a..b of line v (along x for o = 0, along y for o = 1); close_jambs finds
 * the runs. */
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
        /* behind the jamb a closet: no wider than the jambs'
         * 2 t past the door, a back wall within jamb_depth t */
        for (d = inner; d <= maxd; d++) {
            int vv = v + s * d;
            if (vv < 0 || vv >= V || AT(m, vv))
                break;
            int l, rr;
            free_extent(bar, su, sv, U, m, vv, a - 2 * c, b + 2 * c, &l, &rr);
            if (l < a - 2 * c || rr > b + 2 * c)
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
                    door_ink d = door_drawn(img, level, o, vf, hu, tu, side, r->jamb_arc);
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

static void close_jambs(const rooms *r, uint8_t *bar, const uint8_t *ext, int ep, int eo,
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

/* A door between a wall's end and the wall across its line (a door beside
 * a corner): the gap from position a to b (inclusive, along the lines
 * first .. last of the wall's end) is a door when one is drawn over it,
 * hinged at either end on either face of the wall (half a pixel outside
 * the first or the last line), swinging to either side: leaf and arc
 * inked (jamb_arc), inside the swing clear. */
static bool corner_door_drawn(const rooms *r, const locdet_image *img, int level, int o,
                              int first, int last, int a, int b)
{
    for (int e = 0; e < 2; e++) {
        double v = e ? last + 0.5 : first - 0.5;
        for (int hinge = 0; hinge < 4; hinge++) {
            /* the swing may reach a pixel or two past the wall's end */
            double hu = hinge & 1 ? b + 0.5 : a - 0.5, tu = hinge & 1 ? a - 0.5 : b + 0.5;
            tu += (hinge & 1 ? -1.5 : 1.5) * (hinge >> 1);
            for (int side = -1; side <= 1; side += 2) {
                if (door_shown(door_drawn(img, level, o, v, hu, tu, side, r->jamb_arc),
                               r->jamb_arc))
                    return true;
            }
        }
    }
    return false;
}

/* A gap found by close_corner_doors: on line l, positions a..b (counted
 * from the line's far end when rev); first: the index of the gap its
 * group starts with; continued: a gap on the next line joins its group. */
typedef struct corner_gap {
    int32_t l, a, b, first;
    bool rev, continued;
} corner_gap;

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

/* Doors beside a corner: a wall at least 2 t + 1 long ends, and its line
 * runs free for 2 t to corner_door t to another wall. The bridges along a
 * wall reach door_across t only (a longer reach closes corridors); with a
 * door drawn over the gap (leaf and swing arc) it is bridged on every line
 * of the wall's end. o = 0: horizontal walls (gaps along rows), 1:
 * vertical ones. The wall ends, toward either side, are found row by row
 * (a word of 8 pixels at a time where none ends), the gaps of consecutive
 * lines within 2 px of each other are one wall's end, and the door is
 * looked for once per end. gaps: room for cap of them; past that the rest
 * are not looked at. */
static void close_corner_doors(const rooms *r, const uint8_t *walls, uint8_t *bar,
                               const locdet_image *img, int level, int w, int h, int thick,
                               int widest, int o, corner_gap *gaps, size_t cap)
{
    /* a wall's end spans its thickness: half t to S + 2 lines (a diagonal
     * wall's rows end a few pixels apart, a block's face runs on) */
    int min_lines = thick / 2 > 2 ? thick / 2 : 2, max_lines = widest + 2;
    int along = 2 * thick + 1, minw = 2 * thick;
    int maxw = (int)lround(r->corner_door * thick);
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
        if (lines < min_lines || lines > max_lines ||
            !corner_door_drawn(r, img, level, o, first, last, da, db))
            continue;
        for (int k = first; k <= last; k++)
            for (int p = da; p <= db; p++)
                bar[corner_at(&cl, false, k, p)] = 255;
        r->host->log(r->host, LOCDET_LOG_DEBUG, "corner door %s %d-%d, %d-%d",
                     o ? "column" : "row", first, last, da, db);
    }
}

/* Doorless openings: a bridge at least `passage` t long between two walls
 * in a line, with free interior space on both sides, no ink on it at
 * `level` (window panes, sliding doors, thresholds) and no door (leaf and
 * swing arc, looked for at the fainter level `faint`: scans draw some doors
 * lighter than the light ink) hinged at either end, is an opening inside
 * one room (an L-shaped room), not a door: it is taken out of the barrier.
 * A door is rarely passage t wide (11 t: 1.1-1.6 m of interior wall) and
 * wider ones are drawn with their leaves. mask is scratch. */
static int open_passages(const rooms *r, const locdet_image *barrier, const uint8_t *wall,
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
        if (len < r->passage * thick || across > 2 * thick || across < 1)
            continue;
        /* its length is the longest run of cross-sections at least half
         * its width: on a rotated scan a sliver of bridge along a wall's
         * face joins a bridge's end and stretches its box along the wall */
        int run_max = 0, run = 0;
        for (int j = 0; j < len; j++) {
            int n = 0;
            for (int i = 0; i < across; i++) {
                int x = horiz ? st->left + j : st->left + i, y = horiz ? st->top + i : st->top + j;
                n += lab.labels[(ptrdiff_t)y * lab.stride + x] == c;
            }
            run = 2 * n >= across ? run + 1 : 0;
            run_max = run > run_max ? run : run_max;
        }
        if (run_max < r->passage * thick)
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
        /* ink on it */
        int64_t ink = 0;
        for (int y = st->top; y < st->top + st->height; y++)
            for (int x = st->left; x < st->left + st->width; x++)
                ink += lab.labels[(ptrdiff_t)y * lab.stride + x] == c &&
                       img->data[(ptrdiff_t)y * img->stride + x] <= level;
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
                    door_ink d = door_drawn(img, faint, !horiz, cu, hu, tu, side, r->jamb_arc);
                    door = d.arc >= r->jamb_arc && d.leaf >= r->jamb_arc;
                }
            }
        }
        if (door)
            continue;
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

/* Paper, ink level and wall thickness, when already measured on this image. */
typedef struct measured {
    bool valid;
    int paper, level, thick, strongest;
} measured;

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

/* Rooms split by a false bridge (wall stubs or arrowheads lined up across a
 * room): two free-space components that meet across bridge pixels only,
 * over most of the smaller one's side, are one room. A door spans only part
 * of a wall. The bridge runs between them join the merged component. */
static int merge_split(const rooms *r, const locdet_call *call, const uint8_t *cls,
                       locdet_labeling *lab, uint32_t (*nb)[5], int thick, int strongest,
                       const locdet_image *img, int level)
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
    for (int32_t c = 0; c < lab->count; c++)
        par[c] = c;
    bool any = false;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && cr[j].a == cr[i].a && cr[j].b == cr[i].b && cr[j].dir == cr[i].dir)
            j++;
        const locdet_component *A = &lab->stats[cr[i].a], *B = &lab->stats[cr[i].b];
        const locdet_component *sm = A->area < B->area ? A : B;
        double side = cr[i].dir == 0 ? sm->width : sm->height;
        /* both halves must be rooms on their own: slivers of free space
         * left inside a bridged wall would chain rooms together, and a
         * strip bent around a room (a patio's edge under its sliding door)
         * fills little of its box */
        double min_side = r->min_room_ratio * thick;
        if ((double)(j - i) >= r->merge_span * side && side >= r->merge_min * thick &&
            (double)sm->area >= min_side * min_side &&
            (double)sm->area >= r->merge_fill * sm->width * sm->height) {
            int32_t ra = find_root(par, cr[i].a), rb = find_root(par, cr[i].b);
            if (ra != rb) {
                par[ra > rb ? ra : rb] = ra < rb ? ra : rb;
                any = true;
            }
        }
        i = j;
    }
    if (!any)
        return LOCDET_OK;
    /* merged statistics into the root; others are marked empty (width 0) */
    for (int32_t c = 1; c < lab->count; c++) {
        int32_t q = find_root(par, c);
        if (q == c)
            continue;
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
        for (int k = 0; k < 5; k++)
            nb[q][k] += nb[c][k];
        for (int y = o->top; y < oy1; y++) {
            int32_t *row = lab->labels + y * ls;
            for (int x = o->left; x < ox1; x++)
                if (row[x] == c)
                    row[x] = q;
        }
        o->width = o->height = 0;
    }
    for (size_t i = 0; i < n; i++) {
        int32_t q = find_root(par, cr[i].a);
        if (q != find_root(par, cr[i].b))
            continue;
        for (int k = 0; k < cr[i].len; k++) {
            int32_t *p = cr[i].dir == 0 ? &lab->labels[(cr[i].y + k) * ls + cr[i].x]
                                        : &lab->labels[cr[i].y * ls + cr[i].x + k];
            if (!*p) {
                *p = q;
                lab->stats[q].area++;
            }
        }
    }
    return LOCDET_OK;
}

/* Whether free component st, with border edge counts nb (as emit_rooms
 * counts them), is a room: the tests of step 6 (docs/rooms.md). Logs the
 * candidate's features at debug level. */
static bool is_room(const rooms *r, const locdet_call *call, const locdet_image *img,
                    const locdet_component *st, const uint32_t nb[5], int thick, double min_area,
                    int level, int s)
{
    int w = img->width, h = img->height;
    bool exterior = st->left == 0 || st->top == 0 || st->left + st->width == w ||
                    st->top + st->height == h;
    double edges = (double)nb[1] + nb[2] + nb[3];
    if (!exterior && (double)st->area >= min_area)
        call->host->log(call->host, LOCDET_LOG_DEBUG,
                        "cand %d %d %d %d area %.1f wall %.3f bridge %.3f ext %.3f fill %.3f",
                        st->left * s, st->top * s, (st->left + st->width) * s,
                        (st->top + st->height) * s, st->area / ((double)thick * thick),
                        nb[1] / (2.0 * (st->width + st->height)),
                        nb[2] / (2.0 * (st->width + st->height)),
                        edges > 0 ? nb[3] / edges : 0,
                        (double)st->area / ((double)st->width * st->height));
    double box_perimeter = 2.0 * (st->width + st->height);
    if (exterior || (double)st->area < min_area || (double)nb[3] > r->max_exterior * edges ||
        (double)nb[1] + r->drawn_wall * nb[4] < r->min_solid * box_perimeter)
        return false;
    /* A room is at least `sliver` t across on average: narrower is the
     * gap between a wall and a parallel line (glazing, a scope line). */
    if ((double)st->area <
        r->sliver * thick * (double)(st->width > st->height ? st->width : st->height))
        return false;
    /* A room fills a fair share of its box: a strip bent along the
     * walls (the gap inside a wall band drawn as two hatch outlines)
     * fills little of it. R3D's and plangen's rooms fill 0.25 or more. */
    if ((double)st->area < r->min_fill * (double)st->width * st->height)
        return false;
    /* A small piece with door bridges along much of its border is a
     * fragment: a corridor or room cut where wall stubs line up, a door
     * swing boxed in by bridges. A room has a door or two. */
    if ((double)st->area < r->fragment_area * thick * thick &&
        (double)nb[2] > r->fragment_bridge * box_perimeter)
        return false;
    /* A box crossed by both diagonals (and clear along its midlines)
     * is a shaft, duct or void drawn the way plans mark them. */
    if (r->void_cross > 0 &&
        box_diagonals_ink(img, level, st->left, st->top, st->width, st->height, 2) >=
            r->void_cross)
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

/* 6. Rooms from the free space (space: 255 where cls is 0): labelled
 * (4-connected), framed space taken out, border edges counted, false
 * splits merged, then each component kept as a room loses its strips
 * beside the exterior, has its notches filled, is traced, simplified and
 * added to the call's result (coordinates times s). drawn: count the lines
 * under bridges (plans with solid walls; drawn_wall). cls may be changed by
 * drop_frames. space and spare (image sized, pages already touched) are
 * overwritten after the labelling: the strip openings and notch closings
 * work in them. */
static int emit_rooms(const rooms *r, const locdet_call *call, const locdet_image *img,
                      uint8_t *cls, const locdet_image *space, uint8_t *spare, int thick,
                      int strongest, int level, int light, bool drawn, int s)
{
    const locdet_kernel_api *k = r->host->kernels;
    const locdet_kernels *t = k->table;
    int threads = r->host->threads, w = img->width, h = img->height, rc;
    locdet_labeling lab;
    if ((rc = k->label(t, space, 4, threads, &lab)))
        return rc;
    double side = r->min_room_ratio * thick;
    double min_area = side * side;
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

    if (r->merge_span > 0 &&
        (rc = merge_split(r, call, cls, &lab, nb, thick, strongest, img, light)))
        return rc;

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
        keep[c] = st->width > 0 && is_room(r, call, img, st, nb[c], thick, min_area, level, s);
    }
    int notch = r->notch > 0 ? (int)lround(r->notch * thick) | 1 : 0; /* odd: centred */
    int spur = r->spur > 0 ? (int)lround(r->spur * thick) | 1 : 0;

    /* 6. outlines */
    for (int32_t c = 1; c < lab.count && !rc; c++) {
        if (!keep[c])
            continue;
        locdet_component *st = &lab.stats[c];
        double edges = (double)nb[c][1] + nb[c][2] + nb[c][3];
        double box_perimeter = 2.0 * (st->width + st->height);
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
        int64_t free_area = st->area; /* confidence: the free space, notches not filled */
        if (notch > 1 && (rc = fill_notches(r, &lab, keep, c, &crop, notch, spare)))
            break;
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
        if (np >= 3) {
            for (int i = 0; i < np; i++) {
                poly[i].x *= s;
                poly[i].y *= s;
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
            rc = call->add_room(call, &room);
        }
        k->points_free(poly);
    }
    k->labeling_free(&lab);
    return rc;
}

/* 4. Bridges over door and window openings into barrier, sized by the
 * walls they cut: the thin walls' doors (collinear, diagonal, angled,
 * along any wall, beside a corner), then, where exterior walls are
 * thicker, their (wider) windows. glazed: look for glazing (plans with
 * solid walls); symbols: wall pieces standing alone start no bridges
 * along walls (hatched and gray-filled plans, symbol_bridges). walls ends
 * up holding the thick walls when there are any; tmp and cls are
 * scratch. */
static int bridge_openings(const rooms *r, const locdet_call *call, const locdet_image *img,
                           const locdet_image *walls, const locdet_image *tmp,
                           const locdet_image *barrier, uint8_t *cls, const uint8_t *thick_walls,
                           int thick, int strongest, int light, int faint, int paper,
                           bool glazed, bool symbols)
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
    glazing gz = {img, faint, (paper - light) / 2.0, (int32_t *)(diag + diag_size)};
    if ((rc = bridge(r, walls, thick, strongest, door, tmp, barrier, diag, glazed ? &gz : NULL,
                     cls, gz.cols)) ||
        (door > 1 && (rc = bridge_diagonal(call, diag, thick, door, barrier))))
        return rc;
    if (r->angle_step > 0 && door > 1 &&
        (rc = bridge_angled(call, diag, thick_walls, thick, door, r->angle_step, barrier)))
        return rc;
    /* symbols: a wall piece standing alone and under blob_ratio t both
     * ways is a symbol, an arrowhead or text closed solid, and bridges
     * along walls do not start from it. cls is free scratch here. */
    locdet_image anchors = *walls;
    if (symbols) {
        anchors = (locdet_image){cls, w, h, w};
        memcpy(cls, walls->data, (size_t)w * (size_t)h);
        int64_t kept = drop_short_pieces(r, call, &anchors, r->blob_ratio * thick);
        if (kept < 0)
            return (int)kept;
    }
    if (r->bridge_across > 0 &&
        (rc = bridge_thin(r, call, &anchors, thick, (int)lround(r->door_across * thick), tmp,
                          barrier)))
        return rc;
    if (r->corner_door > 0 && r->jamb_arc > 0) {
        size_t cap = 16 * ((size_t)w + (size_t)h);
        corner_gap *gaps = call->scratch(call, cap * sizeof *gaps);
        if (!gaps)
            return LOCDET_ERR_NOMEM;
        for (int o = 0; o < 2; o++)
            close_corner_doors(r, walls->data, barrier->data, img, light, w, h, thick, strongest,
                               o, gaps, cap);
    }
    if (strongest * 2 > thick * 3) {
        int keep = (int)lround(0.7 * strongest);
        if ((rc = k->morph(t, LOCDET_MORPH_OPEN, walls, tmp, keep, keep, threads)))
            return rc;
        /* walls is free now: the thick walls move there, tmp is scratch. */
        memcpy(walls->data, tmp->data, (size_t)w * (size_t)h);
        int wide_door = (int)lround(r->door_ratio * strongest);
        if ((rc = bridge(r, walls, strongest, strongest, wide_door, tmp, barrier, NULL, NULL,
                         NULL, NULL)))
            return rc;
    }
    return LOCDET_OK;
}

/* 5. The exterior: what stays connected to the border of the padded
 * image once the barrier is closed with a big square (exterior_ratio t, 3
 * px at least), so that windows and gaps in the outer wall no longer let a
 * room leak out; what lies off the drawing (outside cut: margins, title
 * block) is exterior too. *pad receives the barrier padded by *big px on
 * every side, with the exterior marked 2 (call scratch). */
static int find_exterior(const rooms *r, const locdet_call *call, const locdet_image *barrier,
                         const int cut[4], int thick, locdet_image *pad, int *big)
{
    const locdet_kernel_api *k = r->host->kernels;
    int w = barrier->width, h = barrier->height, rc;
    int b = (int)lround(r->exterior_ratio * thick);
    if (b < 3)
        b = 3;
    int pw = w + 2 * b, ph = h + 2 * b;
    *pad = (locdet_image){call->scratch(call, (size_t)pw * (size_t)ph), pw, ph, pw};
    *big = b;
    if (!pad->data)
        return LOCDET_ERR_NOMEM;
    memset(pad->data, 0, (size_t)pw * (size_t)ph);
    for (int y = 0; y < h; y++)
        memcpy(pad->data + (size_t)(y + b) * pw + b, barrier->data + (size_t)y * w, (size_t)w);
    if ((rc = k->morph(k->table, LOCDET_MORPH_CLOSE, pad, pad, b, b, r->host->threads)))
        return rc;
    if ((rc = flood_from_corner(call, pad->data, pw, ph)))
        return rc;
    /* off the drawing (margins, title block): exterior */
    for (int y = 0; (cut[0] || cut[1] || cut[2] < w || cut[3] < h) && y < h; y++) {
        uint8_t *pr = pad->data + (size_t)(y + b) * pw + b;
        bool off_row = y < cut[1] || y >= cut[3];
        for (int x = 0; x < w; x++)
            if (off_row || x < cut[0] || x >= cut[2])
                pr[x] = 2;
    }
    return LOCDET_OK;
}

/* cls: 0 free, 1 wall (wall_only), 2 bridge (the rest of barrier), 3
 * exterior (2 in pad, the map padded by big px: find_exterior). Bridge
 * pixels within face_px of a wall are the wall's face (the closings fill
 * its jagged, antialiased edge), not a door. space receives the free
 * space (255 where cls is 0). */
static int classify(const rooms *r, const uint8_t *wall_only, const locdet_image *barrier,
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
static bool near_border_only(const locdet_labeling *lab, int32_t c, int reach)
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

/* How the walls are drawn (step 2), and the thickness measured on them. */
typedef struct wall_source {
    int thick, strongest;
    int pen;           /* the pen stroke's width (strongest before a closing) */
    bool hatched;      /* a closing made the walls solid ... */
    int hatch_px;      /* ... of this size (dither_px or less: dithered walls) */
    locdet_image fill; /* the gray-filled or outlined walls; data NULL if neither */
} wall_source;

/* Step 2's choice of wall source when nothing is thicker than a pen
 * stroke: gray fill between hairlines first (the hatch closing would make
 * the linework around them solid too), then closings that make hatched or
 * dithered walls solid, then walls outlined by two pen lines. ws holds the
 * strong ink's thickness on entry (thick, strongest) and is filled in on
 * return. walls holds the strong ink on entry; on return, the closed ink
 * when a closing is taken (and kept: one that made no wall two pens thick
 * is undone when no outlines are found either), or the strong ink with the
 * outlined walls added (a gray fill leaves it as it is: ws->fill holds the
 * fill). barrier and tmp are scratch. */
static int find_wall_source(const rooms *r, const locdet_call *call, const locdet_image *img,
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
     * the closings grow from hatch_ratio strokes to twice that, and the
     * first that shows walls thicker than three strokes wins. Dithered or
     * textured walls (a halftone's dots, 1-2 px apart) close at 2 to
     * dither_px px, which leave pen lines a few pixels apart (wardrobes,
     * counters) as they are: those sizes come first. */
    int hatch = (int)lround(r->hatch_ratio * strongest);
    int pen = strongest, ink_thick = thick;
    bool hatched = false;
    int hatch_px = 0;
    /* Walls filled gray between hairlines come first: the hatch closing
     * would make the linework around them solid too. */
    locdet_image fill = {0};
    if (!r->wall_px && strongest <= 3 && r->fill_share > 0) {
        fill = image_like(call, img);
        if (!fill.data)
            return LOCDET_ERR_NOMEM;
        int fill_strongest = 0;
        int fill_thick = gray_fill_walls(r, call, img, level, &fill, tmp, &fill_strongest);
        if (fill_thick < 0)
            return fill_thick;
        if (fill_thick) {
            thick = fill_thick;
            strongest = fill_strongest;
        } else {
            fill.data = NULL;
        }
    }
    for (int size = r->dither_px >= 2 ? 2 : hatch;
         !r->wall_px && strongest <= 3 && hatch > 1 && size <= 2 * hatch;
         size = size < r->dither_px || size >= hatch ? size + 1 : hatch) {
        if ((rc = k->morph(t, LOCDET_MORPH_CLOSE, walls, barrier, size, size, threads)))
            return rc;
        int closed_strongest;
        int closed = wall_thickness(r, call, barrier, &closed_strongest);
        if (closed < 0)
            return LOCDET_ERR_NOMEM;
        call->host->log(call->host, LOCDET_LOG_DEBUG,
                        "hatch closing %d px: walls %d / %d px, closed %d / %d px", size, thick,
                        strongest, closed, closed_strongest);
        if (closed_strongest >= 3 * strongest) {
            memcpy(walls->data, barrier->data, (size_t)w * (size_t)h);
            hatched = true;
            hatch_px = size;
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
            hatch_px = 0;
            thick = ink_thick;
            strongest = pen;
        }
    }
    *ws = (wall_source){thick, strongest, pen, hatched, hatch_px, fill};
    return LOCDET_OK;
}

/* The steps 1-6 (see the top of this file) on img, decoded at 1/s of the
 * plan's size; pre: what detect already measured on img, if valid. */
static int detect_image(const rooms *r, const locdet_call *call, const locdet_image *img, int s,
                        const measured *pre)
{
    const locdet_kernel_api *k = r->host->kernels;
    const locdet_kernels *t = k->table;
    int threads = r->host->threads;
    locdet_image walls = image_like(call, img);
    locdet_image barrier = image_like(call, img);
    locdet_image tmp = image_like(call, img);
    if (!walls.data || !barrier.data || !tmp.data)
        return LOCDET_ERR_NOMEM;
    int w = walls.width, h = walls.height;

    /* 1. ink: strong (Otsu up to the paper) and light (halfway to the
     * paper: walls filled gray) */
    int paper = 255;
    int level = pre->valid ? pre->level : r->ink_level ? r->ink_level : ink_level(img, &paper);
    if (pre->valid)
        paper = pre->paper;
    int light = r->ink_level ? r->ink_level : level + (int)lround(r->light_ink * (paper - level));
    int rc = k->threshold_binary(t, img, &walls, level, true);
    if (rc)
        return rc;
    int cut[4];
    sheet_bounds(r, call, &walls, cut);

    /* 2. wall thickness: the thin (interior) walls, and the strongest, in
     * strong ink; the light ink's own (gray-filled walls, when there are) */
    int strongest = r->wall_px, light_strongest = r->wall_px;
    int thick = r->wall_px ? r->wall_px
                : pre->valid ? pre->thick
                             : wall_thickness(r, call, &walls, &strongest);
    if (pre->valid)
        strongest = pre->strongest;
    if (thick < 0)
        return LOCDET_ERR_NOMEM;
    wall_source ws = {.thick = thick, .strongest = strongest}; /* the rest is set there */
    if ((rc = find_wall_source(r, call, img, level, light, &walls, &barrier, &tmp, &ws)))
        return rc;
    thick = ws.thick;
    strongest = ws.strongest;
    int pen = ws.pen, hatch_px = ws.hatch_px;
    bool hatched = ws.hatched;
    locdet_image fill = ws.fill;
    int light_thick = thick;
    if (light > level) {
        if ((rc = k->threshold_binary(t, img, &tmp, light, true)))
            return rc;
        light_thick = r->wall_px ? r->wall_px
                                 : wall_thickness(r, call, &tmp, &light_strongest);
        if (light_thick < 0)
            return LOCDET_ERR_NOMEM;
    }
    call->host->log(call->host, LOCDET_LOG_DEBUG,
                    "paper %d, ink levels %d / %d, walls %d / %d px, light %d / %d px", paper,
                    level, light, thick, strongest, light_thick, light_strongest);
    if (call->should_stop(call))
        return LOCDET_ERR_CANCELLED;

    /* Light walls: the light ink opened by its own thickness, long pieces
     * only. Gray floor tiles and car or furniture fills are as thick, but
     * short (blob_ratio light S). tmp holds them from here to step 3. */
    bool thin_pens = !r->wall_px && strongest <= 3 && light_strongest * r->thin_share > thick;
    bool light_walls = false;
    if (light > level && (thin_pens || light_strongest >= r->light_gain * strongest)) {
        int lopen = (int)lround(r->open_ratio * light_strongest);
        if (lopen > 1 && (rc = k->morph(t, LOCDET_MORPH_OPEN, &tmp, &tmp, lopen, lopen, threads)))
            return rc;
        int64_t kept = drop_short_pieces(r, call, &tmp, r->blob_ratio * light_strongest);
        if (kept < 0)
            return (int)kept;
        light_walls = kept > 0;
    }

    /* Strong ink with no wall thicker than a pen stroke next to thick
     * light walls (gray-filled, outlined plans): its strokes are furniture. */
    if (thin_pens && light_walls) {
        thick = (int)lround(light_strongest * r->thin_share);
        if (strongest < thick)
            strongest = thick;
    }

    /* 3. walls: each ink opened by its own thickness */
    int open = (int)lround(r->open_ratio * thick);
    /* Walls of 3 px still stand out from 1 px pen lines (thumbnails). */
    if (open < 2 && thick >= 3)
        open = 2;
    /* Closed hatching is solid: every pen stroke left is linework. */
    if (hatched && open <= pen)
        open = pen + 1;
    int thin = (int)lround(r->thin_wall * thick);
    thin = thin > 3 ? thin : 3;
    bool thin_walls = r->thin_wall > 0 && thin < open && thick == strongest;
    if (thin_walls &&
        (rc = k->morph(t, LOCDET_MORPH_OPEN, &walls, &barrier, thin, thin, threads)))
        return rc;
    if (open > 1 && (rc = k->morph(t, LOCDET_MORPH_OPEN, &walls, &walls, open, open, threads)))
        return rc;
    if (thin_walls && (rc = add_thin_walls(r, call, &walls, &barrier, thick, thin)))
        return rc;
    /* Light ink only adds walls when it shows thicker ones than strong ink
     * (gray fills); otherwise it is the same walls with a fringe, plus gray
     * furniture. */
    if (light_walls && light_strongest >= r->light_gain * strongest) {
        or_into(&walls, &tmp);
        if (light_strongest > strongest)
            strongest = light_strongest;
    }
    /* The thick walls (no pen stroke: nowhere under the stroke core, 3 px
     * at least), for the door leaves and the angled bridges. The blob test
     * below opens the walls by the same core; an opening is the union of
     * each 8-component's own, so that one serves, minus the blobs it
     * drops. Dropping the leaves leaves them as they are: a leaf has no
     * pixel in any core-sized square of wall. */
    int wall_core = (int)lround(r->stroke_ratio * thick);
    wall_core = wall_core > 3 ? wall_core : 3;
    uint8_t *thick_walls = NULL;
    bool thick_walls_done = false;
    if (r->leaf_arc > 0 || r->angle_step > 0) {
        thick_walls = call->scratch(call, (size_t)w * (size_t)h);
        if (!thick_walls)
            return LOCDET_ERR_NOMEM;
    }
    locdet_image thick_img = {thick_walls, w, h, w};
    /* Isolated blobs shorter than blob_ratio x t are bold text, dimension
     * ticks and furniture bits, not walls: bridged to each other or to a
     * wall they close off false pockets. Door-jamb stubs are attached to
     * their wall, so they are part of a long component and stay. */
    if (r->blob_ratio > 0) {
        locdet_labeling wl;
        if ((rc = k->label(t, &walls, 8, threads, &wl)))
            return rc;
        double len = r->blob_ratio * thick;
        /* Bold text survives the opening as 2-3 px strokes, and words are
         * longer than a blob: pieces under twice that length with nowhere
         * stroke_ratio t thick are strokes, not walls. */
        int core = (int)lround(r->stroke_ratio * thick);
        uint32_t *core_area = NULL;
        if (core > open) {
            thick_walls_done = thick_walls && core == wall_core;
            const locdet_image *opened = thick_walls_done ? &thick_img : &tmp;
            if ((rc = k->morph(t, LOCDET_MORPH_OPEN, &walls, opened, core, core, threads))) {
                k->labeling_free(&wl);
                return rc;
            }
            core_area = call->scratch(call, (size_t)wl.count * sizeof *core_area);
            if (!core_area) {
                k->labeling_free(&wl);
                return LOCDET_ERR_NOMEM;
            }
            memset(core_area, 0, (size_t)wl.count * sizeof *core_area);
            for (int y = 0; y < h; y++) {
                const int32_t *lr = wl.labels + (ptrdiff_t)y * wl.stride;
                const uint8_t *o = opened->data + (size_t)y * w;
                for (int x = 0; x < w; x++)
                    core_area[lr[x]] += o[x] & 1;
            }
        }
        /* Hatched plans: the closing that makes the hatch solid makes
         * text, dimension ticks and dense furniture solid too. Hatching is
         * sparse ink (its lines are spaced for the closing to fill), text
         * and ticks are dense: a small piece whose ink inside its outline
         * is hatch_dense times denser than inside all walls together (the
         * hatch) is no hatched wall. Outlines are left out as they weigh
         * more on small pieces. */
        uint32_t *dense = NULL, *inner = NULL;
        double wall_ink = 0;
        if (hatched && r->hatch_dense > 0) {
            /* inside the outlines (eroded by two pens): the hatch alone */
            int e = 2 * pen + 1;
            if ((rc = k->morph(t, LOCDET_MORPH_ERODE, &walls, &tmp, e, e, threads))) {
                k->labeling_free(&wl);
                return rc;
            }
            dense = call->scratch(call, 2 * (size_t)wl.count * sizeof *dense);
            if (!dense) {
                k->labeling_free(&wl);
                return LOCDET_ERR_NOMEM;
            }
            inner = dense + wl.count;
            memset(dense, 0, 2 * (size_t)wl.count * sizeof *dense);
            double all = 0;
            for (int y = 0; y < h; y++) {
                const int32_t *lr = wl.labels + (ptrdiff_t)y * wl.stride;
                const uint8_t *ir = img->data + (ptrdiff_t)y * img->stride;
                const uint8_t *er = tmp.data + (size_t)y * w;
                for (int x = 0; x < w; x++)
                    if (er[x]) {
                        inner[lr[x]]++;
                        dense[lr[x]] += ir[x] <= level;
                    }
            }
            for (int32_t c = 1; c < wl.count; c++) {
                wall_ink += dense[c];
                all += inner[c];
            }
            wall_ink = all > 0 ? wall_ink / all : 0;
            call->host->log(call->host, LOCDET_LOG_DEBUG, "hatched walls: ink on %.2f of them",
                            wall_ink);
        }
        /* the verdict once per component, then one lookup per pixel */
        uint8_t *drop = call->scratch(call, (size_t)wl.count);
        if (!drop) {
            k->labeling_free(&wl);
            return LOCDET_ERR_NOMEM;
        }
        drop[0] = 0;
        for (int32_t c = 1; c < wl.count; c++) {
            const locdet_component *st = &wl.stats[c];
            /* A piece mostly of wall-thick core is a wall, however short:
             * the corner between a door and a window, say. Cores of 3 px
             * are pen strokes too (bold text, symbols). */
            bool thick_piece =
                core_area && core > 3 && 2 * (double)core_area[c] >= (double)st->area;
            drop[c] = !thick_piece && (blob(st, len, r->blob_fill) ||
                                       (core_area && !core_area[c] && blob(st, 2 * len, 1)));
            /* The kernels take the outside of the image as neutral: an
             * opening keeps a line along the border however thin (a cropped
             * sheet's dimension lines and frame). A piece with most of its
             * ink within the opening's reach of the border is such a line
             * (F1_original's, with a label and ticks on it: 0.05 of it
             * farther in); a wall cut by the border, with a window line on
             * its face, lies mostly farther in (R3D: 0.85 to 0.97). */
            if (r->border_lines && !drop[c] && near_border_only(&wl, c, open))
                drop[c] = 1;
            if (dense && blob(st, 2 * len, 1) && inner[c] &&
                dense[c] > r->hatch_dense * wall_ink * (double)inner[c])
                drop[c] = 1;
        }
        paint_components(&wl, drop, 0, &walls, thick_walls_done ? &thick_img : NULL);
        k->labeling_free(&wl);
    }
    if (thick_walls && !thick_walls_done &&
        (rc = k->morph(t, LOCDET_MORPH_OPEN, &walls, &thick_img, wall_core, wall_core, threads)))
        return rc;
    if (r->leaf_arc > 0 && (rc = drop_door_leaves(r, call, &walls, thick_walls, img, light, thick,
                                                  wall_core, r->leaf_arc)))
        return rc;
    memcpy(barrier.data, walls.data, (size_t)w * (size_t)h);
    /* the walls alone, to tell wall from bridge later */
    uint8_t *wall_only = call->scratch(call, (size_t)w * (size_t)h);
    if (!wall_only)
        return LOCDET_ERR_NOMEM;
    memcpy(wall_only, walls.data, (size_t)w * (size_t)h);
    /* With gray-filled walls, the rest of the linework left standing
     * (glazing, scope and grid lines, title-block rules) bounds rooms as a
     * bridge does, not as a wall: a pocket enclosed by lines alone is no
     * room. */
    if (fill.data) {
        uint8_t *restrict wo = wall_only;
        const uint8_t *restrict fd = fill.data;
        for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
            wo[i] &= fd[i];
    }
    if (call->should_stop(call))
        return LOCDET_ERR_CANCELLED;

    /* 4. bridges over door and window openings */
    /* cls is scratch for the bridges until step 5 fills it */
    uint8_t *cls = call->scratch(call, (size_t)w * (size_t)h);
    if (!cls)
        return LOCDET_ERR_NOMEM;
    /* fainter than the light ink, for lines scans draw lighter still:
     * glazing, and doors at an open passage's ends */
    int faint = light + (paper - light) / 2;
    /* glazing: not in hatched or gray-filled plans, where the linework
     * left standing is dimension, grid and scope lines; symbols: in
     * hatched (not after a dither closing: a scanned plan's walls break up
     * into such pieces) and gray-filled plans, where the walls are the
     * hatch or the fill (a section mark's arrows cut A-193's WCs in four) */
    bool glazed = r->glazing > 0 && !hatched && !fill.data;
    bool symbols = !r->symbol_bridges && r->blob_ratio > 0 &&
                   (fill.data || (hatched && hatch_px > r->dither_px));
    if ((rc = bridge_openings(r, call, img, &walls, &tmp, &barrier, cls, thick_walls, thick,
                              strongest, light, faint, paper, glazed, symbols)))
        return rc;
    if (call->should_stop(call))
        return LOCDET_ERR_CANCELLED;

    /* 5. the exterior, then the doors that depend on it */
    locdet_image pad;
    int big;
    if ((rc = find_exterior(r, call, &barrier, cut, thick, &pad, &big)))
        return rc;
    int pw = pad.width;
    if (r->closet_width > 0)
        if ((rc = close_pockets(r, call, barrier.data, wall_only, pad.data, pw, big, img, light,
                                w, h, thick)))
            return rc;
    /* the box reaches_exterior searches, clipped to the image */
    int reach = (int)lround(r->door_across * thick), box = 2 * reach + 1;
    reach_scratch sc = {r->entrance ? call : NULL, reach,
                        (size_t)(box < w ? box : w) * (size_t)(box < h ? box : h), NULL, NULL,
                        false};
    close_jambs(r, barrier.data, pad.data, pw, big, img, light, w, h, thick, &sc);
    if (sc.failed)
        return LOCDET_ERR_NOMEM;
    if (r->passage > 0 &&
        (rc = open_passages(r, &barrier, wall_only, &tmp, pad.data, pw, big, img, light, faint,
                            thick)))
        return rc;

    /* cls: 0 free, 1 wall, 2 bridge, 3 exterior; tmp: the free space */
    if ((rc = classify(r, wall_only, &barrier, &pad, big, cls, &tmp)))
        return rc;
#ifdef ROOMS_DUMP
    if (getenv("ROOMS_DUMP")) {
        FILE *f = fopen(getenv("ROOMS_DUMP"), "wb");
        if (f) {
            fprintf(f, "P5 %d %d 255\n", w, h);
            for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
                fputc(cls[i] == 0 ? 255 : cls[i] == 1 ? 0 : cls[i] == 2 ? 100 : 200, f);
            fclose(f);
        }
    }
#endif
    return emit_rooms(r, call, img, cls, &tmp, barrier.data, thick, strongest, level, light,
                      r->drawn_wall > 0 && !hatched && !fill.data, s);
}

/* The host decodes at half size (cheap for JPEG, in the DCT domain). Plans
 * whose walls are thinner than min_scaled_wall px there are decoded again
 * at full size: small and fine-lined plans need every pixel. */
static int detect(void *self, const locdet_call *call)
{
    const rooms *r = self;
    locdet_image img = call->image;
    int s = call->scale;
    measured pre = {0};
    if (s > 1 && !r->wall_px) {
        const locdet_kernel_api *k = r->host->kernels;
        locdet_image ink = image_like(call, &img);
        if (!ink.data)
            return LOCDET_ERR_NOMEM;
        int paper = 255, rc;
        int level = r->ink_level ? r->ink_level : ink_level(&img, &paper);
        if ((rc = k->threshold_binary(k->table, &img, &ink, level, true)))
            return rc;
        int strongest;
        int thick = wall_thickness(r, call, &ink, &strongest);
        if (thick < 0)
            return LOCDET_ERR_NOMEM;
        if (thick < r->min_scaled_wall) {
            if ((rc = call->image_at_scale(call, 1, &img)))
                return rc;
            s = 1;
        } else {
            pre = (measured){true, paper, level, thick, strongest};
        }
    } else if (s > 1) {
        int rc = call->image_at_scale(call, 1, &img);
        if (rc)
            return rc;
        s = 1;
    }
    return detect_image(r, call, &img, s, &pre);
}

LOCDET_PLUGIN_EXPORT const locdet_strategy locdet_strategy_entry = {
    .abi = {LOCDET_PLUGIN_ABI_MAJOR, LOCDET_PLUGIN_ABI_MINOR},
    .name = "rooms",
    .version = "0.1.0",
    .description = "free space enclosed by walls: ink, wall thickness, opening, bridged doors, "
                   "exterior removed, outlines",
    .params = params,
    .n_params = (int)(sizeof params / sizeof params[0]),
    .decode_scale = 2,
    .create = create,
    .detect = detect,
    .destroy = destroy,
};
