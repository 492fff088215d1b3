/* SHA-256, for the x-amz-content-sha256 header that curl 7.88 leaves to us
 * (FIPS 180-4; checked against its test vectors in tests/lambda). */
#ifndef LOCDET_LAMBDA_SHA256_H
#define LOCDET_LAMBDA_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* Writes 64 lower-case hex digits and a NUL into hex. */
void sha256_hex(const void *data, size_t len, char hex[65]);

#endif
