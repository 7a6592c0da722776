/* fields_hints.c - the card reader learns from corrections: what a person
 * corrected on earlier scans (crm card_scans.corrections, gathered by the
 * caller: ocr/ cannot reach the CRM) becomes hints keyed by the card's
 * company identity - the registrable e-mail/web domain (not a shared mail
 * provider's) and the switchboard block of its work/fax numbers (E.164
 * without the last four digits). A new card with the same key gets the
 * corrected company when what it read is empty, the same wrong reading or
 * a near miss, and the corrected spelling of a name or title it read the
 * same wrong way. */
#include "ocr/fields.h"

#include "ocr/fields_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Mail providers whose domain many companies share: their domain says
 * nothing about the company (a hint keyed by it would be wrong for the next
 * person). The phone block still keys such cards. */
int ocr_fld_shared_mail_domain(const char *d) {
    static const char *const SHARED[] = {"gmail.com", "googlemail.com", "hotmail.com", "outlook.com", "live.com",
                                         "msn.com", "yahoo.com", "icloud.com", "me.com", "aol.com", "gmx.de",
                                         "gmx.net", "web.de", "mail.ru", "bk.ru", "list.ru", "inbox.ru", "yandex.ru", "ya.ru", "qq.com", "163.com",
                                         "126.com", "naver.com", "daum.net", "hanmail.net", "proton.me",
                                         "protonmail.com", "bol.com.br", "uol.com.br", "terra.com.br", "ig.com.br",
                                         "r7.com", "orange.fr", "free.fr", "wanadoo.fr", "t-online.de", "libero.it",
                                         "rediffmail.com", "verizon.net", "comcast.net", NULL};
    for (int i = 0; SHARED[i]; i++)
        if (!strcasecmp(d, SHARED[i])) return 1;
    /* national webmail subdomains: yahoo.co.jp, hotmail.co.uk, yahoo.com.br */
    return !strncasecmp(d, "yahoo.", 6) || !strncasecmp(d, "hotmail.", 8) || !strncasecmp(d, "outlook.", 8);
}

/* Add key "d:<registrable domain>" of host (e-mail domain or site host). */
static void add_domain_key(json_t *keys, const char *host) {
    char h[256];
    snprintf(h, sizeof h, "%s", host);
    ocr_fld_lower_ascii(h);
    char *q = h + strcspn(h, "/:");
    *q = '\0';
    size_t off, len;
    if (!ocr_fld_host_stem(h, &off, &len)) return;
    const char *reg = h + off;
    if (ocr_fld_shared_mail_domain(reg)) return;
    char k[300];
    snprintf(k, sizeof k, "d:%s", reg);
    json_array_append_new(keys, json_string(k));
}

json_t *ocr_fields_hint_keys(const json_t *contact) {
    json_t *keys = json_array();
    if (!keys) return NULL;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(contact, "emails"), i, v) {
        const char *e = json_string_value(v), *at = e ? strchr(e, '@') : NULL;
        if (at) add_domain_key(keys, at + 1);
    }
    json_array_foreach(json_object_get(contact, "websites"), i, v) {
        const char *w = json_string_value(v);
        if (!w) continue;
        const char *sch = strstr(w, "://");
        w = sch ? sch + 3 : w;
        if (!strncasecmp(w, "www.", 4)) w += 4;
        add_domain_key(keys, w);
    }
    json_array_foreach(json_object_get(contact, "phones"), i, v) {
        const char *n = json_string_value(json_object_get(v, "number")), *t = json_string_value(json_object_get(v, "type"));
        if (!n || n[0] != '+' || (t && !strcmp(t, "mobile"))) continue; /* a mobile is the person's own */
        size_t l = strlen(n);
        if (l < 9 || l > 16) continue;
        char k[32];
        snprintf(k, sizeof k, "p:%.*s", (int)(l - 4), n);
        json_array_append_new(keys, json_string(k));
    }
    return keys;
}

static int shares_key(const json_t *a, const json_t *b) {
    size_t i, j;
    json_t *x, *y;
    json_array_foreach(a, i, x) json_array_foreach(b, j, y) if (json_equal(x, y)) return 1;
    return 0;
}

