/* image.h - 8-bit BGR frames: decoding (JPEG via libjpeg-turbo with DCT
 * scaling, PNG via OpenCV), JPEG encoding, gray conversion and downscaling.
 * Every decoder checks the size in the header before allocating, so a file
 * claiming 20000x20000 pixels is refused, not decoded.
 */
#ifndef VIS_IMAGE_H
#define VIS_IMAGE_H

#include <stddef.h>

typedef struct {
    unsigned char *data;   /* BGR rows, 3 bytes per pixel; owned: vis_image_free */
    int w, h, stride;      /* stride in bytes */
} vis_image_t;

#define VIS_IMAGE_MAX_PIXELS_DEFAULT (32L * 1000 * 1000) /* vision.max_megapixels' default */

/* Allocate w x h (contents undefined). GR_ERR_INVAL/GR_ERR_TOOBIG/GR_ERR_NOMEM. */
int vis_image_alloc(vis_image_t *img, int w, int h);
void vis_image_free(vis_image_t *img);

/* Decode JPEG or PNG bytes into out (owned by the caller: vis_image_free).
 * scale_denom 1, 2, 4 or 8 decodes a JPEG at 1/scale_denom size (DCT
 * scaling; other formats ignore it). strict: refuse a JPEG with warnings
 * (truncated or corrupt data) instead of returning the partial picture.
 * Errors: GR_ERR_FORMAT (not JPEG/PNG, corrupt), GR_ERR_TOOBIG (more than
 * max_pixels), GR_ERR_NOMEM; a message goes into err. */
int vis_image_decode(const void *buf, size_t len, long max_pixels, int scale_denom, int strict, vis_image_t *out,
                     char *err, size_t errlen);

/* Decode a camera's MJPEG frame into *frame, reusing its buffer when the
 * size is unchanged (no allocation per frame); lenient about damaged data. */
int vis_image_decode_jpeg_into(const void *buf, size_t len, long max_pixels, int scale_denom, vis_image_t *frame,
                               char *err, size_t errlen);

/* Read and decode a file (at most 64 MB). Also GR_ERR_NOTFOUND/GR_ERR_IO. */
int vis_image_load(const char *path, long max_pixels, vis_image_t *out, char *err, size_t errlen);

/* JPEG-encode img; on GR_OK *out (malloc'd, caller frees with free()) holds *len bytes. */
int vis_image_encode_jpeg(const vis_image_t *img, int quality, unsigned char **out, size_t *len);

/* Gray of the region (x, y, w, h) of img, downscaled by factor (1, 2, 3 or 4;
 * area average) into dst (caller's, (w/factor)*(h/factor) bytes, stride w/factor). */
void vis_image_gray_region(const vis_image_t *img, int x, int y, int w, int h, int factor, unsigned char *dst);

/* Gray of the region (x, y, w, h) of img resized to ow x oh (area/linear
 * interpolation) into dst (caller's, ow*oh bytes). GR_OK or GR_ERR_INVAL. */
int vis_image_gray_resize(const vis_image_t *img, int x, int y, int w, int h, int ow, int oh, unsigned char *dst);

/* The rectangle (x0, y0)-(x1, y1) cut to img's bounds as r = {x, y, w, h}
 * (w or h <= 0 when nothing is left). */
void vis_image_clip(const vis_image_t *img, double x0, double y0, double x1, double y1, int r[4]);

/* Draw a rectangle outline (for the web stream). */
void vis_image_rect(vis_image_t *img, int x, int y, int w, int h, unsigned char b, unsigned char g, unsigned char r);

/* Decode via OpenCV (image_cv.cpp); used for PNG. */
int vis_image_decode_cv(const void *buf, size_t len, vis_image_t *out);

#endif
