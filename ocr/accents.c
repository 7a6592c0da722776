/* accents.c - misread accent marks mended with a word list (see accents.h). */
#include "ocr/accents.h"

#include "firmware/core/err.h"
#include "firmware/formats/strbuf.h"
#include "firmware/formats/utf8.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LETTERS 40
#define MAX_SPOTS 3 /* letters that may change; more and the word is left alone */
#define MIN_LETTERS 4

/* The accented vowels of Latin-1 (lower case); upper case is 0x20 below. */
static const uint32_t marked[] = {0xE0, 0xE1, 0xE2, 0xE3, 0xE4, 0xE8, 0xE9, 0xEA, 0xEB, 0xEC, 0xED,
                                  0xEE, 0xEF, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF9, 0xFA, 0xFB, 0xFC};
#define NMARKED (sizeof marked / sizeof marked[0])

static int is_letter(uint32_t c) {
    return (c < 0x80 && isalpha((int)c)) || (c >= 0xC0 && c <= 0xFF && c != 0xD7 && c != 0xF7);
}

static uint32_t lower(uint32_t c) { return fmt_u8_lower(c); }

static uint32_t as_case(uint32_t c, int upper) {
    if (!upper) return c;
    if (c < 0x80) return (uint32_t)toupper((int)c);
    return c >= 0xE0 && c <= 0xFE && c != 0xF7 ? c - 0x20 : c;
}

static int is_marked(uint32_t lc) {
    for (size_t k = 0; k < NMARKED; k++)
        if (marked[k] == lc) return 1;
    return 0;
}

/* The plain vowel under an accented one. */
static uint32_t plain(uint32_t lc) {
    return lc <= 0xE5 ? 'a' : lc <= 0xEB ? 'e' : lc <= 0xEF ? 'i' : lc <= 0xF6 ? 'o' : 'u';
}

/* The code point at s and its length in bytes (fmt_u8_next). */
static uint32_t decode(const unsigned char *s, size_t *len) {
    const char *p = (const char *)s;
    uint32_t c = fmt_u8_next(&p);
    *len = (size_t)(p - (const char *)s);
    return c;
}

static void encode(const uint32_t *w, size_t n, char *out) {
    size_t o = 0;
    for (size_t i = 0; i < n; i++) o += fmt_u8_put(w[i], out + o);
    out[o] = '\0';
}

/* The options of letter c at tier 1 (another mark on a vowel) or 2 (no
 * mark; c-cedilla for g and back); n of them in opt. */
static size_t options(uint32_t c, int tier, uint32_t *opt) {
    uint32_t lc = lower(c);
    int up = lc != c;
    size_t n = 0;
    if (is_marked(lc)) {
        /* the fast models write an e with a mark for a mark they do not
         * make out (every misread mark of the real set); a u, o or a with
         * a mark is taken as read: Müge is a name, not "Möge" */
        if (tier == 1 && plain(lc) == 'e') {
            for (size_t k = 0; k < NMARKED; k++)
                if (marked[k] != lc) opt[n++] = as_case(marked[k], up);
        } else if (tier == 2) {
            opt[n++] = as_case(plain(lc), up);
        }
    } else if (tier == 2 && lc == 'g') {
        opt[n++] = as_case(0xE7, up);
    } else if (tier == 2 && lc == 0xE7) {
        opt[n++] = as_case('c', up);
    } else if (tier == 2 && lc == 0xF1) {
        opt[n++] = as_case('n', up);
    }
    return n;
}

typedef struct {
    ocr_word_check_fn valid;
    void *ctx;
    uint32_t found[MAX_LETTERS];
    int nfound; /* distinct words found at this tier */
} search_t;

static void try_word(search_t *s, const uint32_t *w, size_t n) {
    if (s->nfound > 1) return;
    if (s->nfound == 1 && !memcmp(s->found, w, n * sizeof *w)) return;
    char buf[MAX_LETTERS * 2 + 1];
    encode(w, n, buf);
    if (!s->valid(s->ctx, buf)) return;
    if (s->nfound == 0) memcpy(s->found, w, n * sizeof *w);
    s->nfound++;
}

