/* contact_search.c - the contacts' search indexes and the searchable list
 * (contact_search.h). */
#define GR_LOG_MODULE "crm"
#include "crm/contact_search.h"

#include "crm/contacts.h"
#include "crm/crmutil.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- search index ---- */

/* Three indexes of the contacts not merged away, kept up to date here (the
 * tables: crm/migrations/0003_crm.sql, 0006_phone_search.sql):
 *  - contacts_fts: names, company title, e-mails as written and normalised;
 *  - contacts_phone_fts: the phone numbers as written and normalised;
 *  - contact_phone_digits: every suffix (3+ digits) of every run of digits
 *    in those phone texts, so "a fragment of digits occurs in a number" is
 *    a range on its primary key. In one trigram index with the names, a
 *    fragment like "4930100" would read the position lists of trigrams that
 *    nearly every number shares. */
#define FTS_DOC "SELECT c.id, c.name || ' ' || c.given_name || ' ' || c.family_name || ' ' || coalesce(co.title, '') " \
    "|| ' ' || coalesce((SELECT group_concat(v.value || ' ' || v.norm, ' ') FROM contact_values v "           \
    "WHERE v.contact_id = c.id AND v.kind = 'email'), '') "                                                  \
    "FROM contacts c LEFT JOIN companies co ON co.id = c.company_id WHERE c.merged_into IS NULL AND "
#define PHONE_DOC "INSERT INTO contacts_phone_fts(rowid, doc) SELECT c.id, group_concat(v.value || ' ' || v.norm, ' ') " \
    "FROM contacts c JOIN contact_values v ON v.contact_id = c.id AND v.kind = 'phone' "                         \
    "WHERE c.merged_into IS NULL AND c.id = ?1 GROUP BY c.id"
/* Walks each phone text from its end: run = the digits from position i up
 * to the next non-digit, i.e. each suffix of each run of digits. */
#define PHONE_DIGITS "WITH RECURSIVE src(contact_id, s) AS (SELECT v.contact_id, v.value || ' ' || v.norm "            \
    "FROM contact_values v JOIN contacts c ON c.id = v.contact_id "                                                    \
    "WHERE v.kind = 'phone' AND c.merged_into IS NULL AND c.id = ?1), "                                                \
    "walk(contact_id, s, i, run) AS (SELECT contact_id, s, length(s) + 1, '' FROM src UNION ALL "                      \
    "SELECT contact_id, s, i - 1, CASE WHEN substr(s, i - 1, 1) GLOB '[0-9]' THEN substr(s, i - 1, 1) || run ELSE '' " \
    "END FROM walk WHERE i > 1) "                                                                                      \
    "INSERT OR IGNORE INTO contact_phone_digits(digits, contact_id) SELECT run, contact_id FROM walk "                  \
    "WHERE length(run) >= 3"

int crm_contact_unindex(crm_store_t *st, int64_t id) {
    int rc = crm_exec_ids(st, "DELETE FROM contacts_fts WHERE rowid = ?1", id, 0);
    if (rc == GR_OK) rc = crm_exec_ids(st, "DELETE FROM contacts_phone_fts WHERE rowid = ?1", id, 0);
    if (rc == GR_OK) rc = crm_exec_ids(st, "DELETE FROM contact_phone_digits WHERE contact_id = ?1", id, 0);
    return rc;
}

int crm_contact_reindex(crm_store_t *st, int64_t id) {
    int rc = crm_contact_unindex(st, id);
    if (rc == GR_OK) rc = crm_exec_ids(st, "INSERT INTO contacts_fts(rowid, doc) " FTS_DOC "c.id = ?1", id, 0);
    if (rc == GR_OK) rc = crm_exec_ids(st, PHONE_DOC, id, 0);
    if (rc == GR_OK) rc = crm_exec_ids(st, PHONE_DIGITS, id, 0);
    return rc;
}

int crm_contact_search_optimize(crm_store_t *st) {
    int rc = crm_store_exec(st, "INSERT INTO contacts_fts(contacts_fts) VALUES('optimize')");
    if (rc == GR_OK) rc = crm_store_exec(st, "INSERT INTO contacts_phone_fts(contacts_phone_fts) VALUES('optimize')");
    return rc;
}

