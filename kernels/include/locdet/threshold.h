/* Threshold family: fixed threshold (binary, binary inverted), Otsu, and
 * adaptive thresholds (mean, Gaussian). Each matches its OpenCV 4.6
 * namesake pixel for pixel; docs/kernels-threshold.md has the details. */
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

/* Otsu's threshold, as OpenCV threshold(THRESH_OTSU | THRESH_BINARY[_INV]):
 * the histogram of src, then the level maximizing the between-class variance
 * (OpenCV's double arithmetic, same order, same tie rule: the first maximum).
 * *thresh_out (if not NULL) gets the level 0..255. If dst is not NULL it
 * gets locdet_threshold_binary(src, level, invert). dst may equal src. At
 * least one of dst and thresh_out must be given. src must hold fewer than
 * 2^32 pixels. Returns LOCDET_OK or LOCDET_ERR_INVALID. */
int locdet_threshold_otsu(const locdet_kernels *k, const locdet_image *src,
                          const locdet_image *dst, bool invert, int *thresh_out);

/* Largest block size the adaptive thresholds take. */
#define LOCDET_ADAPTIVE_MAX_BLOCK 2047

/* OpenCV adaptiveThreshold(maxValue 255, ADAPTIVE_THRESH_MEAN_C,
 * THRESH_BINARY or THRESH_BINARY_INV, block, c): the mean of the block x
 * block neighbourhood (replicated border, OpenCV's 8-bit rounding), then
 * dst = src - mean > -ceil(c) ? 255 : 0; inverted: src - mean <= -floor(c) ?
 * 255 : 0. block is odd, 3..LOCDET_ADAPTIVE_MAX_BLOCK, and may exceed the
 * image. The cost per pixel does not depend on block (running sums). dst may
 * equal src (a temporary copy is made) but not partly overlap it. Returns
 * LOCDET_OK, LOCDET_ERR_INVALID or LOCDET_ERR_NOMEM. */
int locdet_threshold_adaptive_mean(const locdet_kernels *k, const locdet_image *src,
                                   const locdet_image *dst, int block, double c,
                                   bool invert);

/* OpenCV adaptiveThreshold(..., ADAPTIVE_THRESH_GAUSSIAN_C, ...): the same
 * with the mean replaced by OpenCV's float GaussianBlur(block x block, sigma
 * 0 -> 0.3 * ((block - 1) / 2 - 1) + 0.8, replicated border) rounded to 8
 * bits. The cost per pixel grows with block. Arguments and returns as
 * locdet_threshold_adaptive_mean. */
int locdet_threshold_adaptive_gaussian(const locdet_kernels *k, const locdet_image *src,
                                       const locdet_image *dst, int block, double c,
                                       bool invert);

/* The adaptive Gaussian threshold in fixed point: about twice as fast as
 * locdet_threshold_adaptive_gaussian with AVX2, but not bit-identical to
 * OpenCV. The mean is the same Gaussian (OpenCV's taps quantized to Q16 per
 * axis, summing to exactly 1) in exact integers with one rounding per pass
 * (row sums to 1/64 gray, the mean to the nearest level, halves up); a flat
 * area's mean is exactly its value, at any block. Measured against OpenCV's
 * float mean on plangen plans, blocks 3..2047: within 0.024 gray before
 * rounding, at most 1 level after; outputs differ on at most 0.02% of the
 * pixels (none on the bench plan at block 11, C 2, inverted). See
 * docs/kernels-threshold.md. Arguments, errors and in-place use as
 * locdet_threshold_adaptive_gaussian. */
int locdet_threshold_adaptive_gaussian_fixed(const locdet_kernels *k, const locdet_image *src,
                                             const locdet_image *dst, int block, double c,
                                             bool invert);

#ifdef __cplusplus
}
#endif

#endif
