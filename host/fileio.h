/* Files: read whole, and write through a temporary file renamed into place
 * so that no reader ever sees a partial output presented as complete. */
#ifndef LOCDET_HOST_FILEIO_H
#define LOCDET_HOST_FILEIO_H

#include <stdint.h>
#include <stdio.h>

#include "errors.h"

/* Errors: ImageDecode ("unreadable"), naming the file and the reason. */
locdet_exit locdet_read_file(const char *path, uint8_t **bytes, size_t *size, locdet_error *err);

/* Create PATH.tmp-XXXXXX beside path, let write(f, ctx) fill it (returns 0
 * on success), then rename it onto path. On any failure the temporary file
 * is removed and path is left as it was. Errors: Storage. */
typedef int (*locdet_writer_fn)(FILE *f, void *ctx);
locdet_exit locdet_write_atomic(const char *path, locdet_writer_fn write, void *ctx,
                                locdet_error *err);

#endif
