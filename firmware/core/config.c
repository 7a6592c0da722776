#define GR_LOG_MODULE "config"
#include "firmware/core/config.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef GR_DEFAULT_MODELS_DIR
#define GR_DEFAULT_MODELS_DIR "/usr/share/greeter/models"
#endif
#ifndef GR_DEFAULT_DEMO_VIDEO
#define GR_DEFAULT_DEMO_VIDEO "/usr/share/greeter/demo/visits.mp4"
#endif

static const gr_setting_t settings[] = {
#define GR_SETTING(id, sec, key, type, def, mn, mx, ch, apply, help) \
    {sec, key, sec "." key, type, def, mn, mx, ch, apply, help},
#include "firmware/core/settings.def"
#undef GR_SETTING
};
#define N_SETTINGS (sizeof settings / sizeof settings[0])
_Static_assert(N_SETTINGS == GR_SET_COUNT, "settings.def and gr_set_t disagree");

/* Old names still accepted everywhere a name is read (config file, command
 * line, the Settings API), documented in docs/CLI.md. */
static const struct { const char *old, *now; } aliases[] = {
    {"ocr.region", "device.region"},
};

/* Old string values are kept until free so readers never see freed memory. */
typedef struct old_str {
    struct old_str *next;
    char *s;
} old_str_t;

struct gr_config {
    pthread_mutex_t lock;
    char *val[N_SETTINGS];   /* normalised text of each value */
    long long ival[N_SETTINGS];
    double dval[N_SETTINGS];
    old_str_t *old;
    char *file;              /* where settings are saved (gr_config_file) */
};

size_t gr_config_count(void) { return N_SETTINGS; }

const gr_setting_t *gr_config_setting(size_t i) { return i < N_SETTINGS ? &settings[i] : NULL; }

static long find_index(const char *name) {
    for (size_t i = 0; i < N_SETTINGS; i++)
        if (strcmp(settings[i].name, name) == 0) return (long)i;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(aliases[i].old, name) == 0) return find_index(aliases[i].now);
    return -1;
}

const gr_setting_t *gr_config_find(const char *name) {
    long i = find_index(name);
    return i < 0 ? NULL : &settings[i];
}

static int parse_bool(const char *v, int *out) {
    static const char *yes[] = {"1", "true", "yes", "on"}, *no[] = {"0", "false", "no", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0) { *out = 1; return GR_OK; }
        if (strcasecmp(v, no[i]) == 0) { *out = 0; return GR_OK; }
    }
    return GR_ERR_INVAL;
}

static int enum_has(const char *choices, const char *v) {
    size_t n = strlen(v);
    const char *p = choices;
    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, v, n) == 0) return 1;
        p = bar ? bar + 1 : NULL;
    }
    return 0;
}

static int has_ctl(const char *v) {
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f) return 1;
    return 0;
}

int gr_user_map_check(const char *v, char *err, size_t errlen) {
    char dummy[1];
    if (!err) {
        err = dummy;
        errlen = sizeof dummy;
    }
    for (const char *p = v; *p;) {
        const char *end = strchr(p, ',');
        if (!end) end = p + strlen(p);
        while (p < end && isspace((unsigned char)*p)) p++;
        const char *eq = p;
        while (eq < end && *eq != '=') eq++;
        if (eq == end) eq = NULL;
        const char *ne = eq ? eq : end;
        while (ne > p && isspace((unsigned char)ne[-1])) ne--;
        if (!eq || ne == p) {
            snprintf(err, errlen, "item %.*s is not name=id", (int)(end - p > 64 ? 64 : end - p), p);
            return GR_ERR_INVAL;
        }
        const char *d = eq + 1;
        while (d < end && isspace((unsigned char)*d)) d++;
        long long id = 0;
        const char *q = d;
        for (; q < end && isdigit((unsigned char)*q) && id <= 2147483647LL; q++) id = id * 10 + (*q - '0');
        const char *t = q;
        while (t < end && isspace((unsigned char)*t)) t++;
        if (q == d || t != end || id < 1 || id > 2147483647LL) {
            snprintf(err, errlen, "the id of %.*s is not a whole number 1..2147483647", (int)(ne - p > 64 ? 64 : ne - p), p);
            return GR_ERR_INVAL;
        }
        p = *end ? end + 1 : end;
    }
    return GR_OK;
}

