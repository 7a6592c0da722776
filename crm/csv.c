#define GR_LOG_MODULE "crm"
#include "crm/csv.h"

#include "crm/contacts.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "firmware/formats/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_RECORDS 100000
#define MAX_FIELDS 256

/* ---- reading ---- */

typedef struct {
    const char *p, *end;
    int line;  /* current line (1-based) */
    char delim;
} csv_t;

typedef struct {
    char **f;
    size_t n, cap;
} rec_t;

static void rec_clear(rec_t *r) {
    for (size_t i = 0; i < r->n; i++) free(r->f[i]);
    r->n = 0;
}

/* Spreadsheets run a cell starting with = + - @ (or a tab / CR) as a
 * formula. Export writes such cells with a leading apostrophe (not phone
 * numbers, not plain negative numbers); import takes one leading apostrophe
 * off again when it guards one of those characters (or another apostrophe),
 * so an export re-imports unchanged. */
static int formula_start(char c) { return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'; }

static int rec_push(rec_t *r, const char *s, size_t len) {
    if (len >= 2 && s[0] == '\'' && (formula_start(s[1]) || s[1] == '\'')) {
        s++;
        len--;
    }
    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 16;
        char **p = realloc(r->f, nc * sizeof *p);
        if (!p) return GR_ERR_NOMEM;
        r->f = p;
        r->cap = nc;
    }
    char *c = malloc(len + 1);
    if (!c) return GR_ERR_NOMEM;
    memcpy(c, s, len);
    c[len] = 0;
    r->f[r->n++] = c;
    return GR_OK;
}

/* Read one record. Returns 1 (record), 0 (end of text), GR_ERR_NOMEM, or
 * GR_ERR_FORMAT with msg set (the record is skipped up to its end). */
static int next_record(csv_t *c, rec_t *r, char *buf, size_t bufcap, char *msg, size_t msglen) {
    rec_clear(r);
    if (c->p >= c->end) return 0;
    int bad = 0;
    size_t n = 0;
    for (;;) {
        /* one field */
        n = 0;
        int toolong = 0;
        if (c->p < c->end && *c->p == '"') {
            c->p++;
            int closed = 0;
            while (c->p < c->end) {
                char ch = *c->p++;
                if (ch == '"') {
                    if (c->p < c->end && *c->p == '"') {
                        c->p++;
                    } else {
                        closed = 1;
                        break;
                    }
                }
                if (ch == '\n') c->line++;
                if (ch == '\0' && !bad) {
                    bad = 1;
                    snprintf(msg, msglen, "field %zu contains a NUL byte", r->n + 1);
                }
                if (n < bufcap) buf[n++] = ch;
                else toolong = 1;
            }
            if (!closed) {
                snprintf(msg, msglen, "unterminated quoted field");
                return GR_ERR_FORMAT;
            }
            /* after the closing quote: delimiter, end of line or end of text */
            if (c->p < c->end && *c->p != c->delim && *c->p != '\n' && *c->p != '\r' && !bad) {
                bad = 1;
                snprintf(msg, msglen, "field %zu: text after the closing quote", r->n + 1);
            }
            while (c->p < c->end && *c->p != c->delim && *c->p != '\n') c->p++;
        } else {
            while (c->p < c->end && *c->p != c->delim && *c->p != '\n') {
                char ch = *c->p++;
                if (ch == '\0' && !bad) {
                    bad = 1;
                    snprintf(msg, msglen, "field %zu contains a NUL byte", r->n + 1);
                }
                if (n < bufcap) buf[n++] = ch;
                else toolong = 1;
            }
            if (n && buf[n - 1] == '\r' && (c->p >= c->end || *c->p == '\n')) n--;
        }
        if (toolong && !bad) {
            bad = 1;
            snprintf(msg, msglen, "field %zu is longer than %zu bytes", r->n + 1, bufcap);
        }
        if (r->n >= MAX_FIELDS) {
            if (!bad) snprintf(msg, msglen, "more than %d fields", MAX_FIELDS);
            bad = 1;
        } else if (rec_push(r, buf, n) != GR_OK) {
            return GR_ERR_NOMEM;
        }
        if (c->p >= c->end) break;
        if (*c->p == c->delim) {
            c->p++;
            continue;
        }
        /* newline ends the record */
        c->p++;
        c->line++;
        break;
    }
    return bad ? GR_ERR_FORMAT : 1;
}

/* What a column holds. Headers are matched after normalising them (lower
 * case, punctuation to single spaces): our own names, then the layouts of
 * Google Contacts (current and legacy), Outlook, Apple Contacts exporters
 * and Bitrix24 (English and Russian), and as a last resort by the words in
 * them ("Mobile Phone", "Phone (work fax)", "Рабочий e-mail"). */
enum { C_NONE, C_GIVEN, C_FAMILY, C_NAME, C_PREFIX, C_MIDDLE, C_SUFFIX, C_TITLE, C_COMPANY, C_PHONE, C_EMAIL,
       C_WEBSITE, C_ADDRESS, C_ADDR_PART, C_NOTE, C_LABEL };

