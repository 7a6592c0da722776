/* supervise.c - see supervise.h. */
#define GR_LOG_MODULE "supervise"
#include "firmware/greeterd/supervise.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

struct fw_part {
    char name[32];
    const fw_part_ops_t *ops;
    void *ctx;
    fw_part_policy_t pol;
    fw_part_state_t state;
    void *handle;
    int healthy;          /* at the last tick */
    int stopped;          /* fw_part_stop called: never reopen */
    double last_healthy;  /* last tick found it healthy (or it was opened) */
    double down_since;    /* start of the current outage; <0 while healthy */
    double next_try;      /* BACKOFF: when to reopen */
    unsigned attempt;     /* failed attempts in a row (0 after a healthy tick) */
    unsigned restarts;
    int last_err;
};

double fw_backoff_delay(const fw_part_policy_t *pol, unsigned attempt) {
    if (attempt == 0) attempt = 1;
    double d = pol->backoff_min_s;
    for (unsigned i = 1; i < attempt && d < pol->backoff_max_s; i++) d *= 2;
    return d > pol->backoff_max_s ? pol->backoff_max_s : d;
}

fw_part_t *fw_part_new(const char *name, const fw_part_ops_t *ops, void *ctx, const fw_part_policy_t *policy) {
    fw_part_t *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    snprintf(p->name, sizeof p->name, "%s", name);
    p->ops = ops;
    p->ctx = ctx;
    p->pol = *policy;
    p->state = FW_PART_BACKOFF;
    p->down_since = -1;
    return p;
}

static void schedule_retry(fw_part_t *p, double now) {
    p->attempt++;
    p->state = FW_PART_BACKOFF;
    p->next_try = now + fw_backoff_delay(&p->pol, p->attempt);
    if (p->down_since < 0) p->down_since = now;
}

static int try_open(fw_part_t *p, double now) {
    void *h = NULL;
    int rc = p->ops->open(p->ctx, &h);
    p->last_err = rc;
    if (rc == GR_OK) {
        p->handle = h;
        p->state = FW_PART_RUNNING;
        p->last_healthy = now; /* start-up grace: stall_s to show frames */
        return rc;
    }
    if (rc == GR_ERR_UNSUPPORTED) {
        p->state = FW_PART_OFF;
        p->down_since = -1;
        LOG_W("%s is not available in this build; running without it", p->name);
        return rc;
    }
    schedule_retry(p, now);
    LOG_W("%s failed to start (%s); retrying in %.0f s", p->name, gr_strerror(rc), p->next_try - now);
    return rc;
}

int fw_part_start(fw_part_t *p, double now) { return try_open(p, now); }

void fw_part_tick(fw_part_t *p, double now) {
    if (p->stopped) return;
    switch (p->state) {
    case FW_PART_OFF:
        return;
    case FW_PART_RUNNING:
        p->healthy = p->ops->healthy(p->ctx, p->handle) ? 1 : 0;
        if (p->healthy) {
            if (p->down_since >= 0) LOG_I("%s is healthy again", p->name);
            p->last_healthy = now;
            p->down_since = -1;
            p->attempt = 0;
            return;
        }
        if (p->down_since < 0) p->down_since = now;
        if (now - p->last_healthy < p->pol.stall_s) return;
        LOG_W("%s stalled: not healthy for %.0f s; restarting it", p->name, now - p->last_healthy);
        p->ops->close(p->ctx, p->handle);
        p->handle = NULL;
        p->last_err = GR_OK;
        schedule_retry(p, now);
        return;
    case FW_PART_BACKOFF:
        p->healthy = 0;
        if (now < p->next_try) return;
        LOG_I("%s: reopening (attempt %u)", p->name, p->attempt);
        p->restarts++;
        try_open(p, now);
        return;
    }
}

void fw_part_stop(fw_part_t *p) {
    if (!p) return;
    if (p->state == FW_PART_RUNNING) p->ops->close(p->ctx, p->handle);
    p->handle = NULL;
    p->stopped = 1;
    if (p->state != FW_PART_OFF) p->state = FW_PART_BACKOFF;
    p->healthy = 0;
}

void fw_part_free(fw_part_t *p) {
    if (!p) return;
    fw_part_stop(p);
    free(p);
}

fw_part_state_t fw_part_state(const fw_part_t *p) { return p->state; }
void *fw_part_handle(const fw_part_t *p) { return p->state == FW_PART_RUNNING ? p->handle : NULL; }
unsigned fw_part_restarts(const fw_part_t *p) { return p->restarts; }
int fw_part_healthy(const fw_part_t *p) { return p->healthy; }

int fw_part_watchdog_ok(const fw_part_t *p, double now) {
    if (p->state == FW_PART_OFF) return 1;
    if (p->state == FW_PART_RUNNING && p->healthy) return 1;
    double since = p->down_since >= 0 ? p->down_since : p->last_healthy;
    return now - since < p->pol.grace_s;
}

void fw_part_describe(const fw_part_t *p, double now, char *buf, size_t len) {
    switch (p->state) {
    case FW_PART_OFF:
        snprintf(buf, len, "%s: off (not in this build)", p->name);
        break;
    case FW_PART_RUNNING:
        if (p->healthy)
            snprintf(buf, len, "%s: ok (%u restarts)", p->name, p->restarts);
        else
            snprintf(buf, len, "%s: waiting for frames (%.0f s)", p->name, now - p->last_healthy);
        break;
    case FW_PART_BACKOFF:
        if (p->stopped)
            snprintf(buf, len, "%s: stopped", p->name);
        else
            snprintf(buf, len, "%s: restarting in %.0f s (attempt %u, last error: %s)", p->name,
                     p->next_try > now ? ceil(p->next_try - now) : 0.0, p->attempt,
                     p->last_err ? gr_strerror(p->last_err) : "stalled");
        break;
    }
}

double fw_clock_check(fw_clock_t *c, double wall, double mono, double threshold_s) {
    double off = wall - mono;
    if (!c->have) {
        c->have = 1;
        c->offset = off;
        return 0;
    }
    double jump = off - c->offset;
    c->offset = off;
    return fabs(jump) >= threshold_s ? jump : 0;
}

long long fw_disk_free_mb(const char *path) {
    struct statvfs st;
    if (statvfs(path, &st) != 0) return GR_ERR_IO;
    return (long long)((unsigned long long)st.f_bavail * st.f_frsize / (1024ull * 1024ull));
}

int fw_disk_update(fw_disk_t *d, long long free_mb, long long min_mb) {
    d->free_mb = free_mb;
    if (free_mb < 0) return 0;
    long long margin = min_mb / 10 > 10 ? min_mb / 10 : 10;
    int low = d->low;
    if (!d->low && free_mb < min_mb) low = 1;
    else if (d->low && free_mb > min_mb + margin) low = 0;
    if (low == d->low) return 0;
    d->low = low;
    return 1;
}
