/* source_v4l2.c - V4L2 capture with mmap buffers: MJPEG (libjpeg-turbo) or YUYV. */
#define GR_LOG_MODULE "vision"
#include "vision/source.h"

#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define NBUF 4

struct vis_v4l2 {
    int fd;
    unsigned fourcc;
    int w, h;
    void *mem[NBUF];
    size_t len[NBUF];
    unsigned nbuf;
    int streaming;
    int denom;        /* MJPEG DCT scaling: decode at 1/denom of the camera's size */
};

static int xioctl(int fd, unsigned long req, void *arg) {
    int r;
    do r = ioctl(fd, req, arg);
    while (r == -1 && errno == EINTR);
    return r;
}

static int set_format(vis_v4l2_t *v, unsigned fourcc, int w, int h) {
    struct v4l2_format f;
    memset(&f, 0, sizeof f);
    f.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    f.fmt.pix.width = (unsigned)w;
    f.fmt.pix.height = (unsigned)h;
    f.fmt.pix.pixelformat = fourcc;
    f.fmt.pix.field = V4L2_FIELD_ANY;
    if (xioctl(v->fd, VIDIOC_S_FMT, &f) != 0 || f.fmt.pix.pixelformat != fourcc) return -1;
    v->fourcc = fourcc;
    v->w = (int)f.fmt.pix.width;
    v->h = (int)f.fmt.pix.height;
    return 0;
}

