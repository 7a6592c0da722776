/* carddav.h - a CardDAV (RFC 6352) address book as a second sync target:
 * contacts as vCards (firmware/formats/vcard.h), one resource per contact named
 * "<device>-contact-<id>.vcf", written with If-None-Match: * (create) or
 * If-Match: <etag> (update, delete), so a change made in the address book
 * meanwhile is noticed (412) instead of silently lost.
 *
 * Delivery follows the outbox's contact rows in id order with a cursor
 * (sync_state carddav/cursor); the cursor and the resource's ETag
 * (remote_ids target "carddav") are committed together, and a replayed row
 * is harmless (PUT of the same card with the current ETag). On a 412 the
 * local record wins: the current ETag is read and the card written again
 * (logged). The password is a secret: never logged.
 */
#ifndef CRM_CARDDAV_H
#define CRM_CARDDAV_H

#include "crm/store.h"

#include <stddef.h>

typedef struct crm_dav crm_dav_t;

/* url: the address book collection (https://, or http:// to loopback),
 * user/password may be "" (no auth). On success *out is owned by the
 * caller: crm_dav_free. GR_ERR_INVAL with a message in err (no secrets). */
int crm_dav_new(const char *url, const char *user, const char *password, double timeout_s, crm_dav_t **out,
                char *err, size_t errlen) __attribute__((warn_unused_result));
void crm_dav_free(crm_dav_t *d);

/* Called during a transfer; nonzero aborts it (shutdown). May be NULL. */
void crm_dav_set_cancel(crm_dav_t *d, int (*cancel)(void *ctx), void *ctx);

/* URL rule as for Bitrix24 webhooks: https, or http to 127.0.0.1/localhost. */
int crm_dav_url_check(const char *url, char *err, size_t errlen);

/* Outcome of one pass. */
typedef struct {
    size_t written, deleted, refused;
    char last_error[384];
} crm_dav_result_t;

/* Deliver the contact rows after the cursor. Returns GR_OK (caught up),
 * GR_ERR_NET (transient: retry later), GR_ERR_AUTH (401/403), or
 * GR_ERR_DB/NOMEM. A card the server refuses (other 4xx) is skipped with
 * its message in last_error and sync_state carddav/last_refused. */
int crm_dav_pass(crm_dav_t *d, crm_store_t *st, const char *device_id, crm_dav_result_t *res);

/* The sync card's "Test connection" for CardDAV: one authenticated
 * PROPFIND (Depth: 0) of the address book. ok 1 when it answers 2xx (207
 * Multi-Status); else cls says why: "network" (no answer, timeout, 408,
 * 429, 5xx), "auth" (401, 403: the user name or password), "refused" (any
 * other answer, e.g. 404 for a wrong address). message is for people and
 * carries no URL or password. Returns GR_OK (the outcome is in *out) or
 * GR_ERR_INVAL (NULL arguments). */
typedef struct {
    int ok;
    const char *cls;    /* "ok", "network", "auth", "refused" (static) */
    long http_status;   /* 0: no answer */
    char message[256];
} crm_dav_check_t;
int crm_dav_check(crm_dav_t *d, crm_dav_check_t *out);

/* Contact rows not yet delivered to the address book. */
int crm_dav_pending(crm_store_t *st, long long *pending);

#endif
