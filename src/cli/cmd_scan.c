/*
 * cmd_scan.c — `gongdan scan` and `gongdan rules`.
 *
 * scan: loads the built-in rules (and --rules DIRs), scans the inputs and
 * writes the report atomically. Exit 0 when no failing finding is at or
 * above --fail-on, 1 when some is, 2 on usage, input or rule errors (no
 * report is written then, unless --keep-going), 3 on out-of-memory.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char scan_help[] =
    "usage: gongdan scan [OPTIONS] INPUT...\n"
    "\n"
    "Check Terraform state (v4), plan JSON (terraform show -json), Terraform source\n"
    "(.tf / .tf.json files or directories) or a JSON Lines inventory against the rules.\n"
    "INPUT - reads a JSON Lines inventory from standard input.\n"
    "\n"
    "options:\n"
    "  -f, --format FMT        text (default), json or sarif\n"
    "  -o, --output FILE       write the report to FILE (atomically) instead of stdout\n"
    "      --rules DIR         add rules from DIR (repeatable)\n"
    "      --no-builtin        do not load the built-in rules\n"
    "      --input-format FMT  auto (default), tfstate, plan, jsonl or hcl\n"
    "  -j, --threads N         worker threads (default: all cores)\n"
    "      --fail-on SEV       exit 1 when a failing finding is at or above SEV\n"
    "                          (critical, high, medium, low, info; default low)\n"
    "      --all               list passing results too\n"
    "      --lang LANG         en (default) or zh\n"
    "      --color WHEN        auto (default), always or never (NO_COLOR is honoured)\n"
    "      --var-file FILE     Terraform source: a variables file (repeatable)\n"
    "      --var K=V           Terraform source: a variable (repeatable)\n"
    "      --profile FILE      a deployment profile (docs/profile.md): every finding names\n"
    "                          its service and who is responsible for the duties it checks\n"
    "      --providers PATH    add provider profiles (file or directory) for --profile\n"
    "      --keep-going        write the report even when an input could not be read\n"
    "  -q, --quiet             no progress line\n"
    "      --max-NAME N        set a limit (see README, Robustness): max-file-size,\n"
    "                          max-depth, max-string, max-resources, max-findings,\n"
    "                          max-eval-steps, max-yaml-expansion, max-hcl-depth,\n"
    "                          max-hcl-expansion\n"
    "\n"
    "environment: NO_COLOR (no colour); GONGDAN_EXACT_SPLIT=1 cuts state files with the\n"
    "             structural skipper instead of by their layout (slower; same answer)\n"
    "\n"
    "exit codes: 0 no failing finding at or above --fail-on; 1 failing findings;\n"
    "            2 usage, input or rule errors (scan incomplete); 3 out of memory\n";

static const char rules_help[] =
    "usage: gongdan rules COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  list [--format text|json] [--lang en|zh]   print the rules\n"
    "  check FILE|DIR...                         validate rule files\n"
    "  test [DIR...]                             run the fixtures of the built-in rules, or of\n"
    "                                            the rules in DIR\n"
    "  disasm [ID]                               print the bytecode of a rule (or all)\n"
    "  coverage [-o FILE]                        write the coverage report (Markdown)\n"
    "\n"
    "common options: --rules DIR (add rules), --no-builtin\n"
    "exit codes: 0 ok; 1 a fixture failed; 2 invalid rules or usage; 3 out of memory\n";

typedef struct progress_state {
    time_t last;
    bool shown;
} progress_state;

static void on_progress(void *ud, uint64_t done, uint64_t total, uint64_t resources)
{
    progress_state *p = ud;
    time_t now = time(NULL);
    if (now == p->last) return;
    p->last = now;
    p->shown = true;
    if (total)
        fprintf(stderr, "\r\033[Kscanning: %.0f / %.0f MB (%.0f%%)", done / 1e6, total / 1e6,
                100.0 * (double)done / (double)total);
    else
        fprintf(stderr, "\r\033[Kscanning: %.0f MB", done / 1e6);
    (void)resources;
    fflush(stderr);
}

typedef struct write_ctx {
    gd_scan *scan;
    gd_report_opts ropts;
} write_ctx;

static gd_status write_report(void *ud, FILE *out)
{
    write_ctx *w = ud;
    return gd_scan_write(w->scan, &w->ropts, out);
}

/* Options shared by scan and rules. */
typedef struct ropts {
    const char **rule_dirs;
    size_t nrule_dirs;
    bool no_builtin;
} ropts;

static int add_str(const char ***arr, size_t *n, const char *s)
{
    const char **na = realloc(*arr, (*n + 2) * sizeof *na);
    if (!na) return -1;
    na[(*n)++] = s;
    na[*n] = NULL;
    *arr = na;
    return 0;
}

