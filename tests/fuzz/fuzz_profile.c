/*
 * fuzz_profile.c — libFuzzer harness for the responsibility-model YAML
 * documents (src/model/): deployment profiles through the public
 * gd_matrix_new_buffer (then every matrix format is rendered), and provider
 * profiles through gd_modelset_add_providers.
 *
 * The first input byte picks the kind: 'P' = provider profile (the rest of
 * the input is the file), anything else = deployment profile (the whole
 * input). The built-in model set for deployment profiles is loaded once;
 * a provider profile changes its model set, so it gets a fresh one.
 */
#include "fuzz_common.h"

static gd_ctx *g_ctx;
static gd_modelset *g_ms;

static void fuzz_matrix(const uint8_t *data, size_t size)
{
    if (!g_ctx) {
        g_ctx = fz_ctx();
        if (gd_modelset_new(g_ctx, &g_ms) != GD_OK) abort();
    }
    gd_ctx_clear_diags(g_ctx);
    gd_matrix *m = NULL;
    gd_status st = gd_matrix_new_buffer(g_ms, "fuzz-profile.yaml", (const char *)data, size, &m);
    if (st != GD_OK && st != GD_NOMEM && gd_ctx_diag_count(g_ctx) == 0) abort();
    if (m) {
        if (gd_matrix_gap_count(m) > gd_matrix_row_count(m)) abort();
        static const gd_matrix_format fmts[] = {GD_MATRIX_TEXT, GD_MATRIX_CSV, GD_MATRIX_JSON,
                                                GD_MATRIX_HTML, GD_MATRIX_OSCAL};
        for (size_t i = 0; i < sizeof fmts / sizeof *fmts; i++) {
            gd_matrix_opts o = {fmts[i], (i & 1) ? "zh" : "en", 1700000000};
            gd_matrix_write(m, &o, fz_null());
        }
        gd_matrix_free(m);
    }
    fz_check_diags(g_ctx);
}

static void fuzz_provider(const uint8_t *data, size_t size)
{
    char ypath[300];
    fz_write("in.yaml", data, size, ypath, sizeof ypath); /* the loader wants a .yaml name */
    gd_ctx *ctx = fz_ctx();
    gd_modelset *ms = NULL;
    if (gd_modelset_new(ctx, &ms) != GD_OK) abort();
    gd_status st = gd_modelset_add_providers(ms, ypath);
    if (st != GD_OK && st != GD_NOMEM && gd_ctx_diag_count(ctx) == 0) abort();
    if (st == GD_OK) gd_providers_write(ms, NULL, "json", "en", fz_null());
    fz_check_diags(ctx);
    gd_modelset_free(ms);
    gd_ctx_free(ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 0 && data[0] == 'P')
        fuzz_provider(data + 1, size - 1);
    else
        fuzz_matrix(data, size);
    return 0;
}
