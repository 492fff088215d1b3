#define _GNU_SOURCE /* memmem */
#include "s3.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "keyenc.h"
#include "sha256.h"

#define DEFAULT_MAX_OBJECT_BYTES (100u * 1024 * 1024)
#define ERROR_BODY_MAX (64 * 1024)

struct s3_client {
    s3_config cfg;
    CURL *curl;          /* one handle: its connection is reused across requests */
    uint64_t rng;
    char userpwd[520];
    char sigv4[96];
};

int64_t s3_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int copy_env(char *dst, size_t cap, const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v) {
        dst[0] = '\0';
        return 0;
    }
    if (strlen(v) >= cap)
        return -1;
    strcpy(dst, v);
    return 1;
}

static int parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s)
        return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || *s == '-' || v == 0)
        return 0;
    *out = v;
    return 1;
}

locdet_exit s3_config_from_env(s3_config *cfg, locdet_error *err)
{
    memset(cfg, 0, sizeof *cfg);
    static const struct {
        const char *name;
        size_t off, cap;
        int required;
    } vars[] = {
        {"AWS_REGION", offsetof(s3_config, region), sizeof cfg->region, 1},
        {"AWS_ACCESS_KEY_ID", offsetof(s3_config, access_key), sizeof cfg->access_key, 1},
        {"AWS_SECRET_ACCESS_KEY", offsetof(s3_config, secret_key), sizeof cfg->secret_key, 1},
        {"AWS_SESSION_TOKEN", offsetof(s3_config, session_token), sizeof cfg->session_token, 0},
        {"LOCDET_S3_ENDPOINT", offsetof(s3_config, endpoint), sizeof cfg->endpoint, 0},
    };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        int r = copy_env((char *)cfg + vars[i].off, vars[i].cap, vars[i].name);
        if (r < 0)
            return locdet_error_set(err, LOCDET_EXIT_CONFIG, "%s is too long", vars[i].name);
        if (r == 0 && vars[i].required)
            return locdet_error_set(err, LOCDET_EXIT_CONFIG, "%s is not set", vars[i].name);
    }
    if (strspn(cfg->region, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(cfg->region))
        return locdet_error_set(err, LOCDET_EXIT_CONFIG, "AWS_REGION \"%s\" is not a region name",
                                cfg->region);
    if (cfg->endpoint[0]) {
        if (strncmp(cfg->endpoint, "http://", 7) && strncmp(cfg->endpoint, "https://", 8))
            return locdet_error_set(err, LOCDET_EXIT_CONFIG,
                                    "LOCDET_S3_ENDPOINT \"%s\" must be a URL with its scheme "
                                    "(http://host:port)", cfg->endpoint);
        size_t n = strlen(cfg->endpoint);
        while (n > 0 && cfg->endpoint[n - 1] == '/')
            cfg->endpoint[--n] = '\0';
        if (strchr(strstr(cfg->endpoint, "://") + 3, '/') || strchr(cfg->endpoint, '?'))
            return locdet_error_set(err, LOCDET_EXIT_CONFIG,
                                    "LOCDET_S3_ENDPOINT \"%s\" must have no path", cfg->endpoint);
    }
    cfg->max_object_bytes = DEFAULT_MAX_OBJECT_BYTES;
    const char *mob = getenv("LOCDET_MAX_OBJECT_BYTES");
    if (mob && *mob && !parse_u64(mob, &cfg->max_object_bytes))
        return locdet_error_set(err, LOCDET_EXIT_CONFIG,
                                "LOCDET_MAX_OBJECT_BYTES \"%s\" is not a positive integer", mob);
    uint64_t attempts = 4;
    const char *ma = getenv("LOCDET_S3_MAX_ATTEMPTS");
    if (ma && *ma && (!parse_u64(ma, &attempts) || attempts > 10))
        return locdet_error_set(err, LOCDET_EXIT_CONFIG,
                                "LOCDET_S3_MAX_ATTEMPTS \"%s\" is not an integer in 1..10", ma);
    cfg->max_attempts = (int)attempts;
    cfg->base_delay_ms = 100;
    cfg->max_delay_ms = 2000;
    /* Debian's libcurl looks for Debian's CA file; Amazon Linux 2023 keeps
     * its bundle elsewhere. */
    if (copy_env(cfg->ca_bundle, sizeof cfg->ca_bundle, "CURL_CA_BUNDLE") <= 0 &&
        copy_env(cfg->ca_bundle, sizeof cfg->ca_bundle, "SSL_CERT_FILE") <= 0) {
        cfg->ca_bundle[0] = '\0';
        if (access("/etc/ssl/certs/ca-certificates.crt", R_OK) != 0 &&
            access("/etc/pki/tls/certs/ca-bundle.crt", R_OK) == 0)
            strcpy(cfg->ca_bundle, "/etc/pki/tls/certs/ca-bundle.crt");
    }
    return LOCDET_EXIT_OK;
}

