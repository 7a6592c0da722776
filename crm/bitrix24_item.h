/* bitrix24_item.h - records in the form of Bitrix24's universal CRM methods
 * (crm.item.add/update/get/list/delete: camelCase fields, one `fm` list of
 * phones, e-mails, websites and messengers, entityTypeId) and back to the
 * per-entity form (UPPER_CASE, PHONE/EMAIL/WEB lists) that crm/bitrix24_map.c
 * writes and the fleet code reads. The per-entity methods are deprecated in
 * Bitrix24's REST docs; the map keeps one field list, these convert it.
 */
#ifndef CRM_BITRIX24_ITEM_H
#define CRM_BITRIX24_ITEM_H

#include <jansson.h>
#include <stddef.h>

/* entityTypeId of "lead" 1, "deal" 2, "contact" 3, "company" 4; 0 for
 * anything else. */
int crm_b24_entity_type(const char *entity);

/* An UPPER_CASE field name in camelCase into buf: LAST_NAME -> lastName,
 * UF_CRM_GREETER_FACES -> ufCrmGreeterFaces, ID -> id, DATE_MODIFY ->
 * updatedTime, DATE_CREATE -> createdTime. */
void crm_b24_camel(const char *upper, char *buf, size_t len);

/* Fields for crm.<entity>.add/update (bitrix24_map.c) as crm.item fields:
 * camelCase names, PHONE/EMAIL/WEB/IM lists of {VALUE,VALUE_TYPE} in one
 * `fm` list of {typeId,valueType,value}, PHOTO {fileData:[name,b64]} as
 * photo [name,b64]. An update's fm is the record's whole new set: the
 * values of kinds `fields` does not name are carried over from `existing`
 * (the item as crm.item.get returned it; may be NULL), so they stay.
 * Inputs are only read. Returns a new object owned by the caller, NULL on
 * no memory. */
json_t *crm_b24_item_fields(json_t *fields, json_t *existing);

/* An item of a crm.item reply in the per-entity read form: ID, NAME,
 * LAST_NAME, ORIGIN_ID, DATE_MODIFY, UF_CRM_..., and PHONE/EMAIL/WEB/IM
 * lists of {ID,VALUE,VALUE_TYPE}. Returns a new object owned by the caller
 * (NULL: not an object, or no memory). */
json_t *crm_b24_item_legacy(json_t *item);

#endif
