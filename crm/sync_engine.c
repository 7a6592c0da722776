/* sync_engine.c - delivery passes over the outbox (see sync_engine.h). */
#define GR_LOG_MODULE "sync"
#include "crm/sync_engine.h"

#include "crm/bitrix24_item.h"
#include "crm/bitrix24_map.h"
#include "crm/crmutil.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "crm/outbox.h"
#include "crm/sync_fleet.h"

#include <ctype.h>
#include <math.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define TARGET "bitrix24"
#define WINDOW 50
#define MAX_FILE (8u << 20) /* photos and snapshots larger than this are not sent */
/* Bitrix24 cuts a request off after 60 s: a request whose reply never came
 * (timeout, dropped connection, SIGKILL) may still take effect at the CRM
 * until then, after its ORIGIN_ID look-up already missed it. Its row is held
 * (not looked up, not sent) until that time has passed. */
#define INFLIGHT_S 60.0

typedef enum { K_DONE, K_DEAD, K_DEFER, K_HOLD, K_UPSERT, K_DELETE, K_COMMENT } kind_t;
typedef enum { W_NONE, W_ADD, W_UPDATE, W_DELETE, W_COMMENT } write_t;
typedef enum { O_PENDING, O_DONE, O_DEAD, O_FORGET } outcome_t;

typedef struct {
    crm_outbox_row_t *row;
    json_t *payload;
    const char *ent;          /* crm.<ent>.*; NULL for visits */
    kind_t kind;
    int convert;
    int forget;               /* K_DONE: also drop the remote id */
    char remote[32];          /* known remote id, "" */
    char origin[200];
    int c_origin, c_mail, c_phone, c_get, c_clist; /* stage-1 command indexes, -1 */
    write_t write;
    int c_write;
    char target_type[16], target_id[32]; /* visits: the record commented on */
    char photo[256];          /* contact photo file sent with this write, "" */
    outcome_t outcome;
    int sent, in_doubt;       /* its write went out; and got no reply */
    char msg[384];
} item_t;

/* Records ("entity:id") held in this sweep: a row held because its last
 * request may still be in progress at the CRM, and every later row touching
 * the same record (so a record's rows still arrive in order). */
typedef struct {
    char (*keys)[48];
    size_t n, cap;
} held_t;

static int held_has(const held_t *h, const char *key) {
    for (size_t i = 0; i < h->n; i++)
        if (strcmp(h->keys[i], key) == 0) return 1;
    return 0;
}

static int held_add(held_t *h, const char *key) {
    if (held_has(h, key)) return GR_OK;
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 16;
        char(*k)[48] = realloc(h->keys, cap * sizeof *k);
        if (!k) return GR_ERR_NOMEM;
        h->keys = k;
        h->cap = cap;
    }
    snprintf(h->keys[h->n++], 48, "%s", key);
    return GR_OK;
}

