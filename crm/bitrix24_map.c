/* bitrix24_map.c - Greeter records as Bitrix24 fields. */
#define GR_LOG_MODULE "sync"
#include "crm/bitrix24_map.h"

#include "firmware/core/config.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int crm_b24_origin_id(const char *device_id, const char *entity, int64_t local_id, char *buf, size_t buflen) {
    int n = snprintf(buf, buflen, "%s:%s:%lld", device_id, entity, (long long)local_id);
    return n > 0 && (size_t)n < buflen ? GR_OK : GR_ERR_RANGE;
}

const char *crm_b24_entity(const char *entity) {
    static const char *const known[] = {"contact", "company", "lead", "deal", NULL};
    for (int i = 0; known[i]; i++)
        if (strcmp(entity, known[i]) == 0) return known[i];
    return NULL;
}

/* A text member, or NULL when absent/null/empty; -1 in *bad for a wrong type. */
static const char *text(json_t *o, const char *key, int *bad) {
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) return NULL;
    if (!json_is_string(v)) {
        *bad = 1;
        return NULL;
    }
    const char *s = json_string_value(v);
    return *s ? s : NULL;
}

static int64_t ref_id(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    if (json_is_integer(v)) return json_integer_value(v);
    if (json_is_string(v)) return strtoll(json_string_value(v), NULL, 10);
    return 0;
}

static void put_str(json_t *f, const char *key, const char *v) {
    if (v) json_object_set_new(f, key, json_string(v));
}

static void put_ref(const crm_b24_map_ctx_t *ctx, json_t *f, const char *key, const char *entity, int64_t local) {
    char id[64];
    if (local > 0 && ctx->resolve && ctx->resolve(ctx->resolve_ctx, entity, local, id, sizeof id))
        json_object_set_new(f, key, json_string(id));
}

static const char *phone_type(const char *t) {
    static const char *const types[] = {"WORK", "MOBILE", "FAX", "HOME", "PAGER", "MAILING", "OTHER", NULL};
    if (!t) return "WORK";
    if (strcasecmp(t, "cell") == 0) return "MOBILE";
    for (int i = 0; types[i]; i++)
        if (strcasecmp(t, types[i]) == 0) return types[i];
    return "OTHER";
}

static const char *mail_type(const char *t) {
    static const char *const types[] = {"WORK", "HOME", "MAILING", "OTHER", NULL};
    if (!t) return "WORK";
    for (int i = 0; types[i]; i++)
        if (strcasecmp(t, types[i]) == 0) return types[i];
    return "OTHER";
}

/* Multi-field list from a payload array of strings or objects. */
static int multi(json_t *arr, const char *kind, json_t **out) {
    *out = NULL;
    if (!arr || json_is_null(arr)) return GR_OK;
    if (!json_is_array(arr)) return GR_ERR_INVAL;
    json_t *res = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x) {
        const char *val = NULL, *type = NULL;
        if (json_is_string(x)) {
            val = json_string_value(x);
        } else if (json_is_object(x)) {
            static const char *const keys[] = {"number", "value", "email", "address", "url", NULL};
            for (int k = 0; keys[k] && !val; k++) val = json_string_value(json_object_get(x, keys[k]));
            type = json_string_value(json_object_get(x, "type"));
        } else {
            json_decref(res);
            return GR_ERR_INVAL;
        }
        if (!val || !*val) continue;
        const char *vt = strcmp(kind, "PHONE") == 0 ? phone_type(type)
                         : strcmp(kind, "EMAIL") == 0 ? mail_type(type)
                                                      : "WORK";
        json_array_append_new(res, json_pack("{s:s,s:s}", "VALUE", val, "VALUE_TYPE", vt));
    }
    *out = res;
    return GR_OK;
}

static int put_multi(json_t *f, json_t *src, const char *srckey, const char *kind, char *err, size_t errlen) {
    json_t *m;
    if (multi(json_object_get(src, srckey), kind, &m) != GR_OK) {
        snprintf(err, errlen, "field %s must be a list of texts or objects", srckey);
        return GR_ERR_INVAL;
    }
    if (m) json_object_set_new(f, kind, m);
    return GR_OK;
}

