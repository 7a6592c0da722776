/* stream.h - long-lived responses (stream.c). Not for other parts. */
#ifndef WEB_STREAM_H
#define WEB_STREAM_H

#include "web/request.h"

/* GET /api/v1/events: server-sent events from the bus. */
void web_stream_events(web_req_t *r);
/* GET /stream.mjpg: the camera's JPEG frames from the ring. */
void web_stream_mjpeg(web_req_t *r);

#endif
