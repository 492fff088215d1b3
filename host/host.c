/* The host library: load one strategy, then decode and detect image after
 * image. Shared by the CLI and the Lambda runtime (host.h). */
#include "host.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#include "image.h"
#include "overlay.h"
#include "pages.h"
#include "plugins.h"
#include "result.h"

typedef struct scratch_block {
    struct scratch_block *next;
    uint8_t *data;                   /* size bytes (locdet_alloc_pages: huge pages) */
    size_t size;
} scratch_block;

struct locdet_host {
    locdet_plugin plugin;
    const locdet_strategy *entry;
    void *self;
    locdet_param_value values[LOCDET_MAX_PARAMS];
    cJSON *params_json;
    locdet_kernel_api kapi;
    locdet_host_api api;
    uint64_t max_pixels;
    int log_level;
    /* The previous call's scratch blocks, kept for the next call: the next
     * image of a similar size finds its buffers mapped and faulted in,
     * whatever the allocator does with freed memory. */
    scratch_block *spare;
};

static void free_blocks(scratch_block *b)
{
    while (b) {
        scratch_block *next = b->next;
        UNPOISON(b->data, b->size);
        free(b->data);
        free(b);
        b = next;
    }
}

/* ---- the host API given to plugins ------------------------------------- */

static void fill_kernel_api(locdet_kernel_api *k, const locdet_kernels *table)
{
    memset(k, 0, sizeof *k);
    k->size = sizeof *k;
    k->table = table;
    k->threshold_binary = locdet_threshold_binary;
    k->threshold_otsu = locdet_threshold_otsu;
    k->threshold_adaptive_mean = locdet_threshold_adaptive_mean;
    k->threshold_adaptive_gaussian = locdet_threshold_adaptive_gaussian;
    k->blur_gaussian5 = locdet_blur_gaussian5;
    k->morph = locdet_morph;
    k->label = locdet_label;
    k->labeling_free = locdet_labeling_free;
    k->find_contours = locdet_find_contours;
    k->contour_set_free = locdet_contour_set_free;
    k->trace_label = locdet_trace_label;
    k->approx_poly = locdet_approx_poly;
    k->approx_epsilon = locdet_approx_epsilon;
    k->contour_area = locdet_contour_area;
    k->arc_length = locdet_arc_length;
    k->points_free = locdet_points_free;
    k->threshold_adaptive_gaussian_fixed = locdet_threshold_adaptive_gaussian_fixed; /* 1.1 */
}

static int log_level_from_env(void)
{
    const char *v = getenv("LOCDET_LOG");
    static const char *const names[] = {"error", "warn", "info", "debug"};
    for (int i = 0; v && i < 4; i++)
        if (strcmp(v, names[i]) == 0)
            return i;
    return LOCDET_LOG_WARN;
}

static void host_log(const locdet_host_api *api, locdet_log_level level, const char *fmt, ...)
{
    const locdet_host *h = api->host_data;
    if ((int)level > h->log_level)
        return;
    static const char *const names[] = {"error", "warning", "info", "debug"};
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "locdet: [%s] %s: %s\n", h->entry ? h->entry->name : "?",
            (unsigned)level < 4 ? names[level] : "log", msg);
}

static void *host_alloc(size_t n) { return malloc(n); }
static void *host_realloc(void *p, size_t n) { return realloc(p, n); }
static void host_free(void *p) { free(p); }

/* ---- open / close ------------------------------------------------------ */

locdet_exit locdet_max_pixels_from_env(uint64_t *out, locdet_error *err)
{
    const char *v = getenv("LOCDET_MAX_PIXELS");
    *out = LOCDET_DEFAULT_MAX_PIXELS;
    if (!v || !*v)
        return LOCDET_EXIT_OK;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (*end || errno || x == 0 || v[0] == '-')
        return locdet_error_set(err, LOCDET_EXIT_CONFIG,
                                "LOCDET_MAX_PIXELS='%s' is not a positive whole number", v);
    *out = x;
    return LOCDET_EXIT_OK;
}