/* Person fields shared by contacts and leads (from the record or a lead's data). */
static int person_fields(json_t *f, json_t *src, char *err, size_t errlen) {
    int bad = 0;
    put_str(f, "NAME", text(src, "given_name", &bad));
    put_str(f, "LAST_NAME", text(src, "family_name", &bad));
    if (!json_object_get(f, "NAME") && !json_object_get(f, "LAST_NAME")) put_str(f, "NAME", text(src, "name", &bad));
    put_str(f, "POST", text(src, "title", &bad));
    put_str(f, "ADDRESS", text(src, "address", &bad));
    put_str(f, "COMMENTS", text(src, "note", &bad));
    if (bad) {
        snprintf(err, errlen, "a name, title, address or note field is not text");
        return GR_ERR_INVAL;
    }
    int rc = put_multi(f, src, "phones", "PHONE", err, errlen);
    if (rc == GR_OK) rc = put_multi(f, src, "emails", "EMAIL", err, errlen);
    if (rc == GR_OK) rc = put_multi(f, src, "websites", "WEB", err, errlen);
    return rc;
}

/* The booth's qualification and the responsible user (issue 15) have no
 * native Bitrix24 field: they go into the portal's user fields below
 * (docs/SYNC.md says how to create them; a portal without them ignores
 * them). Present in the record means sent, "" too, so a cleared value is
 * cleared there as well. */
#define UF_RATING "UF_CRM_GR_RATING"       /* integer 0..5 */
#define UF_TEMPERATURE "UF_CRM_GR_TEMP"    /* string hot|warm|cold|"" */
#define UF_INTERESTS "UF_CRM_GR_INTERESTS" /* string, tags joined by ", " */
#define UF_EVENT "UF_CRM_GR_EVENT"         /* string */
#define UF_FOLLOW_UP "UF_CRM_GR_FOLLOWUP"  /* date YYYY-MM-DD ("" = none) */
#define UF_OWNER "UF_CRM_GR_OWNER"         /* string: the board's user name */

static void put_uf_text(json_t *f, const char *key, json_t *p, const char *src, int *bad) {
    json_t *v = json_object_get(p, src);
    if (!v || json_is_null(v)) return;
    if (!json_is_string(v)) {
        *bad = 1;
        return;
    }
    json_object_set_new(f, key, json_string(json_string_value(v)));
}

int64_t crm_b24_user_id(const char *users, const char *name) {
    if (!users || !name || !*name || gr_user_map_check(users, NULL, 0) != GR_OK) return 0;
    size_t nlen = strlen(name);
    for (const char *p = users; *p;) {
        const char *end = strchr(p, ',');
        if (!end) end = p + strlen(p);
        while (p < end && isspace((unsigned char)*p)) p++;
        const char *eq = memchr(p, '=', (size_t)(end - p));
        const char *ne = eq;
        while (ne > p && isspace((unsigned char)ne[-1])) ne--;
        if ((size_t)(ne - p) == nlen && memcmp(p, name, nlen) == 0) return strtoll(eq + 1, NULL, 10);
        p = *end ? end + 1 : end;
    }
    return 0;
}

/* The responsible user: its name in UF_CRM_GR_OWNER, and ASSIGNED_BY_ID
 * when sync.bitrix24_users maps it (an unmapped or cleared one leaves the
 * portal's responsible user alone). */
static void put_owner(const crm_b24_map_ctx_t *ctx, json_t *f, json_t *p, int *bad) {
    put_uf_text(f, UF_OWNER, p, "assigned_to", bad);
    int64_t id = crm_b24_user_id(ctx->users, json_string_value(json_object_get(p, "assigned_to")));
    if (id > 0) json_object_set_new(f, "ASSIGNED_BY_ID", json_integer(id));
}

/* rating, temperature, interests, event, follow_up of a lead. */
static void lead_qualification(json_t *f, json_t *p, int *bad) {
    json_t *r = json_object_get(p, "rating");
    if (json_is_integer(r)) json_object_set_new(f, UF_RATING, json_integer(json_integer_value(r)));
    else if (r && !json_is_null(r)) *bad = 1;
    put_uf_text(f, UF_TEMPERATURE, p, "temperature", bad);
    put_uf_text(f, UF_EVENT, p, "event", bad);
    put_uf_text(f, UF_FOLLOW_UP, p, "follow_up", bad);
    json_t *tags = json_object_get(p, "interests");
    if (json_is_array(tags)) {
        char buf[2048] = "";
        size_t k = 0, i;
        json_t *t;
        json_array_foreach(tags, i, t) {
            const char *tag = json_string_value(t);
            if (!tag) {
                *bad = 1;
                return;
            }
            int n = snprintf(buf + k, sizeof buf - k, "%s%s", k ? ", " : "", tag);
            if (n < 0 || (size_t)n >= sizeof buf - k) break; /* cut at a whole tag */
            k += (size_t)n;
        }
        json_object_set_new(f, UF_INTERESTS, json_string(buf));
    } else if (tags && !json_is_null(tags)) {
        *bad = 1;
    }
}