s3_client *s3_client_new(const s3_config *cfg)
{
    s3_client *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->cfg = *cfg;
    c->curl = curl_easy_init();
    if (!c->curl) {
        free(c);
        return NULL;
    }
    uint64_t seed = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (read(fd, &seed, sizeof seed) != (ssize_t)sizeof seed)
            seed = 0;
        close(fd);
    }
    c->rng = seed ^ (uint64_t)s3_now_ms() ^ ((uint64_t)getpid() << 32) ^ 0x9E3779B97F4A7C15ull;
    snprintf(c->userpwd, sizeof c->userpwd, "%s:%s", cfg->access_key, cfg->secret_key);
    snprintf(c->sigv4, sizeof c->sigv4, "aws:amz:%s:s3", cfg->region);
    return c;
}

void s3_client_free(s3_client *c)
{
    if (!c)
        return;
    curl_easy_cleanup(c->curl);
    memset(c->userpwd, 0, sizeof c->userpwd);
    free(c);
}

char *s3_object_url(const s3_client *c, const char *bucket, const char *key)
{
    char *path = keyenc_uri_path(key);
    if (!path)
        return NULL;
    size_t n = strlen(path) + strlen(bucket) + strlen(c->cfg.endpoint) + strlen(c->cfg.region) + 64;
    char *url = malloc(n);
    if (url) {
        if (c->cfg.endpoint[0])
            snprintf(url, n, "%s/%s/%s", c->cfg.endpoint, bucket, path);
        else if (strchr(bucket, '.')) /* dots break the wildcard certificate */
            snprintf(url, n, "https://s3.%s.amazonaws.com/%s/%s", c->cfg.region, bucket, path);
        else
            snprintf(url, n, "https://%s.s3.%s.amazonaws.com/%s", bucket, c->cfg.region, path);
    }
    free(path);
    return url;
}

typedef struct sink {
    uint8_t *data;
    size_t size, cap;
    uint64_t limit;
    int too_large;
} sink;

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *ud)
{
    sink *s = ud;
    size_t n = size * nmemb;
    if (s->size + n > s->limit) {
        s->too_large = 1;
        return 0; /* aborts the transfer: CURLE_WRITE_ERROR */
    }
    if (s->size + n > s->cap) {
        size_t cap = s->cap ? s->cap : 64 * 1024;
        while (cap < s->size + n)
            cap *= 2;
        if (cap > s->limit)
            cap = (size_t)s->limit;
        uint8_t *d = realloc(s->data, cap);
        if (!d)
            return 0;
        s->data = d;
        s->cap = cap;
    }
    memcpy(s->data + s->size, ptr, n);
    s->size += n;
    return n;
}

/* Reserve the whole body up front when the server says how long it is. */
static size_t on_header(char *buf, size_t size, size_t nmemb, void *ud)
{
    sink *s = ud;
    size_t n = size * nmemb;
    if (n > 15 && strncasecmp(buf, "content-length:", 15) == 0) {
        uint64_t len = strtoull(buf + 15, NULL, 10);
        if (len > s->cap && len <= s->limit) {
            uint8_t *d = realloc(s->data, (size_t)len);
            if (d) {
                s->data = d;
                s->cap = (size_t)len;
            }
        }
    }
    return n;
}

/* <Code> and <Message> of an S3 error document. */
static void xml_field(const sink *s, const char *tag, char *out, size_t cap)
{
    out[0] = '\0';
    if (!s->data || !s->size)
        return;
    char open[32], close[32];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    const char *body = (const char *)s->data, *end = body + s->size;
    const char *a = memmem(body, s->size, open, strlen(open));
    if (!a)
        return;
    a += strlen(open);
    const char *b = memmem(a, (size_t)(end - a), close, strlen(close));
    if (!b)
        return;
    size_t n = (size_t)(b - a) < cap - 1 ? (size_t)(b - a) : cap - 1;
    memcpy(out, a, n);
    out[n] = '\0';
}

static int retryable_curl(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return 1;
    default:
        return 0;
    }
}

