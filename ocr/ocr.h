/* ocr.h - business-card reading as the CLI and the web API see it. */
#ifndef OCR_OCR_H
#define OCR_OCR_H

#include "config.h"

/* `greeter cards ...`; argv[0] is "cards". Returns a process exit code. */
int ocr_cli_cards(const gr_config_t *cfg, int argc, char **argv);

#endif
