/* test_model_profile.c — deployment profiles: every mistake is reported with
 * file:line:col, one test per mistake; ownership resolution (mandatory split,
 * provides_capability, options, provider defaults, ambiguous, conflict with
 * a provider's stated position) and supply chains up to three hops. */
#include "model/model.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>

static gd_ctx *ctx;
static gd_modelset *ms;

/* Load profile text; returns the status and leaves diagnostics on ctx. */
static gd_status load(const char *text, gd_matrix **out)
{
    gd_ctx_clear_diags(ctx);
    *out = NULL;
    return gd_matrix_new_buffer(ms, "p.yaml", text, strlen(text), out);
}

/* True when some diagnostic equals want exactly. */
static bool has_diag(const char *want)
{
    for (size_t i = 0; i < gd_ctx_diag_count(ctx); i++)
        if (strcmp(gd_ctx_diag(ctx, i, NULL), want) == 0) return true;
    return false;
}

static void expect_error(const char *text, const char *want)
{
    gd_matrix *m;
    gd_status st = load(text, &m);
    CHECK_MSG(st == GD_INVALID, "status %s for %s", gd_status_str(st), want);
    CHECK_MSG(has_diag(want), "missing diagnostic \"%s\" (first: %s)", want,
              gd_ctx_diag_count(ctx) ? gd_ctx_diag(ctx, 0, NULL) : "none");
    gd_matrix_free(m);
}

static void test_errors(void)
{
    expect_error("customer: acme\nservices:\n  - id: web\n    provider: nosuch\n    service_model: iaas\n",
                 "p.yaml:4:15: unknown provider 'nosuch' (known: alibaba_cloud, huawei_cloud, tencent_cloud, "
                 "inspur_gov_cloud, zego_rtc, feishu_suite)");
    expect_error("customer: acme\nservices:\n  - id: web\n    provider: alibaba_cloud\n    service_model: iaas\n"
                 "    options: {os.no_such_leaf: a}\n",
                 "p.yaml:6:15: unknown duty 'os.no_such_leaf' in model oscar-2020");
    expect_error("customer: acme\nservices:\n  - id: web\n    provider: alibaba_cloud\n    service_model: iaas\n"
                 "    options: {os.host_backup: z}\n",
                 "p.yaml:6:31: duty 'os.host_backup' has no option 'z' under iaas (options: a, b)");
    expect_error("customer: acme\nservices:\n  - id: web\n    provider: alibaba_cloud\n    service_model: iaas\n"
                 "    options: {physical.dc_environment: a}\n",
                 "p.yaml:6:15: duty 'physical.dc_environment' is not negotiable under iaas (table 1 row 1 fixes it)");
    expect_error("customer: acme\nservices:\n  - id: rtc\n    provider: zego_rtc\n    service_model: iaas\n",
                 "p.yaml:5:20: provider 'zego_rtc' does not offer iaas (offers: saas)");
    expect_error("customer: acme\nservices:\n  - id: web\n    provider: alibaba_cloud\n    service_model: iaas\n"
                 "  - id: web\n    provider: huawei_cloud\n    service_model: paas\n",
                 "p.yaml:6:9: duplicate service id 'web' (first defined at line 3)");
    /* a leaf that only exists under another service model */
    expect_error("customer: acme\nservices:\n  - id: db\n    provider: alibaba_cloud\n    service_model: paas\n"
                 "    options: {os.host_backup: a}\n",
                 "p.yaml:6:15: duty 'os.host_backup' is not negotiable under paas (table 3 row 8 fixes it)");
    expect_error("customer: acme\nmodel: nist\nservices: []\n",
                 "p.yaml:2:8: unknown model 'nist' (known: oscar-2020, mlps-2.0)");
    expect_error("customer: acme\nservices:\n  - id: web\n    provider: alibaba_cloud\n", "p.yaml:3:5: missing 'service_model'");
    expect_error("customer: acme\nservices:\n  - id: web\n    provider: alibaba_cloud\n    service_model: iaas\n"
                 "    option: {os.host_backup: a}\n",
                 "p.yaml:6:5: unknown key 'option' in a service");
    expect_error("customer: alibaba_cloud\nservices:\n  - id: web\n    provider: alibaba_cloud\n    service_model: iaas\n",
                 "p.yaml:1:11: customer 'alibaba_cloud' has the id of a provider; choose another party id");
    /* errors in a runs_on entry, and several errors reported together */
    gd_matrix *m;
    CHECK(load("customer: acme\nservices:\n  - id: rtc\n    provider: zego_rtc\n    service_model: saas\n"
               "    runs_on:\n      - provider: nowhere\n        service_model: iaas\n"
               "  - id: x\n    provider: feishu_suite\n    service_model: paas\n",
               &m) == GD_INVALID);
    CHECK(has_diag("p.yaml:7:19: unknown provider 'nowhere' (known: alibaba_cloud, huawei_cloud, tencent_cloud, "
                   "inspur_gov_cloud, zego_rtc, feishu_suite)"));
    CHECK(has_diag("p.yaml:11:20: provider 'feishu_suite' does not offer paas (offers: saas)"));
    CHECK(m == NULL);
    /* YAML syntax errors surface from the parser with a location */
    CHECK(load("customer: [\n", &m) != GD_OK);
    CHECK(gd_ctx_diag_count(ctx) > 0 && strncmp(gd_ctx_diag(ctx, 0, NULL), "p.yaml:", 7) == 0);
}