typedef struct {
    int kind;
    const char *ptype; /* C_PHONE: its type ("work", ..) */
    int label;         /* a value column of a Google pair: index of its label column, else -1 */
    char key[24];      /* C_LABEL and pair values: "phone 1" */
} col_t;

static const struct { const char *name; int col; const char *ptype; } header_names[] = {
    {"given name", C_GIVEN, NULL}, {"first name", C_GIVEN, NULL}, {"firstname", C_GIVEN, NULL},
    {"given", C_GIVEN, NULL}, {"имя", C_GIVEN, NULL},
    {"family name", C_FAMILY, NULL}, {"last name", C_FAMILY, NULL}, {"lastname", C_FAMILY, NULL},
    {"surname", C_FAMILY, NULL}, {"фамилия", C_FAMILY, NULL},
    {"name", C_NAME, NULL}, {"full name", C_NAME, NULL}, {"fn", C_NAME, NULL}, {"display name", C_NAME, NULL},
    {"фио", C_NAME, NULL},
    {"name prefix", C_PREFIX, NULL}, {"salutation", C_PREFIX, NULL}, {"обращение", C_PREFIX, NULL},
    {"middle name", C_MIDDLE, NULL}, {"additional name", C_MIDDLE, NULL}, {"second name", C_MIDDLE, NULL},
    {"отчество", C_MIDDLE, NULL},
    {"name suffix", C_SUFFIX, NULL}, {"suffix", C_SUFFIX, NULL},
    {"job title", C_TITLE, NULL}, {"position", C_TITLE, NULL}, {"organization title", C_TITLE, NULL},
    {"organization 1 title", C_TITLE, NULL}, {"должность", C_TITLE, NULL}, {"jobtitle", C_TITLE, NULL},
    {"company", C_COMPANY, NULL}, {"organization", C_COMPANY, NULL}, {"organisation", C_COMPANY, NULL},
    {"org", C_COMPANY, NULL}, {"organization name", C_COMPANY, NULL}, {"organization 1 name", C_COMPANY, NULL},
    {"company name", C_COMPANY, NULL}, {"компания", C_COMPANY, NULL},
    {"phone", C_PHONE, "work"}, {"phones", C_PHONE, "work"}, {"telephone", C_PHONE, "work"}, {"tel", C_PHONE, "work"},
    {"phone other", C_PHONE, "other"},
    {"address", C_ADDRESS, NULL}, {"address 1 formatted", C_ADDRESS, NULL}, {"адрес", C_ADDRESS, NULL},
    {"business street", C_ADDR_PART, NULL}, {"business street 2", C_ADDR_PART, NULL},
    {"business street 3", C_ADDR_PART, NULL}, {"business city", C_ADDR_PART, NULL},
    {"business state", C_ADDR_PART, NULL}, {"business postal code", C_ADDR_PART, NULL},
    {"business country region", C_ADDR_PART, NULL}, {"business country", C_ADDR_PART, NULL},
    {"note", C_NOTE, NULL}, {"notes", C_NOTE, NULL}, {"comment", C_NOTE, NULL}, {"comments", C_NOTE, NULL},
    {"комментарий", C_NOTE, NULL},
};

/* Lower-case ASCII, every run of other ASCII than letters and digits to
 * one space (UTF-8 kept; Russian headers are matched as written, lower
 * case: Bitrix24 exports them so). */
static void header_norm(const char *h, char *key, size_t cap) {
    size_t n = 0;
    int space = 1;
    for (; *h && n + 2 < cap; h++) {
        unsigned char ch = (unsigned char)*h;
        if (ch >= 0x80 || isalnum(ch)) {
            key[n++] = (char)tolower(ch);
            space = 0;
        } else if (!space) {
            key[n++] = ' ';
            space = 1;
        }
    }
    while (n && key[n - 1] == ' ') n--;
    key[n] = 0;
    /* Russian capital first letters of Bitrix24's headers (two-byte UTF-8):
     * А-Я (D0 90-AF) -> а-я (D0 B0-BF, D1 80-8F). */
    for (size_t i = 0; i + 1 < n; i++) {
        unsigned char a = (unsigned char)key[i], b = (unsigned char)key[i + 1];
        if (a == 0xD0 && b >= 0x90 && b <= 0x9F) key[i + 1] = (char)(b + 0x20);
        else if (a == 0xD0 && b >= 0xA0 && b <= 0xAF) {
            key[i] = (char)0xD1;
            key[i + 1] = (char)(b - 0x20);
        }
        if (a >= 0xC0) i++;
    }
}

static int has_word(const char *key, const char *w) {
    size_t n = strlen(w);
    for (const char *p = key; (p = strstr(p, w)); p++)
        if ((p == key || p[-1] == ' ') && (p[n] == 0 || p[n] == ' ')) return 1;
    return 0;
}

