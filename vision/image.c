/* image.c - frame buffers, JPEG/PNG decoding with header checks, JPEG encoding. */
#define GR_LOG_MODULE "vision"
#include "vision/image.h"

#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <turbojpeg.h>

int vis_image_alloc(vis_image_t *img, int w, int h) {
    img->data = NULL;
    img->w = img->h = img->stride = 0;
    if (w <= 0 || h <= 0) return GR_ERR_INVAL;
    if ((long long)w * h > 400LL * 1000 * 1000) return GR_ERR_TOOBIG;
    img->data = malloc((size_t)w * (size_t)h * 3);
    if (!img->data) return GR_ERR_NOMEM;
    img->w = w;
    img->h = h;
    img->stride = w * 3;
    return GR_OK;
}

void vis_image_free(vis_image_t *img) {
    if (!img) return;
    free(img->data);
    img->data = NULL;
    img->w = img->h = img->stride = 0;
}

/* reuse: out may hold a buffer from an earlier frame, kept when the size fits */
static int decode_jpeg(const unsigned char *buf, size_t len, long max_pixels, int denom, int strict, int reuse,
                       vis_image_t *out, char *err, size_t errlen) {
    int rc = GR_OK;
    tjhandle tj = tjInitDecompress();
    if (!tj) {
        snprintf(err, errlen, "libjpeg-turbo init failed");
        return GR_ERR_NOMEM;
    }
    int w = 0, h = 0, sub = 0, cs = 0;
    if (tjDecompressHeader3(tj, buf, (unsigned long)len, &w, &h, &sub, &cs) != 0) {
        snprintf(err, errlen, "corrupt JPEG header: %s", tjGetErrorStr2(tj));
        rc = GR_ERR_FORMAT;
        goto out;
    }
    if (w <= 0 || h <= 0) {
        snprintf(err, errlen, "corrupt JPEG header (size %dx%d)", w, h);
        rc = GR_ERR_FORMAT;
        goto out;
    }
    if ((long long)w * h > max_pixels) {
        snprintf(err, errlen, "JPEG of %dx%d pixels exceeds the limit of %ld pixels", w, h, max_pixels);
        rc = GR_ERR_TOOBIG;
        goto out;
    }
    /* Every 8x8 block has a DC code of a bit or more: a real JPEG holds at
     * least w*h/512 bytes. Far fewer is a small file claiming a big picture,
     * which libjpeg-turbo would fill out at the claimed size. */
    if ((unsigned long long)len < (unsigned long long)w * (unsigned long long)h / 1024) {
        snprintf(err, errlen, "truncated JPEG: %zu bytes cannot hold %dx%d pixels", len, w, h);
        rc = GR_ERR_FORMAT;
        goto out;
    }
    if (denom != 1 && denom != 2 && denom != 4 && denom != 8) denom = 1;
    int sw = (w + denom - 1) / denom, sh = (h + denom - 1) / denom;
    if (!reuse || !out->data || out->w != sw || out->h != sh) {
        if (reuse) vis_image_free(out);
        rc = vis_image_alloc(out, sw, sh);
        if (rc != GR_OK) {
            snprintf(err, errlen, "no memory for a %dx%d image", sw, sh);
            goto out;
        }
    }
    if (tjDecompress2(tj, buf, (unsigned long)len, out->data, sw, out->stride, sh, TJPF_BGR,
                      TJFLAG_FASTDCT | (strict ? TJFLAG_STOPONWARNING : 0)) != 0) {
        int fatal = tjGetErrorCode(tj) == TJERR_FATAL;
        if (fatal || strict) {
            snprintf(err, errlen, "corrupt JPEG data: %s", tjGetErrorStr2(tj));
            vis_image_free(out);
            rc = GR_ERR_FORMAT;
        }
    }
out:
    tjDestroy(tj);
    return rc;
}

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int vis_image_decode(const void *buf, size_t len, long max_pixels, int scale_denom, int strict, vis_image_t *out,
                     char *err, size_t errlen) {
    const unsigned char *b = buf;
    out->data = NULL;
    out->w = out->h = out->stride = 0;
    if (!buf || len == 0) {
        snprintf(err, errlen, "empty input (0 bytes)");
        return GR_ERR_FORMAT;
    }
    if (max_pixels <= 0) max_pixels = VIS_IMAGE_MAX_PIXELS_DEFAULT;
    if (len >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        return decode_jpeg(b, len, max_pixels, scale_denom, strict, 0, out, err, errlen);
    static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (len >= 8 && memcmp(b, png_sig, 8) == 0) {
        if (len < 33 || memcmp(b + 12, "IHDR", 4) != 0) {
            snprintf(err, errlen, "corrupt PNG: no IHDR header");
            return GR_ERR_FORMAT;
        }
        uint32_t w = be32(b + 16), h = be32(b + 20);
        if (w == 0 || h == 0 || w > 0x7FFFFFFF || h > 0x7FFFFFFF) {
            snprintf(err, errlen, "corrupt PNG: size %ux%u", w, h);
            return GR_ERR_FORMAT;
        }
        if ((unsigned long long)w * h > (unsigned long long)max_pixels) {
            snprintf(err, errlen, "PNG of %ux%u pixels exceeds the limit of %ld pixels", w, h, max_pixels);
            return GR_ERR_TOOBIG;
        }
        int rc = vis_image_decode_cv(b, len, out);
        if (rc != GR_OK) {
            snprintf(err, errlen, "corrupt PNG data");
            return rc == GR_ERR_NOMEM ? rc : GR_ERR_FORMAT;
        }
        if (out->w != (int)w || out->h != (int)h) {
            snprintf(err, errlen, "PNG decoded to %dx%d, header says %ux%u", out->w, out->h, w, h);
            vis_image_free(out);
            return GR_ERR_FORMAT;
        }
        return GR_OK;
    }
    snprintf(err, errlen, "not a JPEG or PNG image");
    return GR_ERR_FORMAT;
}

int vis_image_decode_jpeg_into(const void *buf, size_t len, long max_pixels, int scale_denom, vis_image_t *frame,
                               char *err, size_t errlen) {
    const unsigned char *b = buf;
    if (!buf || len < 3 || b[0] != 0xFF || b[1] != 0xD8) {
        snprintf(err, errlen, "camera frame is not a JPEG");
        return GR_ERR_FORMAT;
    }
    if (max_pixels <= 0) max_pixels = VIS_IMAGE_MAX_PIXELS_DEFAULT;
    return decode_jpeg(b, len, max_pixels, scale_denom, 0, 1, frame, err, errlen);
}

int vis_image_load(const char *path, long max_pixels, vis_image_t *out, char *err, size_t errlen) {
    out->data = NULL;
    out->w = out->h = out->stride = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        snprintf(err, errlen, "%s: %s", path, strerror(e));
        return e == ENOENT ? GR_ERR_NOTFOUND : GR_ERR_IO;
    }
    int rc = GR_OK;
    unsigned char *buf = NULL;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        rc = GR_ERR_IO;
        goto out;
    }
    if (st.st_size > 64L * 1024 * 1024) {
        snprintf(err, errlen, "%s: larger than 64 MB", path);
        rc = GR_ERR_TOOBIG;
        goto out;
    }
    size_t len = (size_t)st.st_size;
    buf = malloc(len ? len : 1);
    if (!buf) {
        rc = GR_ERR_NOMEM;
        goto out;
    }
    if (len && fread(buf, 1, len, f) != len) {
        snprintf(err, errlen, "%s: read failed", path);
        rc = GR_ERR_IO;
        goto out;
    }
    char inner[200];
    rc = vis_image_decode(buf, len, max_pixels, 1, 1, out, inner, sizeof inner);
    if (rc != GR_OK) snprintf(err, errlen, "%s: %s", path, inner);
