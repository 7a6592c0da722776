/* fields.c - OCR lines -> contact fields (see fields.h): the stage driver.
 *
 * ocr_fields_parse runs the stages in order on one parse state
 * (fields_internal.h): the lines are cleaned and put in reading order;
 * contact lines (e-mail, web, @handle) are recognised by their grammar
 * (fields_web.c), then region hints and phones (fields_phone.c); what is
 * left with few letters and a poor confidence is junk; the address is the
 * best address-like line grown to its neighbours (fields_address.c); the
 * remaining lines are name, title, company or tagline, decided by size,
 * position, legal forms and agreement with the e-mail/web domain and the
 * e-mail's local part, which then corroborate each other (fields_names.c);
 * last the contact JSON is built. Also here: folding a QR code's contact
 * into the printed one. */
#include "ocr/fields.h"

#include "ocr/address.h"
#include "ocr/fields_internal.h"
#include "firmware/core/err.h"
#include "firmware/formats/strbuf.h"
#include "firmware/formats/utf8.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 when the first k bytes of s end in a phone label ("Fax", "Cel.:"). */
static int ends_in_phone_label(const char *s, size_t k) {
    size_t a = k;
    while (a && s[a - 1] != ' ') a--;
    char lw[32];
    snprintf(lw, sizeof lw, "%.*s", (int)(k - a < sizeof lw - 1 ? k - a : sizeof lw - 1), s + a);
    ocr_fld_trim_punct(lw);
    ocr_fld_lower_ascii(lw);
    return ocr_fld_phone_label(lw);
}

/* Fields printed on one row with a bar between them ("Daniel Whitton |
 * Cel: 817.228.4403", "Ana Lima | Diretora"): the bar (a lone '|' between
 * spaces) ends a first field without digits (a name, title or company).
 * An address row ("Rua Boa Vista, 254 | 17º and", "Cep 01014-000 |
 * Centro") starts with digits and stays whole, and so does a phone label
 * before its number ("Fax | 3569-6905"). Length of the first field
 * of s, or 0 when it is not split. */
static size_t bar_field(const char *s) {
    const char *b = strstr(s, " | ");
    if (!b || b == s) return 0;
    for (const char *q = s; q < b; q++)
        if (*q >= '0' && *q <= '9') return 0;
    if (ends_in_phone_label(s, (size_t)(b - s))) return 0;
    return (size_t)(b - s);
}

/* A number printed at the end of another field's row behind an icon read
 * as a mark ("Av. Itaquera, 2994 - Jd. Fernandes-SP @ 3569-6905", cards_real
 * am05 a grey level brighter: the '@' made the row neither an address nor
 * a phone): a lone '@', '©', '®' or '|' between spaces, after a head with
 * a letter, no '@' and no phone label at its end ("Fax | 3569-6905" is one
 * field), before a rest that is a number alone (7 digits or more, only
 * digits and the marks between them). Length of the head, *skip the icon
 * with its spaces; 0 when not split. */
static size_t icon_number_field(const char *s, size_t *skip) {
    static const char *const ICON[] = {" @ ", " \xC2\xA9 ", " \xC2\xAE ", " | ", NULL};
    for (int i = 0; ICON[i]; i++) {
        const char *b = strstr(s, ICON[i]);
        if (!b || b == s) continue;
        if (!ocr_text_number_only(b + strlen(ICON[i]), 7)) continue;
        size_t k = (size_t)(b - s);
        if (k >= 256) continue; /* a head of 256 bytes or more stays whole, as it always has */
        int letter = 0;
        for (const char *q = s; q < b; q++) letter |= isalpha((unsigned char)*q) || (unsigned char)*q >= 0xC0;
        if (!letter || memchr(s, '@', k) || ends_in_phone_label(s, k)) continue;
        *skip = strlen(ICON[i]);
        return k;
    }
    return 0;
}

/* A name and its title on one row joined by a comma or a dash ("Anna
 * Lindqvist, CEO", "Jan Novak - Sales Director"): split when the first
 * part is two to four words without digits or title words and the rest
 * has title words. Length of the first part, *skip the separator's length;
 * 0 when not split. */
