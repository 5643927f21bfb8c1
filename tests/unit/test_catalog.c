/* test_catalog.c — the built-in framework catalogs (counts and ids checked
 * against shared/reference), the catalog loader's error reports, the OSCAL
 * importer on the NIST SP 800-53 rev5 files, and the YAML writer round trip. */
#include "catalog/catalog.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static gd_ctx *ctx;

/* Parse a reference YAML file from shared/reference into d. */
static char *ref_doc(gdi_doc *d, const char *name)
{
    char path[1024];
    size_t len;
    snprintf(path, sizeof path, "%s/reference/%s", GD_SHARED_DIR, name);
    gdi_doc_init(d, ctx, name);
    if (!tap_have(path, "comparison with the reference")) return NULL;
    char *text = tap_slurp(path, &len);
    CHECK_MSG(text != NULL, "cannot read %s", path);
    if (text) CHECK_INTEQ(gdi_yaml_parse(d, text, len), GD_OK);
    return text;
}

static size_t count_group_prefix(const gdi_catalog *c, const char *prefix)
{
    size_t n = 0;
    for (size_t i = 0; i < c->ncontrols; i++)
        if (c->controls[i].group && !strncmp(c->controls[i].group, prefix, strlen(prefix))) n++;
    return n;
}

static void test_craf(gd_catalogset *cs)
{
    const gdi_catalog *c = gdi_catalogset_find(cs, "craf-2.0");
    CHECK(c != NULL);
    if (!c) return;
    CHECK_INTEQ(c->ncontrols, 45);
    CHECK_INTEQ(c->ntiers, 3);
    CHECK_STREQ(c->tiers[0], "baseline");
    CHECK_STREQ(c->tiers[2], "advanced");
    CHECK_STREQ(c->provider, "tencent_cloud");
    /* the 45 ids, in order, equal the reference's; titles match too */
    gdi_doc d;
    char *text = ref_doc(&d, "craf-2.0.yaml");
    const gdi_node *ctls = gdi_obj_getc(gdi_doc_root(&d), "controls");
    if (text) CHECK(ctls && ctls->len == 45);
    if (ctls) {
        const gdi_node *n = gdi_first(ctls);
        for (uint32_t i = 0; i < ctls->len && i < c->ncontrols; i++, n = gdi_next(n)) {
            const gdi_node *id = gdi_obj_getc(n, "id");
            CHECK_MSG(gd_str_eqc(gdi_node_str(id), c->controls[i].id), "control %u: %s", i,
                      c->controls[i].id);
            const gdi_node *t = gdi_obj_getc(gdi_obj_getc(n, "title"), "zh");
            CHECK_MSG(t && gd_str_eqc(gdi_node_str(t), c->controls[i].title.zh), "zh title of %s",
                      c->controls[i].id);
            /* levels_differentiated false <=> requirement without tiers */
            const gdi_node *ld = gdi_obj_getc(n, "levels_differentiated");
            bool undiff = ld && ld->type == GDI_FALSE;
            CHECK_MSG(undiff == (c->controls[i].requirement != NULL && !c->controls[i].has_tiers),
                      "tier shape of %s", c->controls[i].id);
        }
    }
    gdi_doc_free(&d);
    free(text);
    /* 7 domains with the reference counts: 4 1 14 7 13 1 5 */
    static const size_t per_domain[7] = {4, 1, 14, 7, 13, 1, 5};
    for (int dm = 0; dm < 7; dm++) {
        char p[4];
        snprintf(p, sizeof p, "%d.", dm + 1);
        CHECK_INTEQ(count_group_prefix(c, p), per_domain[dm]);
    }
    size_t subs = 0;
    for (size_t i = 0; i < c->ngroups; i++) subs += c->groups[i].parent != NULL;
    CHECK_INTEQ(subs, 21);
    /* N/A cells and undifferentiated controls */
    const gdi_control *x = gdi_catalog_control(c, "4.2.1");
    CHECK(x && x->has_tiers && x->tier_text[0] && x->tier_text[1] && !x->tier_text[2]);
    x = gdi_catalog_control(c, "3.1.4");
    CHECK(x && x->requirement && !x->has_tiers);
    x = gdi_catalog_control(c, "3.3.2");
    CHECK(x && x->ncapabilities == 3);
    CHECK(gdi_catalog_control(c, "5.1.1") != NULL);
    CHECK(gdi_catalog_control(c, "1.1.1") == NULL); /* not in the guide */
    const gdi_cgroup *top = gdi_catalog_top_group(c, gdi_catalog_control(c, "5.3.4"));
    CHECK(top && !strcmp(top->id, "5"));
}

