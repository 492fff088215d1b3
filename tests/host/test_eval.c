/* The evaluation library: hand-made ground truth / result pairs whose scores
 * are known exactly. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eval.h"

#define EPS 1e-9

static locdet_eval_rooms parse(const char *json, bool gt)
{
    cJSON *doc = cJSON_Parse(json);
    cr_assert_not_null(doc, "test JSON does not parse: %s", json);
    locdet_eval_rooms r;
    locdet_error err = {0};
    int rc = gt ? locdet_eval_rooms_from_gt(doc, &r, &err)
                : locdet_eval_rooms_from_result(doc, &r, &err);
    cr_assert_eq(rc, 0, "parse failed: %s", err.message);
    cJSON_Delete(doc);
    return r;
}

/* Boxes only: "x0 y0 x1 y1; ..." with an optional confidence as 5th number. */
static locdet_eval_rooms boxes(const char *spec)
{
    locdet_eval_rooms r = {0};
    r.room = calloc(32, sizeof *r.room);
    const char *p = spec;
    while (*p) {
        locdet_eval_room *e = &r.room[r.n];
        int used = 0;
        double c;
        cr_assert_geq(sscanf(p, "%lf %lf %lf %lf%n", &e->bbox[0], &e->bbox[1], &e->bbox[2],
                             &e->bbox[3], &used), 4);
        p += used;
        e->confidence = NAN;
        if (sscanf(p, " %lf%n", &c, &used) == 1 && p[used - 1] != ';') {
            e->confidence = c;
            p += used;
        }
        while (*p == ' ' || *p == ';')
            p++;
        r.n++;
    }
    return r;
}

static locdet_eval_summary score(const char *gt_spec, const char *det_spec, locdet_eval_plan *keep)
{
    locdet_eval_rooms gt = boxes(gt_spec), det = boxes(det_spec);
    locdet_eval_plan p;
    cr_assert_eq(locdet_eval_plan_score(&p, "t", &gt, &det), 0);
    locdet_eval_summary s;
    cr_assert_eq(locdet_eval_summarize(&p, 1, &s), 0);
    if (keep)
        *keep = p;
    else
        locdet_eval_plan_free(&p);
    locdet_eval_rooms_free(&gt);
    locdet_eval_rooms_free(&det);
    return s;
}

Test(eval_match, perfect)
{
    locdet_eval_summary s = score("0 0 10 10; 20 0 40 10; 0 20 30 50", "20 0 40 10; 0 20 30 50; 0 0 10 10", NULL);
    cr_assert_eq(s.tp, 3);
    cr_assert_float_eq(s.precision, 1.0, EPS);
    cr_assert_float_eq(s.recall, 1.0, EPS);
    cr_assert_float_eq(s.f1, 1.0, EPS);
    cr_assert_float_eq(s.mean_iou, 1.0, EPS);
    cr_assert(isnan(s.mean_poly_iou), "no polygons, no polygon IoU");
}

Test(eval_match, one_missing)
{
    locdet_eval_summary s = score("0 0 10 10; 20 0 40 10; 0 20 30 50", "0 0 10 10; 0 20 30 50", NULL);
    cr_assert_eq(s.tp, 2);
    cr_assert_eq(s.n_gt, 3);
    cr_assert_eq(s.n_det, 2);
    cr_assert_float_eq(s.precision, 1.0, EPS);
    cr_assert_float_eq(s.recall, 2.0 / 3.0, EPS);
    cr_assert_float_eq(s.f1, 0.8, EPS);
}

Test(eval_match, one_extra)
{
    locdet_eval_summary s = score("0 0 10 10; 20 0 40 10", "0 0 10 10; 20 0 40 10; 100 100 120 120", NULL);
    cr_assert_eq(s.tp, 2);
    cr_assert_float_eq(s.precision, 2.0 / 3.0, EPS);
    cr_assert_float_eq(s.recall, 1.0, EPS);
    cr_assert_float_eq(s.f1, 0.8, EPS);
}

