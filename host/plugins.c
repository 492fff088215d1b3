/* Strategy plugins: search path, dlopen with the ABI checks, parameters. */
#include "plugins.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool locdet_strategy_name_valid(const char *name)
{
    if (!name || !*name || strlen(name) > 64)
        return false;
    for (const char *p = name; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return false;
    }
    return true;
}

static bool param_name_valid(const char *name)
{
    if (!name || !*name || strlen(name) > 64)
        return false;
    for (const char *p = name; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    }
    return true;
}

/* ---- search path ------------------------------------------------------- */

static bool push(char ***dirs, size_t *n, size_t *cap, const char *s, size_t len)
{
    if (*n + 2 > *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        char **nd = realloc(*dirs, nc * sizeof *nd);
        if (!nd)
            return false;
        *dirs = nd;
        *cap = nc;
    }
    char *copy = strndup(s, len);
    if (!copy)
        return false;
    (*dirs)[(*n)++] = copy;
    (*dirs)[*n] = NULL;
    return true;
}

char **locdet_search_path(void)
{
    size_t n = 0, cap = 8;
    char **dirs = calloc(cap, sizeof *dirs);
    bool ok = dirs != NULL;
    const char *env = getenv("LOCDET_PLUGIN_PATH");
    for (const char *p = env; ok && p && *p;) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        if (len > 0)   /* an empty entry means nothing, not "." */
            ok = push(&dirs, &n, &cap, p, len);
        p = colon ? colon + 1 : p + len;
    }
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 16);
    if (ok && len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            strcpy(slash + 1, "plugins");
            ok = push(&dirs, &n, &cap, exe, strlen(exe));
        }
    }
    if (ok)
        ok = push(&dirs, &n, &cap, LOCDET_SYSTEM_PLUGIN_DIR, strlen(LOCDET_SYSTEM_PLUGIN_DIR));
    if (!ok) {
        locdet_search_path_free(dirs);
        return NULL;
    }
    return dirs;
}

void locdet_search_path_free(char **dirs)
{
    if (!dirs)
        return;
    for (char **d = dirs; *d; d++)
        free(*d);
    free(dirs);
}

locdet_exit locdet_plugin_find(const char *name, char *path, size_t path_size, locdet_error *err)
{
    if (!locdet_strategy_name_valid(name))
        return locdet_error_set(err, LOCDET_EXIT_STRATEGY_NOT_FOUND,
                                "strategy name '%s' is not valid: names match [a-z0-9_-]+ "
                                "(a name, never a path)", name ? name : "");
    char **dirs = locdet_search_path();
    if (!dirs)
        return locdet_error_set(err, LOCDET_EXIT_INTERNAL, "out of memory");
    char searched[400] = "";
    size_t used = 0;
    locdet_exit ex = LOCDET_EXIT_STRATEGY_NOT_FOUND;
    for (char **d = dirs; *d; d++) {
        int n = snprintf(path, path_size, "%s/%s.so", *d, name);
        if (n > 0 && (size_t)n < path_size && access(path, F_OK) == 0) {
            ex = LOCDET_EXIT_OK;
            break;
        }
        if (used < sizeof searched) {
            int w = snprintf(searched + used, sizeof searched - used, "%s%s", used ? ", " : "", *d);
            if (w > 0)
                used += (size_t)w;
        }
    }
    locdet_search_path_free(dirs);
    if (ex)
        locdet_error_set(err, ex, "no strategy '%s': %s.so is not in %s (LOCDET_PLUGIN_PATH, "
                         "plugins/ beside the executable, %s)", name, name, searched,
                         LOCDET_SYSTEM_PLUGIN_DIR);
    return ex;
}

/* ---- parameters -------------------------------------------------------- */

void locdet_param_describe_type(const locdet_param_def *d, char *buf, size_t size)
{
    switch (d->type) {
    case LOCDET_PARAM_INT:
        snprintf(buf, size, "int %.0f..%.0f", d->min, d->max);
        break;
    case LOCDET_PARAM_FLOAT:
        snprintf(buf, size, "float %g..%g", d->min, d->max);
        break;
    case LOCDET_PARAM_BOOL:
        snprintf(buf, size, "bool");
        break;
    case LOCDET_PARAM_ENUM: {
        size_t used = (size_t)snprintf(buf, size, "enum ");
        for (int i = 0; d->choices && d->choices[i] && used < size; i++)
            used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? "|" : "", d->choices[i]);
        break;
    }
    default:
        snprintf(buf, size, "unknown type %d", (int)d->type);
    }
}

