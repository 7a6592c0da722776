/* greeterd's supervision policies (firmware/greeterd/supervise.c) on a fake clock,
 * and the sd_notify sender (firmware/greeterd/sdnotify.c) against a real socket.
 *
 * Both files belong to greeterd alone (not to a library that unit tests
 * link), so they are compiled into this test directly. */
#include "tests/testutil.h"

#include "firmware/core/err.h"
#include "firmware/greeterd/sdnotify.h"
#include "firmware/greeterd/supervise.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* ---- a fake part ---- */

typedef struct {
    int open_rc;      /* what the next open returns */
    int healthy;      /* what healthy() says */
    int opens, closes;
    int is_open;
    int token;
} fake_t;

static int fake_open(void *ctx, void **h) {
    fake_t *f = ctx;
    f->opens++;
    if (f->open_rc != GR_OK) return f->open_rc;
    assert_false(f->is_open); /* never opened twice without a close */
    f->is_open = 1;
    *h = &f->token;
    return GR_OK;
}

static void fake_close(void *ctx, void *h) {
    fake_t *f = ctx;
    assert_ptr_equal(h, &f->token);
    assert_true(f->is_open);
    f->is_open = 0;
    f->closes++;
}

static int fake_healthy(void *ctx, const void *h) {
    fake_t *f = ctx;
    assert_ptr_equal(h, &f->token);
    return f->healthy;
}

static const fw_part_ops_t fake_ops = {fake_open, fake_close, fake_healthy};
static const fw_part_policy_t pol = {.stall_s = 10, .backoff_min_s = 1, .backoff_max_s = 8, .grace_s = 30};

static void backoff_doubles_up_to_the_ceiling(void **state) {
    (void)state;
    double want[] = {1, 2, 4, 8, 8, 8};
    for (unsigned i = 0; i < 6; i++) assert_true(fw_backoff_delay(&pol, i + 1) == want[i]);
    assert_true(fw_backoff_delay(&pol, 1000) == 8);
}

static void stalled_part_is_closed_and_reopened(void **state) {
    (void)state;
    fake_t f = {.open_rc = GR_OK, .healthy = 1};
    fw_part_t *p = fw_part_new("vision", &fake_ops, &f, &pol);
    assert_non_null(p);
    assert_int_equal(fw_part_start(p, 0), GR_OK);
    assert_int_equal(fw_part_state(p), FW_PART_RUNNING);
    assert_ptr_equal(fw_part_handle(p), &f.token);
    for (int t = 1; t <= 5; t++) fw_part_tick(p, t);
    assert_true(fw_part_healthy(p));
    assert_true(fw_part_watchdog_ok(p, 5));

    f.healthy = 0; /* frames stop after t=5 */
    for (int t = 6; t <= 14; t++) fw_part_tick(p, t);
    assert_int_equal(fw_part_state(p), FW_PART_RUNNING); /* 9 s < stall_s */
    assert_int_equal(f.closes, 0);
    fw_part_tick(p, 15); /* 10 s since the last healthy tick */
    assert_int_equal(fw_part_state(p), FW_PART_BACKOFF);
    assert_int_equal(f.closes, 1);
    assert_null(fw_part_handle(p));
    char buf[160];
    fw_part_describe(p, 15, buf, sizeof buf);
    assert_string_equal(buf, "vision: restarting in 1 s (attempt 1, last error: stalled)");

    fw_part_tick(p, 15.5); /* back-off not over */
    assert_int_equal(f.opens, 1);
    f.healthy = 1;
    fw_part_tick(p, 16);
    assert_int_equal(f.opens, 2);
    assert_int_equal(fw_part_state(p), FW_PART_RUNNING);
    assert_int_equal(fw_part_restarts(p), 1);
    fw_part_tick(p, 17);
    assert_true(fw_part_healthy(p));
    fw_part_describe(p, 17, buf, sizeof buf);
    assert_string_equal(buf, "vision: ok (1 restarts)");

    fw_part_free(p); /* closes the open part */
    assert_int_equal(f.closes, 2);
    assert_false(f.is_open);
}

