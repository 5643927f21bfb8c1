/* test_rules.c — the rule loader (validation errors with positions,
 * duplicate ids, directory walks), listing, the type index, joins and the
 * fixture runner. Data in tests/data/rules/. */
#include "rule.h"
#include "tap.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define RULES_DIR GD_SOURCE_DIR "/tests/data/rules"

static gd_ctx *ctx;

/* Run fn-like code capturing a FILE's output into a malloc'd string. */
typedef struct capture {
    char *p;
    size_t n;
    FILE *f;
} capture;

static void cap_open(capture *c)
{
    c->p = NULL;
    c->n = 0;
    c->f = open_memstream(&c->p, &c->n);
}

static const char *cap_close(capture *c)
{
    fclose(c->f);
    return c->p ? c->p : "";
}

static bool has_diag(const char *want)
{
    for (size_t i = 0; i < gd_ctx_diag_count(ctx); i++)
        if (strcmp(gd_ctx_diag(ctx, i, NULL), want) == 0) return true;
    return false;
}

static void dump_diags(void)
{
    for (size_t i = 0; i < gd_ctx_diag_count(ctx); i++)
        fprintf(stderr, "# diag: %s\n", gd_ctx_diag(ctx, i, NULL));
}

static void test_provider(void)
{
    gd_str p = gdi_type_provider(gd_str_c("alicloud_oss_bucket"));
    CHECK(gd_str_eqc(p, "alicloud"));
    p = gdi_type_provider(gd_str_c("aws"));
    CHECK(gd_str_eqc(p, "aws"));
    p = gdi_type_provider(gd_str_c(""));
    CHECK(p.n == 0);
}

