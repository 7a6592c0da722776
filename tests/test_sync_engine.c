/* The delivery engine against tests/b24server (started here on 127.0.0.1),
 * so that its paths run under ASan/UBSan too: delivery and remote ids,
 * dead letters that do not block others, transient errors that leave rows
 * pending, 401 as an auth error, and re-checks by ORIGIN_ID after a row
 * may have been sent. Skips (77) without python3. */
#include "tests/testutil.h"

#include "crm/bitrix24.h"
#include "firmware/core/err.h"
#include "crm/outbox.h"
#include "crm/store.h"
#include "crm/carddav.h"
#include "crm/contacts.h"
#include "crm/leads.h"
#include "firmware/core/log.h"
#include "crm/visit_hook.h"

#include <curl/curl.h>
#include "crm/sync.h"
#include "crm/sync_engine.h"
#include "crm/sync_fleet.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static char *dir;
static pid_t server;
static int port, cport;
static char url[256];

static int control(const char *json) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "python3 -c 'import urllib.request,sys;urllib.request.urlopen(urllib.request.Request("
             "\"http://127.0.0.1:%d/\",data=sys.argv[1].encode(),method=\"POST\")).read()' '%s'",
             cport, json);
    return tu_run(cmd, NULL);
}

static int setup(void **state) {
    (void)state;
    if (tu_run("python3 -c 'import http.server'", NULL) != 0) return -1;
    dir = tu_tempdir();
    char ready[512], script[1024];
    snprintf(ready, sizeof ready, "%s/ready.json", dir);
    snprintf(script, sizeof script, "%s/tests/b24server/b24server.py",
             getenv("GREETER_SOURCE_DIR") ? getenv("GREETER_SOURCE_DIR") : "..");
    server = fork();
    if (server == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM); /* no orphan server when a test crashes */
        execlp("python3", "python3", script, "--token", "tok", "--rate", "50", "--capacity", "100", "--ready-file",
               ready, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 200; i++) {
        FILE *f = fopen(ready, "r");
        if (f) {
            int n = fscanf(f, "{\"port\": %d, \"control_port\": %d}", &port, &cport);
            fclose(f);
            if (n == 2) break;
        }
        usleep(50000);
    }
    if (!port) return -1;
    snprintf(url, sizeof url, "http://127.0.0.1:%d/rest/1/tok/", port);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    char cmd[700];
    snprintf(cmd, sizeof cmd, "test -f %s/rad.pid && kill $(cat %s/rad.pid) 2>/dev/null", dir, dir);
    tu_run(cmd, NULL); /* radicale, when a CardDAV check failed half-way */
    if (server > 0) {
        kill(server, SIGTERM);
        waitpid(server, NULL, 0);
    }
    tu_rmtree(dir);
    free(dir);
    return 0;
}

static crm_store_t *fresh_store(const char *name) {
    char path[512], err[256];
    snprintf(path, sizeof path, "%s/%s.db", dir, name);
    crm_store_t *st = NULL;
    assert_int_equal(crm_store_open(path, NULL, &st, err, sizeof err), GR_OK);
    return st;
}

static void enqueue(crm_store_t *st, const char *entity, int64_t id, const char *op, const char *payload) {
    assert_int_equal(crm_store_begin(st), GR_OK);
    assert_int_equal(crm_outbox_enqueue(st, entity, id, op, payload), GR_OK);
    assert_int_equal(crm_store_commit(st), GR_OK);
}

static const char *row_state(crm_store_t *st, int64_t row, char *err, size_t len) {
    static char state[16];
    sqlite3_stmt *s = NULL;
    sqlite3_prepare_v2(crm_store_db(st), "SELECT state, coalesce(last_error,'') FROM outbox WHERE id=?", -1, &s, NULL);
    sqlite3_bind_int64(s, 1, row);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    snprintf(state, sizeof state, "%s", sqlite3_column_text(s, 0));
    if (err) snprintf(err, len, "%s", sqlite3_column_text(s, 1));
    sqlite3_finalize(s);
    return state;
}

static crm_sync_engine_t engine(crm_store_t *st, crm_b24_t *b, const char *dev, int batch) {
    return (crm_sync_engine_t){.st = st, .b24 = b, .use_batch = batch, .device_id = dev, .device_name = "T",
                               .visit_source = "OTHER", .storage_dir = dir};
}