static const gdi_own_row *row(const gd_matrix *m, const char *svc, const char *duty)
{
    for (size_t i = 0; i < m->nrows; i++)
        if (strcmp(m->rows[i].service->id, svc) == 0 && strcmp(m->rows[i].duty->id, duty) == 0) return &m->rows[i];
    return NULL;
}

static void resp_is(const gdi_own_row *r, const char *want)
{
    char got[256] = "";
    for (size_t i = 0; r && i < r->nresponsible; i++) {
        if (i) strncat(got, ",", sizeof got - strlen(got) - 1);
        strncat(got, r->responsible[i], sizeof got - strlen(got) - 1);
    }
    CHECK_STREQ(got, want);
}

static bool has_basis(const gdi_own_row *r, int kind)
{
    for (size_t i = 0; r && i < r->nbasis; i++)
        if (r->basis[i].kind == kind) return true;
    return false;
}

static void test_resolution(void)
{
    gd_matrix *m;
    const char *text = "customer: acme\nservices:\n"
                       "  - id: web\n    provider: alibaba_cloud\n    service_model: iaas\n"
                       "    options: {os.host_backup: b, os.host_security_monitoring: a}\n"
                       "  - id: hw\n    provider: huawei_cloud\n    service_model: iaas\n";
    gd_status st = load(text, &m);
    CHECK_MSG(st == GD_OK, "%s", gd_ctx_diag_count(ctx) ? gd_ctx_diag(ctx, 0, NULL) : gd_status_str(st));
    if (!m) return;
    CHECK_INTEQ(gd_matrix_row_count(m), 144); /* 72 IaaS leaves x 2 services */
    const gdi_own_row *r = row(m, "web", "physical.dc_environment");
    resp_is(r, "alibaba_cloud");
    CHECK(r && strcmp(r->accountable, "alibaba_cloud") == 0 && r->status == GDI_OWN_OWNED && r->ccm == GDI_CCM_CSP);
    r = row(m, "web", "network.security_group"); /* provides_capability */
    resp_is(r, "acme");
    CHECK(r && r->ncapability == 1 && strcmp(r->capability[0], "alibaba_cloud") == 0);
    CHECK(r && strcmp(r->accountable, "acme") == 0 && r->ccm == GDI_CCM_SHARED);
    r = row(m, "web", "os.host_backup"); /* contract option b */
    resp_is(r, "alibaba_cloud");
    CHECK(r && r->option && strcmp(r->option, "b") == 0 && has_basis(r, GDI_BASIS_CONTRACT));
    r = row(m, "web", "os.host_security_monitoring"); /* contract a overrides default c */
    resp_is(r, "acme");
    CHECK(r && strcmp(r->option, "a") == 0);
    r = row(m, "hw", "os.host_security_monitoring"); /* huawei states nothing: ambiguous */
    CHECK(r && r->status == GDI_OWN_AMBIGUOUS && r->accountable == NULL && r->nresponsible == 0);
    CHECK(r && r->ccm == GDI_CCM_UNDETERMINED && has_basis(r, GDI_BASIS_GAP));
    r = row(m, "web", "iam.cloud_service.password_policy"); /* alibaba default b */
    resp_is(r, "alibaba_cloud");
    CHECK(r && has_basis(r, GDI_BASIS_DEFAULT) && !has_basis(r, GDI_BASIS_CONTRACT));
    r = row(m, "web", "data.customer_data.storage"); /* appendix claims only part: conflict */
    CHECK(r && r->status == GDI_OWN_CONFLICT && strcmp(r->accountable, "alibaba_cloud") == 0);
    resp_is(r, "alibaba_cloud,acme");
    CHECK(has_basis(r, GDI_BASIS_TABLE) && has_basis(r, GDI_BASIS_POSITION));
    r = row(m, "web", "application.content_security"); /* shared */
    resp_is(r, "alibaba_cloud,acme");
    CHECK(r && strcmp(r->accountable, "acme") == 0 && r->ccm == GDI_CCM_SHARED);
    r = row(m, "web", "data.personal_information.storage"); /* inferred reading is cited */
    CHECK(has_basis(r, GDI_BASIS_READING));
    CHECK(gd_matrix_gap_count(m) > 0);
    gd_matrix_free(m);
}

