/*
 * fuzz_rules.c — libFuzzer harness for rule files (src/rules.c through the
 * public gd_ruleset_add_buffer): YAML loading, metadata validation, check
 * compilation, and then everything a loaded rule set is used for — listing,
 * disassembly and running the rule's own fixtures.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gd_ctx *ctx = fz_ctx();
    gd_ruleset *rs = NULL;
    if (gd_ruleset_new(ctx, &rs) != GD_OK) abort();
    gd_status st = gd_ruleset_add_buffer(rs, "fuzz.yaml", (const char *)data, size);
    if (st != GD_OK && st != GD_NOMEM && gd_ctx_diag_count(ctx) == 0) abort();
    if (st == GD_OK && gd_ruleset_count(rs) > 0) {
        FILE *out = fz_null();
        gd_ruleset_write_list(rs, "json", "en", out);
        gd_ruleset_disasm(rs, NULL, out);
        size_t failed = 0;
        gd_ruleset_test(rs, out, &failed);
    }
    fz_check_diags(ctx);
    gd_ruleset_free(rs);
    gd_ctx_free(ctx);
    return 0;
}
