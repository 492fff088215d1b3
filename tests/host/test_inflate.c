/* The zlib-stream decoder behind the 8-bit gray PNG fast path, against
 * zlib's own compressor: every level and strategy, data shaped to hit each
 * match-copy case, the progress contract, truncation at every length,
 * damaged streams (no crash, no write past the buffer), and PNGs with all
 * five row filters compared with libspng's decoding. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <spng.h>
#include <zlib.h>

#include "image.h"
#include "inflate.h"

static uint32_t rng = 777;
static uint32_t rnd(void)
{
    rng = rng * 1664525u + 1013904223u;
    return rng >> 8;
}

/* Runs of one byte, repeats at short (2..7), mid and row-length periods,
 * and noise: every branch of the match copy. */
static uint8_t *make_data(size_t n)
{
    uint8_t *d = malloc(n);
    size_t i = 0;
    while (i < n) {
        size_t len = 1 + rnd() % 600;
        if (len > n - i)
            len = n - i;
        unsigned kind = rnd() % 5;
        size_t period = kind == 1 ? 2 + rnd() % 6 : kind == 2 ? 8 + rnd() % 60 : 4097;
        for (size_t k = 0; k < len; k++, i++) {
            if (kind == 0)
                d[i] = i ? d[i - 1] : 0;
            else if (kind == 4 || i < period)
                d[i] = (uint8_t)rnd();
            else
                d[i] = d[i - period];
        }
    }
    return d;
}

