/*
 * cmd_matrix.c — `gongdan matrix`, `gongdan model` and `gongdan providers`:
 * who owns every duty of a deployment profile, and browsing the built-in
 * responsibility models and provider profiles. Argument parsing and exit
 * codes only; the work is done by the library through gongdan.h.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char matrix_help[] =
    "usage: gongdan matrix --profile FILE [options]\n"
    "\n"
    "For every service of the deployment profile and every security duty of its\n"
    "responsibility model: who is responsible, who is accountable, the status\n"
    "(owned, unowned, ambiguous, conflict) and the basis (table row, option,\n"
    "provider default, contract). See docs/profile.md and docs/matrix.md.\n"
    "\n"
    "options:\n"
    "  -p, --profile FILE     deployment profile (YAML)\n"
    "  -f, --format FMT       text (default), csv, json, html, oscal\n"
    "  -o, --output FILE      write to FILE (atomically) instead of stdout\n"
    "      --lang LANG        en (default) or zh\n"
    "      --providers PATH   add provider profiles from a YAML file or directory\n"
    "                         (repeatable; a profile with a built-in id replaces it)\n"
    "      --strict           exit 1 when any duty is unowned, ambiguous or in conflict\n"
    "  -h, --help             this help\n"
    "\n"
    "exit: 0 ok, 1 --strict found gaps, 2 invalid profile or usage, 3 internal error\n";

static const char model_help[] =
    "usage: gongdan model show [DUTY] [--model ID] [--format text|json] [--lang en|zh]\n"
    "\n"
    "Browse the built-in responsibility models: oscar-2020 (OSCAR/CAICT 2020,\n"
    "tables 1-5) and mlps-2.0 (MLPS-structured division, table 6). DUTY is a leaf\n"
    "id (data.customer_data.storage) or a category/group id (data, iam.console).\n"
    "  gongdan model list     lists the models\n";

static const char providers_help[] =
    "usage: gongdan providers [ID] [--format text|json] [--lang en|zh] [--providers PATH]\n"
    "\n"
    "List the provider profiles (built in and added with --providers), or show one:\n"
    "service models offered, default options on negotiable duties with their\n"
    "basis and confidence, stated positions and controls.\n";

static bool valid_lang(const char *l)
{
    if (!strcmp(l, "en") || !strcmp(l, "zh")) return true;
    fprintf(stderr, "gongdan: unknown language '%s' (en, zh)\n", l);
    return false;
}

typedef struct wctx {
    const gd_matrix *m;
    gd_matrix_opts o;
} wctx;

static gd_status write_matrix(void *ud, FILE *out)
{
    wctx *w = ud;
    return gd_matrix_write(w->m, &w->o, out);
}

/* SOURCE_DATE_EPOCH pins the OSCAL timestamp for reproducible output. */
static int64_t source_date(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s) return 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    return *end == 0 && v > 0 ? (int64_t)v : 0;
}

int cmd_matrix(int argc, char **argv)
{
    gd_ctx *ctx = NULL;
    gd_modelset *ms = NULL;
    gd_matrix *m = NULL;
    const char *profile = NULL, *output = NULL;
    const char **provs = NULL;
    size_t nprovs = 0;
    bool strict = false;
    wctx w = {NULL, {GD_MATRIX_TEXT, "en", 0}};
    int rc = GD_EXIT_USAGE;
    gd_status st;

    if (gd_ctx_new(&ctx, NULL) != GD_OK) {
        fprintf(stderr, "gongdan: out of memory\n");
        return GD_EXIT_INTERNAL;
    }
    provs = calloc((size_t)argc + 1, sizeof *provs);
    if (!provs) {
        rc = GD_EXIT_INTERNAL;
        goto done;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        int lf = cli_limit_flag(ctx, argc, argv, &i);
        if (lf < 0) goto done;
        if (lf > 0) continue;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(matrix_help, stdout);
            rc = GD_EXIT_OK;
            goto done;
        } else if (!strcmp(a, "-p") || !strcmp(a, "--profile")) {
            if (!(profile = cli_need_arg(argc, argv, &i))) goto done;
        } else if (!strcmp(a, "-f") || !strcmp(a, "--format")) {
            if (!(v = cli_need_arg(argc, argv, &i))) goto done;
            if (gd_matrix_format_parse(v, &w.o.format) != GD_OK) {
                fprintf(stderr, "gongdan: unknown format '%s' (text, csv, json, html, oscal)\n", v);
                goto done;
            }
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (!(output = cli_need_arg(argc, argv, &i))) goto done;
        } else if (!strcmp(a, "--lang")) {
            if (!(v = cli_need_arg(argc, argv, &i)) || !valid_lang(v)) goto done;
            w.o.lang = v;
        } else if (!strcmp(a, "--providers")) {
            if (!(v = cli_need_arg(argc, argv, &i))) goto done;
            provs[nprovs++] = v;
        } else if (!strcmp(a, "--strict")) {
            strict = true;
        } else if (a[0] == '-') {
            fprintf(stderr, "gongdan: unknown option '%s'\n%s", a, matrix_help);
            goto done;
        } else if (!profile) {
            profile = a; /* `gongdan matrix FILE` works too */
        } else {
            fprintf(stderr, "gongdan: unexpected argument '%s'\n", a);
            goto done;
        }
    }
    if (!profile) {
        fprintf(stderr, "gongdan: matrix needs --profile FILE\n%s", matrix_help);
        goto done;
    }
    st = gd_modelset_new(ctx, &ms);
    for (size_t i = 0; st == GD_OK && i < nprovs; i++) st = gd_modelset_add_providers(ms, provs[i]);
    if (st == GD_OK) st = gd_matrix_new(ms, profile, &m);
    cli_print_diags(ctx);
    if (st != GD_OK) {
        rc = cli_exit_for(st);
        goto done;
    }
    w.m = m;
    w.o.timestamp = source_date();
    st = gd_write_atomic(ctx, output, write_matrix, &w);
    cli_print_diags(ctx);
    if (st != GD_OK) {
        rc = cli_exit_for(st);
        goto done;
    }
    rc = strict && gd_matrix_gap_count(m) > 0 ? GD_EXIT_FINDINGS : GD_EXIT_OK;
    if (strict && rc == GD_EXIT_FINDINGS)
        fprintf(stderr, "gongdan: %zu of %zu duties are unowned, ambiguous or in conflict\n",
                gd_matrix_gap_count(m), gd_matrix_row_count(m));
