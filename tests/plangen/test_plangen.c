/* Criterion tests for tools/plangen. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>

#include <cJSON.h>
#include <math.h>
#include <spng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <turbojpeg.h>
#include <unistd.h>

#include "plangen.h"

/* seeds 1, 2, 3 and 42; PLANGEN_TEST_SEEDS=N checks seeds 1..N instead */
static int SEEDS[1000] = { 1, 2, 3, 42 };
static int NSEEDS = 4;

static void init_seeds(void)
{
    const char *e = getenv("PLANGEN_TEST_SEEDS");
    int n = e ? atoi(e) : 0;
    if (n <= 0) return;
    if (n > 1000) n = 1000;
    for (int i = 0; i < n; i++) SEEDS[i] = i + 1;
    NSEEDS = n;
}
TestSuite(plangen, .init = init_seeds);

/* presets at their default size, except `large`, which is checked at a
 * smaller width here (its own test below runs the default size) */
static int test_width(const char *preset) { return strcmp(preset, "large") ? 0 : 2500; }

static void gen_or_fail(const char *preset, uint64_t seed, const plangen_options *o, plangen_plan *p)
{
    int rc = plangen_generate_ex(preset, seed, o, p);
    cr_assert_eq(rc, 0, "generate %s seed %llu -> %d", preset, (unsigned long long)seed, rc);
    cr_assert_not_null(p->pixels);
    cr_assert_gt(p->n_rooms, 0, "%s seed %llu: no rooms", preset, (unsigned long long)seed);
}

/* ---- room masks through the library's own rasterizer */

typedef struct mask { int *lab; int w, h, id, overlap; long count; } mask;

static void mask_span(void *u, int y, int x0, int x1)
{
    mask *m = u;
    for (int x = x0; x < x1; x++) {
        int *c = &m->lab[(size_t)y * m->w + x];
        if (*c >= 0) m->overlap++;
        *c = m->id;
        m->count++;
    }
}

static int *label_map(const plangen_plan *p, int *overlaps)
{
    mask m = { malloc(sizeof(int) * (size_t)p->width * p->height), p->width, p->height, 0, 0, 0 };
    cr_assert_not_null(m.lab);
    for (size_t i = 0; i < (size_t)p->width * p->height; i++) m.lab[i] = -1;
    for (int r = 0; r < p->n_rooms; r++) {
        m.id = r;
        m.count = 0;
        plangen_polygon_spans((const int (*)[2])p->rooms[r].polygon, p->rooms[r].n_points, p->width, p->height,
                              mask_span, &m);
        cr_expect_eq(m.count, p->rooms[r].area_px, "%s room %d: area_px %ld, rasterized %ld", p->preset, r,
                     p->rooms[r].area_px, m.count);
    }
    *overlaps = m.overlap;
    return m.lab;
}

Test(plangen, presets_listed)
{
    const char *const *ps = plangen_presets();
    cr_assert_not_null(ps);
    cr_assert_str_eq(ps[0], "bench");
    int n = 0;
    for (; ps[n]; n++) {
        const char *d = plangen_preset_description(ps[n]);
        cr_assert(d && strlen(d) > 20, "preset %s has no description", ps[n]);
    }
    cr_assert_geq(n, 8);
    const char *want[] = { "simple", "apartment", "scan", "hatched", "diagonal", "large", "small" };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_assert_not_null(plangen_preset_description(want[i]), "missing preset %s", want[i]);
    cr_assert_null(plangen_preset_description("nope"));
}

Test(plangen, bad_arguments)
{
    plangen_plan p;
    memset(&p, 0x5a, sizeof p);
    cr_assert_eq(plangen_generate("no-such-preset", 1, 0, &p), -1);
    cr_assert_null(p.pixels);
    cr_assert_eq(p.n_rooms, 0);
    cr_assert_eq(plangen_generate(NULL, 1, 0, &p), -1);
    cr_assert_eq(plangen_generate("bench", 1, -5, &p), -1);
    cr_assert_eq(plangen_generate("bench", 1, 10, &p), -1);
    cr_assert_eq(plangen_generate("bench", 1, 0, NULL), -1);
    plangen_free(&p); /* zeroed: harmless */
    plangen_free(NULL);
}

