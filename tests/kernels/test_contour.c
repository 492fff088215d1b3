/* Contour family semantics: hand cases with known answers (derived by
 * following the rules in kernels/scalar/contour.c by hand), the label tracer
 * against the binary tracer, areas of rectangles, approxPolyDP on known
 * curves, argument errors. OpenCV equality is in test_opencv_contour.c. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "locdet/kernels.h"

static const locdet_kernels *kernels(void)
{
    const locdet_kernels *k = locdet_kernels_default();
    cr_assert_not_null(k);
    return k;
}

/* Parse an ASCII picture: '#' is ink (255), anything else paper. */
static locdet_image picture(const char *rows[], int h)
{
    int w = (int)strlen(rows[0]);
    uint8_t *d = malloc((size_t)w * (size_t)h + 1);
    cr_assert_not_null(d);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            d[y * w + x] = rows[y][x] == '#' ? 255 : 0;
    return (locdet_image){d, w, h, w};
}

static void find(const locdet_image *img, locdet_contour_set *s)
{
    cr_assert_eq(locdet_find_contours(kernels(), img, s), LOCDET_OK);
}

static void expect_points(const locdet_contour *c, const locdet_point *want, int n)
{
    cr_assert_eq(c->n, n, "%d points, want %d", c->n, n);
    for (int i = 0; i < n; i++)
        cr_assert(c->points[i].x == want[i].x && c->points[i].y == want[i].y,
                  "point %d: (%d,%d), want (%d,%d)", i, c->points[i].x, c->points[i].y, want[i].x,
                  want[i].y);
}

static void expect_hier(const locdet_contour *c, int next, int prev, int child, int parent)
{
    cr_assert(c->hierarchy[0] == next && c->hierarchy[1] == prev && c->hierarchy[2] == child &&
                  c->hierarchy[3] == parent,
              "hierarchy (%d,%d,%d,%d), want (%d,%d,%d,%d)", c->hierarchy[0], c->hierarchy[1],
              c->hierarchy[2], c->hierarchy[3], next, prev, child, parent);
}

Test(find_contours, single_pixel)
{
    const char *rows[] = {".....", ".....", ".....", "..#..", "....."};
    locdet_image img = picture(rows, 5);
    locdet_contour_set s;
    find(&img, &s);
    cr_assert_eq(s.count, 1);
    expect_points(&s.contours[0], (locdet_point[]){{2, 3}}, 1);
    expect_hier(&s.contours[0], -1, -1, -1, -1);
    cr_assert(!s.contours[0].hole);
    locdet_contour_set_free(&s);
    free(img.data);
}

Test(find_contours, one_pixel_lines)
{
    const char *h_rows[] = {".......", ".......", ".#####.", "......."};
    locdet_image img = picture(h_rows, 4);
    locdet_contour_set s;
    find(&img, &s);
    cr_assert_eq(s.count, 1);
    expect_points(&s.contours[0], (locdet_point[]){{1, 2}, {5, 2}}, 2);
    locdet_contour_set_free(&s);
    free(img.data);

    const char *v_rows[] = {"...", "..#", "..#", "..#", "..#"};
    img = picture(v_rows, 5);
    find(&img, &s);
    cr_assert_eq(s.count, 1);
    expect_points(&s.contours[0], (locdet_point[]){{2, 1}, {2, 4}}, 2);
    locdet_contour_set_free(&s);
    free(img.data);
}

Test(find_contours, diagonal_line_and_staircase)
{
    const char *rows[] = {"#....", ".#...", "..#..", "...#.", "....#"};
    locdet_image img = picture(rows, 5);
    locdet_contour_set s;
    find(&img, &s);
    cr_assert_eq(s.count, 1);
    expect_points(&s.contours[0], (locdet_point[]){{0, 0}, {4, 4}}, 2);
    locdet_contour_set_free(&s);
    free(img.data);

    /* A 4-connected staircase: one component, no hole, corners only. */
    const char *stairs[] = {"##...", ".##..", "..##.", "...##"};
    img = picture(stairs, 4);
    find(&img, &s);
    cr_assert_eq(s.count, 1);
    expect_points(&s.contours[0],
                  (locdet_point[]){{0, 0}, {3, 3}, {4, 3}, {1, 0}}, 4);
    locdet_contour_set_free(&s);
    free(img.data);
}

