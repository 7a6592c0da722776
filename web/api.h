/* api.h - the handlers of the JSON API over the CRM under /api/v1 (api.c, docs/API.md),
 * called by the router (router.c) with the path in r->segs (segs[0..1] are
 * "api","v1"). Not for other parts.
 */
#ifndef WEB_API_H
#define WEB_API_H

#include "web/request.h"

/* /contacts, /companies, /leads, /deals [/{id}[/action]] (segs[2] names which). */
void web_api_records(web_req_t *r);

/* /visits[/stats]. */
void web_api_visits(web_req_t *r);
/* GET /scans[/{id}] (POST /scans and /scans/save: media.c). */
void web_api_scans(web_req_t *r);
/* /notifications[/{id}]/read. */
void web_api_notifications(web_req_t *r);
/* DELETE /people/{id} (POST /people: media.c). */
void web_api_people(web_req_t *r);
/* GET /status. */
void web_api_status(web_req_t *r);

#endif
