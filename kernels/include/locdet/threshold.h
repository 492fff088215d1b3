/* Threshold family: fixed threshold (binary, binary inverted). */
#ifndef LOCDET_THRESHOLD_H
#define LOCDET_THRESHOLD_H

#include "locdet/kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* dst = src > thresh ? 255 : 0 (inverted: src > thresh ? 0 : 255), as OpenCV
 * threshold(THRESH_BINARY / THRESH_BINARY_INV, maxval 255). thresh may be any
 * int: below 0 every pixel is above it, 255 and over none is. src and dst
 * have the same size; dst may equal src (in place) but must not partly
 * overlap it. Returns LOCDET_OK or LOCDET_ERR_INVALID. */
int locdet_threshold_binary(const locdet_kernels *k, const locdet_image *src,
                            const locdet_image *dst, int thresh, bool invert);

#ifdef __cplusplus
}
#endif

#endif