static gd_status load_rules(gd_ctx *ctx, const ropts *ro, gd_ruleset **out)
{
    gd_status st = gd_ruleset_new(ctx, out);
    if (st != GD_OK) return st;
    if (!ro->no_builtin) st = gd_ruleset_add_builtin(*out);
    for (size_t i = 0; i < ro->nrule_dirs && st == GD_OK; i++)
        st = gd_ruleset_add_path(*out, ro->rule_dirs[i]);
    return st;
}

int cmd_scan(int argc, char **argv)
{
    gd_ctx *ctx = NULL;
    gd_ruleset *rs = NULL;
    gd_scan *scan = NULL;
    const char **inputs = NULL, **var_files = NULL, **vars = NULL;
    size_t ninputs = 0, nvf = 0, nvars = 0;
    ropts ro = {0};
    const char *output = NULL, *lang = "en", *color = "auto", *profile = NULL, *providers = NULL;
    gd_modelset *ms = NULL;
    gd_matrix *matrix = NULL;
    gd_report_format fmt = GD_REPORT_TEXT;
    gd_sev fail_on = GD_SEV_LOW;
    gd_scan_opts so;
    memset(&so, 0, sizeof so);
    so.release_in_background = 1; /* unmapping overlaps writing the report */
    bool quiet = false, keep_going = false, all = false;
    int rc = GD_EXIT_USAGE;

    if (gd_ctx_new(&ctx, NULL) != GD_OK) {
        fprintf(stderr, "gongdan: out of memory\n");
        return GD_EXIT_INTERNAL;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        int lf = cli_limit_flag(ctx, argc, argv, &i);
        if (lf < 0) goto done;
        if (lf > 0) continue;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(scan_help, stdout);
            rc = GD_EXIT_OK;
            goto done;
        } else if (!strcmp(a, "-f") || !strcmp(a, "--format")) {
            if (!(v = cli_need_arg(argc, argv, &i))) goto done;
            if (gd_report_format_parse(v, &fmt) != GD_OK) {
                fprintf(stderr, "gongdan: unknown format '%s' (text, json, sarif)\n", v);
                goto done;
            }
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (!(output = cli_need_arg(argc, argv, &i))) goto done;
        } else if (!strcmp(a, "--rules")) {
            if (!(v = cli_need_arg(argc, argv, &i)) || add_str(&ro.rule_dirs, &ro.nrule_dirs, v))
                goto done;
        } else if (!strcmp(a, "--no-builtin")) {
            ro.no_builtin = true;
        } else if (!strcmp(a, "--input-format")) {
            if (!(v = cli_need_arg(argc, argv, &i))) goto done;
            if (!strcmp(v, "auto")) so.format = GD_INPUT_AUTO;
            else if (!strcmp(v, "tfstate") || !strcmp(v, "state")) so.format = GD_INPUT_TFSTATE;
            else if (!strcmp(v, "plan") || !strcmp(v, "tfplan")) so.format = GD_INPUT_TFPLAN;
            else if (!strcmp(v, "jsonl")) so.format = GD_INPUT_JSONL;
            else if (!strcmp(v, "hcl") || !strcmp(v, "tf")) so.format = GD_INPUT_HCL;
            else {
                fprintf(stderr, "gongdan: unknown input format '%s' (auto, tfstate, plan, jsonl, hcl)\n", v);
                goto done;
            }
        } else if (!strcmp(a, "-j") || !strcmp(a, "--threads") || !strncmp(a, "-j", 2)) {
            if (a[2] && a[1] == 'j')
                v = a + 2; /* -j4 */
            else if (!(v = cli_need_arg(argc, argv, &i)))
                goto done;
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 1 || n > 256) {
                fprintf(stderr, "gongdan: %s takes a number from 1 to 256\n", a);
                goto done;
            }
            so.threads = (unsigned)n;
        } else if (!strcmp(a, "--fail-on")) {
            if (!(v = cli_need_arg(argc, argv, &i))) goto done;
            if (gd_sev_parse(v, &fail_on) != GD_OK) {
                fprintf(stderr, "gongdan: unknown severity '%s' (critical, high, medium, low, info)\n", v);
                goto done;
            }
        } else if (!strcmp(a, "--all")) {
            all = true;
        } else if (!strcmp(a, "--lang")) {
            if (!(lang = cli_need_arg(argc, argv, &i))) goto done;
            if (strcmp(lang, "en") && strcmp(lang, "zh")) {
                fprintf(stderr, "gongdan: --lang takes en or zh\n");
                goto done;
            }
        } else if (!strcmp(a, "--color")) {
            if (!(color = cli_need_arg(argc, argv, &i))) goto done;
            if (strcmp(color, "auto") && strcmp(color, "always") && strcmp(color, "never")) {
                fprintf(stderr, "gongdan: --color takes auto, always or never\n");
                goto done;
            }
        } else if (!strcmp(a, "--var-file")) {
            if (!(v = cli_need_arg(argc, argv, &i)) || add_str(&var_files, &nvf, v)) goto done;
        } else if (!strcmp(a, "--var")) {
            if (!(v = cli_need_arg(argc, argv, &i))) goto done;
            if (!strchr(v, '=')) {
                fprintf(stderr, "gongdan: --var takes NAME=VALUE\n");
                goto done;
            }
            if (add_str(&vars, &nvars, v)) goto done;
        } else if (!strcmp(a, "--profile")) {
            if (!(profile = cli_need_arg(argc, argv, &i))) goto done;
        } else if (!strcmp(a, "--providers")) {
            if (!(providers = cli_need_arg(argc, argv, &i))) goto done;
        } else if (!strcmp(a, "--keep-going")) {
            keep_going = true;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = true;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "gongdan: unknown option '%s' (see gongdan scan --help)\n", a);
            goto done;
        } else {
            /* "-" is standard input (streamed as JSON Lines) */
            if (add_str(&inputs, &ninputs, strcmp(a, "-") == 0 ? "/dev/stdin" : a)) goto done;
        }
    }
    if (ninputs == 0) {
        fprintf(stderr, "gongdan: scan needs at least one input (see gongdan scan --help)\n");
        goto done;
    }
    so.keep_passes = all;
    so.var_files = var_files;
    so.vars = vars;
    progress_state ps = {0, false};
    if (!quiet && isatty(fileno(stderr))) {
        so.progress = on_progress;
        so.progress_ud = &ps;
    }

    gd_status st = GD_OK;
    if (profile) { /* the deployment first: a profile mistake stops before scanning */
        st = gd_modelset_new(ctx, &ms);
        if (st == GD_OK && providers) st = gd_modelset_add_providers(ms, providers);
        if (st == GD_OK) st = gd_matrix_new(ms, profile, &matrix);
        if (st != GD_OK) {
            cli_print_diags(ctx);
            rc = cli_exit_for(st);
            goto done;
        }
    } else if (providers) {
        fprintf(stderr, "gongdan: --providers goes with --profile\n");
        goto done;
    }
    st = load_rules(ctx, &ro, &rs);
    if (st != GD_OK) {
        cli_print_diags(ctx);
        rc = cli_exit_for(st);
        goto done;
    }
    st = gd_scan_run(rs, inputs, ninputs, &so, &scan);
    if (ps.shown) fputs("\r\033[K", stderr);
    cli_print_diags(ctx);
    if (!scan) {
        rc = cli_exit_for(st);
        if (rc == GD_EXIT_OK) rc = GD_EXIT_INTERNAL;
        goto done;
    }
    if (st != GD_OK && !keep_going) {
        fprintf(stderr, "gongdan: scan incomplete; no report written (--keep-going writes one)\n");
        rc = cli_exit_for(st);
        goto done;
    }
    write_ctx wc;
    wc.scan = scan;
    memset(&wc.ropts, 0, sizeof wc.ropts);
    wc.ropts.format = fmt;
    wc.ropts.list_passes = all;
    wc.ropts.lang = lang;
    wc.ropts.matrix = matrix;
    wc.ropts.color = fmt == GD_REPORT_TEXT &&
                     (!strcmp(color, "always") ||
                      (!strcmp(color, "auto") && !output && cli_want_color(stdout)));
    gd_status ws = gd_write_atomic(ctx, output, write_report, &wc);
    cli_print_diags(ctx);
    if (ws != GD_OK) {
        rc = cli_exit_for(ws);
        goto done;
    }
    if (st != GD_OK)
        rc = cli_exit_for(st);
    else
        rc = gd_scan_fail_count(scan, fail_on) ? GD_EXIT_FINDINGS : GD_EXIT_OK;
