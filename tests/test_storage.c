/* The "disk almost full" flag (firmware/core/storage.h): greeterd's bus event
 * "storage.low" sets it, the card-scan writer saves the scan without its photo
 * while it is set and with it again once it clears; per-writer transition logs
 * and the skip counter; the /metrics lines. */
#include "tests/test_crm_util.h"

#include "firmware/core/bus.h"
#include "crm/scans.h"
#include "firmware/core/storage.h"

#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const unsigned char JPEG[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0};

/* Wait (at most 5 s) until the flag reads want. */
static int wait_flag(int want) {
    for (int i = 0; i < 500; i++) {
        if (gr_storage_is_low() == want) return 1;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return 0;
}

static int files_in(const char *dir, const char *sub) {
    char p[4200];
    snprintf(p, sizeof p, "%s/%s", dir, sub);
    DIR *d = opendir(p);
    if (!d) return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n;
}

static void event_parsing(void **state) {
    (void)state;
    gr_storage_set_low(0);
    assert_int_equal(gr_storage_apply_event("{\"low\":true,\"free_mb\":12,\"min_free_mb\":200}"), GR_OK);
    assert_true(gr_storage_is_low());
    /* Malformed events leave the flag alone. */
    assert_int_equal(gr_storage_apply_event("{\"free_mb\":500}"), GR_ERR_FORMAT);
    assert_int_equal(gr_storage_apply_event("{\"low\":0}"), GR_ERR_FORMAT);
    assert_int_equal(gr_storage_apply_event("not json"), GR_ERR_FORMAT);
    assert_int_equal(gr_storage_apply_event("[true]"), GR_ERR_FORMAT);
    assert_int_equal(gr_storage_apply_event(NULL), GR_ERR_FORMAT);
    assert_true(gr_storage_is_low());
    assert_int_equal(gr_storage_apply_event("{\"low\":false,\"free_mb\":900,\"min_free_mb\":200}"), GR_OK);
    assert_false(gr_storage_is_low());
}

static void writer_counts_and_metrics(void **state) {
    (void)state;
    gr_storage_writer_t w = GR_STORAGE_WRITER("test files");
    gr_storage_set_low(0);
    unsigned long before = gr_storage_skipped();
    assert_int_equal(gr_storage_skip(&w), 0);
    gr_storage_set_low(1);
    assert_int_equal(gr_storage_skip(&w), 1);
    assert_int_equal(gr_storage_skip(&w), 1);
    assert_int_equal(atomic_load(&w.skipping), 1);
    assert_int_equal(gr_storage_skipped(), before + 2);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    gr_storage_write_metrics(f);
    fclose(f);
    assert_non_null(strstr(buf, "\ngreeter_storage_low 1\n"));
    char line[96];
    snprintf(line, sizeof line, "\ngreeter_storage_skipped_files_total %lu\n", before + 2);
    assert_non_null(strstr(buf, line));
    free(buf);
    gr_storage_set_low(0);
    assert_int_equal(gr_storage_skip(&w), 0);
    assert_int_equal(atomic_load(&w.skipping), 0);
    assert_int_equal(gr_storage_skipped(), before + 2);
}

/* The whole path: bus event -> watcher -> flag -> crm_scan_save. */
static void scan_without_image_while_low(void **state) {
    (void)state;
    gr_storage_set_low(0);
    tc_db_t db;
    tc_open(&db);
    gr_bus_t *bus = gr_bus_new();
    assert_non_null(bus);
    gr_storage_watch_t *w = NULL;
    assert_int_equal(gr_storage_watch(bus, &w), GR_OK);
    char err[256] = "";
    json_t *out = NULL;

    json_t *fields = tc_json("{\"name\":\"Ada Byron\",\"emails\":[\"ada@example.org\"]}");
    assert_int_equal(crm_scan_save(db.st, NULL, fields, JPEG, sizeof JPEG, 1, "desk", &out, err, sizeof err), GR_OK);
    assert_false(json_is_true(json_object_get(out, "image_skipped")));
    assert_true(json_is_string(json_object_get(json_object_get(out, "scan"), "image")));
    json_decref(out);
    assert_int_equal(files_in(db.dir, "cards"), 1);

    /* Disk low: the scan, its contact and lead are saved; the photo is not. */
    assert_int_equal(gr_bus_publish(bus, "storage.low", "{\"low\":true,\"free_mb\":150,\"min_free_mb\":200}"), GR_OK);
    assert_true(wait_flag(1));
    json_t *f2 = tc_json("{\"name\":\"Grace Hopper\",\"emails\":[\"grace@example.org\"]}");
    assert_int_equal(crm_scan_save(db.st, NULL, f2, JPEG, sizeof JPEG, 1, "desk", &out, err, sizeof err), GR_OK);
    assert_true(json_is_true(json_object_get(out, "image_skipped")));
    assert_true(json_is_null(json_object_get(json_object_get(out, "scan"), "image")));
    assert_string_equal(tc_str(json_object_get(out, "contact"), "name"), "Grace Hopper");
    assert_string_equal(tc_str(json_object_get(out, "lead"), "source"), "card_scan");
    json_decref(out);
    assert_int_equal(files_in(db.dir, "cards"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM card_scans"), 2);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM card_scans WHERE image IS NULL"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts"), 2);
    /* Without a photo at all nothing is "skipped". */
    json_t *f3 = tc_json("{\"name\":\"Alan Turing\"}");
    assert_int_equal(crm_scan_save(db.st, NULL, f3, NULL, 0, 0, "desk", &out, err, sizeof err), GR_OK);
    assert_false(json_is_true(json_object_get(out, "image_skipped")));
    json_decref(out);

    /* Cleared: photos are stored again. */
    assert_int_equal(gr_bus_publish(bus, "storage.low", "{\"low\":false,\"free_mb\":900,\"min_free_mb\":200}"), GR_OK);
    assert_true(wait_flag(0));
    json_t *f4 = tc_json("{\"name\":\"Edsger Dijkstra\"}");
    assert_int_equal(crm_scan_save(db.st, NULL, f4, JPEG, sizeof JPEG, 1, "desk", &out, err, sizeof err), GR_OK);
    assert_false(json_is_true(json_object_get(out, "image_skipped")));
    assert_true(json_is_string(json_object_get(json_object_get(out, "scan"), "image")));
    json_decref(out);
    assert_int_equal(files_in(db.dir, "cards"), 2);

    /* Other topics do not touch the flag. */
    assert_int_equal(gr_bus_publish(bus, "storage.other", "{\"low\":true}"), GR_OK);
    assert_int_equal(gr_bus_publish(bus, "storage.lowish", "{\"low\":true}"), GR_OK);
    assert_int_equal(gr_bus_publish(bus, "visit.new", "{\"low\":true}"), GR_OK);
    struct timespec ts = {0, 300 * 1000 * 1000};
    nanosleep(&ts, NULL);
    assert_false(gr_storage_is_low());

    gr_storage_unwatch(w); /* without gr_bus_stop: must not hang */
    gr_bus_free(bus);
    json_decref(fields);
    json_decref(f2);
    json_decref(f3);
    json_decref(f4);
    tc_close(&db);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(event_parsing),
        cmocka_unit_test(writer_counts_and_metrics),
        cmocka_unit_test(scan_without_image_while_low),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
