/* The kernels the rooms strategy uses, taken from the host API once at
 * create time (a plugin links nothing of the host: everything comes through
 * locdet_host_api). */
#ifndef ROOMS_KERNELS_H
#define ROOMS_KERNELS_H

#include <stddef.h>
#include <stdio.h>

#include "locdet/plugin.h"

typedef locdet_point rooms_point;
typedef locdet_labeling rooms_labeling;
typedef locdet_component rooms_component;

#define ROOMS_MORPH_OPEN LOCDET_MORPH_OPEN
#define ROOMS_MORPH_CLOSE LOCDET_MORPH_CLOSE

typedef struct rooms_kernels {
    const locdet_kernels *table;
    int (*threshold)(const locdet_kernels *k, const locdet_image *src, const locdet_image *dst,
                     int thresh, bool invert);
    int (*otsu)(const locdet_kernels *k, const locdet_image *src, const locdet_image *dst,
                bool invert, int *thresh_out);
    int (*morph)(const locdet_kernels *k, locdet_morph_op op, const locdet_image *src,
                 const locdet_image *dst, int kw, int kh, int threads);
    int (*label)(const locdet_kernels *k, const locdet_image *binary, int connectivity,
                 int threads, locdet_labeling *out);
    void (*labeling_free)(locdet_labeling *l);
    int (*trace_label)(const locdet_kernels *k, const int32_t *labels, ptrdiff_t stride,
                       int width, int height, int32_t label, int bbox_left, int bbox_top,
                       locdet_point **pts, int *n);
    int (*approx_poly)(const locdet_point *in, int n, double epsilon, bool closed,
                       locdet_point **out, int *n_out);
    void (*points_free)(locdet_point *pts);
} rooms_kernels;

/* Fill k from the host, or say which entry point the host lacks. */
static inline bool rooms_kernels_get(const locdet_host_api *host, rooms_kernels *k, char *why,
                                     size_t why_size)
{
    const locdet_kernel_api *a = host->kernels;
#define ROOMS_NEED(field)                                                                          \
    if (!a || a->size < offsetof(locdet_kernel_api, field) + sizeof a->field || !a->field) {       \
        snprintf(why, why_size, "the host offers no kernel '%s' (host too old)", #field);          \
        return false;                                                                              \
    }
    ROOMS_NEED(threshold_binary)
    ROOMS_NEED(threshold_otsu)
    ROOMS_NEED(morph)
    ROOMS_NEED(label)
    ROOMS_NEED(labeling_free)
    ROOMS_NEED(trace_label)
    ROOMS_NEED(approx_poly)
    ROOMS_NEED(points_free)
#undef ROOMS_NEED
    *k = (rooms_kernels){a->table,          a->threshold_binary, a->threshold_otsu,
                         a->morph,          a->label,            a->labeling_free,
                         a->trace_label,    a->approx_poly,      a->points_free};
    return true;
}

#endif
