#define GR_LOG_MODULE "config"
#include "config.h"
#include "err.h"
#include "log.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#ifndef GR_DEFAULT_MODELS_DIR
#define GR_DEFAULT_MODELS_DIR "/usr/share/greeter/models"
#endif
#ifndef GR_DEFAULT_DEMO_VIDEO
#define GR_DEFAULT_DEMO_VIDEO "/usr/share/greeter/demo/visits.mp4"
#endif

static const gr_setting_t settings[] = {
#define GR_SETTING(sec, key, type, def, mn, mx, ch, help) \
    {sec, key, sec "." key, type, def, mn, mx, ch, help},
#include "settings.def"
#undef GR_SETTING
};
#define N_SETTINGS (sizeof settings / sizeof settings[0])

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
};

size_t gr_config_count(void) { return N_SETTINGS; }

const gr_setting_t *gr_config_setting(size_t i) { return i < N_SETTINGS ? &settings[i] : NULL; }

static long find_index(const char *name) {
    for (size_t i = 0; i < N_SETTINGS; i++)
        if (strcmp(settings[i].name, name) == 0) return (long)i;
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
    free(cfg);
}

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

int gr_config_from_args(gr_config_t **out, int *argc, char **argv, char *err, size_t errlen) {
    *out = NULL;
    const char *file = NULL;
    int explicit_file = 0, rc = GR_OK;
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
            char name[192];
            size_t n = (size_t)(eq - (a + 2));
            if (n >= sizeof name) n = sizeof name - 1;
            memcpy(name, a + 2, n);
            name[n] = 0;
            rc = gr_config_set(cfg, name, eq + 1, err, errlen);
            if (rc != GR_OK) goto fail;
            continue;
        }
        argv[w++] = a;
    }
    *argc = w;
    argv[w] = NULL;
    int lvl = gr_log_parse_level(gr_config_str(cfg, "log.level"));
    if (lvl > 0) atomic_store(&gr_log_level, lvl);
    *out = cfg;
    return GR_OK;
fail:
    gr_config_free(cfg);
    return rc;
}

static long must_find(const char *name) {
    long i = find_index(name);
    if (i < 0) {
        fprintf(stderr, "BUG: unknown setting '%s'\n", name);
        abort();
    }
    return i;
}

const char *gr_config_str(const gr_config_t *cfg, const char *name) {
    long i = must_find(name);
    gr_config_t *c = (gr_config_t *)cfg;
    pthread_mutex_lock(&c->lock);
    const char *v = c->val[i];
    pthread_mutex_unlock(&c->lock);
    return v;
}

long long gr_config_int(const gr_config_t *cfg, const char *name) {
    long i = must_find(name);
    gr_config_t *c = (gr_config_t *)cfg;
    pthread_mutex_lock(&c->lock);
    long long v = c->ival[i];
    pthread_mutex_unlock(&c->lock);
    return v;
}

double gr_config_double(const gr_config_t *cfg, const char *name) {
    long i = must_find(name);
    gr_config_t *c = (gr_config_t *)cfg;
    pthread_mutex_lock(&c->lock);
    double v = c->dval[i];
    pthread_mutex_unlock(&c->lock);
    return v;
}

int gr_config_bool(const gr_config_t *cfg, const char *name) { return gr_config_int(cfg, name) != 0; }

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
        const char *v = gr_config_str(cfg, s->name);
        if (s->type == GR_CFG_SECRET) v = *v ? "(set)" : "";
        fprintf(f, "%s = %s\n", s->key, v);
    }
}
