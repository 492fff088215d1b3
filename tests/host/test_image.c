/* Image input: every PNG colour type and bit depth, interlaced or not,
 * palette with transparency; JPEG baseline, progressive, colour, CMYK and
 * DCT-scaled; truncated and corrupt files; the pixel limit. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <spng.h>
#include <turbojpeg.h>

#include "image.h"
#include "testutil.h"

static uint32_t rng = 12345;
static uint32_t rnd(void)
{
    rng = rng * 1664525u + 1013904223u;
    return rng >> 8;
}

static unsigned to8(unsigned v, int bits)
{
    if (bits == 16)
        return v >> 8;
    if (bits == 8)
        return v;
    return v * 255 / ((1u << bits) - 1);
}

static uint8_t over_white(unsigned c, unsigned a)
{
    return (uint8_t)((c * a + 255 * (255 - a) + 127) / 255);
}

static uint8_t luma(unsigned r, unsigned g, unsigned b)
{
    return (uint8_t)((r * 4899 + g * 9617 + b * 1868 + 8192) >> 14);
}

/* Put a sample of `bits` at sample index i of a row. */
static void put(uint8_t *row, size_t i, int bits, unsigned v)
{
    if (bits == 16) {
        row[2 * i] = (uint8_t)(v >> 8);
        row[2 * i + 1] = (uint8_t)v;
    } else if (bits == 8) {
        row[i] = (uint8_t)v;
    } else {
        size_t bit = i * (size_t)bits;
        int shift = 8 - bits - (int)(bit % 8);
        row[bit / 8] |= (uint8_t)(v << shift);
    }
}

static void check_png(int color_type, int bits, bool interlaced)
{
    const int w = 37, h = 23;   /* odd sizes cut through every Adam7 pass */
    int channels = color_type == 0 ? 1 : color_type == 2 ? 3 : color_type == 3 ? 1 :
                   color_type == 4 ? 2 : 4;
    size_t row_bytes = ((size_t)w * (size_t)channels * (size_t)bits + 7) / 8;
    uint8_t *raw = calloc(row_bytes * h, 1);
    uint8_t *want = malloc((size_t)w * h);
    uint8_t plte[256][4];
    int n_plte = color_type == 3 ? 1 << bits : 0;
    for (int i = 0; i < n_plte; i++)
        for (int k = 0; k < 4; k++)
            plte[i][k] = (uint8_t)rnd();
    unsigned max = bits == 16 ? 65535 : (1u << bits) - 1;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            unsigned s[4];
            for (int c = 0; c < channels; c++) {
                s[c] = rnd() % (max + 1);
                put(raw + y * row_bytes, (size_t)x * channels + c, bits, s[c]);
            }
            uint8_t g;
            switch (color_type) {
            case 0: g = (uint8_t)to8(s[0], bits); break;
            case 4: g = over_white(to8(s[0], bits), to8(s[1], bits)); break;
            case 2: g = luma(to8(s[0], bits), to8(s[1], bits), to8(s[2], bits)); break;
            case 6: {
                unsigned a = to8(s[3], bits);
                g = luma(over_white(to8(s[0], bits), a), over_white(to8(s[1], bits), a),
                         over_white(to8(s[2], bits), a));
                break;
            }
            default: {
                const uint8_t *e = plte[s[0]];
                g = luma(over_white(e[0], e[3]), over_white(e[1], e[3]), over_white(e[2], e[3]));
            }
            }
            want[y * w + x] = g;
        }
    }
    size_t size;
    uint8_t *png = png_encode(raw, row_bytes * h, w, h, color_type, bits, interlaced,
                              n_plte ? (const uint8_t(*)[4])plte : NULL, n_plte, &size);
    cr_assert_not_null(png, "encode type %d depth %d", color_type, bits);
    locdet_decoded d;
    locdet_error err = {0};
    cr_assert_eq(locdet_image_decode(png, size, "t.png", 0, 1, &d, &err), LOCDET_EXIT_OK,
                 "type %d depth %d interlaced %d: %s", color_type, bits, interlaced, err.message);
    cr_assert_eq(d.format, LOCDET_FORMAT_PNG);
    cr_assert_eq(d.image.width, w);
    cr_assert_eq(d.image.height, h);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            cr_assert_eq(d.image.data[y * d.image.stride + x], want[y * w + x],
                         "type %d depth %d interlaced %d at (%d,%d): got %d want %d", color_type,
                         bits, interlaced, x, y, d.image.data[y * d.image.stride + x],
                         want[y * w + x]);
    locdet_decoded_free(&d);
    free(png);
    free(raw);
    free(want);
}

