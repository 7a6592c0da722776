/* faces.c - recognition outside the live pipeline: enrolment from photos
 * (vis_faces_*) for the web UI and the CLI. */
#define GR_LOG_MODULE "vision"
#include "vision/faces.h"

#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "vision/facemodels.h"
#include "vision/gallery.h"
#include "vision/vision.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vis_faces {
    vis_facemod_t *fm;
    vis_net_t *net;
    long max_pixels;
    double threshold, margin; /* vision.match_threshold / match_margin */
};

int vis_faces_open(const gr_config_t *cfg, vis_faces_t **out) {
    *out = NULL;
    vis_faces_t *f = calloc(1, sizeof *f);
    if (!f) return GR_ERR_NOMEM;
    char err[600];
    int rc = vis_facemodels_open(gr_config_str(cfg, GR_SET_MODELS_DIR), &f->fm, &f->net, err, sizeof err);
    if (rc) {
        LOG_E("%s", err);
        free(f);
        return rc;
    }
    f->max_pixels = (long)gr_config_int(cfg, GR_SET_VISION_MAX_MEGAPIXELS) * 1000L * 1000L;
    f->threshold = gr_config_double(cfg, GR_SET_VISION_MATCH_THRESHOLD);
    f->margin = gr_config_double(cfg, GR_SET_VISION_MATCH_MARGIN);
    *out = f;
    return GR_OK;
}

void vis_faces_close(vis_faces_t *f) {
    if (!f) return;
    vis_facemod_close(f->fm);
    vis_net_close(f->net);
    free(f);
}

int vis_faces_describe(vis_faces_t *f, const vis_image_t *img, int as_chip, vis_box_t *boxes, float *desc,
                       vis_quality_t *q, int max) {
    if (max <= 0) return 0;
    if (!as_chip) {
        int n = vis_facemodels_find(f->fm, f->net, img, 0, boxes, desc, q, max);
        /* small photos: look again at twice the size for faces of 40-80 px */
        if (n == 0 && (long)img->w * img->h <= 1000L * 1000)
            n = vis_facemodels_find(f->fm, f->net, img, 1, boxes, desc, q, max);
        return n;
    }
    /* an aligned chip: the whole image, scaled to 150x150 */
    unsigned char *chip = malloc(VIS_CHIP_SIZE * VIS_CHIP_SIZE * 3);
    if (!chip) return GR_ERR_NOMEM;
    for (int y = 0; y < VIS_CHIP_SIZE; y++)
        for (int x = 0; x < VIS_CHIP_SIZE; x++) {
            int sx = (int)((x + 0.5) * img->w / VIS_CHIP_SIZE), sy = (int)((y + 0.5) * img->h / VIS_CHIP_SIZE);
            const unsigned char *p = img->data + (size_t)sy * (size_t)img->stride + (size_t)sx * 3;
            unsigned char *d = chip + ((size_t)y * VIS_CHIP_SIZE + (size_t)x) * 3;
            d[0] = p[2];
            d[1] = p[1];
            d[2] = p[0];
        }
    int rc = vis_net_embed(f->net, chip, 1, desc);
    if (rc == GR_OK) {
        boxes[0] = (vis_box_t){0, 0, (float)img->w, (float)img->h, 0};
        q->size = (float)img->w;
        q->yaw = 0;
        q->sharpness = 0;
        q->score = 1;
    }
    free(chip);
    return rc ? rc : 1;
}

/* The identity in st that desc belongs to (threshold + margin, as the
 * camera decides), 0 for nobody; *dist its distance. */
static int64_t known_identity(vis_faces_t *f, const vis_store_t *st, const float *desc, float *dist) {
    *dist = 0;
    if (!st->load_templates) return 0;
    vis_gallery_t *g = vis_gallery_new();
    if (!g) return 0;
    int64_t pid = 0;
    if (vis_gallery_load(g, st) == GR_OK) {
        vis_match_t m;
        vis_gallery_search(g, desc, &m);
        vis_gallery_apply_distinct(st, f->threshold, &m);
        if (vis_gallery_decide(&m, f->threshold, f->margin) == VIS_MATCH_KNOWN) {
            pid = m.person_id;
            *dist = m.distance;
        }
    }
    vis_gallery_free(g);
    return pid;
}

