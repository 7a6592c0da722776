#define GR_LOG_MODULE "crm"
#include "crm/crmutil.h"

#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "crm/outbox.h"

#include <ctype.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int crm_tx_begin(crm_store_t *st, crm_tx_t *tx) {
    tx->st = st;
    tx->outer = sqlite3_get_autocommit(crm_store_db(st)) != 0;
    if (tx->outer) return crm_store_begin(st);
    return crm_store_exec(st, "SAVEPOINT crm_tx");
}

int crm_tx_commit(crm_tx_t *tx) {
    int rc = tx->outer ? crm_store_commit(tx->st) : crm_store_exec(tx->st, "RELEASE crm_tx");
    if (rc != GR_OK) crm_tx_rollback(tx);
    return rc;
}

void crm_tx_rollback(crm_tx_t *tx) {
    sqlite3 *db = crm_store_db(tx->st);
    if (tx->outer) {
        crm_store_rollback(tx->st);
    } else if (!sqlite3_get_autocommit(db)) {
        sqlite3_exec(db, "ROLLBACK TO crm_tx; RELEASE crm_tx", NULL, NULL, NULL);
    }
}

int crm_fail(int code, char *err, size_t errlen, const char *fmt, ...) {
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return code;
}

int crm_fld_str(json_t *in, const char *key, size_t max, const char **out, char *err, size_t errlen) {
    json_t *v = json_object_get(in, key);
    *out = NULL;
    if (!v) return 0;
    if (json_is_null(v)) {
        *out = "";
        return 1;
    }
    if (!json_is_string(v)) return crm_fail(GR_ERR_INVAL, err, errlen, "%s: must be a string", key);
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (strlen(s) != n) return crm_fail(GR_ERR_INVAL, err, errlen, "%s: contains a NUL character", key);
    if (n > max) return crm_fail(GR_ERR_INVAL, err, errlen, "%s: longer than %zu bytes", key, max);
    *out = s;
    return 1;
}

int crm_fld_bool(json_t *in, const char *key, int *out, char *err, size_t errlen) {
    json_t *v = json_object_get(in, key);
    if (!v) return 0;
    if (json_is_boolean(v)) *out = json_is_true(v);
    else if (json_is_null(v)) *out = 0;
    else if (json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1))
        *out = (int)json_integer_value(v);
    else return crm_fail(GR_ERR_INVAL, err, errlen, "%s: must be true or false", key);
    return 1;
}

int crm_fld_id(json_t *in, const char *key, int64_t *out, char *err, size_t errlen) {
    json_t *v = json_object_get(in, key);
    if (!v) return 0;
    if (json_is_null(v)) *out = 0;
    else if (json_is_integer(v) && json_integer_value(v) > 0) *out = json_integer_value(v);
    else return crm_fail(GR_ERR_INVAL, err, errlen, "%s: must be a positive integer id or null", key);
    return 1;
}

int crm_fld_num(json_t *in, const char *key, double min, double max, double *out, char *err, size_t errlen) {
    json_t *v = json_object_get(in, key);
    if (!v) return 0;
    if (!json_is_number(v)) return crm_fail(GR_ERR_INVAL, err, errlen, "%s: must be a number", key);
    double d = json_number_value(v);
    if (!(d >= min && d <= max))
        return crm_fail(GR_ERR_INVAL, err, errlen, "%s: must be between %g and %g", key, min, max);
    *out = d;
    return 1;
}

void crm_page(int *limit, int *offset) {
    if (*limit <= 0) *limit = 50;
    if (*limit > 500) *limit = 500;
    if (*offset < 0) *offset = 0;
}

json_t *crm_col(sqlite3_stmt *s, int i) {
    switch (sqlite3_column_type(s, i)) {
    case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(s, i));
    case SQLITE_FLOAT: return json_real(sqlite3_column_double(s, i));
    case SQLITE_NULL: return json_null();
    default: {
        const char *t = (const char *)sqlite3_column_text(s, i);
        json_t *j = json_stringn(t ? t : "", (size_t)sqlite3_column_bytes(s, i));
        return j ? j : json_string("");
    }
    }
}

