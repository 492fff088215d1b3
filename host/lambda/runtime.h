/* The Lambda Runtime API client (2018-06-01): next invocation, response,
 * invocation error, init error. */
#ifndef LOCDET_LAMBDA_RUNTIME_H
#define LOCDET_LAMBDA_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

typedef struct rt_client rt_client;

typedef struct rt_invocation {
    char request_id[256];
    int64_t deadline_ms;        /* Unix ms; 0 when the header was missing */
    char function_arn[512];
    char trace_id[1024];
    char *body;                 /* the event, malloc'd, NUL-terminated */
    size_t len;
} rt_invocation;

/* api: the value of AWS_LAMBDA_RUNTIME_API (host:port). */
rt_client *rt_new(const char *api);
void rt_free(rt_client *rt);

/* Wait for the next invocation (no timeout: the process is frozen between
 * invocations). Returns the HTTP status (200 expected), or -1 when the
 * Runtime API could not be reached; why says what went wrong. */
long rt_next(rt_client *rt, rt_invocation *inv, char *why, size_t why_size);
void rt_invocation_clear(rt_invocation *inv);

/* POST /runtime/invocation/{id}/response. Returns the status (202) or -1. */
long rt_respond(rt_client *rt, const char *request_id, const char *body, size_t len);

/* POST {"errorMessage","errorType","stackTrace":[]} with the header
 * Lambda-Runtime-Function-Error-Type to /runtime/invocation/{id}/error, or
 * to /runtime/init/error when request_id is NULL. Returns the status or -1. */
long rt_error(rt_client *rt, const char *request_id, const char *type, const char *message);

#endif
