/* cli.h - `greeter contacts ...` and `greeter sync ...`. */
#ifndef CRM_CLI_H
#define CRM_CLI_H

#include "firmware/core/config.h"

/* argv[0] is the command name. Each returns a process exit code. */
int crm_cli_contacts(const gr_config_t *cfg, int argc, char **argv);
int crm_cli_sync(const gr_config_t *cfg, int argc, char **argv);
/* `greeter faces show|merge|not-this|delete-template|forget ...` (the face
 * library, crm/facelist_cli.c); argv[0] is "faces". Returns the exit code. */
int crm_cli_faces(const gr_config_t *cfg, int argc, char **argv);

#endif
