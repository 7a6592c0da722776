#define GR_LOG_MODULE "crm"
#include "crm/csv.h"

#include "crm/contacts.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

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

enum { C_NONE, C_GIVEN, C_FAMILY, C_NAME, C_TITLE, C_COMPANY, C_PHONE, C_PH_WORK, C_PH_MOBILE, C_PH_FAX,
       C_PH_HOME, C_PH_OTHER, C_EMAIL, C_WEBSITE, C_ADDRESS, C_NOTE };

static const struct { const char *name; int col; } header_names[] = {
    {"given_name", C_GIVEN}, {"first_name", C_GIVEN}, {"firstname", C_GIVEN}, {"given", C_GIVEN},
    {"family_name", C_FAMILY}, {"last_name", C_FAMILY}, {"lastname", C_FAMILY}, {"surname", C_FAMILY},
    {"name", C_NAME}, {"full_name", C_NAME}, {"fn", C_NAME}, {"display_name", C_NAME},
    {"title", C_TITLE}, {"job_title", C_TITLE}, {"position", C_TITLE},
    {"company", C_COMPANY}, {"organization", C_COMPANY}, {"organisation", C_COMPANY}, {"org", C_COMPANY},
    {"phone", C_PHONE}, {"phones", C_PHONE}, {"telephone", C_PHONE}, {"tel", C_PHONE},
    {"phone_work", C_PH_WORK}, {"work_phone", C_PH_WORK}, {"phone_mobile", C_PH_MOBILE}, {"mobile", C_PH_MOBILE},
    {"mobile_phone", C_PH_MOBILE}, {"phone_fax", C_PH_FAX}, {"fax", C_PH_FAX}, {"phone_home", C_PH_HOME},
    {"home_phone", C_PH_HOME}, {"phone_other", C_PH_OTHER},
    {"email", C_EMAIL}, {"emails", C_EMAIL}, {"e_mail", C_EMAIL}, {"mail", C_EMAIL}, {"email_address", C_EMAIL},
    {"website", C_WEBSITE}, {"websites", C_WEBSITE}, {"url", C_WEBSITE}, {"web", C_WEBSITE},
    {"address", C_ADDRESS}, {"note", C_NOTE}, {"notes", C_NOTE},
};

static int header_col(const char *h) {
    char key[64] = "";
    size_t n = 0;
    while (*h && isspace((unsigned char)*h)) h++;
    for (; *h && n + 1 < sizeof key; h++) {
        char ch = *h;
        if (ch == ' ' || ch == '-' || ch == '.') ch = '_';
        key[n++] = (char)tolower((unsigned char)ch);
    }
    while (n && key[n - 1] == '_') n--;
    key[n] = 0;
    for (size_t i = 0; i < sizeof header_names / sizeof header_names[0]; i++)
        if (!strcmp(key, header_names[i].name)) return header_names[i].col;
    return C_NONE;
}

static void add_error(json_t *errors, int line, const char *msg) {
    json_t *e = json_pack("{s:i,s:s}", "line", line, "message", msg);
    if (e) json_array_append_new(errors, e);
}

/* Split "a; b" (also ',' for e-mails) into trimmed values appended to arr. */
static void split_values(json_t *arr, const char *cell, const char *seps, const char *type) {
    const char *p = cell;
    while (*p) {
        size_t len = strcspn(p, seps);
        const char *a = p, *b = p + len;
        while (a < b && isspace((unsigned char)*a)) a++;
        while (b > a && isspace((unsigned char)b[-1])) b--;
        if (b > a) {
            json_t *v = json_stringn(a, (size_t)(b - a));
            if (v && type) v = json_pack("{s:o,s:s}", "number", v, "type", type);
            if (v) json_array_append_new(arr, v);
        }
        p += len;
        if (*p) p++;
    }
}