/* 1 when the n letters w (lower-cased) are two words of the list glued,
 * each of four letters or more ("silverleaf": silver, leaf). */
static int two_words(const search_t *s, const uint32_t *w, size_t n) {
    if (n < 8 || n > MAX_LETTERS) return 0;
    uint32_t lw[MAX_LETTERS];
    for (size_t i = 0; i < n; i++) lw[i] = lower(w[i]);
    char a[MAX_LETTERS * 2 + 1], b[MAX_LETTERS * 2 + 1];
    for (size_t k = 4; k + 4 <= n; k++) {
        encode(lw, k, a);
        encode(lw + k, n - k, b);
        if (s->valid(s->ctx, a) && s->valid(s->ctx, b)) return 1;
    }
    return 0;
}

/* try_word for a word that is two words of the list glued (two_words). */
static void try_two_words(search_t *s, const uint32_t *w, size_t n) {
    if (s->nfound > 1) return;
    if (s->nfound == 1 && !memcmp(s->found, w, n * sizeof *w)) return;
    if (!two_words(s, w, n)) return;
    if (s->nfound == 0) memcpy(s->found, w, n * sizeof *w);
    s->nfound++;
}

/* The word lists a mending consults: valid for the words it may make,
 * known (NULL: valid) for the words it leaves as read, strict (NULL: valid)
 * for the words of no mark, which one the photo lost (ocr_accents_fix). */
typedef struct {
    ocr_word_check_fn valid, known, strict;
    void *ctx;
} lists_t;

static int known_word(const lists_t *l, const char *word) {
    return l->valid(l->ctx, word) || (l->known && l->known(l->ctx, word));
}

/* The one word found (s->nfound 1) written into w[0..n); 1 when so, 0
 * when none or several fit. */
static int take_found(const search_t *s, uint32_t *w, size_t n) {
    if (s->nfound != 1) return 0;
    memcpy(w, s->found, n * sizeof *w);
    return 1;
}

/* A word of no marks that is no word of the list, which one mark on one
 * of its vowels but the first letter, or a cedilla on a c, makes one, and
 * only one ("Lefevre" -> Lefèvre with the French list: the blurred photo
 * lost the grave; "DOMINIO" -> DOMÍNIO, "Servicos" -> Serviços with the
 * Brazilian spelling list): w[0..n) mended in place; 1 when changed. */
static int add_mark(uint32_t *w, size_t n, const lists_t *l) {
    search_t s = {.valid = l->strict ? l->strict : l->valid, .ctx = l->ctx};
    for (size_t i = 1; i < n; i++) {
        uint32_t keep = w[i], lk = lower(keep);
        int up = lk != keep;
        if (lk >= 0x80 || !lk || !strchr("aeiouc", (int)lk)) continue;
        if (lk == 'c') {
            w[i] = as_case(0xE7, up);
            try_word(&s, w, n);
        }
        for (size_t k = 0; k < NMARKED; k++)
            if (plain(marked[k]) == lk) {
                w[i] = as_case(marked[k], up);
                try_word(&s, w, n);
            }
        w[i] = keep;
    }
    return take_found(&s, w, n);
}

