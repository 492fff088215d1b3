/* validate_results SCHEMA FILE: every element of the JSON array in FILE must
 * be valid against SCHEMA (docs/result.schema.json), checked by the
 * project's own validator (tests/host/jsonschema.c). The end-to-end tests
 * feed it every result they saw, from responses and from S3. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "../host/jsonschema.h"

static cJSON *load(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    cJSON *doc = NULL;
    if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
        buf[n] = '\0';
        doc = cJSON_Parse(buf);
    }
    free(buf);
    fclose(f);
    return doc;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: validate_results SCHEMA FILE\n");
        return 2;
    }
    cJSON *schema = load(argv[1]), *docs = load(argv[2]);
    if (!schema || !cJSON_IsArray(docs)) {
        fprintf(stderr, "validate_results: cannot read %s\n", !schema ? argv[1] : argv[2]);
        return 2;
    }
    int bad = 0, n = 0;
    const cJSON *doc;
    cJSON_ArrayForEach(doc, docs) {
        char why[512];
        n++;
        if (!jsonschema_validate(schema, doc, why, sizeof why)) {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(doc, "jobId");
            fprintf(stderr, "result %d (jobId %s): %s\n", n, cJSON_IsString(id) ? id->valuestring : "?", why);
            bad++;
        }
    }
    printf("%d results checked, %d invalid\n", n, bad);
    cJSON_Delete(schema);
    cJSON_Delete(docs);
    return bad ? 1 : 0;
}