/* The phone type a header or label names: "Work Fax", "Mobile", "Home". */
static const char *phone_type_words(const char *key, const char *dflt) {
    if (strstr(key, "fax") || strstr(key, "факс")) return "fax";
    if (strstr(key, "mobile") || has_word(key, "cell") || strstr(key, "iphone") || strstr(key, "мобильн") ||
        strstr(key, "сотов"))
        return "mobile";
    if (has_word(key, "home") || strstr(key, "private") || strstr(key, "personal") || strstr(key, "домашн") ||
        strstr(key, "частн"))
        return "home";
    if (strstr(key, "work") || strstr(key, "business") || strstr(key, "company") || strstr(key, "office") ||
        has_word(key, "main") || strstr(key, "рабоч"))
        return "work";
    return dflt;
}

/* Google's "Phone 1 - Label" / "E-mail 2 - Type" (label columns) and
 * "Phone 1 - Value" (value columns): the kind word and number go to key. */
static int google_pair(const char *key, col_t *c) {
    const char *last = strrchr(key, ' ');
    if (!last) return 0;
    int label = !strcmp(last, " type") || !strcmp(last, " label");
    if (!label && strcmp(last, " value")) return 0;
    size_t n = (size_t)(last - key);
    if (n >= sizeof c->key || n < 2 || !isdigit((unsigned char)key[n - 1])) return 0;
    int kind = !strncmp(key, "phone ", 6) ? C_PHONE
               : !strncmp(key, "e mail ", 7) || !strncmp(key, "email ", 6) ? C_EMAIL
               : !strncmp(key, "website ", 8) ? C_WEBSITE
                                              : C_NONE;
    memcpy(c->key, key, n);
    c->key[n] = 0;
    if (label) {
        c->kind = kind == C_NONE ? C_NONE : C_LABEL;
        return 1;
    }
    c->kind = kind;
    c->ptype = "other";
    return 1;
}

static void header_col(const char *h, int job_title_seen, col_t *c) {
    char key[96];
    header_norm(h, key, sizeof key);
    memset(c, 0, sizeof *c);
    c->label = -1;
    /* our own export: phone_work, phone_mobile, .. */
    for (size_t i = 0; i < sizeof header_names / sizeof header_names[0]; i++)
        if (!strcmp(key, header_names[i].name)) {
            c->kind = header_names[i].col;
            c->ptype = header_names[i].ptype;
            return;
        }
    /* Outlook's "Title" is Mr./Ms. when a "Job Title" column exists */
    if (!strcmp(key, "title")) {
        c->kind = job_title_seen ? C_PREFIX : C_TITLE;
        return;
    }
    if (google_pair(key, c)) return;
    /* "E-mail Type", "E-mail Display Name", "Phonetic First Name": not data */
    if (has_word(key, "type") || has_word(key, "label") || strstr(key, "display") || strstr(key, "yomi") ||
        strstr(key, "phonetic"))
        return;
    if (strstr(key, "phone") || has_word(key, "tel") || strstr(key, "mobile") || has_word(key, "cell") ||
        strstr(key, "fax") || strstr(key, "pager") || strstr(key, "телефон") || strstr(key, "факс")) {
        c->kind = C_PHONE;
        c->ptype = phone_type_words(key, "other");
        return;
    }
    if (strstr(key, "mail") || strstr(key, "почта")) {
        c->kind = C_EMAIL;
        return;
    }
    if (has_word(key, "web") || strstr(key, "website") || has_word(key, "url") || strstr(key, "homepage") ||
        strstr(key, "web page") || strstr(key, "сайт")) {
        c->kind = C_WEBSITE;
        return;
    }
}

static int header_is_job_title(const char *h) {
    char key[96];
    header_norm(h, key, sizeof key);
    return !strcmp(key, "job title") || !strcmp(key, "organization title") || !strcmp(key, "organization 1 title") ||
           !strcmp(key, "position");
}

static void add_error(json_t *errors, int line, const char *msg) {
    json_t *e = json_pack("{s:i,s:s}", "line", line, "message", msg);
    if (e) json_array_append_new(errors, e);
}

/* Split a cell holding several values ("a; b", Google's "a ::: b") into
 * trimmed values appended to arr; seps: the single characters that also
 * separate. Phones become {"number","type"}. */
static void split_values(json_t *arr, const char *cell, const char *seps, const char *type) {
    const char *p = cell;
    while (*p) {
        size_t len = 0;
        while (p[len] && !strchr(seps, p[len]) && strncmp(p + len, ":::", 3)) len++;
        const char *a = p, *b = p + len;
        while (a < b && isspace((unsigned char)*a)) a++;
        while (b > a && isspace((unsigned char)b[-1])) b--;
        if (b > a) {
            json_t *v = json_stringn(a, (size_t)(b - a));
            if (v && type) v = json_pack("{s:o,s:s}", "number", v, "type", type);
            if (v) json_array_append_new(arr, v);
        }
        p += len;
        if (!strncmp(p, ":::", 3)) p += 3;
        else if (*p) p++;
    }
}

