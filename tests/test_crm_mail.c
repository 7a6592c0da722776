/* The CRM worker e-mails the manager about a new lead through a real SMTP
 * server (Debian's python3-aiosmtpd, started here), retries while the server
 * is down, and announces the notification on the bus.
 * Skipped (77) when no python3 with aiosmtpd is installed. */
#include "tests/test_crm_util.h"

#include "firmware/core/bus.h"
#include "firmware/core/config.h"
#include "crm/leads.h"
#include "crm/worker.h"

#include <dirent.h>
#include <netinet/in.h>
#include <signal.h>
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *SINK =
    "import os, sys, time\n"
    "from aiosmtpd.controller import Controller\n"
    "out, port = sys.argv[1], int(sys.argv[2])\n"
    "host = sys.argv[3] if len(sys.argv) > 3 else '127.0.0.1'\n"
    "class Sink:\n"
    "    async def handle_DATA(self, server, session, envelope):\n"
    "        n = len([f for f in os.listdir(out) if f.endswith('.eml')])\n"
    "        base = os.path.join(out, 'msg-%03d' % n)\n"
    "        with open(base + '.rcpt', 'w') as f: f.write('\\n'.join(envelope.rcpt_tos))\n"
    "        with open(base + '.tmp', 'wb') as f: f.write(envelope.original_content or envelope.content)\n"
    "        os.rename(base + '.tmp', base + '.eml')\n"
    "        return '250 OK'\n"
    "c = Controller(Sink(), hostname=host, port=port)\n"
    "c.start()\n"
    "print('ready', flush=True)\n"
    "try:\n"
    "    sys.stdin.read()\n"
    "finally:\n"
    "    c.stop()\n";

static char python[64];

static int find_python(void) {
    const char *cands[] = {"/usr/bin/python3", "python3"};
    for (int i = 0; i < 2; i++) {
        char cmd[200];
        snprintf(cmd, sizeof cmd, "%s -c 'import aiosmtpd' >/dev/null 2>&1", cands[i]);
        if (system(cmd) == 0) {
            snprintf(python, sizeof python, "%s", cands[i]);
            return 1;
        }
    }
    return 0;
}

static int free_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

typedef struct {
    pid_t pid;
    int in;  /* its stdin: closing it stops the server */
    int out; /* its stdout, open until it stops (no SIGPIPE/EPIPE there) */
} sink_t;

static sink_t sink_start_on(const char *script, const char *outdir, int port, const char *host) {
    int to[2], from[2];
    assert_int_equal(pipe(to), 0);
    assert_int_equal(pipe(from), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(to[0], 0);
        dup2(from[1], 1);
        close(to[1]);
        close(from[0]);
        char ps[16];
        snprintf(ps, sizeof ps, "%d", port);
        execlp(python, python, script, outdir, ps, host, (char *)NULL);
        _exit(127);
    }
    close(to[0]);
    close(from[1]);
    char buf[64] = "";
    size_t got = 0;
    while (got < sizeof buf - 1 && !strchr(buf, '\n')) {
        ssize_t n = read(from[0], buf + got, sizeof buf - 1 - got);
        if (n <= 0) break;
        got += (size_t)n;
    }
    if (strncmp(buf, "ready\n", 6)) fail_msg("SMTP sink did not start");
    return (sink_t){pid, to[1], from[0]};
}

static sink_t sink_start(const char *script, const char *outdir, int port) {
    return sink_start_on(script, outdir, port, "127.0.0.1");
}

