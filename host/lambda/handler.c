#include "handler.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"

typedef struct job_outcome {
    locdet_exit code;          /* LOCDET_EXIT_OK: completed, and its result is in S3 */
    char message[1100];
    cJSON *result;             /* the result (completed or failed), or NULL without jobId */
    char location[300];        /* s3://bucket/results/{jobId}.json once written */
    int not_found;             /* the blueprint does not exist: retrying will not help */
} job_outcome;

int64_t lambda_margin_ms(const lambda_ctx *ctx, int64_t now_ms, int64_t deadline_ms)
{
    if (ctx->margin_ms >= 0)
        return ctx->margin_ms;
    int64_t left = deadline_ms - now_ms;
    int64_t m = left / 4;
    return m > 1000 ? 1000 : m < 0 ? 0 : m;
}

static void set_msg(job_outcome *o, locdet_exit code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_msg(job_outcome *o, locdet_exit code, const char *fmt, ...)
{
    o->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->message, sizeof o->message, fmt, ap);
    va_end(ap);
}

static locdet_exit fetch(lambda_ctx *ctx, const lambda_job *job, int64_t until, uint8_t **data,
                         size_t *size, int *missing, locdet_error *e)
{
    int not_found = 0;
    locdet_exit rc = s3_get(ctx->s3, job->bucket, job->key, until, data, size, &not_found, e);
    if (rc == LOCDET_EXIT_STORAGE && not_found && job->alt_key) {
        locdet_error e2 = {0};
        rc = s3_get(ctx->s3, job->bucket, job->alt_key, until, data, size, &not_found, &e2);
        if (rc != LOCDET_EXIT_OK && !not_found)
            *e = e2;
        else if (rc != LOCDET_EXIT_OK)
            locdet_error_set(e, LOCDET_EXIT_STORAGE, "%.200s (also tried the key literally: s3://%.100s/%.150s)",
                             e->message, job->bucket, job->alt_key);
    }
    *missing = rc != LOCDET_EXIT_OK && not_found;
    return rc;
}

static void run_job(lambda_ctx *ctx, const lambda_job *job, int64_t deadline_ms, int64_t margin,
                    job_outcome *o)
{
    memset(o, 0, sizeof *o);
    int64_t t0 = s3_now_ms();
    int64_t detect_until = deadline_ms ? deadline_ms - margin : 0;
    /* The PUT may use most of the margin; a little is kept for answering. */
    int64_t put_until = deadline_ms ? deadline_ms - (margin / 5 < 200 ? margin / 5 : 200) : 0;
    locdet_error e = {0};
    if (job->err.code != LOCDET_EXIT_OK) {
        e = job->err;
    } else if (deadline_ms && t0 >= detect_until) {
        locdet_error_set(&e, LOCDET_EXIT_DEADLINE,
                         "no time left to start: %" PRId64 " ms to the deadline, %" PRId64
                         " ms kept for writing the result", deadline_ms - t0, margin);
    } else {
        uint8_t *data = NULL;
        size_t size = 0;
        if (fetch(ctx, job, detect_until, &data, &size, &o->not_found, &e) == LOCDET_EXIT_OK) {
            char name[1400];
            snprintf(name, sizeof name, "s3://%s/%s", job->bucket, job->key);
            locdet_detect_request rq = {.bytes = data, .size = size, .job_id = job->job_id,
                                        .deadline_ms = detect_until, .name = name};
            e = (locdet_error){0};
            o->result = locdet_host_detect(ctx->host, &rq, &e);
            if (!o->result && e.code == LOCDET_EXIT_OK)
                locdet_error_set(&e, LOCDET_EXIT_INTERNAL, "out of memory building the result");
        }
        free(data);
    }
    if (!o->result && job->job_id[0]) {
        if (e.code == LOCDET_EXIT_OK)
            locdet_error_set(&e, LOCDET_EXIT_INTERNAL, "no result");
        o->result = locdet_result_failed(job->job_id, &e);
    }
    set_msg(o, e.code, "%s", e.message);
    if (!o->result) {
        if (job->job_id[0] && o->code == LOCDET_EXIT_OK)
            set_msg(o, LOCDET_EXIT_INTERNAL, "out of memory building the result");
        return;
    }
    /* Every job with a jobId ends with results/{jobId}.json, completed or failed. */
    char key[JOBID_MAX + 32];
    snprintf(key, sizeof key, "results/%s.json", job->job_id);
    char *body = cJSON_PrintUnformatted(o->result);
    locdet_error pe = {0};
    if (!body) {
        locdet_error_set(&pe, LOCDET_EXIT_INTERNAL, "out of memory serialising the result");
    } else if (s3_put(ctx->s3, ctx->results_bucket, key, body, strlen(body), "application/json",
                      put_until, &pe) == LOCDET_EXIT_OK) {
        snprintf(o->location, sizeof o->location, "s3://%s/%s", ctx->results_bucket, key);
    }
    free(body);
    if (pe.code != LOCDET_EXIT_OK) {
        char first[sizeof o->message];
        snprintf(first, sizeof first, "%s", o->message);
        if (o->code == LOCDET_EXIT_OK)
            set_msg(o, pe.code == LOCDET_EXIT_DEADLINE ? LOCDET_EXIT_DEADLINE : LOCDET_EXIT_STORAGE,
                    "the result could not be written: %s", pe.message);
        else
            set_msg(o, o->code, "%s; and the failed result could not be written: %s", first,
                    pe.message);
    }
}

