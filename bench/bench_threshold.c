/* Bench rows: memcpy (the bandwidth reference), the threshold family and the
 * 5x5 Gaussian blur the old system ran before thresholding. Every row runs
 * on the rendered plan (gray) and times bytes in to bytes out: scratch
 * allocation, the pass(es) and the written binary image. */
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

static int run_threshold_otsu(const bench_case *c, const locdet_kernels *k, bench_env *env)
{
    (void)c;
    int t;
    return locdet_threshold_otsu(k, &env->in->gray, &env->out, true, &t);
}

/* arg[0]: block size, arg[1]: 1 for the Gaussian mean, arg[2]: 1 for its
 * fixed-point variant (compared with the same OpenCV call). C = 2, inverted:
 * the old system's setting (ink becomes 255). */
static int run_adaptive(const bench_case *c, const locdet_kernels *k, bench_env *env)
{
    int block = (int)c->arg[0];
    const locdet_image *src = &env->in->gray;
    if (c->arg[2])
        return locdet_threshold_adaptive_gaussian_fixed(k, src, &env->out, block, 2, true);
    return c->arg[1] ? locdet_threshold_adaptive_gaussian(k, src, &env->out, block, 2, true)
                     : locdet_threshold_adaptive_mean(k, src, &env->out, block, 2, true);
}

static int run_blur_gaussian5(const bench_case *c, const locdet_kernels *k, bench_env *env)
{
    (void)c;
    return locdet_blur_gaussian5(k, &env->in->gray, &env->out);
}

#if LOCDET_HAVE_OPENCV
static int peer_threshold_otsu_row(const bench_case *c, bench_env *env)
{
    (void)c;
    const locdet_image *s = &env->in->gray;
    peer_threshold_otsu(s->data, s->stride, env->out.data, env->out.stride, s->width, s->height, 1);
    return 0;
}

static int peer_adaptive_row(const bench_case *c, bench_env *env)
{
    const locdet_image *s = &env->in->gray;
    peer_adaptive_threshold(s->data, s->stride, env->out.data, env->out.stride, s->width, s->height,
                            (int)c->arg[1], 1, (int)c->arg[0], 2);
    return 0;
}

static int peer_blur_gaussian5_row(const bench_case *c, bench_env *env)
{
    (void)c;
    const locdet_image *s = &env->in->gray;
    peer_gaussian_blur5(s->data, s->stride, env->out.data, env->out.stride, s->width, s->height);
    return 0;
}

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
    {.name = "threshold.otsu", .params = "", .has_isa = true, .run = run_threshold_otsu,
     .peer = PEER(peer_threshold_otsu_row)},
    {.name = "threshold.adaptive_mean", .params = "11", .has_isa = true, .run = run_adaptive,
     .peer = PEER(peer_adaptive_row), .arg = {11, 0}},
    {.name = "threshold.adaptive_gaussian", .params = "11", .has_isa = true, .run = run_adaptive,
     .peer = PEER(peer_adaptive_row), .arg = {11, 1}},
    {.name = "threshold.adaptive_gaussian_fixed", .params = "11", .has_isa = true,
     .run = run_adaptive, .peer = PEER(peer_adaptive_row), .arg = {11, 1, 1}},
    {.name = "blur.gaussian5", .params = "", .has_isa = true, .run = run_blur_gaussian5,
     .peer = PEER(peer_blur_gaussian5_row)},
    {0},
};
