/* plangen: synthetic floor plans with exact room ground truth.
 *
 * Output is a function of (preset, seed, options) only: integer rasterization
 * and a self-contained PRNG, so the bytes are the same on x86_64 and aarch64.
 *
 * Coordinates: pixel corners, origin top-left. Pixel (x, y) covers
 * [x, x+1) x [y, y+1). A polygon covers the pixels whose centres lie inside it
 * (half-open rule, see plangen_polygon_spans), bbox is [x0, y0, x1, y1) with
 * x1/y1 exclusive, area_px counts the covered pixels.
 */
#ifndef LOCDET_PLANGEN_H
#define LOCDET_PLANGEN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct plangen_room {
    char label[32];      /* R3D class: "bedroom", "closet", "bathroom/washroom", ... */
    int bbox[4];         /* x0, y0, x1, y1 (x1, y1 exclusive) */
    int (*polygon)[2];   /* free-space interior, up to the wall faces; doors excluded */
    int n_points;
    long area_px;        /* pixels covered by the polygon */
} plangen_room;

typedef struct plangen_plan {
    uint8_t *pixels;     /* 8-bit gray, 0 = ink, 255 = paper; row padding is 255 */
    int width, height;
    ptrdiff_t stride;    /* bytes per row, a multiple of 64, >= width */
    plangen_room *rooms;
    int n_rooms;
    char preset[32];
    uint64_t seed;
    int turn_mdeg;       /* the turn applied (plangen_options.turn_mdeg); 0: none */
} plangen_plan;

/* Layers, for tests and debugging. A disabled layer is still laid out (the
 * geometry and the ground truth do not change), it is just not drawn. */
enum {
    PLANGEN_LAYER_WALLS     = 1 << 0, /* walls, windows, shafts */
    PLANGEN_LAYER_DOORS     = 1 << 1, /* swing arcs and door leaves */
    PLANGEN_LAYER_TEXT      = 1 << 2, /* room labels and room sizes */
    PLANGEN_LAYER_FURNITURE = 1 << 3,
    PLANGEN_LAYER_DIMS      = 1 << 4, /* dimension lines outside the building */
    PLANGEN_LAYER_FLOOR     = 1 << 5, /* hatched / gray-filled floors */
    PLANGEN_LAYER_ALL       = 0x3f
};

/* Degradation switches (plangen_options.disable). */
enum {
    PLANGEN_NO_NOISE    = 1 << 0, /* no specks, blur, noise, paper tone; ink stays 0 */
    PLANGEN_NO_ROTATION = 1 << 1  /* no scan rotation (ground truth stays axis-aligned) */
};

typedef struct plangen_options {
    int width;            /* 0 = preset default (may depend on the seed) */
    int height;           /* 0 = from the preset's aspect ratio */
    unsigned layers;      /* PLANGEN_LAYER_* mask, 0 = all */
    unsigned disable;     /* PLANGEN_NO_* mask */
    int close_doors;      /* draw door openings as wall ink (as the R3D annotators did) */
    int turn_mdeg;        /* turn the whole drawing by this many millidegrees (-40000..40000)
                             onto a canvas grown to hold it, ground truth with it; 0 = none */
} plangen_options;

/* 0 ok, -1 unknown preset / bad args, -2 out of memory. On error *out is zeroed. */
int plangen_generate(const char *preset, uint64_t seed, int width, plangen_plan *out);
int plangen_generate_ex(const char *preset, uint64_t seed, const plangen_options *opt,
                        plangen_plan *out);
void plangen_free(plangen_plan *p);

const char *const *plangen_presets(void);              /* NULL-terminated */
const char *plangen_preset_description(const char *preset); /* NULL if unknown */

/* Writers: 0 ok, -1 on failure. */
int plangen_write_png(const plangen_plan *p, const char *path);            /* 8-bit gray */
int plangen_write_jpeg(const plangen_plan *p, const char *path, int quality); /* 1..100 */
int plangen_write_gt_json(const plangen_plan *p, const char *image_name, const char *path);
/* The ground truth as a malloc'ed JSON string (free() it), NULL on failure. */
char *plangen_gt_json_string(const plangen_plan *p, const char *image_name);

/* Fraction of pixels darker than 128. */
double plangen_ink_fraction(const plangen_plan *p);

/* Rasterize a polygon (even-odd) with the rule used for the ground truth:
 * pixel (x, y) is inside when its centre (x+.5, y+.5) is, a centre on a left
 * edge counts, on a right edge does not. Rows outside [0, height) and columns
 * outside [0, width) are clipped. cb gets half-open spans [x0, x1). */
typedef void (*plangen_span_fn)(void *user, int y, int x0, int x1);
void plangen_polygon_spans(const int (*pts)[2], int n, int width, int height,
                           plangen_span_fn cb, void *user);

#ifdef __cplusplus
}
#endif
#endif
