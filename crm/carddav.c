/* carddav.c - contacts to a CardDAV address book (see carddav.h). */
#define GR_LOG_MODULE "sync"
#include "crm/carddav.h"

#include "crm/bitrix24.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "crm/outbox.h"
#include "firmware/formats/vcard.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TARGET "carddav"
#define BODY_MAX (1u << 20)

struct crm_dav {
    char *url, *user, *password; /* password: secret */
    CURL *curl;
    double timeout_s;
    int (*cancel)(void *ctx);
    void *cancel_ctx;
};

void crm_dav_set_cancel(crm_dav_t *d, int (*cancel)(void *ctx), void *ctx) {
    d->cancel = cancel;
    d->cancel_ctx = ctx;
}

static int on_progress(void *ctx, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t e) {
    (void)a; (void)b; (void)c; (void)e;
    crm_dav_t *d = ctx;
    return d->cancel && d->cancel(d->cancel_ctx) ? 1 : 0;
}

typedef struct {
    long status;
    char etag[256];
    char text[200];  /* start of the reply body, for messages */
    size_t textlen;
} dav_reply_t;

int crm_dav_url_check(const char *url, char *err, size_t errlen) {
    if (!url || !*url) {
        snprintf(err, errlen, "the CardDAV URL is empty");
        return GR_ERR_INVAL;
    }
    const char *host;
    if (strncasecmp(url, "https://", 8) == 0) {
        host = url + 8;
    } else if (strncasecmp(url, "http://", 7) == 0) {
        host = url + 7;
        size_t n = strcspn(host, ":/");
        if (!((n == 9 && strncmp(host, "127.0.0.1", 9) == 0) || (n == 9 && strncasecmp(host, "localhost", 9) == 0) ||
              strncmp(host, "[::1]", 5) == 0)) {
            snprintf(err, errlen, "the CardDAV URL must use https:// (http:// only to 127.0.0.1/localhost)");
            return GR_ERR_INVAL;
        }
    } else {
        snprintf(err, errlen, "the CardDAV URL must start with https://");
        return GR_ERR_INVAL;
    }
    if (*host == '\0' || *host == '/' || strpbrk(url, " \t\r\n\"'<>\\")) {
        snprintf(err, errlen, "the CardDAV URL is malformed");
        return GR_ERR_INVAL;
    }
    return GR_OK;
}

void crm_dav_free(crm_dav_t *d) {
    if (!d) return;
    if (d->curl) curl_easy_cleanup(d->curl);
    if (d->password) {
        memset(d->password, 0, strlen(d->password));
        free(d->password);
    }
    free(d->user);
    free(d->url);
    free(d);
}

int crm_dav_new(const char *url, const char *user, const char *password, double timeout_s, crm_dav_t **out,
                char *err, size_t errlen) {
    *out = NULL;
    int rc = crm_dav_url_check(url, err, errlen);
    if (rc != GR_OK) return rc;
    crm_b24_curl_init();
    crm_dav_t *d = calloc(1, sizeof *d);
    if (!d) return GR_ERR_NOMEM;
    size_t n = strlen(url);
    d->url = malloc(n + 2);
    d->user = strdup(user ? user : "");
    d->password = strdup(password ? password : "");
    d->curl = curl_easy_init();
    if (!d->url || !d->user || !d->password || !d->curl) {
        crm_dav_free(d);
        snprintf(err, errlen, "out of memory");
        return GR_ERR_NOMEM;
    }
    memcpy(d->url, url, n + 1);
    if (url[n - 1] != '/') strcat(d->url, "/");
    d->timeout_s = timeout_s > 0 ? timeout_s : 60;
    *out = d;
    return GR_OK;
}

static size_t on_header(char *b, size_t size, size_t n, void *ctx) {
    dav_reply_t *r = ctx;
    size_t len = size * n;
    if (len > 5 && strncasecmp(b, "ETag:", 5) == 0) {
        const char *v = b + 5;
        while (*v == ' ' || *v == '\t') v++;
        size_t k = (size_t)(b + len - v);
        while (k && (v[k - 1] == '\r' || v[k - 1] == '\n' || v[k - 1] == ' ')) k--;
        if (k < sizeof r->etag) {
            memcpy(r->etag, v, k);
            r->etag[k] = '\0';
        }
    }
    return len;
}

