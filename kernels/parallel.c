/* Strip parallelism for kernels: split [0, n) into `threads` contiguous
 * strips and run them on pthreads, the caller's thread taking the first. */
#include <pthread.h>
#include <stdlib.h>

#include "parallel.h"

typedef struct strip_job {
    locdet_strip_fn fn;
    void *ctx;
    int begin, end, index;
} strip_job;

static void *run_strip(void *arg)
{
    strip_job *job = arg;
    job->fn(job->ctx, job->begin, job->end, job->index);
    return NULL;
}

int locdet_parallel_strips(int threads, int n, int min_per_strip, locdet_strip_fn fn, void *ctx)
{
    if (threads < 1)
        threads = 1;
    if (min_per_strip < 1)
        min_per_strip = 1;
    if (threads > n / min_per_strip)
        threads = n / min_per_strip > 0 ? n / min_per_strip : 1;
    if (threads == 1) {
        fn(ctx, 0, n, 0);
        return 1;
    }
    strip_job *jobs = calloc((size_t)threads, sizeof *jobs);
    pthread_t *tids = calloc((size_t)threads, sizeof *tids);
    bool *started = calloc((size_t)threads, sizeof *started);
    if (!jobs || !tids || !started) {
        free(jobs), free(tids), free(started);
        fn(ctx, 0, n, 0); /* degrade to one strip rather than fail */
        return 1;
    }
    for (int i = 0; i < threads; i++) {
        jobs[i] = (strip_job){fn, ctx, (int)((long long)n * i / threads),
                              (int)((long long)n * (i + 1) / threads), i};
    }
    for (int i = 1; i < threads; i++)
        started[i] = pthread_create(&tids[i], NULL, run_strip, &jobs[i]) == 0;
    run_strip(&jobs[0]);
    /* A strip whose thread could not start runs here, so none is lost. */
    for (int i = 1; i < threads; i++) {
        if (started[i])
            pthread_join(tids[i], NULL);
        else
            run_strip(&jobs[i]);
    }
    free(jobs), free(tids), free(started);
    return threads;
}