Test(png, every_colour_type_and_depth)
{
    static const struct { int type, bits; } cases[] = {
        {0, 1}, {0, 2}, {0, 4}, {0, 8}, {0, 16}, {2, 8}, {2, 16}, {3, 1}, {3, 2}, {3, 4}, {3, 8},
        {4, 8}, {4, 16}, {6, 8}, {6, 16},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (int il = 0; il < 2; il++)
            check_png(cases[i].type, cases[i].bits, il);
}

Test(png, known_answers)
{
    /* Red, green, blue, transparent black (paper), half-transparent black. */
    uint8_t rgba[5 * 4] = {255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 0, 0, 0, 0, 0, 0, 0, 128};
    size_t size;
    uint8_t *png = png_encode(rgba, sizeof rgba, 5, 1, SPNG_COLOR_TYPE_TRUECOLOR_ALPHA, 8, false,
                              NULL, 0, &size);
    locdet_decoded d;
    cr_assert_eq(locdet_image_decode(png, size, "k.png", 0, 1, &d, NULL), 0);
    uint8_t want[5] = {76, 150, 29, 255, 127};
    for (int i = 0; i < 5; i++)
        cr_assert_eq(d.image.data[i], want[i], "pixel %d: %d", i, d.image.data[i]);
    locdet_decoded_free(&d);
    free(png);
}

/* Decoded images of 1 MiB or more are 2 MiB-aligned, so that they can sit
 * on huge pages (host/pages.c); smaller ones are 64-byte aligned. The last
 * pixel is checked too: the rounding adds room, it never takes any. */
Test(png, big_images_are_aligned_for_huge_pages)
{
    static const int sizes[][2] = {{100, 50}, {1024, 1024}, {1200, 1000}};
    for (int i = 0; i < 3; i++) {
        int w = sizes[i][0], h = sizes[i][1];
        uint8_t *g = malloc((size_t)w * h);
        memset(g, 200, (size_t)w * h);
        g[(size_t)w * h - 1] = 7;
        size_t size;
        uint8_t *png = png_encode_gray(g, w, h, &size);
        locdet_decoded d;
        cr_assert_eq(locdet_image_decode(png, size, "a.png", 0, 1, &d, NULL), 0);
        uintptr_t need = (size_t)w * h >= ((size_t)1 << 20) ? (uintptr_t)2 << 20 : 64;
        cr_assert_eq((uintptr_t)d.image.data % need, 0, "%dx%d at %p", w, h,
                     (void *)d.image.data);
        cr_assert_eq(d.image.data[(size_t)w * h - 1], 7);
        locdet_decoded_free(&d);
        free(png);
        free(g);
    }
}

Test(png, scaled_decode_area_averages)
{
    const int w = 19, h = 11;
    uint8_t g[19 * 11];
    for (int i = 0; i < w * h; i++)
        g[i] = (uint8_t)rnd();
    size_t size;
    uint8_t *png = png_encode_gray(g, w, h, &size);
    for (int s = 2; s <= 8; s *= 2) {
        locdet_decoded d;
        cr_assert_eq(locdet_image_decode(png, size, "s.png", 0, s, &d, NULL), 0);
        cr_assert_eq(d.image.width, (w + s - 1) / s);
        cr_assert_eq(d.image.height, (h + s - 1) / s);
        cr_assert_eq(d.full_width, w);
        cr_assert_eq(d.scale, s);
        for (int oy = 0; oy < d.image.height; oy++)
            for (int ox = 0; ox < d.image.width; ox++) {
                unsigned sum = 0, n = 0;
                for (int y = oy * s; y < oy * s + s && y < h; y++)
                    for (int x = ox * s; x < ox * s + s && x < w; x++, n++)
                        sum += g[y * w + x];
                cr_assert_eq(d.image.data[oy * d.image.stride + ox], (sum + n / 2) / n);
            }
        locdet_decoded_free(&d);
    }
    free(png);
}

static uint8_t *gradient(int w, int h, bool rgb)
{
    int c = rgb ? 3 : 1;
    uint8_t *p = malloc((size_t)w * h * c);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int k = 0; k < c; k++)
                p[(y * w + x) * c + k] = (uint8_t)(40 + x * 150 / (w - 1) + y * 40 / (h - 1) + k * 10);
    return p;
}

