/*
 * test_oom.c — allocation-failure injection through the gd_allocator hook.
 *
 * For each loader (JSON, YAML, rule files, state / plan / JSON Lines scans,
 * HCL source, models and deployment profiles, catalogs, attestations) a
 * reference run without failures gives the expected result (a fingerprint
 * string). Then the 1st, 2nd, 3rd ... allocation is made to fail, one at a
 * time, until a run completes without reaching the failing allocation.
 * Every run must end either in GD_NOMEM or in GD_OK with the reference
 * fingerprint — never another error, never a different answer — and once
 * everything is freed, no block may still be live (the allocator counts
 * them, so leaks are caught even without LeakSanitizer; the ASan build
 * adds LSan, and valgrind can run this binary too).
 *
 * Loaders that allocate many times are probed at a stride so the whole
 * test stays within a few seconds (GD_OOM_FULL=1 in the environment probes
 * every allocation).
 */
#include "assess/assess.h"
#include "catalog/catalog.h"
#include "doc.h"
#include "hcl/hcl.h"
#include "model/model.h"
#include "tap.h"

#include <stdlib.h>

/* ------------------------------------------------------------ allocator */

typedef struct fault {
    unsigned long calls;   /* allocation calls (realloc with a new size counts) */
    unsigned long fail_at; /* the call that fails; 0 = none */
    bool failed;           /* the failure was injected in this run */
    long live;             /* blocks allocated and not yet freed */
} fault;

static fault F;

/* Each block carries its size in a 16-byte header (keeps alignment). */
static void *f_realloc(void *ud, void *ptr, size_t size)
{
    (void)ud;
    F.calls++;
    if (F.fail_at && F.calls == F.fail_at) {
        F.failed = true;
        return NULL;
    }
    char *base = ptr ? (char *)ptr - 16 : NULL;
    char *nb = realloc(base, size + 16);
    if (!nb) return NULL;
    if (!ptr) F.live++;
    memcpy(nb, &size, sizeof size);
    return nb + 16;
}

static void f_free(void *ud, void *ptr)
{
    (void)ud;
    if (!ptr) return;
    F.live--;
    free((char *)ptr - 16);
}

static const gd_allocator fault_alloc = {f_realloc, f_free, NULL};

/* ------------------------------------------------------------ harness */

/* A loader under test: runs once on ctx, writes a fingerprint of its result
 * to fp (only read when it returns GD_OK), frees everything it made. */
typedef gd_status (*loader_fn)(gd_ctx *ctx, gdi_buf *fp);

static char *slurp(const char *rel, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", GD_SOURCE_DIR, rel);
    char *t = tap_slurp(path, len);
    if (!t) fprintf(stderr, "cannot read %s\n", path);
    return t;
}

static void src_path(char *out, size_t cap, const char *rel)
{
    snprintf(out, cap, "%s/%s", GD_SOURCE_DIR, rel);
}

/* Run fn under injection at every allocation (or at a stride). known_status:
 * a reported open issue — runs ending in another error instead of GD_NOMEM,
 * or in GD_OK with a different answer, are listed as TODO instead of
 * failing (leaks and crashes still fail). */