static void deliver_dead_and_visits(void **state) {
    (void)state;
    crm_store_t *st = fresh_store("a");
    crm_b24_t *b = NULL;
    char err[256], id[32];
    assert_int_equal(crm_b24_new(url, 50, 5, &b, err, sizeof err), GR_OK);
    enqueue(st, "contact", 1, "upsert", "{\"given_name\":\"Ann\",\"emails\":[\"ann@x.com\"]}");
    enqueue(st, "contact", 2, "upsert", "{\"given_name\":\"Bad\",\"emails\":[\"nope\"]}");
    enqueue(st, "visit", 1, "comment", "{\"contact_id\":1,\"label\":\"Ann\"}");
    enqueue(st, "lead", 1, "upsert", "not json");
    enqueue(st, "visit", 2, "upsert", "{\"contact_id\":2}"); /* its contact was refused */
    enqueue(st, "lead", 2, "upsert", "{\"title\":\"L\",\"source\":\"card_scan\",\"contact_id\":1}");
    enqueue(st, "person", 1, "upsert", "{}");                  /* held back */
    crm_sync_engine_t e = engine(st, b, "e1", 1);
    assert_int_equal(crm_sync_engine_pass(&e), GR_OK);
    assert_int_equal(e.delivered, 4);
    assert_int_equal(e.dead, 2);
    assert_string_equal(row_state(st, 1, NULL, 0), "done");
    assert_string_equal(row_state(st, 2, err, sizeof err), "dead");
    assert_non_null(strstr(err, "invalid"));
    assert_string_equal(row_state(st, 3, NULL, 0), "done");
    assert_string_equal(row_state(st, 4, err, sizeof err), "dead");
    assert_non_null(strstr(err, "not a JSON object"));
    /* A visit whose visitor is nowhere in the CRM: not sent, and says so. */
    assert_string_equal(row_state(st, 5, err, sizeof err), "done");
    assert_non_null(strstr(err, "not sent"));
    assert_string_equal(row_state(st, 6, NULL, 0), "done");
    assert_string_equal(row_state(st, 7, NULL, 0), "pending");
    assert_int_equal(crm_outbox_remote_get(st, "bitrix24", "contact", 1, id, sizeof id), GR_OK);
    assert_int_equal(crm_outbox_remote_get(st, "bitrix24", "contact", 2, id, sizeof id), GR_ERR_NOTFOUND);
    int64_t pending, dead;
    assert_int_equal(crm_outbox_counts(st, &pending, &dead), GR_OK);
    assert_int_equal(pending, 0);
    assert_int_equal(dead, 2);
    json_t *list = NULL;
    assert_int_equal(crm_outbox_dead_list(st, 10, &list), GR_OK);
    assert_int_equal(json_array_size(list), 2);
    json_decref(list);
    int64_t n = 0;
    assert_int_equal(crm_outbox_retry_dead(st, "bitrix24", &n), GR_OK);
    assert_int_equal(n, 2);
    crm_b24_free(b);
    crm_store_close(st);
}

