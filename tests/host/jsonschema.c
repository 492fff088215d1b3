/* The JSON Schema subset: type, enum, const, properties, required,
 * additionalProperties, items, minItems, maxItems, minimum, maximum,
 * minLength, maxLength, pattern (POSIX ERE), $ref (local), if/then/else,
 * not, allOf, anyOf, oneOf; annotations are ignored. */
#include "jsonschema.h"

#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

typedef struct ctx {
    const cJSON *root;
    char *why;
    size_t why_size;
    int depth;
} ctx;

static bool failf(ctx *c, const char *path, const char *fmt, const char *arg)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, arg ? arg : "");
    snprintf(c->why, c->why_size, "%s: %s", path[0] ? path : "/", msg);
    return false;
}

static bool validate(ctx *c, const cJSON *s, const cJSON *d, const char *path);

static bool is_type(const cJSON *d, const char *t)
{
    if (!strcmp(t, "object")) return cJSON_IsObject(d);
    if (!strcmp(t, "array")) return cJSON_IsArray(d);
    if (!strcmp(t, "string")) return cJSON_IsString(d);
    if (!strcmp(t, "boolean")) return cJSON_IsBool(d);
    if (!strcmp(t, "null")) return cJSON_IsNull(d);
    if (!strcmp(t, "number")) return cJSON_IsNumber(d);
    if (!strcmp(t, "integer"))
        return cJSON_IsNumber(d) && isfinite(d->valuedouble) && floor(d->valuedouble) == d->valuedouble;
    return false;
}

/* Structural equality, numbers by value. */
static bool equal(const cJSON *a, const cJSON *b)
{
    if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
        return a->valuedouble == b->valuedouble;
    return cJSON_Compare(a, b, true);
}

static const cJSON *resolve(ctx *c, const char *ref)
{
    if (strncmp(ref, "#/", 2) != 0)
        return NULL;
    const cJSON *node = c->root;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", ref + 2);
    for (char *tok = strtok(buf, "/"); tok && node; tok = strtok(NULL, "/"))
        node = cJSON_GetObjectItemCaseSensitive(node, tok);
    return node;
}

static bool known_keyword(const char *k)
{
    static const char *const known[] = {
        "$schema", "$id", "title", "description", "$comment", "$defs", "examples",
        "type", "enum", "const", "properties", "required", "additionalProperties", "items",
        "minItems", "maxItems", "minimum", "maximum", "minLength", "maxLength", "pattern",
        "$ref", "if", "then", "else", "not", "allOf", "anyOf", "oneOf", NULL};
    for (int i = 0; known[i]; i++)
        if (!strcmp(k, known[i]))
            return true;
    return false;
}

