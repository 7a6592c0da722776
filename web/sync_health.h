/* sync_health.h - the System page's sync health card (sync_health.c):
 *   GET  /api/v1/sync        {"enabled":{"bitrix24","carddav"},"bitrix24_host","status":{crm_sync_status_json},
 *                            "failed":[the outbox rows the CRM refused, newest 20]}
 *   POST /api/v1/sync/test   {"url"} (optional: else sync.bitrix24_url): one call to the
 *                            CRM; {"ok":true,"ms"} or {"ok":false,"class","message"}
 *   POST /api/v1/sync/retry  the refused rows back to the queue and the agent
 *                            restarted, so it tries at once: {"requeued":N}
 * The sync settings themselves are saved with PATCH /api/v1/settings; greeterd
 * restarts its sync agent when they change. Not for other parts.
 */
#ifndef WEB_SYNC_HEALTH_H
#define WEB_SYNC_HEALTH_H

#include "web/request.h"

/* Bus topic greeterd listens on for {"action":"retry"} (not sent to browsers). */
#define WEB_SYNC_CONTROL_TOPIC "system.sync"

void web_sync_route(web_req_t *r);

#endif
