#include "events.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyenc.h"

#define S3_MAX_KEY_BYTES 1024

typedef enum key_form {
    KEY_RAW,          /* as is: the old trigger */
    KEY_FORM_ENCODED, /* %XX and '+' = space: S3 notifications, Batch Operations */
    KEY_EITHER,       /* EventBridge: encoded first, the literal key as a fallback */
} key_form;

typedef struct parser {
    lambda_event *ev;
    size_t cap;
    int oom;
} parser;

const char *lambda_event_kind_name(lambda_event_kind kind)
{
    switch (kind) {
    case LAMBDA_EVENT_DIRECT: return "direct";
    case LAMBDA_EVENT_S3: return "s3";
    case LAMBDA_EVENT_SQS: return "sqs";
    case LAMBDA_EVENT_EVENTBRIDGE: return "eventbridge";
    case LAMBDA_EVENT_BATCH: return "batch";
    }
    return "?";
}

static char *dup_str(parser *ps, const char *s)
{
    char *d = strdup(s);
    if (!d)
        ps->oom = 1;
    return d;
}

static lambda_job *add_job(parser *ps, const char *item_id)
{
    lambda_event *ev = ps->ev;
    if (ev->n_jobs == ps->cap) {
        size_t cap = ps->cap ? 2 * ps->cap : 4;
        lambda_job *j = realloc(ev->jobs, cap * sizeof *j);
        if (!j) {
            ps->oom = 1;
            return NULL;
        }
        ev->jobs = j;
        ps->cap = cap;
    }
    lambda_job *job = &ev->jobs[ev->n_jobs++];
    memset(job, 0, sizeof *job);
    job->item_id = item_id;
    return job;
}

static void job_fail(lambda_job *job, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void job_fail(lambda_job *job, const char *fmt, ...)
{
    if (job->err.code != LOCDET_EXIT_OK)
        return; /* keep the first reason */
    job->err.code = LOCDET_EXIT_INVALID_EVENT;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(job->err.message, sizeof job->err.message, fmt, ap);
    va_end(ap);
}

/* A string member, or NULL with the job failed naming path.name. */
static const char *need_string(lambda_job *job, const cJSON *obj, const char *path, const char *name)
{
    const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, name) : NULL;
    if (!v) {
        job_fail(job, "%s%s%s: missing", path, *path ? "." : "", name);
        return NULL;
    }
    if (!cJSON_IsString(v) || !v->valuestring[0]) {
        job_fail(job, "%s%s%s: must be a non-empty string", path, *path ? "." : "", name);
        return NULL;
    }
    return v->valuestring;
}

static const cJSON *need_object(lambda_job *job, const cJSON *obj, const char *path, const char *name)
{
    const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, name) : NULL;
    if (!v) {
        job_fail(job, "%s%s%s: missing", path, *path ? "." : "", name);
        return NULL;
    }
    if (!cJSON_IsObject(v)) {
        job_fail(job, "%s%s%s: must be an object", path, *path ? "." : "", name);
        return NULL;
    }
    return v;
}

/* Bucket names go into the request path or host name: letters, digits,
 * '.', '-', '_' only (S3's own rules are stricter still). */
