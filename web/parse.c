/* parse.c - pure parsers for HTTP input; see parse.h. */
#include "web/parse.h"
#include "firmware/core/err.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int parse_port(const char *s, int *port) {
    if (!*s || strlen(s) > 5) return GR_ERR_INVAL;
    long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') return GR_ERR_INVAL;
        v = v * 10 + (*p - '0');
    }
    if (v > 65535) return GR_ERR_INVAL;
    *port = (int)v;
    return GR_OK;
}

int web_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len) {
    if (!s || !ss || !len) return GR_ERR_INVAL;
    memset(ss, 0, sizeof *ss);
    char host[64] = "";
    const char *portstr;
    int port;
    if (s[0] == '[') {
        const char *end = strchr(s, ']');
        if (!end || end[1] != ':' || (size_t)(end - s - 1) >= sizeof host) return GR_ERR_INVAL;
        memcpy(host, s + 1, (size_t)(end - s - 1));
        host[end - s - 1] = '\0';
        portstr = end + 2;
        if (parse_port(portstr, &port) != GR_OK) return GR_ERR_INVAL;
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host, &a6->sin6_addr) != 1) return GR_ERR_INVAL;
        *len = sizeof *a6;
        return GR_OK;
    }
    const char *colon = strrchr(s, ':');
    if (colon) {
        if ((size_t)(colon - s) >= sizeof host) return GR_ERR_INVAL;
        memcpy(host, s, (size_t)(colon - s));
        host[colon - s] = '\0';
        portstr = colon + 1;
    } else {
        portstr = s;
    }
    if (parse_port(portstr, &port) != GR_OK) return GR_ERR_INVAL;
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    if (!host[0] || strcmp(host, "*") == 0)
        a4->sin_addr.s_addr = htonl(INADDR_ANY);
    else if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
        return GR_ERR_INVAL;
    *len = sizeof *a4;
    return GR_OK;
}

int web_parse_id(const char *s, int64_t *id) {
    if (!s || !*s || strlen(s) > 16) return GR_ERR_INVAL;
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') return GR_ERR_INVAL;
        v = v * 10 + (*p - '0');
    }
    if (v < 1 || v > (INT64_C(1) << 53)) return GR_ERR_INVAL;
    *id = v;
    return GR_OK;
}

int web_parse_long(const char *s, long min, long max, long def, long *out) {
    if (!s || !*s) {
        *out = def;
        return GR_OK;
    }
    const char *p = s;
    if (*p == '-') p++;
    if (!*p || strlen(p) > 12) return GR_ERR_INVAL;
    for (const char *q = p; *q; q++)
        if (*q < '0' || *q > '9') return GR_ERR_INVAL;
    long v = strtol(s, NULL, 10);
    if (v < min || v > max) return GR_ERR_INVAL;
    *out = v;
    return GR_OK;
}

int web_split_path(const char *path, char segs[WEB_MAX_SEGS][WEB_MAX_SEG_LEN]) {
    if (!path || path[0] != '/') return GR_ERR_INVAL;
    int n = 0;
    const char *p = path + 1;
    if (!*p) return 0;
    for (;;) {
        const char *end = strchr(p, '/');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        if (l == 0) {
            if (!end) break; /* trailing slash: "/api/v1/contacts/" */
            return GR_ERR_INVAL;
        }
        if (n >= WEB_MAX_SEGS || l >= WEB_MAX_SEG_LEN) return GR_ERR_INVAL;
        memcpy(segs[n], p, l);
        segs[n][l] = '\0';
        n++;
        if (!end) break;
        p = end + 1;
    }
    return n;
}

int web_parse_json_object(const void *body, size_t len, json_t **out, char *err, size_t errlen) {
    *out = NULL;
    if (!body || len == 0) {
        snprintf(err, errlen, "a JSON object body is required");
        return GR_ERR_FORMAT;
    }
    json_error_t je;
    json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        snprintf(err, errlen, "malformed JSON at line %d column %d: %s", je.line, je.column, je.text);
        return GR_ERR_FORMAT;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        snprintf(err, errlen, "the body must be a JSON object");
        return GR_ERR_FORMAT;
    }
    *out = j;
    return GR_OK;
}

/* memmem without relying on GNU extensions' exact behaviour for n == 0. */
static const char *find_bytes(const char *hay, size_t hlen, const char *needle, size_t nlen) {
    if (nlen == 0 || hlen < nlen) return NULL;
    return memmem(hay, hlen, needle, nlen);
}

/* Value of a parameter `key=` in a header value like `form-data; name="x"`.
 * Copies into out; returns 1 if found. */
static int header_param(const char *h, size_t hlen, const char *key, char *out, size_t outlen) {
    size_t klen = strlen(key);
    size_t i = 0;
    while (i < hlen) {
        /* Parameters start after ';' (or at the start for the first token). */
        while (i < hlen && (h[i] == ';' || h[i] == ' ' || h[i] == '\t')) i++;
        if (i + klen + 1 <= hlen && strncasecmp(h + i, key, klen) == 0 && h[i + klen] == '=') {
            i += klen + 1;
            size_t o = 0;
            if (i < hlen && h[i] == '"') {
                i++;
                while (i < hlen && h[i] != '"') {
                    if (h[i] == '\\' && i + 1 < hlen) i++;
                    if (o + 1 < outlen) out[o++] = h[i];
                    i++;
                }
            } else {
                while (i < hlen && h[i] != ';' && h[i] != ' ' && h[i] != '\t' && h[i] != '\r' && h[i] != '\n') {
                    if (o + 1 < outlen) out[o++] = h[i];
                    i++;
                }
            }
            out[o] = '\0';
            return 1;
        }
        /* Skip to the next ';' outside quotes. */
        int q = 0;
        while (i < hlen && (q || h[i] != ';')) {
            if (h[i] == '"') q = !q;
            i++;
        }
    }
    return 0;
}

