/* logs.c - GET /api/v1/logs: the recent log lines of greeterd from the
 * in-memory ring of firmware/core/log.h, for the System page.
 */
#define GR_LOG_MODULE "web"
#include "web/logs.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "web/role.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOGS_DEFAULT_LIMIT 200

void web_logs_route(web_req_t *r) {
    if (!web_req_allow(r, "GET") || !web_req_admin(r)) return;
    const char *lv = web_req_arg(r, "level");
    int level = GR_LOG_DEBUG;
    if (lv && *lv && (level = gr_log_parse_level(lv)) < 0) {
        web_reply_error(r, 400, "invalid", "level must be error, warn, info or debug");
        return;
    }
    const char *since_s = web_req_arg(r, "since");
    unsigned long long since = 0;
    if (since_s && *since_s) {
        char *end = NULL;
        if (since_s[0] < '0' || since_s[0] > '9' || strlen(since_s) > 18 ||
            (since = strtoull(since_s, &end, 10), *end != '\0')) {
            web_reply_error(r, 400, "invalid", "since must be the id of a log line (a whole number >= 0)");
            return;
        }
    }
    long limit;
    if (web_parse_long(web_req_arg(r, "limit"), 1, GR_LOG_RING_LINES, LOGS_DEFAULT_LIMIT, &limit) != GR_OK) {
        web_reply_error(r, 400, "invalid", "limit must be a number from 1 to %d", GR_LOG_RING_LINES);
        return;
    }
    gr_log_line_t *lines = malloc((size_t)limit * sizeof *lines);
    if (!lines) {
        web_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    uint64_t last = 0;
    size_t n = gr_log_recent((uint64_t)since, level, lines, (size_t)limit, &last);
    json_t *items = json_array();
    for (size_t i = 0; items && i < n; i++) {
        const gr_log_line_t *l = &lines[i];
        time_t sec = (time_t)l->time;
        struct tm tm;
        char at[40] = "";
        if (gmtime_r(&sec, &tm)) {
            char base[32];
            strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
            snprintf(at, sizeof at, "%s.%03dZ", base, (int)((l->time - (double)sec) * 1000.0) % 1000);
        }
        json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)l->seq, "time", at, "level",
                              gr_log_level_name(l->level), "module", l->module, "message", l->msg, "truncated",
                              l->truncated);
        if (o) json_array_append_new(items, o);
    }
    free(lines);
    web_reply_json(r, 200,
                   json_pack("{s:o, s:I, s:i}", "items", items, "last_id", (json_int_t)last, "capacity",
                             GR_LOG_RING_LINES));
}
