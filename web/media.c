/* media.c - requests that carry a photo: POST /api/v1/scans (the card
 * reader), POST /api/v1/people (face enrolment from a photo or the live
 * camera). The card reader and the face models are heavy: each is opened on
 * first use, kept, and used by one request at a time (a mutex).
 *
 * A scanned photo is kept in memory for a while under a random token, so
 * the page can save the reviewed fields with the card image
 * (POST /api/v1/scans/save {"image_token"}) without uploading it twice.
 */
#define GR_LOG_MODULE "web"
#include "crm/contacts.h"
#include "crm/duplicates.h"
#include "firmware/core/err.h"
#include "crm/face_store.h"
#include "crm/facelist.h"
#include "web/media.h"
#include "firmware/core/log.h"
#include "ocr/ocr.h"
#include "ocr/fields.h"
#include "crm/scans.h"
#include "vision/image.h"
#include "vision/vision.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define KEEP_SLOTS 8
#define KEEP_S 1800.0

typedef struct {
    char token[33];
    unsigned char *img;
    size_t len;
    double at;
} kept_t;

struct web_media {
    pthread_mutex_t ocr_lock;   /* the one card reader, opened on first use */
    ocr_reader_t *ocr;
    unsigned ocr_generation;    /* of the settings it opened with (web_ctx_t.ocr_generation) */
    pthread_mutex_t faces_lock; /* the one face enroller, opened on first use */
    vis_faces_t *faces;
    pthread_mutex_t keep_lock;  /* the scanned photos kept for saving */
    kept_t kept[KEEP_SLOTS];
};

int web_media_new(web_media_t **out) {
    web_media_t *m = calloc(1, sizeof *m);
    *out = m;
    if (!m) return GR_ERR_NOMEM;
    pthread_mutex_init(&m->ocr_lock, NULL);
    pthread_mutex_init(&m->faces_lock, NULL);
    pthread_mutex_init(&m->keep_lock, NULL);
    return GR_OK;
}

void web_media_free(web_media_t *m) {
    if (!m) return;
    ocr_reader_close(m->ocr);
    if (m->faces) vis_faces_close(m->faces);
    for (int i = 0; i < KEEP_SLOTS; i++) free(m->kept[i].img);
    pthread_mutex_destroy(&m->keep_lock);
    pthread_mutex_destroy(&m->faces_lock);
    pthread_mutex_destroy(&m->ocr_lock);
    free(m);
}

static void keep_image(web_media_t *m, const void *img, size_t len, char token[33]) {
    token[0] = '\0';
    unsigned char *copy = malloc(len);
    if (!copy) return;
    memcpy(copy, img, len);
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    pthread_mutex_lock(&m->keep_lock);
    kept_t *kept = m->kept, *slot = &kept[0];
    for (int i = 0; i < KEEP_SLOTS; i++)
        if (kept[i].at < slot->at) slot = &kept[i];
    free(slot->img);
    slot->img = copy;
    slot->len = len;
    slot->at = gr_now_mono();
    sodium_bin2hex(slot->token, sizeof slot->token, raw, sizeof raw);
    memcpy(token, slot->token, 33);
    pthread_mutex_unlock(&m->keep_lock);
}

/* Take the image kept under token (the caller frees *img). */
static int take_image(web_media_t *m, const char *token, unsigned char **img, size_t *len) {
    int rc = GR_ERR_NOTFOUND;
    kept_t *kept = m->kept;
    pthread_mutex_lock(&m->keep_lock);
    for (int i = 0; i < KEEP_SLOTS; i++) {
        if (kept[i].img && web_auth_token_equal(kept[i].token, token)) {
            if (gr_now_mono() - kept[i].at <= KEEP_S) {
                *img = kept[i].img;
                *len = kept[i].len;
                rc = GR_OK;
            } else {
                free(kept[i].img);
            }
            memset(&kept[i], 0, sizeof kept[i]);
            break;
        }
    }
    pthread_mutex_unlock(&m->keep_lock);
    return rc;
}

