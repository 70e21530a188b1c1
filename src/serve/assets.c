/*
 * assets.c: the dashboard's files (web/ and Debian's Chart.js), embedded
 * at build time by tools/gen_assets.c.
 */
#include <string.h>

#include "serve/serve_int.h"

#include "web_assets.inc"

const sv_asset *sv_asset_find(const char *path)
{
    if (!path)
        return NULL;
    for (size_t i = 0; i < sizeof assets / sizeof assets[0]; i++)
        if (strcmp(assets[i].path, path) == 0)
            return &assets[i];
    return NULL;
}