Test(find_contours, rectangle_counter_clockwise_from_top_left)
{
    const char *rows[] = {"......", ".####.", ".####.", ".####.", "......"};
    locdet_image img = picture(rows, 5);
    locdet_contour_set s;
    find(&img, &s);
    cr_assert_eq(s.count, 1);
    expect_points(&s.contours[0], (locdet_point[]){{1, 1}, {1, 3}, {4, 3}, {4, 1}}, 4);
    expect_hier(&s.contours[0], -1, -1, -1, -1);
    cr_assert_float_eq(locdet_contour_area(s.contours[0].points, 4), 6.0, 0.0);
    cr_assert_float_eq(locdet_arc_length(s.contours[0].points, 4, true), 10.0, 0.0);
    cr_assert_float_eq(locdet_arc_length(s.contours[0].points, 4, false), 7.0, 0.0);
    locdet_contour_set_free(&s);
    free(img.data);
}

Test(find_contours, ring_with_hole)
{
    const char *rows[] = {"#######", "#######", "##...##", "##...##",
                          "##...##", "#######", "#######"};
    locdet_image img = picture(rows, 7);
    locdet_contour_set s;
    find(&img, &s);
    cr_assert_eq(s.count, 2);
    expect_points(&s.contours[0], (locdet_point[]){{0, 0}, {0, 6}, {6, 6}, {6, 0}}, 4);
    expect_hier(&s.contours[0], -1, -1, 1, -1);
    cr_assert(!s.contours[0].hole);
    /* A hole starts at the ink pixel left of its first paper pixel and runs
     * clockwise, cutting the ring's inner corners diagonally. */
    expect_points(&s.contours[1],
                  (locdet_point[]){{1, 2}, {2, 1}, {4, 1}, {5, 2}, {5, 4}, {4, 5}, {2, 5}, {1, 4}},
                  8);
    expect_hier(&s.contours[1], -1, -1, -1, 0);
    cr_assert(s.contours[1].hole);
    cr_assert_float_eq(locdet_contour_area(s.contours[1].points, 8), 14.0, 0.0);
    locdet_contour_set_free(&s);
    free(img.data);
}

Test(find_contours, island_in_a_hole_is_top_level)
{
    const char *rows[] = {"##########", "##########", "##......##", "##......##",
                          "##..##..##", "##..##..##", "##......##", "##......##",
                          "##########", "##########"};
    locdet_image img = picture(rows, 10);
    locdet_contour_set s;
    find(&img, &s);
    cr_assert_eq(s.count, 3);
    /* Outer borders newest first, each followed by its holes. */
    expect_points(&s.contours[0], (locdet_point[]){{4, 4}, {4, 5}, {5, 5}, {5, 4}}, 4);
    expect_hier(&s.contours[0], 1, -1, -1, -1);
    expect_points(&s.contours[1], (locdet_point[]){{0, 0}, {0, 9}, {9, 9}, {9, 0}}, 4);
    expect_hier(&s.contours[1], -1, 0, 2, -1);
    cr_assert(s.contours[2].hole);
    expect_hier(&s.contours[2], -1, -1, -1, 1);
    locdet_contour_set_free(&s);
    free(img.data);
}

Test(find_contours, u_shape)
{
    const char *rows[] = {"#...#", "#...#", "#...#", "#####"};
    locdet_image img = picture(rows, 4);
    locdet_contour_set s;
    find(&img, &s);
    cr_assert_eq(s.count, 1);
    expect_points(&s.contours[0],
                  (locdet_point[]){{0, 0}, {0, 3}, {4, 3}, {4, 0}, {4, 2}, {3, 3}, {1, 3}, {0, 2}},
                  8);
    locdet_contour_set_free(&s);
    free(img.data);
}

/* Every point of the chain's pixel path is ink, and every ink pixel of a
 * 1-pixel-wide shape lies on it. */