Test(plangen, determinism)
{
    const char *ps[] = { "bench", "scan", "diagonal" };
    for (int i = 0; i < 3; i++) {
        plangen_plan a, b, c;
        gen_or_fail(ps[i], 7, NULL, &a);
        gen_or_fail(ps[i], 7, NULL, &b);
        gen_or_fail(ps[i], 8, NULL, &c);
        cr_assert_eq(a.width, b.width);
        cr_assert_eq(a.height, b.height);
        cr_assert_eq(a.stride, b.stride);
        cr_assert_eq(memcmp(a.pixels, b.pixels, (size_t)a.stride * a.height), 0, "%s: same seed, different pixels", ps[i]);
        char *ja = plangen_gt_json_string(&a, "x.png"), *jb = plangen_gt_json_string(&b, "x.png");
        cr_assert_str_eq(ja, jb, "%s: same seed, different ground truth", ps[i]);
        int differ = a.width != c.width || a.height != c.height ||
                     memcmp(a.pixels, c.pixels, (size_t)a.stride * a.height) != 0;
        cr_assert(differ, "%s: seeds 7 and 8 gave the same image", ps[i]);
        free(ja); free(jb);
        plangen_free(&a); plangen_free(&b); plangen_free(&c);
    }
}

Test(plangen, every_preset_generates_inside_without_overlap)
{
    for (const char *const *ps = plangen_presets(); *ps; ps++)
        for (int s = 0; s < NSEEDS; s++) {
            plangen_options o = { test_width(*ps), 0, 0, 0, 0, 0 };
            plangen_plan p;
            gen_or_fail(*ps, (uint64_t)SEEDS[s], &o, &p);
            cr_assert_str_eq(p.preset, *ps);
            cr_assert_eq(p.seed, (uint64_t)SEEDS[s]);
            cr_assert_geq(p.stride, p.width);
            cr_assert_eq(p.stride % 64, 0);
            cr_assert(p.width >= 300 && p.width <= 10000, "%s width %d", *ps, p.width);
            for (int r = 0; r < p.n_rooms; r++) {
                const plangen_room *rm = &p.rooms[r];
                cr_assert_geq(rm->n_points, 3);
                cr_assert_gt(rm->area_px, 0, "%s seed %d room %d empty", *ps, SEEDS[s], r);
                cr_assert(strlen(rm->label) > 0);
                for (int k = 0; k < rm->n_points; k++) {
                    cr_assert(rm->polygon[k][0] >= 0 && rm->polygon[k][0] <= p.width, "%s room %d x out", *ps, r);
                    cr_assert(rm->polygon[k][1] >= 0 && rm->polygon[k][1] <= p.height, "%s room %d y out", *ps, r);
                }
                cr_assert(rm->bbox[0] >= 0 && rm->bbox[1] >= 0 && rm->bbox[2] <= p.width && rm->bbox[3] <= p.height);
                cr_assert(rm->bbox[0] < rm->bbox[2] && rm->bbox[1] < rm->bbox[3]);
                cr_assert_leq(rm->area_px, (long)(rm->bbox[2] - rm->bbox[0]) * (rm->bbox[3] - rm->bbox[1]));
            }
            int overlaps;
            int *lab = label_map(&p, &overlaps);
            cr_assert_eq(overlaps, 0, "%s seed %d: %d pixels in two rooms", *ps, SEEDS[s], overlaps);
            free(lab);
            plangen_free(&p);
        }
}

/* Walls only, doors closed, no noise, no rotation: every ground-truth room is
 * exactly one paper region bounded by ink. This pins the ground truth to the
 * pixels: a polygon one pixel too big or too small fails. */
