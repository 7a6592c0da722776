/* source.c - frame sources: dispatch by spec, folders of images, pacing, looping. */
#define GR_LOG_MODULE "vision"
#include "vision/source.h"

#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { SRC_CV, SRC_V4L2, SRC_DIR };

struct vis_source {
    int kind;
    vis_source_opts_t o;
    char *spec;
    vis_cvsrc_t *cv;
    vis_v4l2_t *v4l2;
    char **files;
    size_t nfiles, next;
    double fps;
    long index;
    double t0;            /* monotonic start (pacing, camera times) */
    double loop_offset;   /* video time added after each loop */
    double last_pos;
};

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int is_image_name(const char *n) {
    const char *dot = strrchr(n, '.');
    return dot && (!strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg") || !strcasecmp(dot, ".png"));
}

static int open_dir(vis_source_t *s, char *err, size_t errlen) {
    DIR *d = opendir(s->spec);
    if (!d) {
        snprintf(err, errlen, "%s: %s", s->spec, strerror(errno));
        return GR_ERR_IO;
    }
    struct dirent *e;
    size_t cap = 0;
    int rc = GR_OK;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !is_image_name(e->d_name)) continue;
        if (s->nfiles == cap) {
            cap = cap ? cap * 2 : 64;
            char **f = realloc(s->files, cap * sizeof *f);
            if (!f) {
                rc = GR_ERR_NOMEM;
                break;
            }
            s->files = f;
        }
        size_t n = strlen(s->spec) + strlen(e->d_name) + 2;
        s->files[s->nfiles] = malloc(n);
        if (!s->files[s->nfiles]) {
            rc = GR_ERR_NOMEM;
            break;
        }
        snprintf(s->files[s->nfiles], n, "%s/%s", s->spec, e->d_name);
        s->nfiles++;
    }
    closedir(d);
    if (rc) return rc;
    if (s->nfiles == 0) {
        snprintf(err, errlen, "%s: no .jpg/.png images in the folder", s->spec);
        return GR_ERR_EMPTY;
    }
    qsort(s->files, s->nfiles, sizeof *s->files, cmp_str);
    s->fps = s->o.fps > 0 ? s->o.fps : 15;
    return GR_OK;
}

int vis_source_open(const char *spec, const vis_source_opts_t *o, vis_source_t **out, char *err, size_t errlen) {
    *out = NULL;
    if (!spec || !*spec) {
        snprintf(err, errlen, "no frame source given");
        return GR_ERR_INVAL;
    }
    vis_source_t *s = calloc(1, sizeof *s);
    if (!s) return GR_ERR_NOMEM;
    s->o = *o;
    s->spec = strdup(spec);
    if (!s->spec) {
        free(s);
        return GR_ERR_NOMEM;
    }
    s->t0 = gr_now_mono();
    int rc;
    struct stat st;
    int is_url = strstr(spec, "://") != NULL;
    if (!is_url && stat(spec, &st) != 0) {
        snprintf(err, errlen, "%s: %s", spec, strerror(errno));
        rc = errno == ENOENT ? GR_ERR_NOTFOUND : GR_ERR_IO;
        goto fail;
    }
    if (!is_url && S_ISDIR(st.st_mode)) {
        s->kind = SRC_DIR;
        rc = open_dir(s, err, errlen);
        if (rc) goto fail;
    } else if (!is_url && S_ISCHR(st.st_mode)) {
        s->kind = SRC_V4L2;
        rc = vis_v4l2_open(spec, o->width, o->height, o->fps, &s->v4l2, err, errlen);
        if (rc) goto fail;
        s->fps = o->fps;
    } else {
        s->kind = SRC_CV;
        if (!is_url && st.st_size == 0) {
            snprintf(err, errlen, "%s: empty file", spec);
            rc = GR_ERR_FORMAT;
            goto fail;
        }
        rc = vis_cvsrc_open(spec, 0, 0, &s->cv, &s->fps);
        if (rc) {
            snprintf(err, errlen, "%s: cannot open as video (not a video, truncated, or unreachable)", spec);
            if (rc == GR_ERR_NOTFOUND) rc = is_url ? GR_ERR_NET : GR_ERR_FORMAT;
            goto fail;
        }
        if (s->fps <= 0) s->fps = is_url ? 0 : 15;
    }
    *out = s;
    return GR_OK;
fail:
    vis_source_close(s);
    return rc;
}