static size_t title_field(const char *s, size_t *skip) {
    static const char *const SEP[] = {", ", " - ", " / ", NULL};
    for (int i = 0; SEP[i]; i++) {
        const char *b = strstr(s, SEP[i]);
        if (!b || b == s) continue;
        size_t k = (size_t)(b - s);
        char head[256];
        if (k >= sizeof head) continue;
        memcpy(head, s, k);
        head[k] = '\0';
        if (strpbrk(head, "0123456789@") || ocr_fld_title_words(head) || ocr_fld_company_marks(head)) continue;
        int nw = ocr_fld_count_words(head);
        const char *rest = b + strlen(SEP[i]);
        if (nw < 2 || nw > 4 || !ocr_fld_title_words(rest) || strpbrk(rest, "0123456789@")) continue;
        *skip = strlen(SEP[i]);
        return k;
    }
    return 0;
}

/* Two boxes that touch, the left ending in letters the right begins with
 * in small letters ("Daniel Car" + "arlos"), cut one word: joined without
 * a space, the two or three letters both boxes read at the cut ("ar")
 * once. Touching alone is no proof ("18 rue" + "de la Paix" on a render).
 * NULL when they are not so (or out of memory: the caller's plain join
 * then fails too). */
static char *join_word_halves(const char *a, const char *b) {
    size_t al = strlen(a), bl = strlen(b);
    if (!al || !bl || !isalpha((unsigned char)a[al - 1]) || !islower((unsigned char)b[0])) return NULL;
    size_t k = 0;
    for (size_t n = 2; n <= 3 && n < al && n < bl; n++)
        if (!strncmp(a + al - n, b, n)) k = n;
    if (!k) return NULL; /* "18 rue" + "de la Paix" touching: two words */
    char *t = malloc(al + bl + 1);
    if (!t) return NULL;
    memcpy(t, a, al);
    memcpy(t + al, b + k, bl - k + 1);
    return t;
}

/* 1 when line t ends in an e-mail cut in its domain: a '@' in its last
 * word, and after it letters with no dot. */
static int mail_cut_at_end(const char *t) {
    const char *w = strrchr(t, ' ');
    w = w ? w + 1 : t;
    const char *at = strchr(w, '@');
    if (!at || at == w || !at[1] || strchr(at, '.')) return 0;
    for (const char *q = at + 1; *q; q++)
        if (!isalnum((unsigned char)*q) && *q != '-') return 0;
    return 1;
}

/* a and b run together; NULL when out of memory. */
static char *glue(const char *a, const char *b) {
    size_t al = strlen(a), bl = strlen(b);
    char *t = malloc(al + bl + 1);
    if (!t) return NULL;
    memcpy(t, a, al);
    memcpy(t + al, b, bl + 1);
    return t;
}

/* 1 when b is a second reading of a part of a: its letters and digits
 * are among a's, in order ("com br" inside "calmeida@harbour.com.br"). */
static int repeats(const char *a, const char *b) {
    if (ocr_fld_ci_find(a, b)) return 1;
    char ka[512], kb[128];
    ocr_fld_key(a, ka, sizeof ka);
    ocr_fld_key(b, kb, sizeof kb);
    return strlen(kb) >= 2 && strstr(ka, kb) != NULL;
}

/* A firm's name ended by its legal form and a role beside it on its row
 * ("Consulting Inc" | "Managing Director") are two fields, not one line. */
static int two_fields(const char *left, const char *right) {
    return ocr_fld_ends_with_mark(left) && ocr_fld_title_words(right) && !ocr_fld_company_marks(right);
}

#define ROW_SLOPE 0.08
/* Pieces of one printed line that OCR boxed apart ("industriestr." + "12",
 * "Mobile:" + "089 4521 7730"): neighbours in reading order on the same
 * row (centres within a quarter of a line height), of one type size (box
 * heights within 5:3, the ratio of a digit's or capital's height to a
 * lower-case word's without ascenders), at most half a line height apart
 * (columns of a card are farther apart), are one line; on a row aslant
 * the middles may drift apart by ROW_SLOPE of the way between them
 * (below). GR_OK or GR_ERR_NOMEM. */