static void transient_auth_and_recheck(void **state) {
    (void)state;
    crm_store_t *st = fresh_store("b");
    crm_b24_t *b = NULL;
    char err[256], id1[32], id2[32];
    assert_int_equal(crm_b24_new(url, 50, 2, &b, err, sizeof err), GR_OK);
    enqueue(st, "lead", 1, "upsert", "{\"title\":\"One\"}");
    crm_sync_engine_t e = engine(st, b, "e2", 0);

    assert_int_equal(control("{\"fault\":\"500\",\"count\":-1}"), 0);
    assert_int_equal(crm_sync_engine_pass(&e), GR_ERR_NET);
    assert_non_null(strstr(e.last_error, "INTERNAL_SERVER_ERROR"));
    assert_string_equal(row_state(st, 1, NULL, 0), "pending");
    assert_int_equal(control("{\"fault\":\"401\",\"count\":-1}"), 0);
    assert_int_equal(crm_sync_engine_pass(&e), GR_ERR_AUTH);
    assert_non_null(strstr(e.last_error, "expired"));
    assert_int_equal(control("{\"fault\":\"drop\",\"count\":-1}"), 0);
    assert_int_equal(crm_sync_engine_pass(&e), GR_ERR_NET);
    assert_int_equal(control("{\"fault\":null}"), 0);
    /* The failed attempts may have reached the CRM: it is looked up by
     * ORIGIN_ID first, then added once. */
    assert_int_equal(crm_sync_engine_pass(&e), GR_OK);
    assert_string_equal(row_state(st, 1, NULL, 0), "done");
    assert_int_equal(crm_outbox_remote_get(st, "bitrix24", "lead", 1, id1, sizeof id1), GR_OK);
    /* Forget the result as a SIGKILL after the reply would: the row is held
     * first (its request might still be in progress at the CRM), then, once
     * that time has passed, looked up: same id again. */
    assert_int_equal(crm_store_exec(st, "UPDATE outbox SET state='pending'; DELETE FROM remote_ids"), GR_OK);
    unsigned long before = crm_b24_requests(b);
    assert_int_equal(crm_sync_engine_pass(&e), GR_OK);
    assert_string_equal(row_state(st, 1, NULL, 0), "pending");
    assert_int_equal(crm_b24_requests(b) - before, 0);
    assert_int_equal(crm_store_exec(st, "UPDATE outbox SET next_try_at=0"), GR_OK); /* 60 s later */
    assert_int_equal(crm_sync_engine_pass(&e), GR_OK);
    assert_int_equal(crm_outbox_remote_get(st, "bitrix24", "lead", 1, id2, sizeof id2), GR_OK);
    assert_string_equal(id1, id2);
    assert_int_equal(crm_b24_requests(b) - before, 1); /* one look-up, no add */
    crm_b24_free(b);
    crm_store_close(st);
}

/* The agent thread: delivers on its own, publishes sync.state, pauses on
 * 401 and stops promptly. */
static void agent_thread(void **state) {
    (void)state;
    char err[256], sd[600];
    snprintf(sd, sizeof sd, "%s/agent", dir);
    gr_config_t *cfg = gr_config_new();
    assert_non_null(cfg);
    assert_int_equal(gr_config_set(cfg, "storage.dir", sd, err, sizeof err), GR_OK);
    assert_int_equal(gr_config_set(cfg, "device.id", "agent", err, sizeof err), GR_OK);
    assert_int_equal(gr_config_set(cfg, "sync.rate", "50", err, sizeof err), GR_OK);
    assert_int_equal(gr_config_set(cfg, "sync.backoff_max_s", "1", err, sizeof err), GR_OK);
    gr_bus_t *bus = gr_bus_new();
    gr_bus_sub_t *sub = gr_bus_subscribe(bus, "sync.", 16);
    crm_sync_t *s = NULL;
    assert_int_equal(crm_sync_open(cfg, bus, &s), GR_ERR_UNSUPPORTED); /* no URL: off */
    assert_int_equal(gr_config_set(cfg, "sync.bitrix24_url", "http://10.0.0.1/rest/1/x/", err, sizeof err), GR_OK);
    /* http:// off loopback: no agent, and the reason is stored for the UI. */
    assert_int_equal(crm_sync_open(cfg, bus, &s), GR_ERR_UNSUPPORTED);
    assert_null(s);
    assert_int_equal(gr_config_set(cfg, "sync.bitrix24_url", url, err, sizeof err), GR_OK);
    crm_store_t *st = NULL;
    assert_int_equal(crm_store_open_dir(sd, NULL, &st, err, sizeof err), GR_OK);
    crm_sync_status_t ss0;
    assert_int_equal(crm_sync_status(st, &ss0), GR_OK);
    assert_int_equal(ss0.paused, 1);
    assert_non_null(strstr(ss0.last_error, "https"));
    assert_int_equal(control("{\"fault\":\"401\",\"count\":-1}"), 0);
    enqueue(st, "lead", 1, "upsert", "{\"title\":\"Agent\"}");
    assert_int_equal(crm_sync_open(cfg, bus, &s), GR_OK);
    char *topic = NULL, *json = NULL;
    int paused = 0;
    for (int i = 0; i < 50 && !paused; i++) {
        if (gr_bus_next(sub, &topic, &json, 200) != GR_OK) continue;
        paused = strstr(json, "\"paused\":true") != NULL;
        free(topic);
        free(json);
    }
    assert_true(paused);
    crm_sync_status_t ss;
    assert_int_equal(crm_sync_status(st, &ss), GR_OK);
    assert_int_equal(ss.paused, 1);
    assert_int_equal(ss.pending, 1);
    assert_int_equal(control("{\"fault\":null}"), 0);
    int delivered = 0;
    for (int i = 0; i < 50 && !delivered; i++) {
        if (gr_bus_next(sub, &topic, &json, 200) != GR_OK) continue;
        delivered = strstr(json, "\"pending\":0") && strstr(json, "\"paused\":false");
        free(topic);
        free(json);
    }
    assert_true(delivered);
    char buf[512];
    assert_true(crm_sync_metrics(st, buf, sizeof buf) > 0);
    assert_non_null(strstr(buf, "greeter_sync_pending 0\n"));
    assert_non_null(strstr(buf, "greeter_sync_paused 0\n"));
    /* A slow CRM does not hold up shutdown. */
    assert_int_equal(control("{\"fault\":\"slow\",\"count\":-1,\"slow_s\":20}"), 0);
    enqueue(st, "lead", 2, "upsert", "{\"title\":\"Slow\"}");
    crm_sync_kick(s);
    usleep(300000);
    double t0 = gr_now_mono();
    crm_sync_close(s);
    assert_true(gr_now_mono() - t0 < 5);
    assert_int_equal(control("{\"fault\":null}"), 0);
    gr_bus_unsubscribe(sub);
    gr_bus_free(bus);
    crm_store_close(st);
    gr_config_free(cfg);
}

