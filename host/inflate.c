/* zlib stream decoder (see inflate.h). Canonical Huffman codes are decoded
 * with a 10-bit first-level table and a left-aligned limit search for the
 * longer codes (the scheme of stb_image). Every length, distance and count
 * read from the stream is checked before it is used: the input is hostile. */
#include "inflate.h"

#include <stdbool.h>
#include <string.h>

#define FAST_BITS 10
#define FAST_MASK ((1u << FAST_BITS) - 1)
#define WINDOW 32768u
#define PROGRESS_STEP 65536u

typedef struct huff {
    uint16_t fast[1 << FAST_BITS]; /* (length << 9) | symbol, 0 = longer code */
    uint16_t firstcode[16];
    uint32_t maxcode[17];          /* first code past length l, left-aligned to 16 bits */
    uint16_t firstsym[16];
    uint8_t size[288];
    uint16_t value[288];
} huff;

typedef struct bitreader {
    const uint8_t *p, *end;
    uint64_t bits;   /* next bits in the low end */
    int n;           /* valid bits in `bits` */
    size_t over;     /* zero bytes fed past the end of the input */
} bitreader;

static void refill(bitreader *b)
{
    if (b->end - b->p >= 8) {
        uint64_t v;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        memcpy(&v, b->p, 8);
#else
        v = 0;
        for (int i = 7; i >= 0; i--)
            v = v << 8 | b->p[i];
#endif
        b->bits |= v << b->n;
        b->p += (63 - b->n) >> 3;
        b->n |= 56;
        return;
    }
    while (b->n < 56) {
        uint64_t byte = 0;
        if (b->p < b->end)
            byte = *b->p++;
        else
            b->over++;
        b->bits |= byte << b->n;
        b->n += 8;
    }
}

/* Bits consumed past the end of the input (the zero padding refill feeds). */
static bool overrun(const bitreader *b)
{
    return b->over * 8 > (size_t)b->n;
}

static uint32_t getbits(bitreader *b, int k)
{
    uint32_t v = (uint32_t)(b->bits & ((1u << k) - 1));
    b->bits >>= k;
    b->n -= k;
    return v;
}

static unsigned bitrev16(unsigned v)
{
    v = ((v & 0xaaaa) >> 1) | ((v & 0x5555) << 1);
    v = ((v & 0xcccc) >> 2) | ((v & 0x3333) << 2);
    v = ((v & 0xf0f0) >> 4) | ((v & 0x0f0f) << 4);
    v = ((v & 0xff00) >> 8) | ((v & 0x00ff) << 8);
    return v;
}

/* Build the decoder for code lengths sizes[0 .. num). Over-subscribed sets
 * are refused; codes an incomplete set leaves unassigned fail at decode. */
static bool huff_build(huff *h, const uint8_t *sizes, int num)
{
    int count[16] = {0}, next[16];
    memset(h->fast, 0, sizeof h->fast);
    memset(h->size, 0, sizeof h->size);
    for (int i = 0; i < num; i++)
        count[sizes[i]]++;
    count[0] = 0;
    int left = 1;
    for (int l = 1; l < 16; l++) {
        left = (left << 1) - count[l];
        if (left < 0)
            return false;
    }
    int code = 0, k = 0;
    for (int l = 1; l < 16; l++) {
        next[l] = code;
        h->firstcode[l] = (uint16_t)code;
        h->firstsym[l] = (uint16_t)k;
        code += count[l];
        h->maxcode[l] = (uint32_t)code << (16 - l);
        code <<= 1;
        k += count[l];
    }
    h->maxcode[16] = 0x10000;
    for (int i = 0; i < num; i++) {
        int s = sizes[i];
        if (!s)
            continue;
        int c = next[s] - h->firstcode[s] + h->firstsym[s];
        h->size[c] = (uint8_t)s;
        h->value[c] = (uint16_t)i;
        if (s <= FAST_BITS) {
            unsigned j = bitrev16((unsigned)next[s]) >> (16 - s);
            for (; j < (1u << FAST_BITS); j += 1u << s)
                h->fast[j] = (uint16_t)(s << 9 | i);
        }
        next[s]++;
    }
    return true;
}

/* The next symbol, or -1 for a code the set does not assign. Needs 15 bits
 * in the reader. */