Test(eval_match, duplicate_detection_counts_once_best_first)
{
    /* Second detection: IoU 0.9 with the room; the exact one wins. */
    locdet_eval_plan p;
    locdet_eval_summary s = score("0 0 10 10", "0 0 10 9; 0 0 10 10", &p);
    cr_assert_eq(s.tp, 1);
    cr_assert_float_eq(s.precision, 0.5, EPS);
    cr_assert_float_eq(s.recall, 1.0, EPS);
    cr_assert_float_eq(s.f1, 2.0 / 3.0, EPS);
    cr_assert_float_eq(s.mean_iou, 1.0, EPS);
    cr_assert_eq(p.det_match[0], -1);
    cr_assert_eq(p.det_match[1], 0);
    locdet_eval_plan_free(&p);
}

Test(eval_match, greedy_is_one_to_one_over_two_rooms)
{
    /* Detection A overlaps room 0 (0.8) and room 1 (0.6); detection B only
     * room 1 (0.55). Greedy takes A-0 first, then B-1. */
    locdet_eval_plan p;
    locdet_eval_summary s = score("0 0 100 10; 20 0 100 10", "0 0 80 10; 20 0 64 10", &p);
    cr_assert_float_eq(locdet_eval_box_iou((double[]){0, 0, 100, 10}, (double[]){0, 0, 80, 10}), 0.8, EPS);
    cr_assert_float_eq(locdet_eval_box_iou((double[]){20, 0, 100, 10}, (double[]){0, 0, 80, 10}), 0.6, EPS);
    cr_assert_float_eq(locdet_eval_box_iou((double[]){20, 0, 100, 10}, (double[]){20, 0, 64, 10}), 0.55, EPS);
    cr_assert_eq(s.tp, 2);
    cr_assert_eq(p.det_match[0], 0);
    cr_assert_eq(p.det_match[1], 1);
    cr_assert_float_eq(s.mean_iou, (0.8 + 0.55) / 2, EPS);
    locdet_eval_plan_free(&p);
}

Test(eval_match, iou_threshold_is_inclusive_at_half)
{
    /* Room 100x100; detections of height 49, 50, 51 over it. */
    locdet_eval_summary below = score("0 0 100 100", "0 0 100 49", NULL);
    locdet_eval_summary at = score("0 0 100 100", "0 0 100 50", NULL);
    locdet_eval_summary above = score("0 0 100 100", "0 0 100 51", NULL);
    cr_assert_eq(below.tp, 0, "IoU 0.49 must not match");
    cr_assert_float_eq(below.f1, 0.0, EPS);
    cr_assert(isnan(below.mean_iou));
    cr_assert_eq(at.tp, 1, "IoU 0.50 matches");
    cr_assert_float_eq(at.mean_iou, 0.5, EPS);
    cr_assert_eq(above.tp, 1, "IoU 0.51 matches");
    cr_assert_float_eq(above.mean_iou, 0.51, EPS);
}

Test(eval_match, fractional_boxes)
{
    double a[4] = {0.5, 0.5, 10.5, 10.5}, b[4] = {5.5, 0.5, 15.5, 10.5};
    cr_assert_float_eq(locdet_eval_box_iou(a, b), 1.0 / 3.0, EPS);
    double e[4] = {3, 3, 3, 3};
    cr_assert_float_eq(locdet_eval_box_iou(e, e), 0.0, EPS, "empty boxes have IoU 0");
}

Test(eval_match, nothing_to_find_nothing_found)
{
    locdet_eval_rooms gt = {0}, det = {0};
    locdet_eval_plan p;
    cr_assert_eq(locdet_eval_plan_score(&p, "empty", &gt, &det), 0);
    locdet_eval_summary s;
    cr_assert_eq(locdet_eval_summarize(&p, 1, &s), 0);
    cr_assert_float_eq(s.f1, 1.0, EPS);
    cr_assert_float_eq(s.precision, 1.0, EPS);
    cr_assert_float_eq(s.recall, 1.0, EPS);
    locdet_eval_plan_free(&p);
}

