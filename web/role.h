/* role.h - what a request's user may do (issue 12). Roles are "admin"
 * (settings, sync, accounts, export, erase, logs) and "desk" (scan,
 * contacts, leads, visits, enrol with consent); see web/users.h. Route files
 * call web_req_admin at the top of an admin-only action. Bottom layer of
 * web/ (beside request.h). Not for other parts.
 */
#ifndef WEB_ROLE_H
#define WEB_ROLE_H

#include "web/request.h"

/* 1 when the request's session is an admin's. Else replies 403
 * {"error":"forbidden","message":"... needs the admin role"} and returns 0. */
int web_req_admin(web_req_t *r);

/* 1 when the request may go on while its user still has to change the
 * password (must_change): only POST /api/v1/password, GET /api/v1/me and
 * POST /api/v1/logout may. Else replies 403 {"error":"password_change_required"}
 * and returns 0. The router calls it for every request with a session. */
int web_req_password_ok(web_req_t *r);

#endif
