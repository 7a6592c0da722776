/* parse.h - pure parsers for what arrives over HTTP: the listen address,
 * numeric path segments and query parameters, JSON bodies, multipart/form-data
 * uploads, URL paths of static files. No I/O and no global state, so they are
 * unit-tested and fuzzed on their own (tests/test_web_parse.c,
 * tests/fuzz/fuzz_web_request.c).
 */
#ifndef WEB_PARSE_H
#define WEB_PARSE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Most path segments the router looks at, and the longest one. */
#define WEB_MAX_SEGS 8
#define WEB_MAX_SEG_LEN 128

/* "1.2.3.4:8080", "[::1]:8080", ":8080" or "8080" (all IPv4 addresses).
 * Port 0 asks the kernel for a free port. GR_ERR_INVAL on anything else. */
int web_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len);

/* A record id: decimal digits only, 1 .. 2^53 (a JSON number stays exact).
 * GR_ERR_INVAL otherwise. */
int web_parse_id(const char *s, int64_t *id);

/* An integer query parameter: NULL or "" gives def; otherwise decimal digits
 * (optional leading '-') within [min, max], else GR_ERR_INVAL. */
int web_parse_long(const char *s, long min, long max, long def, long *out);

/* Split the path "/a/b/c" into at most WEB_MAX_SEGS segments (written into
 * segs[i], each NUL-terminated, at most WEB_MAX_SEG_LEN-1 bytes).
 * Returns the number of segments, or GR_ERR_INVAL when the path does not
 * start with '/', has an empty segment, too many or too long segments. */
int web_split_path(const char *path, char segs[WEB_MAX_SEGS][WEB_MAX_SEG_LEN]);

/* The body a request announces on its headers (issue 12: judged before any
 * body byte is read): content_length and transfer_encoding are the header
 * values or NULL, max the route's largest body. GR_OK with *want the bytes
 * to reserve (0: no body; a chunked body reserves max itself, at least 1);
 * GR_ERR_TOOBIG when more than max is announced; GR_ERR_FORMAT when
 * Content-Length is not a plain decimal number. */
int web_parse_body_length(const char *content_length, const char *transfer_encoding, size_t max, size_t *want);

/* Parse a request body that must be one JSON object. On GR_OK *out is a new
 * reference owned by the caller. GR_ERR_FORMAT with a message in err for
 * empty bodies, malformed JSON and non-objects. */
int web_parse_json_object(const void *body, size_t len, json_t **out, char *err, size_t errlen);

/* Find a part of a multipart/form-data body. content_type is the request's
 * Content-Type header (its boundary parameter is used). name selects the
 * part by its form field name; NULL selects the first part that carries a
 * filename (an uploaded file). On GR_OK *data and *dlen point into body.
 * GR_ERR_FORMAT (not multipart, no boundary, broken body), GR_ERR_NOTFOUND
 * (no such part). */
int web_multipart_find(const char *content_type, const void *body, size_t len, const char *name,
                       const void **data, size_t *dlen);

/* The name of the embedded static file for a URL path ("/" -> "index.html",
 * "/app.js" -> "app.js"), written into out. GR_ERR_INVAL for paths that are
 * not plain relative names: "..", ".", empty segments, backslashes, control
 * bytes, '%' (encoded paths are never needed), over-long. */
int web_static_name(const char *url, char *out, size_t outlen);

/* Content type for a file name by its extension; never NULL. */
const char *web_mime_type(const char *name);

#endif
