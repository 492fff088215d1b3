/* Image input: PNG through libspng, JPEG through TurboJPEG, both to 8-bit
 * gray. Sizes come from the header and are checked against the pixel limit
 * before any buffer the size of the image is allocated. */
#include "image.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <spng.h>
#include <turbojpeg.h>

#include "pages.h"

locdet_format locdet_format_sniff(const uint8_t *b, size_t n)
{
    static const uint8_t png_magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (b && n >= 8 && memcmp(b, png_magic, 8) == 0)
        return LOCDET_FORMAT_PNG;
    /* SOI followed by the start of a marker. */
    if (b && n >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff)
        return LOCDET_FORMAT_JPEG;
    return LOCDET_FORMAT_UNKNOWN;
}

const char *locdet_format_name(locdet_format f)
{
    switch (f) {
    case LOCDET_FORMAT_PNG: return "png";
    case LOCDET_FORMAT_JPEG: return "jpeg";
    default: return NULL;
    }
}

static locdet_exit unknown_format(const uint8_t *bytes, size_t size, const char *name,
                                  locdet_error *err)
{
    if (size == 0)
        return locdet_error_set(err, LOCDET_EXIT_IMAGE_DECODE, "%s: empty file", name);
    if (size >= 4 && (memcmp(bytes, "GIF8", 4) == 0 || memcmp(bytes, "%PDF", 4) == 0 ||
                      memcmp(bytes, "II*", 4) == 0 || memcmp(bytes, "MM", 3) == 0 ||
                      memcmp(bytes, "BM", 2) == 0 || memcmp(bytes, "RIFF", 4) == 0))
        return locdet_error_set(err, LOCDET_EXIT_IMAGE_DECODE,
                                "%s: unsupported image format (only PNG and JPEG are read)", name);
    return locdet_error_set(err, LOCDET_EXIT_IMAGE_DECODE,
                            "%s: not a PNG or JPEG file (format told by the first bytes)", name);
}

static locdet_exit check_limit(const char *name, uint64_t w, uint64_t h, uint64_t max_pixels,
                               locdet_error *err)
{
    if (max_pixels == 0)
        max_pixels = LOCDET_DEFAULT_MAX_PIXELS;
    if (w == 0 || h == 0)
        return locdet_error_set(err, LOCDET_EXIT_IMAGE_DECODE, "%s: image has no pixels (%llux%llu)",
                                name, (unsigned long long)w, (unsigned long long)h);
    /* locdet_image holds int sizes and the overlay needs 3 bytes per pixel. */
    if (w * h > max_pixels || w > INT_MAX / 4 || h > INT_MAX / 4)
        return locdet_error_set(err, LOCDET_EXIT_IMAGE_TOO_LARGE,
                                "%s: %llux%llu is %llu pixels, over the limit of %llu "
                                "(--max-pixels, LOCDET_MAX_PIXELS)",
                                name, (unsigned long long)w, (unsigned long long)h,
                                (unsigned long long)(w * h), (unsigned long long)max_pixels);
    return LOCDET_EXIT_OK;
}

static bool alloc_image(locdet_image *img, int w, int h)
{
    img->width = w;
    img->height = h;
    img->stride = w;
    img->data = locdet_alloc_pages((size_t)w * (size_t)h, NULL); /* free() releases it */
    return img->data != NULL;
}

/* ---- PNG -------------------------------------------------------------- */

static spng_ctx *png_open(const uint8_t *bytes, size_t size)
{
    /* Adler-32 stays on: libspng checks an IDAT chunk's CRC only once it has
     * read the whole chunk, so the zlib checksum is what catches a damaged
     * stream that still inflates (tests/host/test_image.c flips a byte). */
    spng_ctx *ctx = spng_ctx_new(0);
    if (!ctx)
        return NULL;
    /* Ancillary chunks are skipped, but bound what a hostile file can make
     * the decoder buffer. */
    spng_set_chunk_limits(ctx, 64u << 20, 256u << 20);
    spng_set_png_buffer(ctx, (void *)bytes, size);
    return ctx;
}

static const char *png_reason(int rc)
{
    switch (rc) {
    case SPNG_EIO: return "truncated file (ends before the image data does)";
    default: return spng_strerror(rc);
    }
}