done:
    gd_matrix_free(m);
    gd_modelset_free(ms);
    free(provs);
    gd_ctx_free(ctx);
    return rc;
}

/* Shared parsing of `model` and `providers`: --format, --lang, --model,
 * --providers, and positional arguments. */
typedef struct browse_args {
    const char *format, *lang, *model;
    const char *pos[4];
    size_t npos;
    const char **provs;
    size_t nprovs;
} browse_args;

static int parse_browse(int argc, char **argv, browse_args *b, const char *help)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(help, stdout);
            return 1;
        } else if (!strcmp(a, "-f") || !strcmp(a, "--format")) {
            if (!(v = cli_need_arg(argc, argv, &i))) return -1;
            if (strcmp(v, "text") && strcmp(v, "json")) {
                fprintf(stderr, "gongdan: unknown format '%s' (text, json)\n", v);
                return -1;
            }
            b->format = v;
        } else if (!strcmp(a, "--lang")) {
            if (!(v = cli_need_arg(argc, argv, &i)) || !valid_lang(v)) return -1;
            b->lang = v;
        } else if (!strcmp(a, "--model")) {
            if (!(b->model = cli_need_arg(argc, argv, &i))) return -1;
        } else if (!strcmp(a, "--providers")) {
            if (!(v = cli_need_arg(argc, argv, &i))) return -1;
            b->provs[b->nprovs++] = v;
        } else if (a[0] == '-') {
            fprintf(stderr, "gongdan: unknown option '%s'\n%s", a, help);
            return -1;
        } else if (b->npos < 4) {
            b->pos[b->npos++] = a;
        } else {
            fprintf(stderr, "gongdan: too many arguments\n");
            return -1;
        }
    }
    return 0;
}

static int run_browse(int argc, char **argv, bool model)
{
    gd_ctx *ctx = NULL;
    gd_modelset *ms = NULL;
    browse_args b = {"text", "en", NULL, {NULL}, 0, NULL, 0};
    int rc = GD_EXIT_USAGE;
    gd_status st;
    if (gd_ctx_new(&ctx, NULL) != GD_OK) {
        fprintf(stderr, "gongdan: out of memory\n");
        return GD_EXIT_INTERNAL;
    }
    b.provs = calloc((size_t)argc + 1, sizeof *b.provs);
    if (!b.provs) {
        rc = GD_EXIT_INTERNAL;
        goto done;
    }
    int pr = parse_browse(argc, argv, &b, model ? model_help : providers_help);
    if (pr != 0) {
        rc = pr > 0 ? GD_EXIT_OK : GD_EXIT_USAGE;
        goto done;
    }
    st = gd_modelset_new(ctx, &ms);
    for (size_t i = 0; st == GD_OK && i < b.nprovs; i++) st = gd_modelset_add_providers(ms, b.provs[i]);
    cli_print_diags(ctx);
    if (st != GD_OK) {
        rc = cli_exit_for(st);
        goto done;
    }
    if (model) {
        const char *sub = b.npos ? b.pos[0] : "show";
        if (!strcmp(sub, "list")) {
            st = gd_model_show(ms, "*", NULL, b.format, b.lang, stdout);
        } else if (!strcmp(sub, "show")) {
            st = gd_model_show(ms, b.model, b.npos > 1 ? b.pos[1] : NULL, b.format, b.lang, stdout);
        } else {
            fprintf(stderr, "gongdan: unknown model command '%s'\n%s", sub, model_help);
            goto done;
        }
    } else {
        st = gd_providers_write(ms, b.npos ? b.pos[0] : NULL, b.format, b.lang, stdout);
    }
    cli_print_diags(ctx);
    rc = cli_exit_for(st);
done:
    gd_modelset_free(ms);
    free(b.provs);
    gd_ctx_free(ctx);
    return rc;
}

int cmd_model(int argc, char **argv)
{
    return run_browse(argc, argv, true);
}

int cmd_providers(int argc, char **argv)
{
    return run_browse(argc, argv, false);
}