done:
    gd_scan_free(scan);
    gd_ruleset_free(rs);
    gd_matrix_free(matrix);
    gd_modelset_free(ms);
    if (ctx) cli_print_diags(ctx);
    gd_ctx_free(ctx);
    free(inputs);
    free(var_files);
    free(vars);
    free(ro.rule_dirs);
    return rc;
}

/* ----------------------------------------------------------------- rules */

typedef struct list_ctx {
    gd_ruleset *rs;
    const char *format, *lang;
} list_ctx;

static gd_status write_list(void *ud, FILE *out)
{
    list_ctx *l = ud;
    return gd_ruleset_write_list(l->rs, l->format, l->lang, out);
}

static gd_status write_coverage(void *ud, FILE *out)
{
    return gd_ruleset_write_coverage(ud, out);
}

int cmd_rules(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(rules_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? GD_EXIT_USAGE : GD_EXIT_OK;
    }
    const char *sub = argv[1];
    gd_ctx *ctx = NULL;
    gd_ruleset *rs = NULL;
    ropts ro = {0};
    const char **args = NULL;
    size_t nargs = 0;
    const char *format = "text", *lang = "en", *output = NULL;
    int rc = GD_EXIT_USAGE;
    if (gd_ctx_new(&ctx, NULL) != GD_OK) return GD_EXIT_INTERNAL;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int lf = cli_limit_flag(ctx, argc, argv, &i);
        if (lf < 0) goto done;
        if (lf > 0) continue;
        if (!strcmp(a, "--rules")) {
            const char *v = cli_need_arg(argc, argv, &i);
            if (!v || add_str(&ro.rule_dirs, &ro.nrule_dirs, v)) goto done;
        } else if (!strcmp(a, "--no-builtin")) {
            ro.no_builtin = true;
        } else if (!strcmp(a, "-f") || !strcmp(a, "--format")) {
            if (!(format = cli_need_arg(argc, argv, &i))) goto done;
            if (strcmp(format, "text") && strcmp(format, "json")) {
                fprintf(stderr, "gongdan: rules list formats are text and json\n");
                goto done;
            }
        } else if (!strcmp(a, "--lang")) {
            if (!(lang = cli_need_arg(argc, argv, &i))) goto done;
            if (strcmp(lang, "en") && strcmp(lang, "zh")) {
                fprintf(stderr, "gongdan: --lang takes en or zh\n");
                goto done;
            }
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (!(output = cli_need_arg(argc, argv, &i))) goto done;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "gongdan: unknown option '%s' (see gongdan rules --help)\n", a);
            goto done;
        } else if (add_str(&args, &nargs, a)) {
            goto done;
        }
    }
    gd_status st = GD_OK;
    if (!strcmp(sub, "check")) {
        if (nargs == 0) {
            fprintf(stderr, "gongdan: rules check needs files or directories\n");
            goto done;
        }
        ro.no_builtin = true;
        for (size_t i = 0; i < nargs; i++)
            if (add_str(&ro.rule_dirs, &ro.nrule_dirs, args[i])) goto done;
        st = load_rules(ctx, &ro, &rs);
        cli_print_diags(ctx);
        if (st == GD_OK) {
            printf("%zu rules ok\n", gd_ruleset_count(rs));
            rc = GD_EXIT_OK;
        } else {
            rc = cli_exit_for(st);
        }
        goto done;
    }
    if (!strcmp(sub, "test") && nargs > 0) {
        ro.no_builtin = true;
        for (size_t i = 0; i < nargs; i++)
            if (add_str(&ro.rule_dirs, &ro.nrule_dirs, args[i])) goto done;
    } else if (nargs > 0 && strcmp(sub, "disasm") != 0) {
        fprintf(stderr, "gongdan: unexpected argument '%s'\n", args[0]);
        goto done;
    }
    st = load_rules(ctx, &ro, &rs);
    cli_print_diags(ctx);
    if (st != GD_OK) {
        rc = cli_exit_for(st);
        goto done;
    }
    if (!strcmp(sub, "list")) {
        list_ctx l = {rs, format, lang};
        st = gd_write_atomic(ctx, output, write_list, &l);
    } else if (!strcmp(sub, "test")) {
        size_t failed = 0;
        st = gd_ruleset_test(rs, stdout, &failed);
    } else if (!strcmp(sub, "disasm")) {
        st = gd_ruleset_disasm(rs, nargs ? args[0] : NULL, stdout);
        if (st == GD_NOTFOUND) fprintf(stderr, "gongdan: no rule '%s'\n", nargs ? args[0] : "");
    } else if (!strcmp(sub, "coverage")) {
        st = gd_write_atomic(ctx, output, write_coverage, rs);
    } else {
        fprintf(stderr, "gongdan: unknown rules command '%s'\n%s", sub, rules_help);
        goto done;
    }
    cli_print_diags(ctx);
    rc = cli_exit_for(st);
done:
    gd_ruleset_free(rs);
    if (ctx) cli_print_diags(ctx);
    gd_ctx_free(ctx);
    free(args);
    free(ro.rule_dirs);
    return rc;
}
