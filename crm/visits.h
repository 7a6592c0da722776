/* visits.h - the Visitors page: visits as recorded for vision/ (face_store.c), with the
 * person and contact they belong to, and a day's numbers.
 * Days are calendar days ("YYYY-MM-DD") in the board's local time zone (TZ,
 * /etc/localtime); visits are stored in UTC and converted.
 */
#ifndef CRM_VISITS_H
#define CRM_VISITS_H

#include "crm/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Newest first. day NULL = any day; person_id 0 = everyone.
 * Items: {"id","person_id","label","contact_id","contact_name","started_at",
 * "ended_at","is_new","snapshot","camera","visit_count"}.
 * *out = {"items":[..],"total":N,"limit":L,"offset":O}, owned by the caller.
 * GR_ERR_INVAL for a malformed day. */
int crm_visit_list(crm_store_t *st, const char *day, int64_t person_id, int limit, int offset, json_t **out);
/* crm_visit_list of the visits whose person's label, contact name or
 * company contains q (NULL or "": all; "#12" is person 12). Each item also
 * has "visit_no" (the visit's own number among its person's visits, where
 * "visit_count" is the person's total) and "company". */
int crm_visit_search(crm_store_t *st, const char *day, int64_t person_id, const char *q, int limit, int offset,
                     json_t **out);

/* The snapshot file name of one visit (as vision wrote it, under
 * <storage.dir>/snapshots/) into name. GR_ERR_NOTFOUND: no such visit;
 * GR_ERR_EMPTY: none is kept (or it was erased). */
int crm_visit_snapshot(crm_store_t *st, int64_t visit_id, char *name, size_t len);

/* {"day","total","new","returning","people"} for day (NULL = today):
 * total visits, visits by first-time people, visits by returning people,
 * distinct people. *out owned by the caller. */
int crm_visit_stats(crm_store_t *st, const char *day, json_t **out);

#endif