static uint8_t *zcompress(const uint8_t *src, size_t n, int level, int strategy, size_t *size)
{
    z_stream z = {0};
    cr_assert_eq(deflateInit2(&z, level, Z_DEFLATED, 15, 8, strategy), Z_OK);
    size_t cap = deflateBound(&z, n);
    uint8_t *out = malloc(cap);
    z.next_in = (Bytef *)src;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    *size = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

Test(inflate, matches_zlib_every_level_and_strategy)
{
    const size_t n = 300000;
    uint8_t *src = make_data(n);
    uint8_t *out = malloc(n);
    static const int strategies[] = {Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED};
    for (int level = 0; level <= 9; level++)
        for (int s = 0; s < 5; s++) {
            size_t zn, got;
            uint8_t *z = zcompress(src, n, level, strategies[s], &zn);
            memset(out, 0xcd, n);
            cr_assert_eq(locdet_zlib_inflate(z, zn, out, n, &got, NULL, NULL), LOCDET_INFLATE_OK,
                         "level %d strategy %d", level, s);
            cr_assert_eq(got, n);
            cr_assert(memcmp(out, src, n) == 0, "level %d strategy %d", level, s);
            free(z);
        }
    free(out);
    free(src);
}

/* The callee may scribble over out[0 .. safe): the decoder must never read
 * it again, so what it writes later is still right. */
typedef struct scribble {
    size_t safe, total;
    int calls;
    bool backwards;
} scribble;

static void scribble_cb(void *ctx, uint8_t *out, size_t safe)
{
    scribble *s = ctx;
    s->calls++;
    if (safe < s->safe)
        s->backwards = true;
    if (safe == s->total)   /* the final call: keep the bytes to check them */
        return;
    memset(out + s->safe, 0xa5, safe - s->safe);
    s->safe = safe;
}

Test(inflate, progress_region_is_never_read_again)
{
    const size_t n = 2000000;
    uint8_t *src = make_data(n);
    uint8_t *out = malloc(n);
    for (int level = 1; level <= 9; level += 4) {
        size_t zn, got;
        uint8_t *z = zcompress(src, n, level, Z_DEFAULT_STRATEGY, &zn);
        scribble s = {.total = n};
        cr_assert_eq(locdet_zlib_inflate(z, zn, out, n, &got, scribble_cb, &s), LOCDET_INFLATE_OK);
        cr_assert_eq(got, n);
        cr_assert_gt(s.calls, 10);
        cr_assert_not(s.backwards);
        cr_assert_lt(s.safe, n);
        /* Everything written after the scribbled part is right: no match
         * copied from the handed-over region. */
        cr_assert(memcmp(out + s.safe, src + s.safe, n - s.safe) == 0, "level %d", level);
        free(z);
    }
    free(out);
    free(src);
}

Test(inflate, output_buffer_smaller_than_the_stream)
{
    const size_t n = 100000;
    uint8_t *src = make_data(n);
    uint8_t *out = malloc(n + 16);
    size_t zn, got;
    uint8_t *z = zcompress(src, n, 6, Z_DEFAULT_STRATEGY, &zn);
    for (size_t cap = 0; cap < n; cap += 7919) {
        memset(out, 0xee, n + 16);
        cr_assert_eq(locdet_zlib_inflate(z, zn, out, cap, &got, NULL, NULL), LOCDET_INFLATE_OK);
        cr_assert_eq(got, cap);
        cr_assert(memcmp(out, src, cap) == 0);
        cr_assert_eq(out[cap], 0xee, "wrote past the buffer at cap %zu", cap);
    }
    free(z);
    free(out);
    free(src);
}

Test(inflate, truncated_at_every_length)
{
    const size_t n = 20000;
    uint8_t *src = make_data(n);
    uint8_t *out = malloc(n);
    for (int level = 0; level <= 9; level += 3) {
        size_t zn, got;
        uint8_t *z = zcompress(src, n, level, Z_DEFAULT_STRATEGY, &zn);
        for (size_t cut = 0; cut < zn; cut++) {
            /* A copy of exactly `cut` bytes, so ASan sees any read past it. */
            uint8_t *part = malloc(cut ? cut : 1);
            memcpy(part, z, cut);
            locdet_inflate_status st = locdet_zlib_inflate(part, cut, out, n, &got, NULL, NULL);
            /* Cut in the trailer or the end-of-block code, after the last byte
             * of output: the output is whole (the trailer is not checked). */
            if (st == LOCDET_INFLATE_OK)
                cr_assert(got == n && memcmp(out, src, n) == 0 && cut + 8 >= zn,
                          "level %d cut %zu of %zu: OK with %zu bytes", level, cut, zn, got);
            else
                cr_assert_eq(st, LOCDET_INFLATE_TRUNCATED, "level %d cut %zu of %zu", level, cut, zn);
            free(part);
        }
        free(z);
    }
    free(out);
    free(src);
}

Test(inflate, damaged_streams_fail_or_stay_in_bounds)
{
    const size_t n = 50000;
    uint8_t *src = make_data(n);
    uint8_t *out = malloc(n);
    size_t zn, got;
    uint8_t *z = zcompress(src, n, 6, Z_DEFAULT_STRATEGY, &zn);
    uint8_t *bad = malloc(zn);
    int noticed = 0;
    for (int t = 0; t < 3000; t++) {
        memcpy(bad, z, zn);
        int flips = 1 + (int)(rnd() % 4);
        for (int f = 0; f < flips; f++)
            bad[2 + rnd() % (zn - 2)] ^= (uint8_t)(1u << (rnd() % 8));
        locdet_inflate_status st = locdet_zlib_inflate(bad, zn, out, n, &got, NULL, NULL);
        cr_assert_leq(got, n);
        /* No Adler-32 check (the PNG chunk CRCs do that job), so damage
         * shows as an error or as different bytes. */
        noticed += st != LOCDET_INFLATE_OK || got != n || memcmp(out, src, n) != 0;
    }
    cr_assert_gt(noticed, 2900, "damage changes the result (%d of 3000)", noticed);
    /* Headers: not deflate, window too large, bad check bits, preset dictionary. */
    static const uint8_t heads[][2] = {{0x79, 0x9c}, {0x88, 0x98}, {0x78, 0x9d}, {0x78, 0xbb}};
    for (int i = 0; i < 4; i++) {
        memcpy(bad, z, zn);
        memcpy(bad, heads[i], 2);
        cr_assert_eq(locdet_zlib_inflate(bad, zn, out, n, &got, NULL, NULL), LOCDET_INFLATE_CORRUPT,
                     "header %d", i);
    }
    /* Block type 3 is reserved (bytes follow: the stream is not just short). */
    static const uint8_t reserved[12] = {0x78, 0x9c, 0x07, 0x00};
    cr_assert_eq(locdet_zlib_inflate(reserved, sizeof reserved, out, n, &got, NULL, NULL),
                 LOCDET_INFLATE_CORRUPT);
    cr_assert_eq(locdet_zlib_inflate(reserved, 4, out, n, &got, NULL, NULL),
                 LOCDET_INFLATE_TRUNCATED);
    /* A distance reaching before the start: fixed block, literal 'a', then
     * length 3 distance 2. */
    static const uint8_t far[14] = {0x78, 0x9c, 0x4b, 0x04, 0x42, 0x00};
    cr_assert_eq(locdet_zlib_inflate(far, sizeof far, out, n, &got, NULL, NULL),
                 LOCDET_INFLATE_CORRUPT);
    free(bad);
    free(z);
    free(out);
    free(src);
}

/* ---- PNG fast path: 8-bit gray, every filter type ---------------------- */

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static size_t chunk(uint8_t *at, const char *type, const uint8_t *data, uint32_t len)
{
    put32(at, len);
    memcpy(at + 4, type, 4);
    if (len)
        memcpy(at + 8, data, len);
    put32(at + 8 + len, (uint32_t)crc32(0, at + 4, len + 4));
    return 12 + (size_t)len;
}

static int paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* A PNG of img with row y filtered by filters[y], its IDAT data split into
 * chunks of `split` bytes (plus an empty one). */
static uint8_t *png_filtered(const uint8_t *img, int w, int h, const int *filters, size_t split,
                             size_t *size)
{
    size_t rb = (size_t)w + 1;
    uint8_t *f = malloc(rb * (size_t)h);
    for (int y = 0; y < h; y++) {
        const uint8_t *r = img + (size_t)y * w, *u = y ? r - w : NULL;
        uint8_t *o = f + (size_t)y * rb;
        o[0] = (uint8_t)filters[y];
        for (int x = 0; x < w; x++) {
            int a = x ? r[x - 1] : 0, b = u ? u[x] : 0, c = x && u ? u[x - 1] : 0, p = 0;
            switch (filters[y]) {
            case 1: p = a; break;
            case 2: p = b; break;
            case 3: p = (a + b) >> 1; break;
            case 4: p = paeth(a, b, c); break;
            }
            o[1 + x] = (uint8_t)(r[x] - p);
        }
    }
    size_t zn;
    uint8_t *z = zcompress(f, rb * (size_t)h, 6, Z_DEFAULT_STRATEGY, &zn);
    free(f);
    uint8_t *png = malloc(8 + 25 + zn + 12 * (zn / split + 3) + 12);
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    memcpy(png, sig, 8);
    uint8_t ihdr[13] = {0};
    put32(ihdr, (uint32_t)w);
    put32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;   /* bit depth; colour type 0, no interlace */
    size_t at = 8 + chunk(png + 8, "IHDR", ihdr, 13);
    for (size_t off = 0; off < zn; off += split) {
        size_t len = zn - off < split ? zn - off : split;
        at += chunk(png + at, "IDAT", z + off, (uint32_t)len);
        if (off == 0)
            at += chunk(png + at, "IDAT", NULL, 0);
    }
    at += chunk(png + at, "IEND", NULL, 0);
    free(z);
    *size = at;
    return png;
}

static uint8_t *spng_gray(const uint8_t *png, size_t size)
{
    spng_ctx *ctx = spng_ctx_new(0);
    spng_set_png_buffer(ctx, png, size);
    size_t n;
    cr_assert_eq(spng_decoded_image_size(ctx, SPNG_FMT_G8, &n), 0);
    uint8_t *out = malloc(n);
    cr_assert_eq(spng_decode_image(ctx, out, n, SPNG_FMT_G8, 0), 0);
    spng_ctx_free(ctx);
    return out;
}

Test(png_gray8, every_filter_matches_libspng)
{
    static const int sizes[][2] = {{1, 1}, {3, 7}, {131, 67}, {4097, 9}, {600, 300}};
    for (int k = 0; k < 5; k++) {
        int w = sizes[k][0], h = sizes[k][1];
        uint8_t *img = make_data((size_t)w * h);
        int *filters = malloc(sizeof *filters * (size_t)h);
        for (int y = 0; y < h; y++)
            filters[y] = (int)(rnd() % 5);
        size_t size;
        uint8_t *png = png_filtered(img, w, h, filters, 1 + rnd() % 5000, &size);
        locdet_decoded d;
        locdet_error err = {0};
        cr_assert_eq(locdet_image_decode(png, size, "f.png", 0, 1, &d, &err), 0, "%s", err.message);
        cr_assert_eq(d.image.width, w);
        cr_assert_eq(d.image.stride, w);
        cr_assert(memcmp(d.image.data, img, (size_t)w * h) == 0, "%dx%d", w, h);
        uint8_t *ref = spng_gray(png, size);
        cr_assert(memcmp(ref, img, (size_t)w * h) == 0);
        free(ref);
        locdet_decoded_free(&d);

        /* A bad filter type in the last row is an error, not an image. */
        filters[h - 1] = 5;
        free(png);
        png = png_filtered(img, w, h, filters, 100000, &size);
        cr_assert_eq(locdet_image_decode(png, size, "f.png", 0, 1, &d, &err),
                     LOCDET_EXIT_IMAGE_DECODE);
        cr_assert_not_null(strstr(err.message, "filter"), "%s", err.message);
        cr_assert_null(d.image.data);
        free(png);
        free(filters);
        free(img);
    }
}

Test(png_gray8, missing_and_damaged_image_data)
{
    const int w = 200, h = 100;
    uint8_t *img = make_data((size_t)w * h);
    int filters[100] = {0};
    size_t size;
    uint8_t *png = png_filtered(img, w, h, filters, 300, &size);
    locdet_decoded d;
    locdet_error err;
    /* Every cut inside the image data is a truncated file. */
    for (size_t cut = 60; cut < size - 12; cut += 37) {
        err = (locdet_error){0};
        cr_assert_eq(locdet_image_decode(png, cut, "t.png", 0, 1, &d, &err),
                     LOCDET_EXIT_IMAGE_DECODE, "cut %zu", cut);
        cr_assert_null(d.image.data);
    }
    /* A flipped bit in an IDAT fails its CRC. */
    png[60] ^= 4;
    cr_assert_eq(locdet_image_decode(png, size, "c.png", 0, 1, &d, &err), LOCDET_EXIT_IMAGE_DECODE);
    cr_assert_not_null(strstr(err.message, "CRC"), "%s", err.message);
    free(png);
    free(img);
}
