/* opts.h - the CRM's settings, in one struct.
 *
 * The program fills it from the settings table (crm_opts_from_config) and
 * hands it to crm_store_open: each connection carries its own copy, and the
 * CRM functions read their settings from the connection they are given,
 * never from anywhere else. Settings marked GR_LIVE in settings.def are
 * changed on an open connection with crm_store_set_opts (web/settings.c does
 * it for the web server's connections when the Settings page saves them).
 */
#ifndef CRM_OPTS_H
#define CRM_OPTS_H

#include "firmware/core/config.h"

typedef struct {
    char device_name[72]; /* device.name: titles of the leads face visits make (GR_RESTART) */
    char region[8];       /* device.region: phone numbers without a country code (GR_LIVE) */
    int require_consent;  /* privacy.require_consent: a face is linked to a contact only with
                           * its consent_face (GR_LIVE) */
    int visitor_lead;     /* privacy.visitor_lead: CRM_LEAD_* (GR_LIVE) */
    char followup_subject[256]; /* booth.followup_subject, booth.followup_body: the follow-up */
    char followup_body[2048];   /* e-mail to a visitor, templates of crm/followup.h (GR_LIVE) */
} crm_opts_t;

/* When an unknown face becomes a lead (privacy.visitor_lead; docs/CRM.md). */
enum { CRM_LEAD_FIRST_VISIT = 0, CRM_LEAD_SECOND_VISIT = 1, CRM_LEAD_STAFF = 2 };

/* Fill *out from cfg. */
void crm_opts_from_config(const gr_config_t *cfg, crm_opts_t *out);

/* Fill *out with the defaults of settings.def. GR_OK or GR_ERR_NOMEM. */
int crm_opts_default(crm_opts_t *out);

#endif
