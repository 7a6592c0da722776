/* The web server in-process: login, bus events reaching a browser as
 * server-sent events (and internal topics not), ring frames reaching
 * /stream.mjpg, and shutdown while streams are open. */
#include "firmware/core/bus.h"
#include "firmware/core/config.h"
#include "firmware/core/err.h"
#include "firmware/core/ring.h"
#include "tests/test_web_util.h"
#include "web/web.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>


static int connect_to(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(0x7f000001);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

/* Read into buf until `want` appears (or timeout / EOF). Returns bytes read. */
static size_t read_until(int fd, char *buf, size_t cap, const char *want) {
    size_t n = 0;
    while (n + 1 < cap) {
        ssize_t r = recv(fd, buf + n, cap - 1 - n, 0);
        if (r <= 0) break;
        n += (size_t)r;
        buf[n] = '\0';
        if (want && memmem(buf, n, want, strlen(want))) break;
    }
    buf[n] = '\0';
    return n;
}

static void send_all(int fd, const char *s) { assert_int_equal(send(fd, s, strlen(s), 0), (ssize_t)strlen(s)); }

static int setup(void **state) {
    fx_t *f = tw_fx_new();
    tw_fx_start(f);
    *state = f;
    return 0;
}

static int teardown(void **state) { return tw_fx_teardown(state); }

static void test_events(void **state) {
    fx_t *f = *state;
    char req[512], buf[8192];
    snprintf(req, sizeof req, "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nCookie: %s\r\n\r\n", f->cookie);
    int fd = connect_to(f->port);
    send_all(fd, req);
    read_until(fd, buf, sizeof buf, ": connected");
    assert_non_null(strstr(buf, "HTTP/1.1 200"));
    assert_non_null(strstr(buf, "Content-Type: text/event-stream"));
    /* Internal topics stay inside; visit events go out, one data: line each. */
    assert_int_equal(gr_bus_publish(f->bus, "internal.secret", "{\"x\":1}"), GR_OK);
    assert_int_equal(gr_bus_publish(f->bus, "visit.returning", "{\"label\":\"Anna Schmidt\",\n\"visit_count\":3}"),
                     GR_OK);
    read_until(fd, buf, sizeof buf, "visit_count\":3}");
    assert_non_null(strstr(buf, "event: visit.returning\ndata: {\"label\":\"Anna Schmidt\", \"visit_count\":3}\n\n"));
    assert_null(strstr(buf, "internal.secret"));
    close(fd);
}

static void test_events_need_login(void **state) {
    fx_t *f = *state;
    char buf[4096];
    int fd = connect_to(f->port);
    send_all(fd, "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    read_until(fd, buf, sizeof buf, NULL);
    close(fd);
    assert_non_null(strstr(buf, "HTTP/1.1 401"));
    assert_non_null(strstr(buf, "\"error\":\"unauthorized\""));
}

static void test_mjpeg(void **state) {
    fx_t *f = *state;
    const unsigned char jpeg1[] = {0xff, 0xd8, 'o', 'n', 'e', 0xff, 0xd9};
    const unsigned char jpeg2[] = {0xff, 0xd8, 't', 'w', 'o', '!', 0xff, 0xd9};
    assert_int_equal(gr_ring_put(f->ring, jpeg1, sizeof jpeg1, 1.0), GR_OK);
    char req[512], buf[16384];
    snprintf(req, sizeof req, "GET /stream.mjpg HTTP/1.1\r\nHost: x\r\nCookie: %s\r\n\r\n", f->cookie);
    int fd = connect_to(f->port);
    send_all(fd, req);
    size_t n = read_until(fd, buf, sizeof buf, "one");
    assert_non_null(strstr(buf, "multipart/x-mixed-replace; boundary=grframe"));
    assert_non_null(memmem(buf, n, "--grframe\r\nContent-Type: image/jpeg\r\nContent-Length: 7\r\n\r\n", 58));
    assert_int_equal(gr_ring_put(f->ring, jpeg2, sizeof jpeg2, 2.0), GR_OK);
    n = read_until(fd, buf, sizeof buf, "two!");
    assert_non_null(memmem(buf, n, jpeg2, sizeof jpeg2));
    /* Shut down with the stream still open: close must return promptly. */
    close(fd);
}

static void test_close_with_open_stream(void **state) {
    fx_t *f = *state;
    char req[512], buf[4096];
    snprintf(req, sizeof req, "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nCookie: %s\r\n\r\n", f->cookie);
    int fd = connect_to(f->port);
    send_all(fd, req);
    read_until(fd, buf, sizeof buf, ": connected");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* The bus is not stopped: the server itself must end the stream. */
    web_server_close(f->srv);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double dt = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(dt < 5.0);
    close(fd);
    assert_int_equal(web_server_open(f->cfg, f->bus, f->ring, &f->srv), GR_OK);
}

static void test_state_change_needs_csrf(void **state) {
    fx_t *f = *state;
    char req[512], buf[4096];
    snprintf(req, sizeof req,
             "POST /api/v1/companies HTTP/1.1\r\nHost: x\r\nCookie: %s\r\nContent-Type: application/json\r\n"
             "Content-Length: 14\r\nConnection: close\r\n\r\n{\"title\":\"Ac\"}",
             f->cookie);
    int fd = connect_to(f->port);
    send_all(fd, req);
    read_until(fd, buf, sizeof buf, NULL);
    close(fd);
    assert_non_null(strstr(buf, "HTTP/1.1 403"));
    assert_non_null(strstr(buf, "\"error\":\"csrf\""));
    snprintf(req, sizeof req,
             "POST /api/v1/companies HTTP/1.1\r\nHost: x\r\nCookie: %s\r\nX-CSRF-Token: %s\r\n"
             "Content-Type: application/json\r\nContent-Length: 14\r\nConnection: close\r\n\r\n{\"title\":\"Ac\"}",
             f->cookie, f->csrf);
    fd = connect_to(f->port);
    send_all(fd, req);
    read_until(fd, buf, sizeof buf, NULL);
    close(fd);
    assert_non_null(strstr(buf, "HTTP/1.1 201"));
    assert_non_null(strstr(buf, "\"title\":\"Ac\""));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_events_need_login, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mjpeg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_with_open_stream, setup, teardown),
        cmocka_unit_test_setup_teardown(test_state_change_needs_csrf, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
