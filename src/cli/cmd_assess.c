/*
 * cmd_assess.c — `gongdan catalog list|show|import` and `gongdan assess`.
 * Argument parsing, where imported catalogs are kept, and exit codes; the
 * work is done by the library through gongdan.h.
 *
 * Imported catalogs are saved as gongdan catalog YAML in the catalog
 * directory: $GONGDAN_CATALOGS, else $XDG_DATA_HOME/gongdan/catalogs, else
 * ~/.local/share/gongdan/catalogs. Every command loads that directory (when
 * it exists) after the built-in catalogs, plus any --catalogs PATH.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char catalog_help[] =
    "usage: gongdan catalog list [--format text|json] [--lang en|zh]\n"
    "       gongdan catalog show ID [CONTROL|GROUP] [--format text|json] [--lang en|zh]\n"
    "       gongdan catalog import FILE [--id ID] [--dir DIR | -o FILE]\n"
    "\n"
    "Browse the framework catalogs: craf-2.0 (HKMA C-RAF 2.0), soc2 (Trust Services\n"
    "Criteria 2017), iso27001 (ISO/IEC 27001:2022 Annex A), mlps-2.0 (GB/T 22239-2019\n"
    "level 3 with the cloud extension), soc3-alibaba (Alibaba Cloud SOC 3 areas and\n"
    "customer duties), and catalogs you import. `show` prints a control with what\n"
    "each tier adds and the duties it maps to.\n"
    "\n"
    "`import` converts an OSCAL catalog or profile (JSON) into a gongdan catalog and\n"
    "saves it in the catalog directory ($GONGDAN_CATALOGS, else\n"
    "$XDG_DATA_HOME/gongdan/catalogs, else ~/.local/share/gongdan/catalogs), where\n"
    "every command finds it. Import a catalog before the profiles that select from it.\n"
    "\n"
    "options:\n"
    "      --catalogs PATH    also load catalogs/mappings from a file or directory\n"
    "      --id ID            import: the catalog id (default: from the title,\n"
    "                         nist-800-53 for SP 800-53 catalogs)\n"
    "      --dir DIR          import: save into DIR instead of the catalog directory\n"
    "  -o, --output FILE      import: write the converted catalog to FILE ('-' = stdout)\n"
    "\n"
    "exit: 0 ok, 2 unknown catalog/control, invalid file or usage, 3 internal error\n";

static const char assess_help[] =
    "usage: gongdan assess --framework ID [--profile FILE] [options] [INPUTS...]\n"
    "\n"
    "Where a deployment stands on a framework: per control met, partial, not met,\n"
    "not applicable, inherited (every duty owned by a provider) or unknown (no\n"
    "evidence), with the reasons: failing findings of a scan of INPUTS (Terraform\n"
    "state, plan, .tf source, inventory) or of saved `gongdan scan --format json`\n"
    "results, attestations, and ownership from the deployment profile. C-RAF: the\n"
    "tier achieved per domain against the target the inherent risk sets. MLPS: per\n"
    "family met / not met and the level rule. Then what to do next.\n"
    "\n"
    "options:\n"
    "      --framework ID     catalog to assess against (gongdan catalog list)\n"
    "  -p, --profile FILE     deployment profile (docs/profile.md)\n"
    "      --inherent-risk R  craf-2.0: low, medium or high (target Baseline,\n"
    "                         Intermediate, Advanced)\n"
    "      --attestations P   attestation file or directory (docs/assess.md)\n"
    "      --level N          mlps: the system's protection level (default 3)\n"
    "      --platform-level N mlps: the cloud platform's protection level\n"
    "      --date YYYY-MM-DD  assess as of this day (expiry of attestations)\n"
    "  -f, --format FMT       text (default), json, csv, html, oscal\n"
    "  -o, --output FILE      write to FILE (atomically) instead of stdout\n"
    "      --lang LANG        en (default) or zh\n"
    "      --fail-under TIER  exit 1 when the overall tier achieved is below TIER\n"
    "                         (baseline, intermediate, advanced)\n"
    "      --rules DIR        add rules (repeatable); --no-builtin: only those\n"
    "      --providers PATH   add provider profiles\n"
    "      --catalogs PATH    add catalogs and mappings\n"
    "\n"
    "exit: 0 ok, 1 --fail-under not reached or MLPS level rule broken, 2 usage or\n"
    "invalid input (profile, attestation, evidence digest mismatch, scan input),\n"
    "3 internal error\n";

static bool valid_lang(const char *l)
{
    if (!strcmp(l, "en") || !strcmp(l, "zh")) return true;
    fprintf(stderr, "gongdan: unknown language '%s' (en, zh)\n", l);
    return false;
}

/* The catalog directory, in buf; false when no home is known. */
static bool catalog_dir(char *buf, size_t n)
{
    const char *e = getenv("GONGDAN_CATALOGS");
    if (e && *e) return snprintf(buf, n, "%s", e) < (int)n;
    e = getenv("XDG_DATA_HOME");
    if (e && *e) return snprintf(buf, n, "%s/gongdan/catalogs", e) < (int)n;
    e = getenv("HOME");
    if (e && *e) return snprintf(buf, n, "%s/.local/share/gongdan/catalogs", e) < (int)n;
    return false;
}

