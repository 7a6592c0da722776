/* sync_cli.c - `greeter sync status|once|retry-dead` (docs/CLI.md). */
#define GR_LOG_MODULE "sync"
#include "crm/bitrix24.h"
#include "crm/carddav.h"
#include "crm/cli.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "crm/outbox.h"
#include "crm/sync.h"
#include "crm/sync_engine.h"
#include "crm/sync_fleet.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

static int usage(void) {
    fprintf(stderr, "usage: greeter sync status | once | retry-dead\n"
                    "  status      JSON: pending, dead, held, paused, last_error, dead_rows\n"
                    "  once        deliver what is pending now (not while greeterd's agent runs)\n"
                    "  retry-dead  put the rows the CRM refused back in the queue\n");
    return 2;
}

static int print_json(json_t *j) {
    char *t = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!t) return 1;
    printf("%s\n", t);
    free(t);
    return 0;
}

static int cmd_status(const gr_config_t *cfg, crm_store_t *st) {
    json_t *j = NULL, *dead = NULL;
    if (crm_sync_status_json(st, &j) != GR_OK || crm_outbox_dead_list(st, 50, &dead) != GR_OK) {
        json_decref(j);
        fprintf(stderr, "greeter sync: cannot read the sync state\n");
        return 1;
    }
    const char *url = gr_config_str(cfg, GR_SET_SYNC_BITRIX24_URL);
    json_object_set_new(j, "configured", json_boolean(url && *url));
    const char *dav = gr_config_str(cfg, GR_SET_SYNC_CARDDAV_URL);
    json_object_set_new(json_object_get(j, "carddav"), "configured", json_boolean(dav && *dav));
    json_object_set_new(j, "dead_rows", dead);
    return print_json(j);
}

static void store_result(crm_store_t *st, const char *target, int rc, const char *msg) {
    char now[40];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if ((rc == GR_OK && crm_outbox_state_set(st, target, "last_ok_at", now) != GR_OK) ||
        crm_outbox_state_set(st, target, "last_error", rc == GR_OK ? NULL : msg) != GR_OK ||
        crm_outbox_state_set(st, target, "paused", rc == GR_ERR_AUTH ? "1" : NULL) != GR_OK)
        fprintf(stderr, "greeter sync: could not store the sync state\n");
}