/* Validate text for setting i; on success fill the parsed numbers. */
static int validate(size_t i, const char *v, long long *iv, double *dv, char *err, size_t errlen) {
    const gr_setting_t *s = &settings[i];
    char *end = NULL;
    switch (s->type) {
    case GR_CFG_INT: {
        errno = 0;
        long long x = strtoll(v, &end, 10);
        if (!*v || *end || errno) {
            snprintf(err, errlen, "%s: '%s' is not a whole number (allowed %.0f..%.0f)", s->name, v, s->min, s->max);
            return GR_ERR_INVAL;
        }
        if (x < s->min || x > s->max) {
            snprintf(err, errlen, "%s: %lld is out of range (allowed %.0f..%.0f)", s->name, x, s->min, s->max);
            return GR_ERR_RANGE;
        }
        *iv = x;
        *dv = (double)x;
        return GR_OK;
    }
    case GR_CFG_DOUBLE: {
        errno = 0;
        double x = strtod(v, &end);
        if (!*v || *end || errno || !isfinite(x)) {
            snprintf(err, errlen, "%s: '%s' is not a number (allowed %g..%g)", s->name, v, s->min, s->max);
            return GR_ERR_INVAL;
        }
        if (x < s->min || x > s->max) {
            snprintf(err, errlen, "%s: %s is out of range (allowed %g..%g)", s->name, v, s->min, s->max);
            return GR_ERR_RANGE;
        }
        *dv = x;
        *iv = (long long)x;
        return GR_OK;
    }
    case GR_CFG_BOOL: {
        int b;
        if (parse_bool(v, &b) != GR_OK) {
            snprintf(err, errlen, "%s: '%s' is not a boolean (allowed true|false|yes|no|on|off|1|0)", s->name, v);
            return GR_ERR_INVAL;
        }
        *iv = b;
        *dv = b;
        return GR_OK;
    }
    case GR_CFG_ENUM:
        if (!enum_has(s->choices, v)) {
            snprintf(err, errlen, "%s: '%s' is not allowed (allowed %s)", s->name, v, s->choices);
            return GR_ERR_INVAL;
        }
        *iv = 0;
        *dv = 0;
        return GR_OK;
    default: {
        size_t n = strlen(v);
        if (has_ctl(v)) {
            snprintf(err, errlen, "%s: value contains control characters", s->name);
            return GR_ERR_INVAL;
        }
        if (n < (size_t)s->min || n > (size_t)s->max) {
            if (s->type == GR_CFG_SECRET)
                snprintf(err, errlen, "%s: length %zu is out of range (allowed %.0f..%.0f characters)", s->name, n, s->min, s->max);
            else
                snprintf(err, errlen, "%s: '%s' has length %zu, out of range (allowed %.0f..%.0f characters)", s->name, v, n, s->min, s->max);
            return GR_ERR_RANGE;
        }
        if (i == GR_SET_SYNC_BITRIX24_USERS) {
            char why[160];
            if (gr_user_map_check(v, why, sizeof why) != GR_OK) {
                snprintf(err, errlen, "%s: %s (write name=id, name=id, ...)", s->name, why);
                return GR_ERR_INVAL;
            }
        }
        *iv = 0;
        *dv = 0;
        return GR_OK;
    }
    }
}

gr_config_t *gr_config_new(void) {
    gr_config_t *cfg = calloc(1, sizeof *cfg);
    if (!cfg) return NULL;
    pthread_mutex_init(&cfg->lock, NULL);
    for (size_t i = 0; i < N_SETTINGS; i++) {
        char err[256];
        if (validate(i, settings[i].def, &cfg->ival[i], &cfg->dval[i], err, sizeof err) != GR_OK) {
            /* A default outside its own range is a bug in settings.def. */
            fprintf(stderr, "settings.def: %s\n", err);
            abort();
        }
        cfg->val[i] = strdup(settings[i].def);
        if (!cfg->val[i]) {
            gr_config_free(cfg);
            return NULL;
        }
    }
    return cfg;
}

