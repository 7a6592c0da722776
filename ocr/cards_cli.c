/* cards_cli.c - `greeter cards scan|text ...` (docs/CLI.md). */
#include "ocr/ocr.h"
#include "ocr/scan.h"
#include "firmware/formats/vcard.h"
#include "ocr/fields.h"
#include "firmware/formats/strbuf.h"

#include "firmware/core/err.h"

#define GR_LOG_MODULE "ocr"
#include "firmware/core/log.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_FILE_BYTES (400L * 1024 * 1024)

static void usage(FILE *f) {
    fprintf(f, "usage: greeter cards scan [--region CC] [--vcard] IMAGE...\n"
               "       greeter cards text IMAGE...      (recognised lines, for debugging)\n"
               "       greeter cards parse [--region CC] < TEXT   (fields from text lines, one per line,\n"
               "                                     or from the output of `cards text`)\n");
}

/* Read a whole file; *buf malloc'd, owned by the caller. */
static int read_file(const char *path, char **buf, size_t *len, char *err, size_t errlen) {
    *buf = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open: %m");
        return GR_ERR_IO;
    }
    int rc = GR_OK;
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        snprintf(err, errlen, "not a regular file");
        rc = GR_ERR_IO;
        goto out;
    }
    if (sb.st_size > MAX_FILE_BYTES) {
        snprintf(err, errlen, "file is larger than %ld MB", MAX_FILE_BYTES / (1024 * 1024));
        rc = GR_ERR_TOOBIG;
        goto out;
    }
    *buf = malloc((size_t)sb.st_size + 1);
    if (!*buf) {
        rc = GR_ERR_NOMEM;
        goto out;
    }
    *len = fread(*buf, 1, (size_t)sb.st_size, f);
    if (ferror(f)) {
        snprintf(err, errlen, "read error");
        free(*buf);
        *buf = NULL;
        rc = GR_ERR_IO;
    }
out:
    fclose(f);
    return rc;
}

static void print_error(const char *image, int rc, const char *msg) {
    const char *m = msg && *msg ? msg : gr_strerror(rc);
    fprintf(stderr, "greeter cards: %s: %s\n", image, m);
    json_t *o = json_pack("{s:s, s:s, s:s}", "image", image, "error", m, "code", gr_strerror(rc));
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    if (s) printf("%s\n", s);
    free(s);
    json_decref(o);
}

static int print_cards(const char *image, const char *json, int vcard) {
    json_t *arr = json_loads(json, 0, NULL);
    if (!arr) return GR_ERR_FORMAT;
    size_t i;
    json_t *c;
    int rc = GR_OK;
    json_array_foreach(arr, i, c) {
        if (vcard) {
            char *one = json_dumps(c, JSON_COMPACT), *v = NULL;
            int wrc = one ? fmt_vcard_write(one, &v) : GR_ERR_NOMEM;
            if (wrc == GR_OK) fputs(v, stdout);
            else rc = wrc;
            free(v);
            free(one);
            continue;
        }
        json_t *o = json_object();
        if (!o) return GR_ERR_NOMEM;
        json_object_set_new(o, "image", json_string(image));
        json_object_update(o, c);
        char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(3));
        if (s) printf("%s\n", s);
        else rc = GR_ERR_NOMEM;
        free(s);
        json_decref(o);
    }
    json_decref(arr);
    fflush(stdout);
    return rc;
}

/* Parse one card's text (dump or plain lines) and print its contact JSON. */
static int parse_print(const char *text, size_t len, const char *region) {
    ocr_lines_t ls = {0};
    int rc = ocr_lines_from_dump(&ls, text, len);
    json_t *o = rc == GR_OK ? ocr_fields_parse(&ls, region) : NULL;
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(3)) : NULL;
    if (s) printf("%s\n", s);
    else fprintf(stderr, "greeter cards parse: %s\n", gr_strerror(rc == GR_OK ? GR_ERR_NOMEM : rc));
    free(s);
    json_decref(o);
    ocr_lines_free(&ls);
    return s ? 0 : 1;
}

