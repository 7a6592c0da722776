/* opts.c - the CRM's settings from the settings table (see opts.h). */
#include "crm/opts.h"

#include "firmware/core/err.h"

#include <stdio.h>
#include <string.h>

void crm_opts_from_config(const gr_config_t *cfg, crm_opts_t *out) {
    memset(out, 0, sizeof *out);
    snprintf(out->device_name, sizeof out->device_name, "%s", gr_config_str(cfg, GR_SET_DEVICE_NAME));
    snprintf(out->region, sizeof out->region, "%s", gr_config_str(cfg, GR_SET_DEVICE_REGION));
    out->require_consent = gr_config_bool(cfg, GR_SET_PRIVACY_REQUIRE_CONSENT);
    const char *lead = gr_config_str(cfg, GR_SET_PRIVACY_VISITOR_LEAD);
    out->visitor_lead = !strcmp(lead, "first_visit") ? CRM_LEAD_FIRST_VISIT
                        : !strcmp(lead, "staff")     ? CRM_LEAD_STAFF
                                                     : CRM_LEAD_SECOND_VISIT;
    snprintf(out->followup_subject, sizeof out->followup_subject, "%s", gr_config_str(cfg, GR_SET_BOOTH_FOLLOWUP_SUBJECT));
    snprintf(out->followup_body, sizeof out->followup_body, "%s", gr_config_str(cfg, GR_SET_BOOTH_FOLLOWUP_BODY));
}

int crm_opts_default(crm_opts_t *out) {
    /* The defaults come from the one table, read through a config of defaults. */
    gr_config_t *cfg = gr_config_new();
    if (!cfg) return GR_ERR_NOMEM;
    crm_opts_from_config(cfg, out);
    gr_config_free(cfg);
    return GR_OK;
}
