/* account.h - the browser's session under /api/v1 (account.c). Not for
 * other parts.
 */
#ifndef WEB_ACCOUNT_H
#define WEB_ACCOUNT_H

#include "web/request.h"

/* Called by the router (router.c) for the session's endpoints, named by segs[2]:
 *   POST /login {"username","password"}         sets the session cookie
 *   POST /logout                                ends the session, clears the cookie
 *   GET  /me                                    the user, CSRF token, device name, greeting
 *   POST /password {"old_password","new_password"}
 */
void web_account_route(web_req_t *r);

#endif
