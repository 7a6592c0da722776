/* settings.c - GET|PATCH /api/v1/settings: the rows of firmware/core/settings.def
 * for the Settings page, and saving changes.
 *
 * A change is checked against the table on a scratch config first (one bad
 * value changes nothing; the message names the key, the value and the
 * range), then written into the file greeterd was started with
 * (gr_config_file: --config FILE, /etc/greeter/greeter.conf, or
 * <storage.dir>/greeter.conf when there is no config file), keeping the
 * rest of that file, and only then applied to the running config. The
 * settings marked GR_LIVE in settings.def take effect at once; the others when greeterd next
 * starts, and the answer lists them in "restart_required".
 */
#define GR_LOG_MODULE "web"
#include "web/settings.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "crm/opts.h"
#include "web/role.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct web_settings {
    pthread_mutex_t save_lock;  /* one change at a time */
    unsigned char pending[512]; /* saved since start, waiting for a restart (indexed like the table) */
};

int web_settings_new(web_settings_t **out) {
    *out = calloc(1, sizeof **out);
    if (!*out) return GR_ERR_NOMEM;
    pthread_mutex_init(&(*out)->save_lock, NULL);
    return GR_OK;
}

void web_settings_free(web_settings_t *st) {
    if (!st) return;
    pthread_mutex_destroy(&st->save_lock);
    free(st);
}

static const char *type_name(gr_cfg_type_t t) {
    switch (t) {
    case GR_CFG_STR: return "string";
    case GR_CFG_PATH: return "path";
    case GR_CFG_SECRET: return "secret";
    case GR_CFG_INT: return "int";
    case GR_CFG_DOUBLE: return "double";
    case GR_CFG_BOOL: return "bool";
    case GR_CFG_ENUM: return "enum";
    }
    return "string";
}

static json_t *pending_json(web_settings_t *st) {
    json_t *a = json_array();
    pthread_mutex_lock(&st->save_lock);
    for (size_t i = 0; a && i < gr_config_count() && i < sizeof st->pending; i++)
        if (st->pending[i]) json_array_append_new(a, json_string(gr_config_setting(i)->name));
    pthread_mutex_unlock(&st->save_lock);
    return a;
}

static json_t *settings_json(web_settings_t *st, const gr_config_t *cfg) {
    json_t *items = json_array();
    for (size_t i = 0; items && i < gr_config_count(); i++) {
        const gr_setting_t *s = gr_config_setting(i);
        const char *v = gr_config_str_named(cfg, s->name);
        int secret = s->type == GR_CFG_SECRET;
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "name", s->name, "section", s->section,
                              "key", s->key, "type", type_name(s->type), "value", secret ? (*v ? "(set)" : "") : v,
                              "default", secret ? "" : s->def, "help", s->help, "live", s->apply == GR_LIVE);
        if (!o) continue;
        if (s->type == GR_CFG_INT || s->type == GR_CFG_DOUBLE || s->type == GR_CFG_STR || s->type == GR_CFG_PATH) {
            json_object_set_new(o, "min", json_real(s->min));
            json_object_set_new(o, "max", json_real(s->max));
        }
        if (s->choices) json_object_set_new(o, "choices", json_string(s->choices));
        json_array_append_new(items, o);
    }
    const char *file = gr_config_file(cfg);
    return json_pack("{s:o, s:s?, s:o}", "items", items, "file", file, "restart_pending", pending_json(st));
}

/* The text of a JSON value for gr_config_set, into buf; NULL for a type no
 * setting takes. */
static const char *value_text(json_t *v, char *buf, size_t len) {
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_boolean(v)) return json_is_true(v) ? "true" : "false";
    if (json_is_integer(v)) {
        snprintf(buf, len, "%lld", (long long)json_integer_value(v));
        return buf;
    }
    if (json_is_real(v)) {
        snprintf(buf, len, "%.17g", json_real_value(v));
        return buf;
    }
    return NULL;
}

