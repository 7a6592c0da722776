/* cli.c - `greeter faces embed|compare|enroll|watch` (docs/CLI.md). The
 * database of enroll and watch is opened through the program's
 * vis_store_opener_t (vision/store.h). */
#define GR_LOG_MODULE "vision"
#include "vision/vision.h"

#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "vision/engine.h"
#include "vision/faces.h"
#include "vision/gallery.h"
#include "vision/source.h"

#include <jansson.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define MAX_FACES 32

static void usage(void) {
    fprintf(stderr,
            "usage: greeter faces embed [--all] [--chip] IMAGE...\n"
            "       greeter faces compare [--chip] A B\n"
            "       greeter faces enroll --name NAME [--person ID] [--db FILE] IMAGE...\n"
            "       greeter faces identify [--db FILE] IMAGE...\n"
            "       greeter faces watch SOURCE [--db FILE] [--every-frame] [--stats]\n"
            "       greeter faces bench-gallery [--templates N] [--queries Q]\n");
}

static void print_json(json_t *j) {
    char *s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(7));
    if (s) {
        fputs(s, stdout);
        fputc('\n', stdout);
        fflush(stdout);
        free(s);
    }
    json_decref(j);
}

static json_t *box_json(const vis_box_t *b) {
    return json_pack("[iiii]", (int)(b->x + 0.5f), (int)(b->y + 0.5f), (int)(b->w + 0.5f), (int)(b->h + 0.5f));
}

static int cmd_embed(const gr_config_t *cfg, int argc, char **argv) {
    int all = 0, chip = 0, first = -1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--all")) all = 1;
        else if (!strcmp(argv[i], "--chip")) chip = 1;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "greeter faces embed: unknown option %s\n", argv[i]);
            return 2;
        } else if (first < 0) first = i;
    }
    if (first < 0) {
        usage();
        return 2;
    }
    vis_faces_t *f;
    if (vis_faces_open(cfg, &f) != GR_OK) return 1;
    int status = 0;
    static vis_box_t boxes[MAX_FACES];
    static float desc[MAX_FACES * FMT_DESC_DIM];
    static vis_quality_t q[MAX_FACES];
    for (int i = first; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1]) continue;
        char err[512];
        vis_image_t img;
        int rc = vis_image_load(argv[i], VIS_IMAGE_MAX_PIXELS_DEFAULT, &img, err, sizeof err);
        int n = rc;
        if (rc == GR_OK) {
            n = vis_faces_describe(f, &img, chip, boxes, desc, q, all ? MAX_FACES : 1);
            if (n < 0) snprintf(err, sizeof err, "%s: face analysis failed: %s", argv[i], gr_strerror(n));
            vis_image_free(&img);
        }
        if (n < 0) {
            fprintf(stderr, "greeter faces embed: %s\n", err);
            print_json(json_pack("{s:s,s:s}", "image", argv[i], "error", err));
            status = 1;
            continue;
        }
        json_t *faces = json_array();
        for (int k = 0; k < n; k++) {
            json_t *d = json_array();
            for (int c = 0; c < FMT_DESC_DIM; c++) json_array_append_new(d, json_real(desc[k * FMT_DESC_DIM + c]));
            json_array_append_new(faces, json_pack("{s:o,s:o,s:{s:f,s:f,s:f,s:f}}", "box", box_json(&boxes[k]),
                                                   "descriptor", d, "quality", "size", (double)q[k].size, "sharpness",
                                                   (double)q[k].sharpness, "yaw", (double)q[k].yaw, "score",
                                                   (double)q[k].score));
        }
        print_json(json_pack("{s:s,s:o}", "image", argv[i], "faces", faces));
    }
    vis_faces_close(f);
    return status;
}

