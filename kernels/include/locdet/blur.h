/* Blur family: the 5x5 Gaussian blur the old system ran before thresholding. */
#ifndef LOCDET_BLUR_H
#define LOCDET_BLUR_H

#include "locdet/kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* OpenCV GaussianBlur(src, dst, Size(5, 5), 0) on 8 bits, pixel for pixel:
 * taps 1 4 6 4 1 (sigma 0 -> 1.1 gives exactly these in OpenCV's fixed-point
 * path), BORDER_REFLECT_101, out = (sum + 128) >> 8. Any size from 1x1. dst
 * has src's size; it may equal src (a temporary copy is made) but not partly
 * overlap it. Returns LOCDET_OK, LOCDET_ERR_INVALID or LOCDET_ERR_NOMEM. */
int locdet_blur_gaussian5(const locdet_kernels *k, const locdet_image *src,
                          const locdet_image *dst);

#ifdef __cplusplus
}
#endif

#endif
