/* vcard.c - vCard 4.0 writer and 2.1/3.0/4.0 reader (RFC 6350, RFC 2426). */
#include "firmware/formats/vcard.h"

#include "firmware/core/err.h"
#include "firmware/formats/strbuf.h"
#include "firmware/formats/utf8.h"

#define GR_LOG_MODULE "vcard"
#include "firmware/core/log.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ write */

/* RFC 6350 3.4: escape backslash, comma, semicolon and newlines. */
static void put_escaped(fmt_strbuf_t *b, const char *s) {
    for (; s && *s; s++) {
        switch (*s) {
        case '\\': fmt_sb_add(b, "\\\\", 2); break;
        case ',': fmt_sb_add(b, "\\,", 2); break;
        case ';': fmt_sb_add(b, "\\;", 2); break;
        case '\r':
            if (s[1] == '\n') s++;
            fmt_sb_add(b, "\\n", 2);
            break;
        case '\n': fmt_sb_add(b, "\\n", 2); break;
        default: fmt_sb_addc(b, *s);
        }
    }
}

/* Append one content line, folded so no line exceeds 75 octets (without
 * CRLF); a fold never splits a UTF-8 sequence. */
static void put_folded(fmt_strbuf_t *out, const char *line, size_t n) {
    size_t i = 0, limit = 75;
    while (i < n) {
        size_t take = n - i;
        if (take > limit) {
            take = limit;
            /* back up over continuation bytes so the cut is on a boundary */
            while (take > 1 && ((unsigned char)line[i + take] & 0xC0) == 0x80) take--;
        }
        if (i > 0) fmt_sb_addc(out, ' ');
        fmt_sb_add(out, line + i, take);
        fmt_sb_add(out, "\r\n", 2);
        i += take;
        limit = 74; /* the leading space counts */
    }
}

static void emit(fmt_strbuf_t *out, fmt_strbuf_t *line) {
    put_folded(out, line->s ? line->s : "", line->len);
    line->len = 0;
    if (line->s) line->s[0] = '\0';
}

/* Returns the string value of key, "" when absent or null, NULL when the
 * value has the wrong type. */
static const char *jstr(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) return "";
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *tel_type(const char *t) {
    if (!t || !*t) return "voice";
    if (!strcasecmp(t, "work")) return "work,voice";
    if (!strcasecmp(t, "mobile") || !strcasecmp(t, "cell")) return "cell";
    if (!strcasecmp(t, "fax")) return "fax";
    if (!strcasecmp(t, "home")) return "home,voice";
    return "voice";
}

int fmt_vcard_write(const char *contact_json, char **out) { return fmt_vcard_write_version(contact_json, 4, out); }

