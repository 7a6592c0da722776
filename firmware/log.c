#include "log.h"
#include "err.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

atomic_int gr_log_level = GR_LOG_INFO;

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void gr_log_write(int level, const char *module, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* Keep one event on one line for journald. */
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    pthread_mutex_lock(&log_lock);
    fprintf(stderr, "<%d>%s: %s\n", level, module, msg);
    fflush(stderr);
    pthread_mutex_unlock(&log_lock);
}

int gr_log_parse_level(const char *name) {
    static const struct { const char *n; int l; } t[] = {
        {"error", GR_LOG_ERROR}, {"warn", GR_LOG_WARN},
        {"info", GR_LOG_INFO}, {"debug", GR_LOG_DEBUG}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (name && strcmp(name, t[i].n) == 0) return t[i].l;
    return GR_ERR_INVAL;
}

double gr_now_mono(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int gr_log_burst(gr_log_burst_t *b, double quiet_s) {
    double now = gr_now_mono();
    int log_it = b->last == 0 || now - b->last >= quiet_s;
    b->last = now;
    if (log_it) {
        if (b->suppressed)
            gr_log_write(GR_LOG_WARN, "log", "%u similar messages suppressed", b->suppressed);
        b->suppressed = 0;
        return 1;
    }
    b->suppressed++;
    return 0;
}