static void test_chains(void)
{
    gd_matrix *m;
    /* two hops: ZEGO SaaS on Alibaba IaaS */
    const char *two = "customer: acme\nservices:\n"
                      "  - id: rtc\n    provider: zego_rtc\n    service_model: saas\n"
                      "    runs_on:\n      - provider: alibaba_cloud\n        service_model: iaas\n"
                      "        options: {os.host_backup: a}\n";
    gd_status st = load(two, &m);
    CHECK_MSG(st == GD_OK, "%s", gd_ctx_diag_count(ctx) ? gd_ctx_diag(ctx, 0, NULL) : gd_status_str(st));
    if (!m) return;
    const gdi_own_row *r = row(m, "rtc", "physical.dc_environment");
    resp_is(r, "alibaba_cloud");
    CHECK(r && strcmp(r->accountable, "zego_rtc") == 0 && r->ccm == GDI_CCM_THIRD);
    CHECK(r && r->nchain == 2 && strcmp(r->chain[1], "alibaba_cloud/iaas") == 0);
    r = row(m, "rtc", "network.security_group"); /* IaaS only offers the capability: the vendor's own */
    resp_is(r, "zego_rtc");
    CHECK(r && strcmp(r->accountable, "zego_rtc") == 0);
    r = row(m, "rtc", "os.host_backup"); /* vendor's option a toward alibaba: vendor uses the function */
    resp_is(r, "zego_rtc");
    r = row(m, "rtc", "os.host_security_monitoring"); /* alibaba default c */
    resp_is(r, "alibaba_cloud");
    r = row(m, "rtc", "os.image.provider_host.creation"); /* default image_source other_source */
    resp_is(r, "zego_rtc");
    r = row(m, "rtc", "application.lifecycle"); /* not delegated */
    resp_is(r, "zego_rtc");
    CHECK(r && r->nchain == 1);
    r = row(m, "rtc", "iam.console.credential_management"); /* customer side untouched */
    resp_is(r, "acme");
    gd_matrix_free(m);

    /* three hops: SaaS on a user PaaS on Tencent IaaS, public images */
    CHECK(gd_modelset_add_providers(ms, GD_SOURCE_DIR "/tests/data/model/providers") == GD_OK);
    const char *three = "customer: acme\nservices:\n"
                        "  - id: app\n    provider: zego_rtc\n    service_model: saas\n"
                        "    runs_on:\n      - provider: acme_paas\n        service_model: paas\n"
                        "        runs_on:\n          - provider: tencent_cloud\n            service_model: iaas\n"
                        "            image_source: public\n";
    st = load(three, &m);
    CHECK_MSG(st == GD_OK, "%s", gd_ctx_diag_count(ctx) ? gd_ctx_diag(ctx, 0, NULL) : gd_status_str(st));
    if (!m) return;
    r = row(m, "app", "physical.dc_operations");
    resp_is(r, "tencent_cloud");
    CHECK(r && strcmp(r->accountable, "zego_rtc") == 0 && r->status == GDI_OWN_OWNED);
    CHECK(r && r->nchain == 3 && strcmp(r->chain[0], "zego_rtc/saas") == 0 &&
          strcmp(r->chain[1], "acme_paas/paas") == 0 && strcmp(r->chain[2], "tencent_cloud/iaas") == 0);
    r = row(m, "app", "os.image.provider_host.creation"); /* PaaS has the leaf; below it public image */
    resp_is(r, "tencent_cloud");
    r = row(m, "app", "os.image.provider_host.vulnerability_management"); /* tencent default a: shared */
    resp_is(r, "tencent_cloud,acme_paas");
    r = row(m, "app", "network.security_group"); /* paas: acme_paas provides capability to zego */
    resp_is(r, "zego_rtc");
    r = row(m, "app", "data.customer_data.storage");
    resp_is(r, "zego_rtc");
    CHECK(r && r->nchain == 1);
    gd_matrix_free(m);
}