static void inject_ex(const char *name, loader_fn fn, bool known_status)
{
    gd_ctx *ctx = NULL;
    gdi_buf fp;
    long live_start = F.live;
    F.fail_at = 0;
    CHECK(gd_ctx_new(&ctx, &fault_alloc) == GD_OK);
    if (!ctx) return;
    /* the reference run */
    gdi_buf_init(&fp, ctx);
    unsigned long base = F.calls;
    gd_status st = fn(ctx, &fp);
    unsigned long total = F.calls - base;
    CHECK_MSG(st == GD_OK, "%s: reference run gave %s", name, gd_status_str(st));
    if (st != GD_OK) {
        for (size_t i = 0; i < gd_ctx_diag_count(ctx); i++)
            fprintf(stderr, "  %s\n", gd_ctx_diag(ctx, i, NULL));
        gdi_buf_free(&fp);
        gd_ctx_free(ctx);
        return;
    }
    char *want = strdup(gdi_buf_cstr(&fp));
    gdi_buf_free(&fp);
    gd_ctx_clear_diags(ctx);
    const char *full = getenv("GD_OOM_FULL");
    unsigned long stride = (full && *full == '1') ? 1 : total / 400 + 1;
    unsigned long runs = 0, nomem = 0, bad = 0, leaks = 0, todo = 0;
    for (unsigned long k = 1;; k += (k < 64 ? 1 : stride)) {
        long live0 = F.live;
        gdi_buf_init(&fp, ctx);
        F.failed = false;
        F.fail_at = F.calls + k;
        st = fn(ctx, &fp);
        F.fail_at = 0;
        runs++;
        if (st == GD_NOMEM && !fp.oom) {
            nomem++;
        } else if (st == GD_OK && !fp.oom) {
            if (strcmp(gdi_buf_cstr(&fp), want) != 0) {
                if (known_status && todo++ < 3)
                    fprintf(stderr, "# TODO %s: failing allocation %lu: wrong result %s\n", name,
                            k, gdi_buf_cstr(&fp));
                else if (!known_status && bad++ < 3)
                    fprintf(stderr, "%s: failing allocation %lu: wrong result\n  got  %s\n  want %s\n",
                            name, k, gdi_buf_cstr(&fp), want);
            }
        } else if (st == GD_NOMEM || fp.oom) {
            nomem++; /* only the fingerprint itself ran out of memory */
        } else if (known_status) {
            if (todo++ < 3)
                fprintf(stderr, "# TODO %s: failing allocation %lu gave %s, not GD_NOMEM\n", name,
                        k, gd_status_str(st));
        } else {
            if (bad++ < 3) {
                fprintf(stderr, "%s: failing allocation %lu gave %s, not GD_NOMEM\n", name, k,
                        gd_status_str(st));
                for (size_t i = 0; i < gd_ctx_diag_count(ctx) && i < 3; i++)
                    fprintf(stderr, "  %s\n", gd_ctx_diag(ctx, i, NULL));
            }
        }
        gdi_buf_free(&fp);
        gd_ctx_clear_diags(ctx);
        if (F.live != live0 && leaks++ < 3)
            fprintf(stderr, "%s: failing allocation %lu leaked %ld block(s)\n", name, k,
                    F.live - live0);
        if (!F.failed) break; /* the run never reached allocation k: done */
        if (k > total * 4 + 1000) {
            bad++;
            fprintf(stderr, "%s: runs do not converge\n", name);
            break;
        }
    }
    CHECK_MSG(bad == 0, "%s: %lu run(s) with a wrong result or status", name, bad);
    CHECK_MSG(leaks == 0, "%s: %lu run(s) leaked", name, leaks);
    CHECK_MSG(nomem > 0, "%s: no run saw GD_NOMEM", name);
    fprintf(stderr, "# %s: %lu allocations, %lu runs (stride %lu), %lu out-of-memory%s\n", name,
            total, runs, stride, nomem, todo ? " (TODO: some runs gave another status)" : "");
    free(want);
    gd_ctx_free(ctx);
    CHECK_MSG(F.live == live_start, "%s: %ld block(s) live after gd_ctx_free", name,
              F.live - live_start);
}

static void inject(const char *name, loader_fn fn)
{
    inject_ex(name, fn, false);
}

/* ------------------------------------------------------------ loaders */

static gd_status doc_fp(gdi_doc *d, gdi_buf *fp)
{
    gdi_node_to_json(fp, gdi_doc_root(d));
    return GD_OK;
}

