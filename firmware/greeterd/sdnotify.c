/* sdnotify.c - see sdnotify.h. */
#include "firmware/greeterd/sdnotify.h"
#include "firmware/core/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct fw_notify {
    int fd;                    /* -1 when disabled */
    struct sockaddr_un addr;
    socklen_t addrlen;
    long long watchdog_usec;
};

static long long watchdog_from_env(void) {
    const char *pid = getenv("WATCHDOG_PID");
    if (pid && *pid) {
        char *end = NULL;
        errno = 0;
        long long v = strtoll(pid, &end, 10);
        if (errno || *end || v != (long long)getpid()) return 0;
    }
    const char *usec = getenv("WATCHDOG_USEC");
    if (!usec || !*usec) return 0;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(usec, &end, 10);
    if (errno || *end || v <= 0) return 0;
    return v;
}

int fw_notify_open(fw_notify_t **out) {
    int rc = GR_ERR_NOMEM;
    *out = NULL;
    fw_notify_t *n = calloc(1, sizeof *n);
    if (!n) goto fail;
    n->fd = -1;
    n->watchdog_usec = watchdog_from_env();

    const char *path = getenv("NOTIFY_SOCKET");
    if (!path || !*path) {
        *out = n;
        return GR_OK;
    }
    size_t len = strlen(path);
    rc = GR_ERR_INVAL;
    if ((path[0] != '/' && path[0] != '@') || len >= sizeof n->addr.sun_path) goto fail_free;
    n->addr.sun_family = AF_UNIX;
    memcpy(n->addr.sun_path, path, len);
    if (path[0] == '@') n->addr.sun_path[0] = '\0'; /* abstract namespace */
    n->addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (path[0] == '/' ? 1 : 0));

    rc = GR_ERR_IO;
    n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (n->fd < 0) goto fail_free;
    *out = n;
    return GR_OK;

fail_free:
    free(n);
fail:
    return rc;
}

void fw_notify_close(fw_notify_t *n) {
    if (!n) return;
    if (n->fd >= 0) close(n->fd);
    free(n);
}

int fw_notify_enabled(const fw_notify_t *n) { return n && n->fd >= 0; }

long long fw_notify_watchdog_usec(const fw_notify_t *n) { return n ? n->watchdog_usec : 0; }

int fw_notify_send(fw_notify_t *n, const char *fmt, ...) {
    if (!fw_notify_enabled(n)) return GR_OK;
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (len < 0) return GR_ERR_INVAL;
    if ((size_t)len >= sizeof buf) return GR_ERR_TOOBIG;
    ssize_t sent;
    do {
        sent = sendto(n->fd, buf, (size_t)len, MSG_NOSIGNAL, (const struct sockaddr *)&n->addr, n->addrlen);
    } while (sent < 0 && errno == EINTR);
    return sent == len ? GR_OK : GR_ERR_IO;
}
