/* Benchmark: crm_contact_list over 100,000 contacts (issue 5: the API's
 * contacts search must answer with p99 <= 50 ms; this measures the raw CRM
 * call without HTTP). Not a test: it prints numbers and asserts nothing.
 *
 * Build and run (from the repository, after building gr_crm):
 *   B=build/h-crm
 *   cc -O2 -D_GNU_SOURCE -Icrm -Ifirmware -Iocr tests/bench/crm_search.c \
 *      $B/crm/libgr_crm.a $B/ocr/libgr_ocr.a $B/firmware/libgr_core.a \
 *      -lsqlite3 -ljansson -lcurl -lphonenumber -lstdc++ -lpthread -lm -o /tmp/crm_search
 *   /tmp/crm_search [N=100000] [DIR]
 * DIR may be web_load.sh's state folder (its contacts are kept, none added
 * when it holds N already); a database of an older schema is migrated.
 */
#include "crm/contact_search.h"
#include "crm/contacts.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "crm/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static const char *FIRST[] = {"Anna", "Ben", "Clara", "David", "Elena", "Felix", "Greta", "Hugo", "Ines", "Jonas",
                              "Katja", "Lukas", "Maria", "Noah", "Olga", "Paul", "Quentin", "Rosa", "Sven", "Tanja",
                              "Ulrich", "Vera", "Walter", "Xenia", "Yusuf", "Zoe", "Иван", "Мария", "Jean", "Chloé"};
static const char *LAST[] = {"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
                             "Schulz", "Hoffmann", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller",
                             "Davis", "Martin", "Bernard", "Dubois", "Петров", "Иванов", "Anderson", "Thompson",
                             "Robinson", "Clark", "Lewis", "Walker", "Hall", "Young", "Nguyen", "Kowalski"};
static const char *COMPANY[] = {"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne",
                                "Tyrell", "Cyberdyne", "Soylent", "Wonka", "Aperture", "Black Mesa", "Oscorp"};

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 100000;
    char dir[256], err[512];
    if (argc > 2) snprintf(dir, sizeof dir, "%s", argv[2]);
    else snprintf(dir, sizeof dir, "/tmp/crm-bench-%d", (int)getpid());
    atomic_store(&gr_log_level, GR_LOG_WARN);
    crm_store_t *st = NULL;
    if (crm_store_open_dir(dir, NULL, &st, err, sizeof err) != GR_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    json_t *probe = NULL;
    crm_contact_list(st, NULL, 1, 0, &probe);
    long long have = json_integer_value(json_object_get(probe, "total"));
    json_decref(probe);
    srand(42);
    double t0 = now();
    if (have < n) {
        crm_store_begin(st);
        for (long long i = have; i < n; i++) {
            const char *f = FIRST[rand() % 30], *l = LAST[rand() % 32], *c = COMPANY[rand() % 15];
            char email[160], phone[40], company[64];
            snprintf(email, sizeof email, "%c.%lld@%s.example", (f[0] & 0x80) ? 'x' : f[0] | 0x20, i, "mail");
            snprintf(phone, sizeof phone, "+49 %03d %07lld", 100 + rand() % 900, (i * 7919) % 10000000);
            snprintf(company, sizeof company, "%s %lld", c, i % 2000);
            json_t *in = json_pack("{s:s,s:s,s:s,s:[s],s:[{s:s,s:s}]}", "given_name", f, "family_name", l, "company",
                                   company, "emails", email, "phones", "number", phone, "type", "work"),
                   *out = NULL;
            if (crm_contact_create(st, in, "bench", &out, err, sizeof err) != GR_OK) {
                fprintf(stderr, "create %lld: %s\n", i, err);
                return 1;
            }
            json_decref(in);
            json_decref(out);
            if (i % 10000 == 9999) {
                crm_store_commit(st);
                crm_store_begin(st);
                fprintf(stderr, "  %lld contacts\n", i + 1);
            }
        }
        crm_store_commit(st);
        printf("created %lld contacts in %.1f s\n", (long long)n - have, now() - t0);
    }
    /* The last five are tests/bench/web_load.sh's, for its state folder. */
    const char *queries[] = {"", "anna", "müller", "Anna Müller", "globex 17", "a.4711@", "4711", "+49 5", "an",
                             "zz", "nobody-here", "Иван", "4930100", "1234567", "Initech", "Hooli 42", "greta wolf"};
    int offsets[sizeof queries / sizeof queries[0]] = {0};
    const int reps = 50;
    printf("%-14s %8s %9s %9s %9s %11s\n", "query", "total", "p50 ms", "p99 ms", "max ms", "cpu p50 ms");
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        double t[50], c[50];
        long long total = 0;
        for (int r = 0; r < reps; r++) {
            json_t *out = NULL;
            double a = now(), ca = cpu();
            int rc = crm_contact_list(st, queries[q], 50, offsets[q], &out);
            t[r] = (now() - a) * 1000;
            c[r] = (cpu() - ca) * 1000;
            if (rc != GR_OK) {
                fprintf(stderr, "list failed: %d\n", rc);
                return 1;
            }
            total = json_integer_value(json_object_get(out, "total"));
            json_decref(out);
        }
        qsort(t, reps, sizeof t[0], cmp);
        qsort(c, reps, sizeof c[0], cmp);
        printf("%-14s %8lld %9.2f %9.2f %9.2f %11.2f\n", *queries[q] ? queries[q] : "(all)", total, t[reps / 2],
               t[(int)(reps * 0.99)], t[reps - 1], c[reps / 2]);
    }
    /* A deep page of everything. */
    double t[50];
    for (int r = 0; r < reps; r++) {
        json_t *out = NULL;
        double a = now();
        crm_contact_list(st, NULL, 50, n / 2, &out);
        t[r] = (now() - a) * 1000;
        json_decref(out);
    }
    qsort(t, reps, sizeof t[0], cmp);
    printf("%-14s %8s %9.2f %9.2f %9.2f\n", "(all, page n/2)", "", t[reps / 2], t[(int)(reps * 0.99)], t[reps - 1]);
    crm_store_close(st);
    return 0;
}