Test(plangen, rooms_are_exact_closed_regions)
{
    for (const char *const *ps = plangen_presets(); *ps; ps++)
        for (int s = 0; s < NSEEDS; s++) {
            plangen_options o = { test_width(*ps), 0, PLANGEN_LAYER_WALLS, PLANGEN_NO_NOISE | PLANGEN_NO_ROTATION, 1, 0 };
            plangen_plan p;
            gen_or_fail(*ps, (uint64_t)SEEDS[s], &o, &p);
            int overlaps;
            int *lab = label_map(&p, &overlaps);
            long bad_in = 0, bad_edge = 0;
            for (int y = 0; y < p.height; y++)
                for (int x = 0; x < p.width; x++) {
                    int id = lab[(size_t)y * p.width + x];
                    if (id < 0) continue;
                    if (p.pixels[y * p.stride + x] != 255) bad_in++;
                    static const int N[4][2] = { { 1, 0 }, { -1, 0 }, { 0, 1 }, { 0, -1 } };
                    for (int k = 0; k < 4; k++) {
                        int nx = x + N[k][0], ny = y + N[k][1];
                        if (nx < 0 || ny < 0 || nx >= p.width || ny >= p.height) { bad_edge++; continue; }
                        if (lab[(size_t)ny * p.width + nx] == id) continue;
                        if (p.pixels[ny * p.stride + nx] >= 128) bad_edge++;
                    }
                }
            cr_expect_eq(bad_in, 0, "%s seed %d: %ld room pixels are not paper", *ps, SEEDS[s], bad_in);
            cr_expect_eq(bad_edge, 0, "%s seed %d: %ld room pixels leak to paper outside the room", *ps, SEEDS[s], bad_edge);
            free(lab);
            plangen_free(&p);
        }
}

/* Full drawing before noise: room interiors are mostly paper (furniture,
 * labels and floor hatching are inside rooms, so not all of it). */
static void check_light(const char *preset, unsigned disable, int min_pct)
{
    for (int s = 0; s < NSEEDS; s++) {
        plangen_options o = { test_width(preset), 0, 0, disable, 0, 0 };
        plangen_plan p;
        gen_or_fail(preset, (uint64_t)SEEDS[s], &o, &p);
        int overlaps;
        int *lab = label_map(&p, &overlaps);
        long *light = calloc((size_t)p.n_rooms, sizeof(long)), *all = calloc((size_t)p.n_rooms, sizeof(long));
        for (int y = 0; y < p.height; y++)
            for (int x = 0; x < p.width; x++) {
                int id = lab[(size_t)y * p.width + x];
                if (id < 0) continue;
                all[id]++;
                light[id] += p.pixels[y * p.stride + x] > 128;
            }
        for (int r = 0; r < p.n_rooms; r++)
            cr_expect_geq(light[r] * 100, all[r] * min_pct, "%s seed %d room %d (%s): only %ld of %ld light",
                          preset, SEEDS[s], r, p.rooms[r].label, light[r], all[r]);
        free(light); free(all); free(lab);
        plangen_free(&p);
    }
}

Test(plangen, room_interiors_are_light_before_noise)
{
    for (const char *const *ps = plangen_presets(); *ps; ps++) check_light(*ps, PLANGEN_NO_NOISE, 75);
}

Test(plangen, room_interiors_are_light_with_noise)
{
    for (const char *const *ps = plangen_presets(); *ps; ps++) check_light(*ps, 0, 60);
}

/* Pixels at least 2 px inside a room polygon are pure paper, and those just
 * outside one are mostly dark (wall or window frame): the ground truth
 * follows a rotated or turned image. Walls only, doors closed, no noise. */
