/* booth.h - what the Scan page needs of the booth (booth.c):
 * GET /api/v1/booth = {"event": the booth.event setting, "interests": [the
 * booth.interests tags]}. Both are live settings, changed through
 * PATCH /api/v1/settings (settings.c). Not for other parts.
 */
#ifndef WEB_BOOTH_H
#define WEB_BOOTH_H

#include "web/request.h"

void web_booth_route(web_req_t *r);

#endif
