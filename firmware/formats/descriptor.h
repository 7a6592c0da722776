/* descriptor.h - the face descriptor as every part stores and sends it.
 *
 * A descriptor is FMT_DESC_DIM floats (the face network's output; two faces
 * of one person are usually closer than 0.6, Euclidean). Stored as a blob of
 * FMT_DESC_BYTES: each float as little-endian IEEE-754 float32, in order
 * (face_templates.descriptor). Sent between boards as text: "gf1:" followed
 * by the standard base64 (with padding) of one or more blobs back to back
 * (the CRM contact field UF_CRM_GREETER_FACES).
 */
#ifndef FMT_DESCRIPTOR_H
#define FMT_DESCRIPTOR_H

#include <stddef.h>

#define FMT_DESC_DIM 128
#define FMT_DESC_BYTES (FMT_DESC_DIM * 4)
#define FMT_DESC_TEXT_PREFIX "gf1:"

/* desc (FMT_DESC_DIM floats) -> blob (FMT_DESC_BYTES, caller's memory). */
void fmt_desc_to_blob(const float *desc, unsigned char *blob);

/* blob of len bytes -> desc (FMT_DESC_DIM floats, caller's memory).
 * GR_ERR_FORMAT when len is not FMT_DESC_BYTES (desc untouched). */
int fmt_desc_from_blob(const void *blob, size_t len, float *desc);

/* The text of n blobs (n * FMT_DESC_BYTES bytes at blobs, n >= 1):
 * "gf1:" + base64. Returns a malloc'd string owned by the caller, or NULL
 * when out of memory. */
char *fmt_desc_text_encode(const unsigned char *blobs, size_t n);

/* Text -> blobs: *out (malloc'd, *n * FMT_DESC_BYTES bytes, owned by the
 * caller) and *n. NULL or "" gives *n = 0 and *out = NULL. GR_ERR_FORMAT for
 * anything that is not "gf1:" + valid base64 of 1..max whole blobs;
 * GR_ERR_NOMEM. */
int fmt_desc_text_decode(const char *text, size_t max, unsigned char **out, size_t *n);

#endif