void gr_config_free(gr_config_t *cfg) {
    if (!cfg) return;
    for (size_t i = 0; i < N_SETTINGS; i++) free(cfg->val[i]);
    while (cfg->old) {
        old_str_t *o = cfg->old;
        cfg->old = o->next;
        free(o->s);
        free(o);
    }
    pthread_mutex_destroy(&cfg->lock);
    free(cfg->file);
    free(cfg);
}

const char *gr_config_file(const gr_config_t *cfg) { return cfg ? cfg->file : NULL; }

int gr_config_set(gr_config_t *cfg, const char *name, const char *value, char *err, size_t errlen) {
    long i = find_index(name);
    if (i < 0) {
        snprintf(err, errlen, "unknown setting '%s' (see 'greeter config --defaults')", name);
        return GR_ERR_NOTFOUND;
    }
    long long iv;
    double dv;
    int rc = validate((size_t)i, value, &iv, &dv, err, errlen);
    if (rc != GR_OK) return rc;
    char *copy = strdup(value);
    old_str_t *o = malloc(sizeof *o);
    if (!copy || !o) {
        free(copy);
        free(o);
        snprintf(err, errlen, "%s: out of memory", name);
        return GR_ERR_NOMEM;
    }
    pthread_mutex_lock(&cfg->lock);
    o->s = cfg->val[i];
    o->next = cfg->old;
    cfg->old = o;
    cfg->val[i] = copy;
    cfg->ival[i] = iv;
    cfg->dval[i] = dv;
    pthread_mutex_unlock(&cfg->lock);
    return GR_OK;
}

static char *trim(char *s) {
    while (isspace((unsigned char)*s)) s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) *--e = 0;
    return s;
}

/* Parse INI text from f; `path` names it in messages. */
static int load_stream(gr_config_t *cfg, FILE *f, const char *path, char *err, size_t errlen) {
    char line[4096], section[64] = "";
    int lineno = 0, rc = GR_OK;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            snprintf(err, errlen, "%s:%d: line too long", path, lineno);
            rc = GR_ERR_FORMAT;
            break;
        }
        char *s = trim(line);
        if (!*s || *s == '#' || *s == ';') continue;
        if (*s == '[') {
            char *close = strchr(s, ']');
            if (!close || close[1] || close - s - 1 >= (long)sizeof section || close == s + 1) {
                snprintf(err, errlen, "%s:%d: bad section header", path, lineno);
                rc = GR_ERR_FORMAT;
                break;
            }
            *close = 0;
            snprintf(section, sizeof section, "%s", trim(s + 1));
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errlen, "%s:%d: expected 'key = value'", path, lineno);
            rc = GR_ERR_FORMAT;
            break;
        }
        *eq = 0;
        char *key = trim(s), *value = trim(eq + 1);
        size_t vl = strlen(value);
        if (vl >= 2 && value[0] == '"' && value[vl - 1] == '"') {
            value[vl - 1] = 0;
            value++;
        }
        char name[192], msg[512];
        if (strchr(key, '.') || !*section)
            snprintf(name, sizeof name, "%s", key);
        else
            snprintf(name, sizeof name, "%s.%s", section, key);
        rc = gr_config_set(cfg, name, value, msg, sizeof msg);
        if (rc != GR_OK) {
            snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
            break;
        }
    }
    return rc;
}

int gr_config_load_file(gr_config_t *cfg, const char *path, char *err, size_t errlen) {
    FILE *f = fopen(path, "r");
    if (!f) {
        int e = errno;
        snprintf(err, errlen, "cannot open config file %s: %s", path, strerror(e));
        return e == ENOENT ? GR_ERR_NOTFOUND : GR_ERR_IO;
    }
    int rc = load_stream(cfg, f, path, err, errlen);
    fclose(f);
    return rc;
}

int gr_config_load_text(gr_config_t *cfg, const char *text, size_t len, const char *name, char *err, size_t errlen) {
    if (len == 0) return GR_OK;
    FILE *f = fmemopen((void *)text, len, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot read", name);
        return GR_ERR_NOMEM;
    }
    int rc = load_stream(cfg, f, name, err, errlen);
    fclose(f);
    return rc;
}

/* One --section.key=value of the command line. */
typedef struct {
    char name[192];
    const char *value;
} cli_set_t;

