/*
 * fuzz_json.c — libFuzzer harness for the JSON reader (src/json.c).
 *
 * Checks beyond "no crash": a document that parses is written back as
 * compact JSON, which must parse again and write back byte-identically
 * (numbers keep their exact text, so nothing may be rounded); and the
 * structural scanner gdi_json_extent must accept every document the full
 * parser accepts and end where the value ends.
 */
#include "doc.h"
#include "fuzz_common.h"

static void roundtrip(gd_ctx *ctx, const gdi_doc *d)
{
    gdi_buf a, b;
    gdi_buf_init(&a, ctx);
    gdi_buf_init(&b, ctx);
    gdi_doc d2;
    if (gdi_doc_init(&d2, ctx, "again.json") != GD_OK) abort();
    gdi_node_to_json(&a, gdi_doc_root(d));
    if (!a.oom) {
        gd_status st = gdi_json_parse(&d2, a.p, a.n);
        if (st == GD_OK) {
            gdi_node_to_json(&b, gdi_doc_root(&d2));
            if (!b.oom && (a.n != b.n || memcmp(a.p, b.p, a.n) != 0)) abort();
        } else if (st != GD_LIMIT && st != GD_NOMEM) {
            abort(); /* our own output must be valid JSON */
        }
    }
    gdi_doc_free(&d2);
    gdi_buf_free(&a);
    gdi_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gd_ctx *ctx = fz_ctx();
    gdi_doc d;
    if (gdi_doc_init(&d, ctx, "fuzz.json") != GD_OK) abort();
    const char *text = (const char *)data;
    gd_status st = gdi_json_parse(&d, text, size);
    if (st == GD_OK) {
        if (!gdi_doc_root(&d)) abort();
        roundtrip(ctx, &d);
        if (size < 3 || memcmp(text, "\xef\xbb\xbf", 3) != 0) {
            size_t s = 0, e = 0;
            if (gdi_json_extent(text, size, &s, &e) != GD_OK || e > size) abort();
            for (size_t i = e; i < size; i++)
                if (!strchr(" \t\r\n", text[i])) abort();
        }
    } else {
        if (d.n != 0) abort();                  /* left empty on error */
        if (st != GD_NOMEM && gd_ctx_diag_count(ctx) == 0) abort(); /* errors are reported */
        size_t s = 0, e = 0;
        (void)gdi_json_extent(text, size, &s, &e); /* must not crash either */
    }
    fz_check_diags(ctx);
    gdi_doc_free(&d);
    gd_ctx_free(ctx);
    return 0;
}
