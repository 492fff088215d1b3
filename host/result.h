/* Result JSON (DESIGN.md's schema, published in docs/result.schema.json)
 * and the host's copy of the rooms a strategy reports. */
#ifndef LOCDET_HOST_RESULT_H
#define LOCDET_HOST_RESULT_H

#include <cjson/cJSON.h>

#include "errors.h"
#include "locdet/plugin.h"

typedef struct locdet_room_rec {
    locdet_point *polygon;
    int n_points;
    locdet_line *lines;
    int n_lines;
    int32_t bbox[4];            /* x0, y0, x1, y1; x1, y1 exclusive */
    double area, cx, cy, confidence;
    char *name_hint;            /* or NULL */
} locdet_room_rec;

typedef struct locdet_rooms {
    locdet_room_rec *v;
    int n, cap;
} locdet_rooms;

/* Check a reported room against an input of width x height, derive what it
 * left out, and append a copy. Returns LOCDET_OK, LOCDET_ERR_INVALID (with
 * the reason in why) or LOCDET_ERR_NOMEM. */
int locdet_rooms_add(locdet_rooms *rs, const locdet_room *r, int width, int height, char *why,
                     size_t why_size);
void locdet_rooms_clear(locdet_rooms *rs);

/* The polygon's area (shoelace, unsigned) and centroid. */
double locdet_polygon_area(const locdet_point *p, int n, double *cx, double *cy);

typedef struct locdet_result_info {
    const char *job_id;
    const char *format;                  /* "png" / "jpeg", or NULL when never decoded */
    int width, height;
    const char *strategy_name;           /* NULL when no strategy was loaded */
    const char *strategy_version;
    const cJSON *params;                 /* copied */
    const char *isa;                     /* NULL = the process's selected ISA */
    const locdet_rooms *rooms;           /* NULL = none */
    double t_decode, t_detect, t_total;  /* ms */
    const locdet_error *error;           /* NULL or code 0 = completed */
} locdet_result_info;

/* The result document; NULL only when out of memory. */
cJSON *locdet_result_build(const locdet_result_info *info);

/* "2024-05-01T12:34:56.789Z" */
void locdet_timestamp_now(char buf[32]);

#endif
