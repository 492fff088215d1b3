/* Image input: PNG (libspng) and JPEG (TurboJPEG) decoded to 8-bit gray.
 * The format is told by the bytes, never by the file name. */
#ifndef LOCDET_HOST_IMAGE_H
#define LOCDET_HOST_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "errors.h"
#include "locdet/kernels.h"

typedef enum locdet_format {
    LOCDET_FORMAT_UNKNOWN = 0,
    LOCDET_FORMAT_PNG,
    LOCDET_FORMAT_JPEG,
} locdet_format;

#define LOCDET_DEFAULT_MAX_PIXELS 200000000ull

/* A decoded image: `image` is the input at 1/scale of its size (rounded up,
 * as TurboJPEG's TJSCALED), owned by this struct. */
typedef struct locdet_decoded {
    locdet_image image;
    int full_width, full_height;   /* the input's size */
    int scale;                     /* 1, 2, 4 or 8 */
    locdet_format format;
} locdet_decoded;

locdet_format locdet_format_sniff(const uint8_t *bytes, size_t size);
/* "png", "jpeg", or NULL for unknown. */
const char *locdet_format_name(locdet_format f);

/* Read the size from the header only. Errors: ImageDecode (not PNG/JPEG,
 * corrupt header). `name` is the file (or object) named in messages. */
locdet_exit locdet_image_probe(const uint8_t *bytes, size_t size, const char *name,
                               locdet_format *format, int *width, int *height,
                               locdet_error *err);

/* Decode to gray at 1/scale (1, 2, 4, 8). JPEG scales in the DCT domain;
 * PNG is decoded at full size and area-averaged. The pixel limit
 * (max_pixels, 0 = the default) is checked against the header before any
 * large allocation. Colour is reduced as OpenCV's cvtColor(RGB2GRAY) does;
 * alpha is composited over white (paper). 16-bit samples keep their high
 * byte. Errors: ImageDecode, ImageTooLarge, Internal (out of memory). */
locdet_exit locdet_image_decode(const uint8_t *bytes, size_t size, const char *name,
                                uint64_t max_pixels, int scale, locdet_decoded *out,
                                locdet_error *err);
void locdet_decoded_free(locdet_decoded *d);

/* The size of a dimension at 1/scale, rounded up. */
static inline int locdet_scaled_dim(int full, int scale)
{
    return (int)(((int64_t)full + scale - 1) / scale);
}

#endif