static const char *type_of(locdet_exit code)
{
    const char *t = locdet_error_type(code);
    return t ? t : "Locdet.Internal";
}

/* Batch Operations retries TemporaryFailure; the rest would fail again. */
static const char *batch_code(const job_outcome *o)
{
    if (o->not_found)
        return "PermanentFailure";
    switch (o->code) {
    case LOCDET_EXIT_OK: return "Succeeded";
    case LOCDET_EXIT_STORAGE:
    case LOCDET_EXIT_DEADLINE:
    case LOCDET_EXIT_INTERNAL: return "TemporaryFailure";
    default: return "PermanentFailure";
    }
}

static cJSON *summary(const job_outcome *o)
{
    cJSON *s = cJSON_CreateObject();
    const cJSON *r = o->result;
    const char *fields[] = {"jobId", "status", "timestamp", "room_count", "error"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, fields[i]);
        if (v)
            cJSON_AddItemToObject(s, fields[i], cJSON_Duplicate(v, 1));
    }
    cJSON_AddStringToObject(s, "result_location", o->location);
    cJSON_AddBoolToObject(s, "truncated", 1);
    return s;
}

/* The response for direct, S3 and EventBridge events: the result (one job)
 * or an array of results; past the response limit, summaries pointing at
 * the results in S3. */
static char *results_response(const lambda_ctx *ctx, job_outcome *outs, size_t n)
{
    for (int pass = 0; pass < 2; pass++) {
        cJSON *arr = n == 1 ? NULL : cJSON_CreateArray();
        cJSON *one = NULL;
        for (size_t i = 0; i < n; i++) {
            cJSON *item = pass == 0 ? cJSON_Duplicate(outs[i].result, 1) : summary(&outs[i]);
            if (arr)
                cJSON_AddItemToArray(arr, item);
            else
                one = item;
        }
        char *body = cJSON_PrintUnformatted(arr ? arr : one);
        cJSON_Delete(arr ? arr : one);
        if (!body || strlen(body) <= ctx->max_response_bytes || pass == 1)
            return body;
        free(body);
    }
    return NULL;
}

static void append(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t cap, const char *fmt, ...)
{
    size_t n = strlen(buf);
    if (n + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + n, cap - n, fmt, ap);
    va_end(ap);
}

