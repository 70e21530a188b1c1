/*
 * cmd_numbers.c: `marsad numbers [--json] [FILE|-]`: every number
 * expression of a text with its span, value and qualifier.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "out/json.h"

static const char help[] =
    "usage: marsad numbers [--json] [FILE|-]\n"
    "Prints every number expression of FILE (or stdin, the default or '-'):\n"
    "digits of every set, number words in every case form, compounds\n"
    "(ثلاثة آلاف وخمسمائة), mixed (20 ألفًا، 1.5 مليون), qualifiers (نحو،\n"
    "أكثر من، ما يصل إلى ...), ranges (بين X و Y، من X إلى Y، X-Y), vague\n"
    "quantities (عشرات 20-99، مئات 200-999، آلاف 2000-9999، بضعة 3-9),\n"
    "fractions (ربع = 25 percent), multiples (ضعف) and ordinals.\n"
    "One line per expression:\n"
    "  START<TAB>END<TAB>QUALIFIER<TAB>MIN<TAB>MAX<TAB>FLAGS<TAB>TEXT\n"
    "START and END are byte offsets into the input, [START, END), from the\n"
    "qualifier through the number; '-' stands for an open end.\n"
    "  --json  one JSON object per line (NDJSON):\n"
    "          {\"start\",\"end\",\"text\",\"min\",\"max\",\"qualifier\",\"flags\"}\n"
    "          min or max is null for an open end (more_than has no max).\n"
    "FLAGS: digits, words, vague, decimal, percent, ordinal, year, fraction.\n"
    "Exit status: 0 ok, 1 the input had invalid UTF-8 (read as U+FFFD),\n"
    "2 usage, 3 failure.\n";

typedef struct out_ctx {
    const char *text;
    int json;
    unsigned long count;
} out_ctx;

static const char *const flag_names[] = {"digits",  "words",   "vague",
                                         "decimal", "percent", "ordinal",
                                         "year",    "fraction"};

static void put_num(double v, int has, int json)
{
    if (!has) {
        fputs(json ? "null" : "-", stdout);
        return;
    }
    mr_json_num(stdout, v);
}

static int print_number(const marsad_number *n, void *vctx)
{
    out_ctx *o = vctx;
    o->count++;
    if (o->json) {
        fputs("{", stdout);
        mr_json_key(stdout, "start", 1);
        printf("%zu", n->start);
        mr_json_key(stdout, "end", 0);
        printf("%zu", n->end);
        mr_json_key(stdout, "text", 0);
        mr_json_str(stdout, o->text + n->start, n->end - n->start);
        mr_json_key(stdout, "min", 0);
        put_num(n->min, n->has_min, 1);
        mr_json_key(stdout, "max", 0);
        put_num(n->max, n->has_max, 1);
        mr_json_key(stdout, "qualifier", 0);
        mr_json_cstr(stdout, marsad_qualifier_name(n->qualifier));
        mr_json_key(stdout, "flags", 0);
        putchar('[');
        int first = 1;
        for (unsigned b = 0; b < 8; b++)
            if (n->flags & (1u << b)) {
                if (!first)
                    putchar(',');
                mr_json_cstr(stdout, flag_names[b]);
                first = 0;
            }
        fputs("]}\n", stdout);
    } else {
        printf("%zu\t%zu\t%s\t", n->start, n->end,
               marsad_qualifier_name(n->qualifier));
        put_num(n->min, n->has_min, 0);
        putchar('\t');
        put_num(n->max, n->has_max, 0);
        putchar('\t');
        int first = 1;
        for (unsigned b = 0; b < 8; b++)
            if (n->flags & (1u << b)) {
                printf("%s%s", first ? "" : ",", flag_names[b]);
                first = 0;
            }
        if (first)
            putchar('-');
        putchar('\t');
        for (size_t i = n->start; i < n->end; i++) {
            char c = o->text[i];
            putchar(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
        }
        putchar('\n');
    }
    return 0;
}

int cmd_numbers(int argc, char **argv)
{
    int json = 0, npaths = 0;
    const char *path = "-";
    if (cli_wants_help(argc, argv)) {
        fputs(help, stdout);
        return CLI_OK;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (argv[i][0] == '-' && argv[i][1]) {
            cli_error("numbers", "unknown option '%s'", argv[i]);
            cli_usage("numbers", help);
            return CLI_USAGE;
        } else {
            path = argv[i];
            npaths++;
        }
    }
    if (npaths > 1) {
        cli_error("numbers", "one input at a time");
        return CLI_USAGE;
    }
    size_t len;
    char *text = cli_read_all(path, &len);
    if (!text)
        return CLI_FAIL;
    size_t bad = marsad_utf8_count_invalid(text, len);
    if (bad)
        cli_error("numbers", "%s: %zu invalid UTF-8 sequence%s (read as U+FFFD)",
                  strcmp(path, "-") == 0 ? "<stdin>" : path, bad,
                  bad == 1 ? "" : "s");
    out_ctx o = {text, json, 0};
    marsad_status rc = marsad_numbers_scan(text, len, print_number, &o);
    free(text);
    if (rc != MARSAD_OK) {
        cli_error("numbers", "%s: %s", path, marsad_strerror(rc));
        return CLI_FAIL;
    }
    if (fflush(stdout) != 0) {
        cli_error("numbers", "cannot write the output");
        return CLI_FAIL;
    }
    return bad ? CLI_PARTIAL : CLI_OK;
}
