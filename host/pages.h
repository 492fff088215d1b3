/* Image-sized buffers on huge pages: see pages.c. */
#ifndef LOCDET_HOST_PAGES_H
#define LOCDET_HOST_PAGES_H

#include <stddef.h>

/* A block of at least `size` bytes, 64-byte aligned, to release with free();
 * *got (may be NULL) receives its usable size. From 1 MiB up the block is
 * 2 MiB-aligned and a whole number of 2 MiB long. NULL when out of memory. */
void *locdet_alloc_pages(size_t size, size_t *got);

#endif
