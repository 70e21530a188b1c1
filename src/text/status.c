/*
 * status.c: version and error strings.
 */
#include "marsad.h"

const char *marsad_version(void)
{
    return MARSAD_VERSION_STRING;
}

const char *marsad_strerror(marsad_status code)
{
    switch (code) {
    case MARSAD_OK:
        return "ok";
    case MARSAD_E_NOMEM:
        return "out of memory";
    case MARSAD_E_ARG:
        return "invalid argument";
    case MARSAD_E_UTF8:
        return "invalid UTF-8";
    case MARSAD_E_INPUT:
        return "malformed input";
    case MARSAD_E_IO:
        return "input/output error";
    case MARSAD_E_DB:
        return "store error";
    case MARSAD_E_LIMIT:
        return "input exceeds a limit";
    case MARSAD_E_NOTFOUND:
        return "not found";
    }
    return "unknown error";
}
