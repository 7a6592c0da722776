/* libFuzzer target for what the web server reads from the network before
 * any handler sees it: the request path (router and static files), numbers
 * in the query string, JSON bodies and multipart/form-data uploads, and the
 * header stage's body length (Content-Length / Transfer-Encoding against a
 * route's limit, issue 12).
 * Input: first line = Content-Type / path / query value, the rest = body. */
#include "firmware/core/err.h"
#include "web/parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const uint8_t *nl = memchr(data, '\n', size);
    size_t hl = nl ? (size_t)(nl - data) : size;
    if (hl > 1024) return 0;
    char head[1025];
    memcpy(head, data, hl);
    head[hl] = '\0';
    const uint8_t *body = nl ? nl + 1 : data + size;
    size_t blen = (size_t)(data + size - body);

    char segs[WEB_MAX_SEGS][WEB_MAX_SEG_LEN];
    web_split_path(head, segs);
    char name[256];
    if (web_static_name(head, name, sizeof name) == GR_OK) {
        if (strstr(name, "..") && (name[0] == '.' || strstr(name, "/.."))) abort(); /* traversal slipped through */
        (void)web_mime_type(name);
    }
    int64_t id;
    long v;
    web_parse_id(head, &id);
    web_parse_long(head, 0, 500, 50, &v);
    struct sockaddr_storage ss;
    socklen_t sl;
    web_parse_listen(head, &ss, &sl);

    /* the header stage: never more than the route's limit is reserved */
    size_t limits[] = {0, 16u << 10, 1u << 20, 20u << 20};
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        size_t want = 12345;
        int rc = web_parse_body_length(head, NULL, limits[i], &want);
        if (rc == GR_OK && want > limits[i]) abort();
        if (rc != GR_OK && want != 0) abort();
        rc = web_parse_body_length(NULL, hl ? head : NULL, limits[i], &want);
        if (rc == GR_OK && want > limits[i]) abort();
    }

    const void *part;
    size_t plen;
    if (web_multipart_find(head, body, blen, NULL, &part, &plen) == GR_OK) {
        if ((const uint8_t *)part < body || (const uint8_t *)part + plen > body + blen) abort();
    }
    web_multipart_find(head, body, blen, "image", &part, &plen);

    json_t *j = NULL;
    char err[256];
    if (web_parse_json_object(body, blen, &j, err, sizeof err) == GR_OK) {
        if (!json_is_object(j)) abort();
        json_decref(j);
    }
    return 0;
}
