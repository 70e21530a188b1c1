/* entities.c: first compiling version; rules follow. */
#include "extract/extract.h"

marsad_status mr_extract_entities(const char *text, size_t len, mr_facts *f)
{
    if (!text && len)
        return MARSAD_E_ARG;
    return f ? MARSAD_OK : MARSAD_E_ARG;
}
