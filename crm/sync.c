/* sync.c - the sync agent thread of greeterd (see sync.h, docs/SYNC.md). */
#define GR_LOG_MODULE "sync"
#include "crm/sync.h"

#include "crm/bitrix24.h"
#include "crm/carddav.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "crm/outbox.h"
#include "crm/sync_engine.h"
#include "crm/sync_fleet.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#define TARGET "bitrix24"
#define IDLE_S 1.0 /* how often the outbox is looked at when idle */

struct crm_sync {
    const gr_config_t *cfg;   /* GR_LIVE CRM settings are read again before each pass */
    gr_bus_t *bus;
    crm_store_t *st;
    crm_b24_t *b24;           /* NULL: Bitrix24 off */
    crm_dav_t *dav;           /* NULL: CardDAV off */
    crm_sync_engine_t eng;
    char device_id[65], device_name[65], visit_source[65];
    char *bitrix24_users;     /* sync.bitrix24_users, copied at start */
    char *storage_dir;
    double backoff_max;
    double pull_interval, pull_at; /* fleet: contacts changed in the CRM */
    int lock_fd;
    pthread_t thread;
    int started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop, kick;
    char last_pub[512];
};

int crm_sync_device_id(const gr_config_t *cfg, char *buf, size_t len) {
    const char *id = gr_config_str(cfg, GR_SET_DEVICE_ID);
    if (id && *id) {
        snprintf(buf, len, "%s", id);
        return GR_OK;
    }
    FILE *f = fopen("/etc/machine-id", "r");
    char line[64] = "";
    if (f) {
        if (!fgets(line, sizeof line, f)) line[0] = '\0';
        fclose(f);
    }
    size_t k = 0;
    for (const char *p = line; *p && k < 12 && k + 1 < len; p++)
        if (isxdigit((unsigned char)*p)) buf[k++] = (char)tolower((unsigned char)*p);
    buf[k] = '\0';
    return k == 12 ? GR_OK : GR_ERR_NOTFOUND;
}

/* ---- status --------------------------------------------------------------- */

int crm_sync_status(crm_store_t *st, crm_sync_status_t *out) {
    memset(out, 0, sizeof *out);
    int rc = crm_outbox_counts(st, &out->pending, &out->dead);
    if (rc != GR_OK) return rc;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(crm_store_db(st), "SELECT count(*) FROM outbox WHERE state='pending' AND entity='person'",
                           -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        out->held = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    char v[16];
    if (crm_outbox_state_get(st, TARGET, "paused", v, sizeof v) == GR_OK) out->paused = strcmp(v, "1") == 0;
    if (crm_outbox_state_get(st, TARGET, "last_error", out->last_error, sizeof out->last_error) != GR_OK)
        out->last_error[0] = '\0';
    if (crm_outbox_state_get(st, TARGET, "last_ok_at", out->last_ok_at, sizeof out->last_ok_at) != GR_OK)
        out->last_ok_at[0] = '\0';
    if (crm_dav_pending(st, &out->dav_pending) != GR_OK) out->dav_pending = 0;
    if (crm_outbox_state_get(st, "carddav", "paused", v, sizeof v) == GR_OK) out->dav_paused = strcmp(v, "1") == 0;
    if (crm_outbox_state_get(st, "carddav", "last_error", out->dav_last_error, sizeof out->dav_last_error) != GR_OK)
        out->dav_last_error[0] = '\0';
    return GR_OK;
}

int crm_sync_status_json(crm_store_t *st, json_t **out) {
    crm_sync_status_t s;
    *out = NULL;
    int rc = crm_sync_status(st, &s);
    if (rc != GR_OK) return rc;
    *out = json_pack("{s:I,s:I,s:I,s:b,s:s,s:s,s:{s:I,s:b,s:s}}", "pending", (json_int_t)s.pending, "dead",
                     (json_int_t)s.dead, "held", (json_int_t)s.held, "paused", s.paused, "last_error", s.last_error,
                     "last_ok_at", s.last_ok_at, "carddav", "pending", (json_int_t)s.dav_pending, "paused",
                     s.dav_paused, "last_error", s.dav_last_error);
    return *out ? GR_OK : GR_ERR_NOMEM;
}

int crm_sync_metrics(crm_store_t *st, char *buf, size_t len) {
    crm_sync_status_t s;
    int rc = crm_sync_status(st, &s);
    if (rc != GR_OK) return rc;
    int n = snprintf(buf, len,
                     "# HELP greeter_sync_pending Outbox rows waiting for the CRM.\n"
                     "# TYPE greeter_sync_pending gauge\ngreeter_sync_pending %lld\n"
                     "# HELP greeter_sync_dead Outbox rows the CRM refused.\n"
                     "# TYPE greeter_sync_dead gauge\ngreeter_sync_dead %lld\n"
                     "# HELP greeter_sync_paused 1 when the CRM refused the webhook.\n"
                     "# TYPE greeter_sync_paused gauge\ngreeter_sync_paused %d\n",
                     (long long)s.pending, (long long)s.dead, s.paused);
    if (n < 0) return GR_ERR_IO;
    return (size_t)n < len ? n : (int)(len ? len - 1 : 0);
}

/* ---- the thread ------------------------------------------------------------- */

/* Wait up to `seconds` or until stopped/kicked; returns 1 when stopping. */
static int wait_for(crm_sync_t *s, double seconds, int wake_on_kick) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double t = (double)ts.tv_sec + ts.tv_nsec / 1e9 + seconds;
    ts.tv_sec = (time_t)t;
    ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
    pthread_mutex_lock(&s->mu);
    while (!s->stop && !(wake_on_kick && s->kick))
        if (pthread_cond_timedwait(&s->cv, &s->mu, &ts) == ETIMEDOUT) break;
    if (wake_on_kick) s->kick = 0;
    int stop = s->stop;
    pthread_mutex_unlock(&s->mu);
    return stop;
}