Test(eval_polygon, two_squares)
{
    double a[] = {0, 0, 10, 0, 10, 10, 0, 10};
    double b[] = {5, 0, 15, 0, 15, 10, 5, 10};
    double c[] = {5, 5, 15, 5, 15, 15, 5, 15};
    double far[] = {50, 50, 60, 50, 60, 60, 50, 60};
    cr_assert_float_eq(locdet_eval_polygon_iou(a, 4, a, 4), 1.0, EPS);
    cr_assert_float_eq(locdet_eval_polygon_iou(a, 4, b, 4), 50.0 / 150.0, EPS);
    cr_assert_float_eq(locdet_eval_polygon_iou(a, 4, c, 4), 25.0 / 175.0, EPS);
    cr_assert_float_eq(locdet_eval_polygon_iou(a, 4, far, 4), 0.0, EPS);
    /* orientation does not matter */
    double a_cw[] = {0, 0, 0, 10, 10, 10, 10, 0};
    cr_assert_float_eq(locdet_eval_polygon_iou(a_cw, 4, b, 4), 1.0 / 3.0, EPS);
}

Test(eval_polygon, areas_count_pixel_centres)
{
    double sq[] = {0, 0, 10, 0, 10, 10, 0, 10};
    cr_assert_eq(locdet_eval_polygon_area(sq, 4), 100);
    double l[] = {0, 0, 10, 0, 10, 5, 5, 5, 5, 10, 0, 10}; /* L shape, concave */
    cr_assert_eq(locdet_eval_polygon_area(l, 6), 75);
    /* right edge at x = 4 - yc: yc=.5 -> centres < 3.5 (3 pixels); 1.5 -> 2;
     * 2.5 -> 1; 3.5 -> 0 */
    double tri[] = {0, 0, 4, 0, 0, 4};
    cr_assert_eq(locdet_eval_polygon_area(tri, 3), 6);
    double shifted[] = {0.6, 0, 10.6, 0, 10.6, 1, 0.6, 1}; /* centres .5..10.5: x=1..10 */
    cr_assert_eq(locdet_eval_polygon_area(shifted, 4), 10);
    /* L against its bounding square: 75/100 */
    cr_assert_float_eq(locdet_eval_polygon_iou(l, 6, sq, 4), 0.75, EPS);
    /* degenerate input */
    cr_assert_eq(locdet_eval_polygon_area(sq, 2), 0);
}

Test(eval_polygon, matched_pairs_get_polygon_iou)
{
    locdet_eval_rooms gt = parse(
        "{\"width\":40,\"height\":20,\"rooms\":["
        "{\"bbox\":[0,0,10,10],\"polygon\":[[0,0],[10,0],[10,10],[0,10]]},"
        "{\"bbox\":[20,0,30,10],\"polygon\":[[20,0],[30,0],[30,10],[20,10]]}]}", true);
    /* first detection: the L inside room 0's box (box IoU 1, polygon IoU .75);
     * second: exact; both have polygons */
    locdet_eval_rooms det = parse(
        "{\"image\":{\"width\":40,\"height\":20},\"rooms\":["
        "{\"bbox_px\":[0,0,10,10],\"polygon\":[[0,0],[10,0],[10,5],[5,5],[5,10],[0,10]],\"confidence\":0.9},"
        "{\"bbox_px\":[20,0,30,10],\"polygon\":[[20,0],[30,0],[30,10],[20,10]],\"confidence\":0.8}]}", false);
    cr_assert_eq(det.width, 40);
    cr_assert_eq(det.height, 20);
    locdet_eval_plan p;
    cr_assert_eq(locdet_eval_plan_score(&p, "poly", &gt, &det), 0);
    locdet_eval_summary s;
    cr_assert_eq(locdet_eval_summarize(&p, 1, &s), 0);
    cr_assert_eq(s.tp, 2);
    cr_assert_float_eq(s.mean_poly_iou, (0.75 + 1.0) / 2, EPS);
    cr_assert(isnan(s.auc), "all matched: AUC undefined");
    locdet_eval_plan_free(&p);
    locdet_eval_rooms_free(&gt);
    locdet_eval_rooms_free(&det);
}

