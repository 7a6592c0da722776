/* source.h - where frames come from: a V4L2 camera (/dev/videoN; MJPEG
 * decoded with libjpeg-turbo, or YUYV), a video file or stream URL (OpenCV),
 * or a folder of JPEG/PNG images (in name order).
 *
 * vis_source_read returns GR_ERR_IO when the device or stream failed (camera
 * unplugged, network down): the caller closes the source and reopens it with
 * back-off. GR_ERR_STOPPED means the input ended (and camera.loop is off).
 */
#ifndef VIS_SOURCE_H
#define VIS_SOURCE_H

#include "vision/image.h"

#include <stddef.h>

typedef struct vis_source vis_source_t;

typedef struct {
    int width, height, fps;  /* requested camera format */
    int loop;                /* restart files and folders at the end */
    int realtime;            /* pace files and folders at their frame rate */
} vis_source_opts_t;

/* spec: "/dev/videoN", a folder, a video file or an rtsp/http URL.
 * "auto" is resolved by the caller (vis_source_auto).
 * On success *out is owned by the caller: vis_source_close. */
int vis_source_open(const char *spec, const vis_source_opts_t *o, vis_source_t **out, char *err, size_t errlen)
    __attribute__((warn_unused_result));
void vis_source_close(vis_source_t *s);

/* Next frame into *frame (its buffer is reused, reallocated when the size
 * changes; the caller frees it with vis_image_free). *t: seconds since the
 * start (video time for files, monotonic for cameras). *index: frame number
 * from 0 (counts on across loops). GR_OK, GR_ERR_STOPPED, GR_ERR_IO,
 * GR_ERR_FORMAT (one undecodable frame: skip it). */
int vis_source_read(vis_source_t *s, vis_image_t *frame, double *t, long *index, char *err, size_t errlen);

/* Nominal frames per second (0 if unknown). */
double vis_source_fps(const vis_source_t *s);

/* The first /dev/videoN that is a capture device into buf, else fallback. */
void vis_source_auto(const char *fallback, char *buf, size_t len);

/* Copy src into dst, reallocating dst when the size differs. */
int vis_image_copy(vis_image_t *dst, const vis_image_t *src);

/* OpenCV VideoCapture part (source_cv.cpp). */
typedef struct vis_cvsrc vis_cvsrc_t;
int vis_cvsrc_open(const char *spec, int width, int height, vis_cvsrc_t **out, double *fps)
    __attribute__((warn_unused_result));
/* GR_OK, GR_ERR_STOPPED (end of file / stream broke), GR_ERR_NOMEM. */
int vis_cvsrc_read(vis_cvsrc_t *c, vis_image_t *frame, double *pos_s);
int vis_cvsrc_rewind(vis_cvsrc_t *c);
void vis_cvsrc_close(vis_cvsrc_t *c);

/* V4L2 part (source_v4l2.c). */
typedef struct vis_v4l2 vis_v4l2_t;
int vis_v4l2_open(const char *dev, int width, int height, int fps, vis_v4l2_t **out, char *err, size_t errlen)
    __attribute__((warn_unused_result));
int vis_v4l2_read(vis_v4l2_t *v, vis_image_t *frame, char *err, size_t errlen);
void vis_v4l2_close(vis_v4l2_t *v);

#endif
