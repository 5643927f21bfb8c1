/*
 * fuzz_catalog.c — libFuzzer harness for catalogs and attestations
 * (src/catalog/, src/assess/attest.c).
 *
 * First input byte: 'A' = attestation file (loaded against the built-in
 * CRAF catalog), 'J' = OSCAL catalog/profile JSON, anything else = gongdan
 * catalog or mapping YAML. The rest is the file. Catalog inputs are added
 * to a fresh, empty catalog set through the same entry the public
 * gd_catalogset_add_path uses for a file, then rendered.
 */
#include "fuzz_common.h"
#include "assess/assess.h"
#include "catalog/catalog.h"

static gd_ctx *g_ctx;
static gd_catalogset *g_builtin; /* for attestations: the assessed catalog */

static bool any_duty(void *ud, const char *id)
{
    (void)ud;
    return id && id[0] == 'A'; /* a stand-in: some duty ids valid, others not */
}

static void fuzz_attest(const uint8_t *data, size_t size)
{
    if (!g_ctx) {
        g_ctx = fz_ctx();
        if (gd_catalogset_new(g_ctx, &g_builtin) != GD_OK) abort();
    }
    gd_ctx_clear_diags(g_ctx);
    char path[300];
    fz_write("att.yaml", data, size, path, sizeof path);
    const gdi_catalog *cat = gdi_catalogset_find(g_builtin, "craf-2.0");
    if (!cat) abort();
    gdi_arena arena;
    gdi_arena_init(&arena, g_ctx, 4096);
    gdi_attest *att = NULL;
    size_t n = 0, nerr = 0;
    gd_status st = gdi_attest_load(g_ctx, &arena, path, cat, any_duty, NULL, 19700, &att, &n,
                                   &nerr);
    if (nerr > 0 && gd_ctx_diag_count(g_ctx) == 0) abort();
    (void)st;
    fz_check_diags(g_ctx);
    gdi_arena_free(&arena);
}

static void fuzz_cat(const uint8_t *data, size_t size, bool json)
{
    gd_ctx *ctx = fz_ctx();
    char path[300];
    fz_write(json ? "in.json" : "att.yaml", data, size, path, sizeof path);
    /* an empty set, as gd_catalogset_new builds it before loading built-ins */
    gd_catalogset *cs = gdi_calloc(ctx, 1, sizeof *cs);
    if (!cs) abort();
    cs->ctx = ctx;
    gdi_arena_init(&cs->arena, ctx, 16 * 1024);
    gd_status st = gd_catalogset_add_path(cs, path);
    if (st != GD_OK && st != GD_NOMEM && gd_ctx_diag_count(ctx) == 0) abort();
    if (st == GD_OK)
        for (size_t i = 0; i < gd_catalogset_count(cs); i++) {
            gd_catalog_write(cs, gd_catalogset_id(cs, i), NULL, "json", "zh", fz_null());
            gd_catalog_write(cs, gd_catalogset_id(cs, i), NULL, "text", "en", fz_null());
        }
    fz_check_diags(ctx);
    gd_catalogset_free(cs);
    gd_ctx_free(ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    if (data[0] == 'A')
        fuzz_attest(data + 1, size - 1);
    else
        fuzz_cat(data + 1, size - 1, data[0] == 'J');
    return 0;
}
