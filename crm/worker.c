/* The CRM's background thread: e-mails pending notifications to the
 * responsible manager over SMTP (libcurl) with retries, announces new
 * notifications on the bus ("notify.new") for the UI, and applies the
 * retention policy at start and every hour.
 *
 * It sleeps in gr_bus_next: any "visit.", "lead.", "scan." or "crm." event
 * wakes it at once (a visit or a save may have queued a mail); otherwise it
 * wakes when the next retry or retention run is due, and at least every
 * 30 s so a change nobody announced is picked up too. New leads are
 * announced as "lead.new" {"id","title","status","source","contact_id",
 * "person_id"}, new notifications as "notify.new" {"id","subject","entity",
 * "entity_id"}. */
#define GR_LOG_MODULE "crm"
#include "crm/worker.h"

#include "crm/crmutil.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "crm/privacy.h"
#include "crm/store.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define WAKE_MAX_MS 30000
#define RETENTION_EVERY_S 3600.0
#define BATCH 20

struct crm_worker {
    pthread_t thread;
    int started;
    atomic_int stop;
    gr_bus_t *bus;
    gr_bus_sub_t *sub;
    char *dir, *smtp_url, *smtp_user, *smtp_password, *from, *to;
    int retention_days;
    long long retry_s, max_attempts;
    int curl_init;
    crm_store_t *st;  /* opened by crm_worker_open, then used by the thread only */
    int64_t last;      /* newest notification announced */
    int64_t last_lead; /* newest lead announced */
};

static double now_wall(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the message ---- */

typedef struct {
    const char *data;
    size_t len, pos;
} upload_t;

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *arg) {
    upload_t *u = arg;
    size_t room = size * nmemb, left = u->len - u->pos;
    size_t n = left < room ? left : room;
    memcpy(buf, u->data + u->pos, n);
    u->pos += n;
    return n;
}

/* Header-safe copy: no CR/LF (header injection), NUL-terminated. */
static void header_text(char *dst, size_t n, const char *src) {
    size_t k = 0;
    for (; *src && k + 1 < n; src++) dst[k++] = (*src == '\r' || *src == '\n') ? ' ' : *src;
    dst[k] = 0;
}

static int is_ascii(const char *s) {
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80) return 0;
    return 1;
}

/* RFC 5322 message with an RFC 2047 subject when it is not ASCII; body
 * lines end in CRLF. *out malloc'd. */
