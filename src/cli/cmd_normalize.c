/*
 * cmd_normalize.c: `marsad normalize [FILE|-]`: the matching form of a text.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char help[] =
    "usage: marsad normalize [--keep-taa] [--keep-hamza] [--keep-diacritics] [FILE|-]\n"
    "Writes the normalised (matching) form of FILE or stdin to stdout:\n"
    "diacritics and tatweel removed, hamza forms of alef unified, ى → ي, ة → ه,\n"
    "presentation forms and ligatures unfolded, digits of every set made ASCII,\n"
    "invisible controls removed, Latin case-folded. Line breaks are kept.\n"
    "  --keep-taa         keep ة\n"
    "  --keep-hamza       keep أ إ آ ؤ ئ\n"
    "  --keep-diacritics  keep harakat\n";

int cmd_normalize(int argc, char **argv)
{
    unsigned flags = 0;
    const char *path = "-";
    if (cli_wants_help(argc, argv)) {
        fputs(help, stdout);
        return CLI_OK;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--keep-taa") == 0)
            flags |= MARSAD_NORM_KEEP_TAA_MARBUTA;
        else if (strcmp(argv[i], "--keep-hamza") == 0)
            flags |= MARSAD_NORM_KEEP_HAMZA;
        else if (strcmp(argv[i], "--keep-diacritics") == 0)
            flags |= MARSAD_NORM_KEEP_DIACRITICS;
        else if (argv[i][0] == '-' && argv[i][1]) {
            cli_error("normalize", "unknown option '%s'", argv[i]);
            cli_usage("normalize", help);
            return CLI_USAGE;
        } else
            path = argv[i];
    }
    size_t len;
    char *text = cli_read_all(path, &len);
    if (!text)
        return CLI_FAIL;
    size_t need = marsad_normalize(text, len, NULL, 0, flags);
    char *out = malloc(need ? need : 1);
    if (!out) {
        free(text);
        cli_error("normalize", "out of memory");
        return CLI_FAIL;
    }
    marsad_normalize(text, len, out, need, flags);
    fwrite(out, 1, need, stdout);
    free(out);
    free(text);
    return fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
}
