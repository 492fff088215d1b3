/* One invocation: event -> jobs -> (GET blueprint, detect, PUT result) each
 * -> the invocation's response or error, in the shape its trigger expects. */
#ifndef LOCDET_LAMBDA_HANDLER_H
#define LOCDET_LAMBDA_HANDLER_H

#include <stddef.h>
#include <stdint.h>

#include "errors.h"
#include "host.h"
#include "s3.h"

/* Lambda's limit on a synchronous response (the emulator's 413 threshold). */
#define LAMBDA_MAX_RESPONSE_BYTES 6291556

typedef struct lambda_ctx {
    locdet_host *host;
    s3_client *s3;
    const char *results_bucket;
    int64_t margin_ms;            /* time kept for the result PUT; < 0 = automatic */
    size_t max_response_bytes;    /* LAMBDA_MAX_RESPONSE_BYTES */
} lambda_ctx;

typedef struct lambda_outcome {
    int is_error;                 /* 1: post errorType/errorMessage to /error */
    char *body;                   /* is_error == 0: the response JSON (malloc'd) */
    const char *error_type;       /* is_error == 1 */
    char error_message[4096];
} lambda_outcome;

/* Time reserved before the deadline for writing the result (and answering):
 * LOCDET_DEADLINE_MARGIN_MS when set, else 1000 ms but at most a quarter of
 * the time the invocation has. */
int64_t lambda_margin_ms(const lambda_ctx *ctx, int64_t now_ms, int64_t deadline_ms);

/* deadline_ms: Lambda-Runtime-Deadline-Ms (0 = none). request_id only for logs. */
void lambda_handle(lambda_ctx *ctx, const char *event, size_t len, int64_t deadline_ms,
                   const char *request_id, lambda_outcome *out);
void lambda_outcome_clear(lambda_outcome *out);

#endif