static void test_soc(gd_catalogset *cs)
{
    const gdi_catalog *c = gdi_catalogset_find(cs, "soc2");
    CHECK(c != NULL);
    if (!c) return;
    CHECK_INTEQ(c->ncontrols, 61);
    static const struct {
        const char *g;
        size_t n;
    } per[] = {{"CC1", 5}, {"CC2", 3}, {"CC3", 4}, {"CC4", 2}, {"CC5", 3}, {"CC6", 8}, {"CC7", 5},
               {"CC8", 1}, {"CC9", 2}, {"A1", 3},  {"C1", 2},  {"PI1", 5}, {"P", 18}};
    for (size_t i = 0; i < sizeof per / sizeof per[0]; i++) {
        size_t n = 0;
        for (size_t k = 0; k < c->ncontrols; k++) n += !strcmp(c->controls[k].group, per[i].g);
        CHECK_MSG(n == per[i].n, "%s has %zu criteria", per[i].g, n);
    }
    CHECK(gd_catalog_has_control(cs, "soc2", "CC6.1"));
    CHECK(gd_catalog_has_control(cs, "soc2", "P8.1"));
    CHECK(!gd_catalog_has_control(cs, "soc2", "CC6.9"));

    /* SOC 3: 17 provider areas and the reference's 34 CUEC ids */
    c = gdi_catalogset_find(cs, "soc3-alibaba");
    CHECK(c != NULL);
    if (!c) return;
    size_t prov = 0, cust = 0;
    for (size_t k = 0; k < c->ncontrols; k++) {
        prov += c->controls[k].party && !strcmp(c->controls[k].party, "provider");
        cust += c->controls[k].party && !strcmp(c->controls[k].party, "customer");
    }
    CHECK_INTEQ(prov, 17);
    CHECK_INTEQ(cust, 34);
    gdi_doc d;
    char *text = ref_doc(&d, "soc3-alibaba.yaml");
    if (!text) { /* no reference beside the checkout */
        gdi_doc_free(&d);
        return;
    }
    const gdi_node *groups = gdi_obj_getc(gdi_doc_root(&d), "complementary_user_entity_controls");
    size_t seen = 0;
    if (groups) {
        const gdi_node *g = gdi_first(groups);
        for (uint32_t i = 0; i < groups->len; i++, g = gdi_next(g)) {
            const gdi_node *duties = gdi_obj_getc(g, "customer_duties");
            const gdi_node *e = gdi_first(duties);
            for (uint32_t k = 0; k < duties->len; k++, e = gdi_next(e)) {
                const gdi_node *id = gdi_obj_getc(e, "id");
                char buf[128];
                snprintf(buf, sizeof buf, "%.*s", (int)id->len, id->str);
                const gdi_control *x = gdi_catalog_control(c, buf);
                CHECK_MSG(x && !strcmp(x->party, "customer"), "CUEC %s", buf);
                seen++;
            }
        }
    }
    CHECK_INTEQ(seen, 34);
    gdi_doc_free(&d);
    free(text);
}

