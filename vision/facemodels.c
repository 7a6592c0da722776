/* facemodels.c - load the face models; describe every face of an image. */
#include "vision/facemodels.h"

#include "firmware/core/err.h"
#include "firmware/core/models.h"

#include <stdio.h>
#include <stdlib.h>

int vis_facemodels_open(const char *models_dir, vis_facemod_t **fm, vis_net_t **net, char *err, size_t errlen) {
    char bin[4096], man[4096], sp[4096];
    *fm = NULL;
    *net = NULL;
    if (gr_models_path(models_dir, "face_recognition", bin, sizeof bin) ||
        gr_models_path(models_dir, "face_recognition_manifest", man, sizeof man) ||
        gr_models_path(models_dir, "shape_predictor_68", sp, sizeof sp)) {
        snprintf(err, errlen, "models manifest lacks the face models");
        return GR_ERR_NOTFOUND;
    }
    char inner[512];
    int rc = vis_net_open(bin, man, net, inner, sizeof inner);
    if (rc) {
        snprintf(err, errlen, "face recognition model: %s (run `greeter models fetch`?)", inner);
        return rc;
    }
    rc = vis_facemod_open(sp, fm, inner, sizeof inner);
    if (rc) {
        snprintf(err, errlen, "landmark model: %s (run `greeter models fetch`?)", inner);
        vis_net_close(*net);
        *net = NULL;
        return rc;
    }
    return GR_OK;
}

static int cmp_area_desc(const void *a, const void *b) {
    const vis_box_t *x = a, *y = b;
    float ax = x->w * x->h, ay = y->w * y->h;
    return ax < ay ? 1 : ax > ay ? -1 : 0;
}

int vis_facemodels_find(vis_facemod_t *fm, vis_net_t *net, const vis_image_t *img, int upsample, vis_box_t *boxes,
                        float *desc, vis_quality_t *q, int max) {
    unsigned char *gray = malloc((size_t)img->w * (size_t)img->h);
    unsigned char *chip = malloc(VIS_CHIP_SIZE * VIS_CHIP_SIZE * 3);
    int rc = GR_OK, n = 0;
    if (!gray || !chip) {
        rc = GR_ERR_NOMEM;
        goto out;
    }
    rc = vis_image_gray_resize(img, 0, 0, img->w, img->h, img->w, img->h, gray);
    if (rc) goto out;
    vis_box_t found[64];
    n = vis_face_detect(fm, gray, img->w, img->h, img->w, upsample, found, 64);
    if (n < 0) {
        rc = n;
        goto out;
    }
    qsort(found, (size_t)n, sizeof found[0], cmp_area_desc);
    if (n > max) n = max;
    for (int i = 0; i < n; i++) {
        float pts[2 * VIS_LANDMARKS];
        boxes[i] = found[i];
        rc = vis_face_landmarks(fm, gray, img->w, img->h, img->w, &found[i], pts);
        if (!rc) rc = vis_face_chip(img->data, img->w, img->h, img->stride, pts, chip);
        if (!rc) rc = vis_net_embed(net, chip, 1, desc + (size_t)i * FMT_DESC_DIM);
        if (rc) goto out;
        vis_face_quality(found[i].w, pts, chip, &q[i]);
    }
out:
    free(gray);
    free(chip);
    return rc ? rc : n;
}