static void check_truth_follows_image(const plangen_plan *p, const char *what)
{
    int overlaps;
    int *lab = label_map(p, &overlaps);
    cr_assert_eq(overlaps, 0, "%s: rooms overlap", what);
    long deep = 0, dark = 0, ring = 0, ring_dark = 0;
    for (int y = 2; y < p->height - 2; y++)
        for (int x = 2; x < p->width - 2; x++) {
            int id = lab[(size_t)y * p->width + x];
            int all_in = 1, near_out = 0;
            for (int dy = -2; dy <= 2; dy++)
                for (int dx = -2; dx <= 2; dx++) {
                    int v = lab[(size_t)(y + dy) * p->width + x + dx];
                    if (v != id) all_in = 0;
                    if (id < 0 && v >= 0 && abs(dx) + abs(dy) <= 1) near_out = 1;
                }
            uint8_t px = p->pixels[y * p->stride + x];
            if (id >= 0 && all_in) { deep++; dark += px < 250; }
            if (near_out) { ring++; ring_dark += px < 200; }
        }
    cr_expect_eq(dark, 0, "%s: %ld of %ld deep room pixels are not paper", what, dark, deep);
    /* just outside a room is wall (or window frame) */
    cr_expect_geq(ring_dark * 100, ring * 85, "%s: only %ld of %ld pixels around rooms dark", what, ring_dark,
                  ring);
    free(lab);
}

static int slanted_edges(const plangen_plan *p)
{
    int slanted = 0;
    for (int r = 0; r < p->n_rooms; r++)
        for (int k = 0; k < p->rooms[r].n_points; k++) {
            const int *a = p->rooms[r].polygon[k], *b = p->rooms[r].polygon[(k + 1) % p->rooms[r].n_points];
            slanted += a[0] != b[0] && a[1] != b[1];
        }
    return slanted;
}

/* The scan preset rotates the image; the ground truth is rotated with it. */
Test(plangen, rotated_ground_truth_follows_the_image)
{
    for (int s = 0; s < NSEEDS; s++) {
        plangen_options o = { 0, 0, PLANGEN_LAYER_WALLS, PLANGEN_NO_NOISE, 1, 0 };
        plangen_plan p;
        gen_or_fail("scan", (uint64_t)SEEDS[s], &o, &p);
        cr_assert_gt(slanted_edges(&p), 0, "scan seed %d: no rotated edges", SEEDS[s]);
        char what[64];
        snprintf(what, sizeof what, "scan seed %d", SEEDS[s]);
        check_truth_follows_image(&p, what);
        plangen_free(&p);
    }
}

/* --turn: the whole drawing turned onto a canvas grown to hold it. The
 * rooms are the unturned plan's, turned: same count and order, the same
 * areas (to rasterization), every vertex on the canvas, and the ground
 * truth on the turned pixels. */
Test(plangen, turned_drawing_keeps_its_rooms_on_a_grown_canvas)
{
    static const int turns[] = { 20000, -33500 };
    for (int s = 0; s < NSEEDS; s++)
        for (int t = 0; t < 2; t++) {
            plangen_options o = { 0, 0, PLANGEN_LAYER_WALLS, PLANGEN_NO_NOISE | PLANGEN_NO_ROTATION, 1, 0 };
            plangen_plan flat, turned;
            gen_or_fail("apartment", (uint64_t)SEEDS[s], &o, &flat);
            o.turn_mdeg = turns[t];
            gen_or_fail("apartment", (uint64_t)SEEDS[s], &o, &turned);
            double a = turns[t] / 1000.0 * M_PI / 180, c = cos(a), sn = fabs(sin(a));
            int want_w = (int)ceil(flat.width * c + flat.height * sn);
            int want_h = (int)ceil(flat.width * sn + flat.height * c);
            cr_expect(abs(turned.width - want_w) <= 1 && abs(turned.height - want_h) <= 1,
                      "seed %d turn %d: %dx%d, want %dx%d", SEEDS[s], turns[t], turned.width, turned.height,
                      want_w, want_h);
            cr_assert_eq(turned.n_rooms, flat.n_rooms);
            cr_assert_gt(slanted_edges(&turned), 0);
            for (int r = 0; r < turned.n_rooms; r++) {
                const plangen_room *tr = &turned.rooms[r], *fr = &flat.rooms[r];
                cr_expect_str_eq(tr->label, fr->label);
                cr_expect(labs(tr->area_px - fr->area_px) * 100 <= fr->area_px * 2 + 100,
                          "seed %d turn %d room %d: area %ld, unturned %ld", SEEDS[s], turns[t], r,
                          tr->area_px, fr->area_px);
                for (int k = 0; k < tr->n_points; k++)
                    cr_expect(tr->polygon[k][0] >= 0 && tr->polygon[k][0] <= turned.width &&
                                  tr->polygon[k][1] >= 0 && tr->polygon[k][1] <= turned.height,
                              "seed %d turn %d room %d: vertex (%d, %d) off the %dx%d canvas", SEEDS[s],
                              turns[t], r, tr->polygon[k][0], tr->polygon[k][1], turned.width, turned.height);
            }
            /* the ground truth says how far the plan was turned */
            char *js = plangen_gt_json_string(&turned, "t.png"), *jf = plangen_gt_json_string(&flat, "f.png");
            cJSON *jt = cJSON_Parse(js), *jfl = cJSON_Parse(jf);
            cr_assert_not_null(jt);
            cr_assert_not_null(jfl);
            cJSON *deg = cJSON_GetObjectItem(jt, "turn_deg");
            cr_assert(cJSON_IsNumber(deg) && fabs(deg->valuedouble - turns[t] / 1000.0) < 1e-9,
                      "turn_deg %s", js);
            cr_assert_null(cJSON_GetObjectItem(jfl, "turn_deg"));
            cJSON_Delete(jt);
            cJSON_Delete(jfl);
            free(js);
            free(jf);
            char what[64];
            snprintf(what, sizeof what, "apartment seed %d turned %d mdeg", SEEDS[s], turns[t]);
            check_truth_follows_image(&turned, what);
            plangen_free(&flat);
            plangen_free(&turned);
        }
}

