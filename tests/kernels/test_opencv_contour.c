/* Contour family against OpenCV 4.6: findContours(RETR_CCOMP,
 * CHAIN_APPROX_SIMPLE) contour for contour, point for point, hierarchy
 * included; approxPolyDP, arcLength and contourArea on every contour; and
 * the seed strategy's contour step. Inputs: random blob images, noise,
 * plan-like images. The seed of each failing image is in the message. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "locdet/kernels.h"
#include "opencv_peer.h"

static uint32_t rng;
static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}
static int rand_range(int lo, int hi)
{
    return lo + (int)(next_rand() % (uint32_t)(hi - lo + 1));
}

typedef struct test_image {
    locdet_image img;
    uint8_t *alloc;
} test_image;

/* An image with an odd stride and padding bytes that must not matter. */
static test_image image_new(int w, int h)
{
    test_image t;
    ptrdiff_t stride = w + rand_range(0, 9);
    t.alloc = malloc((size_t)stride * (size_t)h);
    cr_assert_not_null(t.alloc);
    for (ptrdiff_t i = 0; i < stride * h; i++)
        t.alloc[i] = (uint8_t)(next_rand() | 1); /* garbage in the padding */
    for (int y = 0; y < h; y++)
        memset(t.alloc + y * stride, 0, (size_t)w);
    t.img = (locdet_image){t.alloc, w, h, stride};
    return t;
}

static void put(locdet_image *im, int x, int y, uint8_t v)
{
    if (x >= 0 && y >= 0 && x < im->width && y < im->height)
        im->data[y * im->stride + x] = v;
}

static void fill_rect(locdet_image *im, int x0, int y0, int x1, int y1, uint8_t v)
{
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            put(im, x, y, v);
}

static void fill_ellipse(locdet_image *im, int cx, int cy, int rx, int ry, uint8_t v)
{
    for (int y = cy - ry; y <= cy + ry; y++)
        for (int x = cx - rx; x <= cx + rx; x++) {
            double u = (double)(x - cx) / (rx + 0.5), w = (double)(y - cy) / (ry + 0.5);
            if (u * u + w * w <= 1.0)
                put(im, x, y, v);
        }
}

static void draw_line(locdet_image *im, int x0, int y0, int x1, int y1, int thick, uint8_t v)
{
    int dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    for (;;) {
        fill_rect(im, x0, y0, x0 + thick, y0 + thick, v);
        if (x0 == x1 && y0 == y1)
            break;
        int e2 = 2 * err;
        if (e2 >= dy)
            err += dy, x0 += sx;
        if (e2 <= dx)
            err += dx, y0 += sy;
    }
}

/* Blobs: nested ellipses and rectangles of ink and paper, specks, and
 * sometimes noise, so holes, islands in holes, touching borders, 1-pixel
 * bridges and single pixels all occur. */
static test_image blob_image(uint32_t seed)
{
    rng = seed * 2654435761u + 1;
    int w = rand_range(1, 160), h = rand_range(1, 120);
    test_image t = image_new(w, h);
    int shapes = rand_range(0, 25);
    for (int i = 0; i < shapes; i++) {
        uint8_t v = (next_rand() & 3) ? 255 : 0;
        if (i == 0)
            v = 255;
        int cx = rand_range(-5, w + 5), cy = rand_range(-5, h + 5);
        int rx = rand_range(0, w / 2 + 1), ry = rand_range(0, h / 2 + 1);
        if (next_rand() & 1)
            fill_ellipse(&t.img, cx, cy, rx, ry, v);
        else
            fill_rect(&t.img, cx - rx, cy - ry, cx + rx + 1, cy + ry + 1, v);
    }
    int specks = rand_range(0, w * h / 20 + 1);
    for (int i = 0; i < specks; i++)
        put(&t.img, rand_range(0, w - 1), rand_range(0, h - 1), (next_rand() & 1) ? 255 : 0);
    if (rand_range(0, 4) == 0) {
        int pct = rand_range(5, 95);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (rand_range(0, 99) < pct / 3)
                    put(&t.img, x, y, rand_range(0, 99) < pct ? 255 : 0);
    }
    /* Any nonzero byte is ink, as in OpenCV. */
    if (next_rand() & 1)
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (t.img.data[y * t.img.stride + x])
                    t.img.data[y * t.img.stride + x] = (uint8_t)rand_range(1, 255);
    return t;
}

