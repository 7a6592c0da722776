#include "firmware/core/bus.h"
#include "firmware/core/err.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    char *topic, *json;
} event_t;

struct gr_bus_sub {
    gr_bus_t *bus;
    gr_bus_sub_t *next;
    char *prefix;
    event_t *q;
    size_t depth, head, count;
    unsigned long dropped;
    pthread_cond_t cond;
};

struct gr_bus {
    pthread_mutex_t lock;
    gr_bus_sub_t *subs;
    int stopped;
};

gr_bus_t *gr_bus_new(void) {
    gr_bus_t *b = calloc(1, sizeof *b);
    if (b) pthread_mutex_init(&b->lock, NULL);
    return b;
}

void gr_bus_free(gr_bus_t *bus) {
    if (!bus) return;
    while (bus->subs) gr_bus_unsubscribe(bus->subs);
    pthread_mutex_destroy(&bus->lock);
    free(bus);
}

static void free_event(event_t *e) {
    free(e->topic);
    free(e->json);
    e->topic = e->json = NULL;
}

int gr_bus_publish(gr_bus_t *bus, const char *topic, const char *json) {
    int rc = GR_OK;
    pthread_mutex_lock(&bus->lock);
    for (gr_bus_sub_t *s = bus->subs; s; s = s->next) {
        if (strncmp(topic, s->prefix, strlen(s->prefix)) != 0) continue;
        event_t e = {strdup(topic), strdup(json)};
        if (!e.topic || !e.json) {
            free_event(&e);
            rc = GR_ERR_NOMEM;
            continue;
        }
        if (s->count == s->depth) { /* drop the oldest */
            free_event(&s->q[s->head]);
            s->head = (s->head + 1) % s->depth;
            s->count--;
            s->dropped++;
        }
        s->q[(s->head + s->count) % s->depth] = e;
        s->count++;
        pthread_cond_signal(&s->cond);
    }
    pthread_mutex_unlock(&bus->lock);
    return rc;
}

gr_bus_sub_t *gr_bus_subscribe(gr_bus_t *bus, const char *prefix, size_t depth) {
    if (depth == 0) depth = 1;
    gr_bus_sub_t *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->prefix = strdup(prefix ? prefix : "");
    s->q = calloc(depth, sizeof *s->q);
    if (!s->prefix || !s->q) {
        free(s->prefix);
        free(s->q);
        free(s);
        return NULL;
    }
    s->depth = depth;
    s->bus = bus;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cond, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_lock(&bus->lock);
    s->next = bus->subs;
    bus->subs = s;
    pthread_mutex_unlock(&bus->lock);
    return s;
}

void gr_bus_unsubscribe(gr_bus_sub_t *sub) {
    if (!sub) return;
    gr_bus_t *bus = sub->bus;
    pthread_mutex_lock(&bus->lock);
    for (gr_bus_sub_t **p = &bus->subs; *p; p = &(*p)->next)
        if (*p == sub) {
            *p = sub->next;
            break;
        }
    pthread_mutex_unlock(&bus->lock);
    while (sub->count) {
        free_event(&sub->q[sub->head]);
        sub->head = (sub->head + 1) % sub->depth;
        sub->count--;
    }
    pthread_cond_destroy(&sub->cond);
    free(sub->q);
    free(sub->prefix);
    free(sub);
}

int gr_bus_next(gr_bus_sub_t *sub, char **topic, char **json, int timeout_ms) {
    gr_bus_t *bus = sub->bus;
    struct timespec dl;
    clock_gettime(CLOCK_MONOTONIC, &dl);
    if (timeout_ms > 0) {
        dl.tv_sec += timeout_ms / 1000;
        dl.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (dl.tv_nsec >= 1000000000L) {
            dl.tv_sec++;
            dl.tv_nsec -= 1000000000L;
        }
    }
    int rc = GR_OK;
    pthread_mutex_lock(&bus->lock);
    while (!sub->count && !bus->stopped) {
        if (timeout_ms < 0) {
            pthread_cond_wait(&sub->cond, &bus->lock);
        } else if (timeout_ms == 0 || pthread_cond_timedwait(&sub->cond, &bus->lock, &dl) == ETIMEDOUT) {
            rc = GR_ERR_TIMEOUT;
            break;
        }
    }
    if (sub->count) {
        event_t *e = &sub->q[sub->head];
        *topic = e->topic;
        *json = e->json;
        e->topic = e->json = NULL;
        sub->head = (sub->head + 1) % sub->depth;
        sub->count--;
        rc = GR_OK;
    } else if (bus->stopped) {
        rc = GR_ERR_STOPPED;
    }
    pthread_mutex_unlock(&bus->lock);
    return rc;
}

unsigned long gr_bus_dropped(const gr_bus_sub_t *sub) { return sub->dropped; }

void gr_bus_stop(gr_bus_t *bus) {
    pthread_mutex_lock(&bus->lock);
    bus->stopped = 1;
    for (gr_bus_sub_t *s = bus->subs; s; s = s->next) pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&bus->lock);
}