/* Join the non-empty parts with sep into a new string value. */
static json_t *joined(const char *const *parts, size_t n, const char *sep) {
    size_t need = 1;
    for (size_t i = 0; i < n; i++) need += (parts[i] ? strlen(parts[i]) : 0) + strlen(sep);
    char *b = malloc(need);
    if (!b) return NULL;
    size_t len = 0;
    b[0] = 0;
    for (size_t i = 0; i < n; i++) {
        if (!parts[i] || !*parts[i]) continue;
        len += (size_t)snprintf(b + len, need - len, "%s%s", len ? sep : "", parts[i]);
    }
    json_t *v = len ? json_string(b) : NULL;
    free(b);
    return v;
}

static const char *trimmed(const char *v, char *buf, size_t cap) {
    while (isspace((unsigned char)*v)) v++;
    size_t n = strlen(v);
    while (n && isspace((unsigned char)v[n - 1])) n--;
    if (n >= cap) n = cap - 1;
    memmove(buf, v, n); /* buf may be v itself */
    buf[n] = 0;
    return buf;
}

static json_t *record_contact(const col_t *cols, const rec_t *r, int line) {
    json_t *o = json_object(), *phones = json_array(), *emails = json_array(), *webs = json_array();
    const char *prefix = NULL, *middle = NULL, *suffix = NULL, *given = NULL, *family = NULL;
    const char *addr[8];
    size_t naddr = 0;
    if (!o || !phones || !emails || !webs) goto fail;
    int any = 0;
    for (size_t i = 0; i < r->n; i++) {
        const char *v = r->f[i];
        const char *t = v;
        while (isspace((unsigned char)*t)) t++;
        if (!*t) continue;
        static const char *const strkeys[] = {
            [C_GIVEN] = "given_name", [C_FAMILY] = "family_name", [C_NAME] = "name", [C_TITLE] = "title",
            [C_COMPANY] = "company", [C_ADDRESS] = "address", [C_NOTE] = "note",
        };
        const col_t *c = &cols[i];
        switch (c->kind) {
        case C_GIVEN: case C_FAMILY: case C_NAME: case C_TITLE: case C_COMPANY: case C_ADDRESS: case C_NOTE:
            if (c->kind == C_GIVEN && !given) given = t;
            if (c->kind == C_FAMILY && !family) family = t;
            if (!json_object_get(o, strkeys[c->kind])) json_object_set_new(o, strkeys[c->kind], json_string(v));
            any = 1;
            break;
        case C_PREFIX: if (!prefix) prefix = t; break;
        case C_MIDDLE: if (!middle) middle = t; break;
        case C_SUFFIX: if (!suffix) suffix = t; break;
        case C_ADDR_PART: if (naddr < 8) addr[naddr++] = t; break;
        case C_PHONE: {
            const char *type = c->ptype ? c->ptype : "work";
            char key[96];
            if (c->label >= 0 && (size_t)c->label < r->n) {
                header_norm(r->f[c->label], key, sizeof key);
                type = phone_type_words(key, "other");
            }
            split_values(phones, v, ";|,", type);
            any = 1;
            break;
        }
        case C_EMAIL: split_values(emails, v, ";,", NULL); any = 1; break;
        case C_WEBSITE: split_values(webs, v, "; ", NULL); any = 1; break;
        default: break;
        }
    }
    /* Name parts only (Outlook, Google, Bitrix24 have no full-name column):
     * the name is "Prefix Given Middle Family Suffix", as Outlook shows it. */
    if (!json_object_get(o, "name") && (prefix || middle || suffix) && (given || family)) {
        char b[5][CRM_MAX_TEXT + 1];
        const char *parts[5] = {prefix ? trimmed(prefix, b[0], sizeof b[0]) : NULL,
                                given ? trimmed(given, b[1], sizeof b[1]) : NULL,
                                middle ? trimmed(middle, b[2], sizeof b[2]) : NULL,
                                family ? trimmed(family, b[3], sizeof b[3]) : NULL,
                                suffix ? trimmed(suffix, b[4], sizeof b[4]) : NULL};
        json_t *n = joined(parts, 5, " ");
        if (n) json_object_set_new(o, "name", n);
    }
    if (naddr && !json_object_get(o, "address")) {
        json_t *a = joined(addr, naddr, ", ");
        if (a) {
            json_object_set_new(o, "address", a);
            any = 1;
        }
    }
    /* Cells holding only separators ("; ;") add nothing. */
    if (!any || (!json_object_size(o) && !json_array_size(phones) && !json_array_size(emails) &&
                 !json_array_size(webs)))
        goto fail;
    json_object_set_new(o, "phones", phones);
    json_object_set_new(o, "emails", emails);
    json_object_set_new(o, "websites", webs);
    json_object_set_new(o, "line", json_integer(line));
    return o;
fail:
    json_decref(o);
    json_decref(phones);
    json_decref(emails);
    json_decref(webs);
    return NULL;
}

