/* greeterd - the appliance daemon.
 *
 * Threads: main (signals, supervision), vision (capture / detect / recognise),
 * web (libmicrohttpd's pool), sync (outbox delivery). Signals are blocked in
 * every thread and taken by the main thread with sigtimedwait, so no handler
 * runs at all; shutdown is the ordinary path below: stop producers, stop
 * consumers, close the database.
 */
#define GR_LOG_MODULE "greeterd"
#include "bus.h"
#include "cli.h"
#include "config.h"
#include "err.h"
#include "log.h"
#include "models.h"
#include "ring.h"
#include "store.h"
#include "sync.h"
#include "version.h"
#include "vision.h"
#include "web.h"
#include "worker.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void usage(FILE *f) {
    fprintf(f,
            "usage: greeterd [--config FILE] [--section.key=value ...] [--version] [--help]\n"
            "Runs the Greeter appliance until SIGINT or SIGTERM.\n"
            "Settings and their defaults: greeter config --defaults\n");
}

int main(int argc, char **argv) {
    char err[1024];
    gr_config_t *cfg = NULL;
    int rc = gr_config_from_args(&cfg, &argc, argv, err, sizeof err);
    if (rc != GR_OK) {
        fprintf(stderr, "greeterd: %s\n", err);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--version") == 0) {
            printf("greeterd %s\n", GR_VERSION);
            gr_config_free(cfg);
            return 0;
        }
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            gr_config_free(cfg);
            return 0;
        }
        fprintf(stderr, "greeterd: unknown argument '%s'\n", argv[i]);
        usage(stderr);
        gr_config_free(cfg);
        return 2;
    }

    /* Block the signals before any thread starts so every thread inherits it. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    int exit_code = 1;
    crm_store_t *store = NULL;
    gr_bus_t *bus = NULL;
    gr_ring_t *ring = NULL;
    web_server_t *web = NULL;
    vis_pipeline_t *vision = NULL;
    crm_sync_t *sync = NULL;
    crm_worker_t *worker = NULL;

    LOG_I("greeterd %s starting, state in %s", GR_VERSION, gr_config_str(cfg, "storage.dir"));
    rc = crm_store_open_dir(gr_config_str(cfg, "storage.dir"), &store, err, sizeof err);
    if (rc != GR_OK) {
        LOG_E("%s", err);
        goto out;
    }
    LOG_I("database %s at schema version %d", crm_store_path(store), crm_store_version(store));

    const char *source = gr_config_str(cfg, "camera.source");
    if (strcmp(source, "none") != 0) {
        rc = gr_models_check(gr_config_str(cfg, "models.dir"), 0, err, sizeof err);
        if (rc != GR_OK) {
            LOG_E("%s", err);
            goto out;
        }
    }

    bus = gr_bus_new();
    ring = gr_ring_new(4);
    if (!bus || !ring) {
        LOG_E("out of memory");
        goto out;
    }
    /* Consumers first, so no early event is lost. */
    rc = web_server_open(cfg, bus, ring, &web);
    if (rc != GR_OK && rc != GR_ERR_UNSUPPORTED) {
        LOG_E("web UI failed to start: %s", gr_strerror(rc));
        goto out;
    }
    rc = crm_sync_open(cfg, bus, &sync);
    if (rc != GR_OK && rc != GR_ERR_UNSUPPORTED) {
        LOG_E("sync agent failed to start: %s", gr_strerror(rc));
        goto out;
    }
    rc = crm_worker_open(cfg, bus, &worker);
    if (rc != GR_OK && rc != GR_ERR_UNSUPPORTED) {
        LOG_E("CRM worker failed to start: %s", gr_strerror(rc));
        goto out;
    }
    if (strcmp(source, "none") != 0) {
        rc = vis_pipeline_open(cfg, bus, ring, &vision);
        if (rc != GR_OK && rc != GR_ERR_UNSUPPORTED) {
            LOG_E("face pipeline failed to start: %s", gr_strerror(rc));
            goto out;
        }
    }
    LOG_I("ready");

    for (;;) {
        struct timespec tick = {1, 0};
        int sig = sigtimedwait(&sigs, NULL, &tick);
        if (sig == SIGINT || sig == SIGTERM) {
            LOG_I("signal %d: shutting down", sig);
            break;
        }
        if (sig == SIGHUP) LOG_I("SIGHUP ignored (restart to apply settings)");
    }
    exit_code = 0;

out:
    /* Producers first, then consumers, then storage. */
    if (bus) gr_bus_stop(bus);
    if (ring) gr_ring_stop(ring);
    vis_pipeline_close(vision);
    crm_worker_close(worker);
    crm_sync_close(sync);
    web_server_close(web);
    gr_ring_free(ring);
    gr_bus_free(bus);
    crm_store_close(store);
    gr_config_free(cfg);
    LOG_I("stopped");
    return exit_code;
}
