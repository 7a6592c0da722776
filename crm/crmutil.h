/* crmutil.h - private helpers shared by the crm/ .c entity modules:
 * transactions that nest (savepoints), input field checks with messages
 * naming the field, and row-to-JSON conversion. Not part of the API.
 */
#ifndef CRM_CRMUTIL_H
#define CRM_CRMUTIL_H

#include "crm/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* A transaction of our own, or a savepoint inside the caller's. */
typedef struct {
    crm_store_t *st;
    int outer; /* 1: we issued BEGIN IMMEDIATE */
} crm_tx_t;

int crm_tx_begin(crm_store_t *st, crm_tx_t *tx);
int crm_tx_commit(crm_tx_t *tx);
void crm_tx_rollback(crm_tx_t *tx);

/* snprintf into err when err is not NULL. Returns code (for `return crm_fail(...)`). */
int crm_fail(int code, char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Field checks on an input object. Each returns 0 when the key is absent,
 * 1 when present and valid (value in *out), or GR_ERR_INVAL with a message.
 * A JSON null counts as "" / 0 / unset (id 0). */
int crm_fld_str(json_t *in, const char *key, size_t max, const char **out, char *err, size_t errlen);
int crm_fld_bool(json_t *in, const char *key, int *out, char *err, size_t errlen);
int crm_fld_id(json_t *in, const char *key, int64_t *out, char *err, size_t errlen);
int crm_fld_num(json_t *in, const char *key, double min, double max, double *out, char *err, size_t errlen);

/* Clamp paging arguments: limit <= 0 -> 50, > 500 -> 500; offset < 0 -> 0. */
void crm_page(int *limit, int *offset);

/* Column i of a row as a new JSON value: text -> string, NULL -> null,
 * integer -> integer, float -> real. */
json_t *crm_col(sqlite3_stmt *s, int i);
/* Column i parsed as JSON text (null when NULL or not JSON). */
json_t *crm_col_json(sqlite3_stmt *s, int i);

/* Prepare or log + map the error. */
int crm_prep(crm_store_t *st, const char *sql, sqlite3_stmt **s);
/* Step a statement expected to finish (DONE); maps errors. */
int crm_step_done(crm_store_t *st, sqlite3_stmt *s, const char *what);
/* Run one parameterless-or-int64-bound statement: "sql" with ?1 = a, ?2 = b. */
int crm_exec_ids(crm_store_t *st, const char *sql, int64_t a, int64_t b);
/* Single integer result of "sql" with ?1 = a (0 when no row). */
int crm_query_int(crm_store_t *st, const char *sql, int64_t a, int64_t *out);

/* Queue an outbox row whose payload is `obj` dumped. */
int crm_outbox_json(crm_store_t *st, const char *entity, int64_t id, const char *op, json_t *obj);

/* Folder holding the database (<storage.dir>) into buf. */
int crm_state_dir(crm_store_t *st, char *buf, size_t buflen);

/* Ids from "sql" with ?1 = a, into a malloc'd array (caller frees). */
int crm_ids(crm_store_t *st, const char *sql, int64_t a, int64_t **ids, size_t *n);

/* "%q%" with % _ \ escaped (ESCAPE '\'), malloc'd; NULL for an empty q
 * or no memory (*nomem set). */
char *crm_like_pattern(const char *q, int *nomem);

/* A parameter of crm_list_page: text (NULL binds SQL NULL) or an integer. */
typedef struct {
    int is_int;
    const char *text;
    int64_t num;
} crm_arg_t;
#define CRM_ARG_TEXT(t) ((crm_arg_t){0, (t), 0})
#define CRM_ARG_INT(n) ((crm_arg_t){1, NULL, (n)})

/* One page of a list. count_sql ("SELECT count(*) ...") and page_sql
 * ("SELECT cols ... ORDER BY ...") take args as ?1..?nargs; page_sql also
 * takes ?nargs+1 = limit and ?nargs+2 = offset. Each row of page_sql becomes
 * row(s). *out = {"items":[...],"total":N,"limit":L,"offset":O}. `what`
 * names the list in error logs. Paging is clamped with crm_page. */
int crm_list_page(crm_store_t *st, const char *what, const char *count_sql, const char *page_sql,
                  const crm_arg_t *args, int nargs, int limit, int offset, json_t *(*row)(sqlite3_stmt *),
                  json_t **out);

/* One record: sql with ?1 = id, its row as row(s) into *out.
 * GR_ERR_NOTFOUND when there is no such row. */
int crm_get_row(crm_store_t *st, const char *what, const char *sql, int64_t id, json_t *(*row)(sqlite3_stmt *),
                json_t **out);

/* Room for element n of a growing array v (*cap elements of `size` bytes;
 * the capacity doubles, starting at `first`). Returns the array, moved
 * perhaps, or NULL when out of memory (v is then unchanged: the caller
 * still frees it). */
void *crm_grow(void *v, size_t n, size_t *cap, size_t size, size_t first);

/* Base64 (standard alphabet, padded) of n bytes, by libsodium; malloc'd,
 * caller frees. NULL when out of memory. */
char *crm_base64(const void *data, size_t n);

/* Copy s without surrounding white space into dst (n bytes, truncated). */
void crm_trimcpy(char *dst, size_t n, const char *s);

/* The string under key in o, "" when absent or not a string. Owned by o. */
const char *crm_jstr(json_t *o, const char *key);

/* Number of UTF-8 code points in s. */
size_t crm_utf8_len(const char *s);

#endif
