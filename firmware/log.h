/* log.h - the one logging macro family.
 *
 * Each .c file defines its module prefix before including this header:
 *     #define GR_LOG_MODULE "vision"
 *     #include "log.h"
 *     LOG_I("camera %s opened", path);
 *
 * Lines go to stderr as "<P>module: message" where <P> is the syslog
 * priority, a prefix journald understands. The level is tested before the
 * arguments are evaluated. Thread-safe; never call from a signal handler.
 */
#ifndef GR_LOG_H
#define GR_LOG_H

#include <stdatomic.h>

enum { GR_LOG_ERROR = 3, GR_LOG_WARN = 4, GR_LOG_INFO = 6, GR_LOG_DEBUG = 7 };

extern atomic_int gr_log_level;

void gr_log_write(int level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Parse "error|warn|info|debug"; returns the level or GR_ERR_INVAL. */
int gr_log_parse_level(const char *name);

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
