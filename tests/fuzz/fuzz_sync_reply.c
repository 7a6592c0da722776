/* libFuzzer target: whatever the CRM (or a proxy in between) replies, the
 * sync agent's reply parsing, batch splitting and multi-field diff must
 * classify it without crashing. The first byte picks the HTTP status. */
#include "crm/bitrix24.h"
#include "crm/bitrix24_map.h"
#include "firmware/core/err.h"
#include "crm/sync_fleet.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const long statuses[] = {200, 400, 401, 403, 404, 429, 500, 503, 0, 302};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    long status = statuses[data[0] % (sizeof statuses / sizeof statuses[0])];
    crm_b24_reply_t r;
    memset(&r, 0, sizeof r);
    crm_b24_class_t cls = crm_b24_parse(status, (const char *)data + 1, size - 1, &r);
    if (cls != r.cls || cls > CRM_B24_REJECTED) __builtin_trap();
    if ((cls == CRM_B24_OK) != (r.result != NULL)) __builtin_trap();
    if (memchr(r.message, 0, sizeof r.message) == NULL || memchr(r.error, 0, sizeof r.error) == NULL)
        __builtin_trap();
    if (cls == CRM_B24_OK) {
        /* As a batch result. */
        const char *keys[4] = {"c0", "c1", "c2", "c3"};
        crm_b24_reply_t reps[4];
        memset(reps, 0, sizeof reps);
        crm_b24_split_batch(r.result, keys, 4, reps);
        for (int i = 0; i < 4; i++) {
            if ((reps[i].cls == CRM_B24_OK) != (reps[i].result != NULL)) __builtin_trap();
            crm_b24_reply_clear(&reps[i]);
        }
        /* As a record from crm.contact.get, diffed against wanted values. */
        json_t *want = json_pack("[{s:s},{s:s}]", "VALUE", "+49 30 1", "VALUE", "a@x.com");
        static const char *const mf[] = {"PHONE", "EMAIL", "WEB"};
        for (int i = 0; i < 3; i++) {
            json_t *d = crm_b24_map_multi_diff(json_object_get(r.result, mf[i]), want);
            json_decref(d);
        }
        json_decref(want);
        /* As an outbox payload (the agent reads its own snapshots too). */
        crm_b24_map_ctx_t ctx = {"dev", "Booth", "OTHER", NULL, NULL, NULL};
        static const char *const ents[] = {"contact", "company", "lead", "deal", "visit"};
        char err[200];
        for (int i = 0; i < 5; i++) {
            json_t *f = NULL;
            int rc = crm_b24_map_fields(&ctx, ents[i], "upsert", r.result, &f, err, sizeof err);
            if ((rc == GR_OK) != (f != NULL)) __builtin_trap();
            json_decref(f);
        }
        json_t *m, *p;
        crm_b24_map_comms(r.result, &m, &p);
        if (json_array_size(m) > 20 || json_array_size(p) > 20) __builtin_trap();
        json_decref(m);
        json_decref(p);
        /* The face-template field as another board (or anyone) wrote it. */
        unsigned char *tm = NULL;
        size_t nt = 0;
        int frc = crm_sync_fleet_decode(json_string_value(json_object_get(r.result, "UF_CRM_GREETER_FACES")), &tm, &nt);
        if (frc == GR_OK && nt > CRM_FLEET_MAX_TEMPLATES) __builtin_trap();
        if (frc != GR_OK && tm) __builtin_trap();
        free(tm);
        char *c = crm_b24_map_visit_comment(&ctx, r.result, "dev:visit:1");
        if (c && !strstr(c, "[greeter:dev:visit:1]")) __builtin_trap();
        free(c);
    }
    crm_b24_reply_clear(&r);
    return 0;
}