static locdet_exit png_header(spng_ctx *ctx, const char *name, struct spng_ihdr *ihdr,
                              locdet_error *err)
{
    int rc = spng_get_ihdr(ctx, ihdr);
    if (rc)
        return locdet_error_set(err, LOCDET_EXIT_IMAGE_DECODE, "%s: corrupt PNG header: %s", name,
                                png_reason(rc));
    return LOCDET_EXIT_OK;
}

/* Composite over white, then OpenCV's fixed-point RGB->gray (BT.601 weights
 * 0.299/0.587/0.114 in 14 bits); gray input passes through unchanged. */
static inline uint8_t rgba_to_gray(const uint8_t *p)
{
    unsigned r = p[0], g = p[1], b = p[2], a = p[3];
    if (a != 255) {
        r = (r * a + 255 * (255 - a) + 127) / 255;
        g = (g * a + 255 * (255 - a) + 127) / 255;
        b = (b * a + 255 * (255 - a) + 127) / 255;
    }
    return (uint8_t)((r * 4899 + g * 9617 + b * 1868 + (1u << 13)) >> 14);
}

static locdet_exit png_decode(const uint8_t *bytes, size_t size, const char *name,
                              uint64_t max_pixels, locdet_image *img, locdet_error *err)
{
    locdet_exit ex;
    uint8_t *row = NULL;
    spng_ctx *ctx = png_open(bytes, size);
    if (!ctx)
        return locdet_error_set(err, LOCDET_EXIT_INTERNAL, "%s: out of memory", name);
    struct spng_ihdr ihdr;
    if ((ex = png_header(ctx, name, &ihdr, err)))
        goto out;
    if ((ex = check_limit(name, ihdr.width, ihdr.height, max_pixels, err)))
        goto out;
    int w = (int)ihdr.width, h = (int)ihdr.height;
    /* Gray of 8 bits or fewer without transparency (most scans and CAD
     * exports) decodes straight to G8: no RGBA round trip. */
    struct spng_trns trns;
    bool direct = ihdr.color_type == SPNG_COLOR_TYPE_GRAYSCALE && ihdr.bit_depth <= 8 &&
                  spng_get_trns(ctx, &trns) != 0;
    int bpp = direct ? 1 : 4;
    int rc = spng_decode_image(ctx, NULL, 0, direct ? SPNG_FMT_G8 : SPNG_FMT_RGBA8,
                               (direct ? 0 : SPNG_DECODE_TRNS) | SPNG_DECODE_PROGRESSIVE);
    if (rc) {
        ex = locdet_error_set(err, LOCDET_EXIT_IMAGE_DECODE, "%s: cannot decode PNG: %s", name,
                              png_reason(rc));
        goto out;
    }
    row = malloc((size_t)w * (size_t)bpp);
    if (!row || !alloc_image(img, w, h)) {
        ex = locdet_error_set(err, LOCDET_EXIT_INTERNAL, "%s: out of memory for %dx%d", name, w, h);
        goto out;
    }
    /* Adam7: columns of each pass; a non-interlaced row is "pass 0" with
     * every column. spng_decode_row places a pass's pixels at their final
     * columns and leaves the others alone. */
    static const int x0[7] = {0, 4, 0, 2, 0, 1, 0}, dx[7] = {8, 8, 4, 4, 2, 2, 1};
    for (;;) {
        struct spng_row_info ri;
        if ((rc = spng_get_row_info(ctx, &ri)) != 0)
            break;
        uint8_t *dst = img->data + (ptrdiff_t)ri.row_num * img->stride;
        if (direct && !ihdr.interlace_method) {
            rc = spng_decode_row(ctx, dst, (size_t)w);
            if (rc != 0 && rc != SPNG_EOI)
                break;
        } else {
            rc = spng_decode_row(ctx, row, (size_t)w * (size_t)bpp);
            if (rc != 0 && rc != SPNG_EOI)
                break;
            int start = 0, step = 1;
            if (ihdr.interlace_method) {
                start = x0[ri.pass];
                step = dx[ri.pass];
            }
            if (direct)
                for (int x = start; x < w; x += step)
                    dst[x] = row[x];
            else
                for (int x = start; x < w; x += step)
                    dst[x] = rgba_to_gray(row + 4 * x);
        }
        if (rc == SPNG_EOI)
            break;
    }
    if (rc != SPNG_EOI) {
        ex = locdet_error_set(err, LOCDET_EXIT_IMAGE_DECODE, "%s: cannot decode PNG: %s", name,
                              png_reason(rc));
        goto out;
    }
    ex = LOCDET_EXIT_OK;
out:
    if (ex) {
        free(img->data);
        img->data = NULL;
    }
    free(row);
    spng_ctx_free(ctx);
    return ex;
}

