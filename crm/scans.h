/* scans.h - business cards scanned at the desk: the OCR result, what a
 * person corrected, the card image, and the contact + lead made from it.
 */
#ifndef CRM_SCANS_H
#define CRM_SCANS_H

#include "crm/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Save a scan in one transaction.
 *   result: the OCR's card object (form of `greeter cards scan`), stored as is;
 *           may be NULL when the fields were typed by hand.
 *   fields: the contact as reviewed (contacts.h names); the fields that differ
 *           from result are stored as the scan's corrections.
 *   img/len: the card photo (JPEG or PNG bytes, NULL/0 for none), written to
 *           <storage.dir>/cards/scan-<id>.<jpg|png> (mode 0600) - unless the
 *           disk is almost full (gr_storage_is_low, firmware/core/storage.h): then
 *           everything else is saved and the photo is not (scan.image null).
 *   make_lead: also create a lead (source card_scan) for the contact.
 * Creates the contact through crm_contact_create (so duplicates are found).
 * *out = {"scan":{..},"contact":{.., "duplicates":[..]},"lead":{..}|null,
 *         "image_skipped":true|false (a photo was given but not stored: disk low)}.
 * GR_ERR_INVAL (bad fields), GR_ERR_FORMAT (image neither JPEG nor PNG),
 * GR_ERR_IO (cannot write the image: nothing is saved). */
int crm_scan_save(crm_store_t *st, json_t *result, json_t *fields, const void *img, size_t len, int make_lead,
                  const char *actor, json_t **out, char *err, size_t errlen);

/* What else a booth's save does (crm_scan_save_with). */
typedef struct {
    int make_lead;      /* also create a lead (source card_scan) */
    json_t *lead;       /* the lead's qualification (leads.h: rating, temperature, interests, note,
                         * event, follow_up, assigned_to; other keys are ignored), borrowed; NULL: none */
    int followup;       /* also queue the follow-up e-mail (crm/followup.h; needs make_lead and the
                         * visitor's consent_mail, else GR_ERR_INVAL and nothing is saved) */
    int64_t contact_id; /* update this contact with the fields instead of creating one (the card
                         * of someone known); 0: create. GR_ERR_NOTFOUND when there is none. */
} crm_scan_opts_t;

/* crm_scan_save with the options above. */
int crm_scan_save_with(crm_store_t *st, json_t *result, json_t *fields, const void *img, size_t len,
                       const crm_scan_opts_t *opts, const char *actor, json_t **out, char *err, size_t errlen);

/* {"id","image","result","corrections","contact_id","created_at"}, owned by
 * the caller; GR_ERR_NOTFOUND. (*out of every function here: a new reference
 * owned by the caller.) */
int crm_scan_get(crm_store_t *st, int64_t id, json_t **out);

/* Newest first; *out = {"items":[..],"total":N,"limit":L,"offset":O}. */
int crm_scan_list(crm_store_t *st, int limit, int offset, json_t **out);

/* The newest `limit` scans (<= 0: 500) that a person corrected, newest
 * first: *out = [{"result":{reader's card}, "corrections":{field:{from,to}}}].
 * What the card reader learns from (ocr/hints.h gathers its hints). */
int crm_scan_corrected(crm_store_t *st, int limit, json_t **out);

#endif