static const char *lead_status(const char *s) {
    static const char *const st[] = {"NEW", "IN_PROCESS", "PROCESSED", "JUNK", "CONVERTED", NULL};
    for (int i = 0; s && st[i]; i++)
        if (strcasecmp(s, st[i]) == 0) return st[i];
    return "NEW";
}

static const char *deal_stage(const char *s) {
    static const char *const st[] = {"NEW",  "PREPARATION", "PREPAYMENT_INVOICE", "EXECUTING", "FINAL_INVOICE",
                                     "WON",  "LOSE",        "APOLOGY",            NULL};
    for (int i = 0; s && st[i]; i++)
        if (strcasecmp(s, st[i]) == 0) return st[i];
    return "NEW";
}

int crm_b24_map_fields(const crm_b24_map_ctx_t *ctx, const char *entity, const char *op, json_t *p, json_t **out,
                       char *err, size_t errlen) {
    *out = NULL;
    if (!json_is_object(p)) {
        snprintf(err, errlen, "the %s snapshot is not a JSON object", entity);
        return GR_ERR_INVAL;
    }
    json_t *f = json_object();
    if (!f) return GR_ERR_NOMEM;
    int rc = GR_OK, bad = 0;
    if (strcmp(entity, "contact") == 0) {
        rc = person_fields(f, p, err, errlen);
        put_ref(ctx, f, "COMPANY_ID", "company", ref_id(p, "company_id"));
        put_owner(ctx, f, p, &bad);
    } else if (strcmp(entity, "company") == 0) {
        put_str(f, "TITLE", text(p, "title", &bad));
        put_str(f, "ADDRESS", text(p, "address", &bad));
        const char *web = text(p, "website", &bad);
        if (web) json_object_set_new(f, "WEB", json_pack("[{s:s,s:s}]", "VALUE", web, "VALUE_TYPE", "WORK"));
    } else if (strcmp(entity, "lead") == 0) {
        json_t *data = json_object_get(p, "data");
        if (data && !json_is_object(data) && !json_is_null(data)) {
            snprintf(err, errlen, "the lead's data is not an object");
            rc = GR_ERR_INVAL;
        } else if (json_is_object(data)) {
            rc = person_fields(f, data, err, errlen);
            put_str(f, "COMPANY_TITLE", text(data, "company", &bad));
        }
        put_str(f, "TITLE", text(p, "title", &bad));
        const char *status = text(p, "status", &bad);
        put_str(f, "STATUS_ID", op && strcmp(op, "convert") == 0 ? "CONVERTED" : lead_status(status));
        const char *src = text(p, "source", &bad);
        if (src && strcmp(src, "card_scan") == 0)
            put_str(f, "SOURCE_ID", "TRADE_SHOW");
        else if (src && strcmp(src, "face_visit") == 0)
            put_str(f, "SOURCE_ID", ctx->visit_source ? ctx->visit_source : "OTHER");
        /* The lead's own note is its COMMENTS (over the card's note), the
         * event where it was met also shows in SOURCE_DESCRIPTION. */
        put_str(f, "COMMENTS", text(p, "note", &bad));
        const char *event = text(p, "event", &bad);
        char desc[600];
        snprintf(desc, sizeof desc, "Greeter %s%s%.256s", ctx->device_name ? ctx->device_name : "", event ? " · " : "",
                 event ? event : "");
        put_str(f, "SOURCE_DESCRIPTION", desc);
        put_ref(ctx, f, "CONTACT_ID", "contact", ref_id(p, "contact_id"));
        lead_qualification(f, p, &bad);
        put_owner(ctx, f, p, &bad);
    } else if (strcmp(entity, "deal") == 0) {
        put_str(f, "TITLE", text(p, "title", &bad));
        put_str(f, "STAGE_ID", deal_stage(text(p, "stage", &bad)));
        json_t *amount = json_object_get(p, "amount");
        if (json_is_number(amount)) {
            char num[64];
            snprintf(num, sizeof num, "%.2f", json_number_value(amount));
            put_str(f, "OPPORTUNITY", num);
        } else if (amount && !json_is_null(amount)) {
            bad = 1;
        }
        put_str(f, "CURRENCY_ID", text(p, "currency", &bad));
        put_ref(ctx, f, "CONTACT_ID", "contact", ref_id(p, "contact_id"));
        put_ref(ctx, f, "COMPANY_ID", "company", ref_id(p, "company_id"));
        put_ref(ctx, f, "LEAD_ID", "lead", ref_id(p, "lead_id"));
        put_owner(ctx, f, p, &bad);
    } else {
        snprintf(err, errlen, "entity '%s' has no Bitrix24 form", entity);
        rc = GR_ERR_INVAL;
    }
    if (rc == GR_OK && bad) {
        snprintf(err, errlen, "a field of the %s snapshot has the wrong type", entity);
        rc = GR_ERR_INVAL;
    }
    if (rc != GR_OK) {
        json_decref(f);
        return rc;
    }
    *out = f;
    return GR_OK;
}

