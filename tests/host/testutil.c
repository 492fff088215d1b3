#include "testutil.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spng.h>
#include <turbojpeg.h>

#include "jsonschema.h"

extern char **environ;

uint8_t *png_encode(const void *samples, size_t len, uint32_t w, uint32_t h, int color_type,
                    int bit_depth, bool interlaced, const uint8_t (*plte)[4], int n_plte,
                    size_t *size)
{
    spng_ctx *ctx = spng_ctx_new(SPNG_CTX_ENCODER);
    spng_set_option(ctx, SPNG_ENCODE_TO_BUFFER, 1);
    struct spng_ihdr ihdr = {.width = w, .height = h, .bit_depth = (uint8_t)bit_depth,
                             .color_type = (uint8_t)color_type,
                             .interlace_method = interlaced ? SPNG_INTERLACE_ADAM7 : 0};
    spng_set_ihdr(ctx, &ihdr);
    if (plte) {
        struct spng_plte p = {.n_entries = (uint32_t)n_plte};
        struct spng_trns t = {.n_type3_entries = (uint32_t)n_plte};
        for (int i = 0; i < n_plte; i++) {
            p.entries[i] = (struct spng_plte_entry){plte[i][0], plte[i][1], plte[i][2], 255};
            t.type3_alpha[i] = plte[i][3];
        }
        spng_set_plte(ctx, &p);
        spng_set_trns(ctx, &t);
    }
    /* SPNG_FMT_PNG takes 16-bit samples in host order; the raw layout wants
     * big-endian, so hand them over as SPNG_FMT_RAW. */
    int rc = spng_encode_image(ctx, samples, len, SPNG_FMT_RAW, SPNG_ENCODE_FINALIZE);
    uint8_t *out = NULL;
    if (rc == 0) {
        int err;
        out = spng_get_png_buffer(ctx, size, &err);
    } else {
        fprintf(stderr, "png_encode: %s\n", spng_strerror(rc));
    }
    spng_ctx_free(ctx);
    return out;
}

uint8_t *png_encode_gray(const uint8_t *gray, int w, int h, size_t *size)
{
    return png_encode(gray, (size_t)w * (size_t)h, (uint32_t)w, (uint32_t)h,
                      SPNG_COLOR_TYPE_GRAYSCALE, 8, false, NULL, 0, size);
}

uint8_t *jpeg_encode(const uint8_t *pixels, int w, int h, bool rgb, bool progressive, int quality,
                     size_t *size)
{
    tjhandle tj = tjInitCompress();
    unsigned char *buf = NULL;
    unsigned long len = 0;
    int flags = progressive ? TJFLAG_PROGRESSIVE : 0;
    int rc = tjCompress2(tj, pixels, w, 0, h, rgb ? TJPF_RGB : TJPF_GRAY, &buf, &len,
                         rgb ? TJSAMP_420 : TJSAMP_GRAY, quality, flags);
    tjDestroy(tj);
    if (rc != 0) {
        tjFree(buf);
        return NULL;
    }
    uint8_t *out = malloc(len);
    memcpy(out, buf, len);
    tjFree(buf);
    *size = len;
    return out;
}

static void fill(uint8_t *img, int w, int x0, int y0, int x1, int y1, uint8_t v)
{
    for (int y = y0; y < y1; y++)
        memset(img + (size_t)y * (size_t)w + x0, v, (size_t)(x1 - x0));
}

uint8_t *draw_plan(int w, int h, int cols, int rows, int wall, bool doors)
{
    uint8_t *img = malloc((size_t)w * (size_t)h);
    memset(img, 255, (size_t)w * (size_t)h);
    int m = w / 20;   /* margin: the exterior around the building */
    int x0 = m, y0 = m, x1 = w - m, y1 = h - m;
    fill(img, w, x0, y0, x1, y0 + wall, 0);
    fill(img, w, x0, y1 - wall, x1, y1, 0);
    fill(img, w, x0, y0, x0 + wall, y1, 0);
    fill(img, w, x1 - wall, y0, x1, y1, 0);
    for (int c = 1; c < cols; c++) {
        int x = x0 + (x1 - x0) * c / cols - wall / 2;
        fill(img, w, x, y0, x + wall, y1, 0);
        if (doors)
            for (int r = 0; r < rows; r++) {
                int cy = y0 + (y1 - y0) * (2 * r + 1) / (2 * rows);
                fill(img, w, x, cy - wall * 2, x + wall, cy + wall * 2, 255);
            }
    }
    for (int r = 1; r < rows; r++) {
        int y = y0 + (y1 - y0) * r / rows - wall / 2;
        fill(img, w, x0, y, x1, y + wall, 0);
        if (doors)
            for (int c = 0; c < cols; c++) {
                int cx = x0 + (x1 - x0) * (2 * c + 1) / (2 * cols);
                fill(img, w, cx - wall * 2, y, cx + wall * 2, y + wall, 255);
            }
    }
    return img;
}

