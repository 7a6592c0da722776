#include "firmware/core/err.h"

const char *gr_strerror(int code) {
    switch (code) {
    case GR_OK: return "ok";
    case GR_ERR_NOMEM: return "out of memory";
    case GR_ERR_INVAL: return "invalid argument";
    case GR_ERR_IO: return "input/output error";
    case GR_ERR_NOTFOUND: return "not found";
    case GR_ERR_FORMAT: return "bad format";
    case GR_ERR_RANGE: return "out of range";
    case GR_ERR_BUSY: return "busy";
    case GR_ERR_TIMEOUT: return "timed out";
    case GR_ERR_DB: return "database error";
    case GR_ERR_NET: return "network error";
    case GR_ERR_AUTH: return "not authorised";
    case GR_ERR_UNSUPPORTED: return "not supported";
    case GR_ERR_CHECKSUM: return "checksum mismatch";
    case GR_ERR_EXISTS: return "already exists";
    case GR_ERR_TOOBIG: return "too big";
    case GR_ERR_VERSION: return "unsupported version";
    case GR_ERR_EMPTY: return "nothing found";
    case GR_ERR_REMOTE: return "refused by remote";
    case GR_ERR_STOPPED: return "stopped";
    default: return "unknown error";
    }
}
