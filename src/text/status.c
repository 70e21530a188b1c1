/*
 * status.c: version and error strings, and filling a marsad_error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "text/text.h"

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

marsad_status mr_error_vset(marsad_error *err, marsad_status code,
                            const char *input, const char *fmt, va_list ap)
{
    if (!err)
        return code;
    memset(err, 0, sizeof *err);
    err->code = code;
    snprintf(err->input, sizeof err->input, "%s", input ? input : "");
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return code;
}

marsad_status mr_error_set(marsad_error *err, marsad_status code,
                           const char *input, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mr_error_vset(err, code, input, fmt, ap);
    va_end(ap);
    return code;
}