json_t *crm_col_json(sqlite3_stmt *s, int i) {
    if (sqlite3_column_type(s, i) == SQLITE_NULL) return json_null();
    const char *t = (const char *)sqlite3_column_text(s, i);
    json_t *j = t ? json_loads(t, JSON_DECODE_ANY, NULL) : NULL;
    return j ? j : json_null();
}

int crm_prep(crm_store_t *st, const char *sql, sqlite3_stmt **s) {
    int rc = sqlite3_prepare_v2(crm_store_db(st), sql, -1, s, NULL);
    if (rc != SQLITE_OK) {
        *s = NULL;
        return crm_store_error(st, rc, "prepare");
    }
    return GR_OK;
}

int crm_step_done(crm_store_t *st, sqlite3_stmt *s, const char *what) {
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) return GR_OK;
    return crm_store_error(st, sqlite3_extended_errcode(crm_store_db(st)), what);
}

int crm_exec_ids(crm_store_t *st, const char *sql, int64_t a, int64_t b) {
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st, sql, &s);
    if (rc != GR_OK) return rc;
    int n = sqlite3_bind_parameter_count(s);
    if (n >= 1) sqlite3_bind_int64(s, 1, a);
    if (n >= 2) sqlite3_bind_int64(s, 2, b);
    rc = crm_step_done(st, s, sql);
    sqlite3_finalize(s);
    return rc;
}

int crm_query_int(crm_store_t *st, const char *sql, int64_t a, int64_t *out) {
    sqlite3_stmt *s = NULL;
    *out = 0;
    int rc = crm_prep(st, sql, &s);
    if (rc != GR_OK) return rc;
    if (sqlite3_bind_parameter_count(s) >= 1) sqlite3_bind_int64(s, 1, a);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) *out = sqlite3_column_int64(s, 0);
    else if (src != SQLITE_DONE) rc = crm_store_error(st, src, sql);
    sqlite3_finalize(s);
    return rc;
}

int crm_outbox_json(crm_store_t *st, const char *entity, int64_t id, const char *op, json_t *obj) {
    char *text = json_dumps(obj, JSON_COMPACT);
    if (!text) return GR_ERR_NOMEM;
    int rc = crm_outbox_enqueue(st, entity, id, op, text);
    free(text);
    return rc;
}

int crm_state_dir(crm_store_t *st, char *buf, size_t buflen) {
    const char *p = crm_store_path(st);
    const char *slash = strrchr(p, '/');
    int n;
    if (!slash) n = snprintf(buf, buflen, ".");
    else if (slash == p) n = snprintf(buf, buflen, "/");
    else n = snprintf(buf, buflen, "%.*s", (int)(slash - p), p);
    return (n < 0 || (size_t)n >= buflen) ? GR_ERR_RANGE : GR_OK;
}

void *crm_grow(void *v, size_t n, size_t *cap, size_t size, size_t first) {
    if (n < *cap) return v;
    size_t nc = *cap ? *cap * 2 : first;
    void *p = realloc(v, nc * size);
    if (p) *cap = nc;
    return p;
}

char *crm_base64(const void *data, size_t n) {
    size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *out = malloc(len);
    if (out) sodium_bin2base64(out, len, data, n, sodium_base64_VARIANT_ORIGINAL);
    return out;
}

void crm_trimcpy(char *dst, size_t n, const char *s) {
    while (*s && isspace((unsigned char)*s)) s++;
    size_t len = strlen(s);
    while (len && isspace((unsigned char)s[len - 1])) len--;
    if (len >= n) len = n - 1;
    memcpy(dst, s, len);
    dst[len] = 0;
}

