/* settings.h - GET|PATCH /api/v1/settings for the Settings page
 * (settings.c). Not for other parts.
 */
#ifndef WEB_SETTINGS_H
#define WEB_SETTINGS_H

#include "web/request.h"

/* The state of one server's settings route (reached as r->ctx->settings):
 * one change at a time, and the settings saved since start that wait for a
 * restart. On success *out is owned by the caller: web_settings_free. */
int web_settings_new(web_settings_t **out) __attribute__((warn_unused_result));
void web_settings_free(web_settings_t *st);

void web_settings_route(web_req_t *r);

#endif
