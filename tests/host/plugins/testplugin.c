/* One source, several test plugins (chosen by -D at build time): a working
 * `fixture` strategy that exercises every part of the host API, and broken
 * ones for each error the loader must report. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "locdet/plugin.h"

#ifndef PLUGIN_NAME
#define PLUGIN_NAME "fixture"
#endif
#ifndef PLUGIN_ABI_MAJOR
#define PLUGIN_ABI_MAJOR LOCDET_PLUGIN_ABI_MAJOR
#endif
#ifndef PLUGIN_SCALE
#define PLUGIN_SCALE 1
#endif
#ifndef PLUGIN_ENTRY
#define PLUGIN_ENTRY locdet_strategy_entry
#endif
#ifndef PLUGIN_NEEDS_MINOR
#define PLUGIN_NEEDS_MINOR 0
#endif
/* The minor version the entry declares. 0 stands for a plugin built
 * against ABI 1.0, whose locdet_kernel_api ended at points_free. */
#ifndef PLUGIN_ABI_MINOR
#define PLUGIN_ABI_MINOR LOCDET_PLUGIN_ABI_MINOR
#endif
#if PLUGIN_ABI_MINOR == 0
#define PLUGIN_KERNEL_API_SIZE offsetof(locdet_kernel_api, threshold_adaptive_gaussian_fixed)
#else
#define PLUGIN_KERNEL_API_SIZE sizeof(locdet_kernel_api)
#endif

static const char *const modes[] = {"strips", "ink",     "fail",    "cancel",
                                    "badroom", "rescale", "scratch", NULL};

static const locdet_param_def params[] = {
    {"rooms", LOCDET_PARAM_INT, "2", 0, 50, NULL, "rooms to report in strips mode"},
    {"confidence", LOCDET_PARAM_FLOAT, "0.9", 0, 1, NULL, "confidence of every room"},
    {"lines", LOCDET_PARAM_BOOL, "false", 0, 0, NULL, "report each room's edges as lines"},
#ifdef PLUGIN_BAD_DEFAULT
    {"mode", LOCDET_PARAM_ENUM, "nonsense", 0, 0, modes, "what detect does"},
#else
    {"mode", LOCDET_PARAM_ENUM, "strips", 0, 0, modes, "what detect does"},
#endif
    {"hint", LOCDET_PARAM_BOOL, "false", 0, 0, NULL, "give a name hint"},
};

typedef struct fixture {
    const locdet_host_api *host;
    int64_t rooms;
    double confidence;
    bool lines, hint;
    int64_t mode;
} fixture;

static void *create(const locdet_host_api *host, const locdet_param_value *v, char *why, size_t n)
{
#ifdef PLUGIN_CREATE_FAILS
    (void)host;
    (void)v;
    snprintf(why, n, "no licence key");
    return NULL;
#else
    /* CLAP style: the plugin checks the host's version in return. */
    int needs_minor = PLUGIN_NEEDS_MINOR;
    if (host->abi.major != LOCDET_PLUGIN_ABI_MAJOR || (int)host->abi.minor < needs_minor) {
        snprintf(why, n, "needs host ABI %d.%d or newer, host has %u.%u", LOCDET_PLUGIN_ABI_MAJOR,
                 PLUGIN_NEEDS_MINOR, host->abi.major, host->abi.minor);
        return NULL;
    }
    if (host->kernels->size < PLUGIN_KERNEL_API_SIZE || !host->kernels->threshold_binary) {
        snprintf(why, n, "host kernel table too small");
        return NULL;
    }
    fixture *f = host->alloc(sizeof *f);
    if (!f) {
        snprintf(why, n, "out of memory");
        return NULL;
    }
    *f = (fixture){host, v[0].i, v[1].f, v[2].b, v[4].b, v[3].i};
    host->log(host, LOCDET_LOG_DEBUG, "created with %lld rooms", (long long)f->rooms);
    return f;
#endif
}

static int add_rect(const fixture *f, const locdet_call *call, int x0, int y0, int x1, int y1)
{
    locdet_point poly[4] = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
    locdet_line lines[4];
    for (int i = 0; i < 4; i++)
        lines[i] = (locdet_line){poly[i], poly[(i + 1) % 4]};
    locdet_room r = {
        .polygon = poly,
        .n_points = 4,
        .confidence = f->confidence,
        .lines = f->lines ? lines : NULL,
        .n_lines = f->lines ? 4 : 0,
        .name_hint = f->hint ? "hall" : NULL,
    };
    return call->add_room(call, &r);
}

