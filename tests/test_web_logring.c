/* The ring of recent log lines behind GET /api/v1/logs (firmware/core/log.h):
 * order and ids, wrap-around, the level filter, `since`, truncation of long
 * lines at a character boundary, bytes that are not UTF-8, and writers on
 * several threads at once. */
#include "tests/testutil.h"

#include "firmware/core/log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

static gr_log_line_t buf[GR_LOG_RING_LINES];

/* The lines also go to stderr: silence the thousands written by the bulk
 * tests (cmocka reports failures on stderr, so only around the writes). */
static int saved_fd = -1;
static void quiet(void) {
    fflush(stderr);
    saved_fd = dup(2);
    int fd = open("/dev/null", O_WRONLY);
    if (fd >= 0) {
        dup2(fd, 2);
        close(fd);
    }
}
static void loud(void) {
    fflush(stderr);
    if (saved_fd >= 0) {
        dup2(saved_fd, 2);
        close(saved_fd);
        saved_fd = -1;
    }
}

/* The newest seq written so far. */
static uint64_t newest(void) {
    uint64_t last = 0;
    gr_log_recent(0, GR_LOG_DEBUG, buf, 0, &last);
    return last;
}

static void lines_in_order_with_ids_and_fields(void **state) {
    (void)state;
    uint64_t base = newest();
    double t0 = (double)time(NULL);
    gr_log_write(GR_LOG_WARN, "vision", "camera %s lost", "/dev/video0");
    gr_log_write(GR_LOG_INFO, "web", "line\nwith a break");
    uint64_t last = 0;
    size_t n = gr_log_recent(base, GR_LOG_DEBUG, buf, GR_LOG_RING_LINES, &last);
    assert_int_equal(n, 2);
    assert_int_equal(last, base + 2);
    assert_int_equal(buf[0].seq, base + 1);
    assert_int_equal(buf[0].level, GR_LOG_WARN);
    assert_string_equal(buf[0].module, "vision");
    assert_string_equal(buf[0].msg, "camera /dev/video0 lost");
    assert_false(buf[0].truncated);
    assert_true(buf[0].time >= t0 - 1 && buf[0].time <= t0 + 5);
    assert_string_equal(buf[1].msg, "line with a break"); /* one event, one line */
    /* since = the newest id: nothing new. */
    assert_int_equal(gr_log_recent(last, GR_LOG_DEBUG, buf, GR_LOG_RING_LINES, NULL), 0);
    assert_string_equal(gr_log_level_name(GR_LOG_WARN), "warn");
    assert_string_equal(gr_log_level_name(GR_LOG_DEBUG), "debug");
}

static void level_filter_and_max_keep_the_newest(void **state) {
    (void)state;
    uint64_t base = newest();
    for (int i = 0; i < 10; i++)
        gr_log_write(i % 2 ? GR_LOG_ERROR : GR_LOG_DEBUG, "t", "n%d", i);
    size_t n = gr_log_recent(base, GR_LOG_WARN, buf, GR_LOG_RING_LINES, NULL);
    assert_int_equal(n, 5); /* errors only: 1 3 5 7 9 */
    for (size_t i = 0; i < n; i++) assert_int_equal(buf[i].level, GR_LOG_ERROR);
    assert_string_equal(buf[0].msg, "n1");
    assert_string_equal(buf[4].msg, "n9");
    /* At most 3: the newest three, oldest first. */
    n = gr_log_recent(base, GR_LOG_DEBUG, buf, 3, NULL);
    assert_int_equal(n, 3);
    assert_string_equal(buf[0].msg, "n7");
    assert_string_equal(buf[2].msg, "n9");
    n = gr_log_recent(base, GR_LOG_WARN, buf, 2, NULL);
    assert_int_equal(n, 2);
    assert_string_equal(buf[0].msg, "n7");
    assert_string_equal(buf[1].msg, "n9");
}

static void wraps_around_keeping_the_last_lines(void **state) {
    (void)state;
    uint64_t base = newest();
    int total = GR_LOG_RING_LINES * 2 + 37;
    quiet();
    for (int i = 0; i < total; i++) gr_log_write(GR_LOG_INFO, "wrap", "w%d", i);
    loud();
    uint64_t last = 0;
    size_t n = gr_log_recent(0, GR_LOG_DEBUG, buf, GR_LOG_RING_LINES, &last);
    assert_int_equal(n, GR_LOG_RING_LINES);
    assert_int_equal(last, base + (uint64_t)total);
    for (size_t i = 0; i < n; i++) {
        char want[32];
        snprintf(want, sizeof want, "w%d", total - GR_LOG_RING_LINES + (int)i);
        assert_string_equal(buf[i].msg, want);
        assert_int_equal(buf[i].seq, last - GR_LOG_RING_LINES + 1 + i);
    }
    /* A `since` older than the ring: what is still kept. */
    n = gr_log_recent(base, GR_LOG_DEBUG, buf, GR_LOG_RING_LINES, NULL);
    assert_int_equal(n, GR_LOG_RING_LINES);
    n = gr_log_recent(last - 5, GR_LOG_DEBUG, buf, GR_LOG_RING_LINES, NULL);
    assert_int_equal(n, 5);
    assert_int_equal(buf[0].seq, last - 4);
}