int fmt_vcard_write_version(const char *contact_json, int version, char **out) {
    int rc = GR_ERR_FORMAT;
    int v3 = version == 3;
    json_t *o = NULL;
    fmt_strbuf_t b, line;
    fmt_sb_init(&b);
    fmt_sb_init(&line);
    if (!out) return GR_ERR_INVAL;
    *out = NULL;
    if (!contact_json || (version != 3 && version != 4)) goto done;
    json_error_t jerr;
    o = json_loads(contact_json, JSON_REJECT_DUPLICATES, &jerr);
    if (!o || !json_is_object(o)) goto done;

    const char *name = jstr(o, "name"), *given = jstr(o, "given_name"), *family = jstr(o, "family_name");
    const char *title = jstr(o, "title"), *company = jstr(o, "company"), *address = jstr(o, "address");
    const char *note = jstr(o, "note");
    if (!name || !given || !family || !title || !company || !address || !note) goto done;
    json_t *phones = json_object_get(o, "phones"), *emails = json_object_get(o, "emails");
    json_t *sites = json_object_get(o, "websites");
    if ((phones && !json_is_null(phones) && !json_is_array(phones)) ||
        (emails && !json_is_null(emails) && !json_is_array(emails)) ||
        (sites && !json_is_null(sites) && !json_is_array(sites)))
        goto done;

    fmt_sb_adds(&b, v3 ? "BEGIN:VCARD\r\nVERSION:3.0\r\n" : "BEGIN:VCARD\r\nVERSION:4.0\r\n");
    /* FN is required: fall back to given+family, then the company. */
    fmt_sb_adds(&line, "FN:");
    if (*name) {
        put_escaped(&line, name);
    } else if (*given || *family) {
        put_escaped(&line, given);
        if (*given && *family) fmt_sb_addc(&line, ' ');
        put_escaped(&line, family);
    } else {
        put_escaped(&line, company);
    }
    emit(&b, &line);
    if (*given || *family || v3) { /* N is required in 3.0 (RFC 2426 5.) */
        fmt_sb_adds(&line, "N:");
        put_escaped(&line, family);
        fmt_sb_addc(&line, ';');
        put_escaped(&line, given);
        fmt_sb_adds(&line, ";;;");
        emit(&b, &line);
    }
    if (*company) {
        fmt_sb_adds(&line, "ORG:");
        put_escaped(&line, company);
        emit(&b, &line);
    }
    if (*title) {
        fmt_sb_adds(&line, "TITLE:");
        put_escaped(&line, title);
        emit(&b, &line);
    }
    size_t i;
    json_t *v;
    json_array_foreach(phones, i, v) {
        const char *num = NULL, *type = NULL;
        if (json_is_string(v)) {
            num = json_string_value(v);
        } else if (json_is_object(v)) {
            num = jstr(v, "number");
            type = jstr(v, "type");
            if (!num || !type) goto done;
        } else {
            goto done;
        }
        if (!*num) continue;
        int uri = !v3 && num[0] == '+' && strspn(num + 1, "0123456789") == strlen(num + 1);
        if (v3) fmt_sb_printf(&line, "TEL;TYPE=%s:", tel_type(type));
        else fmt_sb_printf(&line, "TEL;VALUE=%s;TYPE=\"%s\":%s", uri ? "uri" : "text", tel_type(type), uri ? "tel:" : "");
        if (uri)
            fmt_sb_adds(&line, num);
        else
            put_escaped(&line, num);
        emit(&b, &line);
    }
    json_array_foreach(emails, i, v) {
        if (!json_is_string(v)) goto done;
        if (!*json_string_value(v)) continue;
        fmt_sb_adds(&line, v3 ? "EMAIL;TYPE=INTERNET,WORK:" : "EMAIL;TYPE=work:");
        put_escaped(&line, json_string_value(v));
        emit(&b, &line);
    }
    json_array_foreach(sites, i, v) {
        if (!json_is_string(v)) goto done;
        if (!*json_string_value(v)) continue;
        fmt_sb_adds(&line, "URL:");
        put_escaped(&line, json_string_value(v));
        emit(&b, &line);
    }
    json_t *ap = json_object_get(o, "address_parts");
    static const char *const ADR_PARTS[] = {"street", "city", "region", "postal_code", "country"};
    int split = 0;
    if (*address && json_is_object(ap))
        for (int k = 0; k < 4; k++) /* a country alone is no split */
            if (jstr(ap, ADR_PARTS[k]) && *jstr(ap, ADR_PARTS[k])) split = 1;
    if (split) {
        /* RFC 6350 ADR: PO box; extended; street; locality; region; code; country */
        fmt_sb_adds(&line, v3 ? "ADR;TYPE=WORK:;" : "ADR;TYPE=work:;");
        for (int k = 0; k < 5; k++) {
            const char *v = jstr(ap, ADR_PARTS[k]);
            fmt_sb_addc(&line, ';');
            if (v) put_escaped(&line, v);
        }
        emit(&b, &line);
    } else if (*address) {
        /* One free-text address: the street component holds it all. */
        fmt_sb_adds(&line, v3 ? "ADR;TYPE=WORK:;;" : "ADR;TYPE=work:;;");
        put_escaped(&line, address);
        fmt_sb_adds(&line, ";;;;");
        emit(&b, &line);
    }
    if (*note) {
        fmt_sb_adds(&line, "NOTE:");
        put_escaped(&line, note);
        emit(&b, &line);
    }
    fmt_sb_adds(&b, "END:VCARD\r\n");
    if (b.oom || line.oom) {
        rc = GR_ERR_NOMEM;
        goto done;
    }
    *out = fmt_sb_take(&b);
    rc = *out ? GR_OK : GR_ERR_NOMEM;
done:
    fmt_sb_free(&line);
    fmt_sb_free(&b);
    json_decref(o);
    return rc;
}