static void test_good(void)
{
    gd_ruleset *rs;
    gd_ctx_clear_diags(ctx);
    CHECK(gd_ruleset_new(ctx, &rs) == GD_OK);
    gd_status st = gd_ruleset_add_path(rs, RULES_DIR "/good.yaml");
    CHECK_INTEQ(st, GD_OK);
    if (st) dump_diags();
    CHECK_INTEQ(gd_ruleset_count(rs), 2);
    if (gd_ruleset_count(rs) != 2) {
        gd_ruleset_free(rs);
        return;
    }
    CHECK(gdi_ruleset_finish(rs) == GD_OK);
    CHECK(gdi_ruleset_finish(rs) == GD_OK); /* idempotent */
    gdi_rule *const *rr;
    CHECK_INTEQ(gdi_ruleset_for_type(rs, gd_str_c("alicloud_oss_bucket"), &rr), 1);
    const gdi_rule *r = rr ? rr[0] : NULL;
    CHECK(r && strcmp(r->id, "GD-TEST-OSS-001") == 0);
    if (r) {
        CHECK(r->severity == GD_SEV_CRITICAL);
        CHECK_STREQ(r->title_zh, "OSS 存储桶 ACL 不公开");
        CHECK_STREQ(r->severity_reason, "anyone can read \"everything\"");
        CHECK_STREQ(r->description, "A public ACL exposes every object.\n");
        CHECK_INTEQ(r->ncontrols, 3);
        CHECK(r->ncontrols == 3 && strcmp(r->controls[2].framework, "mlps-2.0") == 0 &&
              r->controls[2].nids == 1 && strcmp(r->controls[2].ids[0], "8.1") == 0);
        CHECK_INTEQ(r->nrefs, 1);
        CHECK_INTEQ(r->line, 3);
        CHECK(r->check != NULL);
        CHECK(r->tests && r->tests->len == 3);
        CHECK(strstr(r->file, "good.yaml") != NULL);
    }
    CHECK_INTEQ(gdi_ruleset_for_type(rs, gd_str_c("alicloud_oss"), &rr), 0);
    CHECK_INTEQ(gdi_ruleset_for_type(rs, gd_str_c("alicloud_security_group"), &rr), 1);
    CHECK_INTEQ(rs->njoins, 1);
    CHECK(rs->njoins == 1 && strcmp(rs->joins[0].type, "alicloud_security_group_rule") == 0 &&
          strcmp(rs->joins[0].field, "security_group_id") == 0);
    CHECK(gdi_ruleset_is_join_target(rs, gd_str_c("alicloud_security_group_rule")));
    CHECK(!gdi_ruleset_is_join_target(rs, gd_str_c("alicloud_security_group")));
    CHECK(rs->rules[0]->index == 0 && rs->rules[1]->index == 1);
    CHECK(strcmp(rs->rules[0]->id, "GD-TEST-ECS-002") == 0); /* sorted by id */

    /* text list */
    capture c;
    cap_open(&c);
    CHECK(gd_ruleset_write_list(rs, "text", "zh", c.f) == GD_OK);
    const char *txt = cap_close(&c);
    CHECK(strstr(txt, "GD-TEST-OSS-001        critical alicloud_oss_bucket  OSS 存储桶 ACL 不公开\n") !=
          NULL);
    CHECK(strstr(txt, "GD-TEST-ECS-002") < strstr(txt, "GD-TEST-OSS-001"));
    free(c.p);

    /* JSON list parses back and carries the metadata */
    cap_open(&c);
    CHECK(gd_ruleset_write_list(rs, "json", NULL, c.f) == GD_OK);
    const char *js = cap_close(&c);
    gdi_doc d;
    gdi_doc_init(&d, ctx, "list.json");
    CHECK(gdi_json_parse(&d, js, strlen(js)) == GD_OK);
    const gdi_node *root = gdi_doc_root(&d);
    CHECK(root && root->type == GDI_ARRAY && root->len == 2);
    const gdi_node *o = gdi_arr_at(root, 1);
    const gdi_node *v = gdi_obj_getc(o, "severity_reason");
    CHECK(v && gd_str_eqc(gdi_node_str(v), "anyone can read \"everything\""));
    v = gdi_obj_getc(gdi_obj_getc(o, "title"), "zh");
    CHECK(v && gd_str_eqc(gdi_node_str(v), "OSS 存储桶 ACL 不公开"));
    v = gdi_arr_at(gdi_obj_getc(gdi_obj_getc(o, "controls"), "craf-2.0"), 0);
    CHECK(v && gd_str_eqc(gdi_node_str(v), "3.3.2"));
    v = gdi_obj_getc(gdi_arr_at(root, 0), "description");
    CHECK(v && v->type == GDI_NULL);
    CHECK(gdi_obj_getc(o, "remediation") && gdi_obj_getc(o, "references") &&
          gdi_obj_getc(o, "duties") && gdi_obj_getc(o, "resource_types") &&
          gdi_obj_getc(o, "file"));
    gdi_doc_free(&d);
    free(c.p);

    cap_open(&c);
    CHECK(gd_ruleset_write_list(rs, "xml", NULL, c.f) == GD_INVALID);
    cap_close(&c);
    free(c.p);

    /* disasm */
    cap_open(&c);
    CHECK(gd_ruleset_disasm(rs, "GD-TEST-OSS-001", c.f) == GD_OK);
    const char *dis = cap_close(&c);
    CHECK(strncmp(dis, "rule GD-TEST-OSS-001 (", 22) == 0 && strlen(dis) > 40);
    free(c.p);
    cap_open(&c);
    CHECK(gd_ruleset_disasm(rs, "GD-NOPE", c.f) == GD_NOTFOUND);
    cap_close(&c);
    free(c.p);

    /* loading the same file again: every id is a duplicate, nothing added */
    gd_ctx_clear_diags(ctx);
    CHECK(gd_ruleset_add_path(rs, RULES_DIR "/good.yaml") == GD_INVALID);
    CHECK_INTEQ(gd_ruleset_count(rs), 2);
    CHECK_INTEQ(gd_ctx_diag_count(ctx), 2);
    CHECK(strstr(gd_ctx_diag(ctx, 0, NULL), "good.yaml:3:9: duplicate rule id 'GD-TEST-OSS-001' "
                                            "(first defined at ") != NULL);
    CHECK(strstr(gd_ctx_diag(ctx, 0, NULL), "good.yaml:3)") != NULL);
    gd_ruleset_free(rs);
}