/* The newest camera frame as a JPEG copy (*jpeg malloc'd, owned by the caller). */
static int newest_frame(gr_ring_t *ring, unsigned char **jpeg, size_t *len) {
    *jpeg = NULL;
    *len = 0;
    if (!ring) return GR_ERR_UNSUPPORTED;
    gr_ring_frame_t f;
    int rc = gr_ring_get(ring, 0, 2000, &f);
    if (rc != GR_OK) return rc == GR_ERR_TIMEOUT ? GR_ERR_EMPTY : rc;
    unsigned char *copy = malloc(f.size ? f.size : 1);
    if (copy) {
        memcpy(copy, f.data, f.size);
        *jpeg = copy;
        *len = f.size;
    }
    gr_ring_release(ring, &f);
    return copy ? GR_OK : GR_ERR_NOMEM;
}

/* A failure of the card reader or the face enroller as a reply: nothing
 * found in the photo (GR_ERR_EMPTY) is 422 with none_code, not an image 415,
 * the rest by web_reply_rc. err: the reader's message, or "". */
static void reply_reader_error(web_req_t *r, int rc, const char *err, const char *none_code, const char *none_msg) {
    if (rc == GR_ERR_EMPTY)
        web_reply_error(r, 422, none_code, "%s", err[0] ? err : none_msg);
    else if (rc == GR_ERR_FORMAT)
        web_reply_error(r, 415, "not_an_image", "%s", err[0] ? err : "not a JPEG or PNG image");
    else
        web_reply_rc(r, rc, err);
}

void web_media_scan(web_req_t *r) {
    const void *img;
    size_t len;
    if (web_req_image(r, &img, &len) != GR_OK) return;
    const char *region = web_req_arg(r, "region");
    if (region &&
        (strlen(region) != 2 || !((region[0] >= 'A' && region[0] <= 'Z') && (region[1] >= 'A' && region[1] <= 'Z')))) {
        web_reply_error(r, 400, "invalid", "region must be two capital letters (ISO 3166), e.g. DE");
        return;
    }
    web_media_t *m = r->ctx->media;
    char err[512] = "";
    char *json = NULL;
    pthread_mutex_lock(&m->ocr_lock);
    int rc = GR_OK;
    unsigned gen = atomic_load(&r->ctx->ocr_generation);
    if (m->ocr && m->ocr_generation != gen) { /* an ocr.* setting changed: open it with the new ones */
        ocr_reader_close(m->ocr);
        m->ocr = NULL;
    }
    if (!m->ocr) {
        rc = ocr_reader_open(r->ctx->cfg, &m->ocr);
        m->ocr_generation = gen;
        if (rc != GR_OK) {
            m->ocr = NULL;
            snprintf(err, sizeof err, "the card reader cannot start: %s", gr_strerror(rc));
            LOG_E("%s", err);
        }
    }
    if (rc == GR_OK) rc = ocr_reader_scan(m->ocr, img, len, region, &json, err, sizeof err);
    pthread_mutex_unlock(&m->ocr_lock);
    if (rc != GR_OK) {
        reply_reader_error(r, rc, err, "no_card", "no card found in the photo");
        return;
    }
    json_error_t je;
    json_t *cards = json_loads(json, 0, &je);
    free(json);
    if (!json_is_array(cards)) {
        json_decref(cards);
        web_reply_error(r, 500, "internal", "the card reader answered something that is not a JSON array");
        return;
    }
    /* Each card gets the contacts it may duplicate, for the review step. */
    crm_store_t *st = web_req_db(r);
    if (!st) {
        json_decref(cards);
        return;
    }
    /* What people corrected on earlier cards of the same company (its
     * domain or phone block) is read right on this one (ocr/fields.h). */
    json_t *scans = NULL, *hints = NULL;
    if (crm_scan_corrected(st, 500, &scans) == GR_OK) hints = ocr_fields_hints_from_scans(scans);
    json_decref(scans);
    size_t i;
    json_t *card;
    json_array_foreach(cards, i, card) {
        if (hints && json_is_object(card)) ocr_fields_apply_hints(card, hints);
        json_t *dups = NULL;
        if (json_is_object(card) && crm_contact_duplicates(st, card, 0, &dups) == GR_OK)
            json_object_set_new(card, "duplicates", dups);
    }
    json_decref(hints);
    char token[33];
    keep_image(m, img, len, token);
    web_reply_json(r, 200, json_pack("{s:o, s:s}", "cards", cards, "image_token", token));
}

/* The face at box in the JPEG frame, with a quarter of its size around it,
 * as base64 JPEG (malloc'd), for the enrolling person to confirm; NULL when
 * it cannot be made. Nothing is stored: the frame and the crop are freed. */