static gd_status load_json(gd_ctx *ctx, gdi_buf *fp)
{
    size_t len = 0;
    char *t = slurp("examples/estate/plan.json", &len);
    if (!t) return GD_IO;
    gdi_doc d;
    gd_status st = gdi_doc_init(&d, ctx, "plan.json");
    if (st == GD_OK) {
        /* escapes force decoded strings into the arena */
        static const char extra[] = "{\"a\\n\":[\"\\u00e9\\ud83d\\ude00\",1e999999,-0,{}]}";
        st = gdi_json_parse(&d, t, len);
        if (st == GD_OK) doc_fp(&d, fp);
        gdi_doc_reset(&d);
        if (st == GD_OK) st = gdi_json_parse(&d, extra, sizeof extra - 1);
        if (st == GD_OK) doc_fp(&d, fp);
    }
    gdi_doc_free(&d);
    free(t);
    return st;
}

static gd_status load_yaml(gd_ctx *ctx, gdi_buf *fp)
{
    static const char y[] = "base: &b {x: 1, y: [a, 'b', \"c\\n\"]}\n"
                            "use: [*b, *b]\n"
                            "text: |\n  two\n  lines\n"
                            "n: [0x1F, 1.5e3, .inf, ~, true, 12345678901234567890123]\n";
    gdi_doc d;
    gd_status st = gdi_doc_init(&d, ctx, "x.yaml");
    if (st == GD_OK) st = gdi_yaml_parse(&d, y, sizeof y - 1);
    if (st == GD_OK) doc_fp(&d, fp);
    gdi_doc_free(&d);
    return st;
}

static gd_status load_rules(gd_ctx *ctx, gdi_buf *fp)
{
    size_t len = 0;
    char *t = slurp("tests/data/engine/rules.yaml", &len);
    if (!t) return GD_IO;
    gd_ruleset *rs = NULL;
    gd_status st = gd_ruleset_new(ctx, &rs);
    if (st == GD_OK) st = gd_ruleset_add_buffer(rs, "rules.yaml", t, len);
    if (st == GD_OK) st = gdi_ruleset_finish(rs);
    if (st == GD_OK) {
        gdi_buf_printf(fp, "%zu rules:", gd_ruleset_count(rs));
        for (size_t i = 0; i < rs->nrules; i++) gdi_buf_printf(fp, " %s", rs->rules[i]->id);
    }
    gd_ruleset_free(rs);
    free(t);
    return st;
}

/* Rules for the scans are loaded once, without injection. */
static gd_ruleset *scan_rules;

static gd_status scan_one(gd_ctx *ctx, gdi_buf *fp, const char *rel, unsigned threads)
{
    char path[1024];
    src_path(path, sizeof path, rel);
    const char *paths[1] = {path};
    gd_scan_opts o;
    memset(&o, 0, sizeof o);
    o.threads = threads;
    o.keep_passes = 1;
    gd_ruleset *saved = scan_rules;
    gd_ctx *rctx = saved->ctx;
    saved->ctx = ctx; /* the scan allocates through its rule set's ctx */
    gd_scan *sc = NULL;
    gd_status st = gd_scan_run(saved, paths, 1, &o, &sc);
    saved->ctx = rctx;
    if (st == GD_OK && sc)
        gdi_buf_printf(fp, "%llu resources, %llu failing, complete %d",
                       (unsigned long long)gd_scan_resource_count(sc),
                       (unsigned long long)gd_scan_fail_count(sc, GD_SEV_INFO),
                       gd_scan_complete(sc));
    if (st == GD_OK && sc) { /* the report too: a finding lost to OOM must not vanish */
        gdi_buf_printf(fp, " findings %zu", sc->nfindings);
    }
    gd_scan_free(sc);
    return st;
}

static gd_status load_state(gd_ctx *ctx, gdi_buf *fp)
{
    return scan_one(ctx, fp, "examples/estate/terraform.tfstate", 1);
}
static gd_status load_state_mt(gd_ctx *ctx, gdi_buf *fp)
{
    return scan_one(ctx, fp, "examples/estate/terraform.tfstate", 3);
}
static gd_status load_plan(gd_ctx *ctx, gdi_buf *fp)
{
    return scan_one(ctx, fp, "examples/estate/plan.json", 1);
}
static gd_status load_jsonl(gd_ctx *ctx, gdi_buf *fp)
{
    return scan_one(ctx, fp, "examples/estate/inventory.jsonl", 1);
}

