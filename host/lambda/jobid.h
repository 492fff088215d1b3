/* Job ids: the name of the result object (results/{jobId}.json), so they are
 * checked before anything is written. */
#ifndef LOCDET_LAMBDA_JOBID_H
#define LOCDET_LAMBDA_JOBID_H

#include <stddef.h>

#define JOBID_MAX 128

/* 1 when id matches [A-Za-z0-9._-]{1,128}. "." and ".." match too: they only
 * ever appear inside "results/{jobId}.json", never as a path segment alone. */
int jobid_valid(const char *id);

/* The jobId of a blueprint key "[prefix/]blueprints/{jobId}.{ext}": the file
 * name without its last extension, when the folder it sits in is named
 * "blueprints". Writes it into out (JOBID_MAX + 1 bytes) and returns 1 when
 * the key has that form and the id is valid; otherwise returns 0 and writes
 * the reason into why (why_size bytes). */
int jobid_from_key(const char *key, char out[JOBID_MAX + 1], char *why, size_t why_size);

#endif
