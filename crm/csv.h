/* csv.h - contacts as CSV (RFC 4180: comma separated, "quoted" fields with
 * "" for a quote, CRLF or LF, UTF-8, optional BOM), with a header row.
 *
 * Columns (header names, case-insensitive, any order, unknown ones ignored):
 * given_name, family_name, name, title, company, phone (several: "a; b" or
 * phone_work / phone_mobile / phone_fax / phone_home / phone_other columns),
 * email ("a; b"), website ("a; b"), address, note; and the headers of the
 * exports of Google Contacts (current and legacy, with their "Phone 1 -
 * Label"/"Phone 1 - Value" pairs and "a ::: b" cells), Outlook, Apple
 * Contacts exporters ("Phone (work fax)") and Bitrix24 (English and
 * Russian): docs/CRM.md "Importing". Export writes exactly:
 * name,given_name,family_name,title,company,phone_work,phone_mobile,
 * phone_fax,phone_home,phone_other,email,website,address,note
 * (several values in one cell are joined with "; ").
 * A cell that a spreadsheet would run as a formula (= + - @ tab CR at its
 * start, phone numbers and plain numbers excepted) is written with a
 * leading apostrophe, which reading removes again.
 */
#ifndef CRM_CSV_H
#define CRM_CSV_H

#include <jansson.h>
#include <stddef.h>

/* Parse CSV text into contacts (JSON objects in contacts.h form, each with
 * "line": the line number its record starts on). Bad records (wrong field
 * count, unterminated quote, field over CRM_MAX_LONGTEXT, a field that is
 * not UTF-8, no usable value)
 * are skipped and reported in *errors as {"line":N,"message":".."}.
 * Both outputs are new arrays owned by the caller. Returns GR_OK when there
 * is a header, GR_ERR_FORMAT when the text has no usable header row,
 * GR_ERR_TOOBIG above 100,000 records. */
int crm_csv_read(const char *text, size_t len, json_t **contacts, json_t **errors);

/* Write contacts (array of contacts.h objects) as CSV with the export header.
 * *out is malloc'd text owned by the caller. */
int crm_csv_write(json_t *contacts, char **out);

/* The layouts export writes: ours (above), Google Contacts' "Google CSV"
 * (Name, Given Name, Family Name, Organization 1 - Name/Title, one
 * "E-mail N - Type/Value" and "Phone N - Type/Value" pair per value) and
 * Outlook's (Title, First/Middle/Last Name, Suffix, Company, Job Title,
 * Business/Home/Mobile/Other Phone, Business Fax, E-mail 1-3 Address,
 * Notes, Web Page). Each reads back here unchanged (docs/CRM.md says what
 * Outlook's fixed slots do with more values). */
typedef enum { CRM_CSV_GREETER, CRM_CSV_GOOGLE, CRM_CSV_OUTLOOK } crm_csv_layout_t;
int crm_csv_write_layout(json_t *contacts, crm_csv_layout_t layout, char **out);

/* 1 when text looks like vCard (starts with BEGIN:VCARD after blank lines
 * and a BOM), else 0. */
int crm_text_is_vcard(const char *text, size_t len);

#endif
