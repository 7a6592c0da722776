/* bus.h - in-process event bus: components publish small JSON events
 * (visit events, new leads, sync state) and others subscribe, each with its
 * own bounded queue. A subscriber that falls behind loses its oldest events,
 * never blocks the publisher.
 *
 * Topics are dotted names: "visit.new", "visit.returning", "lead.new",
 * "sync.state", "scan.done". Subscriptions match by prefix ("visit.").
 */
#ifndef GR_BUS_H
#define GR_BUS_H

#include <stddef.h>

typedef struct gr_bus gr_bus_t;
typedef struct gr_bus_sub gr_bus_sub_t;

/* A new bus; caller owns it: gr_bus_free (after every subscriber is gone). */
gr_bus_t *gr_bus_new(void) __attribute__((warn_unused_result));
void gr_bus_free(gr_bus_t *bus);

/* Copy the event to every matching subscriber. Returns GR_OK or GR_ERR_NOMEM. */
int gr_bus_publish(gr_bus_t *bus, const char *topic, const char *json);

/* Subscribe to topics starting with prefix ("" for all), keeping at most
 * depth events. Caller owns the subscription: gr_bus_unsubscribe. */
gr_bus_sub_t *gr_bus_subscribe(gr_bus_t *bus, const char *prefix, size_t depth)
    __attribute__((warn_unused_result));
void gr_bus_unsubscribe(gr_bus_sub_t *sub);

/* Wait up to timeout_ms (-1: forever) for the next event. On GR_OK *topic and
 * *json are malloc'd and owned by the caller. Returns GR_ERR_TIMEOUT, or
 * GR_ERR_STOPPED once gr_bus_stop was called. */
int gr_bus_next(gr_bus_sub_t *sub, char **topic, char **json, int timeout_ms);

/* Number of events this subscriber lost because its queue was full. */
unsigned long gr_bus_dropped(const gr_bus_sub_t *sub);

/* Wake every waiter with GR_ERR_STOPPED (at shutdown). */
void gr_bus_stop(gr_bus_t *bus);

#endif
