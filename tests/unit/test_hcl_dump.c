/*
 * test_hcl_dump.c — a debugging hook for the HCL reader and the driver of
 * the Terraform differential test (tests/cli/hcl_oracle.sh).
 *
 * With arguments (`test_hcl_dump [-r] DIR...`) it loads the directories
 * with gdi_hcl_load and prints the root module's outputs as one JSON
 * object (name -> value, unknown values as null), or with -r one line per
 * resource: address, mode, file:line and the attributes as JSON.
 * Diagnostics go to stderr. Exit status: 0, or 1 when loading failed.
 *
 * Without arguments (as ctest runs it) it checks itself on
 * tests/data/hcl/basic so the hook cannot silently rot.
 */
#include "hcl/hcl.h"
#include "tap.h"

#include <stdlib.h>

static int dump(int argc, char **argv, gdi_buf *out)
{
    gd_ctx *ctx;
    if (gd_ctx_new(&ctx, NULL) != GD_OK) return 1;
    bool res = false;
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "-r") == 0) {
        res = true;
        first = 2;
    }
    gdi_hcl_result *r = NULL;
    gd_status st = gdi_hcl_load(ctx, (const char *const *)argv + first, (size_t)(argc - first),
                                NULL, &r);
    for (size_t i = 0; i < gd_ctx_diag_count(ctx); i++)
        fprintf(stderr, "%s\n", gd_ctx_diag(ctx, i, NULL));
    if (r && !res && r->outputs && gdi_doc_root(r->outputs)) {
        gdi_node_to_json(out, gdi_doc_root(r->outputs));
        gdi_buf_putc(out, '\n');
    }
    for (size_t i = 0; r && res && i < r->nres; i++) {
        const gdi_resource *x = &r->res[i];
        gdi_buf_printf(out, "%.*s %s %s:%u ", (int)x->address.n, x->address.p,
                       x->mode == GDI_MODE_DATA ? "data" : "managed", r->files[x->file],
                       (unsigned)x->line);
        gdi_node_to_json(out, x->attrs);
        gdi_buf_putc(out, '\n');
    }
    gdi_hcl_result_free(r);
    gd_ctx_free(ctx);
    return st == GD_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    gd_ctx *ctx;
    if (gd_ctx_new(&ctx, NULL) != GD_OK) return 1;
    gdi_buf b;
    gdi_buf_init(&b, ctx);
    if (argc > 1) {
        int rc = dump(argc, argv, &b);
        fputs(gdi_buf_cstr(&b), stdout);
        gdi_buf_free(&b);
        gd_ctx_free(ctx);
        return rc;
    }
    char *args[] = {"x", GD_SOURCE_DIR "/tests/data/hcl/basic"};
    CHECK_INTEQ(dump(2, args, &b), 0);
    CHECK(strstr(gdi_buf_cstr(&b), "\"greeting\":\"hello, world\"") != NULL);
    gdi_buf_free(&b);
    gd_ctx_free(ctx);
    return tap_done();
}
