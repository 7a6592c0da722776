/* users_cli.c - `greeter users list|add|passwd|disable|enable|role`
 * (docs/CLI.md) over web/users.h. A password set here is generated (or
 * read from stdin with --password-stdin, never from the command line, which
 * other users can see) and must be changed at the first login. */
#include "crm/opts.h"
#include "firmware/core/err.h"
#include "web/auth.h"
#include "web/cli.h"
#include "web/users.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACTOR "cli"

static int usage(void) {
    fprintf(stderr,
            "usage: greeter users list\n"
            "       greeter users add NAME [--role admin|desk] [--display-name TEXT] [--email ADDR] [--password-stdin]\n"
            "       greeter users passwd NAME [--password-stdin]\n"
            "       greeter users disable|enable NAME\n"
            "       greeter users role NAME admin|desk\n"
            "  A new password is generated and printed unless --password-stdin reads it (one line);\n"
            "  either way the user must change it at the first login.\n");
    return 2;
}

/* 16 characters without look-alikes (as the first admin's). */
static void make_password(char out[17]) {
    static const char alpha[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < 16; i++) out[i] = alpha[randombytes_uniform(sizeof alpha - 1)];
    out[16] = '\0';
}

/* The password to set into pw: read from stdin or generated (*generated 1). */
static int get_password(int from_stdin, const char *username, char pw[WEB_PASSWORD_MAX + 2], int *generated) {
    *generated = 0;
    if (!from_stdin) {
        make_password(pw);
        *generated = 1;
        return 0;
    }
    if (!fgets(pw, WEB_PASSWORD_MAX + 2, stdin)) {
        fprintf(stderr, "greeter users: no password on stdin\n");
        return 1;
    }
    pw[strcspn(pw, "\r\n")] = '\0';
    char err[256];
    if (web_password_policy(username, pw, err, sizeof err) != GR_OK) {
        fprintf(stderr, "greeter users: %s\n", err);
        return 1;
    }
    return 0;
}

static int print_user(crm_store_t *st, int64_t id, const char *pw) {
    json_t *u = NULL;
    if (web_users_get(st, id, &u) != GR_OK) return 1;
    if (pw) json_object_set_new(u, "password", json_string(pw));
    char *t = json_dumps(u, JSON_COMPACT);
    json_decref(u);
    if (!t) return 1;
    printf("%s\n", t);
    free(t);
    return 0;
}

static int find(crm_store_t *st, const char *name, int64_t *id) {
    int rc = web_users_find(st, name, id);
    if (rc == GR_ERR_NOTFOUND) fprintf(stderr, "greeter users: no user '%s'\n", name);
    else if (rc != GR_OK) fprintf(stderr, "greeter users: %s\n", gr_strerror(rc));
    return rc == GR_OK ? 0 : 1;
}

static int run(crm_store_t *st, int argc, char **argv) {
    const char *cmd = argv[1];
    if (strcmp(cmd, "list") == 0 && argc == 2) {
        json_t *a = NULL;
        if (web_users_list(st, &a) != GR_OK) return 1;
        size_t i;
        json_t *u;
        json_array_foreach(a, i, u) {
            char *t = json_dumps(u, JSON_COMPACT);
            if (t) printf("%s\n", t);
            free(t);
        }
        json_decref(a);
        return 0;
    }
    if (argc < 3) return usage();
    const char *name = argv[2];
    char err[256] = "";
    int64_t id = 0;
    if (strcmp(cmd, "add") == 0 || strcmp(cmd, "passwd") == 0) {
        const char *role = WEB_ROLE_DESK, *display = NULL, *email = NULL;
        int from_stdin = 0;
        for (int i = 3; i < argc; i++) {
            if (strcmp(argv[i], "--password-stdin") == 0) from_stdin = 1;
            else if (strcmp(cmd, "add") == 0 && i + 1 < argc && strcmp(argv[i], "--role") == 0) role = argv[++i];
            else if (strcmp(cmd, "add") == 0 && i + 1 < argc && strcmp(argv[i], "--display-name") == 0) display = argv[++i];
            else if (strcmp(cmd, "add") == 0 && i + 1 < argc && strcmp(argv[i], "--email") == 0) email = argv[++i];
            else return usage();
        }
        if (strcmp(cmd, "passwd") == 0 && find(st, name, &id) != 0) return 1;
        char pw[WEB_PASSWORD_MAX + 2], hash[WEB_HASH_MAX];
        int generated = 0;
        if (get_password(from_stdin, name, pw, &generated) != 0) return 1;
        int rc = web_password_hash(pw, hash);
        if (rc == GR_OK)
            rc = strcmp(cmd, "add") == 0
                     ? web_users_add(st, name, display, email, role, hash, 1, ACTOR, &id, err, sizeof err)
                     : web_users_set_password(st, id, hash, 1, NULL, ACTOR);
        sodium_memzero(hash, sizeof hash);
        int out = 1;
        if (rc != GR_OK) fprintf(stderr, "greeter users: %s\n", err[0] ? err : gr_strerror(rc));
        else out = print_user(st, id, generated ? pw : NULL);
        sodium_memzero(pw, sizeof pw);
        return out;
    }
    if ((strcmp(cmd, "disable") == 0 || strcmp(cmd, "enable") == 0) && argc == 3) {
        if (find(st, name, &id) != 0) return 1;
        int rc = web_users_update(st, id, NULL, NULL, NULL, strcmp(cmd, "disable") == 0, ACTOR, err, sizeof err);
        if (rc != GR_OK) {
            fprintf(stderr, "greeter users: %s\n", err[0] ? err : gr_strerror(rc));
            return 1;
        }
        return print_user(st, id, NULL);
    }
    if (strcmp(cmd, "role") == 0 && argc == 4) {
        if (find(st, name, &id) != 0) return 1;
        int rc = web_users_update(st, id, NULL, NULL, argv[3], -1, ACTOR, err, sizeof err);
        if (rc != GR_OK) {
            fprintf(stderr, "greeter users: %s\n", err[0] ? err : gr_strerror(rc));
            return 1;
        }
        return print_user(st, id, NULL);
    }
    return usage();
}

int web_cli_users(const gr_config_t *cfg, int argc, char **argv) {
    if (argc < 2) return usage();
    if (sodium_init() < 0) {
        fprintf(stderr, "greeter users: libsodium failed to initialise\n");
        return 1;
    }
    char err[1024];
    crm_store_t *st = NULL;
    crm_opts_t opts;
    crm_opts_from_config(cfg, &opts);
    if (crm_store_open_dir(gr_config_str(cfg, GR_SET_STORAGE_DIR), &opts, &st, err, sizeof err) != GR_OK) {
        fprintf(stderr, "greeter users: %s\n", err);
        return 1;
    }
    int rc = run(st, argc, argv);
    crm_store_close(st);
    return rc;
}
