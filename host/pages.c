/* Image-sized buffers on huge pages.
 *
 * jemalloc marks its large extents MADV_HUGEPAGE (thp:always, malloc_conf.c),
 * but the kernel backs only 2 MiB-aligned, whole 2 MiB ranges with huge
 * pages. A 1.1 MB image buffer from malloc is neither, and faults in 4 KiB
 * at a time: about 270 faults, 2.7 ms in a Firecracker guest, where the
 * kernel writing into it needs 0.05 ms (docs/performance.md). Blocks of
 * 1 MiB or more are therefore 2 MiB-aligned and rounded up to whole 2 MiB
 * pages: at most one huge page more per buffer, a few faults instead of
 * hundreds. Without transparent huge pages the rounding costs address
 * space only: untouched pages are never resident. */
#include "pages.h"

#include <stdint.h>
#include <stdlib.h>

void *locdet_alloc_pages(size_t size, size_t *got)
{
    const size_t huge = (size_t)2 << 20;
    size_t align = 64;
    if (size > SIZE_MAX - huge)
        return NULL;
    size = ((size ? size : 1) + 63) & ~(size_t)63; /* never 0: aligned_alloc may fail on 0 */
    if (size >= huge / 2) {
        align = huge;
        size = (size + huge - 1) & ~(huge - 1);
    }
    if (got)
        *got = size;
    return aligned_alloc(align, size);
}
