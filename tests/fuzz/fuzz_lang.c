/*
 * fuzz_lang.c — libFuzzer harness for the check language (src/lang/):
 * lexer, Pratt parser, compiler, and the VM run on a fuzzed resource.
 *
 * Input: an expression, then optionally a line "---" and the resource's
 * attributes as JSON. The expression is compiled; when it compiles it runs
 * on the resource (attributes that do not parse give a resource without
 * attributes) with a joins index built over that same resource, so
 * related() has something to find. The evaluation budget is lowered in
 * fz_ctx, so any loop must end with the budget verdict, never a hang.
 */
#include "doc.h"
#include "fuzz_common.h"
#include "rule.h"

static struct {
    char type[64], field[64];
} g_joins[8];
static uint32_t g_njoins;

static gd_status join_id(void *ud, gd_str type, gd_str field, uint32_t *id)
{
    (void)ud;
    for (uint32_t i = 0; i < g_njoins; i++)
        if (gd_str_eqc(type, g_joins[i].type) && gd_str_eqc(field, g_joins[i].field)) {
            *id = i;
            return GD_OK;
        }
    if (g_njoins == 8 || type.n >= 64 || field.n >= 64) return GD_LIMIT;
    memcpy(g_joins[g_njoins].type, type.p, type.n);
    g_joins[g_njoins].type[type.n] = 0;
    memcpy(g_joins[g_njoins].field, field.p, field.n);
    g_joins[g_njoins].field[field.n] = 0;
    *id = g_njoins++;
    return GD_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    size_t elen = size;
    const char *json = NULL;
    size_t jlen = 0;
    for (size_t i = 0; i + 5 <= size; i++)
        if (memcmp(text + i, "\n---\n", 5) == 0) {
            elen = i;
            json = text + i + 5;
            jlen = size - i - 5;
            break;
        }
    g_njoins = 0;
    gd_ctx *ctx = fz_ctx();
    gdi_program *p = NULL;
    gdi_eval *ev = NULL;
    gdi_joins *joins = NULL;
    gdi_doc d;
    if (gdi_doc_init(&d, ctx, "attrs.json") != GD_OK) abort();
    static const gdi_compile_env env = {join_id, NULL, NULL};
    gdi_srcmap map = {"fuzz.yaml", 3, 12, 4};
    gd_status st = gdi_program_compile(ctx, &map, text, elen, &env, &p);
    if (st != GD_OK) {
        if (p) abort();
        if (st != GD_NOMEM && gd_ctx_diag_count(ctx) == 0) abort();
        goto done;
    }
    gdi_resource r;
    memset(&r, 0, sizeof r);
    r.type = GD_STR_LIT("t_x");
    r.name = GD_STR_LIT("main");
    r.address = GD_STR_LIT("module.m.t_x.main");
    r.provider = GD_STR_LIT("t");
    r.module = GD_STR_LIT("module.m");
    if (json && gdi_json_parse(&d, json, jlen) == GD_OK) {
        r.attrs = gdi_doc_root(&d);
        /* a string "?" stands for a value unknown until apply */
        for (uint32_t i = 0; i < d.n; i++)
            if (d.nodes[i].type == GDI_STRING && d.nodes[i].len == 1 && d.nodes[i].str[0] == '?') {
                d.nodes[i].type = GDI_UNKNOWN;
                d.nodes[i].str = NULL;
                d.nodes[i].len = 0;
            }
        r.doc = &d;
    }
    gdi_joindef defs[8]; /* borrowed by the index: lives as long as it */
    memset(defs, 0, sizeof defs);
    if (g_njoins > 0) {
        for (uint32_t i = 0; i < g_njoins; i++) {
            defs[i].type = g_joins[i].type;
            defs[i].field = g_joins[i].field;
        }
        const gdi_resource *one[1] = {&r};
        if (gdi_joins_build(ctx, defs, g_njoins, one, 1, &joins) != GD_OK) goto done;
    }
    if (gdi_eval_new(ctx, &ev) != GD_OK) goto done;
    gdi_verdict v0 = GDI_V_PASS;
    for (int round = 0; round < 2; round++) { /* the evaluator is reused: same answer */
        gdi_verdict v = GDI_V_PASS;
        const char *why = NULL;
        if (gdi_eval_run(ev, p, &r, joins, &v, &why) != GD_OK) break;
        if (v > GDI_V_ERROR) abort();
        if ((v == GDI_V_ERROR || v == GDI_V_UNKNOWN) && why && !why[0]) abort();
        if (round == 0) v0 = v;
        else if (v != v0) abort();
    }
    gdi_program_disasm(p, fz_null());
done:
    fz_check_diags(ctx);
    gdi_eval_free(ev);
    gdi_joins_free(joins);
    gdi_program_free(p);
    gdi_doc_free(&d);
    gd_ctx_free(ctx);
    return 0;
}
