/*
 * fuzz_hcl.c — libFuzzer harness for the Terraform source reader
 * (src/hcl/): HCL native syntax and the JSON syntax, parsed and evaluated
 * statically with count/for_each expansion.
 *
 * First input byte: 'j' = the rest is main.tf.json, 'v' = the input is
 * split at the first "\n===\n" into main.tf and a variables file passed as
 * --var-file, 'o' = split the same way into main.tf and main_override.tf
 * (merged into it), anything else = the rest is main.tf. HCL depth and expansion
 * limits are lowered in fz_ctx so a hostile module ends with GD_LIMIT.
 */
#include "fuzz_common.h"
#include "hcl/hcl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    char path[300], mainp[300], varp[300];
    uint8_t kind = data[0];
    data++, size--;
    /* only one configuration file may be in the scratch directory */
    snprintf(path, sizeof path, "%s/main.tf", fz_scratch());
    unlink(path);
    snprintf(path, sizeof path, "%s/main.tf.json", fz_scratch());
    unlink(path);
    snprintf(path, sizeof path, "%s/main_override.tf", fz_scratch());
    unlink(path);
    const char *vars[2] = {NULL, NULL};
    if (kind == 'j') {
        fz_write("main.tf.json", data, size, mainp, sizeof mainp);
    } else {
        size_t mlen = size;
        for (size_t i = 0; (kind == 'v' || kind == 'o') && i + 5 <= size; i++)
            if (memcmp(data + i, "\n===\n", 5) == 0) {
                mlen = i;
                if (kind == 'o') {
                    fz_write("main_override.tf", data + i + 5, size - i - 5, varp, sizeof varp);
                } else {
                    fz_write("vars.tfvars", data + i + 5, size - i - 5, varp, sizeof varp);
                    vars[0] = varp;
                }
                break;
            }
        fz_write("main.tf", data, mlen, mainp, sizeof mainp);
    }
    gd_ctx *ctx = fz_ctx();
    gd_scan_opts o;
    memset(&o, 0, sizeof o);
    o.threads = 1;
    o.var_files = vars;
    const char *paths[1] = {fz_scratch()};
    gdi_hcl_result *r = NULL;
    gd_status st = gdi_hcl_load(ctx, paths, 1, &o, &r);
    if (st == GD_NOMEM && r) abort();
    if (st != GD_OK && st != GD_NOMEM && gd_ctx_diag_count(ctx) == 0) abort();
    if (r) {
        gdi_buf b;
        gdi_buf_init(&b, ctx);
        for (size_t i = 0; i < r->nres; i++) {
            if (r->res[i].file >= r->nfiles) abort();
            if (r->res[i].attrs) gdi_node_to_json(&b, r->res[i].attrs);
            b.n = 0;
        }
        gdi_buf_free(&b);
    }
    fz_check_diags(ctx);
    gdi_hcl_result_free(r);
    gd_ctx_free(ctx);
    return 0;
}
