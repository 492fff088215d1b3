/* Bench row: contour.trace, every border of the bench plan (binarized, ink =
 * 255) as findContours(RETR_CCOMP, CHAIN_APPROX_SIMPLE), beside OpenCV's
 * findContours. Both sides build their full output (points and hierarchy)
 * and free it inside the timed call. */
#include "bench.h"
#if LOCDET_HAVE_OPENCV
#include "opencv_peer.h"
#endif

static int run_contour_trace(const bench_case *c, const locdet_kernels *k, bench_env *env)
{
    locdet_contour_set set;
    int status = locdet_find_contours(k, bench_input(env->in, c->params), &set);
    locdet_contour_set_free(&set);
    return status;
}

#if LOCDET_HAVE_OPENCV
static int peer_contour_trace(const bench_case *c, bench_env *env)
{
    const locdet_image *s = bench_input(env->in, c->params);
    return peer_find_contours_count(s->data, s->stride, s->width, s->height) < 0;
}
#define PEER(fn) fn
#else
#define PEER(fn) NULL
#endif

const bench_case bench_cases_contour[] = {
    {.name = "contour.trace", .params = "plan", .has_isa = true, .run = run_contour_trace,
     .peer = PEER(peer_contour_trace)},
    {0},
};