static bool is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* mkdir -p */
static bool make_dirs(const char *path)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp) return false;
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return false;
            *p = '/';
        }
    return mkdir(tmp, 0755) == 0 || errno == EEXIST;
}

/* Built-ins, the catalog directory and extra paths. */
static gd_status open_catalogs(gd_ctx *ctx, const char **extra, size_t nextra, gd_catalogset **cs)
{
    gd_status st = gd_catalogset_new(ctx, cs);
    char dir[4096];
    if (!st && catalog_dir(dir, sizeof dir) && is_dir(dir)) st = gd_catalogset_add_path(*cs, dir);
    for (size_t i = 0; !st && i < nextra; i++) st = gd_catalogset_add_path(*cs, extra[i]);
    return st;
}

typedef struct iw {
    gd_catalogset *cs;
    const char *file, *id;
    const char *out_id;
} iw;

static gd_status write_import(void *ud, FILE *out)
{
    iw *w = ud;
    return gd_catalog_import(w->cs, w->file, w->id, out, &w->out_id);
}

int cmd_catalog(int argc, char **argv)
{
    gd_ctx *ctx = NULL;
    gd_catalogset *cs = NULL;
    const char *format = "text", *lang = "en", *idopt = NULL, *dir = NULL, *output = NULL;
    const char *pos[3] = {NULL, NULL, NULL};
    size_t npos = 0;
    const char **extra = NULL;
    size_t nextra = 0;
    int rc = GD_EXIT_USAGE;
    gd_status st = GD_OK;
    if (gd_ctx_new(&ctx, NULL) != GD_OK) {
        fprintf(stderr, "gongdan: out of memory\n");
        return GD_EXIT_INTERNAL;
    }
    extra = calloc((size_t)argc + 1, sizeof *extra);
    if (!extra) {
        rc = GD_EXIT_INTERNAL;
        goto done;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(catalog_help, stdout);
            rc = GD_EXIT_OK;
            goto done;
        } else if (!strcmp(a, "-f") || !strcmp(a, "--format")) {
            if (!(format = cli_need_arg(argc, argv, &i))) goto done;
            if (strcmp(format, "text") && strcmp(format, "json")) {
                fprintf(stderr, "gongdan: unknown format '%s' (text, json)\n", format);
                goto done;
            }
        } else if (!strcmp(a, "--lang")) {
            if (!(lang = cli_need_arg(argc, argv, &i)) || !valid_lang(lang)) goto done;
        } else if (!strcmp(a, "--id")) {
            if (!(idopt = cli_need_arg(argc, argv, &i))) goto done;
        } else if (!strcmp(a, "--dir")) {
            if (!(dir = cli_need_arg(argc, argv, &i))) goto done;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (!(output = cli_need_arg(argc, argv, &i))) goto done;
        } else if (!strcmp(a, "--catalogs")) {
            if (!(extra[nextra] = cli_need_arg(argc, argv, &i))) goto done;
            nextra++;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "gongdan: unknown option '%s'\n%s", a, catalog_help);
            goto done;
        } else if (npos < 3) {
            pos[npos++] = a;
        } else {
            fprintf(stderr, "gongdan: unexpected argument '%s'\n", a);
            goto done;
        }
    }
    if (!npos) {
        fputs(catalog_help, stderr);
        goto done;
    }
    const char *sub = pos[0];
    if (strcmp(sub, "list") && strcmp(sub, "show") && strcmp(sub, "import")) {
        fprintf(stderr, "gongdan: unknown catalog command '%s' (list, show, import)\n", sub);
        goto done;
    }
    if ((!strcmp(sub, "list") && npos != 1) || (!strcmp(sub, "show") && npos < 2) ||
        (!strcmp(sub, "import") && npos != 2)) {
        fprintf(stderr, "gongdan: wrong number of arguments\n%s", catalog_help);
        goto done;
    }
    st = open_catalogs(ctx, extra, nextra, &cs);
    if (st) {
        cli_print_diags(ctx);
        rc = cli_exit_for(st);
        goto done;
    }
    if (!strcmp(sub, "import")) {
        iw w = {cs, pos[1], idopt, NULL};
        char path[4200];
        const char *target = output;
        if (!target) {
            /* convert first to learn the id, then save under it */
            char home[4096];
            if (dir) snprintf(home, sizeof home, "%s", dir);
            else if (!catalog_dir(home, sizeof home)) {
                fprintf(stderr, "gongdan: no catalog directory (set GONGDAN_CATALOGS or use -o)\n");
                goto done;
            }
            st = gd_catalog_import(cs, pos[1], idopt, NULL, &w.out_id);
            if (st) {
                cli_print_diags(ctx);
                rc = cli_exit_for(st);
                goto done;
            }
            if (!make_dirs(home)) {
                fprintf(stderr, "gongdan: cannot create %s: %s\n", home, strerror(errno));
                rc = GD_EXIT_USAGE;
                goto done;
            }
            if (snprintf(path, sizeof path, "%s/%s.yaml", home, w.out_id) >= (int)sizeof path) {
                fprintf(stderr, "gongdan: catalog path too long\n");
                goto done;
            }
            target = path;
            w.id = w.out_id;
        }
        st = gd_write_atomic(ctx, target, write_import, &w);
        cli_print_diags(ctx);
        if (st) {
            rc = cli_exit_for(st);
            goto done;
        }
        if (strcmp(target, "-"))
            fprintf(stderr, "gongdan: imported catalog '%s' -> %s\n", w.out_id, target);
        rc = GD_EXIT_OK;
        goto done;
    }
    st = gd_catalog_write(cs, !strcmp(sub, "show") ? pos[1] : NULL, npos > 2 ? pos[2] : NULL,
                          format, lang, stdout);
    cli_print_diags(ctx);
    rc = cli_exit_for(st);