/* Mends the letters w[0..n) in place; 1 when changed. */
static int mend_word(uint32_t *w, size_t n, const lists_t *l) {
    ocr_word_check_fn valid = l->valid;
    void *ctx = l->ctx;
    size_t spot[MAX_LETTERS], ns = 0;
    int any_mark = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t lc = lower(w[i]);
        int m = is_marked(lc);
        any_mark |= m;
        /* a capital's mark at the word's start is read, not guessed: big
         * enough to make out (Élodie, État; "Elodie" is a word too) */
        if (i == 0 && m && lc != w[i]) continue;
        if (m || lc == 'g' || lc == 0xE7 || lc == 0xF1) spot[ns++] = i;
    }
    if (ns > MAX_SPOTS) return 0;
    char buf[MAX_LETTERS * 2 + 1];
    encode(w, n, buf);
    /* a word with no mark may have lost one: it stays when it is a word of
     * the strict list (a spelling list holds "eletrônica", not "eletronica") */
    if (ns == 0) return n >= 5 && !(l->strict ? l->strict : valid)(ctx, buf) ? add_mark(w, n, l) : 0;
    if (valid(ctx, buf)) return 0;
    search_t s = {.valid = valid, .ctx = ctx};
    uint32_t opt[NMARKED], opt2[NMARKED];
    /* tiers 1 and 2: one letter changes */
    for (int tier = 1; tier <= 2; tier++) {
        s.nfound = 0;
        for (size_t a = 0; a < ns; a++) {
            uint32_t keep = w[spot[a]];
            size_t no = options(keep, tier, opt);
            for (size_t k = 0; k < no; k++) {
                w[spot[a]] = opt[k];
                try_word(&s, w, n);
            }
            w[spot[a]] = keep;
        }
        if (s.nfound > 1) return 0; /* two words fit: no way to tell */
        if (s.nfound == 1) {
            memcpy(w, s.found, n * sizeof *w);
            return 1;
        }
    }
    /* tier 3: two letters change (one of them a marked vowel) */
    if (!any_mark || ns < 2) return 0;
    s.nfound = 0;
    for (size_t a = 0; a < ns; a++)
        for (size_t b = a + 1; b < ns; b++) {
            uint32_t ka = w[spot[a]], kb = w[spot[b]];
            for (int ta = 1; ta <= 2; ta++)
                for (int tb = 1; tb <= 2; tb++) {
                    size_t na = options(ka, ta, opt), nb = options(kb, tb, opt2);
                    for (size_t i = 0; i < na; i++)
                        for (size_t j = 0; j < nb; j++) {
                            w[spot[a]] = opt[i];
                            w[spot[b]] = opt2[j];
                            try_word(&s, w, n);
                        }
                }
            w[spot[a]] = ka;
            w[spot[b]] = kb;
        }
    return take_found(&s, w, n);
}

static int edge_punct(const unsigned char *p, size_t len) {
    if (len == 1) return ispunct(p[0]) && p[0] != '@' && p[0] != '/';
    /* typographic quotes and guillemets */
    static const char *const q[] = {"\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98", "\xE2\x80\x99", "\xC2\xAB",
                                    "\xC2\xBB", NULL};
    for (int k = 0; q[k]; k++)
        if (strlen(q[k]) == len && !memcmp(p, q[k], len)) return 1;
    return 0;
}

/* Narrows the token s[*c0..*c1) to its core: edge punctuation and quotes
 * off both ends. */
static void token_core(const unsigned char *s, size_t *c0, size_t *c1) {
    size_t len;
    while (*c0 < *c1) {
        decode(s + *c0, &len);
        if (!edge_punct(s + *c0, len)) break;
        *c0 += len;
    }
    while (*c1 > *c0) {
        size_t b = *c1 - 1;
        while (b > *c0 && (s[b] & 0xC0) == 0x80) b--;
        if (!edge_punct(s + b, *c1 - b)) break;
        *c1 = b;
    }
}

/* The letter small print makes of c in a word of n letters, or 0: l and
 * i of each other; g and q of each other (their tails differ by a hook:
 * "Aquinaldo" for Aguinaldo); a and o of each other from six letters (a
 * shorter word too often turns into another word, "Rosa" into "Roso"). */
static uint32_t lookalike(uint32_t c, size_t n) {
    if (c == 'i' || c == 'l') return c ^ 'i' ^ 'l';
    if (c == 'g' || c == 'q') return c ^ 'g' ^ 'q';
    if ((c == 'a' || c == 'o') && n >= 6) return c ^ 'a' ^ 'o';
    return 0;
}