static void test_iso_mlps(gd_catalogset *cs)
{
    const gdi_catalog *c = gdi_catalogset_find(cs, "iso27001");
    CHECK(c != NULL);
    if (!c) return;
    CHECK_INTEQ(c->ncontrols, 93);
    CHECK_INTEQ(count_group_prefix(c, "A.5"), 37);
    CHECK_INTEQ(count_group_prefix(c, "A.6"), 8);
    CHECK_INTEQ(count_group_prefix(c, "A.7"), 14);
    CHECK_INTEQ(count_group_prefix(c, "A.8"), 34);
    CHECK(gdi_catalog_control(c, "A.5.23") && gdi_catalog_control(c, "A.8.34"));
    CHECK(!gdi_catalog_control(c, "A.5.38"));

    c = gdi_catalogset_find(cs, "mlps-2.0");
    CHECK(c != NULL);
    if (!c) return;
    CHECK_INTEQ(c->level, 3);
    CHECK(c->level_rule.en && *c->level_rule.en);
    CHECK_INTEQ(c->ncontrols, 87);
    CHECK_INTEQ(count_group_prefix(c, "8.1."), 71);
    CHECK_INTEQ(count_group_prefix(c, "8.2."), 16);
    const gdi_control *x = gdi_catalog_control(c, "8.1.4.1");
    CHECK(x && !strcmp(x->title.zh, "身份鉴别"));
    x = gdi_catalog_control(c, "8.2.4.4");
    CHECK(x && !strcmp(x->title.zh, "镜像和快照保护") && x->extension);
    x = gdi_catalog_control(c, "8.1.10.14");
    CHECK(x && !strcmp(x->title.zh, "外包运维管理"));
    /* the ten general sections */
    for (int s = 1; s <= 10; s++) {
        char id[16];
        snprintf(id, sizeof id, "8.1.%d", s);
        CHECK_MSG(gdi_catalog_group(c, id) != NULL, "section %s", id);
    }
    /* Inspur table 6 names the same families: every one of its Chinese labels
     * for the general requirements is a family title (merged rows excepted) */
    static const char *const inspur[] = {"网络架构", "通信传输",   "边界防护", "入侵防范",
                                         "安全审计", "剩余信息保护", "集中管控", "定级和备案",
                                         "等级测评", "外包运维管理", "安全事件处置"};
    for (size_t i = 0; i < sizeof inspur / sizeof inspur[0]; i++) {
        bool found = false;
        for (size_t k = 0; k < c->ncontrols; k++)
            found = found || !strcmp(c->controls[k].title.zh, inspur[i]);
        CHECK_MSG(found, "family %s", inspur[i]);
    }
}

/* Write text to a temp file and load it; returns the status. */
static gd_status load_tmp(gd_catalogset *cs, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "/tmp/gd_test_catalog_%d_%s", (int)getpid(), name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    gd_ctx_clear_diags(ctx);
    gd_status st = gd_catalogset_add_path(cs, path);
    unlink(path);
    return st;
}

static bool diag_has(const char *needle)
{
    for (size_t i = 0; i < gd_ctx_diag_count(ctx); i++)
        if (strstr(gd_ctx_diag(ctx, i, NULL), needle)) return true;
    return false;
}

