/* `greeter contacts export --format vcard|vcard3|csv|csv-google|csv-outlook [--output FILE]` and
 * `greeter contacts import FILE` (docs/CLI.md). */
#define GR_LOG_MODULE "contacts"
#include "crm/cli.h"

#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "crm/store.h"
#include "crm/transfer.h"

#include <jansson.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT_MAX (64L << 20)

static int usage(void) {
    fprintf(stderr, "usage: greeter contacts export --format vcard|vcard3|csv|csv-google|csv-outlook [--output FILE]\n"
                    "       greeter contacts import FILE      (vCard or CSV, told apart by content; - = stdin)\n");
    return 2;
}

static int open_store(const gr_config_t *cfg, crm_store_t **st) {
    char err[512];
    crm_opts_t opts;
    crm_opts_from_config(cfg, &opts);
    int rc = crm_store_open_dir(gr_config_str(cfg, GR_SET_STORAGE_DIR), &opts, st, err, sizeof err);
    if (rc != GR_OK) fprintf(stderr, "greeter contacts: %s\n", err);
    return rc;
}

static int do_export(const gr_config_t *cfg, int argc, char **argv) {
    const char *format = NULL, *output = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--format") && i + 1 < argc) format = argv[++i];
        else if (!strncmp(argv[i], "--format=", 9)) format = argv[i] + 9;
        else if ((!strcmp(argv[i], "--output") || !strcmp(argv[i], "-o")) && i + 1 < argc) output = argv[++i];
        else if (!strncmp(argv[i], "--output=", 9)) output = argv[i] + 9;
        else return usage();
    }
    if (!format || (strcmp(format, "vcard") && strcmp(format, "vcard3") && strcmp(format, "csv") &&
                    strcmp(format, "csv-google") && strcmp(format, "csv-outlook"))) {
        fprintf(stderr, "greeter contacts export: --format must be vcard or csv "
                        "(vcard: vCard 4.0; vcard3: 3.0; csv-google, csv-outlook: those address books' CSV)\n");
        return 2;
    }
    crm_store_t *st = NULL;
    if (open_store(cfg, &st) != GR_OK) return 1;
    char *text = NULL;
    size_t n = 0;
    int code = 1;
    int rc = crm_contacts_export(st, format, "cli", &text, &n);
    if (rc != GR_OK) {
        fprintf(stderr, "greeter contacts export: %s\n", gr_strerror(rc));
        goto out;
    }
    FILE *f = output ? fopen(output, "wb") : stdout;
    if (!f) {
        fprintf(stderr, "greeter contacts export: cannot write %s: %s\n", output, strerror(errno));
        goto out;
    }
    size_t len = strlen(text);
    int ok = fwrite(text, 1, len, f) == len;
    if (output) ok = (fclose(f) == 0) && ok;
    else ok = (fflush(f) == 0) && ok;
    if (!ok) {
        fprintf(stderr, "greeter contacts export: write failed: %s\n", strerror(errno));
        goto out;
    }
    fprintf(stderr, "exported %zu contacts as %s\n", n, format);
    code = 0;
out:
    free(text);
    crm_store_close(st);
    return code;
}

static char *read_all(const char *path, size_t *len) {
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        if (n == cap) {
            if (cap >= (size_t)IMPORT_MAX) {
                errno = EFBIG;
                free(buf);
                buf = NULL;
                break;
            }
            char *p = realloc(buf, cap * 2 + 1);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                free(buf);
                buf = NULL;
            }
            break;
        }
    }
    if (f != stdin) fclose(f);
    if (buf) {
        buf[n] = 0;
        *len = n;
    }
    return buf;
}

static int do_import(const gr_config_t *cfg, int argc, char **argv) {
    if (argc != 2) return usage();
    const char *path = argv[1];
    size_t len = 0;
    errno = 0;
    char *text = read_all(path, &len);
    if (!text) {
        fprintf(stderr, "greeter contacts import: cannot read %s: %s\n", path,
                errno == EFBIG ? "larger than 64 MB" : strerror(errno));
        return 1;
    }
    crm_store_t *st = NULL;
    if (open_store(cfg, &st) != GR_OK) {
        free(text);
        return 1;
    }
    json_t *report = NULL;
    int code = 1;
    int rc = crm_contacts_import(st, text, len, "cli", &report);
    if (rc == GR_ERR_FORMAT) {
        fprintf(stderr, "greeter contacts import: %s is neither vCard nor CSV with a header row "
                        "(name, given_name, family_name, email, phone, company, ...)\n", path);
        goto out;
    }
    if (rc != GR_OK) {
        fprintf(stderr, "greeter contacts import: %s: %s (nothing imported)\n", path, gr_strerror(rc));
        goto out;
    }
    size_t i;
    json_t *e;
    /* values left out of records that were imported */
    json_array_foreach(json_object_get(report, "warnings"), i, e)
        fprintf(stderr, "%s:%lld: %s\n", path, (long long)json_integer_value(json_object_get(e, "line")),
                json_string_value(json_object_get(e, "message")));
    json_array_foreach(json_object_get(report, "errors"), i, e)
        fprintf(stderr, "%s:%lld: skipped: %s\n", path, (long long)json_integer_value(json_object_get(e, "line")),
                json_string_value(json_object_get(e, "message")));
    char *line = json_dumps(report, JSON_COMPACT);
    if (line) printf("%s\n", line);
    free(line);
    code = json_integer_value(json_object_get(report, "failed")) ? 1 : 0;
out:
    json_decref(report);
    crm_store_close(st);
    free(text);
    return code;
}

int crm_cli_contacts(const gr_config_t *cfg, int argc, char **argv) {
    if (argc < 2) return usage();
    if (!strcmp(argv[1], "export")) return do_export(cfg, argc - 1, argv + 1);
    if (!strcmp(argv[1], "import")) return do_import(cfg, argc - 1, argv + 1);
    return usage();
}
