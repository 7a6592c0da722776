/* Visit snapshots and the "disk almost full" flag: with greeterd's bus event
 * "storage.low" {"low":true} the face engine records the visit (stored
 * visit, event) without writing its snapshot; after {"low":false} snapshots
 * are written again. Runs the real engine (every_frame mode, one face frame
 * per visit) on an in-memory store; skips (77) when the models are not
 * fetched. */
#include "tests/testutil.h"

#include "firmware/core/bus.h"
#include "firmware/core/err.h"
#include "firmware/core/storage.h"
#include "tests/test_vision_fake.h"
#include "vision/engine.h"
#include "vision/image.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    pthread_mutex_t mu;
    int n;
    char snap[8][192];
    int64_t person[8];
} seen_t;

static void on_event(const vis_event_t *ev, void *ud) {
    seen_t *s = ud;
    pthread_mutex_lock(&s->mu);
    if (s->n < 8) {
        snprintf(s->snap[s->n], sizeof s->snap[s->n], "%s", ev->snapshot);
        s->person[s->n] = ev->person_id;
        s->n++;
    }
    pthread_mutex_unlock(&s->mu);
}

static int wait_flag(int want) {
    for (int i = 0; i < 500; i++) {
        if (gr_storage_is_low() == want) return 1;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return 0;
}

static int files_in(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n;
}

/* Stored visits, and those without a snapshot. */
static int visits(const tv_store_t *f, int without_snapshot) {
    int n = 0;
    for (int i = 0; i < f->n_visits; i++) n += !without_snapshot || !f->visits[i].has_snapshot;
    return n;
}

/* One visit: the face frame pushed at time t, then wait for the engine. */
static void visit(vis_engine_t *e, const vis_image_t *face, double t, long index) {
    vis_image_t f = {0};
    assert_int_equal(vis_image_alloc(&f, face->w, face->h), GR_OK);
    for (int y = 0; y < face->h; y++)
        memcpy(f.data + (size_t)y * (size_t)f.stride, face->data + (size_t)y * (size_t)face->stride, (size_t)face->w * 3);
    assert_int_equal(vis_engine_push(e, &f, t, index), GR_OK);
    vis_engine_drain(e);
    vis_image_free(&f);
}

static void snapshots_follow_storage_low(void **state) {
    (void)state;
    const char *models = getenv("GREETER_MODELS_DIR");
    if (!models || !*models) models = "models/data";
    char *dir = tu_tempdir();
    assert_non_null(dir);
    char err[1024], snapdir[4200];
    snprintf(snapdir, sizeof snapdir, "%s/snapshots", dir);
    static tv_store_t fake;
    vis_store_t st = tv_ops(&fake);
    vis_image_t face;
    assert_int_equal(vis_image_load(tu_data("faces/frame300.jpg"), 0, &face, err, sizeof err), GR_OK);

    seen_t seen = {.n = 0};
    pthread_mutex_init(&seen.mu, NULL);
    vis_engine_opts_t o = {
        .threshold = 0.6, .margin = 0.03, .min_face_px = 40, .samples = 1, .visit_gap_s = 5,
        .max_yaw = 1.0, .min_sharpness = 0, .max_templates = 8, .detect_every = 1,
        .remember_unknown = 1, .every_frame = 1, .block = 1,
        .snapshot_dir = snapdir, .camera = "test",
    };
    vis_engine_t *e = NULL;
    int rc = vis_engine_open(&o, models, &st, on_event, &seen, &e, err, sizeof err);
    if (rc != GR_OK) {
        fprintf(stderr, "skipped: face models not available (%s); run models/fetch.sh\n", err);
        vis_image_free(&face);
        tu_rmtree(dir);
        free(dir);
        exit(77);
    }
    gr_bus_t *bus = gr_bus_new();
    assert_non_null(bus);
    gr_storage_watch_t *w = NULL;
    assert_int_equal(gr_storage_watch(bus, &w), GR_OK);
    gr_storage_set_low(0);

    /* 1: a new visitor, with a snapshot. */
    visit(e, &face, 100.0, 1);
    assert_int_equal(seen.n, 1);
    assert_true(seen.snap[0][0] != 0);
    assert_int_equal(files_in(snapdir), 1);

    /* 2: disk low - the returning visit is recorded, without a snapshot. */
    assert_int_equal(gr_bus_publish(bus, "storage.low", "{\"low\":true,\"free_mb\":150,\"min_free_mb\":200}"), GR_OK);
    assert_true(wait_flag(1));
    visit(e, &face, 200.0, 2);
    assert_int_equal(seen.n, 2);
    assert_int_equal(seen.person[1], seen.person[0]); /* the same person came back */
    assert_string_equal(seen.snap[1], "");
    assert_int_equal(files_in(snapdir), 1);
    assert_int_equal(visits(&fake, 0), 2);
    assert_int_equal(visits(&fake, 1), 1);

    /* 3: cleared - snapshots again. */
    assert_int_equal(gr_bus_publish(bus, "storage.low", "{\"low\":false,\"free_mb\":900,\"min_free_mb\":200}"), GR_OK);
    assert_true(wait_flag(0));
    visit(e, &face, 300.0, 3);
    assert_int_equal(seen.n, 3);
    assert_true(seen.snap[2][0] != 0);
    assert_int_equal(files_in(snapdir), 2);
    assert_int_equal(visits(&fake, 0), 3);
    assert_int_equal(visits(&fake, 1), 1);

    vis_engine_close(e);
    /* closing ends the visit still going on */
    assert_true(fake.visits[2].ended > 0);
    gr_storage_unwatch(w);
    gr_bus_free(bus);
    vis_image_free(&face);
    pthread_mutex_destroy(&seen.mu);
    tu_rmtree(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(snapshots_follow_storage_low),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
