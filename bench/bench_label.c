/* Bench rows: the label family. Everything is in the timed call on both
 * sides: the label image, the statistics, their allocation and release. */
#include "bench.h"
#if LOCDET_HAVE_OPENCV
#include "opencv_peer.h"
#endif

static int run_label(const bench_case *c, const locdet_kernels *k, bench_env *env)
{
    locdet_labeling l;
    int status = locdet_label(k, bench_input(env->in, c->params), (int)c->arg[0], env->threads, &l);
    locdet_labeling_free(&l);
    return status;
}

#if LOCDET_HAVE_OPENCV
static int peer_label(const bench_case *c, bench_env *env)
{
    const locdet_image *s = bench_input(env->in, c->params);
    /* Labels and stats stay in OpenCV's own Mats (no copy out). */
    return peer_connected_components(s->data, s->stride, s->width, s->height, (int)c->arg[0], NULL,
                                     0, NULL, NULL) < 1;
}
#define PEER(fn) fn
#else
#define PEER(fn) NULL
#endif

#define LABEL_CASE(name_, params_, conn_)                                      \
    {.name = name_, .params = params_, .has_isa = true, .run = run_label,      \
     .peer = PEER(peer_label), .arg = {conn_}}

const bench_case bench_cases_label[] = {
    LABEL_CASE("label.ccl8", "plan", 8),
    LABEL_CASE("label.ccl8", "plan-inverse", 8),
    LABEL_CASE("label.ccl8", "noise50", 8),
    LABEL_CASE("label.ccl4", "plan", 4),
    LABEL_CASE("label.ccl4", "plan-inverse", 4),
    LABEL_CASE("label.ccl4", "noise50", 4),
    {0},
};