static bool validate(ctx *c, const cJSON *s, const cJSON *d, const char *path)
{
    if (cJSON_IsBool(s))
        return cJSON_IsTrue(s) ? true : failf(c, path, "schema false rejects everything%s", NULL);
    if (!cJSON_IsObject(s))
        return failf(c, path, "schema is not an object%s", NULL);
    if (++c->depth > 64)
        return failf(c, path, "schema nests too deep%s", NULL);
    bool ok = true;
    const cJSON *k;
    cJSON_ArrayForEach(k, s) {
        if (!known_keyword(k->string)) {
            ok = failf(c, path, "unsupported schema keyword '%s'", k->string);
            goto out;
        }
    }
    const cJSON *v;
    if ((v = cJSON_GetObjectItemCaseSensitive(s, "$ref"))) {
        const cJSON *target = resolve(c, v->valuestring);
        if (!target) {
            ok = failf(c, path, "unresolvable $ref %s", v->valuestring);
            goto out;
        }
        if (!(ok = validate(c, target, d, path)))
            goto out;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(s, "type"))) {
        bool any = false;
        if (cJSON_IsString(v)) {
            any = is_type(d, v->valuestring);
        } else {
            const cJSON *t;
            cJSON_ArrayForEach(t, v) any |= is_type(d, t->valuestring);
        }
        if (!any) {
            char *want = cJSON_PrintUnformatted(v);
            ok = failf(c, path, "wrong type, want %s", want);
            cJSON_free(want);
            goto out;
        }
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(s, "enum"))) {
        bool any = false;
        const cJSON *e;
        cJSON_ArrayForEach(e, v) any |= equal(e, d);
        if (!any) {
            char *got = cJSON_PrintUnformatted(d);
            ok = failf(c, path, "%s is not one of the enum values", got);
            cJSON_free(got);
            goto out;
        }
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(s, "const")) && !equal(v, d)) {
        char *want = cJSON_PrintUnformatted(v);
        ok = failf(c, path, "must equal %s", want);
        cJSON_free(want);
        goto out;
    }
    if (cJSON_IsNumber(d)) {
        if ((v = cJSON_GetObjectItemCaseSensitive(s, "minimum")) && d->valuedouble < v->valuedouble) {
            ok = failf(c, path, "below the minimum%s", NULL);
            goto out;
        }
        if ((v = cJSON_GetObjectItemCaseSensitive(s, "maximum")) && d->valuedouble > v->valuedouble) {
            ok = failf(c, path, "above the maximum%s", NULL);
            goto out;
        }
    }
    if (cJSON_IsString(d)) {
        /* Lengths in code points, as JSON Schema counts them. */
        int len = 0;
        for (const unsigned char *p = (const unsigned char *)d->valuestring; *p; p++)
            len += (*p & 0xc0) != 0x80;
        if ((v = cJSON_GetObjectItemCaseSensitive(s, "minLength")) && len < v->valueint) {
            ok = failf(c, path, "string shorter than minLength%s", NULL);
            goto out;
        }
        if ((v = cJSON_GetObjectItemCaseSensitive(s, "maxLength")) && len > v->valueint) {
            ok = failf(c, path, "string longer than maxLength%s", NULL);
            goto out;
        }
        if ((v = cJSON_GetObjectItemCaseSensitive(s, "pattern"))) {
            regex_t re;
            if (regcomp(&re, v->valuestring, REG_EXTENDED | REG_NOSUB) != 0) {
                ok = failf(c, path, "pattern %s does not compile as POSIX ERE", v->valuestring);
                goto out;
            }
            bool m = regexec(&re, d->valuestring, 0, NULL, 0) == 0;
            regfree(&re);
            if (!m) {
                ok = failf(c, path, "does not match pattern %s", v->valuestring);
                goto out;
            }
        }
    }
    if (cJSON_IsArray(d)) {
        int n = cJSON_GetArraySize(d);
        if ((v = cJSON_GetObjectItemCaseSensitive(s, "minItems")) && n < v->valueint) {
            ok = failf(c, path, "fewer items than minItems%s", NULL);
            goto out;
        }
        if ((v = cJSON_GetObjectItemCaseSensitive(s, "maxItems")) && n > v->valueint) {
            ok = failf(c, path, "more items than maxItems%s", NULL);
            goto out;
        }
        if ((v = cJSON_GetObjectItemCaseSensitive(s, "items"))) {
            int i = 0;
            const cJSON *e;
            cJSON_ArrayForEach(e, d) {
                char sub[512];
                snprintf(sub, sizeof sub, "%s/%d", path, i++);
                if (!(ok = validate(c, v, e, sub)))
                    goto out;
            }
        }
    }
    if (cJSON_IsObject(d)) {
        if ((v = cJSON_GetObjectItemCaseSensitive(s, "required"))) {
            const cJSON *r;
            cJSON_ArrayForEach(r, v) {
                if (!cJSON_GetObjectItemCaseSensitive(d, r->valuestring)) {
                    ok = failf(c, path, "lacks required key '%s'", r->valuestring);
                    goto out;
                }
            }
        }
        const cJSON *props = cJSON_GetObjectItemCaseSensitive(s, "properties");
        const cJSON *extra = cJSON_GetObjectItemCaseSensitive(s, "additionalProperties");
        const cJSON *m;
        cJSON_ArrayForEach(m, d) {
            char sub[512];
            snprintf(sub, sizeof sub, "%s/%s", path, m->string);
            const cJSON *ps = props ? cJSON_GetObjectItemCaseSensitive(props, m->string) : NULL;
            if (ps) {
                if (!(ok = validate(c, ps, m, sub)))
                    goto out;
            } else if (extra) {
                if (!(ok = validate(c, extra, m, sub))) {
                    if (cJSON_IsFalse(extra))
                        failf(c, sub, "key not allowed here%s", NULL);
                    goto out;
                }
            }
        }
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(s, "allOf"))) {
        const cJSON *e;
        cJSON_ArrayForEach(e, v) if (!(ok = validate(c, e, d, path))) goto out;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(s, "anyOf")) || (v = cJSON_GetObjectItemCaseSensitive(s, "oneOf"))) {
        bool one = cJSON_GetObjectItemCaseSensitive(s, "oneOf") == v;
        int matches = 0;
        const cJSON *e;
        cJSON_ArrayForEach(e, v) matches += validate(c, e, d, path);
        if (one ? matches != 1 : matches < 1) {
            ok = failf(c, path, "%s", one ? "does not match exactly one of oneOf" : "matches none of anyOf");
            goto out;
        }
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(s, "not")) && validate(c, v, d, path)) {
        ok = failf(c, path, "matches a 'not' schema%s", NULL);
        goto out;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(s, "if"))) {
        char saved[512];
        snprintf(saved, sizeof saved, "%s", c->why);
        bool cond = validate(c, v, d, path);
        snprintf(c->why, c->why_size, "%s", saved);
        const cJSON *branch = cJSON_GetObjectItemCaseSensitive(s, cond ? "then" : "else");
        if (branch && !(ok = validate(c, branch, d, path)))
            goto out;
    }
out:
    c->depth--;
    return ok;
}

bool jsonschema_validate(const cJSON *schema, const cJSON *doc, char *why, size_t why_size)
{
    ctx c = {schema, why, why_size, 0};
    if (why_size)
        why[0] = '\0';
    return validate(&c, schema, doc, "");
}
