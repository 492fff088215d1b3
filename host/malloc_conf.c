/* jemalloc's settings for the locdet executables (compiled in only when they
 * link jemalloc; MALLOC_CONF in the environment still overrides). Measured
 * in docs/performance.md:
 * - thp:always: jemalloc marks its large extents MADV_HUGEPAGE, so the
 *   image-sized buffers fault in 2 MiB at a time (a 2480x1754 `locdet
 *   detect`: 7000 page faults -> 500).
 * - oversize_threshold:0: no separate arena for allocations over 8 MiB,
 *   which jemalloc otherwise gives back to the kernel on free; a 4096^2
 *   plan's buffers then stay mapped from one stage, and one image, to the
 *   next (the Lambda runtime and the benchmarks run many images). */
__attribute__((visibility("default"))) const char *malloc_conf = "thp:always,oversize_threshold:0";
