#define GR_LOG_MODULE "crm"
#include "crm/scans.h"

#include "crm/activity.h"
#include "crm/contacts.h"
#include "crm/crmutil.h"
#include "crm/followup.h"
#include "firmware/core/err.h"
#include "firmware/formats/website.h"
#include "crm/leads.h"
#include "firmware/core/log.h"
#include "firmware/core/storage.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RESULT_MAX (1 << 20)

static const char *image_ext(const unsigned char *p, size_t len) {
    if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) return "jpg";
    if (len >= 8 && !memcmp(p, "\x89PNG\r\n\x1a\n", 8)) return "png";
    return NULL;
}

static int write_image(crm_store_t *st, const char *name, const void *img, size_t len, char *path, size_t pathlen) {
    char dir[4096];
    int rc = crm_state_dir(st, dir, sizeof dir);
    if (rc != GR_OK) return rc;
    if ((size_t)snprintf(path, pathlen, "%s/cards", dir) >= pathlen) return GR_ERR_RANGE;
    if (mkdir(path, 0700) != 0 && errno != EEXIST) {
        LOG_E("cannot create %s: %s", path, strerror(errno));
        return GR_ERR_IO;
    }
    if ((size_t)snprintf(path, pathlen, "%s/cards/%s", dir, name) >= pathlen) return GR_ERR_RANGE;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        LOG_E("cannot write %s: %s", path, strerror(errno));
        return GR_ERR_IO;
    }
    const char *p = img;
    size_t left = len;
    while (left) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            LOG_E("cannot write %s: %s", path, strerror(errno));
            close(fd);
            unlink(path);
            return GR_ERR_IO;
        }
        p += n;
        left -= (size_t)n;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        LOG_E("cannot write %s: %s", path, strerror(errno));
        unlink(path);
        return GR_ERR_IO;
    }
    return GR_OK;
}

/* Fields whose reviewed value differs from what the reader returned. */
static json_t *corrections(json_t *result, json_t *fields) {
    json_t *c = json_object();
    const char *key;
    json_t *v;
    if (!c) return NULL;
    json_object_foreach(fields, key, v) {
        json_t *was = json_object_get(result, key);
        if (was && json_equal(was, v)) continue;
        if (!was && (json_is_null(v) || (json_is_string(v) && !*json_string_value(v)) ||
                     (json_is_array(v) && !json_array_size(v))))
            continue;
        json_object_set_new(c, key, json_pack("{s:O,s:O}", "from", was ? was : json_null(), "to", v));
    }
    return c;
}

#define SCAN_COLS "id, image, result, corrections, contact_id, created_at"

static json_t *scan_row(sqlite3_stmt *s) {
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "id", crm_col(s, 0), "image", crm_col(s, 1), "result",
                     crm_col_json(s, 2), "corrections", crm_col_json(s, 3), "contact_id", crm_col(s, 4), "created_at",
                     crm_col(s, 5));
}

int crm_scan_get(crm_store_t *st, int64_t id, json_t **out) {
    return crm_get_row(st, "scan get", "SELECT " SCAN_COLS " FROM card_scans WHERE id = ?1", id, scan_row, out);
}

int crm_scan_list(crm_store_t *st, int limit, int offset, json_t **out) {
    *out = NULL;
    crm_page(&limit, &offset);
    int64_t total = 0;
    int rc = crm_query_int(st, "SELECT count(*) FROM card_scans", 0, &total);
    if (rc != GR_OK) return rc;
    json_t *items = json_array();
    sqlite3_stmt *s = NULL;
    if (!items) return GR_ERR_NOMEM;
    if ((rc = crm_prep(st, "SELECT " SCAN_COLS " FROM card_scans ORDER BY id DESC LIMIT ?1 OFFSET ?2", &s)) != GR_OK)
        goto fail;
    sqlite3_bind_int(s, 1, limit);
    sqlite3_bind_int(s, 2, offset);
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *o = scan_row(s);
        if (!o || json_array_append_new(items, o)) {
            rc = GR_ERR_NOMEM;
            break;
        }
    }
    if (rc == GR_OK && src != SQLITE_DONE) rc = crm_store_error(st, src, "scan list");
    sqlite3_finalize(s);
    if (rc != GR_OK) goto fail;
    *out = json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total, "limit", limit, "offset", offset);
    return *out ? GR_OK : GR_ERR_NOMEM;