int vis_faces_enroll_ex(vis_faces_t *f, const vis_store_t *st, long long person_id, const char *label, const void *img,
                        size_t len, vis_enrolled_t *res, char *err, size_t errlen) {
    memset(res, 0, sizeof *res);
    if (!f || !st || !st->enroll || (!person_id && (!label || !*label))) {
        snprintf(err, errlen, "a name is needed for a new person");
        return GR_ERR_INVAL;
    }
    vis_image_t im;
    int rc = vis_image_decode(img, len, f->max_pixels, 1, 1, &im, err, errlen);
    if (rc) return rc;
    vis_box_t box;
    float desc[FMT_DESC_DIM];
    vis_quality_t q;
    int n = vis_faces_describe(f, &im, 0, &box, desc, &q, 1);
    vis_image_free(&im);
    if (n < 0) {
        snprintf(err, errlen, "face analysis failed: %s", gr_strerror(n));
        return n;
    }
    if (n == 0) {
        snprintf(err, errlen, "no face found in the photo");
        return GR_ERR_EMPTY;
    }
    if (q.yaw > 0.6) {
        snprintf(err, errlen, "the face is turned too far (yaw %.2f); use a frontal photo", q.yaw);
        return GR_ERR_EMPTY;
    }
    res->box = box;
    /* a face the camera already knows (a visitor seen before): that
     * identity gets the name instead of a second identity for one person */
    int64_t target = person_id;
    if (!target) {
        target = known_identity(f, st, desc, &res->distance);
        res->matched = target != 0;
    }
    int64_t pid = 0;
    rc = st->enroll(st->ctx, target, label, desc, q.score, "photo", &pid);
    if (rc) {
        if (rc == GR_ERR_NOTFOUND)
            snprintf(err, errlen, "no person %lld", (long long)target);
        else if (rc == GR_ERR_EXISTS)
            snprintf(err, errlen,
                     "this face was erased at the person's request and must not be stored again; remove the "
                     "suppression entry %lld first",
                     (long long)target);
        else
            snprintf(err, errlen, "database error: %s", gr_strerror(rc));
        return rc;
    }
    if (res->matched) LOG_I("enrolment named identity %lld (distance %.3f)", (long long)pid, (double)res->distance);
    res->person_id = pid;
    return GR_OK;
}

int vis_faces_enroll(vis_faces_t *f, const vis_store_t *st, long long person_id, const char *label, const void *img,
                     size_t len, long long *out_person, char *err, size_t errlen) {
    vis_enrolled_t res;
    int rc = vis_faces_enroll_ex(f, st, person_id, label, img, len, &res, err, errlen);
    *out_person = rc == GR_OK ? res.person_id : 0;
    return rc;
}

int vis_faces_identify(vis_faces_t *f, const vis_store_t *st, const void *img, size_t len, vis_identified_t *out,
                       int max, char *err, size_t errlen) {
    if (!f || !st || max <= 0) {
        snprintf(err, errlen, "nothing to identify with");
        return GR_ERR_INVAL;
    }
    if (max > 32) max = 32;
    vis_image_t im;
    int rc = vis_image_decode(img, len, f->max_pixels, 1, 1, &im, err, errlen);
    if (rc) return rc;
    vis_box_t boxes[32];
    vis_quality_t q[32];
    float *desc = malloc((size_t)max * FMT_DESC_DIM * sizeof(float));
    if (!desc) {
        vis_image_free(&im);
        return GR_ERR_NOMEM;
    }
    /* every face, not only the largest: vis_facemodels_find directly */
    int n = vis_facemodels_find(f->fm, f->net, &im, 0, boxes, desc, q, max);
    if (n == 0 && (long)im.w * im.h <= 1000L * 1000) n = vis_facemodels_find(f->fm, f->net, &im, 1, boxes, desc, q, max);
    vis_image_free(&im);
    if (n < 0) {
        free(desc);
        snprintf(err, errlen, "face analysis failed: %s", gr_strerror(n));
        return n;
    }
    vis_gallery_t *g = vis_gallery_new();
    if (!g) {
        free(desc);
        return GR_ERR_NOMEM;
    }
    rc = st->load_templates ? vis_gallery_load(g, st) : GR_OK;
    if (rc != GR_OK) {
        snprintf(err, errlen, "cannot read the face templates: %s", gr_strerror(rc));
        n = rc;
    }
    for (int i = 0; i < n; i++) {
        vis_identified_t *o = &out[i];
        memset(o, 0, sizeof *o);
        o->box = boxes[i];
        o->quality = q[i].score;
        vis_match_t m;
        vis_gallery_search(g, desc + (size_t)i * FMT_DESC_DIM, &m);
        vis_gallery_apply_distinct(st, f->threshold, &m);
        o->person_id = m.person_id;
        o->distance = m.person_id > 0 ? m.distance : -1;
        o->margin = m.person_id > 0 && m.second_id > 0 ? m.second_distance - m.distance : -1;
        o->known = m.person_id > 0 && vis_gallery_decide(&m, f->threshold, f->margin) == VIS_MATCH_KNOWN;
        if (m.person_id > 0 && st->label) (void)st->label(st->ctx, m.person_id, o->label, sizeof o->label);
        if (m.person_id > 0 && st->suppressed) o->suppressed = st->suppressed(st->ctx, m.person_id) == 1;
    }
    vis_gallery_free(g);
    free(desc);
    return n;
}
