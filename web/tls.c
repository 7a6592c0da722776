/* tls.c - web.tls: the key and self-signed certificate, made with GnuTLS on
 * first start and kept in <storage.dir>/web-tls.key (0600) and web-tls.crt.
 */
#define GR_LOG_MODULE "web"
#include "web/tls.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char *read_text(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = malloc(65536);
    size_t n = buf ? fread(buf, 1, 65535, f) : 0;
    fclose(f);
    if (!buf || n == 0) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

static int write_text(const char *path, const void *data, size_t len, mode_t mode) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) return GR_ERR_IO;
    int rc = (fchmod(fd, mode) == 0 && write(fd, data, len) == (ssize_t)len && fsync(fd) == 0) ? GR_OK : GR_ERR_IO;
    if (close(fd) != 0) rc = GR_ERR_IO;
    return rc;
}

static int generate(const char *name, const char *key_path, const char *crt_path) {
    gnutls_x509_privkey_t key = NULL;
    gnutls_x509_crt_t crt = NULL;
    gnutls_datum_t kpem = {NULL, 0}, cpem = {NULL, 0};
    int rc = GR_ERR_UNSUPPORTED;
    if (gnutls_x509_privkey_init(&key) < 0) goto out;
    if (gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0) < 0)
        goto out;
    if (gnutls_x509_crt_init(&crt) < 0) goto out;
    unsigned char serial[16];
    if (gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof serial) < 0) goto out;
    serial[0] &= 0x7f;
    time_t now = time(NULL);
    if (gnutls_x509_crt_set_version(crt, 3) < 0 || gnutls_x509_crt_set_serial(crt, serial, sizeof serial) < 0 ||
        gnutls_x509_crt_set_activation_time(crt, now - 3600) < 0 ||
        gnutls_x509_crt_set_expiration_time(crt, now + 10L * 365 * 86400) < 0 ||
        gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, name, (unsigned)strlen(name)) < 0 ||
        gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, name, (unsigned)strlen(name), GNUTLS_FSAN_SET) < 0 ||
        gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, "localhost", 9, GNUTLS_FSAN_APPEND) < 0 ||
        gnutls_x509_crt_set_key(crt, key) < 0 || gnutls_x509_crt_set_basic_constraints(crt, 0, -1) < 0 ||
        gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE) < 0 ||
        gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_SERVER, 0) < 0 ||
        gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0) < 0)
        goto out;
    if (gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &kpem) < 0 ||
        gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &cpem) < 0)
        goto out;
    rc = write_text(key_path, kpem.data, kpem.size, 0600);
    if (rc == GR_OK) rc = write_text(crt_path, cpem.data, cpem.size, 0644);
    if (rc != GR_OK) {
        LOG_E("cannot write %s / %s: %s", key_path, crt_path, strerror(errno));
        unlink(key_path);
        unlink(crt_path);
    }
out:
    if (rc == GR_ERR_UNSUPPORTED) LOG_E("GnuTLS could not make a self-signed certificate");
    gnutls_free(kpem.data);
    gnutls_free(cpem.data);
    if (crt) gnutls_x509_crt_deinit(crt);
    if (key) gnutls_x509_privkey_deinit(key);
    return rc;
}

int web_tls_load(const char *storage_dir, const char *name, char **key_pem, char **cert_pem) {
    *key_pem = *cert_pem = NULL;
    char key_path[4200], crt_path[4200];
    snprintf(key_path, sizeof key_path, "%s/web-tls.key", storage_dir);
    snprintf(crt_path, sizeof crt_path, "%s/web-tls.crt", storage_dir);
    if (access(key_path, R_OK) != 0 || access(crt_path, R_OK) != 0) {
        LOG_I("web.tls: making a self-signed certificate in %s", crt_path);
        int rc = generate(name, key_path, crt_path);
        if (rc != GR_OK) return rc;
    }
    *key_pem = read_text(key_path);
    *cert_pem = read_text(crt_path);
    if (!*key_pem || !*cert_pem) {
        LOG_E("web.tls: cannot read %s or %s", key_path, crt_path);
        free(*key_pem);
        free(*cert_pem);
        *key_pem = *cert_pem = NULL;
        return GR_ERR_IO;
    }
    return GR_OK;
}