fail:
    json_decref(items);
    return rc;
}

int crm_scan_corrected(crm_store_t *st, int limit, json_t **out) {
    *out = NULL;
    if (limit <= 0 || limit > 5000) limit = 500;
    json_t *items = json_array();
    sqlite3_stmt *s = NULL;
    if (!items) return GR_ERR_NOMEM;
    int rc = crm_prep(st,
                      "SELECT result, corrections FROM card_scans WHERE result IS NOT NULL AND corrections IS NOT NULL"
                      " AND corrections <> '{}' ORDER BY id DESC LIMIT ?1",
                      &s);
    if (rc != GR_OK) goto fail;
    sqlite3_bind_int(s, 1, limit);
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *o = json_pack("{s:o,s:o}", "result", crm_col_json(s, 0), "corrections", crm_col_json(s, 1));
        if (!o || json_array_append_new(items, o)) {
            rc = GR_ERR_NOMEM;
            break;
        }
    }
    if (rc == GR_OK && src != SQLITE_DONE) rc = crm_store_error(st, src, "scan corrections");
    sqlite3_finalize(s);
    if (rc != GR_OK) goto fail;
    *out = items;
    return GR_OK;
fail:
    json_decref(items);
    return rc;
}

static gr_storage_writer_t card_writer = GR_STORAGE_WRITER("card images");

int crm_scan_save(crm_store_t *st, json_t *result, json_t *fields, const void *img, size_t len, int make_lead,
                  const char *actor, json_t **out, char *err, size_t errlen) {
    crm_scan_opts_t o = {.make_lead = make_lead};
    return crm_scan_save_with(st, result, fields, img, len, &o, actor, out, err, errlen);
}

/* The lead of a scan: its contact, scan, captured fields and the booth's qualification. */
static json_t *scan_lead(const crm_scan_opts_t *o, json_t *contact, json_t *fields, int64_t contact_id, int64_t scan_id) {
    static const char *const keep[] = {"rating", "temperature", "interests", "note", "event", "follow_up", "assigned_to"};
    json_t *lin = json_pack("{s:s,s:I,s:I,s:O}", "source", "card_scan", "contact_id", (json_int_t)contact_id,
                            "scan_id", (json_int_t)scan_id, "data", fields);
    if (!lin) return NULL;
    if (!json_string_value(json_object_get(contact, "name"))[0] && !*json_string_value(json_object_get(contact, "company")))
        json_object_set_new(lin, "title", json_string("Card scan"));
    for (size_t i = 0; o->lead && i < sizeof keep / sizeof keep[0]; i++) {
        json_t *v = json_object_get(o->lead, keep[i]);
        if (v) json_object_set(lin, keep[i], v);
    }
    return lin;
}

