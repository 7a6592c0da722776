/* imghdr.c - JPEG SOF / PNG IHDR dimension probe (see imghdr.h). */
#include "ocr/imghdr.h"

#include "firmware/core/err.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int fail(char *err, size_t errlen, const char *msg) {
    if (err && errlen) snprintf(err, errlen, "%s", msg);
    return GR_ERR_FORMAT;
}

static int probe_png(const uint8_t *p, size_t len, int *w, int *h, char *err, size_t errlen) {
    /* signature, then the IHDR chunk: length(4) "IHDR" width(4) height(4) */
    if (len < 33 || memcmp(p + 12, "IHDR", 4) != 0) return fail(err, errlen, "truncated or malformed PNG header");
    uint32_t W = (uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 | (uint32_t)p[18] << 8 | p[19];
    uint32_t H = (uint32_t)p[20] << 24 | (uint32_t)p[21] << 16 | (uint32_t)p[22] << 8 | p[23];
    if (W == 0 || H == 0 || W > 0x7fffffff || H > 0x7fffffff) return fail(err, errlen, "PNG with invalid dimensions");
    *w = (int)W;
    *h = (int)H;
    return GR_OK;
}

static int probe_jpeg(const uint8_t *p, size_t len, int *w, int *h, int *arith, char *err, size_t errlen) {
    size_t i = 2;
    for (;;) {
        while (i < len && p[i] != 0xFF) i++; /* tolerate junk between segments */
        while (i < len && p[i] == 0xFF) i++; /* fill bytes */
        if (i >= len) return fail(err, errlen, "truncated JPEG: no frame header");
        uint8_t m = p[i++];
        if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) continue; /* no length */
        if (m == 0xD9 || m == 0xDA) return fail(err, errlen, "malformed JPEG: image data before the frame header");
        if (i + 2 > len) return fail(err, errlen, "truncated JPEG header");
        size_t seglen = (size_t)p[i] << 8 | p[i + 1];
        if (seglen < 2) return fail(err, errlen, "malformed JPEG segment");
        int sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
        if (sof) {
            if (seglen < 7 || i + 7 > len) return fail(err, errlen, "truncated JPEG frame header");
            *h = p[i + 3] << 8 | p[i + 4];
            *w = p[i + 5] << 8 | p[i + 6];
            if (*w == 0 || *h == 0) return fail(err, errlen, "JPEG with invalid dimensions");
            *arith = m >= 0xC9; /* SOF9..SOF15 (C4, C8, CC excluded above) */
            return GR_OK;
        }
        i += seglen;
    }
}

int ocr_imghdr_probe(const void *buf, size_t len, ocr_img_type_t *type, int *width, int *height, char *err,
                     size_t errlen) {
    const uint8_t *p = buf;
    *type = OCR_IMG_UNKNOWN;
    *width = *height = 0;
    if (!buf || len < 8) return fail(err, errlen, "not an image (too short)");
    if (p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
        int arith = 0;
        int rc = probe_jpeg(p, len, width, height, &arith, err, errlen);
        if (rc != GR_OK) return rc;
        /* Huffman codes are at least a bit long and every 8x8 block of the
         * fullest component has a DC code, so a complete JPEG holds at least
         * w*h/512 bytes. Far fewer is a small file claiming a big picture
         * (the decoder would fill it out, at the claimed size). */
        unsigned long long min_bytes = (unsigned long long)*width * (unsigned long long)*height / 1024;
        if (!arith && (unsigned long long)len < min_bytes) {
            if (err && errlen)
                snprintf(err, errlen, "truncated JPEG: %zu bytes cannot hold %dx%d pixels", len, *width, *height);
            return GR_ERR_FORMAT;
        }
        /* A complete JPEG ends with EOI (FF D9), possibly followed by a little padding. */
        size_t tail = len > 4096 ? len - 4096 : 0;
        int eoi = 0;
        for (size_t i = len - 1; i > tail; i--)
            if (p[i - 1] == 0xFF && p[i] == 0xD9) {
                eoi = 1;
                break;
            }
        if (!eoi) return fail(err, errlen, "truncated JPEG: the file ends before the end-of-image marker");
        *type = OCR_IMG_JPEG;
        return GR_OK;
    }
    if (!memcmp(p, "\x89PNG\r\n\x1a\n", 8)) {
        int rc = probe_png(p, len, width, height, err, errlen);
        if (rc == GR_OK) *type = OCR_IMG_PNG;
        return rc;
    }
    return fail(err, errlen, "not a JPEG or PNG image");
}