/* ------------------------------------------------------------------- read */

typedef struct {
    char *text;      /* logical (unfolded) line, NUL-terminated */
    size_t len;
    int lineno;      /* 1-based physical line where it starts */
} vline_t;

typedef struct {
    char *group;     /* "item1" of "item1.EMAIL" (Apple), "" when none */
    char *name;      /* property name, upper case, group stripped */
    char *params;    /* raw parameter text after the name (may be "") */
    char *value;     /* raw value */
} vprop_t;

static int has_ci(const char *hay, const char *needle) {
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n)) return 1;
    return 0;
}

/* 1 when the parameters (before the value) of a content line hold `word`
 * (case-insensitive); the value itself does not count. */
static int params_hold(const char *line, const char *word) {
    const char *colon = strchr(line, ':');
    size_t n = colon ? (size_t)(colon - line) : strlen(line), w = strlen(word);
    for (size_t i = 0; i + w <= n; i++)
        if (!strncasecmp(line + i, word, w)) return 1;
    return 0;
}

/* vCard 2.1 base64 (PHOTO;ENCODING=BASE64, Outlook, BlackBerry): some
 * exporters continue the data on lines that are not indented. */
static int b64_params(const char *line) {
    if (params_hold(line, "BASE64")) return 1;
    const char *colon = strchr(line, ':');
    size_t n = colon ? (size_t)(colon - line) : strlen(line);
    for (size_t i = 0; i + 10 <= n; i++) /* ENCODING=b (3.0), as a whole value */
        if (!strncasecmp(line + i, "ENCODING=B", 10) && (i + 10 == n || line[i + 10] == ';')) return 1;
    return 0;
}

static int b64_line(const char *p, size_t n) {
    if (!n) return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)p[i]) && p[i] != '+' && p[i] != '/' && p[i] != '=') return 0;
    return 1;
}

/* Split text into unfolded logical lines. A physical line starting with a
 * space or tab continues the previous one (RFC 6350 3.2); a
 * QUOTED-PRINTABLE value ending in '=' continues on the next line (a soft
 * break, vCard 2.1: Android, Outlook), and a 2.1 BASE64 value continues on
 * the lines of base64 characters after it. A UTF-8 BOM at the start of a
 * line (files joined together) is dropped. */
static int split_lines(const char *text, size_t len, vline_t **out, size_t *count) {
    vline_t *v = NULL;
    size_t n = 0, cap = 0;
    fmt_strbuf_t cur;
    fmt_sb_init(&cur);
    int have = 0, start_line = 0, lineno = 0, cur_b64 = 0;
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && text[j] != '\r' && text[j] != '\n') j++;
        lineno++;
        const char *p = text + i;
        size_t pl = j - i;
        if (pl >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) {
            p += 3;
            pl -= 3;
        }
        int cont = pl > 0 && (p[0] == ' ' || p[0] == '\t');
        int qp_cont = have && cur.len > 0 && cur.s[cur.len - 1] == '=' && params_hold(cur.s, "QUOTED-PRINTABLE");
        int b64_cont = have && cur_b64 && !cont && b64_line(p, pl);
        if (have && (cont || qp_cont || b64_cont)) {
            if (qp_cont) {
                cur.len--; /* drop the soft break '=' */
                cur.s[cur.len] = '\0';
                /* a folded soft break (some exporters indent it): the
                 * indent is the fold, not data */
                if (cont && pl > 1 && p[1] == '=') fmt_sb_add(&cur, p + 1, pl - 1);
                else fmt_sb_add(&cur, p, pl);
            } else if (b64_cont) {
                fmt_sb_add(&cur, p, pl);
            } else {
                fmt_sb_add(&cur, p + 1, pl - 1);
            }
        } else {
            if (have) {
                if (n == cap) {
                    cap = cap ? cap * 2 : 64;
                    vline_t *nv = realloc(v, cap * sizeof *v);
                    if (!nv) goto nomem;
                    v = nv;
                }
                v[n].len = cur.len;
                v[n].lineno = start_line;
                v[n].text = fmt_sb_take(&cur);
                if (!v[n].text) goto nomem;
                n++;
            }
            fmt_sb_init(&cur);
            fmt_sb_add(&cur, p, pl);
            have = 1;
            start_line = lineno;
            cur_b64 = !cur.oom && cur.s && b64_params(cur.s);
        }
        if (cur.oom) goto nomem;
        /* one line break: CRLF, LF or CR */
        if (j < len && text[j] == '\r') {
            j++;
            if (j < len && text[j] == '\n') j++;
        } else if (j < len) {
            j++;
        }
        i = j;
    }
    if (have) {
        if (n == cap) {
            vline_t *nv = realloc(v, (cap + 1) * sizeof *v);
            if (!nv) goto nomem;
            v = nv;
        }
        v[n].len = cur.len;
        v[n].lineno = start_line;
        v[n].text = fmt_sb_take(&cur);
        if (!v[n].text) goto nomem;
        n++;
    }
    *out = v;
    *count = n;
    return GR_OK;
