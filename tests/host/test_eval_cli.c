/* `locdet eval` end to end: plangen plans with their ground truth written
 * into two set folders, scored by the real executable. Checks the report's
 * structure (JSON on stdout, table on stderr with --json), known answers
 * (the ground-truth counts, `rooms` perfect on simple plans, `seed` finding
 * no room of a simple plan since it reports ink outlines), the gallery, and
 * the usage errors. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plangen.h"
#include "testutil.h"

static char *dir;
static char set_simple[4200], set_apartment[4200], gallery[4200];
static int gt_simple, gt_apartment, width_apartment;

static int write_plan(const char *set, const char *preset, uint64_t seed, const char *id)
{
    plangen_plan plan;
    cr_assert_eq(plangen_generate(preset, seed, 700, &plan), 0);
    char png[4300], gt[4300], name[64];
    snprintf(name, sizeof name, "%s.png", id);
    snprintf(png, sizeof png, "%s/%s.png", set, id);
    snprintf(gt, sizeof gt, "%s/%s.gt.json", set, id);
    cr_assert_eq(plangen_write_png(&plan, png), 0);
    cr_assert_eq(plangen_write_gt_json(&plan, name, gt), 0);
    int n = plan.n_rooms;
    width_apartment = plan.width;
    plangen_free(&plan);
    return n;
}

static void setup(void)
{
    dir = temp_dir();
    snprintf(set_simple, sizeof set_simple, "%s/simple", dir);
    snprintf(set_apartment, sizeof set_apartment, "%s/apartment", dir);
    snprintf(gallery, sizeof gallery, "%s/gallery", dir);
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' '%s'", set_simple, set_apartment);
    cr_assert_eq(system(cmd), 0);
    gt_simple = write_plan(set_simple, "simple", 1, "p1") + write_plan(set_simple, "simple", 2, "p2");
    gt_apartment = write_plan(set_apartment, "apartment", 3, "p3");
    /* A stray image without ground truth is not a plan. */
    char stray[4300];
    snprintf(stray, sizeof stray, "%s/notes.txt", set_simple);
    cr_assert(write_bytes(stray, "x", 1));
    unsetenv("LOCDET_STRATEGY");
    unsetenv("LOCDET_PARAMS");
}

static void teardown(void)
{
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
    free(dir);
}

TestSuite(eval_cli, .init = setup, .fini = teardown, .timeout = 120);

#define RUN(...) run_locdet((const char *const[]){__VA_ARGS__, NULL})

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItem(o, k);
    cr_assert(cJSON_IsNumber(v), "field %s is not a number", k);
    return v->valuedouble;
}

static const cJSON *strategy(const cJSON *doc, const char *name)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(doc, "strategies"))
        if (!strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(s, "name")), name))
            return s;
    cr_assert_fail("no strategy %s in the report", name);
    return NULL;
}

static const cJSON *set_of(const cJSON *st, const char *set)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(st, "sets"))
        if (!strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(s, "set")), set))
            return s;
    cr_assert_fail("no set %s", set);
    return NULL;
}