Test(eval_auc, known_orderings)
{
    cr_assert_float_eq(locdet_eval_auc((double[]){0.9, 0.8}, 2, (double[]){0.1, 0.2}, 2), 1.0, EPS);
    cr_assert_float_eq(locdet_eval_auc((double[]){0.1, 0.2}, 2, (double[]){0.9, 0.8}, 2), 0.0, EPS);
    cr_assert_float_eq(locdet_eval_auc((double[]){0.5}, 1, (double[]){0.5}, 1), 0.5, EPS);
    cr_assert_float_eq(locdet_eval_auc((double[]){0.9, 0.3}, 2, (double[]){0.5}, 1), 0.5, EPS);
    /* pairs: (.9,.5)=1 (.9,.1)=1 (.5,.5)=.5 (.5,.1)=1 -> 3.5/4 */
    cr_assert_float_eq(locdet_eval_auc((double[]){0.9, 0.5}, 2, (double[]){0.5, 0.1}, 2), 0.875, EPS);
    /* 3 positives, 2 negatives, one negative above one positive: 5/6 */
    cr_assert_float_eq(locdet_eval_auc((double[]){0.9, 0.7, 0.2}, 3, (double[]){0.5, 0.1}, 2),
                       5.0 / 6.0, EPS);
    cr_assert(isnan(locdet_eval_auc((double[]){0.5}, 1, NULL, 0)));
    cr_assert(isnan(locdet_eval_auc(NULL, 0, (double[]){0.5}, 1)));
}

Test(eval_auc, from_matching_and_pooled)
{
    /* plan 1: matched .9, unmatched .2; plan 2: matched .6, unmatched .7 */
    locdet_eval_plan p[2];
    locdet_eval_rooms g1 = boxes("0 0 10 10"), d1 = boxes("0 0 10 10 0.9; 50 50 60 60 0.2");
    locdet_eval_rooms g2 = boxes("0 0 10 10; 20 20 30 30"), d2 = boxes("0 0 10 10 0.6; 90 90 95 95 0.7");
    cr_assert_eq(d1.room[0].confidence, 0.9);
    cr_assert_eq(d2.room[1].confidence, 0.7);
    cr_assert_eq(locdet_eval_plan_score(&p[0], "a", &g1, &d1), 0);
    cr_assert_eq(locdet_eval_plan_score(&p[1], "b", &g2, &d2), 0);
    locdet_eval_summary s;
    cr_assert_eq(locdet_eval_summarize(&p[0], 1, &s), 0);
    cr_assert_float_eq(s.auc, 1.0, EPS);
    cr_assert_eq(locdet_eval_summarize(&p[1], 1, &s), 0);
    cr_assert_float_eq(s.auc, 0.0, EPS);
    cr_assert_eq(locdet_eval_summarize(p, 2, &s), 0);
    /* pos {.9,.6} neg {.2,.7}: (.9,.2)(.9,.7)(.6,.2) win, (.6,.7) loses -> 3/4 */
    cr_assert_float_eq(s.auc, 0.75, EPS);
    cr_assert_eq(s.n_gt, 3);
    cr_assert_eq(s.n_det, 4);
    cr_assert_eq(s.tp, 2);
    cr_assert_float_eq(s.precision, 0.5, EPS);
    cr_assert_float_eq(s.recall, 2.0 / 3.0, EPS);
    cr_assert_float_eq(s.f1, 4.0 / 7.0, EPS);
    locdet_eval_plan_free(&p[0]);
    locdet_eval_plan_free(&p[1]);
    locdet_eval_rooms_free(&g1);
    locdet_eval_rooms_free(&d1);
    locdet_eval_rooms_free(&g2);
    locdet_eval_rooms_free(&d2);
}

Test(eval_parse, malformed_documents_are_refused)
{
    const char *bad[] = {
        "[]",
        "{\"rooms\":5}",
        "{\"rooms\":[{\"bbox\":[0,0,10]}]}",
        "{\"rooms\":[{\"bbox\":[10,0,0,10]}]}",
        "{\"rooms\":[{\"bbox\":[0,0,10,10],\"polygon\":[[0,0],[1]]}]}",
        "{\"rooms\":[{\"bbox\":[0,0,\"a\",10]}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cJSON *doc = cJSON_Parse(bad[i]);
        cr_assert_not_null(doc);
        locdet_eval_rooms r;
        locdet_error err = {0};
        cr_assert_eq(locdet_eval_rooms_from_gt(doc, &r, &err), -1, "accepted %s", bad[i]);
        cr_assert_eq(err.code, LOCDET_EXIT_INVALID_EVENT);
        cr_assert_neq(err.message[0], 0);
        cJSON_Delete(doc);
    }
    /* a result's rooms need bbox_px, not bbox */
    cJSON *doc = cJSON_Parse("{\"rooms\":[{\"bbox\":[0,0,10,10]}]}");
    locdet_eval_rooms r;
    locdet_error err = {0};
    cr_assert_eq(locdet_eval_rooms_from_result(doc, &r, &err), -1);
    cr_assert(strstr(err.message, "bbox_px"));
    cJSON_Delete(doc);
}

