/* The web part's parsers: listen addresses, ids, query numbers, paths, JSON
 * bodies, multipart uploads, static file names (path traversal), MIME types. */
#include "firmware/core/err.h"
#include "web/parse.h"
#include "tests/testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

static void test_listen(void **state) {
    (void)state;
    struct sockaddr_storage ss;
    socklen_t len;
    assert_int_equal(web_parse_listen("0.0.0.0:8080", &ss, &len), GR_OK);
    assert_int_equal(ss.ss_family, AF_INET);
    assert_int_equal(ntohs(((struct sockaddr_in *)&ss)->sin_port), 8080);
    assert_int_equal(web_parse_listen("127.0.0.1:0", &ss, &len), GR_OK);
    assert_int_equal(ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr), 0x7f000001);
    assert_int_equal(web_parse_listen(":443", &ss, &len), GR_OK);
    assert_int_equal(web_parse_listen("8081", &ss, &len), GR_OK);
    assert_int_equal(ntohs(((struct sockaddr_in *)&ss)->sin_port), 8081);
    assert_int_equal(web_parse_listen("[::1]:9000", &ss, &len), GR_OK);
    assert_int_equal(ss.ss_family, AF_INET6);
    assert_int_equal(len, sizeof(struct sockaddr_in6));
    const char *bad[] = {"", "host", "1.2.3.4:", "1.2.3.4:65536", "1.2.3.4:-1", "999.1.1.1:80", "[::1]80",
                         "[zz]:80", "1.2.3.4:80x", "localhost:80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(web_parse_listen(bad[i], &ss, &len), GR_ERR_INVAL);
}

static void test_ids_and_numbers(void **state) {
    (void)state;
    int64_t id;
    assert_int_equal(web_parse_id("42", &id), GR_OK);
    assert_int_equal(id, 42);
    assert_int_equal(web_parse_id("9007199254740992", &id), GR_OK);
    const char *bad[] = {"", "0", "-1", "1e3", "12a", " 1", "99999999999999999", "9007199254740993", "0x10"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) assert_int_equal(web_parse_id(bad[i], &id), GR_ERR_INVAL);
    long v;
    assert_int_equal(web_parse_long(NULL, 1, 500, 50, &v), GR_OK);
    assert_int_equal(v, 50);
    assert_int_equal(web_parse_long("", 1, 500, 50, &v), GR_OK);
    assert_int_equal(v, 50);
    assert_int_equal(web_parse_long("500", 1, 500, 50, &v), GR_OK);
    assert_int_equal(v, 500);
    assert_int_equal(web_parse_long("501", 1, 500, 50, &v), GR_ERR_INVAL);
    assert_int_equal(web_parse_long("0", 1, 500, 50, &v), GR_ERR_INVAL);
    assert_int_equal(web_parse_long("-3", -5, 5, 0, &v), GR_OK);
    assert_int_equal(v, -3);
    assert_int_equal(web_parse_long("-", -5, 5, 0, &v), GR_ERR_INVAL);
    assert_int_equal(web_parse_long("1 ", 0, 5, 0, &v), GR_ERR_INVAL);
    assert_int_equal(web_parse_long("99999999999999999999", 0, 5, 0, &v), GR_ERR_INVAL);
}

static void test_split_path(void **state) {
    (void)state;
    char segs[WEB_MAX_SEGS][WEB_MAX_SEG_LEN];
    assert_int_equal(web_split_path("/", segs), 0);
    assert_int_equal(web_split_path("/api/v1/contacts/12", segs), 4);
    assert_string_equal(segs[2], "contacts");
    assert_string_equal(segs[3], "12");
    assert_int_equal(web_split_path("/api/v1/contacts/", segs), 3);
    assert_int_equal(web_split_path("api/v1", segs), GR_ERR_INVAL);
    assert_int_equal(web_split_path("/api//v1", segs), GR_ERR_INVAL);
    assert_int_equal(web_split_path("/a/b/c/d/e/f/g/h/i", segs), GR_ERR_INVAL);
    char longp[300] = "/";
    memset(longp + 1, 'x', 200);
    longp[201] = '\0';
    assert_int_equal(web_split_path(longp, segs), GR_ERR_INVAL);
}

static void test_json_body(void **state) {
    (void)state;
    json_t *j = NULL;
    char err[256];
    assert_int_equal(web_parse_json_object("{\"a\":1}", 7, &j, err, sizeof err), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(j, "a")), 1);
    json_decref(j);
    assert_int_equal(web_parse_json_object(NULL, 0, &j, err, sizeof err), GR_ERR_FORMAT);
    assert_non_null(strstr(err, "required"));
    assert_int_equal(web_parse_json_object("{\"a\":", 5, &j, err, sizeof err), GR_ERR_FORMAT);
    assert_non_null(strstr(err, "malformed JSON"));
    assert_int_equal(web_parse_json_object("[1]", 3, &j, err, sizeof err), GR_ERR_FORMAT);
    assert_non_null(strstr(err, "object"));
    assert_int_equal(web_parse_json_object("{\"a\":1,\"a\":2}", 13, &j, err, sizeof err), GR_ERR_FORMAT);
    assert_null(j);
}

