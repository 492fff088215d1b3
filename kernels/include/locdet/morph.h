/* Morphology family: erode, dilate, open and close of 8-bit images with a
 * rectangular structuring element, equal to OpenCV's erode / dilate /
 * morphologyEx with getStructuringElement(MORPH_RECT, {kw, kh}), the default
 * anchor and the default border. docs/kernels-morph.md has the details. */
#ifndef LOCDET_MORPH_H
#define LOCDET_MORPH_H

#include "locdet/kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum locdet_morph_op {
    LOCDET_MORPH_ERODE = 0,  /* minimum over the element */
    LOCDET_MORPH_DILATE = 1, /* maximum over the element */
    LOCDET_MORPH_OPEN = 2,   /* erode, then dilate with the same element */
    LOCDET_MORPH_CLOSE = 3,  /* dilate, then erode with the same element */
} locdet_morph_op;

/* dst(x, y) = min (erode) or max (dilate) of src over the columns
 * [x - kw/2, x - kw/2 + kw - 1] and rows [y - kh/2, y - kh/2 + kh - 1],
 * clipped to the image: pixels outside the image never win (OpenCV's anchor
 * (kw/2, kh/2), also for even sizes, and its default constant border of
 * +inf for erode, -inf for dilate). Any content works (binary 0/255 or
 * grayscale); the result is the same at every ISA level and thread count.
 *
 * kw, kh >= 1; an element larger than the image is allowed and gives the
 * min/max over the clipped window (a large enough one gives the min/max of
 * the whole image). kw or kh <= 0 returns LOCDET_ERR_INVALID.
 * src and dst have the same size. dst may be src (in place: costs one
 * temporary image-sized copy); a partial overlap is refused with
 * LOCDET_ERR_INVALID.
 * threads: the strips to run in parallel; 0 means locdet_default_threads(),
 * negative is LOCDET_ERR_INVALID.
 * Returns LOCDET_OK, LOCDET_ERR_INVALID or LOCDET_ERR_NOMEM (then dst is
 * unspecified). */
int locdet_morph(const locdet_kernels *k, locdet_morph_op op, const locdet_image *src,
                 const locdet_image *dst, int kw, int kh, int threads);

#ifdef __cplusplus
}
#endif

#endif