nomem:
    fmt_sb_free(&cur);
    for (size_t k = 0; k < n; k++) free(v[k].text);
    free(v);
    return GR_ERR_NOMEM;
}

/* Parse "group.NAME;params:value" in place. Returns 0, or -1 when there is
 * no colon outside quotes or no name. */
static int parse_prop(char *s, vprop_t *p) {
    char *colon = NULL;
    int inq = 0;
    for (char *c = s; *c; c++) {
        if (*c == '"') inq = !inq;
        else if (*c == ':' && !inq) {
            colon = c;
            break;
        }
    }
    if (!colon) return -1;
    *colon = '\0';
    p->value = colon + 1;
    char *semi = strchr(s, ';');
    if (semi) {
        *semi = '\0';
        p->params = semi + 1;
    } else {
        p->params = s + strlen(s);
    }
    while (*s == ' ' || *s == '\t') s++;
    char *dot = strrchr(s, '.');
    p->group = "";
    if (dot) {
        *dot = '\0';
        p->group = s;
        p->name = dot + 1;
    } else {
        p->name = s;
    }
    size_t nl = strlen(p->name);
    while (nl && (p->name[nl - 1] == ' ' || p->name[nl - 1] == '\t')) p->name[--nl] = '\0';
    if (!*p->name) return -1;
    for (char *c = p->name; *c; c++) *c = (char)toupper((unsigned char)*c);
    return 0;
}