static void test_outputs(void)
{
    gd_matrix *m;
    CHECK(load("customer: acme\nservices:\n  - id: web\n    provider: alibaba_cloud\n    service_model: iaas\n", &m) ==
          GD_OK);
    if (!m) return;
    const gd_matrix_format fmts[] = {GD_MATRIX_TEXT, GD_MATRIX_CSV, GD_MATRIX_JSON, GD_MATRIX_HTML, GD_MATRIX_OSCAL};
    for (size_t i = 0; i < 5; i++) {
        for (int zh = 0; zh < 2; zh++) {
            char *buf = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&buf, &len);
            gd_matrix_opts o = {fmts[i], zh ? "zh" : "en", 1700000000};
            CHECK(gd_matrix_write(m, &o, f) == GD_OK);
            fclose(f);
            CHECK(len > 100);
            if (fmts[i] == GD_MATRIX_JSON) {
                gdi_doc d;
                gdi_doc_init(&d, ctx, "out.json");
                CHECK(gdi_json_parse(&d, buf, len) == GD_OK);
                const gdi_node *rows = gdi_obj_getc(gdi_doc_root(&d), "rows");
                CHECK(rows && rows->len == 72);
                const gdi_node *gaps = gdi_obj_getc(gdi_doc_root(&d), "gaps");
                CHECK(gaps && gaps->type == GDI_ARRAY && gaps->len == gd_matrix_gap_count(m));
                gdi_doc_free(&d);
            }
            if (fmts[i] == GD_MATRIX_OSCAL) CHECK(strstr(buf, "\"last-modified\": \"2023-11-14T22:13:20Z\"") != NULL);
            if (fmts[i] == GD_MATRIX_TEXT && zh) CHECK(strstr(buf, "数据中心环境安全") != NULL);
            free(buf);
        }
    }
    gd_matrix_format f;
    CHECK(gd_matrix_format_parse("oscal", &f) == GD_OK && f == GD_MATRIX_OSCAL);
    CHECK(gd_matrix_format_parse("pdf", &f) == GD_INVALID);
    gd_matrix_free(m);
}

int main(void)
{
    CHECK(gd_ctx_new(&ctx, NULL) == GD_OK);
    CHECK(gd_modelset_new(ctx, &ms) == GD_OK);
    if (ms) {
        test_errors();
        test_resolution();
        test_chains();
        test_outputs();
    }
    gd_modelset_free(ms);
    gd_ctx_free(ctx);
    return tap_done();
}
