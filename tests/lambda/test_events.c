/* Every trigger shape, its key encoding, and the malformed events. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "events.h"

static lambda_event ev;
static locdet_error err;

static locdet_exit parse(const char *json)
{
    memset(&err, 0, sizeof err);
    return lambda_event_parse(json, strlen(json), &ev, &err);
}

static void done(void)
{
    lambda_event_free(&ev);
}

static void expect_job(size_t i, const char *bucket, const char *key, const char *job_id)
{
    cr_assert_lt(i, ev.n_jobs);
    const lambda_job *j = &ev.jobs[i];
    cr_expect_eq(j->err.code, LOCDET_EXIT_OK, "job %zu: %s", i, j->err.message);
    cr_expect_str_eq(j->bucket, bucket);
    cr_expect_str_eq(j->key, key);
    cr_expect_str_eq(j->job_id, job_id);
}

static void expect_job_error(size_t i, const char *needle)
{
    cr_assert_lt(i, ev.n_jobs);
    const lambda_job *j = &ev.jobs[i];
    cr_expect_eq(j->err.code, LOCDET_EXIT_INVALID_EVENT, "job %zu has no error", i);
    cr_expect(strstr(j->err.message, needle), "job %zu: \"%s\" lacks \"%s\"", i, j->err.message, needle);
}

static void expect_invalid(const char *json, const char *needle)
{
    cr_expect_eq(parse(json), LOCDET_EXIT_INVALID_EVENT, "accepted: %s", json);
    cr_expect(strstr(err.message, needle), "\"%s\" lacks \"%s\"", err.message, needle);
    cr_expect_eq(ev.n_jobs, 0);
}

TestSuite(events, .fini = done);

Test(events, direct_raw_key_plus_is_plus)
{
    cr_assert_eq(parse("{\"bucket\":\"in\",\"key\":\"uploads/a+b c=d.png\",\"jobId\":\"j-1\","
                       "\"timestamp\":\"2024-01-01T00:00:00Z\"}"), LOCDET_EXIT_OK, "%s", err.message);
    cr_expect_eq(ev.kind, LAMBDA_EVENT_DIRECT);
    cr_assert_eq(ev.n_jobs, 1);
    expect_job(0, "in", "uploads/a+b c=d.png", "j-1");
    cr_expect_null(ev.jobs[0].alt_key);
}

Test(events, direct_job_id_from_key)
{
    cr_assert_eq(parse("{\"bucket\":\"in\",\"key\":\"blueprints/p7.png\"}"), LOCDET_EXIT_OK);
    expect_job(0, "in", "blueprints/p7.png", "p7");
}

Test(events, direct_bad_fields_name_them)
{
    cr_assert_eq(parse("{\"key\":\"k.png\",\"jobId\":\"j2\"}"), LOCDET_EXIT_OK);
    expect_job_error(0, "bucket: missing");
    /* The jobId is kept: the failed result can still be written. */
    cr_expect_str_eq(ev.jobs[0].job_id, "j2");
    lambda_event_free(&ev);
    cr_assert_eq(parse("{\"bucket\":\"in\",\"key\":7,\"jobId\":\"j2\"}"), LOCDET_EXIT_OK);
    expect_job_error(0, "key: must be a non-empty string");
    lambda_event_free(&ev);
    cr_assert_eq(parse("{\"bucket\":\"in\",\"key\":\"k.png\",\"jobId\":\"../etc\"}"), LOCDET_EXIT_OK);
    expect_job_error(0, "jobId");
    cr_expect_str_eq(ev.jobs[0].job_id, "");
    lambda_event_free(&ev);
    cr_assert_eq(parse("{\"bucket\":\"in/x\",\"key\":\"k.png\",\"jobId\":\"ok\"}"), LOCDET_EXIT_OK);
    expect_job_error(0, "bucket");
    lambda_event_free(&ev);
    cr_assert_eq(parse("{\"bucket\":\"in\",\"key\":\"other/k.png\"}"), LOCDET_EXIT_OK);
    expect_job_error(0, "blueprints/{jobId}.{ext}");
    lambda_event_free(&ev);
    cr_assert_eq(parse("{\"bucket\":\"in\",\"key\":\"blueprints/k.png\",\"timestamp\":[]}"), LOCDET_EXIT_OK);
    expect_job_error(0, "timestamp");
}