/* Load one HCL fixture with the given arena block size (0: the default).
 * A load that ends in a syntax or evaluation error is an answer too: its
 * status and diagnostics are part of the fingerprint. */
static gd_status hcl_fixture(gd_ctx *ctx, gdi_buf *fp, const char *rel, size_t block)
{
    char path[1024];
    src_path(path, sizeof path, rel);
    const char *paths[1] = {path};
    gdi_hcl_result *r = NULL;
    gd_status st = gdi_hcl_load_ex(ctx, paths, 1, NULL, block, &r);
    if ((st == GD_SYNTAX || st == GD_INVALID) && r) {
        gdi_buf_printf(fp, "%s:", gd_status_str(st));
        for (size_t i = 0; i < gd_ctx_diag_count(ctx); i++)
            gdi_buf_printf(fp, " [%s]", gd_ctx_diag(ctx, i, NULL));
        st = GD_OK;
    }
    if (st == GD_OK && r) {
        gdi_buf_printf(fp, "%zu files, %zu resources:", r->nfiles, r->nres);
        for (size_t i = 0; i < r->nres; i++) {
            gdi_buf_printf(fp, " %.*s=", (int)r->res[i].address.n, r->res[i].address.p);
            if (r->res[i].attrs) gdi_node_to_json(fp, r->res[i].attrs);
        }
        gdi_buf_puts(fp, " outputs=");
        if (r->outputs && gdi_doc_root(r->outputs)) gdi_node_to_json(fp, gdi_doc_root(r->outputs));
    }
    gdi_hcl_result_free(r);
    return st;
}

static gd_status load_hcl(gd_ctx *ctx, gdi_buf *fp)
{
    return hcl_fixture(ctx, fp, "tests/data/hcl/oracle_modules", 0);
}

/* With 64-byte arena blocks nearly every tree node and value is its own
 * allocation, so failures reach the parser and the evaluator everywhere. */
static gd_status load_hcl_modules_small(gd_ctx *ctx, gdi_buf *fp)
{
    return hcl_fixture(ctx, fp, "tests/data/hcl/oracle_modules", 64);
}
static gd_status load_hcl_funcs_small(gd_ctx *ctx, gdi_buf *fp)
{
    return hcl_fixture(ctx, fp, "tests/data/hcl/oracle", 64);
}
/* regex (PCRE2 allocates through the hook too), IPv6, file, templatefile */
static gd_status load_hcl_funcs2_small(gd_ctx *ctx, gdi_buf *fp)
{
    return hcl_fixture(ctx, fp, "tests/data/hcl/oracle_functions", 64);
}
static gd_status load_hcl_res_small(gd_ctx *ctx, gdi_buf *fp)
{
    return hcl_fixture(ctx, fp, "tests/data/hcl/res", 64);
}
static gd_status load_hcl_json_small(gd_ctx *ctx, gdi_buf *fp)
{
    return hcl_fixture(ctx, fp, "tests/data/hcl/json", 64);
}
static gd_status load_hcl_vars_small(gd_ctx *ctx, gdi_buf *fp)
{
    return hcl_fixture(ctx, fp, "tests/data/hcl/vars", 64);
}
static gd_status load_hcl_errors_small(gd_ctx *ctx, gdi_buf *fp)
{
    return hcl_fixture(ctx, fp, "tests/data/hcl/errors", 64);
}

static gd_status load_models(gd_ctx *ctx, gdi_buf *fp)
{
    char path[1024];
    src_path(path, sizeof path, "examples/profile.yaml");
    gd_modelset *ms = NULL;
    gd_matrix *m = NULL;
    gd_status st = gd_modelset_new(ctx, &ms);
    if (st == GD_OK) st = gd_matrix_new(ms, path, &m);
    if (st == GD_OK)
        gdi_buf_printf(fp, "%zu rows, %zu gaps", gd_matrix_row_count(m), gd_matrix_gap_count(m));
    gd_matrix_free(m);
    gd_modelset_free(ms);
    return st;
}