static int max_diff(const locdet_image *img, const uint8_t *want, int w)
{
    int m = 0;
    for (int y = 0; y < img->height; y++)
        for (int x = 0; x < img->width; x++) {
            int d = abs(img->data[y * img->stride + x] - want[y * w + x]);
            m = d > m ? d : m;
        }
    return m;
}

Test(jpeg, baseline_and_progressive_gray)
{
    const int w = 67, h = 45;
    uint8_t *g = gradient(w, h, false);
    for (int prog = 0; prog < 2; prog++) {
        size_t size;
        uint8_t *jpg = jpeg_encode(g, w, h, false, prog, 95, &size);
        cr_assert_not_null(jpg);
        locdet_decoded d;
        locdet_error err;
        cr_assert_eq(locdet_image_decode(jpg, size, "g.jpg", 0, 1, &d, &err), 0, "%s", err.message);
        cr_assert_eq(d.format, LOCDET_FORMAT_JPEG);
        cr_assert_eq(d.image.width, w);
        cr_assert_eq(d.image.height, h);
        cr_assert_leq(max_diff(&d.image, g, w), 6, "progressive %d", prog);
        locdet_decoded_free(&d);
        free(jpg);
    }
    free(g);
}

Test(jpeg, colour_reduces_to_luma)
{
    const int w = 48, h = 32;
    uint8_t *rgb = gradient(w, h, true), *want = malloc((size_t)w * h);
    for (int i = 0; i < w * h; i++)
        want[i] = luma(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]);
    for (int prog = 0; prog < 2; prog++) {
        size_t size;
        uint8_t *jpg = jpeg_encode(rgb, w, h, true, prog, 95, &size);
        locdet_decoded d;
        cr_assert_eq(locdet_image_decode(jpg, size, "c.jpg", 0, 1, &d, NULL), 0);
        cr_assert_leq(max_diff(&d.image, want, w), 6);
        locdet_decoded_free(&d);
        free(jpg);
    }
    free(rgb);
    free(want);
}

Test(jpeg, dct_scaled_decode)
{
    const int w = 203, h = 101;
    uint8_t *g = gradient(w, h, false);
    size_t size;
    uint8_t *jpg = jpeg_encode(g, w, h, false, true, 95, &size);
    for (int s = 1; s <= 8; s *= 2) {
        locdet_decoded d;
        cr_assert_eq(locdet_image_decode(jpg, size, "s.jpg", 0, s, &d, NULL), 0);
        cr_assert_eq(d.image.width, (w + s - 1) / s, "scale %d width %d", s, d.image.width);
        cr_assert_eq(d.image.height, (h + s - 1) / s);
        cr_assert_eq(d.full_width, w);
        cr_assert_eq(d.full_height, h);
        /* Interior pixels follow the area average of the original. */
        for (int oy = 1; oy < d.image.height - 1; oy++)
            for (int ox = 1; ox < d.image.width - 1; ox++) {
                unsigned sum = 0;
                for (int y = oy * s; y < oy * s + s; y++)
                    for (int x = ox * s; x < ox * s + s; x++)
                        sum += g[y * w + x];
                int avg = (int)(sum / (unsigned)(s * s));
                cr_assert_leq(abs(d.image.data[oy * d.image.stride + ox] - avg), 12,
                              "scale %d at (%d,%d)", s, ox, oy);
            }
        locdet_decoded_free(&d);
    }
    free(jpg);
    free(g);
}

