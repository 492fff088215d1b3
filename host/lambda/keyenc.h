/* S3 object keys on their way in (decoding what each event shape carries)
 * and out (encoding the request path the way SigV4 and S3 expect). */
#ifndef LOCDET_LAMBDA_KEYENC_H
#define LOCDET_LAMBDA_KEYENC_H

#include <stddef.h>

/* AWS's URI encoding for a path: every byte except the unreserved
 * A-Za-z0-9-._~ and '/' becomes %XX (upper-case hex). S3 signs the path
 * exactly so (no double encoding), so a request whose path is built by this
 * function signs the same on both ends. Returns a malloc'd string or NULL. */
char *keyenc_uri_path(const char *key);

/* Decode %XX escapes; with plus_is_space, '+' is a space
 * (application/x-www-form-urlencoded, as S3 notifications carry keys).
 * Returns a malloc'd string, or NULL for a bad escape (%, %4, %zz), an
 * escaped NUL, or no memory. */
char *keyenc_decode(const char *in, int plus_is_space);

/* 1 when s is valid UTF-8 (S3 keys are UTF-8; anything else is a bad event). */
int keyenc_utf8_valid(const char *s);

#endif
