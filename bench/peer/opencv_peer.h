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

/* ---- threshold family (Otsu, adaptive) and blur family ---- */
/* cv::threshold(THRESH_OTSU | THRESH_BINARY[_INV], maxval 255); returns the
 * level. dst may be NULL: only the level (OpenCV still writes a scratch). */
int peer_threshold_otsu(const uint8_t *src, ptrdiff_t src_stride, uint8_t *dst,
                        ptrdiff_t dst_stride, int width, int height, int invert);
/* cv::adaptiveThreshold(maxValue 255, ADAPTIVE_THRESH_MEAN_C or
 * ADAPTIVE_THRESH_GAUSSIAN_C, THRESH_BINARY[_INV], block, c). */
void peer_adaptive_threshold(const uint8_t *src, ptrdiff_t src_stride, uint8_t *dst,
                             ptrdiff_t dst_stride, int width, int height, int gaussian,
                             int invert, int block, double c);
/* The float mean adaptiveThreshold(ADAPTIVE_THRESH_GAUSSIAN_C) compares
 * with, before it is rounded: GaussianBlur(block x block, sigma 0) of the
 * image as CV_32F, BORDER_REPLICATE | BORDER_ISOLATED. mean holds
 * width * height floats, rows packed. */
void peer_adaptive_gaussian_mean(const uint8_t *src, ptrdiff_t src_stride, float *mean,
                                 int width, int height, int block);
/* cv::GaussianBlur(Size(5, 5), 0) with the default border. */
void peer_gaussian_blur5(const uint8_t *src, ptrdiff_t src_stride, uint8_t *dst,
                         ptrdiff_t dst_stride, int width, int height);

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

/* ---- host: the seed strategy's pipeline as the old system ran it -------
 * GaussianBlur 5x5 -> adaptiveThreshold(GAUSSIAN_C, BINARY_INV, 11, 2) ->
 * morphologyEx CLOSE then OPEN with a 3x3 rect -> findContours(RETR_CCOMP,
 * CHAIN_APPROX_SIMPLE) -> contours without parent, contourArea in
 * [min_area, max_area], approxPolyDP(0.01 * arcLength) with >= 4 vertices. */
typedef struct peer_seed_room {
    int bbox[4];         /* boundingRect of the contour: x0, y0, x1, y1 (exclusive) */
    double area;         /* contourArea of the contour */
    double confidence;   /* 0.7 * area / bbox area + 0.3 * max(0, 1 - 0.1 * (n - 4)) */
    int n;               /* vertices of the approxPolyDP polygon */
    int (*points)[2];    /* malloc'ed */
} peer_seed_room;
/* The rooms in contour order (*rooms malloc'ed); returns their count. */
int peer_seed_pipeline(const uint8_t *gray, ptrdiff_t stride, int width, int height,
                       double min_area, double max_area, peer_seed_room **rooms);
void peer_seed_free(peer_seed_room *rooms, int n);

#ifdef __cplusplus
}
#endif

#endif