/* Plan-like: thick walls on a grid of rooms with door gaps, a diagonal wall,
 * text-like specks and glyph rings inside rooms, furniture rectangles. */
static test_image plan_image(uint32_t seed)
{
    rng = seed * 2246822519u + 7;
    int w = rand_range(120, 420), h = rand_range(100, 360);
    test_image t = image_new(w, h);
    int wall = rand_range(2, 6);
    int m = rand_range(2, 8);
    fill_rect(&t.img, m, m, w - m, m + wall, 255);
    fill_rect(&t.img, m, h - m - wall, w - m, h - m, 255);
    fill_rect(&t.img, m, m, m + wall, h - m, 255);
    fill_rect(&t.img, w - m - wall, m, w - m, h - m, 255);
    int cols = rand_range(1, 4), rows = rand_range(1, 3);
    for (int c = 1; c < cols; c++) {
        int x = m + c * (w - 2 * m) / cols;
        fill_rect(&t.img, x, m, x + wall, h - m, 255);
        int door = rand_range(m + wall + 2, h - m - 30);
        fill_rect(&t.img, x, door, x + wall, door + rand_range(8, 24), 0);
    }
    for (int r = 1; r < rows; r++) {
        int y = m + r * (h - 2 * m) / rows;
        fill_rect(&t.img, m, y, w - m, y + wall, 255);
        int door = rand_range(m + wall + 2, w - m - 30);
        fill_rect(&t.img, door, y, door + rand_range(8, 24), y + wall, 0);
    }
    if (next_rand() & 1)
        draw_line(&t.img, rand_range(0, w), rand_range(0, h), rand_range(0, w), rand_range(0, h),
                  rand_range(1, 3), 255);
    int glyphs = rand_range(0, 40);
    for (int i = 0; i < glyphs; i++) {
        int x = rand_range(0, w - 8), y = rand_range(0, h - 10);
        switch (next_rand() % 4) {
        case 0: fill_ellipse(&t.img, x + 3, y + 4, 3, 4, 255), fill_ellipse(&t.img, x + 3, y + 4, 1, 2, 0); break;
        case 1: fill_rect(&t.img, x, y, x + 1, y + 8, 255); break;
        case 2: draw_line(&t.img, x, y + 7, x + 5, y, 1, 255); break;
        default: fill_rect(&t.img, x, y, x + rand_range(3, 30), y + rand_range(3, 20), 255);
                 fill_rect(&t.img, x + 1, y + 1, x + 2, y + 2, 0);
        }
    }
    return t;
}

static const locdet_kernels *kernels(void)
{
    const locdet_kernels *k = locdet_kernels_default();
    cr_assert_not_null(k);
    return k;
}

/* Our set equals OpenCV's for this image: same contours in the same order,
 * same points from the same start, same hierarchy. */
static void compare_with_opencv(const locdet_image *img, const char *what, uint32_t seed,
                                locdet_contour_set *ours)
{
    peer_contours cv;
    cr_assert_eq(peer_find_contours_ccomp(img->data, img->stride, img->width, img->height, &cv), 0);
    cr_assert_eq(locdet_find_contours(kernels(), img, ours), LOCDET_OK);
    cr_assert_eq(ours->count, cv.count, "%s seed %u (%dx%d): %d contours, OpenCV %d", what, seed,
                 img->width, img->height, ours->count, cv.count);
    size_t k = 0;
    for (int i = 0; i < cv.count; i++) {
        const locdet_contour *c = &ours->contours[i];
        cr_assert_eq(c->n, cv.n[i], "%s seed %u contour %d: %d points, OpenCV %d", what, seed, i,
                     c->n, cv.n[i]);
        for (int j = 0; j < c->n; j++, k++) {
            cr_assert(c->points[j].x == cv.xy[2 * k] && c->points[j].y == cv.xy[2 * k + 1],
                      "%s seed %u contour %d point %d: (%d,%d), OpenCV (%d,%d)", what, seed, i, j,
                      c->points[j].x, c->points[j].y, cv.xy[2 * k], cv.xy[2 * k + 1]);
        }
        for (int j = 0; j < 4; j++)
            cr_assert_eq(c->hierarchy[j], cv.hierarchy[4 * i + j],
                         "%s seed %u contour %d hierarchy[%d]: %d, OpenCV %d", what, seed, i, j,
                         c->hierarchy[j], cv.hierarchy[4 * i + j]);
        cr_assert_eq(c->hole, cv.hierarchy[4 * i + 3] >= 0);
    }
    peer_contours_free(&cv);
}

