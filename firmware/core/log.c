#include "firmware/core/log.h"
#include "firmware/core/err.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

atomic_int gr_log_level = GR_LOG_INFO;

/* One lock orders the stderr lines and guards the ring of recent lines. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

/* The ring: preallocated, the oldest line is overwritten. ring_next is the
 * seq the next line gets; line seq lives in slot (seq - 1) % capacity. */
static gr_log_line_t ring[GR_LOG_RING_LINES];
static uint64_t ring_next = 1;

/* Length of the longest prefix of s[0..n) that is valid UTF-8 and holds no
 * cut character; invalid bytes are replaced by '?' in place. */
static size_t utf8_clean(char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (len == 0 || (len == 2 && c < 0xC2) || (len == 4 && c > 0xF4)) {
            s[i++] = '?';
            continue;
        }
        if (i + len > n) return i; /* a character cut by the end */
        size_t k = 1;
        while (k < len && ((unsigned char)s[i + k] & 0xC0) == 0x80) k++;
        if (k < len) {
            s[i++] = '?';
            continue;
        }
        unsigned char d = (unsigned char)s[i + 1];
        if ((len == 3 && ((c == 0xE0 && d < 0xA0) || (c == 0xED && d > 0x9F))) ||
            (len == 4 && ((c == 0xF0 && d < 0x90) || (c == 0xF4 && d > 0x8F)))) {
            s[i++] = '?'; /* overlong form or surrogate */
            continue;
        }
        i += len;
    }
    return n;
}

/* Store one line; called with log_lock held. */
static void ring_put(int level, const char *module, const char *msg, int cut) {
    gr_log_line_t *l = &ring[(ring_next - 1) % GR_LOG_RING_LINES];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    l->seq = ring_next++;
    l->time = (double)ts.tv_sec + ts.tv_nsec / 1e9;
    l->level = level;
    snprintf(l->module, sizeof l->module, "%s", module);
    utf8_clean(l->module, strlen(l->module));
    size_t n = strlen(msg);
    l->truncated = cut;
    if (n >= sizeof l->msg) {
        n = sizeof l->msg - 1;
        l->truncated = 1;
    }
    memcpy(l->msg, msg, n);
    l->msg[utf8_clean(l->msg, n)] = '\0';
}

void gr_log_write(int level, const char *module, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    int want = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (want < 0) {
        snprintf(msg, sizeof msg, "(unprintable log message)");
        want = 0;
    }
    /* Keep one event on one line for journald. */
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    if (!module) module = "?";
    pthread_mutex_lock(&log_lock);
    fprintf(stderr, "<%d>%s: %s\n", level, module, msg);
    fflush(stderr);
    ring_put(level, module, msg, (size_t)want >= sizeof msg);
    pthread_mutex_unlock(&log_lock);
}

size_t gr_log_recent(uint64_t since, int max_level, gr_log_line_t *out, size_t max, uint64_t *last) {
    size_t n = 0;
    pthread_mutex_lock(&log_lock);
    uint64_t end = ring_next; /* one past the newest */
    uint64_t first = end > GR_LOG_RING_LINES ? end - GR_LOG_RING_LINES : 1;
    if (since + 1 > first) first = since + 1;
    if (max > 0) {
        /* Walk back from the newest to find the oldest of the last `max` matches. */
        uint64_t start = end;
        size_t found = 0;
        while (start > first && found < max) {
            start--;
            if (ring[(start - 1) % GR_LOG_RING_LINES].level <= max_level) found++;
        }
        for (uint64_t s = start; s < end && n < max; s++) {
            const gr_log_line_t *l = &ring[(s - 1) % GR_LOG_RING_LINES];
            if (l->level <= max_level) out[n++] = *l;
        }
    }
    if (last) *last = end - 1;
    pthread_mutex_unlock(&log_lock);
    return n;
}

const char *gr_log_level_name(int level) {
    switch (level) {
    case GR_LOG_ERROR: return "error";
    case GR_LOG_WARN: return "warn";
    case GR_LOG_INFO: return "info";
    case GR_LOG_DEBUG: return "debug";
    default: return level < GR_LOG_ERROR ? "error" : "debug";
    }
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
