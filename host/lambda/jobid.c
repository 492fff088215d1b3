#include "jobid.h"

#include <stdio.h>
#include <string.h>

int jobid_valid(const char *id)
{
    size_t n = 0;
    for (const char *p = id; *p; p++, n++) {
        char c = *p;
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
        if (n >= JOBID_MAX)
            return 0;
    }
    return n >= 1;
}

int jobid_from_key(const char *key, char out[JOBID_MAX + 1], char *why, size_t why_size)
{
    static const char folder[] = "blueprints/";
    const size_t flen = sizeof folder - 1;
    const char *name = strrchr(key, '/');
    name = name ? name + 1 : key;
    size_t before = (size_t)(name - key);
    /* The folder holding the file must be exactly "blueprints". */
    if (before < flen || memcmp(name - flen, folder, flen) != 0 ||
        (before > flen && name[-(ptrdiff_t)flen - 1] != '/')) {
        snprintf(why, why_size, "key does not have the form [prefix/]blueprints/{jobId}.{ext}");
        return 0;
    }
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name || dot[1] == '\0') {
        snprintf(why, why_size, "key's file name has no {jobId}.{ext} form");
        return 0;
    }
    size_t n = (size_t)(dot - name);
    char id[JOBID_MAX + 2];
    if (n > JOBID_MAX) {
        snprintf(why, why_size, "jobId from key is longer than %d characters", JOBID_MAX);
        return 0;
    }
    memcpy(id, name, n);
    id[n] = '\0';
    if (!jobid_valid(id)) {
        snprintf(why, why_size, "jobId \"%.*s\" from key does not match [A-Za-z0-9._-]{1,128}",
                 (int)n, name);
        return 0;
    }
    memcpy(out, id, n + 1);
    return 1;
}