void lambda_handle(lambda_ctx *ctx, const char *event, size_t len, int64_t deadline_ms,
                   const char *request_id, lambda_outcome *out)
{
    memset(out, 0, sizeof *out);
    int64_t t0 = s3_now_ms();
    lambda_event ev;
    locdet_error err = {0};
    if (lambda_event_parse(event, len, &ev, &err) != LOCDET_EXIT_OK) {
        out->is_error = 1;
        out->error_type = type_of(err.code);
        snprintf(out->error_message, sizeof out->error_message, "%s", err.message);
        fprintf(stderr, "locdet: request %s: %s: %s\n", request_id, out->error_type, err.message);
        return;
    }
    int64_t margin = deadline_ms ? lambda_margin_ms(ctx, t0, deadline_ms) : 0;
    job_outcome *outs = calloc(ev.n_jobs ? ev.n_jobs : 1, sizeof *outs);
    if (!outs) {
        lambda_event_free(&ev);
        out->is_error = 1;
        out->error_type = "Locdet.Internal";
        snprintf(out->error_message, sizeof out->error_message, "out of memory");
        return;
    }
    size_t failed = 0;
    for (size_t i = 0; i < ev.n_jobs; i++) {
        const lambda_job *job = &ev.jobs[i];
        int64_t js = s3_now_ms();
        run_job(ctx, job, deadline_ms, margin, &outs[i]);
        failed += outs[i].code != LOCDET_EXIT_OK;
        const cJSON *rc = cJSON_GetObjectItemCaseSensitive(outs[i].result, "room_count");
        char rooms[48] = "";
        if (outs[i].code == LOCDET_EXIT_OK && cJSON_IsNumber(rc))
            snprintf(rooms, sizeof rooms, ", %d rooms", rc->valueint);
        fprintf(stderr, "locdet: request %s job %s s3://%s/%s: %s%s%s (%" PRId64 " ms%s)\n",
                request_id, job->job_id[0] ? job->job_id : "-", job->bucket ? job->bucket : "?",
                job->key ? job->key : "?",
                outs[i].code == LOCDET_EXIT_OK ? "completed" : type_of(outs[i].code),
                outs[i].code == LOCDET_EXIT_OK ? "" : ": ",
                outs[i].code == LOCDET_EXIT_OK ? "" : outs[i].message, s3_now_ms() - js, rooms);
    }

    cJSON *resp = NULL;
    if (ev.kind == LAMBDA_EVENT_SQS) {
        /* Only the messages that failed go back to the queue. */
        resp = cJSON_CreateObject();
        cJSON *fails = cJSON_AddArrayToObject(resp, "batchItemFailures");
        for (size_t m = 0; m < ev.n_sqs; m++) {
            int bad = 0;
            for (size_t j = ev.sqs_first[m]; j < ev.sqs_first[m] + ev.sqs_count[m]; j++)
                bad |= outs[j].code != LOCDET_EXIT_OK;
            if (bad) {
                cJSON *f = cJSON_CreateObject();
                cJSON_AddStringToObject(f, "itemIdentifier", ev.sqs_ids[m]);
                cJSON_AddItemToArray(fails, f);
            }
        }
    } else if (ev.kind == LAMBDA_EVENT_BATCH) {
        resp = cJSON_CreateObject();
        cJSON_AddStringToObject(resp, "invocationSchemaVersion", ev.batch_schema);
        cJSON_AddStringToObject(resp, "treatMissingKeysAs", "PermanentFailure");
        cJSON_AddStringToObject(resp, "invocationId", ev.batch_invocation_id);
        cJSON *results = cJSON_AddArrayToObject(resp, "results");
        for (size_t i = 0; i < ev.n_jobs; i++) {
            cJSON *r = cJSON_CreateObject();
            char rs[1400];
            cJSON_AddStringToObject(r, "taskId", ev.jobs[i].item_id);
            cJSON_AddStringToObject(r, "resultCode", batch_code(&outs[i]));
            if (outs[i].code == LOCDET_EXIT_OK)
                snprintf(rs, sizeof rs, "%s", outs[i].location);
            else
                snprintf(rs, sizeof rs, "%s: %s", type_of(outs[i].code), outs[i].message);
            cJSON_AddStringToObject(r, "resultString", rs);
            cJSON_AddItemToArray(results, r);
        }
    } else if (failed) {
        /* Direct, S3 and EventBridge callers see an invocation error: its
         * type is the first failure's; failed results are in S3 already. */
        out->is_error = 1;
        for (size_t i = 0; i < ev.n_jobs; i++) {
            if (outs[i].code == LOCDET_EXIT_OK)
                continue;
            if (!out->error_type) {
                out->error_type = type_of(outs[i].code);
                if (ev.n_jobs > 1)
                    append(out->error_message, sizeof out->error_message, "%zu of %zu jobs failed: ",
                           failed, ev.n_jobs);
            } else {
                append(out->error_message, sizeof out->error_message, "; ");
            }
            const lambda_job *job = &ev.jobs[i];
            append(out->error_message, sizeof out->error_message, "%s%s%s%s%s%s%s",
                   ev.n_jobs > 1 ? "job " : "", ev.n_jobs > 1 ? (job->job_id[0] ? job->job_id : "-") : "",
                   ev.n_jobs > 1 ? ": " : "", ev.n_jobs > 1 ? type_of(outs[i].code) : "",
                   ev.n_jobs > 1 ? ": " : "", outs[i].message,
                   outs[i].location[0] ? " (failed result written)" : "");
        }
    } else if (ev.n_jobs == 0) {
        resp = cJSON_CreateObject();
        cJSON_AddNumberToObject(resp, "ignored", (double)ev.n_ignored);
    } else {
        out->body = results_response(ctx, outs, ev.n_jobs);
        if (!out->body) {
            out->is_error = 1;
            out->error_type = "Locdet.Internal";
            snprintf(out->error_message, sizeof out->error_message, "out of memory");
        }
    }
    if (resp) {
        out->body = cJSON_PrintUnformatted(resp);
        cJSON_Delete(resp);
        if (!out->body) {
            out->is_error = 1;
            out->error_type = "Locdet.Internal";
            snprintf(out->error_message, sizeof out->error_message, "out of memory");
        }
    }
    for (size_t i = 0; i < ev.n_jobs; i++)
        cJSON_Delete(outs[i].result);
    free(outs);
    lambda_event_free(&ev);
}

void lambda_outcome_clear(lambda_outcome *out)
{
    free(out->body);
    memset(out, 0, sizeof *out);
}