static void expect_path_covers_ink(const locdet_image *img, const locdet_contour *c)
{
    uint8_t *seen = calloc((size_t)img->width * (size_t)img->height, 1);
    cr_assert_not_null(seen);
    for (int i = 0; i < c->n; i++) {
        locdet_point a = c->points[i], b = c->points[(i + 1) % c->n];
        int dx = (b.x > a.x) - (b.x < a.x), dy = (b.y > a.y) - (b.y < a.y);
        for (locdet_point p = a;; p.x += dx, p.y += dy) {
            cr_assert(p.x >= 0 && p.y >= 0 && p.x < img->width && p.y < img->height);
            cr_assert(img->data[p.y * img->stride + p.x], "(%d,%d) is paper", p.x, p.y);
            seen[p.y * img->width + p.x] = 1;
            if (p.x == b.x && p.y == b.y)
                break;
        }
    }
    for (int y = 0; y < img->height; y++)
        for (int x = 0; x < img->width; x++)
            cr_assert(!img->data[y * img->stride + x] || seen[y * img->width + x],
                      "ink (%d,%d) not on the border", x, y);
    free(seen);
}

Test(find_contours, spiral)
{
    const char *rows[] = {"###########", "..........#", "#########.#", "#.......#.#",
                          "#.#####.#.#", "#.#...#.#.#", "#.#.#.#.#.#", "#.#.###.#.#",
                          "#.#.....#.#", "#.#######.#", "#.........#", "###########"};
    locdet_image img = picture(rows, 12);
    locdet_contour_set s;
    find(&img, &s);
    cr_assert_eq(s.count, 1, "a spiral is one component without holes, got %d", s.count);
    expect_path_covers_ink(&img, &s.contours[0]);
    locdet_contour_set_free(&s);
    free(img.data);
}

Test(find_contours, touching_the_border_and_full_image)
{
    const char *rows[] = {"####", "####", "####"};
    locdet_image img = picture(rows, 3);
    locdet_contour_set s;
    find(&img, &s);
    cr_assert_eq(s.count, 1);
    expect_points(&s.contours[0], (locdet_point[]){{0, 0}, {0, 2}, {3, 2}, {3, 0}}, 4);
    locdet_contour_set_free(&s);
    free(img.data);

    const char *edge[] = {"..#", "..#", "###"};
    img = picture(edge, 3);
    find(&img, &s);
    cr_assert_eq(s.count, 1);
    /* from (2,1) the counter-clockwise search meets (1,2) before (2,2) */
    expect_points(&s.contours[0], (locdet_point[]){{2, 0}, {2, 1}, {1, 2}, {0, 2}, {2, 2}}, 5);
    locdet_contour_set_free(&s);
    free(img.data);
}

Test(find_contours, empty_and_one_by_one)
{
    uint8_t zero[12] = {0};
    locdet_image img = {zero, 4, 3, 4};
    locdet_contour_set s;
    find(&img, &s);
    cr_assert_eq(s.count, 0);
    cr_assert_null(s.contours);
    locdet_contour_set_free(&s);

    uint8_t one = 1; /* any nonzero byte is ink */
    img = (locdet_image){&one, 1, 1, 1};
    find(&img, &s);
    cr_assert_eq(s.count, 1);
    expect_points(&s.contours[0], (locdet_point[]){{0, 0}}, 1);
    locdet_contour_set_free(&s);
    one = 0;
    find(&img, &s);
    cr_assert_eq(s.count, 0);
    locdet_contour_set_free(&s);
}

Test(find_contours, checkerboard)
{
    /* Diagonal neighbours join the ink into one component; each paper pixel
     * not on the image edge is its own 4-connected hole. */
    const char *rows[] = {"#.#.#.", ".#.#.#", "#.#.#.", ".#.#.#", "#.#.#."};
    locdet_image img = picture(rows, 5);
    locdet_contour_set s;
    find(&img, &s);
    int outer = 0, holes = 0;
    for (int i = 0; i < s.count; i++) {
        if (s.contours[i].hole) {
            holes++;
            cr_assert_eq(s.contours[i].hierarchy[LOCDET_HIER_PARENT], 0);
            cr_assert_eq(s.contours[i].n, 4);
        } else {
            outer++;
        }
    }
    cr_assert_eq(outer, 1);
    cr_assert_eq(holes, 6);
    locdet_contour_set_free(&s);
    free(img.data);
}

