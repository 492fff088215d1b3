/* rooms: the default strategy. Rooms are the free space that walls enclose.
 * Every size comes from image statistics (the wall thickness t measured on
 * the plan); the parameters are ratios, the same for every plan.
 *
 *  0. scale: the host decodes at half size; plans whose walls are thinner
 *     than min_scaled_wall px there are decoded again at full size, and so
 *     are turned drawings whose walls, measured square on, are
 *     (ROOMS_FULL_SCALE).
 *  1. ink: paper = the most common level; strong ink = Otsu's split of the
 *     levels up to the paper; light ink = halfway from there to the paper.
 * 1b. turned drawings: the strongest direction of the ink's edges inside
 *     the drawing (a Sobel histogram modulo 90 degrees, refined by the
 *     sharpest projections of the ink); a drawing turn degrees or more off
 *     the axes, twice as strongly as along them and with edges both along
 *     and across that direction (not a field of hatching), is turned back onto them
 *     (bicubic, paper around), detected there from step 1 and its outlines
 *     turned onto the input. Parts at other angles (wings), 0.3 as strong,
 *     get passes of their own first, keeping rooms square in their frame;
 *     the main pass keeps what they did not claim.
 *  2. wall thickness: the run length (horizontal and vertical runs of ink)
 *     weighted by length^run_power, smoothed: the strongest wall S; then the
 *     thinnest clear peak down to thin_share x S (interior walls), never a
 *     2 px pen stroke: t; with no such peak, a sharp one holding an eighth
 *     of S's ink; when that is still 2 thin_share x S or more, a weaker
 *     peak from partition_share x S up to it (partitions thinner than both
 *     thick classes). Runs along pen lines are left out. Light ink gets its
 *     own (gray-filled walls).
 *  3. walls: strong ink opened by open_ratio x t, light ink by open_ratio x
 *     its S when that is light_gain x thicker (gray walls), ORed: text,
 *     furniture, arcs, window panes and dimension lines vanish; isolated
 *     glyph-like blobs and pieces with no part stroke_ratio x t thick
 *     (bold text) go too, in hatched plans so do small pieces whose ink is
 *     hatch_dense x denser than the walls' hatch (text, ticks closed
 *     solid), and so do door leaves that survive the opening: thin pieces
 *     hinged on a wall with ink on their swing arc (leaf_arc).
 *     When t is the strongest wall (no interior peak), ink pieces
 *     thin_wall x t thick that touch a wall and run t / 2 are walls too
 *     (closets walled thinner than the rooms, their jamb stubs).
 *  4. openings bridged: walls long along x closed along x (door_ratio x t),
 *     the same along y (collinear wall ends), again for the thick walls;
 *     openings up to glazing x t between such walls with a faint line
 *     drawn along them (glazed fronts), and bands drawn from a wall's end
 *     to a wall across it, 2 to glazing t long, as walls (partitions,
 *     doors drawn gray; neither in hatched or gray-filled plans);
 *     45-degree walls gap-filled along their diagonal over the same length,
 *     walls at other angles (curved outer walls) along lines angle_step
 *     degrees apart, from wall pieces at least stroke_ratio t thick;
 *     then any wall closed along x and y over door_across x t, keeping a
 *     new pixel only where the result is at most bridge_across x t thick
 *     across with no wall on that run (a door beside a perpendicular wall;
 *     not a corridor, nor the fill beside a wall, nor in a turned drawing
 *     a fill between stepped faces); in
 *     hatched and gray-filled plans not from wall pieces standing alone
 *     under blob_ratio t (symbols, labels closed solid: symbol_bridges).
 *     In hatched plans (solid walls) collinear bridges stand only where
 *     they are stroke_ratio t thick across, and slits narrower than t
 *     between walls are closed.
 *  5. exterior: the barrier, padded, closed by exterior_ratio x t; what
 *     stays connected to the padding is outside (windows do not leak),
 *     but for wide spaces the building encloses behind a narrower mouth
 *     (the outside opened by twice the closing, pieces off the border
 *     walled on half their border: keep_pockets). Where (2 min_room_ratio
 *     t)^2 of it or more lies inside the walls' orthogonal hull, light
 *     bands bowed out of line between two wall ends (a bay's glazing) are
 *     painted as wall, and the exterior found again with gaps in diagonal
 *     and curved walls closed too (the barrier dilated before the
 *     closing: a square's corner reaches into such gaps from both sides).
 *     Closet fronts: a free run closet_narrow .. closet_width t long
 *     between wall stub tips, with a wall back closet_shallow ..
 *     closet_depth t behind it and ink (a door line, leaves) on it, is
 *     painted as wall.
 *     Bridges over openings passage t wide or more (wall end to wall
 *     end) with nothing drawn on them and no door hinged at their ends
 *     (leaf and arc, or a leaf at an angle) are openings inside a room (L-
 *     and Z-shaped rooms): taken out, but for doorways left open (the
 *     walls run on in line past both ends and part the same two spaces,
 *     each deeper than the opening is long). Then closet doors between
 *     jambs: a free run jamb_narrow .. door_across t at a jamb's tip,
 *     narrower than the closet behind it (ending within jamb_depth t),
 *     with a door's leaf and swing arc hinged at one end (jamb_arc), is
 *     painted as bridge; so is such a door with the exterior behind it
 *     within door_across t (entrance).
 *  6. rooms: 4-connected free space (the inside of a sheet frame that holds
 *     the whole plan counts as exterior: frame_rooms), kept when large
 *     enough (min_room_ratio; in t = two pens where the walls are pen
 *     lines), not a box crossed by an X (void_cross), not a long
 *     narrow strip, nor, between gray-filled walls, a small piece with
 *     no door,
 *     facing the exterior on little of its border (max_exterior; one
 *     under twice the smallest room hardly at all), with walls
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
 *     the size and the exterior share.
 *
 * The steps' code: walls.c (1-3), turn.c (1b), doors.c (doors in 3-5),
 * bridges.c (4), closets.c, exterior.c and arcs.c (5), emit.c (6); rooms.h joins
 * them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rooms.h"

/* A turned pass needs its angle's projections of the ink this much sharper
 * than 3 degrees off (refine_angle): plangen's turned plans give 1.4 to 2.7,
 * _15 3.7, _13's wings 1.2 and 1.1, R3D 21's round flat 1.06 (its bathroom
 * is found square in that pass) and R3D 60's 1.09; R3D 9's radial walls
 * give 1.02 and 1.00 and the hand-drawn example6 1.00 and 0.98, passes
 * that found nothing at two to three times the time. */
