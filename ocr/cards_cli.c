/* Placeholder until the card reader lands (issue 4). */
#include "ocr.h"

#include <stdio.h>

int ocr_cli_cards(const gr_config_t *cfg, int argc, char **argv) {
    (void)cfg; (void)argc; (void)argv;
    fprintf(stderr, "greeter cards: not available in this build\n");
    return 2;
}