static int bucket_wait(void *ctx, double seconds) { return wait_for(ctx, seconds, 0); }
static int stopping(void *ctx) { return wait_for(ctx, 0, 0); }

static void iso_now(char *buf, size_t len) {
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void publish(crm_sync_t *s) {
    json_t *j = NULL;
    if (crm_sync_status_json(s->st, &j) != GR_OK) return;
    json_object_del(j, "held");
    json_object_del(j, "last_ok_at");
    char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    if (!text) return;
    if (strcmp(text, s->last_pub) != 0) {
        if (s->bus && gr_bus_publish(s->bus, "sync.state", text) != GR_OK) LOG_W("could not publish sync.state");
        snprintf(s->last_pub, sizeof s->last_pub, "%s", text);
    }
    free(text);
}

static void save_state(crm_sync_t *s, const char *target, const char *last_error, int paused) {
    char now[40];
    if (crm_outbox_state_set(s->st, target, "last_error", last_error && *last_error ? last_error : NULL) != GR_OK ||
        crm_outbox_state_set(s->st, target, "paused", paused ? "1" : NULL) != GR_OK)
        LOG_W("could not store the sync state");
    if (!last_error || !*last_error) {
        iso_now(now, sizeof now);
        if (crm_outbox_state_set(s->st, target, "last_ok_at", now) != GR_OK) LOG_W("could not store the sync state");
    }
}

/* Retry bookkeeping of one target. */
typedef struct {
    const char *target;
    int failures, fresh;
    double next_at;
    gr_log_burst_t burst;
} tstate_t;

/* After a pass of one target: store the state, return the wait. */
static double after_pass(crm_sync_t *s, tstate_t *t, int rc, const char *error, size_t progress, unsigned *seed) {
    if (rc == GR_OK) {
        if (t->failures || t->fresh || progress) save_state(s, t->target, NULL, 0);
        if (t->failures) LOG_I("%s reachable again", t->target);
        t->fresh = 0;
        t->failures = 0;
        return IDLE_S;
    }
    t->failures++;
    if (rc == GR_ERR_AUTH) {
        LOG_E("%s: %s sync paused (fix its URL or credentials); checking again in %.0f s", error, t->target,
              s->backoff_max);
        save_state(s, t->target, error, 1);
        return s->backoff_max;
    }
    double wait = crm_sync_backoff(t->failures, 1.0, s->backoff_max, (double)rand_r(seed) / ((double)RAND_MAX + 1));
    const char *msg = rc == GR_ERR_NET ? error : gr_strerror(rc);
    if (gr_log_burst(&t->burst, 60)) LOG_W("%s delivery failed (%s): retrying in %.1f s", t->target, msg, wait);
    save_state(s, t->target, msg, 0);
    return wait;
}

static void *run(void *arg) {
    crm_sync_t *s = arg;
    int locked = 0;
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    tstate_t tb = {.target = TARGET, .fresh = 1}, td = {.target = "carddav", .fresh = 1};
    while (!wait_for(s, 0, 0)) {
        if (!locked) {
            if (flock(s->lock_fd, LOCK_EX | LOCK_NB) == 0) {
                locked = 1;
            } else {
                LOG_D("another sync run (greeter sync once) holds the lock");
                if (wait_for(s, IDLE_S, 1)) break;
                continue;
            }
        }
        /* device.region may have changed on the Settings page (GR_LIVE). */
        crm_opts_t opts;
        crm_opts_from_config(s->cfg, &opts);
        crm_store_set_opts(s->st, &opts);
        double now = gr_now_mono();
        if (s->b24 && now >= tb.next_at) {
            int rc = crm_sync_engine_pass(&s->eng);
            if (rc == GR_ERR_STOPPED) break;
            /* The CRM takes the webhook again: clear the pause and the error
             * now, not after the pull below, which may take a while (status
             * would show "paused" beside an empty outbox meanwhile). */
            if (rc == GR_OK && tb.failures) save_state(s, tb.target, NULL, 0);
            if (rc == GR_OK && gr_now_mono() >= s->pull_at) {
                crm_fleet_pull_t pr;
                rc = crm_sync_fleet_pull(&s->eng, &pr);
                if (rc == GR_ERR_STOPPED) break;
                s->pull_at = gr_now_mono() + s->pull_interval;
                if (pr.added || pr.updated || pr.cleared)
                    LOG_I("pulled from the CRM: %zu new, %zu updated, %zu cleared contacts", pr.added, pr.updated,
                          pr.cleared);
                if (rc != GR_OK) s->pull_at = gr_now_mono(); /* after the back-off */
            }
            tb.next_at = gr_now_mono() + after_pass(s, &tb, rc, s->eng.last_error, s->eng.delivered + s->eng.dead, &seed);
        }
        if (s->dav && now >= td.next_at && !wait_for(s, 0, 0)) {
            crm_dav_result_t res;
            int rc = crm_dav_pass(s->dav, s->st, s->device_id, &res);
            td.next_at = gr_now_mono() + after_pass(s, &td, rc, res.last_error, res.written + res.deleted, &seed);
        }
        if (crm_outbox_prune_sent(s->st, s->dav != NULL) != GR_OK) LOG_W("could not clear the payloads of sent rows");
        publish(s);
        double next = s->b24 ? tb.next_at : td.next_at;
        if (s->dav && td.next_at < next) next = td.next_at;
        double wait = next - gr_now_mono();
        if (wait_for(s, wait > 0 ? wait : 0, 1)) break;
        /* A kick (new change) makes targets that are not backing off run now. */
        now = gr_now_mono();
        if (!tb.failures && tb.next_at > now) tb.next_at = now;
        if (!td.failures && td.next_at > now) td.next_at = now;
    }
    LOG_I("sync agent stopped");
    return NULL;
}

/* Store why a configured target is off, for the UI. */
static void target_off(const gr_config_t *cfg, const char *target, const char *setting, const char *why) {
    char sderr[256], msg[400];
    crm_store_t *st = NULL;
    crm_opts_t opts;
    LOG_E("%s: %s; %s sync off", setting, why, target);
    crm_opts_from_config(cfg, &opts);
    if (crm_store_open_dir(gr_config_str(cfg, GR_SET_STORAGE_DIR), &opts, &st, sderr, sizeof sderr) != GR_OK) return;
    snprintf(msg, sizeof msg, "%s: %s", setting, why);
    if (crm_outbox_state_set(st, target, "last_error", msg) != GR_OK ||
        crm_outbox_state_set(st, target, "paused", "1") != GR_OK)
        LOG_W("could not store the sync state");
    crm_store_close(st);
}

int crm_sync_open(const gr_config_t *cfg, gr_bus_t *bus, crm_sync_t **out) {
    char err[256];
    *out = NULL;
    const char *url = gr_config_str(cfg, GR_SET_SYNC_BITRIX24_URL);
    const char *dav = gr_config_str(cfg, GR_SET_SYNC_CARDDAV_URL);
    int rc;
    /* A bad URL must not stop the appliance: that target is off, and the
     * reason is stored where the UI and `greeter sync status` show it. */
    if (url && *url && crm_b24_url_check(url, err, sizeof err) != GR_OK) {
        target_off(cfg, TARGET, "sync.bitrix24_url", err);
        url = NULL;
    }
    if (dav && *dav && crm_dav_url_check(dav, err, sizeof err) != GR_OK) {
        target_off(cfg, "carddav", "sync.carddav_url", err);
        dav = NULL;
    }
    if ((!url || !*url) && (!dav || !*dav)) {
        LOG_I("sync off (no usable sync.bitrix24_url or sync.carddav_url)");
        return GR_ERR_UNSUPPORTED;
    }
    crm_sync_t *s = calloc(1, sizeof *s);
    if (!s) return GR_ERR_NOMEM;
    s->lock_fd = -1;
    pthread_mutex_init(&s->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cv, &ca);
    pthread_condattr_destroy(&ca);
    s->cfg = cfg;
    s->bus = bus;
    if (crm_sync_device_id(cfg, s->device_id, sizeof s->device_id) != GR_OK) {
        LOG_E("no device id: set device.id (no /etc/machine-id to derive it from)");
        rc = GR_ERR_INVAL;
        goto fail;
    }
    snprintf(s->device_name, sizeof s->device_name, "%s", gr_config_str(cfg, GR_SET_DEVICE_NAME));
    snprintf(s->visit_source, sizeof s->visit_source, "%s", gr_config_str(cfg, GR_SET_SYNC_VISIT_SOURCE));
    s->backoff_max = (double)gr_config_int(cfg, GR_SET_SYNC_BACKOFF_MAX_S);
    s->pull_interval = (double)gr_config_int(cfg, GR_SET_SYNC_PULL_INTERVAL_S);
    s->storage_dir = strdup(gr_config_str(cfg, GR_SET_STORAGE_DIR));
    s->bitrix24_users = strdup(gr_config_str(cfg, GR_SET_SYNC_BITRIX24_USERS));
    if (!s->storage_dir || !s->bitrix24_users) {
        rc = GR_ERR_NOMEM;
        goto fail;
    }
    crm_opts_t opts;
    crm_opts_from_config(cfg, &opts);
    rc = crm_store_open_dir(s->storage_dir, &opts, &s->st, err, sizeof err);
    if (rc != GR_OK) {
        LOG_E("sync: %s", err);
        goto fail;
    }
    char lock[4200];
    snprintf(lock, sizeof lock, "%s/sync.lock", s->storage_dir);
    s->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (s->lock_fd < 0) {
        LOG_E("cannot open %s: %s", lock, strerror(errno));
        rc = GR_ERR_IO;
        goto fail;
    }
    double rate = gr_config_double(cfg, GR_SET_SYNC_RATE);
    if (url && *url) {
        rc = crm_b24_new(url, rate, (double)gr_config_int(cfg, GR_SET_SYNC_TIMEOUT_S), &s->b24, err, sizeof err);
        if (rc != GR_OK) {
            LOG_E("sync: %s", err);
            goto fail;
        }
        crm_b24_set_wait(s->b24, bucket_wait, s);
    }
    if (dav && *dav) {
        rc = crm_dav_new(dav, gr_config_str(cfg, GR_SET_SYNC_CARDDAV_USER), gr_config_str(cfg, GR_SET_SYNC_CARDDAV_PASSWORD),
                         (double)gr_config_int(cfg, GR_SET_SYNC_TIMEOUT_S), &s->dav, err, sizeof err);
        if (rc != GR_OK) {
            LOG_E("sync: %s", err);
            goto fail;
        }
        crm_dav_set_cancel(s->dav, stopping, s);
    }
    s->eng = (crm_sync_engine_t){.st = s->st,
                                 .b24 = s->b24,
                                 .use_batch = gr_config_bool(cfg, GR_SET_SYNC_BATCH),
                                 .device_id = s->device_id,
                                 .device_name = s->device_name,
                                 .visit_source = s->visit_source,
                                 .bitrix24_users = s->bitrix24_users,
                                 .storage_dir = s->storage_dir};
    if (pthread_create(&s->thread, NULL, run, s) != 0) {
        rc = GR_ERR_NOMEM;
        goto fail;
    }
    s->started = 1;
    if (s->b24)
        LOG_I("sync to Bitrix24 on (device %s, %.1f req/s, batch %s)", s->device_id, rate,
              s->eng.use_batch ? "on" : "off");
    if (s->dav) LOG_I("sync to the CardDAV address book on (device %s)", s->device_id);
    *out = s;
    return GR_OK;
fail:
    crm_sync_close(s);
    return rc;
}

void crm_sync_kick(crm_sync_t *s) {
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    s->kick = 1;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

void crm_sync_close(crm_sync_t *s) {
    if (!s) return;
    if (s->started) {
        pthread_mutex_lock(&s->mu);
        s->stop = 1;
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
        pthread_join(s->thread, NULL);
    }
    crm_b24_free(s->b24);
    crm_dav_free(s->dav);
    crm_store_close(s->st);
    if (s->lock_fd >= 0) close(s->lock_fd);
    free(s->storage_dir);
    free(s->bitrix24_users);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