Test(eval_parse, missing_file)
{
    locdet_error err = {0};
    cr_assert_null(locdet_eval_read_json("/nonexistent/x.gt.json", &err));
    cr_assert(strstr(err.message, "/nonexistent/x.gt.json"));
}

Test(eval_parse, file_round_trip)
{
    char path[] = "/tmp/locdet_eval_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    /* longer than the first read buffer, so the growing path runs */
    fputs("{\"image\":\"a.png\",\"width\":100,\"height\":50,\"pad\":\"", f);
    for (int i = 0; i < 100000; i++)
        fputc('x', f);
    fputs("\",\"rooms\":[{\"bbox\":[1.5,2,30,40],\"label\":\"bedroom\",\"area_px\":3}]}", f);
    fclose(f);
    locdet_error err = {0};
    cJSON *doc = locdet_eval_read_json(path, &err);
    unlink(path);
    cr_assert_not_null(doc, "%s", err.message);
    locdet_eval_rooms r;
    cr_assert_eq(locdet_eval_rooms_from_gt(doc, &r, &err), 0);
    cr_assert_eq(r.n, 1);
    cr_assert_eq(r.width, 100);
    cr_assert_eq(r.height, 50);
    cr_assert_float_eq(r.room[0].bbox[0], 1.5, EPS);
    cr_assert_null(r.room[0].poly);
    cr_assert(isnan(r.room[0].confidence));
    locdet_eval_rooms_free(&r);
    cJSON_Delete(doc);
}

static locdet_eval_report two_strategy_report(void)
{
    locdet_eval_report r = {0};
    r.n_strategies = 2;
    r.strategies = calloc(2, sizeof *r.strategies);
    r.strategies[0].name = strdup("good");
    r.strategies[1].name = strdup("bad");
    r.n_sets = 2;
    r.set_names = calloc(2, sizeof *r.set_names);
    r.set_names[0] = strdup("setA");
    r.set_names[1] = strdup("setB");
    r.set_of_plan = calloc(2, sizeof *r.set_of_plan);
    r.set_of_plan[1] = 1;
    const char *names[2] = {"setA/p1", "setB/p2"};
    locdet_eval_rooms gt = boxes("0 0 10 10; 20 0 30 10");
    locdet_eval_rooms good = boxes("0 0 10 10 0.9; 20 0 30 10 0.8");
    locdet_eval_rooms bad = boxes("0 0 10 10 0.9");
    for (int i = 0; i < 2; i++) {
        locdet_eval_plan p;
        cr_assert_eq(locdet_eval_plan_score(&p, names[i], &gt, &good), 0);
        p.detect_ms = 10 + i;
        cr_assert_eq(locdet_eval_strategy_add(&r.strategies[0], &p), 0);
        if (i == 0)
            cr_assert_eq(locdet_eval_plan_score(&p, names[i], &gt, &bad), 0);
        else
            cr_assert_eq(locdet_eval_plan_failed(&p, names[i], &gt, "decode failed"), 0);
        cr_assert_eq(locdet_eval_strategy_add(&r.strategies[1], &p), 0);
    }
    r.n_plans_total = 2;
    locdet_eval_rooms_free(&gt);
    locdet_eval_rooms_free(&good);
    locdet_eval_rooms_free(&bad);
    return r;
}

