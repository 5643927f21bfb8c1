/*
 * fuzz_scan.c — libFuzzer harness for the scan input adapters
 * (src/engine.c): Terraform state, plan JSON and JSON Lines inventories,
 * through the public gd_scan_run on a scratch file, with the built-in rule
 * pack plus a join rule so deferred evaluation and joins run too.
 *
 * First input byte: 's' = state, 'p' = plan, 'l' = JSON Lines (the format
 * is forced), anything else = automatic detection; the rest is the file.
 * A scan that returns must satisfy the API contract: a result whenever the
 * status is not GD_NOMEM/GD_MISUSE, complete only with GD_OK, and an error
 * diagnostic for every incomplete scan. Reports are rendered in every format.
 * Each input is scanned twice, with exact cuts of the state's resources
 * array and with the cuts guessed from its layout: status, counts and
 * diagnostics must be the same.
 */
#include "fuzz_common.h"

static const char join_rule[] =
    "rules:\n"
    "  - id: FZ-JOIN\n"
    "    title: {en: join, zh: join}\n"
    "    severity: high\n"
    "    resource_types: [alicloud_security_group, aws_s3_bucket]\n"
    "    duties: [network.security_group]\n"
    "    check: not any(related(\"alicloud_security_group_rule\", \"security_group_id\", id ?? \"\"),"
    " r => r.type == \"ingress\" and cidr_is_any(r.cidr_ip ?? \"\"))\n"
    "    remediation: {en: fix, zh: fix}\n"
    "    tests:\n"
    "      - {expect: pass, attributes: {id: sg-1}}\n";

static gd_ctx *g_ctx;
static gd_ruleset *g_rs;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_ctx) {
        g_ctx = fz_ctx();
        if (gd_ruleset_new(g_ctx, &g_rs) != GD_OK || gd_ruleset_add_builtin(g_rs) != GD_OK ||
            gd_ruleset_add_buffer(g_rs, "join.yaml", join_rule, sizeof join_rule - 1) != GD_OK) {
            for (size_t i = 0; i < gd_ctx_diag_count(g_ctx); i++)
                fprintf(stderr, "%s\n", gd_ctx_diag(g_ctx, i, NULL));
            abort();
        }
    }
    gd_ctx_clear_diags(g_ctx);
    gd_scan_opts o;
    memset(&o, 0, sizeof o);
    o.threads = 1;
    const char *name = "in.json";
    if (size > 0) {
        switch (data[0]) {
        case 's': o.format = GD_INPUT_TFSTATE, name = "in.tfstate"; break;
        case 'p': o.format = GD_INPUT_TFPLAN, name = "in.tfplan.json"; break;
        case 'l': o.format = GD_INPUT_JSONL, name = "in.jsonl"; break;
        default: break;
        }
        data++, size--;
    }
    o.keep_passes = size & 1;
    char path[300];
    fz_write(name, data, size, path, sizeof path);
    const char *paths[1] = {path};
    gd_scan *sc = NULL;
    /* first with exact cuts of state arrays, then with cuts guessed from the
     * layout (the default): the guess must never change the answer */
    setenv("GONGDAN_EXACT_SPLIT", "1", 1);
    gd_status st0 = gd_scan_run(g_rs, paths, 1, &o, &sc);
    unsetenv("GONGDAN_EXACT_SPLIT");
    size_t nd0 = gd_ctx_diag_count(g_ctx);
    uint64_t res0 = sc ? gd_scan_resource_count(sc) : 0, fail0 = sc ? gd_scan_fail_count(sc, GD_SEV_INFO) : 0;
    int complete0 = sc ? gd_scan_complete(sc) : -1;
    gd_scan_free(sc);
    sc = NULL;
    gd_status st = gd_scan_run(g_rs, paths, 1, &o, &sc);
    if (st0 != GD_NOMEM && st != GD_NOMEM) {
        if (st != st0 || (sc ? gd_scan_complete(sc) : -1) != complete0) abort();
        if (sc && (gd_scan_resource_count(sc) != res0 || gd_scan_fail_count(sc, GD_SEV_INFO) != fail0))
            abort();
        size_t nd = gd_ctx_diag_count(g_ctx);
        if (nd != 2 * nd0) abort();
        for (size_t i = 0; i < nd0; i++)
            if (strcmp(gd_ctx_diag(g_ctx, i, NULL), gd_ctx_diag(g_ctx, nd0 + i, NULL)) != 0) abort();
    }
    if (st != GD_NOMEM && st != GD_MISUSE && !sc) abort();
    if (sc) {
        if (gd_scan_complete(sc) != (st == GD_OK)) abort();
        if (!gd_scan_complete(sc) && gd_ctx_diag_count(g_ctx) == 0) abort();
        static const gd_report_format fmts[] = {GD_REPORT_TEXT, GD_REPORT_JSON, GD_REPORT_SARIF};
        for (size_t i = 0; i < 3; i++) {
            gd_report_opts ro = {fmts[i], 0, o.keep_passes, (size & 2) ? "zh" : "en"};
            gd_scan_write(sc, &ro, fz_null());
        }
        gd_scan_free(sc);
    }
    fz_check_diags(g_ctx);
    return 0;
}