/* The company title is in the text index only. */
int crm_contact_reindex_company(crm_store_t *st, int64_t company_id) {
    int rc = crm_exec_ids(st, "DELETE FROM contacts_fts WHERE rowid IN (SELECT id FROM contacts WHERE company_id = ?1)",
                          company_id, 0);
    if (rc == GR_OK)
        rc = crm_exec_ids(st, "INSERT INTO contacts_fts(rowid, doc) " FTS_DOC "c.company_id = ?1", company_id, 0);
    return rc;
}

/* ---- search ---- */

/* The words of q grouped so that every group has 3+ characters: a word of
 * 1-2 characters joins its neighbour ("Anna M", "+49 5", "Globex 17").
 * Words are separated by one space inside a group. */
typedef struct {
    char *buf;       /* the groups, each NUL-terminated, one after another */
    const char **g;
    int n;
} groups_t;

static void groups_free(groups_t *gs) {
    free(gs->buf);
    free(gs->g);
    memset(gs, 0, sizeof *gs);
}

/* *short_only is set when q has fewer than 3 characters in all (then it is
 * matched as a name prefix, and gs stays empty). */
static int query_groups(const char *q, groups_t *gs, int *short_only) {
    memset(gs, 0, sizeof *gs);
    *short_only = 0;
    size_t qlen = q ? strlen(q) : 0;
    if (!qlen) return GR_OK;
    char *cur = malloc(qlen + 1);
    gs->buf = malloc(qlen + 2);
    gs->g = malloc((qlen / 2 + 2) * sizeof *gs->g);
    if (!cur || !gs->buf || !gs->g) {
        free(cur);
        groups_free(gs);
        return GR_ERR_NOMEM;
    }
    size_t used = 0, c = 0;
    cur[0] = 0;
    const char *p = q;
    for (;;) {
        while (*p && isspace((unsigned char)*p)) p++;
        const char *w = p;
        while (*p && !isspace((unsigned char)*p)) p++;
        size_t wl = (size_t)(p - w);
        if (!wl) break;
        char word[wl + 1];
        memcpy(word, w, wl);
        word[wl] = 0;
        if (c && crm_utf8_len(word) >= 3 && crm_utf8_len(cur) >= 3) { /* close the current group */
            gs->g[gs->n++] = memcpy(gs->buf + used, cur, c + 1);
            used += c + 1;
            c = 0;
        }
        if (c) cur[c++] = ' ';
        memcpy(cur + c, word, wl);
        c += wl;
        cur[c] = 0;
    }
    if (c) {
        if (!gs->n && crm_utf8_len(cur) < 3) {
            *short_only = 1;
        } else if (crm_utf8_len(cur) < 3) { /* a short tail joins the last group */
            used--;                         /* over its NUL */
            gs->buf[used++] = ' ';
            memcpy(gs->buf + used, cur, c + 1);
        } else {
            gs->g[gs->n++] = memcpy(gs->buf + used, cur, c + 1);
        }
    }
    free(cur);
    return GR_OK;
}

/* The FTS5 phrase of a group: in double quotes, quotes doubled. */
static char *fts_phrase(const char *g) {
    size_t n = strlen(g);
    char *out = malloc(2 * n + 3), *o = out;
    if (!out) return NULL;
    *o++ = '"';
    for (; *g; g++) {
        if (*g == '"') *o++ = '"';
        *o++ = *g;
    }
    *o++ = '"';
    *o = 0;
    return out;
}

/* All groups, each a phrase: "g1" AND "g2" (NULL: no memory). */
static char *fts_all(const groups_t *gs) {
    size_t cap = 1;
    for (int i = 0; i < gs->n; i++) cap += 2 * strlen(gs->g[i]) + 8;
    char *out = malloc(cap);
    if (!out) return NULL;
    size_t m = 0;
    out[0] = 0;
    for (int i = 0; i < gs->n; i++) {
        char *ph = fts_phrase(gs->g[i]);
        if (!ph) {
            free(out);
            return NULL;
        }
        m += (size_t)snprintf(out + m, cap - m, "%s%s", i ? " AND " : "", ph);
        free(ph);
    }
    return out;
}

/* A group of ASCII digits only: matched on contact_phone_digits. */
static int is_digits(const char *g) {
    for (; *g; g++)
        if (*g < '0' || *g > '9') return 0;
    return 1;
}

/* A set of contact ids: ascending, no repeats once normalised. */
typedef struct {
    int64_t *v;
    size_t n, cap;
} idset_t;

