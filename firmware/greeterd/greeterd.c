/* greeterd - the appliance daemon.
 *
 * Threads: main (signals, supervision), vision (capture / detect / recognise),
 * web (libmicrohttpd's pool), sync (outbox delivery). Signals are blocked in
 * every thread and taken by the main thread with sigtimedwait, so no handler
 * runs at all; shutdown is the ordinary path below: stop producers, stop
 * consumers, checkpoint and close the database.
 *
 * Between signals the main thread supervises (firmware/greeterd/supervise.h):
 *  - the face pipeline: restarted with back-off when it stops delivering
 *    frames or fails to open (camera unplugged), while the web UI stays up;
 *  - systemd: READY=1 once started, STATUS= on every change, WATCHDOG=1 while
 *    the pipeline is healthy (or within supervise.watchdog_grace_s of an
 *    outage), STOPPING=1 at shutdown (firmware/greeterd/sdnotify.h);
 *  - free disk under storage.dir against storage.min_free_mb: a warning and
 *    the bus event "storage.low" {"low":true|false,...}, which the storage
 *    watcher (firmware/core/storage.h) turns into the flag the writers of visit
 *    snapshots and card images check: while low they record without the file;
 *  - wall-clock jumps against the boot-time clock: logged and published as
 *    "system.clock" {"jump_s":N}.
 */
#define GR_LOG_MODULE "greeterd"
#include "firmware/core/bus.h"
#include "crm/cli.h"
#include "crm/face_store.h"
#include "firmware/core/config.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "firmware/core/models.h"
#include "firmware/core/ring.h"
#include "firmware/greeterd/sdnotify.h"
#include "firmware/core/storage.h"
#include "crm/store.h"
#include "firmware/greeterd/supervise.h"
#include "crm/sync.h"
#include "firmware/core/version.h"
#include "vision/vision.h"
#include "web/web.h"
#include "crm/worker.h"

#include <signal.h>
#include <sys/stat.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How often free disk is measured, and how often "storage.low" is repeated
 * while low (for subscribers that joined late). */
#define DISK_CHECK_S 10.0
#define DISK_REPEAT_S 60.0

/* The face pipeline as a supervised part, storing into crm's tables on a
 * connection of its own (faces_db, used by the pipeline's recogniser thread). */
typedef struct {
    const gr_config_t *cfg;
    gr_bus_t *bus;
    gr_ring_t *ring;
    crm_store_t *faces_db;
} vision_ctx_t;

/* A connection to <storage.dir>/greeter.db carrying the CRM's settings; a
 * failure is logged with what (NULL: the message alone). */
static int open_db(const gr_config_t *cfg, const char *what, crm_store_t **st) {
    char err[1024];
    crm_opts_t opts;
    crm_opts_from_config(cfg, &opts);
    int rc = crm_store_open_dir(gr_config_str(cfg, GR_SET_STORAGE_DIR), &opts, st, err, sizeof err);
    if (rc != GR_OK) LOG_E("%s%s%s", what ? what : "", what ? ": " : "", err);
    return rc;
}

static int vision_open(void *ctx, void **handle) {
    vision_ctx_t *v = ctx;
    int rc = open_db(v->cfg, "face pipeline", &v->faces_db);
    if (rc != GR_OK) return rc;
    vis_store_t faces;
    crm_face_store_bind(v->faces_db, &faces);
    vis_pipeline_t *p = NULL;
    rc = vis_pipeline_open(v->cfg, &faces, v->bus, v->ring, &p);
    if (rc == GR_OK) {
        *handle = p;
    } else {
        crm_store_close(v->faces_db);
        v->faces_db = NULL;
    }
    return rc;
}

static void vision_close(void *ctx, void *handle) {
    vision_ctx_t *v = ctx;
    vis_pipeline_close(handle);
    crm_store_close(v->faces_db);
    v->faces_db = NULL;
}

static int vision_healthy(void *ctx, const void *handle) {
    (void)ctx;
    return vis_pipeline_healthy(handle);
}

static const fw_part_ops_t vision_ops = {vision_open, vision_close, vision_healthy};

/* Signals are blocked in every thread greeterd creates and taken by the main
 * thread with sigtimedwait. But OpenBLAS (linked through dlib) starts its
 * thread pool in a library constructor, before main() runs, with nothing
 * blocked: a SIGTERM arriving while the main thread is busy (reopening the
 * pipeline) would be delivered there and kill the process without a clean
 * shutdown. This handler catches that case and only records the signal; the
 * main loop reads it on its next tick. */
static atomic_int stray_signal;

