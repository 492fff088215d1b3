/* The overlay's room numbers: inside their room, and small enough to fit
 * in it. On a white plan, the overlay's only pure black pixels are the
 * digits and its only (40, 40, 40) pixels the labels' frames. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "overlay.h"
#include "result.h"

typedef struct drawn {
    uint8_t *gray, *rgb;
    int w, h;
} drawn;

/* The rooms as the host keeps them (locdet_rooms_add derives box, area and
 * centroid), drawn on a white plan of w x h, black over the box ink (x0, y0,
 * x1, y1: a block of text) when given. */
static drawn draw_on(int w, int h, const locdet_room *rooms, int n, const int *ink)
{
    drawn d = {malloc((size_t)w * h), malloc((size_t)w * h * 3), w, h};
    cr_assert(d.gray && d.rgb);
    memset(d.gray, 255, (size_t)w * h);
    for (int y = ink ? ink[1] : 0; ink && y < ink[3]; y++)
        memset(d.gray + (size_t)y * w + ink[0], 0, (size_t)(ink[2] - ink[0]));
    locdet_image img = {d.gray, w, h, w};
    locdet_rooms list = {0};
    char why[128];
    for (int i = 0; i < n; i++)
        cr_assert_eq(locdet_rooms_add(&list, &rooms[i], w, h, why, sizeof why), 0, "%s", why);
    locdet_overlay_draw(&img, &list, d.rgb);
    locdet_rooms_clear(&list);
    return d;
}

static drawn draw(int w, int h, const locdet_room *rooms, int n)
{
    return draw_on(w, h, rooms, n, NULL);
}

static bool pixel_is(const drawn *d, int x, int y, uint8_t v)
{
    const uint8_t *p = d->rgb + ((size_t)y * d->w + x) * 3;
    return p[0] == v && p[1] == v && p[2] == v;
}

/* Even-odd test at the pixel's position. */
static bool inside(const locdet_point *p, int n, double x, double y)
{
    bool in = false;
    for (int i = 0, j = n - 1; i < n; j = i++)
        if ((p[i].y > y) != (p[j].y > y) &&
            x < p[j].x + (y - p[j].y) * (p[i].x - p[j].x) / (double)(p[i].y - p[j].y))
            in = !in;
    return in;
}

/* A U: two arms 130 px wide around a 100 px gap open at the top, on a bar
 * 80 px high. Its centroid (200, 159.5) lies in the gap, outside it. */
Test(overlay, number_sits_inside_a_u_shaped_room)
{
    locdet_point u[] = {{20, 20}, {150, 20}, {150, 200}, {250, 200},
                        {250, 20}, {380, 20}, {380, 280}, {20, 280}};
    locdet_room room = {.polygon = u, .n_points = 8, .confidence = 0.5};
    double cx, cy;
    locdet_polygon_area(u, 8, &cx, &cy);
    cr_assert(!inside(u, 8, cx, cy), "the test's centroid (%.1f, %.1f) lies in the gap", cx, cy);
    drawn d = draw(400, 300, &room, 1);
    int black = 0;
    for (int y = 0; y < d.h; y++)
        for (int x = 0; x < d.w; x++)
            if (pixel_is(&d, x, y, 0)) {
                black++;
                cr_assert(inside(u, 8, x, y), "digit pixel (%d, %d) outside the room", x, y);
            }
    cr_assert_gt(black, 0, "the room is numbered");
    free(d.gray);
    free(d.rgb);
}

/* On a 2000 px plan the numbers are 8 px per dot (one digit: an 88 x 104 px
 * box); a room of 40 x 30 px gets a smaller one, framed within its box,
 * still with digits; a big room beside it keeps the full size. */
Test(overlay, numbers_of_small_rooms_fit_inside_them)
{
    locdet_point small[] = {{1000, 1000}, {1040, 1000}, {1040, 1030}, {1000, 1030}};
    locdet_point big[] = {{100, 100}, {900, 100}, {900, 900}, {100, 900}};
    locdet_room rooms[] = {
        {.polygon = small, .n_points = 4, .confidence = 0.5},
        {.polygon = big, .n_points = 4, .confidence = 0.5},
    };
    drawn d = draw(2000, 2000, rooms, 2);
    int frame_small = 0, frame_big = 0, black_small = 0;
    for (int y = 0; y < d.h; y++)
        for (int x = 0; x < d.w; x++) {
            bool in_small = x >= 1000 && x <= 1040 && y >= 1000 && y <= 1030;
            if (pixel_is(&d, x, y, 40)) {
                if (x < 950) {
                    frame_big++;
                } else {
                    frame_small++;
                    cr_assert(in_small, "the small room's label frame at (%d, %d) is outside it",
                              x, y);
                }
            }
            black_small += in_small && pixel_is(&d, x, y, 0);
        }
    cr_assert_gt(frame_small, 0);
    cr_assert_gt(black_small, 0, "the small room's number is drawn");
    /* the big room's frame: 88 x 104 px outside, 8 px wide */
    cr_assert_eq(frame_big, 88 * 104 - 72 * 88, "big room's frame: %d px", frame_big);
    free(d.gray);
    free(d.rgb);
}

