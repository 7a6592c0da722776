/* greeter - the command-line tool. One table of subcommands; each module
 * owns its own (`faces` in vision/, `cards` in ocr/, `contacts`/`sync` in
 * crm/). Output meant for programs is one JSON object per line. */
#include "crm/cli.h"
#include "crm/face_store.h"
#include "firmware/core/config.h"
#include "firmware/core/err.h"
#include "firmware/core/models.h"
#include "ocr/ocr.h"
#include "crm/store.h"
#include "firmware/core/version.h"
#include "vision/vision.h"
#include "web/cli.h"

#include <stdio.h>
#include <string.h>

static int cmd_config(const gr_config_t *cfg, int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--defaults") == 0) {
        gr_config_print_defaults(stdout);
        return 0;
    }
    if (argc == 1 || (argc == 2 && strcmp(argv[1], "--show") == 0)) {
        gr_config_print(cfg, stdout);
        return 0;
    }
    fprintf(stderr, "usage: greeter config [--defaults | --show]\n");
    return 2;
}

static int cmd_models(const gr_config_t *cfg, int argc, char **argv) {
    if (argc != 2 || strcmp(argv[1], "verify") != 0) {
        fprintf(stderr, "usage: greeter models verify   (checks size and sha256 of every model in models.dir)\n");
        return 2;
    }
    char err[1024];
    const char *dir = gr_config_str(cfg, GR_SET_MODELS_DIR);
    int rc = gr_models_check(dir, 1, err, sizeof err);
    if (rc != GR_OK) {
        fprintf(stderr, "greeter: %s\n", err);
        return 1;
    }
    printf("{\"models_dir\":\"%s\",\"ok\":true}\n", dir);
    return 0;
}

static int cmd_db(const gr_config_t *cfg, int argc, char **argv) {
    if (argc != 2 || (strcmp(argv[1], "migrate") != 0 && strcmp(argv[1], "version") != 0)) {
        fprintf(stderr, "usage: greeter db migrate|version\n");
        return 2;
    }
    char err[1024];
    crm_store_t *st = NULL;
    crm_opts_t opts;
    crm_opts_from_config(cfg, &opts);
    int rc = crm_store_open_dir(gr_config_str(cfg, GR_SET_STORAGE_DIR), &opts, &st, err, sizeof err);
    if (rc != GR_OK) {
        fprintf(stderr, "greeter: %s\n", err);
        return 1;
    }
    printf("{\"database\":\"%s\",\"version\":%d,\"latest\":%d}\n", crm_store_path(st), crm_store_version(st),
           crm_store_latest_version());
    crm_store_close(st);
    return 0;
}

/* `faces`: vision's CLI, storing into crm's tables; the face library's
 * corrections are crm's. */
static int cmd_faces(const gr_config_t *cfg, int argc, char **argv) {
    static const char *const library[] = {"show", "merge", "not-this", "delete-template", "forget"};
    for (size_t i = 0; argc >= 2 && i < sizeof library / sizeof library[0]; i++)
        if (strcmp(argv[1], library[i]) == 0) return crm_cli_faces(cfg, argc, argv);
    crm_opts_t opts;
    crm_opts_from_config(cfg, &opts);
    const vis_store_opener_t stores = crm_face_store_opener(&opts);
    return vis_cli_faces(cfg, &stores, argc, argv);
}

static const struct {
    const char *name;
    int (*run)(const gr_config_t *cfg, int argc, char **argv);
    const char *help;
} commands[] = {
    {"config", cmd_config, "config [--defaults|--show]   print settings"},
    {"models", cmd_models, "models verify                check model files against the manifest"},
    {"db", cmd_db, "db migrate|version           create/upgrade the database"},
    {"faces", cmd_faces, "faces embed|compare|enroll|identify|watch|show|merge|not-this|delete-template|forget ...   faces (docs/CLI.md)"},
    {"cards", ocr_cli_cards, "cards scan [--region CC] [--vcard] IMAGE...   read business cards"},
    {"contacts", crm_cli_contacts, "contacts export|import ...   contacts as vCard or CSV"},
    {"sync", crm_cli_sync, "sync status|once|retry-dead    the central-CRM sync agent"},
    {"users", web_cli_users, "users list|add|passwd|disable|enable|role ...   web UI accounts"},
};

static void usage(FILE *f) {
    fprintf(f, "usage: greeter [--config FILE] [--section.key=value ...] COMMAND [ARGS]\n"
               "       greeter --version\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) fprintf(f, "  %s\n", commands[i].help);
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("greeter %s\n", GR_VERSION);
        return 0;
    }
    char err[1024];
    gr_config_t *cfg = NULL;
    if (gr_config_from_args(&cfg, &argc, argv, err, sizeof err) != GR_OK) {
        fprintf(stderr, "greeter: %s\n", err);
        return 2;
    }
    int rc = 2;
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        rc = argc < 2 ? 2 : 0;
    } else {
        size_t i;
        for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
            if (strcmp(argv[1], commands[i].name) == 0) break;
        if (i < sizeof commands / sizeof commands[0]) {
            rc = commands[i].run(cfg, argc - 1, argv + 1);
        } else {
            fprintf(stderr, "greeter: unknown command '%s'\n", argv[1]);
            usage(stderr);
        }
    }
    gr_config_free(cfg);
    return rc;
}