#define MIN_SHARPNESS 1.03

/* The strongest edge direction NEAR_AXES to 2 NEAR_AXES_SPAN degrees off
 * the axes, yet not turned by the histogram's test, is refined by
 * projections within NEAR_AXES_SPAN degrees of it (choose_passes). */
#define NEAR_AXES 1.0
/* passes of step 1b at most: the main part's and two more angles */
#define MAX_PASSES 3
#define NEAR_AXES_SPAN 8

/* A resampled drawing's walls are opened by this many px at least (when
 * thicker): plangen small plans turned 3 to 20 degrees kept their blurred
 * furniture lines as walls at 2 px. */
#define RESAMPLED_OPEN 3

/* Light ink is a wall source (gray-filled walls) only up to this many
 * times the strong ink's strongest wall, pen-stroke plans aside: thicker,
 * it is a floor's gray fill (plangen hatched:92's hall, 92 px across
 * beside 19 px walls, became one wall). */
#define LIGHT_WALL_MAX 3

/* The corridors' ends bridged with no door drawn that are listed for the
 * fragment test (a plan has a few; the rest are bridged, not listed). */
#define CORRIDOR_ENDS 256

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
     "smallest room is (min_room_ratio x wall thickness)^2 px; where the walls are pen lines, "
     "that thickness is two pens"},
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
     "wall for min_solid, in plans with solid or hatched walls; 0 = none"},
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
     "smaller room's side; 0 = never, and no fragment joins a room either"},
    {"merge_min", LOCDET_PARAM_FLOAT, "8", 0, 1000, NULL,
     "... and that side is at least this many wall thicknesses long (closets stay apart)"},
    {"merge_fill", LOCDET_PARAM_FLOAT, "0.2", 0, 1, NULL,
     "... and each of the two fills at least this share of its box (a strip bent around a "
     "room is no room of its own)"},
    {"fragment_bridge", LOCDET_PARAM_FLOAT, "0.3", 0, 10, NULL,
     "a piece under fragment_area with door bridges (not windows to the exterior, nor "
     "corridors' ends) on more than this share of its box perimeter is a fragment cut off by "
     "bridges, not a room"},
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
     "ink pieces this thick (in t, 3 px at least) that touch a wall and run t / 2 are walls "
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
     "line drawn along them are glazing: bridged; lines from a wall's end to a wall across, "
     "2 t to this many, are partitions: walls; light bands bowed between two wall ends where "
     "the exterior came into the building are glazing; 0 = none of these"},
    {"glazing_ink", LOCDET_PARAM_FLOAT, "0.9", 0, 1, NULL,
     "... the share of the opening's length the line covers (light ink)"},
    {"passage", LOCDET_PARAM_FLOAT, "10", 0, 1000, NULL,
     "bridges over openings at least this many t wide (wall end to wall end) with free space on "
     "both sides, no ink on them and no door hinged at their ends are openings inside a room: "
     "removed; 0 = none"},
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
     "with pen strokes only, closings from 2 px up to this size are for walls dithered or "
     "textured (dots 1-2 px apart); past it the 2.4-pen closing's thin fill is added; under 2 "
     "= the closings start at 2.4 pens"},
    {"facing_walls", LOCDET_PARAM_INT, "1", 0, 1, NULL,
     "1 = no collinear bridge joins two cross-sections of walls running the other way (walls "
     "over 2 t thick facing each other across a room), nor one and a T junction's far face"},
    {"corner_door", LOCDET_PARAM_FLOAT, "12", 0, 1000, NULL,
     "a wall's end and a wall across its line 2 t to this many t apart are bridged when a "
     "door (leaf and swing arc, jamb_arc) is drawn over the gap, or, 4 t to door_across t "
     "apart, at a corridor's end; 0 = none"},
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
    {"spur", LOCDET_PARAM_FLOAT, "2", 0, 100, NULL,
     "a room's strips narrower than this many wall thicknesses that touch the exterior (free "
     "space along the outside of a wall, let in through an unbridged window or a slot) are not "
     "the room's, nor what only they join to it: "
     "its pixels opened by a square this wide, the largest piece kept; 0 = as labelled"},
    {"turn", LOCDET_PARAM_FLOAT, "1.5", 0, 45, NULL,
     "a drawing whose ink edges run this many degrees or more off the axes (twice as strongly "
     "as along them, walls both ways) is detected turned back onto the axes, and parts at "
     "other angles (wings) in a pass each; 0 = never"},
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
    P_SPUR, P_TURN
};

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
        .turn_min = v[P_TURN].f,
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