static int apply_cli(gr_config_t *cfg, const cli_set_t *sets, int n, char *err, size_t errlen) {
    for (int i = 0; i < n; i++) {
        int rc = gr_config_set(cfg, sets[i].name, sets[i].value, err, errlen);
        if (rc != GR_OK) return rc;
    }
    return GR_OK;
}

int gr_config_from_args(gr_config_t **out, int *argc, char **argv, char *err, size_t errlen) {
    *out = NULL;
    const char *file = NULL;
    int explicit_file = 0, rc = GR_OK;
    cli_set_t *sets = NULL;
    int nsets = 0;
    /* First pass: find --config. */
    for (int i = 1; i < *argc; i++) {
        if (strcmp(argv[i], "--") == 0) break;
        if (strcmp(argv[i], "--config") == 0) {
            if (i + 1 >= *argc) {
                snprintf(err, errlen, "--config needs a file name");
                return GR_ERR_INVAL;
            }
            file = argv[i + 1];
            explicit_file = 1;
        } else if (strncmp(argv[i], "--config=", 9) == 0) {
            file = argv[i] + 9;
            explicit_file = 1;
        }
    }
    gr_config_t *cfg = gr_config_new();
    if (!cfg) {
        snprintf(err, errlen, "out of memory");
        return GR_ERR_NOMEM;
    }
    if (!file) file = GR_CONFIG_DEFAULT_FILE;
    rc = gr_config_load_file(cfg, file, err, errlen);
    if (rc == GR_ERR_NOTFOUND && !explicit_file) rc = GR_OK;
    if (rc != GR_OK) goto fail;
    /* Second pass: --section.key=value, compacting argv. */
    sets = calloc((size_t)*argc + 1, sizeof *sets);
    if (!sets) goto nomem;
    int w = 1;
    for (int i = 1; i < *argc; i++) {
        char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            while (i < *argc) argv[w++] = argv[i++];
            break;
        }
        if (strcmp(a, "--config") == 0) { i++; continue; }
        if (strncmp(a, "--config=", 9) == 0) continue;
        char *eq = strchr(a, '=');
        char *dot = strchr(a, '.');
        if (a[0] == '-' && a[1] == '-' && eq && dot && dot < eq) {
            size_t n = (size_t)(eq - (a + 2));
            if (n >= sizeof sets[0].name) n = sizeof sets[0].name - 1;
            memcpy(sets[nsets].name, a + 2, n);
            sets[nsets].name[n] = 0;
            sets[nsets++].value = eq + 1;
            continue;
        }
        argv[w++] = a;
    }
    *argc = w;
    argv[w] = NULL;
    rc = apply_cli(cfg, sets, nsets, err, errlen);
    if (rc != GR_OK) goto fail;
    {
        /* The settings saved by the web Settings page live in
         * <storage.dir>/greeter.conf (storage.dir from the config file, the
         * command line or the default): above the config file, which may be
         * read-only (/etc under ProtectSystem=strict), and below the command
         * line in precedence. */
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", gr_config_str(cfg, GR_SET_STORAGE_DIR), GR_CONFIG_STATE_FILE);
        if (!(cfg->file = strdup(path))) goto nomem;
        char ferr[512];
        int frc = gr_config_load_file(cfg, path, ferr, sizeof ferr);
        if (frc == GR_ERR_IO) {
            /* Unreadable to this user (the CLI run by someone else): skipped. */
            LOG_W("%s; its settings are not applied", ferr);
        } else if (frc != GR_OK && frc != GR_ERR_NOTFOUND) {
            snprintf(err, errlen, "%s", ferr);
            rc = frc;
            goto fail;
        }
        rc = apply_cli(cfg, sets, nsets, err, errlen);
        if (rc != GR_OK) goto fail;
    }
    free(sets);
    int lvl = gr_log_parse_level(gr_config_str(cfg, GR_SET_LOG_LEVEL));
    if (lvl > 0) atomic_store(&gr_log_level, lvl);
    *out = cfg;
    return GR_OK;
nomem:
    snprintf(err, errlen, "out of memory");
    rc = GR_ERR_NOMEM;
fail:
    free(sets);
    gr_config_free(cfg);
    return rc;
}

/* ---- saving changed settings into an INI file ---- */

