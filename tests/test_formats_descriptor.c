/* The face descriptor's stored form (little-endian float32 blob) and its
 * "gf1:" text: round trips, the exact bytes, and malformed text refused. */
#include "tests/testutil.h"

#include "firmware/core/err.h"
#include "firmware/formats/descriptor.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void blob_round_trip(void **state) {
    (void)state;
    float d[FMT_DESC_DIM], back[FMT_DESC_DIM];
    for (int i = 0; i < FMT_DESC_DIM; i++) d[i] = (float)sin(i * 0.37) * 0.2f;
    d[0] = 1.0f;
    unsigned char blob[FMT_DESC_BYTES];
    fmt_desc_to_blob(d, blob);
    /* 1.0f is 0x3f800000, stored little-endian */
    assert_int_equal(blob[0], 0x00);
    assert_int_equal(blob[1], 0x00);
    assert_int_equal(blob[2], 0x80);
    assert_int_equal(blob[3], 0x3f);
    assert_int_equal(fmt_desc_from_blob(blob, sizeof blob, back), GR_OK);
    assert_memory_equal(back, d, sizeof d);
    assert_int_equal(fmt_desc_from_blob(blob, sizeof blob - 1, back), GR_ERR_FORMAT);
    assert_int_equal(fmt_desc_from_blob(NULL, 0, back), GR_ERR_FORMAT);
}

/* The blob keeps every float's bits, whatever the value. */
static void special_values_keep_their_bits(void **state) {
    (void)state;
    float d[FMT_DESC_DIM] = {0}, back[FMT_DESC_DIM];
    d[1] = -0.0f;
    d[2] = INFINITY;
    d[3] = NAN;
    d[4] = 1e-40f; /* subnormal */
    unsigned char blob[FMT_DESC_BYTES];
    fmt_desc_to_blob(d, blob);
    assert_int_equal(blob[7], 0x80); /* the sign of -0 */
    assert_int_equal(fmt_desc_from_blob(blob, sizeof blob, back), GR_OK);
    assert_memory_equal(back, d, sizeof d);
    assert_true(isnan(back[3]) && isinf(back[2]) && signbit(back[1]));
}

static void text_round_trip(void **state) {
    (void)state;
    unsigned char raw[3 * FMT_DESC_BYTES];
    for (size_t i = 0; i < sizeof raw; i++) raw[i] = (unsigned char)(i * 7);
    for (size_t n = 1; n <= 3; n++) {
        char *text = fmt_desc_text_encode(raw, n);
        assert_non_null(text);
        assert_memory_equal(text, "gf1:", 4);
        assert_int_equal(strlen(text), 4 + 4 * ((n * FMT_DESC_BYTES + 2) / 3));
        unsigned char *out = NULL;
        size_t got = 0;
        assert_int_equal(fmt_desc_text_decode(text, 3, &out, &got), GR_OK);
        assert_int_equal(got, n);
        assert_memory_equal(out, raw, n * FMT_DESC_BYTES);
        free(out);
        /* more blobs than allowed */
        if (n > 1) assert_int_equal(fmt_desc_text_decode(text, n - 1, &out, &got), GR_ERR_FORMAT);
        free(text);
    }
    /* the standard alphabet with padding: 512 bytes (2 in the last group) end in one "=" */
    char *one = fmt_desc_text_encode(raw, 1);
    assert_non_null(one);
    assert_int_equal(one[strlen(one) - 1], '=');
    assert_int_not_equal(one[strlen(one) - 2], '=');
    assert_memory_equal(one + 4, "AAcOFRwj", 8);
    free(one);
}

static void text_malformed(void **state) {
    (void)state;
    unsigned char *out = NULL;
    size_t n = 99;
    assert_int_equal(fmt_desc_text_decode("", 8, &out, &n), GR_OK);
    assert_int_equal(n, 0);
    assert_null(out);
    assert_int_equal(fmt_desc_text_decode(NULL, 8, &out, &n), GR_OK);
    assert_int_equal(n, 0);
    assert_int_equal(fmt_desc_text_decode("gf1:AAAA", 8, &out, &n), GR_ERR_FORMAT); /* 3 bytes */
    assert_int_equal(fmt_desc_text_decode("gf2:AAAA", 8, &out, &n), GR_ERR_FORMAT);
    assert_int_equal(fmt_desc_text_decode("gf1:A=AA", 8, &out, &n), GR_ERR_FORMAT);
    assert_int_equal(fmt_desc_text_decode("gf1:", 8, &out, &n), GR_ERR_FORMAT);
    assert_int_equal(fmt_desc_text_decode("gf1:AAA", 8, &out, &n), GR_ERR_FORMAT);
    unsigned char raw[FMT_DESC_BYTES] = {0};
    char *text = fmt_desc_text_encode(raw, 1);
    assert_non_null(text);
    text[10] = '!';
    assert_int_equal(fmt_desc_text_decode(text, 8, &out, &n), GR_ERR_FORMAT);
    text[10] = 'A';
    text[strlen(text) - 1] = 'A'; /* padding replaced: not base64 of whole bytes */
    assert_int_equal(fmt_desc_text_decode(text, 8, &out, &n), GR_ERR_FORMAT);
    free(text);
    assert_null(out);
}

static const struct CMUnitTest descriptor_tests[] = {
    cmocka_unit_test(blob_round_trip),
    cmocka_unit_test(special_values_keep_their_bits),
    cmocka_unit_test(text_round_trip),
    cmocka_unit_test(text_malformed),
};

int main(void) { return cmocka_run_group_tests_name("descriptor", descriptor_tests, NULL, NULL); }
