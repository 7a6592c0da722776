/* desk.h - the reception desk's expected visitors (desk.c, over crm/expected.h):
 *   GET    /api/v1/expected?day=YYYY-MM-DD   {"day","items":[..]} (default today)
 *   POST   /api/v1/expected                  {"name","company","contact_id","host","note","day"} -> 201 the row
 *   DELETE /api/v1/expected/{id}             {"ok":true}
 * Not for other parts.
 */
#ifndef WEB_DESK_H
#define WEB_DESK_H

#include "web/request.h"

void web_desk_expected(web_req_t *r);

#endif
