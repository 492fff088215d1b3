/* A stand-in for the host library (host/host.h, host/errors.h) used only
 * until the real host lands on main: it knows PNG and JPEG by their bytes,
 * reads a PNG's size from IHDR, and "works" ~1 ms per megapixel while
 * honouring the deadline, so the runtime's paths can be driven end to end. */
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "errors.h"
#include "host.h"

struct locdet_host {
    char strategy[64];
};

static const char *const types[] = {
    [LOCDET_EXIT_USAGE] = "Locdet.Usage",
    [LOCDET_EXIT_INVALID_EVENT] = "Locdet.InvalidEvent",
    [LOCDET_EXIT_IMAGE_DECODE] = "Locdet.ImageDecode",
    [LOCDET_EXIT_IMAGE_TOO_LARGE] = "Locdet.ImageTooLarge",
    [LOCDET_EXIT_STRATEGY_NOT_FOUND] = "Locdet.StrategyNotFound",
    [LOCDET_EXIT_PLUGIN_ABI] = "Locdet.PluginABI",
    [LOCDET_EXIT_BAD_PARAMETER] = "Locdet.BadParameter",
    [LOCDET_EXIT_CONFIG] = "Locdet.Config",
    [LOCDET_EXIT_STORAGE] = "Locdet.Storage",
    [LOCDET_EXIT_DEADLINE] = "Locdet.DeadlineReached",
};

const char *locdet_error_type(locdet_exit code)
{
    if (code == LOCDET_EXIT_OK)
        return NULL;
    if ((size_t)code < sizeof types / sizeof types[0] && types[code])
        return types[code];
    return "Locdet.Internal";
}

locdet_exit locdet_error_set(locdet_error *err, locdet_exit code, const char *fmt, ...)
{
    if (err) {
        err->code = code;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

locdet_host *locdet_host_open(const locdet_host_config *cfg, locdet_error *err)
{
    const char *s = cfg->strategy ? cfg->strategy : getenv("LOCDET_STRATEGY");
    if (!s || !*s)
        s = "rooms";
    if (strcmp(s, "rooms") && strcmp(s, "seed")) {
        locdet_error_set(err, LOCDET_EXIT_STRATEGY_NOT_FOUND, "no strategy \"%s\" on the search path", s);
        return NULL;
    }
    if (cfg->params_env && *cfg->params_env && strncmp(cfg->params_env, "min_area=", 9)) {
        locdet_error_set(err, LOCDET_EXIT_BAD_PARAMETER, "unknown parameter in \"%s\"", cfg->params_env);
        return NULL;
    }
    locdet_host *h = calloc(1, sizeof *h);
    if (h)
        snprintf(h->strategy, sizeof h->strategy, "%s", s);
    return h;
}

void locdet_host_close(locdet_host *h)
{
    free(h);
}

static void now_iso(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

cJSON *locdet_result_failed(const char *job_id, const locdet_error *err)
{
    cJSON *r = cJSON_CreateObject();
    char ts[32];
    now_iso(ts);
    cJSON_AddStringToObject(r, "jobId", job_id);
    cJSON_AddStringToObject(r, "status", "failed");
    cJSON_AddStringToObject(r, "timestamp", ts);
    cJSON *e = cJSON_AddObjectToObject(r, "error");
    cJSON_AddStringToObject(e, "type", locdet_error_type(err->code) ? locdet_error_type(err->code) : "Locdet.Internal");
    cJSON_AddStringToObject(e, "message", err->message);
    return r;
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Every chunk's CRC holds and the file ends with IEND: the double's "decode". */
static int png_chunks_ok(const uint8_t *b, size_t n)
{
    size_t off = 8;
    while (off + 12 <= n) {
        uint32_t len = be32(b + off);
        if (len > n - off - 12 || crc32(b + off + 4, len + 4) != be32(b + off + 8 + len))
            return 0;
        if (!memcmp(b + off + 4, "IEND", 4))
            return 1;
        off += 12 + len;
    }
    return 0;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

cJSON *locdet_host_detect(locdet_host *h, const locdet_detect_request *req, locdet_error *err)
{
    const uint8_t *b = req->bytes;
    uint32_t w = 0, hgt = 0;
    const char *fmt;
    if (req->size >= 24 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8) && !memcmp(b + 12, "IHDR", 4) &&
        png_chunks_ok(b, req->size)) {
        fmt = "png";
        w = (uint32_t)b[16] << 24 | b[17] << 16 | b[18] << 8 | b[19];
        hgt = (uint32_t)b[20] << 24 | b[21] << 16 | b[22] << 8 | b[23];
    } else if (req->size >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) {
        fmt = "jpeg", w = 1, hgt = 1;
    } else {
        locdet_error_set(err, LOCDET_EXIT_IMAGE_DECODE, "not a PNG or JPEG image");
        return locdet_result_failed(req->job_id, err);
    }
    for (uint64_t mp = (uint64_t)w * hgt / 1000000; mp > 0; mp--) {
        if (req->deadline_ms && now_ms() >= req->deadline_ms) {
            locdet_error_set(err, LOCDET_EXIT_DEADLINE, "stopped before the Lambda deadline");
            return locdet_result_failed(req->job_id, err);
        }
        nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
    }
    cJSON *r = cJSON_CreateObject();
    char ts[32];
    now_iso(ts);
    cJSON_AddStringToObject(r, "jobId", req->job_id);
    cJSON_AddStringToObject(r, "status", "completed");
    cJSON_AddStringToObject(r, "timestamp", ts);
    cJSON *im = cJSON_AddObjectToObject(r, "image");
    cJSON_AddNumberToObject(im, "width", w);
    cJSON_AddNumberToObject(im, "height", hgt);
    cJSON_AddStringToObject(im, "format", fmt);
    cJSON *st = cJSON_AddObjectToObject(r, "strategy");
    cJSON_AddStringToObject(st, "name", h->strategy);
    cJSON_AddStringToObject(st, "version", "0.0.0");
    cJSON_AddObjectToObject(st, "params");
    cJSON_AddStringToObject(r, "isa", "scalar");
    cJSON_AddNumberToObject(r, "room_count", 0);
    cJSON_AddArrayToObject(r, "rooms");
    cJSON *t = cJSON_AddObjectToObject(r, "timings_ms");
    cJSON_AddNumberToObject(t, "decode", 0);
    cJSON_AddNumberToObject(t, "detect", 0);
    cJSON_AddNumberToObject(t, "total", 0);
    return r;
}