static char *face_crop_base64(const gr_config_t *cfg, const void *jpeg, size_t len, const vis_box_t *box) {
    vis_image_t im = {0}, crop = {0};
    char err[256] = "";
    long max_pixels = (long)gr_config_int(cfg, GR_SET_VISION_MAX_MEGAPIXELS) * 1000L * 1000L;
    if (vis_image_decode(jpeg, len, max_pixels, 1, 0, &im, err, sizeof err) != GR_OK) {
        LOG_W("the enrolment frame cannot be decoded again: %s", err);
        return NULL;
    }
    double m = 0.25 * (box->w > box->h ? box->w : box->h);
    int rc4[4];
    vis_image_clip(&im, box->x - m, box->y - m, box->x + box->w + m, box->y + box->h + m, rc4);
    char *b64 = NULL;
    unsigned char *out = NULL;
    size_t olen = 0;
    if (rc4[2] > 0 && rc4[3] > 0 && vis_image_alloc(&crop, rc4[2], rc4[3]) == GR_OK) {
        for (int y = 0; y < rc4[3]; y++)
            memcpy(crop.data + (size_t)y * (size_t)crop.stride,
                   im.data + (size_t)(rc4[1] + y) * (size_t)im.stride + (size_t)rc4[0] * 3, (size_t)rc4[2] * 3);
        if (vis_image_encode_jpeg(&crop, 85, &out, &olen) == GR_OK) {
            size_t blen = sodium_base64_encoded_len(olen, sodium_base64_VARIANT_ORIGINAL);
            b64 = malloc(blen);
            if (b64) sodium_bin2base64(b64, blen, out, olen, sodium_base64_VARIANT_ORIGINAL);
        }
    }
    free(out);
    vis_image_free(&crop);
    vis_image_free(&im);
    if (!b64) LOG_W("the enrolled face could not be cut from the frame");
    return b64;
}