static void test_errors(void)
{
    gd_ruleset *rs;
    gd_ctx_clear_diags(ctx);
    gd_ruleset_new(ctx, &rs);
    CHECK(gd_ruleset_add_path(rs, RULES_DIR "/bad_keys.yaml") == GD_INVALID);
    CHECK_INTEQ(gd_ruleset_count(rs), 0);
#define F RULES_DIR "/bad_keys.yaml:"
    static const char *const want[] = {
        F "3:5: unknown key 'titel' in rule",
        F "2:5: rule: missing required key 'title'",
        F "4:15: unknown severity 'severe' (use critical, high, medium, low or info)",
        F "5:21: 'resource_types' must be a list of strings",
        F "6:13: 'duties' must not be empty",
        F "8:7: unknown key 'soc-2' in controls (known frameworks: craf-2.0, soc2, iso27001, "
          "mlps-2.0, soc3-alibaba)",
        F "10:26: unknown key 'fr' in remediation",
        F "10:18: remediation: missing required key 'zh'",
        F "14:9: unknown key 'extra' in test case",
        F "12:17: 'expect' must be one of pass, fail, unknown, error",
        F "15:9: test case: missing required key 'attributes'",
        F "17:9: rule id 'bad id' may only use letters, digits, '-', '_' and '.'",
    };
#undef F
    size_t nwant = sizeof want / sizeof want[0];
    for (size_t i = 0; i < nwant; i++) CHECK_MSG(has_diag(want[i]), "missing diag: %s", want[i]);
    CHECK_INTEQ(gd_ctx_diag_count(ctx), nwant);
    if (gd_ctx_diag_count(ctx) != nwant) dump_diags();

    /* duplicate ids across files: the second file is dropped whole */
    gd_ctx_clear_diags(ctx);
    CHECK(gd_ruleset_add_path(rs, RULES_DIR "/dups") == GD_INVALID);
    CHECK_INTEQ(gd_ruleset_count(rs), 1);
    CHECK_INTEQ(gd_ctx_diag_count(ctx), 1);
    CHECK_STREQ(gd_ctx_diag(ctx, 0, NULL),
                RULES_DIR "/dups/b.yaml:11:9: duplicate rule id 'GD-TEST-DUP-001' (first defined "
                          "at " RULES_DIR "/dups/a.yaml:2)");
    CHECK(gdi_ruleset_finish(rs) == GD_OK);
    CHECK(strcmp(rs->rules[0]->id, "GD-TEST-DUP-001") == 0);

    /* YAML errors and structural errors through buffers */
    gd_ctx_clear_diags(ctx);
    CHECK(gd_ruleset_add_buffer(rs, "buf.yaml", "rules: [a, b", 12) == GD_SYNTAX);
    CHECK(gd_ctx_diag_count(ctx) == 1 && strncmp(gd_ctx_diag(ctx, 0, NULL), "buf.yaml:1:", 11) == 0);
    gd_ctx_clear_diags(ctx);
    CHECK(gd_ruleset_add_buffer(rs, "buf.yaml", "", 0) == GD_INVALID);
    CHECK_STREQ(gd_ctx_diag(ctx, 0, NULL), "buf.yaml: a rule file must be a mapping with a 'rules' list");
    gd_ctx_clear_diags(ctx);
    const char *y = "rules: {}\nextra: 1\n";
    CHECK(gd_ruleset_add_buffer(rs, "buf.yaml", y, strlen(y)) == GD_INVALID);
    CHECK(has_diag("buf.yaml:2:1: unknown key 'extra' in rule file"));
    CHECK(has_diag("buf.yaml:1:8: 'rules' must be a list of rules"));
    gd_ctx_clear_diags(ctx);
    y = "rules:\n  - 5\n";
    CHECK(gd_ruleset_add_buffer(rs, "buf.yaml", y, strlen(y)) == GD_INVALID);
    CHECK_STREQ(gd_ctx_diag(ctx, 0, NULL), "buf.yaml:2:5: a rule must be a mapping");
    CHECK_INTEQ(gd_ruleset_count(rs), 1);

    /* a check that does not compile: the position maps into the block scalar */
    gd_ctx_clear_diags(ctx);
    CHECK(gd_ruleset_add_path(rs, RULES_DIR "/bad_check.yaml") == GD_INVALID);
    CHECK(gd_ctx_diag_count(ctx) >= 1);
    CHECK_MSG(gd_ctx_diag_count(ctx) >= 1 &&
                  strncmp(gd_ctx_diag(ctx, 0, NULL), RULES_DIR "/bad_check.yaml:9:14: ",
                          strlen(RULES_DIR "/bad_check.yaml:9:14: ")) == 0,
              "got %s", gd_ctx_diag_count(ctx) ? gd_ctx_diag(ctx, 0, NULL) : "nothing");
    CHECK_INTEQ(gd_ruleset_count(rs), 1);

    /* missing path */
    gd_ctx_clear_diags(ctx);
    CHECK(gd_ruleset_add_path(rs, RULES_DIR "/nope") == GD_IO);
    CHECK(gd_ctx_diag_count(ctx) == 1);
    gd_ruleset_free(rs);
}