/* Mends the letters w[0..n) in place where small print made one letter of
 * another (lookalike: "Pinnacie", "Consell", "Vertriebsieiter",
 * "Monoger"): the one word of the list that one swap makes (two from seven
 * letters, when one does not do); 1 when changed. The first letter is kept
 * (a capital I and l look alike, and which was meant is not a matter of
 * the word list). */
static int mend_lookalikes(uint32_t *w, size_t n, const lists_t *l) {
    ocr_word_check_fn valid = l->valid;
    void *ctx = l->ctx;
    size_t spot[MAX_LETTERS], ns = 0;
    for (size_t i = 1; i < n; i++)
        if (lookalike(w[i], n)) spot[ns++] = i;
    if (ns == 0 || ns > 2 * MAX_SPOTS) return 0;
    char buf[MAX_LETTERS * 2 + 1];
    encode(w, n, buf);
    if (known_word(l, buf)) return 0;
    search_t s = {.valid = valid, .ctx = ctx};
    for (size_t a = 0; a < ns; a++) {
        uint32_t ka = w[spot[a]];
        w[spot[a]] = lookalike(ka, n);
        try_word(&s, w, n);
        w[spot[a]] = ka;
    }
    if (s.nfound == 0 && n >= 7)
        for (size_t a = 0; a < ns; a++)
            for (size_t b = a + 1; b < ns; b++) {
                uint32_t ka = w[spot[a]], kb = w[spot[b]];
                w[spot[a]] = lookalike(ka, n);
                w[spot[b]] = lookalike(kb, n);
                try_word(&s, w, n);
                w[spot[a]] = ka;
                w[spot[b]] = kb;
            }
    /* a brand of two words run together that no list holds whole
     * ("Silverieaf" for Silverleaf: ocr_cards2 renders read it so on the
     * company, the e-mail and the site alike): one swap of l and i that
     * makes it two words of four letters or more, when it is not two words
     * as read */
    if (s.nfound == 0 && n >= 8 && !two_words(&s, w, n))
        for (size_t a = 0; a < ns; a++) {
            uint32_t ka = w[spot[a]];
            if (ka != 'i' && ka != 'l') continue; /* "Stationslaan" is no "stations loan" */
            w[spot[a]] = lookalike(ka, n);
            try_two_words(&s, w, n);
            w[spot[a]] = ka;
        }
    return take_found(&s, w, n);
}

typedef int (*mend_fn)(uint32_t *w, size_t n, const lists_t *l);