static int retryable_status(long status, const char *code)
{
    if (status >= 500 || status == 429)
        return 1;
    return status == 400 && (!strcmp(code, "RequestTimeout") || !strcmp(code, "Throttling") ||
                             !strcmp(code, "ThrottlingException") || !strcmp(code, "SlowDown"));
}

static uint64_t next_random(s3_client *c)
{
    /* xorshift64*: jitter needs spread, not secrecy. */
    c->rng ^= c->rng >> 12;
    c->rng ^= c->rng << 25;
    c->rng ^= c->rng >> 27;
    return c->rng * 2685821657736338717ull;
}

static void sleep_ms(int64_t ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

typedef struct request {
    const char *method;           /* "GET" or "PUT" */
    const char *bucket, *key;
    const void *body;
    size_t len;
    const char *content_type;
    int64_t until_ms;
    uint64_t limit;
} request;

static locdet_exit perform(s3_client *c, const request *rq, sink *out, int *not_found,
                           locdet_error *err)
{
    char *url = s3_object_url(c, rq->bucket, rq->key);
    if (!url)
        return locdet_error_set(err, LOCDET_EXIT_INTERNAL, "out of memory");
    char sha[65], h_sha[96], h_ctype[160], *h_token = NULL;
    sha256_hex(rq->body ? rq->body : "", rq->len, sha);
    snprintf(h_sha, sizeof h_sha, "x-amz-content-sha256: %s", sha);
    struct curl_slist *hdrs = curl_slist_append(NULL, h_sha);
    if (c->cfg.session_token[0]) {
        size_t n = strlen(c->cfg.session_token) + 32;
        h_token = malloc(n);
        if (h_token) {
            snprintf(h_token, n, "x-amz-security-token: %s", c->cfg.session_token);
            hdrs = curl_slist_append(hdrs, h_token);
        }
    }
    /* No "Expect:" header to turn off 100-continue: curl 7.88 would sign
     * the header it removes, and S3 would refuse the signature. */
    if (rq->content_type) {
        snprintf(h_ctype, sizeof h_ctype, "Content-Type: %s", rq->content_type);
        hdrs = curl_slist_append(hdrs, h_ctype);
    }
    const char *what = rq->method;
    locdet_exit rc = LOCDET_EXIT_OK;
    long status = 0;
    CURLcode cc = CURLE_OK;
    char code[128] = "", message[256] = "";
    int attempt;
    *not_found = 0;
    for (attempt = 1;; attempt++) {
        CURL *h = c->curl;
        curl_easy_reset(h);
        out->size = 0;
        out->too_large = 0;
        out->limit = rq->limit;
        curl_easy_setopt(h, CURLOPT_URL, url);
        /* The key may hold "/./" or "/../": they are part of its name. */
        curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
        curl_easy_setopt(h, CURLOPT_AWS_SIGV4, c->sigv4);
        curl_easy_setopt(h, CURLOPT_USERPWD, c->userpwd);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, out);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
        /* A stalled transfer counts as a connection error. */
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 30L);
        if (c->cfg.ca_bundle[0])
            curl_easy_setopt(h, CURLOPT_CAINFO, c->cfg.ca_bundle);
        if (!strcmp(rq->method, "PUT")) {
            /* POSTFIELDS, not an upload callback: curl 7.88 hashes the
             * POSTFIELDS into the signature, and that hash must equal the
             * x-amz-content-sha256 sent. */
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT");
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->len);
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, rq->body);
        } else {
            curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
            curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)rq->limit);
        }
        int64_t budget = 0;
        if (rq->until_ms) {
            budget = rq->until_ms - s3_now_ms();
            if (budget <= 0) {
                char last[sizeof err->message];
                snprintf(last, sizeof last, "%s", attempt > 1 ? err->message : "");
                rc = locdet_error_set(err, LOCDET_EXIT_DEADLINE,
                                      "S3 %s s3://%s/%s: no time left before the deadline%s%s",
                                      what, rq->bucket, rq->key, last[0] ? "; last error: " : "", last);
                break;
            }
            curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)budget);
        }
        cc = curl_easy_perform(h);
        status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        int retry = 0;
        if (cc == CURLE_FILESIZE_EXCEEDED || (cc == CURLE_WRITE_ERROR && out->too_large)) {
            rc = locdet_error_set(err, LOCDET_EXIT_IMAGE_TOO_LARGE,
                                  "s3://%s/%s is larger than LOCDET_MAX_OBJECT_BYTES (%" PRIu64 " bytes)",
                                  rq->bucket, rq->key, rq->limit);
            break;
        }
        if (cc == CURLE_OPERATION_TIMEDOUT && rq->until_ms && s3_now_ms() >= rq->until_ms - 5) {
            rc = locdet_error_set(err, LOCDET_EXIT_DEADLINE,
                                  "S3 %s s3://%s/%s: stopped at the deadline", what, rq->bucket,
                                  rq->key);
            break;
        }
        if (cc != CURLE_OK) {
            retry = retryable_curl(cc);
            rc = locdet_error_set(err, LOCDET_EXIT_STORAGE, "S3 %s s3://%s/%s: %s", what,
                                  rq->bucket, rq->key, curl_easy_strerror(cc));
        } else if (status >= 200 && status < 300) {
            /* Earlier attempts' errors are history now. */
            rc = LOCDET_EXIT_OK;
            err->code = LOCDET_EXIT_OK;
            err->message[0] = '\0';
            break;
        } else {
            xml_field(out, "Code", code, sizeof code);
            xml_field(out, "Message", message, sizeof message);
            retry = retryable_status(status, code);
            if (status == 404)
                *not_found = 1;
            rc = locdet_error_set(err, LOCDET_EXIT_STORAGE, "S3 %s s3://%s/%s: HTTP %ld%s%s%s%s%s",
                                  what, rq->bucket, rq->key, status, code[0] ? " " : "", code,
                                  message[0] ? " (" : "", message, message[0] ? ")" : "");
        }
        if (!retry || attempt >= c->cfg.max_attempts) {
            if (retry) {
                char last[sizeof err->message];
                snprintf(last, sizeof last, "%s", err->message);
                locdet_error_set(err, LOCDET_EXIT_STORAGE, "%s; gave up after %d attempts", last,
                                 attempt);
            }
            break;
        }
        /* Exponential backoff, full jitter (AWS's recommendation). */
        int64_t cap = (int64_t)c->cfg.base_delay_ms << (attempt - 1 < 20 ? attempt - 1 : 20);
        if (cap > c->cfg.max_delay_ms)
            cap = c->cfg.max_delay_ms;
        int64_t delay = cap > 0 ? (int64_t)(next_random(c) % (uint64_t)(cap + 1)) : 0;
        if (rq->until_ms && s3_now_ms() + delay >= rq->until_ms) {
            char last[sizeof err->message];
            snprintf(last, sizeof last, "%s", err->message);
            rc = locdet_error_set(err, LOCDET_EXIT_DEADLINE,
                                  "%s; no time left before the deadline for another attempt", last);
            break;
        }
        fprintf(stderr, "locdet: S3 %s s3://%s/%s: attempt %d failed (%s), retrying in %" PRId64 " ms\n",
                what, rq->bucket, rq->key, attempt, cc != CURLE_OK ? curl_easy_strerror(cc) : code[0] ? code : "HTTP error",
                delay);
        sleep_ms(delay);
    }
    curl_slist_free_all(hdrs);
    free(h_token);
    free(url);
    return rc;
}