Test(jpeg, cmyk)
{
    const int w = 16, h = 16;
    uint8_t cmyk[16 * 16 * 4];
    memset(cmyk, 255, sizeof cmyk);   /* Adobe-inverted: no ink anywhere, white paper */
    tjhandle tj = tjInitCompress();
    unsigned char *buf = NULL;
    unsigned long len = 0;
    cr_assert_eq(tjCompress2(tj, cmyk, w, 0, h, TJPF_CMYK, &buf, &len, TJSAMP_444, 95, 0), 0);
    tjDestroy(tj);
    locdet_decoded d;
    locdet_error err;
    cr_assert_eq(locdet_image_decode(buf, len, "k.jpg", 0, 1, &d, &err), 0, "%s", err.message);
    cr_assert_geq(d.image.data[8 * d.image.stride + 8], 250);
    locdet_decoded_free(&d);
    tjFree(buf);
}

static void expect_error(const uint8_t *bytes, size_t size, locdet_exit code, const char *needle)
{
    locdet_decoded d;
    locdet_error err = {0};
    cr_assert_eq(locdet_image_decode(bytes, size, "plan-7.png", 0, 1, &d, &err), code,
                 "want %d got %d: %s", code, err.code, err.message);
    cr_assert_eq(err.code, code);
    cr_assert_not_null(strstr(err.message, "plan-7.png"), "message names the file: %s", err.message);
    if (needle)
        cr_assert_not_null(strstr(err.message, needle), "'%s' in: %s", needle, err.message);
    cr_assert_null(d.image.data);
}

Test(errors, truncated_and_corrupt_png)
{
    const int w = 64, h = 64;
    uint8_t *g = gradient(w, h, false);
    size_t size;
    uint8_t *png = png_encode_gray(g, w, h, &size);
    expect_error(png, size / 2, LOCDET_EXIT_IMAGE_DECODE, "PNG");
    expect_error(png, 40, LOCDET_EXIT_IMAGE_DECODE, NULL);
    expect_error(png, 12, LOCDET_EXIT_IMAGE_DECODE, NULL);
    /* A flipped byte in the image data fails its chunk's CRC. */
    uint8_t *bad = malloc(size);
    memcpy(bad, png, size);
    bad[size - 20] ^= 0x55;
    expect_error(bad, size, LOCDET_EXIT_IMAGE_DECODE, NULL);
    /* A broken header. */
    memcpy(bad, png, size);
    bad[16] = 0xff;
    expect_error(bad, size, LOCDET_EXIT_IMAGE_DECODE, NULL);
    free(bad);
    free(png);
    free(g);
}

Test(errors, truncated_and_corrupt_jpeg)
{
    const int w = 64, h = 64;
    uint8_t *g = gradient(w, h, false);
    for (int prog = 0; prog < 2; prog++) {
        size_t size;
        uint8_t *jpg = jpeg_encode(g, w, h, false, prog, 90, &size);
        expect_error(jpg, size * 2 / 3, LOCDET_EXIT_IMAGE_DECODE, "JPEG");
        expect_error(jpg, 10, LOCDET_EXIT_IMAGE_DECODE, "JPEG");
        free(jpg);
    }
    free(g);
}

Test(errors, not_an_image)
{
    expect_error((const uint8_t *)"", 0, LOCDET_EXIT_IMAGE_DECODE, "empty");
    expect_error((const uint8_t *)"hello, world", 12, LOCDET_EXIT_IMAGE_DECODE, "not a PNG or JPEG");
    expect_error((const uint8_t *)"GIF89a....", 10, LOCDET_EXIT_IMAGE_DECODE, "unsupported");
}

static uint32_t crc32_png(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & -(c & 1));
    }
    return ~c;
}

static void be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