static void test_errors(gd_catalogset *cs)
{
    size_t before = gd_catalogset_count(cs);
    gd_status st = load_tmp(cs, "bad.yaml",
                            "id: bad\n"
                            "tiers: [low, high]\n"
                            "groups:\n"
                            "  - id: g\n"
                            "controls:\n"
                            "  - id: c1\n"
                            "    group: nope\n"
                            "  - id: c1\n"
                            "    group: g\n"
                            "  - id: c2\n"
                            "    tiers: {low: x, middle: y}\n"
                            "  - title: no id\n");
    CHECK_INTEQ(st, GD_INVALID);
    CHECK_INTEQ(gd_catalogset_count(cs), before);
    CHECK(diag_has("bad.yaml:7:12: control 'c1': unknown group 'nope'"));
    CHECK(diag_has("bad.yaml:8:9: duplicate control id 'c1'"));
    CHECK(diag_has(":11:21: control 'c2': unknown tier 'middle'"));
    CHECK(diag_has(":12:5: control has no 'id'"));

    /* a good user catalog is added and can be browsed */
    st = load_tmp(cs, "good.yaml",
                  "id: house-rules\n"
                  "title: House rules\n"
                  "controls:\n"
                  "  - id: HR-1\n"
                  "    title: Backups are tested\n");
    CHECK_INTEQ(st, GD_OK);
    CHECK(gd_catalog_has_control(cs, "house-rules", "HR-1"));
    st = load_tmp(cs, "map.yaml",
                  "framework: house-rules\n"
                  "controls:\n"
                  "  - id: HR-9\n"
                  "    organisational: true\n"
                  "  - id: HR-1\n"
                  "    duties: [Not A Duty]\n"
                  "  - id: HR-1\n"
                  "    organisational: true\n");
    CHECK_INTEQ(st, GD_INVALID);
    CHECK(diag_has("map.yaml:3:9: mapping names unknown control 'HR-9' of house-rules"));
    CHECK(diag_has("map.yaml:6:13: control 'HR-1': 'Not A Duty' is not a duty id"));
    CHECK(diag_has("map.yaml:7:9: control 'HR-1' is mapped twice"));

}

static void test_oscal(gd_catalogset *cs)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/data/oscal/%s", GD_SHARED_DIR,
             "NIST_SP-800-53_rev5_LOW-baseline_profile.json");
    if (!tap_have(path, "OSCAL import of NIST's catalogs")) return;
    snprintf(path, sizeof path, "%s/data/oscal/%s", GD_SHARED_DIR,
             "NIST_SP-800-53_rev5_HIGH-baseline-resolved-profile_catalog-min.json");
    const char *id = NULL;
    FILE *out = tmpfile();
    gd_ctx_clear_diags(ctx);
    gd_status st = gd_catalog_import(cs, path, NULL, out, &id);
    CHECK_INTEQ(st, GD_OK);
    CHECK_STREQ(id, "nist-800-53");
    const gdi_catalog *c = gdi_catalogset_find(cs, "nist-800-53");
    CHECK(c && c->ncontrols == 370 && c->ngroups == 18);
    const gdi_control *x = gdi_catalog_control(c, "ac-2.1");
    CHECK(x && x->parent && !strcmp(x->parent, "ac-2") && !strcmp(x->group, "ac"));
    x = gdi_catalog_control(c, "ac-2");
    CHECK(x && !strcmp(x->title.en, "Account Management") && !strcmp(x->source, "AC-2"));

    /* the written YAML loads back to the same catalog */
    long size = ftell(out);
    CHECK(size > 10000);
    rewind(out);
    char *buf = malloc((size_t)size + 1);
    size_t got = fread(buf, 1, (size_t)size, out);
    buf[got] = 0;
    fclose(out);
    gd_catalogset *cs2 = NULL;
    CHECK_INTEQ(gd_catalogset_new(ctx, &cs2), GD_OK);
    CHECK_INTEQ(load_tmp(cs2, "nist.yaml", buf), GD_OK);
    const gdi_catalog *c2 = gdi_catalogset_find(cs2, "nist-800-53");
    CHECK(c2 && c2->ncontrols == 370 && c2->imported);
    x = gdi_catalog_control(c2, "ac-2.1");
    CHECK(x && x->parent && !strcmp(x->parent, "ac-2"));
    free(buf);

    /* profiles resolve against the imported catalog: LOW selects 149, and
     * the ids equal those of NIST's own resolved LOW catalog */
    snprintf(path, sizeof path, "%s/data/oscal/NIST_SP-800-53_rev5_LOW-baseline_profile.json",
             GD_SHARED_DIR);
    st = gd_catalog_import(cs, path, NULL, NULL, &id);
    CHECK_INTEQ(st, GD_OK);
    CHECK_STREQ(id, "nist-800-53-low");
    const gdi_catalog *low = gdi_catalogset_find(cs, "nist-800-53-low");
    CHECK(low && low->ncontrols == 149 && low->based_on && !strcmp(low->based_on, "nist-800-53"));
    snprintf(path, sizeof path, "%s/data/oscal/%s", GD_SHARED_DIR,
             "NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog-min.json");
    CHECK_INTEQ(gd_catalog_import(cs2, path, "low-resolved", NULL, NULL), GD_OK);
    const gdi_catalog *lr = gdi_catalogset_find(cs2, "low-resolved");
    CHECK(lr && low && lr->ncontrols == low->ncontrols);
    if (lr && low)
        for (size_t i = 0; i < lr->ncontrols; i++)
            CHECK_MSG(gdi_catalog_control(low, lr->controls[i].id) != NULL, "%s",
                      lr->controls[i].id);
    gd_catalogset_free(cs2);

    /* a profile without its catalog is an error that says what to do */
    snprintf(path, sizeof path, "%s/data/oscal/NIST_SP-800-53_rev5_HIGH-baseline_profile.json",
             GD_SHARED_DIR);
    gd_catalogset *cs3 = NULL;
    CHECK_INTEQ(gd_catalogset_new(ctx, &cs3), GD_OK);
    gd_ctx_clear_diags(ctx);
    CHECK_INTEQ(gd_catalog_import(cs3, path, NULL, NULL, NULL), GD_INVALID);
    CHECK(diag_has("import the catalog first"));
    gd_catalogset_free(cs3);

}

