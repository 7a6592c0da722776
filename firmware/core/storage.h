/* storage.h - "the disk is almost full": one process-wide flag the writers of
 * big files read before writing.
 *
 * greeterd measures free space under storage.dir and publishes the bus event
 * "storage.low" {"low":true|false,"free_mb":N,"min_free_mb":M} on every
 * change (and every minute while low). gr_storage_watch subscribes to it and
 * sets the flag; the parts that write snapshots and card images call
 * gr_storage_skip before each file and, while the disk is low, record what
 * they record (visit rows, scan rows, contacts) without the file. The flag
 * starts clear: a program that never watches (the CLI) always writes.
 *
 *     static gr_storage_writer_t snaps = GR_STORAGE_WRITER("visit snapshots");
 *     if (gr_storage_skip(&snaps)) return;   // logs once per transition
 */
#ifndef GR_STORAGE_H
#define GR_STORAGE_H

#include "firmware/core/bus.h"

#include <stdatomic.h>
#include <stdio.h>

/* 1 while the last "storage.low" event said low. Any thread. */
int gr_storage_is_low(void);

/* Set the flag directly (the watcher does this; tests and the CLI may). */
void gr_storage_set_low(int low);

/* Apply one "storage.low" event's JSON. Returns GR_OK, or GR_ERR_FORMAT when
 * it has no boolean "low" (the flag is then left as it was). */
int gr_storage_apply_event(const char *json);

/* A writer of big files, for its log lines and the skip count. */
typedef struct {
    const char *what;   /* "visit snapshots", "card images" */
    atomic_int skipping; /* last state this writer logged */
} gr_storage_writer_t;
#define GR_STORAGE_WRITER(what) {(what), 0}

/* 1: do not write the file now (the disk is low). Logs a warning when this
 * writer starts skipping and a notice when it writes again, once per
 * transition; counts the skipped files. */
int gr_storage_skip(gr_storage_writer_t *w);

/* Files skipped because the disk was low, since the start. */
unsigned long gr_storage_skipped(void);

/* Prometheus lines: greeter_storage_low 0|1 and
 * greeter_storage_skipped_files_total N. */
void gr_storage_write_metrics(FILE *f);

typedef struct gr_storage_watch gr_storage_watch_t;

/* Subscribe to "storage.low" on bus and keep the flag in step, on a thread of
 * its own, until gr_storage_unwatch (before gr_bus_free). Returns GR_OK,
 * GR_ERR_NOMEM, or GR_ERR_IO (no thread). */
int gr_storage_watch(gr_bus_t *bus, gr_storage_watch_t **out) __attribute__((warn_unused_result));
void gr_storage_unwatch(gr_storage_watch_t *w);

#endif