typedef struct {
    char **v;
    size_t n, cap;
} lines_t;

static int lines_push(lines_t *l, char *s) {
    if (!s) return GR_ERR_NOMEM;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 64;
        char **p = realloc(l->v, nc * sizeof *p);
        if (!p) {
            free(s);
            return GR_ERR_NOMEM;
        }
        l->v = p;
        l->cap = nc;
    }
    l->v[l->n++] = s;
    return GR_OK;
}

static int lines_insert(lines_t *l, size_t at, char *s) {
    int rc = lines_push(l, s);
    if (rc != GR_OK) return rc;
    memmove(&l->v[at + 1], &l->v[at], (l->n - 1 - at) * sizeof *l->v);
    l->v[at] = s;
    return GR_OK;
}

static void lines_free(lines_t *l) {
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
}

static char *kv_line(const char *key, const char *value) {
    size_t n = strlen(key) + strlen(value) + 8;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%s = \"%s\"", key, value);
    return s;
}

/* What a line of an INI file is: a section header (*sec set), a setting
 * (*name set to "section.key"), or a commented-out setting (*commented). */
static void classify(const char *line, char *sec, size_t seclen, const char *cur, char *name, size_t namelen,
                     int *is_sec, int *commented) {
    *is_sec = 0;
    *commented = 0;
    name[0] = 0;
    while (isspace((unsigned char)*line)) line++;
    if (*line == '[') {
        const char *close = strchr(line, ']');
        if (!close) return;
        size_t n = (size_t)(close - line - 1);
        char tmp[128];
        if (n >= sizeof tmp) return;
        memcpy(tmp, line + 1, n);
        tmp[n] = 0;
        snprintf(sec, seclen, "%s", trim(tmp));
        *is_sec = 1;
        return;
    }
    if (*line == '#' || *line == ';') {
        *commented = 1;
        line++;
        while (isspace((unsigned char)*line)) line++;
    }
    const char *eq = strchr(line, '=');
    if (!eq || eq == line) return;
    size_t n = (size_t)(eq - line);
    char key[192];
    if (n >= sizeof key) return;
    memcpy(key, line, n);
    key[n] = 0;
    char *k = trim(key);
    for (const char *p = k; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '.')) return;
    if (strchr(k, '.') || !*cur)
        snprintf(name, namelen, "%s", k);
    else
        snprintf(name, namelen, "%s.%s", cur, k);
}

static int read_lines(const char *path, lines_t *l, mode_t *mode, int *exists, char *err, size_t errlen) {
    *exists = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT) return GR_OK;
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return GR_ERR_IO;
    }
    *exists = 1;
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0) *mode = sb.st_mode & 07777;
    char buf[4096];
    int rc = GR_OK;
    while (fgets(buf, sizeof buf, f)) {
        size_t n = strlen(buf);
        if (n && buf[n - 1] != '\n' && !feof(f)) {
            snprintf(err, errlen, "%s: a line is too long", path);
            rc = GR_ERR_FORMAT;
            break;
        }
        while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) buf[--n] = 0;
        if ((rc = lines_push(l, strdup(buf))) != GR_OK) break;
    }
    if (rc == GR_OK && ferror(f)) {
        snprintf(err, errlen, "cannot read %s", path);
        rc = GR_ERR_IO;
    }
    fclose(f);
    return rc;
}

static int write_all(int fd, const lines_t *l) {
    for (size_t i = 0; i < l->n; i++) {
        const char *p = l->v[i];
        size_t n = strlen(p);
        while (n) {
            ssize_t w = write(fd, p, n);
            if (w < 0) {
                if (errno == EINTR) continue;
                return -1;
            }
            p += w;
            n -= (size_t)w;
        }
        while (write(fd, "\n", 1) != 1)
            if (errno != EINTR) return -1;
    }
    return fsync(fd);
}

