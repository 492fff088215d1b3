/* The locdet executable: exit codes, stdout (JSON only) versus stderr
 * (people), several files, --json to a file, --overlay to a folder. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"
#include "testutil.h"

static char *dir;
static char plan_a[4200], plan_b[4200], plan_jpg_named_png[4200], missing[4200], broken[4200];

static void setup(void)
{
    dir = temp_dir();
    size_t size;
    uint8_t *g = draw_plan(160, 120, 2, 2, 5, true);
    uint8_t *png = png_encode_gray(g, 160, 120, &size);
    snprintf(plan_a, sizeof plan_a, "%s/a.png", dir);
    snprintf(plan_b, sizeof plan_b, "%s/b.jpeg", dir);
    snprintf(plan_jpg_named_png, sizeof plan_jpg_named_png, "%s/c.jpg", dir);
    snprintf(missing, sizeof missing, "%s/missing.png", dir);
    snprintf(broken, sizeof broken, "%s/broken.png", dir);
    cr_assert(write_bytes(plan_a, png, size));
    cr_assert(write_bytes(plan_jpg_named_png, png, size));   /* PNG bytes, .jpg name */
    cr_assert(write_bytes(broken, png, size / 2));
    free(png);
    uint8_t *jpg = jpeg_encode(g, 160, 120, false, true, 90, &size);
    cr_assert(write_bytes(plan_b, jpg, size));
    free(jpg);
    free(g);
    unsetenv("LOCDET_STRATEGY");
    unsetenv("LOCDET_PARAMS");
    unsetenv("LOCDET_MAX_PIXELS");
}

static void teardown(void)
{
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
    free(dir);
}

TestSuite(cli, .init = setup, .fini = teardown);

#define RUN(...) run_locdet((const char *const[]){__VA_ARGS__, NULL})

static cJSON *valid_json(const char *text)
{
    cJSON *doc = cJSON_Parse(text);
    cr_assert_not_null(doc, "stdout is not JSON: %.300s", text);
    char why[512];
    cr_assert(result_valid(doc, why, sizeof why), "%s", why);
    return doc;
}

Test(cli, version_and_help)
{
    run_out r = RUN("--version");
    cr_assert_eq(r.status, 0);
    cr_assert_not_null(strstr(r.out, "locdet "));
    cr_assert_str_empty(r.err);
    run_free(&r);
    const char *cmds[] = {"detect", "plugins", "info"};
    for (int i = 0; i < 3; i++) {
        r = RUN(cmds[i], "--help");
        cr_assert_eq(r.status, 0, "%s --help", cmds[i]);
        cr_assert_not_null(strstr(r.out, "usage: locdet"), "%s", r.out);
        run_free(&r);
    }
    r = RUN("--help");
    cr_assert_eq(r.status, 0);
    cr_assert_not_null(strstr(r.out, "detect FILE"));
    run_free(&r);
}

Test(cli, usage_errors_exit_2)
{
    const char *const cases[][5] = {
        {NULL}, {"frobnicate", NULL}, {"detect", NULL}, {"detect", "--bogus", "x.png", NULL},
        {"detect", "x.png", "--threads", "0", NULL}, {"detect", "x.png", "--threads", NULL},
        {"detect", "x.png", "--max-pixels", "-5", NULL}, {"info", "extra", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_out r = run_locdet(cases[i]);
        cr_assert_eq(r.status, 2, "case %zu: exit %d, stderr %s", i, r.status, r.err);
        cr_assert_str_empty(r.out, "case %zu printed to stdout", i);
        cr_assert_str_not_empty(r.err);
        run_free(&r);
    }
}

Test(cli, one_file_object_on_stdout_nothing_on_stderr)
{
    run_out r = RUN("detect", plan_a, "--strategy", "fixture", "--param", "rooms=3");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_empty(r.err);
    cJSON *doc = valid_json(r.out);
    cr_assert(cJSON_IsObject(doc));
    cr_assert_str_eq(cJSON_GetObjectItem(doc, "jobId")->valuestring, "a");
    cr_assert_eq(cJSON_GetObjectItem(doc, "room_count")->valueint, 3);
    cJSON_Delete(doc);
    run_free(&r);
}

Test(cli, options_before_files_and_format_from_bytes)
{
    run_out r = RUN("detect", "-s", "fixture", "-p", "mode=ink", plan_jpg_named_png);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cJSON *doc = valid_json(r.out);
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "image"), "format")->valuestring, "png");
    cJSON_Delete(doc);
    run_free(&r);
}