Test(eval_cli, json_report_of_two_strategies_over_two_sets)
{
    run_out r = RUN("eval", set_simple, set_apartment, "--strategy", "seed", "-s", "rooms",
                    "--json", "--quiet");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cJSON *doc = cJSON_Parse(r.out);
    cr_assert_not_null(doc, "stdout is not JSON: %.300s", r.out);
    /* --json: the human table goes to stderr. */
    cr_assert_not_null(strstr(r.err, "pooled simple"), "%s", r.err);
    cr_assert_eq(num(doc, "iou_threshold"), 0.5);
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "strategies")), 2);

    static const char *const fields[] = {"plans", "failed", "gt", "detected", "matched",
                                         "precision", "recall", "f1", "mean_iou",
                                         "mean_polygon_iou", "auc", "detect_ms_median",
                                         "detect_ms_max", "total_ms_median"};
    for (int k = 0; k < 2; k++) {
        const cJSON *st = strategy(doc, k ? "rooms" : "seed");
        const cJSON *pooled = cJSON_GetObjectItem(st, "pooled");
        for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
            cr_assert_not_null(cJSON_GetObjectItem(pooled, fields[f]), "pooled.%s", fields[f]);
        cr_assert_eq(num(pooled, "plans"), 3);
        cr_assert_eq(num(pooled, "failed"), 0);
        cr_assert_eq(num(pooled, "gt"), gt_simple + gt_apartment);
        cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(st, "sets")), 2);
        cr_assert_eq(num(set_of(st, "simple"), "gt"), gt_simple);
        cr_assert_eq(num(set_of(st, "apartment"), "gt"), gt_apartment);
        /* Plans in name order, with their set and no error. */
        const cJSON *plans = cJSON_GetObjectItem(st, "plans");
        cr_assert_eq(cJSON_GetArraySize(plans), 3);
        static const char *const names[] = {"simple/p1", "simple/p2", "apartment/p3"};
        for (int i = 0; i < 3; i++) {
            const cJSON *p = cJSON_GetArrayItem(plans, i);
            cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(p, "plan")), names[i]);
            cr_assert(cJSON_IsNull(cJSON_GetObjectItem(p, "error")));
            cr_assert_geq(num(p, "detect_ms_median"), 0);
        }
        /* Pooled = sums of the per-plan counts, F1 = 2 matched / (gt + detected). */
        double m = num(pooled, "matched"), d = num(pooled, "detected"), g = num(pooled, "gt");
        cr_assert_float_eq(num(pooled, "f1"), 2 * m / (g + d), 1e-9);
    }
    /* Known answers: rooms finds every room of a simple plan with a tight box;
     * seed reports ink outlines (the building), never a simple plan's room. */
    const cJSON *rs = set_of(strategy(doc, "rooms"), "simple");
    cr_assert_eq(num(rs, "matched"), gt_simple);
    cr_assert_eq(num(rs, "detected"), gt_simple);
    cr_assert_eq(num(rs, "f1"), 1.0);
    cr_assert_gt(num(rs, "mean_iou"), 0.95);
    cr_assert_gt(num(rs, "mean_polygon_iou"), 0.95);
    /* plangen labels its rooms: recall per label, summed to the set's */
    const cJSON *labels = cJSON_GetObjectItem(rs, "recall_by_label"), *l;
    double label_gt = 0, label_matched = 0;
    cr_assert_gt(cJSON_GetArraySize(labels), 0);
    cJSON_ArrayForEach(l, labels)
    {
        label_gt += num(l, "gt");
        label_matched += num(l, "matched");
    }
    cr_assert_eq(label_gt, gt_simple);
    cr_assert_eq(label_matched, gt_simple);
    const cJSON *ss = set_of(strategy(doc, "seed"), "simple");
    cr_assert_eq(num(ss, "matched"), 0);
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(ss, "mean_iou")));
    cJSON_Delete(doc);
    run_free(&r);
}

Test(eval_cli, table_gallery_and_half)
{
    run_out r = RUN("eval", set_simple, set_apartment, "-s", "rooms", "--gallery", gallery, "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    /* Without --json the table is on stdout. */
    cr_assert_not_null(strstr(r.out, "pooled apartment"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "simple/p2"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "recall by true label, rooms:"), "%s", r.out);
    run_free(&r);
    char path[4400];
    snprintf(path, sizeof path, "%s/index.html", gallery);
    size_t size;
    char *html = (char *)read_bytes(path, &size);
    cr_assert_not_null(html, "no %s", path);
    cr_assert_not_null(memmem(html, size, "simple__p1.rooms.png", 20));
    free(html);
    /* Truth | detection side by side, 8 px apart. */
    snprintf(path, sizeof path, "%s/apartment__p3.rooms.png", gallery);
    uint8_t *png = read_bytes(path, &size);
    cr_assert_not_null(png, "no %s", path);
    cr_assert_gt(size, 24);
    uint32_t w = (uint32_t)png[16] << 24 | (uint32_t)png[17] << 16 | (uint32_t)png[18] << 8 | png[19];
    cr_assert_eq(w, 2 * (uint32_t)width_apartment + 8, "%u", w);
    free(png);

    r = RUN("eval", set_simple, "--half", "odd", "--json", "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cJSON *doc = cJSON_Parse(r.out);
    cr_assert_not_null(doc);
    const cJSON *plans = cJSON_GetObjectItem(strategy(doc, "rooms"), "plans");
    cr_assert_eq(cJSON_GetArraySize(plans), 1);
    cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(plans, 0), "plan")),
                     "simple/p2");
    cJSON_Delete(doc);
    run_free(&r);
}

Test(eval_cli, usage_errors)
{
    run_out r = RUN("eval");
    cr_assert_eq(r.status, 2);
    run_free(&r);
    r = RUN("eval", set_simple, "--half", "third");
    cr_assert_eq(r.status, 2);
    run_free(&r);
    r = RUN("eval", set_simple, "--strategy", "no-such-strategy", "-q");
    cr_assert_eq(r.status, 6, "%s", r.err);
    run_free(&r);
    r = RUN("eval", "--help");
    cr_assert_eq(r.status, 0);
    cr_assert_not_null(strstr(r.out, "usage: locdet eval"));
    run_free(&r);
}
