/* lines.c - the line set the OCR fills and the field parser reads. */
#include "ocr/fields.h"

#include "firmware/core/err.h"

#include <stdlib.h>
#include <string.h>

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

void ocr_lines_free(ocr_lines_t *ls) {
    for (size_t i = 0; i < ls->n; i++) free(ls->v[i].text);
    free(ls->v);
    memset(ls, 0, sizeof *ls);
}