/* Paper, ink level and wall thickness, when already measured on this image. */
typedef struct measured {
    bool valid;
    int paper, level, thick, strongest;
} measured;

/* The main part of a drawing with parts at several angles, measured (wall
 * thickness) on its ink (the image's ink, 255 where at or below `level`)
 * with the rooms the other parts' passes claimed, and widest px around them
 * (their walls), cleared from it: turned walls run long along x and y and
 * would pass for thick walls there. ink is cleared in place; around is
 * scratch of its size. */
static int measure_main_part(const rooms *r, const locdet_call *call, const locdet_image *ink,
                             const locdet_image *around, const uint8_t *claimed, int widest,
                             int paper, int level, measured *out)
{
    const locdet_kernel_api *k = r->host->kernels;
    int w = ink->width, h = ink->height, rc, size = 2 * widest + 1;
    locdet_image mask = {(uint8_t *)claimed, w, h, w};
    if ((rc = k->morph(k->table, LOCDET_MORPH_DILATE, &mask, around, size, size,
                       r->host->threads)))
        return rc;
    for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
        ink->data[i] &= (uint8_t)(around->data[i] ? 0 : 255);
    int strongest = 0, thick = wall_thickness(r, call, ink, &strongest);
    if (thick < 0)
        return LOCDET_ERR_NOMEM;
    *out = (measured){true, paper, level, thick, strongest};
    return LOCDET_OK;
}