void web_media_enroll(web_req_t *r) {
    /* Either a photo (image body / multipart, with ?label=&consent=true
     * [&contact_id=]) or JSON {"label","consent":true,"contact_id","from_camera":true}. */
    web_ctx_t *s = r->ctx;
    web_media_t *m = s->media;
    const char *ct = web_req_header(r, "Content-Type");
    const void *img = NULL;
    size_t len = 0;
    unsigned char *frame = NULL;
    char label[256] = "";
    int consent = 0;
    long long contact_id = 0;
    json_t *in = NULL;
    if (ct && strncasecmp(ct, "application/json", 16) == 0) {
        if (web_req_json(r, &in) != GR_OK) return;
        json_t *l = json_object_get(in, "label"), *c = json_object_get(in, "consent"),
               *ci = json_object_get(in, "contact_id"), *fc = json_object_get(in, "from_camera");
        if ((l && !json_is_string(l)) || (c && !json_is_boolean(c)) ||
            (ci && !json_is_integer(ci) && !json_is_null(ci)) || !json_is_true(fc)) {
            json_decref(in);
            {
                web_reply_error(r, 400, "invalid",
                                "expected {\"label\":string, \"consent\":true, \"contact_id\":int, "
                                "\"from_camera\":true} or an image body");
                return;
            }
        }
        snprintf(label, sizeof label, "%s", l ? json_string_value(l) : "");
        consent = json_is_true(c);
        contact_id = ci && json_is_integer(ci) ? json_integer_value(ci) : 0;
        json_decref(in);
        int rc = newest_frame(s->ring, &frame, &len);
        if (rc != GR_OK) {
            web_reply_error(r, 409, "no_camera", "no live camera frame to take the face from (%s)", gr_strerror(rc));
            return;
        }
        img = frame;
    } else {
        if (web_req_image(r, &img, &len) != GR_OK) return;
        const char *l = web_req_arg(r, "label"), *c = web_req_arg(r, "consent"), *ci = web_req_arg(r, "contact_id");
        snprintf(label, sizeof label, "%s", l ? l : "");
        consent = c && (strcmp(c, "true") == 0 || strcmp(c, "1") == 0);
        long v = 0;
        if (web_parse_long(ci, 0, (1L << 53), 0, &v) != GR_OK) {
            web_reply_error(r, 400, "invalid", "contact_id must be a positive integer");
            return;
        }
        contact_id = v;
    }
    if (!consent) {
        free(frame);
        {
            web_reply_error(r, 403, "consent_required",
                            "a face is enrolled only with the person's consent (consent=true)");
            return;
        }
    }
    if (!label[0] && !contact_id) {
        free(frame);
        web_reply_error(r, 400, "invalid", "give a label (the person's name) or a contact_id");
        return;
    }
    crm_store_t *st = web_req_db(r);
    if (!st) {
        free(frame);
        return;
    }
    json_t *contact = NULL;
    if (contact_id) {
        int rc = crm_contact_get(st, contact_id, &contact);
        if (rc != GR_OK) {
            free(frame);
            web_reply_rc(r, rc, "no such contact");
            return;
        }
        if (!label[0]) {
            const char *nm = json_string_value(json_object_get(contact, "name"));
            if (!nm || !*nm) nm = json_string_value(json_object_get(contact, "given_name"));
            snprintf(label, sizeof label, "%s", nm && *nm ? nm : "Contact");
        }
        /* Recording consent on the contact is what allows linking the face. */
        if (!json_is_true(json_object_get(contact, "consent_face"))) {
            json_t *patch = json_pack("{s:b}", "consent_face", 1), *upd = NULL;
            char err[256] = "";
            rc = crm_contact_update(st, contact_id, patch, r->sess.username, &upd, err, sizeof err);
            json_decref(patch);
            json_decref(upd);
            if (rc != GR_OK) {
                json_decref(contact);
                free(frame);
                web_reply_rc(r, rc, err);
                return;
            }
        }
    }
    json_decref(contact);
    char err[512] = "";
    long long person = 0;
    pthread_mutex_lock(&m->faces_lock);
    int rc = GR_OK;
    if (!m->faces) {
        rc = vis_faces_open(s->cfg, &m->faces);
        if (rc != GR_OK) {
            m->faces = NULL;
            snprintf(err, sizeof err, "the face models cannot be loaded: %s", gr_strerror(rc));
        }
    }
    vis_store_t faces;
    crm_face_store_bind(st, &faces);
    vis_enrolled_t res = {0};
    if (rc == GR_OK) rc = vis_faces_enroll_ex(m->faces, &faces, 0, label, img, len, &res, err, sizeof err);
    person = res.person_id; /* a face the camera knew: that identity was named (res.matched) */
    pthread_mutex_unlock(&m->faces_lock);
    /* from the camera the page has no picture of its own to show the face:
     * the answer carries the crop (not stored) */
    char *face_jpeg = rc == GR_OK && frame ? face_crop_base64(s->cfg, frame, len, &res.box) : NULL;
    free(frame);
    if (rc != GR_OK) {
        reply_reader_error(r, rc, err, "no_face", "no usable face in the photo");
        return;
    }
    if (contact_id) {
        rc = crm_contact_link_person(st, contact_id, person, r->sess.username, err, sizeof err);
        if (rc != GR_OK) {
            free(face_jpeg);
            web_reply_rc(r, rc, err);
            return;
        }
    } else if (crm_face_consent(st, person, r->sess.username) != GR_OK) { /* the consent given above */
        LOG_W("person %lld: the consent could not be recorded", person);
    }
    LOG_I("face enrolled as person %lld by %s", person, r->sess.username); /* no name in the log */
    /* The live pipeline's gallery can pick the new templates up from this. */
    if (s->bus) {
        json_t *ev = json_pack("{s:I, s:s, s:I}", "person_id", (json_int_t)person, "label", label, "contact_id",
                               (json_int_t)contact_id);
        char *text = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
        if (!text || gr_bus_publish(s->bus, "person.enrolled", text) != GR_OK) LOG_W("person.enrolled not published");
        free(text);
        json_decref(ev);
    }
    json_t *ans = json_pack("{s:I, s:s, s:I, s:b, s:[f,f,f,f]}", "person_id", (json_int_t)person, "label", label,
                            "contact_id", (json_int_t)contact_id, "named_existing", res.matched, "box",
                            (double)res.box.x, (double)res.box.y, (double)res.box.w, (double)res.box.h);
    if (ans && face_jpeg) json_object_set_new(ans, "face_jpeg", json_string(face_jpeg));
    free(face_jpeg);
    web_reply_json(r, 201, ans);
}

/* POST /api/v1/faces/identify: every face of the photo in the body, with
 * its box, nearest identity, label, distance and margin; nothing is stored. */