static const char *s3_event =
    "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
    "\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"s3SchemaVersion\":\"1.0\","
    "\"bucket\":{\"name\":\"in\",\"arn\":\"arn:aws:s3:::in\"},"
    "\"object\":{\"key\":\"t+a%2Bb%3Dc/%C3%A9/blueprints/j1.png\",\"size\":10}}},"
    "{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Post\",\"s3\":{"
    "\"bucket\":{\"name\":\"in\"},\"object\":{\"key\":\"blueprints/j2.jpg\"}}}]}";

Test(events, s3_notification_form_encoded)
{
    cr_assert_eq(parse(s3_event), LOCDET_EXIT_OK, "%s", err.message);
    cr_expect_eq(ev.kind, LAMBDA_EVENT_S3);
    cr_assert_eq(ev.n_jobs, 2);
    expect_job(0, "in", "t a+b=c/é/blueprints/j1.png", "j1");
    expect_job(1, "in", "blueprints/j2.jpg", "j2");
}

Test(events, s3_bad_records)
{
    cr_assert_eq(parse("{\"Records\":[{\"eventSource\":\"aws:s3\",\"s3\":{\"bucket\":{\"name\":\"in\"},"
                       "\"object\":{}}},"
                       "{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectRemoved:Delete\",\"s3\":{"
                       "\"bucket\":{\"name\":\"in\"},\"object\":{\"key\":\"blueprints/x.png\"}}},"
                       "{\"eventSource\":\"aws:s3\",\"s3\":{\"bucket\":{\"name\":\"in\"},"
                       "\"object\":{\"key\":\"blueprints/bad%zz.png\"}}}]}"), LOCDET_EXIT_OK);
    cr_assert_eq(ev.n_jobs, 3);
    expect_job_error(0, "Records[0].s3.object.key: missing");
    expect_job_error(1, "Records[1].eventName");
    /* A deletion must never overwrite the result of the same jobId. */
    cr_expect_str_eq(ev.jobs[1].job_id, "");
    expect_job_error(2, "Records[2].s3.object.key: bad URL encoding");
}

Test(events, sqs_wrapped_with_test_event)
{
    cr_assert_eq(parse(
        "{\"Records\":["
        "{\"messageId\":\"m1\",\"eventSource\":\"aws:sqs\",\"body\":\"{\\\"Service\\\":\\\"Amazon S3\\\","
        "\\\"Event\\\":\\\"s3:TestEvent\\\",\\\"Bucket\\\":\\\"in\\\"}\"},"
        "{\"messageId\":\"m2\",\"eventSource\":\"aws:sqs\",\"body\":\"{\\\"Records\\\":[{\\\"eventSource\\\":"
        "\\\"aws:s3\\\",\\\"eventName\\\":\\\"ObjectCreated:Put\\\",\\\"s3\\\":{\\\"bucket\\\":{\\\"name\\\":"
        "\\\"in\\\"},\\\"object\\\":{\\\"key\\\":\\\"blueprints/my+plan.png\\\"}}}]}\"},"
        "{\"messageId\":\"m3\",\"eventSource\":\"aws:sqs\",\"body\":\"not json\"},"
        "{\"messageId\":\"m4\",\"eventSource\":\"aws:sqs\",\"body\":\"{\\\"Records\\\":[{\\\"s3\\\":"
        "{\\\"bucket\\\":{\\\"name\\\":\\\"in\\\"},\\\"object\\\":{\\\"key\\\":\\\"blueprints/q.png\\\"}}}]}\"}"
        "]}"), LOCDET_EXIT_OK, "%s", err.message);
    cr_expect_eq(ev.kind, LAMBDA_EVENT_SQS);
    cr_expect_eq(ev.n_ignored, 1);
    cr_assert_eq(ev.n_sqs, 4);
    cr_expect_eq(ev.sqs_count[0], 0);
    cr_expect_eq(ev.sqs_count[1], 1);
    cr_expect_eq(ev.sqs_count[2], 1);
    cr_expect_eq(ev.sqs_count[3], 1);
    cr_assert_eq(ev.n_jobs, 3);
    /* "my+plan" is "my plan": not a valid jobId. */
    expect_job_error(0, "jobId \"my plan\"");
    cr_expect_str_eq(ev.jobs[0].key, "blueprints/my plan.png");
    cr_expect_str_eq(ev.jobs[0].item_id, "m2");
    expect_job_error(1, "Records[2].body: not JSON");
    cr_expect_str_eq(ev.jobs[1].item_id, "m3");
    expect_job(2, "in", "blueprints/q.png", "q");
    cr_expect_str_eq(ev.jobs[2].item_id, "m4");
}