static int hexv(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Decode QUOTED-PRINTABLE in place. */
static void qp_decode(char *s) {
    char *w = s;
    for (char *r = s; *r; r++) {
        int a, b;
        if (*r == '=' && r[1] && r[2] && (a = hexv(r[1])) >= 0 && (b = hexv(r[2])) >= 0) {
            *w++ = (char)(a * 16 + b);
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

/* Windows-1252 0x80-0x9F (what Outlook writes for "ISO-8859-1"). */
static const unsigned short CP1252[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152,
    0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122,
    0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

/* Latin-1 / Windows-1252 -> UTF-8 (malloc'd). */
static char *latin1_to_utf8(const char *s) {
    size_t n = strlen(s);
    char *o = malloc(n * 3 + 1), *w = o;
    if (!o) return NULL;
    for (; *s; s++) {
        unsigned c = (unsigned char)*s;
        if (c >= 0x80 && c < 0xA0) c = CP1252[c - 0x80];
        if (c < 0x80) {
            *w++ = (char)c;
        } else if (c < 0x800) {
            *w++ = (char)(0xC0 | (c >> 6));
            *w++ = (char)(0x80 | (c & 0x3F));
        } else {
            *w++ = (char)(0xE0 | (c >> 12));
            *w++ = (char)(0x80 | ((c >> 6) & 0x3F));
            *w++ = (char)(0x80 | (c & 0x3F));
        }
    }
    *w = '\0';
    return o;
}

/* Split a structured value at unescaped `sep` and unescape each part in
 * place. Returns the number of parts (at most maxp). */
static int split_unescape(char *v, char sep, char **parts, int maxp) {
    int n = 0;
    char *w = v;
    parts[n++] = w;
    for (char *r = v; *r; r++) {
        if (*r == '\\' && r[1]) {
            r++;
            *w++ = (*r == 'n' || *r == 'N') ? '\n' : *r;
        } else if (*r == sep && sep) {
            *w++ = '\0';
            if (n < maxp) parts[n++] = w;
            else { /* fold extra parts into the last */
                w[-1] = ' ';
            }
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return n;
}

static void trim(char *s) {
    size_t n = strlen(s), a = 0;
    while (n && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
    while (isspace((unsigned char)s[a])) a++;
    if (a) memmove(s, s + a, n - a + 1);
}

#define MAX_GROUPED 64

typedef struct {
    json_t *obj;
    json_t *phones, *emails, *websites;
    json_t *errs;    /* borrowed: dropped values are reported here */
    int have_fn, have_n, begin_line;
    /* Apple's grouped labels: item1.TEL + item1.X-ABLabel:_$!<Mobile>!$_ */
    struct { char group[24]; size_t idx; } tel[MAX_GROUPED];
    struct { char group[24]; char label[48]; } lab[MAX_GROUPED];
    size_t ntel, nlab;
    char err[200];
} card_t;

static void set_str(json_t *o, const char *key, const char *v) { json_object_set_new(o, key, json_string(v)); }

/* 1 when the parameter text holds `word` as a whole token: TYPE=work,voice,
 * type=cell;type=voice (iOS), TYPE="cell", or vCard 2.1 bare words
 * (TEL;WORK;VOICE:). */
static int param_has(const char *params, const char *word) {
    size_t n = strlen(word);
    const char *p = params;
    while (*p) {
        size_t k = strcspn(p, ";,=\"");
        if (k == n && !strncasecmp(p, word, n)) return 1;
        p += k;
        if (*p) p++;
    }
    return 0;
}

static const char *phone_type_of(const char *params) {
    if (param_has(params, "cell") || param_has(params, "mobile") || param_has(params, "iphone")) return "mobile";
    if (param_has(params, "fax")) return "fax";
    if (param_has(params, "work") || param_has(params, "main")) return "work";
    if (param_has(params, "home")) return "home";
    return "other";
}

/* The phone type an Apple label names (_$!<Mobile>!$_, _$!<WorkFAX>!$_, or
 * the user's own words), NULL when it names none. */
static const char *label_type(const char *label) {
    if (has_ci(label, "fax")) return "fax";
    if (has_ci(label, "mobile") || has_ci(label, "iphone") || has_ci(label, "cell")) return "mobile";
    if (has_ci(label, "work") || has_ci(label, "main") || has_ci(label, "business") || has_ci(label, "office"))
        return "work";
    if (has_ci(label, "home")) return "home";
    if (has_ci(label, "other") || has_ci(label, "pager")) return "other";
    return NULL;
}

/* Copy at most max bytes of s into out (>= max+4), cut on a UTF-8
 * boundary, "..." appended when cut. */
static void shorten(char *out, const char *s, size_t max) {
    size_t n = strlen(s);
    if (n <= max) {
        memcpy(out, s, n + 1);
        return;
    }
    while (max && ((unsigned char)s[max] & 0xC0) == 0x80) max--;
    memcpy(out, s, max);
    memcpy(out + max, "...", 4);
}

static void add_error(json_t *errs, int line, const char *msg, int dropped) {
    json_t *e = dropped ? json_pack("{s:i, s:s, s:b}", "line", line, "message", msg, "dropped", 1)
                        : json_pack("{s:i, s:s}", "line", line, "message", msg);
    if (e) json_array_append_new(errs, e);
}

/* A value left out of an otherwise good card: reported, never fatal. */
static void drop_value(card_t *c, int lineno, const char *prop, const char *value, const char *why) {
    char v[72], msg[200];
    shorten(v, value, 60);
    snprintf(msg, sizeof msg, "dropped %s \"%s\": %s", prop, v, why);
    add_error(c->errs, lineno, msg, 1);
}

/* What a phone number needs to be one: three digits (crm's rule too). */
static int phone_plausible(const char *s) {
    int d = 0;
    for (; *s; s++) d += isdigit((unsigned char)*s) != 0;
    return d >= 3;
}

static int email_plausible(const char *s) {
    const char *at = strchr(s, '@');
    if (!at || at == s || !at[1] || strchr(at + 1, '@')) return 0;
    for (const char *p = s; *p; p++)
        if (isspace((unsigned char)*p) || *p == ',' || *p == ';' || *p == '<' || *p == '>') return 0;
    return 1;
}

static int card_prop(card_t *c, vprop_t *p, int lineno) {
    char *value = p->value;
    char *conv = NULL;
    const char *n = p->name;
    /* Photos, sounds, keys: binary, not kept (a contact's photo comes from
     * the board's own camera); their base64 is never decoded. */
    if (!strcmp(n, "PHOTO") || !strcmp(n, "LOGO") || !strcmp(n, "SOUND") || !strcmp(n, "KEY")) return GR_OK;
    if (has_ci(p->params, "QUOTED-PRINTABLE")) {
        qp_decode(value);
        /* line breaks inside values become "\n" (as the writer's \n reads back) */
        char *w = value;
        for (char *r = value; *r; r++) {
            if (*r == '\r') {
                *w++ = '\n';
                if (r[1] == '\n') r++;
            } else {
                *w++ = *r;
            }
        }
        *w = '\0';
    }
    if (!fmt_u8_valid(value)) {
        if (has_ci(p->params, "8859-1") || has_ci(p->params, "latin1") || has_ci(p->params, "1252") ||
            has_ci(p->params, "ANSI")) {
            conv = latin1_to_utf8(value);
            if (!conv) return GR_ERR_NOMEM;
            value = conv;
        } else {
            /* Never guessed: a wrong guess would store garbled names. */
            snprintf(c->err, sizeof c->err, "line %d: %s value is not UTF-8 (and no CHARSET says what it is)",
                     lineno, n);
            return GR_ERR_FORMAT;
        }
    }
    char *parts[8];
    int rc = GR_OK;
    if (!strcmp(n, "VERSION")) {
        trim(value);
        if (strcmp(value, "2.1") && strcmp(value, "3.0") && strcmp(value, "4.0")) {
            snprintf(c->err, sizeof c->err, "line %d: unsupported VERSION '%.20s'", lineno, value);
            rc = GR_ERR_FORMAT;
        }
    } else if (!strcmp(n, "FN")) {
        split_unescape(value, 0, parts, 1);
        trim(value);
        set_str(c->obj, "name", value);
        c->have_fn = *value != '\0';
    } else if (!strcmp(n, "N")) {
        int k = split_unescape(value, ';', parts, 5);
        for (int q = 0; q < k; q++) trim(parts[q]);
        set_str(c->obj, "family_name", parts[0]);
        set_str(c->obj, "given_name", k > 1 ? parts[1] : "");
        c->have_n = *parts[0] || (k > 1 && *parts[1]);
    } else if (!strcmp(n, "ORG")) {
        split_unescape(value, ';', parts, 8);
        trim(parts[0]);
        set_str(c->obj, "company", parts[0]);
    } else if (!strcmp(n, "TITLE")) {
        split_unescape(value, 0, parts, 1);
        trim(value);
        set_str(c->obj, "title", value);
    } else if (!strcmp(n, "NOTE")) {
        split_unescape(value, 0, parts, 1);
        set_str(c->obj, "note", value);
    } else if (!strcmp(n, "TEL")) {
        split_unescape(value, 0, parts, 1);
        trim(value);
        char *num = value;
        if (!strncasecmp(num, "tel:", 4)) num += 4;
        /* tel: URI extension (RFC 3966): "+1-555-555-5555;ext=5555" */
        char *ext = strstr(num, ";ext=");
        if (ext) memcpy(ext, " ext ", 5);
        if (!*num) {
            /* empty: nothing to keep, nothing lost */
        } else if (!phone_plausible(num)) {
            drop_value(c, lineno, "TEL", num, "not a phone number");
        } else {
            json_t *t = json_pack("{s:s, s:s}", "number", num, "type", phone_type_of(p->params));
            if (t && !json_array_append_new(c->phones, t) && *p->group && c->ntel < MAX_GROUPED) {
                snprintf(c->tel[c->ntel].group, sizeof c->tel[c->ntel].group, "%s", p->group);
                c->tel[c->ntel++].idx = json_array_size(c->phones) - 1;
            }
        }
    } else if (!strcmp(n, "EMAIL")) {
        split_unescape(value, 0, parts, 1);
        trim(value);
        char *e = value;
        if (!strncasecmp(e, "mailto:", 7)) e += 7;
        if (!*e) {
        } else if (!email_plausible(e)) {
            drop_value(c, lineno, "EMAIL", e, "not an e-mail address");
        } else {
            json_array_append_new(c->emails, json_string(e));
        }
    } else if (!strcmp(n, "URL")) {
        split_unescape(value, 0, parts, 1);
        trim(value);
        if (*value) json_array_append_new(c->websites, json_string(value));
    } else if (!strcmp(n, "X-ABLABEL")) {
        split_unescape(value, 0, parts, 1);
        trim(value);
        if (*p->group && c->nlab < MAX_GROUPED) {
            snprintf(c->lab[c->nlab].group, sizeof c->lab[c->nlab].group, "%s", p->group);
            snprintf(c->lab[c->nlab++].label, sizeof c->lab[0].label, "%s", value);
        }
    } else if (!strcmp(n, "ADR")) {
        int k = split_unescape(value, ';', parts, 7);
        fmt_strbuf_t a;
        fmt_sb_init(&a);
        for (int q = 0; q < k; q++) {
            trim(parts[q]);
            if (!*parts[q]) continue;
            if (a.len) fmt_sb_adds(&a, ", ");
            fmt_sb_adds(&a, parts[q]);
        }
        json_t *cur = json_object_get(c->obj, "address");
        if (!a.oom && a.len && cur && !*json_string_value(cur)) set_str(c->obj, "address", a.s);
        if (a.oom) rc = GR_ERR_NOMEM;
        fmt_sb_free(&a);
    }
    free(conv);
    return rc;
}

static json_t *new_contact(card_t *c) {
    c->obj = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[], s:[], s:[], s:s}", "name", "", "given_name", "",
                       "family_name", "", "title", "", "company", "", "phones", "emails", "websites", "address", "");
    if (!c->obj) return NULL;
    c->phones = json_object_get(c->obj, "phones");
    c->emails = json_object_get(c->obj, "emails");
    c->websites = json_object_get(c->obj, "websites");
    return c->obj;
}

/* At END:VCARD: Apple's labels give their phones a type; the name comes
 * from FN, else N. A card with no name keeps an empty one when it has
 * something else to go by (an e-mail, a phone, an organisation): the
 * importer names it and marks it for review. */
static int finish_card(card_t *c) {
    for (size_t i = 0; i < c->ntel; i++)
        for (size_t k = 0; k < c->nlab; k++) {
            const char *t = strcmp(c->tel[i].group, c->lab[k].group) ? NULL : label_type(c->lab[k].label);
            json_t *ph = json_array_get(c->phones, c->tel[i].idx);
            if (t && ph) set_str(ph, "type", t);
        }
    if (!c->have_fn && c->have_n) {
        const char *g = json_string_value(json_object_get(c->obj, "given_name"));
        const char *f = json_string_value(json_object_get(c->obj, "family_name"));
        char *fn = malloc(strlen(g) + strlen(f) + 2);
        if (!fn) return GR_ERR_NOMEM;
        sprintf(fn, "%s%s%s", g, (*g && *f) ? " " : "", f);
        set_str(c->obj, "name", fn);
        free(fn);
    }
    if (!c->have_fn && !c->have_n && !json_array_size(c->phones) && !json_array_size(c->emails) &&
        !*json_string_value(json_object_get(c->obj, "company"))) {
        snprintf(c->err, sizeof c->err, "card has no name, organisation, e-mail or phone");
        return GR_ERR_FORMAT;
    }
    return GR_OK;
}

static int vcard_read(const char *text, size_t len, int with_lines, char **contacts, char **errors) {
    int rc = GR_ERR_NOMEM;
    vline_t *lines = NULL;
    size_t nlines = 0;
    json_t *list = json_array(), *errs = json_array();
    card_t *c = calloc(1, sizeof *c);
    int in_card = 0, bad = 0, cards_seen = 0;
    if (contacts) *contacts = NULL;
    if (errors) *errors = NULL;
    if (!contacts || !errors || (!text && len)) {
        rc = GR_ERR_INVAL;
        goto done;
    }
    if (!list || !errs || !c) goto done;
    if (memchr(text, '\0', len)) {
        /* A NUL cannot be part of vCard text; cut there and say so. */
        len = strlen(text);
        add_error(errs, 0, "text contains a NUL byte; the rest was ignored", 0);
    }
    rc = split_lines(text, len, &lines, &nlines);
    if (rc != GR_OK) goto done;
    for (size_t i = 0; i < nlines; i++) {
        char *s = lines[i].text;
        int ln = lines[i].lineno;
        const char *t = s;
        while (*t == ' ' || *t == '\t') t++;
        if (!*t) continue;
        vprop_t p;
        int perr = parse_prop(s, &p);
        int is_begin = !perr && !strcmp(p.name, "BEGIN") && !strncasecmp(p.value, "VCARD", 5);
        int is_end = !perr && !strcmp(p.name, "END") && !strncasecmp(p.value, "VCARD", 5);
        if (is_begin) {
            if (in_card) {
                add_error(errs, c->begin_line, bad ? c->err : "card has no END:VCARD", 0);
                json_decref(c->obj);
                c->obj = NULL;
            }
            memset(c, 0, sizeof *c);
            c->errs = errs;
            if (!new_contact(c)) {
                rc = GR_ERR_NOMEM;
                goto done;
            }
            c->begin_line = ln;
            in_card = 1;
            bad = 0;
            cards_seen++;
            continue;
        }
        if (!in_card) continue; /* text between cards is ignored */
        if (is_end) {
            if (!bad) {
                int frc = finish_card(c);
                if (frc == GR_ERR_NOMEM) {
                    rc = frc;
                    goto done;
                }
                if (frc != GR_OK) bad = 1;
            }
            if (bad) {
                add_error(errs, c->begin_line, c->err, 0);
                json_decref(c->obj);
            } else {
                if (with_lines) json_object_set_new(c->obj, "line", json_integer(c->begin_line));
                json_array_append_new(list, c->obj);
            }
            c->obj = NULL;
            in_card = 0;
            continue;
        }
        if (bad) continue;
        if (perr) {
            /* Not a property: the line is left out, the card kept. */
            char v[72], msg[120];
            shorten(v, fmt_u8_valid(s) ? s : "(not UTF-8)", 40);
            snprintf(msg, sizeof msg, "line has no ':', ignored: \"%s\"", v);
            add_error(errs, ln, msg, 1);
            continue;
        }
        if (!strcmp(p.name, "BEGIN") || !strcmp(p.name, "END")) {
            snprintf(c->err, sizeof c->err, "line %d: unexpected %s:%.20s inside a card", ln, p.name, p.value);
            bad = 1;
            continue;
        }
        int prc = card_prop(c, &p, ln);
        if (prc == GR_ERR_NOMEM) {
            rc = prc;
            goto done;
        }
        if (prc != GR_OK) bad = 1;
    }
    if (in_card) {
        add_error(errs, c->begin_line, bad ? c->err : "card has no END:VCARD", 0);
        json_decref(c->obj);
        c->obj = NULL;
    }
    if (!cards_seen) {
        rc = GR_ERR_FORMAT;
        goto done;
    }
    *contacts = json_dumps(list, JSON_COMPACT);
    *errors = json_dumps(errs, JSON_COMPACT);
    if (!*contacts || !*errors) {
        free(*contacts);
        free(*errors);
        *contacts = *errors = NULL;
        rc = GR_ERR_NOMEM;
        goto done;
    }
    rc = GR_OK;
done:
    if (c) json_decref(c->obj);
    free(c);
    for (size_t i = 0; i < nlines; i++) free(lines[i].text);
    free(lines);
    json_decref(list);
    json_decref(errs);
    if (rc != GR_OK && rc != GR_ERR_FORMAT) LOG_W("vCard read failed: %s", gr_strerror(rc));
    return rc;
}

int fmt_vcard_read(const char *text, size_t len, char **contacts, char **errors) {
    return vcard_read(text, len, 0, contacts, errors);
}

int fmt_vcard_read_lines(const char *text, size_t len, char **contacts, char **errors) {
    return vcard_read(text, len, 1, contacts, errors);
}