int web_multipart_find(const char *content_type, const void *body, size_t len, const char *name,
                       const void **data, size_t *dlen) {
    if (!content_type) return GR_ERR_FORMAT;
    const char *mp = "multipart/form-data";
    if (strncasecmp(content_type, mp, strlen(mp)) != 0) return GR_ERR_FORMAT;
    char boundary[80];
    const char *params = content_type + strlen(mp);
    if (!header_param(params, strlen(params), "boundary", boundary, sizeof boundary) || !boundary[0] ||
        strlen(boundary) > 70)
        return GR_ERR_FORMAT;
    char delim[84];
    int dl = snprintf(delim, sizeof delim, "--%s", boundary);
    const char *b = body;
    if (!b) return GR_ERR_FORMAT;
    /* The first delimiter may be preceded by a preamble. */
    const char *p = find_bytes(b, len, delim, (size_t)dl);
    if (!p) return GR_ERR_FORMAT;
    const char *end = b + len;
    for (;;) {
        p += dl;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-') return GR_ERR_NOTFOUND; /* closing delimiter */
        /* Skip transport padding and the CRLF after the delimiter. */
        while (p < end && (*p == ' ' || *p == '\t')) p++;
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n') return GR_ERR_FORMAT;
        p += 2;
        const char *hend = find_bytes(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (!hend) return GR_ERR_FORMAT;
        /* The part's headers: look for Content-Disposition. */
        char pname[WEB_MAX_SEG_LEN] = "", fname[8] = "";
        int has_file = 0;
        const char *line = p;
        while (line < hend + 2) {
            const char *eol = find_bytes(line, (size_t)(hend + 2 - line), "\r\n", 2);
            if (!eol) break;
            const char *cd = "content-disposition:";
            size_t cdl = strlen(cd);
            if ((size_t)(eol - line) > cdl && strncasecmp(line, cd, cdl) == 0) {
                const char *v = line + cdl;
                size_t vl = (size_t)(eol - v);
                header_param(v, vl, "name", pname, sizeof pname);
                has_file = header_param(v, vl, "filename", fname, sizeof fname);
            }
            line = eol + 2;
        }
        const char *content = hend + 4;
        /* The part ends at CRLF + delimiter. */
        char cdelim[88];
        int cdl = snprintf(cdelim, sizeof cdelim, "\r\n%s", delim);
        const char *next = find_bytes(content, (size_t)(end - content), cdelim, (size_t)cdl);
        if (!next) return GR_ERR_FORMAT;
        int match = name ? strcmp(pname, name) == 0 : has_file;
        if (match) {
            *data = content;
            *dlen = (size_t)(next - content);
            return GR_OK;
        }
        p = next + 2;
    }
}

int web_static_name(const char *url, char *out, size_t outlen) {
    if (!url || url[0] != '/') return GR_ERR_INVAL;
    const char *rel = url + 1;
    if (!*rel) rel = "index.html";
    size_t n = strlen(rel);
    if (n >= outlen || n > 200) return GR_ERR_INVAL;
    const char *seg = rel;
    for (size_t i = 0; i <= n; i++) {
        char c = rel[i];
        if (c == '/' || c == '\0') {
            size_t sl = (size_t)(rel + i - seg);
            if (sl == 0) return GR_ERR_INVAL;
            if (seg[0] == '.') return GR_ERR_INVAL; /* ".", "..", hidden files */
            seg = rel + i + 1;
            continue;
        }
        if ((unsigned char)c < 0x20 || c == 0x7f || c == '\\' || c == '%' || c == ':') return GR_ERR_INVAL;
    }
    memcpy(out, rel, n + 1);
    return GR_OK;
}

const char *web_mime_type(const char *name) {
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".ico", "image/x-icon"},
        {".txt", "text/plain; charset=utf-8"},
        {".webmanifest", "application/manifest+json"},
        {".woff2", "font/woff2"},
    };
    const char *dot = strrchr(name, '.');
    if (dot)
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcasecmp(dot, types[i].ext) == 0) return types[i].type;
    return "application/octet-stream";
}

int web_parse_body_length(const char *content_length, const char *transfer_encoding, size_t max, size_t *want) {
    *want = 0;
    if (content_length) {
        const char *p = content_length;
        while (*p == ' ' || *p == '\t') p++;
        if (*p < '0' || *p > '9') return GR_ERR_FORMAT;
        unsigned long long v = 0;
        for (; *p >= '0' && *p <= '9'; p++) {
            if (v > (~0ULL - 9) / 10) return GR_ERR_TOOBIG; /* more digits than any limit */
            v = v * 10 + (unsigned)(*p - '0');
        }
        while (*p == ' ' || *p == '\t') p++;
        if (*p) return GR_ERR_FORMAT;
        if (v > max) return GR_ERR_TOOBIG;
        *want = (size_t)v;
        return GR_OK;
    }
    if (transfer_encoding && *transfer_encoding) {
        if (max == 0) return GR_ERR_TOOBIG;
        *want = max;
    }
    return GR_OK;
}
