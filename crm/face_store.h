/* face_store.h - the people, face_templates and visits tables as the face
 * pipeline sees them: crm's implementation of vision's storage operations
 * (vision/store.h). A visit commits with what the CRM does on it
 * (crm/visit_hook.h: lead, activity, outbox rows) in one transaction.
 *
 * Whoever opens the database plugs this into vision: greeterd for the live
 * pipeline, web/ for enrolment, greeter for `greeter faces`.
 */
#ifndef CRM_FACE_STORE_H
#define CRM_FACE_STORE_H

#include "crm/opts.h"
#include "crm/store.h"
#include "vision/store.h"

#include <stddef.h>

/* face_templates.source of a visit's evidence face (matchable = 0): "visit"
 * for a whole face of enrolment size, CRM_FACE_SOURCE_WEAK for one from a
 * weak sample (vis_visit_in_t.face_weak). "Not this person" makes the first
 * a template of the right identity, never the second. */
#define CRM_FACE_SOURCE_WEAK "visit_weak"

/* Fill *out with operations on st (ctx = st). st stays the caller's and
 * must outlive every use of *out; one thread at a time, as st. */
void crm_face_store_bind(crm_store_t *st, vis_store_t *out);

/* A connection of its own to the database file at path (crm_store_open with
 * the CRM's settings *opts; NULL: the defaults), bound into *out. On success
 * the connection is owned by *out: close it with crm_face_store_close. On
 * failure a message is written to err. */
int crm_face_store_open(const char *path, const crm_opts_t *opts, vis_store_t *out, char *err, size_t errlen)
    __attribute__((warn_unused_result));
void crm_face_store_close(vis_store_t *s);

/* The pair above for vision's CLI (vis_cli_faces): stores opened with *opts,
 * which must outlive the opener. */
vis_store_opener_t crm_face_store_opener(const crm_opts_t *opts);

#endif
