/* Label family: connected-component labeling of a binary image, with the
 * statistics of every component gathered during labeling. */
#ifndef LOCDET_LABEL_H
#define LOCDET_LABEL_H

#include "locdet/kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One component (or the background, label 0), with OpenCV's meaning:
 * left/top/width/height as CC_STAT_LEFT/TOP/WIDTH/HEIGHT, area in pixels,
 * (cx, cy) the centroid = (sum of x) / area, (sum of y) / area.
 * The background row of an image with no background pixel is OpenCV's:
 * left -1, top INT32_MAX, width 0, height 0, area 0, cx = cy = NaN. */
typedef struct locdet_component {
    int32_t left, top, width, height;
    int64_t area;
    double cx, cy;
} locdet_component;

/* The result of locdet_label. labels[y * stride + x] is the label of pixel
 * (x, y): 0 for background, 1 .. count-1 for the components. stride is in
 * int32 elements (>= width). stats has count rows, row 0 the background. */
typedef struct locdet_labeling {
    int32_t *labels;
    ptrdiff_t stride;
    int width, height;
    int32_t count; /* including the background */
    locdet_component *stats;
} locdet_labeling;

/* Label the nonzero pixels of `binary` with 4- or 8-connectivity, as OpenCV
 * connectedComponentsWithStats(CV_32S): the same labels, the same numbering
 * and the same statistics (see docs/kernels-label.md):
 *   - 4-connectivity: components numbered in raster order of their first
 *     pixel;
 *   - 8-connectivity: numbered in raster order of their first 2x2 block
 *     (rows 2i..2i+1, columns 2j..2j+1), which is what OpenCV's block-based
 *     algorithm yields; a 2x2 block never holds two 8-components.
 * The output does not depend on `threads` (<= 0: locdet_default_threads()).
 * Allocates out->labels and out->stats; release with locdet_labeling_free.
 * Returns LOCDET_OK, LOCDET_ERR_INVALID (bad argument; *out zeroed),
 * LOCDET_ERR_NOMEM, or LOCDET_ERR_OVERFLOW when the image needs 2^31 - 1 or
 * more provisional labels (so labels would not fit in int32); on error *out
 * holds nothing to free. */
int locdet_label(const locdet_kernels *k, const locdet_image *binary, int connectivity,
                 int threads, locdet_labeling *out);

/* Free what locdet_label allocated and zero *l. Safe on a zeroed struct. */
void locdet_labeling_free(locdet_labeling *l);

#ifdef __cplusplus
}
#endif

#endif
