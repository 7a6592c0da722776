/* Placeholder until the CRM lands (issue 5): the visit is recorded by vision/,
 * nothing more happens yet. */
#include "visit_hook.h"

#include "err.h"

int crm_on_visit(crm_store_t *st, int64_t person_id, int64_t visit_id, int is_new) {
    (void)st; (void)person_id; (void)visit_id; (void)is_new;
    return GR_OK;
}