locdet_host *locdet_host_open(const locdet_host_config *cfg, locdet_error *err)
{
    locdet_host_config none = {0};
    if (!cfg)
        cfg = &none;
    locdet_host *h = calloc(1, sizeof *h);
    if (!h) {
        locdet_error_set(err, LOCDET_EXIT_INTERNAL, "out of memory");
        return NULL;
    }
    h->log_level = log_level_from_env();
    /* A mistyped LOCDET_ISA falls back to the best level; say so once, so a
     * bug report made with it is not silently run at another level. */
    const char *isa_err = NULL;
    locdet_isa_selected(&isa_err);
    if (isa_err)
        fprintf(stderr, "locdet: warning: %s; running at %s\n", isa_err,
                locdet_isa_name(locdet_isa_selected(NULL)));
    if (cfg->max_pixels) {
        h->max_pixels = cfg->max_pixels;
    } else if (locdet_max_pixels_from_env(&h->max_pixels, err)) {
        free(h);
        return NULL;
    }
    const char *name = cfg->strategy;
    if (!name) {
        name = getenv("LOCDET_STRATEGY");
        if (!name || !*name)
            name = LOCDET_DEFAULT_STRATEGY;
    }
    char path[4096];
    if (locdet_plugin_find(name, path, sizeof path, err) ||
        locdet_plugin_load(path, name, &h->plugin, err)) {
        free(h);
        return NULL;
    }
    h->entry = h->plugin.entry;
    if (locdet_params_parse(h->entry, cfg->params_env, cfg->params, cfg->n_params, h->values, err))
        goto fail;
    char why[512] = "";
    if (h->entry->check && !h->entry->check(h->values, why, sizeof why)) {
        locdet_error_set(err, LOCDET_EXIT_BAD_PARAMETER, "strategy '%s': %s", h->entry->name,
                         why[0] ? why : "parameters refused (no reason given)");
        goto fail;
    }
    h->params_json = locdet_params_json(h->entry, h->values);
    if (!h->params_json) {
        locdet_error_set(err, LOCDET_EXIT_INTERNAL, "out of memory");
        goto fail;
    }
    fill_kernel_api(&h->kapi, locdet_kernels_default());
    h->api = (locdet_host_api){
        .abi = {LOCDET_PLUGIN_ABI_MAJOR, LOCDET_PLUGIN_ABI_MINOR},
        .kernels = &h->kapi,
        .threads = cfg->threads > 0 ? cfg->threads : locdet_default_threads(),
        .alloc = host_alloc,
        .realloc = host_realloc,
        .free = host_free,
        .log = host_log,
        .host_data = h,
    };
    why[0] = '\0';
    h->self = h->entry->create(&h->api, h->values, why, sizeof why);
    if (!h->self) {
        locdet_error_set(err, LOCDET_EXIT_PLUGIN_ABI, "%s: create failed: %s", h->plugin.path,
                         why[0] ? why : "(no reason given)");
        goto fail;
    }
    return h;
fail:
    cJSON_Delete(h->params_json);
    locdet_plugin_unload(&h->plugin);
    free(h);
    return NULL;
}

void locdet_host_close(locdet_host *h)
{
    if (!h)
        return;
    if (h->self)
        h->entry->destroy(h->self);
    cJSON_Delete(h->params_json);
    locdet_plugin_unload(&h->plugin);
    free_blocks(h->spare);
    free(h);
}

const char *locdet_host_strategy_name(const locdet_host *h)
{
    return h ? h->entry->name : NULL;
}

const char *locdet_host_strategy_version(const locdet_host *h)
{
    return h ? h->entry->version : NULL;
}

const char *locdet_host_plugin_path(const locdet_host *h)
{
    return h ? h->plugin.path : NULL;
}

/* ---- one detection ----------------------------------------------------- */

typedef struct call_state {
    locdet_host *host;
    const locdet_detect_request *req;
    const char *name;
    locdet_rooms rooms;
    char bad_room[320];              /* the first invalid room's reason */
    scratch_block *scratch;
    locdet_decoded scaled[4];        /* image_at_scale results, by log2(scale) */
} call_state;