/* not OSCAL at all */
static void test_not_oscal(gd_catalogset *cs)
{
    char path[1024];
    gd_ctx_clear_diags(ctx);
    snprintf(path, sizeof path, "/tmp/gd_test_catalog_%d.json", (int)getpid());
    FILE *f = fopen(path, "w");
    fputs("{\"hello\": 1}", f);
    fclose(f);
    CHECK_INTEQ(gd_catalog_import(cs, path, NULL, NULL, NULL), GD_INVALID);
    CHECK(diag_has("not an OSCAL catalog or profile"));
    unlink(path);
}

static void test_write(gd_catalogset *cs)
{
    FILE *f = tmpfile();
    CHECK_INTEQ(gd_catalog_write(cs, "craf-2.0", "3.3.2", "text", "zh", f), GD_OK);
    long n = ftell(f);
    rewind(f);
    char buf[8192];
    size_t got = fread(buf, 1, sizeof buf - 1, f);
    buf[got] = 0;
    fclose(f);
    CHECK(n > 100);
    CHECK(strstr(buf, "3.3.2") && strstr(buf, "数据保护"));
    gd_ctx_clear_diags(ctx);
    f = tmpfile();
    CHECK_INTEQ(gd_catalog_write(cs, "craf-2.0", "9.9.9", "text", "en", f), GD_NOTFOUND);
    CHECK(diag_has("craf-2.0 has no control or group '9.9.9'"));
    CHECK_INTEQ(gd_catalog_write(cs, "nope", NULL, "text", "en", f), GD_NOTFOUND);
    fclose(f);
}

int main(void)
{
    gd_ctx_new(&ctx, NULL);
    gd_catalogset *cs = NULL;
    gd_status st = gd_catalogset_new(ctx, &cs);
    CHECK_INTEQ(st, GD_OK);
    for (size_t i = 0; i < gd_ctx_diag_count(ctx); i++)
        fprintf(stderr, "%s\n", gd_ctx_diag(ctx, i, NULL));
    CHECK_INTEQ(gd_ctx_diag_count(ctx), 0);
    if (cs) {
        CHECK_INTEQ(gd_catalogset_count(cs), 5);
        test_craf(cs);
        test_soc(cs);
        test_iso_mlps(cs);
        test_errors(cs);
        test_oscal(cs);
        test_not_oscal(cs);
        test_write(cs);
    }
    gd_catalogset_free(cs);
    gd_ctx_free(ctx);
    return tap_done();
}