/* A shaft reported as a room of its own in the middle of a room, whose
 * outline has no hole there: both numbers are drawn whole (3 px dots on an
 * 800 px plan: 33 x 39 px boxes, frames 3 px wide, 396 frame pixels each),
 * the shaft's inside the shaft, the room's outside it. At the centroid
 * both would be one box on the shaft. */
Test(overlay, number_avoids_a_room_inside_the_room)
{
    locdet_point room[] = {{100, 100}, {700, 100}, {700, 700}, {100, 700}};
    locdet_point shaft[] = {{350, 350}, {450, 350}, {450, 450}, {350, 450}};
    locdet_room rooms[] = {
        {.polygon = room, .n_points = 4, .confidence = 0.5},
        {.polygon = shaft, .n_points = 4, .confidence = 0.5},
    };
    drawn d = draw(800, 800, rooms, 2);
    int frame_in_shaft = 0, frame_all = 0;
    for (int y = 0; y < d.h; y++)
        for (int x = 0; x < d.w; x++)
            if (pixel_is(&d, x, y, 40)) {
                frame_all++;
                frame_in_shaft += inside(shaft, 4, x, y);
            }
    cr_assert_eq(frame_all, 2 * 396, "two whole label frames: %d px", frame_all);
    cr_assert_eq(frame_in_shaft, 396, "one frame in the shaft: %d px", frame_in_shaft);
    free(d.gray);
    free(d.rgb);
}

/* A room's name written in its middle, where the outline is farthest: the
 * number goes beside it, whole (3 px dots: a 33 x 39 px box, 396 frame
 * pixels) and off the text. At the farthest point it would cover it. */
Test(overlay, number_keeps_off_the_rooms_name)
{
    locdet_point room[] = {{100, 100}, {700, 100}, {700, 700}, {100, 700}};
    locdet_room rooms[] = {{.polygon = room, .n_points = 4, .confidence = 0.5}};
    const int text[] = {340, 380, 460, 420};
    drawn d = draw_on(800, 800, rooms, 1, text);
    int frame = 0, covered = 0;
    for (int y = 0; y < d.h; y++)
        for (int x = 0; x < d.w; x++) {
            bool label = pixel_is(&d, x, y, 40) || pixel_is(&d, x, y, 255) ||
                         pixel_is(&d, x, y, 0);
            frame += pixel_is(&d, x, y, 40);
            covered += label && x >= text[0] && x < text[2] && y >= text[1] && y < text[3];
        }
    cr_assert_eq(frame, 396, "one whole label frame: %d px", frame);
    cr_assert_eq(covered, 0, "%d pixels of the text are under the label", covered);
    free(d.gray);
    free(d.rgb);
}

/* The colour at (x, y): one value per channel packed. */
static uint32_t colour_at(const drawn *d, int x, int y)
{
    const uint8_t *p = d->rgb + ((size_t)y * d->w + x) * 3;
    return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

/* A shaft reported in a room's middle, where the room's outline has no
 * hole: the shaft shows its own colour, as drawn alone, not the room's
 * blended over it; the room's colour is the same where no shaft is. */
Test(overlay, room_within_a_room_keeps_its_colour)
{
    locdet_point room[] = {{100, 100}, {700, 100}, {700, 700}, {100, 700}};
    locdet_point shaft[] = {{350, 350}, {450, 350}, {450, 450}, {350, 450}};
    locdet_room both[] = {
        {.polygon = shaft, .n_points = 4, .confidence = 0.5},
        {.polygon = room, .n_points = 4, .confidence = 0.5},
    };
    drawn together = draw(800, 800, both, 2);
    drawn alone = draw(800, 800, both, 1);
    /* inside the shaft, clear of its outline and its number */
    cr_assert_eq(colour_at(&together, 360, 440), colour_at(&alone, 360, 440),
                 "the shaft's colour: %06x, drawn alone %06x", colour_at(&together, 360, 440),
                 colour_at(&alone, 360, 440));
    /* and the room is filled around it */
    cr_assert_neq(colour_at(&together, 200, 650), colour_at(&alone, 200, 650));
    free(together.gray);
    free(together.rgb);
    free(alone.gray);
    free(alone.rgb);
}
