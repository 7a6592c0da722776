/* pages.c - the embedded pages (pages.h): "/" is index.html, revalidated
 * on every load by ETag (an FNV-1a hash of the contents, computed once per
 * server) and served with a strict Content-Security-Policy.
 */
#include "web/pages.h"
#include "firmware/core/err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct web_pages {
    const gr_embed_file_t *files;
    size_t count;
    char (*etags)[24]; /* indexed like files */
};

int web_pages_new(const gr_embed_file_t *files, size_t count, web_pages_t **out) {
    web_pages_t *p = calloc(1, sizeof *p);
    if (p) p->etags = calloc(count ? count : 1, sizeof *p->etags);
    if (!p || !p->etags) {
        free(p);
        *out = NULL;
        return GR_ERR_NOMEM;
    }
    p->files = files;
    p->count = count;
    for (size_t i = 0; i < count; i++) {
        uint64_t h = 1469598103934665603ULL;
        for (size_t j = 0; j < files[i].size; j++) {
            h ^= files[i].data[j];
            h *= 1099511628211ULL;
        }
        snprintf(p->etags[i], sizeof p->etags[i], "\"%016llx\"", (unsigned long long)h);
    }
    *out = p;
    return GR_OK;
}

void web_pages_free(web_pages_t *p) {
    if (!p) return;
    free(p->etags);
    free(p);
}

void web_pages_route(web_req_t *r) {
    if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
        web_reply_error(r, 405, "method_not_allowed", "pages are read with GET");
        return;
    }
    char name[256];
    if (web_static_name(r->url, name, sizeof name) != GR_OK) {
        web_reply_error(r, 404, "not_found", "no such page");
        return;
    }
    const web_pages_t *p = r->ctx->pages;
    for (size_t i = 0; i < p->count; i++) {
        const gr_embed_file_t *f = &p->files[i];
        if (strcmp(f->name, name) != 0) continue;
        const char *etag = p->etags[i];
        const char *inm = web_req_header(r, "If-None-Match");
        struct MHD_Response *resp;
        unsigned status = 200;
        if (inm && strcmp(inm, etag) == 0) {
            resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
            status = 304;
        } else {
            resp = MHD_create_response_from_buffer(f->size, (void *)f->data, MHD_RESPMEM_PERSISTENT);
        }
        if (!resp) {
            web_reply_error(r, 500, "internal", "out of memory");
            return;
        }
        MHD_add_response_header(resp, "Content-Type", web_mime_type(f->name));
        /* The files change with the firmware: revalidate each time (cheap, 304). */
        MHD_add_response_header(resp, "Cache-Control", "no-cache");
        MHD_add_response_header(resp, "ETag", etag);
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
                                "script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
        web_reply_response(r, status, resp);
        return;
    }
    web_reply_error(r, 404, "not_found", "no such page");
}
