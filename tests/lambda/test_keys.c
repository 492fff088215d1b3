/* Key encodings, jobIds and SHA-256: the pieces S3 requests are built from. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "jobid.h"
#include "keyenc.h"
#include "sha256.h"

static void check_path(const char *key, const char *want)
{
    char *got = keyenc_uri_path(key);
    cr_assert_not_null(got);
    cr_expect_str_eq(got, want, "key \"%s\"", key);
    free(got);
}

Test(keyenc, uri_path_follows_aws_rules)
{
    check_path("blueprints/plan-1_a.b~c.png", "blueprints/plan-1_a.b~c.png");
    check_path("a b+c=d&e", "a%20b%2Bc%3Dd%26e");
    check_path("é/ü", "%C3%A9/%C3%BC");
    check_path("x?y#z%", "x%3Fy%23z%25");
    check_path("a//b/./c", "a//b/./c");
    check_path("", "");
}

static void check_decode(const char *in, int plus, const char *want)
{
    char *got = keyenc_decode(in, plus);
    if (!want) {
        cr_expect_null(got, "\"%s\" should be refused", in);
    } else {
        cr_assert_not_null(got, "\"%s\" refused", in);
        cr_expect_str_eq(got, want);
    }
    free(got);
}

Test(keyenc, decode_form_and_plain)
{
    check_decode("red+flower.jpg", 1, "red flower.jpg");
    check_decode("red+flower.jpg", 0, "red+flower.jpg");
    check_decode("a%2Bb%3Dc+d", 1, "a+b=c d");
    check_decode("%C3%A9t%c3%a9", 1, "été");
    check_decode("100%", 1, NULL);
    check_decode("%4", 1, NULL);
    check_decode("%zz", 1, NULL);
    check_decode("a%00b", 1, NULL);
}

Test(keyenc, utf8)
{
    cr_expect(keyenc_utf8_valid("plain"));
    cr_expect(keyenc_utf8_valid("été 🏠"));
    cr_expect(!keyenc_utf8_valid("\xC3"));
    cr_expect(!keyenc_utf8_valid("\xC0\xAF"));       /* overlong '/' */
    cr_expect(!keyenc_utf8_valid("\xED\xA0\x80"));   /* surrogate */
    cr_expect(!keyenc_utf8_valid("\xFF"));
}

Test(jobid, valid)
{
    cr_expect(jobid_valid("job-1_A.b"));
    cr_expect(!jobid_valid(""));
    cr_expect(!jobid_valid("a b"));
    cr_expect(!jobid_valid("a/b"));
    cr_expect(!jobid_valid("é"));
    char id[130];
    memset(id, 'x', 128);
    id[128] = '\0';
    cr_expect(jobid_valid(id));
    id[128] = 'x', id[129] = '\0';
    cr_expect(!jobid_valid(id));
}

static void check_from_key(const char *key, const char *want)
{
    char id[JOBID_MAX + 1] = "", why[200] = "";
    int ok = jobid_from_key(key, id, why, sizeof why);
    if (want) {
        cr_expect(ok, "key \"%s\": %s", key, why);
        cr_expect_str_eq(id, want);
    } else {
        cr_expect(!ok, "key \"%s\" gave \"%s\"", key, id);
        cr_expect(why[0]);
    }
}

Test(jobid, from_key)
{
    check_from_key("blueprints/job-7.png", "job-7");
    check_from_key("blueprints/v1.2.jpeg", "v1.2");
    check_from_key("tenant a+b=c/é/blueprints/j1.png", "j1");
    check_from_key("blueprints/a b.png", NULL);
    check_from_key("blueprints/job", NULL);
    check_from_key("blueprints/.png", NULL);
    check_from_key("blueprints/job.", NULL);
    check_from_key("other/job.png", NULL);
    check_from_key("myblueprints/job.png", NULL);
    check_from_key("blueprints/sub/job.png", NULL);
    check_from_key("job.png", NULL);
}

Test(sha256, fips_vectors)
{
    char hex[65];
    sha256_hex("", 0, hex);
    cr_expect_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha256_hex("abc", 3, hex);
    cr_expect_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256_hex(two, strlen(two), hex);
    cr_expect_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *mil = malloc(1000000);
    memset(mil, 'a', 1000000);
    sha256_hex(mil, 1000000, hex);
    free(mil);
    cr_expect_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    /* 55, 56 and 64 bytes: the padding edges. */
    char a64[64];
    memset(a64, 'a', 64);
    sha256_hex(a64, 55, hex);
    cr_expect_str_eq(hex, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    sha256_hex(a64, 56, hex);
    cr_expect_str_eq(hex, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    sha256_hex(a64, 64, hex);
    cr_expect_str_eq(hex, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}