static int bucket_valid(const char *b)
{
    size_t n = strlen(b);
    if (n == 0 || n > 255)
        return 0;
    return strspn(b, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") == n;
}

static void set_bucket(parser *ps, lambda_job *job, const char *bucket, const char *field)
{
    if (!bucket)
        return;
    if (!bucket_valid(bucket)) {
        job_fail(job, "%s: \"%.100s\" is not a bucket name", field, bucket);
        return;
    }
    job->bucket = dup_str(ps, bucket);
}

static int key_ok(lambda_job *job, const char *key, const char *field)
{
    if (!key[0]) {
        job_fail(job, "%s: the decoded key is empty", field);
        return 0;
    }
    if (strlen(key) > S3_MAX_KEY_BYTES) {
        job_fail(job, "%s: longer than S3's %d bytes", field, S3_MAX_KEY_BYTES);
        return 0;
    }
    if (!keyenc_utf8_valid(key)) {
        job_fail(job, "%s: not valid UTF-8", field);
        return 0;
    }
    return 1;
}

static void set_key(parser *ps, lambda_job *job, const char *raw, key_form form, const char *field)
{
    if (!raw)
        return;
    if (form == KEY_RAW) {
        if (key_ok(job, raw, field))
            job->key = dup_str(ps, raw);
        return;
    }
    char *decoded = keyenc_decode(raw, 1);
    if (!decoded) {
        if (form == KEY_EITHER) { /* not URL-encoded after all: take it literally */
            if (key_ok(job, raw, field))
                job->key = dup_str(ps, raw);
        } else {
            job_fail(job, "%s: bad URL encoding (a %% not followed by two hex digits, or %%00)",
                     field);
        }
        return;
    }
    if (!key_ok(job, decoded, field)) {
        free(decoded);
        return;
    }
    job->key = decoded;
    if (form == KEY_EITHER && strcmp(decoded, raw) != 0 && key_ok(job, raw, field))
        job->alt_key = dup_str(ps, raw);
}

/* jobId from the key (or the fallback key) once the record is otherwise good. */
static void derive_job_id(lambda_job *job, const char *field)
{
    if (job->err.code != LOCDET_EXIT_OK || !job->key)
        return;
    char why[200];
    if (jobid_from_key(job->key, job->job_id, why, sizeof why))
        return;
    if (job->alt_key && jobid_from_key(job->alt_key, job->job_id, (char[200]){0}, 200))
        return;
    job_fail(job, "%s: %s", field, why);
}

/* {bucket, key, jobId, timestamp}: the raw key, the jobId given or taken
 * from the key. A valid jobId is kept even when another field is wrong, so
 * the old trigger's status reader gets a failed result. */
static void parse_direct(parser *ps, const cJSON *obj, const char *path, const char *item_id)
{
    lambda_job *job = add_job(ps, item_id);
    if (!job)
        return;
    char field[160];
    const cJSON *jid = cJSON_GetObjectItemCaseSensitive(obj, "jobId");
    if (jid) {
        snprintf(field, sizeof field, "%s%sjobId", path, *path ? "." : "");
        if (!cJSON_IsString(jid))
            job_fail(job, "%s: must be a string", field);
        else if (!jobid_valid(jid->valuestring))
            job_fail(job, "%s: \"%.140s\" does not match [A-Za-z0-9._-]{1,128}", field,
                     jid->valuestring);
        else
            strcpy(job->job_id, jid->valuestring);
    }
    const cJSON *ts = cJSON_GetObjectItemCaseSensitive(obj, "timestamp");
    if (ts && !cJSON_IsString(ts) && !cJSON_IsNumber(ts))
        job_fail(job, "%s%stimestamp: must be a string or a number", path, *path ? "." : "");
    snprintf(field, sizeof field, "%s%sbucket", path, *path ? "." : "");
    set_bucket(ps, job, need_string(job, obj, path, "bucket"), field);
    snprintf(field, sizeof field, "%s%skey", path, *path ? "." : "");
    set_key(ps, job, need_string(job, obj, path, "key"), KEY_RAW, field);
    if (!jid)
        derive_job_id(job, field);
}

static void parse_s3_record(parser *ps, const cJSON *rec, const char *path, const char *item_id)
{
    lambda_job *job = add_job(ps, item_id);
    if (!job)
        return;
    char p[160];
    if (!cJSON_IsObject(rec)) {
        job_fail(job, "%s: must be an object", path);
        return;
    }
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(rec, "eventName");
    if (cJSON_IsString(name) && strncmp(name->valuestring, "ObjectCreated:", 14) != 0) {
        job_fail(job, "%s.eventName: \"%.60s\" is not an ObjectCreated event", path,
                 name->valuestring);
        return;
    }
    snprintf(p, sizeof p, "%s", path);
    const cJSON *s3 = need_object(job, rec, p, "s3");
    snprintf(p, sizeof p, "%s.s3", path);
    const cJSON *bucket = need_object(job, s3, p, "bucket");
    const cJSON *object = need_object(job, s3, p, "object");
    snprintf(p, sizeof p, "%s.s3.bucket", path);
    const char *bname = bucket ? need_string(job, bucket, p, "name") : NULL;
    snprintf(p, sizeof p, "%s.s3.object", path);
    const char *key = object ? need_string(job, object, p, "key") : NULL;
    snprintf(p, sizeof p, "%s.s3.bucket.name", path);
    set_bucket(ps, job, bname, p);
    snprintf(p, sizeof p, "%s.s3.object.key", path);
    set_key(ps, job, key, KEY_FORM_ENCODED, p);
    derive_job_id(job, p);
}

static int is_test_event(const cJSON *obj)
{
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(obj, "Event");
    return cJSON_IsString(e) && strcmp(e->valuestring, "s3:TestEvent") == 0;
}

/* Records[] of S3 notifications. An empty list is a malformed event. */
static void parse_s3_records(parser *ps, const cJSON *records, const char *path, const char *item_id)
{
    int n = cJSON_GetArraySize(records);
    if (n == 0) {
        lambda_job *job = add_job(ps, item_id);
        if (job)
            job_fail(job, "%s: empty", path);
        return;
    }
    for (int i = 0; i < n && !ps->oom; i++) {
        char p[120];
        snprintf(p, sizeof p, "%s[%d]", path, i);
        parse_s3_record(ps, cJSON_GetArrayItem(records, i), p, item_id);
    }
}

static locdet_exit invalid(locdet_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static locdet_exit invalid(locdet_error *err, const char *fmt, ...)
{
    char msg[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return locdet_error_set(err, LOCDET_EXIT_INVALID_EVENT, "%s", msg);
}

static locdet_exit parse_sqs(parser *ps, const cJSON *records, locdet_error *err)
{
    lambda_event *ev = ps->ev;
    int n = cJSON_GetArraySize(records);
    ev->sqs_ids = calloc((size_t)n, sizeof *ev->sqs_ids);
    ev->sqs_first = calloc((size_t)n, sizeof *ev->sqs_first);
    ev->sqs_count = calloc((size_t)n, sizeof *ev->sqs_count);
    if (!ev->sqs_ids || !ev->sqs_first || !ev->sqs_count)
        return locdet_error_set(err, LOCDET_EXIT_INTERNAL, "out of memory");
    /* Every message needs its id before anything runs: without it a failure
     * could not be reported back, and SQS would drop the message. */
    for (int i = 0; i < n; i++) {
        const cJSON *rec = cJSON_GetArrayItem(records, i);
        const cJSON *id = cJSON_IsObject(rec) ? cJSON_GetObjectItemCaseSensitive(rec, "messageId") : NULL;
        if (!cJSON_IsString(id) || !id->valuestring[0])
            return invalid(err, "Records[%d].messageId: %s", i, id ? "must be a non-empty string" : "missing");
        ev->sqs_ids[i] = id->valuestring;
    }
    ev->n_sqs = (size_t)n;
    for (int i = 0; i < n && !ps->oom; i++) {
        const cJSON *rec = cJSON_GetArrayItem(records, i);
        const char *id = ev->sqs_ids[i];
        ev->sqs_first[i] = ev->n_jobs;
        char p[64];
        snprintf(p, sizeof p, "Records[%d].body", i);
        const cJSON *body = cJSON_GetObjectItemCaseSensitive(rec, "body");
        cJSON *inner = NULL;
        if (!cJSON_IsString(body)) {
            lambda_job *job = add_job(ps, id);
            if (job)
                job_fail(job, "%s: %s", p, body ? "must be a string" : "missing");
        } else if (!(inner = cJSON_Parse(body->valuestring))) {
            lambda_job *job = add_job(ps, id);
            if (job)
                job_fail(job, "%s: not JSON", p);
        } else if (is_test_event(inner)) {
            ev->n_ignored++;
        } else if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(inner, "Records"))) {
            char rp[80];
            snprintf(rp, sizeof rp, "%s.Records", p);
            parse_s3_records(ps, cJSON_GetObjectItemCaseSensitive(inner, "Records"), rp, id);
        } else if (cJSON_IsObject(inner) && (cJSON_GetObjectItemCaseSensitive(inner, "bucket") ||
                                             cJSON_GetObjectItemCaseSensitive(inner, "key"))) {
            parse_direct(ps, inner, p, id);
        } else {
            lambda_job *job = add_job(ps, id);
            if (job)
                job_fail(job, "%s: neither an S3 notification (Records), an s3:TestEvent nor "
                              "{bucket, key}", p);
        }
        /* Jobs copy what they keep; the body's own tree can go. */
        cJSON_Delete(inner);
        ev->sqs_count[i] = ev->n_jobs - ev->sqs_first[i];
    }
    return LOCDET_EXIT_OK;
}

static locdet_exit parse_batch(parser *ps, const cJSON *root, locdet_error *err)
{
    lambda_event *ev = ps->ev;
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "invocationSchemaVersion");
    if (!cJSON_IsString(ver) || (strcmp(ver->valuestring, "1.0") && strcmp(ver->valuestring, "2.0")))
        return invalid(err, "invocationSchemaVersion: must be \"1.0\" or \"2.0\"");
    const cJSON *inv = cJSON_GetObjectItemCaseSensitive(root, "invocationId");
    if (!cJSON_IsString(inv) || !inv->valuestring[0])
        return invalid(err, "invocationId: %s", inv ? "must be a non-empty string" : "missing");
    const cJSON *bjob = cJSON_GetObjectItemCaseSensitive(root, "job");
    if (!cJSON_IsObject(bjob))
        return invalid(err, "job: %s", bjob ? "must be an object" : "missing");
    const cJSON *bid = cJSON_GetObjectItemCaseSensitive(bjob, "id");
    if (!cJSON_IsString(bid))
        return invalid(err, "job.id: %s", bid ? "must be a string" : "missing");
    int v2 = ver->valuestring[0] == '2';
    const cJSON *ua = cJSON_GetObjectItemCaseSensitive(bjob, "userArguments");
    if (ua && !cJSON_IsNull(ua)) {
        if (!v2)
            return invalid(err, "job.userArguments: only in invocationSchemaVersion 2.0");
        if (!cJSON_IsObject(ua))
            return invalid(err, "job.userArguments: must be an object");
        const cJSON *a;
        cJSON_ArrayForEach(a, ua)
            if (!cJSON_IsString(a))
                return invalid(err, "job.userArguments.%.60s: must be a string", a->string);
    }
    const cJSON *tasks = cJSON_GetObjectItemCaseSensitive(root, "tasks");
    if (!cJSON_IsArray(tasks) || cJSON_GetArraySize(tasks) == 0)
        return invalid(err, "tasks: %s", tasks ? "must be a non-empty array" : "missing");
    int n = cJSON_GetArraySize(tasks);
    for (int i = 0; i < n; i++) {
        const cJSON *t = cJSON_GetArrayItem(tasks, i);
        const cJSON *tid = cJSON_IsObject(t) ? cJSON_GetObjectItemCaseSensitive(t, "taskId") : NULL;
        if (!cJSON_IsString(tid) || !tid->valuestring[0])
            return invalid(err, "tasks[%d].taskId: %s", i, tid ? "must be a non-empty string" : "missing");
    }
    ev->batch_schema = dup_str(ps, ver->valuestring);
    ev->batch_invocation_id = dup_str(ps, inv->valuestring);
    for (int i = 0; i < n && !ps->oom; i++) {
        const cJSON *t = cJSON_GetArrayItem(tasks, i);
        lambda_job *job = add_job(ps, cJSON_GetObjectItemCaseSensitive(t, "taskId")->valuestring);
        if (!job)
            break;
        char p[64], f[96];
        snprintf(p, sizeof p, "tasks[%d]", i);
        /* 2.0 names the bucket (s3Bucket); 1.0 gives its ARN. */
        const cJSON *sb = cJSON_GetObjectItemCaseSensitive(t, "s3Bucket");
        const cJSON *arn = cJSON_GetObjectItemCaseSensitive(t, "s3BucketArn");
        if (sb || (v2 && !arn)) {
            snprintf(f, sizeof f, "%s.s3Bucket", p);
            set_bucket(ps, job, need_string(job, t, p, "s3Bucket"), f);
        } else {
            const char *a = need_string(job, t, p, "s3BucketArn");
            snprintf(f, sizeof f, "%s.s3BucketArn", p);
            if (a && strncmp(a, "arn:", 4) == 0 && strstr(a, ":s3:") && strrchr(a, ':')[1])
                set_bucket(ps, job, strrchr(a, ':') + 1, f);
            else if (a)
                job_fail(job, "%s: \"%.100s\" is not an S3 bucket ARN", f, a);
        }
        snprintf(f, sizeof f, "%s.s3Key", p);
        set_key(ps, job, need_string(job, t, p, "s3Key"), KEY_FORM_ENCODED, f);
        derive_job_id(job, f);
    }
    return LOCDET_EXIT_OK;
}

