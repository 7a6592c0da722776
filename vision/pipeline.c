/* Placeholder until the face pipeline lands (issue 3). */
#define GR_LOG_MODULE "vision"
#include "vision.h"
#include "err.h"
#include "log.h"

#include <stdio.h>

int vis_pipeline_open(const gr_config_t *cfg, gr_bus_t *bus, gr_ring_t *ring, vis_pipeline_t **out) {
    (void)cfg; (void)bus; (void)ring;
    *out = NULL;
    LOG_W("face pipeline not available in this build");
    return GR_ERR_UNSUPPORTED;
}

void vis_pipeline_close(vis_pipeline_t *p) { (void)p; }

int vis_pipeline_healthy(const vis_pipeline_t *p) { (void)p; return 0; }

int vis_cli_faces(const gr_config_t *cfg, int argc, char **argv) {
    (void)cfg; (void)argc; (void)argv;
    fprintf(stderr, "greeter faces: not available in this build\n");
    return 2;
}
