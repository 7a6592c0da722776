/* sdnotify.h - systemd's service notification protocol (sd_notify), spoken
 * directly: one datagram of "KEY=value\n..." lines to the AF_UNIX socket
 * named in $NOTIFY_SOCKET (a path, or "@name" for the abstract namespace).
 * No libsystemd needed, so the package does not depend on it.
 *
 * Outside systemd (no $NOTIFY_SOCKET) the handle is valid but disabled and
 * every send is a no-op returning GR_OK.
 *
 * The watchdog interval comes from $WATCHDOG_USEC, honoured only when
 * $WATCHDOG_PID is unset or names this process (as sd_watchdog_enabled does).
 */
#ifndef FW_SDNOTIFY_H
#define FW_SDNOTIFY_H

#include <stddef.h>

typedef struct fw_notify fw_notify_t;

/* Read the environment and open the socket. On GR_OK *out is owned by the
 * caller: fw_notify_close. Fails with GR_ERR_INVAL when $NOTIFY_SOCKET is
 * malformed (too long, not a path), GR_ERR_NOMEM or GR_ERR_IO. */
int fw_notify_open(fw_notify_t **out) __attribute__((warn_unused_result));
void fw_notify_close(fw_notify_t *n);

/* 1 when $NOTIFY_SOCKET was set, else 0. */
int fw_notify_enabled(const fw_notify_t *n);

/* Watchdog interval in microseconds (0: no watchdog requested). */
long long fw_notify_watchdog_usec(const fw_notify_t *n);

/* Send one message, e.g. fw_notify_send(n, "READY=1\nSTATUS=%s", text).
 * Returns GR_OK, GR_ERR_TOOBIG (over 4 KiB) or GR_ERR_IO (logged once per
 * burst by the caller's choice; this function does not log). */
int fw_notify_send(fw_notify_t *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
