/* facenet.h - dlib's face-recognition ResNet (the net of dlib's
 * dnn_face_recognition_ex.cpp) with the weights of the TF.js port
 * (models "face_recognition" + "face_recognition_manifest"). C interface to
 * the C++ wrapper in facenet.cpp; no C++ type leaks out.
 *
 * A descriptor is FMT_DESC_DIM floats (firmware/formats/descriptor.h); two
 * chips of the same person are usually closer than 0.6 (Euclidean distance).
 */
#ifndef VIS_FACENET_H
#define VIS_FACENET_H

#include "firmware/formats/descriptor.h"

#include <stddef.h>

#define VIS_CHIP_SIZE 150

typedef struct vis_net vis_net_t;

/* Load the network from the .bin weights and their TF.js manifest.
 * Errors: GR_ERR_NOTFOUND/GR_ERR_IO (file), GR_ERR_FORMAT (manifest or .bin
 * do not fit the network), GR_ERR_NOMEM. A message goes into err.
 * On success *out is owned by the caller: vis_net_close. */
int vis_net_open(const char *bin_path, const char *manifest_path, vis_net_t **out, char *err,
                 size_t errlen) __attribute__((warn_unused_result));
void vis_net_close(vis_net_t *net);

/* Threads the network's BLAS (OpenBLAS) may use for one embedding; process
 * wide, clamped to 1..16; without OpenBLAS (reference BLAS) a no-op that
 * returns 0, else the number set. vis_net_open sets 1. */
int vis_net_set_threads(int n);

/* Descriptors of n aligned 150x150 RGB chips (chips: n * 150*150*3 bytes,
 * packed RGB rows) into out (n * 128 floats, caller's memory).
 * One thread at a time per net. Returns GR_OK or GR_ERR_INVAL/GR_ERR_NOMEM. */
int vis_net_embed(vis_net_t *net, const unsigned char *chips, int n, float *out);

/* Euclidean distance of two descriptors. */
float vis_desc_distance(const float *a, const float *b);

#endif
