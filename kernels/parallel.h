#ifndef LOCDET_PARALLEL_H
#define LOCDET_PARALLEL_H
#include <stdbool.h>

/* Called once per strip with its half-open range [begin, end) and its index
 * (0 .. strips-1). */
typedef void (*locdet_strip_fn)(void *ctx, int begin, int end, int index);

/* Split [0, n) into at most `threads` strips of at least `min_per_strip`
 * items and run fn on each, in parallel; returns the number of strips used.
 * Returns after every strip has finished. */
int locdet_parallel_strips(int threads, int n, int min_per_strip, locdet_strip_fn fn, void *ctx);

/* The fewest rows of `width` pixels worth a strip of their own: min_rows,
 * or more so that a strip has at least locdet_parallel_min_pixels(). */
int locdet_strip_min_rows(int width, int min_rows);

/* The least pixels per strip (default LOCDET_MIN_STRIP_PIXELS); tests set
 * it low to run the strips of small images in parallel. */
long locdet_parallel_min_pixels(void);
void locdet_parallel_set_min_pixels(long pixels);
#endif