static int cmd_compare(const gr_config_t *cfg, int argc, char **argv) {
    int chip = 0;
    const char *files[2];
    int nf = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--chip")) chip = 1;
        else if (nf < 2 && !(argv[i][0] == '-' && argv[i][1])) files[nf++] = argv[i];
        else {
            usage();
            return 2;
        }
    }
    if (nf != 2) {
        usage();
        return 2;
    }
    vis_faces_t *f;
    if (vis_faces_open(cfg, &f) != GR_OK) return 1;
    float desc[2][FMT_DESC_DIM];
    int status = 0;
    for (int k = 0; k < 2 && !status; k++) {
        char err[512];
        vis_image_t img;
        vis_box_t box;
        vis_quality_t q;
        int rc = vis_image_load(files[k], VIS_IMAGE_MAX_PIXELS_DEFAULT, &img, err, sizeof err);
        if (rc) {
            fprintf(stderr, "greeter faces compare: %s\n", err);
            status = 1;
            break;
        }
        int n = vis_faces_describe(f, &img, chip, &box, desc[k], &q, 1);
        vis_image_free(&img);
        if (n <= 0) {
            fprintf(stderr, "greeter faces compare: %s: %s\n", files[k], n == 0 ? "no face found" : gr_strerror(n));
            status = 1;
        }
    }
    if (!status) {
        double d = vis_desc_distance(desc[0], desc[1]);
        print_json(json_pack("{s:f,s:b}", "distance", d, "same", d <= gr_config_double(cfg, GR_SET_VISION_MATCH_THRESHOLD)));
    }
    vis_faces_close(f);
    return status;
}

static void default_db(const gr_config_t *cfg, char *buf, size_t len) {
    snprintf(buf, len, "%s/greeter.db", gr_config_str(cfg, GR_SET_STORAGE_DIR));
}

/* The whole file (at most 64 MB) into *buf (caller frees). */
static int read_all(const char *path, unsigned char **buf, size_t *len) {
    *buf = NULL;
    *len = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp) return GR_ERR_IO;
    size_t cap = 0;
    for (;;) {
        if (*len == cap) {
            cap = cap ? cap * 2 : 65536;
            if (cap > 64u << 20) break;
            unsigned char *nb = realloc(*buf, cap);
            if (!nb) break;
            *buf = nb;
        }
        size_t r = fread(*buf + *len, 1, cap - *len, fp);
        if (r == 0) break;
        *len += r;
    }
    fclose(fp);
    if (!*buf || !*len) {
        free(*buf);
        *buf = NULL;
        return GR_ERR_IO;
    }
    return GR_OK;
}

/* ---- identify ---- */

/* The face models and the store at db (NULL: the default database) for
 * `greeter faces CMD`; on failure a message is printed and nothing is left
 * open. The caller closes both (stores->close, vis_faces_close). */
static int open_faces_store(const gr_config_t *cfg, const vis_store_opener_t *stores, const char *db, const char *cmd,
                            vis_faces_t **f, vis_store_t *st) {
    char dbbuf[4200], err[512];
    if (!db) {
        default_db(cfg, dbbuf, sizeof dbbuf);
        db = dbbuf;
    }
    int rc = vis_faces_open(cfg, f);
    if (rc != GR_OK) return rc;
    if ((rc = stores->open(stores->ctx, db, st, err, sizeof err)) != GR_OK) {
        fprintf(stderr, "greeter faces %s: %s\n", cmd, err);
        vis_faces_close(*f);
        *f = NULL;
    }
    return rc;
}

static int cmd_identify(const gr_config_t *cfg, const vis_store_opener_t *stores, int argc, char **argv) {
    const char *db = NULL;
    int first = -1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc) db = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1]) {
            usage();
            return 2;
        } else if (first < 0) first = i;
    }
    if (first < 0) {
        usage();
        return 2;
    }
    vis_faces_t *f;
    vis_store_t st;
    char err[512];
    if (open_faces_store(cfg, stores, db, "identify", &f, &st) != GR_OK) return 1;
    int status = 0;
    vis_identified_t found[32];
    for (int i = first; i < argc; i++) {
        if (!strcmp(argv[i], "--db")) {
            i++;
            continue;
        }
        unsigned char *buf = NULL;
        size_t len = 0;
        if (read_all(argv[i], &buf, &len) != GR_OK) {
            fprintf(stderr, "greeter faces identify: %s: cannot read\n", argv[i]);
            status = 1;
            continue;
        }
        int n = vis_faces_identify(f, &st, buf, len, found, 32, err, sizeof err);
        free(buf);
        if (n < 0) {
            fprintf(stderr, "greeter faces identify: %s: %s\n", argv[i], err);
            status = 1;
            continue;
        }
        json_t *faces = json_array();
        for (int k = 0; k < n && faces; k++) {
            const vis_identified_t *o = &found[k];
            char pid[24];
            snprintf(pid, sizeof pid, "%lld", o->person_id);
            json_array_append_new(faces, json_pack("{s:o,s:s?,s:s,s:b,s:b,s:f,s:f,s:f}", "box", box_json(&o->box),
                                                   "person_id", o->person_id > 0 ? pid : NULL, "label", o->label,
                                                   "known", o->known, "suppressed", o->suppressed, "distance",
                                                   (double)o->distance, "margin", (double)o->margin, "quality",
                                                   (double)o->quality));
        }
        print_json(json_pack("{s:s,s:o}", "image", argv[i], "faces", faces ? faces : json_array()));
    }
    stores->close(&st);
    vis_faces_close(f);
    return status;
}