static size_t on_body(char *b, size_t size, size_t n, void *ctx) {
    dav_reply_t *r = ctx;
    size_t len = size * n;
    size_t room = sizeof r->text - 1 - r->textlen;
    size_t k = len < room ? len : room;
    memcpy(r->text + r->textlen, b, k);
    r->textlen += k;
    r->text[r->textlen] = '\0';
    return len;
}

/* One request. cond: NULL, or a header line such as "If-Match: \"x\"". */
static void request(crm_dav_t *d, const char *method, const char *name, const char *body, const char *cond,
                    dav_reply_t *r) {
    memset(r, 0, sizeof *r);
    char url[4600];
    snprintf(url, sizeof url, "%s%s", d->url, name);
    struct curl_slist *h = NULL;
    if (body)
        h = curl_slist_append(h, strcmp(method, "PROPFIND") == 0 ? "Content-Type: application/xml; charset=utf-8"
                                                                  : "Content-Type: text/vcard; charset=utf-8");
    if (cond) h = curl_slist_append(h, cond);
    CURL *c = d->curl;
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "HEAD") == 0) curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    if (h) curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    if (*d->user) {
        curl_easy_setopt(c, CURLOPT_USERNAME, d->user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, d->password);
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
    }
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(d->timeout_s * 1000));
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, d);
    CURLcode cc = curl_easy_perform(c);
    if (cc != CURLE_OK) {
        r->status = 0;
        snprintf(r->text, sizeof r->text, "network error: %s", curl_easy_strerror(cc));
    } else {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    }
    curl_slist_free_all(h);
}

typedef enum { R_OK, R_TRANSIENT, R_AUTH, R_REFUSED } dav_class_t;

static dav_class_t classify(const dav_reply_t *r) {
    if (r->status >= 200 && r->status < 300) return R_OK;
    if (r->status == 401 || r->status == 403) return R_AUTH;
    if (r->status == 0 || r->status == 408 || r->status == 429 || r->status >= 500) return R_TRANSIENT;
    return R_REFUSED;
}

