/* libFuzzer target: the INI config parser must never crash, whatever the file. */
#include "firmware/core/config.h"
#include "firmware/core/err.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    gr_config_t *cfg = gr_config_new();
    if (!cfg) return 0;
    char err[512];
    int rc = gr_config_load_text(cfg, (const char *)data, size, "fuzz.conf", err, sizeof err);
    if (rc == GR_OK) {
        /* Every value that was accepted must read back within its range. */
        for (size_t i = 0; i < gr_config_count(); i++) {
            const gr_setting_t *s = gr_config_setting(i);
            if (s->type == GR_CFG_INT && (gr_config_int_named(cfg, s->name) < s->min || gr_config_int_named(cfg, s->name) > s->max))
                __builtin_trap();
        }
    }
    gr_config_free(cfg);
    return 0;
}