Test(cli, several_files_array_in_order)
{
    run_out r = RUN("detect", plan_a, plan_b, "--strategy=fixture", "--param=mode=ink");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cJSON *doc = valid_json(r.out);
    cr_assert(cJSON_IsArray(doc));
    cr_assert_eq(cJSON_GetArraySize(doc), 2);
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(doc, 0), "jobId")->valuestring, "a");
    cJSON *b = cJSON_GetArrayItem(doc, 1);
    cr_assert_str_eq(cJSON_GetObjectItem(b, "jobId")->valuestring, "b");
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(b, "image"), "format")->valuestring, "jpeg");
    cJSON_Delete(doc);
    run_free(&r);
}

Test(cli, failed_file_in_a_batch)
{
    run_out r = RUN("detect", "--strategy", "fixture", plan_a, missing, broken);
    cr_assert_eq(r.status, 4, "exit %d: %s", r.status, r.err);
    cJSON *doc = valid_json(r.out);
    cr_assert_eq(cJSON_GetArraySize(doc), 3);
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(doc, 0), "status")->valuestring, "completed");
    for (int i = 1; i < 3; i++) {
        cJSON *f = cJSON_GetArrayItem(doc, i);
        cr_assert_str_eq(cJSON_GetObjectItem(f, "status")->valuestring, "failed");
        cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "error"), "type")->valuestring,
                         "Locdet.ImageDecode");
    }
    cr_assert_not_null(strstr(r.err, "missing.png"), "%s", r.err);
    cr_assert_not_null(strstr(r.err, "broken.png"), "%s", r.err);
    cJSON_Delete(doc);
    run_free(&r);
}

