/* snapshot.c - visit snapshots (see snapshot.h). */
#define GR_LOG_MODULE "vision"
#include "vision/snapshot.h"

#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "firmware/core/storage.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int vis_snapshot_dir(const char *dir) {
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", dir);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(tmp, 0700) != 0 && errno != EEXIST) return GR_ERR_IO;
            *p = '/';
        }
    if (mkdir(tmp, 0700) != 0 && errno != EEXIST) return GR_ERR_IO;
    return GR_OK;
}

int vis_snapshot_crop(const vis_image_t *img, const vis_box_t *b, vis_image_t *crop) {
    int r[4];
    double cx = b->x + b->w / 2, cy = b->y + b->h / 2, half = b->w * 0.9;
    vis_image_clip(img, cx - half, cy - half * 1.1, cx + half, cy + half * 1.1, r);
    if (r[2] <= 0 || r[3] <= 0) return GR_ERR_INVAL;
    if (crop->w != r[2] || crop->h != r[3] || !crop->data) {
        vis_image_free(crop);
        int rc = vis_image_alloc(crop, r[2], r[3]);
        if (rc) return rc;
    }
    for (int y = 0; y < r[3]; y++)
        memcpy(crop->data + (size_t)y * (size_t)crop->stride,
               img->data + (size_t)(r[1] + y) * (size_t)img->stride + (size_t)r[0] * 3, (size_t)r[2] * 3);
    return GR_OK;
}

/* Shared by every engine of the process: one warning when the disk runs low. */
static gr_storage_writer_t snapshot_writer = GR_STORAGE_WRITER("visit snapshots");

void vis_snapshot_save(const char *dir, const vis_image_t *crop, long frame, char *name, size_t len) {
    name[0] = 0;
    if (!dir || !crop->data) return;
    /* Disk almost full (greeterd's "storage.low"): the visit is recorded
     * without its snapshot. */
    if (gr_storage_skip(&snapshot_writer)) return;
    unsigned char *jpg;
    size_t jlen;
    if (vis_image_encode_jpeg(crop, 85, &jpg, &jlen)) return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char fname[128], path[1400];
    snprintf(fname, sizeof fname, "visit-%lld%03ld-%ld.jpg", (long long)ts.tv_sec, ts.tv_nsec / 1000000, frame);
    snprintf(path, sizeof path, "%s/%s", dir, fname);
    FILE *f = fopen(path, "wb");
    if (f) {
        int ok = fwrite(jpg, 1, jlen, f) == jlen;
        ok &= fclose(f) == 0;
        if (ok)
            snprintf(name, len, "%s", fname);
        else
            LOG_W("snapshot %s: write failed", path);
    } else {
        static gr_log_burst_t burst;
        if (gr_log_burst(&burst, 60)) LOG_W("snapshot %s: %s", path, strerror(errno));
    }
    free(jpg);
}