int gr_config_update_file(const char *path, const char *const *names, const char *const *values, size_t n,
                          char *err, size_t errlen) {
    for (size_t i = 0; i < n; i++) {
        const gr_setting_t *s = gr_config_find(names[i]);
        if (!s) {
            snprintf(err, errlen, "unknown setting '%s'", names[i]);
            return GR_ERR_NOTFOUND;
        }
        if (strchr(values[i], '\n') || strchr(values[i], '\r')) {
            snprintf(err, errlen, "%s: value contains a line break", names[i]);
            return GR_ERR_INVAL;
        }
    }
    lines_t l = {0};
    mode_t mode = 0600;
    int exists = 0;
    int rc = read_lines(path, &l, &mode, &exists, err, errlen);
    if (rc != GR_OK) goto out;
    char *done = calloc(n ? n : 1, 1);
    if (!done) {
        rc = GR_ERR_NOMEM;
        goto out;
    }
    char cur[128] = "", name[192];
    /* Replace the lines that set a changed key, by its name or an old alias
     * (the last one wins on load, so every one of them is replaced). */
    for (size_t i = 0; i < l.n && rc == GR_OK; i++) {
        int is_sec, commented;
        classify(l.v[i], cur, sizeof cur, cur, name, sizeof name, &is_sec, &commented);
        if (is_sec || commented || !name[0]) continue;
        for (size_t k = 0; k < n; k++) {
            const gr_setting_t *s = gr_config_find(names[k]);
            if (gr_config_find(name) != s) continue;
            const char *key = strchr(l.v[i], '.') && strchr(l.v[i], '.') < strchr(l.v[i], '=') ? s->name : s->key;
            char *nl = kv_line(key, values[k]);
            if (!nl) {
                rc = GR_ERR_NOMEM;
                break;
            }
            free(l.v[i]);
            l.v[i] = nl;
            done[k] = 1;
        }
    }
    /* The others go into their section: after the commented-out line of the
     * same key if there is one, else after the section's last setting; a
     * section not in the file is added at the end. */
    for (size_t k = 0; k < n && rc == GR_OK; k++) {
        if (done[k]) continue;
        const gr_setting_t *s = gr_config_find(names[k]);
        size_t after = 0, have_sec = 0, at_comment = 0;
        cur[0] = 0;
        for (size_t i = 0; i < l.n; i++) {
            int is_sec, commented;
            classify(l.v[i], cur, sizeof cur, cur, name, sizeof name, &is_sec, &commented);
            int in_sec = strcmp(cur, s->section) == 0;
            if (is_sec && in_sec) {
                have_sec = 1;
                after = i + 1;
            } else if (in_sec && have_sec) {
                if (commented && strcmp(name, s->name) == 0) at_comment = i + 1;
                else if (!commented && name[0]) after = i + 1;
            }
        }
        if (at_comment) after = at_comment;
        if (have_sec) {
            rc = lines_insert(&l, after, kv_line(s->key, values[k]));
        } else {
            size_t len = strlen(s->section) + 3;
            char *hdr = malloc(len);
            if (hdr) snprintf(hdr, len, "[%s]", s->section);
            if (l.n && l.v[l.n - 1][0] && (rc = lines_push(&l, strdup(""))) != GR_OK) break;
            if ((rc = lines_push(&l, hdr)) != GR_OK) break;
            rc = lines_push(&l, kv_line(s->key, values[k]));
        }
        done[k] = 1;
    }
    free(done);
    if (rc == GR_ERR_NOMEM) snprintf(err, errlen, "out of memory");
    if (rc != GR_OK) goto out;
    if (!exists) {
        char hdr[] = "# Settings saved by the Greeter web UI (Settings page). See `greeter config --defaults`.";
        if ((rc = lines_insert(&l, 0, strdup(hdr))) != GR_OK) goto out;
    }
    /* A temporary file beside it and rename: a power cut leaves the old or
     * the new file. Where the folder is not writable (a root-owned /etc/greeter
     * with a group-writable file) the file is rewritten in place. */
    char tmp[4300];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd >= 0) {
        if (fchmod(fd, mode) != 0 || write_all(fd, &l) != 0) {
            snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
            close(fd);
            unlink(tmp);
            rc = GR_ERR_IO;
            goto out;
        }
        if (close(fd) != 0 || rename(tmp, path) != 0) {
            snprintf(err, errlen, "cannot replace %s: %s", path, strerror(errno));
            unlink(tmp);
            rc = GR_ERR_IO;
            goto out;
        }
        char dirbuf[4200];
        snprintf(dirbuf, sizeof dirbuf, "%s", path);
        int dfd = open(dirname(dirbuf), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    } else if ((errno == EACCES || errno == EPERM || errno == EROFS) && exists &&
               (fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)) >= 0) {
        int bad = write_all(fd, &l) != 0;
        if (close(fd) != 0) bad = 1;
        if (bad) {
            snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
            rc = GR_ERR_IO;
        }
    } else {
        snprintf(err, errlen, "cannot write %s: %s", exists ? path : tmp, strerror(errno));
        rc = GR_ERR_IO;
    }
