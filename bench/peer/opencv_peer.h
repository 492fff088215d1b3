/* OpenCV as a peer: a C face over the few OpenCV calls that bench/ and
 * tests/ compare against. Built only when OpenCV is found; never part of
 * locdet itself. All images are 8-bit single plane with a byte stride. */
#ifndef LOCDET_OPENCV_PEER_H
#define LOCDET_OPENCV_PEER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "opencv-4.6.0" */
const char *peer_opencv_version(void);
/* Keep OpenCV on one thread (the benchmark compares single-thread runs). */
void peer_opencv_set_threads(int n);

/* cv::threshold(THRESH_BINARY or THRESH_BINARY_INV, maxval 255). */
void peer_threshold_binary(const uint8_t *src, ptrdiff_t src_stride, uint8_t *dst,
                           ptrdiff_t dst_stride, int width, int height, double thresh, int invert);

/* ---- morph family ---- */
/* op: 0 erode, 1 dilate, 2 open, 3 close (locdet_morph_op), with
 * getStructuringElement(MORPH_RECT, {kw, kh}), default anchor and border:
 * cv::erode / cv::dilate / cv::morphologyEx. */
void peer_morph(int op, const uint8_t *src, ptrdiff_t src_stride, uint8_t *dst,
                ptrdiff_t dst_stride, int width, int height, int kw, int kh);

#ifdef __cplusplus
}
#endif

#endif