static int count_entries(const char *path)
{
    DIR *d = opendir(path);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

Test(cli, json_to_a_file)
{
    char out[4400], sub[4300];
    snprintf(sub, sizeof sub, "%s/out", dir);
    mkdir(sub, 0777);
    snprintf(out, sizeof out, "%s/result.json", sub);
    run_out r = RUN("detect", plan_a, "--json", out, "--strategy", "fixture");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_empty(r.out);
    char *text = (char *)read_bytes(out, NULL);
    cr_assert_not_null(text);
    cJSON *doc = valid_json(text);
    cJSON_Delete(doc);
    free(text);
    cr_assert_eq(count_entries(sub), 1, "a temporary file was left behind");
    run_free(&r);

    /* "-" is stdout. */
    r = RUN("detect", plan_a, "--json", "-", "--strategy", "fixture");
    cr_assert_eq(r.status, 0);
    cJSON_Delete(valid_json(r.out));
    run_free(&r);

    /* A folder that does not exist: exit 10 before any work, nothing written. */
    snprintf(out, sizeof out, "%s/nope/result.json", dir);
    r = RUN("detect", plan_a, "--json", out, "--strategy", "fixture");
    cr_assert_eq(r.status, 10, "exit %d: %s", r.status, r.err);
    cr_assert_str_empty(r.out);
    run_free(&r);
}

static void expect_png(const char *path, int w, int h)
{
    size_t size;
    uint8_t *bytes = read_bytes(path, &size);
    cr_assert_not_null(bytes, "%s missing", path);
    locdet_decoded d;
    locdet_error err;
    cr_assert_eq(locdet_image_decode(bytes, size, path, 0, 1, &d, &err), 0, "%s", err.message);
    cr_assert_eq(d.image.width, w);
    cr_assert_eq(d.image.height, h);
    locdet_decoded_free(&d);
    free(bytes);
}

Test(cli, overlay_folder_for_several_files)
{
    char od[4300], pa[4400], pb[4400];
    snprintf(od, sizeof od, "%s/overlays/deep", dir);
    run_out r = RUN("detect", plan_a, plan_b, "--overlay", od, "--strategy", "fixture");
    cr_assert_eq(r.status, 0, "%s", r.err);
    snprintf(pa, sizeof pa, "%s/a.png", od);
    snprintf(pb, sizeof pb, "%s/b.png", od);
    expect_png(pa, 160, 120);
    expect_png(pb, 160, 120);
    cr_assert_eq(count_entries(od), 2);
    run_free(&r);

    /* Two inputs with one stem would overwrite each other: refused. */
    r = RUN("detect", plan_a, plan_a, "--overlay", od, "--strategy", "fixture");
    cr_assert_eq(r.status, 2, "%s", r.err);
    run_free(&r);
}

Test(cli, overlay_file_for_one)
{
    char op[4300];
    snprintf(op, sizeof op, "%s/one.png", dir);
    run_out r = RUN("detect", plan_b, "-o", op, "--strategy", "fixture");
    cr_assert_eq(r.status, 0, "%s", r.err);
    expect_png(op, 160, 120);
    run_free(&r);
}

Test(cli, strategy_and_parameter_errors)
{
    run_out r = RUN("detect", plan_a, "--strategy", "nosuch");
    cr_assert_eq(r.status, 6);
    cr_assert_str_empty(r.out);
    cr_assert_not_null(strstr(r.err, "nosuch"));
    run_free(&r);
    r = RUN("detect", plan_a, "--strategy", "../../etc/passwd");
    cr_assert_eq(r.status, 6);
    run_free(&r);
    r = RUN("detect", plan_a, "--strategy", "abi_newer");
    cr_assert_eq(r.status, 7);
    cr_assert_not_null(strstr(r.err, "abi_newer.so"));
    run_free(&r);
    r = RUN("detect", plan_a, "--strategy", "fixture", "--param", "rooms=99");
    cr_assert_eq(r.status, 8);
    cr_assert_not_null(strstr(r.err, "rooms"));
    run_free(&r);
    setenv("LOCDET_STRATEGY", "fixture", 1);
    setenv("LOCDET_PARAMS", "bogus=1", 1);
    r = RUN("detect", plan_a);
    cr_assert_eq(r.status, 8, "%s", r.err);
    cr_assert_not_null(strstr(r.err, "LOCDET_PARAMS"));
    run_free(&r);
    unsetenv("LOCDET_PARAMS");
    unsetenv("LOCDET_STRATEGY");
}

Test(cli, pixel_limit)
{
    run_out r = RUN("detect", plan_a, "--max-pixels", "1000", "--strategy", "fixture");
    cr_assert_eq(r.status, 5, "%s", r.err);
    cJSON *doc = valid_json(r.out);
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "error"), "type")->valuestring,
                     "Locdet.ImageTooLarge");
    cJSON_Delete(doc);
    run_free(&r);
    setenv("LOCDET_MAX_PIXELS", "1000", 1);
    r = RUN("detect", plan_a, "--strategy", "fixture");
    cr_assert_eq(r.status, 5);
    run_free(&r);
    setenv("LOCDET_MAX_PIXELS", "lots", 1);
    r = RUN("detect", plan_a, "--strategy", "fixture");
    cr_assert_eq(r.status, 9, "%s", r.err);
    run_free(&r);
    unsetenv("LOCDET_MAX_PIXELS");
}