out:
    lines_free(&l);
    return rc;
}

static long must_be_id(gr_set_t id) {
    if ((unsigned)id >= N_SETTINGS) {
        fprintf(stderr, "BUG: setting id %d out of range\n", (int)id);
        abort();
    }
    return (long)id;
}

static long must_find(const char *name) {
    long i = find_index(name);
    if (i < 0) {
        fprintf(stderr, "BUG: unknown setting '%s'\n", name);
        abort();
    }
    return i;
}

static const char *get_str(const gr_config_t *cfg, long i) {
    gr_config_t *c = (gr_config_t *)cfg;
    pthread_mutex_lock(&c->lock);
    const char *v = c->val[i];
    pthread_mutex_unlock(&c->lock);
    return v;
}

static long long get_int(const gr_config_t *cfg, long i) {
    gr_config_t *c = (gr_config_t *)cfg;
    pthread_mutex_lock(&c->lock);
    long long v = c->ival[i];
    pthread_mutex_unlock(&c->lock);
    return v;
}

const char *gr_config_str(const gr_config_t *cfg, gr_set_t id) { return get_str(cfg, must_be_id(id)); }

long long gr_config_int(const gr_config_t *cfg, gr_set_t id) { return get_int(cfg, must_be_id(id)); }

double gr_config_double(const gr_config_t *cfg, gr_set_t id) {
    long i = must_be_id(id);
    gr_config_t *c = (gr_config_t *)cfg;
    pthread_mutex_lock(&c->lock);
    double v = c->dval[i];
    pthread_mutex_unlock(&c->lock);
    return v;
}

int gr_config_bool(const gr_config_t *cfg, gr_set_t id) { return gr_config_int(cfg, id) != 0; }

const char *gr_config_str_named(const gr_config_t *cfg, const char *name) { return get_str(cfg, must_find(name)); }

long long gr_config_int_named(const gr_config_t *cfg, const char *name) { return get_int(cfg, must_find(name)); }

static const char *type_name(gr_cfg_type_t t) {
    static const char *n[] = {"string", "path", "secret", "integer", "number", "boolean", "choice"};
    return n[t];
}

static void print_range(const gr_setting_t *s, FILE *f) {
    switch (s->type) {
    case GR_CFG_INT: fprintf(f, " (%.0f..%.0f)", s->min, s->max); break;
    case GR_CFG_DOUBLE: fprintf(f, " (%g..%g)", s->min, s->max); break;
    case GR_CFG_ENUM: fprintf(f, " (%s)", s->choices); break;
    default: break;
    }
}

void gr_config_print_defaults(FILE *f) {
    const char *sec = "";
    for (size_t i = 0; i < N_SETTINGS; i++) {
        const gr_setting_t *s = &settings[i];
        if (strcmp(sec, s->section) != 0) {
            fprintf(f, "%s[%s]\n", i ? "\n" : "", s->section);
            sec = s->section;
        }
        fprintf(f, "# %s -- %s", s->help, type_name(s->type));
        print_range(s, f);
        fprintf(f, "\n%s = %s\n", s->key, s->def);
    }
}

void gr_config_print(const gr_config_t *cfg, FILE *f) {
    const char *sec = "";
    for (size_t i = 0; i < N_SETTINGS; i++) {
        const gr_setting_t *s = &settings[i];
        if (strcmp(sec, s->section) != 0) {
            fprintf(f, "%s[%s]\n", i ? "\n" : "", s->section);
            sec = s->section;
        }
        const char *v = gr_config_str_named(cfg, s->name);
        if (s->type == GR_CFG_SECRET) v = *v ? "(set)" : "";
        fprintf(f, "%s = %s\n", s->key, v);
    }
}