static void long_lines_cut_at_a_character(void **state) {
    (void)state;
    uint64_t base = newest();
    /* 300 times 'ж' (2 bytes each) after "ab": the cut at 255 bytes would
     * split a character; it must end on a whole one. */
    char msg[1200] = "ab";
    for (int i = 0; i < 300; i++) strcat(msg, "\xd0\xb6");
    gr_log_write(GR_LOG_ERROR, "ocr", "%s", msg);
    /* Longer than the formatting buffer too. */
    char big[3000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    gr_log_write(GR_LOG_ERROR, "ocr", "%s", big);
    gr_log_write(GR_LOG_ERROR, "ocr", "short");
    size_t n = gr_log_recent(base, GR_LOG_DEBUG, buf, GR_LOG_RING_LINES, NULL);
    assert_int_equal(n, 3);
    assert_true(buf[0].truncated);
    size_t len = strlen(buf[0].msg);
    assert_int_equal(len, GR_LOG_LINE_MAX - 2); /* "ab" + 126 whole characters, not 255 bytes */
    assert_int_equal(memcmp(buf[0].msg, msg, len), 0);
    assert_true(buf[1].truncated);
    assert_int_equal(strlen(buf[1].msg), GR_LOG_LINE_MAX - 1);
    assert_false(buf[2].truncated);
}

static void bytes_that_are_not_utf8_become_question_marks(void **state) {
    (void)state;
    uint64_t base = newest();
    gr_log_write(GR_LOG_WARN, "mod\xff", "bad \xff\xfe ok \xc3\xa9 \xe0\x80\x80 end");
    size_t n = gr_log_recent(base, GR_LOG_DEBUG, buf, GR_LOG_RING_LINES, NULL);
    assert_int_equal(n, 1);
    assert_string_equal(buf[0].module, "mod?");
    assert_string_equal(buf[0].msg, "bad ?? ok \xc3\xa9 ??? end");
}

#define THREADS 4
#define PER_THREAD 3000

static void *writer(void *arg) {
    int id = (int)(intptr_t)arg;
    for (int i = 0; i < PER_THREAD; i++) gr_log_write(GR_LOG_INFO, "thr", "t%d-%d", id, i);
    return NULL;
}

static void *reader(void *arg) {
    int *bad = arg;
    static gr_log_line_t rbuf[GR_LOG_RING_LINES];
    for (int k = 0; k < 200; k++) {
        size_t n = gr_log_recent(0, GR_LOG_DEBUG, rbuf, GR_LOG_RING_LINES, NULL);
        for (size_t i = 1; i < n; i++)
            if (rbuf[i].seq != rbuf[i - 1].seq + 1) (*bad)++;
        for (size_t i = 0; i < n; i++)
            if (strlen(rbuf[i].msg) >= GR_LOG_LINE_MAX) (*bad)++;
    }
    return NULL;
}

static void concurrent_writers_and_a_reader(void **state) {
    (void)state;
    uint64_t base = newest();
    pthread_t t[THREADS], rd;
    int bad = 0;
    quiet();
    int started = pthread_create(&rd, NULL, reader, &bad) == 0;
    for (int i = 0; i < THREADS; i++) started &= pthread_create(&t[i], NULL, writer, (void *)(intptr_t)i) == 0;
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    pthread_join(rd, NULL);
    loud();
    assert_true(started);
    assert_int_equal(bad, 0);
    uint64_t last = 0;
    size_t n = gr_log_recent(base, GR_LOG_DEBUG, buf, GR_LOG_RING_LINES, &last);
    assert_int_equal(last, base + THREADS * PER_THREAD); /* no line lost or doubled */
    assert_int_equal(n, GR_LOG_RING_LINES);
    /* Each kept line is whole, and each thread's lines keep their order. */
    int seen[THREADS];
    for (int i = 0; i < THREADS; i++) seen[i] = -1;
    for (size_t i = 0; i < n; i++) {
        int id = -1, k = -1;
        assert_int_equal(sscanf(buf[i].msg, "t%d-%d", &id, &k), 2);
        assert_true(id >= 0 && id < THREADS && k >= 0 && k < PER_THREAD);
        assert_true(k > seen[id]);
        seen[id] = k;
        assert_string_equal(buf[i].module, "thr");
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lines_in_order_with_ids_and_fields),
        cmocka_unit_test(level_filter_and_max_keep_the_newest),
        cmocka_unit_test(wraps_around_keeping_the_last_lines),
        cmocka_unit_test(long_lines_cut_at_a_character),
        cmocka_unit_test(bytes_that_are_not_utf8_become_question_marks),
        cmocka_unit_test(concurrent_writers_and_a_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
