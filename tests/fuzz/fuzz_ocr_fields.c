/* libFuzzer target: the field parser and the QR payload reader take OCR text
 * and QR bytes from the outside; whatever they get, they must return a
 * contact that serialises (valid UTF-8 JSON) and never crash. The joining
 * of split contact lines and the vote between readings run on the same
 * lines, and so do the hints learned from a correction of the parsed card.
 * The bytes are also read as a `greeter cards text` dump (boxes kept), whose
 * lines also go through the accent and look-alike mending (ocr/accents.h)
 * and, two by two, through the merge of a second recogniser's reading into
 * Tesseract's, its word breaks and bullets, and its say on a contact line
 * (round 28). The bytes are read as a spelling list too (ocr/spelling.h:
 * a file named by ocr.dict_dir), and each line's words looked up in it and
 * mended with it (round 30). */
#include "firmware/formats/utf8.h"
#include "ocr/accents.h"
#include "ocr/fields.h"
#include "ocr/qr.h"
#include "ocr/scan.h"
#include "ocr/spelling.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A vote over the first (up to 8) lines' readings picks one of them, and
 * its count of agreeing readings is within 1..n (0 when none is picked). */
static void check_vote(const ocr_lines_t *ls, int (*vote)(const char *const *, const float *, int, int *)) {
    const char *texts[8];
    float confs[8];
    size_t nv = ls->n < 8 ? ls->n : 8;
    for (size_t i = 0; i < nv; i++) {
        texts[i] = ls->v[i].text;
        confs[i] = ls->v[i].conf;
    }
    int agree = 0;
    int k = vote(texts, confs, (int)nv, &agree);
    if (k >= (int)nv || (k >= 0 && (agree < 1 || agree > (int)nv)) || (k < 0 && agree != 0)) __builtin_trap();
}

/* A made-up word list for the accent mending: some words are words. */
static int some_words(void *ctx, const char *w) {
    (void)ctx;
    size_t n = strlen(w);
    return n % 3 == 0 && (unsigned char)w[0] < 'n';
}

static int spelled(void *ctx, const char *w) { return ocr_spelling_has(ctx, w); }

