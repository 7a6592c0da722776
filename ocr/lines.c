/* lines.c - the line set the OCR fills and the field parser reads. */
#include "ocr/fields.h"

#include "firmware/core/err.h"

#include <stdlib.h>
#include <string.h>

char *ocr_text_join(const char *a, const char *b) {
    size_t al = strlen(a), bl = strlen(b);
    char *t = malloc(al + bl + 2);
    if (!t) return NULL;
    memcpy(t, a, al);
    t[al] = ' ';
    memcpy(t + al + 1, b, bl + 1);
    return t;
}

int ocr_lines_add(ocr_lines_t *ls, const char *text, float conf, int x, int y, int w, int h) {
    size_t n = strlen(text);
    while (n && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' ' || text[n - 1] == '\t')) n--;
    while (n && (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')) {
        text++;
        n--;
    }
    if (!n) return GR_OK;
    if (ls->n == ls->cap) {
        size_t cap = ls->cap ? ls->cap * 2 : 32;
        ocr_line_t *v = realloc(ls->v, cap * sizeof *v);
        if (!v) return GR_ERR_NOMEM;
        ls->v = v;
        ls->cap = cap;
    }
    char *t = malloc(n + 1);
    if (!t) return GR_ERR_NOMEM;
    memcpy(t, text, n);
    t[n] = '\0';
    ls->v[ls->n++] = (ocr_line_t){t, conf, x, y, w, h};
    return GR_OK;
}

int ocr_lines_from_text(ocr_lines_t *ls, const char *text, size_t len) {
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && text[j] != '\n' && text[j] != '\0') j++;
        char *l = malloc(j - i + 1);
        if (!l) return GR_ERR_NOMEM;
        memcpy(l, text + i, j - i);
        l[j - i] = '\0';
        int rc = ocr_lines_add(ls, l, -1, 0, 0, 0, 0);
        free(l);
        if (rc != GR_OK) return rc;
        i = j + 1;
    }
    return GR_OK;
}

/* The box prefix of one `greeter cards text` line, "0.93 120,48,610,31<TAB>":
 * its confidence and box, and the length of the prefix (0 when the line has
 * none, so a plain line of a card's text is never taken for one). */
static size_t dump_prefix(const char *s, size_t n, float *conf, int box[4]) {
    char buf[64];
    size_t tab = 0;
    while (tab < n && tab < sizeof buf - 1 && s[tab] != '\t') tab++;
    if (tab >= n || s[tab] != '\t' || tab == 0) return 0;
    memcpy(buf, s, tab);
    buf[tab] = '\0';
    for (size_t i = 0; i < tab; i++) /* digits, one space, commas, dots, minus signs only */
        if (!strchr("0123456789 ,.-", buf[i])) return 0;
    char *end = NULL;
    double c = strtod(buf, &end);
    if (end == buf || *end != ' ' || c < -1 || c > 1) return 0;
    const char *q = end + 1;
    for (int k = 0; k < 4; k++) {
        char *e = NULL;
        long v = strtol(q, &e, 10);
        if (e == q || v < -100000 || v > 100000 || *e != (k < 3 ? ',' : '\0')) return 0;
        box[k] = (int)v;
        q = e + 1;
    }
    *conf = (float)c;
    return tab + 1;
}

int ocr_lines_from_dump(ocr_lines_t *ls, const char *text, size_t len) {
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && text[j] != '\n' && text[j] != '\0') j++;
        float conf = -1;
        int box[4] = {0, 0, 0, 0};
        size_t off = dump_prefix(text + i, j - i, &conf, box);
        char *l = malloc(j - i - off + 1);
        if (!l) return GR_ERR_NOMEM;
        memcpy(l, text + i + off, j - i - off);
        l[j - i - off] = '\0';
        int rc = ocr_lines_add(ls, l, conf, box[0], box[1], box[2], box[3]);
        free(l);
        if (rc != GR_OK) return rc;
        i = j + 1;
    }
    return GR_OK;
}

void ocr_lines_free(ocr_lines_t *ls) {
    for (size_t i = 0; i < ls->n; i++) free(ls->v[i].text);
    free(ls->v);
    memset(ls, 0, sizeof *ls);
}