static gd_status load_providers(gd_ctx *ctx, gdi_buf *fp)
{
    char path[1024];
    src_path(path, sizeof path, "tests/data/model/providers/acme_paas.yaml");
    gd_modelset *ms = NULL;
    gd_status st = gd_modelset_new(ctx, &ms);
    if (st == GD_OK) st = gd_modelset_add_providers(ms, path);
    if (st == GD_OK) gdi_buf_printf(fp, "%zu providers", ms->nproviders);
    gd_modelset_free(ms);
    return st;
}

static gd_status load_catalogs(gd_ctx *ctx, gdi_buf *fp)
{
    gd_catalogset *cs = NULL;
    gd_status st = gd_catalogset_new(ctx, &cs);
    if (st == GD_OK)
        for (size_t i = 0; i < gd_catalogset_count(cs); i++)
            gdi_buf_printf(fp, "%s ", gd_catalogset_id(cs, i));
    gd_catalogset_free(cs);
    return st;
}

/* The built-in catalogs for attestations are loaded once, without injection. */
static gd_catalogset *att_catalogs;

static bool any_duty(void *ud, const char *id)
{
    (void)ud;
    return id != NULL;
}

static gd_status load_attest(gd_ctx *ctx, gdi_buf *fp)
{
    char path[1024];
    src_path(path, sizeof path, "examples/attestations/craf.yaml");
    const gdi_catalog *cat = gdi_catalogset_find(att_catalogs, "craf-2.0");
    if (!cat) return GD_INTERNAL;
    gdi_arena arena;
    gdi_arena_init(&arena, ctx, 4096);
    gdi_attest *att = NULL;
    size_t n = 0, nerr = 0;
    int64_t day = 0;
    gdi_parse_date("2025-06-01", &day);
    gd_status st = gdi_attest_load(ctx, &arena, path, cat, any_duty, NULL, day, &att, &n, &nerr);
    if (st == GD_OK) gdi_buf_printf(fp, "%zu attestations, %zu errors", n, nerr);
    gdi_arena_free(&arena);
    return st;
}

int main(void)
{
    /* setup without injection */
    gd_ctx *plain = NULL;
    CHECK(gd_ctx_new(&plain, &fault_alloc) == GD_OK);
    size_t len = 0;
    char *t = slurp("tests/data/engine/rules.yaml", &len);
    CHECK(t != NULL);
    CHECK(gd_ruleset_new(plain, &scan_rules) == GD_OK);
    CHECK(gd_ruleset_add_buffer(scan_rules, "rules.yaml", t, len) == GD_OK);
    CHECK(gdi_ruleset_finish(scan_rules) == GD_OK);
    free(t);
    CHECK(gd_catalogset_new(plain, &att_catalogs) == GD_OK);
    if (tap_failures) return tap_done();

    inject("json", load_json);
    inject("yaml", load_yaml);
    inject("rules", load_rules);
    inject("scan-state", load_state);
    inject("scan-state-3-threads", load_state_mt);
    inject("scan-plan", load_plan);
    inject("scan-jsonl", load_jsonl);
    inject("hcl", load_hcl);
    inject("hcl-modules-small-arena", load_hcl_modules_small);
    inject("hcl-functions-small-arena", load_hcl_funcs_small);
    inject("hcl-regex-files-small-arena", load_hcl_funcs2_small);
    inject("hcl-resources-small-arena", load_hcl_res_small);
    inject("hcl-json-small-arena", load_hcl_json_small);
    inject("hcl-vars-small-arena", load_hcl_vars_small);
    inject("hcl-errors-small-arena", load_hcl_errors_small);
    inject("models+profile", load_models);
    inject("providers", load_providers);
    inject("catalogs", load_catalogs);
    inject("attestations", load_attest);

    gd_catalogset_free(att_catalogs);
    gd_ruleset_free(scan_rules);
    gd_ctx_free(plain);
    CHECK_MSG(F.live == 0, "%ld block(s) live at exit", F.live);
    return tap_done();
}
