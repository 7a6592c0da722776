/* imghdr.h - image type and dimensions from the first bytes of a file,
 * read before any decoder touches it (so a 100-megapixel photo is refused
 * without allocating for it). Pure C, no allocation. */
#ifndef OCR_IMGHDR_H
#define OCR_IMGHDR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { OCR_IMG_UNKNOWN = 0, OCR_IMG_JPEG, OCR_IMG_PNG } ocr_img_type_t;

/* Fills *type, *width, *height. Returns GR_OK, or GR_ERR_FORMAT with a
 * message in err when the bytes are not a JPEG or PNG whose header can be
 * read (not an image, truncated header, zero size, truncated JPEG data, a
 * Huffman-coded JPEG too small to hold the pixels its header claims). */
int ocr_imghdr_probe(const void *buf, size_t len, ocr_img_type_t *type, int *width, int *height, char *err,
                     size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
