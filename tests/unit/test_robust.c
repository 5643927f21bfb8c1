/*
 * test_robust.c — regression tests for bugs found by fuzzing and fault
 * injection (issue 7; the list is in docs/robustness.md). Inputs are
 * copied into buffers of their exact size, with no NUL after them, so the
 * ASan build catches any read past the end.
 */
#include "doc.h"
#include "tap.h"

#include <stdlib.h>

static gd_ctx *ctx;

/* Parse len bytes copied to an exact-size heap buffer; returns the status. */
static gd_status parse_exact(const char *bytes, size_t len, bool yaml)
{
    char *buf = malloc(len ? len : 1);
    if (!buf) return GD_NOMEM;
    memcpy(buf, bytes, len);
    gdi_doc d;
    gd_status st = gdi_doc_init(&d, ctx, "exact.json");
    if (st == GD_OK) st = yaml ? gdi_yaml_parse(&d, buf, len) : gdi_json_parse(&d, buf, len);
    gdi_doc_free(&d);
    free(buf);
    return st;
}

static void test_json_utf8_at_end(void)
{
    /* fuzz_json: an unterminated string ending in a whole 2-byte sequence
     * read one byte past the buffer */
    CHECK(parse_exact("\"@ \xc3\xa9", 5, false) == GD_SYNTAX);
    CHECK(parse_exact("\"\xe4\xb8\xad", 4, false) == GD_SYNTAX);
    CHECK(parse_exact("\"\xe4\xb8\xad\"", 5, false) == GD_OK);
    bool found = false;
    for (size_t i = 0; i < gd_ctx_diag_count(ctx); i++)
        if (strstr(gd_ctx_diag(ctx, i, NULL), "exact.json:1:6: unexpected end of input in string"))
            found = true;
    CHECK_MSG(found, "message points at the end of the input");
    gd_ctx_clear_diags(ctx);
}

static void test_json_escape_empty(void)
{
    /* sanitizer suite: escaping an empty string with a NULL pointer */
    gdi_buf b;
    gdi_buf_init(&b, ctx);
    gdi_buf_json_escape(&b, NULL, 0);
    gdi_buf_json_escape(&b, "a\n", 2);
    CHECK_STREQ(gdi_buf_cstr(&b), "a\\n");
    gdi_buf_free(&b);
}

static void test_profile_null_services(void)
{
    /* fuzz_profile: `services:` with no value failed with no message */
    gd_modelset *ms = NULL;
    CHECK(gd_modelset_new(ctx, &ms) == GD_OK);
    static const char p[] = "customer: acme\nmodel: oscar-2020\nservices:\n";
    gd_matrix *m = NULL;
    CHECK(gd_matrix_new_buffer(ms, "p.yaml", p, sizeof p - 1, &m) == GD_INVALID);
    CHECK(m == NULL);
    CHECK_INTEQ(gd_ctx_diag_count(ctx), 1);
    if (gd_ctx_diag_count(ctx) == 1)
        CHECK_STREQ(gd_ctx_diag(ctx, 0, NULL), "p.yaml:3:10: the profile needs at least one service");
    gd_ctx_clear_diags(ctx);
    gd_matrix_free(m);
    gd_modelset_free(ms);
}

int main(void)
{
    CHECK(gd_ctx_new(&ctx, NULL) == GD_OK);
    test_json_utf8_at_end();
    test_json_escape_empty();
    test_profile_null_services();
    gd_ctx_free(ctx);
    return tap_done();
}
