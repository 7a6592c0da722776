/* embed.h - files compiled into the program by firmware/cmake/embed.cmake. */
#ifndef GR_EMBED_H
#define GR_EMBED_H

#include <stddef.h>

typedef struct {
    const char *name;            /* path relative to the embedded folder */
    const unsigned char *data;   /* contents, followed by a NUL byte */
    size_t size;                 /* bytes, without the NUL */
} gr_embed_file_t;

#endif