static void parse_eventbridge(parser *ps, const cJSON *root)
{
    lambda_job *job = add_job(ps, NULL);
    if (!job)
        return;
    const cJSON *dt = cJSON_GetObjectItemCaseSensitive(root, "detail-type");
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(root, "source");
    if (!cJSON_IsString(dt) || strcmp(dt->valuestring, "Object Created") != 0) {
        job_fail(job, "detail-type: %s%.60s%s is not \"Object Created\"", cJSON_IsString(dt) ? "\"" : "",
                 cJSON_IsString(dt) ? dt->valuestring : "missing", cJSON_IsString(dt) ? "\"" : "");
        return;
    }
    if (src && (!cJSON_IsString(src) || strcmp(src->valuestring, "aws.s3") != 0)) {
        job_fail(job, "source: must be \"aws.s3\"");
        return;
    }
    const cJSON *detail = need_object(job, root, "", "detail");
    const cJSON *bucket = need_object(job, detail, "detail", "bucket");
    const cJSON *object = need_object(job, detail, "detail", "object");
    const char *bname = bucket ? need_string(job, bucket, "detail.bucket", "name") : NULL;
    const char *key = object ? need_string(job, object, "detail.object", "key") : NULL;
    set_bucket(ps, job, bname, "detail.bucket.name");
    set_key(ps, job, key, KEY_EITHER, "detail.object.key");
    derive_job_id(job, "detail.object.key");
}

