/* The overlay: the plan dimmed, each room filled with a translucent
 * distinct colour, outlined and labelled with its number (room_007 -> 7),
 * the number inside the room, off the plan's ink (the room's name) where it
 * fits, and no larger than fits there. */
#ifndef LOCDET_HOST_OVERLAY_H
#define LOCDET_HOST_OVERLAY_H

#include <stdint.h>

#include "errors.h"
#include "locdet/kernels.h"
#include "result.h"

/* Draw into rgb (gray's size, 3 bytes per pixel, stride 3 * width). The
 * rooms as locdet_rooms_add keeps them (box and area derived). */
void locdet_overlay_draw(const locdet_image *gray, const locdet_rooms *rooms, uint8_t *rgb);

/* Write an RGB image (3 bytes per pixel, stride 3 * width) as a PNG to path,
 * atomically. Errors: Storage (cannot write). */
locdet_exit locdet_write_rgb_png(const char *path, const uint8_t *rgb, int width, int height,
                                 locdet_error *err);

/* Draw and write an RGB PNG to path atomically. Errors: Storage (cannot
 * write), Internal (out of memory). */
locdet_exit locdet_overlay_write(const locdet_image *gray, const locdet_rooms *rooms,
                                 const char *path, locdet_error *err);

#endif
