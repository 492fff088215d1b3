/* Bench rows: memcpy (the bandwidth reference) and the threshold family. */
#include <string.h>

#include "bench.h"
#if LOCDET_HAVE_OPENCV
#include "opencv_peer.h"
#endif

static int run_memcpy(const bench_case *c, const locdet_kernels *k, bench_env *env)
{
    (void)c, (void)k;
    const locdet_image *src = &env->in->gray;
    if (src->stride == env->out.stride) {
        memcpy(env->out.data, src->data, (size_t)src->stride * (size_t)src->height);
    } else {
        for (int y = 0; y < src->height; y++)
            memcpy(env->out.data + y * env->out.stride, src->data + y * src->stride,
                   (size_t)src->width);
    }
    return 0;
}

static int run_threshold_binary(const bench_case *c, const locdet_kernels *k, bench_env *env)
{
    (void)c;
    return locdet_threshold_binary(k, &env->in->gray, &env->out, 127, true);
}

#if LOCDET_HAVE_OPENCV
static int peer_threshold_binary_row(const bench_case *c, bench_env *env)
{
    (void)c;
    const locdet_image *s = &env->in->gray;
    peer_threshold_binary(s->data, s->stride, env->out.data, env->out.stride, s->width, s->height,
                          127, 1);
    return 0;
}
#define PEER(fn) fn
#else
#define PEER(fn) NULL
#endif

const bench_case bench_cases_memcpy[] = {
    {.name = "memcpy", .params = "", .has_isa = false, .run = run_memcpy},
    {0},
};

const bench_case bench_cases_threshold[] = {
    {.name = "threshold.binary", .params = "", .has_isa = true, .run = run_threshold_binary,
     .peer = PEER(peer_threshold_binary_row)},
    {0},
};
