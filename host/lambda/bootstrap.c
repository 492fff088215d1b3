/* bootstrap: the Lambda custom runtime. Loads the strategy once, then serves
 * invocations until the Runtime API says stop. docs/lambda.md. */
#include <curl/curl.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handler.h"
#include "host.h"
#include "runtime.h"
#include "s3.h"

/* Report a start-up failure on /runtime/init/error, then exit with its code. */
static int init_failed(rt_client *rt, const locdet_error *err)
{
    const char *type = locdet_error_type(err->code);
    if (!type)
        type = "Locdet.Internal";
    fprintf(stderr, "locdet: init failed: %s: %s\n", type, err->message);
    long st = rt_error(rt, NULL, type, err->message);
    if (st != 202)
        fprintf(stderr, "locdet: /runtime/init/error answered %ld\n", st);
    rt_free(rt);
    curl_global_cleanup();
    return err->code ? (int)err->code : LOCDET_EXIT_INTERNAL;
}

static int bucket_name_ok(const char *b)
{
    size_t n = strlen(b);
    return n >= 1 && n <= 255 &&
           strspn(b, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") == n;
}

int main(void)
{
    const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
    if (!api || !*api) {
        fprintf(stderr, "locdet: AWS_LAMBDA_RUNTIME_API is not set: bootstrap runs inside Lambda "
                        "(or tools/lambda-emulator)\n");
        return LOCDET_EXIT_CONFIG;
    }
    /* A peer that closes mid-request is an error to retry, not a reason to die. */
    signal(SIGPIPE, SIG_IGN);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "locdet: curl_global_init failed\n");
        return LOCDET_EXIT_INTERNAL;
    }
    rt_client *rt = rt_new(api);
    if (!rt) {
        fprintf(stderr, "locdet: bad AWS_LAMBDA_RUNTIME_API \"%s\"\n", api);
        return LOCDET_EXIT_CONFIG;
    }

    locdet_error err = {0};
    const char *bucket = getenv("RESULTS_BUCKET_NAME");
    if (!bucket || !*bucket) {
        locdet_error_set(&err, LOCDET_EXIT_CONFIG, "RESULTS_BUCKET_NAME is not set");
        return init_failed(rt, &err);
    }
    if (!bucket_name_ok(bucket)) {
        locdet_error_set(&err, LOCDET_EXIT_CONFIG, "RESULTS_BUCKET_NAME \"%.200s\" is not a bucket name",
                         bucket);
        return init_failed(rt, &err);
    }
    int64_t margin = -1;
    const char *m = getenv("LOCDET_DEADLINE_MARGIN_MS");
    if (m && *m) {
        char *end;
        errno = 0;
        long long v = strtoll(m, &end, 10);
        if (errno || *end || v < 0 || v > 600000) {
            locdet_error_set(&err, LOCDET_EXIT_CONFIG,
                             "LOCDET_DEADLINE_MARGIN_MS \"%.100s\" is not an integer in 0..600000", m);
            return init_failed(rt, &err);
        }
        margin = v;
    }
    s3_config s3cfg;
    if (s3_config_from_env(&s3cfg, &err) != LOCDET_EXIT_OK)
        return init_failed(rt, &err);
    s3_client *s3 = s3_client_new(&s3cfg);
    memset(&s3cfg, 0, sizeof s3cfg);
    if (!s3) {
        locdet_error_set(&err, LOCDET_EXIT_INTERNAL, "cannot create the S3 client");
        return init_failed(rt, &err);
    }
    /* Strategy and parameters once, for every invocation of this process. */
    locdet_host_config hcfg = {.strategy = NULL, .params_env = getenv("LOCDET_PARAMS")};
    locdet_host *host = locdet_host_open(&hcfg, &err);
    if (!host) {
        s3_client_free(s3);
        return init_failed(rt, &err);
    }

    fprintf(stderr, "locdet: strategy %s %s (%s), results to s3://%s/results/\n",
            locdet_host_strategy_name(host), locdet_host_strategy_version(host),
            locdet_host_plugin_path(host), bucket);

    lambda_ctx ctx = {.host = host, .s3 = s3, .results_bucket = bucket, .margin_ms = margin,
                      .max_response_bytes = LAMBDA_MAX_RESPONSE_BYTES};
    int rc = 0;
    for (;;) {
        rt_invocation inv;
        char why[600];
        long st = rt_next(rt, &inv, why, sizeof why);
        if (st != 200) {
            /* 500 from the Runtime API, or no Runtime API: the runtime must exit. */
            fprintf(stderr, "locdet: %s; exiting\n", why);
            rc = st == 500 ? 0 : 1;
            break;
        }
        if (inv.trace_id[0])
            setenv("_X_AMZN_TRACE_ID", inv.trace_id, 1);
        else
            unsetenv("_X_AMZN_TRACE_ID");
        lambda_outcome out;
        lambda_handle(&ctx, inv.body, inv.len, inv.deadline_ms, inv.request_id, &out);
        if (!out.is_error) {
            st = rt_respond(rt, inv.request_id, out.body, strlen(out.body));
            if (st == 413) {
                fprintf(stderr, "locdet: request %s: response of %zu bytes refused (413)\n",
                        inv.request_id, strlen(out.body));
                st = rt_error(rt, inv.request_id, "Locdet.Internal",
                              "the response is over Lambda's payload limit");
            }
        } else {
            st = rt_error(rt, inv.request_id, out.error_type, out.error_message);
        }
        lambda_outcome_clear(&out);
        rt_invocation_clear(&inv);
        if (st == 500 || st < 0) {
            fprintf(stderr, "locdet: the Runtime API answered %ld; exiting\n", st);
            rc = st == 500 ? 0 : 1;
            break;
        }
        if (st != 202)
            fprintf(stderr, "locdet: the Runtime API answered %ld\n", st);
    }
    locdet_host_close(host);
    s3_client_free(s3);
    rt_free(rt);
    curl_global_cleanup();
    return rc;
}