/* Out of range turns are refused. */
Test(plangen, turn_out_of_range)
{
    plangen_plan p;
    plangen_options o = { 0, 0, 0, 0, 0, 40001 };
    cr_assert_eq(plangen_generate_ex("simple", 1, &o, &p), -1);
    o.turn_mdeg = -40001;
    cr_assert_eq(plangen_generate_ex("simple", 1, &o, &p), -1);
}

Test(plangen, bench_is_fast_and_blueprint_like, .timeout = 60)
{
    plangen_plan p;
    struct timespec t0, t1;
    timespec_get(&t0, TIME_UTC);
    gen_or_fail("bench", 1, NULL, &p);
    timespec_get(&t1, TIME_UTC);
    double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) * 1e-6;
    cr_expect_lt(ms, 1000.0, "bench took %.0f ms", ms);
    cr_assert_eq(p.width, 4096);
    cr_assert_eq(p.height, 4096);
    for (int s = 0; s < NSEEDS; s++) {
        plangen_plan q;
        gen_or_fail("bench", (uint64_t)SEEDS[s], NULL, &q);
        double ink = plangen_ink_fraction(&q);
        cr_expect(ink >= 0.05 && ink <= 0.15, "bench seed %d ink %.3f", SEEDS[s], ink);
        cr_expect_geq(q.n_rooms, 10);
        plangen_free(&q);
    }
    plangen_free(&p);
}

Test(plangen, width_option_and_large_default, .timeout = 120)
{
    plangen_plan p;
    gen_or_fail("apartment", 5, &(plangen_options){ 800, 0, 0, 0, 0, 0 }, &p);
    cr_assert_eq(p.width, 800);
    plangen_free(&p);
    gen_or_fail("bench", 5, &(plangen_options){ 1024, 0, 0, 0, 0, 0 }, &p);
    cr_assert_eq(p.width, 1024);
    cr_assert_eq(p.height, 1024);
    plangen_free(&p);
    gen_or_fail("large", 1, NULL, &p);
    cr_assert(p.width >= 8000 && p.width <= 10000, "large width %d", p.width);
    cr_assert_geq(p.n_rooms, 15);
    plangen_free(&p);
    gen_or_fail("small", 1, NULL, &p);
    cr_assert(p.width >= 300 && p.width <= 500, "small width %d", p.width);
    plangen_free(&p);
}