static double now_unix(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A row whose last request may still be in progress at the CRM. A hold
 * farther away than a day is a clock that went back: ignored. */
static int in_flight(const crm_outbox_row_t *r, double now) {
    return r->attempts > 0 && r->hold_until > now && r->hold_until - now < 86400.0;
}

double crm_sync_backoff(int attempt, double base, double max, double r) {
    if (attempt < 1) attempt = 1;
    double d = base * pow(2.0, attempt > 30 ? 30 : attempt - 1);
    if (d > max) d = max;
    if (r < 0) r = 0;
    if (r >= 1) r = 0.999999;
    return d * (0.5 + 0.5 * r);
}

static int resolve(void *ctx, const char *entity, int64_t local_id, char *buf, size_t buflen) {
    crm_sync_engine_t *e = ctx;
    return crm_outbox_remote_get(e->st, TARGET, entity, local_id, buf, buflen) == GR_OK;
}

static int64_t payload_ref(json_t *p, const char *key) {
    json_t *v = json_object_get(p, key);
    if (json_is_integer(v)) return json_integer_value(v);
    if (json_is_string(v)) return strtoll(json_string_value(v), NULL, 10);
    return 0;
}

/* Keys "entity:id" a row touches: itself and what it refers to. */
static size_t row_keys(const crm_outbox_row_t *r, json_t *p, char keys[4][48]) {
    size_t n = 0;
    snprintf(keys[n++], 48, "%s:%lld", r->entity, (long long)r->local_id);
    static const struct {
        const char *field, *entity;
    } refs[] = {{"company_id", "company"}, {"contact_id", "contact"}, {"lead_id", "lead"}};
    for (size_t i = 0; i < 3 && n < 4; i++) {
        int64_t id = payload_ref(p, refs[i].field);
        if (id > 0) snprintf(keys[n++], 48, "%s:%lld", refs[i].entity, (long long)id);
    }
    return n;
}

/* Read a file below storage_dir/sub as base64; NULL when absent/too big. */
static char *file_b64(const crm_sync_engine_t *e, const char *sub, const char *name) {
    if (!name || !*name || strchr(name, '/') || strstr(name, "..") || !e->storage_dir) return NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/%s", e->storage_dir, sub, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        LOG_W("%s/%s is missing: sent without it", sub, name);
        return NULL;
    }
    struct stat sb;
    char *out = NULL;
    unsigned char *data = NULL;
    if (fstat(fileno(f), &sb) != 0 || sb.st_size <= 0 || (size_t)sb.st_size > MAX_FILE) {
        LOG_W("%s/%s is empty or larger than %u bytes: sent without it", sub, name, MAX_FILE);
        goto out;
    }
    data = malloc((size_t)sb.st_size);
    if (data && fread(data, 1, (size_t)sb.st_size, f) == (size_t)sb.st_size)
        out = crm_base64(data, (size_t)sb.st_size);
out:
    free(data);
    fclose(f);
    return out;
}

static void add_cmd(crm_b24_cmd_t *cmds, size_t *n, int *idx, const char *method, json_t *params) {
    cmds[*n].method = method;
    cmds[*n].params = params;
    memset(&cmds[*n].reply, 0, sizeof cmds[*n].reply);
    *idx = (int)*n;
    (*n)++;
}

static void free_cmds(crm_b24_cmd_t *cmds, size_t n) {
    for (size_t i = 0; i < n; i++) {
        json_decref(cmds[i].params);
        crm_b24_reply_clear(&cmds[i].reply);
    }
}

/* Contacts, companies, leads and deals go through Bitrix24's universal
 * methods (crm.item.*: the per-entity crm.contact.* family is deprecated),
 * which name the type with entityTypeId. */
static const char *method_name(char *buf, size_t len, const char *ent, const char *op) {
    (void)ent;
    snprintf(buf, len, "crm.item.%s", op);
    return buf;
}

static int query_exists(crm_sync_engine_t *e, const char *sql, const char *a, int64_t id, const char *b) {
    sqlite3_stmt *s = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(crm_store_db(e->st), sql, -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, a, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, id);
        if (b) sqlite3_bind_text(s, 3, b, -1, SQLITE_STATIC);
        found = sqlite3_step(s) == SQLITE_ROW;
    } else {
        LOG_W("sync look-up failed: %s", sqlite3_errmsg(crm_store_db(e->st)));
    }
    sqlite3_finalize(s);
    return found;
}

/* A pending outbox row for that record (it will reach the CRM later). */
static int has_pending(crm_sync_engine_t *e, const char *entity, int64_t id) {
    return query_exists(e,
                        "SELECT 1 FROM outbox WHERE target='" TARGET "' AND entity=?1 AND local_id=?2 "
                        "AND state='pending' LIMIT 1",
                        entity, id, NULL);
}

static int shared_remote(crm_sync_engine_t *e, const char *entity, int64_t id, const char *remote) {
    return query_exists(e,
                        "SELECT 1 FROM remote_ids WHERE target='" TARGET "' AND entity=?1 AND local_id<>?2 "
                        "AND remote_id=?3 LIMIT 1",
                        entity, id, remote);
}