/* The words of *text mended one by one with mend (see ocr_accents_fix). */
static int fix_words(char **text, mend_fn mend, const lists_t *l) {
    const unsigned char *s = (const unsigned char *)*text;
    fmt_strbuf_t out;
    fmt_sb_init(&out);
    int changed = 0;
    size_t i = 0;
    while (s[i]) {
        if (s[i] == ' ') {
            fmt_sb_addc(&out, ' ');
            i++;
            continue;
        }
        size_t t0 = i, t1 = i, len;
        while (s[t1] && s[t1] != ' ') t1++;
        /* the token's core: edge punctuation off */
        size_t c0 = t0, c1 = t1;
        token_core(s, &c0, &c1);
        /* a speck read onto a word's start, a logo's edge beside it
         * ("oEletronica", "3Eletrénica"): the word is what follows, when
         * one small letter or digit stands before a capital and small
         * letters ("iPhone" stays: "Phone" is a word) */
        if (c1 - c0 > 3 && (islower(s[c0]) || isdigit(s[c0])) && isupper(s[c0 + 1]) &&
            (islower(s[c0 + 2]) || s[c0 + 2] >= 0xC0))
            c0++;
        uint32_t w[MAX_LETTERS];
        size_t n = 0;
        int ok = c1 > c0;
        for (size_t p = c0; ok && p < c1; p += len) {
            uint32_t c = decode(s + p, &len);
            if (!is_letter(c) || n == MAX_LETTERS) ok = 0;
            else w[n++] = c;
        }
        fmt_sb_add(&out, (const char *)s + t0, c0 - t0);
        /* an l read as '!' at a word's end, the line going on ("Donie!
         * Whitton"): the word with its l, when that is a word of the list
         * as it is or mended */
        if (ok && n >= MIN_LETTERS && n + 1 < MAX_LETTERS && c1 + 1 == t1 && s[c1] == '!' && s[t1] == ' ' && s[t1 + 1]) {
            uint32_t w2[MAX_LETTERS];
            memcpy(w2, w, n * sizeof *w);
            w2[n] = 'l';
            char buf[MAX_LETTERS * 2 + 1];
            encode(w2, n + 1, buf);
            if (known_word(l, buf) || mend(w2, n + 1, l)) {
                encode(w2, n + 1, buf);
                fmt_sb_adds(&out, buf);
                changed++;
                i = t1;
                continue;
            }
        }
        if (ok && n >= MIN_LETTERS && mend(w, n, l)) {
            char buf[MAX_LETTERS * 2 + 1];
            encode(w, n, buf);
            fmt_sb_adds(&out, buf);
            changed++;
        } else {
            fmt_sb_add(&out, (const char *)s + c0, c1 - c0);
        }
        fmt_sb_add(&out, (const char *)s + c1, t1 - c1);
        i = t1;
    }
    if (out.oom) {
        fmt_sb_free(&out);
        return GR_ERR_NOMEM;
    }
    if (!changed) {
        fmt_sb_free(&out);
        return 0;
    }
    char *r = fmt_sb_take(&out);
    if (!r) return GR_ERR_NOMEM;
    free(*text);
    *text = r;
    return changed;
}

int ocr_accents_fix(char **text, ocr_word_check_fn valid, ocr_word_check_fn strict, void *ctx) {
    lists_t l = {valid, NULL, strict, ctx};
    return fix_words(text, mend_word, &l);
}

int ocr_lookalikes_fix(char **text, ocr_word_check_fn valid, ocr_word_check_fn known, void *ctx) {
    lists_t l = {valid, known, NULL, ctx};
    return fix_words(text, mend_lookalikes, &l);
}

/* The plain letter of marked letter c (case kept), or 0 when c has no
 * mark this module knows: the marked vowels, c with cedilla, n with tilde. */
static uint32_t unmarked(uint32_t c) {
    uint32_t lc = lower(c);
    int up = lc != c;
    if (is_marked(lc)) return as_case(plain(lc), up);
    if (lc == 0xE7) return as_case('c', up);
    if (lc == 0xF1) return as_case('n', up);
    return 0;
}

int ocr_accents_marks_added(const char *read, const char *reading, ocr_word_check_fn valid, void *ctx) {
    const char *a = read, *b = reading;
    size_t wstart = 0; /* byte offset in reading of the current word */
    int added = 0, word_changed = 0;
    for (;;) {
        const char *bb = b;
        uint32_t ca = fmt_u8_next(&a), cb = fmt_u8_next(&b);
        if (ca != cb) {
            if (!ca || !cb || unmarked(cb) != ca) return 0;
            added = word_changed = 1;
        }
        if (!cb || cb == ' ') {
            /* a word that gained a mark must be a word of the list as read */
            if (word_changed) {
                const unsigned char *w = (const unsigned char *)reading + wstart;
                size_t c0 = 0, c1 = (size_t)(bb - reading) - wstart;
                token_core(w, &c0, &c1);
                char word[MAX_LETTERS * 4 + 1];
                if (c1 <= c0 || c1 - c0 >= sizeof word) return 0;
                memcpy(word, w + c0, c1 - c0);
                word[c1 - c0] = '\0';
                if (!valid(ctx, word)) return 0;
            }
            if (!cb) break;
            word_changed = 0;
            wstart = (size_t)(b - reading);
        }
    }
    return added;
}
