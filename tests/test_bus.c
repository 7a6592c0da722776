/* Event bus and frame ring: bounded queues, drop-oldest, stop wakes waiters. */
#include "tests/testutil.h"

#include "firmware/core/bus.h"
#include "firmware/core/err.h"
#include "firmware/core/ring.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static void bus_prefix_and_drop_oldest(void **state) {
    (void)state;
    gr_bus_t *b = gr_bus_new();
    gr_bus_sub_t *visits = gr_bus_subscribe(b, "visit.", 2);
    gr_bus_sub_t *all = gr_bus_subscribe(b, "", 10);
    assert_int_equal(gr_bus_publish(b, "visit.new", "{\"n\":1}"), GR_OK);
    assert_int_equal(gr_bus_publish(b, "lead.new", "{\"n\":2}"), GR_OK);
    assert_int_equal(gr_bus_publish(b, "visit.returning", "{\"n\":3}"), GR_OK);
    assert_int_equal(gr_bus_publish(b, "visit.new", "{\"n\":4}"), GR_OK);
    char *t, *j;
    assert_int_equal(gr_bus_next(visits, &t, &j, 0), GR_OK);
    assert_string_equal(t, "visit.returning"); /* n=1 was dropped */
    assert_string_equal(j, "{\"n\":3}");
    free(t); free(j);
    assert_int_equal(gr_bus_next(visits, &t, &j, 0), GR_OK);
    assert_string_equal(j, "{\"n\":4}");
    free(t); free(j);
    assert_int_equal(gr_bus_next(visits, &t, &j, 10), GR_ERR_TIMEOUT);
    assert_int_equal(gr_bus_dropped(visits), 1);
    int n = 0;
    while (gr_bus_next(all, &t, &j, 0) == GR_OK) { n++; free(t); free(j); }
    assert_int_equal(n, 4);
    gr_bus_unsubscribe(visits);
    gr_bus_unsubscribe(all);
    gr_bus_free(b);
}

static void *waiter(void *arg) {
    char *t, *j;
    long rc = gr_bus_next(arg, &t, &j, -1);
    return (void *)rc;
}

static void bus_stop_wakes_waiters(void **state) {
    (void)state;
    gr_bus_t *b = gr_bus_new();
    gr_bus_sub_t *s = gr_bus_subscribe(b, "", 4);
    pthread_t th;
    pthread_create(&th, NULL, waiter, s);
    gr_bus_stop(b);
    void *rc;
    pthread_join(th, &rc);
    assert_int_equal((long)rc, GR_ERR_STOPPED);
    gr_bus_free(b); /* also frees s */
}

static void ring_held_frames_are_not_overwritten(void **state) {
    (void)state;
    gr_ring_t *r = gr_ring_new(3);
    gr_ring_frame_t f1, f2;
    assert_int_equal(gr_ring_get(r, 0, 10, &f1), GR_ERR_TIMEOUT);
    assert_int_equal(gr_ring_put(r, "AAAA", 4, 1.0), GR_OK);
    assert_int_equal(gr_ring_get(r, 0, 10, &f1), GR_OK);
    assert_int_equal(f1.seq, 1);
    assert_int_equal(gr_ring_put(r, "BBBBBB", 6, 2.0), GR_OK);
    assert_int_equal(gr_ring_get(r, f1.seq, 10, &f2), GR_OK);
    assert_int_equal(f2.size, 6);
    /* Both held: the third slot takes one more frame, then the writer drops. */
    assert_int_equal(gr_ring_put(r, "CC", 2, 3.0), GR_OK);
    assert_int_equal(gr_ring_put(r, "DD", 2, 4.0), GR_ERR_BUSY);
    assert_memory_equal(f1.data, "AAAA", 4);
    assert_memory_equal(f2.data, "BBBBBB", 6);
    gr_ring_release(r, &f1);
    gr_ring_release(r, &f2);
    assert_int_equal(gr_ring_put(r, "EEE", 3, 5.0), GR_OK);
    assert_int_equal(gr_ring_get(r, 0, 10, &f1), GR_OK);
    assert_memory_equal(f1.data, "EEE", 3);
    gr_ring_release(r, &f1);
    gr_ring_stop(r);
    assert_int_equal(gr_ring_get(r, 99, 1000, &f1), GR_ERR_STOPPED);
    gr_ring_free(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bus_prefix_and_drop_oldest),
        cmocka_unit_test(bus_stop_wakes_waiters),
        cmocka_unit_test(ring_held_frames_are_not_overwritten),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
