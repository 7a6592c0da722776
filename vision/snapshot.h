/* snapshot.h - the picture kept with a visit: the face's surroundings cut
 * from the frame, written as a JPEG into the snapshots folder (none while
 * the disk is almost full, firmware/core/storage.h).
 */
#ifndef VIS_SNAPSHOT_H
#define VIS_SNAPSHOT_H

#include "vision/face.h"
#include "vision/image.h"

#include <stddef.h>

/* Create the folder (and its parents, mode 0700) if needed. GR_OK or
 * GR_ERR_IO (errno tells why). */
int vis_snapshot_dir(const char *dir);

/* Copy the face's surroundings (1.8 x the box) from img into crop, reusing
 * crop's buffer when the size is unchanged (crop is the caller's:
 * vis_image_free). GR_OK, GR_ERR_INVAL (box outside the frame), GR_ERR_NOMEM. */
int vis_snapshot_crop(const vis_image_t *img, const vis_box_t *box, vis_image_t *crop);

/* Write crop as <dir>/visit-<ms since the epoch>-<frame>.jpg and put that
 * file name into name; name is "" when nothing was written (no crop, disk
 * almost full, write error: logged). */
void vis_snapshot_save(const char *dir, const vis_image_t *crop, long frame, char *name, size_t len);

#endif