static void compare_approx(const locdet_point *pts, int n, double eps, bool closed,
                           const char *what, uint32_t seed, int idx)
{
    locdet_point *ours;
    int n_ours;
    int32_t *theirs;
    int n_theirs;
    cr_assert_eq(locdet_approx_poly(pts, n, eps, closed, &ours, &n_ours), LOCDET_OK);
    int rc = peer_approx_poly_dp((const int32_t *)pts, n, eps, closed, &theirs, &n_theirs);
    cr_assert_eq(rc, 0, "%s seed %u contour %d: OpenCV approxPolyDP threw", what, seed, idx);
    cr_assert_eq(n_ours, n_theirs, "%s seed %u contour %d eps %g closed %d: %d vertices, OpenCV %d",
                 what, seed, idx, eps, closed, n_ours, n_theirs);
    for (int j = 0; j < n_ours; j++)
        cr_assert(ours[j].x == theirs[2 * j] && ours[j].y == theirs[2 * j + 1],
                  "%s seed %u contour %d eps %g closed %d vertex %d: (%d,%d), OpenCV (%d,%d)",
                  what, seed, idx, eps, closed, j, ours[j].x, ours[j].y, theirs[2 * j],
                  theirs[2 * j + 1]);
    locdet_points_free(ours);
    free(theirs);
}

static void compare_geometry(const locdet_contour_set *s, const char *what, uint32_t seed)
{
    static const double eps_list[] = {0.0, 0.5, 1.0, 1.5, 2.0, 3.7, 10.0};
    for (int i = 0; i < s->count; i++) {
        const locdet_contour *c = &s->contours[i];
        const int32_t *xy = (const int32_t *)c->points;
        cr_assert_eq(locdet_arc_length(c->points, c->n, true), peer_arc_length(xy, c->n, 1),
                     "%s seed %u contour %d: arcLength closed", what, seed, i);
        cr_assert_eq(locdet_arc_length(c->points, c->n, false), peer_arc_length(xy, c->n, 0),
                     "%s seed %u contour %d: arcLength open", what, seed, i);
        cr_assert_eq(locdet_contour_area(c->points, c->n), peer_contour_area(xy, c->n),
                     "%s seed %u contour %d: contourArea", what, seed, i);
        double rel = locdet_approx_epsilon(c->points, c->n, 0.01);
        compare_approx(c->points, c->n, rel, true, what, seed, i);
        compare_approx(c->points, c->n, rel, false, what, seed, i);
        double e = eps_list[(seed + (uint32_t)i) % (sizeof eps_list / sizeof eps_list[0])];
        compare_approx(c->points, c->n, e, true, what, seed, i);
        compare_approx(c->points, c->n, e, false, what, seed, i);
    }
}

Test(opencv_contour, find_contours_on_random_blobs)
{
    for (uint32_t seed = 1; seed <= 1500; seed++) {
        test_image t = blob_image(seed);
        locdet_contour_set s;
        compare_with_opencv(&t.img, "blobs", seed, &s);
        compare_geometry(&s, "blobs", seed);
        locdet_contour_set_free(&s);
        free(t.alloc);
    }
}

Test(opencv_contour, find_contours_on_plan_like_images)
{
    for (uint32_t seed = 1; seed <= 150; seed++) {
        test_image t = plan_image(seed);
        locdet_contour_set s;
        compare_with_opencv(&t.img, "plan", seed, &s);
        compare_geometry(&s, "plan", seed);
        locdet_contour_set_free(&s);
        free(t.alloc);
    }
}

Test(opencv_contour, find_contours_on_noise_and_checkerboards)
{
    /* Thousands of tiny components: mark codes repeat, and the parent search
     * must still find the right component for every hole. */
    for (uint32_t seed = 1; seed <= 40; seed++) {
        rng = seed * 747796405u + 3;
        int w = rand_range(1, 300), h = rand_range(1, 200), pct = rand_range(10, 90);
        test_image t = image_new(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                bool ink = seed % 5 == 0 ? ((x + y) & 1) : (seed % 5 == 1 ? ((x / 2 + y / 2) & 1)
                                                                          : rand_range(0, 99) < pct);
                put(&t.img, x, y, ink ? 255 : 0);
            }
        locdet_contour_set s;
        compare_with_opencv(&t.img, "noise", seed, &s);
        locdet_contour_set_free(&s);
        free(t.alloc);
    }
}

