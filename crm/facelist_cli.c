/* facelist_cli.c - `greeter faces show|merge|not-this|delete-template|forget`:
 * the face library (crm/facelist.h) from the command line (docs/CLI.md).
 * Output: one JSON object per line; errors on stderr with exit code 1 (2 for
 * bad usage). */
#define GR_LOG_MODULE "crm"
#include "crm/cli.h"

#include "crm/facelist.h"
#include "crm/privacy.h"
#include "crm/store.h"
#include "firmware/core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void) {
    fprintf(stderr, "usage: greeter faces show ID [--db FILE]\n"
                    "       greeter faces merge KEEP_ID GONE_ID [--db FILE]\n"
                    "       greeter faces not-this VISIT_ID [--to ID] [--db FILE]   (no --to: a new identity)\n"
                    "       greeter faces delete-template ID TEMPLATE_ID [--db FILE]\n"
                    "       greeter faces forget ID [--suppress] [--db FILE]\n");
}

static int parse_id(const char *s, int64_t *out) {
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v <= 0) return GR_ERR_INVAL;
    *out = v;
    return GR_OK;
}

static void print(json_t *j) {
    char *t = j ? json_dumps(j, JSON_COMPACT) : NULL;
    if (t) printf("%s\n", t);
    free(t);
    json_decref(j);
}

int crm_cli_faces(const gr_config_t *cfg, int argc, char **argv) {
    /* argv[0] = "faces", argv[1] = the subcommand */
    if (argc < 3) {
        usage();
        return 2;
    }
    const char *sub = argv[1], *db = NULL;
    int64_t ids[2] = {0, 0}, to = 0;
    int nids = 0, suppress = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc) db = argv[++i];
        else if (!strcmp(argv[i], "--to") && i + 1 < argc) {
            if (parse_id(argv[++i], &to) != GR_OK) {
                fprintf(stderr, "greeter faces %s: --to needs a positive id\n", sub);
                return 2;
            }
        } else if (!strcmp(argv[i], "--suppress")) suppress = 1;
        else if (nids < 2 && parse_id(argv[i], &ids[nids]) == GR_OK) nids++;
        else {
            usage();
            return 2;
        }
    }
    int want = !strcmp(sub, "merge") || !strcmp(sub, "delete-template") ? 2 : 1;
    if (nids != want) {
        usage();
        return 2;
    }
    char path[4200], err[512] = "";
    if (!db) {
        snprintf(path, sizeof path, "%s/greeter.db", gr_config_str(cfg, GR_SET_STORAGE_DIR));
        db = path;
    }
    crm_opts_t opts;
    crm_opts_from_config(cfg, &opts);
    crm_store_t *st = NULL;
    int rc = crm_store_open(db, &opts, &st, err, sizeof err);
    if (rc != GR_OK) {
        fprintf(stderr, "greeter faces %s: %s\n", sub, err);
        return 1;
    }
    json_t *out = NULL;
    int64_t person = 0;
    const char *actor = "cli";
    if (!strcmp(sub, "show")) {
        rc = crm_face_detail(st, ids[0], &out);
        if (rc == GR_ERR_NOTFOUND) snprintf(err, sizeof err, "no such face identity");
    } else if (!strcmp(sub, "merge")) {
        rc = crm_face_merge(st, ids[0], ids[1], actor, err, sizeof err);
        if (rc == GR_OK) out = json_pack("{s:I,s:I}", "into", (json_int_t)ids[0], "merged", (json_int_t)ids[1]);
    } else if (!strcmp(sub, "not-this")) {
        double thr = gr_config_double(cfg, GR_SET_VISION_MATCH_THRESHOLD);
        rc = crm_face_not_this(st, ids[0], to, thr, actor, &person, err, sizeof err);
        if (rc == GR_OK) out = json_pack("{s:I,s:I}", "visit_id", (json_int_t)ids[0], "person_id", (json_int_t)person);
    } else if (!strcmp(sub, "delete-template")) {
        rc = crm_face_template_delete(st, ids[0], ids[1], actor, err, sizeof err);
        if (rc == GR_OK) out = json_pack("{s:I,s:I}", "person_id", (json_int_t)ids[0], "deleted", (json_int_t)ids[1]);
    } else if (!strcmp(sub, "forget")) {
        rc = suppress ? crm_face_suppress(st, ids[0], actor, &out, err, sizeof err)
                      : crm_face_forget(st, ids[0], actor, &out, err, sizeof err);
    } else {
        usage();
        crm_store_close(st);
        return 2;
    }
    crm_store_close(st);
    if (rc != GR_OK) {
        fprintf(stderr, "greeter faces %s: %s\n", sub, err[0] ? err : gr_strerror(rc));
        json_decref(out);
        return 1;
    }
    print(out);
    return 0;
}