static void failing_open_is_retried_with_backoff(void **state) {
    (void)state;
    fake_t f = {.open_rc = GR_ERR_NOTFOUND}; /* camera unplugged */
    fw_part_t *p = fw_part_new("vision", &fake_ops, &f, &pol);
    assert_non_null(p);
    assert_int_equal(fw_part_start(p, 100), GR_ERR_NOTFOUND);
    assert_int_equal(fw_part_state(p), FW_PART_BACKOFF);
    /* Attempts at +1, then 2, 4, 8, 8 s later: t = 101, 103, 107, 115, 123. */
    int attempts_at[] = {101, 103, 107, 115, 123};
    int k = 0;
    for (int t10 = 1000; t10 <= 1235; t10++) { /* 0.1 s steps */
        int before = f.opens;
        fw_part_tick(p, t10 / 10.0);
        if (f.opens != before) {
            assert_true(k < 5);
            assert_true(t10 == attempts_at[k] * 10);
            k++;
        }
    }
    assert_int_equal(k, 5);
    assert_int_equal(fw_part_restarts(p), 5);
    assert_int_equal(f.closes, 0); /* nothing was open */
    char buf[160];
    fw_part_describe(p, 124, buf, sizeof buf);
    assert_string_equal(buf, "vision: restarting in 7 s (attempt 6, last error: not found)");

    f.open_rc = GR_OK; /* camera plugged back in */
    f.healthy = 1;
    fw_part_tick(p, 131);
    assert_int_equal(fw_part_state(p), FW_PART_RUNNING);
    fw_part_tick(p, 132);
    assert_true(fw_part_healthy(p));
    /* a healthy tick resets the back-off: the next failure retries after 1 s */
    f.healthy = 0;
    f.open_rc = GR_ERR_IO;
    fw_part_tick(p, 142); /* stalled 10 s */
    assert_int_equal(fw_part_state(p), FW_PART_BACKOFF);
    int opens = f.opens;
    fw_part_tick(p, 143);
    assert_int_equal(f.opens, opens + 1);
    fw_part_free(p);
    assert_false(f.is_open);
}

static void unsupported_part_stays_off(void **state) {
    (void)state;
    fake_t f = {.open_rc = GR_ERR_UNSUPPORTED};
    fw_part_t *p = fw_part_new("vision", &fake_ops, &f, &pol);
    assert_non_null(p);
    assert_int_equal(fw_part_start(p, 0), GR_ERR_UNSUPPORTED);
    for (int t = 1; t < 1000; t += 7) fw_part_tick(p, t);
    assert_int_equal(f.opens, 1);
    assert_int_equal(fw_part_state(p), FW_PART_OFF);
    assert_true(fw_part_watchdog_ok(p, 1000)); /* the daemon itself is fine */
    fw_part_free(p);
    assert_int_equal(f.closes, 0);
}

static void watchdog_is_fed_only_within_the_grace(void **state) {
    (void)state;
    fake_t f = {.open_rc = GR_OK, .healthy = 1};
    fw_part_t *p = fw_part_new("vision", &fake_ops, &f, &pol);
    assert_non_null(p);
    assert_int_equal(fw_part_start(p, 0), GR_OK);
    fw_part_tick(p, 1);
    assert_true(fw_part_watchdog_ok(p, 1));
    f.healthy = 0;
    f.open_rc = GR_ERR_IO; /* every reopen fails */
    int last_ok = -1;
    for (int t = 2; t <= 60; t++) {
        fw_part_tick(p, t);
        if (fw_part_watchdog_ok(p, t)) last_ok = t;
    }
    /* The outage began at the tick at t=2; grace 30 s: fed through t=31. */
    assert_int_equal(last_ok, 31);
    assert_false(f.is_open);
    /* Recovery feeds it again at once. */
    f.open_rc = GR_OK;
    f.healthy = 1;
    for (int t = 61; t <= 75 && fw_part_state(p) != FW_PART_RUNNING; t++) fw_part_tick(p, t);
    assert_int_equal(fw_part_state(p), FW_PART_RUNNING);
    fw_part_tick(p, 76);
    assert_true(fw_part_watchdog_ok(p, 76));
    fw_part_stop(p);
    assert_false(f.is_open);
    char buf[64];
    fw_part_describe(p, 77, buf, sizeof buf);
    assert_string_equal(buf, "vision: stopped");
    fw_part_tick(p, 200); /* a stopped part is never reopened */
    assert_false(f.is_open);
    fw_part_free(p);
}

static void clock_jumps_are_detected(void **state) {
    (void)state;
    fw_clock_t c = {0, 0};
    assert_true(fw_clock_check(&c, 1000.0, 5.0, 5) == 0);    /* first sample */
    assert_true(fw_clock_check(&c, 1001.001, 6.0, 5) == 0);  /* 1 ms slew: no */
    assert_true(fw_clock_check(&c, 1002.0, 7.0, 5) == 0);
    /* NTP's first sync on a board that booted in 1970 */
    double j = fw_clock_check(&c, 1.8e9, 8.0, 5);
    assert_true(j > 1.7e9);
    assert_true(fw_clock_check(&c, 1.8e9 + 1, 9.0, 5) == 0); /* settled */
    j = fw_clock_check(&c, 1.8e9 + 2 - 3600, 10.0, 5);       /* set back an hour */
    assert_true(j > -3601 && j < -3599);
    assert_true(fw_clock_check(&c, 1.8e9 + 3 - 3600 + 4.9, 11.0, 5) == 0); /* under threshold */
}

