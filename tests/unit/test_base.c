/* test_base.c — context, limits, diagnostics, arena, buffers, doc tape. */
#include "doc.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>

static void test_ctx(void)
{
    gd_ctx *ctx;
    CHECK(gd_ctx_new(&ctx, NULL) == GD_OK);
    CHECK_INTEQ(gd_ctx_limit(ctx, GD_LIMIT_DEPTH), 512);
    CHECK(gd_ctx_set_limit(ctx, GD_LIMIT_DEPTH, 7) == GD_OK);
    CHECK_INTEQ(gd_ctx_limit(ctx, GD_LIMIT_DEPTH), 7);
    CHECK(gd_ctx_set_limit(ctx, GD_LIMIT_DEPTH, 0) == GD_OK);
    CHECK_INTEQ(gd_ctx_limit(ctx, GD_LIMIT_DEPTH), 512);
    CHECK_STREQ(gd_limit_name(GD_LIMIT_YAML_ALIAS), "max-yaml-expansion");
    CHECK(gdi_err(ctx, GD_SYNTAX, "a.json", 3, 9, "unexpected '%c'", '}') == GD_SYNTAX);
    gdi_diag_add(ctx, GD_DIAG_WARNING, NULL, 0, 0, "plain");
    gdi_diag_add(ctx, GD_DIAG_ERROR, "f", 2, 0, "no col");
    CHECK_INTEQ(gd_ctx_diag_count(ctx), 3);
    gd_severity_diag k;
    CHECK_STREQ(gd_ctx_diag(ctx, 0, &k), "a.json:3:9: unexpected '}'");
    CHECK(k == GD_DIAG_ERROR);
    CHECK_STREQ(gd_ctx_diag(ctx, 1, &k), "plain");
    CHECK(k == GD_DIAG_WARNING);
    CHECK_STREQ(gd_ctx_diag(ctx, 2, NULL), "f:2: no col");
    CHECK(gd_ctx_diag(ctx, 3, NULL) == NULL);
    gd_ctx_clear_diags(ctx);
    CHECK_INTEQ(gd_ctx_diag_count(ctx), 0);
    CHECK_STREQ(gd_status_str(GD_NOMEM), "out of memory");
    gd_sev s;
    CHECK(gd_sev_parse("high", &s) == GD_OK && s == GD_SEV_HIGH);
    CHECK(gd_sev_parse("severe", &s) == GD_INVALID);
    gd_ctx_free(ctx);
    gd_ctx_free(NULL);
}

static void test_arena_buf(void)
{
    gd_ctx *ctx;
    gd_ctx_new(&ctx, NULL);
    gdi_arena a;
    gdi_arena_init(&a, ctx, 1024);
    char *p1 = gdi_arena_alloc(&a, 10);
    char *p2 = gdi_arena_alloc(&a, 10);
    CHECK(p1 && p2 && p2 - p1 == 16);
    char *big = gdi_arena_alloc(&a, 100000);
    CHECK(big != NULL);
    memset(big, 1, 100000);
    char *p3 = gdi_arena_alloc(&a, 10);
    CHECK(p3 == p2 + 16); /* a big block does not displace the current one */
    gdi_arena_reset(&a);
    CHECK(a.total >= 100000);
    CHECK(gdi_arena_strndup(&a, "abc", 3) != NULL);
    gdi_arena_free(&a);

    gdi_buf b;
    gdi_buf_init(&b, ctx);
    CHECK_STREQ(gdi_buf_cstr(&b), "");
    gdi_buf_puts(&b, "a\"b\n");
    gdi_buf_printf(&b, "%d", 42);
    CHECK_STREQ(gdi_buf_cstr(&b), "a\"b\n42");
    b.n = 0;
    gdi_buf_json_escape(&b, "x\"\\\n\x01y", 6);
    CHECK_STREQ(gdi_buf_cstr(&b), "x\\\"\\\\\\n\\u0001y");
    gdi_buf_free(&b);
    gd_ctx_free(ctx);
}

static void test_doc(void)
{
    gd_ctx *ctx;
    gd_ctx_new(&ctx, NULL);
    gdi_doc d;
    CHECK(gdi_doc_init(&d, ctx, "t.json") == GD_OK);
    /* {"a": [1, "x"], "b": null} built by hand */
    uint32_t o = gdi_doc_push(&d, GDI_OBJECT, 0, NULL, 0);
    gdi_doc_push(&d, GDI_STRING, 1, "a", 1);
    uint32_t arr = gdi_doc_push(&d, GDI_ARRAY, 2, NULL, 0);
    gdi_doc_push(&d, GDI_NUMBER, 3, "1", 1);
    gdi_doc_push(&d, GDI_STRING, 4, "x", 1);
    gdi_doc_close(&d, arr, 2);
    gdi_doc_push(&d, GDI_STRING, 5, "b", 1);
    gdi_doc_push(&d, GDI_NULL, 6, NULL, 0);
    gdi_doc_close(&d, o, 2);
    const gdi_node *root = gdi_doc_root(&d);
    CHECK(root && root->skip == 7);
    const gdi_node *a = gdi_obj_getc(root, "a");
    CHECK(a && a->type == GDI_ARRAY && a->len == 2);
    CHECK(gdi_arr_at(a, 1)->type == GDI_STRING);
    CHECK(gdi_arr_at(a, 2) == NULL);
    CHECK(gdi_obj_getc(root, "b")->type == GDI_NULL);
    CHECK(gdi_obj_getc(root, "c") == NULL);
    gdi_buf b;
    gdi_buf_init(&b, ctx);
    gdi_node_to_json(&b, root);
    CHECK_STREQ(gdi_buf_cstr(&b), "{\"a\":[1,\"x\"],\"b\":null}");
    gdi_buf_free(&b);
    int64_t v;
    CHECK(gdi_numtext_i64("9223372036854775807", 19, &v) && v == INT64_MAX);
    CHECK(!gdi_numtext_i64("9223372036854775808", 19, &v));
    CHECK(gdi_numtext_i64("-9223372036854775808", 20, &v) && v == INT64_MIN);
    CHECK(!gdi_numtext_i64("1.5", 3, &v));
    CHECK(gdi_numtext_f64("1.5e3", 5) == 1500.0);
    /* very long number texts: no allocation, still the nearest double */
    static char big[3000];
    memset(big, '1', 2000);
    CHECK(isinf(gdi_numtext_f64(big, 2000)));
    memcpy(big, "-", 1);
    memset(big + 1, '9', 700);
    memcpy(big + 701, ".5e-690", 7);
    double v2 = gdi_numtext_f64(big, 708);
    CHECK_MSG(v2 < -0.9999e10 && v2 > -1.0001e10, "got %g", v2);
    memcpy(big, "0.", 2);
    memset(big + 2, '0', 1000);
    memcpy(big + 1002, "123e1010", 8);
    double v3 = gdi_numtext_f64(big, 1010);
    CHECK_MSG(v3 > 1.2299e9 && v3 < 1.2301e9, "got %g", v3); /* 1.23e-1001 * 1e1010 */
    uint32_t l, c;
    gdi_line_col("ab\ncd\nef", 8, 4, &l, &c);
    CHECK(l == 2 && c == 2);
    gdi_doc_free(&d);
    gd_ctx_free(ctx);
}

int main(void)
{
    test_ctx();
    test_arena_buf();
    test_doc();
    return tap_done();
}