int crm_csv_read(const char *text, size_t len, json_t **contacts, json_t **errors) {
    *contacts = json_array();
    *errors = json_array();
    rec_t r = {0};
    char *buf = malloc(CRM_MAX_LONGTEXT);
    col_t *cols = NULL;
    char **heads = NULL;
    size_t ncols = 0;
    int rc = GR_OK;
    if (!*contacts || !*errors || !buf) {
        rc = GR_ERR_NOMEM;
        goto fail;
    }
    csv_t c = {text, text + len, 1, ','};
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) c.p += 3;
    /* Skip blank lines before the header. */
    while (c.p < c.end && (*c.p == '\n' || *c.p == '\r')) {
        if (*c.p == '\n') c.line++;
        c.p++;
    }
    /* Delimiter: ';' when the header line has more of them than commas (spreadsheets in many locales). */
    size_t commas = 0, semis = 0;
    for (const char *p = c.p; p < c.end && *p != '\n'; p++) {
        if (*p == ',') commas++;
        else if (*p == ';') semis++;
    }
    if (semis > commas) c.delim = ';';
    char msg[200];
    int hline = c.line;
    int got = next_record(&c, &r, buf, CRM_MAX_LONGTEXT, msg, sizeof msg);
    if (got == GR_ERR_NOMEM) {
        rc = got;
        goto fail;
    }
    if (got != 1) {
        rc = GR_ERR_FORMAT;
        goto fail;
    }
    ncols = r.n;
    cols = calloc(ncols ? ncols : 1, sizeof *cols);
    heads = calloc(ncols ? ncols : 1, sizeof *heads);
    if (!cols || !heads) {
        rc = GR_ERR_NOMEM;
        goto fail;
    }
    int known = 0, job = 0;
    for (size_t i = 0; i < ncols; i++) job |= header_is_job_title(r.f[i]);
    for (size_t i = 0; i < ncols; i++) {
        header_col(r.f[i], job, &cols[i]);
        known += cols[i].kind != C_NONE;
        heads[i] = r.f[i];
        r.f[i] = NULL;
    }
    r.n = 0;
    /* Google pairs: each value column reads its type from its label column. */
    for (size_t i = 0; i < ncols; i++)
        if (cols[i].key[0] && cols[i].kind != C_LABEL && cols[i].kind != C_NONE)
            for (size_t k = 0; k < ncols; k++)
                if (cols[k].kind == C_LABEL && !strcmp(cols[k].key, cols[i].key)) cols[i].label = (int)k;
    if (!known) {
        LOG_D("CSV header on line %d names no known column", hline);
        rc = GR_ERR_FORMAT;
        goto fail;
    }
    size_t records = 0;
    for (;;) {
        int line = c.line;
        got = next_record(&c, &r, buf, CRM_MAX_LONGTEXT, msg, sizeof msg);
        if (got == 0) break;
        if (got == GR_ERR_NOMEM) {
            rc = got;
            goto fail;
        }
        if (++records > MAX_RECORDS) {
            rc = GR_ERR_TOOBIG;
            goto fail;
        }
        if (got == GR_ERR_FORMAT) {
            add_error(*errors, line, msg);
            continue;
        }
        if (r.n == 1 && !r.f[0][0]) continue; /* blank line */
        if (r.n != ncols) {
            snprintf(msg, sizeof msg, "expected %zu fields as in the header, found %zu", ncols, r.n);
            add_error(*errors, line, msg);
            continue;
        }
        /* A field that is not UTF-8 would be stored garbled or lost: the
         * record is refused and said so (a file saved in a legacy code page
         * is to be saved again as UTF-8). */
        size_t bad = ncols;
        for (size_t i = 0; i < ncols && bad == ncols; i++)
            if (cols[i].kind != C_NONE && !fmt_u8_valid(r.f[i])) bad = i;
        if (bad < ncols) {
            snprintf(msg, sizeof msg, "field %zu (%.40s) is not UTF-8; save the file as UTF-8", bad + 1,
                     fmt_u8_valid(heads[bad]) ? heads[bad] : "?");
            add_error(*errors, line, msg);
            continue;
        }
        json_t *o = record_contact(cols, &r, line);
        if (!o) {
            add_error(*errors, line, "record has no value");
            continue;
        }
        if (json_array_append_new(*contacts, o)) {
            rc = GR_ERR_NOMEM;
            goto fail;
        }
    }
    rec_clear(&r);
    free(r.f);
    free(buf);
    free(cols);
    for (size_t i = 0; heads && i < ncols; i++) free(heads[i]);
    free(heads);
    return GR_OK;