json_t *ocr_fields_hints_from_scans(const json_t *scans) {
    static const char *const FIELDS[] = {"company", "title", "name", NULL};
    json_t *hints = json_array();
    if (!hints) return NULL;
    size_t i;
    json_t *sc;
    json_array_foreach(scans, i, sc) {
        const json_t *res = json_object_get(sc, "result"), *corr = json_object_get(sc, "corrections");
        if (!json_is_object(res) || !json_is_object(corr)) continue;
        /* the card as the person left it: corrected e-mails/sites/phones key it */
        json_t *card = json_deep_copy(res);
        if (!card) break;
        static const char *const IDS[] = {"emails", "websites", "phones", NULL};
        for (int k = 0; IDS[k]; k++) {
            json_t *to = json_object_get(json_object_get(corr, IDS[k]), "to");
            if (json_is_array(to)) json_object_set(card, IDS[k], to);
        }
        json_t *keys = ocr_fields_hint_keys(card);
        json_decref(card);
        if (!keys) break;
        for (int f = 0; FIELDS[f] && json_array_size(keys); f++) {
            const json_t *c = json_object_get(corr, FIELDS[f]);
            const char *to = json_string_value(json_object_get(c, "to"));
            const char *from = json_string_value(json_object_get(c, "from"));
            if (!to || !*to) continue;
            json_array_append_new(hints, json_pack("{s:O,s:s,s:s,s:s}", "keys", keys, "field", FIELDS[f], "from",
                                                   from ? from : "", "to", to));
        }
        json_decref(keys);
    }
    return hints;
}

/* a and b alike: equal ignoring case, or a near miss (edit distance at
 * most a fifth of the length, >= 1) of ASCII-folded copies. */
static int alike(const char *a, const char *b) {
    if (!*a || !*b) return 0;
    if (!strcasecmp(a, b)) return 1;
    char fa[128], fb[128];
    ocr_fld_ascii_fold(a, fa, sizeof fa);
    ocr_fld_ascii_fold(b, fb, sizeof fb);
    ocr_fld_lower_ascii(fa);
    ocr_fld_lower_ascii(fb);
    size_t la = strlen(fa), lb = strlen(fb);
    int tol = (int)((la > lb ? la : lb) / 5);
    if (tol < 1) tol = 1;
    return ocr_text_edit_distance(fa, fb) <= tol;
}

int ocr_fields_apply_hints(json_t *contact, const json_t *hints) {
    if (!json_is_object(contact) || !json_is_array(hints) || !json_array_size(hints)) return 0;
    json_t *keys = ocr_fields_hint_keys(contact);
    if (!keys) return 0;
    json_t *conf = json_object_get(contact, "confidence");
    int changed = 0, done_company = 0, done_title = 0, done_name = 0;
    size_t i;
    json_t *h;
    /* newest first: the first hint that applies to a field wins */
    json_array_foreach(hints, i, h) {
        const char *field = json_string_value(json_object_get(h, "field"));
        const char *from = json_string_value(json_object_get(h, "from"));
        const char *to = json_string_value(json_object_get(h, "to"));
        if (!field || !to || !*to || !from || !shares_key(keys, json_object_get(h, "keys"))) continue;
        const char *cur = json_string_value(json_object_get(contact, field));
        if (!cur) cur = "";
        int apply = 0;
        if (!strcmp(field, "company") && !done_company) {
            /* the company of this domain/phone block, unless the card plainly
             * names another one (read well and unlike both) */
            done_company = 1;
            apply = !*cur || alike(cur, from) || alike(cur, to);
        } else if (!strcmp(field, "title") && !done_title) {
            apply = *from && alike(cur, from) && strcasecmp(cur, to);
            done_title = apply;
        } else if (!strcmp(field, "name") && !done_name) {
            apply = *from && alike(cur, from) && strcasecmp(cur, to);
            done_name = apply;
        }
        if (!apply || !strcmp(cur, to)) continue;
        json_object_set_new(contact, field, json_string(to));
        if (conf) json_object_set_new(conf, field, json_real(0.95));
        if (!strcmp(field, "name")) { /* keep given/family in step */
            const char *sp = strrchr(to, ' ');
            json_object_set_new(contact, "given_name", sp ? json_stringn(to, (size_t)(sp - to)) : json_string(""));
            json_object_set_new(contact, "family_name", json_string(sp ? sp + 1 : to));
        }
        changed++;
    }
    json_decref(keys);
    if (changed) {
        json_object_set_new(contact, "learned", json_true());
        ocr_fields_mark_confident(contact);
    }
    return changed;
}