static int join_row_pieces(fld_state_t *p) {
    size_t w = 0;
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *b = &p->l[i];
        if (w > 0) {
            fld_line_t *a = &p->l[w - 1];
            /* reading order goes by the tops: a short piece set left of a
             * taller one on its row ("R." + "OLIVEIRA") can come second */
            fld_line_t *L = b->x < a->x ? b : a, *R = L == a ? b : a;
            int mh = a->h < b->h ? a->h : b->h, xh = a->h > b->h ? a->h : b->h;
            int gap = R->x - (L->x + L->w);
            /* a box holding the other's too ("Pieter" boxed over the whole
             * of "Pieter Van den Broeck", "Van den Broeck" inside it) */
            int inside = R->x + R->w <= L->x + L->w + mh / 2 && !repeats(L->t, R->t);
            /* a second reading of a part of the other, boxed over it
             * (its middle inside the other's box): "vn" over the end of
             * "minhduc@bluewave vn" on a small render; it goes */
            int dup = R->x + R->w <= L->x + L->w + mh / 2 && 2 * R->x + R->w < 2 * (L->x + L->w) &&
                      repeats(L->t, R->t);
            /* an e-mail cut in its domain, the rest boxed a little lower
             * and taller with what follows ("lmoreau@asterlo" + "gistics.fr
             * | www..."): rows that overlap by half a line */
            int lo = a->y > b->y ? a->y : b->y, hi = a->y + a->h < b->y + b->h ? a->y + a->h : b->y + b->h;
            int mail_cut = mail_cut_at_end(L->t) && isalnum((unsigned char)R->t[0]) &&
                           memchr(R->t, '.', strcspn(R->t, " ")) && 2 * (hi - lo) >= mh;
            /* a row aslant (a card held tilted, its outline a little
             * off: "Marco" + "Romano" boxed 21 px apart in height over
             * 336 px): pieces of one type size (heights within a tenth)
             * may drift by ROW_SLOPE of the way between their middles, at
             * most half a line (rows set tight, a line's box reaching
             * into the next row's, are two rows); words both, a speck
             * ("=" beside a title) is no piece of a row */
            int dy = abs((a->y + a->h / 2) - (b->y + b->h / 2));
            int dx = abs((L->x + L->w / 2) - (R->x + R->w / 2));
            int aslant = 10 * xh <= 11 * mh && 4 * dy <= mh + (int)(4 * ROW_SLOPE * dx) && 2 * dy <= mh &&
                         a->letters >= 2 && b->letters >= 2;
            if (a->h && b->h && 3 * xh <= 5 * mh && ((L == b ? 3 : 4) * dy <= mh || aslant || mail_cut) &&
                R->x > L->x && (gap >= -xh || inside || dup) && 2 * gap <= mh && !strstr(a->t, " | ") &&
                !strstr(b->t, " | ") && !two_fields(L->t, R->t)) {
                if (dup) {
                    free(R->t);
                    if (L == b) *a = *b;
                    b->t = NULL;
                    continue;
                }
                size_t al = strlen(a->t), bl = strlen(b->t);
                char *t = mail_cut ? glue(L->t, R->t) : 8 * gap < mh ? join_word_halves(L->t, R->t) : NULL;
                if (!t) t = ocr_text_join(L->t, R->t);
                if (!t) return GR_ERR_NOMEM;
                free(a->t);
                free(b->t);
                a->t = t;
                a->conf = (a->conf * (float)al + b->conf * (float)bl) / (float)(al + bl);
                int r = R->x + R->w > L->x + L->w ? R->x + R->w : L->x + L->w;
                a->x = L->x;
                a->w = r - a->x;
                a->letters += b->letters;
                a->cyr += b->cyr;
                b->t = NULL;
                continue;
            }
        }
        if (w != i) p->l[w] = *b;
        w++;
    }
    p->n = w;
    return GR_OK;
}

/* 1. Cleaned copies of the lines, with their letter counts, in reading
 * order; a line with bars between fields is one line per field. GR_OK or
 * GR_ERR_NOMEM. */
