/* jemalloc's settings for the locdet executables (compiled in only when they
 * link jemalloc; MALLOC_CONF in the environment still overrides). Measured
 * in docs/performance.md:
 * - thp:always: jemalloc marks its large extents MADV_HUGEPAGE, so the
 *   image-sized buffers fault in 2 MiB at a time (a 2480x1754 `locdet
 *   detect`: 7000 page faults -> 500).
 * - oversize_threshold:0: no separate arena for allocations over 8 MiB,
 *   which jemalloc otherwise gives back to the kernel on free.
 * - dirty_decay_ms:-1: freed pages are never purged, so image after image
 *   (the Lambda runtime, the benchmarks) reuses memory already faulted in;
 *   resident memory stays at the largest image's peak, which the process
 *   must be sized for anyway. */
__attribute__((visibility("default"))) const char *malloc_conf =
    "thp:always,oversize_threshold:0,dirty_decay_ms:-1";
