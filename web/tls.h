/* tls.h - web.tls: the server's key and self-signed certificate. Not for
 * other parts.
 */
#ifndef WEB_TLS_H
#define WEB_TLS_H

/* The key and certificate as PEM text from <storage_dir>/web-tls.key (0600)
 * and web-tls.crt, made with GnuTLS for name (device.name) on first start.
 * On GR_OK *key_pem and *cert_pem are malloc'd, owned by the caller (free). */
int web_tls_load(const char *storage_dir, const char *name, char **key_pem, char **cert_pem)
    __attribute__((warn_unused_result));

#endif
