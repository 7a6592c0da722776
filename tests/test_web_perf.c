/* The web server under concurrent load, in-process: many keep-alive clients
 * searching contacts at once (more than the database pool's connections, so
 * requests queue for one and are handed over), while event streams stay
 * open and a client writes. Every answer must be complete and right; a lost
 * hand-over shows as a time-out, a shared connection as wrong answers or
 * errors. Speed is measured by tests/bench/web_load.sh, not here. */
#include "firmware/core/bus.h"
#include "firmware/core/config.h"
#include "crm/contacts.h"
#include "firmware/core/err.h"
#include "firmware/core/ring.h"
#include "crm/store.h"
#include "tests/test_web_util.h"
#include "web/web.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define CLIENTS 24
#define REQUESTS 15
#define CONTACTS 120
#define BUF (1 << 18) /* one response */


static int connect_to(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct timeval tv = {20, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(0x7f000001);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int send_all(int fd, const char *s) {
    size_t n = strlen(s);
    return send(fd, s, n, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -1;
}

/* One HTTP/1.1 response with Content-Length on a kept-alive connection:
 * status, body into body (NUL-terminated). -1 on a time-out or bad reply. */
static int read_response(int fd, char *buf, size_t cap, const char **body) {
    size_t n = 0;
    char *end = NULL;
    while (!end) {
        if (n + 1 >= cap) return -1;
        ssize_t r = recv(fd, buf + n, cap - 1 - n, 0);
        if (r <= 0) return -1;
        n += (size_t)r;
        buf[n] = '\0';
        end = strstr(buf, "\r\n\r\n");
    }
    const char *cl = strcasestr(buf, "\r\nContent-Length: ");
    if (!cl || cl > end) return -1;
    size_t len = strtoul(cl + 18, NULL, 10), head = (size_t)(end + 4 - buf);
    if (head + len + 1 > cap) return -1;
    while (n < head + len) {
        ssize_t r = recv(fd, buf + n, head + len - n, 0);
        if (r <= 0) return -1;
        n += (size_t)r;
    }
    buf[head + len] = '\0';
    *body = buf + head;
    return atoi(buf + 9);
}

static int setup(void **state) {
    fx_t *f = tw_fx_new();
    char err[512];
    /* Contacts to find: "Load <i>" with phone +49 30 5550<i>, every third a "Tenth". */
    crm_store_t *st = NULL;
    assert_int_equal(crm_store_open_dir(f->dir, NULL, &st, err, sizeof err), GR_OK);
    for (int i = 0; i < CONTACTS; i++) {
        char text[256];
        snprintf(text, sizeof text, "{\"name\":\"Load %03d%s\",\"phones\":[\"+49 30 5550%03d\"]}", i,
                 i % 3 == 0 ? " Tenth" : "", i);
        json_t *in = json_loads(text, 0, NULL), *out = NULL;
        assert_non_null(in);
        assert_int_equal(crm_contact_create(st, in, "test", &out, err, sizeof err), GR_OK);
        json_decref(in);
        json_decref(out);
    }
    crm_store_close(st);
    tw_fx_start(f);
    *state = f;
    return 0;
}

static int teardown(void **state) { return tw_fx_teardown(state); }

typedef struct {
    fx_t *f;
    int index;
    int ok;          /* answers that were right */
    char error[256]; /* the first wrong one */
} client_t;

/* Queries and the totals they must find among the CONTACTS. */
static const struct {
    const char *q;
    const char *total;
} QUERIES[] = {
    {"Load", "\"total\":120"},     {"Tenth", "\"total\":40"},  {"5550042", "\"total\":1"},
    {"Load%20011", "\"total\":1"}, {"30555", "\"total\":120"}, {"nobody", "\"total\":0"},
};

static void *client_main(void *arg) {
    client_t *c = arg;
    int fd = connect_to(c->f->port);
    if (fd < 0) {
        snprintf(c->error, sizeof c->error, "client %d: cannot connect", c->index);
        return NULL;
    }
    char *buf = malloc(BUF);
    if (!buf) {
        close(fd);
        return NULL;
    }
    for (int k = 0; k < REQUESTS; k++) {
        size_t qi = (size_t)(c->index + k) % (sizeof QUERIES / sizeof QUERIES[0]);
        char req[512];
        snprintf(req, sizeof req, "GET /api/v1/contacts?limit=25&q=%s HTTP/1.1\r\nHost: x\r\nCookie: %s\r\n\r\n",
                 QUERIES[qi].q, c->f->cookie);
        const char *body = NULL;
        int status = send_all(fd, req) == 0 ? read_response(fd, buf, BUF, &body) : -1;
        if (status != 200 || !strstr(body, QUERIES[qi].total)) {
            snprintf(c->error, sizeof c->error, "client %d request %d q=%s: status %d, body %.120s", c->index, k,
                     QUERIES[qi].q, status, status > 0 && body ? body : "(none)");
            break;
        }
        c->ok++;
    }
    free(buf);
    close(fd);
    return NULL;
}

static void many_clients_at_once(void **state) {
    fx_t *f = *state;
    /* Two event streams stay open throughout: they must not hold the pool. */
    int ev[2];
    for (int i = 0; i < 2; i++) {
        ev[i] = connect_to(f->port);
        assert_true(ev[i] >= 0);
        char req[512];
        snprintf(req, sizeof req, "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nCookie: %s\r\n\r\n", f->cookie);
        assert_int_equal(send_all(ev[i], req), 0);
    }
    pthread_t th[CLIENTS];
    client_t cl[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        cl[i] = (client_t){.f = f, .index = i};
        assert_int_equal(pthread_create(&th[i], NULL, client_main, &cl[i]), 0);
    }
    /* A write in the middle of it (a name no query above finds): a new
     * contact, then found by its number. */
    char body[] = "{\"name\":\"Extra Person\",\"phones\":[\"+49 30 9999 1234\"]}", req[1024], resp[1 << 16];
    snprintf(req, sizeof req,
             "POST /api/v1/contacts HTTP/1.1\r\nHost: x\r\nCookie: %s\r\nX-CSRF-Token: %s\r\n"
             "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
             f->cookie, f->csrf, strlen(body), body);
    int fd = connect_to(f->port);
    assert_true(fd >= 0);
    assert_int_equal(send_all(fd, req), 0);
    const char *b = NULL;
    assert_int_equal(read_response(fd, resp, sizeof resp, &b), 201);
    for (int i = 0; i < CLIENTS; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < CLIENTS; i++) {
        if (cl[i].error[0]) fail_msg("%s", cl[i].error);
        assert_int_equal(cl[i].ok, REQUESTS);
    }
    snprintf(req, sizeof req, "GET /api/v1/contacts?q=99991234 HTTP/1.1\r\nHost: x\r\nCookie: %s\r\n\r\n", f->cookie);
    assert_int_equal(send_all(fd, req), 0);
    assert_int_equal(read_response(fd, resp, sizeof resp, &b), 200);
    assert_non_null(strstr(b, "\"total\":1"));
    assert_non_null(strstr(b, "Extra Person"));
    close(fd);
    for (int i = 0; i < 2; i++) close(ev[i]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(many_clients_at_once, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