bool write_bytes(const char *path, const void *bytes, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(bytes, 1, size, f) == size;
    return fclose(f) == 0 && ok;
}

uint8_t *read_bytes(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap + 1);
    size_t r;
    while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap)
            buf = realloc(buf, (cap *= 2) + 1);
    }
    fclose(f);
    buf[n] = '\0';
    if (size)
        *size = n;
    return buf;
}

char *temp_dir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/locdet-test-XXXXXX", base && *base ? base : "/tmp");
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

const cJSON *result_schema(void)
{
    static cJSON *schema;
    if (!schema) {
        const char *path = getenv("LOCDET_SCHEMA");
        char *text = path ? (char *)read_bytes(path, NULL) : NULL;
        schema = text ? cJSON_Parse(text) : NULL;
        free(text);
    }
    return schema;
}

static bool one_valid(const cJSON *doc, char *why, size_t n)
{
    const cJSON *schema = result_schema();
    if (!schema) {
        snprintf(why, n, "cannot load the schema (LOCDET_SCHEMA=%s)", getenv("LOCDET_SCHEMA"));
        return false;
    }
    if (!jsonschema_validate(schema, doc, why, n))
        return false;
    const cJSON *rooms = cJSON_GetObjectItem(doc, "rooms");
    int count = cJSON_GetObjectItem(doc, "room_count")->valueint;
    if (cJSON_GetArraySize(rooms) != count) {
        snprintf(why, n, "room_count %d but %d rooms", count, cJSON_GetArraySize(rooms));
        return false;
    }
    const cJSON *img = cJSON_GetObjectItem(doc, "image");
    int i = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, rooms) {
        char id[32];
        snprintf(id, sizeof id, "room_%03d", ++i);
        if (strcmp(cJSON_GetObjectItem(r, "id")->valuestring, id) != 0) {
            snprintf(why, n, "room %d has id %s", i, cJSON_GetObjectItem(r, "id")->valuestring);
            return false;
        }
        const cJSON *px = cJSON_GetObjectItem(r, "bbox_px"), *nb = cJSON_GetObjectItem(r, "bounding_box");
        int W = cJSON_GetObjectItem(img, "width")->valueint, H = cJSON_GetObjectItem(img, "height")->valueint;
        for (int k = 0; k < 4; k++) {
            double v = cJSON_GetArrayItem(px, k)->valuedouble;
            double want = (double)(long)(v * 1000.0 / (k % 2 ? H : W) + 0.5);
            if (cJSON_GetArrayItem(nb, k)->valuedouble != want) {
                snprintf(why, n, "%s bounding_box[%d] is not round(bbox_px * 1000 / size)", id, k);
                return false;
            }
            if (v > (k % 2 ? H : W)) {
                snprintf(why, n, "%s bbox_px[%d] is outside the image", id, k);
                return false;
            }
        }
        if (!(cJSON_GetArrayItem(px, 0)->valuedouble < cJSON_GetArrayItem(px, 2)->valuedouble &&
              cJSON_GetArrayItem(px, 1)->valuedouble < cJSON_GetArrayItem(px, 3)->valuedouble)) {
            snprintf(why, n, "%s bbox_px is empty", id);
            return false;
        }
    }
    return true;
}

bool result_valid(const cJSON *doc, char *why, size_t n)
{
    if (cJSON_IsArray(doc)) {
        const cJSON *e;
        cJSON_ArrayForEach(e, doc) if (!one_valid(e, why, n)) return false;
        return true;
    }
    return one_valid(doc, why, n);
}

run_out run_locdet(const char *const *args)
{
    run_out r = {-1, NULL, NULL};
    const char *exe = getenv("LOCDET_EXE");
    char *dir = temp_dir();
    char out_path[4200], err_path[4200];
    snprintf(out_path, sizeof out_path, "%s/stdout", dir);
    snprintf(err_path, sizeof err_path, "%s/stderr", dir);
    const char *argv[64] = {exe};
    int n = 1;
    for (; args[n - 1] && n < 63; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid;
    if (exe && posix_spawn(&pid, exe, &fa, NULL, (char *const *)argv, environ) == 0) {
        int st;
        waitpid(pid, &st, 0);
        r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    }
    posix_spawn_file_actions_destroy(&fa);
    r.out = (char *)read_bytes(out_path, NULL);
    r.err = (char *)read_bytes(err_path, NULL);
    unlink(out_path);
    unlink(err_path);
    rmdir(dir);
    free(dir);
    if (!r.out)
        r.out = strdup("");
    if (!r.err)
        r.err = strdup("");
    return r;
}

void run_free(run_out *r)
{
    free(r->out);
    free(r->err);
}