/* The lead made for a face identity (the visit hook's "face_visit" lead). */
static int64_t lead_of_person(crm_sync_engine_t *e, int64_t person) {
    sqlite3_stmt *s = NULL;
    int64_t id = 0;
    if (sqlite3_prepare_v2(crm_store_db(e->st), "SELECT id FROM leads WHERE person_id=? ORDER BY id DESC LIMIT 1",
                           -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, person);
        if (sqlite3_step(s) == SQLITE_ROW) id = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    return id;
}

/* A visit is a comment on its contact, else on the lead of its face
 * identity. While that record is still queued the visit waits (K_DEFER);
 * a visitor with neither in the CRM has nowhere to go (done, noted). */
static void plan_visit(crm_sync_engine_t *e, item_t *it) {
    json_t *p = it->payload;
    int64_t contact = payload_ref(p, "contact_id"), lead = payload_ref(p, "lead_id");
    int64_t person = payload_ref(p, "person_id");
    it->kind = K_COMMENT;
    if (contact > 0) {
        if (resolve(e, "contact", contact, it->target_id, sizeof it->target_id)) {
            snprintf(it->target_type, sizeof it->target_type, "contact");
            return;
        }
        if (has_pending(e, "contact", contact)) {
            it->kind = K_DEFER;
            return;
        }
    }
    if (lead <= 0 && person > 0) lead = lead_of_person(e, person);
    if (lead > 0) {
        if (resolve(e, "lead", lead, it->target_id, sizeof it->target_id)) {
            snprintf(it->target_type, sizeof it->target_type, "lead");
            return;
        }
        if (has_pending(e, "lead", lead)) {
            it->kind = K_DEFER;
            return;
        }
    }
    it->kind = K_DONE;
    snprintf(it->msg, sizeof it->msg, "not sent: the visitor has no contact or lead in the CRM");
}

/* Stage 0: what each row needs. */
static void plan(crm_sync_engine_t *e, item_t *it) {
    crm_outbox_row_t *r = it->row;
    json_error_t jerr;
    it->c_origin = it->c_mail = it->c_phone = it->c_get = it->c_clist = it->c_write = -1;
    it->payload = json_loads(r->payload, 0, &jerr);
    if (!json_is_object(it->payload)) {
        it->kind = K_DEAD;
        snprintf(it->msg, sizeof it->msg, "outbox payload is not a JSON object (%s)", jerr.text);
        return;
    }
    crm_b24_origin_id(e->device_id, r->entity, r->local_id, it->origin, sizeof it->origin);
    if (strcmp(r->entity, "visit") == 0) {
        plan_visit(e, it);
        return;
    }
    it->ent = crm_b24_entity(r->entity);
    if (!it->ent) {
        it->kind = K_DEAD;
        snprintf(it->msg, sizeof it->msg, "entity '%s' cannot be sent to Bitrix24", r->entity);
        return;
    }
    int have = resolve(e, r->entity, r->local_id, it->remote, sizeof it->remote);
    if (!have) it->remote[0] = '\0';
    if (strcmp(r->op, "delete") == 0) {
        it->kind = have ? K_DELETE : K_DONE; /* never created there: nothing to delete */
        if (!have) snprintf(it->msg, sizeof it->msg, "not in the CRM: nothing to delete");
        if (have && shared_remote(e, r->entity, r->local_id, it->remote)) {
            /* Another local record (a merge, or two linked to one CRM
             * person) still stands for it: only forget the link. */
            it->kind = K_DONE;
            it->forget = 1;
            snprintf(it->msg, sizeof it->msg, "CRM record %s kept: another local %s is linked to it", it->remote,
                     r->entity);
        }
        return;
    }
    if (strcmp(r->op, "upsert") == 0 || strcmp(r->op, "convert") == 0) {
        it->kind = K_UPSERT;
        it->convert = strcmp(r->op, "convert") == 0;
        return;
    }
    it->kind = K_DEAD;
    snprintf(it->msg, sizeof it->msg, "operation '%s' is not supported for %s", r->op, r->entity);
}

/* Stage 1 commands for one item. */
static void lookups(crm_sync_engine_t *e, item_t *it, crm_b24_cmd_t *cmds, size_t *n) {
    (void)e;
    char m[64];
    if (it->kind == K_UPSERT && it->remote[0]) {
        if (strcmp(it->ent, "deal") != 0)
            add_cmd(cmds, n, &it->c_get, strdup(method_name(m, sizeof m, it->ent, "get")),
                    json_pack("{s:i,s:s}", "entityTypeId", crm_b24_entity_type(it->ent), "id", it->remote));
        return;
    }
    if (it->kind == K_UPSERT) {
        if (it->row->attempts > 0)
            add_cmd(cmds, n, &it->c_origin, strdup(method_name(m, sizeof m, it->ent, "list")),
                    json_pack("{s:i,s:{s:s,s:s},s:[s]}", "entityTypeId", crm_b24_entity_type(it->ent), "filter",
                              "originatorId", "greeter", "originId", it->origin, "select", "id"));
        if (strcmp(it->ent, "contact") == 0) {
            json_t *mails, *phones;
            crm_b24_map_comms(it->payload, &mails, &phones);
            if (json_array_size(mails))
                add_cmd(cmds, n, &it->c_mail, strdup("crm.duplicate.findbycomm"),
                        json_pack("{s:s,s:O,s:s}", "type", "EMAIL", "values", mails, "entity_type", "CONTACT"));
            if (json_array_size(phones))
                add_cmd(cmds, n, &it->c_phone, strdup("crm.duplicate.findbycomm"),
                        json_pack("{s:s,s:O,s:s}", "type", "PHONE", "values", phones, "entity_type", "CONTACT"));
            json_decref(mails);
            json_decref(phones);
        }
        return;
    }
    if (it->kind == K_COMMENT && it->row->attempts > 0)
        add_cmd(cmds, n, &it->c_clist, strdup("crm.timeline.comment.list"),
                json_pack("{s:{s:s,s:s}}", "filter", "ENTITY_ID", it->target_id, "ENTITY_TYPE", it->target_type));
}

/* An ID out of an add result or a list/findbycomm result. */
static int id_of(json_t *v, char *buf, size_t len) {
    if (json_is_integer(v) && json_integer_value(v) > 0) {
        snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return 1;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        char *end;
        long long x = strtoll(s, &end, 10);
        if (end != s && *end == '\0' && x > 0) {
            snprintf(buf, len, "%lld", x);
            return 1;
        }
    }
    return 0;
}

/* Smallest CONTACT id of a findbycomm result ({"CONTACT":[..]} or []). */
static int dup_contact(json_t *res, char *buf, size_t len) {
    json_t *ids = json_object_get(res, "CONTACT");
    long long best = 0;
    size_t i;
    json_t *x;
    char tmp[32];
    if (json_is_array(ids)) json_array_foreach(ids, i, x) {
            if (id_of(x, tmp, sizeof tmp)) {
                long long v = strtoll(tmp, NULL, 10);
                if (!best || v < best) best = v;
            }
        }
    if (!best) return 0;
    snprintf(buf, len, "%lld", best);
    return 1;
}

static int is_transport(const crm_b24_reply_t *r) {
    return r->cls == CRM_B24_TRANSIENT || r->cls == CRM_B24_AUTH;
}

/* Stage 2 command for one item, from the look-up results. An item whose
 * look-up failed for transport reasons waits (stays pending); with no_send
 * only rows that need no request are settled. */
static void writes(crm_sync_engine_t *e, item_t *it, crm_b24_cmd_t *c1, crm_b24_cmd_t *cmds, size_t *n,
                   int no_send) {
    char m[64], found[32];
    crm_b24_map_ctx_t mc = {e->device_id, e->device_name, e->visit_source, resolve, e, e->bitrix24_users};
    if (it->kind == K_HOLD) return; /* stays pending, not even looked up */
    const int idx1[] = {it->c_origin, it->c_mail, it->c_phone, it->c_get, it->c_clist};
    for (size_t i = 0; i < 5; i++)
        if (idx1[i] >= 0 && is_transport(&c1[idx1[i]].reply)) return; /* stays pending */
    if (it->kind == K_DONE) {
        it->outcome = it->forget ? O_FORGET : O_DONE;
        return;
    }
    if (it->kind == K_DEFER) {
        e->deferred++;
        return; /* stays pending; the next sweep tries again */
    }
    if (it->kind == K_DEAD) {
        it->outcome = O_DEAD;
        return;
    }
    if (no_send) return; /* the CRM is unreachable: nothing more this pass */
    if (it->kind == K_DELETE) {
        it->write = W_DELETE;
        add_cmd(cmds, n, &it->c_write, strdup(method_name(m, sizeof m, it->ent, "delete")),
                json_pack("{s:i,s:s}", "entityTypeId", crm_b24_entity_type(it->ent), "id", it->remote));
        return;
    }
    if (it->kind == K_COMMENT) {
        if (it->c_clist >= 0 && c1[it->c_clist].reply.cls == CRM_B24_OK) {
            char mark[240];
            snprintf(mark, sizeof mark, "[greeter:%s]", it->origin);
            size_t i;
            json_t *x;
            json_array_foreach(c1[it->c_clist].reply.result, i, x) {
                const char *t = json_string_value(json_object_get(x, "COMMENT"));
                if (t && strstr(t, mark)) {
                    it->outcome = O_DONE; /* sent before a crash: already there */
                    return;
                }
            }
        }
        char *text = crm_b24_map_visit_comment(&mc, it->payload, it->origin);
        json_t *fields = text ? json_pack("{s:s,s:s,s:s}", "ENTITY_ID", it->target_id, "ENTITY_TYPE", it->target_type,
                                          "COMMENT", text)
                              : NULL;
        free(text);
        const char *snap = json_string_value(json_object_get(it->payload, "snapshot"));
        char *b64 = fields ? file_b64(e, "snapshots", snap) : NULL;
        if (b64) json_object_set_new(fields, "FILES", json_pack("[[s,s]]", snap, b64));
        free(b64);
        if (!fields) return;
        it->write = W_COMMENT;
        add_cmd(cmds, n, &it->c_write, strdup("crm.timeline.comment.add"), json_pack("{s:o}", "fields", fields));
        return;
    }
    /* K_UPSERT */
    json_t *fields = NULL, *existing = NULL;
    char err[200];
    if (crm_b24_map_fields(&mc, it->row->entity, it->row->op, it->payload, &fields, err, sizeof err) != GR_OK) {
        it->outcome = O_DEAD;
        snprintf(it->msg, sizeof it->msg, "%s", err);
        return;
    }
    if (!it->remote[0]) {
        if (it->c_origin >= 0) {
            crm_b24_reply_t *r = &c1[it->c_origin].reply;
            if (r->cls == CRM_B24_REJECTED) {
                it->outcome = O_DEAD;
                snprintf(it->msg, sizeof it->msg, "look-up by originId refused: %s", r->message);
                json_decref(fields);
                return;
            }
            if (id_of(json_object_get(json_array_get(json_object_get(r->result, "items"), 0), "id"), found,
                      sizeof found)) {
                snprintf(it->remote, sizeof it->remote, "%s", found);
                it->outcome = O_DONE; /* our earlier add reached the CRM */
                LOG_I("%s: found by ORIGIN_ID after an interrupted send (id %s)", it->origin, found);
                json_decref(fields);
                return;
            }
        }
        const int dups[2] = {it->c_mail, it->c_phone};
        for (int k = 0; k < 2; k++) {
            if (dups[k] < 0 || c1[dups[k]].reply.cls != CRM_B24_OK) continue;
            if (dup_contact(c1[dups[k]].reply.result, found, sizeof found)) {
                snprintf(it->remote, sizeof it->remote, "%s", found);
                LOG_I("%s: linked to existing CRM contact %s (same %s)", it->origin, found,
                      k == 0 ? "e-mail" : "phone");
                /* Linked: the CRM's record stays as it is; later edits update it. */
                it->outcome = O_DONE;
                json_decref(fields);
                return;
            }
        }
        json_object_set_new(fields, "ORIGINATOR_ID", json_string("greeter"));
        json_object_set_new(fields, "ORIGIN_ID", json_string(it->origin));
        it->write = W_ADD;
    } else {
        if (it->c_get >= 0) {
            crm_b24_reply_t *r = &c1[it->c_get].reply;
            if (r->cls == CRM_B24_REJECTED) {
                /* Gone from the CRM (deleted there): send it again as new. */
                LOG_W("%s: CRM record %s is gone (%s): adding it again", it->origin, it->remote, r->message);
                it->remote[0] = '\0';
                json_object_set_new(fields, "ORIGINATOR_ID", json_string("greeter"));
                json_object_set_new(fields, "ORIGIN_ID", json_string(it->origin));
                it->write = W_ADD;
            } else {
                existing = json_object_get(r->result, "item"); /* its fm: what to keep */
                it->write = W_UPDATE;
            }
        } else {
            it->write = W_UPDATE;
        }
    }
    if (strcmp(it->ent, "contact") == 0 && e->faces_field > 0 && crm_sync_fleet_faces(e, it->payload, fields) != GR_OK)
        LOG_W("%s: face templates could not be read; sent without them", it->origin);
    if (strcmp(it->ent, "contact") == 0) {
        const char *photo = json_string_value(json_object_get(it->payload, "photo"));
        char sent[256] = "";
        if (it->remote[0]) {
            /* remote_ids.etag remembers the photo last sent */
            sqlite3_stmt *s = NULL;
            if (sqlite3_prepare_v2(crm_store_db(e->st),
                                   "SELECT coalesce(etag,'') FROM remote_ids WHERE target=? AND entity=? AND local_id=?",
                                   -1, &s, NULL) == SQLITE_OK) {
                sqlite3_bind_text(s, 1, TARGET, -1, SQLITE_STATIC);
                sqlite3_bind_text(s, 2, it->row->entity, -1, SQLITE_STATIC);
                sqlite3_bind_int64(s, 3, it->row->local_id);
                if (sqlite3_step(s) == SQLITE_ROW) snprintf(sent, sizeof sent, "%s", sqlite3_column_text(s, 0));
            }
            sqlite3_finalize(s);
        }
        if (photo && *photo && strcmp(photo, sent) != 0) {
            char *b64 = file_b64(e, "photos", photo);
            if (b64) {
                json_object_set_new(fields, "PHOTO", json_pack("{s:[s,s]}", "fileData", photo, b64));
                snprintf(it->photo, sizeof it->photo, "%s", photo);
            }
            free(b64);
        } else {
            snprintf(it->photo, sizeof it->photo, "%s", sent);
        }
    }
    json_t *item = crm_b24_item_fields(fields, existing);
    json_decref(fields);
    if (!item) return; /* no memory: stays pending */
    if (it->write == W_ADD)
        add_cmd(cmds, n, &it->c_write, strdup(method_name(m, sizeof m, it->ent, "add")),
                json_pack("{s:i,s:o}", "entityTypeId", crm_b24_entity_type(it->ent), "fields", item));
    else
        add_cmd(cmds, n, &it->c_write, strdup(method_name(m, sizeof m, it->ent, "update")),
                json_pack("{s:i,s:s,s:o}", "entityTypeId", crm_b24_entity_type(it->ent), "id", it->remote, "fields", item));
}

/* Outcome of an item's write. */
static void result(item_t *it, crm_b24_cmd_t *c2) {
    if (it->c_write < 0) return;
    crm_b24_reply_t *r = &c2[it->c_write].reply;
    if (r->cls == CRM_B24_OK) {
        if (it->write == W_ADD) {
            char id[32];
            if (!id_of(json_object_get(json_object_get(r->result, "item"), "id"), id, sizeof id)) {
                /* It may exist now; the retry looks it up by ORIGIN_ID. */
                snprintf(it->msg, sizeof it->msg, "add returned no ID");
                return;
            }
            snprintf(it->remote, sizeof it->remote, "%s", id);
        }
        it->outcome = it->write == W_DELETE ? O_FORGET : O_DONE;
        return;
    }
    snprintf(it->msg, sizeof it->msg, "%s%s%s", r->error, r->error[0] ? ": " : "", r->message);
    if (r->cls != CRM_B24_REJECTED) return;
    int gone = strstr(r->message, "Not found") || !strcmp(r->error, "NOT_FOUND");
    if (it->write == W_DELETE && gone) {
        it->outcome = O_FORGET; /* already gone */
        return;
    }
    if (it->write == W_UPDATE && gone) {
        /* Deleted in the CRM meanwhile: forget the id; the retry adds it. */
        it->outcome = O_PENDING;
        it->remote[0] = '\0';
        it->kind = K_UPSERT;
        it->c_write = -2; /* marker: drop the remote id */
        return;
    }
    it->outcome = O_DEAD;
}

static int commit(crm_sync_engine_t *e, item_t *items, size_t n) {
    int rc = crm_store_begin(e->st);
    if (rc != GR_OK) return rc;
    double now = now_unix();
    for (size_t i = 0; i < n && rc == GR_OK; i++) {
        item_t *it = &items[i];
        crm_outbox_row_t *r = it->row;
        switch (it->outcome) {
        case O_DONE:
            if (it->remote[0] && it->ent)
                rc = crm_outbox_remote_set(e->st, TARGET, r->entity, r->local_id, it->remote,
                                           it->photo[0] ? it->photo : NULL);
            if (rc == GR_OK) rc = crm_outbox_done(e->st, r->id);
            if (rc == GR_OK && it->msg[0]) rc = crm_outbox_note(e->st, r->id, it->msg);
            if (rc == GR_OK) e->delivered++;
            break;
        case O_FORGET:
            rc = crm_outbox_remote_del(e->st, TARGET, r->entity, r->local_id);
            if (rc == GR_OK) rc = crm_outbox_done(e->st, r->id);
            if (rc == GR_OK) e->delivered++;
            break;
        case O_DEAD:
            /* The CRM's message may quote the record's fields: it goes into
             * the row (scrubbed by a forget), the log keeps ids only. */
            LOG_W("outbox row %lld (%s %lld %s) refused by the CRM (its message is in the row)", (long long)r->id,
                  r->entity, (long long)r->local_id, r->op);
            rc = crm_outbox_dead(e->st, r->id, it->msg);
            if (rc == GR_OK) e->dead++;
            break;
        case O_PENDING:
            if (it->c_write == -2) rc = crm_outbox_remote_del(e->st, TARGET, r->entity, r->local_id);
            /* A reply came back: the CRM is done with the request, the
             * retry may look it up at once. No reply: held until the CRM
             * can no longer be acting on it. */
            if (rc == GR_OK && it->sent) rc = crm_outbox_hold(e->st, r->id, it->in_doubt ? now + INFLIGHT_S : 0);
            if (rc == GR_OK && it->msg[0]) rc = crm_outbox_note(e->st, r->id, it->msg);
            break;
        }
    }
    if (rc == GR_OK) rc = crm_store_commit(e->st);
    if (rc != GR_OK) crm_store_rollback(e->st);
    return rc;
}

/* Worst transport error among commands: GR_OK, GR_ERR_NET or GR_ERR_AUTH. */
static int transport_rc(crm_sync_engine_t *e, crm_b24_cmd_t *c, size_t n) {
    int rc = GR_OK;
    for (size_t i = 0; i < n; i++) {
        if (c[i].reply.cls == CRM_B24_AUTH) {
            snprintf(e->last_error, sizeof e->last_error, "CRM refused the webhook: %s%s%s", c[i].reply.error,
                     c[i].reply.error[0] ? ": " : "", c[i].reply.message);
            return GR_ERR_AUTH;
        }
        if (c[i].reply.cls == CRM_B24_TRANSIENT && rc == GR_OK) {
            snprintf(e->last_error, sizeof e->last_error, "%s%s%s", c[i].reply.error, c[i].reply.error[0] ? ": " : "",
                     c[i].reply.message);
            rc = GR_ERR_NET;
        }
    }
    return rc;
}

static void cmds_free_methods(crm_b24_cmd_t *c, size_t n) {
    for (size_t i = 0; i < n; i++) free((char *)c[i].method);
}

/* One window; *consumed = rows of `rows` it covered. */
static int window(crm_sync_engine_t *e, crm_outbox_row_t *rows, size_t nrows, size_t *consumed, held_t *held) {
    item_t items[WINDOW];
    char keys[WINDOW][48];
    size_t nkeys = 0, n = 0;
    crm_b24_cmd_t c1[WINDOW * 3], c2[WINDOW];
    size_t n1 = 0, n2 = 0;
    int rc = GR_OK;
    double now = now_unix();
    memset(items, 0, sizeof items);
    /* Rows touching distinct records, none referring to an earlier one. */
    for (; n < nrows && n < WINDOW; n++) {
        item_t *it = &items[n];
        it->row = &rows[n];
        plan(e, it);
        char k[4][48];
        size_t nk = row_keys(it->row, it->payload, k), j, m;
        int clash = 0;
        for (j = 0; j < nk && !clash; j++)
            for (m = 0; m < nkeys; m++)
                if (strcmp(k[j], keys[m]) == 0) clash = 1;
        if (clash && n > 0) {
            json_decref(it->payload);
            memset(it, 0, sizeof *it);
            break;
        }
        snprintf(keys[nkeys++], 48, "%s", k[0]);
        int hold = in_flight(it->row, now);
        for (j = 0; j < nk && !hold; j++) hold = held_has(held, k[j]);
        if (hold) {
            LOG_D("%s: held (a request for it may still be in progress at the CRM)", it->origin);
            it->kind = K_HOLD;
            e->held++;
            if (held_add(held, k[0]) != GR_OK) {
                rc = GR_ERR_NOMEM;
                n++;
                *consumed = n;
                goto out;
            }
        }
    }
    *consumed = n;
    /* Contacts carry face templates: the custom field must exist first. */
    for (size_t i = 0; i < n && e->faces_field == 0; i++)
        if (items[i].kind == K_UPSERT && strcmp(items[i].row->entity, "contact") == 0) {
            rc = crm_sync_fleet_ensure_field(e);
            if (rc == GR_ERR_UNSUPPORTED) rc = GR_OK;
            if (rc != GR_OK) goto out;
        }
    for (size_t i = 0; i < n; i++) lookups(e, &items[i], c1, &n1);
    if (n1) {
        if (crm_b24_exec(e->b24, c1, n1, e->use_batch) != GR_OK) {
            rc = GR_ERR_STOPPED;
            goto out;
        }
    }
    int rc1 = transport_rc(e, c1, n1);
    for (size_t i = 0; i < n; i++) writes(e, &items[i], c1, c2, &n2, rc1 != GR_OK);
    if (n2) {
        int64_t ids[WINDOW];
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (items[i].c_write >= 0) ids[k++] = items[i].row->id;
        /* Before anything leaves: the attempt, and a hold that covers a
         * SIGKILL while the requests are out (the last one leaves after up
         * to k bucket waits; one slow reply before it is allowed for). */
        double rate = crm_b24_rate(e->b24);
        double slack = (e->use_batch ? 1.0 : (double)k) / (rate > 0 ? rate : 1) + crm_b24_timeout(e->b24);
        rc = crm_outbox_attempted_hold(e->st, ids, k, now_unix() + INFLIGHT_S + slack);
        if (rc != GR_OK) goto out;
        for (size_t i = 0; i < n; i++)
            if (items[i].c_write >= 0) items[i].row->attempts++;
        if (crm_b24_exec(e->b24, c2, n2, e->use_batch) != GR_OK) {
            rc = GR_ERR_STOPPED;
            goto out;
        }
    }
    int rc2 = transport_rc(e, c2, n2);
    for (size_t i = 0; i < n; i++)
        if (items[i].c_write >= 0) {
            items[i].sent = 1;
            items[i].in_doubt = c2[items[i].c_write].reply.in_doubt;
        }
    for (size_t i = 0; i < n; i++) result(&items[i], c2);
    rc = commit(e, items, n);
    if (rc == GR_OK) rc = rc1 == GR_ERR_AUTH || rc2 == GR_ERR_AUTH ? GR_ERR_AUTH : rc1 != GR_OK ? rc1 : rc2;
out:
    cmds_free_methods(c1, n1);
    cmds_free_methods(c2, n2);
    free_cmds(c1, n1);
    free_cmds(c2, n2);
    for (size_t i = 0; i < n; i++) json_decref(items[i].payload);
    return rc;
}

static int sweep(crm_sync_engine_t *e) {
    int64_t after = 0;
    held_t held = {0};
    int rc;
    for (;;) {
        crm_outbox_row_t *rows = NULL;
        size_t n = 0, used = 0;
        rc = crm_outbox_fetch(e->st, TARGET, after, WINDOW, &rows, &n);
        if (rc != GR_OK || n == 0) break;
        rc = window(e, rows, n, &used, &held);
        if (used > 0) after = rows[used - 1].id;
        crm_outbox_rows_free(rows, n);
        if (rc != GR_OK) break;
    }
    free(held.keys);
    return rc;
}

int crm_sync_engine_pass(crm_sync_engine_t *e) {
    e->delivered = e->dead = 0;
    e->last_error[0] = '\0';
    /* Rows waiting for a record queued after them (a visit before its
     * lead) get another sweep once that record went out. */
    for (int i = 0; i < 4; i++) {
        size_t before = e->delivered + e->dead;
        e->deferred = 0;
        e->held = 0;
        int rc = sweep(e);
        if (rc != GR_OK || e->deferred == 0 || e->delivered + e->dead == before) return rc;
    }
    return GR_OK;
}