Test(cli, plugins_and_info)
{
    run_out r = RUN("plugins");
    cr_assert_eq(r.status, 0);
    cr_assert_not_null(strstr(r.out, "fixture 0.0.1  ABI 1.1"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "--param rooms=2  (int 0..50)"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "abi_newer  unusable"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "abi_minor0 0.0.1  ABI 1.0"), "%s", r.out);
    run_free(&r);
    r = RUN("info");
    cr_assert_eq(r.status, 0);
    cr_assert_not_null(strstr(r.out, "threshold.binary"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "libspng"), "%s", r.out);
    run_free(&r);
}

/* docs/NAME beside the schema (LOCDET_SCHEMA is docs/result.schema.json). */
static char *read_doc(const char *name)
{
    char path[4200];
    const char *schema = getenv("LOCDET_SCHEMA");
    cr_assert_not_null(schema);
    const char *slash = strrchr(schema, '/');
    snprintf(path, sizeof path, "%.*s/%s", slash ? (int)(slash - schema) : 1,
             slash ? schema : ".", name);
    size_t size;
    uint8_t *bytes = read_bytes(path, &size);
    cr_assert_not_null(bytes, "cannot read %s", path);
    char *text = realloc(bytes, size + 1);
    cr_assert_not_null(text);
    text[size] = 0;
    return text;
}

/* Every parameter `locdet plugins` lists for the bundled strategies is
 * documented: rooms' in the table of docs/rooms.md ("| `name` |"), seed's
 * in docs/strategies.md ("`name`"). A parameter added without its docs
 * fails here. */
Test(cli, every_strategy_parameter_is_documented)
{
    static const struct { const char *strategy, *doc, *before, *after; } docs[] = {
        {"rooms", "rooms.md", "| `", "` |"},
        {"seed", "strategies.md", "`", "`"},
    };
    run_out r = RUN("plugins");
    cr_assert_eq(r.status, 0, "%s", r.err);
    for (size_t d = 0; d < sizeof docs / sizeof docs[0]; d++) {
        char *text = read_doc(docs[d].doc);
        /* the strategy's block: from "NAME " at a line start to the next
         * line that starts without a space */
        char head[64];
        snprintf(head, sizeof head, "\n%s ", docs[d].strategy);
        const char *p = strstr(r.out, head);
        cr_assert_not_null(p, "%s not listed: %s", docs[d].strategy, r.out);
        p += strlen(head);
        int n = 0;
        for (const char *line = strchr(p, '\n'); line && line[1] == ' ';
             line = strchr(line + 1, '\n')) {
            const char *k = strstr(line + 1, "--param ");
            const char *eol = strchr(line + 1, '\n');
            if (!k || (eol && k > eol))
                continue;
            k += strlen("--param ");
            const char *eq = strchr(k, '=');
            cr_assert_not_null(eq);
            char want[128];
            snprintf(want, sizeof want, "%s%.*s%s", docs[d].before, (int)(eq - k), k,
                     docs[d].after);
            cr_assert_not_null(strstr(text, want), "docs/%s does not document %s's %.*s",
                               docs[d].doc, docs[d].strategy, (int)(eq - k), k);
            n++;
        }
        cr_assert_gt(n, 0, "no parameters listed for %s", docs[d].strategy);
        free(text);
    }
    run_free(&r);
}

/* With no settings, build/host/locdet finds the bundled strategies in the
 * plugins/ folder beside it, and uses rooms. */
Test(cli, default_strategy_beside_the_executable)
{
    char *saved = strdup(getenv("LOCDET_PLUGIN_PATH"));
    unsetenv("LOCDET_PLUGIN_PATH");
    run_out r = RUN("detect", plan_a);
    setenv("LOCDET_PLUGIN_PATH", saved, 1);
    free(saved);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cJSON *doc = valid_json(r.out);
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "strategy"), "name")->valuestring,
                     "rooms");
    cr_assert_eq(cJSON_GetObjectItem(doc, "room_count")->valueint, 4, "%s", r.out);
    cJSON_Delete(doc);
    run_free(&r);
}
