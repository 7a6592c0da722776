/* descriptor.c - face descriptor blobs and their "gf1:" text (see descriptor.h). */
#include "firmware/formats/descriptor.h"

#include "firmware/core/err.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX_LEN (sizeof FMT_DESC_TEXT_PREFIX - 1)

void fmt_desc_to_blob(const float *desc, unsigned char *blob) {
    for (int i = 0; i < FMT_DESC_DIM; i++) {
        uint32_t u;
        memcpy(&u, &desc[i], 4);
        blob[4 * i] = (unsigned char)u;
        blob[4 * i + 1] = (unsigned char)(u >> 8);
        blob[4 * i + 2] = (unsigned char)(u >> 16);
        blob[4 * i + 3] = (unsigned char)(u >> 24);
    }
}

int fmt_desc_from_blob(const void *blob, size_t len, float *desc) {
    if (!blob || len != FMT_DESC_BYTES) return GR_ERR_FORMAT;
    const unsigned char *b = blob;
    for (int i = 0; i < FMT_DESC_DIM; i++) {
        uint32_t u = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 | (uint32_t)b[4 * i + 2] << 16 |
                     (uint32_t)b[4 * i + 3] << 24;
        memcpy(&desc[i], &u, 4);
    }
    return GR_OK;
}

char *fmt_desc_text_encode(const unsigned char *blobs, size_t n) {
    size_t bytes = n * FMT_DESC_BYTES;
    size_t b64 = sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_ORIGINAL); /* with its NUL */
    char *text = malloc(PREFIX_LEN + b64);
    if (!text) return NULL;
    memcpy(text, FMT_DESC_TEXT_PREFIX, PREFIX_LEN);
    sodium_bin2base64(text + PREFIX_LEN, b64, blobs, bytes, sodium_base64_VARIANT_ORIGINAL);
    return text;
}

int fmt_desc_text_decode(const char *text, size_t max, unsigned char **out, size_t *n) {
    *out = NULL;
    *n = 0;
    if (!text || !*text) return GR_OK;
    if (strncmp(text, FMT_DESC_TEXT_PREFIX, PREFIX_LEN) != 0) return GR_ERR_FORMAT;
    const char *p = text + PREFIX_LEN;
    size_t len = strlen(p);
    /* Room for max blobs and the last group's padding: longer text is refused unread. */
    size_t cap = max * FMT_DESC_BYTES;
    if (len == 0 || len % 4 != 0 || len / 4 * 3 > cap + 2) return GR_ERR_FORMAT;
    unsigned char *buf = malloc(len / 4 * 3);
    if (!buf) return GR_ERR_NOMEM;
    size_t got = 0;
    if (sodium_base642bin(buf, len / 4 * 3, p, len, NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        got == 0 || got % FMT_DESC_BYTES != 0 || got > cap) {
        free(buf);
        return GR_ERR_FORMAT;
    }
    *out = buf;
    *n = got / FMT_DESC_BYTES;
    return GR_OK;
}
