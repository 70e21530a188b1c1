/* dates.c: first compiling version; rules follow. */
#include "extract/extract.h"

marsad_status mr_extract_dates(const char *text, size_t len,
                               const mr_extract_opts *opts, mr_facts *f)
{
    (void)opts;
    if (!text && len)
        return MARSAD_E_ARG;
    return f ? MARSAD_OK : MARSAD_E_ARG;
}
