/* accounts.h - the Accounts page's API (accounts.c) over web/users.h. Not
 * for other parts.
 *   GET   /api/v1/users                 any signed-in user: [{id, username, display_name,
 *                                       email, role, disabled, must_change, created_at}]
 *   GET   /api/v1/users/{id}            any signed-in user
 *   POST  /api/v1/users                 admin: {username, password, role, display_name?, email?}
 *   PATCH /api/v1/users/{id}            admin: {display_name?, email?, role?, disabled?}
 *   POST  /api/v1/users/{id}/password   admin: {password}; the user must change it at next login
 */
#ifndef WEB_ACCOUNTS_H
#define WEB_ACCOUNTS_H

#include "web/request.h"

void web_accounts_route(web_req_t *r);

#endif