static void test_multipart(void **state) {
    (void)state;
    const char *ct = "multipart/form-data; boundary=----WebKitFormBoundaryABC";
    const char body[] = "preamble\r\n"
                        "------WebKitFormBoundaryABC\r\n"
                        "Content-Disposition: form-data; name=\"label\"\r\n\r\n"
                        "Anna\r\n"
                        "------WebKitFormBoundaryABC\r\n"
                        "Content-Disposition: form-data; name=\"image\"; filename=\"card.jpg\"\r\n"
                        "Content-Type: image/jpeg\r\n\r\n"
                        "\xff\xd8\xff\r\nbinary\r\n--not-a-boundary\r\n"
                        "------WebKitFormBoundaryABC--\r\n";
    const void *data;
    size_t len;
    assert_int_equal(web_multipart_find(ct, body, sizeof body - 1, NULL, &data, &len), GR_OK);
    const char want[] = "\xff\xd8\xff\r\nbinary\r\n--not-a-boundary";
    assert_int_equal(len, sizeof want - 1);
    assert_memory_equal(data, want, len);
    assert_int_equal(web_multipart_find(ct, body, sizeof body - 1, "label", &data, &len), GR_OK);
    assert_int_equal(len, 4);
    assert_memory_equal(data, "Anna", 4);
    assert_int_equal(web_multipart_find(ct, body, sizeof body - 1, "nope", &data, &len), GR_ERR_NOTFOUND);
    /* Quoted boundary. */
    const char *ctq = "multipart/form-data; boundary=\"xy z\"";
    const char b2[] = "--xy z\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\nAB\r\n--xy z--";
    assert_int_equal(web_multipart_find(ctq, b2, sizeof b2 - 1, NULL, &data, &len), GR_OK);
    assert_int_equal(len, 2);
    /* Broken bodies and headers. */
    assert_int_equal(web_multipart_find("text/plain", b2, sizeof b2 - 1, NULL, &data, &len), GR_ERR_FORMAT);
    assert_int_equal(web_multipart_find("multipart/form-data", b2, sizeof b2 - 1, NULL, &data, &len), GR_ERR_FORMAT);
    const char *cut = "------WebKitFormBoundaryABC\r\nContent-Disp";
    assert_int_equal(web_multipart_find(ct, cut, strlen(cut), NULL, &data, &len), GR_ERR_FORMAT);
    const char b3[] = "--xy z\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\nAB no end";
    assert_int_equal(web_multipart_find(ctq, b3, sizeof b3 - 1, NULL, &data, &len), GR_ERR_FORMAT);
    assert_int_equal(web_multipart_find(ct, "", 0, NULL, &data, &len), GR_ERR_FORMAT);
}

static void test_static_names(void **state) {
    (void)state;
    char name[256];
    assert_int_equal(web_static_name("/", name, sizeof name), GR_OK);
    assert_string_equal(name, "index.html");
    assert_int_equal(web_static_name("/app.js", name, sizeof name), GR_OK);
    assert_string_equal(name, "app.js");
    assert_int_equal(web_static_name("/img/logo.svg", name, sizeof name), GR_OK);
    const char *bad[] = {"/../etc/passwd", "/a/../../b", "/..", "/.", "/.env", "//etc/passwd", "/a//b",
                         "/a/", "/%2e%2e/x", "/a\\..\\b", "/a:b", "relative", "/\x01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(web_static_name(bad[i], name, sizeof name), GR_ERR_INVAL);
    char longp[300] = "/";
    memset(longp + 1, 'a', 250);
    longp[251] = '\0';
    assert_int_equal(web_static_name(longp, name, sizeof name), GR_ERR_INVAL);
}

static void test_mime(void **state) {
    (void)state;
    assert_string_equal(web_mime_type("index.html"), "text/html; charset=utf-8");
    assert_string_equal(web_mime_type("app.JS"), "text/javascript; charset=utf-8");
    assert_string_equal(web_mime_type("style.css"), "text/css; charset=utf-8");
    assert_string_equal(web_mime_type("x.svg"), "image/svg+xml");
    assert_string_equal(web_mime_type("noext"), "application/octet-stream");
}

/* Issue 12: the body a request announces, judged on its headers. */
static void test_body_length(void **state) {
    (void)state;
    size_t want = 99;
    assert_int_equal(web_parse_body_length(NULL, NULL, 1024, &want), GR_OK);
    assert_int_equal(want, 0);
    assert_int_equal(web_parse_body_length("0", NULL, 0, &want), GR_OK);
    assert_int_equal(web_parse_body_length("1024", NULL, 1024, &want), GR_OK);
    assert_int_equal(want, 1024);
    assert_int_equal(web_parse_body_length("1025", NULL, 1024, &want), GR_ERR_TOOBIG);
    assert_int_equal(want, 0);
    assert_int_equal(web_parse_body_length("19900000", NULL, 16384, &want), GR_ERR_TOOBIG);
    assert_int_equal(web_parse_body_length("99999999999999999999999999", NULL, 1u << 30, &want), GR_ERR_TOOBIG);
    assert_int_equal(web_parse_body_length("-1", NULL, 1024, &want), GR_ERR_FORMAT);
    assert_int_equal(web_parse_body_length("12abc", NULL, 1024, &want), GR_ERR_FORMAT);
    assert_int_equal(web_parse_body_length("", NULL, 1024, &want), GR_ERR_FORMAT);
    /* chunked: the route's whole limit is reserved; a route without a body refuses it */
    assert_int_equal(web_parse_body_length(NULL, "chunked", 16384, &want), GR_OK);
    assert_int_equal(want, 16384);
    assert_int_equal(web_parse_body_length(NULL, "chunked", 0, &want), GR_ERR_TOOBIG);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_listen),       cmocka_unit_test(test_ids_and_numbers), cmocka_unit_test(test_split_path),
        cmocka_unit_test(test_json_body),    cmocka_unit_test(test_multipart),       cmocka_unit_test(test_static_names),
        cmocka_unit_test(test_mime),         cmocka_unit_test(test_body_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
