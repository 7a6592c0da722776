/* qrscan.c - QR code decoding with zbar (see qr.h). */
#include "ocr/qr.h"

#include "firmware/core/err.h"

#include <stdlib.h>
#include <string.h>
#include <zbar.h>

int ocr_qr_decode(const unsigned char *pixels, int width, int height, char **text) {
    *text = NULL;
    if (!pixels || width <= 0 || height <= 0) return GR_ERR_EMPTY;
    int rc = GR_ERR_NOMEM;
    zbar_image_scanner_t *sc = zbar_image_scanner_create();
    zbar_image_t *img = zbar_image_create();
    if (!sc || !img) goto out;
    zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    /* raw bytes: zbar's charset guessing turns UTF-8 into Shift-JIS */
    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
    zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(img, (unsigned)width, (unsigned)height);
    zbar_image_set_data(img, pixels, (unsigned long)width * (unsigned long)height, NULL);
    rc = GR_ERR_EMPTY;
    if (zbar_scan_image(sc, img) > 0) {
        for (const zbar_symbol_t *s = zbar_image_first_symbol(img); s; s = zbar_symbol_next(s)) {
            if (zbar_symbol_get_type(s) != ZBAR_QRCODE) continue;
            unsigned n = zbar_symbol_get_data_length(s);
            const char *d = zbar_symbol_get_data(s);
            if (!d || !n) continue;
            *text = malloc((size_t)n + 1);
            if (!*text) {
                rc = GR_ERR_NOMEM;
                break;
            }
            memcpy(*text, d, n);
            (*text)[n] = '\0';
            rc = GR_OK;
            break;
        }
    }
out:
    if (img) zbar_image_destroy(img);
    if (sc) zbar_image_scanner_destroy(sc);
    return rc;
}
