/* models.h - the model files listed in models/manifest.json (compiled in).
 *
 * gr_models_check verifies that every file is present in the models folder
 * with the manifest's size and, when `full` is set, its sha256. A missing or
 * wrong file is an error whose message names the file and how to fetch it;
 * an entry marked "optional" (the card reader's PP-OCR line recogniser) may
 * be missing, but when present it is checked like the others.
 */
#ifndef GR_MODELS_H
#define GR_MODELS_H

#include <stddef.h>

/* Check all models in `dir`. Returns GR_OK, GR_ERR_NOTFOUND (missing),
 * GR_ERR_CHECKSUM (size or sha256 wrong), GR_ERR_FORMAT (bad manifest). */
int gr_models_check(const char *dir, int full, char *err, size_t errlen);

/* Path of a model by its manifest name ("face_recognition"); writes into buf.
 * Returns GR_OK or GR_ERR_NOTFOUND when the name is not in the manifest. */
int gr_models_path(const char *dir, const char *name, char *buf, size_t buflen);

/* sha256 of a file as 64 lower-case hex characters into hex[65]. */
int gr_sha256_file(const char *path, char hex[65]);

#endif