int vis_v4l2_open(const char *dev, int width, int height, int fps, vis_v4l2_t **out, char *err, size_t errlen) {
    *out = NULL;
    vis_v4l2_t *v = calloc(1, sizeof *v);
    if (!v) return GR_ERR_NOMEM;
    int rc = GR_ERR_IO;
    v->fd = open(dev, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (v->fd < 0) {
        snprintf(err, errlen, "%s: %s", dev, strerror(errno));
        rc = errno == ENOENT ? GR_ERR_NOTFOUND : GR_ERR_IO;
        goto fail;
    }
    struct v4l2_capability cap;
    memset(&cap, 0, sizeof cap);
    if (xioctl(v->fd, VIDIOC_QUERYCAP, &cap) != 0) {
        snprintf(err, errlen, "%s: not a V4L2 device", dev);
        rc = GR_ERR_UNSUPPORTED;
        goto fail;
    }
    unsigned caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
    if (!(caps & V4L2_CAP_VIDEO_CAPTURE) || !(caps & V4L2_CAP_STREAMING)) {
        snprintf(err, errlen, "%s: not a streaming capture device", dev);
        rc = GR_ERR_UNSUPPORTED;
        goto fail;
    }
    if (set_format(v, V4L2_PIX_FMT_MJPEG, width, height) != 0 && set_format(v, V4L2_PIX_FMT_YUYV, width, height) != 0) {
        snprintf(err, errlen, "%s: offers neither MJPEG nor YUYV", dev);
        rc = GR_ERR_UNSUPPORTED;
        goto fail;
    }
    struct v4l2_streamparm parm;
    memset(&parm, 0, sizeof parm);
    parm.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    parm.parm.capture.timeperframe.numerator = 1;
    parm.parm.capture.timeperframe.denominator = (unsigned)(fps > 0 ? fps : 15);
    (void)xioctl(v->fd, VIDIOC_S_PARM, &parm); /* best effort */
    struct v4l2_requestbuffers req;
    memset(&req, 0, sizeof req);
    req.count = NBUF;
    req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    req.memory = V4L2_MEMORY_MMAP;
    if (xioctl(v->fd, VIDIOC_REQBUFS, &req) != 0 || req.count < 2) {
        snprintf(err, errlen, "%s: cannot get capture buffers: %s", dev, strerror(errno));
        goto fail;
    }
    v->nbuf = req.count > NBUF ? NBUF : req.count;
    for (unsigned i = 0; i < v->nbuf; i++) {
        struct v4l2_buffer b;
        memset(&b, 0, sizeof b);
        b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        b.memory = V4L2_MEMORY_MMAP;
        b.index = i;
        if (xioctl(v->fd, VIDIOC_QUERYBUF, &b) != 0) goto fail_errno;
        v->mem[i] = mmap(NULL, b.length, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, b.m.offset);
        if (v->mem[i] == MAP_FAILED) {
            v->mem[i] = NULL;
            goto fail_errno;
        }
        v->len[i] = b.length;
        if (xioctl(v->fd, VIDIOC_QBUF, &b) != 0) goto fail_errno;
    }
    enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (xioctl(v->fd, VIDIOC_STREAMON, &type) != 0) goto fail_errno;
    v->streaming = 1;
    /* a camera that only offers large MJPEG frames: let libjpeg-turbo's DCT
     * scaling decode them at the smallest 1/2, 1/4, 1/8 still >= the request */
    v->denom = 1;
    if (v->fourcc == V4L2_PIX_FMT_MJPEG && width > 0 && height > 0)
        while (v->denom < 8 && v->w / (v->denom * 2) >= width && v->h / (v->denom * 2) >= height) v->denom *= 2;
    LOG_I("%s: %dx%d %s%s", dev, v->w, v->h, v->fourcc == V4L2_PIX_FMT_MJPEG ? "MJPEG" : "YUYV",
          v->denom > 1 ? " (decoded at reduced size)" : "");
    *out = v;
    return GR_OK;
fail_errno:
    snprintf(err, errlen, "%s: %s", dev, strerror(errno));
fail:
    vis_v4l2_close(v);
    return rc;
}

void vis_v4l2_close(vis_v4l2_t *v) {
    if (!v) return;
    if (v->streaming) {
        enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        (void)xioctl(v->fd, VIDIOC_STREAMOFF, &type);
    }
    for (unsigned i = 0; i < NBUF; i++)
        if (v->mem[i]) munmap(v->mem[i], v->len[i]);
    if (v->fd >= 0) close(v->fd);
    free(v);
}

static unsigned char clamp8(int x) { return (unsigned char)(x < 0 ? 0 : x > 255 ? 255 : x); }

static int yuyv_to_bgr(const unsigned char *src, size_t len, int w, int h, vis_image_t *frame) {
    if (len < (size_t)w * (size_t)h * 2) return GR_ERR_FORMAT;
    if (frame->w != w || frame->h != h || !frame->data) {
        vis_image_free(frame);
        int rc = vis_image_alloc(frame, w, h);
        if (rc) return rc;
    }
    for (int y = 0; y < h; y++) {
        const unsigned char *s = src + (size_t)y * (size_t)w * 2;
        unsigned char *d = frame->data + (size_t)y * (size_t)frame->stride;
        for (int x = 0; x + 1 < w; x += 2, s += 4, d += 6) {
            int u = s[1] - 128, v = s[3] - 128;
            int rv = (359 * v) >> 8, gu = (88 * u + 183 * v) >> 8, bu = (454 * u) >> 8;
            for (int k = 0; k < 2; k++) {
                int yy = s[2 * k];
                d[3 * k] = clamp8(yy + bu);
                d[3 * k + 1] = clamp8(yy - gu);
                d[3 * k + 2] = clamp8(yy + rv);
            }
        }
    }
    return GR_OK;
}

int vis_v4l2_read(vis_v4l2_t *v, vis_image_t *frame, char *err, size_t errlen) {
    struct pollfd p = {.fd = v->fd, .events = POLLIN};
    int r;
    do r = poll(&p, 1, 2000);
    while (r < 0 && errno == EINTR);
    if (r == 0) {
        snprintf(err, errlen, "camera sent no frame for 2 s");
        return GR_ERR_IO;
    }
    if (r < 0 || (p.revents & (POLLERR | POLLHUP | POLLNVAL))) {
        snprintf(err, errlen, "camera failed (unplugged?)");
        return GR_ERR_IO;
    }
    struct v4l2_buffer b;
    memset(&b, 0, sizeof b);
    b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    b.memory = V4L2_MEMORY_MMAP;
    if (xioctl(v->fd, VIDIOC_DQBUF, &b) != 0) {
        if (errno == EAGAIN) return GR_ERR_FORMAT;
        snprintf(err, errlen, "camera read failed: %s", strerror(errno));
        return GR_ERR_IO;
    }
    int rc;
    if (b.index >= v->nbuf || b.bytesused > v->len[b.index]) {
        rc = GR_ERR_FORMAT;
    } else if (v->fourcc == V4L2_PIX_FMT_MJPEG) {
        rc = vis_image_decode_jpeg_into(v->mem[b.index], b.bytesused, (long)v->w * v->h, v->denom, frame, err,
                                        errlen);
    } else {
        rc = yuyv_to_bgr(v->mem[b.index], b.bytesused, v->w, v->h, frame);
    }
    if (xioctl(v->fd, VIDIOC_QBUF, &b) != 0) {
        snprintf(err, errlen, "camera requeue failed: %s", strerror(errno));
        return GR_ERR_IO;
    }
    return rc;
}