out:
    free(buf);
    fclose(f);
    return rc;
}

int vis_image_encode_jpeg(const vis_image_t *img, int quality, unsigned char **out, size_t *len) {
    *out = NULL;
    *len = 0;
    if (!img || !img->data) return GR_ERR_INVAL;
    tjhandle tj = tjInitCompress();
    if (!tj) return GR_ERR_NOMEM;
    unsigned char *jbuf = NULL;
    unsigned long jlen = 0;
    int rc = GR_OK;
    if (tjCompress2(tj, img->data, img->w, img->stride, img->h, TJPF_BGR, &jbuf, &jlen, TJSAMP_420, quality,
                    TJFLAG_FASTDCT) != 0) {
        LOG_W("JPEG encoding failed: %s", tjGetErrorStr2(tj));
        rc = GR_ERR_FORMAT;
        goto out;
    }
    *out = malloc(jlen);
    if (!*out) {
        rc = GR_ERR_NOMEM;
        goto out;
    }
    memcpy(*out, jbuf, jlen);
    *len = jlen;
out:
    tjFree(jbuf);
    tjDestroy(tj);
    return rc;
}

void vis_image_gray_region(const vis_image_t *img, int x, int y, int w, int h, int f, unsigned char *dst) {
    if (f < 1) f = 1;
    int ow = w / f, oh = h / f;
    int div = f * f;
    for (int oy = 0; oy < oh; oy++) {
        unsigned char *d = dst + (size_t)oy * (size_t)ow;
        for (int ox = 0; ox < ow; ox++) {
            unsigned sum = 0;
            for (int dy = 0; dy < f; dy++) {
                const unsigned char *p =
                    img->data + (size_t)(y + oy * f + dy) * (size_t)img->stride + (size_t)(x + ox * f) * 3;
                for (int dx = 0; dx < f; dx++, p += 3) sum += (unsigned)(p[0] * 29 + p[1] * 150 + p[2] * 77);
            }
            d[ox] = (unsigned char)(sum / (unsigned)div >> 8);
        }
    }
}

void vis_image_rect(vis_image_t *img, int x, int y, int w, int h, unsigned char b, unsigned char g, unsigned char r) {
    for (int t = 0; t < 2; t++) {
        int x0 = x - t, y0 = y - t, x1 = x + w + t, y1 = y + h + t;
        for (int i = x0; i <= x1; i++) {
            int ys[2] = {y0, y1};
            for (int k = 0; k < 2; k++)
                if (i >= 0 && i < img->w && ys[k] >= 0 && ys[k] < img->h) {
                    unsigned char *p = img->data + (size_t)ys[k] * (size_t)img->stride + (size_t)i * 3;
                    p[0] = b, p[1] = g, p[2] = r;
                }
        }
        for (int j = y0; j <= y1; j++) {
            int xs[2] = {x0, x1};
            for (int k = 0; k < 2; k++)
                if (j >= 0 && j < img->h && xs[k] >= 0 && xs[k] < img->w) {
                    unsigned char *p = img->data + (size_t)j * (size_t)img->stride + (size_t)xs[k] * 3;
                    p[0] = b, p[1] = g, p[2] = r;
                }
        }
    }
}

void vis_image_clip(const vis_image_t *img, double x0, double y0, double x1, double y1, int r[4]) {
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 > img->w) x1 = img->w;
    if (y1 > img->h) y1 = img->h;
    r[0] = (int)x0;
    r[1] = (int)y0;
    r[2] = (int)x1 - r[0];
    r[3] = (int)y1 - r[1];
}
