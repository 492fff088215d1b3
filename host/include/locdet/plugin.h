/* The locdet strategy plugin ABI: the one header a strategy author needs.
 *
 * A strategy is a shared object NAME.so exporting one const symbol,
 * `locdet_strategy_entry` (a locdet_strategy). Build it with
 * -fvisibility=hidden, export only the entry (a linker version script) and
 * link with -Wl,-z,defs: a plugin cannot link the host's symbols, so
 * everything it uses from the host comes through locdet_host_api, kernels
 * included. See docs/plugin-authoring.md.
 *
 * Versioning (CLAP style): the entry's first field is the ABI version the
 * plugin was built against. The host refuses a plugin whose major differs;
 * the plugin gets the host's version in locdet_host_api.abi and refuses (by
 * failing create) a host whose minor is older than it needs. Minor versions
 * only append fields at the ends of structs. */
#ifndef LOCDET_PLUGIN_H
#define LOCDET_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "locdet/kernels.h" /* locdet_image, status codes, and the kernel families */

#ifdef __cplusplus
extern "C" {
#endif

#define LOCDET_PLUGIN_ABI_MAJOR 1
#define LOCDET_PLUGIN_ABI_MINOR 1

#define LOCDET_PLUGIN_EXPORT __attribute__((visibility("default")))

typedef struct locdet_abi_version {
    uint16_t major, minor;
} locdet_abi_version;

/* ---- parameters ----------------------------------------------------------
 * The host parses and validates `--param k=v` / LOCDET_PARAMS against the
 * table, so create() only ever sees typed, in-range values. */
typedef enum locdet_param_type {
    LOCDET_PARAM_INT,   /* value.i, within [min, max] */
    LOCDET_PARAM_FLOAT, /* value.f, finite, within [min, max] */
    LOCDET_PARAM_BOOL,  /* value.b: true/false, 1/0, yes/no, on/off */
    LOCDET_PARAM_ENUM,  /* value.i: index into choices */
} locdet_param_type;

typedef struct locdet_param_def {
    const char *name;            /* [a-z0-9_]+ */
    locdet_param_type type;
    const char *def;             /* the default as a user writes it: "11", "0.4", "true", "otsu" */
    double min, max;             /* INT and FLOAT: inclusive range */
    const char *const *choices;  /* ENUM: the allowed strings, NULL-terminated */
    const char *help;            /* one line */
} locdet_param_def;

typedef union locdet_param_value {
    int64_t i;
    double f;
    bool b;
} locdet_param_value;

/* ---- what the host gives a plugin --------------------------------------- */

/* The public kernel entry points (kernels/include/locdet/<family>.h document
 * each; every call takes `table` first). Fields are only ever appended;
 * `size` is sizeof as the host built it, so a plugin may check a field's
 * presence with offsetof. */
typedef struct locdet_kernel_api {
    uint32_t size;
    const locdet_kernels *table;
    /* locdet/threshold.h, locdet/blur.h */
    int (*threshold_binary)(const locdet_kernels *k, const locdet_image *src,
                            const locdet_image *dst, int thresh, bool invert);
    int (*threshold_otsu)(const locdet_kernels *k, const locdet_image *src,
                          const locdet_image *dst, bool invert, int *thresh_out);
    int (*threshold_adaptive_mean)(const locdet_kernels *k, const locdet_image *src,
                                   const locdet_image *dst, int block, double c, bool invert);
    int (*threshold_adaptive_gaussian)(const locdet_kernels *k, const locdet_image *src,
                                       const locdet_image *dst, int block, double c, bool invert);
    int (*blur_gaussian5)(const locdet_kernels *k, const locdet_image *src,
                          const locdet_image *dst);
    /* locdet/morph.h */
    int (*morph)(const locdet_kernels *k, locdet_morph_op op, const locdet_image *src,
                 const locdet_image *dst, int kw, int kh, int threads);
    /* locdet/label.h */
    int (*label)(const locdet_kernels *k, const locdet_image *binary, int connectivity,
                 int threads, locdet_labeling *out);
    void (*labeling_free)(locdet_labeling *l);
    /* locdet/contour.h */
    int (*find_contours)(const locdet_kernels *k, const locdet_image *binary,
                         locdet_contour_set *out);
    void (*contour_set_free)(locdet_contour_set *set);
    int (*trace_label)(const locdet_kernels *k, const int32_t *labels, ptrdiff_t stride,
                       int width, int height, int32_t label, int bbox_left, int bbox_top,
                       locdet_point **pts, int *n);
    int (*approx_poly)(const locdet_point *in, int n, double epsilon, bool closed,
                       locdet_point **out, int *n_out);
    double (*approx_epsilon)(const locdet_point *pts, int n, double fraction);
    double (*contour_area)(const locdet_point *pts, int n);
    double (*arc_length)(const locdet_point *pts, int n, bool closed);
    void (*points_free)(locdet_point *pts);
    /* ABI 1.1: locdet/threshold.h (check host->abi.minor >= 1, or
     * size >= offsetof(locdet_kernel_api, threshold_adaptive_gaussian_fixed)
     * + sizeof(void *), before calling it). */
    int (*threshold_adaptive_gaussian_fixed)(const locdet_kernels *k, const locdet_image *src,
                                             const locdet_image *dst, int block, double c,
                                             bool invert);
} locdet_kernel_api;

typedef enum locdet_log_level {
    LOCDET_LOG_ERROR, LOCDET_LOG_WARN, LOCDET_LOG_INFO, LOCDET_LOG_DEBUG
} locdet_log_level;

typedef struct locdet_host_api {
    locdet_abi_version abi;             /* the host's */
    const locdet_kernel_api *kernels;
    int threads;                        /* >= 1; pass it to kernels that take a thread count */
    void *(*alloc)(size_t size);        /* the host's allocator; NULL when out of memory */
    void *(*realloc)(void *p, size_t size);
    void (*free)(void *p);
    /* Goes to stderr (CLI) or the function log (Lambda), prefixed with the
     * strategy's name. No trailing newline needed. */
    void (*log)(const struct locdet_host_api *host, locdet_log_level level, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
    void *host_data;                    /* the host's; do not touch */
} locdet_host_api;

/* ---- one detection ------------------------------------------------------ */

typedef struct locdet_line {
    locdet_point start, end;
} locdet_line;

/* A room, in pixels of the input image (origin top-left) whatever scale the
 * strategy worked at (locdet_point comes from locdet/contour.h). Optional
 * fields left zero are derived by the host from the polygon, each on its
 * own. add_room() copies everything it is given. */
typedef struct locdet_room {
    const locdet_point *polygon;        /* >= 3 vertices, either orientation */
    int n_points;
    double confidence;                  /* 0..1 */
    int32_t bbox_px[4];                 /* optional: x0, y0, x1, y1 (x1, y1 exclusive) */
    double area_px;                     /* optional: > 0 */
    double centroid[2];                 /* optional: cx, cy */
    const locdet_line *lines;           /* optional wall lines */
    int n_lines;
    const char *name_hint;              /* optional, e.g. "kitchen"; NULL for none */
} locdet_room;

typedef struct locdet_call {
    const locdet_host_api *host;
    locdet_image image;                 /* the input in 8-bit gray at 1/scale; read-only */
    int scale;                          /* 1, 2, 4 or 8 (the entry's decode_scale) */
    int width, height;                  /* the input's full size */
    /* True once the deadline is near: return LOCDET_ERR_CANCELLED soon. */
    bool (*should_stop)(const struct locdet_call *call);
    /* Memory for this call only (64-byte aligned, not zeroed), released
     * when detect returns. NULL when out of memory. Blocks of 1 MiB or
     * more are 2 MiB-aligned, so that they can sit on huge pages: ask for
     * an image-sized buffer in one block rather than row by row. */
    void *(*scratch)(const struct locdet_call *call, size_t size);
    /* The input decoded again at 1/scale (1, 2, 4, 8): JPEG in the DCT
     * domain, PNG by area averaging. Owned by the host until detect
     * returns. Returns LOCDET_OK, LOCDET_ERR_INVALID or LOCDET_ERR_NOMEM. */
    int (*image_at_scale)(const struct locdet_call *call, int scale, locdet_image *out);
    /* Report a room; ids follow the order of calls. Returns LOCDET_OK,
     * LOCDET_ERR_INVALID (bad polygon or confidence) or LOCDET_ERR_NOMEM. */
    int (*add_room)(const struct locdet_call *call, const locdet_room *room);
    void *host_data;                    /* the host's; do not touch */
} locdet_call;

/* ---- the entry ---------------------------------------------------------- */

typedef struct locdet_strategy {
    locdet_abi_version abi;             /* {LOCDET_PLUGIN_ABI_MAJOR, LOCDET_PLUGIN_ABI_MINOR}; first */
    const char *name;                   /* [a-z0-9_-]+, equal to the file name without .so */
    const char *version;                /* the strategy's own, "1.2.0" */
    const char *description;            /* one line */
    const locdet_param_def *params;
    int n_params;
    int decode_scale;                   /* 1, 2, 4 or 8 (0 means 1): the image detect gets */
    /* Make an instance from validated values (one per table row, in table
     * order). On failure return NULL and say why in `why`. */
    void *(*create)(const locdet_host_api *host, const locdet_param_value *values, char *why,
                    size_t why_size);
    /* Find the rooms of one image, reporting each with call->add_room.
     * Returns LOCDET_OK, LOCDET_ERR_CANCELLED (should_stop said so) or
     * another negative locdet_status. One instance serves many images,
     * one at a time (never concurrently). */
    int (*detect)(void *self, const locdet_call *call);
    void (*destroy)(void *self);
    /* Optional (NULL = none): refuse values that are each in range but not
     * acceptable (an even block size, min above max), saying why. The host
     * reports them as Locdet.BadParameter before create is called. */
    bool (*check)(const locdet_param_value *values, char *why, size_t why_size);
} locdet_strategy;

#ifdef __cplusplus
}
#endif

#endif
