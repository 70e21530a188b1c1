/*
 * util.c: helpers shared by the commands.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"

char *cli_read_all(const char *path, size_t *len)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "marsad: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf)
        goto nomem;
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb)
                goto nomem;
            buf = nb;
            cap *= 2;
        }
    }
    if (ferror(f)) {
        fprintf(stderr, "marsad: %s: %s\n", is_stdin ? "<stdin>" : path,
                strerror(errno));
        free(buf);
        if (!is_stdin)
            fclose(f);
        return NULL;
    }
    if (!is_stdin)
        fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
nomem:
    fprintf(stderr, "marsad: %s: out of memory\n", path);
    free(buf);
    if (!is_stdin)
        fclose(f);
    return NULL;
}

void cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "marsad %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
    }
    return 0;
}

int cli_usage(const char *cmd, const char *help)
{
    /* the help's usage lines: "usage: ..." and the "       ..." after it */
    const char *p = help;
    while (*p && (strncmp(p, "usage:", 6) == 0 || strncmp(p, "       ", 7) == 0)) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
        fwrite(p, 1, n, stderr);
        p += n;
    }
    fprintf(stderr, "Run 'marsad %s --help' for more.\n", cmd);
    return CLI_USAGE;
}

int cli_build_postings(struct marsad_store *st, const char *cmd)
{
    marsad_error err;
    memset(&err, 0, sizeof err);
    if (mr_store_postings_build(st, &err) == MARSAD_OK)
        return 0;
    cli_error(cmd, "%s: the postings file was not built (search reads the "
                   "full-text index instead): %s",
              err.input, err.message);
    return -1;
}
