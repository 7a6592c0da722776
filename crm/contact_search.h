/* contact_search.h - finding contacts: the searchable list and the search
 * indexes behind it (full-text trigram indexes of the names, company
 * title, e-mails and phones, and the digits of every phone number; tables in
 * crm/migrations/0003_crm.sql and 0006_phone_search.sql).
 *
 * On GR_OK *out is a new reference owned by the caller (json_decref).
 */
#ifndef CRM_CONTACT_SEARCH_H
#define CRM_CONTACT_SEARCH_H

#include "crm/store.h"

#include <jansson.h>
#include <stdint.h>

/* Page of contacts not merged away. q (NULL or "" = all):
 *  - with 3+ characters: the words, where a word of 1-2 characters stays
 *    joined to its neighbour ("Anna M", "+49 5"), must each occur as a
 *    substring (case-insensitive; full-text trigram index) of the names,
 *    e-mails, phones (as written and as digits) or company title;
 *  - with fewer: q is the start of the name or of the family name
 *    (case-insensitive for ASCII).
 * Ordered by name, except a search matching more than 2,000 contacts,
 * listed newest first ("order":"newest") so it stays fast; its count stops
 * at 10,000 ("total_exact":false). limit 1..500 (others clamp; <=0 means
 * 50), offset >= 0. *out = {"items":[contact..],"total":N,"total_exact":B,
 * "order":"name"|"newest","limit":L,"offset":O}. GR_ERR_INVAL when q is
 * longer than CRM_MAX_TEXT bytes. */
int crm_contact_list(crm_store_t *st, const char *q, int limit, int offset, json_t **out);

/* Merge the search indexes into one segment each (after a bulk import; about a second per 100,000). */
int crm_contact_search_optimize(crm_store_t *st);

/* For the crm/ modules that change what the indexes hold, inside their
 * transaction: rebuild one contact's entries (after a write), rebuild the
 * text of every contact of a company (after a rename), or remove one
 * contact's entries (deleted or merged away). */
int crm_contact_reindex(crm_store_t *st, int64_t id);
int crm_contact_reindex_company(crm_store_t *st, int64_t company_id);
int crm_contact_unindex(crm_store_t *st, int64_t id);

#endif