Test(events, sqs_without_message_id_is_invalid)
{
    expect_invalid("{\"Records\":[{\"eventSource\":\"aws:sqs\",\"body\":\"{}\"}]}",
                   "Records[0].messageId: missing");
}

static const char *eb_fmt =
    "{\"version\":\"0\",\"id\":\"1\",\"detail-type\":\"Object Created\",\"source\":\"aws.s3\","
    "\"detail\":{\"version\":\"0\",\"bucket\":{\"name\":\"in\"},\"object\":{\"key\":\"%s\",\"size\":5}}}";

static locdet_exit parse_eb(const char *key)
{
    char buf[1024];
    snprintf(buf, sizeof buf, eb_fmt, key);
    return parse(buf);
}

Test(events, eventbridge_encoded_and_raw)
{
    cr_assert_eq(parse_eb("x/a%2Bb+c/blueprints/e1.png"), LOCDET_EXIT_OK, "%s", err.message);
    cr_expect_eq(ev.kind, LAMBDA_EVENT_EVENTBRIDGE);
    expect_job(0, "in", "x/a+b c/blueprints/e1.png", "e1");
    cr_expect_str_eq(ev.jobs[0].alt_key, "x/a%2Bb+c/blueprints/e1.png");
    lambda_event_free(&ev);
    /* A raw key that is no valid encoding is taken literally. */
    cr_assert_eq(parse_eb("100% sure/blueprints/e2.png"), LOCDET_EXIT_OK);
    expect_job(0, "in", "100% sure/blueprints/e2.png", "e2");
    cr_expect_null(ev.jobs[0].alt_key);
    lambda_event_free(&ev);
    /* Plain keys decode to themselves: no second reading. */
    cr_assert_eq(parse_eb("blueprints/e3.png"), LOCDET_EXIT_OK);
    expect_job(0, "in", "blueprints/e3.png", "e3");
    cr_expect_null(ev.jobs[0].alt_key);
}

Test(events, eventbridge_wrong_type)
{
    cr_assert_eq(parse("{\"detail-type\":\"Object Deleted\",\"source\":\"aws.s3\",\"detail\":{}}"),
                 LOCDET_EXIT_OK);
    expect_job_error(0, "detail-type: \"Object Deleted\"");
    lambda_event_free(&ev);
    cr_assert_eq(parse("{\"detail-type\":\"Object Created\",\"source\":\"aws.s3\",\"detail\":{\"bucket\":"
                       "{\"name\":\"in\"},\"object\":{}}}"), LOCDET_EXIT_OK);
    expect_job_error(0, "detail.object.key: missing");
}

