/* sync_health.c - the sync health card's endpoints (sync_health.h). */
#define GR_LOG_MODULE "web"
#include "web/sync_health.h"
#include "web/role.h"

#include "crm/bitrix24.h"
#include "crm/carddav.h"
#include "crm/outbox.h"
#include "crm/sync.h"
#include "firmware/core/config.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The host of a webhook URL (never the secret path), "" when none. */
static void url_host(const char *url, char *buf, size_t len) {
    buf[0] = 0;
    const char *p = strstr(url, "://");
    if (!p) return;
    p += 3;
    size_t n = strcspn(p, "/?#");
    const char *at = memchr(p, '@', n); /* no user:password@ either */
    if (at) {
        n -= (size_t)(at + 1 - p);
        p = at + 1;
    }
    snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), p);
}

static void sync_get(web_req_t *r) {
    crm_store_t *st = web_req_db(r);
    if (!st) return;
    const gr_config_t *cfg = r->ctx->cfg;
    json_t *status = NULL, *failed = NULL;
    int rc = crm_sync_status_json(st, &status);
    if (rc == GR_OK) rc = crm_outbox_dead_list(st, 20, &failed);
    if (rc != GR_OK) {
        json_decref(status);
        web_reply_rc(r, rc, NULL);
        return;
    }
    char host[256];
    url_host(gr_config_str(cfg, GR_SET_SYNC_BITRIX24_URL), host, sizeof host);
    web_reply_json(r, 200, json_pack("{s:{s:b,s:b},s:s,s:o,s:o}", "enabled", "bitrix24",
                                     gr_config_str(cfg, GR_SET_SYNC_BITRIX24_URL)[0] != 0, "carddav",
                                     gr_config_str(cfg, GR_SET_SYNC_CARDDAV_URL)[0] != 0, "bitrix24_host", host,
                                     "status", status, "failed", failed));
}

static const char *class_name(crm_b24_class_t c) {
    switch (c) {
    case CRM_B24_OK: return "ok";
    case CRM_B24_TRANSIENT: return "network";
    case CRM_B24_AUTH: return "refused";
    default: return "rejected";
    }
}

