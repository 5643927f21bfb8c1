/* test_model.c — the embedded models against the golden tables: tables 1, 3
 * and 4 cell by cell, tables 2 and 5 option by option (the TSV files in tests/data/model/,
 * generated once from the reference extract), table 6 row by row, and, when
 * ../shared is present, the embedded oscar-2020 model against
 * ../shared/reference/responsibility-model.yaml parsed with gdi_yaml_parse. */
#include "model/model.h"
#include "tap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static int prole_of(const char *s)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(gdi_prole_name(i), s) == 0) return i;
    return -1;
}

static int crole_of(const char *s)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(gdi_crole_name(i), s) == 0) return i;
    return -1;
}

/* Split a TSV line in place into at most max fields. */
static int split_tabs(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = 0;
            f[n++] = p + 1;
        }
    return n;
}

static void test_counts(const gd_modelset *ms)
{
    const gdi_model *m = gdi_modelset_model(ms, "oscar-2020", 10);
    CHECK(m != NULL);
    if (!m) return;
    CHECK_INTEQ(m->ncategories, 7);
    CHECK_INTEQ(m->nduties, 76);
    size_t per[GDI_SM__COUNT] = {0}, neg[GDI_SM__COUNT] = {0}, inferred = 0;
    for (size_t i = 0; i < m->nduties; i++)
        for (int s = 0; s < GDI_SM__COUNT; s++) {
            const gdi_division *d = &m->duties[i].div[s];
            if (!d->present) continue;
            per[s]++;
            if (d->prole == GDI_PR_NEGOTIABLE) neg[s]++;
            if (d->inferred) inferred++;
        }
    CHECK_INTEQ(per[GDI_SM_IAAS], 72);
    CHECK_INTEQ(per[GDI_SM_PAAS], 65);
    CHECK_INTEQ(per[GDI_SM_SAAS], 65);
    CHECK_INTEQ(neg[GDI_SM_IAAS], 7);
    CHECK_INTEQ(neg[GDI_SM_PAAS], 4);
    CHECK_INTEQ(neg[GDI_SM_SAAS], 3);
    CHECK_INTEQ(inferred, 26);
    const gdi_model *g = gdi_modelset_model(ms, "mlps-2.0", 8);
    CHECK(g != NULL);
    if (g) {
        CHECK_INTEQ(g->ncategories, 10);
        CHECK_INTEQ(g->nduties, 56);
    }
    CHECK_INTEQ(ms->nproviders, 6);
    const char *ids[] = {"alibaba_cloud", "huawei_cloud", "tencent_cloud", "inspur_gov_cloud", "zego_rtc", "feishu_suite"};
    for (size_t i = 0; i < 6; i++) CHECK_MSG(gdi_modelset_provider(ms, ids[i], strlen(ids[i])), "%s", ids[i]);
    /* Appendix-1 defaults as the seed states them (provider-positions.yaml). */
    const gdi_provider *ali = gdi_modelset_provider(ms, "alibaba_cloud", 13);
    const gdi_pdefault *d = ali ? gdi_provider_default(ali, "os.host_security_monitoring", GDI_SM_IAAS) : NULL;
    CHECK(d && strcmp(d->option, "c") == 0 && strcmp(d->confidence, "explicit") == 0);
    CHECK(ali && gdi_provider_default(ali, "os.host_backup", GDI_SM_IAAS) == NULL); /* not stated */
    CHECK(ali && gdi_provider_position(ali, "data.customer_data.storage", GDI_SM_IAAS) != NULL);
}

/* A table or row number of a golden line; -1 (never a match) when it is not one. */
static int field_num(const char *s)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    return end == s || *end || errno || v < 0 || v > 1000 ? -1 : (int)v;
}

