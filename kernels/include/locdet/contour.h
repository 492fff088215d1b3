/* Contour family: border following (Suzuki-Abe, as OpenCV findContours with
 * RETR_CCOMP and CHAIN_APPROX_SIMPLE), the outer boundary of one labeled
 * component, Douglas-Peucker simplification (as OpenCV approxPolyDP),
 * polygon area and perimeter.
 *
 * Points are pixel centres in image coordinates, origin top-left. A closed
 * chain lists each corner once; the closing edge from the last point back to
 * the first is implied. Contour following is sequential: this family is
 * scalar only (one table slot per tracer, recorded as "scalar"). */
#ifndef LOCDET_CONTOUR_H
#define LOCDET_CONTOUR_H

#include "locdet/kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct locdet_point {
    int32_t x, y;
} locdet_point;

/* Index names for locdet_contour.hierarchy (OpenCV's Vec4i order). */
enum {
    LOCDET_HIER_NEXT = 0,   /* next contour on the same level, or -1 */
    LOCDET_HIER_PREV = 1,   /* previous contour on the same level, or -1 */
    LOCDET_HIER_CHILD = 2,  /* first hole of an outer contour, or -1 */
    LOCDET_HIER_PARENT = 3, /* the outer contour a hole belongs to, or -1 */
};

typedef struct locdet_contour {
    locdet_point *points; /* n points, inside the set's storage */
    int n;
    int hierarchy[4];     /* next, prev, first child, parent: indices into the set */
    bool hole;            /* a hole border (level 1) rather than an outer border */
} locdet_contour;

typedef struct locdet_contour_set {
    locdet_contour *contours;
    int count;
    locdet_point *storage; /* one block holding the points of every contour */
    size_t point_count;
} locdet_contour_set;

/* Every border of the binary image (nonzero = foreground, 8-connected;
 * background 4-connected; outside the image is background), equal to
 *   cv::findContours(binary, contours, hierarchy, RETR_CCOMP, CHAIN_APPROX_SIMPLE)
 * in contour order, point order, start points and hierarchy. Two levels:
 * outer borders (parent -1) and holes (parent = the outer border of the
 * component around the hole); a component inside a hole is again an outer
 * border with no parent. The input is not modified. On success *out owns
 * its memory (free with locdet_contour_set_free); an image without
 * foreground gives count 0. Returns LOCDET_OK, LOCDET_ERR_INVALID,
 * LOCDET_ERR_NOMEM or LOCDET_ERR_OVERFLOW (more than INT_MAX points). */
int locdet_find_contours(const locdet_kernels *k, const locdet_image *binary,
                         locdet_contour_set *out);
void locdet_contour_set_free(locdet_contour_set *set);

/* The outer boundary of one component of an int32 label image: the pixels
 * equal to `label` (everything else, and outside the image, is background),
 * traced from the first pixel of row bbox_top at or right of bbox_left that
 * holds the label. Pass the top-left corner of the component's bounding box
 * (with labels in raster order of first pixel, that row holds its first
 * pixel). `stride` counts int32 elements. The chain is CHAIN_APPROX_SIMPLE
 * (corners only), equal to the outer contour findContours gives for the
 * binary image label == L when that is one component. *pts is malloc'ed
 * (free with locdet_points_free). No pixel of the label on row bbox_top at
 * or right of bbox_left is LOCDET_ERR_INVALID. */
int locdet_trace_label(const locdet_kernels *k, const int32_t *labels, ptrdiff_t stride,
                       int width, int height, int32_t label, int bbox_left, int bbox_top,
                       locdet_point **pts, int *n);

/* Outer boundary and holes of one label: every border of the binary image
 * label == L restricted to bbox = {x0, y0, x1, y1} (x1, y1 exclusive; it must
 * hold every pixel of the label), as locdet_find_contours gives them, in
 * image coordinates. For a connected label: contour 0 is the outer border
 * and the others are its holes. */
int locdet_trace_label_holes(const locdet_kernels *k, const int32_t *labels, ptrdiff_t stride,
                             int width, int height, int32_t label, const int bbox[4],
                             locdet_contour_set *out);

/* Douglas-Peucker simplification, equal to cv::approxPolyDP(in, out, epsilon,
 * closed) of OpenCV 4.6 on integer points, including its start point for
 * closed curves (the end of a 3-round farthest-point search) and its
 * final pass that drops near-collinear vertices. epsilon in pixels, >= 0
 * and finite. n == 0 gives *out NULL and *n_out 0. *out is malloc'ed (free
 * with locdet_points_free). */
int locdet_approx_poly(const locdet_point *in, int n, double epsilon, bool closed,
                       locdet_point **out, int *n_out);
/* fraction * arcLength(closed curve): the usual epsilon, e.g. 0.01. */
double locdet_approx_epsilon(const locdet_point *pts, int n, double fraction);

/* |shoelace area| of the closed polygon, as cv::contourArea (not oriented).
 * A pixel-centre polygon: a w x h filled rectangle gives (w-1)*(h-1). */
double locdet_contour_area(const locdet_point *pts, int n);
/* Perimeter, as cv::arcLength (float steps summed in double); closed adds
 * the edge from the last point to the first. */
double locdet_arc_length(const locdet_point *pts, int n, bool closed);

void locdet_points_free(locdet_point *pts);

#ifdef __cplusplus
}
#endif

#endif
