/* cli.h - `greeter users ...`: the web UI's accounts from the command line
 * (docs/CLI.md). */
#ifndef WEB_CLI_H
#define WEB_CLI_H

#include "firmware/core/config.h"

/* argv[0] is the command name. Returns a process exit code. */
int web_cli_users(const gr_config_t *cfg, int argc, char **argv);

#endif
