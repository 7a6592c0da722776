/* config.h - settings, driven by the one table in settings.def.
 *
 * Precedence: built-in default < config file < <storage.dir>/greeter.conf
 * < command line. The config file is /etc/greeter/greeter.conf unless
 * --config FILE is given; a missing default file is fine (the appliance runs
 * on defaults), a missing --config file is an error. <storage.dir>/greeter.conf
 * holds what the web Settings page saved (the config file may be read-only:
 * /etc under the unit's ProtectSystem=strict).
 *
 * Reads are thread-safe; a string returned by gr_config_str stays valid
 * until gr_config_free, even if the setting is changed meanwhile.
 */
#ifndef GR_CONFIG_H
#define GR_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#define GR_CONFIG_DEFAULT_FILE "/etc/greeter/greeter.conf"
/* Under storage.dir: the settings file used when there is no config file. */
#define GR_CONFIG_STATE_FILE "greeter.conf"

typedef enum {
    GR_CFG_STR, GR_CFG_PATH, GR_CFG_SECRET, GR_CFG_INT, GR_CFG_DOUBLE, GR_CFG_BOOL, GR_CFG_ENUM
} gr_cfg_type_t;

/* Where a change made while running takes effect (settings.def's apply column). */
typedef enum { GR_RESTART = 0, GR_LIVE = 1 } gr_cfg_apply_t;

/* Every setting's identifier, GR_SET_<SECTION>_<KEY>, generated from
 * settings.def: code names a setting by identifier, so a typo fails to
 * compile. Names ("section.key") are for the outside: files, the command
 * line, the Settings page. */
typedef enum {
#define GR_SETTING(id, ...) GR_SET_##id,
#include "firmware/core/settings.def"
#undef GR_SETTING
    GR_SET_COUNT
} gr_set_t;

typedef struct {
    const char *section;
    const char *key;
    const char *name;      /* "section.key" */
    gr_cfg_type_t type;
    const char *def;       /* default as text */
    double min, max;
    const char *choices;   /* "a|b|c" for ENUM, else NULL */
    gr_cfg_apply_t apply;  /* GR_LIVE: a change applies at once */
    const char *help;
} gr_setting_t;

typedef struct gr_config gr_config_t;

/* A config holding every default. Caller owns it: gr_config_free. */
gr_config_t *gr_config_new(void) __attribute__((warn_unused_result));
void gr_config_free(gr_config_t *cfg);

/* Set "section.key" from text. On error returns GR_ERR_NOTFOUND (unknown key)
 * or GR_ERR_RANGE/GR_ERR_INVAL and writes a message naming the key, the value
 * and the allowed range into err. */
int gr_config_set(gr_config_t *cfg, const char *name, const char *value, char *err, size_t errlen);

/* Load an INI file ([section] / key = value / # or ; comments). */
int gr_config_load_file(gr_config_t *cfg, const char *path, char *err, size_t errlen);

/* The same for INI text in memory (the Settings page, tests, fuzzing);
 * `name` stands for the file name in messages. */
int gr_config_load_text(gr_config_t *cfg, const char *text, size_t len, const char *name, char *err, size_t errlen);

/* Build a config from defaults, the config file and the command line.
 * Consumes --config FILE, --config=FILE and every --section.key=value from
 * argv (compacting it and updating *argc); other arguments stay in place.
 * On success *out is owned by the caller. */
int gr_config_from_args(gr_config_t **out, int *argc, char **argv, char *err, size_t errlen);

/* The file changed settings are saved to: <storage.dir>/greeter.conf
 * (storage.dir as given at start). NULL for a config not made by
 * gr_config_from_args. Valid until gr_config_free. */
const char *gr_config_file(const gr_config_t *cfg);

/* Write names[i] = values[i] (i < n) into the INI file at path, keeping
 * everything else in it (comments, other settings, order): a line setting
 * the key is replaced, else the line goes below the key's commented-out
 * line or at the end of its section, else into a new section at the end.
 * A missing file is created (mode 0600: it may hold secrets); an existing
 * one keeps its mode. Written to PATH.tmp, synced and renamed; when the
 * folder is not writable but the file is, rewritten in place. Values are
 * not range-checked here (use gr_config_set first); an unknown name is
 * GR_ERR_NOTFOUND, a line break GR_ERR_INVAL, a write failure GR_ERR_IO
 * with the file and the reason in err. */
int gr_config_update_file(const char *path, const char *const *names, const char *const *values, size_t n,
                          char *err, size_t errlen);

/* Typed getters by identifier (GR_SET_...). Asking for a setting of another
 * type gives its value read as that type (the text, or 0). */
const char *gr_config_str(const gr_config_t *cfg, gr_set_t id);
long long gr_config_int(const gr_config_t *cfg, gr_set_t id);
double gr_config_double(const gr_config_t *cfg, gr_set_t id);
int gr_config_bool(const gr_config_t *cfg, gr_set_t id);

/* A "name=id" list such as sync.bitrix24_users ("anna=12, bob=7"): items
 * joined by commas, blanks around them ignored, each a name (no '=' or ',')
 * and a whole number 1..2147483647. "" is an empty list. GR_OK, or
 * GR_ERR_INVAL with what is wrong in err (err may be NULL). */
int gr_user_map_check(const char *v, char *err, size_t errlen);

/* The same by name (or an old alias), for code that walks the table; an
 * unknown name is a programmer error (abort). */
const char *gr_config_str_named(const gr_config_t *cfg, const char *name);
long long gr_config_int_named(const gr_config_t *cfg, const char *name);

/* Table access, for the Settings page and docs. */
size_t gr_config_count(void);
const gr_setting_t *gr_config_setting(size_t i);
/* The row of a name or of an old alias ("ocr.region" -> device.region). */
const gr_setting_t *gr_config_find(const char *name);

/* Print every setting with default and help (INI form, commented). */
void gr_config_print_defaults(FILE *f);
/* Print current values in INI form; secrets are shown as "(set)". */
void gr_config_print(const gr_config_t *cfg, FILE *f);

#endif
