/* worker.h - the CRM's background thread in greeterd: sends queued manager
 * e-mails (SMTP over libcurl) and applies the retention policy (unknown
 * visitors' templates and snapshots older than privacy.unknown_retention_days).
 * It announces new leads and notifications on the bus ("lead.new",
 * "notify.new"; docs/CRM.md). It wakes on any bus event, so a component that
 * wrote the CRM (a lead, a scan) gets them out at once by publishing
 * "crm.changed"; otherwise within 30 s. */
#ifndef CRM_WORKER_H
#define CRM_WORKER_H

#include "firmware/core/bus.h"
#include "firmware/core/config.h"

typedef struct crm_worker crm_worker_t;

/* Start the worker. On success *out is owned by the caller: crm_worker_close
 * (stops and joins). */
int crm_worker_open(const gr_config_t *cfg, gr_bus_t *bus, crm_worker_t **out)
    __attribute__((warn_unused_result));
void crm_worker_close(crm_worker_t *w);

/* 1 when mail to this SMTP URL must be sent over TLS (STARTTLS or smtps://;
 * libcurl's CURLUSESSL_ALL, so a server or a man in the middle that strips
 * STARTTLS gets no password and no mail), 0 when the server is on this
 * machine (localhost, 127.0.0.0/8, ::1), where TLS is used if offered. An
 * URL whose host cannot be read counts as remote. */
int crm_mail_tls_required(const char *smtp_url);

#endif
