/* router.h - which handler answers a request (router.c): the login and
 * CSRF checks and the route table. The top of the web part with server.c.
 * Not for other parts.
 */
#ifndef WEB_ROUTER_H
#define WEB_ROUTER_H

#include "web/request.h"

/* The header stage, before any body byte is read: the path, the session and
 * CSRF token, the route. Returns 1 with r->handler and r->body_max (the
 * route's largest body) set, or 0 after replying 401/403/404/503. */
int web_router_judge(web_req_t *r);

/* Answer r, once judged and its body read (sets r->status and r->resp). */
void web_router_dispatch(web_req_t *r);

#endif
