/* storage.c - see storage.h. */
#define GR_LOG_MODULE "storage"
#include "firmware/core/storage.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static atomic_int low_flag;
static atomic_ulong skipped;

int gr_storage_is_low(void) { return atomic_load(&low_flag); }

void gr_storage_set_low(int low) { atomic_store(&low_flag, low ? 1 : 0); }

int gr_storage_apply_event(const char *json) {
    json_error_t jerr;
    json_t *j = json ? json_loads(json, 0, &jerr) : NULL;
    json_t *v = json_is_object(j) ? json_object_get(j, "low") : NULL;
    int rc = GR_ERR_FORMAT;
    if (json_is_boolean(v)) {
        gr_storage_set_low(json_is_true(v));
        rc = GR_OK;
    }
    json_decref(j);
    return rc;
}

int gr_storage_skip(gr_storage_writer_t *w) {
    int low = gr_storage_is_low();
    if (atomic_exchange(&w->skipping, low) != low) {
        if (low)
            LOG_W("disk almost full (storage.low): %s are not stored until space is freed; "
                  "the records are still written",
                  w->what);
        else
            LOG_I("disk space back (storage.low cleared): storing %s again", w->what);
    }
    if (low) atomic_fetch_add(&skipped, 1);
    return low;
}

unsigned long gr_storage_skipped(void) { return atomic_load(&skipped); }

void gr_storage_write_metrics(FILE *f) {
    fprintf(f,
            "# HELP greeter_storage_low 1 while free disk under storage.dir is below storage.min_free_mb "
            "(snapshots and card images are not stored).\n"
            "# TYPE greeter_storage_low gauge\ngreeter_storage_low %d\n"
            "# HELP greeter_storage_skipped_files_total Snapshots and card images not stored because the disk "
            "was almost full.\n"
            "# TYPE greeter_storage_skipped_files_total counter\ngreeter_storage_skipped_files_total %lu\n",
            gr_storage_is_low(), gr_storage_skipped());
}

struct gr_storage_watch {
    gr_bus_sub_t *sub;
    pthread_t thread;
    atomic_int stop;
};

static void *watch_main(void *arg) {
    gr_storage_watch_t *w = arg;
    /* Short waits, so gr_storage_unwatch needs no gr_bus_stop first. */
    while (!atomic_load(&w->stop)) {
        char *topic = NULL, *json = NULL;
        int rc = gr_bus_next(w->sub, &topic, &json, 200);
        if (rc == GR_ERR_STOPPED) break;
        /* The bus matches by prefix: take "storage.low" itself only. */
        if (rc == GR_OK && strcmp(topic, "storage.low") == 0 && gr_storage_apply_event(json) != GR_OK) {
            static gr_log_burst_t burst;
            if (gr_log_burst(&burst, 300)) LOG_W("ignoring a storage.low event without \"low\": %.80s", json);
        }
        free(topic);
        free(json);
    }
    return NULL;
}

int gr_storage_watch(gr_bus_t *bus, gr_storage_watch_t **out) {
    *out = NULL;
    gr_storage_watch_t *w = calloc(1, sizeof *w);
    if (!w) return GR_ERR_NOMEM;
    w->sub = gr_bus_subscribe(bus, "storage.low", 16);
    if (!w->sub) {
        free(w);
        return GR_ERR_NOMEM;
    }
    if (pthread_create(&w->thread, NULL, watch_main, w) != 0) {
        gr_bus_unsubscribe(w->sub);
        free(w);
        return GR_ERR_IO;
    }
    *out = w;
    return GR_OK;
}

void gr_storage_unwatch(gr_storage_watch_t *w) {
    if (!w) return;
    atomic_store(&w->stop, 1);
    pthread_join(w->thread, NULL);
    gr_bus_unsubscribe(w->sub);
    free(w);
}