Test(events, batch_v1)
{
    cr_assert_eq(parse("{\"invocationSchemaVersion\":\"1.0\",\"invocationId\":\"inv\",\"job\":{\"id\":\"j\"},"
                       "\"tasks\":[{\"taskId\":\"t1\",\"s3Key\":\"blueprints/b%2B1+x.png\",\"s3VersionId\":null,"
                       "\"s3BucketArn\":\"arn:aws:s3:::in\"},"
                       "{\"taskId\":\"t2\",\"s3Key\":\"blueprints/b2.png\",\"s3BucketArn\":\"nope\"}]}"),
                 LOCDET_EXIT_OK, "%s", err.message);
    cr_expect_eq(ev.kind, LAMBDA_EVENT_BATCH);
    cr_expect_str_eq(ev.batch_schema, "1.0");
    cr_expect_str_eq(ev.batch_invocation_id, "inv");
    cr_assert_eq(ev.n_jobs, 2);
    cr_expect_str_eq(ev.jobs[0].key, "blueprints/b+1 x.png");
    expect_job_error(0, "jobId \"b+1 x\"");
    cr_expect_str_eq(ev.jobs[0].item_id, "t1");
    expect_job_error(1, "tasks[1].s3BucketArn");
}

Test(events, batch_v2)
{
    cr_assert_eq(parse("{\"invocationSchemaVersion\":\"2.0\",\"invocationId\":\"inv\",\"job\":{\"id\":\"j\","
                       "\"userArguments\":{\"k\":\"v\"}},\"tasks\":[{\"taskId\":\"t1\",\"s3Bucket\":\"in\","
                       "\"s3Key\":\"blueprints/b3.png\"}]}"), LOCDET_EXIT_OK, "%s", err.message);
    expect_job(0, "in", "blueprints/b3.png", "b3");
    cr_expect_str_eq(ev.jobs[0].item_id, "t1");
}

Test(events, batch_malformed)
{
    expect_invalid("{\"invocationSchemaVersion\":\"3.0\",\"invocationId\":\"i\",\"job\":{\"id\":\"j\"},\"tasks\":[]}",
                   "invocationSchemaVersion");
    expect_invalid("{\"invocationSchemaVersion\":\"1.0\",\"job\":{\"id\":\"j\"},\"tasks\":[]}", "invocationId: missing");
    expect_invalid("{\"invocationSchemaVersion\":\"1.0\",\"invocationId\":\"i\",\"job\":{\"id\":\"j\"},\"tasks\":[]}",
                   "tasks");
    expect_invalid("{\"invocationSchemaVersion\":\"1.0\",\"invocationId\":\"i\",\"job\":{\"id\":\"j\"},"
                   "\"tasks\":[{\"s3Key\":\"k\"}]}", "tasks[0].taskId: missing");
    expect_invalid("{\"invocationSchemaVersion\":\"1.0\",\"invocationId\":\"i\",\"job\":{\"id\":\"j\","
                   "\"userArguments\":{\"a\":\"b\"}},\"tasks\":[{\"taskId\":\"t\"}]}", "userArguments");
    expect_invalid("{\"invocationSchemaVersion\":\"2.0\",\"invocationId\":\"i\",\"job\":{\"id\":\"j\","
                   "\"userArguments\":{\"a\":1}},\"tasks\":[{\"taskId\":\"t\"}]}", "job.userArguments.a");
}

Test(events, whole_event_malformed)
{
    expect_invalid("not json", "not JSON");
    expect_invalid("[1,2]", "must be a JSON object");
    expect_invalid("{}", "none of Records");
    expect_invalid("{\"Records\":[]}", "Records: must be a non-empty array");
    expect_invalid("{\"Records\":{}}", "Records: must be a non-empty array");
    expect_invalid("{\"Records\":[{\"eventSource\":\"aws:kinesis\"}]}", "Records[0].eventSource");
}

Test(events, top_level_test_event_ignored)
{
    cr_assert_eq(parse("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"in\"}"), LOCDET_EXIT_OK);
    cr_expect_eq(ev.n_jobs, 0);
    cr_expect_eq(ev.n_ignored, 1);
}
