/* role.c - role checks for the route files; see role.h. */
#include "web/role.h"

#include <string.h>

int web_req_admin(web_req_t *r) {
    if (r->authed && r->sess.admin) return 1;
    web_reply_error(r, 403, "forbidden", "this needs the admin role (signed in as '%s', a desk user)",
                    r->sess.username);
    return 0;
}

int web_req_password_ok(web_req_t *r) {
    if (!r->authed || !r->sess.must_change) return 1;
    if (r->nsegs == 3 && strcmp(r->segs[0], "api") == 0 && strcmp(r->segs[1], "v1") == 0) {
        const char *what = r->segs[2];
        if (strcmp(what, "password") == 0 || strcmp(what, "me") == 0 || strcmp(what, "logout") == 0) return 1;
    }
    web_reply_error(r, 403, "password_change_required",
                    "change your password first (POST /api/v1/password): it was set by someone else");
    return 0;
}
