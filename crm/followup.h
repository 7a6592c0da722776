/* followup.h - the follow-up e-mail to a visitor met at the booth: the
 * templates booth.followup_subject and booth.followup_body (crm_opts_t)
 * filled with the contact's fields and the event, queued for the CRM
 * worker's mailer (crm/worker.h) as a notification of kind "followup" to
 * the visitor's address. Only with the visitor's consent to e-mail.
 */
#ifndef CRM_FOLLOWUP_H
#define CRM_FOLLOWUP_H

#include "crm/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Fill a template: {name} {given_name} {family_name} {company} {title} from
 * contact (contacts.h), {event} (the event, else the device name); "\n"
 * (backslash n) is a line break; unknown {words} stay as they are. Writes
 * at most len-1 bytes (cut at a character). */
void crm_followup_render(const char *tmpl, json_t *contact, const char *event, const char *device, char *out,
                         size_t len);

/* Queue the follow-up for contact (as stored: consent_mail, emails) about
 * lead_id. GR_ERR_INVAL with a message in err when the contact has not
 * agreed to e-mail or has no address. Call inside the caller's transaction. */
int crm_followup_queue(crm_store_t *st, json_t *contact, const char *event, int64_t lead_id, char *err, size_t errlen);

#endif