fail:
    rec_clear(&r);
    free(r.f);
    free(buf);
    free(cols);
    for (size_t i = 0; heads && i < ncols; i++) free(heads[i]);
    free(heads);
    json_decref(*contacts);
    json_decref(*errors);
    *contacts = *errors = NULL;
    return rc;
}

/* ---- writing ---- */

static int needs_guard(const char *s) {
    if (s[0] == '\'') return 1; /* so the apostrophe that is data survives a re-import */
    if (!formula_start(s[0])) return 0;
    if (s[0] != '+' && s[0] != '-') return 1;
    /* "+49 (30) 555-0100", "-12.5": data, not a formula ("-2+3" is one) */
    return s[1 + strspn(s + 1, "0123456789 -()./")] != 0;
}

static void put_cell(FILE *f, const char *s) {
    if (!s) s = "";
    int guard = needs_guard(s);
    int quote = strpbrk(s, ",\"\r\n;") != NULL || (*s && (isspace((unsigned char)*s) ||
                                                         isspace((unsigned char)s[strlen(s) - 1])));
    if (quote) fputc('"', f);
    if (guard) fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    if (quote) fputc('"', f);
}

static const char *phone_num(json_t *v) {
    return json_is_object(v) ? json_string_value(json_object_get(v, "number")) : json_string_value(v);
}

static const char *phone_type(json_t *v) {
    const char *t = json_is_object(v) ? json_string_value(json_object_get(v, "type")) : NULL;
    return t && *t ? t : "work";
}

static int main_type(const char *t) {
    return !strcmp(t, "work") || !strcmp(t, "mobile") || !strcmp(t, "fax") || !strcmp(t, "home");
}

/* Values of a contact list joined with "; " (phones of one type, or with
 * other: every phone of no main type). skip: values before it are left out
 * (they went to earlier columns). */
static void put_joined(FILE *f, json_t *arr, const char *type, int other, size_t skip) {
    size_t need = 1, i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        const char *s = phone_num(v);
        if (s) need += strlen(s) + 2;
    }
    char *buf = malloc(need);
    if (!buf) return;
    size_t n = 0, seen = 0;
    buf[0] = 0;
    json_array_foreach(arr, i, v) {
        const char *s = phone_num(v);
        if (!s || !*s) continue;
        if (type && (other ? main_type(phone_type(v)) : strcmp(phone_type(v), type) != 0)) continue;
        if (seen++ < skip) continue;
        n += (size_t)snprintf(buf + n, need - n, "%s%s", n ? "; " : "", s);
    }
    put_cell(f, buf);
    free(buf);
}

/* The k-th (0-based) value of arr of that phone type (NULL: any), "" when none. */
static const char *nth(json_t *arr, const char *type, size_t k) {
    size_t i, seen = 0;
    json_t *v;
    json_array_foreach(arr, i, v) {
        const char *s = phone_num(v);
        if (!s || !*s || (type && strcmp(phone_type(v), type))) continue;
        if (seen++ == k) return s;
    }
    return "";
}

static size_t max_len(json_t *contacts, const char *key) {
    size_t m = 0, i;
    json_t *c;
    json_array_foreach(contacts, i, c) if (json_array_size(json_object_get(c, key)) > m) m = json_array_size(json_object_get(c, key));
    return m;
}

static const char *str(json_t *c, const char *key) {
    const char *s = json_string_value(json_object_get(c, key));
    return s ? s : "";
}

/* Outlook has no full-name column: Outlook shows "Title First Middle Last
 * Suffix". When name is given+family with words around them, those go to
 * Title, Middle Name and Suffix; when it cannot be told apart, the whole
 * name is the first name. */
static void name_parts(json_t *c, char *pre, char *first, char *mid, char *last, char *suf, size_t cap) {
    const char *name = str(c, "name"), *g = str(c, "given_name"), *fam = str(c, "family_name");
    pre[0] = mid[0] = suf[0] = 0;
    snprintf(first, cap, "%s", g);
    snprintf(last, cap, "%s", fam);
    const char *pg = *g ? strstr(name, g) : NULL;
    const char *pf = *fam ? strstr(pg ? pg + strlen(g) : name, fam) : NULL;
    if (!*name) return;
    if ((*g && !pg) || (*fam && !pf) || (!*g && !*fam)) {
        snprintf(first, cap, "%s", name);
        last[0] = 0;
        return;
    }
    const char *a, *b;
    if (pg) {
        a = pg;
        b = pf ? pf + strlen(fam) : pg + strlen(g);
    } else if (pf) {
        a = pf;
        b = pf + strlen(fam);
    } else {
        return;
    }
    char tmp[CRM_MAX_TEXT + 1];
    snprintf(tmp, sizeof tmp, "%.*s", (int)(a - name), name);
    snprintf(pre, cap, "%s", trimmed(tmp, tmp, sizeof tmp));
    snprintf(tmp, sizeof tmp, "%s", b);
    snprintf(suf, cap, "%s", trimmed(tmp, tmp, sizeof tmp));
    if (pg && pf) {
        const char *m = pg + strlen(g);
        snprintf(tmp, sizeof tmp, "%.*s", (int)(pf - m), m);
        snprintf(mid, cap, "%s", trimmed(tmp, tmp, sizeof tmp));
    }
}

