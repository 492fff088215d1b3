/* A small S3 client over libcurl: GET an object, PUT an object. SigV4 by
 * curl (CURLOPT_AWS_SIGV4), with the parts curl 7.88 gets wrong done here:
 * the key's path encoding and x-amz-content-sha256. */
#ifndef LOCDET_LAMBDA_S3_H
#define LOCDET_LAMBDA_S3_H

#include <stddef.h>
#include <stdint.h>

#include "errors.h"

typedef struct s3_config {
    char region[64];
    char access_key[256];
    char secret_key[256];
    char session_token[4096];      /* "" = none */
    char endpoint[512];            /* "" = AWS; else scheme://host[:port], path-style */
    char ca_bundle[512];           /* "" = curl's default */
    uint64_t max_object_bytes;     /* GET limit (LOCDET_MAX_OBJECT_BYTES) */
    int max_attempts;              /* tries per request, >= 1 */
    int base_delay_ms;             /* backoff: full jitter in [0, min(cap, base * 2^n)] */
    int max_delay_ms;
} s3_config;

/* Read AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
 * LOCDET_S3_ENDPOINT, LOCDET_MAX_OBJECT_BYTES, LOCDET_S3_MAX_ATTEMPTS,
 * CURL_CA_BUNDLE / SSL_CERT_FILE. A missing or bad setting is Locdet.Config
 * naming it. */
locdet_exit s3_config_from_env(s3_config *cfg, locdet_error *err);

typedef struct s3_client s3_client;

s3_client *s3_client_new(const s3_config *cfg);
void s3_client_free(s3_client *c);

/* The request URL for bucket/key (for logs and tests); malloc'd. */
char *s3_object_url(const s3_client *c, const char *bucket, const char *key);

/* GET s3://bucket/key into *data (malloc'd, *size bytes). until_ms is the
 * CLOCK_REALTIME Unix ms by which to give up (0 = none). Errors:
 * Locdet.Storage (missing object: *not_found = 1; S3 error after retries),
 * Locdet.ImageTooLarge (over max_object_bytes, told by Content-Length or
 * while streaming), Locdet.DeadlineReached. */
locdet_exit s3_get(s3_client *c, const char *bucket, const char *key, int64_t until_ms,
                   uint8_t **data, size_t *size, int *not_found, locdet_error *err);

/* PUT body to s3://bucket/key with the given Content-Type. */
locdet_exit s3_put(s3_client *c, const char *bucket, const char *key, const void *body,
                   size_t len, const char *content_type, int64_t until_ms, locdet_error *err);

/* CLOCK_REALTIME in Unix ms (the clock of Lambda-Runtime-Deadline-Ms). */
int64_t s3_now_ms(void);

#endif
