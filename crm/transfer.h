/* transfer.h - export and import of all contacts (CLI and web UI). */
#ifndef CRM_TRANSFER_H
#define CRM_TRANSFER_H

#include "crm/store.h"

#include <jansson.h>
#include <stddef.h>

/* Every contact not merged away, ordered by id, as "vcard" (vCard 4.0, via
 * firmware/formats/vcard.h), "vcard3" (vCard 3.0 for older clients), "csv"
 * (our layout, csv.h), "csv-google" or "csv-outlook" (the layouts Google
 * Contacts and Outlook import). *out malloc'd, owned by the caller; *count
 * (may be NULL) gets the number of contacts. Recorded in audit_log
 * ("contacts.export"). GR_ERR_INVAL for another format. */
int crm_contacts_export(crm_store_t *st, const char *format, const char *actor, char **out, size_t *count);

/* Import vCard or CSV text (told apart by content). Each record goes through
 * crm_contact_create; a record matching an existing contact (duplicates:
 * e-mail, or phone compared in E.164 read for device.region) is merged into
 * it, so no value is lost and no duplicate is left behind. A value that
 * cannot be stored (a phone that is no number, a bad e-mail, more than
 * CRM_MAX_VALUES) is left out and reported in "warnings" ("dropped phone
 * \"x\": not a phone number"); the record is kept. A record with no name
 * and no company is named after its first e-mail or phone and marked for
 * review (a notification on the contact). Records that cannot be read at
 * all are skipped and reported in "errors" with their line. Records are
 * committed in batches of 200 (inside a caller's transaction: with it), so
 * a database failure part-way keeps the batches before it and returns the
 * error. *report = {"format":"vcard"|"csv","created":N,"merged":M,
 * "failed":F,"dropped":D,"review":R,"errors":[{"line","message"}..],
 * "warnings":[{"line","message"}..]}, owned by the caller. Returns GR_OK
 * when the text could be read at all (even with bad records), GR_ERR_FORMAT
 * when it is neither vCard nor CSV with a header. */
int crm_contacts_import(crm_store_t *st, const char *text, size_t len, const char *actor, json_t **report);

#endif