Test(find_contours, stride_and_padding_are_respected)
{
    /* Ink in the padding bytes beyond the width must be ignored. */
    uint8_t buf[3 * 7];
    memset(buf, 255, sizeof buf);
    for (int y = 0; y < 3; y++)
        memset(buf + y * 7, 0, 4);
    buf[1 * 7 + 1] = buf[1 * 7 + 2] = 255;
    locdet_image img = {buf, 4, 3, 7};
    uint8_t before[sizeof buf];
    memcpy(before, buf, sizeof buf);
    locdet_contour_set s;
    find(&img, &s);
    cr_assert_eq(s.count, 1);
    expect_points(&s.contours[0], (locdet_point[]){{1, 1}, {2, 1}}, 2);
    cr_assert_arr_eq(buf, before, sizeof buf, "the input was modified");
    locdet_contour_set_free(&s);
}

Test(contour_area, rectangles_match_pixel_counts)
{
    /* A filled w x h block traced through pixel centres encloses (w-1)(h-1)
     * and has perimeter 2(w-1 + h-1). */
    for (int w = 1; w <= 9; w++) {
        for (int h = 1; h <= 7; h++) {
            int W = w + 4, H = h + 3;
            uint8_t *d = calloc((size_t)W * (size_t)H, 1);
            cr_assert_not_null(d);
            for (int y = 0; y < h; y++)
                memset(d + (y + 1) * W + 2, 255, (size_t)w);
            locdet_image img = {d, W, H, W};
            locdet_contour_set s;
            find(&img, &s);
            cr_assert_eq(s.count, 1);
            double a = locdet_contour_area(s.contours[0].points, s.contours[0].n);
            cr_assert_float_eq(a, (double)(w - 1) * (h - 1), 0.0, "%dx%d: area %g", w, h, a);
            double p = locdet_arc_length(s.contours[0].points, s.contours[0].n, true);
            double want_p = 2.0 * (w - 1 + h - 1);
            cr_assert_float_eq(p, want_p, 0.0, "%dx%d: perimeter %g", w, h, p);
            locdet_contour_set_free(&s);
            free(d);
        }
    }
}

/* ---- the label tracer -------------------------------------------------- */

/* Flood the 8-connected component of (sx, sy) in a random picture and give
 * it label L; give every other pixel a random other label (0 included). */
static int32_t *one_component_labels(uint32_t seed, int *w_out, int *h_out, int bbox[4],
                                     int32_t L)
{
    uint32_t r = seed * 2654435761u + 17;
#define RND() (r ^= r << 13, r ^= r >> 17, r ^= r << 5, r)
    int w = 1 + (int)(RND() % 60), h = 1 + (int)(RND() % 50);
    int pct = 35 + (int)(RND() % 40);
    uint8_t *ink = malloc((size_t)w * (size_t)h);
    int32_t *lab = malloc((size_t)w * (size_t)h * sizeof *lab);
    int *stack = malloc((size_t)w * (size_t)h * sizeof *stack);
    cr_assert(ink && lab && stack);
    for (int i = 0; i < w * h; i++) {
        ink[i] = (int)(RND() % 100) < pct;
        int32_t other = (int32_t)(RND() % 5);
        lab[i] = other == L ? 0 : other;
    }
    int start = (int)(RND() % (uint32_t)(w * h));
    ink[start] = 1;
    int top = 0;
    stack[top++] = start;
    ink[start] = 2;
    bbox[0] = w, bbox[1] = h, bbox[2] = 0, bbox[3] = 0;
    while (top) {
        int p = stack[--top], x = p % w, y = p / w;
        lab[p] = L;
        if (x < bbox[0]) bbox[0] = x;
        if (y < bbox[1]) bbox[1] = y;
        if (x + 1 > bbox[2]) bbox[2] = x + 1;
        if (y + 1 > bbox[3]) bbox[3] = y + 1;
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++) {
                int nx = x + dx, ny = y + dy;
                if (nx >= 0 && ny >= 0 && nx < w && ny < h && ink[ny * w + nx] == 1) {
                    ink[ny * w + nx] = 2;
                    stack[top++] = ny * w + nx;
                }
            }
    }
#undef RND
    free(ink), free(stack);
    *w_out = w, *h_out = h;
    return lab;
}