locdet_exit s3_get(s3_client *c, const char *bucket, const char *key, int64_t until_ms,
                   uint8_t **data, size_t *size, int *not_found, locdet_error *err)
{
    sink out = {0};
    request rq = {.method = "GET", .bucket = bucket, .key = key, .until_ms = until_ms,
                  .limit = c->cfg.max_object_bytes};
    int nf = 0;
    locdet_exit rc = perform(c, &rq, &out, &nf, err);
    if (not_found)
        *not_found = nf;
    if (rc != LOCDET_EXIT_OK) {
        free(out.data);
        *data = NULL;
        *size = 0;
        return rc;
    }
    *data = out.data ? out.data : malloc(1);
    *size = out.size;
    if (!*data)
        return locdet_error_set(err, LOCDET_EXIT_INTERNAL, "out of memory");
    return LOCDET_EXIT_OK;
}

locdet_exit s3_put(s3_client *c, const char *bucket, const char *key, const void *body,
                   size_t len, const char *content_type, int64_t until_ms, locdet_error *err)
{
    sink out = {0};
    request rq = {.method = "PUT", .bucket = bucket, .key = key, .body = body, .len = len,
                  .content_type = content_type, .until_ms = until_ms, .limit = ERROR_BODY_MAX};
    int nf;
    locdet_exit rc = perform(c, &rq, &out, &nf, err);
    free(out.data);
    return rc;
}