static json_t *record_contact(const int *cols, const rec_t *r, int line) {
    json_t *o = json_object(), *phones = json_array(), *emails = json_array(), *webs = json_array();
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
        switch (cols[i]) {
        case C_GIVEN: case C_FAMILY: case C_NAME: case C_TITLE: case C_COMPANY: case C_ADDRESS: case C_NOTE:
            if (!json_object_get(o, strkeys[cols[i]])) json_object_set_new(o, strkeys[cols[i]], json_string(v));
            any = 1;
            break;
        case C_PHONE: split_values(phones, v, ";|", "work"); any = 1; break;
        case C_PH_WORK: split_values(phones, v, ";|", "work"); any = 1; break;
        case C_PH_MOBILE: split_values(phones, v, ";|", "mobile"); any = 1; break;
        case C_PH_FAX: split_values(phones, v, ";|", "fax"); any = 1; break;
        case C_PH_HOME: split_values(phones, v, ";|", "home"); any = 1; break;
        case C_PH_OTHER: split_values(phones, v, ";|", "other"); any = 1; break;
        case C_EMAIL: split_values(emails, v, ";, ", NULL); any = 1; break;
        case C_WEBSITE: split_values(webs, v, "; ", NULL); any = 1; break;
        default: break;
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
    int *cols = NULL;
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
    size_t ncols = r.n;
    cols = calloc(ncols ? ncols : 1, sizeof *cols);
    if (!cols) {
        rc = GR_ERR_NOMEM;
        goto fail;
    }
    int known = 0;
    for (size_t i = 0; i < ncols; i++) known += (cols[i] = header_col(r.f[i])) != C_NONE;
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
    return GR_OK;
fail:
    rec_clear(&r);
    free(r.f);
    free(buf);
    free(cols);
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

/* Values of a contact list joined with "; " (phones of one type). */
static void put_joined(FILE *f, json_t *arr, const char *type, int other) {
    size_t need = 1, i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        const char *s = json_is_object(v) ? json_string_value(json_object_get(v, "number")) : json_string_value(v);
        if (s) need += strlen(s) + 2;
    }
    char *buf = malloc(need);
    if (!buf) return;
    size_t n = 0;
    buf[0] = 0;
    json_array_foreach(arr, i, v) {
        const char *s = json_is_object(v) ? json_string_value(json_object_get(v, "number")) : json_string_value(v);
        if (!s) continue;
        if (type) {
            const char *t = json_string_value(json_object_get(v, "type"));
            if (!t) t = "work";
            int is_main = !strcmp(t, "work") || !strcmp(t, "mobile") || !strcmp(t, "fax");
            if (other ? is_main : strcmp(t, type)) continue;
        }
        n += (size_t)snprintf(buf + n, need - n, "%s%s", n ? "; " : "", s);
    }
    put_cell(f, buf);
    free(buf);
}

int crm_csv_write(json_t *contacts, char **out) {
    *out = NULL;
    size_t size = 0;
    FILE *f = open_memstream(out, &size);
    if (!f) return GR_ERR_NOMEM;
    fputs("name,given_name,family_name,title,company,phone_work,phone_mobile,phone_fax,phone_other,email,website,"
          "address,note\r\n", f);
    size_t i;
    json_t *c;
    json_array_foreach(contacts, i, c) {
        static const char *const keys[] = {"name", "given_name", "family_name", "title", "company"};
        for (size_t k = 0; k < 5; k++) {
            put_cell(f, json_string_value(json_object_get(c, keys[k])));
            fputc(',', f);
        }
        json_t *phones = json_object_get(c, "phones");
        put_joined(f, phones, "work", 0);
        fputc(',', f);
        put_joined(f, phones, "mobile", 0);
        fputc(',', f);
        put_joined(f, phones, "fax", 0);
        fputc(',', f);
        put_joined(f, phones, "other", 1);
        fputc(',', f);
        put_joined(f, json_object_get(c, "emails"), NULL, 0);
        fputc(',', f);
        put_joined(f, json_object_get(c, "websites"), NULL, 0);
        fputc(',', f);
        put_cell(f, json_string_value(json_object_get(c, "address")));
        fputc(',', f);
        put_cell(f, json_string_value(json_object_get(c, "note")));
        fputs("\r\n", f);
    }
    if (fclose(f) != 0) {
        free(*out);
        *out = NULL;
        return GR_ERR_NOMEM;
    }
    return GR_OK;
}

int crm_text_is_vcard(const char *text, size_t len) {
    const char *p = text, *end = text + len;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) p += 3;
    while (p < end && isspace((unsigned char)*p)) p++;
    return (size_t)(end - p) >= 11 && !strncasecmp(p, "BEGIN:VCARD", 11);
}