int crm_dav_check(crm_dav_t *d, crm_dav_check_t *out) {
    if (!d || !out) return GR_ERR_INVAL;
    memset(out, 0, sizeof *out);
    static const char body[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                               "<d:propfind xmlns:d=\"DAV:\"><d:prop><d:resourcetype/><d:displayname/></d:prop></d:propfind>";
    dav_reply_t r;
    request(d, "PROPFIND", "", body, "Depth: 0", &r);
    out->http_status = r.status;
    switch (classify(&r)) {
    case R_OK:
        out->ok = 1;
        out->cls = "ok";
        snprintf(out->message, sizeof out->message, "the address book answered (HTTP %ld)", r.status);
        break;
    case R_AUTH:
        out->cls = "auth";
        snprintf(out->message, sizeof out->message, "HTTP %ld: the address book refused the user name or password",
                 r.status);
        break;
    case R_TRANSIENT:
        out->cls = "network";
        if (r.status)
            snprintf(out->message, sizeof out->message, "HTTP %ld: the server is unavailable or busy", r.status);
        else
            snprintf(out->message, sizeof out->message, "%s", r.text); /* "network error: ..." (curl's words) */
        break;
    default:
        out->cls = "refused";
        snprintf(out->message, sizeof out->message, "HTTP %ld: %s", r.status,
                 r.status == 404 ? "no address book at this address" : "the server refused the request");
        break;
    }
    return GR_OK;
}

static void cond_match(char *buf, size_t len, const char *etag) { snprintf(buf, len, "If-Match: %s", etag); }

/* PUT the card; on 412 (changed or already there) read the current ETag and
 * write again: the board's version wins. etag: known ETag or "". */
static dav_class_t put_card(crm_dav_t *d, const char *name, const char *card, const char *etag, dav_reply_t *r) {
    char cond[300];
    if (*etag)
        cond_match(cond, sizeof cond, etag);
    else
        snprintf(cond, sizeof cond, "If-None-Match: *");
    request(d, "PUT", name, card, cond, r);
    if (r->status == 412) {
        dav_reply_t head;
        request(d, "HEAD", name, NULL, NULL, &head);
        if (head.status == 404) {
            request(d, "PUT", name, card, "If-None-Match: *", r);
        } else if (head.status == 200 && head.etag[0]) {
            LOG_W("%s changed in the address book meanwhile: Greeter's version written", name);
            cond_match(cond, sizeof cond, head.etag);
            request(d, "PUT", name, card, cond, r);
        } else {
            *r = head;
        }
    }
    dav_class_t cls = classify(r);
    if (cls == R_OK && !r->etag[0]) {
        dav_reply_t head;
        request(d, "HEAD", name, NULL, NULL, &head);
        if (head.status == 200) snprintf(r->etag, sizeof r->etag, "%s", head.etag);
    }
    return cls;
}

static dav_class_t delete_card(crm_dav_t *d, const char *name, const char *etag, dav_reply_t *r) {
    char cond[300];
    if (*etag) cond_match(cond, sizeof cond, etag);
    request(d, "DELETE", name, NULL, *etag ? cond : NULL, r);
    if (r->status == 412) {
        dav_reply_t head;
        request(d, "HEAD", name, NULL, NULL, &head);
        if (head.status == 200 && head.etag[0]) {
            LOG_W("%s changed in the address book meanwhile: deleted as the board asked", name);
            cond_match(cond, sizeof cond, head.etag);
            request(d, "DELETE", name, NULL, cond, r);
        } else {
            *r = head;
        }
    }
    if (r->status == 404) r->status = 204; /* already gone */
    return classify(r);
}

/* vCard with a UID (CardDAV requires one); malloc'd or NULL. */
static char *card_of(const char *payload, const char *uid) {
    char *v = NULL, *out = NULL;
    if (fmt_vcard_write(payload, &v) != GR_OK || !v) return NULL;
    const char *ver = strstr(v, "VERSION:");
    const char *eol = ver ? strstr(ver, "\r\n") : NULL;
    if (!eol) {
        free(v);
        return NULL;
    }
    size_t head = (size_t)(eol + 2 - v);
    if (asprintf(&out, "%.*sUID:%s\r\n%s", (int)head, v, uid, v + head) < 0) out = NULL;
    free(v);
    return out;
}

static int etag_of(crm_store_t *st, int64_t id, char *buf, size_t len) {
    sqlite3_stmt *s = NULL;
    buf[0] = '\0';
    int rc = sqlite3_prepare_v2(crm_store_db(st),
                                "SELECT coalesce(etag,'') FROM remote_ids WHERE target='" TARGET
                                "' AND entity='contact' AND local_id=?",
                                -1, &s, NULL);
    if (rc != SQLITE_OK) return crm_store_error(st, rc, "carddav etag");
    sqlite3_bind_int64(s, 1, id);
    if (sqlite3_step(s) == SQLITE_ROW) snprintf(buf, len, "%s", sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return GR_OK;
}

int crm_dav_pending(crm_store_t *st, long long *pending) {
    char cur[32] = "0";
    *pending = 0;
    if (crm_outbox_state_get(st, TARGET, "cursor", cur, sizeof cur) != GR_OK) snprintf(cur, sizeof cur, "0");
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(crm_store_db(st),
                                "SELECT count(*) FROM outbox WHERE target='bitrix24' AND entity='contact' AND id>?",
                                -1, &s, NULL);
    if (rc != SQLITE_OK) return crm_store_error(st, rc, "carddav pending");
    sqlite3_bind_int64(s, 1, strtoll(cur, NULL, 10));
    if (sqlite3_step(s) == SQLITE_ROW) *pending = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return GR_OK;
}

typedef struct {
    int64_t id, local_id;
    char op[16];
    char *payload;
} row_t;

static int fetch(crm_store_t *st, int64_t after, row_t *rows, size_t max, size_t *n) {
    sqlite3_stmt *s = NULL;
    *n = 0;
    int rc = sqlite3_prepare_v2(crm_store_db(st),
                                "SELECT id, local_id, op, payload FROM outbox WHERE target='bitrix24' "
                                "AND entity='contact' AND id>? ORDER BY id LIMIT ?",
                                -1, &s, NULL);
    if (rc != SQLITE_OK) return crm_store_error(st, rc, "carddav fetch");
    sqlite3_bind_int64(s, 1, after);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)max);
    while (sqlite3_step(s) == SQLITE_ROW) {
        row_t *r = &rows[*n];
        r->id = sqlite3_column_int64(s, 0);
        r->local_id = sqlite3_column_int64(s, 1);
        snprintf(r->op, sizeof r->op, "%s", (const char *)sqlite3_column_text(s, 2));
        r->payload = strdup((const char *)sqlite3_column_text(s, 3));
        if (!r->payload) break;
        (*n)++;
    }
    sqlite3_finalize(s);
    return GR_OK;
}

