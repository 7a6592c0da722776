/* booth.c - the booth's event name and interest tags for the Scan page (booth.h). */
#define GR_LOG_MODULE "web"
#include "web/booth.h"

#include "firmware/core/config.h"

#include <string.h>

/* The comma-separated tags of booth.interests as an array, blanks trimmed,
 * empty ones left out. */
static json_t *tags(const char *list) {
    json_t *a = json_array();
    if (!a) return NULL;
    const char *p = list;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *b = p, *e = p + n;
        while (b < e && (*b == ' ' || *b == '\t')) b++;
        while (e > b && (e[-1] == ' ' || e[-1] == '\t')) e--;
        if (e > b && json_array_append_new(a, json_stringn(b, (size_t)(e - b))) != 0) {
            json_decref(a);
            return NULL;
        }
        p = end ? end + 1 : p + n;
    }
    return a;
}

void web_booth_route(web_req_t *r) {
    if (!web_req_allow(r, "GET")) return;
    json_t *t = tags(gr_config_str(r->ctx->cfg, GR_SET_BOOTH_INTERESTS));
    json_t *out = t ? json_pack("{s:s, s:o}", "event", gr_config_str(r->ctx->cfg, GR_SET_BOOTH_EVENT), "interests", t) : NULL;
    if (!out) {
        web_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    web_reply_json(r, 200, out);
}