Test(eval_report, json_document)
{
    locdet_eval_report r = two_strategy_report();
    cJSON *doc = locdet_eval_report_json(&r);
    cr_assert_not_null(doc);
    cr_assert_float_eq(cJSON_GetObjectItem(doc, "iou_threshold")->valuedouble, 0.5, EPS);
    cJSON *st = cJSON_GetObjectItem(doc, "strategies");
    cr_assert_eq(cJSON_GetArraySize(st), 2);
    cJSON *good = cJSON_GetArrayItem(st, 0), *bad = cJSON_GetArrayItem(st, 1);
    cr_assert_str_eq(cJSON_GetObjectItem(good, "name")->valuestring, "good");
    cJSON *gp = cJSON_GetObjectItem(good, "pooled");
    cr_assert_float_eq(cJSON_GetObjectItem(gp, "f1")->valuedouble, 1.0, EPS);
    cr_assert_float_eq(cJSON_GetObjectItem(gp, "detect_ms_median")->valuedouble, 10.5, EPS);
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(gp, "auc")));
    cJSON *bp = cJSON_GetObjectItem(bad, "pooled");
    /* 1 match of 4 rooms, 1 detection: P 1, R .25, F1 .4; one plan failed */
    cr_assert_float_eq(cJSON_GetObjectItem(bp, "f1")->valuedouble, 0.4, EPS);
    cr_assert_float_eq(cJSON_GetObjectItem(bp, "recall")->valuedouble, 0.25, EPS);
    cr_assert_eq(cJSON_GetObjectItem(bp, "failed")->valueint, 1);
    cJSON *sets = cJSON_GetObjectItem(bad, "sets");
    cr_assert_eq(cJSON_GetArraySize(sets), 2);
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(sets, 1), "set")->valuestring, "setB");
    cr_assert_float_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(sets, 0), "f1")->valuedouble,
                       2.0 / 3.0, EPS);
    cJSON *plans = cJSON_GetObjectItem(bad, "plans");
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(plans, 1), "error")->valuestring,
                     "decode failed");
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(plans, 0), "error")));
    /* per detection: the good strategy's second plan matches its two
     * detections to true rooms 0 and 1; the bad one's failed plan has none */
    cJSON *dets = cJSON_GetObjectItem(
        cJSON_GetArrayItem(cJSON_GetObjectItem(good, "plans"), 1), "detections");
    cr_assert_eq(cJSON_GetArraySize(dets), 2);
    for (int d = 0; d < 2; d++) {
        cJSON *e = cJSON_GetArrayItem(dets, d);
        cr_assert_eq(cJSON_GetObjectItem(e, "match")->valueint, d);
        cr_assert_float_eq(cJSON_GetObjectItem(e, "iou")->valuedouble, 1.0, EPS);
        cr_assert_float_eq(cJSON_GetObjectItem(e, "confidence")->valuedouble, 0.9 - 0.1 * d,
                           EPS);
    }
    cr_assert_eq(
        cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetArrayItem(plans, 1), "detections")), 0);
    cJSON_Delete(doc);
    locdet_eval_report_free(&r);
}

Test(eval_report, table_has_every_plan_and_pooled_lines)
{
    locdet_eval_report r = two_strategy_report();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    locdet_eval_print_table(f, &r);
    fclose(f);
    cr_assert(strstr(buf, "good") && strstr(buf, "bad"), "%s", buf);
    cr_assert(strstr(buf, "setA/p1") && strstr(buf, "setB/p2"), "%s", buf);
    cr_assert(strstr(buf, "pooled setA") && strstr(buf, "pooled setB"), "%s", buf);
    cr_assert(strstr(buf, "decode failed"), "%s", buf);
    /* the good strategy's pooled line: 4/4/4 and F1 1.000 */
    const char *pooled = strstr(buf, "\npooled ");
    pooled = strstr(pooled + 1, "\npooled ");
    pooled = strstr(pooled + 1, "\npooled");
    cr_assert_not_null(pooled, "%s", buf);
    cr_assert(strstr(pooled, "4/4/4       1.000 1.000 1.000"), "%s", buf);
    cr_assert(strstr(pooled, "1/1/4       1.000 0.250 0.400"), "%s", buf);
    /* no true room has a label: no recall-by-label lines */
    cr_assert_null(strstr(buf, "recall by true label"), "%s", buf);
    free(buf);
    locdet_eval_report_free(&r);
}

