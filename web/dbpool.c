/* dbpool.c - the web part's pool of SQLite connections (dbpool.h). */
#define GR_LOG_MODULE "web"
#include "web/dbpool.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A request waiting for a connection; lives on its thread's stack. */
typedef struct waiter {
    pthread_cond_t cond;
    int slot; /* -1 until a connection is handed over */
    struct waiter *next;
} waiter_t;

struct web_dbpool {
    char *storage_dir;
    crm_opts_t opts; /* the CRM's settings, given to every connection */
    pthread_mutex_t lock;
    crm_store_t *db[WEB_DB_POOL];
    int busy[WEB_DB_POOL];
    int open;
    waiter_t *wait_head, *wait_tail; /* in arrival order */
};

/* With p->lock held: a free connection's slot, opening one more while the
 * pool is not full; -1 when all are busy; -2 when none can be opened. */
static int take_locked(web_dbpool_t *p) {
    for (int i = 0; i < p->open; i++)
        if (!p->busy[i]) {
            p->busy[i] = 1;
            return i;
        }
    if (p->open >= WEB_DB_POOL) return -1;
    char err[512];
    crm_store_t *st = NULL;
    if (crm_store_open_dir(p->storage_dir, &p->opts, &st, err, sizeof err) != GR_OK) {
        LOG_E("database: %s", err);
        return -2;
    }
    p->db[p->open] = st;
    p->busy[p->open] = 1;
    return p->open++;
}

int web_dbpool_open(const char *storage_dir, const crm_opts_t *opts, web_dbpool_t **out) {
    *out = NULL;
    web_dbpool_t *p = calloc(1, sizeof *p);
    if (!p) return GR_ERR_NOMEM;
    p->storage_dir = strdup(storage_dir);
    if (!p->storage_dir) {
        free(p);
        return GR_ERR_NOMEM;
    }
    p->opts = *opts;
    pthread_mutex_init(&p->lock, NULL);
    char err[512];
    int rc = crm_store_open_dir(p->storage_dir, &p->opts, &p->db[0], err, sizeof err);
    if (rc != GR_OK) {
        LOG_E("database: %s", err);
        web_dbpool_close(p);
        return rc;
    }
    p->open = 1;
    *out = p;
    return GR_OK;
}

void web_dbpool_close(web_dbpool_t *p) {
    if (!p) return;
    for (int i = 0; i < p->open; i++) crm_store_close(p->db[i]);
    pthread_mutex_destroy(&p->lock);
    free(p->storage_dir);
    free(p);
}

int web_dbpool_take(web_dbpool_t *p, crm_store_t **st) {
    *st = NULL;
    pthread_mutex_lock(&p->lock);
    /* Nobody overtakes a request already in line. */
    int slot = p->wait_head ? -1 : take_locked(p);
    if (slot == -1) {
        waiter_t w = {.slot = -1, .next = NULL};
        pthread_cond_init(&w.cond, NULL);
        /* w lives on this stack until web_dbpool_give has taken it off the
         * line and handed it a slot, which is what ends the wait below. */
        if (p->wait_tail) p->wait_tail->next = &w;
        else p->wait_head = &w; /* cppcheck-suppress autoVariables */
        p->wait_tail = &w;      /* cppcheck-suppress autoVariables */
        while (w.slot < 0) pthread_cond_wait(&w.cond, &p->lock);
        pthread_cond_destroy(&w.cond);
        slot = w.slot;
    }
    pthread_mutex_unlock(&p->lock);
    if (slot < 0) return GR_ERR_IO;
    *st = p->db[slot];
    return slot;
}

void web_dbpool_give(web_dbpool_t *p, int slot) {
    pthread_mutex_lock(&p->lock);
    waiter_t *w = p->wait_head;
    if (w) { /* hand the connection straight to the longest waiter */
        p->wait_head = w->next;
        if (!p->wait_head) p->wait_tail = NULL;
        w->slot = slot;
        pthread_cond_signal(&w->cond);
    } else {
        p->busy[slot] = 0;
    }
    pthread_mutex_unlock(&p->lock);
}

void web_dbpool_set_opts(web_dbpool_t *p, const crm_opts_t *opts) {
    pthread_mutex_lock(&p->lock);
    p->opts = *opts;
    /* Each connection's setter is thread-safe: one in use by a request takes them too. */
    for (int i = 0; i < p->open; i++) crm_store_set_opts(p->db[i], opts);
    pthread_mutex_unlock(&p->lock);
}