/* GET the test server's /dump as JSON (new reference). */
static size_t on_body(char *d, size_t sz, size_t n, void *ctx) {
    char **buf = ctx;
    size_t old = *buf ? strlen(*buf) : 0;
    char *p = realloc(*buf, old + sz * n + 1);
    if (!p) return 0;
    memcpy(p + old, d, sz * n);
    p[old + sz * n] = '\0';
    *buf = p;
    return sz * n;
}

static json_t *dump(void) {
    char u[128], *body = NULL;
    snprintf(u, sizeof u, "http://127.0.0.1:%d/dump", cport);
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, u);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_cleanup(c);
    json_t *j = json_loads(body, 0, NULL);
    free(body);
    assert_non_null(j);
    return j;
}

static json_t *by_origin(json_t *d, const char *entity, const char *origin) {
    json_t *arr = json_object_get(json_object_get(d, "records"), entity), *x, *hit = NULL;
    size_t i;
    int n = 0;
    json_array_foreach(arr, i, x) if (strcmp(json_string_value(json_object_get(x, "ORIGIN_ID")) ?: "", origin) == 0) {
        hit = x;
        n++;
    }
    assert_int_equal(n, 1);
    return hit;
}

static double hold_left(crm_store_t *st, int64_t row) {
    sqlite3_stmt *s = NULL;
    double v = 0;
    sqlite3_prepare_v2(crm_store_db(st), "SELECT next_try_at - CAST(strftime('%s','now') AS REAL) FROM outbox WHERE id=?",
                       -1, &s, NULL);
    sqlite3_bind_int64(s, 1, row);
    if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_double(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* An add whose reply never came (the client timed out; a SIGKILL is the
 * same) is still being worked on by the CRM when the retry would look it up
 * by ORIGIN_ID: the look-up misses and a second add would make a duplicate
 * once the first one lands (the chaos test's "contact N on the server 2
 * times"). The row must be held until the CRM can no longer act on it, and
 * then be found by ORIGIN_ID, not added again. One lead alone (one call)
 * and two leads in one batch. */
static void lost_reply_still_in_flight(void **state) {
    (void)state;
    for (int batch = 0; batch <= 1; batch++) {
        char name[16], dev[16], err[256], origin[64];
        snprintf(name, sizeof name, "inflight%d", batch);
        snprintf(dev, sizeof dev, "fl%d", batch);
        crm_store_t *st = fresh_store(name);
        crm_b24_t *b = NULL;
        assert_int_equal(crm_b24_new(url, 50, 1, &b, err, sizeof err), GR_OK); /* 1 s timeout */
        enqueue(st, "lead", 1, "upsert", "{\"title\":\"Slow one\"}");
        if (batch) enqueue(st, "lead", 2, "upsert", "{\"title\":\"Slow two\"}");
        crm_sync_engine_t e = engine(st, b, dev, batch);
        /* The CRM takes 2.5 s, then creates the record(s). */
        assert_int_equal(control("{\"fault\":\"slow\",\"count\":1,\"slow_s\":2.5}"), 0);
        assert_int_equal(crm_sync_engine_pass(&e), GR_ERR_NET);
        assert_non_null(strstr(e.last_error, "network"));
        assert_string_equal(row_state(st, 1, NULL, 0), "pending");
        double hold = hold_left(st, 1);
        /* The agent retries right away (its back-off is ~1 s)... */
        unsigned long before = crm_b24_requests(b);
        assert_int_equal(crm_sync_engine_pass(&e), GR_OK);
        unsigned long early = crm_b24_requests(b) - before;
        usleep(2000000); /* ...the slow add lands... */
        assert_int_equal(crm_store_exec(st, "UPDATE outbox SET next_try_at=0"), GR_OK); /* ...60 s later */
        before = crm_b24_requests(b);
        assert_int_equal(crm_sync_engine_pass(&e), GR_OK);
        unsigned long late = crm_b24_requests(b) - before;
        json_t *d = dump();
        for (int i = 1; i <= 1 + batch; i++) {
            char id[32], want[32];
            snprintf(origin, sizeof origin, "%s:lead:%d", dev, i);
            json_t *r = by_origin(d, "lead", origin); /* exactly once in the CRM */
            assert_string_equal(row_state(st, i, NULL, 0), "done");
            assert_int_equal(crm_outbox_remote_get(st, "bitrix24", "lead", i, id, sizeof id), GR_OK);
            snprintf(want, sizeof want, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(r, "ID")));
            assert_string_equal(id, want);
        }
        json_decref(d);
        assert_true(hold > 50);       /* held until Bitrix24 would have cut the request off */
        assert_int_equal(early, 0);   /* held: no look-up, no add while the first may land */
        assert_int_equal(late, 1);    /* then one look-up, found by ORIGIN_ID, no add */
        crm_b24_free(b);
        crm_store_close(st);
    }
}

/* Records made through the CRM's own API (crm/contacts.h, leads.h,
 * visit_hook.h) reach the CRM with the right fields: the payloads the CRM
 * code really queues, not the test's idea of them. */
static void crm_api_payloads(void **state) {
    (void)state;
    crm_store_t *st = fresh_store("api");
    crm_b24_t *b = NULL;
    char err[256];
    assert_int_equal(crm_b24_new(url, 50, 5, &b, err, sizeof err), GR_OK);
    json_t *in = json_loads("{\"given_name\":\"Ann\",\"family_name\":\"Lee\",\"title\":\"CTO\","
                            "\"company\":\"Acme API\",\"emails\":[\"ann@api.example\"],"
                            "\"phones\":[{\"number\":\"+49 30 1234567\",\"type\":\"mobile\"}]}", 0, NULL);
    json_t *out = NULL;
    assert_int_equal(crm_contact_create(st, in, "test", &out, err, sizeof err), GR_OK);
    int64_t ann = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    json_decref(in);
    in = json_loads("{\"title\":\"Card: Bob\",\"source\":\"card_scan\",\"data\":{\"given_name\":\"Bob\","
                    "\"family_name\":\"Ray\",\"company\":\"Ray Ltd\",\"emails\":[\"bob@api.example\"]}}", 0, NULL);
    assert_int_equal(crm_lead_create(st, in, "test", &out, err, sizeof err), GR_OK);
    int64_t lead = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    json_decref(in);
    assert_int_equal(crm_lead_convert(st, lead, "test", &out, err, sizeof err), GR_OK);
    int64_t deal = json_integer_value(json_object_get(json_object_get(out, "deal"), "id"));
    int64_t bob = json_integer_value(json_object_get(json_object_get(out, "contact"), "id"));
    json_decref(out);
    /* An unknown visitor's first visit (a face_visit lead), and a visit of Ann. */
    assert_int_equal(crm_store_exec(st, "INSERT INTO people(id,label) VALUES (71,'Visitor #71');"
                                        "INSERT INTO visits(id,person_id,started_at) VALUES (81,71,'2026-11-27T09:00:00Z');"
                                        "INSERT INTO people(id,label,known) VALUES (72,'Ann Lee',1);"
                                        "INSERT INTO visits(id,person_id,started_at) VALUES (82,72,'2026-11-27T09:05:00Z')"),
                     GR_OK);
    char sql[200];
    snprintf(sql, sizeof sql, "UPDATE people SET contact_id=%lld WHERE id=72", (long long)ann);
    assert_int_equal(crm_store_exec(st, sql), GR_OK);
    crm_opts_t lo;
    crm_store_opts(st, &lo);
    lo.visitor_lead = CRM_LEAD_FIRST_VISIT; /* a lead on the first visit (privacy.visitor_lead) */
    crm_store_set_opts(st, &lo);
    assert_int_equal(crm_store_begin(st), GR_OK);
    assert_int_equal(crm_on_visit(st, 71, 81, 1), GR_OK);
    assert_int_equal(crm_on_visit(st, 72, 82, 0), GR_OK);
    assert_int_equal(crm_store_commit(st), GR_OK);
    /* An edit. */
    in = json_loads("{\"family_name\":\"Lee-Smith\",\"emails\":[\"ann2@api.example\"]}", 0, NULL);
    assert_int_equal(crm_contact_update(st, ann, in, "test", &out, err, sizeof err), GR_OK);
    json_decref(out);
    json_decref(in);

    crm_sync_engine_t e = engine(st, b, "api", 1);
    assert_int_equal(crm_sync_engine_pass(&e), GR_OK);
    int64_t pending, dead;
    assert_int_equal(crm_outbox_counts(st, &pending, &dead), GR_OK);
    assert_int_equal(pending, 0);
    assert_int_equal(dead, 0);

    json_t *d = dump();
    char o[64];
    snprintf(o, sizeof o, "api:contact:%lld", (long long)ann);
    json_t *c = by_origin(d, "contact", o);
    assert_string_equal(json_string_value(json_object_get(c, "NAME")), "Ann");
    assert_string_equal(json_string_value(json_object_get(c, "LAST_NAME")), "Lee-Smith");
    assert_int_equal(json_array_size(json_object_get(c, "EMAIL")), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(c, "EMAIL"), 0), "VALUE")),
                        "ann2@api.example");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(c, "PHONE"), 0), "VALUE_TYPE")), "MOBILE");
    assert_non_null(json_object_get(c, "COMPANY_ID"));
    snprintf(o, sizeof o, "api:lead:%lld", (long long)lead);
    json_t *l = by_origin(d, "lead", o);
    assert_string_equal(json_string_value(json_object_get(l, "STATUS_ID")), "CONVERTED");
    assert_string_equal(json_string_value(json_object_get(l, "SOURCE_ID")), "TRADE_SHOW");
    assert_string_equal(json_string_value(json_object_get(l, "NAME")), "Bob");
    snprintf(o, sizeof o, "api:contact:%lld", (long long)bob);
    json_t *bc = by_origin(d, "contact", o);
    snprintf(o, sizeof o, "api:deal:%lld", (long long)deal);
    json_t *dl = by_origin(d, "deal", o);
    char want[32];
    snprintf(want, sizeof want, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(bc, "ID")));
    const char *got = json_string_value(json_object_get(dl, "CONTACT_ID"));
    if (!got) {
        char *t = json_dumps(dl, 0);
        fprintf(stderr, "deal without CONTACT_ID: %s\n", t);
        free(t);
    }
    assert_non_null(got);
    assert_string_equal(got, want);
    /* Visits: the new visitor's on its face_visit lead, Ann's on her contact. */
    json_t *cm = json_object_get(d, "comments"), *x;
    size_t i;
    int on_lead = 0, on_ann = 0;
    json_array_foreach(cm, i, x) {
        const char *t = json_string_value(json_object_get(x, "COMMENT"));
        if (strstr(t, "[greeter:api:visit:81]")) on_lead += !strcmp(json_string_value(json_object_get(x, "ENTITY_TYPE")), "lead");
        if (strstr(t, "[greeter:api:visit:82]")) on_ann += !strcmp(json_string_value(json_object_get(x, "ENTITY_TYPE")), "contact");
    }
    assert_int_equal(on_lead, 1);
    assert_int_equal(on_ann, 1);
    json_int_t ann_remote = json_integer_value(json_object_get(c, "ID"));
    json_decref(d);
    /* Deleting the contact deletes it there. */
    assert_int_equal(crm_contact_delete(st, ann, "test"), GR_OK);
    assert_int_equal(crm_sync_engine_pass(&e), GR_OK);
    d = dump();
    json_t *arr = json_object_get(json_object_get(d, "records"), "contact");
    json_array_foreach(arr, i, x) assert_int_not_equal(json_integer_value(json_object_get(x, "ID")), ann_remote);
    json_decref(d);
    crm_b24_free(b);
    crm_store_close(st);
}

