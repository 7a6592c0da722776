/* faces.h - /api/v1/faces[/{id}[/snapshot]] for the Faces page (faces.c;
 * POST /api/v1/faces enrols: media.c). Not for other parts.
 */
#ifndef WEB_FACES_H
#define WEB_FACES_H

#include "web/request.h"

void web_faces_route(web_req_t *r);

#endif