/* Whether deg is at least turn_min degrees from each of the n angles in
 * pass. */
static bool apart_from(double deg, const double *pass, int n, double turn_min)
{
    for (int k = 0; k < n; k++)
        if (fabs(deg - pass[k]) < turn_min)
            return false;
    return true;
}

/* Step 1b's passes for the drawing inside `inner` of img: the angles (up to
 * MAX_PASSES, degrees, 0 = on the axes) it is detected at, the main part's
 * first; how many, or -1 when out of memory. */
static int choose_passes(const rooms *r, const locdet_call *call, const locdet_image *img,
                         const int inner[4], int level, int paper, double pass[MAX_PASSES])
{
    orientation o[MAX_PASSES];
    double axes;
    int n = drawing_orientations(img, inner, level, paper, o, MAX_PASSES, &axes);
    int passes = 0;
    bool first = true;
    /* the main pass turned near the axes: its refinement, the same
     * computation as the one below when that spans NEAR_AXES_SPAN too */
    bool near_turned = false;
    double near_deg = 0, near_sharp = 0;
    for (int i = 0; i < n; i++) {
        call->host->log(call->host, LOCDET_LOG_DEBUG,
                        "drawing at %.1f degrees (%.2f x the axes, %.2f balanced)", o[i].deg,
                        axes > 0 ? o[i].weight / axes : HUGE_VAL, o[i].balance);
        /* walls both ways: not a field of hatching */
        if (o[i].balance < 0.2)
            continue;
        if (first) {
            /* the main pass: turned when twice as strong as the axes;
             * else on the axes, and this direction maybe another */
            first = false;
            bool off = fabs(o[i].deg) >= r->turn_min - 2 && o[i].weight >= 2 * axes;
            /* a drawing turned a few degrees and drawn without
             * antialiasing has stair-stepped lines, whose edges read as
             * the axes' to a 3x3 Sobel: the strongest direction only
             * leans off them. Its projections tell. */
            if (!off && fabs(o[i].deg) >= NEAR_AXES && fabs(o[i].deg) <= 2 * NEAR_AXES_SPAN) {
                double sharp,
                    deg = refine_angle(call, img, inner, level, o[i].deg, NEAR_AXES_SPAN, &sharp);
                if (deg < -999)
                    return -1;
                off = fabs(deg) >= r->turn_min && sharp >= MIN_SHARPNESS;
                near_turned = off;
                near_deg = deg;
                near_sharp = sharp;
                call->host->log(call->host, LOCDET_LOG_DEBUG,
                                "near the axes: %.1f degrees, %.3f x sharper than 3 off%s", deg,
                                sharp, off ? ": turned" : "");
            }
            pass[passes++] = off ? o[i].deg : 0;
            if (off)
                continue;
        }
        /* another part at its own angle, 0.3 as strong as the
         * strongest direction (the strongest direction itself too, when
         * the main pass stays on the axes: n directions may ask for
         * n + 1 passes) */
        if (passes < MAX_PASSES && apart_from(o[i].deg, pass, passes, r->turn_min) &&
            o[i].weight >= 0.3 * o[0].weight)
            pass[passes++] = o[i].deg;
    }
    /* the histogram is coarse: refine every turned pass to a tenth of
     * a degree (near the threshold too) */
    int kept = 0;
    for (int k = 0; k < passes; k++) {
        double deg = pass[k], sharp;
        if (deg != 0) {
            int span = passes > 1 ? 4 : 8;
            if (k == 0 && near_turned && span == NEAR_AXES_SPAN) {
                deg = near_deg;
                sharp = near_sharp;
            } else {
                deg = refine_angle(call, img, inner, level, deg, span, &sharp);
            }
            if (deg < -999)
                return -1;
            call->host->log(call->host, LOCDET_LOG_DEBUG,
                            "pass %d: %.1f degrees, %.3f x sharper than 3 off", k, deg, sharp);
            /* no straight walls at that angle (a round plan's radial
             * walls, a hand-drawn sketch's wobble): no part of its own */
            if (fabs(deg) < r->turn_min || sharp < MIN_SHARPNESS)
                deg = 0;
        }
        /* refined onto the axes or another pass: not a part of its own */
        if (kept == 0 || apart_from(deg, pass, kept, r->turn_min))
            pass[kept++] = deg;
    }
    return kept;
}

