#define GR_LOG_MODULE "models"
#include "firmware/core/models.h"

#include "firmware/core/embed.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

extern const gr_embed_file_t gr_models_manifest[];

static const char *jstr(json_t *obj, const char *key) {
    const char *v = json_string_value(json_object_get(obj, key));
    return v ? v : "";
}

static json_t *load_manifest(char *err, size_t errlen) {
    json_error_t je;
    json_t *root = json_loadb((const char *)gr_models_manifest[0].data, gr_models_manifest[0].size, 0, &je);
    if (!root || !json_is_array(json_object_get(root, "models"))) {
        snprintf(err, errlen, "models/manifest.json is not valid: %s", root ? "no models list" : je.text);
        json_decref(root);
        return NULL;
    }
    return root;
}

int gr_sha256_file(const char *path, char hex[65]) {
    FILE *f = fopen(path, "rb");
    if (!f) return errno == ENOENT ? GR_ERR_NOTFOUND : GR_ERR_IO;
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    unsigned char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) crypto_hash_sha256_update(&st, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) return GR_ERR_IO;
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, out);
    sodium_bin2hex(hex, 65, out, sizeof out);
    return GR_OK;
}

int gr_models_path(const char *dir, const char *name, char *buf, size_t buflen) {
    char err[256];
    json_t *root = load_manifest(err, sizeof err);
    if (!root) return GR_ERR_FORMAT;
    int rc = GR_ERR_NOTFOUND;
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(root, "models"), i, m) {
        if (strcmp(jstr(m, "name"), name) == 0) {
            snprintf(buf, buflen, "%s/%s", dir, jstr(m, "file"));
            rc = GR_OK;
            break;
        }
    }
    json_decref(root);
    return rc;
}

int gr_models_check(const char *dir, int full, char *err, size_t errlen) {
    json_t *root = load_manifest(err, errlen);
    if (!root) return GR_ERR_FORMAT;
    int rc = GR_OK;
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(root, "models"), i, m) {
        const char *file = json_string_value(json_object_get(m, "file"));
        const char *sha = json_string_value(json_object_get(m, "sha256"));
        json_int_t size = json_integer_value(json_object_get(m, "size"));
        if (!file || !sha) {
            snprintf(err, errlen, "models/manifest.json: entry %zu lacks file or sha256", i);
            rc = GR_ERR_FORMAT;
            break;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, file);
        struct stat sb;
        if (stat(path, &sb) != 0) {
            /* an optional model (the card reader's second line recogniser)
             * may be absent: the program runs without it */
            if (json_is_true(json_object_get(m, "optional"))) continue;
            snprintf(err, errlen, "model file %s is missing (models.dir=%s); run models/fetch.sh %s", path, dir, dir);
            rc = GR_ERR_NOTFOUND;
            break;
        }
        if ((json_int_t)sb.st_size != size) {
            snprintf(err, errlen, "model file %s has %lld bytes, the manifest says %lld; run models/fetch.sh %s",
                     path, (long long)sb.st_size, (long long)size, dir);
            rc = GR_ERR_CHECKSUM;
            break;
        }
        if (full) {
            char hex[65];
            if ((rc = gr_sha256_file(path, hex)) != GR_OK) {
                snprintf(err, errlen, "cannot read model file %s: %s", path, gr_strerror(rc));
                break;
            }
            if (strcmp(hex, sha) != 0) {
                snprintf(err, errlen, "model file %s has sha256 %s, the manifest says %s; run models/fetch.sh %s",
                         path, hex, sha, dir);
                rc = GR_ERR_CHECKSUM;
                break;
            }
        }
    }
    json_decref(root);
    return rc;
}