static void test_tree_and_fixtures(void)
{
    gd_ruleset *rs;
    gd_ctx_clear_diags(ctx);
    gd_ruleset_new(ctx, &rs);
    /* hidden files and non-YAML files are skipped */
    CHECK_INTEQ(gd_ruleset_add_path(rs, RULES_DIR "/tree"), GD_OK);
    CHECK_INTEQ(gd_ruleset_count(rs), 2);
    CHECK(gd_ruleset_add_path(rs, RULES_DIR "/good.yaml") == GD_OK);
    CHECK(gd_ruleset_add_path(rs, RULES_DIR "/dups/a.yaml") == GD_OK);
    gdi_rule *const *rr;
    CHECK(gdi_ruleset_finish(rs) == GD_OK);
    CHECK_INTEQ(gdi_ruleset_for_type(rs, gd_str_c("aws_s3_bucket"), &rr), 3);
    CHECK(rr && strcmp(rr[0]->id, "GD-TEST-DUP-001") == 0 && strcmp(rr[2]->id, "GD-TREE-002") == 0);
    CHECK_INTEQ(gdi_ruleset_for_type(rs, gd_str_c("aws_s3_bucket_acl"), &rr), 1);

    capture c;
    cap_open(&c);
    size_t failed = 99;
    CHECK(gd_ruleset_test(rs, c.f, &failed) == GD_TESTFAIL);
    const char *out = cap_close(&c);
    CHECK_INTEQ(failed, 2);
    CHECK_STREQ(out, "FAIL GD-TEST-DUP-001: no failing fixture\n"
                     "FAIL GD-TREE-002 case 3 (wrong expectation on purpose): expected pass, got "
                     "fail\n"
                     "rules: 5 tested, 2 failed; cases: 12 passed, 1 failed\n");
    free(c.p);
    gd_ruleset_free(rs);

    /* a clean set passes */
    gd_ruleset_new(ctx, &rs);
    CHECK(gd_ruleset_add_path(rs, RULES_DIR "/good.yaml") == GD_OK);
    cap_open(&c);
    CHECK(gd_ruleset_test(rs, c.f, &failed) == GD_OK);
    out = cap_close(&c);
    CHECK_INTEQ(failed, 0);
    CHECK_STREQ(out, "rules: 2 tested, 0 failed; cases: 7 passed, 0 failed\n");
    free(c.p);
    gd_ruleset_free(rs);

    /* a symlink loop ends */
    char tmpl[] = "/tmp/gd_rules_XXXXXX";
    char *dir = mkdtemp(tmpl);
    CHECK(dir != NULL);
    if (dir) {
        char link[256], sub[256], file[256];
        snprintf(sub, sizeof sub, "%s/d", dir);
        snprintf(link, sizeof link, "%s/d/loop", dir);
        snprintf(file, sizeof file, "%s/d/r.yaml", dir);
        mkdir(sub, 0700);
        CHECK(symlink(dir, link) == 0);
        FILE *f = fopen(file, "w");
        char *src = tap_slurp(RULES_DIR "/dups/a.yaml", NULL);
        if (f && src) fputs(src, f);
        if (f) fclose(f);
        free(src);
        gd_ruleset_new(ctx, &rs);
        CHECK_INTEQ(gd_ruleset_add_path(rs, dir), GD_OK);
        CHECK_INTEQ(gd_ruleset_count(rs), 1);
        gd_ruleset_free(rs);
        unlink(link);
        unlink(file);
        rmdir(sub);
        rmdir(dir);
    }
}

