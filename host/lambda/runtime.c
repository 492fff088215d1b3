#include "runtime.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct rt_client {
    CURL *curl;
    char base[300];
};

rt_client *rt_new(const char *api)
{
    rt_client *rt = calloc(1, sizeof *rt);
    if (!rt)
        return NULL;
    rt->curl = curl_easy_init();
    if (!rt->curl || strlen(api) > 200) {
        curl_easy_cleanup(rt->curl);
        free(rt);
        return NULL;
    }
    snprintf(rt->base, sizeof rt->base, "http://%s/2018-06-01", api);
    return rt;
}

void rt_free(rt_client *rt)
{
    if (!rt)
        return;
    curl_easy_cleanup(rt->curl);
    free(rt);
}

typedef struct body_buf {
    char *data;
    size_t size, cap;
} body_buf;

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
    body_buf *b = ud;
    size_t n = size * nmemb;
    if (b->size + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->size + n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return 0;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->size, ptr, n);
    b->size += n;
    b->data[b->size] = '\0';
    return n;
}

static void header_value(const char *buf, size_t n, size_t name_len, char *out, size_t cap)
{
    const char *v = buf + name_len;
    const char *end = buf + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    size_t len = (size_t)(end - v) < cap - 1 ? (size_t)(end - v) : cap - 1;
    memcpy(out, v, len);
    out[len] = '\0';
}

static size_t on_header(char *buf, size_t size, size_t nmemb, void *ud)
{
    rt_invocation *inv = ud;
    size_t n = size * nmemb;
    static const char rid[] = "lambda-runtime-aws-request-id:";
    static const char dl[] = "lambda-runtime-deadline-ms:";
    static const char arn[] = "lambda-runtime-invoked-function-arn:";
    static const char tid[] = "lambda-runtime-trace-id:";
    if (n > sizeof rid - 1 && !strncasecmp(buf, rid, sizeof rid - 1)) {
        header_value(buf, n, sizeof rid - 1, inv->request_id, sizeof inv->request_id);
    } else if (n > sizeof dl - 1 && !strncasecmp(buf, dl, sizeof dl - 1)) {
        char v[32];
        header_value(buf, n, sizeof dl - 1, v, sizeof v);
        inv->deadline_ms = strtoll(v, NULL, 10);
    } else if (n > sizeof arn - 1 && !strncasecmp(buf, arn, sizeof arn - 1)) {
        header_value(buf, n, sizeof arn - 1, inv->function_arn, sizeof inv->function_arn);
    } else if (n > sizeof tid - 1 && !strncasecmp(buf, tid, sizeof tid - 1)) {
        header_value(buf, n, sizeof tid - 1, inv->trace_id, sizeof inv->trace_id);
    }
    return n;
}

static size_t discard(char *ptr, size_t size, size_t nmemb, void *ud)
{
    (void)ptr, (void)ud;
    return size * nmemb;
}

long rt_next(rt_client *rt, rt_invocation *inv, char *why, size_t why_size)
{
    memset(inv, 0, sizeof *inv);
    char url[400];
    snprintf(url, sizeof url, "%s/runtime/invocation/next", rt->base);
    body_buf b = {0};
    CURL *h = rt->curl;
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 0L); /* frozen between invocations */
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, inv);
    CURLcode cc = curl_easy_perform(h);
    if (cc != CURLE_OK) {
        snprintf(why, why_size, "GET %s: %s", url, curl_easy_strerror(cc));
        free(b.data);
        return -1;
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) {
        snprintf(why, why_size, "GET %s: HTTP %ld %.200s", url, status, b.data ? b.data : "");
        free(b.data);
        return status;
    }
    if (!inv->request_id[0]) {
        snprintf(why, why_size, "GET %s: no Lambda-Runtime-Aws-Request-Id header", url);
        free(b.data);
        return -1;
    }
    inv->body = b.data ? b.data : strdup("");
    inv->len = b.size;
    return status;
}

void rt_invocation_clear(rt_invocation *inv)
{
    free(inv->body);
    memset(inv, 0, sizeof *inv);
}

static long post(rt_client *rt, const char *url, const char *body, size_t len,
                 struct curl_slist *hdrs)
{
    CURL *h = rt->curl;
    curl_easy_reset(h);
    hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
    hdrs = curl_slist_append(hdrs, "Expect:");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    CURLcode cc = curl_easy_perform(h);
    long status = -1;
    if (cc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    else
        fprintf(stderr, "locdet: POST %s: %s\n", url, curl_easy_strerror(cc));
    curl_slist_free_all(hdrs);
    return status;
}

/* Request ids are UUIDs; escape anything else rather than trust it in a URL. */
static char *escaped_id(rt_client *rt, const char *request_id)
{
    return curl_easy_escape(rt->curl, request_id, 0);
}

long rt_respond(rt_client *rt, const char *request_id, const char *body, size_t len)
{
    char url[1200];
    char *id = escaped_id(rt, request_id);
    if (!id)
        return -1;
    snprintf(url, sizeof url, "%s/runtime/invocation/%s/response", rt->base, id);
    curl_free(id);
    return post(rt, url, body, len, NULL);
}

long rt_error(rt_client *rt, const char *request_id, const char *type, const char *message)
{
    char url[1200];
    if (request_id) {
        char *id = escaped_id(rt, request_id);
        if (!id)
            return -1;
        snprintf(url, sizeof url, "%s/runtime/invocation/%s/error", rt->base, id);
        curl_free(id);
    } else
        snprintf(url, sizeof url, "%s/runtime/init/error", rt->base);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "errorMessage", message);
    cJSON_AddStringToObject(o, "errorType", type);
    cJSON_AddItemToObject(o, "stackTrace", cJSON_CreateArray());
    char *body = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!body)
        return -1;
    char hdr[200];
    snprintf(hdr, sizeof hdr, "Lambda-Runtime-Function-Error-Type: %s", type);
    long status = post(rt, url, body, strlen(body), curl_slist_append(NULL, hdr));
    free(body);
    return status;
}
