/* Bench rows: whole pipelines, `pipeline.<strategy>`. Bytes in to bytes out:
 * the bench plan as PNG bytes -> decode -> strategy -> result JSON text,
 * through the host library exactly as `locdet detect` runs it. The peer is
 * the old system's pipeline in OpenCV (blur, adaptive Gaussian, close, open,
 * findContours, approxPolyDP) on the already decoded image, so the ratio is
 * conservative: the peer is not charged for decoding or JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "host.h"
#include "plangen.h"
#if LOCDET_HAVE_OPENCV
#include "opencv_peer.h"
#endif

typedef struct pipeline_state {
    locdet_host *host;
    uint8_t *png;
    size_t png_size;
} pipeline_state;

/* The plan as PNG bytes, encoded once (plangen writes through libspng). */
static int encode_plan(const bench_inputs *in, uint8_t **out, size_t *size)
{
    plangen_plan plan = {0};
    plan.pixels = in->gray.data;
    plan.width = in->gray.width;
    plan.height = in->gray.height;
    plan.stride = in->gray.stride;
    char path[] = "/tmp/locdet-bench-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    int rc = plangen_write_png(&plan, path);
    FILE *f = rc == 0 ? fopen(path, "rb") : NULL;
    if (f) {
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        *out = n > 0 ? malloc((size_t)n) : NULL;
        *size = (size_t)n;
        rc = *out && fread(*out, 1, (size_t)n, f) == (size_t)n ? 0 : -1;
        fclose(f);
    } else {
        rc = -1;
    }
    unlink(path);
    return rc;
}

static int setup_pipeline(const bench_case *c, bench_env *env)
{
    pipeline_state *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    /* Find the build tree's plugins when nothing else says where they are. */
    if (!getenv("LOCDET_PLUGIN_PATH"))
        setenv("LOCDET_PLUGIN_PATH", LOCDET_BUILD_PLUGIN_DIR, 0);
    locdet_host_config cfg = {.strategy = (const char *)c->arg[0], .threads = env->threads};
    locdet_error err = {0};
    s->host = locdet_host_open(&cfg, &err);
    if (!s->host) {
        fprintf(stderr, "locdet-bench: %s: %s\n", c->name, err.message);
        free(s);
        return -1;
    }
    if (encode_plan(env->in, &s->png, &s->png_size) != 0) {
        locdet_host_close(s->host);
        free(s);
        return -1;
    }
    env->scratch = s;
    return 0;
}

static void teardown_pipeline(const bench_case *c, bench_env *env)
{
    (void)c;
    pipeline_state *s = env->scratch;
    locdet_host_close(s->host);
    free(s->png);
    free(s);
    env->scratch = NULL;
}

static int run_pipeline(const bench_case *c, const locdet_kernels *k, bench_env *env)
{
    (void)c, (void)k;
    pipeline_state *s = env->scratch;
    locdet_detect_request req = {.bytes = s->png, .size = s->png_size, .job_id = "bench"};
    locdet_error err = {0};
    cJSON *result = locdet_host_detect(s->host, &req, &err);
    if (!result)
        return LOCDET_ERR_NOMEM;
    char *text = cJSON_PrintUnformatted(result);
    cJSON_Delete(result);
    int rc = text && err.code == LOCDET_EXIT_OK ? 0 : LOCDET_ERR_INVALID;
    if (err.code != LOCDET_EXIT_OK)
        fprintf(stderr, "locdet-bench: %s: %s\n", c->name, err.message);
    free(text);
    return rc;
}

#if LOCDET_HAVE_OPENCV
static int peer_old_pipeline(const bench_case *c, bench_env *env)
{
    (void)c;
    const locdet_image *g = &env->in->gray;
    peer_seed_room *rooms = NULL;
    int n = peer_seed_pipeline(g->data, g->stride, g->width, g->height, 1000, 1000000, &rooms);
    if (n >= 0)
        peer_seed_free(rooms, n);
    return n < 0;
}
#define PEER(fn) fn
#else
#define PEER(fn) NULL
#endif

const bench_case bench_cases_pipeline[] = {
    {.name = "pipeline.seed", .params = "png", .pipeline = true, .setup = setup_pipeline,
     .teardown = teardown_pipeline, .run = run_pipeline, .peer = PEER(peer_old_pipeline),
     .arg = {(intptr_t)"seed"}},
    {.name = "pipeline.rooms", .params = "png", .pipeline = true, .setup = setup_pipeline,
     .teardown = teardown_pipeline, .run = run_pipeline, .peer = PEER(peer_old_pipeline),
     .arg = {(intptr_t)"rooms"}},
    {0},
};
