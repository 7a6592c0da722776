/* log.h - the one logging macro family.
 *
 * Each .c file defines its module prefix before including this header:
 *     #define GR_LOG_MODULE "vision"
 *     #include "firmware/core/log.h"
 *     LOG_I("camera %s opened", path);
 *
 * Lines go to stderr as "<P>module: message" where <P> is the syslog
 * priority, a prefix journald understands. The level is tested before the
 * arguments are evaluated. Thread-safe; never call from a signal handler.
 *
 * Every line written is also kept in a fixed in-memory ring of the last
 * GR_LOG_RING_LINES lines (gr_log_recent), which the web System page shows.
 */
#ifndef GR_LOG_H
#define GR_LOG_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

enum { GR_LOG_ERROR = 3, GR_LOG_WARN = 4, GR_LOG_INFO = 6, GR_LOG_DEBUG = 7 };

extern atomic_int gr_log_level;

void gr_log_write(int level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Parse "error|warn|info|debug"; returns the level or GR_ERR_INVAL. */
int gr_log_parse_level(const char *name);
/* "error", "warn", "info" or "debug" (a static string). */
const char *gr_log_level_name(int level);

/* ---- the ring of recent lines ----
 * Preallocated: writing a line copies it into the oldest slot under the
 * lock that already orders the stderr lines, nothing is allocated. A message
 * longer than GR_LOG_LINE_MAX - 1 bytes is cut at a UTF-8 character boundary
 * and marked truncated; bytes that are not UTF-8 are kept as '?'. */
#define GR_LOG_RING_LINES 500
#define GR_LOG_LINE_MAX 256

typedef struct {
    uint64_t seq;                 /* 1, 2, 3, ... in the order written */
    double time;                  /* wall clock, seconds since the epoch */
    int level;                    /* GR_LOG_ERROR .. GR_LOG_DEBUG */
    int truncated;                /* the message was cut */
    char module[24];
    char msg[GR_LOG_LINE_MAX];
} gr_log_line_t;

/* Copy into out the newest `max` kept lines with seq > since and level <=
 * max_level (GR_LOG_WARN: errors and warnings), oldest first. Returns how
 * many were copied; *last (may be NULL) gets the seq of the newest line
 * written so far, for the next call's `since`. Thread-safe. */
size_t gr_log_recent(uint64_t since, int max_level, gr_log_line_t *out, size_t max, uint64_t *last);

#ifndef GR_LOG_MODULE
#define GR_LOG_MODULE "greeter"
#endif

#define GR_LOG(level, ...)                                                   \
    do {                                                                     \
        if ((level) <= atomic_load_explicit(&gr_log_level, memory_order_relaxed)) \
            gr_log_write((level), GR_LOG_MODULE, __VA_ARGS__);               \
    } while (0)

#define LOG_E(...) GR_LOG(GR_LOG_ERROR, __VA_ARGS__)
#define LOG_W(...) GR_LOG(GR_LOG_WARN, __VA_ARGS__)
#define LOG_I(...) GR_LOG(GR_LOG_INFO, __VA_ARGS__)
#define LOG_D(...) GR_LOG(GR_LOG_DEBUG, __VA_ARGS__)

/* Burst limiter for repeated device errors: log the first of a burst, then
 * stay quiet until `quiet_s` seconds pass without a failure, then report how
 * many were suppressed. Use one per error site:
 *     static gr_log_burst_t burst;
 *     if (gr_log_burst(&burst, 30)) LOG_W("camera read failed");
 */
typedef struct {
    double last;       /* monotonic time of the last occurrence */
    unsigned suppressed;
} gr_log_burst_t;

/* Returns 1 when this occurrence should be logged, 0 to stay quiet. */
int gr_log_burst(gr_log_burst_t *b, double quiet_s);

/* Monotonic clock in seconds. */
double gr_now_mono(void);

#endif