/* `greeter cards parse`: stdin -> the contact JSON. The input is plain text
 * lines, the lines `greeter cards text` prints ("CONF X,Y,W,H<TAB>TEXT",
 * boxes and confidences kept), or that command's whole JSON output (one
 * contact per card), so a card read once can be parsed again in
 * milliseconds while the field rules change. */
static int cli_parse(const gr_config_t *cfg, int argc, char **argv) {
    const char *region = gr_config_str(cfg, GR_SET_DEVICE_REGION);
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--region") && i + 1 < argc) region = argv[++i];
        else {
            usage(stderr);
            return 2;
        }
    }
    fmt_strbuf_t in;
    fmt_sb_init(&in);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0 && in.len < 4 * 1024 * 1024) fmt_sb_add(&in, buf, n);
    if (in.oom) {
        fprintf(stderr, "greeter cards parse: %s\n", gr_strerror(GR_ERR_NOMEM));
        fmt_sb_free(&in);
        return 1;
    }
    const char *s = in.s ? in.s : "";
    size_t lead = strspn(s, " \t\r\n");
    json_t *arr = s[lead] == '[' ? json_loadb(s, in.len, 0, NULL) : NULL;
    int ret = 0;
    if (json_is_array(arr)) {
        size_t i;
        json_t *c;
        json_array_foreach(arr, i, c) {
            const char *t = json_string_value(json_object_get(c, "text"));
            if (t) ret |= parse_print(t, strlen(t), region);
        }
    } else {
        ret = parse_print(s, in.len, region);
    }
    json_decref(arr);
    fmt_sb_free(&in);
    return ret;
}

int ocr_cli_cards(const gr_config_t *cfg, int argc, char **argv) {
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "parse")) return cli_parse(cfg, argc, argv);
    int text_mode = !strcmp(argv[1], "text");
    if (!text_mode && strcmp(argv[1], "scan") != 0) {
        fprintf(stderr, "greeter cards: unknown command '%s'\n", argv[1]);
        usage(stderr);
        return 2;
    }
    const char *region = NULL;
    int vcard = 0, first = -1;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--region")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "greeter cards: --region needs a country code (e.g. DE)\n");
                return 2;
            }
            region = argv[++i];
            if (strlen(region) != 2) {
                fprintf(stderr, "greeter cards: --region '%s' is not a two-letter country code\n", region);
                return 2;
            }
        } else if (!strcmp(argv[i], "--vcard")) {
            vcard = 1;
        } else if (!strcmp(argv[i], "--")) {
            first = i + 1;
            break;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "greeter cards: unknown option '%s'\n", argv[i]);
            return 2;
        } else {
            if (first < 0) first = i;
        }
    }
    if (first < 0 || first >= argc) {
        usage(stderr);
        return 2;
    }
    ocr_reader_t *r = NULL;
    int rc = ocr_reader_open(cfg, &r);
    if (rc != GR_OK) {
        fprintf(stderr, "greeter cards: the card reader could not start: %s\n", gr_strerror(rc));
        return 1;
    }
    int failed = 0;
    for (int i = first; i < argc; i++) {
        if (!strcmp(argv[i], "--vcard")) continue;
        if (!strcmp(argv[i], "--region")) {
            i++;
            continue;
        }
        char err[512] = "";
        char *buf = NULL, *json = NULL, *text = NULL;
        size_t len = 0;
        rc = read_file(argv[i], &buf, &len, err, sizeof err);
        if (rc == GR_OK)
            rc = ocr_reader_scan_ex(r, buf, len, region, text_mode ? NULL : &json, text_mode ? &text : NULL, err,
                                    sizeof err);
        if (rc == GR_OK && text_mode) {
            printf("%s\n", text);
        } else if (rc == GR_OK) {
            rc = print_cards(argv[i], json, vcard);
            if (rc != GR_OK) snprintf(err, sizeof err, "output failed");
        }
        if (rc != GR_OK) {
            print_error(argv[i], rc, err);
            failed = 1;
        }
        free(buf);
        free(json);
        free(text);
    }
    ocr_reader_close(r);
    return failed ? 1 : 0;
}
