/* router.h - which handler answers a request (router.c): the login and
 * CSRF checks and the route table. The top of the web part with server.c.
 * Not for other parts.
 */
#ifndef WEB_ROUTER_H
#define WEB_ROUTER_H

#include "web/request.h"

/* Answer r (sets r->status and r->resp). */
void web_router_dispatch(web_req_t *r);

#endif
