/* Trigger events -> a list of jobs (one blueprint each). docs/lambda.md names
 * every shape; FACTS.md and DESIGN.md give the key encodings. */
#ifndef LOCDET_LAMBDA_EVENTS_H
#define LOCDET_LAMBDA_EVENTS_H

#include <stddef.h>

#include "errors.h"
#include "jobid.h"

typedef enum lambda_event_kind {
    LAMBDA_EVENT_DIRECT,      /* the old trigger: {bucket, key, jobId, timestamp}, raw key */
    LAMBDA_EVENT_S3,          /* S3 Event Notification: Records[].s3, form-URL-encoded keys */
    LAMBDA_EVENT_SQS,         /* SQS messages whose bodies are S3 notifications */
    LAMBDA_EVENT_EVENTBRIDGE, /* EventBridge "Object Created" from aws.s3 */
    LAMBDA_EVENT_BATCH,       /* S3 Batch Operations, invocationSchemaVersion 1.0 or 2.0 */
} lambda_event_kind;

typedef struct lambda_job {
    char *bucket;
    char *key;          /* the object key as S3 stores it (decoded) */
    char *alt_key;      /* a second reading to try when key is missing, or NULL */
    char job_id[JOBID_MAX + 1]; /* "" when none could be had (then err says why) */
    const char *item_id;/* SQS messageId / Batch taskId (points into the event), or NULL */
    locdet_error err;   /* code != LOCDET_EXIT_OK: this record cannot be processed */
} lambda_job;

typedef struct lambda_event {
    lambda_event_kind kind;
    lambda_job *jobs;
    size_t n_jobs;
    size_t n_ignored;            /* s3:TestEvent messages, skipped */
    char *batch_schema;          /* Batch: "1.0" or "2.0" */
    char *batch_invocation_id;   /* Batch: echoed in the response */
    /* SQS: every messageId, in order, and the job range each produced. */
    char **sqs_ids;
    size_t *sqs_first, *sqs_count;
    size_t n_sqs;
    void *json;                  /* the parsed event (cJSON), owned */
} lambda_event;

const char *lambda_event_kind_name(lambda_event_kind kind);

/* Parse an event. A malformed whole event (not JSON, unknown shape, a field
 * missing or of the wrong type where no job can be told apart) returns
 * LOCDET_EXIT_INVALID_EVENT with err naming the field; ev is then empty. A
 * malformed record yields a job with err set, so the others still run (and
 * a job that has a jobId still gets its failed result). Out of memory is
 * LOCDET_EXIT_INTERNAL. */
locdet_exit lambda_event_parse(const char *body, size_t len, lambda_event *ev, locdet_error *err);
void lambda_event_free(lambda_event *ev);

#endif