/* Fleet: templates pushed by one board are pulled by another (the pull and
 * erasure paths under the sanitizers; the full story is test_sync_fleet.py). */
static void fleet_push_pull(void **state) {
    (void)state;
    crm_store_t *a = fresh_store("fleet_a"), *b = fresh_store("fleet_b");
    crm_b24_t *c = NULL;
    char err[256];
    assert_int_equal(crm_b24_new(url, 50, 5, &c, err, sizeof err), GR_OK);
    assert_int_equal(crm_store_exec(a, "INSERT INTO people(id,label,known,consent) VALUES (5,'Fay',1,1);"
                                       "INSERT INTO face_templates(person_id,descriptor,quality) VALUES "
                                       "(5,zeroblob(512),0.9),(5,randomblob(512),0.8)"),
                     GR_OK);
    enqueue(a, "contact", 1, "upsert",
            "{\"given_name\":\"Fay\",\"family_name\":\"Fleet\",\"emails\":[\"fay@fleet.example\"],"
            "\"consent_face\":true,\"person_ids\":[5]}");
    crm_sync_engine_t ea = engine(a, c, "fa", 1), eb = engine(b, c, "fb", 1);
    assert_int_equal(crm_sync_engine_pass(&ea), GR_OK);
    assert_int_equal(ea.delivered, 1);
    assert_int_equal(ea.faces_field, 1);
    crm_fleet_pull_t pr;
    assert_int_equal(crm_sync_fleet_pull(&eb, &pr), GR_OK);
    assert_int_equal(pr.added, 1);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(crm_store_db(b),
                                        "SELECT count(*) FROM face_templates t JOIN people p ON p.id=t.person_id "
                                        "JOIN contacts c ON c.id=p.contact_id WHERE t.source='sync' AND "
                                        "c.given_name='Fay' AND p.known=1",
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 2);
    sqlite3_finalize(s);
    int64_t pending = 0, dead = 0;
    assert_int_equal(crm_outbox_counts(b, &pending, &dead), GR_OK);
    assert_int_equal(pending, 0); /* no echo */
    /* Erased at A: gone at B. */
    enqueue(a, "contact", 1, "delete", "{}");
    assert_int_equal(crm_sync_engine_pass(&ea), GR_OK);
    assert_int_equal(crm_sync_fleet_pull(&eb, &pr), GR_OK);
    assert_int_equal(pr.cleared, 1);
    assert_int_equal(sqlite3_prepare_v2(crm_store_db(b), "SELECT count(*) FROM face_templates", -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 0);
    sqlite3_finalize(s);
    crm_b24_free(c);
    crm_store_close(a);
    crm_store_close(b);
}

/* A tiny DAV client for the checks: dav.py METHOD URL prints the body and
 * fails on HTTP >= 400 (no curl binary needed). */
static const char dav_py[] =
    "import sys, urllib.request as u\n"
    "m, x = sys.argv[1:3]\n"
    "b = (b'<?xml version=\"1.0\"?><mkcol xmlns=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:carddav\">'\n"
    "     b'<set><prop><resourcetype><collection/><C:addressbook/></resourcetype></prop></set></mkcol>')"
    " if m == 'MKCOL' else None\n"
    "r = u.Request(x, data=b, method=m, headers={'Authorization': 'Basic dTpw', 'Content-Type': 'application/xml'})\n"
    "print(u.urlopen(r, timeout=5).read().decode())\n";

/* CardDAV against radicale (skipped without it): create, update with
 * If-Match, replay, delete. */
static void carddav_radicale(void **state) {
    (void)state;
    if (access("/usr/bin/radicale", X_OK) != 0) skip();
    char cmd[2048], cfgp[600], base[128], py[600];
    snprintf(cfgp, sizeof cfgp, "%s/rad.conf", dir);
    snprintf(py, sizeof py, "python3 %s/dav.py", dir);
    snprintf(cmd, sizeof cmd, "%s/dav.py", dir);
    assert_int_equal(tu_write(cmd, dav_py), 0);
    char *portstr = NULL;
    assert_int_equal(tu_run("python3 -c 'import socket;s=socket.socket();s.bind((\"127.0.0.1\",0));"
                            "print(s.getsockname()[1])'",
                            &portstr),
                     0);
    int rport = atoi(portstr);
    free(portstr);
    snprintf(cmd, sizeof cmd,
             "printf 'u:p\\n' > %s/rad.users && printf '[server]\\nhosts = 127.0.0.1:%d\\n[auth]\\ntype = htpasswd\\n"
             "htpasswd_filename = %s/rad.users\\nhtpasswd_encryption = plain\\n[storage]\\nfilesystem_folder = %s/rad\\n"
             "[logging]\\nlevel = error\\n' > %s && (/usr/bin/radicale --config %s >/dev/null 2>&1 & echo $! > %s/rad.pid)",
             dir, rport, dir, dir, cfgp, cfgp, dir);
    assert_int_equal(tu_run(cmd, NULL), 0);
    snprintf(base, sizeof base, "http://127.0.0.1:%d/u/book/", rport);
    int made = 0;
    for (int i = 0; i < 100 && !made; i++) {
        snprintf(cmd, sizeof cmd, "%s MKCOL %s 2>/dev/null", py, base);
        made = tu_run(cmd, NULL) == 0;
        if (!made) usleep(100000);
    }
    assert_true(made);
    crm_store_t *st = fresh_store("dav");
    enqueue(st, "contact", 1, "upsert", "{\"given_name\":\"Dav\",\"family_name\":\"Id\",\"emails\":[\"d@x.example\"]}");
    enqueue(st, "contact", 1, "upsert", "{\"given_name\":\"Dav\",\"family_name\":\"Id-Two\"}");
    enqueue(st, "contact", 2, "upsert", "not json");
    crm_dav_t *d = NULL;
    char err[256];
    assert_int_equal(crm_dav_new("http://10.1.1.1/x/", "u", "p", 5, &d, err, sizeof err), GR_ERR_INVAL);
    assert_int_equal(crm_dav_new(base, "u", "p", 5, &d, err, sizeof err), GR_OK);
    crm_dav_result_t res;
    assert_int_equal(crm_dav_pass(d, st, "dv", &res), GR_OK);
    assert_int_equal(res.written, 2);
    assert_int_equal(res.refused, 1);
    char *out = NULL;
    snprintf(cmd, sizeof cmd, "%s GET %sdv-contact-1.vcf 2>/dev/null", py, base);
    assert_int_equal(tu_run(cmd, &out), 0);
    assert_non_null(strstr(out, "FN:Dav Id-Two"));
    assert_non_null(strstr(out, "UID:urn:greeter:dv:contact:1"));
    free(out);
    /* Replay from the start: still one card, no error. */
    assert_int_equal(crm_outbox_state_set(st, "carddav", "cursor", NULL), GR_OK);
    assert_int_equal(crm_dav_pass(d, st, "dv", &res), GR_OK);
    enqueue(st, "contact", 1, "delete", "{}");
    assert_int_equal(crm_dav_pass(d, st, "dv", &res), GR_OK);
    assert_int_equal(res.deleted, 1);
    assert_int_not_equal(tu_run(cmd, NULL), 0);
    long long pending = -1;
    assert_int_equal(crm_dav_pending(st, &pending), GR_OK);
    assert_int_equal(pending, 0);
    crm_dav_free(d);
    crm_store_close(st);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(deliver_dead_and_visits),
        cmocka_unit_test(transient_auth_and_recheck),
        cmocka_unit_test(lost_reply_still_in_flight),
        cmocka_unit_test(agent_thread),
        cmocka_unit_test(crm_api_payloads),
        cmocka_unit_test(fleet_push_pull),
        cmocka_unit_test(carddav_radicale),
    };
    if (tu_run("command -v python3 >/dev/null", NULL) != 0) {
        printf("SKIP: python3 is needed for tests/b24server\n");
        return 77;
    }
    return cmocka_run_group_tests(tests, setup, teardown);
}