/* Parse one value; on failure `why` says what the value should have been. */
static bool parse_value(const locdet_param_def *d, const char *text, locdet_param_value *v,
                        char *why, size_t why_size)
{
    char type[256];
    locdet_param_describe_type(d, type, sizeof type);
    snprintf(why, why_size, "wants %s", type);
    char *end;
    switch (d->type) {
    case LOCDET_PARAM_INT: {
        errno = 0;
        long long x = strtoll(text, &end, 10);
        if (!*text || *end || errno || (double)x < d->min || (double)x > d->max)
            return false;
        v->i = x;
        return true;
    }
    case LOCDET_PARAM_FLOAT: {
        errno = 0;
        double x = strtod(text, &end);
        if (!*text || *end || errno || !isfinite(x) || x < d->min || x > d->max)
            return false;
        v->f = x;
        return true;
    }
    case LOCDET_PARAM_BOOL: {
        static const char *const yes[] = {"true", "1", "yes", "on"}, *const no[] = {"false", "0", "no", "off"};
        for (int i = 0; i < 4; i++) {
            if (strcmp(text, yes[i]) == 0) { v->b = true; return true; }
            if (strcmp(text, no[i]) == 0) { v->b = false; return true; }
        }
        snprintf(why, why_size, "wants a bool (true/false, 1/0, yes/no, on/off)");
        return false;
    }
    case LOCDET_PARAM_ENUM:
        for (int i = 0; d->choices && d->choices[i]; i++) {
            if (strcmp(text, d->choices[i]) == 0) {
                v->i = i;
                return true;
            }
        }
        snprintf(why, why_size, "wants one of %s", type + 5);
        return false;
    }
    return false;
}

static locdet_exit apply(const locdet_strategy *s, const char *item, size_t len, const char *origin,
                         locdet_param_value *values, locdet_error *err)
{
    char buf[512];
    if (len >= sizeof buf)
        return locdet_error_set(err, LOCDET_EXIT_BAD_PARAMETER, "%s: parameter too long", origin);
    memcpy(buf, item, len);
    buf[len] = '\0';
    char *eq = strchr(buf, '=');
    if (!eq || eq == buf)
        return locdet_error_set(err, LOCDET_EXIT_BAD_PARAMETER,
                                "%s: '%s' is not key=value", origin, buf);
    *eq = '\0';
    const char *key = buf, *text = eq + 1;
    for (int i = 0; i < s->n_params; i++) {
        const locdet_param_def *d = &s->params[i];
        if (strcmp(d->name, key) != 0)
            continue;
        char why[300];
        if (!parse_value(d, text, &values[i], why, sizeof why))
            return locdet_error_set(err, LOCDET_EXIT_BAD_PARAMETER,
                                    "%s: parameter '%s' of strategy '%s' %s, got '%s'", origin,
                                    key, s->name, why, text);
        return LOCDET_EXIT_OK;
    }
    char known[300] = "";
    size_t used = 0;
    for (int i = 0; i < s->n_params && used < sizeof known; i++)
        used += (size_t)snprintf(known + used, sizeof known - used, "%s%s", i ? ", " : "",
                                 s->params[i].name);
    return locdet_error_set(err, LOCDET_EXIT_BAD_PARAMETER,
                            "%s: strategy '%s' has no parameter '%s' (it has: %s)", origin, s->name,
                            key, s->n_params ? known : "none");
}

locdet_exit locdet_params_parse(const locdet_strategy *s, const char *params_env,
                                const char *const *params, int n_params,
                                locdet_param_value *values, locdet_error *err)
{
    char why[300];
    for (int i = 0; i < s->n_params; i++) {
        memset(&values[i], 0, sizeof values[i]);
        if (!parse_value(&s->params[i], s->params[i].def, &values[i], why, sizeof why))
            return locdet_error_set(err, LOCDET_EXIT_PLUGIN_ABI,
                                    "strategy '%s': default of parameter '%s' is invalid (%s)",
                                    s->name, s->params[i].name, why);
    }
    for (const char *p = params_env; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len > 0) {
            locdet_exit ex = apply(s, p, len, "LOCDET_PARAMS", values, err);
            if (ex)
                return ex;
        }
        p = comma ? comma + 1 : p + len;
    }
    for (int i = 0; i < n_params; i++) {
        locdet_exit ex = apply(s, params[i], strlen(params[i]), "--param", values, err);
        if (ex)
            return ex;
    }
    return LOCDET_EXIT_OK;
}

cJSON *locdet_params_json(const locdet_strategy *s, const locdet_param_value *values)
{
    cJSON *o = cJSON_CreateObject();
    for (int i = 0; o && i < s->n_params; i++) {
        const locdet_param_def *d = &s->params[i];
        cJSON *v = NULL;
        switch (d->type) {
        case LOCDET_PARAM_INT: v = cJSON_CreateNumber((double)values[i].i); break;
        case LOCDET_PARAM_FLOAT: v = cJSON_CreateNumber(values[i].f); break;
        case LOCDET_PARAM_BOOL: v = cJSON_CreateBool(values[i].b); break;
        case LOCDET_PARAM_ENUM: v = cJSON_CreateString(d->choices[values[i].i]); break;
        }
        if (!v || !cJSON_AddItemToObject(o, d->name, v)) {
            cJSON_Delete(v);
            cJSON_Delete(o);
            return NULL;
        }
    }
    return o;
}

