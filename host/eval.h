/* Evaluation of detected rooms against ground truth (`locdet eval`).
 *
 * Scoring (docs/eval.md): greedy one-to-one matching of detected and true
 * room boxes, best box IoU first, a pair counting at IoU >= 0.5. Precision,
 * recall and F1 per plan and pooled over a set; mean box IoU of the matches;
 * polygon IoU of matched pairs where both sides have polygons (scanline
 * rasterized, a pixel is inside when its centre is, even-odd rule); ROC AUC
 * of detection confidence, matched (positive) against unmatched (negative),
 * by the Mann-Whitney U statistic. */
#ifndef LOCDET_EVAL_H
#define LOCDET_EVAL_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>

#include "errors.h"

#define LOCDET_EVAL_IOU_MATCH 0.5
#define LOCDET_EVAL_LABEL_MAX 32 /* bytes of a true room's label kept, NUL included */
#define LOCDET_EVAL_LABELS 16    /* labels a summary counts apart; further ones pool as "(more)" */

typedef struct locdet_eval_room {
    double bbox[4];     /* x0, y0, x1, y1 in pixels, x1/y1 exclusive */
    double *poly;       /* x, y pairs (pixel-corner coordinates), NULL when absent */
    int n_poly;         /* number of points */
    double confidence;  /* NAN when absent */
    char label[LOCDET_EVAL_LABEL_MAX]; /* ground truth's "label" (truncated), "" when absent */
} locdet_eval_room;

typedef struct locdet_eval_rooms {
    locdet_eval_room *room;
    int n;
    int width, height;  /* 0 when the document does not say */
} locdet_eval_rooms;

/* Ground truth: {"image","width","height","rooms":[{"polygon","bbox",...}]}.
 * A room needs "bbox"; "polygon" and "label" (a string) are optional. Returns 0, or -1 with err set
 * (LOCDET_EXIT_INVALID_EVENT for a malformed document, _INTERNAL for memory). */
int locdet_eval_rooms_from_gt(const cJSON *doc, locdet_eval_rooms *out, locdet_error *err);
/* A locdet result (DESIGN.md schema): rooms[].bbox_px, .polygon, .confidence. */
int locdet_eval_rooms_from_result(const cJSON *doc, locdet_eval_rooms *out, locdet_error *err);
/* Read and parse a JSON file (cJSON_Delete the result). NULL with err set. */
cJSON *locdet_eval_read_json(const char *path, locdet_error *err);
void locdet_eval_rooms_free(locdet_eval_rooms *r);

/* IoU of two boxes (x1/y1 exclusive); 0 when both are empty. */
double locdet_eval_box_iou(const double a[4], const double b[4]);
/* IoU of two polygons rasterized over the union of their bounding boxes.
 * Returns -1 on allocation failure, 0 when both cover no pixel centre. */
double locdet_eval_polygon_iou(const double *a, int na, const double *b, int nb);
/* Pixel centres inside a polygon (same rasterization). */
long locdet_eval_polygon_area(const double *p, int n);
/* ROC AUC of scores: P(pos > neg) + P(pos == neg) / 2. NAN when either side
 * is empty. Returns -2 on allocation failure. */
double locdet_eval_auc(const double *pos, int n_pos, const double *neg, int n_neg);

/* One plan scored. Arrays are per detection. */
typedef struct locdet_eval_plan {
    char *name;
    int n_gt, n_det, tp;
    double sum_iou;          /* box IoU summed over matches */
    double sum_poly_iou;     /* polygon IoU summed over matches with polygons on both sides */
    int n_poly;              /* matches with polygons on both sides */
    int *det_match;          /* per detection: index of its true room, or -1 */
    double *det_iou;         /* per detection: box IoU with its match (0 if none) */
    double *det_conf;        /* per detection: confidence (NAN when absent) */
    char (*gt_label)[LOCDET_EVAL_LABEL_MAX]; /* per true room: its label ("" when none) */
    unsigned char *gt_matched;               /* per true room: 1 when a detection matched it */
    double detect_ms, total_ms; /* from the result's timings_ms; NAN when absent */
    char *error;             /* detection failed: the message (the plan then counts its
                                true rooms as missed); NULL otherwise */
} locdet_eval_plan;

/* Match det against gt. Returns 0, or -1 on allocation failure. */
int locdet_eval_plan_score(locdet_eval_plan *out, const char *name,
                           const locdet_eval_rooms *gt, const locdet_eval_rooms *det);
/* A plan whose detection failed: all of gt missed, the error kept. */
int locdet_eval_plan_failed(locdet_eval_plan *out, const char *name,
                            const locdet_eval_rooms *gt, const char *message);
void locdet_eval_plan_free(locdet_eval_plan *p);

/* True rooms of one label, and how many of them were matched. */
typedef struct locdet_eval_label_recall {
    char label[LOCDET_EVAL_LABEL_MAX];
    int n_gt, tp;
} locdet_eval_label_recall;

/* Figures for one plan or pooled over several. */
typedef struct locdet_eval_summary {
    int plans, failed;
    int n_gt, n_det, tp;
    double precision, recall, f1;
    double mean_iou, mean_poly_iou; /* NAN without matches */
    double auc;                      /* NAN when undefined */
    double detect_ms_median, detect_ms_max, total_ms_median; /* NAN when unknown */
    /* recall per true label (labelled true rooms only), most rooms first,
     * then by name; past LOCDET_EVAL_LABELS - 1 labels the rest pool as "(more)" */
    locdet_eval_label_recall labels[LOCDET_EVAL_LABELS];
    int n_labels;
} locdet_eval_summary;

/* Pool plans[0..n). Returns 0, or -1 on allocation failure. */
int locdet_eval_summarize(const locdet_eval_plan *plans, int n, locdet_eval_summary *out);

/* Results of several strategies over the same plans, for the table and JSON. */
typedef struct locdet_eval_strategy {
    char *name;
    locdet_eval_plan *plans;
    int n_plans, cap_plans;
} locdet_eval_strategy;

typedef struct locdet_eval_report {
    locdet_eval_strategy *strategies;
    int n_strategies;
    char **set_names;        /* plan sets (the DIR arguments), in order */
    int *set_of_plan;        /* per plan index: its set */
    int n_sets, n_plans_total;
} locdet_eval_report;

/* Append a plan to strategy s (takes ownership of *p's contents). */
int locdet_eval_strategy_add(locdet_eval_strategy *s, locdet_eval_plan *p);
void locdet_eval_report_free(locdet_eval_report *r);

/* Human table: per plan, per set pooled and overall pooled, the strategies
 * side by side. */
void locdet_eval_print_table(FILE *f, const locdet_eval_report *r);
/* {"iou_threshold":0.5,"strategies":[{"name","pooled":{...},"sets":[...],"plans":[...]}]} */
cJSON *locdet_eval_report_json(const locdet_eval_report *r);
/* The summary as a JSON object (numbers; null where undefined). */
cJSON *locdet_eval_summary_json(const locdet_eval_summary *s);

#endif
