#include "firmware/core/ring.h"
#include "firmware/core/err.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    unsigned char *buf;
    size_t cap, size;
    uint64_t seq;
    double t;
    int refs;
} slot_t;

struct gr_ring {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    slot_t *slots;
    int n, newest;      /* newest: index of the latest slot, -1 if none */
    uint64_t seq;
    int stopped;
};

gr_ring_t *gr_ring_new(int slots) {
    if (slots < 3) slots = 3;
    gr_ring_t *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->slots = calloc((size_t)slots, sizeof *r->slots);
    if (!r->slots) {
        free(r);
        return NULL;
    }
    r->n = slots;
    r->newest = -1;
    pthread_mutex_init(&r->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&r->cond, &ca);
    pthread_condattr_destroy(&ca);
    return r;
}

void gr_ring_free(gr_ring_t *r) {
    if (!r) return;
    for (int i = 0; i < r->n; i++) free(r->slots[i].buf);
    free(r->slots);
    pthread_cond_destroy(&r->cond);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

int gr_ring_put(gr_ring_t *r, const void *data, size_t size, double t) {
    pthread_mutex_lock(&r->lock);
    int pick = -1;
    for (int k = 1; k <= r->n; k++) { /* oldest-first after the newest */
        int i = (r->newest + k + r->n) % r->n;
        if (i != r->newest && r->slots[i].refs == 0) {
            pick = i;
            break;
        }
    }
    if (pick < 0) {
        pthread_mutex_unlock(&r->lock);
        return GR_ERR_BUSY;
    }
    slot_t *s = &r->slots[pick];
    s->refs = 1; /* writer holds it while copying outside the lock */
    pthread_mutex_unlock(&r->lock);
    int rc = GR_OK;
    if (s->cap < size) {
        unsigned char *nb = realloc(s->buf, size);
        if (!nb) rc = GR_ERR_NOMEM;
        else {
            s->buf = nb;
            s->cap = size;
        }
    }
    if (rc == GR_OK) memcpy(s->buf, data, size);
    pthread_mutex_lock(&r->lock);
    s->refs = 0;
    if (rc == GR_OK) {
        s->size = size;
        s->t = t;
        s->seq = ++r->seq;
        r->newest = pick;
        pthread_cond_broadcast(&r->cond);
    }
    pthread_mutex_unlock(&r->lock);
    return rc;
}

int gr_ring_get(gr_ring_t *r, uint64_t after_seq, int timeout_ms, gr_ring_frame_t *out) {
    struct timespec dl;
    clock_gettime(CLOCK_MONOTONIC, &dl);
    dl.tv_sec += timeout_ms / 1000;
    dl.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (dl.tv_nsec >= 1000000000L) {
        dl.tv_sec++;
        dl.tv_nsec -= 1000000000L;
    }
    int rc = GR_OK;
    pthread_mutex_lock(&r->lock);
    while (!r->stopped && (r->newest < 0 || r->slots[r->newest].seq <= after_seq)) {
        if (pthread_cond_timedwait(&r->cond, &r->lock, &dl) == ETIMEDOUT) {
            rc = GR_ERR_TIMEOUT;
            break;
        }
    }
    if (r->stopped) rc = GR_ERR_STOPPED;
    if (rc == GR_OK) {
        slot_t *s = &r->slots[r->newest];
        s->refs++;
        out->data = s->buf;
        out->size = s->size;
        out->seq = s->seq;
        out->t = s->t;
        out->slot = r->newest;
    }
    pthread_mutex_unlock(&r->lock);
    return rc;
}

void gr_ring_release(gr_ring_t *r, gr_ring_frame_t *f) {
    pthread_mutex_lock(&r->lock);
    if (f->slot >= 0 && f->slot < r->n && r->slots[f->slot].refs > 0) r->slots[f->slot].refs--;
    f->slot = -1;
    pthread_mutex_unlock(&r->lock);
}

void gr_ring_stop(gr_ring_t *r) {
    pthread_mutex_lock(&r->lock);
    r->stopped = 1;
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
}