static int detect(void *self, const locdet_call *call)
{
    const fixture *f = self;
    int w = call->width, h = call->height;
    switch (f->mode) {
    case 0: /* strips: `rooms` vertical strips, in input pixels */
        for (int i = 0; i < f->rooms; i++) {
            int x0 = (int)(w * i / f->rooms), x1 = (int)(w * (i + 1) / f->rooms) - 1;
            if (x1 <= x0 || h < 2)
                continue;
            int rc = add_rect(f, call, x0, 0, x1, h - 1);
            if (rc)
                return rc;
        }
        return LOCDET_OK;
    case 1: { /* ink: the box around the dark pixels, through the kernel API */
        const locdet_kernel_api *k = call->host->kernels;
        locdet_image bin = call->image;
        bin.data = call->scratch(call, (size_t)bin.width * (size_t)bin.height);
        bin.stride = bin.width;
        if (!bin.data)
            return LOCDET_ERR_NOMEM;
        int rc = k->threshold_binary(k->table, &call->image, &bin, 127, true);
        if (rc)
            return rc;
        int x0 = bin.width, y0 = bin.height, x1 = -1, y1 = -1;
        for (int y = 0; y < bin.height; y++)
            for (int x = 0; x < bin.width; x++)
                if (bin.data[y * bin.stride + x]) {
                    x0 = x < x0 ? x : x0;
                    x1 = x > x1 ? x : x1;
                    y0 = y < y0 ? y : y0;
                    y1 = y > y1 ? y : y1;
                }
        if (x1 <= x0 || y1 <= y0)
            return LOCDET_OK;
        int s = call->scale;
        return add_rect(f, call, x0 * s, y0 * s, x1 * s, y1 * s);
    }
    case 2:
        return LOCDET_ERR_NOMEM;
    case 3: /* cancel: work until told to stop */
        while (!call->should_stop(call)) {
        }
        return LOCDET_ERR_CANCELLED;
    case 4: /* badroom: a polygon outside the image */
        return add_rect(f, call, 0, 0, w + 10, h);
    case 5: { /* rescale: ask for the 1/2 decode and report its size as a room */
        locdet_image half;
        int rc = call->image_at_scale(call, 2, &half);
        if (rc)
            return rc;
        if (half.width != (w + 1) / 2 || half.height != (h + 1) / 2)
            return LOCDET_ERR_INVALID;
        return add_rect(f, call, 0, 0, half.width, half.height);
    }
    case 6: { /* scratch: blocks of these sizes, each written whole; the
               * room is 10 px wide, and 1 px wider per block with the
               * host's alignment (64 bytes; 2 MiB from 1 MiB up) */
        static const size_t sizes[] = {0, 100, 4096, ((size_t)1 << 20) - 65, (size_t)1 << 20,
                                       1500000, (size_t)5 << 20};
        int aligned = 0;
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            uint8_t *p = call->scratch(call, sizes[i]);
            if (!p)
                return LOCDET_ERR_NOMEM;
            memset(p, (int)i, sizes[i]);
            uintptr_t need = sizes[i] >= ((size_t)1 << 20) ? (uintptr_t)2 << 20 : 64;
            aligned += (uintptr_t)p % need == 0;
        }
        return add_rect(f, call, 0, 0, 10 + aligned, 1);
    }
    }
    return LOCDET_ERR_INVALID;
}

static void destroy(void *self)
{
    fixture *f = self;
    f->host->free(f);
}

LOCDET_PLUGIN_EXPORT const locdet_strategy PLUGIN_ENTRY = {
    .abi = {PLUGIN_ABI_MAJOR, PLUGIN_ABI_MINOR},
    .name = PLUGIN_NAME,
    .version = "0.0.1",
    .description = "test fixture: reports rooms on command",
    .params = params,
    .n_params = (int)(sizeof params / sizeof params[0]),
    .decode_scale = PLUGIN_SCALE,
    .create = create,
    .detect = detect,
    .destroy = destroy,
};