Test(plangen, polygon_spans_rule)
{
    /* a 3x4 rectangle covers 12 pixels */
    int sq[4][2] = { { 2, 3 }, { 5, 3 }, { 5, 7 }, { 2, 7 } };
    mask m = { calloc(100, sizeof(int)), 10, 10, 1, 0, 0 };
    for (int i = 0; i < 100; i++) m.lab[i] = -1;
    plangen_polygon_spans((const int (*)[2])sq, 4, 10, 10, mask_span, &m);
    cr_assert_eq(m.count, 12);
    cr_assert_eq(m.lab[3 * 10 + 2], 1);
    cr_assert_eq(m.lab[3 * 10 + 5], -1);
    /* two triangles splitting a rectangle along its diagonal partition it exactly */
    int t1[3][2] = { { 0, 0 }, { 9, 0 }, { 0, 7 } }, t2[3][2] = { { 9, 0 }, { 9, 7 }, { 0, 7 } };
    for (int i = 0; i < 100; i++) m.lab[i] = -1;
    m.count = 0;
    plangen_polygon_spans((const int (*)[2])t1, 3, 10, 10, mask_span, &m);
    m.id = 2;
    plangen_polygon_spans((const int (*)[2])t2, 3, 10, 10, mask_span, &m);
    cr_assert_eq(m.overlap, 0);
    cr_assert_eq(m.count, 63);
    free(m.lab);
}

static char tmpdir[64];
static void mk_tmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/plangen-test-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

Test(plangen, png_round_trip)
{
    mk_tmp();
    const char *ps[] = { "bench", "scan", "small" };
    for (int i = 0; i < 3; i++) {
        plangen_plan p;
        gen_or_fail(ps[i], 3, NULL, &p);
        char path[128];
        snprintf(path, sizeof path, "%s/%s.png", tmpdir, ps[i]);
        cr_assert_eq(plangen_write_png(&p, path), 0);
        FILE *f = fopen(path, "rb");
        cr_assert_not_null(f);
        spng_ctx *ctx = spng_ctx_new(0);
        spng_set_png_file(ctx, f);
        struct spng_ihdr ih;
        cr_assert_eq(spng_get_ihdr(ctx, &ih), 0);
        cr_assert_eq((int)ih.width, p.width);
        cr_assert_eq((int)ih.height, p.height);
        cr_assert_eq(ih.bit_depth, 8);
        cr_assert_eq(ih.color_type, SPNG_COLOR_TYPE_GRAYSCALE);
        size_t n;
        cr_assert_eq(spng_decoded_image_size(ctx, SPNG_FMT_G8, &n), 0);
        cr_assert_eq(n, (size_t)p.width * p.height);
        uint8_t *img = malloc(n);
        cr_assert_eq(spng_decode_image(ctx, img, n, SPNG_FMT_G8, 0), 0);
        for (int y = 0; y < p.height; y++)
            cr_assert_eq(memcmp(img + (size_t)y * p.width, p.pixels + y * p.stride, (size_t)p.width), 0,
                         "%s row %d differs", ps[i], y);
        free(img);
        spng_ctx_free(ctx);
        fclose(f);
        remove(path);
        plangen_free(&p);
    }
    rmdir(tmpdir);
}

Test(plangen, jpeg_written)
{
    mk_tmp();
    plangen_plan p;
    gen_or_fail("scan", 2, NULL, &p);
    char path[128];
    snprintf(path, sizeof path, "%s/scan.jpg", tmpdir);
    cr_assert_eq(plangen_write_jpeg(&p, path, 75), 0);
    cr_assert_eq(plangen_write_jpeg(&p, path, 0), -1);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)len);
    cr_assert_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    cr_assert(buf[0] == 0xFF && buf[1] == 0xD8);
    tjhandle tj = tjInitDecompress();
    int w, h, sub, cs;
    cr_assert_eq(tjDecompressHeader3(tj, buf, (unsigned long)len, &w, &h, &sub, &cs), 0);
    cr_assert_eq(w, p.width);
    cr_assert_eq(h, p.height);
    cr_assert_eq(sub, TJSAMP_GRAY);
    tjDestroy(tj);
    free(buf);
    remove(path);
    rmdir(tmpdir);
    plangen_free(&p);
}