/* The steps 1-6 (see the top of this file) on img, decoded at 1/s of the
 * plan's size; pre: what detect already measured on img, if valid. */
static int detect_image(const rooms *r, const locdet_call *call, const locdet_image *img, int s,
                        const measured *pre, const turn *tr)
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

    /* 1b. a drawing turned off the axes is detected turned back; one with
     * parts at several angles (wings), once per angle */
    if (!tr && r->turn_min > 0) {
        int inner[4] = {cut[0], cut[1], cut[2], cut[3]};
        inset_past_lines(img, inner, level);
        double pass[MAX_PASSES];
        int passes = choose_passes(r, call, img, inner, level, paper, pass);
        if (passes < 0)
            return LOCDET_ERR_NOMEM;
        if (passes > 1 || (passes == 1 && pass[0] != 0)) {
            uint8_t *claimed = NULL;
            if (passes > 1) {
                claimed = call->scratch(call, (size_t)w * (size_t)h);
                if (!claimed)
                    return LOCDET_ERR_NOMEM;
                memset(claimed, 0, (size_t)w * (size_t)h);
            }
            /* the other parts first, each keeping only rooms square in its
             * frame; the main pass last, keeping what they did not find: it
             * would otherwise take a turned part for one big room */
            int widest = 0;
            for (int i = 0; i < passes; i++) {
                int k = (i + 1) % passes;
                turn back = {.cos = 1}; /* on the axes: the input's own frame, unturned */
                locdet_image part = *img;
                if (pass[k] != 0) {
                    part = turn_drawing(call, img, inner, pass[k], light, paper, &back);
                    if (!part.data)
                        return LOCDET_ERR_NOMEM;
                    call->host->log(call->host, LOCDET_LOG_DEBUG,
                                    "pass %d turned: %dx%d of %dx%d px", k, part.width,
                                    part.height, img->width, img->height);
                }
                back.claimed = claimed;
                back.cw = w;
                back.ch = h;
                back.strict = k > 0;
                back.widest = &widest;
                back.first = i == 0;
                /* a turned drawing is measured afresh, square on */
                measured none = {0}, main = *pre;
                /* walls still holds img's ink (this call's steps stop here);
                 * barrier is free */
                if (k == 0 && passes > 1 && pass[0] == 0 &&
                    (rc = measure_main_part(r, call, &walls, &barrier, claimed, widest, paper,
                                            level, &main)))
                    return rc;
                if ((rc = detect_image(r, call, &part, s, pass[k] != 0 ? &none : &main, &back)))
                    return rc;
            }
            return LOCDET_OK;
        }
    }

    /* 2. wall thickness: the thin (interior) walls, and the strongest, in
     * strong ink; the light ink's own (gray-filled walls, when there are) */
    int strongest = r->wall_px, light_strongest = r->wall_px;
    /* a turned drawing resampled onto the axes: its wall widths spread
     * over neighbouring run lengths */
    bool resampled = tr && tr->sin != 0;
    int thick;
    if (r->wall_px) {
        thick = r->wall_px;
    } else if (pre->valid) {
        thick = pre->thick;
    } else {
        int spread;
        thick = wall_thickness_spread(r, call, &walls, &strongest, resampled ? &spread : NULL);
        if (thick >= 0 && resampled)
            thick = spread;
    }
    if (pre->valid)
        strongest = pre->strongest;
    if (thick < 0)
        return LOCDET_ERR_NOMEM;
    /* The half-size decision was taken on runs across a turned drawing,
     * which are longer than its walls are thick (1 / sin 15 degrees = 3.9
     * times, along a wall): square on, its walls may be too thin there. */
    if (resampled && tr->first && s > 1 && !r->wall_px && thick < r->min_scaled_wall)
        return ROOMS_FULL_SCALE;
    /* the rest is set there */
    wall_source ws = {.thick = thick, .strongest = strongest, .resampled = resampled};
    if ((rc = find_wall_source(r, call, img, level, light, &walls, &barrier, &tmp, &ws)))
        return rc;
    thick = ws.thick;
    strongest = ws.strongest;
    if (tr && tr->widest && strongest > *tr->widest)
        *tr->widest = strongest;
    int pen = ws.pen;
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
    if (light > level && (thin_pens || (light_strongest >= r->light_gain * strongest &&
                                        light_strongest <= LIGHT_WALL_MAX * strongest))) {
        int lopen = (int)lround(r->open_ratio * light_strongest);
        if (lopen > 1 && (rc = k->morph(t, LOCDET_MORPH_OPEN, &tmp, &tmp, lopen, lopen, threads)))
            return rc;
        int64_t solid = 0;
        double span = r->blob_ratio * light_strongest;
        int64_t kept = drop_short_pieces(r, call, &tmp, span, span, &solid);
        if (kept < 0)
            return (int)kept;
        /* mostly blobs as wide as long pieces are long, filling their
         * box: tinted floors, not walls (a straight wall fills its box
         * too, but is thin) */
        light_walls = kept > 0 && 2 * solid <= kept;
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
    /* Resampled, 1 px pen lines (furniture) blur to 2 px: walls of 4 px
     * and more still stand out from them at 3 px. */
    if (resampled && open < RESAMPLED_OPEN && thick > RESAMPLED_OPEN)
        open = RESAMPLED_OPEN;
    /* Resampling grays a stroke's edges, and the ink level takes them in:
     * a 3 px door leaf reads 5 px and survived the opening, cutting
     * hatched:41's corridor (turned 3 degrees) in three. One px more,
     * where interior walls were measured (t < S: no thinner wall is at
     * stake) and they are at least twice that thick. */
    if (resampled && thick < strongest && 2 * (open + 1) <= thick)
        open++;
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
     * hatched and gray-filled plans, where the walls are the hatch or the
     * fill (a section mark's arrows cut A-193's WCs in four; a label
     * closed solid, F1_original's walk-in closet), dithered walls too */
    bool glazed = r->glazing > 0 && !hatched && !fill.data;
    bool symbols = !r->symbol_bridges && r->blob_ratio > 0 && (fill.data || hatched);
    corridor_ends ends = {call->scratch(call, CORRIDOR_ENDS * sizeof *ends.box), 0,
                          CORRIDOR_ENDS};
    if (!ends.box)
        return LOCDET_ERR_NOMEM;
    if ((rc = bridge_openings(r, call, img, &walls, &tmp, &barrier, wall_only, cls, thick_walls,
                              thick, strongest, light, faint, paper, glazed, symbols, resampled,
                              hatched ? wall_core : 0, &ends)))
        return rc;
    /* Hatched walls are solid, and no opening between two of them is
     * narrower than a wall is thick: a wall that stops short of the wall it
     * meets by less is closed to it. Such a slit is left where a label
     * fused to the wall's end makes it too thick for the bridges along
     * walls (nogt F1_original's vestibule opened into its hall through a
     * 4 px slit). The walls alone are closed: with the bridges, the gaps
     * between a bridge and a wall closed too, and took pockets off rooms
     * (F1_original's living room, under its sofa). The closing is
     * odd-sized: an even one shifts by a pixel (morph.h). */
    if (hatched && thick > 1) {
        int slit = thick | 1;
        locdet_image walls_alone = {wall_only, w, h, w};
        if ((rc = k->morph(t, LOCDET_MORPH_CLOSE, &walls_alone, &tmp, slit, slit, threads)))
            return rc;
        or_into(&barrier, &tmp);
    }
    if (call->should_stop(call))
        return LOCDET_ERR_CANCELLED;

    /* 5. the exterior, then the doors that depend on it */
    locdet_image pad = {NULL, 0, 0, 0};
    int big;
    if ((rc = flood_exterior(r, call, &barrier, thick, false, &pad, &big)) ||
        (rc = exterior_pockets(r, call, &pad, big, wall_only, cut)))
        return rc;
    /* windows bowed or at an angle, gaps in curved walls, where the
     * exterior came in (arcs.c) */
    if (r->glazing > 0 && thick > 0 &&
        (rc = seal_bowed_glazing(r, call, img, light, &barrier, wall_only, &tmp, thick, strongest,
                                 cut, &pad, big)))
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
    /* passages first: a jamb door needs the room in front of it open,
     * and a bridge across an L-shaped room's bend made that part look
     * closed (plangen hatched:188's closet beside its bedroom's bend) */
    if (r->passage > 0 &&
        (rc = open_passages(r, &barrier, wall_only, &tmp, pad.data, pw, big, img, light, faint,
                            thick)))
        return rc;
    close_jambs(r, barrier.data, pad.data, pw, big, img, light, w, h, thick, &sc);
    if (sc.failed)
        return LOCDET_ERR_NOMEM;

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
        /* and the image the classes were found on, beside it */
        char name[4096];
        snprintf(name, sizeof name, "%s.img.pgm", getenv("ROOMS_DUMP"));
        if ((f = fopen(name, "wb"))) {
            fprintf(f, "P5 %d %d 255\n", w, h);
            for (int y = 0; y < h; y++)
                fwrite(img->data + (ptrdiff_t)y * img->stride, 1, (size_t)w, f);
            fclose(f);
        }
    }
#endif
    return emit_rooms(r, call, img, cls, &tmp, barrier.data, thick, strongest, level, light,
                      fill.data != NULL, ws.pen_walls, s, tr, &ends);
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
        int strongest, spread;
        int thick = wall_thickness_spread(r, call, &ink, &strongest, &spread);
        if (thick < 0)
            return LOCDET_ERR_NOMEM;
        /* Halved, a wall width spreads over +-1 px of run lengths too;
         * a spread peak under min_scaled_wall is left to the plain one
         * (with it, hatched:1 and simple:32 went to full size and lost a
         * room, and apartment:44 took a pen stroke's 5 px for t). */
        if (spread >= r->min_scaled_wall)
            thick = spread;
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
    int rc = detect_image(r, call, &img, s, &pre, NULL);
    if (rc == ROOMS_FULL_SCALE) {
        call->host->log(call->host, LOCDET_LOG_DEBUG,
                        "turned walls under %d px at half size: detecting at full size",
                        r->min_scaled_wall);
        if ((rc = call->image_at_scale(call, 1, &img)))
            return rc;
        measured none = {0};
        rc = detect_image(r, call, &img, 1, &none, NULL);
    }
    return rc;
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