const char *crm_jstr(json_t *o, const char *key) {
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

size_t crm_utf8_len(const char *s) {
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

int crm_ids(crm_store_t *st, const char *sql, int64_t a, int64_t **ids, size_t *n) {
    *ids = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st, sql, &s);
    if (rc != GR_OK) return rc;
    if (sqlite3_bind_parameter_count(s) >= 1) sqlite3_bind_int64(s, 1, a);
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t *p = crm_grow(*ids, *n, &cap, sizeof *p, 16);
        if (!p) {
            rc = GR_ERR_NOMEM;
            break;
        }
        *ids = p;
        (*ids)[(*n)++] = sqlite3_column_int64(s, 0);
    }
    if (rc == GR_OK && src != SQLITE_DONE) rc = crm_store_error(st, src, sql);
    sqlite3_finalize(s);
    if (rc != GR_OK) {
        free(*ids);
        *ids = NULL;
        *n = 0;
    }
    return rc;
}

char *crm_like_pattern(const char *q, int *nomem) {
    *nomem = 0;
    if (!q || !*q) return NULL;
    size_t len = strlen(q);
    char *pat = malloc(len * 2 + 3);
    if (!pat) {
        *nomem = 1;
        return NULL;
    }
    size_t k = 0;
    pat[k++] = '%';
    for (const char *p = q; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\') pat[k++] = '\\';
        pat[k++] = *p;
    }
    pat[k++] = '%';
    pat[k] = 0;
    return pat;
}

static void bind_args(sqlite3_stmt *s, const crm_arg_t *args, int nargs) {
    for (int i = 0; i < nargs; i++) {
        if (args[i].is_int) sqlite3_bind_int64(s, i + 1, args[i].num);
        else if (args[i].text) sqlite3_bind_text(s, i + 1, args[i].text, -1, SQLITE_STATIC);
        else sqlite3_bind_null(s, i + 1);
    }
}

int crm_get_row(crm_store_t *st, const char *what, const char *sql, int64_t id, json_t *(*row)(sqlite3_stmt *),
                json_t **out) {
    *out = NULL;
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st, sql, &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_int64(s, 1, id);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) rc = (*out = row(s)) ? GR_OK : GR_ERR_NOMEM;
    else if (src == SQLITE_DONE) rc = GR_ERR_NOTFOUND;
    else rc = crm_store_error(st, src, what);
    sqlite3_finalize(s);
    return rc;
}

int crm_list_page(crm_store_t *st, const char *what, const char *count_sql, const char *page_sql,
                  const crm_arg_t *args, int nargs, int limit, int offset, json_t *(*row)(sqlite3_stmt *),
                  json_t **out) {
    *out = NULL;
    crm_page(&limit, &offset);
    json_t *items = json_array();
    if (!items) return GR_ERR_NOMEM;
    sqlite3_stmt *s = NULL;
    int64_t total = 0;
    int rc = crm_prep(st, count_sql, &s);
    if (rc != GR_OK) goto fail;
    bind_args(s, args, nargs);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) total = sqlite3_column_int64(s, 0);
    else rc = crm_store_error(st, src, what);
    sqlite3_finalize(s);
    if (rc != GR_OK) goto fail;
    if ((rc = crm_prep(st, page_sql, &s)) != GR_OK) goto fail;
    bind_args(s, args, nargs);
    sqlite3_bind_int(s, nargs + 1, limit);
    sqlite3_bind_int(s, nargs + 2, offset);
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *o = row(s);
        if (!o || json_array_append_new(items, o) != 0) {
            rc = GR_ERR_NOMEM;
            break;
        }
    }
    if (rc == GR_OK && src != SQLITE_DONE) rc = crm_store_error(st, src, what);
    sqlite3_finalize(s);
    if (rc != GR_OK) goto fail;
    *out = json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total, "limit", limit, "offset",
                     offset);
    return *out ? GR_OK : GR_ERR_NOMEM;
fail:
    json_decref(items);
    return rc;
}