static void on_stray_signal(int sig) { atomic_store(&stray_signal, sig); }

static double now_boot(void) {
    struct timespec ts;
    clock_gettime(CLOCK_BOOTTIME, &ts); /* counts suspend, unlike CLOCK_MONOTONIC */
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now_wall(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void publish_disk(gr_bus_t *bus, const fw_disk_t *d, long long min_mb) {
    char json[128];
    snprintf(json, sizeof json, "{\"low\":%s,\"free_mb\":%lld,\"min_free_mb\":%lld}",
             d->low ? "true" : "false", d->free_mb, min_mb);
    if (gr_bus_publish(bus, "storage.low", json) != GR_OK) LOG_W("could not publish storage.low");
}

/* The STATUS= line: the pipeline's state and the disk's. */
static void describe(char *buf, size_t len, const fw_part_t *vision, const fw_disk_t *disk, long long min_mb,
                     double now) {
    char part[160] = "vision: off (camera.source=none)";
    if (vision) fw_part_describe(vision, now, part, sizeof part);
    if (disk->free_mb < 0)
        snprintf(buf, len, "%s; disk: unknown", part);
    else if (disk->low)
        snprintf(buf, len, "%s; disk LOW: %lld MB free (< %lld MB)", part, disk->free_mb, min_mb);
    else
        snprintf(buf, len, "%s; disk: %lld MB free", part, disk->free_mb);
}

static void usage(FILE *f) {
    fprintf(f,
            "usage: greeterd [--config FILE] [--section.key=value ...] [--version] [--help]\n"
            "Runs the Greeter appliance until SIGINT or SIGTERM.\n"
            "Settings and their defaults: greeter config --defaults\n");
}

/* Everything greeterd runs; each part is owned here and nowhere else. */
typedef struct {
    gr_config_t *cfg;
    fw_notify_t *notify;
    crm_store_t *store;
    gr_bus_t *bus;
    gr_ring_t *ring;
    gr_storage_watch_t *storage_watch;
    web_server_t *web;
    crm_sync_t *sync;
    unsigned long long sync_fp; /* the sync settings the agent was started with (sync_fingerprint) */
    crm_worker_t *worker;
    vision_ctx_t vctx;
    fw_part_t *vision; /* NULL with camera.source=none */
} daemon_t;

/* The command line: settings into d->cfg; returns -1 to go on, else the exit code. */
static int parse_args(daemon_t *d, int argc, char **argv) {
    char err[1024];
    int rc = gr_config_from_args(&d->cfg, &argc, argv, err, sizeof err);
    if (rc != GR_OK) {
        fprintf(stderr, "greeterd: %s\n", err);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--version") == 0) {
            printf("greeterd %s\n", GR_VERSION);
            return 0;
        }
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        fprintf(stderr, "greeterd: unknown argument '%s'\n", argv[i]);
        usage(stderr);
        return 2;
    }
    return -1;
}

/* Block the signals before any thread starts so every thread inherits it;
 * the stray-signal handler covers threads started before main (above). */
static void block_signals(sigset_t *sigs) {
    sigemptyset(sigs);
    sigaddset(sigs, SIGINT);
    sigaddset(sigs, SIGTERM);
    sigaddset(sigs, SIGHUP);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stray_signal;
    sa.sa_mask = *sigs;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    pthread_sigmask(SIG_BLOCK, sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static int camera_on(const daemon_t *d) { return strcmp(gr_config_str(d->cfg, GR_SET_CAMERA_SOURCE), "none") != 0; }

/* A part that may be left out of this build (GR_ERR_UNSUPPORTED) is not an error. */
static int started(int rc, const char *what) {
    if (rc == GR_OK || rc == GR_ERR_UNSUPPORTED) return GR_OK;
    LOG_E("%s failed to start: %s", what, gr_strerror(rc));
    return rc;
}

/* --- the parts, in the order they start; they stop in the reverse order --- */

static int start_notify(daemon_t *d) {
    int rc = fw_notify_open(&d->notify);
    if (rc != GR_OK) LOG_W("NOTIFY_SOCKET unusable (%s): no systemd notifications", gr_strerror(rc));
    LOG_I("greeterd %s starting, state in %s", GR_VERSION, gr_config_str(d->cfg, GR_SET_STORAGE_DIR));
    return GR_OK;
}

static void stop_notify(daemon_t *d) {
    fw_notify_close(d->notify);
    d->notify = NULL;
}

static int open_store(daemon_t *d) {
    /* A schema migration after an update may take minutes on a large
     * database (0006: ~30 s per 100,000 contacts on x86-64, more on a Pi):
     * more than the unit's TimeoutStartSec, and a start killed mid-way rolls
     * the migration back, so the next start would fail the same way. */
    fw_notify_send(d->notify, "EXTEND_TIMEOUT_USEC=%llu\nSTATUS=opening the database (a migration may take minutes)",
                   1800ULL * 1000000ULL);
    int rc = open_db(d->cfg, NULL, &d->store);
    if (rc != GR_OK) return rc;
    LOG_I("database %s at schema version %d", crm_store_path(d->store), crm_store_version(d->store));
    return GR_OK;
}

static void close_store(daemon_t *d) {
    /* Fold the write-ahead log into the database file, so a backup of
     * greeter.db alone is complete and a power cut after this loses nothing. */
    if (d->store && crm_store_exec(d->store, "PRAGMA wal_checkpoint(TRUNCATE)") != GR_OK)
        LOG_W("database checkpoint at shutdown failed");
    crm_store_close(d->store);
    d->store = NULL;
}

static int check_models(daemon_t *d) {
    char err[1024];
    if (!camera_on(d)) return GR_OK;
    int rc = gr_models_check(gr_config_str(d->cfg, GR_SET_MODELS_DIR), 0, err, sizeof err);
    if (rc != GR_OK) LOG_E("%s", err);
    return rc;
}

static int open_bus(daemon_t *d) {
    d->bus = gr_bus_new();
    d->ring = gr_ring_new(4);
    if (d->bus && d->ring) return GR_OK;
    LOG_E("out of memory");
    return GR_ERR_NOMEM;
}

static void close_bus(daemon_t *d) {
    gr_ring_free(d->ring);
    gr_bus_free(d->bus);
    d->ring = NULL;
    d->bus = NULL;
}

/* Consumers start before the producer (vision), so no early event is lost. */
static int start_storage_watch(daemon_t *d) { return started(gr_storage_watch(d->bus, &d->storage_watch), "storage watcher"); }

static void stop_storage_watch(daemon_t *d) { gr_storage_unwatch(d->storage_watch); }

static int start_web(daemon_t *d) {
    int rc = started(web_server_open(d->cfg, d->bus, d->ring, &d->web), "web UI");
    if (rc == GR_OK && d->web) LOG_I("web UI listening on port %d", web_server_port(d->web));
    return rc;
}

static void stop_web(daemon_t *d) { web_server_close(d->web); }

/* FNV-1a over every sync.* setting: the Settings page changes them live,
 * and the supervisor restarts the agent when this changes. */
static unsigned long long sync_fingerprint(const gr_config_t *cfg) {
    static const gr_set_t ids[] = {GR_SET_SYNC_BITRIX24_URL, GR_SET_SYNC_RATE, GR_SET_SYNC_BATCH, GR_SET_SYNC_VISIT_SOURCE, GR_SET_SYNC_BITRIX24_USERS,
                              GR_SET_SYNC_PULL_INTERVAL_S, GR_SET_SYNC_CARDDAV_URL, GR_SET_SYNC_CARDDAV_USER,
                              GR_SET_SYNC_CARDDAV_PASSWORD, GR_SET_SYNC_TIMEOUT_S, GR_SET_SYNC_BACKOFF_MAX_S};
    unsigned long long h = 1469598103934665603ULL;
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        for (const char *p = gr_config_str(cfg, ids[i]); *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        h = (h ^ 0xff) * 1099511628211ULL; /* a separator */
    }
    return h;
}

static int start_sync(daemon_t *d) {
    d->sync_fp = sync_fingerprint(d->cfg);
    return started(crm_sync_open(d->cfg, d->bus, &d->sync), "sync agent");
}

static void stop_sync(daemon_t *d) { crm_sync_close(d->sync); }

static int start_worker(daemon_t *d) { return started(crm_worker_open(d->cfg, d->bus, &d->worker), "CRM worker"); }

static void stop_worker(daemon_t *d) { crm_worker_close(d->worker); }

/* A pipeline that fails to open (camera unplugged) is retried with back-off
 * by the supervisor; the web UI runs meanwhile. */
static int start_vision(daemon_t *d) {
    if (!camera_on(d)) return GR_OK;
    fw_part_policy_t pol = {
        .stall_s = (double)gr_config_int(d->cfg, GR_SET_SUPERVISE_STALL_S),
        .backoff_min_s = 1,
        .backoff_max_s = (double)gr_config_int(d->cfg, GR_SET_SUPERVISE_RESTART_MAX_S),
        .grace_s = (double)gr_config_int(d->cfg, GR_SET_SUPERVISE_WATCHDOG_GRACE_S),
    };
    d->vctx = (vision_ctx_t){d->cfg, d->bus, d->ring, NULL};
    d->vision = fw_part_new("vision", &vision_ops, &d->vctx, &pol);
    if (!d->vision) {
        LOG_E("out of memory");
        return GR_ERR_NOMEM;
    }
    int rc = fw_part_start(d->vision, gr_now_mono());
    if (rc != GR_OK && rc != GR_ERR_UNSUPPORTED) LOG_E("face pipeline failed to start: %s (will retry)", gr_strerror(rc));
    return GR_OK;
}

static void stop_vision(daemon_t *d) { fw_part_free(d->vision); }

static const struct {
    int (*start)(daemon_t *);
    void (*stop)(daemon_t *);
} parts[] = {
    {start_notify, stop_notify},               /* systemd: READY, STATUS, WATCHDOG */
    {open_store, close_store},                 /* the database, migrated */
    {check_models, NULL},                      /* the face models, when a camera is on */
    {open_bus, close_bus},                     /* the event bus and the frame ring */
    {start_storage_watch, stop_storage_watch}, /* the disk-low flag */
    {start_web, stop_web},                     /* the web UI and API */
    {start_sync, stop_sync},                   /* the outbox to Bitrix24 / CardDAV */
    {start_worker, stop_worker},               /* e-mail to managers, retention */
    {start_vision, stop_vision},               /* the face pipeline, supervised */
};
#define N_PARTS (sizeof parts / sizeof parts[0])

/* --- supervision: the main thread's loop until SIGINT or SIGTERM --- */

typedef struct {
    const char *state_dir;
    long long min_mb;
    fw_disk_t disk;
    double next_disk, last_disk_pub;
} disk_watch_t;

/* Free disk every DISK_CHECK_S: a warning and "storage.low" on each change,
 * repeated every DISK_REPEAT_S while low. */
static void check_disk(disk_watch_t *w, gr_bus_t *bus, double now) {
    if (now < w->next_disk) return;
    w->next_disk = now + DISK_CHECK_S;
    long long free_mb = fw_disk_free_mb(w->state_dir);
    static gr_log_burst_t statvfs_burst;
    if (free_mb < 0 && gr_log_burst(&statvfs_burst, 300))
        LOG_W("cannot measure free space in %s: %s", w->state_dir, gr_strerror((int)free_mb));
    if (fw_disk_update(&w->disk, free_mb, w->min_mb)) {
        if (w->disk.low)
            LOG_W("disk almost full: %lld MB free in %s (storage.min_free_mb=%lld); "
                  "telling the parts to stop writing snapshots and card images (storage.low)",
                  w->disk.free_mb, w->state_dir, w->min_mb);
        else
            LOG_I("disk space recovered: %lld MB free (storage.low cleared)", w->disk.free_mb);
        publish_disk(bus, &w->disk, w->min_mb);
        w->last_disk_pub = now;
    } else if (w->disk.low && now - w->last_disk_pub >= DISK_REPEAT_S) {
        publish_disk(bus, &w->disk, w->min_mb);
        w->last_disk_pub = now;
    }
}

static void check_clock(fw_clock_t *clk, gr_bus_t *bus, double jump_s) {
    double jump = fw_clock_check(clk, now_wall(), now_boot(), jump_s);
    if (jump == 0) return;
    char json[64];
    LOG_W("wall clock jumped by %+.0f s (time sync or manual change); timestamps before now may be off", jump);
    snprintf(json, sizeof json, "{\"jump_s\":%.0f}", jump);
    if (gr_bus_publish(bus, "system.clock", json) != GR_OK) LOG_W("could not publish system.clock");
}

/* The sync agent follows its settings without a restart of greeterd (the
 * Settings page and the System page's sync card save them live), and the
 * sync card's Retry restarts it so it tries at once ({"action":"retry"} on
 * "system.sync", published by web/sync_health.c). */
static void follow_sync(daemon_t *d, gr_bus_sub_t *sub) {
    char *topic = NULL, *json = NULL;
    int retry = 0;
    while (sub && gr_bus_next(sub, &topic, &json, 0) == GR_OK) {
        if (json && strstr(json, "\"retry\"")) retry = 1;
        free(topic);
        free(json);
        topic = json = NULL;
    }
    unsigned long long fp = sync_fingerprint(d->cfg);
    if (fp == d->sync_fp && !retry) return;
    /* A fresh agent tries at once: no back-off left from earlier failures. */
    LOG_I(retry ? "sync: retry asked for: restarting the sync agent" : "sync settings changed: restarting the sync agent");
    stop_sync(d);
    d->sync = NULL;
    if (start_sync(d) != GR_OK) LOG_E("the sync agent did not start again; fix the sync settings");
}

static void supervise(daemon_t *d, const sigset_t *sigs) {
    disk_watch_t disk = {gr_config_str(d->cfg, GR_SET_STORAGE_DIR), gr_config_int(d->cfg, GR_SET_STORAGE_MIN_FREE_MB),
                         {0, -1}, gr_now_mono(), 0};
    const double jump_s = (double)gr_config_int(d->cfg, GR_SET_SUPERVISE_CLOCK_JUMP_S);
    const long long wd_usec = fw_notify_watchdog_usec(d->notify);
    fw_clock_t clk = {0, 0};
    char status[512] = "", next_status[512];
    int wd_fed = 1;
    gr_bus_sub_t *sync_sub = gr_bus_subscribe(d->bus, "system.sync", 8);
    if (!sync_sub) LOG_W("no memory for the sync control subscription: Retry waits for the agent's next pass");

    /* The tick: 1 s, or half the watchdog interval when that is shorter. */
    long long tick_ns = 1000000000LL;
    if (wd_usec > 0 && wd_usec * 1000 / 2 < tick_ns) tick_ns = wd_usec * 1000 / 2;
    if (wd_usec > 0) LOG_I("systemd watchdog every %.1f s", (double)wd_usec / 1e6);

    LOG_I("ready");
    describe(status, sizeof status, d->vision, &disk.disk, disk.min_mb, gr_now_mono());
    if (fw_notify_send(d->notify, "READY=1\nSTATUS=%s", status) != GR_OK) LOG_W("sd_notify READY=1 failed");

    for (;;) {
        struct timespec tick = {tick_ns / 1000000000LL, tick_ns % 1000000000LL};
        int sig = sigtimedwait(sigs, NULL, &tick);
        if (sig <= 0) sig = atomic_exchange(&stray_signal, 0);
        if (sig == SIGINT || sig == SIGTERM) {
            LOG_I("signal %d: shutting down", sig);
            gr_bus_unsubscribe(sync_sub);
            return;
        }
        if (sig == SIGHUP) LOG_I("SIGHUP ignored (restart to apply settings)");
        double now = gr_now_mono();

        if (d->vision) fw_part_tick(d->vision, now);
        check_clock(&clk, d->bus, jump_s);
        check_disk(&disk, d->bus, now);
        follow_sync(d, sync_sub);

        describe(next_status, sizeof next_status, d->vision, &disk.disk, disk.min_mb, now);
        if (strcmp(next_status, status) != 0) {
            memcpy(status, next_status, sizeof status);
            LOG_D("status: %s", status);
            fw_notify_send(d->notify, "STATUS=%s", status);
        }

        if (wd_usec > 0) {
            int ok = d->vision ? fw_part_watchdog_ok(d->vision, now) : 1;
            if (ok) fw_notify_send(d->notify, "WATCHDOG=1");
            if (ok != wd_fed)
                LOG_W(ok ? "feeding the systemd watchdog again"
                         : "face pipeline down too long: no longer feeding the systemd watchdog");
            wd_fed = ok;
        }
    }
}

int main(int argc, char **argv) {
    /* The database, snapshots, keys and settings it writes are the visitors'
     * data: readable by greeterd's user only, however it is started (the
     * systemd unit sets the same UMask; a start by hand did not). */
    umask(077);
    daemon_t d = {0};
    int rc = parse_args(&d, argc, argv);
    if (rc >= 0) {
        gr_config_free(d.cfg);
        return rc;
    }
    sigset_t sigs;
    block_signals(&sigs);

    size_t n = 0; /* parts started */
    while (n < N_PARTS && parts[n].start(&d) == GR_OK) n++;
    const int all_started = n == N_PARTS;
    if (all_started) supervise(&d, &sigs);

    /* Wake every waiter, then stop producers, consumers and storage: the
     * reverse of the start order. */
    fw_notify_send(d.notify, "STOPPING=1\nSTATUS=shutting down");
    if (d.bus) gr_bus_stop(d.bus);
    if (d.ring) gr_ring_stop(d.ring);
    while (n-- > 0)
        if (parts[n].stop) parts[n].stop(&d);
    gr_config_free(d.cfg);
    LOG_I("stopped");
    return all_started ? 0 : 1;
}
