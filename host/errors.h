/* The one list of error types and exit codes, shared by the CLI (exit code)
 * and Lambda (errorType). docs/errors.md documents it; keep them in step. */
#ifndef LOCDET_ERRORS_H
#define LOCDET_ERRORS_H

typedef enum locdet_exit {
    LOCDET_EXIT_OK = 0,
    LOCDET_EXIT_USAGE = 2,             /* Locdet.Usage: bad command line */
    LOCDET_EXIT_INVALID_EVENT = 3,     /* Locdet.InvalidEvent: malformed event/request, bad jobId */
    LOCDET_EXIT_IMAGE_DECODE = 4,      /* Locdet.ImageDecode: unreadable, corrupt, truncated, unsupported */
    LOCDET_EXIT_IMAGE_TOO_LARGE = 5,   /* Locdet.ImageTooLarge: over the pixel or object-size limit */
    LOCDET_EXIT_STRATEGY_NOT_FOUND = 6,/* Locdet.StrategyNotFound */
    LOCDET_EXIT_PLUGIN_ABI = 7,        /* Locdet.PluginABI: ABI mismatch, missing symbol, create failed */
    LOCDET_EXIT_BAD_PARAMETER = 8,     /* Locdet.BadParameter */
    LOCDET_EXIT_CONFIG = 9,            /* Locdet.Config: missing or invalid setting */
    LOCDET_EXIT_STORAGE = 10,          /* Locdet.Storage: S3 error after retries, missing object */
    LOCDET_EXIT_DEADLINE = 11,         /* Locdet.DeadlineReached */
    LOCDET_EXIT_INTERNAL = 70,         /* Locdet.Internal: anything else (a bug) */
} locdet_exit;

/* An error on its way to the user: exit code, and a message naming what was
 * wrong (the file, the field, the parameter). */
typedef struct locdet_error {
    locdet_exit code;
    char message[512];
} locdet_error;

/* "Locdet.ImageDecode" for LOCDET_EXIT_IMAGE_DECODE; NULL for LOCDET_EXIT_OK. */
const char *locdet_error_type(locdet_exit code);
/* Fill err (if not NULL) and return code. printf-style message. */
locdet_exit locdet_error_set(locdet_error *err, locdet_exit code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