void vis_source_close(vis_source_t *s) {
    if (!s) return;
    if (s->cv) vis_cvsrc_close(s->cv);
    if (s->v4l2) vis_v4l2_close(s->v4l2);
    for (size_t i = 0; i < s->nfiles; i++) free(s->files[i]);
    free(s->files);
    free(s->spec);
    free(s);
}

double vis_source_fps(const vis_source_t *s) { return s->fps; }

static void pace(vis_source_t *s, double t) {
    if (!s->o.realtime) return;
    double due = s->t0 + t;
    double now = gr_now_mono();
    if (due <= now) return;
    struct timespec ts;
    double d = due - now;
    ts.tv_sec = (time_t)d;
    ts.tv_nsec = (long)((d - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

int vis_source_read(vis_source_t *s, vis_image_t *frame, double *t, long *index, char *err, size_t errlen) {
    int rc;
    switch (s->kind) {
    case SRC_V4L2:
        rc = vis_v4l2_read(s->v4l2, frame, err, errlen);
        if (rc) return rc;
        *t = gr_now_mono() - s->t0;
        break;
    case SRC_DIR: {
        if (s->next >= s->nfiles) {
            if (!s->o.loop) return GR_ERR_STOPPED;
            s->next = 0;
        }
        vis_image_t img;
        rc = vis_image_load(s->files[s->next++], 0, &img, err, errlen);
        *t = (double)s->index / s->fps;
        if (rc) {
            s->index++;
            return GR_ERR_FORMAT;
        }
        vis_image_free(frame);
        *frame = img;
        pace(s, *t);
        break;
    }
    default: {
        double pos = 0;
        rc = vis_cvsrc_read(s->cv, frame, &pos);
        if (rc == GR_ERR_STOPPED && s->o.loop && s->index > 0) {
            if (vis_cvsrc_rewind(s->cv) == GR_OK) {
                s->loop_offset += s->last_pos + (s->fps > 0 ? 1.0 / s->fps : 0);
                rc = vis_cvsrc_read(s->cv, frame, &pos);
            }
        }
        if (rc == GR_ERR_STOPPED && strstr(s->spec, "://")) {
            snprintf(err, errlen, "%s: stream broke off", s->spec);
            return GR_ERR_IO;
        }
        if (rc) {
            if (rc == GR_ERR_STOPPED) snprintf(err, errlen, "%s: end of video", s->spec);
            return rc;
        }
        s->last_pos = pos;
        if (strstr(s->spec, "://"))
            *t = gr_now_mono() - s->t0;
        else
            *t = s->fps > 0 ? (double)s->index / s->fps : pos + s->loop_offset;
        pace(s, *t);
        break;
    }
    }
    *index = s->index++;
    return GR_OK;
}

void vis_source_auto(const char *fallback, char *buf, size_t len) {
    for (int i = 0; i < 64; i++) {
        char dev[32];
        snprintf(dev, sizeof dev, "/dev/video%d", i);
        if (access(dev, R_OK) != 0) continue;
        /* a capture node, not a metadata node: try to open it briefly */
        vis_v4l2_t *v = NULL;
        char err[128];
        if (vis_v4l2_open(dev, 640, 480, 15, &v, err, sizeof err) == GR_OK) {
            vis_v4l2_close(v);
            snprintf(buf, len, "%s", dev);
            return;
        }
    }
    snprintf(buf, len, "%s", fallback);
}

int vis_image_copy(vis_image_t *dst, const vis_image_t *src) {
    if (dst->w != src->w || dst->h != src->h || !dst->data) {
        vis_image_free(dst);
        int rc = vis_image_alloc(dst, src->w, src->h);
        if (rc) return rc;
    }
    for (int y = 0; y < src->h; y++)
        memcpy(dst->data + (size_t)y * (size_t)dst->stride, src->data + (size_t)y * (size_t)src->stride,
               (size_t)src->w * 3);
    return GR_OK;
}