done:
    gd_catalogset_free(cs);
    free(extra);
    gd_ctx_free(ctx);
    return rc;
}

/* ------------------------------------------------------------ assess */

typedef struct aw {
    const gd_assess *a;
    gd_assess_format format;
    const char *lang;
} aw;

static gd_status write_assess(void *ud, FILE *out)
{
    aw *w = ud;
    return gd_assess_write(w->a, w->format, w->lang, out);
}

/* Seconds since 1970 at noon UTC of "YYYY-MM-DD"; 0 on error. */
static int64_t parse_day(const char *s)
{
    int y, m, d;
    char tail;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
        return 0;
    /* days from civil */
    int yy = y - (m <= 2);
    int era = (yy >= 0 ? yy : yy - 399) / 400;
    int yoe = yy - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = (int64_t)era * 146097 + doe - 719468;
    return days * 86400 + 12 * 3600;
}

static int64_t source_date(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s) return 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    return *end == 0 && v > 0 ? (int64_t)v : 0;
}

static bool parse_level(const char *v, int *out)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || n < 1 || n > 5) {
        fprintf(stderr, "gongdan: a protection level is a number from 1 to 5, not '%s'\n", v);
        return false;
    }
    *out = (int)n;
    return true;
}

int cmd_assess(int argc, char **argv)
{
    gd_ctx *ctx = NULL;
    gd_catalogset *cs = NULL;
    gd_modelset *ms = NULL;
    gd_ruleset *rs = NULL;
    gd_assess *a = NULL;
    const char **inputs = NULL, **rules = NULL, **provs = NULL, **cats = NULL;
    size_t ninputs = 0, nrules = 0, nprovs = 0, ncats = 0;
    const char *output = NULL, *fail_under = NULL;
    bool no_builtin = false;
    gd_assess_opts o;
    memset(&o, 0, sizeof o);
    aw w = {NULL, GD_ASSESS_TEXT, "en"};
    int rc = GD_EXIT_USAGE;
    gd_status st;

    if (gd_ctx_new(&ctx, NULL) != GD_OK) {
        fprintf(stderr, "gongdan: out of memory\n");
        return GD_EXIT_INTERNAL;
    }
    size_t n = (size_t)argc + 1;
    inputs = calloc(n, sizeof *inputs);
    rules = calloc(n, sizeof *rules);
    provs = calloc(n, sizeof *provs);
    cats = calloc(n, sizeof *cats);
    if (!inputs || !rules || !provs || !cats) {
        rc = GD_EXIT_INTERNAL;
        goto done;
    }
    for (int i = 1; i < argc; i++) {
        const char *a2 = argv[i], *v;
        int lf = cli_limit_flag(ctx, argc, argv, &i);
        if (lf < 0) goto done;
        if (lf > 0) continue;
        if (!strcmp(a2, "-h") || !strcmp(a2, "--help")) {
            fputs(assess_help, stdout);
            rc = GD_EXIT_OK;
            goto done;
        } else if (!strcmp(a2, "--framework")) {
            if (!(o.framework = cli_need_arg(argc, argv, &i))) goto done;
        } else if (!strcmp(a2, "-p") || !strcmp(a2, "--profile")) {
            if (!(o.profile = cli_need_arg(argc, argv, &i))) goto done;
        } else if (!strcmp(a2, "--inherent-risk")) {
            if (!(o.inherent_risk = cli_need_arg(argc, argv, &i))) goto done;
            if (strcmp(o.inherent_risk, "low") && strcmp(o.inherent_risk, "medium") &&
                strcmp(o.inherent_risk, "high")) {
                fprintf(stderr, "gongdan: --inherent-risk is low, medium or high\n");
                goto done;
            }
        } else if (!strcmp(a2, "--attestations")) {
            if (!(o.attestations = cli_need_arg(argc, argv, &i))) goto done;
        } else if (!strcmp(a2, "--level")) {
            if (!(v = cli_need_arg(argc, argv, &i)) || !parse_level(v, &o.level)) goto done;
        } else if (!strcmp(a2, "--platform-level")) {
            if (!(v = cli_need_arg(argc, argv, &i)) || !parse_level(v, &o.platform_level)) goto done;
        } else if (!strcmp(a2, "--date")) {
            if (!(v = cli_need_arg(argc, argv, &i))) goto done;
            if (!(o.now = parse_day(v))) {
                fprintf(stderr, "gongdan: --date takes YYYY-MM-DD, not '%s'\n", v);
                goto done;
            }
        } else if (!strcmp(a2, "-f") || !strcmp(a2, "--format")) {
            if (!(v = cli_need_arg(argc, argv, &i))) goto done;
            if (gd_assess_format_parse(v, &w.format) != GD_OK) {
                fprintf(stderr, "gongdan: unknown format '%s' (text, json, csv, html, oscal)\n", v);
                goto done;
            }
        } else if (!strcmp(a2, "-o") || !strcmp(a2, "--output")) {
            if (!(output = cli_need_arg(argc, argv, &i))) goto done;
        } else if (!strcmp(a2, "--lang")) {
            if (!(v = cli_need_arg(argc, argv, &i)) || !valid_lang(v)) goto done;
            w.lang = v;
        } else if (!strcmp(a2, "--fail-under")) {
            if (!(fail_under = cli_need_arg(argc, argv, &i))) goto done;
        } else if (!strcmp(a2, "--rules")) {
            if (!(rules[nrules] = cli_need_arg(argc, argv, &i))) goto done;
            nrules++;
        } else if (!strcmp(a2, "--no-builtin")) {
            no_builtin = true;
        } else if (!strcmp(a2, "--providers")) {
            if (!(provs[nprovs] = cli_need_arg(argc, argv, &i))) goto done;
            nprovs++;
        } else if (!strcmp(a2, "--catalogs")) {
            if (!(cats[ncats] = cli_need_arg(argc, argv, &i))) goto done;
            ncats++;
        } else if (a2[0] == '-' && a2[1]) {
            fprintf(stderr, "gongdan: unknown option '%s'\n%s", a2, assess_help);
            goto done;
        } else {
            inputs[ninputs++] = a2;
        }
    }
    if (!o.framework) {
        fprintf(stderr, "gongdan: assess needs --framework ID\n%s", assess_help);
        goto done;
    }
    if (!o.now) o.now = source_date();
    o.inputs = inputs;
    o.ninputs = ninputs;
    st = open_catalogs(ctx, cats, ncats, &cs);
    if (!st) st = gd_modelset_new(ctx, &ms);
    for (size_t i = 0; !st && i < nprovs; i++) st = gd_modelset_add_providers(ms, provs[i]);
    if (!st) st = gd_ruleset_new(ctx, &rs);
    if (!st && !no_builtin) st = gd_ruleset_add_builtin(rs);
    for (size_t i = 0; !st && i < nrules; i++) st = gd_ruleset_add_path(rs, rules[i]);
    if (st) {
        cli_print_diags(ctx);
        rc = cli_exit_for(st);
        goto done;
    }
    st = gd_assess_run(cs, ms, rs, &o, &a);
    if (!a) {
        cli_print_diags(ctx);
        rc = cli_exit_for(st);
        goto done;
    }
    int tier_needed = -1;
    if (fail_under) {
        tier_needed = gd_assess_tier_index(a, fail_under);
        if (tier_needed < 0) {
            cli_print_diags(ctx);
            fprintf(stderr, "gongdan: --fail-under needs a tier of %s (e.g. baseline)\n", o.framework);
            rc = GD_EXIT_USAGE;
            goto done;
        }
    }
    w.a = a;
    gd_status ws = gd_write_atomic(ctx, output, write_assess, &w);
    cli_print_diags(ctx);
    if (ws) {
        rc = cli_exit_for(ws);
        goto done;
    }
    if (st) {
        rc = cli_exit_for(st); /* invalid input: report written, still a failure */
        goto done;
    }
    rc = GD_EXIT_OK;
    if (tier_needed >= 0 && gd_assess_tier_achieved(a) < tier_needed) {
        fprintf(stderr, "gongdan: tier achieved is below %s\n", fail_under);
        rc = GD_EXIT_FINDINGS;
    }
    if (gd_assess_level_rule(a) == 0) {
        fprintf(stderr, "gongdan: MLPS level rule broken: the platform's level is below the system's\n");
        rc = GD_EXIT_FINDINGS;
    }
done:
    gd_assess_free(a);
    gd_ruleset_free(rs);
    gd_modelset_free(ms);
    gd_catalogset_free(cs);
    free(inputs);
    free(rules);
    free(provs);
    free(cats);
    gd_ctx_free(ctx);
    return rc;
}