static int prepare_lines(fld_state_t *p, const ocr_lines_t *ls) {
    for (size_t i = 0; ls && i < ls->n; i++) {
        if (!ls->v[i].text) continue;
        char *whole = ocr_fld_clean_line(ls->v[i].text);
        if (!whole) return GR_ERR_NOMEM;
        /* a leading or trailing bar is a frame or an icon's edge */
        size_t wl = strlen(whole), off = 0;
        if (wl >= 2 && whole[0] == '|' && whole[1] == ' ') off = 2;
        if (wl >= off + 2 && whole[wl - 1] == '|' && whole[wl - 2] == ' ') whole[wl -= 2] = '\0';
        for (const char *seg = whole + off; *seg;) {
            size_t k = bar_field(seg), skip = 3;
            if (!k) k = title_field(seg, &skip);
            if (!k) k = icon_number_field(seg, &skip);
            size_t len = k ? k : strlen(seg);
            if (p->n >= p->cap) break;
            char *t = strndup(seg, len);
            if (!t) {
                free(whole);
                return GR_ERR_NOMEM;
            }
            if (!*t || strlen(t) > 400) {
                free(t);
                seg += k ? k + skip : len;
                continue;
            }
            fld_line_t *l = &p->l[p->n++];
            l->t = t;
            l->conf = ls->v[i].conf < 0 ? 0.8f : ls->v[i].conf;
            l->x = ls->v[i].x;
            l->y = ls->v[i].y;
            l->w = ls->v[i].w;
            l->h = ls->v[i].h;
            if (wl > off && l->w > 0) { /* the field's share of the box, by bytes */
                l->x += (int)((long)l->w * (long)(seg - whole - (long)off) / (long)(wl - off));
                l->w = (int)((long)l->w * (long)len / (long)(wl - off));
                if (l->w < 1) l->w = 1;
            }
            seg += k ? k + skip : len;
            const char *q = t;
            while (*q) {
                unsigned c = fmt_u8_next(&q);
                if (fmt_u8_is_cyrillic(c)) l->cyr++;
                if (fmt_u8_is_letter(c)) l->letters++;
            }
            p->ncyr += l->cyr;
            p->nlat += l->letters - l->cyr;
        }
        free(whole);
    }
    qsort(p->l, p->n, sizeof *p->l, ocr_fld_cmp_y);
    return join_row_pieces(p);
}

/* 5. Junk: low-confidence lines with few letters (logos, QR noise). */
static void mark_junk(fld_state_t *p) {
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *l = &p->l[i];
        if (l->contact) continue;
        if ((l->conf < 0.5f && l->letters < 6) || l->letters < 2 || (l->conf < 0.35f)) l->kind = FLD_JUNK;
    }
}

void ocr_fld_set_field(json_t *o, json_t *conf, const char *key, const char *v, double c) {
    json_object_set_new(o, key, json_string(v ? v : ""));
    json_object_set_new(conf, key, json_real(v && *v ? round(c * 100) / 100 : 0));
}

/* o[key] = the n e-mails or websites; conf[key] = the lowest confidence. */
/* A registrable name of one or two characters ("harb@ur.vn", "e.de": the
 * rest of a host a shadow or a speck cut short) is rare on a card (hp.com)
 * and common in misreadings: such an e-mail or site keeps half its
 * confidence, so the person checks it; a mail provider's (ya.ru, qq.com)
 * is trusted as read. */
static double short_name_factor(const char *s) {
    size_t off, len;
    if (!ocr_fld_stem_in(s, &off, &len) || len > 2) return 1.0;
    char reg[256];
    snprintf(reg, sizeof reg, "%.*s", (int)strcspn(s + off, "/:"), s + off);
    return ocr_fld_shared_mail_domain(reg) ? 1.0 : 0.5; /* ya.ru, qq.com, bk.ru */
}

static void put_items(json_t *o, json_t *conf, const char *key, const fld_item_t *v, int n) {
    json_t *a = json_array();
    double c = 1;
    for (int i = 0; i < n; i++) {
        json_array_append_new(a, json_string(v[i].s));
        double ci = v[i].conf * short_name_factor(v[i].s);
        if (ci < c) c = ci;
    }
    json_object_set_new(o, key, a);
    json_object_set_new(conf, key, json_real(n ? round(c * 100) / 100 : 0));
}