Test(limit, pixel_limit_from_the_header)
{
    uint8_t g[20 * 20] = {0};
    size_t size;
    uint8_t *png = png_encode_gray(g, 20, 20, &size);
    locdet_decoded d;
    locdet_error err;
    cr_assert_eq(locdet_image_decode(png, size, "a.png", 400, 1, &d, &err), 0);
    locdet_decoded_free(&d);
    cr_assert_eq(locdet_image_decode(png, size, "a.png", 399, 1, &d, &err),
                 LOCDET_EXIT_IMAGE_TOO_LARGE);
    cr_assert_not_null(strstr(err.message, "a.png"));
    cr_assert_not_null(strstr(err.message, "399"));

    /* A header claiming 100000 x 100000: refused before any allocation of
     * that size (which would fail, or abort under ASan). */
    be32(png + 16, 100000);
    be32(png + 20, 100000);
    be32(png + 29, crc32_png(png + 12, 17));
    cr_assert_eq(locdet_image_decode(png, size, "huge.png", 0, 1, &d, &err),
                 LOCDET_EXIT_IMAGE_TOO_LARGE, "%s", err.message);
    cr_assert_not_null(strstr(err.message, "10000000000"), "%s", err.message);
    free(png);

    /* The same for JPEG: patch the frame header to 60000 x 60000. */
    size_t jsize;
    uint8_t *jpg = jpeg_encode(g, 20, 20, false, false, 90, &jsize);
    for (size_t i = 0; i + 8 < jsize; i++)
        if (jpg[i] == 0xff && (jpg[i + 1] == 0xc0 || jpg[i + 1] == 0xc2)) {
            jpg[i + 5] = 0xea; jpg[i + 6] = 0x60;   /* height 60000 */
            jpg[i + 7] = 0xea; jpg[i + 8] = 0x60;   /* width 60000 */
            break;
        }
    cr_assert_eq(locdet_image_decode(jpg, jsize, "huge.jpg", 0, 1, &d, &err),
                 LOCDET_EXIT_IMAGE_TOO_LARGE, "%s", err.message);
    free(jpg);
}

Test(probe, format_from_bytes_not_name)
{
    uint8_t g[8 * 8] = {0};
    size_t size;
    uint8_t *png = png_encode_gray(g, 8, 8, &size);
    locdet_format f;
    int w, h;
    cr_assert_eq(locdet_image_probe(png, size, "looks-like.jpg", &f, &w, &h, NULL), 0);
    cr_assert_eq(f, LOCDET_FORMAT_PNG);
    cr_assert_eq(w, 8);
    cr_assert_str_eq(locdet_format_name(f), "png");
    free(png);
}

/* Gray with a tRNS colour key: the keyed level is transparent, so paper. */
Test(png, gray_with_transparency_key)
{
    uint8_t g[4] = {0, 40, 80, 120};
    spng_ctx *ctx = spng_ctx_new(SPNG_CTX_ENCODER);
    spng_set_option(ctx, SPNG_ENCODE_TO_BUFFER, 1);
    struct spng_ihdr ihdr = {.width = 4, .height = 1, .bit_depth = 8,
                             .color_type = SPNG_COLOR_TYPE_GRAYSCALE};
    spng_set_ihdr(ctx, &ihdr);
    struct spng_trns t = {.gray = 40};
    spng_set_trns(ctx, &t);
    cr_assert_eq(spng_encode_image(ctx, g, 4, SPNG_FMT_PNG, SPNG_ENCODE_FINALIZE), 0);
    size_t size;
    int e;
    uint8_t *png = spng_get_png_buffer(ctx, &size, &e);
    spng_ctx_free(ctx);
    locdet_decoded d;
    cr_assert_eq(locdet_image_decode(png, size, "t.png", 0, 1, &d, NULL), 0);
    uint8_t want[4] = {0, 255, 80, 120};
    for (int i = 0; i < 4; i++)
        cr_assert_eq(d.image.data[i], want[i], "pixel %d: %d", i, d.image.data[i]);
    locdet_decoded_free(&d);
    free(png);
}
