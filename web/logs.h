/* logs.h - GET /api/v1/logs for the System page (logs.c). Not for other parts. */
#ifndef WEB_LOGS_H
#define WEB_LOGS_H

#include "web/request.h"

void web_logs_route(web_req_t *r);

#endif
