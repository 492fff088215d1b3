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

/* ---- contour family ---------------------------------------------------- */
/* cv::findContours(RETR_CCOMP, CHAIN_APPROX_SIMPLE) flattened: contour i has
 * n[i] points, concatenated in xy (x, y pairs); hierarchy holds 4 ints per
 * contour (next, prev, first child, parent). Returns 0, or -1 if OpenCV threw
 * or memory ran out. Free with peer_contours_free. */
typedef struct peer_contours {
    int count;
    int *n;
    int32_t *xy;
    int32_t *hierarchy;
} peer_contours;
int peer_find_contours_ccomp(const uint8_t *src, ptrdiff_t stride, int width, int height,
                             peer_contours *out);
void peer_contours_free(peer_contours *c);
/* cv::approxPolyDP on n integer points (x, y pairs); *out is malloc'ed
 * (free()). Returns 0, or -1 if OpenCV threw. */
int peer_approx_poly_dp(const int32_t *xy, int n, double epsilon, int closed, int32_t **out,
                        int *n_out);
double peer_arc_length(const int32_t *xy, int n, int closed);
double peer_contour_area(const int32_t *xy, int n);
/* For the bench: findContours with every output built, then dropped.
 * Returns the number of contours. */
int peer_find_contours_count(const uint8_t *src, ptrdiff_t stride, int width, int height);
/* ---- label family ----
 * cv::connectedComponentsWithStats(connectivity 4 or 8, CV_32S). Returns the
 * label count (background included). When `labels` is not NULL the label
 * image is copied there (stride in int32 elements); when `stats` is not NULL
 * *stats gets count rows of {left, top, width, height, area} and *centroids
 * count rows of {cx, cy}, both malloc'd for the caller to free. With NULLs
 * only OpenCV's own work is done (the benchmark's timed call). */
int peer_connected_components(const uint8_t *src, ptrdiff_t src_stride, int width, int height,
                              int connectivity, int32_t *labels, ptrdiff_t label_stride,
                              int32_t **stats, double **centroids);

#ifdef __cplusplus
}
#endif

#endif