static void sink_stop(sink_t *s) {
    close(s->in);
    close(s->out);
    int status;
    waitpid(s->pid, &status, 0);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wait (up to `limit` s) until the SQL count is at least `want`. */
static long long wait_count(crm_store_t *st, const char *sql, long long want, double limit) {
    double end = now_s() + limit;
    long long v;
    while ((v = tc_int(st, sql)) < want && now_s() < end) usleep(100 * 1000);
    return v;
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = calloc(1, 1 << 16);
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static gr_config_t *config(const char *dir, int port, int retry_s) {
    gr_config_t *cfg = gr_config_new();
    char url[64], err[256], r[16];
    snprintf(url, sizeof url, "smtp://127.0.0.1:%d", port);
    snprintf(r, sizeof r, "%d", retry_s);
    assert_int_equal(gr_config_set(cfg, "storage.dir", dir, err, sizeof err), GR_OK);
    assert_int_equal(gr_config_set(cfg, "notify.smtp_url", url, err, sizeof err), GR_OK);
    assert_int_equal(gr_config_set(cfg, "notify.manager_email", "manager@example.com", err, sizeof err), GR_OK);
    assert_int_equal(gr_config_set(cfg, "notify.from", "greeter@booth.example", err, sizeof err), GR_OK);
    assert_int_equal(gr_config_set(cfg, "notify.retry_s", r, err, sizeof err), GR_OK);
    return cfg;
}

static void new_lead(crm_store_t *st, const char *title) {
    json_t *in = json_pack("{s:s,s:s}", "title", title, "source", "card_scan"), *out = NULL;
    char err[256];
    assert_int_equal(crm_lead_create(st, in, "desk", &out, err, sizeof err), GR_OK);
    json_decref(in);
    json_decref(out);
}

static void manager_receives_new_lead_mail(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    char mail[4200], script[4200];
    snprintf(mail, sizeof mail, "%s/mail", db.dir);
    snprintf(script, sizeof script, "%s/sink.py", db.dir);
    assert_int_equal(mkdir(mail, 0700), 0);
    assert_int_equal(tu_write(script, SINK), 0);
    int port = free_port();
    sink_t s = sink_start(script, mail, port);
    new_lead(db.st, "Zoë O'Brien — Booth");
    gr_config_t *cfg = config(db.dir, port, 1);
    gr_bus_t *bus = gr_bus_new();
    gr_bus_sub_t *sub = gr_bus_subscribe(bus, "notify.", 8), *leads = gr_bus_subscribe(bus, "lead.", 8);
    crm_worker_t *w = NULL;
    assert_int_equal(crm_worker_open(cfg, bus, &w), GR_OK);
    /* The lead existed before the worker started; a new one is announced. */
    new_lead(db.st, "Second <lead>\r\nBcc: evil@example.com");
    assert_int_equal(gr_bus_publish(bus, "crm.changed", "{}"), GR_OK);
    char *topic = NULL, *json = NULL;
    assert_int_equal(gr_bus_next(sub, &topic, &json, 10000), GR_OK);
    assert_string_equal(topic, "notify.new");
    assert_non_null(strstr(json, "Second"));
    free(topic);
    free(json);
    assert_int_equal(gr_bus_next(leads, &topic, &json, 10000), GR_OK);
    assert_string_equal(topic, "lead.new");
    assert_non_null(strstr(json, "\"source\":\"card_scan\""));
    assert_non_null(strstr(json, "\"id\":2"));
    free(topic);
    free(json);
    assert_int_equal(wait_count(db.st, "SELECT count(*) FROM notifications WHERE mail_state='sent'", 2, 20), 2);
    crm_worker_close(w);
    char path[4300];
    snprintf(path, sizeof path, "%s/msg-000.rcpt", mail);
    char *rcpt = slurp(path);
    assert_non_null(rcpt);
    assert_string_equal(rcpt, "manager@example.com");
    snprintf(path, sizeof path, "%s/msg-000.eml", mail);
    char *m = slurp(path);
    assert_non_null(m);
    assert_non_null(strstr(m, "From: <greeter@booth.example>"));
    assert_non_null(strstr(m, "To: <manager@example.com>"));
    /* "New lead: Zoë O'Brien — Booth" as an RFC 2047 word. */
    assert_non_null(strstr(m, "Subject: =?UTF-8?B?TmV3IGxlYWQ6IFpvw6sgTydCcmllbiDigJQgQm9vdGg=?="));
    assert_non_null(strstr(m, "Lead #1"));
    free(m);
    snprintf(path, sizeof path, "%s/msg-001.eml", mail);
    m = slurp(path);
    assert_non_null(m);
    char *body = strstr(m, "\r\n\r\n");
    assert_non_null(body);
    *body = 0;
    assert_null(strstr(m, "\r\nBcc:")); /* no header injection from lead text */
    assert_non_null(strstr(m, "Subject: New lead: Second <lead>  Bcc: evil@example.com\r\n"));
    free(m);
    free(rcpt);
    snprintf(path, sizeof path, "%s/msg-001.rcpt", mail);
    rcpt = slurp(path);
    assert_string_equal(rcpt, "manager@example.com");
    free(rcpt);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM notifications WHERE recipient='manager@example.com'"), 2);
    sink_stop(&s);
    gr_bus_unsubscribe(sub);
    gr_bus_unsubscribe(leads);
    gr_bus_free(bus);
    gr_config_free(cfg);
    tc_close(&db);
}

static void retries_until_the_server_is_up(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    char mail[4200], script[4200];
    snprintf(mail, sizeof mail, "%s/mail", db.dir);
    snprintf(script, sizeof script, "%s/sink.py", db.dir);
    assert_int_equal(mkdir(mail, 0700), 0);
    assert_int_equal(tu_write(script, SINK), 0);
    int port = free_port(); /* nothing listens yet */
    new_lead(db.st, "Early bird");
    gr_config_t *cfg = config(db.dir, port, 1);
    gr_bus_t *bus = gr_bus_new();
    crm_worker_t *w = NULL;
    assert_int_equal(crm_worker_open(cfg, bus, &w), GR_OK);
    assert_int_equal(wait_count(db.st, "SELECT count(*) FROM notifications WHERE mail_attempts >= 1 "
                                       "AND mail_state = 'pending' AND mail_error IS NOT NULL", 1, 20), 1);
    sink_t s = sink_start(script, mail, port);
    assert_int_equal(wait_count(db.st, "SELECT count(*) FROM notifications WHERE mail_state='sent'", 1, 30), 1);
    assert_true(tc_int(db.st, "SELECT mail_attempts FROM notifications") >= 2);
    crm_worker_close(w);
    char path[4300];
    snprintf(path, sizeof path, "%s/msg-000.eml", mail);
    char *m = slurp(path);
    assert_non_null(m);
    assert_non_null(strstr(m, "Early bird"));
    free(m);
    sink_stop(&s);
    gr_bus_free(bus);
    gr_config_free(cfg);
    tc_close(&db);
}

/* A non-loopback IPv4 address of this machine into buf; 0 when none. */
static int outside_address(char *buf, size_t len) {
    struct ifaddrs *ifs = NULL;
    if (getifaddrs(&ifs) != 0) return 0;
    int found = 0;
    for (struct ifaddrs *i = ifs; i && !found; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
        struct in_addr a = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
        if ((ntohl(a.s_addr) >> 24) == 127) continue;
        found = inet_ntop(AF_INET, &a, buf, (socklen_t)len) != NULL;
    }
    freeifaddrs(ifs);
    return found;
}

/* Issue 12: to a server that is not on loopback, mail goes over TLS or not at
 * all. The sink offers no STARTTLS (as when a man in the middle strips it):
 * nothing may reach it, and the notification says why. */
static void no_tls_no_mail_outside_loopback(void **state) {
    (void)state;
    char host[64];
    if (!outside_address(host, sizeof host)) {
        fprintf(stderr, "skipped: no non-loopback IPv4 address on this machine\n");
        skip();
    }
    tc_db_t db;
    tc_open(&db);
    char mail[4200], script[4200], url[128], err[256];
    snprintf(mail, sizeof mail, "%s/mail", db.dir);
    snprintf(script, sizeof script, "%s/sink.py", db.dir);
    assert_int_equal(mkdir(mail, 0700), 0);
    assert_int_equal(tu_write(script, SINK), 0);
    int port = free_port();
    sink_t s = sink_start_on(script, mail, port, host);
    new_lead(db.st, "Stripped STARTTLS");
    gr_config_t *cfg = config(db.dir, port, 60);
    snprintf(url, sizeof url, "smtp://%s:%d", host, port);
    assert_int_equal(gr_config_set(cfg, "notify.smtp_url", url, err, sizeof err), GR_OK);
    assert_int_equal(gr_config_set(cfg, "notify.smtp_user", "booth", err, sizeof err), GR_OK);
    assert_int_equal(gr_config_set(cfg, "notify.smtp_password", "s3cret-smtp", err, sizeof err), GR_OK);
    gr_bus_t *bus = gr_bus_new();
    crm_worker_t *w = NULL;
    assert_int_equal(crm_worker_open(cfg, bus, &w), GR_OK);
    assert_int_equal(wait_count(db.st, "SELECT count(*) FROM notifications WHERE mail_attempts >= 1 "
                                       "AND mail_error IS NOT NULL", 1, 30), 1);
    crm_worker_close(w);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM notifications WHERE mail_state = 'sent'"), 0);
    char path[4300];
    snprintf(path, sizeof path, "%s/msg-000.eml", mail);
    assert_int_not_equal(access(path, F_OK), 0); /* nothing was delivered in the clear */
    sink_stop(&s);
    gr_bus_free(bus);
    gr_config_free(cfg);
    tc_close(&db);
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    if (!find_python()) {
        fprintf(stderr, "skipped: no python3 with aiosmtpd (apt-get install python3-aiosmtpd)\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(manager_receives_new_lead_mail),
        cmocka_unit_test(retries_until_the_server_is_up),
        cmocka_unit_test(no_tls_no_mail_outside_loopback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
