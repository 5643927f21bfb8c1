/* test_assess.c — attestations (dates, SHA-256, every field error with its
 * position, expiry, digest mismatch) and the status rules of the assessment
 * on a small catalog without a profile: organisational controls need an
 * attestation, not_applicable and planned attestations, partial, C-RAF tier
 * caps from attestations, and out-of-memory safety of the whole run. */
#include "assess/assess.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static gd_ctx *ctx;
static char dir[256];

static void put(const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    fputs(text, f);
    fclose(f);
}

static bool diag_has(const char *needle)
{
    for (size_t i = 0; i < gd_ctx_diag_count(ctx); i++)
        if (strstr(gd_ctx_diag(ctx, i, NULL), needle)) return true;
    return false;
}

static void test_dates(void)
{
    int64_t d;
    CHECK(gdi_parse_date("1970-01-01", &d) && d == 0);
    CHECK(gdi_parse_date("2000-03-01", &d) && d == 11017);
    CHECK(gdi_parse_date("2024-02-29", &d));
    CHECK(!gdi_parse_date("2025-02-29", &d));
    CHECK(!gdi_parse_date("2025-13-01", &d));
    CHECK(!gdi_parse_date("2025-1-01", &d));
    CHECK(!gdi_parse_date("next week", &d));
    char hex[65];
    put("abc.txt", "abc");
    char p[512];
    snprintf(p, sizeof p, "%s/abc.txt", dir);
    CHECK_INTEQ(gdi_sha256_file(ctx, p, hex), GD_OK);
    CHECK_STREQ(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* A four-control tiered catalog, mapped: two organisational, one with a
 * duty, one organisational with a duty. */
static const char catalog[] = "id: t\n"
                              "tiers: [baseline, intermediate, advanced]\n"
                              "groups:\n"
                              "  - {id: \"1\", title: One}\n"
                              "controls:\n"
                              "  - {id: \"1.1\", group: \"1\", title: Org,\n"
                              "     tiers: {baseline: a, intermediate: b, advanced: c}}\n"
                              "  - {id: \"1.2\", group: \"1\", title: Duty,\n"
                              "     tiers: {baseline: a, intermediate: null, advanced: null}}\n"
                              "  - {id: \"1.3\", group: \"1\", title: Both}\n"
                              "  - {id: \"1.4\", group: \"1\", title: Org too}\n";
static const char mapping[] = "framework: t\n"
                              "controls:\n"
                              "  - {id: \"1.1\", organisational: true}\n"
                              "  - {id: \"1.2\", duties: [os.host_backup]}\n"
                              "  - {id: \"1.3\", duties: [os.host_backup], organisational: true}\n"
                              "  - {id: \"1.4\", organisational: true}\n";

static const char *status_of(const gd_assess *a, const char *id)
{
    for (size_t i = 0; i < a->nctls; i++)
        if (!strcmp(a->ctls[i].ctl->id, id)) return gdi_astatus_id(a->ctls[i].status);
    return "?";
}

static int tier_of(const gd_assess *a, const char *id)
{
    for (size_t i = 0; i < a->nctls; i++)
        if (!strcmp(a->ctls[i].ctl->id, id)) return a->ctls[i].tier;
    return -9;
}

static void test_attest_errors(void)
{
    put("bad.yaml", "attestations:\n"
                    "  - id: x1\n"
                    "    status: done\n"
                    "    statement: s\n"
                    "    attested_by: me\n"
                    "    date: 2025-01-01\n"
                    "    control: \"1.1\"\n"
                    "    framework: t\n"
                    "  - id: x2\n"
                    "    duty: os.host_backup\n"
                    "    control: \"1.1\"\n"
                    "    status: implemented\n"
                    "    date: yesterday\n"
                    "  - id: x3\n"
                    "    framework: t\n"
                    "    control: \"9.9\"\n"
                    "    status: implemented\n"
                    "    statement: s\n"
                    "    attested_by: me\n"
                    "    date: \"2025-01-01\"\n"
                    "    evidence:\n"
                    "      - {path: abc.txt, sha256: nothex}\n"
                    "      - {path: abc.txt, sha256: "
                    "\"ab00000000000000000000000000000000000000000000000000000000000000\"}\n");
    gd_catalogset *cs = NULL;
    gd_catalogset_new(ctx, &cs);
    char p[512];
    snprintf(p, sizeof p, "%s/cat.yaml", dir);
    put("cat.yaml", catalog);
    CHECK_INTEQ(gd_catalogset_add_path(cs, p), GD_OK);
    gdi_arena ar;
    gdi_arena_init(&ar, ctx, 4096);
    gdi_attest *v = NULL;
    size_t n = 0, nerr = 0;
    snprintf(p, sizeof p, "%s/bad.yaml", dir);
    gd_ctx_clear_diags(ctx);
    CHECK_INTEQ(gdi_attest_load(ctx, &ar, p, gdi_catalogset_find(cs, "t"), NULL, NULL, 20000, &v,
                                &n, &nerr),
                GD_OK);
    CHECK_INTEQ(n, 3);
    CHECK(nerr >= 6);
    CHECK(diag_has("bad.yaml:3:13: attestation 'x1': status must be implemented, partial, planned or not_applicable, not 'done'"));
    CHECK(diag_has("bad.yaml:9:5: attestation 'x2' must name exactly one target"));
    CHECK(diag_has("attestation 'x2' has no 'statement'"));
    CHECK(diag_has("bad.yaml:13:11: attestation 'x2': 'date' must be a date YYYY-MM-DD"));
    CHECK(diag_has("bad.yaml:16:14: attestation 'x3': t has no control '9.9'"));
    CHECK(diag_has("bad.yaml:22:33: sha256 must be 64 hexadecimal digits"));
    CHECK(diag_has("bad.yaml:23:33: attestation 'x3': evidence 'abc.txt' does not match its sha256 (file has ba7816bf"));
    for (size_t i = 0; i < n; i++) CHECK_MSG(v[i].invalid, "%s invalid", v[i].id);
    gdi_arena_free(&ar);
    gd_catalogset_free(cs);
}

static gd_status run(gd_catalogset *cs, gd_modelset *ms, const char *att, gd_assess **out)
{
    gd_assess_opts o;
    memset(&o, 0, sizeof o);
    o.framework = "t";
    o.attestations = att;
    o.inherent_risk = "medium";
    o.now = 1750000000; /* 2025-06-15 */
    gd_ctx_clear_diags(ctx);
    return gd_assess_run(cs, ms, NULL, &o, out);
}

static void test_status_rules(void)
{
    char p[512];
    put("cat.yaml", catalog);
    put("map.yaml", mapping);
    put("att/a.yaml", "framework: t\n"
                      "attestations:\n"
                      "  - {id: a1, control: \"1.1\", status: implemented, tier: intermediate,\n"
                      "     statement: s, attested_by: me, date: \"2025-01-01\", expires: \"2026-01-01\"}\n"
                      "  - {id: a2, duty: os.host_backup, status: implemented,\n"
                      "     statement: s, attested_by: me, date: \"2025-01-01\"}\n"
                      "  - {id: a3, control: \"1.3\", status: partial,\n"
                      "     statement: s, attested_by: me, date: \"2025-01-01\"}\n"
                      "  - {id: a4, control: \"1.4\", status: implemented,\n"
                      "     statement: s, attested_by: me, date: \"2024-01-01\", expires: \"2025-01-01\"}\n"
                      "  - {id: a5, control: \"1.1\", framework: other, status: not_applicable,\n"
                      "     statement: s, attested_by: me, date: \"2025-01-01\"}\n");
    gd_catalogset *cs = NULL;
    gd_modelset *ms = NULL;
    CHECK_INTEQ(gd_catalogset_new(ctx, &cs), GD_OK);
    CHECK_INTEQ(gd_modelset_new(ctx, &ms), GD_OK);
    snprintf(p, sizeof p, "%s/cat.yaml", dir);
    CHECK_INTEQ(gd_catalogset_add_path(cs, p), GD_OK);
    snprintf(p, sizeof p, "%s/map.yaml", dir);
    CHECK_INTEQ(gd_catalogset_add_path(cs, p), GD_OK);
    snprintf(p, sizeof p, "%s/att", dir);
    gd_assess *a = NULL;
    CHECK_INTEQ(run(cs, ms, p, &a), GD_OK);
    if (a) {
        CHECK_STREQ(status_of(a, "1.1"), "met");
        CHECK_INTEQ(tier_of(a, "1.1"), 1);        /* capped by tier: intermediate */
        CHECK_STREQ(status_of(a, "1.2"), "met");  /* duty attested */
        CHECK_INTEQ(tier_of(a, "1.2"), 2);        /* higher cells N/A: carried up */
        CHECK_STREQ(status_of(a, "1.3"), "partial");
        CHECK_STREQ(status_of(a, "1.4"), "unknown"); /* expired */
        CHECK_INTEQ(a->nexpired, 1);
        CHECK_INTEQ(gd_assess_tier_achieved(a), -1);
        CHECK_INTEQ(gd_assess_count(a, GDI_AS_MET), 2);
        CHECK(diag_has("attestation 'a4' expired on 2025-01-01 and counts as missing"));
        bool renew = false;
        for (size_t i = 0; i < a->nnext; i++)
            renew = renew || (a->next[i].kind == GDI_NK_RENEW && !strcmp(a->next[i].ref, "a4"));
        CHECK(renew);
        gd_assess_free(a);
        a = NULL;
    }
    /* not applicable and planned */
    put("att2/a.yaml", "framework: t\n"
                       "attestations:\n"
                       "  - {id: b1, control: \"1.1\", status: not_applicable,\n"
                       "     statement: s, attested_by: me, date: \"2025-01-01\"}\n"
                       "  - {id: b2, control: \"1.4\", status: planned,\n"
                       "     statement: s, attested_by: me, date: \"2025-01-01\"}\n");
    snprintf(p, sizeof p, "%s/att2", dir);
    CHECK_INTEQ(run(cs, ms, p, &a), GD_OK);
    if (a) {
        CHECK_STREQ(status_of(a, "1.1"), "not_applicable");
        CHECK_INTEQ(tier_of(a, "1.1"), 2);
        CHECK_STREQ(status_of(a, "1.4"), "not_met");
        CHECK_STREQ(status_of(a, "1.2"), "unknown"); /* no evidence at all */
        gd_assess_free(a);
        a = NULL;
    }
    /* unknown framework */
    gd_assess_opts o;
    memset(&o, 0, sizeof o);
    o.framework = "nope";
    CHECK_INTEQ(gd_assess_run(cs, ms, NULL, &o, &a), GD_NOTFOUND);
    CHECK(a == NULL);
    gd_modelset_free(ms);
    gd_catalogset_free(cs);
}

/* Out-of-memory fault injection: fail the n-th allocation of a run. */
static long budget = -1;
static void *fail_realloc(void *ud, void *p, size_t n)
{
    (void)ud;
    if (budget == 0) return NULL;
    if (budget > 0) budget--;
    return realloc(p, n);
}
static void fail_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

static void test_oom(void)
{
    gd_allocator al = {fail_realloc, fail_free, NULL};
    char p[512];
    snprintf(p, sizeof p, "%s/att", dir);
    size_t clean = 0, ok = 0;
    for (long k = 0; k < 400; k++) {
        gd_ctx *c = NULL;
        budget = -1;
        if (gd_ctx_new(&c, &al) != GD_OK) continue;
        gd_catalogset *cs = NULL;
        gd_modelset *ms = NULL;
        gd_assess *a = NULL;
        gd_status st = gd_catalogset_new(c, &cs);
        if (!st) st = gd_modelset_new(c, &ms);
        char q[512];
        snprintf(q, sizeof q, "%s/cat.yaml", dir);
        if (!st) st = gd_catalogset_add_path(cs, q);
        snprintf(q, sizeof q, "%s/map.yaml", dir);
        if (!st) st = gd_catalogset_add_path(cs, q);
        if (!st) {
            gd_assess_opts o;
            memset(&o, 0, sizeof o);
            o.framework = "t";
            o.attestations = p;
            o.now = 1750000000;
            budget = k;
            st = gd_assess_run(cs, ms, NULL, &o, &a);
            budget = -1;
            if (st == GD_NOMEM) clean += a == NULL;
            else if (a) {
                FILE *f = tmpfile();
                gd_status ws = gd_assess_write(a, GD_ASSESS_JSON, "en", f);
                fclose(f);
                ok += ws == GD_OK;
            }
        }
        gd_assess_free(a);
        gd_modelset_free(ms);
        gd_catalogset_free(cs);
        gd_ctx_free(c);
    }
    CHECK(clean > 10); /* many runs hit out-of-memory and failed cleanly */
    CHECK(ok > 0);     /* and the generous budgets finished */
}

int main(void)
{
    gd_ctx_new(&ctx, NULL);
    snprintf(dir, sizeof dir, "/tmp/gd_test_assess_%d", (int)getpid());
    char cmd[600];
    snprintf(cmd, sizeof cmd, "mkdir -p %s/att %s/att2", dir, dir);
    CHECK(system(cmd) == 0);
    test_dates();
    test_attest_errors();
    test_status_rules();
    test_oom();
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    gd_ctx_free(ctx);
    return tap_done();
}