static int ids_add(idset_t *s, int64_t id) {
    int64_t *p = crm_grow(s->v, s->n, &s->cap, sizeof *p, 256);
    if (!p) return GR_ERR_NOMEM;
    s->v = p;
    s->v[s->n++] = id;
    return GR_OK;
}

static int id_cmp(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void ids_normalise(idset_t *s) {
    if (s->n < 2) return;
    qsort(s->v, s->n, sizeof *s->v, id_cmp);
    size_t k = 1;
    for (size_t i = 1; i < s->n; i++)
        if (s->v[i] != s->v[k - 1]) s->v[k++] = s->v[i];
    s->n = k;
}

/* a = a ∩ b (both normalised). */
static void ids_intersect(idset_t *a, const idset_t *b) {
    size_t i = 0, j = 0, k = 0;
    while (i < a->n && j < b->n) {
        if (a->v[i] < b->v[j]) i++;
        else if (a->v[i] > b->v[j]) j++;
        else {
            a->v[k++] = a->v[i];
            i++;
            j++;
        }
    }
    a->n = k;
}

/* Step s (bound by the caller) and add column 0 of every row to out.
 * s is finalized. */
static int ids_collect(crm_store_t *st, sqlite3_stmt *s, idset_t *out) {
    int src, rc = GR_OK;
    while ((src = sqlite3_step(s)) == SQLITE_ROW)
        if ((rc = ids_add(out, sqlite3_column_int64(s, 0))) != GR_OK) break;
    if (rc == GR_OK && src != SQLITE_DONE) rc = crm_store_error(st, src, "contact search");
    sqlite3_finalize(s);
    return rc;
}

/* Contacts with a phone that contains group g: SQL for one group, its one
 * or two parameters bound. */
static int phone_stmt(crm_store_t *st, const char *g, const char *sql_digits, const char *sql_fts, sqlite3_stmt **s) {
    int rc;
    if (is_digits(g)) {
        /* Digits only: a range on the suffixes, [g, g ":") (':' follows '9'). */
        if ((rc = crm_prep(st, sql_digits, s)) != GR_OK) return rc;
        size_t n = strlen(g);
        char *hi = sqlite3_mprintf("%s:", g);
        if (!hi) {
            sqlite3_finalize(*s);
            *s = NULL;
            return GR_ERR_NOMEM;
        }
        sqlite3_bind_text(*s, 1, g, (int)n, SQLITE_TRANSIENT);
        sqlite3_bind_text(*s, 2, hi, -1, sqlite3_free);
        return GR_OK;
    }
    char *ph = fts_phrase(g);
    if (!ph) return GR_ERR_NOMEM;
    if ((rc = crm_prep(st, sql_fts, s)) != GR_OK) {
        free(ph);
        return rc;
    }
    sqlite3_bind_text(*s, 1, ph, -1, free);
    return GR_OK;
}

/* 1 when some contact has a phone containing g, 0 when none, or GR_ERR_*. */
static int phone_any(crm_store_t *st, const char *g) {
    sqlite3_stmt *s = NULL;
    int rc = phone_stmt(st, g, "SELECT 1 FROM contact_phone_digits WHERE digits >= ?1 AND digits < ?2 LIMIT 1",
                        "SELECT 1 FROM contacts_phone_fts WHERE contacts_phone_fts MATCH ?1 LIMIT 1", &s);
    if (rc != GR_OK) return rc;
    int src = sqlite3_step(s);
    rc = src == SQLITE_ROW ? 1 : src == SQLITE_DONE ? 0 : crm_store_error(st, src, "phone search");
    sqlite3_finalize(s);
    return rc;
}

/* Every contact matching the groups: each group occurs in the text index
 * or in a phone. Used when some group occurs in a phone. */
static int search_sets(crm_store_t *st, const groups_t *gs, idset_t *out) {
    int rc = GR_OK;
    idset_t one = {0};
    for (int i = 0; i < gs->n && rc == GR_OK; i++) {
        one.n = 0;
        sqlite3_stmt *s = NULL;
        char *ph = fts_phrase(gs->g[i]);
        if (!ph) rc = GR_ERR_NOMEM;
        if (rc == GR_OK && (rc = crm_prep(st, "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?1", &s)) == GR_OK) {
            sqlite3_bind_text(s, 1, ph, -1, SQLITE_STATIC);
            rc = ids_collect(st, s, &one);
        }
        free(ph);
        if (rc == GR_OK &&
            (rc = phone_stmt(st, gs->g[i],
                             "SELECT contact_id FROM contact_phone_digits WHERE digits >= ?1 AND digits < ?2",
                             "SELECT rowid FROM contacts_phone_fts WHERE contacts_phone_fts MATCH ?1", &s)) == GR_OK)
            rc = ids_collect(st, s, &one);
        if (rc != GR_OK) break;
        ids_normalise(&one);
        if (i == 0) {
            idset_t t = *out;
            *out = one;
            one = t;
        } else {
            ids_intersect(out, &one);
        }
    }
    free(one.v);
    return rc;
}

/* Above this many matches a search is listed newest first (the full-text
 * index yields rowids in order, no sort of thousands of rows); counts stop
 * at COUNT_CAP. */
#define SORT_MAX 2000
#define COUNT_CAP 10000

/* ids (at most SORT_MAX) as a JSON array text for json_each (sqlite3_free). */
static char *ids_json(const idset_t *ids) {
    sqlite3_str *b = sqlite3_str_new(NULL);
    sqlite3_str_appendchar(b, 1, '[');
    for (size_t i = 0; i < ids->n; i++) sqlite3_str_appendf(b, "%s%lld", i ? "," : "", (long long)ids->v[i]);
    sqlite3_str_appendchar(b, 1, ']');
    return sqlite3_str_finish(b);
}

/* sql with ?1 = text (bound, not copied), ?2 = limit, ?3 = offset. */
static int page_stmt(crm_store_t *st, const char *sql, const char *text, int limit, int offset, sqlite3_stmt **s) {
    int rc = crm_prep(st, sql, s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_text(*s, 1, text, -1, SQLITE_STATIC);
    sqlite3_bind_int(*s, 2, limit);
    sqlite3_bind_int(*s, 3, offset);
    return GR_OK;
}

/* Contact id read with l, appended to items. */
static int append_contact(crm_contact_reader_t *l, int64_t id, json_t *items) {
    json_t *o = NULL;
    int rc = crm_contact_reader_get(l, id, &o);
    if (rc == GR_OK && json_array_append_new(items, o)) rc = GR_ERR_NOMEM;
    return rc;
}

int crm_contact_list(crm_store_t *st, const char *q, int limit, int offset, json_t **out) {
    *out = NULL;
    crm_page(&limit, &offset);
    if (q && strlen(q) > CRM_MAX_TEXT) return GR_ERR_INVAL; /* bounds the cost of one search */
    groups_t gs;
    int short_only = 0;
    int rc = query_groups(q, &gs, &short_only);
    if (rc != GR_OK) return rc;
    enum { ALL, PREFIX, MATCH } mode = gs.n ? MATCH : short_only ? PREFIX : ALL;
    char lo[CRM_MAX_TEXT + 1], hi[CRM_MAX_TEXT + 8];
    char *match = NULL, *idjson = NULL;
    idset_t ids = {0};
    sqlite3_stmt *s = NULL;
    json_t *items = json_array();
    int64_t total = 0;
    crm_contact_reader_t *l = NULL;
    int src;
    const char *order = "name";
    if (!items) {
        rc = GR_ERR_NOMEM;
        goto out;
    }
#define PREFIX_IDS "SELECT id FROM contacts WHERE merged_into IS NULL AND name COLLATE NOCASE >= ?1 " \
    "AND name COLLATE NOCASE < ?2 UNION SELECT id FROM contacts WHERE merged_into IS NULL AND " \
    "family_name COLLATE NOCASE >= ?1 AND family_name COLLATE NOCASE < ?2"
    if (mode == ALL) {
        if ((rc = crm_query_int(st, "SELECT count(*) FROM contacts WHERE merged_into IS NULL", 0, &total)) != GR_OK)
            goto out;
        if ((rc = crm_prep(st, "SELECT id FROM contacts WHERE merged_into IS NULL ORDER BY name COLLATE NOCASE, id "
                               "LIMIT ?1 OFFSET ?2", &s)) != GR_OK)
            goto out;
        sqlite3_bind_int(s, 1, limit);
        sqlite3_bind_int(s, 2, offset);
    } else if (mode == PREFIX) {
        /* Only words of 1-2 characters: the start of the name or family name. */
        crm_trimcpy(lo, sizeof lo, q);
        snprintf(hi, sizeof hi, "%s\xF4\x8F\xBF\xBF", lo); /* + U+10FFFF */
        if ((rc = crm_prep(st, "SELECT count(*) FROM (" PREFIX_IDS ")", &s)) != GR_OK) goto out;
        sqlite3_bind_text(s, 1, lo, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, hi, -1, SQLITE_STATIC);
        src = sqlite3_step(s);
        if (src == SQLITE_ROW) total = sqlite3_column_int64(s, 0);
        else rc = crm_store_error(st, src, "contact count");
        sqlite3_finalize(s);
        s = NULL;
        if (rc != GR_OK) goto out;
        if ((rc = crm_prep(st, "SELECT c.id FROM contacts c WHERE c.id IN (" PREFIX_IDS ") "
                               "ORDER BY c.name COLLATE NOCASE, c.id LIMIT ?3 OFFSET ?4", &s)) != GR_OK)
            goto out;
        sqlite3_bind_text(s, 1, lo, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, hi, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 3, limit);
        sqlite3_bind_int(s, 4, offset);
    } else {
        /* Does some group occur in a phone? Rarely for words: then the text
         * index alone answers, as one query with all groups. */
        int phones = 0;
        for (int i = 0; i < gs.n && !phones; i++) {
            phones = phone_any(st, gs.g[i]);
            if (phones < 0) {
                rc = phones;
                goto out;
            }
        }
        if (phones) {
            if ((rc = search_sets(st, &gs, &ids)) != GR_OK) goto out;
            total = (int64_t)ids.n;
        } else {
            if (!(match = fts_all(&gs))) {
                rc = GR_ERR_NOMEM;
                goto out;
            }
            /* One pass over the matches (ascending rowids), up to one past
             * the count cap: the count, and the ids to sort or page. */
            if ((rc = crm_prep(st, "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?1 LIMIT ?2", &s)) !=
                GR_OK)
                goto out;
            sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
            sqlite3_bind_int(s, 2, COUNT_CAP + 1);
            rc = ids_collect(st, s, &ids);
            s = NULL;
            if (rc != GR_OK) goto out;
            total = (int64_t)ids.n;
        }
        if (total <= SORT_MAX) {
            /* By name: the few matches sorted. */
            if (!(idjson = ids_json(&ids))) {
                rc = GR_ERR_NOMEM;
                goto out;
            }
            if ((rc = page_stmt(st, "SELECT id FROM contacts WHERE id IN (SELECT value FROM json_each(?1)) "
                                    "ORDER BY name COLLATE NOCASE, id LIMIT ?2 OFFSET ?3",
                                idjson, limit, offset, &s)) != GR_OK)
                goto out;
        } else {
            order = "newest";
            if (phones || total <= COUNT_CAP) {
                /* Newest first straight from the set when it holds every
                 * match (ascending ids). */
                if ((rc = crm_contact_reader_open(st, &l)) != GR_OK) goto out;
                for (size_t k = (size_t)offset; k < ids.n && k < (size_t)offset + (size_t)limit; k++)
                    if ((rc = append_contact(l, ids.v[ids.n - 1 - k], items)) != GR_OK) goto out;
                goto out;
            }
            if ((rc = page_stmt(st, "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?1 "
                                    "ORDER BY rowid DESC LIMIT ?2 OFFSET ?3",
                                match, limit, offset, &s)) != GR_OK)
                goto out;
        }
    }
    if ((rc = crm_contact_reader_open(st, &l)) != GR_OK) goto out;
    while ((src = sqlite3_step(s)) == SQLITE_ROW)
        if ((rc = append_contact(l, sqlite3_column_int64(s, 0), items)) != GR_OK) break;
    if (rc == GR_OK && src != SQLITE_DONE) rc = crm_store_error(st, src, "contact list");
out:
    crm_contact_reader_close(l);
    sqlite3_finalize(s);
    sqlite3_free(idjson);
    free(match);
    free(ids.v);
    groups_free(&gs);
    if (rc == GR_OK) {
        int exact = !(mode == MATCH && total > COUNT_CAP);
        *out = json_pack("{s:o,s:I,s:b,s:s,s:i,s:i}", "items", items, "total", (json_int_t)(exact ? total : COUNT_CAP),
                         "total_exact", exact, "order", order, "limit", limit, "offset", offset);
        return *out ? GR_OK : GR_ERR_NOMEM;
    }
    json_decref(items);
    return rc;
}