Test(trace_label, equals_the_binary_tracer_on_single_components)
{
    const int32_t L = 3;
    for (uint32_t seed = 1; seed <= 400; seed++) {
        int w, h, bbox[4];
        int32_t *lab = one_component_labels(seed, &w, &h, bbox, L);
        uint8_t *bin = malloc((size_t)w * (size_t)h);
        cr_assert_not_null(bin);
        for (int i = 0; i < w * h; i++)
            bin[i] = lab[i] == L ? 255 : 0;
        locdet_image img = {bin, w, h, w};
        locdet_contour_set all;
        find(&img, &all);
        int outer = -1;
        for (int i = 0; i < all.count; i++)
            if (!all.contours[i].hole) {
                cr_assert_eq(outer, -1, "seed %u: more than one component", seed);
                outer = i;
            }
        cr_assert_geq(outer, 0);

        locdet_point *pts;
        int n;
        cr_assert_eq(locdet_trace_label(kernels(), lab, w, w, h, L, bbox[0], bbox[1], &pts, &n),
                     LOCDET_OK, "seed %u", seed);
        cr_assert_eq(n, all.contours[outer].n, "seed %u: %d points, binary tracer %d", seed, n,
                     all.contours[outer].n);
        cr_assert_arr_eq(pts, all.contours[outer].points, (size_t)n * sizeof *pts, "seed %u", seed);
        locdet_points_free(pts);

        /* With holes: the whole set, equal to the binary tracer's. */
        locdet_contour_set one;
        cr_assert_eq(locdet_trace_label_holes(kernels(), lab, w, w, h, L, bbox, &one), LOCDET_OK);
        cr_assert_eq(one.count, all.count, "seed %u", seed);
        for (int i = 0; i < one.count; i++) {
            cr_assert_eq(one.contours[i].n, all.contours[i].n);
            cr_assert_arr_eq(one.contours[i].points, all.contours[i].points,
                             (size_t)one.contours[i].n * sizeof(locdet_point), "seed %u", seed);
            cr_assert_arr_eq(one.contours[i].hierarchy, all.contours[i].hierarchy,
                             sizeof one.contours[i].hierarchy);
        }
        locdet_contour_set_free(&one);
        locdet_contour_set_free(&all);
        free(bin), free(lab);
    }
}

Test(trace_label, stride_in_elements_and_other_labels_around)
{
    /* Label 2 is a 3x2 block hemmed in by label 1 and 5, in a 5x4 image with
     * a row stride of 8 int32 (the 3 spare elements hold label 2 too, which
     * must not leak into the trace). */
    int32_t lab[4 * 8];
    for (int i = 0; i < 32; i++)
        lab[i] = 2;
    const int32_t img[4][5] = {{1, 1, 1, 1, 1}, {1, 2, 2, 2, 5}, {1, 2, 2, 2, 5}, {5, 5, 5, 5, 5}};
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 5; x++)
            lab[y * 8 + x] = img[y][x];
    locdet_point *pts;
    int n;
    cr_assert_eq(locdet_trace_label(kernels(), lab, 8, 5, 4, 2, 1, 1, &pts, &n), LOCDET_OK);
    locdet_point want[] = {{1, 1}, {1, 2}, {3, 2}, {3, 1}};
    cr_assert_eq(n, 4);
    cr_assert_arr_eq(pts, want, sizeof want);
    locdet_points_free(pts);
    /* An L along the image's right and bottom edges: outside is background. */
    cr_assert_eq(locdet_trace_label(kernels(), lab, 8, 5, 4, 5, 0, 1, &pts, &n), LOCDET_OK);
    locdet_point want5[] = {{4, 1}, {4, 2}, {3, 3}, {0, 3}, {4, 3}};
    cr_assert_eq(n, 5, "%d points", n);
    cr_assert_arr_eq(pts, want5, sizeof want5);
    locdet_points_free(pts);
}