static int cmd_once(const gr_config_t *cfg, crm_store_t *st) {
    char err[256], dev[65], lock[4200];
    const char *url = gr_config_str(cfg, GR_SET_SYNC_BITRIX24_URL);
    const char *dav = gr_config_str(cfg, GR_SET_SYNC_CARDDAV_URL);
    if ((!url || !*url) && (!dav || !*dav)) {
        fprintf(stderr, "greeter sync: neither sync.bitrix24_url nor sync.carddav_url is set\n");
        return 2;
    }
    if (crm_sync_device_id(cfg, dev, sizeof dev) != GR_OK) {
        fprintf(stderr, "greeter sync: set device.id (no /etc/machine-id to derive it from)\n");
        return 2;
    }
    crm_b24_t *b24 = NULL;
    crm_dav_t *dv = NULL;
    if (url && *url &&
        crm_b24_new(url, gr_config_double(cfg, GR_SET_SYNC_RATE), (double)gr_config_int(cfg, GR_SET_SYNC_TIMEOUT_S), &b24, err,
                    sizeof err) != GR_OK) {
        fprintf(stderr, "greeter sync: sync.bitrix24_url: %s\n", err);
        return 2;
    }
    if (dav && *dav &&
        crm_dav_new(dav, gr_config_str(cfg, GR_SET_SYNC_CARDDAV_USER), gr_config_str(cfg, GR_SET_SYNC_CARDDAV_PASSWORD),
                    (double)gr_config_int(cfg, GR_SET_SYNC_TIMEOUT_S), &dv, err, sizeof err) != GR_OK) {
        fprintf(stderr, "greeter sync: sync.carddav_url: %s\n", err);
        crm_b24_free(b24);
        return 2;
    }
    snprintf(lock, sizeof lock, "%s/sync.lock", gr_config_str(cfg, GR_SET_STORAGE_DIR));
    int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0) {
        fprintf(stderr, "greeter sync: %s\n",
                fd < 0 ? strerror(errno) : "greeterd's sync agent is running and delivers on its own");
        if (fd >= 0) close(fd);
        crm_b24_free(b24);
        crm_dav_free(dv);
        return 3;
    }
    int rc = GR_OK, drc = GR_OK;
    crm_sync_engine_t e = {.st = st,
                           .b24 = b24,
                           .use_batch = gr_config_bool(cfg, GR_SET_SYNC_BATCH),
                           .device_id = dev,
                           .device_name = gr_config_str(cfg, GR_SET_DEVICE_NAME),
                           .visit_source = gr_config_str(cfg, GR_SET_SYNC_VISIT_SOURCE),
                           .bitrix24_users = gr_config_str(cfg, GR_SET_SYNC_BITRIX24_USERS),
                           .storage_dir = gr_config_str(cfg, GR_SET_STORAGE_DIR)};
    unsigned long requests = 0;
    crm_fleet_pull_t pulled = {0};
    if (b24) {
        rc = crm_sync_engine_pass(&e);
        if (rc == GR_OK) rc = crm_sync_fleet_pull(&e, &pulled);
        store_result(st, "bitrix24", rc, rc == GR_ERR_NET || rc == GR_ERR_AUTH ? e.last_error : gr_strerror(rc));
        requests = crm_b24_requests(b24);
    }
    crm_dav_result_t dres = {0};
    if (dv) {
        drc = crm_dav_pass(dv, st, dev, &dres);
        store_result(st, "carddav", drc,
                     drc == GR_ERR_NET || drc == GR_ERR_AUTH ? dres.last_error : gr_strerror(drc));
    }
    crm_b24_free(b24);
    crm_dav_free(dv);
    close(fd);
    json_t *j = NULL;
    if (crm_sync_status_json(st, &j) != GR_OK) return 1;
    json_object_set_new(j, "delivered", json_integer((json_int_t)e.delivered));
    json_object_set_new(j, "refused", json_integer((json_int_t)e.dead));
    json_object_set_new(j, "requests", json_integer((json_int_t)requests));
    json_object_set_new(j, "pulled", json_pack("{s:I,s:I,s:I}", "added", (json_int_t)pulled.added, "updated",
                                               (json_int_t)pulled.updated, "cleared", (json_int_t)pulled.cleared));
    json_t *c = json_object_get(j, "carddav");
    json_object_set_new(c, "written", json_integer((json_int_t)dres.written));
    json_object_set_new(c, "deleted", json_integer((json_int_t)dres.deleted));
    json_object_set_new(c, "refused", json_integer((json_int_t)dres.refused));
    print_json(j);
    return rc == GR_OK && drc == GR_OK ? 0 : 1;
}

int crm_cli_sync(const gr_config_t *cfg, int argc, char **argv) {
    if (argc != 2) return usage();
    const char *sub = argv[1];
    if (strcmp(sub, "status") != 0 && strcmp(sub, "once") != 0 && strcmp(sub, "retry-dead") != 0) return usage();
    char err[1024];
    crm_store_t *st = NULL;
    crm_opts_t opts;
    crm_opts_from_config(cfg, &opts);
    if (crm_store_open_dir(gr_config_str(cfg, GR_SET_STORAGE_DIR), &opts, &st, err, sizeof err) != GR_OK) {
        fprintf(stderr, "greeter sync: %s\n", err);
        return 1;
    }
    int code;
    if (strcmp(sub, "status") == 0) {
        code = cmd_status(cfg, st);
    } else if (strcmp(sub, "once") == 0) {
        code = cmd_once(cfg, st);
    } else {
        int64_t n = 0;
        code = crm_outbox_retry_dead(st, "bitrix24", &n) == GR_OK ? 0 : 1;
        if (code == 0) printf("{\"requeued\":%lld}\n", (long long)n);
    }
    crm_store_close(st);
    return code;
}