static void test_golden_cells(const gd_modelset *ms, const char *file, const char *model_id)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/data/model/%s", GD_SOURCE_DIR, file);
    size_t len;
    char *text = tap_slurp(path, &len);
    CHECK_MSG(text != NULL, "cannot read %s", path);
    if (!text) return;
    const gdi_model *m = gdi_modelset_model(ms, model_id, strlen(model_id));
    size_t checked = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#') continue;
        char *f[8];
        if (split_tabs(line, f, 8) != 6) {
            CHECK_MSG(0, "bad golden line %s", line);
            continue;
        }
        const gdi_duty *d = gdi_model_duty(m, f[2], strlen(f[2]));
        CHECK_MSG(d != NULL, "duty %s missing", f[2]);
        if (!d) continue;
        int sm = strcmp(f[3], "any") == 0 ? GDI_SM_IAAS : gdi_sm_parse(f[3], strlen(f[3]));
        const gdi_division *dv = &d->div[sm];
        CHECK_MSG(dv->present, "%s/%s absent", f[2], f[3]);
        CHECK_MSG(dv->table == field_num(f[0]) && dv->row == field_num(f[1]), "%s/%s cites table %d row %d, want %s/%s",
                  f[2], f[3], dv->table, dv->row, f[0], f[1]);
        CHECK_MSG(dv->prole == prole_of(f[4]), "%s/%s provider %s, want %s", f[2], f[3],
                  gdi_prole_name(dv->prole), f[4]);
        CHECK_MSG(dv->crole == crole_of(f[5]), "%s/%s customer %s, want %s", f[2], f[3],
                  gdi_crole_name(dv->crole), f[5]);
        checked++;
    }
    CHECK_INTEQ(checked, strcmp(model_id, "oscar-2020") == 0 ? 202 : 56);
    free(text);
}

static void test_golden_options(const gd_modelset *ms)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/data/model/oscar-2020-options.tsv", GD_SOURCE_DIR);
    size_t len;
    char *text = tap_slurp(path, &len);
    CHECK(text != NULL);
    if (!text) return;
    const gdi_model *m = gdi_modelset_model(ms, "oscar-2020", 10);
    size_t checked = 0, total = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#') continue;
        char *f[8];
        if (split_tabs(line, f, 8) != 7) continue;
        const gdi_duty *d = gdi_model_duty(m, f[2], strlen(f[2]));
        int sm = gdi_sm_parse(f[3], strlen(f[3]));
        if (!d || sm < 0) {
            CHECK_MSG(0, "unknown %s/%s", f[2], f[3]);
            continue;
        }
        const gdi_division *dv = &d->div[sm];
        CHECK_MSG(dv->options_table == field_num(f[0]) && dv->options_row == field_num(f[1]),
                  "%s/%s options from table %d row %d", f[2], f[3], dv->options_table, dv->options_row);
        const gdi_option *o = gdi_division_option(dv, f[4], strlen(f[4]));
        CHECK_MSG(o != NULL, "%s/%s option %s missing", f[2], f[3], f[4]);
        if (!o) continue;
        CHECK_MSG(o->prole == prole_of(f[5]) && o->crole == crole_of(f[6]), "%s/%s option %s roles", f[2],
                  f[3], f[4]);
        checked++;
    }
    for (size_t i = 0; i < m->nduties; i++)
        for (int s = 0; s < GDI_SM__COUNT; s++) total += m->duties[i].div[s].noptions;
    CHECK_INTEQ(checked, 29);
    CHECK_INTEQ(total, 29); /* no option in the model that the golden list lacks */
    free(text);
}