Test(trace_label, bad_arguments_are_refused)
{
    int32_t lab[6] = {0, 1, 1, 0, 1, 0};
    const locdet_kernels *k = kernels();
    locdet_point *pts = (locdet_point *)1;
    int n = 7;
    cr_assert_eq(locdet_trace_label(NULL, lab, 3, 3, 2, 1, 0, 0, &pts, &n), LOCDET_ERR_INVALID);
    cr_assert_null(pts);
    cr_assert_eq(n, 0);
    cr_assert_eq(locdet_trace_label(k, NULL, 3, 3, 2, 1, 0, 0, &pts, &n), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_trace_label(k, lab, 2, 3, 2, 1, 0, 0, &pts, &n), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_trace_label(k, lab, 3, 0, 2, 1, 0, 0, &pts, &n), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_trace_label(k, lab, 3, 3, 2, 1, 3, 0, &pts, &n), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_trace_label(k, lab, 3, 3, 2, 1, 0, -1, &pts, &n), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_trace_label(k, lab, 3, 3, 2, 1, 0, 0, NULL, &n), LOCDET_ERR_INVALID);
    /* no pixel of the label on the given row from the given column on */
    cr_assert_eq(locdet_trace_label(k, lab, 3, 3, 2, 1, 0, 1, &pts, &n), LOCDET_OK);
    locdet_points_free(pts);
    cr_assert_eq(locdet_trace_label(k, lab, 3, 3, 2, 1, 2, 1, &pts, &n), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_trace_label(k, lab, 3, 3, 2, 9, 0, 0, &pts, &n), LOCDET_ERR_INVALID);
    locdet_contour_set s;
    int bad_box[4] = {0, 0, 4, 2};
    cr_assert_eq(locdet_trace_label_holes(k, lab, 3, 3, 2, 1, bad_box, &s), LOCDET_ERR_INVALID);
    int empty_box[4] = {1, 0, 1, 2};
    cr_assert_eq(locdet_trace_label_holes(k, lab, 3, 3, 2, 1, empty_box, &s), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_trace_label_holes(k, lab, 3, 3, 2, 1, NULL, &s), LOCDET_ERR_INVALID);
}

/* ---- approxPolyDP ------------------------------------------------------ */

static void approx(const locdet_point *in, int n, double eps, bool closed, locdet_point **out,
                   int *m)
{
    cr_assert_eq(locdet_approx_poly(in, n, eps, closed, out, m), LOCDET_OK);
}

Test(approx_poly, full_rectangle_chain_keeps_the_corners)
{
    locdet_point chain[] = {{0, 0}, {0, 1}, {0, 2}, {0, 3}, {1, 3}, {2, 3}, {3, 3},
                            {4, 3}, {4, 2}, {4, 1}, {4, 0}, {3, 0}, {2, 0}, {1, 0}};
    locdet_point *out;
    int m;
    approx(chain, 14, 1.0, true, &out, &m);
    locdet_point want[] = {{0, 0}, {0, 3}, {4, 3}, {4, 0}};
    cr_assert_eq(m, 4);
    cr_assert_arr_eq(out, want, sizeof want);
    locdet_points_free(out);
    approx(want, 4, 0.0, true, &out, &m);
    cr_assert_eq(m, 4);
    cr_assert_arr_eq(out, want, sizeof want);
    locdet_points_free(out);
}

Test(approx_poly, closed_curve_starts_where_the_farthest_point_search_ends)
{
    /* Three rounds of "farthest point from the start": P0 -> P2 -> P1 -> P3,
     * so the output starts at P1, not at the input's first point. */
    locdet_point p[] = {{5, 5}, {0, 0}, {20, 0}, {20, 10}};
    locdet_point *out;
    int m;
    /* All points within epsilon of the start: that start alone. */
    approx(p, 4, 100.0, true, &out, &m);
    cr_assert_eq(m, 1);
    cr_assert(out[0].x == 0 && out[0].y == 0);
    locdet_points_free(out);
    approx(p, 4, 15.0, true, &out, &m);
    locdet_point want_coarse[] = {{0, 0}, {20, 10}};
    cr_assert_eq(m, 2);
    cr_assert_arr_eq(out, want_coarse, sizeof want_coarse);
    locdet_points_free(out);
    approx(p, 4, 1.0, true, &out, &m);
    locdet_point want_fine[] = {{0, 0}, {20, 0}, {20, 10}, {5, 5}};
    cr_assert_eq(m, 4);
    cr_assert_arr_eq(out, want_fine, sizeof want_fine);
    locdet_points_free(out);
}