Test(plangen, gt_json_matches_struct)
{
    mk_tmp();
    const char *ps[] = { "apartment", "diagonal", "scan" };
    for (int i = 0; i < 3; i++) {
        plangen_plan p;
        gen_or_fail(ps[i], 11, NULL, &p);
        char path[128];
        snprintf(path, sizeof path, "%s/plan.gt.json", tmpdir);
        cr_assert_eq(plangen_write_gt_json(&p, "plan.png", path), 0);
        FILE *f = fopen(path, "rb");
        cr_assert_not_null(f);
        static char text[1 << 20];
        size_t n = fread(text, 1, sizeof text - 1, f);
        text[n] = 0;
        fclose(f);
        cJSON *root = cJSON_Parse(text);
        cr_assert_not_null(root, "%s: JSON does not parse", ps[i]);
        cr_assert_str_eq(cJSON_GetObjectItem(root, "image")->valuestring, "plan.png");
        cr_assert_eq(cJSON_GetObjectItem(root, "width")->valueint, p.width);
        cr_assert_eq(cJSON_GetObjectItem(root, "height")->valueint, p.height);
        cr_assert_str_eq(cJSON_GetObjectItem(root, "preset")->valuestring, ps[i]);
        cr_assert_eq(cJSON_GetObjectItem(root, "seed")->valuedouble, 11.0);
        cJSON *rooms = cJSON_GetObjectItem(root, "rooms");
        cr_assert(cJSON_IsArray(rooms));
        cr_assert_eq(cJSON_GetArraySize(rooms), p.n_rooms);
        for (int r = 0; r < p.n_rooms; r++) {
            cJSON *o = cJSON_GetArrayItem(rooms, r);
            cr_assert_str_eq(cJSON_GetObjectItem(o, "label")->valuestring, p.rooms[r].label);
            cr_assert_eq((long)cJSON_GetObjectItem(o, "area_px")->valuedouble, p.rooms[r].area_px);
            cJSON *bb = cJSON_GetObjectItem(o, "bbox"), *poly = cJSON_GetObjectItem(o, "polygon");
            cr_assert_eq(cJSON_GetArraySize(bb), 4);
            for (int k = 0; k < 4; k++) cr_assert_eq(cJSON_GetArrayItem(bb, k)->valueint, p.rooms[r].bbox[k]);
            cr_assert_eq(cJSON_GetArraySize(poly), p.rooms[r].n_points);
            for (int k = 0; k < p.rooms[r].n_points; k++) {
                cJSON *pt = cJSON_GetArrayItem(poly, k);
                cr_assert_eq(cJSON_GetArrayItem(pt, 0)->valueint, p.rooms[r].polygon[k][0]);
                cr_assert_eq(cJSON_GetArrayItem(pt, 1)->valueint, p.rooms[r].polygon[k][1]);
            }
        }
        cJSON_Delete(root);
        remove(path);
        plangen_free(&p);
    }
    rmdir(tmpdir);
}

/* Layers do not move anything: the ground truth is the same with any layer
 * mask, and a layer-restricted image only ever lacks ink. */
Test(plangen, layers_do_not_change_geometry)
{
    plangen_options all = { 0, 0, 0, PLANGEN_NO_NOISE, 0, 0 }, walls = { 0, 0, PLANGEN_LAYER_WALLS, PLANGEN_NO_NOISE, 0, 0 };
    plangen_plan a, b;
    gen_or_fail("apartment", 9, &all, &a);
    gen_or_fail("apartment", 9, &walls, &b);
    char *ja = plangen_gt_json_string(&a, "x"), *jb = plangen_gt_json_string(&b, "x");
    cr_assert_str_eq(ja, jb);
    long extra = 0;
    for (int y = 0; y < a.height; y++)
        for (int x = 0; x < a.width; x++) extra += b.pixels[y * b.stride + x] < a.pixels[y * a.stride + x];
    cr_assert_eq(extra, 0);
    cr_assert_lt(plangen_ink_fraction(&b), plangen_ink_fraction(&a));
    free(ja); free(jb);
    plangen_free(&a); plangen_free(&b);
}