/* ---- JPEG ------------------------------------------------------------- */

static locdet_exit jpeg_header(tjhandle tj, const uint8_t *bytes, size_t size, const char *name,
                               int *w, int *h, int *colorspace, locdet_error *err)
{
    int subsamp;
    if (size > ULONG_MAX ||
        tjDecompressHeader3(tj, bytes, (unsigned long)size, w, h, &subsamp, colorspace) != 0)
        return locdet_error_set(err, LOCDET_EXIT_IMAGE_DECODE, "%s: corrupt JPEG header: %s", name,
                                tjGetErrorStr2(tj));
    if (*w <= 0 || *h <= 0)
        return locdet_error_set(err, LOCDET_EXIT_IMAGE_DECODE,
                                "%s: corrupt JPEG header: no frame size (truncated file?)", name);
    return LOCDET_EXIT_OK;
}

static locdet_exit jpeg_decode(const uint8_t *bytes, size_t size, const char *name,
                               uint64_t max_pixels, int scale, locdet_image *img,
                               locdet_error *err)
{
    locdet_exit ex;
    uint8_t *cmyk = NULL;
    tjhandle tj = tjInitDecompress();
    if (!tj)
        return locdet_error_set(err, LOCDET_EXIT_INTERNAL, "%s: cannot start the JPEG decoder", name);
    int w, h, cs;
    if ((ex = jpeg_header(tj, bytes, size, name, &w, &h, &cs, err)))
        goto out;
    if ((ex = check_limit(name, (uint64_t)w, (uint64_t)h, max_pixels, err)))
        goto out;
    int sw = locdet_scaled_dim(w, scale), sh = locdet_scaled_dim(h, scale);
    if (!alloc_image(img, sw, sh)) {
        ex = locdet_error_set(err, LOCDET_EXIT_INTERNAL, "%s: out of memory for %dx%d", name, sw, sh);
        goto out;
    }
    /* Warnings (a truncated stream is one) are errors: a plan with its lower
     * part painted grey would be read as a plan. LIMITSCANS refuses
     * progressive files built to take forever. */
    int flags = TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS;
    int rc;
    if (cs == TJCS_CMYK || cs == TJCS_YCCK) {
        /* No CMYK->gray path in TurboJPEG: decode CMYK (Adobe-inverted, as
         * libjpeg returns it) and reduce it here, as OpenCV's imread does. */
        cmyk = malloc((size_t)sw * (size_t)sh * 4);
        if (!cmyk) {
            ex = locdet_error_set(err, LOCDET_EXIT_INTERNAL, "%s: out of memory", name);
            goto out;
        }
        rc = tjDecompress2(tj, bytes, (unsigned long)size, cmyk, sw, sw * 4, sh, TJPF_CMYK, flags);
        if (rc == 0) {
            for (size_t i = 0; i < (size_t)sw * (size_t)sh; i++) {
                const uint8_t *p = cmyk + 4 * i;
                unsigned k = p[3];
                uint8_t rgba[4] = {(uint8_t)(p[0] * k / 255), (uint8_t)(p[1] * k / 255),
                                   (uint8_t)(p[2] * k / 255), 255};
                img->data[i] = rgba_to_gray(rgba);
            }
        }
    } else {
        rc = tjDecompress2(tj, bytes, (unsigned long)size, img->data, sw, sw, sh, TJPF_GRAY, flags);
    }
    if (rc != 0) {
        const char *why = tjGetErrorStr2(tj);
        ex = locdet_error_set(err, LOCDET_EXIT_IMAGE_DECODE, "%s: cannot decode JPEG: %s%s", name,
                              why, strstr(why, "Premature end") ? " (truncated file)" : "");
        goto out;
    }
    ex = LOCDET_EXIT_OK;
out:
    if (ex) {
        free(img->data);
        img->data = NULL;
    }
    free(cmyk);
    tjDestroy(tj);
    return ex;
}

/* ---- public ------------------------------------------------------------ */

