/* The error list: type names and the message helper. */
#include "errors.h"

#include <stdarg.h>
#include <stdio.h>

const char *locdet_error_type(locdet_exit code)
{
    switch (code) {
    case LOCDET_EXIT_OK: return NULL;
    case LOCDET_EXIT_USAGE: return "Locdet.Usage";
    case LOCDET_EXIT_INVALID_EVENT: return "Locdet.InvalidEvent";
    case LOCDET_EXIT_IMAGE_DECODE: return "Locdet.ImageDecode";
    case LOCDET_EXIT_IMAGE_TOO_LARGE: return "Locdet.ImageTooLarge";
    case LOCDET_EXIT_STRATEGY_NOT_FOUND: return "Locdet.StrategyNotFound";
    case LOCDET_EXIT_PLUGIN_ABI: return "Locdet.PluginABI";
    case LOCDET_EXIT_BAD_PARAMETER: return "Locdet.BadParameter";
    case LOCDET_EXIT_CONFIG: return "Locdet.Config";
    case LOCDET_EXIT_STORAGE: return "Locdet.Storage";
    case LOCDET_EXIT_DEADLINE: return "Locdet.DeadlineReached";
    case LOCDET_EXIT_INTERNAL: return "Locdet.Internal";
    }
    /* A code outside the list is a bug wherever it came from. */
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
