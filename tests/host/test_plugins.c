/* The plugin loader (each error it must report, naming the file and the
 * reason), parameters (unknown, mistyped, out of range), and the host API
 * as a plugin sees it (kernels, scratch, rescaled decode, deadline). */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "plugins.h"
#include "result.h"
#include "testutil.h"

static locdet_exit open_err(const char *strategy, const char *const *params, int n,
                            locdet_error *err)
{
    locdet_host_config cfg = {.strategy = strategy, .params = params, .n_params = n};
    locdet_host *h = locdet_host_open(&cfg, err);
    if (h) {
        locdet_host_close(h);
        return LOCDET_EXIT_OK;
    }
    return err->code;
}

static void expect_open(const char *strategy, locdet_exit code, const char *needle)
{
    locdet_error err = {0};
    cr_assert_eq(open_err(strategy, NULL, 0, &err), code, "%s: want %d, got %d: %s", strategy,
                 code, err.code, err.message);
    if (needle)
        cr_assert_not_null(strstr(err.message, needle), "'%s' not in: %s", needle, err.message);
}

Test(loader, loads_the_fixture)
{
    expect_open("fixture", LOCDET_EXIT_OK, NULL);
}

Test(loader, bad_names_never_reach_the_filesystem)
{
    expect_open("../fixture", LOCDET_EXIT_STRATEGY_NOT_FOUND, "not valid");
    expect_open("/tmp/fixture", LOCDET_EXIT_STRATEGY_NOT_FOUND, "not valid");
    expect_open("Fixture", LOCDET_EXIT_STRATEGY_NOT_FOUND, "not valid");
    expect_open("fixture.so", LOCDET_EXIT_STRATEGY_NOT_FOUND, "not valid");
    expect_open("", LOCDET_EXIT_STRATEGY_NOT_FOUND, "not valid");
}

Test(loader, not_found_lists_the_search_path)
{
    expect_open("nosuchstrategy", LOCDET_EXIT_STRATEGY_NOT_FOUND, getenv("LOCDET_TEST_PLUGIN_DIR"));
    expect_open("nosuchstrategy", LOCDET_EXIT_STRATEGY_NOT_FOUND, "/opt/locdet/plugins");
}

Test(loader, abi_major_mismatch_either_way)
{
    expect_open("abi_newer", LOCDET_EXIT_PLUGIN_ABI, "abi_newer.so");
    expect_open("abi_newer", LOCDET_EXIT_PLUGIN_ABI, "major versions differ");
    expect_open("abi_older", LOCDET_EXIT_PLUGIN_ABI, "plugin ABI 0.");
}

Test(loader, missing_entry_symbol)
{
    expect_open("nosym", LOCDET_EXIT_PLUGIN_ABI, "nosym.so");
    expect_open("nosym", LOCDET_EXIT_PLUGIN_ABI, "locdet_strategy_entry");
}

Test(loader, create_failure_carries_the_reason)
{
    expect_open("createfail", LOCDET_EXIT_PLUGIN_ABI, "createfail.so: create failed: no licence key");
    /* The plugin's own check of the host's version (CLAP style). */
    expect_open("needsminor", LOCDET_EXIT_PLUGIN_ABI, "needs host ABI 1.99");
}

Test(loader, entry_name_must_match_the_file)
{
    expect_open("wrongname", LOCDET_EXIT_PLUGIN_ABI, "somethingelse");
}

Test(loader, invalid_default_in_the_table)
{
    expect_open("baddefault", LOCDET_EXIT_PLUGIN_ABI, "nonsense");
}

Test(loader, not_a_shared_object)
{
    char *dir = temp_dir();
    char path[4200], env[8400];
    snprintf(path, sizeof path, "%s/garbage.so", dir);
    cr_assert(write_bytes(path, "not an ELF file\n", 16));
    snprintf(env, sizeof env, "%s:%s", dir, getenv("LOCDET_PLUGIN_PATH"));
    char *saved = strdup(getenv("LOCDET_PLUGIN_PATH"));
    setenv("LOCDET_PLUGIN_PATH", env, 1);
    expect_open("garbage", LOCDET_EXIT_PLUGIN_ABI, "garbage.so: cannot load");
    /* Earlier folders win; later ones are still searched; empty entries
     * are skipped (never "."). */
    snprintf(env, sizeof env, "::%s/missing:%s", dir, saved);
    setenv("LOCDET_PLUGIN_PATH", env, 1);
    expect_open("fixture", LOCDET_EXIT_OK, NULL);
    setenv("LOCDET_PLUGIN_PATH", saved, 1);
    free(saved);
    unlink(path);
    rmdir(dir);
    free(dir);
}