/* Recall per true label: 2 closets (one found), a bedroom (found) and a
 * room without a label (found, not counted by label); most rooms first. */
Test(eval_labels, recall_per_true_label)
{
    locdet_eval_rooms gt = parse(
        "{\"rooms\":[{\"bbox\":[0,0,10,10],\"label\":\"closet\"},"
        "{\"bbox\":[20,0,30,10],\"label\":\"closet\"},"
        "{\"bbox\":[40,0,60,20],\"label\":\"bedroom\"},"
        "{\"bbox\":[70,0,90,20]}]}",
        true);
    locdet_eval_rooms det = boxes("0 0 10 10; 40 0 60 20; 70 0 90 20; 100 100 110 110");
    locdet_eval_plan p;
    cr_assert_eq(locdet_eval_plan_score(&p, "t", &gt, &det), 0);
    locdet_eval_summary s;
    cr_assert_eq(locdet_eval_summarize(&p, 1, &s), 0);
    cr_assert_eq(s.tp, 3);
    cr_assert_eq(s.n_labels, 2);
    cr_assert_str_eq(s.labels[0].label, "closet");
    cr_assert_eq(s.labels[0].n_gt, 2);
    cr_assert_eq(s.labels[0].tp, 1);
    cr_assert_str_eq(s.labels[1].label, "bedroom");
    cr_assert_eq(s.labels[1].n_gt, 1);
    cr_assert_eq(s.labels[1].tp, 1);
    /* pooled over two copies of the plan: counts add up */
    locdet_eval_plan two[2] = {p, p};
    cr_assert_eq(locdet_eval_summarize(two, 2, &s), 0);
    cr_assert_eq(s.labels[0].n_gt, 4);
    cr_assert_eq(s.labels[0].tp, 2);
    /* in the JSON summary */
    cJSON *o = locdet_eval_summary_json(&s);
    cJSON *l0 = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "recall_by_label"), 0);
    cr_assert_str_eq(cJSON_GetObjectItem(l0, "label")->valuestring, "closet");
    cr_assert_eq(cJSON_GetObjectItem(l0, "gt")->valueint, 4);
    cr_assert_eq(cJSON_GetObjectItem(l0, "matched")->valueint, 2);
    cr_assert_float_eq(cJSON_GetObjectItem(l0, "recall")->valuedouble, 0.5, EPS);
    cJSON_Delete(o);
    locdet_eval_plan_free(&p);
    locdet_eval_rooms_free(&gt);
    locdet_eval_rooms_free(&det);
}

/* Past LOCDET_EVAL_LABELS - 1 labels, the rest pool as "(more)", last. */
Test(eval_labels, many_labels_pool_as_more)
{
    char json[4096] = "{\"rooms\":[";
    int n = LOCDET_EVAL_LABELS + 2;
    for (int i = 0; i < n; i++)
        snprintf(json + strlen(json), sizeof json - strlen(json),
                 "%s{\"bbox\":[%d,0,%d,10],\"label\":\"l%02d\"}", i ? "," : "", 20 * i,
                 20 * i + 10, i);
    strcat(json, "]}");
    locdet_eval_rooms gt = parse(json, true), det = boxes("0 0 10 10");
    locdet_eval_plan p;
    cr_assert_eq(locdet_eval_plan_score(&p, "t", &gt, &det), 0);
    locdet_eval_summary s;
    cr_assert_eq(locdet_eval_summarize(&p, 1, &s), 0);
    cr_assert_eq(s.n_labels, LOCDET_EVAL_LABELS);
    cr_assert_str_eq(s.labels[0].label, "l00"); /* one room each: by name */
    cr_assert_eq(s.labels[0].tp, 1);
    const locdet_eval_label_recall *more = &s.labels[LOCDET_EVAL_LABELS - 1];
    cr_assert_str_eq(more->label, "(more)");
    cr_assert_eq(more->n_gt, 3);
    cr_assert_eq(more->tp, 0);
    locdet_eval_plan_free(&p);
    locdet_eval_rooms_free(&gt);
    locdet_eval_rooms_free(&det);
}