/* The seed strategy's contour step: findContours CCOMP, keep contours with no
 * parent, approxPolyDP with epsilon = 0.01 x closed arcLength, closed. */
Test(opencv_contour, seed_pipeline_contour_step)
{
    for (uint32_t seed = 1; seed <= 400; seed++) {
        test_image t = seed % 4 ? blob_image(seed + 90000) : plan_image(seed + 90000);
        locdet_contour_set s;
        cr_assert_eq(locdet_find_contours(kernels(), &t.img, &s), LOCDET_OK);
        peer_contours cv;
        cr_assert_eq(peer_find_contours_ccomp(t.img.data, t.img.stride, t.img.width, t.img.height,
                                              &cv), 0);
        size_t k = 0;
        int ours_kept = 0, cv_kept = 0;
        for (int i = 0; i < cv.count; k += (size_t)cv.n[i], i++) {
            if (cv.hierarchy[4 * i + 3] >= 0)
                continue;
            cv_kept++;
            const int32_t *xy = cv.xy + 2 * k;
            double eps = 0.01 * peer_arc_length(xy, cv.n[i], 1);
            int32_t *theirs;
            int n_theirs;
            cr_assert_eq(peer_approx_poly_dp(xy, cv.n[i], eps, 1, &theirs, &n_theirs), 0);
            /* the i-th contour of our set is the same contour (checked above) */
            const locdet_contour *c = &s.contours[i];
            cr_assert_eq(c->hierarchy[LOCDET_HIER_PARENT], -1, "seed %u contour %d", seed, i);
            ours_kept++;
            locdet_point *ours;
            int n_ours;
            cr_assert_eq(locdet_approx_poly(c->points, c->n,
                                            locdet_approx_epsilon(c->points, c->n, 0.01), true,
                                            &ours, &n_ours), LOCDET_OK);
            cr_assert_eq(n_ours, n_theirs, "seed %u contour %d: %d vertices, OpenCV %d", seed, i,
                         n_ours, n_theirs);
            cr_assert_arr_eq(ours, theirs, (size_t)n_ours * sizeof *ours, "seed %u contour %d",
                             seed, i);
            locdet_points_free(ours);
            free(theirs);
        }
        int ours_outer = 0;
        for (int i = 0; i < s.count; i++)
            ours_outer += s.contours[i].hierarchy[LOCDET_HIER_PARENT] < 0;
        cr_assert_eq(ours_outer, cv_kept, "seed %u", seed);
        cr_assert_eq(ours_kept, cv_kept);
        peer_contours_free(&cv);
        locdet_contour_set_free(&s);
        free(t.alloc);
    }
}

/* approxPolyDP on curves that are not contours: random walks, open and
 * closed, duplicate points, open curves whose ends meet. */
Test(opencv_contour, approx_poly_on_random_curves)
{
    for (uint32_t seed = 1; seed <= 2000; seed++) {
        rng = seed * 1103515245u + 12345;
        int n = rand_range(1, 60);
        locdet_point *p = malloc((size_t)n * sizeof *p);
        cr_assert_not_null(p);
        int x = rand_range(-50, 50), y = rand_range(-50, 50);
        for (int i = 0; i < n; i++) {
            if (rand_range(0, 9))
                x += rand_range(-6, 6), y += rand_range(-6, 6);
            p[i] = (locdet_point){x, y};
        }
        if (n > 2 && seed % 7 == 0)
            p[n - 1] = p[0];
        double eps = rand_range(0, 40) / 4.0;
        for (int closed = 0; closed < 2; closed++) {
            locdet_point *ours;
            int n_ours;
            int32_t *theirs;
            int n_theirs;
            cr_assert_eq(locdet_approx_poly(p, n, eps, closed, &ours, &n_ours), LOCDET_OK);
            cr_assert_eq(peer_approx_poly_dp((const int32_t *)p, n, eps, closed, &theirs,
                                             &n_theirs), 0, "seed %u: OpenCV threw", seed);
            cr_assert_eq(n_ours, n_theirs, "seed %u closed %d eps %g: %d vertices, OpenCV %d",
                         seed, closed, eps, n_ours, n_theirs);
            cr_assert_arr_eq(ours, theirs, (size_t)n_ours * sizeof *ours, "seed %u closed %d",
                             seed, closed);
            locdet_points_free(ours);
            free(theirs);
        }
        free(p);
    }
}