static double now_ms(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static bool call_should_stop(const locdet_call *call)
{
    const call_state *st = call->host_data;
    int64_t deadline = st->req->deadline_ms;
    return deadline > 0 && now_ms(CLOCK_REALTIME) >= (double)(deadline - LOCDET_STOP_MARGIN_MS);
}

static void *call_scratch(const locdet_call *call, size_t size)
{
    call_state *st = call->host_data;
    /* One block per request. */
    if (size > SIZE_MAX / 2)
        return NULL;
    size_t want = (size + 63) & ~(size_t)63;
    /* The smallest spare block that fits and is not over twice the size
     * (a small request must not take the big buffer a later one needs). */
    scratch_block **best = NULL;
    for (scratch_block **p = &st->host->spare; *p; p = &(*p)->next)
        if ((*p)->size >= want && (*p)->size / 2 <= want && (!best || (*p)->size < (*best)->size))
            best = p;
    scratch_block *b;
    if (best) {
        b = *best;
        *best = b->next;
        UNPOISON(b->data, b->size);
    } else {
        b = malloc(sizeof *b);
        if (!b)
            return NULL;
        if (!(b->data = locdet_alloc_pages(want, &b->size))) {
            free(b);
            return NULL;
        }
    }
    b->next = st->scratch;
    st->scratch = b;
    return b->data;
}

static int call_image_at_scale(const locdet_call *call, int scale, locdet_image *out)
{
    call_state *st = call->host_data;
    int slot = scale == 1 ? 0 : scale == 2 ? 1 : scale == 4 ? 2 : scale == 8 ? 3 : -1;
    if (slot < 0 || !out)
        return LOCDET_ERR_INVALID;
    if (scale == call->scale) {
        *out = call->image;
        return LOCDET_OK;
    }
    if (!st->scaled[slot].image.data) {
        locdet_error e;
        if (locdet_image_decode(st->req->bytes, st->req->size, st->name, st->host->max_pixels, scale,
                                &st->scaled[slot], &e))
            return LOCDET_ERR_NOMEM;   /* the bytes decoded once already: only memory can fail */
    }
    *out = st->scaled[slot].image;
    return LOCDET_OK;
}

static int call_add_room(const locdet_call *call, const locdet_room *room)
{
    call_state *st = call->host_data;
    char why[256];
    int rc = locdet_rooms_add(&st->rooms, room, call->width, call->height, why, sizeof why);
    if (rc == LOCDET_ERR_INVALID && !st->bad_room[0])
        snprintf(st->bad_room, sizeof st->bad_room, "room %d: %s", st->rooms.n + 1, why);
    return rc;
}

static void call_state_free(call_state *st)
{
    /* This call's blocks become the spares; the older spares it did not
     * reuse go, so the host keeps one call's worth at most. */
    free_blocks(st->host->spare);
    st->host->spare = st->scratch;
    for (scratch_block *b = st->scratch; b; b = b->next)
        POISON(b->data, b->size);
    st->scratch = NULL;
    for (int i = 0; i < 4; i++)
        locdet_decoded_free(&st->scaled[i]);
    locdet_rooms_clear(&st->rooms);
}

cJSON *locdet_host_detect(locdet_host *h, const locdet_detect_request *req, locdet_error *err)
{
    double t0 = now_ms(CLOCK_MONOTONIC), t_decode = 0, t_detect = 0;
    locdet_error e = {0};
    const locdet_strategy *s = h->entry;
    const char *name = req->name ? req->name : req->job_id ? req->job_id : "image";
    call_state st = {.host = h, .req = req, .name = name};
    locdet_decoded img = {0};
    locdet_format fmt = LOCDET_FORMAT_UNKNOWN;
    int width = 0, height = 0;
    bool known = false;

    if (!locdet_image_probe(req->bytes, req->size, name, &fmt, &width, &height, &e)) {
        known = true;
        int scale = s->decode_scale ? s->decode_scale : 1;
        locdet_image_decode(req->bytes, req->size, name, h->max_pixels, scale, &img, &e);
    }
    t_decode = now_ms(CLOCK_MONOTONIC) - t0;

    if (!e.code && req->deadline_ms > 0 &&
        now_ms(CLOCK_REALTIME) >= (double)(req->deadline_ms - LOCDET_STOP_MARGIN_MS))
        locdet_error_set(&e, LOCDET_EXIT_DEADLINE, "%s: deadline reached before detection", name);

    if (!e.code) {
        locdet_call call = {
            .host = &h->api,
            .image = img.image,
            .scale = img.scale,
            .width = img.full_width,
            .height = img.full_height,
            .should_stop = call_should_stop,
            .scratch = call_scratch,
            .image_at_scale = call_image_at_scale,
            .add_room = call_add_room,
            .host_data = &st,
        };
        double t1 = now_ms(CLOCK_MONOTONIC);
        int rc = s->detect(h->self, &call);
        t_detect = now_ms(CLOCK_MONOTONIC) - t1;
        /* An invalid room is the root cause of whatever the strategy
         * returned after add_room refused it. */
        if (st.bad_room[0])
            locdet_error_set(&e, LOCDET_EXIT_INTERNAL, "%s: strategy '%s' reported an invalid %s",
                             name, s->name, st.bad_room);
        else if (rc == LOCDET_ERR_CANCELLED)
            locdet_error_set(&e, LOCDET_EXIT_DEADLINE,
                             "%s: strategy '%s' stopped: the deadline was near", name, s->name);
        else if (rc != LOCDET_OK)
            locdet_error_set(&e, LOCDET_EXIT_INTERNAL, "%s: strategy '%s' failed: %s", name,
                             s->name, locdet_status_string(rc));
    }

    if (!e.code && req->overlay_path) {
        /* The overlay is drawn on the full-size plan. */
        locdet_image full = img.image;
        locdet_call again = {.scale = img.scale, .host_data = &st};
        if (img.scale != 1 && call_image_at_scale(&again, 1, &full) != LOCDET_OK)
            locdet_error_set(&e, LOCDET_EXIT_INTERNAL, "%s: out of memory for the overlay", name);
        else
            locdet_overlay_write(&full, &st.rooms, req->overlay_path, &e);
    }

    locdet_result_info info = {
        .job_id = req->job_id,
        .format = known ? locdet_format_name(fmt) : NULL,
        .width = width,
        .height = height,
        .strategy_name = s->name,
        .strategy_version = s->version,
        .params = h->params_json,
        .isa = locdet_isa_name(locdet_kernels_isa(h->kapi.table)),
        .rooms = &st.rooms,
        .t_decode = t_decode,
        .t_detect = t_detect,
        .t_total = now_ms(CLOCK_MONOTONIC) - t0,
        .error = &e,
    };
    cJSON *result = locdet_result_build(&info);
    call_state_free(&st);
    locdet_decoded_free(&img);
    if (err)
        *err = e;
    return result;
}
