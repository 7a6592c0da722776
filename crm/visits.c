#define GR_LOG_MODULE "crm"
#include "crm/visits.h"

#include "crm/crmutil.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A calendar day of the board's local time zone ("YYYY-MM-DD"; NULL =
 * today) -> the UTC bounds [from, to) as stored in visits.started_at
 * ("YYYY-MM-DDTHH:MM:SS", which sorts before the stored fraction and Z),
 * and the day itself in label. */
static int day_range(const char *day, char from[32], char to[32], char label[11]) {
    struct tm tm = {0};
    if (!day) {
        time_t now = time(NULL);
        localtime_r(&now, &tm);
    } else {
        if (strlen(day) != 10 || day[4] != '-' || day[7] != '-') return GR_ERR_INVAL;
        for (int i = 0; i < 10; i++)
            if (i != 4 && i != 7 && !isdigit((unsigned char)day[i])) return GR_ERR_INVAL;
        int y, m, d;
        if (sscanf(day, "%4d-%2d-%2d", &y, &m, &d) != 3 || y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
            return GR_ERR_INVAL;
        tm.tm_year = y - 1900;
        tm.tm_mon = m - 1;
        tm.tm_mday = d;
    }
    int y = tm.tm_year, m = tm.tm_mon, d = tm.tm_mday;
    struct tm a = {.tm_year = y, .tm_mon = m, .tm_mday = d, .tm_isdst = -1};
    struct tm b = {.tm_year = y, .tm_mon = m, .tm_mday = d + 1, .tm_isdst = -1};
    time_t t0 = mktime(&a), t1 = mktime(&b);
    if (t0 == (time_t)-1 || t1 == (time_t)-1) return GR_ERR_INVAL;
    if (a.tm_year != y || a.tm_mon != m || a.tm_mday != d) return GR_ERR_INVAL; /* 2026-02-31 */
    struct tm ua, ub;
    gmtime_r(&t0, &ua);
    gmtime_r(&t1, &ub);
    strftime(from, 32, "%Y-%m-%dT%H:%M:%S", &ua);
    strftime(to, 32, "%Y-%m-%dT%H:%M:%S", &ub);
    strftime(label, 11, "%Y-%m-%d", &a);
    return GR_OK;
}

#define VISIT_WHERE " FROM visits v LEFT JOIN people p ON p.id = v.person_id LEFT JOIN contacts c ON c.id = p.contact_id " \
    "LEFT JOIN companies co ON co.id = c.company_id " \
    "WHERE (?1 IS NULL OR (v.started_at >= ?1 AND v.started_at < ?2)) AND (?3 = 0 OR v.person_id = ?3) " \
    "AND (?4 IS NULL OR p.label LIKE ?4 ESCAPE '\\' OR c.name LIKE ?4 ESCAPE '\\' OR co.title LIKE ?4 ESCAPE '\\' " \
    "OR ('#' || v.person_id) = ?5)"

static json_t *visit_row(sqlite3_stmt *s) {
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:o,s:o,s:o,s:o}", "id", crm_col(s, 0), "person_id",
                     crm_col(s, 1), "label", crm_col(s, 2), "contact_id", crm_col(s, 3), "contact_name", crm_col(s, 4),
                     "started_at", crm_col(s, 5), "ended_at", crm_col(s, 6), "is_new", sqlite3_column_int(s, 7),
                     "snapshot", crm_col(s, 8), "camera", crm_col(s, 9), "visit_count", crm_col(s, 10), "visit_no",
                     crm_col(s, 11), "company", crm_col(s, 12));
}

int crm_visit_list(crm_store_t *st, const char *day, int64_t person_id, int limit, int offset, json_t **out) {
    return crm_visit_search(st, day, person_id, NULL, limit, offset, out);
}

int crm_visit_search(crm_store_t *st, const char *day, int64_t person_id, const char *q, int limit, int offset,
                     json_t **out) {
    *out = NULL;
    char from[32], to[32], label[11];
    if (day && day_range(day, from, to, label) != GR_OK) return GR_ERR_INVAL;
    int nomem = 0;
    char *pat = crm_like_pattern(q, &nomem);
    if (nomem) return GR_ERR_NOMEM;
    crm_arg_t args[] = {CRM_ARG_TEXT(day ? from : NULL), CRM_ARG_TEXT(day ? to : NULL), CRM_ARG_INT(person_id),
                        CRM_ARG_TEXT(pat), CRM_ARG_TEXT(q && *q ? q : NULL)};
    /* visit_no: this visit's own number among the person's visits (the
     * person's visit_count is their total today). */
    int rc = crm_list_page(st, "visit list", "SELECT count(*)" VISIT_WHERE,
                           "SELECT v.id, v.person_id, p.label, p.contact_id, c.name, v.started_at, v.ended_at, v.is_new, "
                           "v.snapshot, v.camera, p.visit_count, (SELECT count(*) FROM visits w WHERE w.person_id = "
                           "v.person_id AND (w.started_at < v.started_at OR (w.started_at = v.started_at AND w.id <= v.id))), "
                           "co.title" VISIT_WHERE " ORDER BY v.started_at DESC, v.id DESC LIMIT ?6 OFFSET ?7",
                           args, 5, limit, offset, visit_row, out);
    free(pat);
    return rc;
}

int crm_visit_snapshot(crm_store_t *st, int64_t visit_id, char *name, size_t len) {
    name[0] = '\0';
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st, "SELECT snapshot FROM visits WHERE id = ?1", &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_int64(s, 1, visit_id);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(s, 0);
        snprintf(name, len, "%s", t ? (const char *)t : "");
        rc = name[0] ? GR_OK : GR_ERR_EMPTY;
    } else {
        rc = src == SQLITE_DONE ? GR_ERR_NOTFOUND : crm_store_error(st, src, "visit snapshot");
    }
    sqlite3_finalize(s);
    return rc;
}

int crm_visit_stats(crm_store_t *st, const char *day, json_t **out) {
    *out = NULL;
    char from[32], to[32], label[11];
    if (day_range(day, from, to, label) != GR_OK) return GR_ERR_INVAL;
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st, "SELECT count(*), coalesce(sum(is_new != 0), 0), coalesce(sum(is_new = 0), 0), "
                          "count(DISTINCT person_id) FROM visits WHERE started_at >= ?1 AND started_at < ?2", &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_text(s, 1, from, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, to, -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        *out = json_pack("{s:s,s:I,s:I,s:I,s:I}", "day", label, "total", (json_int_t)sqlite3_column_int64(s, 0), "new",
                         (json_int_t)sqlite3_column_int64(s, 1), "returning", (json_int_t)sqlite3_column_int64(s, 2),
                         "people", (json_int_t)sqlite3_column_int64(s, 3));
        if (!*out) rc = GR_ERR_NOMEM;
    } else {
        rc = crm_store_error(st, src, "visit stats");
    }
    sqlite3_finalize(s);
    return rc;
}