static int cmd_enroll(const gr_config_t *cfg, const vis_store_opener_t *stores, int argc, char **argv) {
    const char *name = NULL, *db = NULL;
    long long person = 0;
    int first = -1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--name") && i + 1 < argc) name = argv[++i];
        else if (!strcmp(argv[i], "--db") && i + 1 < argc) db = argv[++i];
        else if (!strcmp(argv[i], "--person") && i + 1 < argc) {
            char *end;
            person = strtoll(argv[++i], &end, 10);
            if (*end || person <= 0) {
                fprintf(stderr, "greeter faces enroll: --person needs a positive id\n");
                return 2;
            }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            usage();
            return 2;
        } else if (first < 0) first = i;
    }
    if (first < 0 || (!name && !person)) {
        usage();
        return 2;
    }
    vis_faces_t *f;
    vis_store_t st;
    char err[512];
    if (open_faces_store(cfg, stores, db, "enroll", &f, &st) != GR_OK) return 1;
    int status = 0, added = 0, matched = 0;
    for (int i = first; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1]) {
            i++;
            continue;
        }
        unsigned char *buf = NULL;
        size_t len = 0;
        if (read_all(argv[i], &buf, &len) != GR_OK) {
            fprintf(stderr, "greeter faces enroll: %s: cannot read\n", argv[i]);
            status = 1;
            continue;
        }
        vis_enrolled_t res;
        int rc = vis_faces_enroll_ex(f, &st, person, name, buf, len, &res, err, sizeof err);
        free(buf);
        if (rc) {
            fprintf(stderr, "greeter faces enroll: %s: %s\n", argv[i], err);
            status = 1;
            continue;
        }
        if (res.matched)
            fprintf(stderr, "greeter faces enroll: %s: the camera knew this face as person %lld: named it\n", argv[i],
                    res.person_id);
        matched |= res.matched;
        person = res.person_id; /* the next photos add templates to the same person */
        added++;
    }
    stores->close(&st);
    vis_faces_close(f);
    if (added) {
        char pid[24];
        snprintf(pid, sizeof pid, "%lld", person);
        print_json(json_pack("{s:s,s:s,s:i,s:b}", "person_id", pid, "label", name ? name : "", "templates", added,
                             "named_existing", matched));
    }
    return status;
}

/* ---- watch ---- */

static atomic_int g_stop;
static void on_signal(int sig) {
    (void)sig;
    atomic_store(&g_stop, 1);
}

static void print_event(const vis_event_t *ev, void *ud) {
    (void)ud;
    char pid[24];
    snprintf(pid, sizeof pid, "%lld", (long long)ev->person_id);
    json_t *j = json_pack("{s:I,s:f,s:s,s:b,s:f,s:o,s:s,s:I,s:i,s:s}", "frame", (json_int_t)ev->frame, "t", ev->t,
                          "person_id", pid, "new", ev->is_new, "distance", (double)ev->distance, "box",
                          box_json(&ev->box), "label", ev->label, "visit_id", (json_int_t)ev->visit_id, "visit_count",
                          ev->visit_count, "snapshot", ev->snapshot);
    print_json(j);
}