Test(loader, default_strategy_from_the_environment)
{
    setenv("LOCDET_STRATEGY", "fixture", 1);
    locdet_error err;
    locdet_host *h = locdet_host_open(&(locdet_host_config){0}, &err);
    cr_assert_not_null(h, "%s", err.message);
    cr_assert_str_eq(locdet_host_strategy_name(h), "fixture");
    cr_assert_str_eq(locdet_host_strategy_version(h), "0.0.1");
    locdet_host_close(h);
    unsetenv("LOCDET_STRATEGY");
}

static void expect_param(const char *param, locdet_exit code, const char *needle)
{
    const char *params[1] = {param};
    locdet_error err = {0};
    cr_assert_eq(open_err("fixture", params, 1, &err), code, "%s: want %d got %d: %s", param, code,
                 err.code, err.message);
    if (needle)
        cr_assert_not_null(strstr(err.message, needle), "'%s' not in: %s", needle, err.message);
}

Test(params, accepted_values)
{
    expect_param("rooms=0", LOCDET_EXIT_OK, NULL);
    expect_param("rooms=50", LOCDET_EXIT_OK, NULL);
    expect_param("confidence=0.25", LOCDET_EXIT_OK, NULL);
    expect_param("confidence=1", LOCDET_EXIT_OK, NULL);
    expect_param("lines=yes", LOCDET_EXIT_OK, NULL);
    expect_param("lines=0", LOCDET_EXIT_OK, NULL);
    expect_param("mode=ink", LOCDET_EXIT_OK, NULL);
}

Test(params, unknown)
{
    expect_param("colour=red", LOCDET_EXIT_BAD_PARAMETER, "has no parameter 'colour'");
    expect_param("colour=red", LOCDET_EXIT_BAD_PARAMETER, "rooms, confidence, lines, mode, hint");
    expect_param("rooms", LOCDET_EXIT_BAD_PARAMETER, "not key=value");
    expect_param("=3", LOCDET_EXIT_BAD_PARAMETER, "not key=value");
}

Test(params, out_of_range)
{
    expect_param("rooms=51", LOCDET_EXIT_BAD_PARAMETER, "int 0..50");
    expect_param("rooms=-1", LOCDET_EXIT_BAD_PARAMETER, "got '-1'");
    expect_param("confidence=1.5", LOCDET_EXIT_BAD_PARAMETER, "float 0..1");
    expect_param("confidence=nan", LOCDET_EXIT_BAD_PARAMETER, NULL);
    expect_param("confidence=inf", LOCDET_EXIT_BAD_PARAMETER, NULL);
}

Test(params, wrong_type)
{
    expect_param("rooms=2.5", LOCDET_EXIT_BAD_PARAMETER, "wants int");
    expect_param("rooms=two", LOCDET_EXIT_BAD_PARAMETER, "got 'two'");
    expect_param("rooms=", LOCDET_EXIT_BAD_PARAMETER, NULL);
    expect_param("confidence=high", LOCDET_EXIT_BAD_PARAMETER, "wants float");
    expect_param("lines=maybe", LOCDET_EXIT_BAD_PARAMETER, "wants a bool");
    expect_param("mode=fast", LOCDET_EXIT_BAD_PARAMETER, "strips|ink|fail");
}

