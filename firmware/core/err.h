/* err.h - the one set of error codes shared by every Greeter module.
 *
 * Functions that can fail return 0 (GR_OK) or one of these negative codes.
 * Aborting is for programmer errors only; anything a user, a camera, a
 * network or a file can cause is one of these codes plus a log line.
 */
#ifndef GR_ERR_H
#define GR_ERR_H

enum {
    GR_OK = 0,
    GR_ERR_NOMEM = -1,       /* allocation failed */
    GR_ERR_INVAL = -2,       /* bad argument or bad input value */
    GR_ERR_IO = -3,          /* read/write/open failed */
    GR_ERR_NOTFOUND = -4,    /* no such file, record, key */
    GR_ERR_FORMAT = -5,      /* input is not in the expected format */
    GR_ERR_RANGE = -6,       /* value out of its allowed range */
    GR_ERR_BUSY = -7,        /* resource busy, try again */
    GR_ERR_TIMEOUT = -8,     /* operation ran out of time */
    GR_ERR_DB = -9,          /* database error */
    GR_ERR_NET = -10,        /* network error */
    GR_ERR_AUTH = -11,       /* authentication or authorisation refused */
    GR_ERR_UNSUPPORTED = -12,/* feature not available in this build/input */
    GR_ERR_CHECKSUM = -13,   /* checksum mismatch */
    GR_ERR_EXISTS = -14,     /* already exists / conflict */
    GR_ERR_TOOBIG = -15,     /* input larger than allowed */
    GR_ERR_VERSION = -16,    /* data from a newer/unknown version */
    GR_ERR_EMPTY = -17,      /* nothing found (no face, no card) */
    GR_ERR_REMOTE = -18,     /* remote side refused the request */
    GR_ERR_STOPPED = -19,    /* the component is shutting down */
};

/* Static, human-readable text for an error code; never NULL. */
const char *gr_strerror(int code);

#endif