locdet_exit lambda_event_parse(const char *body, size_t len, lambda_event *ev, locdet_error *err)
{
    memset(ev, 0, sizeof *ev);
    parser ps = {.ev = ev};
    cJSON *root = cJSON_ParseWithLength(body, len);
    if (!root)
        return invalid(err, "event: not JSON");
    ev->json = root;
    locdet_exit rc = LOCDET_EXIT_OK;
    if (!cJSON_IsObject(root)) {
        rc = invalid(err, "event: must be a JSON object");
    } else if (cJSON_GetObjectItemCaseSensitive(root, "Records")) {
        const cJSON *records = cJSON_GetObjectItemCaseSensitive(root, "Records");
        const cJSON *first = cJSON_GetArrayItem(records, 0);
        const cJSON *src = cJSON_IsObject(first) ? cJSON_GetObjectItemCaseSensitive(first, "eventSource") : NULL;
        const char *s = cJSON_IsString(src) ? src->valuestring : "";
        if (!cJSON_IsArray(records) || !first) {
            rc = invalid(err, "Records: must be a non-empty array");
        } else if (!strcmp(s, "aws:sqs") ||
                   (!*s && cJSON_GetObjectItemCaseSensitive(first, "body"))) {
            ev->kind = LAMBDA_EVENT_SQS;
            rc = parse_sqs(&ps, records, err);
        } else if (!strcmp(s, "aws:s3") || (!*s && cJSON_GetObjectItemCaseSensitive(first, "s3"))) {
            ev->kind = LAMBDA_EVENT_S3;
            parse_s3_records(&ps, records, "Records", NULL);
        } else {
            rc = invalid(err, "Records[0].eventSource: %s%.40s%s is neither \"aws:s3\" nor \"aws:sqs\"",
                         *s ? "\"" : "", *s ? s : "missing", *s ? "\"" : "");
        }
    } else if (cJSON_GetObjectItemCaseSensitive(root, "invocationSchemaVersion")) {
        ev->kind = LAMBDA_EVENT_BATCH;
        rc = parse_batch(&ps, root, err);
    } else if (cJSON_GetObjectItemCaseSensitive(root, "detail-type") ||
               cJSON_GetObjectItemCaseSensitive(root, "detail")) {
        ev->kind = LAMBDA_EVENT_EVENTBRIDGE;
        parse_eventbridge(&ps, root);
    } else if (is_test_event(root)) {
        ev->kind = LAMBDA_EVENT_S3;
        ev->n_ignored = 1;
    } else if (cJSON_GetObjectItemCaseSensitive(root, "bucket") ||
               cJSON_GetObjectItemCaseSensitive(root, "key") ||
               cJSON_GetObjectItemCaseSensitive(root, "jobId")) {
        ev->kind = LAMBDA_EVENT_DIRECT;
        parse_direct(&ps, root, "", NULL);
    } else {
        rc = invalid(err, "event: none of Records, invocationSchemaVersion, detail-type, "
                          "bucket/key is present");
    }
    if (rc == LOCDET_EXIT_OK && ps.oom)
        rc = locdet_error_set(err, LOCDET_EXIT_INTERNAL, "out of memory parsing the event");
    if (rc != LOCDET_EXIT_OK) {
        lambda_event_kind kind = ev->kind;
        lambda_event_free(ev);
        ev->kind = kind;
    }
    return rc;
}

void lambda_event_free(lambda_event *ev)
{
    for (size_t i = 0; i < ev->n_jobs; i++) {
        free(ev->jobs[i].bucket);
        free(ev->jobs[i].key);
        free(ev->jobs[i].alt_key);
    }
    free(ev->jobs);
    free(ev->batch_schema);
    free(ev->batch_invocation_id);
    free(ev->sqs_ids);
    free(ev->sqs_first);
    free(ev->sqs_count);
    cJSON_Delete(ev->json);
    memset(ev, 0, sizeof *ev);
}
