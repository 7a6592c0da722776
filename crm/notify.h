/* notify.h - notifications for the responsible manager: shown in the UI and
 * e-mailed by the CRM worker (crm/worker.h) when notify.manager_email is set.
 */
#ifndef CRM_NOTIFY_H
#define CRM_NOTIFY_H

#include "crm/store.h"

#include <jansson.h>
#include <stdint.h>

/* Add a notification (inside the caller's transaction or alone). mail: 1 to
 * queue it for e-mail (mail_state 'pending'). *id may be NULL. */
int crm_notify_add(crm_store_t *st, const char *subject, const char *body, const char *entity, int64_t entity_id,
                   int mail, int64_t *id);

/* crm_notify_add for one user (kind e.g. "arrival"; user a users.username,
 * "" = the manager), e-mailed to `email` ("" = the manager's address). */
int crm_notify_add_for(crm_store_t *st, const char *kind, const char *user, const char *email, const char *subject,
                       const char *body, const char *entity, int64_t entity_id, int mail, int64_t *id);

/* Newest first. *out = {"items":[{"id","at","subject","body","entity",
 * "entity_id","read","mail_state","kind","for_user","recipient","mail_error"}..],"total":N,"unread":U,"limit","offset"},
 * a new reference owned by the caller (json_decref). */
int crm_notify_list(crm_store_t *st, int unread_only, int limit, int offset, json_t **out);

/* Mark one notification read (id > 0, GR_ERR_NOTFOUND) or all (id 0). */
int crm_notify_mark_read(crm_store_t *st, int64_t id);

#endif
