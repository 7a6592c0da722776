/* test_web_util.h - the in-process web server fixture shared by the
 * test_web_*.c programs: a server on a fresh storage folder, logged in as
 * the admin with the generated initial password. */
#ifndef TEST_WEB_UTIL_H
#define TEST_WEB_UTIL_H

#include "tests/testutil.h"

#include "firmware/core/bus.h"
#include "firmware/core/config.h"
#include "firmware/core/err.h"
#include "firmware/core/ring.h"
#include "web/web.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* The admin's password once the fixture has changed the initial one. */
#define TW_PASSWORD "fixture-Pass-2024x"

typedef struct {
    char *dir;
    gr_config_t *cfg;
    gr_bus_t *bus;
    gr_ring_t *ring;
    web_server_t *srv;
    int port;
    char cookie[128];
    char csrf[80];
} fx_t;

/* A fresh storage folder and config for a server (tw_fx_start). */
static inline fx_t *tw_fx_new(void) {
    fx_t *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->dir = tu_tempdir();
    f->cfg = gr_config_new();
    char err[512];
    assert_int_equal(gr_config_set(f->cfg, "storage.dir", f->dir, err, sizeof err), GR_OK);
    assert_int_equal(gr_config_set(f->cfg, "web.listen", "127.0.0.1:0", err, sizeof err), GR_OK);
    return f;
}

/* Start the server on f's folder and log in as admin (cookie, csrf). */
static inline void tw_fx_start(fx_t *f) {
    f->bus = gr_bus_new();
    f->ring = gr_ring_new(4);
    assert_int_equal(web_server_open(f->cfg, f->bus, f->ring, &f->srv), GR_OK);
    f->port = web_server_port(f->srv);
    assert_true(f->port > 0);

    char path[4200], pw[64] = "";
    snprintf(path, sizeof path, "%s/initial-admin-password", f->dir);
    FILE *pf = fopen(path, "r");
    assert_non_null(pf);
    assert_non_null(fgets(pw, sizeof pw, pf));
    fclose(pf);
    pw[strcspn(pw, "\n")] = '\0';
    char body[256], req[1024], resp[4096];
    snprintf(body, sizeof body, "{\"username\":\"admin\",\"password\":\"%s\"}", pw);
    snprintf(req, sizeof req,
             "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
             "Connection: close\r\n\r\n%s",
             strlen(body), body);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct timeval tv = {20, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)f->port)};
    a.sin_addr.s_addr = htonl(0x7f000001);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(send(fd, req, strlen(req), MSG_NOSIGNAL), (ssize_t)strlen(req));
    size_t n = 0;
    for (ssize_t r; n + 1 < sizeof resp && (r = recv(fd, resp + n, sizeof resp - 1 - n, 0)) > 0;) n += (size_t)r;
    resp[n] = '\0';
    close(fd);
    assert_non_null(strstr(resp, "HTTP/1.1 200"));
    const char *c = strstr(resp, "Set-Cookie: ");
    assert_non_null(c);
    c += 12;
    size_t cl = strcspn(c, ";");
    assert_true(cl < sizeof f->cookie);
    memcpy(f->cookie, c, cl);
    const char *t = strstr(resp, "\"csrf_token\":\"");
    assert_non_null(t);
    memcpy(f->csrf, t + 14, 64);

    /* A first login must change the password before anything else works
     * (issue 12); the session that changes it stays valid. */
    snprintf(body, sizeof body, "{\"old_password\":\"%s\",\"new_password\":\"%s\"}", pw, TW_PASSWORD);
    snprintf(req, sizeof req,
             "POST /api/v1/password HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
             "Cookie: %s\r\nX-CSRF-Token: %s\r\nConnection: close\r\n\r\n%s",
             strlen(body), f->cookie, f->csrf, body);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(send(fd, req, strlen(req), MSG_NOSIGNAL), (ssize_t)strlen(req));
    n = 0;
    for (ssize_t r; n + 1 < sizeof resp && (r = recv(fd, resp + n, sizeof resp - 1 - n, 0)) > 0;) n += (size_t)r;
    resp[n] = '\0';
    close(fd);
    assert_non_null(strstr(resp, "HTTP/1.1 200"));
}

/* cmocka teardown for a fixture in *state. */
static inline int tw_fx_teardown(void **state) {
    fx_t *f = *state;
    gr_bus_stop(f->bus);
    gr_ring_stop(f->ring);
    web_server_close(f->srv);
    gr_ring_free(f->ring);
    gr_bus_free(f->bus);
    gr_config_free(f->cfg);
    tu_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

#endif