static int commit_row(crm_store_t *st, const row_t *r, const char *name, const char *etag, int deleted) {
    char cur[32];
    snprintf(cur, sizeof cur, "%lld", (long long)r->id);
    int rc = crm_store_begin(st);
    if (rc != GR_OK) return rc;
    if (deleted)
        rc = crm_outbox_remote_del(st, TARGET, "contact", r->local_id);
    else if (name)
        rc = crm_outbox_remote_set(st, TARGET, "contact", r->local_id, name, etag);
    if (rc == GR_OK) rc = crm_outbox_state_set(st, TARGET, "cursor", cur);
    if (rc == GR_OK) rc = crm_store_commit(st);
    if (rc != GR_OK) crm_store_rollback(st);
    return rc;
}

int crm_dav_pass(crm_dav_t *d, crm_store_t *st, const char *device_id, crm_dav_result_t *res) {
    memset(res, 0, sizeof *res);
    char cur[32] = "0", dev[65];
    size_t k = 0;
    for (const char *p = device_id; *p && k + 1 < sizeof dev; p++)
        dev[k++] = isalnum((unsigned char)*p) || *p == '-' || *p == '_' ? *p : '_';
    dev[k] = '\0';
    if (crm_outbox_state_get(st, TARGET, "cursor", cur, sizeof cur) != GR_OK) snprintf(cur, sizeof cur, "0");
    int64_t after = strtoll(cur, NULL, 10);
    for (;;) {
        row_t rows[50];
        size_t n = 0;
        int rc = fetch(st, after, rows, 50, &n);
        if (rc != GR_OK) return rc;
        if (n == 0) return GR_OK;
        for (size_t i = 0; i < n && rc == GR_OK; i++) {
            row_t *r = &rows[i];
            char name[128], uid[200], etag[256];
            dav_reply_t rep;
            snprintf(name, sizeof name, "%s-contact-%lld.vcf", dev, (long long)r->local_id);
            snprintf(uid, sizeof uid, "urn:greeter:%s:contact:%lld", device_id, (long long)r->local_id);
            rc = etag_of(st, r->local_id, etag, sizeof etag);
            if (rc != GR_OK) break;
            int del = strcmp(r->op, "delete") == 0;
            dav_class_t cls;
            if (del) {
                cls = delete_card(d, name, etag, &rep);
            } else {
                char *card = card_of(r->payload, uid);
                if (!card) {
                    rep.status = 0;
                    snprintf(rep.text, sizeof rep.text, "the contact snapshot cannot be written as a vCard");
                    cls = R_REFUSED;
                } else {
                    cls = put_card(d, name, card, etag, &rep);
                    free(card);
                }
            }
            if (cls == R_TRANSIENT || cls == R_AUTH) {
                snprintf(res->last_error, sizeof res->last_error, "CardDAV %s: HTTP %ld %.200s", name, rep.status,
                         rep.text);
                rc = cls == R_AUTH ? GR_ERR_AUTH : GR_ERR_NET;
                break;
            }
            if (cls == R_REFUSED) {
                snprintf(res->last_error, sizeof res->last_error, "CardDAV refused %s: HTTP %ld %.200s", name,
                         rep.status, rep.text);
                /* the server's text may quote the card: ids only in the log */
                LOG_W("CardDAV refused outbox row %lld: HTTP %ld", (long long)r->id, rep.status);
                if (crm_outbox_state_set(st, TARGET, "last_refused", res->last_error) != GR_OK)
                    LOG_W("could not store the CardDAV state");
                res->refused++;
                rc = commit_row(st, r, NULL, NULL, 0);
            } else {
                rc = commit_row(st, r, name, rep.etag[0] ? rep.etag : NULL, del);
                if (del)
                    res->deleted++;
                else
                    res->written++;
            }
            after = r->id;
        }
        for (size_t i = 0; i < n; i++) free(rows[i].payload);
        if (rc != GR_OK) return rc;
    }
}