static long ms_since(const struct timespec *t0) {
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (long)((t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000);
}

/* CardDAV: one authenticated PROPFIND (Depth: 0) of the configured
 * address book (crm_dav_check). The URL and password are never logged or
 * echoed. */
static void sync_test_carddav(web_req_t *r) {
    const gr_config_t *cfg = r->ctx->cfg;
    const char *url = gr_config_str(cfg, GR_SET_SYNC_CARDDAV_URL);
    char err[256] = "";
    if (!*url) {
        web_reply_error(r, 400, "invalid", "no CardDAV address book is set (sync.carddav_url)");
        return;
    }
    crm_dav_t *d = NULL;
    int rc = crm_dav_new(url, gr_config_str(cfg, GR_SET_SYNC_CARDDAV_USER), gr_config_str(cfg, GR_SET_SYNC_CARDDAV_PASSWORD),
                         10, &d, err, sizeof err);
    if (rc != GR_OK) {
        web_reply_error(r, 400, "invalid", "%s", err[0] ? err : gr_strerror(rc));
        return;
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    crm_dav_check_t chk;
    rc = crm_dav_check(d, &chk);
    long ms = ms_since(&t0);
    crm_dav_free(d);
    if (rc != GR_OK) {
        web_reply_rc(r, rc, NULL);
        return;
    }
    json_t *out;
    if (chk.ok) {
        out = json_pack("{s:s,s:b,s:i,s:i}", "target", "carddav", "ok", 1, "http_status", (int)chk.http_status, "ms", (int)ms);
        LOG_I("sync: CardDAV connection test ok (%ld ms)", ms);
    } else {
        out = json_pack("{s:s,s:b,s:s,s:i,s:s,s:i}", "target", "carddav", "ok", 0, "class", chk.cls, "http_status",
                        (int)chk.http_status, "message", chk.message, "ms", (int)ms);
        LOG_W("sync: CardDAV connection test failed (%s, HTTP %ld)", chk.cls, chk.http_status);
    }
    web_reply_json(r, 200, out);
}

/* Bitrix24: one cheap call with the crm scope the sync needs. The URL is
 * never logged or echoed. */
static void sync_test_bitrix24(web_req_t *r, json_t *in) {
    const char *url = json_string_value(json_object_get(in, "url"));
    if (!url || !*url) url = gr_config_str(r->ctx->cfg, GR_SET_SYNC_BITRIX24_URL);
    char err[256] = "";
    if (!*url) {
        web_reply_error(r, 400, "invalid", "no Bitrix24 webhook URL is set (sync.bitrix24_url)");
        return;
    }
    if (crm_b24_url_check(url, err, sizeof err) != GR_OK) {
        web_reply_error(r, 400, "invalid", "the webhook URL: %s", err);
        return;
    }
    crm_b24_t *c = NULL;
    int rc = crm_b24_new(url, 5, 10, &c, err, sizeof err);
    if (rc != GR_OK) {
        web_reply_error(r, 400, "invalid", "%s", err[0] ? err : gr_strerror(rc));
        return;
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    crm_b24_reply_t rep = {0};
    rc = crm_b24_call(c, "crm.contact.userfield.list", NULL, &rep);
    long ms = ms_since(&t0);
    crm_b24_free(c);
    json_t *out;
    if (rc == GR_OK && rep.cls == CRM_B24_OK) {
        out = json_pack("{s:b,s:i}", "ok", 1, "ms", (int)ms);
        LOG_I("sync: connection test ok (%ld ms)", ms);
    } else {
        char msg[400];
        snprintf(msg, sizeof msg, "%s%s%s", rep.error[0] ? rep.error : "", rep.error[0] && rep.message[0] ? ": " : "",
                 rep.message[0] ? rep.message : gr_strerror(rc));
        out = json_pack("{s:b,s:s,s:i,s:s,s:i}", "ok", 0, "class", class_name(rep.cls), "http_status", (int)rep.http_status,
                        "message", msg, "ms", (int)ms);
        LOG_W("sync: connection test failed (%s, HTTP %ld)", class_name(rep.cls), rep.http_status);
    }
    crm_b24_reply_clear(&rep);
    web_reply_json(r, 200, out);
}

/* POST /api/v1/sync/test {"target":"bitrix24"|"carddav", "url"?}: the
 * sync card's "Test connection" (no target: Bitrix24). */
static void sync_test(web_req_t *r) {
    json_t *in = NULL;
    if (r->body_len && web_req_json(r, &in) != GR_OK) return;
    json_t *t = json_object_get(in, "target");
    const char *target = json_string_value(t);
    if (t && !json_is_null(t) && !target) target = "";
    if (!target || strcmp(target, "bitrix24") == 0)
        sync_test_bitrix24(r, in);
    else if (strcmp(target, "carddav") == 0)
        sync_test_carddav(r);
    else
        web_reply_error(r, 400, "invalid", "target must be bitrix24 or carddav");
    json_decref(in);
}

static void sync_retry(web_req_t *r) {
    crm_store_t *st = web_req_db(r);
    if (!st) return;
    int64_t a = 0, b = 0;
    int rc = crm_outbox_retry_dead(st, "bitrix24", &a);
    if (rc == GR_OK) rc = crm_outbox_retry_dead(st, "carddav", &b);
    if (rc != GR_OK) {
        web_reply_rc(r, rc, NULL);
        return;
    }
    LOG_I("sync: %lld refused rows queued again by %s", (long long)(a + b), r->sess.username);
    if (r->ctx->bus && gr_bus_publish(r->ctx->bus, WEB_SYNC_CONTROL_TOPIC, "{\"action\":\"retry\"}") != GR_OK)
        LOG_W("could not wake the sync agent");
    web_reply_json(r, 200, json_pack("{s:I}", "requeued", (json_int_t)(a + b)));
}

void web_sync_route(web_req_t *r) {
    if (!web_req_admin(r)) return; /* sync is the admins' (issue 12's roles) */
    if (r->nsegs == 3) {
        if (web_req_allow(r, "GET")) sync_get(r);
        return;
    }
    if (strcmp(r->segs[3], "test") == 0) {
        if (web_req_allow(r, "POST")) sync_test(r);
    } else if (strcmp(r->segs[3], "retry") == 0) {
        if (web_req_allow(r, "POST")) sync_retry(r);
    } else {
        web_reply_error(r, 404, "not_found", "no such sync action");
    }
}