static void settings_patch(web_req_t *r) {
    json_t *in = NULL;
    if (web_req_json(r, &in) != GR_OK) return;
    size_t n = json_object_size(in);
    web_settings_t *st = r->ctx->settings;
    gr_config_t *live = (gr_config_t *)r->ctx->cfg; /* built for concurrent readers */
    const char *file = gr_config_file(live);
    const char **names = calloc(n ? n : 1, sizeof *names);
    char **values = calloc(n ? n : 1, sizeof *values);
    gr_config_t *scratch = gr_config_new();
    size_t nchanged = 0;
    char err[1024] = "", text[64];
    int status = 0;
    const char *code = "invalid";
    if (!names || !values || !scratch) {
        status = 500;
        code = "internal";
        snprintf(err, sizeof err, "out of memory");
        goto out;
    }
    if (n == 0) {
        status = 400;
        snprintf(err, sizeof err, "send the settings to change, e.g. {\"web.greeting\":\"generic\"}");
        goto out;
    }
    const char *name;
    json_t *v;
    json_object_foreach(in, name, v) {
        const char *val = value_text(v, text, sizeof text);
        if (!val) {
            status = 400;
            snprintf(err, sizeof err, "%s: the value must be a string, number or boolean", name);
            goto out;
        }
        int rc = gr_config_set(scratch, name, val, err, sizeof err);
        if (rc != GR_OK) {
            status = rc == GR_ERR_NOTFOUND ? 404 : 400;
            code = rc == GR_ERR_NOTFOUND ? "not_found" : "invalid";
            goto out;
        }
        if (strcmp(name, "web.listen") == 0) {
            struct sockaddr_storage ss;
            socklen_t sl;
            if (web_parse_listen(val, &ss, &sl) != GR_OK) {
                status = 400;
                snprintf(err, sizeof err, "web.listen: '%.200s' is not ADDRESS:PORT (e.g. 0.0.0.0:8080, [::]:8080)", val);
                goto out;
            }
        }
        const gr_setting_t *s = gr_config_find(name);
        if (s->type == GR_CFG_SECRET && strcmp(val, "(set)") == 0) continue; /* shown, not typed: unchanged */
        if (strcmp(gr_config_str_named(live, s->name), val) == 0) continue;
        if (strcmp(s->name, "storage.dir") == 0 && file) {
            char state_file[4200];
            snprintf(state_file, sizeof state_file, "%s/%s", gr_config_str(live, GR_SET_STORAGE_DIR), GR_CONFIG_STATE_FILE);
            if (strcmp(file, state_file) == 0) {
                status = 400;
                snprintf(err, sizeof err,
                         "storage.dir: cannot be changed here while the settings live in %.600s (inside it); "
                         "start greeterd with --config FILE or --storage.dir=DIR",
                         state_file);
                goto out;
            }
        }
        names[nchanged] = s->name;
        if (!(values[nchanged++] = strdup(val))) {
            status = 500;
            code = "internal";
            snprintf(err, sizeof err, "out of memory");
            goto out;
        }
    }
    if (nchanged && !file) {
        status = 500;
        code = "io";
        snprintf(err, sizeof err, "greeterd was started without a settings file to save to");
        goto out;
    }
    pthread_mutex_lock(&st->save_lock);
    int rc = nchanged ? gr_config_update_file(file, names, (const char *const *)values, nchanged, err, sizeof err)
                      : GR_OK;
    if (rc != GR_OK) {
        pthread_mutex_unlock(&st->save_lock);
        LOG_W("settings not saved: %s", err);
        status = 500;
        code = "io";
        char msg[1024];
        snprintf(msg, sizeof msg, "%.900s; nothing was changed", err);
        snprintf(err, sizeof err, "%s", msg);
        goto out;
    }
    json_t *changed = json_array(), *applied = json_array(), *restart = json_array();
    int reopen_ocr = 0;
    for (size_t i = 0; i < nchanged; i++) {
        char serr[512];
        if (gr_config_set(live, names[i], values[i], serr, sizeof serr) != GR_OK) {
            LOG_E("setting %s saved but not applied: %s", names[i], serr); /* checked above: not expected */
            continue;
        }
        LOG_I("setting %s changed by %s (saved to %s)", names[i], r->sess.username, file);
        json_array_append_new(changed, json_string(names[i]));
        if (gr_config_find(names[i])->apply == GR_LIVE) {
            json_array_append_new(applied, json_string(names[i]));
            /* The card reader reads ocr.* and the board's region when it opens. */
            if (strncmp(names[i], "ocr.", 4) == 0 || strcmp(names[i], "device.region") == 0) reopen_ocr = 1;
            if (strcmp(names[i], "log.level") == 0) {
                int lvl = gr_log_parse_level(values[i]);
                if (lvl > 0) atomic_store(&gr_log_level, lvl);
            }
        } else {
            json_array_append_new(restart, json_string(names[i]));
            for (size_t k = 0; k < gr_config_count() && k < sizeof st->pending; k++)
                if (strcmp(gr_config_setting(k)->name, names[i]) == 0) st->pending[k] = 1;
        }
    }
    pthread_mutex_unlock(&st->save_lock);
    if (nchanged) { /* the CRM's live settings travel with each database connection */
        crm_opts_t opts;
        crm_opts_from_config(live, &opts);
        web_dbpool_set_opts(r->ctx->db, &opts);
    }
    /* The card reader copies its settings when it opens: media.c opens it
     * again with the new ones on the next scan. */
    if (reopen_ocr) atomic_fetch_add(&r->ctx->ocr_generation, 1);
    json_t *res = settings_json(st, live);
    if (res) {
        json_object_set_new(res, "changed", changed);
        json_object_set_new(res, "applied", applied);
        json_object_set_new(res, "restart_required", restart);
    } else {
        json_decref(changed);
        json_decref(applied);
        json_decref(restart);
    }
    web_reply_json(r, 200, res);
out:
    if (status) web_reply_error(r, status, code, "%s", err);
    for (size_t i = 0; values && i < nchanged; i++) free(values[i]);
    free(values);
    free(names);
    gr_config_free(scratch);
    json_decref(in);
}

void web_settings_route(web_req_t *r) {
    if (!web_req_admin(r)) return; /* settings are the admins' */
    if (strcmp(r->method, "GET") == 0) {
        web_reply_json(r, 200, settings_json(r->ctx->settings, r->ctx->cfg));
        return;
    }
    if (strcmp(r->method, "PATCH") != 0) {
        web_reply_error(r, 405, "method_not_allowed", "allowed here: GET, PATCH");
        return;
    }
    settings_patch(r);
}
