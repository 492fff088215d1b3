/* A validator for the subset of JSON Schema (2020-12) that
 * docs/result.schema.json uses. A keyword it does not know makes
 * validation fail, so the schema cannot silently outgrow the checker. */
#ifndef LOCDET_TEST_JSONSCHEMA_H
#define LOCDET_TEST_JSONSCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

/* True when doc is valid against schema (whose root resolves "#/..."
 * references). On failure, why holds the JSON pointer and the reason. */
bool jsonschema_validate(const cJSON *schema, const cJSON *doc, char *why, size_t why_size);

#endif
