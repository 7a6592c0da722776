/* supervise.h - what greeterd's main thread watches between signals.
 *
 *  - fw_part: a restartable part (the face pipeline). It is opened, asked
 *    whether it is healthy on every tick, and closed and reopened with
 *    exponential back-off when it has not been healthy for `stall_s`
 *    seconds or failed to open. Other parts (the web UI) keep running.
 *  - fw_clock: notices the wall clock jumping against the monotonic clock
 *    (NTP's first sync on a board without RTC, a manual `date -s`).
 *  - fw_disk: free space under the state folder against storage.min_free_mb,
 *    with hysteresis so the low/ok state does not flap.
 *
 * All times are seconds on the caller's clock (gr_now_mono in greeterd, a
 * fake clock in tests), so the policies are tested without sleeping.
 * None of these objects is thread-safe: the main thread owns them.
 */
#ifndef FW_SUPERVISE_H
#define FW_SUPERVISE_H

#include <stddef.h>

/* ---- restartable part ---- */

typedef struct {
    /* Start the part; on GR_OK *handle is set. GR_ERR_UNSUPPORTED means the
     * part is absent from this build: it is left off and never retried. */
    int (*open)(void *ctx, void **handle);
    /* Stop and free it (may block while threads are joined). */
    void (*close)(void *ctx, void *handle);
    /* 1 while it does its work (frames flow). */
    int (*healthy)(void *ctx, const void *handle);
} fw_part_ops_t;

typedef struct {
    double stall_s;       /* unhealthy this long -> restart (also the start-up grace) */
    double backoff_min_s; /* first retry delay; doubled per failed attempt */
    double backoff_max_s; /* ceiling of the delay */
    double grace_s;       /* fw_part_watchdog_ok stays 1 this long into an outage */
} fw_part_policy_t;

typedef enum {
    FW_PART_OFF,      /* absent from this build (open said GR_ERR_UNSUPPORTED) */
    FW_PART_RUNNING,  /* open; healthy or within stall_s of its last healthy tick */
    FW_PART_BACKOFF,  /* closed, waiting to be reopened */
} fw_part_state_t;

typedef struct fw_part fw_part_t;

/* A part named `name` (copied). ops and ctx must outlive it. Caller owns the
 * result: fw_part_free (which closes the part if open). NULL when out of memory. */
fw_part_t *fw_part_new(const char *name, const fw_part_ops_t *ops, void *ctx, const fw_part_policy_t *policy)
    __attribute__((warn_unused_result));
void fw_part_free(fw_part_t *p);

/* First open at `now`. Returns the open's result; any failure other than
 * GR_ERR_UNSUPPORTED schedules a retry (state BACKOFF). */
int fw_part_start(fw_part_t *p, double now);

/* One supervision step: sample health, restart or retry when due. */
void fw_part_tick(fw_part_t *p, double now);

fw_part_state_t fw_part_state(const fw_part_t *p);
/* The handle while RUNNING, else NULL. Owned by the part. */
void *fw_part_handle(const fw_part_t *p);
/* Reopen attempts (after a stall or a failed open) since the start. */
unsigned fw_part_restarts(const fw_part_t *p);
/* 1 when the last tick found it healthy. */
int fw_part_healthy(const fw_part_t *p);

/* 1 when the service watchdog may be fed: the part is healthy, off, or has
 * been unhealthy for less than grace_s. */
int fw_part_watchdog_ok(const fw_part_t *p, double now);

/* One line for STATUS=, e.g. "vision: restarting in 4 s (attempt 3)". */
void fw_part_describe(const fw_part_t *p, double now, char *buf, size_t len);

/* Stop now (shutdown): close if open; the state becomes BACKOFF with no retry. */
void fw_part_stop(fw_part_t *p);

/* Back-off delay before attempt number `attempt` (1-based). */
double fw_backoff_delay(const fw_part_policy_t *policy, unsigned attempt);

/* ---- clock jumps ---- */

typedef struct {
    double offset;   /* wall - monotonic at the last sample */
    int have;
} fw_clock_t;

/* Feed one sample (wall and monotonic seconds). Returns the jump in seconds
 * (wall clock moved by this much more than the monotonic clock) when its
 * size is at least threshold_s, else 0. The first sample returns 0. */
double fw_clock_check(fw_clock_t *c, double wall, double mono, double threshold_s);

/* ---- free disk ---- */

typedef struct {
    int low;            /* current state */
    long long free_mb;  /* last measurement, -1 unknown */
} fw_disk_t;

/* Free MB for unprivileged users on the file system holding `path`, or a
 * negative GR_ERR_* code. */
long long fw_disk_free_mb(const char *path);

/* Update the state with a measurement. Goes low below min_mb and back to
 * ok only above min_mb + max(min_mb/10, 10). Returns 1 when the state changed. */
int fw_disk_update(fw_disk_t *d, long long free_mb, long long min_mb);

#endif
