/* Placeholder until the CRM lands (issue 5). */
#include "cli.h"

#include <stdio.h>

int crm_cli_contacts(const gr_config_t *cfg, int argc, char **argv) {
    (void)cfg; (void)argc; (void)argv;
    fprintf(stderr, "greeter contacts: not available in this build\n");
    return 2;
}
