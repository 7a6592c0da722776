/* website.c - see website.h. */
#include "firmware/formats/website.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

int fmt_website_ok(const char *s) {
    if (!s || !*s) return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == 0x7f || *p == '\\' || *p == '"' || *p == '<' || *p == '>') return 0;
    if (strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0)
        return s[strncasecmp(s, "http://", 7) == 0 ? 7 : 8] != '\0';
    /* A scheme is letters, digits, + - . before the first ':' (RFC 3986);
     * "host:port" is the one such prefix allowed: a dot in the host or
     * "localhost", and digits after the colon. */
    size_t n = strcspn(s, ":/?#");
    if (s[n] != ':') return s[0] != '/' || s[1] == '/'; /* a bare host; "//host" is protocol-relative */
    int dot = memchr(s, '.', n) != NULL || (n == 9 && strncasecmp(s, "localhost", 9) == 0);
    return dot && isdigit((unsigned char)s[n + 1]);
}