/* A contact (or QR result) serialises; it is released. */
static void check_dumps(json_t *o) {
    char *s = json_dumps(o, 0);
    if (!s) __builtin_trap();
    free(s);
    json_decref(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 64 * 1024) return 0;
    ocr_lines_t ls = {0};
    if (ocr_lines_from_text(&ls, (const char *)data, size) == 0) {
        /* give the lines made-up boxes from their bytes so layout code runs */
        for (size_t i = 0; i < ls.n; i++) {
            unsigned char b = (unsigned char)ls.v[i].text[0];
            ls.v[i].x = (b & 7) * 100;
            ls.v[i].y = (int)i * 40;
            ls.v[i].w = 300;
            ls.v[i].h = 20 + (b >> 5) * 8;
            ls.v[i].conf = (float)(b % 100) / 100.0f;
        }
        check_vote(&ls, ocr_scan_vote);
        size_t before = ls.n;
        int joins = ocr_scan_join_contact_lines(&ls);
        if (joins < 0 || ls.n + (size_t)joins != before) __builtin_trap();
        json_t *o = ocr_fields_parse(&ls, size && data[0] & 1 ? "DE" : "US");
        if (o) {
            /* learning from corrections: the card corrected into itself and
             * applied back (hints from stored scans are outside input too) */
            json_t *scans = json_pack("[{s:O, s:{s:{s:O, s:s}}}]", "result", o, "corrections", "company", "from",
                                      json_object_get(o, "company"), "to", "Corrected Co");
            json_t *hints = scans ? ocr_fields_hints_from_scans(scans) : NULL;
            if (hints && ocr_fields_apply_hints(o, hints) < 0) __builtin_trap();
            json_decref(hints);
            json_decref(scans);
            check_dumps(o);
        }
    }
    ocr_lines_free(&ls);
    /* a spelling list from the bytes: every word it holds is found again,
     * without regard to case; lines mended with it stay valid UTF-8 */
    ocr_spelling_t *sp = NULL;
    if (ocr_spelling_from_text((const char *)data, size, &sp) == 0) {
        if (!ocr_spelling_count(sp)) __builtin_trap();
        /* the first line, as the list reads it: up to '\n', one '\r' off */
        size_t fl = 0;
        while (fl < size && data[fl] != '\n') fl++;
        if (fl && data[fl - 1] == '\r') fl--;
        char first[80];
        if (fl && fl <= 55 && data[0] != '#' && !memchr(data, '\0', fl)) {
            memcpy(first, data, fl);
            first[fl] = '\0';
            if (fmt_u8_valid(first) && !ocr_spelling_has(sp, first)) __builtin_trap();
        }
        size_t ll = size < 200 ? size : 200;
        char *line = malloc(ll + 1);
        if (line) {
            for (size_t i = 0; i < ll; i++) line[i] = data[i] == '\n' || data[i] == '\r' || !data[i] ? ' ' : (char)data[i];
            line[ll] = '\0';
            int valid = fmt_u8_valid(line);
            if (ocr_accents_fix(&line, some_words, spelled, sp) >= 0 && valid && !fmt_u8_valid(line)) __builtin_trap();
            free(line);
        }
        ocr_spelling_free(sp);
    }
    /* the same bytes as `greeter cards parse` reads a dump ("CONF X,Y,W,H<TAB>TEXT":
     * its own boxes and confidences), and the number vote on its lines */
    ocr_lines_t dl = {0};
    if (ocr_lines_from_dump(&dl, (const char *)data, size) == 0) {
        check_vote(&dl, ocr_scan_vote_numbers);
        /* accent mending keeps valid UTF-8 valid and grows a line by at most a
         * few bytes per word it changes (g -> c with cedilla adds one) */
        for (size_t i = 0; i < dl.n; i++) {
            int valid = fmt_u8_valid(dl.v[i].text);
            size_t len = strlen(dl.v[i].text);
            int r = ocr_accents_fix(&dl.v[i].text, some_words, NULL, NULL);
            if (r < 0) continue;
            if ((valid && !fmt_u8_valid(dl.v[i].text)) || strlen(dl.v[i].text) > len + 3 * (size_t)r) __builtin_trap();
            /* look-alike letters (and two words run together) swap one
             * ASCII letter for another: the line keeps its length */
            valid = fmt_u8_valid(dl.v[i].text);
            len = strlen(dl.v[i].text);
            r = ocr_lookalikes_fix(&dl.v[i].text, some_words, NULL, NULL);
            if (r < 0) continue;
            if ((valid && !fmt_u8_valid(dl.v[i].text)) || strlen(dl.v[i].text) != len) __builtin_trap();
        }
        /* the second recogniser's reading put onto Tesseract's (word breaks
         * and marked letters): every character of the reading is kept, once
         * (its spaces aside), and valid UTF-8 stays valid */
        for (size_t i = 0; i + 1 < dl.n && i < 8; i++) {
            const char *a = dl.v[i].text, *b = dl.v[i + 1].text;
            if (strlen(a) > 256 || strlen(b) > 256) continue;
            char *m = ocr_scan_second_reading(a, b);
            if (!m) __builtin_trap();
            if (fmt_u8_valid(a) && fmt_u8_valid(b)) {
                size_t nb = 0, nm = 0;
                for (const char *q = b; *q;) nb += fmt_u8_next(&q) != ' ';
                if (!fmt_u8_valid(m)) __builtin_trap();
                for (const char *q = m; *q;) nm += fmt_u8_next(&q) != ' ';
                if (nb != nm) __builtin_trap();
            }
            free(m);
        }
        /* round 28: the recogniser's word breaks and bullets, and its say
         * on a contact line: the keys of two lines compared, the first's
         * address mended to the second's; each result a string, breaks
         * only adding spaces, bullets only taking bytes away */
        for (size_t i = 0; i + 1 < dl.n && i < 8; i++) {
            const char *a = dl.v[i].text, *b = dl.v[i + 1].text;
            char *br = ocr_scan_run_together_breaks(a);
            if (!br || strlen(br) < strlen(a) || strlen(br) > 2 * strlen(a)) __builtin_trap();
            free(br);
            char *d = strdup(a);
            if (!d) continue;
            ocr_scan_drop_bullets(d);
            if (strlen(d) > strlen(a)) __builtin_trap();
            free(d);
            char ka[300], kb[300];
            if (!ocr_fields_contact_key(a, ka, sizeof ka) || !ocr_fields_contact_key(b, kb, sizeof kb)) continue;
            (void)ocr_scan_contact_same(ka, kb);
            if (ocr_scan_contact_cut_short(ka, kb)) {
                char *m = ocr_scan_put_lost_start(a, ka, kb);
                if (m && strlen(m) > strlen(a) + strlen(kb)) __builtin_trap();
                free(m);
            }
            if (ocr_scan_contact_l_as_i(ka, kb)) {
                char *m = ocr_scan_put_l_for_i(a, ka, kb);
                if (m && strlen(m) != strlen(a)) __builtin_trap();
                free(m);
            }
        }
        json_t *o = ocr_fields_parse(&dl, size && data[0] & 2 ? "BR" : "JP");
        if (o) {
            check_dumps(o);
        }
    }
    ocr_lines_free(&dl);
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    json_t *q = ocr_qr_contact(text, "FR");
    if (q) {
        check_dumps(q);
    }
    free(text);
    return 0;
}