Test(params, environment_then_command_line)
{
    const char *params[1] = {"rooms=3"};
    locdet_host_config cfg = {.strategy = "fixture", .params_env = "rooms=7,,confidence=0.5,",
                              .params = params, .n_params = 1};
    locdet_error err;
    locdet_host *h = locdet_host_open(&cfg, &err);
    cr_assert_not_null(h, "%s", err.message);
    uint8_t g[64 * 32];
    memset(g, 255, sizeof g);
    size_t size;
    uint8_t *png = png_encode_gray(g, 64, 32, &size);
    cJSON *r = locdet_host_detect(h, &(locdet_detect_request){.bytes = png, .size = size,
                                                              .job_id = "p"}, &err);
    cr_assert_eq(cJSON_GetObjectItem(r, "room_count")->valueint, 3);
    cJSON *p = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "strategy"), "params");
    cr_assert_eq(cJSON_GetObjectItem(p, "rooms")->valueint, 3);
    cr_assert_float_eq(cJSON_GetObjectItem(p, "confidence")->valuedouble, 0.5, 1e-12);
    cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(p, "lines")));
    cr_assert_str_eq(cJSON_GetObjectItem(p, "mode")->valuestring, "strips");
    cJSON_Delete(r);
    free(png);
    locdet_host_close(h);

    cfg.params_env = "rooms=7,bogus";
    cr_assert_null(locdet_host_open(&cfg, &err));
    cr_assert_eq(err.code, LOCDET_EXIT_BAD_PARAMETER);
    cr_assert_not_null(strstr(err.message, "LOCDET_PARAMS"), "%s", err.message);
}

/* ---- detection through the fixture ------------------------------------- */

static cJSON *detect_with(const char *strategy, const char *mode_param, const uint8_t *bytes,
                          size_t size, int64_t deadline_ms, locdet_error *err)
{
    const char *params[2] = {mode_param, "lines=true"};
    locdet_host_config cfg = {.strategy = strategy, .params = params, .n_params = mode_param ? 2 : 1};
    if (!mode_param)
        params[0] = "lines=true";
    locdet_host *h = locdet_host_open(&cfg, err);
    cr_assert_not_null(h, "%s", err->message);
    cJSON *r = locdet_host_detect(h, &(locdet_detect_request){.bytes = bytes, .size = size,
                                                              .job_id = "job-1",
                                                              .deadline_ms = deadline_ms}, err);
    locdet_host_close(h);
    cr_assert_not_null(r);
    char why[512];
    cr_assert(result_valid(r, why, sizeof why), "%s", why);
    return r;
}

static uint8_t *plan_png(int w, int h, size_t *size)
{
    uint8_t *g = draw_plan(w, h, 3, 2, 6, true);
    uint8_t *png = png_encode_gray(g, w, h, size);
    free(g);
    return png;
}

Test(detect, strips_with_everything_derived)
{
    size_t size;
    uint8_t *png = plan_png(200, 100, &size);
    locdet_error err;
    cJSON *r = detect_with("fixture", NULL, png, size, 0, &err);
    cr_assert_eq(err.code, 0);
    cr_assert_str_eq(cJSON_GetObjectItem(r, "status")->valuestring, "completed");
    cr_assert_str_eq(cJSON_GetObjectItem(r, "jobId")->valuestring, "job-1");
    cJSON *room = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "rooms"), 1);
    /* Strip 1 of 2 on 200x100: x 100..199, y 0..99. */
    cJSON *px = cJSON_GetObjectItem(room, "bbox_px");
    int want_px[4] = {100, 0, 200, 100}, want_nb[4] = {500, 0, 1000, 1000};
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(cJSON_GetArrayItem(px, i)->valueint, want_px[i]);
        cr_assert_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(room, "bounding_box"), i)->valueint,
                     want_nb[i]);
    }
    cr_assert_float_eq(cJSON_GetObjectItem(room, "area_px")->valuedouble, 99.0 * 99.0, 1e-9);
    cr_assert_float_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(room, "centroid"), 0)->valuedouble,
                       149.5, 1e-9);
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(room, "lines")), 4);
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(room, "name_hint")));
    cJSON_Delete(r);
    free(png);
}

Test(loader, an_older_minor_still_loads_and_runs)
{
    /* abi_minor0 declares ABI 1.0 and expects the 1.0 kernel struct (up to
     * points_free): a newer minor only appends, so it loads and detects. */
    expect_open("abi_minor0", LOCDET_EXIT_OK, NULL);
    size_t size;
    uint8_t *png = plan_png(200, 100, &size);
    locdet_error err;
    cJSON *r = detect_with("abi_minor0", "mode=ink", png, size, 0, &err);
    cr_assert_eq(cJSON_GetObjectItem(r, "room_count")->valueint, 1, "%s", err.message);
    cJSON_Delete(r);
    free(png);
}

