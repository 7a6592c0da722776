/* media.h - requests that carry a photo (media.c): card scans and face
 * enrolment. Not for other parts.
 */
#ifndef WEB_MEDIA_H
#define WEB_MEDIA_H

#include "web/request.h"

/* The state of one server's media routes (reached as r->ctx->media): the
 * card reader and the face enroller, each opened on first use, and the
 * scanned photos kept for saving. On success *out is owned by the caller:
 * web_media_free (which closes the reader and the enroller). */
int web_media_new(web_media_t **out) __attribute__((warn_unused_result));
void web_media_free(web_media_t *m);

/* POST /api/v1/scans: read the cards in a photo. */
void web_media_scan(web_req_t *r);
/* POST /api/v1/scans/save: reviewed fields (+ the kept photo) -> contact + lead. */
void web_media_scan_save(web_req_t *r);
/* POST /api/v1/people and /api/v1/faces: enrol a face (with consent). */
void web_media_enroll(web_req_t *r);
/* POST /api/v1/faces/identify (image body): every face, nothing stored. */
void web_media_identify(web_req_t *r);

#endif
