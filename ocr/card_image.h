/* card_image.h - the image half of the card reader: decode a photo, find
 * the cards in it, flatten each to a straight rectangle, clean it up for
 * Tesseract, and read QR codes. OpenCV stays inside card_image.cpp; this
 * header has no C++ types. Thread-safe (no shared state). */
#ifndef OCR_CARD_IMAGE_H
#define OCR_CARD_IMAGE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An 8-bit grey image; pixels are owned by whoever holds the struct and
 * released with ocr_gray_free. */
typedef struct {
    unsigned char *pixels; /* row-major, stride == width */
    int width, height;
} ocr_gray_t;

typedef struct {
    ocr_gray_t gray;   /* flattened card, illumination-corrected, dark text on light */
    ocr_gray_t plain;  /* the same card at the same scale and frame, only made grey (no
                        * shading correction, no sharpening): big logo print that the
                        * correction breaks apart (metallic, gradient) reads from it */
    ocr_gray_t colour[3]; /* its blue, green and red channels, each at plain's scale and
                           * frame: print that only its colour parts from its ground
                           * (black letters outlined in white on a dark blue band)
                           * reads from one of them */
    double scale;      /* factor applied to reach the target text height */
    int inverted;      /* 1 when the card was light text on a dark ground */
    int sharpened;     /* 1 when its print was blurred and got an unsharp mask */
    int located;       /* 1 when a card outline was found, 0 = whole photo used */
    double slant;      /* degrees the warped card was turned to level its text
                        * (counter-clockwise; 0 = not turned) */
    char *qr;          /* text of a QR code on the card (malloc'd) or NULL */
} ocr_card_img_t;

typedef struct {
    int max_cards;        /* at most this many cards per photo (>= 1) */
    double max_megapixels;/* refuse larger images before decoding */
    int target_text_px;   /* wanted median character height in the output */
    int want_qr;          /* look for QR codes */
    int whole;            /* 1: no outline looked for, the photo is one card
                           * (located = 0; the reader's second try) */
} ocr_image_opts_t;

/* Decode one JPEG/PNG and prepare every card in it. On GR_OK *cards is a
 * malloc'd array of *ncards (>= 1) entries owned by the caller
 * (ocr_card_imgs_free). Errors: GR_ERR_FORMAT (not an image, corrupt,
 * truncated), GR_ERR_TOOBIG (over max_megapixels), GR_ERR_NOMEM; err gets a
 * message. When no card outline is found the whole photo is used as one
 * card with located = 0, as with opts->whole. */
int ocr_image_prepare(const void *buf, size_t len, const ocr_image_opts_t *opts, ocr_card_img_t **cards, int *ncards,
                      char *err, size_t errlen);

/* Below this edge sharpness a card's print counts as blurred (out of
 * focus, shaken) and is sharpened before reading. */
#define OCR_BLURRED_EDGES 0.06

/* How sharp the edges of the print in g are: the mean |Laplacian| over the
 * mean gradient on strong edges, about one over an edge's width in pixels
 * (1 when g has too few edges to tell). */
double ocr_gray_edge_sharpness(const ocr_gray_t *g);

/* Rotate in place by quarter turns clockwise (1 = 90, 2 = 180, 3 = 270).
 * Returns GR_OK or GR_ERR_NOMEM. */
int ocr_gray_rotate(ocr_gray_t *g, int quarter_turns);

/* A copy of g scaled by s (0 < s <= 4) into *out (owned by the caller:
 * ocr_gray_free). GR_OK, GR_ERR_INVAL, GR_ERR_NOMEM. */
int ocr_gray_scaled(const ocr_gray_t *g, double s, ocr_gray_t *out);

/* A copy of the box (x, y, w, h) of g grown by margin pixels (clipped to
 * g), scaled by s (0 < s <= 4), sharpened by an unsharp mask (box blur of
 * half-width sharpen_hw * s, amount added back; sharpen_hw 0 = none) and
 * framed by a white border of `border` pixels, into *out (owned by the
 * caller: ocr_gray_free). Used to re-read one text line under several
 * conditions. GR_OK, GR_ERR_INVAL (empty box), GR_ERR_NOMEM. */
int ocr_gray_line_crop(const ocr_gray_t *g, int x, int y, int w, int h, int margin, double s, int sharpen_hw,
                       double amount, int border, ocr_gray_t *out);

/* Like ocr_gray_line_crop (no sharpening) but cut in two by Otsu's
 * threshold of the box, its ground (the side most of the box's rim is on)
 * white and the print black: print shaded from light to dark, as in
 * metallic or gradient logos, becomes solid. GR_OK, GR_ERR_INVAL (empty
 * box), GR_ERR_NOMEM. */
int ocr_gray_line_crop_binary(const ocr_gray_t *g, int x, int y, int w, int h, int margin, double s, int border,
                              ocr_gray_t *out);

/* Like ocr_gray_line_crop_binary but the box's light and contrast first
 * evened out: each pixel's distance from the mean of its neighbourhood (a
 * Gaussian of a quarter of the box's height) in the neighbourhood's
 * standard deviations, then cut in two by Otsu's threshold, the ground
 * white. Print a glossy highlight runs across (outlined white letters on
 * a band that turns from dark blue to light grey under the glare) comes
 * out whole. GR_OK, GR_ERR_INVAL (empty box), GR_ERR_NOMEM. */
int ocr_gray_line_crop_flat(const ocr_gray_t *g, int x, int y, int w, int h, int margin, double s, int border,
                            ocr_gray_t *out);

/* Like ocr_gray_line_crop_binary but cut at one of the two thresholds
 * that part the box's values into three classes (Otsu's rule for three):
 * level 0 the darkest class against the rest, 1 the lightest against the
 * rest; the ground white, the print black. Print set off from its ground
 * by a rim of a third shade (black letters outlined in white on a dark
 * band) comes out solid at one of the two. GR_OK, GR_ERR_INVAL (empty box),
 * GR_ERR_NOMEM. */
int ocr_gray_line_crop_levels(const ocr_gray_t *g, int x, int y, int w, int h, int margin, double s, int level,
                              int border, ocr_gray_t *out);

/* Like ocr_gray_line_crop_binary but cut in two by a local threshold
 * (Gaussian mean of a window as tall as the crop, less 15): print over
 * grounds that change along the line (white letters running from a black
 * panel onto a photo) comes out whole. The print is made black by the
 * same box of ref (the clean card, dark print on light, the size of g):
 * the crop is inverted when it runs against ref's. GR_OK, GR_ERR_INVAL
 * (empty box, ref of another size), GR_ERR_NOMEM. */
int ocr_gray_line_crop_local(const ocr_gray_t *g, const ocr_gray_t *ref, int x, int y, int w, int h, int margin,
                             double s, int border, ocr_gray_t *out);

/* Rows of text-like marks in g (dark on light): character-sized connected
 * components merged along the row. On GR_OK *boxes is a malloc'd array of
 * 4 * *n ints (x, y, w, h), owned by the caller (free). Used to find lines
 * the page reading missed. GR_OK, GR_ERR_INVAL, GR_ERR_NOMEM. */
int ocr_gray_text_rows(const ocr_gray_t *g, int **boxes, int *n);

/* Write a grey image as PNG (debugging: OCR_DEBUG_DIR). */
int ocr_gray_write_png(const ocr_gray_t *g, const char *path);

void ocr_gray_free(ocr_gray_t *g);
void ocr_card_imgs_free(ocr_card_img_t *cards, int n);

#ifdef __cplusplus
}
#endif

#endif
