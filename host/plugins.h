/* Strategy plugins: the search path, loading with the ABI checks, and the
 * parameter table (parse, validate, print). */
#ifndef LOCDET_HOST_PLUGINS_H
#define LOCDET_HOST_PLUGINS_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "errors.h"
#include "locdet/plugin.h"

#define LOCDET_MAX_PARAMS 64
#define LOCDET_SYSTEM_PLUGIN_DIR "/opt/locdet/plugins"

typedef struct locdet_plugin {
    void *dl;
    const locdet_strategy *entry;
    char path[4096];
} locdet_plugin;

/* [a-z0-9_-]{1,64}: a name, never a path. */
bool locdet_strategy_name_valid(const char *name);

/* The search path: LOCDET_PLUGIN_PATH (colon-separated), then plugins/
 * beside the running executable, then /opt/locdet/plugins. Returns a
 * NULL-terminated array (free with locdet_search_path_free), NULL on OOM. */
char **locdet_search_path(void);
void locdet_search_path_free(char **dirs);

/* Find NAME.so on the search path. Errors: StrategyNotFound (a bad name, or
 * not found; the message lists the folders searched). */
locdet_exit locdet_plugin_find(const char *name, char *path, size_t path_size, locdet_error *err);

/* dlopen a plugin and check its entry: the symbol, the ABI major, the name
 * (when expect_name is not NULL), and the parameter table. Errors:
 * PluginABI, naming the file and the reason. */
locdet_exit locdet_plugin_load(const char *path, const char *expect_name, locdet_plugin *out,
                               locdet_error *err);
void locdet_plugin_unload(locdet_plugin *p);

/* Fill values[] (n_params entries) with the defaults, then apply
 * params_env ("k=v,k=v", may be NULL) and then params[] ("k=v"). Errors:
 * BadParameter naming the strategy, the key and what was wrong. */
locdet_exit locdet_params_parse(const locdet_strategy *s, const char *params_env,
                                const char *const *params, int n_params,
                                locdet_param_value *values, locdet_error *err);
/* {"name": value, ...} with JSON types (enums as their string). */
cJSON *locdet_params_json(const locdet_strategy *s, const locdet_param_value *values);
/* "int 3..101", "float 0..1", "bool", "enum otsu|fixed". */
void locdet_param_describe_type(const locdet_param_def *d, char *buf, size_t size);

#endif
