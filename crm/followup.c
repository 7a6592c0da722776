/* followup.c - the follow-up e-mail to a visitor (followup.h). */
#define GR_LOG_MODULE "crm"
#include "crm/followup.h"

#include "crm/crmutil.h"
#include "crm/notify.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <stdio.h>
#include <string.h>

/* Append n bytes of s to out (at k), never cutting a UTF-8 character;
 * 0 when it did not all fit (the output is full). */
static int put(char *out, size_t len, size_t *k, const char *s, size_t n) {
    size_t room = *k + 1 < len ? len - 1 - *k : 0;
    int all = n <= room;
    if (!all) {
        n = room;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    }
    memcpy(out + *k, s, n);
    *k += n;
    out[*k] = 0;
    return all;
}

/* Bytes of the UTF-8 character at p (1 for a stray byte). */
static size_t char_len(const char *p) {
    unsigned char c = (unsigned char)*p;
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    for (size_t i = 1; i < n; i++)
        if (((unsigned char)p[i] & 0xC0) != 0x80) return 1;
    return n;
}

void crm_followup_render(const char *tmpl, json_t *contact, const char *event, const char *device, char *out,
                         size_t len) {
    size_t k = 0;
    if (!len) return;
    out[0] = 0;
    for (const char *p = tmpl; *p;) {
        if (p[0] == '\\' && p[1] == 'n') {
            if (!put(out, len, &k, "\n", 1)) return;
            p += 2;
            continue;
        }
        if (*p == '{') {
            const char *end = strchr(p, '}');
            if (end && end - p < 20) {
                char key[24];
                snprintf(key, sizeof key, "%.*s", (int)(end - p - 1), p + 1);
                const char *v = NULL;
                if (!strcmp(key, "event")) v = event && *event ? event : device;
                else if (!strcmp(key, "name") || !strcmp(key, "given_name") || !strcmp(key, "family_name") ||
                         !strcmp(key, "company") || !strcmp(key, "title"))
                    v = crm_jstr(contact, key);
                if (v) {
                    if (!put(out, len, &k, v, strlen(v))) return;
                    p = end + 1;
                    continue;
                }
            }
        }
        size_t n = char_len(p);
        if (!put(out, len, &k, p, n)) return;
        p += n;
    }
}

int crm_followup_queue(crm_store_t *st, json_t *contact, const char *event, int64_t lead_id, char *err, size_t errlen) {
    if (!json_is_true(json_object_get(contact, "consent_mail")))
        return crm_fail(GR_ERR_INVAL, err, errlen, "follow-up e-mail: the visitor has not agreed to e-mail (consent_mail)");
    const char *to = json_string_value(json_array_get(json_object_get(contact, "emails"), 0));
    if (!to || !*to) return crm_fail(GR_ERR_INVAL, err, errlen, "follow-up e-mail: the contact has no e-mail address");
    crm_opts_t opts;
    crm_store_opts(st, &opts);
    char subject[512], body[4096];
    crm_followup_render(opts.followup_subject, contact, event, opts.device_name, subject, sizeof subject);
    crm_followup_render(opts.followup_body, contact, event, opts.device_name, body, sizeof body);
    int64_t id = 0;
    int rc = crm_notify_add_for(st, "followup", "", to, subject, body, "lead", lead_id, 1, &id);
    /* A record of the mail, not news for the manager: read from the start. */
    if (rc == GR_OK)
        rc = crm_exec_ids(st, "UPDATE notifications SET read_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?1", id, 0);
    if (rc == GR_OK) LOG_I("follow-up e-mail for lead %lld queued (notification %lld)", (long long)lead_id, (long long)id);
    return rc;
}