static const char *google_type(const char *t) {
    return !strcmp(t, "mobile") ? "Mobile" : !strcmp(t, "fax") ? "Work Fax" : !strcmp(t, "home") ? "Home"
           : !strcmp(t, "work") ? "Work" : "Other";
}

static void write_ours(FILE *f, json_t *contacts) {
    fputs("name,given_name,family_name,title,company,phone_work,phone_mobile,phone_fax,phone_home,phone_other,email,"
          "website,address,note\r\n", f);
    size_t i;
    json_t *c;
    json_array_foreach(contacts, i, c) {
        static const char *const keys[] = {"name", "given_name", "family_name", "title", "company"};
        for (size_t k = 0; k < 5; k++) {
            put_cell(f, json_string_value(json_object_get(c, keys[k])));
            fputc(',', f);
        }
        json_t *phones = json_object_get(c, "phones");
        static const char *const types[] = {"work", "mobile", "fax", "home"};
        for (size_t k = 0; k < 4; k++) {
            put_joined(f, phones, types[k], 0, 0);
            fputc(',', f);
        }
        put_joined(f, phones, "other", 1, 0);
        fputc(',', f);
        put_joined(f, json_object_get(c, "emails"), NULL, 0, 0);
        fputc(',', f);
        put_joined(f, json_object_get(c, "websites"), NULL, 0, 0);
        fputc(',', f);
        put_cell(f, json_string_value(json_object_get(c, "address")));
        fputc(',', f);
        put_cell(f, json_string_value(json_object_get(c, "note")));
        fputs("\r\n", f);
    }
}

/* Google Contacts' CSV ("Google CSV", the layout with a Name column, which
 * Google's importer still reads): one Type/Value column pair per value. */
/* Google columns per kind: 10 fixed columns and 40 Type/Value pairs for
 * each of e-mails, phones and websites stay within the MAX_FIELDS our own
 * reader takes; values beyond a kind's last slot share it, joined with
 * Google's " ::: " (split_values splits them again). */
#define GOOGLE_SLOTS 40

/* Value k of the kind's array a as written in slot k of n: the last slot
 * joins the rest with " ::: " (malloc'd into *joined, caller frees). */
static const char *google_value(json_t *a, size_t k, size_t n, const char *(*get)(json_t *), char **joined) {
    *joined = NULL;
    size_t len = json_array_size(a);
    if (k >= len) return NULL;
    if (k + 1 < n || k + 1 == len) return get(json_array_get(a, k));
    size_t cap = 1;
    for (size_t j = k; j < len; j++) cap += strlen(get(json_array_get(a, j)) ? get(json_array_get(a, j)) : "") + 5;
    char *s = malloc(cap);
    if (!s) return get(json_array_get(a, k));
    s[0] = '\0';
    for (size_t j = k; j < len; j++) {
        const char *v = get(json_array_get(a, j));
        if (!v || !*v) continue;
        if (*s) strcat(s, " ::: ");
        strcat(s, v);
    }
    return *joined = s;
}

static const char *json_str_of(json_t *v) { return json_string_value(v); }

static void write_google(FILE *f, json_t *contacts) {
    size_t ne = max_len(contacts, "emails"), np = max_len(contacts, "phones"), nw = max_len(contacts, "websites");
    if (ne > GOOGLE_SLOTS) ne = GOOGLE_SLOTS;
    if (np > GOOGLE_SLOTS) np = GOOGLE_SLOTS;
    if (nw > GOOGLE_SLOTS) nw = GOOGLE_SLOTS;
    fputs("Name,Given Name,Family Name,Notes,Group Membership,Organization 1 - Type,Organization 1 - Name,"
          "Organization 1 - Title,Address 1 - Type,Address 1 - Formatted", f);
    for (size_t k = 0; k < ne; k++) fprintf(f, ",E-mail %zu - Type,E-mail %zu - Value", k + 1, k + 1);
    for (size_t k = 0; k < np; k++) fprintf(f, ",Phone %zu - Type,Phone %zu - Value", k + 1, k + 1);
    for (size_t k = 0; k < nw; k++) fprintf(f, ",Website %zu - Type,Website %zu - Value", k + 1, k + 1);
    fputs("\r\n", f);
    size_t i;
    json_t *c;
    json_array_foreach(contacts, i, c) {
        put_cell(f, str(c, "name"));
        fputc(',', f);
        put_cell(f, str(c, "given_name"));
        fputc(',', f);
        put_cell(f, str(c, "family_name"));
        fputc(',', f);
        put_cell(f, str(c, "note"));
        fputs(",* myContacts,", f);
        fputs(*str(c, "company") || *str(c, "title") ? "Work," : ",", f);
        put_cell(f, str(c, "company"));
        fputc(',', f);
        put_cell(f, str(c, "title"));
        fputc(',', f);
        fputs(*str(c, "address") ? "Work," : ",", f);
        put_cell(f, str(c, "address"));
        json_t *a = json_object_get(c, "emails");
        char *joined;
        for (size_t k = 0; k < ne; k++) {
            const char *v = google_value(a, k, ne, json_str_of, &joined);
            fputs(v && *v ? (k ? ",Other," : ",* Work,") : ",,", f);
            put_cell(f, v);
            free(joined);
        }
        a = json_object_get(c, "phones");
        for (size_t k = 0; k < np; k++) {
            json_t *v = json_array_get(a, k);
            const char *num = google_value(a, k, np, phone_num, &joined);
            fputc(',', f);
            if (num && *num) fputs(google_type(phone_type(v)), f);
            fputc(',', f);
            put_cell(f, num);
            free(joined);
        }
        a = json_object_get(c, "websites");
        for (size_t k = 0; k < nw; k++) {
            const char *v = google_value(a, k, nw, json_str_of, &joined);
            fputs(v && *v ? ",Work," : ",,", f);
            put_cell(f, v);
            free(joined);
        }
        fputs("\r\n", f);
    }
}