/* Compare every leaf of the reference tree with the embedded model. */
static size_t walk_reference(const gdi_model *m, const gdi_node *n)
{
    size_t leaves = 0;
    const gdi_node *as = gdi_obj_getc(n, "assignments");
    const gdi_node *id = gdi_obj_getc(n, "id");
    if (as && id) {
        char buf[128];
        snprintf(buf, sizeof buf, "%.*s", (int)id->len, id->str);
        const gdi_duty *d = gdi_model_duty(m, id->str, id->len);
        CHECK_MSG(d != NULL, "reference leaf %s missing", buf);
        if (!d) return 1;
        for (int s = 0; s < GDI_SM__COUNT; s++) {
            const gdi_node *a = gdi_obj_getc(as, gdi_sm_name(s));
            CHECK_MSG((a != NULL) == d->div[s].present, "%s/%s presence", buf, gdi_sm_name(s));
            if (!a || !d->div[s].present) continue;
            const gdi_node *p = gdi_obj_getc(a, "provider"), *c = gdi_obj_getc(a, "customer");
            CHECK_MSG(p && gd_str_eqc(gdi_node_str(p), gdi_prole_name(d->div[s].prole)), "%s/%s provider",
                      buf, gdi_sm_name(s));
            CHECK_MSG(c && gd_str_eqc(gdi_node_str(c), gdi_crole_name(d->div[s].crole)), "%s/%s customer",
                      buf, gdi_sm_name(s));
            const gdi_node *inf = gdi_obj_getc(a, "inferred");
            CHECK_MSG((inf && inf->type == GDI_TRUE) == (d->div[s].inferred != 0), "%s/%s inferred flag", buf,
                      gdi_sm_name(s));
            const gdi_node *neg = gdi_obj_getc(a, "negotiable");
            const gdi_node *opts = neg ? gdi_obj_getc(neg, "options") : NULL;
            CHECK_INTEQ(opts ? opts->len : 0, d->div[s].noptions);
            if (opts) {
                const gdi_node *o = gdi_first(opts);
                for (uint32_t i = 0; i < opts->len; i++, o = gdi_next(o)) {
                    const gdi_node *oid = gdi_obj_getc(o, "id");
                    CHECK(oid && gdi_division_option(&d->div[s], oid->str, oid->len));
                    /* "none" in the reference means the party does nothing under the option */
                    const gdi_node *pt = gdi_obj_getc(o, "provider");
                    const gdi_option *mo = oid ? gdi_division_option(&d->div[s], oid->str, oid->len) : NULL;
                    if (mo && pt)
                        CHECK_MSG(gd_str_eqc(gdi_node_str(pt), "none") == (mo->prole == GDI_PR_NO),
                                  "%s/%s option %.*s provider none", buf, gdi_sm_name(s), (int)oid->len, oid->str);
                    const gdi_node *ct = gdi_obj_getc(o, "customer");
                    if (mo && ct)
                        CHECK_MSG(gd_str_eqc(gdi_node_str(ct), "none") == (mo->crole == GDI_CR_NO),
                                  "%s/%s option %.*s customer none", buf, gdi_sm_name(s), (int)oid->len, oid->str);
                }
            }
        }
        return 1;
    }
    const gdi_node *ch = gdi_obj_getc(n, "children");
    if (ch && ch->type == GDI_ARRAY) {
        const gdi_node *c = gdi_first(ch);
        for (uint32_t i = 0; i < ch->len; i++, c = gdi_next(c)) leaves += walk_reference(m, c);
    }
    return leaves;
}

static void test_against_shared(gd_ctx *ctx, const gd_modelset *ms)
{
    char path[512];
    snprintf(path, sizeof path, "%s/reference/responsibility-model.yaml", GD_SHARED_DIR);
    size_t len;
    char *text = tap_slurp(path, &len);
    if (!text) {
        printf("# skip: %s not present\n", path);
        return;
    }
    gdi_doc doc;
    CHECK(gdi_doc_init(&doc, ctx, path) == GD_OK);
    CHECK(gdi_yaml_parse(&doc, text, len) == GD_OK);
    const gdi_node *cats = gdi_obj_getc(gdi_doc_root(&doc), "categories");
    CHECK(cats && cats->type == GDI_ARRAY);
    const gdi_model *m = gdi_modelset_model(ms, "oscar-2020", 10);
    size_t leaves = 0;
    if (cats) {
        const gdi_node *c = gdi_first(cats);
        for (uint32_t i = 0; i < cats->len; i++, c = gdi_next(c)) leaves += walk_reference(m, c);
    }
    CHECK_INTEQ(leaves, 76);
    gdi_doc_free(&doc);
    free(text);
}

int main(void)
{
    gd_ctx *ctx;
    gd_modelset *ms = NULL;
    CHECK(gd_ctx_new(&ctx, NULL) == GD_OK);
    gd_status st = gd_modelset_new(ctx, &ms);
    CHECK_MSG(st == GD_OK, "modelset: %s; first diag %s", gd_status_str(st),
              gd_ctx_diag_count(ctx) ? gd_ctx_diag(ctx, 0, NULL) : "-");
    if (ms) {
        test_counts(ms);
        test_golden_cells(ms, "oscar-2020-cells.tsv", "oscar-2020");
        test_golden_cells(ms, "mlps-2.0-cells.tsv", "mlps-2.0");
        test_golden_options(ms);
        test_against_shared(ctx, ms);
    }
    gd_modelset_free(ms);
    gd_ctx_free(ctx);
    return tap_done();
}
