/* strbuf.c - growable byte buffer (see strbuf.h). */
#include "firmware/formats/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fmt_sb_init(fmt_strbuf_t *b) { memset(b, 0, sizeof *b); }

void fmt_sb_free(fmt_strbuf_t *b) {
    free(b->s);
    memset(b, 0, sizeof *b);
}

static int grow(fmt_strbuf_t *b, size_t extra) {
    if (b->oom) return -1;
    if (extra > ((size_t)-1) / 2 - b->len) goto fail;
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s) goto fail;
    b->s = s;
    b->cap = cap;
    return 0;
fail:
    b->oom = 1;
    return -1;
}

void fmt_sb_add(fmt_strbuf_t *b, const char *s, size_t n) {
    if (grow(b, n) != 0) return;
    if (n) memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void fmt_sb_adds(fmt_strbuf_t *b, const char *s) { fmt_sb_add(b, s, strlen(s)); }

void fmt_sb_addc(fmt_strbuf_t *b, char c) { fmt_sb_add(b, &c, 1); }

void fmt_sb_printf(fmt_strbuf_t *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || grow(b, (size_t)n) != 0) return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *fmt_sb_take(fmt_strbuf_t *b) {
    if (b->oom) {
        fmt_sb_free(b);
        return NULL;
    }
    char *s = b->s ? b->s : strdup("");
    memset(b, 0, sizeof *b);
    return s;
}