/* Comparison form of a multi-field value: lower-case, phones digits only. */
static void norm(const char *in, char *out, size_t len) {
    size_t k = 0;
    int digits = 0;
    for (const char *s = in; *s; s++)
        if (isdigit((unsigned char)*s)) digits++;
    int phone = digits >= 5 && !strchr(in, '@') && !strchr(in, '.');
    for (const char *s = in; *s && k + 1 < len; s++) {
        unsigned char c = (unsigned char)*s;
        if (phone && !isdigit(c)) continue;
        if (isspace(c)) continue;
        out[k++] = (char)tolower(c);
    }
    out[k] = '\0';
}

static int contains(json_t *arr, const char *value) {
    char a[512], b[512];
    norm(value, a, sizeof a);
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x) {
        const char *v = json_string_value(json_object_get(x, "VALUE"));
        if (!v) continue;
        norm(v, b, sizeof b);
        if (strcmp(a, b) == 0) return 1;
    }
    return 0;
}

json_t *crm_b24_map_multi_diff(json_t *existing, json_t *wanted) {
    json_t *out = json_array();
    if (!out) return NULL;
    json_t *ex = json_is_array(existing) ? existing : NULL;
    json_t *wa = json_is_array(wanted) ? wanted : NULL;
    size_t i;
    json_t *x;
    if (ex) json_array_foreach(ex, i, x) {
            const char *v = json_string_value(json_object_get(x, "VALUE"));
            json_t *id = json_object_get(x, "ID");
            if (!id || (!json_is_string(id) && !json_is_integer(id))) continue;
            if (!v || !wa || !contains(wa, v))
                json_array_append_new(out, json_pack("{s:O,s:s}", "ID", id, "DELETE", "Y"));
        }
    if (wa) json_array_foreach(wa, i, x) {
            const char *v = json_string_value(json_object_get(x, "VALUE"));
            if (v && (!ex || !contains(ex, v))) json_array_append(out, x);
        }
    return out;
}

void crm_b24_map_comms(json_t *payload, json_t **emails, json_t **phones) {
    json_t *m = NULL;
    *emails = json_array();
    *phones = json_array();
    const char *keys[2] = {"emails", "phones"};
    const char *kinds[2] = {"EMAIL", "PHONE"};
    json_t *outs[2] = {*emails, *phones};
    for (int k = 0; k < 2; k++) {
        if (multi(json_object_get(payload, keys[k]), kinds[k], &m) != GR_OK || !m) continue;
        size_t i;
        json_t *x;
        json_array_foreach(m, i, x) {
            if (json_array_size(outs[k]) >= 20) break;
            json_array_append(outs[k], json_object_get(x, "VALUE"));
        }
        json_decref(m);
    }
}

char *crm_b24_map_visit_comment(const crm_b24_map_ctx_t *ctx, json_t *p, const char *origin) {
    int bad = 0;
    const char *label = text(p, "label", &bad);
    if (!label) label = text(p, "contact_name", &bad);
    if (!label) label = text(p, "name", &bad);
    const char *at = text(p, "started_at", &bad);
    const char *camera = text(p, "camera", &bad);
    json_t *isnew = json_object_get(p, "is_new");
    char *s = NULL;
    int n = asprintf(&s, "Visit at %s%s%s%s: %s%s. [greeter:%s]", ctx->device_name ? ctx->device_name : "Greeter",
                     camera ? " (" : "", camera ? camera : "", camera ? ")" : "", label ? label : "visitor",
                     json_is_true(isnew) || (json_is_integer(isnew) && json_integer_value(isnew))
                         ? ", first visit"
                         : "",
                     origin);
    if (n < 0) return NULL;
    if (at) {
        char *t = NULL;
        /* "on <time>" goes before the marker, which stays last. */
        char *mark = strstr(s, ". [greeter:");
        *mark = '\0';
        n = asprintf(&t, "%s on %s. [greeter:%s]", s, at, origin);
        free(s);
        s = n < 0 ? NULL : t;
    }
    return s;
}