/* Outlook's CSV ("Comma Separated Values" import/export): the columns of
 * Outlook's own export that hold what a contact has here. Outlook has two
 * work phones, one mobile, two home, one fax and three e-mail slots; values
 * beyond them are joined with "; " in the last slot of their kind, so
 * nothing is lost (Outlook then shows that cell as one text). */
static void write_outlook(FILE *f, json_t *contacts) {
    fputs("Title,First Name,Middle Name,Last Name,Suffix,Company,Job Title,Business Street,Business Fax,"
          "Business Phone,Business Phone 2,Home Phone,Home Phone 2,Mobile Phone,Other Phone,E-mail Address,"
          "E-mail 2 Address,E-mail 3 Address,Notes,Web Page\r\n", f);
    size_t i;
    json_t *c;
    json_array_foreach(contacts, i, c) {
        char pre[CRM_MAX_TEXT + 1], first[CRM_MAX_TEXT + 1], mid[CRM_MAX_TEXT + 1], last[CRM_MAX_TEXT + 1],
            suf[CRM_MAX_TEXT + 1];
        name_parts(c, pre, first, mid, last, suf, CRM_MAX_TEXT + 1);
        const char *cells[] = {pre, first, mid, last, suf, str(c, "company"), str(c, "title"), str(c, "address")};
        for (size_t k = 0; k < 8; k++) {
            put_cell(f, cells[k]);
            fputc(',', f);
        }
        json_t *ph = json_object_get(c, "phones");
        /* Values beyond a type's slots are joined with "; " in its last slot
         * (Outlook keeps that cell as text; reading here splits it again). */
        put_joined(f, ph, "fax", 0, 0);
        fputc(',', f);
        put_cell(f, nth(ph, "work", 0));
        fputc(',', f);
        put_joined(f, ph, "work", 0, 1);
        fputc(',', f);
        put_cell(f, nth(ph, "home", 0));
        fputc(',', f);
        put_joined(f, ph, "home", 0, 1);
        fputc(',', f);
        put_joined(f, ph, "mobile", 0, 0);
        fputc(',', f);
        put_joined(f, ph, "other", 1, 0);
        fputc(',', f);
        json_t *em = json_object_get(c, "emails");
        put_cell(f, nth(em, NULL, 0));
        fputc(',', f);
        put_cell(f, nth(em, NULL, 1));
        fputc(',', f);
        put_joined(f, em, NULL, 0, 2);
        fputc(',', f);
        put_cell(f, str(c, "note"));
        fputc(',', f);
        put_joined(f, json_object_get(c, "websites"), NULL, 0, 0);
        fputs("\r\n", f);
    }
}

int crm_csv_write_layout(json_t *contacts, crm_csv_layout_t layout, char **out) {
    *out = NULL;
    size_t size = 0;
    FILE *f = open_memstream(out, &size);
    if (!f) return GR_ERR_NOMEM;
    if (layout == CRM_CSV_GOOGLE) write_google(f, contacts);
    else if (layout == CRM_CSV_OUTLOOK) write_outlook(f, contacts);
    else write_ours(f, contacts);
    if (fclose(f) != 0) {
        free(*out);
        *out = NULL;
        return GR_ERR_NOMEM;
    }
    return GR_OK;
}

int crm_csv_write(json_t *contacts, char **out) { return crm_csv_write_layout(contacts, CRM_CSV_GREETER, out); }

int crm_text_is_vcard(const char *text, size_t len) {
    const char *p = text, *end = text + len;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) p += 3;
    while (p < end && isspace((unsigned char)*p)) p++;
    return (size_t)(end - p) >= 11 && !strncasecmp(p, "BEGIN:VCARD", 11);
}