static void disk_low_has_hysteresis(void **state) {
    (void)state;
    fw_disk_t d = {0, -1};
    assert_int_equal(fw_disk_update(&d, 500, 200), 0);
    assert_false(d.low);
    assert_int_equal(fw_disk_update(&d, 199, 200), 1);
    assert_true(d.low);
    assert_int_equal(fw_disk_update(&d, 205, 200), 0); /* within the 20 MB margin */
    assert_true(d.low);
    assert_int_equal(fw_disk_update(&d, 221, 200), 1);
    assert_false(d.low);
    assert_int_equal(fw_disk_update(&d, GR_ERR_IO, 200), 0); /* unknown: keep */
    assert_false(d.low);
    fw_disk_t z = {0, -1};
    assert_int_equal(fw_disk_update(&z, 0, 0), 0); /* min 0: never low */

    assert_true(fw_disk_free_mb("/") >= 0);
    assert_int_equal(fw_disk_free_mb("/nonexistent/greeter"), GR_ERR_IO);
}

/* ---- sd_notify ---- */

static int bind_dgram(const char *name, int abstract) {
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    size_t len = strlen(name);
    memcpy(a.sun_path + (abstract ? 1 : 0), name, len);
    socklen_t alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + 1);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, alen), 0);
    return fd;
}

static void recv_text(int fd, char *buf, size_t len) {
    ssize_t n = recv(fd, buf, len - 1, MSG_DONTWAIT);
    assert_true(n > 0);
    buf[n] = '\0';
}

static void notify_sends_datagrams(void **state) {
    (void)state;
    char *dir = tu_tempdir();
    char path[512], buf[8192];
    snprintf(path, sizeof path, "%s/notify", dir);
    int fd = bind_dgram(path, 0);

    setenv("NOTIFY_SOCKET", path, 1);
    unsetenv("WATCHDOG_PID");
    setenv("WATCHDOG_USEC", "30000000", 1);
    fw_notify_t *n = NULL;
    assert_int_equal(fw_notify_open(&n), GR_OK);
    assert_true(fw_notify_enabled(n));
    assert_true(fw_notify_watchdog_usec(n) == 30000000);
    assert_int_equal(fw_notify_send(n, "READY=1\nSTATUS=%s", "vision: ok"), GR_OK);
    recv_text(fd, buf, sizeof buf);
    assert_string_equal(buf, "READY=1\nSTATUS=vision: ok");
    char big[5000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(fw_notify_send(n, "STATUS=%s", big), GR_ERR_TOOBIG);
    fw_notify_close(n);
    close(fd);

    /* The listener went away: an I/O error, not a crash or a signal. */
    unlink(path);
    assert_int_equal(fw_notify_open(&n), GR_OK);
    assert_int_equal(fw_notify_send(n, "WATCHDOG=1"), GR_ERR_IO);
    fw_notify_close(n);

    /* Abstract namespace. */
    char name[64];
    snprintf(name, sizeof name, "greeter-unit-%d", (int)getpid());
    fd = bind_dgram(name, 1);
    char env[80];
    snprintf(env, sizeof env, "@%s", name);
    setenv("NOTIFY_SOCKET", env, 1);
    assert_int_equal(fw_notify_open(&n), GR_OK);
    assert_int_equal(fw_notify_send(n, "WATCHDOG=1"), GR_OK);
    recv_text(fd, buf, sizeof buf);
    assert_string_equal(buf, "WATCHDOG=1");
    fw_notify_close(n);
    close(fd);

    /* WATCHDOG_PID naming another process: no watchdog for us. */
    setenv("WATCHDOG_PID", "1", 1);
    assert_int_equal(fw_notify_open(&n), GR_OK);
    assert_true(fw_notify_watchdog_usec(n) == 0);
    fw_notify_close(n);
    char me[32];
    snprintf(me, sizeof me, "%d", (int)getpid());
    setenv("WATCHDOG_PID", me, 1);
    assert_int_equal(fw_notify_open(&n), GR_OK);
    assert_true(fw_notify_watchdog_usec(n) == 30000000);
    fw_notify_close(n);

    /* Malformed socket names are refused; no socket means disabled. */
    setenv("NOTIFY_SOCKET", "relative/path", 1);
    assert_int_equal(fw_notify_open(&n), GR_ERR_INVAL);
    assert_null(n);
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    assert_int_equal(fw_notify_open(&n), GR_OK);
    assert_false(fw_notify_enabled(n));
    assert_true(fw_notify_watchdog_usec(n) == 0);
    assert_int_equal(fw_notify_send(n, "READY=1"), GR_OK); /* no-op */
    fw_notify_close(n);
    fw_notify_close(NULL);

    tu_rmtree(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(backoff_doubles_up_to_the_ceiling),
        cmocka_unit_test(stalled_part_is_closed_and_reopened),
        cmocka_unit_test(failing_open_is_retried_with_backoff),
        cmocka_unit_test(unsupported_part_stays_off),
        cmocka_unit_test(watchdog_is_fed_only_within_the_grace),
        cmocka_unit_test(clock_jumps_are_detected),
        cmocka_unit_test(disk_low_has_hysteresis),
        cmocka_unit_test(notify_sends_datagrams),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
