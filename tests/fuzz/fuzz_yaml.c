/*
 * fuzz_yaml.c — libFuzzer harness for the YAML reader (src/yaml.c, over
 * libyaml): alias expansion bounds, depth, scalar resolution, and the
 * document tape it builds. A parsed document is written as JSON, which the
 * JSON reader must accept.
 */
#include "doc.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gd_ctx *ctx = fz_ctx();
    gdi_doc d;
    if (gdi_doc_init(&d, ctx, "fuzz.yaml") != GD_OK) abort();
    gd_status st = gdi_yaml_parse(&d, (const char *)data, size);
    if (st == GD_OK && gdi_doc_root(&d)) {
        /* the tape must be consistent: skips stay inside the document */
        for (uint32_t i = 0; i < d.n; i++)
            if (d.nodes[i].skip == 0 || d.nodes[i].skip > d.n - i) abort();
        gdi_buf b;
        gdi_buf_init(&b, ctx);
        gdi_node_to_json(&b, gdi_doc_root(&d));
        if (!b.oom) {
            gdi_doc j;
            if (gdi_doc_init(&j, ctx, "as.json") != GD_OK) abort();
            gd_status js = gdi_json_parse(&j, b.p, b.n);
            if (js != GD_OK && js != GD_LIMIT && js != GD_NOMEM) abort();
            gdi_doc_free(&j);
        }
        gdi_buf_free(&b);
    } else if (st != GD_OK && st != GD_NOMEM && gd_ctx_diag_count(ctx) == 0) {
        abort();
    }
    fz_check_diags(ctx);
    gdi_doc_free(&d);
    gd_ctx_free(ctx);
    return 0;
}