void web_media_identify(web_req_t *r) {
    web_ctx_t *s = r->ctx;
    web_media_t *m = s->media;
    const void *img = NULL;
    size_t len = 0;
    if (web_req_image(r, &img, &len) != GR_OK) return;
    crm_store_t *st = web_req_db(r);
    if (!st) return;
    char err[512] = "";
    vis_identified_t found[32];
    vis_store_t faces;
    crm_face_store_bind(st, &faces);
    pthread_mutex_lock(&m->faces_lock);
    int rc = GR_OK;
    if (!m->faces) {
        rc = vis_faces_open(s->cfg, &m->faces);
        if (rc != GR_OK) {
            m->faces = NULL;
            snprintf(err, sizeof err, "the face models cannot be loaded: %s", gr_strerror(rc));
        }
    }
    int n = rc == GR_OK ? vis_faces_identify(m->faces, &faces, img, len, found, 32, err, sizeof err) : rc;
    pthread_mutex_unlock(&m->faces_lock);
    if (n < 0) {
        reply_reader_error(r, n, err, "no_face", "no usable face in the photo");
        return;
    }
    json_t *arr = json_array();
    for (int i = 0; i < n && arr; i++) {
        const vis_identified_t *o = &found[i];
        json_t *box = json_pack("[f,f,f,f]", (double)o->box.x, (double)o->box.y, (double)o->box.w, (double)o->box.h);
        json_array_append_new(arr, json_pack("{s:o,s:o,s:s,s:b,s:b,s:o,s:o,s:f}", "box", box ? box : json_null(),
                                             "person_id", o->person_id > 0 ? json_integer(o->person_id) : json_null(),
                                             "label", o->label, "known", o->known, "suppressed", o->suppressed,
                                             "distance", o->person_id > 0 ? json_real(o->distance) : json_null(),
                                             "margin", o->margin >= 0 ? json_real(o->margin) : json_null(),
                                             "quality", (double)o->quality));
    }
    web_reply_json(r, 200, json_pack("{s:o}", "faces", arr ? arr : json_array()));
}

void web_media_scan_save(web_req_t *r) {
    json_t *in = NULL;
    if (web_req_json(r, &in) != GR_OK) return;
    json_t *fields = json_object_get(in, "fields"), *result = json_object_get(in, "result");
    json_t *lead = json_object_get(in, "lead"), *tok = json_object_get(in, "image_token");
    const char *bad = NULL;
    if (!json_is_object(fields))
        bad = "fields must be an object of contact fields";
    else if (result && !json_is_object(result) && !json_is_null(result))
        bad = "result must be the scanned card object or null";
    else if (lead && !json_is_boolean(lead) && !json_is_object(lead))
        bad = "lead must be true, false or the lead's qualification (an object)";
    else if (json_object_get(in, "contact_id") && !(json_is_integer(json_object_get(in, "contact_id")) &&
                                                   json_integer_value(json_object_get(in, "contact_id")) > 0))
        bad = "contact_id must be the id of the contact to update";
    else if (tok && !json_is_string(tok) && !json_is_null(tok))
        bad = "image_token must be a string";
    if (bad) {
        json_decref(in);
        web_reply_error(r, 400, "invalid", "%s", bad);
        return;
    }
    crm_store_t *st = web_req_db(r);
    if (!st) {
        json_decref(in);
        return;
    }
    unsigned char *img = NULL;
    size_t len = 0;
    if (json_is_string(tok) && take_image(r->ctx->media, json_string_value(tok), &img, &len) != GR_OK) {
        json_decref(in);
        web_reply_error(r, 410, "image_expired", "the scanned photo is no longer kept; scan it again");
        return;
    }
    char err[512] = "";
    json_t *out = NULL;
    crm_scan_opts_t opts = {.make_lead = !lead || !json_is_false(lead), .lead = json_is_object(lead) ? lead : NULL,
                            .contact_id = json_integer_value(json_object_get(in, "contact_id")),
                            .followup = json_is_true(json_object_get(in, "followup"))};
    int rc = crm_scan_save_with(st, json_is_object(result) ? result : NULL, fields, img, len, &opts, r->sess.username,
                                &out, err, sizeof err);
    free(img);
    json_decref(in);
    if (rc != GR_OK) {
        web_reply_rc(r, rc, err);
        return;
    }
    web_reply_json(r, 201, out);
}