static void put_phones(const fld_state_t *p, json_t *o, json_t *conf) {
    json_t *ph = json_array();
    double cph = 1;
    for (int i = 0; i < p->nphones; i++) {
        json_array_append_new(ph, json_pack("{s:s, s:s}", "number", p->phones[i].number, "type", p->phones[i].type));
        if (p->phones[i].conf < cph) cph = p->phones[i].conf;
    }
    /* a line with a number's worth of digits that gave no number (a mobile
     * OCR garbled, "090 3)1'231076"): one may be missing, so the numbers
     * found are no sure set */
    for (size_t i = 0; i < p->n && p->nphones; i++) {
        const fld_line_t *l = &p->l[i];
        if (l->kind == FLD_PHONE || l->kind == FLD_EMAIL || l->kind == FLD_WEB || l->kind == FLD_ADDR) continue;
        int d = 0;
        for (const char *c = l->t; *c; c++) d += isdigit((unsigned char)*c) != 0;
        if (d >= 8 && cph > 0.5) cph = 0.5;
    }
    if (p->numbers_lost && cph > 0.5) cph = 0.5;
    json_object_set_new(o, "phones", ph);
    json_object_set_new(conf, "phones", json_real(p->nphones ? round(cph * 100) / 100 : 0));
}

/* The address lines joined by ", " and split into their parts.
 * GR_OK or GR_ERR_NOMEM. */
static int put_address(const fld_state_t *p, json_t *o, json_t *conf) {
    fmt_strbuf_t ab;
    fmt_sb_init(&ab);
    double cad = 1;
    for (int i = 0; i < p->naddr; i++) {
        const fld_line_t *l = &p->l[p->addr_lines[i]];
        char t[512];
        snprintf(t, sizeof t, "%s", l->t);
        ocr_fld_address_line_clean(t);
        size_t tl = strlen(t);
        while (tl && strchr(",;", t[tl - 1])) t[--tl] = '\0';
        if (!tl) continue;
        if (ab.len) fmt_sb_adds(&ab, ", ");
        fmt_sb_adds(&ab, t);
        if (l->conf < cad) cad = l->conf;
    }
    char *addr = fmt_sb_take(&ab);
    if (!addr) return GR_ERR_NOMEM;
    ocr_fld_set_field(o, conf, "address", addr, cad);
    ocr_address_parts_t ap;
    const char *hint = p->nregions ? p->regions[0] : NULL;
    ocr_address_split(addr, hint, &ap);
    /* no hint on the card: the board's region may tell a shape of its own
     * country ("- Jd. Fernandes - SP" on a board in Brazil); taken only when
     * it finds a region, never just to name the country */
    if (!hint && p->board[0]) {
        ocr_address_parts_t bp;
        ocr_address_split(addr, p->board, &bp);
        if (bp.region[0] && !ap.region[0]) ap = bp;
    }
    free(addr);
    json_t *apj = ocr_address_json(&ap);
    if (!apj) return GR_ERR_NOMEM;
    json_object_set_new(o, "address_parts", apj);
    return GR_OK;
}

/* Per field, the confidence from which a value was right at least 97 % of
 * the time, calibrated on the real photos of ../shared/data/cards_real and
 * the 60 sample photos (docs/OCR.md "Confidence"): the lowest threshold
 * keeping precision >= 0.97, rounded up. E-mails (round 22): with the
 * seen renders of tests/bench/ocr_cards2 added (1111, 9797, 1357 hand-held,
 * 9753 finger and shadow, 2424 scans), those read at 0.70-0.75 were right
 * 30 of 33 times ("c_mitchell@" of c.mitchell@), all the e-mails from 0.70
 * 151 of 157, from 0.75 124 of 127: 0.75. An address is never marked
 * confident: its token overlap scoring has no exact answer to calibrate. */
static const struct {
    const char *key;
    double min;
} CONFIDENT[] = {{"name", 0.87},   {"title", 0.77},    {"company", 0.92}, {"phones", 0.60},
                 {"emails", 0.75}, {"websites", 0.88}, {"address", 1.01}};