/* The fixture plugin in `mode` on a 200x100 plan reports one room: the
 * result (to cJSON_Delete) in *doc, that room's bbox_px returned. */
static cJSON *one_room_box(const char *mode, cJSON **doc)
{
    size_t size;
    uint8_t *png = plan_png(200, 100, &size);
    locdet_error err;
    *doc = detect_with("fixture", mode, png, size, 0, &err);
    free(png);
    cr_assert_eq(cJSON_GetObjectItem(*doc, "room_count")->valueint, 1, "%s: %s", mode,
                 err.message);
    cJSON *room = cJSON_GetArrayItem(cJSON_GetObjectItem(*doc, "rooms"), 0);
    return cJSON_GetObjectItem(room, "bbox_px");
}

Test(detect, kernels_and_scratch_through_the_host_api)
{
    cJSON *r;
    cJSON *px = one_room_box("mode=ink", &r);
    /* draw_plan's outer wall: a margin of w/20 = 10 on every side. */
    int want[4] = {10, 10, 190, 90};
    for (int i = 0; i < 4; i++)
        cr_assert_eq(cJSON_GetArrayItem(px, i)->valueint, want[i], "bbox_px[%d] = %d", i,
                     cJSON_GetArrayItem(px, i)->valueint);
    cJSON_Delete(r);
}

/* Scratch blocks are written whole (ASan checks the bounds in the sanitizer
 * build) and aligned: 64 bytes, and 2 MiB from 1 MiB up, so that the kernel
 * can back image buffers with huge pages (host/pages.c). The fixture
 * widens its room by one pixel per block aligned so: 7 blocks. */
Test(detect, scratch_blocks_are_aligned_for_huge_pages)
{
    cJSON *r;
    cJSON *px = one_room_box("mode=scratch", &r);
    /* bbox_px ends one past the polygon's last column: 10 + 7 + 1 */
    cr_assert_eq(cJSON_GetArrayItem(px, 2)->valueint, 18, "blocks aligned: %d of 7",
                 cJSON_GetArrayItem(px, 2)->valueint - 11);
    cJSON_Delete(r);
}

Test(detect, decode_scale_and_image_at_scale)
{
    size_t size;
    uint8_t *png = plan_png(200, 100, &size);
    locdet_error err;
    /* halfscale declares decode_scale 2: it sees 100x50, reports input pixels. */
    cJSON *r = detect_with("halfscale", "mode=ink", png, size, 0, &err);
    cr_assert_eq(err.code, 0, "%s", err.message);
    cJSON *img = cJSON_GetObjectItem(r, "image");
    cr_assert_eq(cJSON_GetObjectItem(img, "width")->valueint, 200);
    cJSON *px = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r, "rooms"), 0), "bbox_px");
    cr_assert_eq(cJSON_GetArrayItem(px, 0)->valueint, 10);
    cJSON_Delete(r);
    r = detect_with("fixture", "mode=rescale", png, size, 0, &err);
    cr_assert_eq(err.code, 0, "%s", err.message);
    px = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r, "rooms"), 0), "bbox_px");
    cr_assert_eq(cJSON_GetArrayItem(px, 2)->valueint, 101);
    cJSON_Delete(r);
    free(png);
}

static void expect_failed(cJSON *r, const locdet_error *err, locdet_exit code, const char *type)
{
    cr_assert_eq(err->code, code, "want %d got %d: %s", code, err->code, err->message);
    cr_assert_str_eq(cJSON_GetObjectItem(r, "status")->valuestring, "failed");
    cJSON *e = cJSON_GetObjectItem(r, "error");
    cr_assert_str_eq(cJSON_GetObjectItem(e, "type")->valuestring, type);
    cr_assert_str_eq(cJSON_GetObjectItem(e, "message")->valuestring, err->message);
    cr_assert_eq(cJSON_GetObjectItem(r, "room_count")->valueint, 0);
}

