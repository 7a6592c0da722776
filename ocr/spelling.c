/* spelling.c - a spelling list held sorted in lower case (see spelling.h). */
#include "ocr/spelling.h"

#include "firmware/core/err.h"
#include "firmware/formats/utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORD 64 /* bytes with the NUL */

struct ocr_spelling {
    char *buf;      /* the words, lower case, each NUL-terminated */
    char **words;   /* into buf, sorted by strcmp */
    size_t n;
};

static int by_text(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The lower-case form of the n bytes w into out (MAX_WORD bytes); 0 when
 * it does not fit or is not valid UTF-8. */
static int lower_word(const char *w, size_t n, char *out) {
    if (!n || n > MAX_WORD - 9) return 0; /* room for lower case to grow */
    char tmp[MAX_WORD];
    memcpy(tmp, w, n);
    tmp[n] = '\0';
    if (!fmt_u8_valid(tmp)) return 0;
    size_t len = fmt_u8_lower_n(tmp, n, out, MAX_WORD);
    return len > 0;
}

int ocr_spelling_from_text(const char *text, size_t n, ocr_spelling_t **out) {
    *out = NULL;
    if (n > OCR_SPELLING_MAX_BYTES) return GR_ERR_INVAL;
    ocr_spelling_t *s = calloc(1, sizeof *s);
    if (!s) return GR_ERR_NOMEM;
    /* lower case may take more bytes than the word as written (rare: a
     * capital of two bytes whose small letter takes three); room for it */
    size_t cap = n + n / 2 + 1, used = 0, nlines = 1;
    for (size_t i = 0; i < n; i++) nlines += text[i] == '\n';
    if (nlines > n / 2 + 1) nlines = n / 2 + 1; /* a word takes a byte and its '\n' */
    s->buf = malloc(cap);
    s->words = malloc(nlines * sizeof *s->words);
    if (!s->buf || !s->words) goto nomem;
    for (size_t i = 0; i < n;) {
        size_t e = i;
        while (e < n && text[e] != '\n') e++;
        size_t len = e - i;
        if (len && text[i + len - 1] == '\r') len--;
        char low[MAX_WORD];
        if (len && text[i] != '#' && !memchr(text + i, '\0', len) && lower_word(text + i, len, low)) {
            size_t l = strlen(low) + 1;
            if (s->n < nlines && used + l <= cap) {
                memcpy(s->buf + used, low, l);
                s->words[s->n++] = s->buf + used;
                used += l;
            }
        }
        i = e + 1;
    }
    if (!s->n) {
        ocr_spelling_free(s);
        return GR_ERR_INVAL;
    }
    qsort(s->words, s->n, sizeof *s->words, by_text);
    *out = s;
    return GR_OK;
nomem:
    ocr_spelling_free(s);
    return GR_ERR_NOMEM;
}

int ocr_spelling_load(const char *path, ocr_spelling_t **out) {
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return errno == ENOENT ? GR_ERR_NOTFOUND : GR_ERR_IO;
    int rc = GR_ERR_IO;
    char *text = NULL;
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0) size = ftell(f);
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0) goto done;
    if ((unsigned long)size > OCR_SPELLING_MAX_BYTES) {
        rc = GR_ERR_INVAL;
        goto done;
    }
    text = malloc((size_t)size + 1);
    if (!text) {
        rc = GR_ERR_NOMEM;
        goto done;
    }
    if (fread(text, 1, (size_t)size, f) != (size_t)size) goto done;
    rc = ocr_spelling_from_text(text, (size_t)size, out);
done:
    free(text);
    fclose(f);
    return rc;
}

void ocr_spelling_free(ocr_spelling_t *s) {
    if (!s) return;
    free(s->words);
    free(s->buf);
    free(s);
}

int ocr_spelling_has(const ocr_spelling_t *s, const char *word) {
    char low[MAX_WORD];
    if (!s || !word || !lower_word(word, strlen(word), low)) return 0;
    const char *key = low;
    return bsearch(&key, s->words, s->n, sizeof *s->words, by_text) != NULL;
}

size_t ocr_spelling_count(const ocr_spelling_t *s) { return s ? s->n : 0; }