/* Resources from a YAML list of {type, attrs}. */
static void test_joins(void)
{
    const char *y = "- {type: t_rule, attrs: {gid: sg-1, port: 22}}\n"
                    "- {type: t_rule, attrs: {gid: sg-2, port: 80}}\n"
                    "- {type: t_other, attrs: {gid: sg-1}}\n"
                    "- {type: t_rule, attrs: {gid: sg-1, port: 443}}\n"
                    "- {type: t_disk, attrs: {inst: 42, on: true}}\n"
                    "- {type: t_disk, attrs: {inst: \"42\", on: false}}\n"
                    "- {type: t_disk, attrs: {inst: null, on: [1]}}\n"
                    "- {type: t_rule}\n";
    gdi_doc d;
    gdi_doc_init(&d, ctx, "res.yaml");
    CHECK(gdi_yaml_parse(&d, y, strlen(y)) == GD_OK);
    const gdi_node *root = gdi_doc_root(&d);
    gdi_resource res[8];
    const gdi_resource *ptr[8];
    memset(res, 0, sizeof res);
    for (uint32_t i = 0; i < 8; i++) {
        const gdi_node *e = gdi_arr_at(root, i);
        res[i].type = gdi_node_str(gdi_obj_getc(e, "type"));
        res[i].attrs = gdi_obj_getc(e, "attrs");
        res[i].seq = i;
        ptr[i] = &res[i];
    }
    gdi_joindef defs[4] = {{.type = (char *)"t_rule", .field = (char *)"gid"},
                           {.type = (char *)"t_disk", .field = (char *)"inst"},
                           {.type = (char *)"t_disk", .field = (char *)"on"},
                           {.type = (char *)"t_none", .field = (char *)"x"}};
    gdi_joins *j;
    CHECK(gdi_joins_build(ctx, defs, 4, ptr, 8, &j) == GD_OK);
    const uintptr_t *m;
    CHECK_INTEQ(gdi_joins_find(j, 0, gd_str_c("sg-1"), &m), 2);
    CHECK(m && m[0] == (uintptr_t)res[0].attrs && m[1] == (uintptr_t)res[3].attrs); /* input order */
    CHECK_INTEQ(gdi_joins_find(j, 0, gd_str_c("sg-2"), &m), 1);
    CHECK(m && m[0] == (uintptr_t)res[1].attrs);
    /* the index groups by hash: a candidate is checked against the key */
    const gdi_node *a = NULL;
    CHECK(gdi_joins_match(j, NULL, 0, gd_str_c("sg-2"), m[0], &a) == GD_OK && a == res[1].attrs);
    CHECK(gdi_joins_match(j, NULL, 0, gd_str_c("sg-1"), m[0], &a) == GD_OK && a == NULL);
    CHECK(gdi_joins_match(j, NULL, 1, gd_str_c("sg-2"), m[0], &a) == GD_OK && a == NULL);
    CHECK_INTEQ(gdi_joins_find(j, 0, gd_str_c("sg-3"), &m), 0);
    CHECK(m == NULL);
    /* numbers by their text; a string of the same text matches too */
    CHECK_INTEQ(gdi_joins_find(j, 1, gd_str_c("42"), &m), 2);
    CHECK(m && m[0] == (uintptr_t)res[4].attrs && m[1] == (uintptr_t)res[5].attrs);
    CHECK_INTEQ(gdi_joins_find(j, 1, gd_str_c("null"), &m), 0);
    CHECK_INTEQ(gdi_joins_find(j, 1, gd_str_c(""), &m), 0);
    CHECK_INTEQ(gdi_joins_find(j, 2, gd_str_c("true"), &m), 1);
    CHECK(m && m[0] == (uintptr_t)res[4].attrs);
    CHECK_INTEQ(gdi_joins_find(j, 2, gd_str_c("false"), &m), 1);
    /* join ids keep their keys apart */
    CHECK_INTEQ(gdi_joins_find(j, 1, gd_str_c("sg-1"), &m), 0);
    CHECK_INTEQ(gdi_joins_find(j, 3, gd_str_c("sg-1"), &m), 0);
    CHECK_INTEQ(gdi_joins_find(j, 99, gd_str_c("sg-1"), &m), 0);
    gdi_joins_free(j);

    /* empty inputs */
    CHECK(gdi_joins_build(ctx, defs, 4, ptr, 0, &j) == GD_OK);
    CHECK_INTEQ(gdi_joins_find(j, 0, gd_str_c("sg-1"), &m), 0);
    gdi_joins_free(j);
    gdi_joins_free(NULL);
    CHECK_INTEQ(gdi_joins_find(NULL, 0, gd_str_c("sg-1"), &m), 0);

    /* many groups (table growth) */
    enum { N = 5000 };
    char *txt = malloc((size_t)N * 48);
    size_t k = 0;
    for (int i = 0; i < N; i++)
        k += (size_t)snprintf(txt + k, 48, "- {type: t_rule, attrs: {gid: g%d}}\n", i % 1000);
    gdi_doc d2;
    gdi_doc_init(&d2, ctx, "many.yaml");
    CHECK(gdi_yaml_parse(&d2, txt, k) == GD_OK);
    gdi_resource *many = calloc(N, sizeof *many);
    const gdi_resource **mp = calloc(N, sizeof *mp);
    const gdi_node *e = gdi_first(gdi_doc_root(&d2));
    for (int i = 0; i < N; i++, e = gdi_next(e)) {
        many[i].type = gd_str_c("t_rule");
        many[i].attrs = gdi_obj_getc(e, "attrs");
        mp[i] = &many[i];
    }
    CHECK(gdi_joins_build(ctx, defs, 1, mp, N, &j) == GD_OK);
    CHECK_INTEQ(gdi_joins_find(j, 0, gd_str_c("g7"), &m), 5);
    CHECK(m && m[0] == (uintptr_t)many[7].attrs && m[4] == (uintptr_t)many[4007].attrs);
    gdi_joins_free(j);
    free(many);
    free(mp);
    free(txt);
    gdi_doc_free(&d2);
    gdi_doc_free(&d);
}