static int build_message(const char *from, const char *to, const char *subject, const char *body, int64_t id,
                         char **out) {
    char date[64], subj[1200];
    header_text(subj, sizeof subj, subject);
    char *encoded = is_ascii(subj) ? NULL : crm_base64(subj, strlen(subj));
    if (!is_ascii(subj) && !encoded) return GR_ERR_NOMEM;
    size_t size = 0;
    FILE *f = open_memstream(out, &size);
    if (!f) {
        free(encoded);
        return GR_ERR_NOMEM;
    }
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    snprintf(date, sizeof date, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
             months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    fprintf(f, "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\nMessage-ID: <greeter-notify-%lld-%lld@%s>\r\n", date, from, to,
            (long long)id, (long long)t, strchr(from, '@') ? strchr(from, '@') + 1 : "localhost");
    fputs("Subject: ", f);
    if (encoded) fprintf(f, "=?UTF-8?B?%s?=", encoded);
    else fputs(subj, f);
    free(encoded);
    fputs("\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n"
          "Auto-Submitted: auto-generated\r\n\r\n", f);
    for (const char *p = body; *p; p++) {
        if (*p == '\r') continue;
        if (*p == '\n') fputs("\r\n", f);
        else fputc(*p, f);
    }
    fputs("\r\n", f);
    return fclose(f) == 0 ? GR_OK : GR_ERR_NOMEM;
}

int crm_mail_tls_required(const char *smtp_url) {
    CURLU *u = curl_url();
    char *host = NULL;
    int remote = 1;
    if (u && curl_url_set(u, CURLUPART_URL, smtp_url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host) {
        struct in_addr v4;
        int loop4 = inet_pton(AF_INET, host, &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
        remote = !(strcasecmp(host, "localhost") == 0 || loop4 || strcmp(host, "[::1]") == 0 || strcmp(host, "::1") == 0);
    }
    curl_free(host);
    curl_url_cleanup(u);
    return remote;
}

static int send_mail(crm_worker_t *w, const char *rcpt_to, const char *msg, char *err, size_t errlen) {
    CURL *c = curl_easy_init();
    if (!c) return crm_fail(GR_ERR_NOMEM, err, errlen, "curl_easy_init failed");
    char from[300], to[300];
    snprintf(from, sizeof from, "<%s>", w->from);
    snprintf(to, sizeof to, "<%s>", rcpt_to);
    struct curl_slist *rcpt = curl_slist_append(NULL, to);
    upload_t u = {msg, strlen(msg), 0};
    char cerr[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, w->smtp_url);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &u);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
    /* TLS or nothing unless the server is on this machine (issue 12: a
     * stripped STARTTLS must not send the password in the clear). */
    curl_easy_setopt(c, CURLOPT_USE_SSL, (long)(crm_mail_tls_required(w->smtp_url) ? CURLUSESSL_ALL : CURLUSESSL_TRY));
    if (*w->smtp_user) {
        curl_easy_setopt(c, CURLOPT_USERNAME, w->smtp_user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, w->smtp_password);
    }
    CURLcode cc = curl_easy_perform(c);
    int rc = GR_OK;
    if (cc != CURLE_OK) {
        rc = GR_ERR_NET;
        snprintf(err, errlen, "%s", cerr[0] ? cerr : curl_easy_strerror(cc));
    }
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    return rc;
}

/* ---- one pass ---- */

/* E-mail works with an SMTP server; a notification goes to its own
 * recipient (a host's address) or else to the manager's. */
static int mail_enabled(const crm_worker_t *w) { return *w->smtp_url != '\0'; }

/* Send what is due; returns the unix time of the next retry (0: none). */
static double deliver(crm_worker_t *w, crm_store_t *st) {
    static gr_log_burst_t burst;
    sqlite3_stmt *s = NULL, *u = NULL;
    double next = 0, now = now_wall();
    if (!mail_enabled(w)) {
        /* E-mail is off: the notifications are for the UI only. (Look
         * first: an UPDATE takes the write lock even when nothing matches.) */
        int64_t pending = 0;
        if (crm_query_int(st, "SELECT count(*) FROM notifications WHERE mail_state = 'pending'", 0, &pending) == GR_OK &&
            pending &&
            crm_exec_ids(st, "UPDATE notifications SET mail_state = 'none' WHERE mail_state = 'pending'", 0, 0) != GR_OK)
            LOG_W("cannot update notifications");
        return 0;
    }
    /* Nobody to send it to (no recipient of its own, no manager address): shown in the UI only. */
    if (!*w->to && crm_exec_ids(st, "UPDATE notifications SET mail_state = 'none' WHERE mail_state = 'pending' "
                                    "AND recipient = ''", 0, 0) != GR_OK)
        LOG_W("cannot update notifications");
    if (crm_prep(st, "SELECT id, subject, body, mail_attempts, recipient FROM notifications WHERE mail_state = 'pending' "
                     "AND mail_next_at <= ?1 ORDER BY id LIMIT ?2", &s) != GR_OK)
        return now + w->retry_s;
    if (crm_prep(st, "UPDATE notifications SET mail_state = ?2, mail_attempts = ?3, mail_next_at = ?4, "
                     "mail_error = ?5, recipient = ?6 WHERE id = ?1", &u) != GR_OK) {
        sqlite3_finalize(s);
        return now + w->retry_s;
    }
    sqlite3_bind_double(s, 1, now);
    sqlite3_bind_int(s, 2, BATCH);
    /* Collect first: the send is slow and must not hold a read transaction. */
    struct { int64_t id; char *subject, *body, *to; int attempts; } batch[BATCH];
    int n = 0;
    while (n < BATCH && sqlite3_step(s) == SQLITE_ROW) {
        batch[n].id = sqlite3_column_int64(s, 0);
        batch[n].subject = strdup((const char *)sqlite3_column_text(s, 1));
        batch[n].body = strdup((const char *)sqlite3_column_text(s, 2));
        batch[n].attempts = sqlite3_column_int(s, 3);
        const char *rcpt = (const char *)sqlite3_column_text(s, 4);
        batch[n].to = strdup(rcpt && *rcpt ? rcpt : w->to);
        n++;
    }
    sqlite3_finalize(s);
    for (int i = 0; i < n && !atomic_load(&w->stop); i++) {
        char err[CURL_ERROR_SIZE + 64] = "", *msg = NULL;
        int rc = batch[i].subject && batch[i].body && batch[i].to
                     ? build_message(w->from, batch[i].to, batch[i].subject, batch[i].body, batch[i].id, &msg)
                     : GR_ERR_NOMEM;
        if (rc == GR_OK) rc = send_mail(w, batch[i].to, msg, err, sizeof err);
        free(msg);
        int attempts = batch[i].attempts + 1;
        const char *state = "sent";
        double at = 0;
        if (rc != GR_OK) {
            if (gr_log_burst(&burst, 300))
                LOG_W("e-mail of notification %lld failed (attempt %d): %s", (long long)batch[i].id, attempts, err[0] ? err : gr_strerror(rc));
            if (attempts >= w->max_attempts) {
                state = "failed";
                LOG_E("giving up on notification %lld after %d attempts", (long long)batch[i].id, attempts);
            } else {
                state = "pending";
                double wait = (double)w->retry_s;
                for (int k = 1; k < attempts && wait < 3600; k++) wait *= 2;
                if (wait > 3600) wait = 3600;
                at = now_wall() + wait;
                if (!next || at < next) next = at;
            }
        } else {
            LOG_I("notification %lld e-mailed", (long long)batch[i].id);
        }
        sqlite3_reset(u);
        sqlite3_bind_int64(u, 1, batch[i].id);
        sqlite3_bind_text(u, 2, state, -1, SQLITE_STATIC);
        sqlite3_bind_int(u, 3, attempts);
        sqlite3_bind_double(u, 4, at);
        if (rc != GR_OK) sqlite3_bind_text(u, 5, err[0] ? err : gr_strerror(rc), -1, SQLITE_TRANSIENT);
        else sqlite3_bind_null(u, 5);
        sqlite3_bind_text(u, 6, batch[i].to ? batch[i].to : w->to, -1, SQLITE_STATIC);
        if (sqlite3_step(u) != SQLITE_DONE) LOG_W("cannot record the state of notification %lld", (long long)batch[i].id);
    }
    for (int i = 0; i < n; i++) {
        free(batch[i].subject);
        free(batch[i].body);
        free(batch[i].to);
    }
    sqlite3_finalize(u);
    /* More due now (a full batch) or later (earlier failures). */
    if (n == BATCH) return now;
    double later = 0;
    if (crm_prep(st, "SELECT min(mail_next_at) FROM notifications WHERE mail_state = 'pending'", &s) == GR_OK) {
        if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) later = sqlite3_column_double(s, 0);
        sqlite3_finalize(s);
    }
    if (later && (!next || later < next)) next = later;
    return next;
}

/* Publish one event per row of sql (?1 = *last) newer than *last; column 0
 * is the id, the others go into the event under their names. */
static void announce_rows(crm_worker_t *w, crm_store_t *st, const char *sql, const char *topic, int64_t *last) {
    sqlite3_stmt *s = NULL;
    if (crm_prep(st, sql, &s) != GR_OK) return;
    sqlite3_bind_int64(s, 1, *last);
    while (sqlite3_step(s) == SQLITE_ROW) {
        *last = sqlite3_column_int64(s, 0);
        json_t *e = json_object();
        for (int i = 0; e && i < sqlite3_column_count(s); i++)
            json_object_set_new(e, sqlite3_column_name(s, i), crm_col(s, i));
        char *text = e ? json_dumps(e, JSON_COMPACT) : NULL;
        if (text && gr_bus_publish(w->bus, topic, text) != GR_OK) LOG_W("could not publish %s", topic);
        free(text);
        json_decref(e);
    }
    sqlite3_finalize(s);
}

/* "lead.new" and "notify.new" for what arrived since the last look. */
static void announce(crm_worker_t *w, crm_store_t *st) {
    announce_rows(w, st, "SELECT id, title, status, source, contact_id, person_id FROM leads WHERE id > ?1 ORDER BY id",
                  "lead.new", &w->last_lead);
    announce_rows(w, st, "SELECT id, subject, entity, entity_id, kind, for_user FROM notifications WHERE id > ?1 ORDER BY id",
                  "notify.new", &w->last);
}

static void *worker_main(void *arg) {
    crm_worker_t *w = arg;
    crm_store_t *st = w->st;
    double next_retention = 0;
    while (!atomic_load(&w->stop)) {
        double now = now_wall();
        if (now >= next_retention) {
            if (crm_retention_apply(st, w->retention_days, NULL) != GR_OK) LOG_W("retention run failed");
            next_retention = now + RETENTION_EVERY_S;
        }
        announce(w, st);
        double next_mail = deliver(w, st);
        double due = next_retention;
        if (next_mail && next_mail < due) due = next_mail;
        double wait_ms = (due - now_wall()) * 1000.0;
        if (wait_ms > WAKE_MAX_MS) wait_ms = WAKE_MAX_MS;
        if (wait_ms < 0) wait_ms = 0;
        char *topic = NULL, *json = NULL;
        int rc = gr_bus_next(w->sub, &topic, &json, (int)wait_ms);
        free(topic);
        free(json);
        if (rc == GR_ERR_STOPPED) break;
    }
    return NULL;
}

/* ---- open / close ---- */

int crm_worker_open(const gr_config_t *cfg, gr_bus_t *bus, crm_worker_t **out) {
    *out = NULL;
    if (!cfg || !bus) return GR_ERR_INVAL;
    crm_worker_t *w = calloc(1, sizeof *w);
    if (!w) return GR_ERR_NOMEM;
    int rc = GR_ERR_NOMEM;
    w->bus = bus;
    w->dir = strdup(gr_config_str(cfg, GR_SET_STORAGE_DIR));
    w->smtp_url = strdup(gr_config_str(cfg, GR_SET_NOTIFY_SMTP_URL));
    w->smtp_user = strdup(gr_config_str(cfg, GR_SET_NOTIFY_SMTP_USER));
    w->smtp_password = strdup(gr_config_str(cfg, GR_SET_NOTIFY_SMTP_PASSWORD));
    w->from = strdup(gr_config_str(cfg, GR_SET_NOTIFY_FROM));
    w->to = strdup(gr_config_str(cfg, GR_SET_NOTIFY_MANAGER_EMAIL));
    w->retention_days = (int)gr_config_int(cfg, GR_SET_PRIVACY_UNKNOWN_RETENTION_DAYS);
    w->retry_s = gr_config_int(cfg, GR_SET_NOTIFY_RETRY_S);
    w->max_attempts = gr_config_int(cfg, GR_SET_NOTIFY_MAX_ATTEMPTS);
    if (!w->dir || !w->smtp_url || !w->smtp_user || !w->smtp_password || !w->from || !w->to) goto fail;
    if (strpbrk(w->from, "\r\n<>") || strpbrk(w->to, "\r\n<>")) {
        LOG_E("notify.from / notify.manager_email must be bare addresses");
        rc = GR_ERR_INVAL;
        goto fail;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        rc = GR_ERR_NET;
        goto fail;
    }
    w->curl_init = 1;
    char err[512];
    crm_opts_t opts;
    crm_opts_from_config(cfg, &opts);
    if ((rc = crm_store_open_dir(w->dir, &opts, &w->st, err, sizeof err)) != GR_OK) {
        LOG_E("CRM worker cannot open the database: %s", err);
        goto fail;
    }
    /* Announce only what arrives from now on. */
    if ((rc = crm_query_int(w->st, "SELECT coalesce(max(id), 0) FROM notifications", 0, &w->last)) != GR_OK ||
        (rc = crm_query_int(w->st, "SELECT coalesce(max(id), 0) FROM leads", 0, &w->last_lead)) != GR_OK)
        goto fail;
    rc = GR_ERR_NOMEM;
    /* "" = every topic; the thread only uses events as a wake-up. */
    w->sub = gr_bus_subscribe(bus, "", 64);
    if (!w->sub) goto fail;
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        rc = GR_ERR_NOMEM;
        goto fail;
    }
    w->started = 1;
    if (!mail_enabled(w)) LOG_I("e-mail off (notify.smtp_url empty)");
    else if (!*w->to) LOG_I("no manager e-mail (notify.manager_email empty): only hosts with an address get mail");
    LOG_I("CRM worker started: retention %d days", w->retention_days);
    *out = w;
    return GR_OK;
fail:
    crm_worker_close(w);
    return rc;
}

void crm_worker_close(crm_worker_t *w) {
    if (!w) return;
    if (w->started) {
        atomic_store(&w->stop, 1);
        gr_bus_publish(w->bus, "crm.worker.stop", "{}"); /* wake it */
        pthread_join(w->thread, NULL);
    }
    if (w->sub) gr_bus_unsubscribe(w->sub);
    crm_store_close(w->st);
    if (w->curl_init) curl_global_cleanup();
    free(w->dir);
    free(w->smtp_url);
    free(w->smtp_user);
    free(w->smtp_password);
    free(w->from);
    free(w->to);
    free(w);
}