Test(detect, failures_are_results)
{
    size_t size;
    uint8_t *png = plan_png(200, 100, &size);
    locdet_error err;
    cJSON *r = detect_with("fixture", "mode=fail", png, size, 0, &err);
    expect_failed(r, &err, LOCDET_EXIT_INTERNAL, "Locdet.Internal");
    cJSON_Delete(r);
    r = detect_with("fixture", "mode=badroom", png, size, 0, &err);
    expect_failed(r, &err, LOCDET_EXIT_INTERNAL, "Locdet.Internal");
    cr_assert_not_null(strstr(err.message, "outside"), "%s", err.message);
    cJSON_Delete(r);
    r = detect_with("fixture", NULL, png, size / 2, 0, &err);
    expect_failed(r, &err, LOCDET_EXIT_IMAGE_DECODE, "Locdet.ImageDecode");
    cJSON_Delete(r);
    r = detect_with("fixture", NULL, (const uint8_t *)"text", 4, 0, &err);
    expect_failed(r, &err, LOCDET_EXIT_IMAGE_DECODE, "Locdet.ImageDecode");
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(r, "image")));
    cJSON_Delete(r);
    free(png);
}

static int64_t now_unix_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

Test(detect, deadline)
{
    size_t size;
    uint8_t *png = plan_png(200, 100, &size);
    locdet_error err;
    /* The strategy spins until should_stop: it turns true 500 ms before. */
    int64_t t0 = now_unix_ms();
    cJSON *r = detect_with("fixture", "mode=cancel", png, size, t0 + LOCDET_STOP_MARGIN_MS + 300, &err);
    int64_t took = now_unix_ms() - t0;
    expect_failed(r, &err, LOCDET_EXIT_DEADLINE, "Locdet.DeadlineReached");
    cr_assert_geq(took, 250);
    cr_assert_lt(took, 5000);
    cJSON_Delete(r);
    /* Already past: detection does not start. */
    r = detect_with("fixture", NULL, png, size, t0 - 1000, &err);
    expect_failed(r, &err, LOCDET_EXIT_DEADLINE, "Locdet.DeadlineReached");
    cJSON_Delete(r);
    free(png);
}

Test(result, failed_without_a_host)
{
    locdet_error e;
    locdet_error_set(&e, LOCDET_EXIT_STORAGE, "s3://b/k: NoSuchKey");
    cJSON *r = locdet_result_failed("job-9", &e);
    char why[512];
    cr_assert(result_valid(r, why, sizeof why), "%s", why);
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(r, "strategy")));
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "error"), "type")->valuestring,
                     "Locdet.Storage");
    cJSON_Delete(r);
}

Test(result, every_error_type_has_a_name_in_the_schema)
{
    static const locdet_exit codes[] = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 70};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        locdet_error e;
        locdet_error_set(&e, codes[i], "x");
        cJSON *r = locdet_result_failed("j", &e);
        char why[512];
        cr_assert(result_valid(r, why, sizeof why), "code %d: %s", codes[i], why);
        cJSON_Delete(r);
    }
    cr_assert_null(locdet_error_type(LOCDET_EXIT_OK));
}

Test(result, polygon_area_and_centroid)
{
    locdet_point sq[4] = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
    double cx, cy;
    cr_assert_float_eq(locdet_polygon_area(sq, 4, &cx, &cy), 100.0, 1e-12);
    cr_assert_float_eq(cx, 5.0, 1e-12);
    cr_assert_float_eq(cy, 5.0, 1e-12);
    locdet_point l[4] = {{0, 0}, {20, 0}, {20, 10}, {10, 10}};   /* trapezoid, clockwise in y-down */
    cr_assert_float_eq(locdet_polygon_area(l, 4, &cx, &cy), 150.0, 1e-12);
}

Test(loader, plugins_export_only_the_entry)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/fixture.so", getenv("LOCDET_TEST_PLUGIN_DIR"));
    void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    cr_assert_not_null(dl, "%s", dlerror());
    cr_assert_not_null(dlsym(dl, "locdet_strategy_entry"));
    cr_assert_null(dlsym(dl, "create"));
    cr_assert_null(dlsym(dl, "detect"));
    cr_assert_null(dlsym(dl, "params"));
    dlclose(dl);
}