static double cpu_seconds(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

static int cmd_watch(const gr_config_t *cfg, const vis_store_opener_t *stores, int argc, char **argv) {
    const char *src = NULL, *db = NULL;
    int every = 0, stats = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc) db = argv[++i];
        else if (!strcmp(argv[i], "--every-frame")) every = 1;
        else if (!strcmp(argv[i], "--stats")) stats = 1;
        else if (argv[i][0] == '-' && argv[i][1]) {
            usage();
            return 2;
        } else if (!src) src = argv[i];
        else {
            usage();
            return 2;
        }
    }
    if (!src) {
        usage();
        return 2;
    }
    char spec[4200];
    if (!strcmp(src, "auto"))
        vis_source_auto(gr_config_str(cfg, GR_SET_CAMERA_DEMO_VIDEO), spec, sizeof spec);
    else
        snprintf(spec, sizeof spec, "%s", src);
    char err[600];
    vis_store_t st;
    int rc = stores->open(stores->ctx, db ? db : ":memory:", &st, err, sizeof err);
    if (rc) {
        fprintf(stderr, "greeter faces watch: %s\n", err);
        return 1;
    }
    char snapdir[4200] = "";
    if (db) {
        snprintf(snapdir, sizeof snapdir, "%s", db);
        char *slash = strrchr(snapdir, '/');
        if (slash)
            snprintf(slash, sizeof snapdir - (size_t)(slash - snapdir), "/snapshots");
        else
            snprintf(snapdir, sizeof snapdir, "snapshots");
    }
    vis_source_opts_t so = {(int)gr_config_int(cfg, GR_SET_CAMERA_WIDTH), (int)gr_config_int(cfg, GR_SET_CAMERA_HEIGHT),
                            (int)gr_config_int(cfg, GR_SET_CAMERA_FPS), 0, 0};
    vis_source_t *source;
    rc = vis_source_open(spec, &so, &source, err, sizeof err);
    if (rc) {
        fprintf(stderr, "greeter faces watch: %s\n", err);
        stores->close(&st);
        return 1;
    }
    int live = strncmp(spec, "/dev/", 5) == 0 || strstr(spec, "://") != NULL;
    vis_engine_opts_t eo;
    vis_engine_opts_from_config(cfg, &eo);
    eo.every_frame = every;
    eo.block = !live;
    eo.snapshot_dir = db ? snapdir : NULL;
    eo.camera = spec;
    eo.stream_fps = 0;
    double cpu0 = cpu_seconds(), wall0 = gr_now_mono();
    vis_engine_t *eng;
    rc = vis_engine_open(&eo, gr_config_str(cfg, GR_SET_MODELS_DIR), &st, print_event, NULL, &eng, err, sizeof err);
    if (rc) {
        fprintf(stderr, "greeter faces watch: %s\n", err);
        vis_source_close(source);
        stores->close(&st);
        return 1;
    }
    double cpu_load = cpu_seconds() - cpu0, wall1 = gr_now_mono();
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    vis_image_t frame = {0};
    int status = 0;
    long frames = 0;
    while (!atomic_load(&g_stop)) {
        double t;
        long index;
        rc = vis_source_read(source, &frame, &t, &index, err, sizeof err);
        if (rc == GR_ERR_STOPPED) break;
        if (rc == GR_ERR_FORMAT) {
            static gr_log_burst_t burst;
            if (gr_log_burst(&burst, 10)) LOG_W("skipping a bad frame: %s", err);
            continue;
        }
        if (rc) {
            fprintf(stderr, "greeter faces watch: %s\n", err);
            status = 1;
            break;
        }
        frames++;
        if (vis_engine_push(eng, &frame, t, index) != GR_OK) break;
    }
    if (frames == 0 && status == 0) {
        fprintf(stderr, "greeter faces watch: %s: no frames could be read\n", spec);
        status = 1;
    }
    vis_engine_drain(eng);
    vis_engine_stats_t s;
    vis_engine_stats(eng, &s);
    vis_engine_close(eng);
    vis_image_free(&frame);
    vis_source_close(source);
    stores->close(&st);
    if (stats) {
        double cpu = cpu_seconds() - cpu0, wall = gr_now_mono() - wall1;
        fprintf(stderr,
                "{\"mode\":\"%s\",\"frames\":%ld,\"wall_s\":%.3f,\"fps\":%.1f,\"cpu_s\":%.3f,\"cpu_load_s\":%.3f,"
                "\"motion_frames\":%ld,\"scans\":%ld,\"motion_searches\":%ld,\"motion_skipped\":%ld,"
                "\"detect_runs\":%ld,\"detect_mpixels\":%.2f,\"scan_mpixels\":%.2f,\"motion_mpixels\":%.2f,\"samples\":%ld,"
                "\"descriptors\":%ld,\"events\":%ld,\"dropped_frames\":%ld,\"dropped_samples\":%ld}\n",
                every ? "every-frame" : "tracked", s.frames, wall, wall > 0 ? s.frames / wall : 0.0, cpu, cpu_load,
                s.motion_frames, s.scans, s.motion_searches, s.motion_skipped, s.detect_runs, s.detect_pixels / 1e6,
                s.scan_pixels / 1e6, s.motion_pixels / 1e6, s.samples, s.descriptors, s.events,
                s.dropped_frames, s.dropped_samples);
    }
    (void)wall0;
    return status;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* `faces bench-gallery`: time matching against a synthetic gallery (docs/BENCHMARKS.md). */