void ocr_fields_mark_confident(json_t *contact) {
    json_t *conf = json_object_get(contact, "confidence");
    json_t *ok = json_object();
    if (!ok) return;
    for (size_t i = 0; i < sizeof CONFIDENT / sizeof *CONFIDENT; i++) {
        const json_t *v = json_object_get(contact, CONFIDENT[i].key);
        int present = (json_is_string(v) && *json_string_value(v)) || (json_is_array(v) && json_array_size(v) > 0);
        double c = json_number_value(json_object_get(conf, CONFIDENT[i].key));
        json_object_set_new(ok, CONFIDENT[i].key, json_boolean(present && c >= CONFIDENT[i].min - 1e-9));
    }
    json_object_set_new(contact, "confident", ok);
}

/* What is read off a blurred card (sharpened before reading) is less sure
 * than its confidences say: on the blurred renders of tests/bench/ocr_synth
 * (seeds 1313 and 2468, blur 2) the fields marked confident were right for
 * titles 33 of 37, companies 40 of 48, e-mails 22 of 24. Scaled by 0.8,
 * only what stays >= 97 % right is marked (phones 49 of 50, e-mails 5 of
 * 5, title 1 of 1): on a blurred photo the person checks the rest.
 * Phones more so (round 16): over more blurred cards (ocr_synth 8585 and
 * 9999, ocr_cards2 1111 and 9797 hand-held, 7 samples) numbers read at
 * 0.92 had a digit wrong (3 for 5, 8 for 6), and the scaled phones marked
 * confident were right 79 of 89 times; scaled by 0.65 instead, 43 of 43. */
#define BLURRED_CONF 0.8
#define BLURRED_PHONE_CONF 0.65

/* Every confidence of contact (only the contact fields' when contact_only)
 * scaled as a blurred card's, the fields marked again. */
static void scale_confidences(json_t *contact, int contact_only) {
    json_t *conf = json_object_get(contact, "confidence");
    const char *k;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(conf, tmp, k, v) {
        if (contact_only && strcmp(k, "phones") && strcmp(k, "emails") && strcmp(k, "websites")) continue;
        double f = strcmp(k, "phones") ? BLURRED_CONF : BLURRED_PHONE_CONF;
        if (json_is_number(v)) json_object_set_new(conf, k, json_real(json_number_value(v) * f));
    }
    ocr_fields_mark_confident(contact);
}

void ocr_fields_blurred_confidence(json_t *contact) { scale_confidences(contact, 0); }

/* Small print (round 23): on photos whose card is small (640 x 480, a
 * webcam's; ocr_cards2 BIG=0.4 seed 4321 and the real photos at 640 px),
 * digits and the letters of e-mails are misread at fair confidences
 * (+842836233423 at 0.91, d.ngquyen@ at 0.76). Over the development photos
 * (cards_real and the samples, the real photos at 640 px, ocr_cards2 1111,
 * 9797, 1357, 9753, 2424 and BIG=0.4 4321), the contact fields of cards
 * scaled up 2.5 times or more scaled as a blurred card's are: e-mails
 * marked confident right 138 of 143 -> 133 of 137, phones 219 of 224 ->
 * 213 of 217, websites 102 of 104 -> 99 of 100. */
void ocr_fields_small_print_confidence(json_t *contact, double scale) {
    if (scale >= OCR_SMALL_PRINT_SCALE) scale_confidences(contact, 1);
}

/* Numbers in doubt (round 25): over the small-print development photos
 * (ocr_cards2 BIG=0.4 4321, 6543, 4567; BIG=0.4 HAND TILT 7531, 1123),
 * the phones marked confident were right 106 of 109 times; two of the
 * three wrong ("+82 12555 7445" of +82 2 555 7445, read again 0 of 5
 * alike; 0412 345 001 of ...901, 2 of 5) and 10 right ones were on cards
 * of small print with a number in doubt. With the cap: 104 of 105. It
 * stays under every threshold: the person checks those numbers. */
#define DOUBT_PHONE_CAP 0.5

void ocr_fields_numbers_in_doubt(json_t *contact, double scale, int in_doubt) {
    if (scale < OCR_SMALL_PRINT_SCALE || in_doubt <= 0) return;
    json_t *conf = json_object_get(contact, "confidence");
    json_t *v = json_object_get(conf, "phones");
    if (!json_is_number(v) || json_number_value(v) <= DOUBT_PHONE_CAP) return;
    json_object_set_new(conf, "phones", json_real(DOUBT_PHONE_CAP));
    ocr_fields_mark_confident(contact);
}