locdet_exit locdet_image_probe(const uint8_t *bytes, size_t size, const char *name,
                               locdet_format *format, int *width, int *height, locdet_error *err)
{
    locdet_format f = locdet_format_sniff(bytes, size);
    if (format)
        *format = f;
    int w = 0, h = 0;
    locdet_exit ex = LOCDET_EXIT_OK;
    if (f == LOCDET_FORMAT_PNG) {
        spng_ctx *ctx = png_open(bytes, size);
        if (!ctx)
            return locdet_error_set(err, LOCDET_EXIT_INTERNAL, "%s: out of memory", name);
        struct spng_ihdr ihdr;
        ex = png_header(ctx, name, &ihdr, err);
        spng_ctx_free(ctx);
        if (!ex && (ihdr.width > INT_MAX || ihdr.height > INT_MAX))
            ex = locdet_error_set(err, LOCDET_EXIT_IMAGE_TOO_LARGE, "%s: %ux%u is too large", name,
                                  ihdr.width, ihdr.height);
        if (!ex) {
            w = (int)ihdr.width;
            h = (int)ihdr.height;
        }
    } else if (f == LOCDET_FORMAT_JPEG) {
        tjhandle tj = tjInitDecompress();
        if (!tj)
            return locdet_error_set(err, LOCDET_EXIT_INTERNAL, "%s: cannot start the JPEG decoder", name);
        int cs;
        ex = jpeg_header(tj, bytes, size, name, &w, &h, &cs, err);
        tjDestroy(tj);
    } else {
        return unknown_format(bytes, size, name, err);
    }
    if (width)
        *width = w;
    if (height)
        *height = h;
    return ex;
}

/* Area average of scale x scale blocks (partial blocks at the right and
 * bottom edges average what they have). */
static bool downscale(const locdet_image *src, int scale, locdet_image *dst)
{
    int dw = locdet_scaled_dim(src->width, scale), dh = locdet_scaled_dim(src->height, scale);
    uint32_t *acc = calloc((size_t)dw, sizeof *acc);
    if (!acc || !alloc_image(dst, dw, dh)) {
        free(acc);
        return false;
    }
    for (int oy = 0; oy < dh; oy++) {
        int y0 = oy * scale, y1 = y0 + scale < src->height ? y0 + scale : src->height;
        memset(acc, 0, (size_t)dw * sizeof *acc);
        for (int y = y0; y < y1; y++) {
            const uint8_t *s = src->data + (ptrdiff_t)y * src->stride;
            for (int x = 0; x < src->width; x++)
                acc[x / scale] += s[x];
        }
        uint8_t *d = dst->data + (ptrdiff_t)oy * dst->stride;
        for (int ox = 0; ox < dw; ox++) {
            int x0 = ox * scale, x1 = x0 + scale < src->width ? x0 + scale : src->width;
            uint32_t n = (uint32_t)((x1 - x0) * (y1 - y0));
            d[ox] = (uint8_t)((acc[ox] + n / 2) / n);
        }
    }
    free(acc);
    return true;
}

locdet_exit locdet_image_decode(const uint8_t *bytes, size_t size, const char *name,
                                uint64_t max_pixels, int scale, locdet_decoded *out,
                                locdet_error *err)
{
    memset(out, 0, sizeof *out);
    if (scale != 1 && scale != 2 && scale != 4 && scale != 8)
        return locdet_error_set(err, LOCDET_EXIT_INTERNAL, "%s: decode scale 1/%d is not 1, 1/2, 1/4 or 1/8",
                                name, scale);
    locdet_format f = locdet_format_sniff(bytes, size);
    int w, h;
    locdet_exit ex = locdet_image_probe(bytes, size, name, NULL, &w, &h, err);
    if (ex)
        return ex;
    if ((ex = check_limit(name, (uint64_t)w, (uint64_t)h, max_pixels, err)))
        return ex;
    if (f == LOCDET_FORMAT_JPEG) {
        ex = jpeg_decode(bytes, size, name, max_pixels, scale, &out->image, err);
    } else {
        ex = png_decode(bytes, size, name, max_pixels, &out->image, err);
        if (!ex && scale > 1) {
            locdet_image small;
            bool ok = downscale(&out->image, scale, &small);
            free(out->image.data);
            out->image = ok ? small : (locdet_image){0};
            if (!ok)
                ex = locdet_error_set(err, LOCDET_EXIT_INTERNAL, "%s: out of memory", name);
        }
    }
    if (ex)
        return ex;
    out->full_width = w;
    out->full_height = h;
    out->scale = scale;
    out->format = f;
    return LOCDET_EXIT_OK;
}

void locdet_decoded_free(locdet_decoded *d)
{
    if (d) {
        free(d->image.data);
        memset(d, 0, sizeof *d);
    }
}