static int cmd_bench_gallery(int argc, char **argv) {
    long templates = 100000, queries = 200;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--templates") && i + 1 < argc) templates = atol(argv[++i]);
        else if (!strcmp(argv[i], "--queries") && i + 1 < argc) queries = atol(argv[++i]);
        else {
            usage();
            return 2;
        }
    }
    if (templates < 1 || templates > 10000000 || queries < 1 || queries > 100000) {
        fprintf(stderr, "greeter faces bench-gallery: --templates 1..10000000, --queries 1..100000\n");
        return 2;
    }
    vis_gallery_t *g = vis_gallery_new();
    float *q = malloc((size_t)queries * FMT_DESC_DIM * sizeof(float));
    if (!g || !q) {
        vis_gallery_free(g);
        free(q);
        return 1;
    }
    /* random unit-ish descriptors, 5 templates per person */
    unsigned s = 12345;
    float d[FMT_DESC_DIM];
    for (long t = 0; t < templates; t++) {
        for (int k = 0; k < FMT_DESC_DIM; k++) {
            s = s * 1103515245u + 12345u;
            d[k] = ((float)(s >> 8) / 16777216.0f - 0.5f) * 0.18f;
        }
        if (vis_gallery_add(g, t / 5 + 1, d) != GR_OK) {
            fprintf(stderr, "greeter faces bench-gallery: out of memory\n");
            vis_gallery_free(g);
            free(q);
            return 1;
        }
    }
    for (long i = 0; i < queries * FMT_DESC_DIM; i++) {
        s = s * 1103515245u + 12345u;
        q[i] = ((float)(s >> 8) / 16777216.0f - 0.5f) * 0.18f;
    }
    vis_match_t m;
    double best = 1e9, sum = 0, sink = 0;
    double *times = malloc((size_t)queries * sizeof(double));
    if (!times) {
        vis_gallery_free(g);
        free(q);
        return 1;
    }
    for (long i = 0; i < queries; i++) {
        double t0 = gr_now_mono();
        vis_gallery_search(g, q + i * FMT_DESC_DIM, &m);
        double dt = gr_now_mono() - t0;
        times[i] = dt;
        sum += dt;
        if (dt < best) best = dt;
        sink += m.distance;
    }
    qsort(times, (size_t)queries, sizeof(double), cmp_double);
    printf("{\"templates\":%ld,\"queries\":%ld,\"mean_ms\":%.3f,\"median_ms\":%.3f,\"min_ms\":%.3f,"
           "\"checksum\":%.3f}\n",
           templates, queries, sum / (double)queries * 1e3, times[queries / 2] * 1e3, best * 1e3, sink);
    free(times);
    vis_gallery_free(g);
    free(q);
    return 0;
}

int vis_cli_faces(const gr_config_t *cfg, const vis_store_opener_t *stores, int argc, char **argv) {
    if (argc < 2) {
        usage();
        return 2;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "embed")) return cmd_embed(cfg, argc - 1, argv + 1);
    if (!strcmp(sub, "compare")) return cmd_compare(cfg, argc - 1, argv + 1);
    if (!strcmp(sub, "enroll")) return cmd_enroll(cfg, stores, argc - 1, argv + 1);
    if (!strcmp(sub, "identify")) return cmd_identify(cfg, stores, argc - 1, argv + 1);
    if (!strcmp(sub, "watch")) return cmd_watch(cfg, stores, argc - 1, argv + 1);
    if (!strcmp(sub, "bench-gallery")) return cmd_bench_gallery(argc - 1, argv + 1);
    if (!strcmp(sub, "--help") || !strcmp(sub, "help")) {
        usage();
        return 0;
    }
    fprintf(stderr, "greeter faces: unknown command '%s'\n", sub);
    usage();
    return 2;
}