/* 8. The contact JSON; NULL when out of memory. */
static json_t *contact_json(const fld_state_t *p) {
    json_t *o = json_object(), *conf = json_object();
    if (!o || !conf) goto nomem;
    ocr_fld_put_people(p, o, conf);
    put_phones(p, o, conf);
    put_items(o, conf, "emails", p->emails, p->nemails);
    put_items(o, conf, "websites", p->sites, p->nsites);
    if (put_address(p, o, conf) != GR_OK) goto nomem;
    json_object_set_new(o, "confidence", conf);
    ocr_fields_mark_confident(o);
    return o;
nomem:
    json_decref(o);
    json_decref(conf);
    return NULL;
}

json_t *ocr_fields_parse(const ocr_lines_t *ls, const char *region) {
    fld_state_t P;
    memset(&P, 0, sizeof P);
    P.iname = P.icomp = P.ititle = P.ititle2 = P.iafter_number = -1;
    if (region && strlen(region) == 2) snprintf(P.board, sizeof P.board, "%s", region);
    /* room for every line and every field a bar splits off */
    P.cap = 1;
    for (size_t i = 0; ls && i < ls->n; i++) {
        P.cap++;
        for (const char *b = ls->v[i].text; b && (b = strpbrk(b, "|,-/")) != NULL; b++) P.cap++;
    }
    P.l = calloc(P.cap, sizeof *P.l);
    if (!P.l) return NULL;
    json_t *o = NULL;
    if (prepare_lines(&P, ls) == GR_OK) {             /* 1. clean lines, reading order */
        ocr_fld_find_contacts(&P);                     /* 2. e-mails, websites, handles */
        const char *fallback = ocr_fld_find_regions(&P, region); /* 3. region hints */
        ocr_fld_find_phones(&P, fallback);             /* 4. phones */
        ocr_fld_email_without_dot(&P);                 /* 4b. an e-mail's host without dots */
        mark_junk(&P);                                 /* 5. logos, QR noise */
        ocr_fld_find_address(&P);                      /* 6. address */
        ocr_fld_find_people(&P);                       /* 7. name, company, title */
        ocr_fld_cross_check(&P);                       /* 7b. they fix the domains, local part */
        o = contact_json(&P);                          /* 8. the JSON */
    }
    for (size_t i = 0; i < P.n; i++) free(P.l[i].t);
    free(P.l);
    return o;
}

void ocr_fields_merge_qr(json_t *contact, const json_t *qr) {
    static const char *const STR[] = {"name", "given_name", "family_name", "title", "company", "address", NULL};
    json_t *conf = json_object_get(contact, "confidence");
    for (int i = 0; STR[i]; i++) {
        const char *v = json_string_value(json_object_get(qr, STR[i]));
        if (v && *v) {
            json_object_set_new(contact, STR[i], json_string(v));
            if (conf && json_object_get(conf, STR[i])) json_object_set_new(conf, STR[i], json_real(1.0));
        }
    }
    /* the QR's address replaces the printed one: split it again */
    const char *qa = json_string_value(json_object_get(qr, "address"));
    if (qa && *qa) {
        const char *hint = json_string_value(json_object_get(json_object_get(contact, "address_parts"), "country"));
        ocr_address_parts_t ap;
        ocr_address_split(qa, hint && strlen(hint) == 2 ? hint : NULL, &ap);
        json_t *apj = ocr_address_json(&ap);
        if (apj) json_object_set_new(contact, "address_parts", apj);
    }
    static const char *const ARR[] = {"phones", "emails", "websites", NULL};
    for (int i = 0; ARR[i]; i++) {
        json_t *v = json_object_get(qr, ARR[i]);
        if (json_is_array(v) && json_array_size(v) > 0) {
            json_object_set(contact, ARR[i], v);
            if (conf) json_object_set_new(conf, ARR[i], json_real(1.0));
        }
    }
    ocr_fields_mark_confident(contact);
}