/* ---- loading ----------------------------------------------------------- */

static locdet_exit check_table(const char *path, const locdet_strategy *s, locdet_error *err)
{
#define BAD(...) locdet_error_set(err, LOCDET_EXIT_PLUGIN_ABI, __VA_ARGS__)
    if (!s->version || !s->description)
        return BAD("%s: entry lacks its version or description", path);
    if (!s->create || !s->detect || !s->destroy)
        return BAD("%s: entry lacks create, detect or destroy", path);
    if (s->decode_scale != 0 && s->decode_scale != 1 && s->decode_scale != 2 &&
        s->decode_scale != 4 && s->decode_scale != 8)
        return BAD("%s: decode_scale %d is not 1, 2, 4 or 8", path, s->decode_scale);
    if (s->n_params < 0 || s->n_params > LOCDET_MAX_PARAMS || (s->n_params > 0 && !s->params))
        return BAD("%s: parameter table has %d rows (0..%d)", path, s->n_params, LOCDET_MAX_PARAMS);
    for (int i = 0; i < s->n_params; i++) {
        const locdet_param_def *d = &s->params[i];
        if (!param_name_valid(d->name))
            return BAD("%s: parameter %d has an invalid name (want [a-z0-9_]+)", path, i);
        for (int j = 0; j < i; j++)
            if (strcmp(s->params[j].name, d->name) == 0)
                return BAD("%s: parameter '%s' appears twice", path, d->name);
        if (d->type != LOCDET_PARAM_INT && d->type != LOCDET_PARAM_FLOAT &&
            d->type != LOCDET_PARAM_BOOL && d->type != LOCDET_PARAM_ENUM)
            return BAD("%s: parameter '%s' has unknown type %d", path, d->name, (int)d->type);
        if ((d->type == LOCDET_PARAM_INT || d->type == LOCDET_PARAM_FLOAT) && !(d->min <= d->max))
            return BAD("%s: parameter '%s' has an empty range", path, d->name);
        if (d->type == LOCDET_PARAM_ENUM && (!d->choices || !d->choices[0]))
            return BAD("%s: enum parameter '%s' has no choices", path, d->name);
        if (!d->def)
            return BAD("%s: parameter '%s' has no default", path, d->name);
        locdet_param_value v;
        char why[300];
        if (!parse_value(d, d->def, &v, why, sizeof why))
            return BAD("%s: default '%s' of parameter '%s' is invalid (%s)", path, d->def, d->name,
                       why);
    }
    return LOCDET_EXIT_OK;
#undef BAD
}

locdet_exit locdet_plugin_load(const char *path, const char *expect_name, locdet_plugin *out,
                               locdet_error *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->path, sizeof out->path, "%s", path);
    /* RTLD_LOCAL: two plugins never see each other's symbols. */
    void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!dl)
        return locdet_error_set(err, LOCDET_EXIT_PLUGIN_ABI, "%s: cannot load: %s", path, dlerror());
    const locdet_strategy *s = dlsym(dl, "locdet_strategy_entry");
    locdet_exit ex = LOCDET_EXIT_OK;
    if (!s) {
        ex = locdet_error_set(err, LOCDET_EXIT_PLUGIN_ABI,
                              "%s: no exported symbol locdet_strategy_entry (not a locdet strategy, "
                              "or built without exporting it)", path);
    } else if (s->abi.major != LOCDET_PLUGIN_ABI_MAJOR) {
        /* Nothing past the version is read: its layout may differ. */
        ex = locdet_error_set(err, LOCDET_EXIT_PLUGIN_ABI,
                              "%s: plugin ABI %u.%u, host ABI %d.%d: the major versions differ "
                              "(rebuild the plugin against this host's locdet/plugin.h)",
                              path, s->abi.major, s->abi.minor, LOCDET_PLUGIN_ABI_MAJOR,
                              LOCDET_PLUGIN_ABI_MINOR);
    } else if (!s->name || !locdet_strategy_name_valid(s->name)) {
        ex = locdet_error_set(err, LOCDET_EXIT_PLUGIN_ABI,
                              "%s: entry has no valid name (want [a-z0-9_-]+)", path);
    } else if (expect_name && strcmp(s->name, expect_name) != 0) {
        ex = locdet_error_set(err, LOCDET_EXIT_PLUGIN_ABI,
                              "%s: entry names strategy '%s', but the file is %s.so (they must match)",
                              path, s->name, expect_name);
    } else {
        ex = check_table(path, s, err);
    }
    if (ex) {
        dlclose(dl);
        return ex;
    }
    out->dl = dl;
    out->entry = s;
    return LOCDET_EXIT_OK;
}

void locdet_plugin_unload(locdet_plugin *p)
{
    if (p && p->dl) {
        dlclose(p->dl);
        p->dl = NULL;
        p->entry = NULL;
    }
}
