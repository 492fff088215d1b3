/* Helpers shared by the host suites: images made in memory (libspng and
 * TurboJPEG encoders), a small drawn plan, files, the schema, and running
 * the locdet executable. */
#ifndef LOCDET_TEST_HOST_UTIL_H
#define LOCDET_TEST_HOST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* PNG from raw samples in the PNG's own layout (16-bit samples big-endian,
 * sub-byte samples packed), with an optional palette (PLTE+tRNS entries). */
uint8_t *png_encode(const void *samples, size_t len, uint32_t w, uint32_t h, int color_type,
                    int bit_depth, bool interlaced, const uint8_t (*plte)[4], int n_plte,
                    size_t *size);
/* 8-bit gray PNG. */
uint8_t *png_encode_gray(const uint8_t *gray, int w, int h, size_t *size);
/* JPEG from 8-bit gray (pixel_format 0) or RGB (1); baseline or progressive. */
uint8_t *jpeg_encode(const uint8_t *pixels, int w, int h, bool rgb, bool progressive, int quality,
                     size_t *size);

/* A plan: white paper, black walls `wall` px thick around a cols x rows grid
 * of rooms, each inner wall with a door gap; returns malloc'd gray. */
uint8_t *draw_plan(int w, int h, int cols, int rows, int wall, bool doors);

bool write_bytes(const char *path, const void *bytes, size_t size);
uint8_t *read_bytes(const char *path, size_t *size);
/* A fresh temporary folder (mkdtemp under TMPDIR or /tmp). */
char *temp_dir(void);

/* docs/result.schema.json (path from LOCDET_SCHEMA). */
const cJSON *result_schema(void);
/* Validate one result, or each element of an array of results, against
 * the schema, and check the invariants the schema cannot state
 * (room_count = rooms length; ids in order; bounding_box from bbox_px). */
bool result_valid(const cJSON *doc, char *why, size_t why_size);

typedef struct run_out {
    int status;           /* exit code, or 128 + signal */
    char *out, *err;      /* stdout and stderr, NUL-terminated */
} run_out;
/* Run the locdet executable (LOCDET_EXE) with argv (NULL-terminated, argv[0]
 * excluded), stdin from /dev/null. */
run_out run_locdet(const char *const *args);
void run_free(run_out *r);

#endif