/* --- out-of-memory injection: fail the n-th allocation, never leak */
static long alloc_budget = -1, live = 0;
static void *fail_realloc(void *ud, void *p, size_t n)
{
    (void)ud;
    if (alloc_budget == 0) return NULL;
    if (alloc_budget > 0) alloc_budget--;
    if (!p) live++;
    return realloc(p, n);
}
static void count_free(void *ud, void *p)
{
    (void)ud;
    if (p) live--;
    free(p);
}

static void test_nomem(void)
{
    const char *y = "rules:\n"
                    "  - id: GD-OOM-001\n"
                    "    title: {en: a, zh: b}\n"
                    "    severity: low\n"
                    "    resource_types: [t_x, t_y]\n"
                    "    duties: [d]\n"
                    "    controls: {soc2: [CC6.1]}\n"
                    "    check: acl == \"private\"\n"
                    "    remediation: {en: a, zh: b}\n"
                    "    tests:\n"
                    "      - {expect: pass, attributes: {acl: private}}\n"
                    "      - {expect: fail, attributes: {acl: public}}\n";
    gd_allocator al = {fail_realloc, count_free, NULL};
    bool ok = false;
    for (long n = 0; n < 400 && !ok; n++) {
        gd_ctx *c;
        alloc_budget = -1;
        live = 0;
        if (gd_ctx_new(&c, &al) != GD_OK) continue;
        gd_ruleset *rs = NULL;
        alloc_budget = n;
        gd_status st = gd_ruleset_new(c, &rs);
        if (st == GD_OK) st = gd_ruleset_add_buffer(rs, "oom.yaml", y, strlen(y));
        if (st == GD_OK) st = gdi_ruleset_finish(rs);
        alloc_budget = -1;
        CHECK_MSG(st == GD_OK || st == GD_NOMEM, "budget %ld: status %d", n, st);
        if (st == GD_OK) {
            ok = true;
            CHECK_INTEQ(gd_ruleset_count(rs), 1);
        }
        gd_ruleset_free(rs);
        gd_ctx_free(c);
        CHECK_MSG(live == 0, "budget %ld: %ld allocations leaked", n, live);
    }
    CHECK(ok);
}

int main(void)
{
    if (gd_ctx_new(&ctx, NULL) != GD_OK) return 1;
    test_provider();
    test_joins();
    test_good();
    test_errors();
    test_tree_and_fixtures();
    test_nomem();
    gd_ctx_free(ctx);
    return tap_done();
}
