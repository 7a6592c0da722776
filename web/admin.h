/* admin.h - the API routes behind the Faces, Settings and System pages,
 * each in its own file: faces.c, settings.c, logs.c. Called by
 * web_api_dispatch (api.c) with the path split into segs (segs[0..1] are
 * "api","v1"). Not for other parts.
 */
#ifndef WEB_ADMIN_H
#define WEB_ADMIN_H

#include "web/internal.h"

/* /api/v1/faces[/{id}[/snapshot]] (faces.c). */
void web_faces_route(web_req_t *r, char segs[WEB_MAX_SEGS][WEB_MAX_SEG_LEN], int n);

/* GET|PATCH /api/v1/settings (settings.c). */
void web_settings_route(web_req_t *r);

/* GET /api/v1/logs (logs.c). */
void web_logs_route(web_req_t *r);

#endif
