/* The seed strategy equals the old system's pipeline run in OpenCV
 * (bench/peer/opencv_peer.cpp): the same rooms, in the same order, with the
 * same polygons, boxes, areas and confidences, on generated plans. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "opencv_peer.h"
#include "plangen.h"
#include "testutil.h"

static void compare(const char *preset, uint64_t seed, int width)
{
    plangen_plan plan;
    cr_assert_eq(plangen_generate(preset, seed, width, &plan), 0);
    int w = plan.width, h = plan.height;
    uint8_t *g = malloc((size_t)w * h);
    for (int y = 0; y < h; y++)
        memcpy(g + (size_t)y * w, plan.pixels + y * plan.stride, (size_t)w);
    size_t size;
    uint8_t *png = png_encode_gray(g, w, h, &size);

    locdet_error err;
    locdet_host *host = locdet_host_open(&(locdet_host_config){.strategy = "seed"}, &err);
    cr_assert_not_null(host, "%s", err.message);
    cJSON *r = locdet_host_detect(host, &(locdet_detect_request){.bytes = png, .size = size,
                                                                 .job_id = "p"}, &err);
    locdet_host_close(host);
    char why[512];
    cr_assert(result_valid(r, why, sizeof why), "%s", why);
    cJSON *rooms = cJSON_GetObjectItem(r, "rooms");

    peer_opencv_set_threads(1);
    peer_seed_room *want;
    int n = peer_seed_pipeline(g, w, w, h, 1000, 1000000, &want);
    cr_assert_eq(cJSON_GetArraySize(rooms), n, "%s/%llu: %d rooms, OpenCV %d", preset,
                 (unsigned long long)seed, cJSON_GetArraySize(rooms), n);
    for (int i = 0; i < n; i++) {
        cJSON *room = cJSON_GetArrayItem(rooms, i);
        cJSON *poly = cJSON_GetObjectItem(room, "polygon"), *px = cJSON_GetObjectItem(room, "bbox_px");
        cr_assert_eq(cJSON_GetArraySize(poly), want[i].n, "%s room %d vertices", preset, i);
        for (int k = 0; k < want[i].n; k++) {
            cJSON *pt = cJSON_GetArrayItem(poly, k);
            cr_assert_eq(cJSON_GetArrayItem(pt, 0)->valueint, want[i].points[k][0]);
            cr_assert_eq(cJSON_GetArrayItem(pt, 1)->valueint, want[i].points[k][1]);
        }
        for (int k = 0; k < 4; k++)
            cr_assert_eq(cJSON_GetArrayItem(px, k)->valueint, want[i].bbox[k]);
        cr_assert_float_eq(cJSON_GetObjectItem(room, "area_px")->valuedouble, want[i].area, 1e-9);
        cr_assert_float_eq(cJSON_GetObjectItem(room, "confidence")->valuedouble,
                           round(want[i].confidence * 1e4) / 1e4, 1e-9);
    }
    peer_seed_free(want, n);
    cJSON_Delete(r);
    free(png);
    free(g);
    plangen_free(&plan);
}

Test(seed, same_rooms_as_opencv)
{
    static const struct { const char *preset; int width; } plans[] = {
        {"simple", 800}, {"apartment", 1000}, {"small", 0}, {"scan", 1000}, {"hatched", 1000},
        {"diagonal", 1000},
    };
    for (size_t p = 0; p < sizeof plans / sizeof plans[0]; p++)
        for (uint64_t seed = 1; seed <= 3; seed++)
            compare(plans[p].preset, seed, plans[p].width);
}