Test(approx_poly, open_polyline)
{
    locdet_point p[] = {{0, 0}, {5, 1}, {10, 0}};
    locdet_point *out;
    int m;
    approx(p, 3, 2.0, false, &out, &m);
    locdet_point want[] = {{0, 0}, {10, 0}};
    cr_assert_eq(m, 2);
    cr_assert_arr_eq(out, want, sizeof want);
    locdet_points_free(out);
    approx(p, 3, 0.5, false, &out, &m);
    cr_assert_eq(m, 3);
    cr_assert_arr_eq(out, p, sizeof p);
    locdet_points_free(out);
    /* A single point, and no points. */
    approx(p, 1, 1.0, false, &out, &m);
    cr_assert_eq(m, 1);
    cr_assert(out[0].x == 0 && out[0].y == 0);
    locdet_points_free(out);
    approx(p, 0, 1.0, true, &out, &m);
    cr_assert_eq(m, 0);
    cr_assert_null(out);
}

Test(approx_poly, epsilon_as_a_fraction_of_the_perimeter)
{
    locdet_point sq[] = {{0, 0}, {0, 10}, {10, 10}, {10, 0}};
    cr_assert_float_eq(locdet_approx_epsilon(sq, 4, 0.01), 0.4, 1e-12);
    cr_assert_float_eq(locdet_arc_length(sq, 1, true), 0.0, 0.0);
    cr_assert_float_eq(locdet_contour_area(sq, 4), 100.0, 0.0);
    locdet_point tri[] = {{0, 0}, {3, 0}, {0, 4}};
    cr_assert_float_eq(locdet_arc_length(tri, 3, true), 12.0, 0.0);
    cr_assert_float_eq(locdet_contour_area(tri, 3), 6.0, 0.0);
}

Test(approx_poly, bad_arguments_are_refused)
{
    locdet_point p[] = {{0, 0}, {1, 1}};
    locdet_point *out;
    int m;
    cr_assert_eq(locdet_approx_poly(p, 2, -1.0, true, &out, &m), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_approx_poly(p, 2, NAN, true, &out, &m), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_approx_poly(p, 2, 1e30, true, &out, &m), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_approx_poly(p, -1, 1.0, true, &out, &m), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_approx_poly(NULL, 2, 1.0, true, &out, &m), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_approx_poly(p, 2, 1.0, true, NULL, &m), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_approx_poly(p, 2, 1.0, true, &out, NULL), LOCDET_ERR_INVALID);
}

Test(find_contours, bad_arguments_are_refused)
{
    uint8_t buf[16] = {0};
    const locdet_kernels *k = kernels();
    locdet_image img = {buf, 4, 4, 4};
    locdet_contour_set s;
    cr_assert_eq(locdet_find_contours(NULL, &img, &s), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_find_contours(k, NULL, &s), LOCDET_ERR_INVALID);
    cr_assert_eq(locdet_find_contours(k, &img, NULL), LOCDET_ERR_INVALID);
    locdet_image bad[] = {{NULL, 4, 4, 4}, {buf, 0, 4, 4}, {buf, 4, 0, 4}, {buf, 4, 4, 3},
                          {buf, -1, 4, 4}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(locdet_find_contours(k, &bad[i], &s), LOCDET_ERR_INVALID, "case %zu", i);
        cr_assert_eq(s.count, 0);
        cr_assert_null(s.contours);
    }
    locdet_contour_set_free(&s);
    locdet_contour_set_free(NULL);
}

static void visit(void *ctx, const char *slot, const char *variant)
{
    if (strcmp(slot, "contour.trace") == 0 && strcmp(variant, "scalar") == 0)
        ++*(int *)ctx;
}

Test(find_contours, every_level_lists_the_scalar_slot)
{
    for (int isa = 0; isa < LOCDET_ISA_COUNT; isa++) {
        const locdet_kernels *t = locdet_kernels_for_isa((locdet_isa)isa);
        if (!t)
            continue;
        int seen = 0;
        locdet_kernels_describe(t, visit, &seen);
        cr_assert_eq(seen, 1, "%s", locdet_isa_name((locdet_isa)isa));
        const char *rows[] = {"###.", "#.#.", "###."};
        locdet_image img = picture(rows, 3);
        locdet_contour_set s;
        cr_assert_eq(locdet_find_contours(t, &img, &s), LOCDET_OK);
        cr_assert_eq(s.count, 2);
        locdet_contour_set_free(&s);
        free(img.data);
    }
}