static int decode(bitreader *b, const huff *h)
{
    unsigned f = h->fast[b->bits & FAST_MASK];
    if (f) {
        int s = (int)(f >> 9);
        b->bits >>= s;
        b->n -= s;
        return (int)(f & 511);
    }
    unsigned k = bitrev16((unsigned)(b->bits & 0xffff));
    int s = FAST_BITS + 1;
    while (k >= h->maxcode[s])
        s++;
    if (s >= 16)
        return -1;
    int c = (int)(k >> (16 - s)) - h->firstcode[s] + h->firstsym[s];
    if (c < 0 || c >= 288 || h->size[c] != s)
        return -1;
    b->bits >>= s;
    b->n -= s;
    return h->value[c];
}

static const uint16_t len_base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                      31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {1,    2,    3,    4,    5,    7,     9,     13,    17,  25,
                                       33,   49,   65,   97,   129,  193,   257,   385,   513, 769,
                                       1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static locdet_inflate_status read_dynamic(bitreader *b, huff *lit, huff *dist)
{
    static const uint8_t order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    refill(b);
    int hlit = (int)getbits(b, 5) + 257, hdist = (int)getbits(b, 5) + 1, hclen = (int)getbits(b, 4) + 4;
    if (hlit > 286 || hdist > 30)
        return LOCDET_INFLATE_CORRUPT;
    uint8_t sizes[320] = {0};
    for (int i = 0; i < hclen; i++) {
        refill(b);
        sizes[order[i]] = (uint8_t)getbits(b, 3);
    }
    huff *clen = lit;   /* lit is built last: borrow it for the code length code */
    if (!huff_build(clen, sizes, 19))
        return LOCDET_INFLATE_CORRUPT;
    memset(sizes, 0, 19);
    int n = 0, total = hlit + hdist;
    while (n < total) {
        refill(b);
        if (b->over > 16)
            return LOCDET_INFLATE_TRUNCATED;
        int sym = decode(b, clen);
        if (sym < 0)
            return LOCDET_INFLATE_CORRUPT;
        if (sym < 16) {
            sizes[n++] = (uint8_t)sym;
            continue;
        }
        int rep;
        uint8_t val = 0;
        if (sym == 16) {
            if (n == 0)
                return LOCDET_INFLATE_CORRUPT;
            rep = 3 + (int)getbits(b, 2);
            val = sizes[n - 1];
        } else if (sym == 17) {
            rep = 3 + (int)getbits(b, 3);
        } else {
            rep = 11 + (int)getbits(b, 7);
        }
        if (rep > total - n)
            return LOCDET_INFLATE_CORRUPT;
        memset(sizes + n, val, (size_t)rep);
        n += rep;
    }
    if (overrun(b))
        return LOCDET_INFLATE_TRUNCATED;
    if (sizes[256] == 0)   /* no end-of-block code */
        return LOCDET_INFLATE_CORRUPT;
    if (!huff_build(lit, sizes, hlit) || !huff_build(dist, sizes + hlit, hdist))
        return LOCDET_INFLATE_CORRUPT;
    return LOCDET_INFLATE_OK;
}

static void build_fixed(huff *lit, huff *dist)
{
    uint8_t sizes[288];
    memset(sizes, 8, 144);
    memset(sizes + 144, 9, 112);
    memset(sizes + 256, 7, 24);
    memset(sizes + 280, 8, 8);
    huff_build(lit, sizes, 288);
    memset(sizes, 5, 32);
    huff_build(dist, sizes, 32);
}

/* Copy a match of len bytes from dist back; len <= out_end - d. */
static void copy_match(uint8_t *d, size_t dist, size_t len, const uint8_t *out_end)
{
    const uint8_t *s = d - dist;
    if (dist == 1) {
        memset(d, s[0], len);
    } else if (dist >= len) {
        memcpy(d, s, len);
    } else if (dist >= 8 && (size_t)(out_end - d) >= len + 8) {
        /* Overlapping, but every 8-byte read is of bytes already written;
         * the last store may run up to 7 bytes past len (room checked). */
        for (size_t i = 0; i < len; i += 8) {
            uint64_t v;
            memcpy(&v, s + i, 8);
            memcpy(d + i, &v, 8);
        }
    } else {
        for (size_t i = 0; i < len; i++)
            d[i] = s[i];
    }
}

locdet_inflate_status locdet_zlib_inflate(const uint8_t *in, size_t in_size, uint8_t *out,
                                          size_t out_size, size_t *produced,
                                          locdet_inflate_progress progress, void *ctx)
{
    huff lit, dist;
    bitreader b = {.p = in, .end = in + in_size};
    size_t pos = 0, next_progress = WINDOW + PROGRESS_STEP;
    locdet_inflate_status st = LOCDET_INFLATE_OK;
    *produced = 0;

    if (in_size < 2)
        return LOCDET_INFLATE_TRUNCATED;
    /* CM 8 (deflate), window <= 32 KiB, header check, no preset dictionary. */
    if ((in[0] & 0x0f) != 8 || (in[0] >> 4) > 7 || ((unsigned)in[0] << 8 | in[1]) % 31 != 0 ||
        (in[1] & 0x20))
        return LOCDET_INFLATE_CORRUPT;
    b.p += 2;

    bool final = false;
    while (!final && pos < out_size) {
        refill(&b);
        final = getbits(&b, 1);
        unsigned type = getbits(&b, 2);
        if (type == 0) {
            /* Stored: from the next byte boundary, LEN, ~LEN, then bytes. */
            getbits(&b, b.n & 7);
            refill(&b);
            unsigned len = getbits(&b, 16), nlen = getbits(&b, 16);
            if (overrun(&b)) {
                st = LOCDET_INFLATE_TRUNCATED;
                break;
            }
            if (len != (~nlen & 0xffff)) {
                st = LOCDET_INFLATE_CORRUPT;
                break;
            }
            size_t avail = (size_t)(b.end - b.p) + (size_t)b.n / 8 - b.over;
            if (len > avail) {
                st = LOCDET_INFLATE_TRUNCATED;
                break;
            }
            if (len > out_size - pos)
                len = (unsigned)(out_size - pos);
            while (len && b.n >= 8) {
                out[pos++] = (uint8_t)getbits(&b, 8);
                len--;
            }
            if (len) {
                /* The buffer is empty (b.n is 0): drop the bytes the last
                 * refill loaded ahead, which the copy skips. */
                b.bits = 0;
                memcpy(out + pos, b.p, len);
                b.p += len;
            }
            pos += len;
            continue;
        }
        if (type == 3) {
            st = LOCDET_INFLATE_CORRUPT;
            break;
        }
        if (type == 1) {
            build_fixed(&lit, &dist);
        } else if ((st = read_dynamic(&b, &lit, &dist)) != LOCDET_INFLATE_OK) {
            break;
        }
        for (;;) {
            if (progress && pos >= next_progress) {
                progress(ctx, out, pos - WINDOW);
                next_progress = pos + PROGRESS_STEP;
            }
            refill(&b);
            if (b.over > 16) {
                st = LOCDET_INFLATE_TRUNCATED;
                break;
            }
            int sym = decode(&b, &lit);
            if (sym < 256) {
                if (sym < 0) {
                    st = LOCDET_INFLATE_CORRUPT;
                    break;
                }
                out[pos++] = (uint8_t)sym;
                if (pos == out_size)
                    break;
                continue;
            }
            if (sym == 256)
                break;
            sym -= 257;
            if (sym >= 29) {
                st = LOCDET_INFLATE_CORRUPT;
                break;
            }
            size_t len = len_base[sym] + getbits(&b, len_extra[sym]);
            int dsym = decode(&b, &dist);
            if (dsym < 0 || dsym >= 30) {
                st = LOCDET_INFLATE_CORRUPT;
                break;
            }
            size_t d = dist_base[dsym] + getbits(&b, dist_extra[dsym]);
            if (d > pos) {
                st = LOCDET_INFLATE_CORRUPT;
                break;
            }
            if (len > out_size - pos)
                len = out_size - pos;
            copy_match(out + pos, d, len, out + out_size);
            pos += len;
            if (pos == out_size)
                break;
        }
        if (st != LOCDET_INFLATE_OK)
            break;
    }
    /* Zero padding read past the end: a stream that stops early usually
     * fails on the padding as an invalid code; it is truncated, not corrupt. */
    if ((st == LOCDET_INFLATE_OK && overrun(&b)) || (st == LOCDET_INFLATE_CORRUPT && b.over > 0))
        st = LOCDET_INFLATE_TRUNCATED;
    *produced = pos;
    if (progress)
        progress(ctx, out, pos);
    return st;
}
