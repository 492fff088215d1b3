/* The host library: what the CLI (`locdet`) and the Lambda runtime
 * (`bootstrap`) share. One loaded strategy serves many images. */
#ifndef LOCDET_HOST_H
#define LOCDET_HOST_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h"

typedef struct locdet_host locdet_host;

/* The strategy used when none is named (LOCDET_STRATEGY, --strategy). */
#define LOCDET_DEFAULT_STRATEGY "rooms"
/* A strategy's should_stop() turns true this long before deadline_ms. */
#define LOCDET_STOP_MARGIN_MS 500

typedef struct locdet_host_config {
    const char *strategy;          /* name, [a-z0-9_-]+; NULL = LOCDET_STRATEGY or "rooms" */
    const char *params_env;        /* "k=v,k=v" (LOCDET_PARAMS form) or NULL */
    const char *const *params;     /* "k=v" items (--param), applied after params_env */
    int n_params;
    int threads;                   /* 0 = locdet_default_threads() */
    uint64_t max_pixels;           /* 0 = LOCDET_MAX_PIXELS or 200000000 */
} locdet_host_config;

/* Find, load and create the strategy with validated parameters. On failure
 * returns NULL with err set (StrategyNotFound, PluginABI, BadParameter...). */
locdet_host *locdet_host_open(const locdet_host_config *cfg, locdet_error *err);
void locdet_host_close(locdet_host *h);

typedef struct locdet_detect_request {
    const uint8_t *bytes;          /* the encoded image (PNG or JPEG, told by its bytes) */
    size_t size;
    const char *job_id;            /* goes into "jobId" */
    int64_t deadline_ms;           /* CLOCK_REALTIME Unix ms after which to stop; 0 = none */
    const char *overlay_path;      /* write an overlay PNG here, or NULL */
    const char *name;              /* what messages call the input ("plans/a.png",
                                      "s3://bucket/key"); NULL = job_id */
} locdet_detect_request;

/* Decode and detect. Always returns a result object in DESIGN.md's schema:
 * status "completed", or status "failed" with "error" {type, message} (and
 * err set). NULL only when out of memory. */
cJSON *locdet_host_detect(locdet_host *h, const locdet_detect_request *req, locdet_error *err);

/* A failed result for a job that never reached detection (bad event, S3
 * error...): status "failed" with the error, schema-valid. */
cJSON *locdet_result_failed(const char *job_id, const locdet_error *err);

/* The loaded strategy's entry name and version, and the plugin file. */
const char *locdet_host_strategy_name(const locdet_host *h);
const char *locdet_host_strategy_version(const locdet_host *h);
const char *locdet_host_plugin_path(const locdet_host *h);

/* LOCDET_MAX_PIXELS, or the default 200000000 when unset. Errors: Config
 * (not a positive whole number). */
locdet_exit locdet_max_pixels_from_env(uint64_t *out, locdet_error *err);

#endif
