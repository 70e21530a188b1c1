/*
 * cmd_tokens.c: `marsad tokens [--json] [--no-stem] [FILE|-]`: the tokens
 * of a text with their byte offsets, kinds, normalised and stemmed forms.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "out/json.h"

static const char help[] =
    "usage: marsad tokens [--json] [--no-stem] [FILE|-]\n"
    "Prints the tokens of FILE (or stdin, the default or '-'), one per line:\n"
    "  START<TAB>END<TAB>KIND<TAB>TEXT<TAB>NORM<TAB>STEM\n"
    "START and END are byte offsets into the input, [START, END). KIND is\n"
    "arabic, latin, number, punct or symbol. NORM is the matching form and\n"
    "STEM its light stem (equal to NORM for non-Arabic tokens).\n"
    "  --json     one JSON object per line (NDJSON):\n"
    "             {\"start\",\"end\",\"text\",\"kind\",\"norm\",\"stem\",\"flags\"}\n"
    "             flags lists split_prefix (و of و1600) and truncated.\n"
    "  --no-stem  leave STEM equal to NORM\n"
    "Invalid UTF-8 is reported on stderr and tokenised as U+FFFD symbols.\n"
    "Exit status: 0 ok, 1 the input had invalid UTF-8, 2 usage, 3 failure.\n";

/* Writes s[0..n) for a TSV field: tabs and line breaks become spaces. */
static void put_field(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        putchar(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
    }
}

int cmd_tokens(int argc, char **argv)
{
    int json = 0;
    unsigned flags = 0;
    const char *path = "-";
    int npaths = 0;
    if (cli_wants_help(argc, argv)) {
        fputs(help, stdout);
        return CLI_OK;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--no-stem") == 0)
            flags |= MARSAD_TOKENIZE_NO_STEM;
        else if (argv[i][0] == '-' && argv[i][1]) {
            cli_error("tokens", "unknown option '%s'", argv[i]);
            cli_usage("tokens", help);
            return CLI_USAGE;
        } else {
            path = argv[i];
            npaths++;
        }
    }
    if (npaths > 1) {
        cli_error("tokens", "one input at a time");
        return CLI_USAGE;
    }
    size_t len;
    char *text = cli_read_all(path, &len);
    if (!text)
        return CLI_FAIL;
    size_t bad = marsad_utf8_count_invalid(text, len);
    if (bad)
        cli_error("tokens", "%s: %zu invalid UTF-8 sequence%s (shown as U+FFFD)",
                  strcmp(path, "-") == 0 ? "<stdin>" : path, bad,
                  bad == 1 ? "" : "s");
    marsad_tokenizer *t = NULL;
    if (marsad_tokenizer_new(&t, flags) != MARSAD_OK) {
        free(text);
        cli_error("tokens", "out of memory");
        return CLI_FAIL;
    }
    marsad_tokenizer_reset(t, text, len);
    marsad_token tk;
    while (marsad_tokenizer_next(t, &tk)) {
        if (json) {
            fputs("{", stdout);
            mr_json_key(stdout, "start", 1);
            printf("%zu", tk.start);
            mr_json_key(stdout, "end", 0);
            printf("%zu", tk.end);
            mr_json_key(stdout, "text", 0);
            mr_json_str(stdout, text + tk.start, tk.end - tk.start);
            mr_json_key(stdout, "kind", 0);
            mr_json_cstr(stdout, marsad_token_kind_name(tk.kind));
            mr_json_key(stdout, "norm", 0);
            mr_json_str(stdout, tk.norm, tk.norm_len);
            mr_json_key(stdout, "stem", 0);
            mr_json_str(stdout, tk.stem, tk.stem_len);
            mr_json_key(stdout, "flags", 0);
            printf("[%s%s%s]",
                   tk.flags & MARSAD_TOKF_SPLIT_PREFIX ? "\"split_prefix\"" : "",
                   (tk.flags & MARSAD_TOKF_SPLIT_PREFIX) &&
                           (tk.flags & MARSAD_TOKF_TRUNCATED)
                       ? ","
                       : "",
                   tk.flags & MARSAD_TOKF_TRUNCATED ? "\"truncated\"" : "");
            fputs("}\n", stdout);
        } else {
            printf("%zu\t%zu\t%s\t", tk.start, tk.end,
                   marsad_token_kind_name(tk.kind));
            put_field(text + tk.start, tk.end - tk.start);
            putchar('\t');
            put_field(tk.norm, tk.norm_len);
            putchar('\t');
            put_field(tk.stem, tk.stem_len);
            putchar('\n');
        }
    }
    marsad_tokenizer_free(t);
    free(text);
    if (fflush(stdout) != 0) {
        cli_error("tokens", "cannot write the output");
        return CLI_FAIL;
    }
    return bad ? CLI_PARTIAL : CLI_OK;
}
