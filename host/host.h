/* The host library: what the CLI (`locdet`) and the Lambda runtime
 * (`bootstrap`) share. One loaded strategy serves many images. */
#ifndef LOCDET_HOST_H
#define LOCDET_HOST_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h"

typedef struct locdet_host locdet_host;

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
} locdet_detect_request;

/* Decode and detect. Always returns a result object in DESIGN.md's schema:
 * status "completed", or status "failed" with "error" {type, message} (and
 * err set). NULL only when out of memory. */
cJSON *locdet_host_detect(locdet_host *h, const locdet_detect_request *req, locdet_error *err);

/* A failed result for a job that never reached detection (bad event, S3
 * error...): status "failed" with the error, schema-valid. */
cJSON *locdet_result_failed(const char *job_id, const locdet_error *err);

#endif
