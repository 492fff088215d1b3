/* A zlib-stream (RFC 1950/1951) decoder for PNG image data, written for the
 * shape of floor-plan PNGs: a few hundred KB that expand to tens of MB,
 * mostly long matches at distance 1 (white runs) or one row back (the Up
 * filter). zlib 1.2's inflate copies every match byte by byte, which was a
 * quarter of `locdet detect` on a 4096^2 plan; this one copies matches with
 * memset/memcpy/8-byte moves. The Adler-32 trailer is not checked: PNG's
 * chunk CRCs already cover the compressed bytes. */
#ifndef LOCDET_INFLATE_H
#define LOCDET_INFLATE_H

#include <stddef.h>
#include <stdint.h>

typedef enum locdet_inflate_status {
    LOCDET_INFLATE_OK = 0,      /* the final block ended, or `out` is full */
    LOCDET_INFLATE_TRUNCATED,   /* the input ended inside the stream */
    LOCDET_INFLATE_CORRUPT,     /* not a valid zlib stream */
} locdet_inflate_status;

/* Told as output grows: out[0 .. safe) will never be read again by the
 * decoder (it is over 32 KiB behind the write position), so the callee may
 * rewrite it in place. Called with safe = *produced at the end. */
typedef void (*locdet_inflate_progress)(void *ctx, uint8_t *out, size_t safe);

/* Decode the zlib stream in[0 .. in_size) into out[0 .. out_size). Output
 * past out_size is dropped (decoding stops there). *produced is the number
 * of bytes written. progress may be NULL. */
locdet_inflate_status locdet_zlib_inflate(const uint8_t *in, size_t in_size, uint8_t *out,
                                          size_t out_size, size_t *produced,
                                          locdet_inflate_progress progress, void *ctx);

#endif
