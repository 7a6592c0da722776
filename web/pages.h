/* pages.h - the web UI's files (everything under web/static, embedded at build time) with
 * ETags (pages.c). Not for other parts.
 */
#ifndef WEB_PAGES_H
#define WEB_PAGES_H

#include "firmware/core/embed.h"
#include "web/request.h"

#include <stddef.h>

/* Serve files[0..count-1] (kept, not copied: the table embedded at build
 * time) with their ETags, computed here once. Reached as r->ctx->pages. On
 * success *out is owned by the caller: web_pages_free. */
int web_pages_new(const gr_embed_file_t *files, size_t count, web_pages_t **out) __attribute__((warn_unused_result));
void web_pages_free(web_pages_t *p);

/* GET|HEAD of any path outside /api, /metrics, /healthz and /stream.mjpg. */
void web_pages_route(web_req_t *r);

#endif
