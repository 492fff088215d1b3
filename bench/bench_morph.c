/* Bench rows: the morph family on the binarized plan ("plan"), params "WxH". */
#include "bench.h"
#if LOCDET_HAVE_OPENCV
#include "opencv_peer.h"
#endif

/* arg[0]: locdet_morph_op, arg[1]: kw, arg[2]: kh. */
static int run_morph(const bench_case *c, const locdet_kernels *k, bench_env *env)
{
    return locdet_morph(k, (locdet_morph_op)c->arg[0], &env->in->binary, &env->out,
                        (int)c->arg[1], (int)c->arg[2], env->threads);
}

#if LOCDET_HAVE_OPENCV
static int peer_morph_row(const bench_case *c, bench_env *env)
{
    const locdet_image *s = &env->in->binary;
    peer_morph((int)c->arg[0], s->data, s->stride, env->out.data, env->out.stride, s->width,
               s->height, (int)c->arg[1], (int)c->arg[2]);
    return 0;
}
#define PEER peer_morph_row
#else
#define PEER NULL
#endif

#define ROW(name_, op_, kw_, kh_, params_)                                                \
    {.name = (name_), .params = (params_), .has_isa = true, .run = run_morph, .peer = PEER, \
     .arg = {(op_), (kw_), (kh_)}}

const bench_case bench_cases_morph[] = {
    ROW("morph.erode", LOCDET_MORPH_ERODE, 3, 3, "3x3"),
    ROW("morph.dilate", LOCDET_MORPH_DILATE, 3, 3, "3x3"),
    ROW("morph.open", LOCDET_MORPH_OPEN, 3, 3, "3x3"),
    ROW("morph.close", LOCDET_MORPH_CLOSE, 3, 3, "3x3"),
    ROW("morph.dilate", LOCDET_MORPH_DILATE, 31, 31, "31x31"),
    ROW("morph.dilate", LOCDET_MORPH_DILATE, 71, 71, "71x71"),
    ROW("morph.dilate", LOCDET_MORPH_DILATE, 201, 201, "201x201"),
    {0},
};
