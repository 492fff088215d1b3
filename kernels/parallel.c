/* Strip parallelism for kernels: split [0, n) into `threads` contiguous
 * strips, the caller's thread taking the first and a persistent pool of
 * worker threads the others.
 *
 * Why a pool: a detection runs a few dozen parallel kernel calls of a
 * millisecond or two each. Creating and joining threads per call cost more
 * than the second core gave back (a 2480x1754 `locdet detect`: 27 ms more
 * CPU and slower at 2 threads than at 1, mostly page faults of fresh thread
 * stacks and allocator state). The workers are created on first use, as
 * many as the widest call asked for, and then wait on a condition variable
 * for the next batch; they live until the process exits.
 *
 * One batch runs at a time. A call made while the pool is busy (another
 * thread of the embedding program, or a strip function that itself runs
 * strips) runs its strips serially on the calling thread instead of
 * waiting: same results, no deadlock. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "parallel.h"

#define MAX_WORKERS 255

/* A strip under about a megapixel costs more than it gives back: waking a
 * worker, and the worker pulling rows the caller just wrote out of the other
 * core's cache. Measured on a 2-core AMD EPYC VM (docs/performance.md):
 * morphology on 1024^2 is slower at 2 threads than at 1 (0.055 -> 0.061 ms
 * for 3x3, 0.128 -> 0.151 ms for 31x31), on 2048^2 (2 MP strips) 1.4-1.6x
 * faster; `locdet detect` on a 2480x1754 JPEG (1.09 MP at half size) took
 * 41 ms at 2 threads with per-row strips and 34-37 ms with none. */
#define LOCDET_MIN_STRIP_PIXELS (1L << 20)

static struct {
    pthread_mutex_t busy; /* held by the caller running a batch */
    pthread_mutex_t lock; /* guards everything below */
    pthread_cond_t start, done;
    int workers;         /* started so far */
    unsigned long batch; /* bumped for each batch */
    int strips, pending; /* this batch: strips, strips not yet finished by workers */
    int n;
    locdet_strip_fn fn;
    void *ctx;
    /* the batch counter when each worker was started: a worker started for
     * a batch must not take that batch's bump for its starting point */
    unsigned long started_at[MAX_WORKERS + 1];
} pool = {
    .busy = PTHREAD_MUTEX_INITIALIZER,
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .start = PTHREAD_COND_INITIALIZER,
    .done = PTHREAD_COND_INITIALIZER,
};

static int strip_begin(int n, int strips, int i)
{
    return (int)((long long)n * i / strips);
}

/* Worker `index` (1-based: strip 0 is the caller's) runs its strip of every
 * batch that has that many strips. */
static void *worker(void *arg)
{
    int index = (int)(intptr_t)arg;
    pthread_mutex_lock(&pool.lock);
    unsigned long seen = pool.started_at[index];
    for (;;) {
        while (pool.batch == seen)
            pthread_cond_wait(&pool.start, &pool.lock);
        seen = pool.batch;
        if (index >= pool.strips)
            continue;
        locdet_strip_fn fn = pool.fn;
        void *ctx = pool.ctx;
        int n = pool.n, strips = pool.strips;
        pthread_mutex_unlock(&pool.lock);
        fn(ctx, strip_begin(n, strips, index), strip_begin(n, strips, index + 1), index);
        pthread_mutex_lock(&pool.lock);
        if (--pool.pending == 0)
            pthread_cond_signal(&pool.done);
    }
    return NULL;
}

/* Start workers until there are `want` (pool.lock held). Returns how many
 * there are: fewer when the system refuses threads. */
static int grow_pool(int want)
{
    while (pool.workers < want) {
        pthread_t tid;
        pthread_attr_t attr;
        if (pthread_attr_init(&attr))
            break;
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pool.started_at[pool.workers + 1] = pool.batch;
        int err = pthread_create(&tid, &attr, worker, (void *)(intptr_t)(pool.workers + 1));
        pthread_attr_destroy(&attr);
        if (err)
            break;
        pool.workers++;
    }
    return pool.workers;
}

static _Atomic long min_pixels = LOCDET_MIN_STRIP_PIXELS;

long locdet_parallel_min_pixels(void)
{
    return min_pixels;
}

void locdet_parallel_set_min_pixels(long pixels)
{
    min_pixels = pixels;
}

int locdet_strip_min_rows(int width, int min_rows)
{
    long px = locdet_parallel_min_pixels();
    long rows = width > 0 ? (px + width - 1) / width : 1;
    if (rows > INT32_MAX)
        rows = INT32_MAX;
    return rows > min_rows ? (int)rows : min_rows;
}

static int run_serial(int n, locdet_strip_fn fn, void *ctx)
{
    fn(ctx, 0, n, 0);
    return 1;
}

int locdet_parallel_strips(int threads, int n, int min_per_strip, locdet_strip_fn fn, void *ctx)
{
    if (threads < 1)
        threads = 1;
    if (min_per_strip < 1)
        min_per_strip = 1;
    if (threads > n / min_per_strip)
        threads = n / min_per_strip > 0 ? n / min_per_strip : 1;
    if (threads > MAX_WORKERS + 1)
        threads = MAX_WORKERS + 1;
    if (threads == 1 || pthread_mutex_trylock(&pool.busy))
        return run_serial(n, fn, ctx);

    pthread_mutex_lock(&pool.lock);
    int strips = grow_pool(threads - 1) + 1;
    if (strips > threads)
        strips = threads;
    if (strips == 1) {
        pthread_mutex_unlock(&pool.lock);
        pthread_mutex_unlock(&pool.busy);
        return run_serial(n, fn, ctx);
    }
    pool.fn = fn;
    pool.ctx = ctx;
    pool.n = n;
    pool.strips = strips;
    pool.pending = strips - 1;
    pool.batch++;
    pthread_cond_broadcast(&pool.start);
    pthread_mutex_unlock(&pool.lock);

    fn(ctx, 0, strip_begin(n, strips, 1), 0);

    pthread_mutex_lock(&pool.lock);
    while (pool.pending > 0)
        pthread_cond_wait(&pool.done, &pool.lock);
    pthread_mutex_unlock(&pool.lock);
    pthread_mutex_unlock(&pool.busy);
    return strips;
}