int crm_scan_save_with(crm_store_t *st, json_t *result, json_t *fields, const void *img, size_t len,
                       const crm_scan_opts_t *opts, const char *actor, json_t **out, char *err, size_t errlen) {
    *out = NULL;
    if (opts->lead && !json_is_object(opts->lead))
        return crm_fail(GR_ERR_INVAL, err, errlen, "lead: expected true, false or the lead's qualification");
    if (opts->followup && !opts->make_lead)
        return crm_fail(GR_ERR_INVAL, err, errlen, "followup: the follow-up e-mail goes with a lead");
    if (result && !json_is_object(result))
        return crm_fail(GR_ERR_INVAL, err, errlen, "result: expected the reader's card object");
    if (!json_is_object(fields)) return crm_fail(GR_ERR_INVAL, err, errlen, "fields: expected a JSON object");
    /* The reader's result is kept as it came: its websites must be safe to
     * link too (the fields are checked as the contact is made). */
    json_t *webs = result ? json_object_get(result, "websites") : NULL, *wv;
    size_t wi;
    json_array_foreach(webs, wi, wv) {
        if (json_is_string(wv) && json_string_length(wv) && !fmt_website_ok(json_string_value(wv)))
            return crm_fail(GR_ERR_INVAL, err, errlen, "result.websites[%zu]: not an http(s) address", wi);
    }
    const char *ext = NULL;
    int skipped = 0;
    if (img && len) {
        ext = image_ext(img, len);
        if (!ext) return crm_fail(GR_ERR_FORMAT, err, errlen, "image: neither JPEG nor PNG");
    }
    char *result_text = json_dumps(result ? result : fields, JSON_COMPACT);
    json_t *corr = result ? corrections(result, fields) : json_object();
    char *corr_text = corr ? json_dumps(corr, JSON_COMPACT) : NULL;
    json_t *contact = NULL, *lead = NULL, *scan = NULL;
    char path[8192] = "";
    int wrote = 0;
    sqlite3_stmt *s = NULL;
    crm_tx_t tx;
    int rc = GR_OK;
    if (!result_text || !corr_text) {
        rc = GR_ERR_NOMEM;
        goto done;
    }
    if (strlen(result_text) > RESULT_MAX) {
        rc = crm_fail(GR_ERR_INVAL, err, errlen, "result: larger than %d bytes", RESULT_MAX);
        goto done;
    }
    if ((rc = crm_tx_begin(st, &tx)) != GR_OK) goto done;
    if (opts->contact_id) {
        /* The card of someone known: their contact takes the card's fields. */
        rc = crm_contact_update(st, opts->contact_id, fields, actor, &contact, err, errlen);
        if (rc == GR_ERR_NOTFOUND) crm_fail(rc, err, errlen, "contact_id: no contact %lld", (long long)opts->contact_id);
    } else {
        rc = crm_contact_create(st, fields, actor, &contact, err, errlen);
    }
    if (rc != GR_OK) goto fail;
    int64_t contact_id = json_integer_value(json_object_get(contact, "id"));
    if ((rc = crm_prep(st, "INSERT INTO card_scans(result, corrections, contact_id) VALUES (?1,?2,?3)", &s)) != GR_OK)
        goto fail;
    sqlite3_bind_text(s, 1, result_text, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, corr_text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, contact_id);
    rc = crm_step_done(st, s, "scan insert");
    sqlite3_finalize(s);
    if (rc != GR_OK) goto fail;
    int64_t id = sqlite3_last_insert_rowid(crm_store_db(st));
    /* Disk almost full (greeterd's "storage.low"): the scan, its contact and
     * lead are saved, the photo is not. */
    if (ext && gr_storage_skip(&card_writer)) {
        ext = NULL;
        skipped = 1;
    }
    if (ext) {
        char name[64];
        snprintf(name, sizeof name, "scan-%lld.%s", (long long)id, ext);
        if ((rc = write_image(st, name, img, len, path, sizeof path)) != GR_OK) {
            crm_fail(rc, err, errlen, "cannot store the card image");
            goto fail;
        }
        wrote = 1;
        if ((rc = crm_prep(st, "UPDATE card_scans SET image = ?2 WHERE id = ?1", &s)) != GR_OK) goto fail;
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
        rc = crm_step_done(st, s, "scan image");
        sqlite3_finalize(s);
        if (rc != GR_OK) goto fail;
    }
    json_t *d = json_pack("{s:I}", "scan_id", (json_int_t)id);
    rc = d ? crm_activity_add(st, "contact", contact_id, "card_scan", actor, d) : GR_ERR_NOMEM;
    json_decref(d);
    if (rc != GR_OK) goto fail;
    if (opts->make_lead) {
        json_t *lin = scan_lead(opts, contact, fields, contact_id, id);
        rc = lin ? crm_lead_create(st, lin, actor, &lead, err, errlen) : GR_ERR_NOMEM;
        json_decref(lin);
        if (rc != GR_OK) goto fail;
        if (opts->followup &&
            (rc = crm_followup_queue(st, contact, crm_jstr(lead, "event"), json_integer_value(json_object_get(lead, "id")),
                                     err, errlen)) != GR_OK)
            goto fail;
    }
    if ((rc = crm_scan_get(st, id, &scan)) != GR_OK) goto fail;
    if ((rc = crm_tx_commit(&tx)) != GR_OK) goto undo_file;
    *out = json_pack("{s:o,s:o,s:o,s:b}", "scan", scan, "contact", contact, "lead", lead ? lead : json_null(),
                     "image_skipped", skipped);
    scan = contact = lead = NULL;
    if (!*out) rc = GR_ERR_NOMEM;
    goto done;
fail:
    crm_tx_rollback(&tx);
undo_file:
    if (wrote) unlink(path);
done:
    json_decref(scan);
    json_decref(contact);
    json_decref(lead);
    json_decref(corr);
    free(result_text);
    free(corr_text);
    return rc;
}
