/*
 * test_lang.c — the check language: lexer, parser, compiler, VM, built-ins.
 *
 * Resources are built from JSON text; a string value "?unknown?" in the
 * fixture is turned into an unknown node (as a plan's after_unknown would
 * give). Each case compiles an expression, runs it and compares the verdict
 * (and, for errors and unknowns, a fragment of the reason).
 */
#include "lang/lang.h"
#include "tap.h"

#include <stdlib.h>

static gd_ctx *ctx;
static gdi_eval *E;
static const gdi_joins *cur_joins;

/* ------------------------------------------------------------ fixtures */

typedef struct res {
    gdi_doc doc;
    gdi_resource r;
} res;

static void mark_unknowns(gdi_doc *d)
{
    for (uint32_t i = 0; i < d->n; i++) {
        gdi_node *n = &d->nodes[i];
        if (n->type == GDI_STRING && n->len == 9 && memcmp(n->str, "?unknown?", 9) == 0) {
            n->type = GDI_UNKNOWN;
            n->str = NULL;
            n->len = 0;
        }
    }
}

static bool res_make(res *x, const char *type, const char *json)
{
    memset(x, 0, sizeof *x);
    if (gdi_doc_init(&x->doc, ctx, "attrs.json") != GD_OK) return false;
    if (gdi_json_parse(&x->doc, json, strlen(json)) != GD_OK) {
        fprintf(stderr, "bad fixture JSON: %s\n", json);
        return false;
    }
    mark_unknowns(&x->doc);
    x->r.type = gd_str_c(type);
    x->r.name = GD_STR_LIT("main");
    x->r.address = GD_STR_LIT("module.net.t_x.main");
    x->r.provider = GD_STR_LIT("alicloud");
    x->r.module = GD_STR_LIT("module.net");
    x->r.attrs = gdi_doc_root(&x->doc);
    return true;
}

static void res_free(res *x)
{
    gdi_doc_free(&x->doc);
}

/* A tiny join registry for the compile env. */
static struct {
    char type[64], field[64];
} joins_tab[8];
static uint32_t njoins_tab;

static gd_status join_id_cb(void *ud, gd_str type, gd_str field, uint32_t *id)
{
    (void)ud;
    for (uint32_t i = 0; i < njoins_tab; i++)
        if (gd_str_eqc(type, joins_tab[i].type) && gd_str_eqc(field, joins_tab[i].field)) {
            *id = i;
            return GD_OK;
        }
    if (njoins_tab == 8 || type.n >= 64 || field.n >= 64) return GD_LIMIT;
    memcpy(joins_tab[njoins_tab].type, type.p, type.n);
    joins_tab[njoins_tab].type[type.n] = 0;
    memcpy(joins_tab[njoins_tab].field, field.p, field.n);
    joins_tab[njoins_tab].field[field.n] = 0;
    *id = njoins_tab++;
    return GD_OK;
}
static const gdi_compile_env env = {join_id_cb, NULL, NULL};

static void dump_diags(void)
{
    for (size_t i = 0; i < gd_ctx_diag_count(ctx); i++)
        fprintf(stderr, "    diag: %s\n", gd_ctx_diag(ctx, i, NULL));
}

static const char *vname(gdi_verdict v)
{
    static const char *const n[] = {"pass", "fail", "unknown", "error"};
    return (unsigned)v < 4 ? n[v] : "?";
}

/* Evaluate expr against attrs (JSON) and compare with want (and a reason
 * fragment when given). */
static void vcheck(int line, const char *attrs, const char *expr, gdi_verdict want,
                   const char *reason_has)
{
    res x;
    tap_checks++;
    if (!res_make(&x, "t_x", attrs)) {
        tap_fail(__FILE__, line, expr, "fixture");
        res_free(&x);
        return;
    }
    gdi_program *p = NULL;
    gd_ctx_clear_diags(ctx);
    gd_status st = gdi_program_compile(ctx, NULL, expr, strlen(expr), &env, &p);
    if (st != GD_OK) {
        tap_fail(__FILE__, line, expr, "compile failed: %s", gd_status_str(st));
        dump_diags();
        res_free(&x);
        return;
    }
    gdi_verdict v;
    const char *reason = NULL;
    st = gdi_eval_run(E, p, &x.r, cur_joins, &v, &reason);
    if (st != GD_OK) {
        tap_fail(__FILE__, line, expr, "run failed: %s", gd_status_str(st));
    } else if (v != want) {
        tap_fail(__FILE__, line, expr, "got %s, want %s (reason: %s)", vname(v), vname(want),
                 reason ? reason : "-");
    } else if (reason_has && (!reason || !strstr(reason, reason_has))) {
        tap_fail(__FILE__, line, expr, "reason \"%s\" lacks \"%s\"", reason ? reason : "(null)",
                 reason_has);
    }
    gdi_program_free(p);
    res_free(&x);
}

#define PASS(attrs, expr) vcheck(__LINE__, attrs, expr, GDI_V_PASS, NULL)
#define FAIL(attrs, expr) vcheck(__LINE__, attrs, expr, GDI_V_FAIL, NULL)
#define UNKNOWN(attrs, expr) vcheck(__LINE__, attrs, expr, GDI_V_UNKNOWN, NULL)
#define ERROR(attrs, expr, why) vcheck(__LINE__, attrs, expr, GDI_V_ERROR, why)
#define T(expr) PASS("{}", expr)
#define F(expr) FAIL("{}", expr)
#define E_(expr, why) ERROR("{}", expr, why)

/* Compile expr with map and expect the diagnostics listed (in order). */
static void ccheck(int line, const gdi_srcmap *map, const char *expr, const char *const *want,
                   size_t nwant)
{
    gdi_program *p = NULL;
    gd_ctx_clear_diags(ctx);
    gd_status st = gdi_program_compile(ctx, map, expr, strlen(expr), &env, &p);
    tap_checks++;
    if (st != GD_SYNTAX || p) {
        tap_fail(__FILE__, line, expr, "compiled (%s), expected errors", gd_status_str(st));
        gdi_program_free(p);
        return;
    }
    size_t nd = gd_ctx_diag_count(ctx);
    tap_checks++;
    if (nd != nwant) {
        tap_fail(__FILE__, line, expr, "%zu diagnostics, want %zu", nd, nwant);
        dump_diags();
        return;
    }
    for (size_t i = 0; i < nd; i++) {
        const char *d = gd_ctx_diag(ctx, i, NULL);
        tap_checks++;
        if (!strstr(d, want[i])) tap_fail(__FILE__, line, expr, "diag \"%s\" lacks \"%s\"", d, want[i]);
    }
}
#define CERR(map, expr, ...)                                                                       \
    do {                                                                                           \
        static const char *const w_[] = {__VA_ARGS__};                                             \
        ccheck(__LINE__, map, expr, w_, sizeof w_ / sizeof w_[0]);                                 \
    } while (0)

/* ------------------------------------------------------------ operators */

static void test_operators(void)
{
    T("1 + 2 * 3 == 7");
    T("(1 + 2) * 3 == 9");
    T("10 - 2 - 3 == 5");
    T("7 % 3 == 1");
    T("-7 % 3 == -1");
    T("7 / 2 == 3.5");
    T("6 / 3 == 2");
    T("type(6 / 3) == \"number\"");
    T("-2 * 3 == -6");
    T("--2 == 2");
    T("1.5e2 == 150");
    T("1 < 2 and 2 <= 2 and 3 > 2 and 3 >= 3");
    F("2 < 1");
    T("\"a\" < \"b\" and \"ab\" < \"b\" and \"a\" < \"ab\"");
    T("1 == 1.0");
    T("0.1 + 0.2 != 0.3");
    /* 2^53 + 1 is not 2^53 (a double comparison would say equal) */
    T("9007199254740993 != 9007199254740992.0");
    T("9007199254740993 > 9007199254740992.0");
    T("9223372036854775807 + 1 > 9223372036854775807");
    T("\"a\" + \"b\" == \"ab\"");
    T("[1] + [2, 3] == [1, 2, 3]");
    T("[1, [2, \"x\"]] == [1, [2, \"x\"]]");
    F("[1, 2] == [2, 1]");
    T("not false");
    T("not 1 == 2");         /* not (1 == 2) */
    T("true or false and false"); /* and binds tighter */
    F("(true or false) and false");
    T("null ?? 1 == 1");      /* ?? is lowest: null ?? (1 == 1) */
    E_("1 ?? 2 == 3", "gave number");
    T("(null ?? 1) == 1");
    T("\"x\" in [\"x\", \"y\"]");
    T("\"z\" not in [\"x\", \"y\"]");
    T("not \"z\" in [\"x\"]");
    T("\"b\" in \"abc\" and \"\" in \"abc\" and not (\"abcd\" in \"abc\")");
    T("1 in [1.0]");
    F("\"1\" in [1]");
    F("\"x\" in null");
    T("[] == []");
    T("null == null");
    F("null == false");
    F("0 == false");
    T("# a comment\n 1 == 1 # another\n");
    T("'single' == \"single\"");
    T("\"tab\\there\" == 'tab\\there' and len(\"\\u00e9\") == 2 and \"\\ud83d\\ude00\" == \"😀\"");
    T("\"q\\\"q\" == 'q\"q'");
    E_("1 / 0", "division by zero");
    E_("1 % 0", "division by zero");
    E_("\"a\" < 1", "'<' needs two numbers or two strings, got string and number");
    E_("-\"a\"", "'-' needs a number");
    E_("1 + null", "'+' needs two numbers, two strings or two lists, got number and null");
    E_("not \"x\"", "'not' needs a boolean");
    E_("1 in 2", "'in' needs a list, object or string");
    E_("\"a\" * 2", "'*' needs two numbers");
}

/* --------------------------------------------------------------- paths */

static const char *A =
    "{\"acl\":\"private\",\"versioning\":[{\"status\":\"Enabled\"}],"
    "\"tags\":{\"env\":\"prod\",\"weird-key\":1},\"n\":5,\"nul\":null,\"f\":1.5,"
    "\"big\":12345678901234567890,\"empty\":[]}";

static void test_paths(void)
{
    PASS(A, "acl == \"private\"");
    FAIL(A, "acl == \"public-read\"");
    PASS(A, "acl not in [\"public-read\", \"public-read-write\"]");
    PASS(A, "versioning[0].status == \"Enabled\"");
    PASS(A, "versioning[0][\"status\"] == \"Enabled\"");
    PASS(A, "tags[\"env\"] == \"prod\" and tags.env == \"prod\"");
    PASS(A, "attrs[\"tags\"][\"weird-key\"] == 1");
    PASS(A, "attrs.acl == acl");
    PASS(A, "let k = \"env\"; tags[k] == \"prod\"");
    PASS(A, "let i = 0; versioning[i].status == \"Enabled\"");
    PASS(A, "missing == null and missing.x.y == null and missing[3] == null");
    PASS(A, "versioning[5] == null and versioning[5].status == null and versioning[-1] == null");
    PASS(A, "nul.x == null and nul[0] == null");
    PASS(A, "tags.nope == null");
    PASS(A, "n == 5 and n > 4.5 and f == 1.5 and big > 1e19");
    PASS(A, "\"env\" in tags and not (\"prod\" in tags)");
    PASS(A, "resource.type == \"t_x\" and resource.name == \"main\"");
    PASS(A, "resource.address == \"module.net.t_x.main\" and resource.provider == \"alicloud\"");
    PASS(A, "resource.module == \"module.net\" and resource[\"mode\"] == \"managed\"");
    PASS(A, "let resource = tags; resource.env == \"prod\"");
    ERROR(A, "acl.x == 1", "cannot read field 'x' of a string (in `acl.x`)");
    ERROR(A, "versioning.status == \"Enabled\"", "cannot read field 'status' of a list");
    ERROR(A, "tags[0]", "an object key must be a string");
    ERROR(A, "acl[0] == \"p\"", "cannot index a string");
    ERROR(A, "versioning[\"0\"] == 1", "cannot read field '0' of a list");
    ERROR(A, "versioning[0.5] == 1", "list index must be an integer");
    ERROR(A, "n.x", "cannot read field 'x' of a number");
    ERROR(A, "acl", "the check gave string, not a boolean");
    ERROR(A, "nul and true", "'and' needs booleans, got null");
    ERROR(A, "true and nul", "'and' needs booleans, got null");
    ERROR(A, "nul or true", "'or' needs booleans, got null");
    PASS(A, "(nul ?? false) or true");
    PASS(A, "default(nul, 3) == 3 and default(n, 3) == 5");
    FAIL(A, "false and acl.x == 1"); /* short-circuit: the error is never evaluated */
    PASS(A, "true or acl.x == 1");
    ERROR(A, "acl.x == 1 and false", "cannot read field 'x'");
    ERROR(A, "len(acl.x) == 1", "cannot read field 'x'"); /* errors propagate through calls */
    PASS("[]", "missing == null");                         /* attrs not an object */
    PASS("{\"in\":{\"not\":1},\"let\":2}", "attrs[\"in\"].not == 1 and attrs.let == 2");
    PASS(A, "len(keys(attrs)) == 8 and \"acl\" in keys(attrs)");
}

/* ----------------------------------------------------------------- Kleene */

static const char *U = "{\"u\":\"?unknown?\",\"t\":true,\"f\":false,\"l\":[1,\"?unknown?\"],"
                       "\"o\":{\"k\":\"?unknown?\"}}";

static void test_kleene(void)
{
    FAIL(U, "f and u");
    FAIL(U, "u and f");
    UNKNOWN(U, "t and u");
    UNKNOWN(U, "u and t");
    UNKNOWN(U, "u and u");
    PASS(U, "t or u");
    PASS(U, "u or t");
    UNKNOWN(U, "f or u");
    UNKNOWN(U, "u or f");
    UNKNOWN(U, "u or u");
    UNKNOWN(U, "not u");
    UNKNOWN(U, "u == 1");
    UNKNOWN(U, "u != 1");
    UNKNOWN(U, "u ?? false");
    UNKNOWN(U, "u.x.y == 1");
    UNKNOWN(U, "u[0] == 1");
    UNKNOWN(U, "o.k == \"a\"");
    UNKNOWN(U, "len(u) == 1");
    UNKNOWN(U, "lower(u) == \"a\"");
    UNKNOWN(U, "u + 1 > 2");
    UNKNOWN(U, "\"a\" in u");
    PASS(U, "is_unknown(u) and not is_known(u) and is_known(t)");
    PASS(U, "type(u) == \"unknown\"");
    PASS(U, "1 in l");
    UNKNOWN(U, "2 in l");
    UNKNOWN(U, "l == [1, 2]");
    FAIL(U, "l == [2, 2]"); /* a definite difference decides */
    PASS(U, "any(l, x => x == 1)");
    UNKNOWN(U, "any(l, x => x == 2)");
    UNKNOWN(U, "all(l, x => x == 1)");
    FAIL(U, "all(l, x => x == 2)");
    UNKNOWN(U, "count(l, x => x == 1) == 1");
    UNKNOWN(U, "len(filter(l, x => x == 1)) == 1");
    PASS(U, "len(map(l, x => x)) == 2");
    UNKNOWN(U, "any(u, x => true)");
    /* errors win over unknown */
    ERROR(U, "u and t.x", "cannot read field 'x' of a bool");
    /* the reason names what was unknown */
    vcheck(__LINE__, U, "t and o.k == \"a\"", GDI_V_UNKNOWN, "known only after apply: o.k");
}

/* --------------------------------------------------------------- builtins */

static void test_builtins(void)
{
    PASS(A, "len(\"abc\") == 3 and len([1, 2]) == 2 and len(tags) == 2 and len(nul) == 0");
    ERROR(A, "len(5) == 1", "len() needs a string, list or object, got number");
    T("lower(\"AbC-é\") == \"abc-é\" and upper(\"aBc\") == \"ABC\" and lower(\"x\") == \"x\"");
    T("trim(\"  a b \\n\") == \"a b\" and trim(\"\") == \"\"");
    E_("lower(1)", "lower() needs a string, got number");
    T("starts_with(\"foobar\", \"foo\") and not starts_with(\"fo\", \"foo\")");
    T("ends_with(\"foobar\", \"bar\") and not ends_with(\"ar\", \"bar\") and ends_with(\"x\", \"\")");
    T("contains(\"abc\", \"bc\") and not contains(\"abc\", \"cb\")");
    T("contains([1, 2], 2) and not contains([1, 2], 3) and not contains(null, 1)");
    E_("starts_with(1, \"a\")", "starts_with() needs two strings, got number and string");
    T("split(\"a,b,,c\", \",\") == [\"a\", \"b\", \"\", \"c\"]");
    T("split(\"abc\", \",\") == [\"abc\"] and split(\"\", \",\") == [\"\"]");
    T("split(\"a::b\", \"::\") == [\"a\", \"b\"]");
    E_("split(\"a\", \"\")", "non-empty separator");
    T("join([\"a\", \"b\", 3], \"-\") == \"a-b-3\" and join([], \",\") == \"\"");
    T("join(null, \",\") == \"\" and join([true, 1.5], \"\") == \"true1.5\"");
    E_("join([[1]], \",\")", "join() needs a list of strings");
    T("number(\"30\") == 30 and number(\" 1.5 \") == 1.5 and number(7) == 7 and number(\"-2e1\") == -20");
    E_("number(\"30s\")", "number(): \"30s\" is not a number");
    E_("number(true)", "number() needs a number or a string");
    T("string(30) == \"30\" and string(1.5) == \"1.5\" and string(true) == \"true\"");
    T("string(null) == \"null\" and string(\"s\") == \"s\" and string([1, \"a\"]) == \"[1, \\\"a\\\"]\"");
    PASS(A, "string(tags) == '{\"env\":\"prod\",\"weird-key\":1}'");
    PASS(A, "type(nul) == \"null\" and type(true) == \"bool\" and type(n) == \"number\"");
    PASS(A, "type(f) == \"number\" and type(acl) == \"string\" and type(versioning) == \"list\"");
    PASS(A, "type(tags) == \"object\" and type([]) == \"list\"");
    PASS(A, "is_null(nul) and is_null(missing) and not is_null(acl)");
    PASS(A, "keys(tags) == [\"env\", \"weird-key\"] and values(tags) == [\"prod\", 1]");
    PASS(A, "keys(nul) == [] and values(missing) == []");
    ERROR(A, "keys(acl) == []", "keys() needs an object, got string");
    T("flatten([[1, 2], [3], 4, []]) == [1, 2, 3, 4] and flatten([[[1]]]) == [[1]]");
    T("flatten(null) == []");
    E_("flatten(1)", "flatten() needs a list");
    PASS(A, "matches(acl, \"^pri\") and not matches(acl, \"^PRI\") and matches(acl, \"(?i)^PRI\")");
    PASS(A, "matches(acl, \"v.t\") and matches(\"é\", \"^.$\")");
    ERROR(A, "matches(n, \"x\")", "matches() needs a string, got number");
    /* json() */
    const char *P = "{\"policy\":\"{\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
                    "\\\"Principal\\\":\\\"*\\\"}]}\",\"bad\":\"{nope\"}";
    PASS(P, "json(policy).Statement[0].Effect == \"Allow\"");
    PASS(P, "let d = json(policy); any(d.Statement, s => s.Principal == \"*\") and "
            "json(policy).Statement[0].Principal == \"*\"");
    PASS(P, "json(missing) == null and json(\"[1,2]\") == [1, 2] and json(\"3\") == 3");
    ERROR(P, "json(bad).x == 1", "json(): invalid JSON: json:1:2");
    ERROR(P, "json(1) == 1", "json() needs a string");
}

static void test_cidr(void)
{
    static const struct {
        const char *cidr;
        int pub; /* 1 public, 0 not, -1 error */
    } pub[] = {
        {"0.0.0.0/0", 1},       {"0.0.0.0", 1},         {"*", 1},
        {"10.0.0.0/8", 0},      {"10.1.2.3", 0},        {"10.1.2.3/32", 0},
        {"10.0.0.0/7", 1},      {"172.16.0.0/12", 0},   {"172.31.255.255", 0},
        {"172.32.0.0/16", 1},   {"172.15.255.255", 1},  {"172.16.0.0/11", 1},
        {"192.168.1.0/24", 0},  {"192.169.0.0/16", 1},  {"127.0.0.1", 0},
        {"169.254.169.254", 0}, {"100.64.0.0/10", 0},   {"100.127.255.255", 0},
        {"100.128.0.0/16", 1},  {"8.8.8.0/24", 1},      {"8.8.8.8", 1},
        {"0.0.0.0/8", 0},       {"0.1.2.3", 0},         {"0.0.0.0/1", 1},
        {"::/0", 1},            {"::1", 0},             {"::1/128", 0},
        {"fd00::/8", 0},        {"fc00::/7", 0},        {"fe80::1", 0},
        {"fe80::/10", 0},       {"fe80::/9", 1},        {"2001:db8::/32", 1},
        {"2400:cb00::1", 1},    {"::ffff:10.0.0.1", 0}, {"::ffff:8.8.8.8", 1},
        {"", 0},                {" 10.0.0.0/8 ", 0},    {"10.0.0.0/33", -1},
        {"abc", -1},            {"1.2.3", -1},          {"300.1.1.1", -1},
        {"1.2.3.4/", -1},       {"1.2.3.4/-1", -1},     {"::/129", -1},
        {"1.2.3.4.5", -1},      {"gggg::1", -1},
    };
    for (size_t i = 0; i < sizeof pub / sizeof pub[0]; i++) {
        char expr[128];
        snprintf(expr, sizeof expr, "cidr_is_public(\"%s\")", pub[i].cidr);
        vcheck(__LINE__, "{}", expr,
               pub[i].pub == 1 ? GDI_V_PASS : pub[i].pub == 0 ? GDI_V_FAIL : GDI_V_ERROR,
               pub[i].pub < 0 ? "is not an IP address or CIDR block" : NULL);
    }
    T("cidr_is_any(\"0.0.0.0/0\") and cidr_is_any(\"::/0\") and cidr_is_any(\"*\")");
    T("cidr_is_any(\"0.0.0.0\") and not cidr_is_any(\"0.0.0.0/32\") and not cidr_is_any(\"\")");
    T("not cidr_is_any(\"10.0.0.0/8\") and not cidr_is_any(\"8.8.8.8\") and not cidr_is_any(\"::1\")");
    E_("cidr_is_any(null)", "cidr_is_any() needs a CIDR string, got null");
    PASS("{}", "cidr_is_any(missing ?? \"\") == false");
    T("cidr_contains(\"10.0.0.0/8\", \"10.1.2.3\") and cidr_contains(\"10.0.0.0/8\", \"10.2.0.0/16\")");
    T("not cidr_contains(\"10.0.0.0/8\", \"11.0.0.1\") and not cidr_contains(\"10.0.0.0/8\", \"10.0.0.0/7\")");
    T("cidr_contains(\"0.0.0.0/0\", \"1.2.3.4\") and cidr_contains(\"10.0.0.5/8\", \"10.200.0.0/16\")");
    T("cidr_contains(\"2001:db8::/32\", \"2001:db8:1::1\") and not cidr_contains(\"2001:db8::/32\", \"2001:db9::1\")");
    T("not cidr_contains(\"10.0.0.0/8\", \"::ffff:10.0.0.1\") and not cidr_contains(\"::/0\", \"1.2.3.4\")");
    T("cidr_contains(\"*\", \"1.2.3.4\") and cidr_contains(\"1.2.3.4\", \"1.2.3.4\")");
    E_("cidr_contains(\"10.0.0.0/8\", \"x\")", "\"x\" is not an IP address");
}

static void test_ports(void)
{
    static const struct {
        const char *range;
        int port;
        int want; /* 1 pass, 0 fail, -1 error */
    } cases[] = {
        {"\"22/22\"", 22, 1},    {"\"22/22\"", 23, 0},     {"\"1/65535\"", 443, 1},
        {"\"-1/-1\"", 3389, 1},  {"\"-1/-1\"", 0, 1},      {"\"22-25\"", 24, 1},
        {"\"22-25\"", 26, 0},    {"\"22-25\"", 21, 0},     {"\"22\"", 22, 1},
        {"\"22\"", 2222, 0},     {"\"ALL\"", 1, 1},        {"\"all\"", 65535, 1},
        {"\"80,443\"", 443, 1},  {"\"80,443\"", 8080, 0},  {"\"80, 8000-8100\"", 8080, 1},
        {"\" 22 / 22 \"", 22, 1}, {"22", 22, 1},           {"-1", 22, 1},
        {"\"\"", 22, -1},        {"\"abc\"", 22, -1},      {"\"25-22\"", 22, -1},
        {"\"22/\"", 22, -1},     {"\"70000\"", 22, -1},    {"\"-1/22\"", 22, -1},
        {"\"22/22\"", 70000, -1}, {"\"22/22\"", -1, -1},   {"null", 22, -1},
        {"\"0/65535\"", 0, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char expr[128];
        snprintf(expr, sizeof expr, "port_in(%s, %d)", cases[i].range, cases[i].port);
        vcheck(__LINE__, "{}", expr,
               cases[i].want == 1 ? GDI_V_PASS : cases[i].want == 0 ? GDI_V_FAIL : GDI_V_ERROR,
               NULL);
    }
    T("port_in(\"22/22\", \"22\") and port_in(\"*\", 8080) and port_in(\"-1\", 1)");
    E_("port_in(\"\", 22)", "port_in(): \"\" is not a port range");
    T("ports_overlap(20, 25, 22) and not ports_overlap(23, 25, 22) and ports_overlap(-1, -1, 22)");
    T("ports_overlap(\"0\", \"65535\", 22) and ports_overlap(22, 22, \"22\")");
    E_("ports_overlap(null, 1, 2)", "ports_overlap(): from must be a port number, got null");
    T("is_all_ports(\"-1/-1\") and is_all_ports(\"1/65535\") and is_all_ports(\"0/65535\")");
    T("is_all_ports(\"ALL\") and not is_all_ports(\"22/22\") and not is_all_ports(\"2/65535\")");
    T("is_all_ports(-1, -1) and is_all_ports(0, 65535) and not is_all_ports(1, 1024)");
    E_("is_all_ports(\"x\")", "is not a port range");
}

/* ------------------------------------------------------------ quantifiers */

static const char *Q =
    "{\"rules\":[{\"port\":22,\"name\":\"SSH\",\"cidrs\":[\"10.0.0.0/8\",\"0.0.0.0/0\"],"
    "\"want\":\"0.0.0.0/0\"},{\"port\":80,\"name\":\"web\",\"cidrs\":[],\"want\":\"x\"}],"
    "\"acl\":\"private\",\"xs\":[1,2,3,4,5,6,7,8,9,10],\"nested\":[[1,2],[3]]}";

static void test_quantifiers(void)
{
    PASS(Q, "any(rules, r => r.port == 22)");
    FAIL(Q, "all(rules, r => r.port == 22)");
    PASS(Q, "all(rules, r => r.port > 0)");
    PASS(Q, "count(rules, r => r.port > 0) == 2 and count(xs, x => x % 2 == 0) == 5");
    PASS(Q, "filter(rules, r => r.port == 80)[0].name == \"web\"");
    PASS(Q, "filter(xs, x => x > 8) == [9, 10]");
    PASS(Q, "map(rules, r => r.port) == [22, 80]");
    PASS(Q, "map(map(xs, x => x * 2), y => y + 1)[9] == 21");
    /* nested lambdas reading the outer parameter */
    PASS(Q, "any(rules, x => any(x.cidrs, y => y == x.want))");
    FAIL(Q, "any(rules, x => any(x.cidrs, y => y == x.name))");
    PASS(Q, "all(nested, a => all(a, b => any(xs, c => c == b)))");
    PASS(Q, "any(missing, x => true) == false and all(missing, x => false)");
    PASS(Q, "count([], x => true) == 0 and filter(null, x => true) == []");
    ERROR(Q, "any(acl, x => true)", "any() needs a list, got string");
    ERROR(Q, "any(rules, r => r.port)", "the lambda of any() gave number, not a boolean");
    ERROR(Q, "any(rules, r => r.port.x == 1)", "cannot read field 'x' of a number");
    ERROR(Q, "map(rules, r => r.port.x)", "cannot read field 'x'");
    /* let and shadowing */
    PASS(Q, "let p = 22; any(rules, r => r.port == p)");
    PASS(Q, "let a = 1; let b = a + 1; b == 2");
    PASS(Q, "let acl = \"x\"; acl == \"x\"");
    PASS(Q, "any([\"q\"], acl => acl == \"q\")");
    PASS(Q, "any([[1]], x => any(x, x => x == 1))");
    PASS(Q, "any(rules, r => let c = r.cidrs; len(c) == 2 and c[1] == r.want)");
    PASS(Q, "let open = any(rules, r => \"0.0.0.0/0\" in r.cidrs); open and any(rules, r => "
            "any(r.cidrs, c => cidr_is_public(c)) and port_in(string(r.port), 22))");
    PASS(Q, "any(rules, r => lower(r.name) == \"ssh\")");
    PASS(Q, "any(xs, x => x == 10) and not any(xs, x => x == 11)");
}

/* ----------------------------------------------------------------- joins */

static void test_related(void)
{
    res r1, r2, r3, r4, host;
    CHECK(res_make(&r1, "t_rule", "{\"group_id\":\"g1\",\"port\":22,\"cidr\":\"0.0.0.0/0\"}"));
    CHECK(res_make(&r2, "t_rule", "{\"group_id\":\"g1\",\"port\":80}"));
    CHECK(res_make(&r3, "t_rule", "{\"group_id\":\"g2\",\"port\":22}"));
    CHECK(res_make(&r4, "t_rule", "{\"group_id\":7,\"port\":443}"));
    const gdi_resource *all[] = {&r1.r, &r2.r, &r3.r, &r4.r};
    /* register the join the programs will use first, so ids line up */
    uint32_t id = 99;
    CHECK(join_id_cb(NULL, GD_STR_LIT("t_rule"), GD_STR_LIT("group_id"), &id) == GD_OK);
    gdi_joindef defs[8];
    for (uint32_t i = 0; i < njoins_tab; i++) {
        defs[i].type = joins_tab[i].type;
        defs[i].field = joins_tab[i].field;
    }
    gdi_joins *j = NULL;
    CHECK(gdi_joins_build(ctx, defs, njoins_tab, all, 4, &j) == GD_OK);
    cur_joins = j;
    const char *rel = "related(\"t_rule\", \"group_id\", id)";
    char expr[256];
    snprintf(expr, sizeof expr, "len(%s) == 2", rel);
    PASS("{\"id\":\"g1\"}", expr);
    PASS("{\"id\":\"g2\"}", "len(related(\"t_rule\", \"group_id\", id)) == 1");
    PASS("{\"id\":\"none\"}", "related(\"t_rule\", \"group_id\", id) == []");
    PASS("{}", "related(\"t_rule\", \"group_id\", id) == []");
    PASS("{\"id\":7}", "related(\"t_rule\", \"group_id\", id)[0].port == 443");
    PASS("{\"id\":\"7\"}", "len(related(\"t_rule\", \"group_id\", id)) == 1");
    UNKNOWN("{\"id\":\"?unknown?\"}", "len(related(\"t_rule\", \"group_id\", id)) == 1");
    ERROR("{\"id\":[1]}", "len(related(\"t_rule\", \"group_id\", id)) == 1",
          "related() needs a string or number to match, got list");
    snprintf(expr, sizeof expr,
             "not any(%s, r => cidr_is_any(r.cidr ?? \"\") and port_in(string(r.port), 22))", rel);
    FAIL("{\"id\":\"g1\"}", expr);
    PASS("{\"id\":\"g2\"}", expr);
    cur_joins = NULL;
    PASS("{\"id\":\"g1\"}", "related(\"t_rule\", \"group_id\", id) == []"); /* no index */

    /* uses_joins / primary attribute */
    gdi_program *p = NULL;
    gd_ctx_clear_diags(ctx);
    CHECK(gdi_program_compile(ctx, NULL, rel, strlen(rel), &env, &p) == GD_OK);
    CHECK(gdi_program_uses_joins(p));
    gdi_program_free(p);
    const char *plain = "versioning[0].status == \"Enabled\"";
    CHECK(gdi_program_compile(ctx, NULL, plain, strlen(plain), &env, &p) == GD_OK);
    CHECK(!gdi_program_uses_joins(p));
    CHECK(gd_str_eqc(gdi_program_primary_attr(p), "versioning"));
    gdi_program_free(p);
    const char *p2 = "let x = 1; resource.type == \"a\" or attrs.tags.env == \"b\" or acl == 1";
    CHECK(gdi_program_compile(ctx, NULL, p2, strlen(p2), &env, &p) == GD_OK);
    CHECK(gd_str_eqc(gdi_program_primary_attr(p), "tags"));
    gdi_program_free(p);
    const char *p3 = "resource.type == \"a\"";
    CHECK(gdi_program_compile(ctx, NULL, p3, strlen(p3), &env, &p) == GD_OK);
    CHECK(gdi_program_primary_attr(p).n == 0);
    gdi_program_free(p);

    gdi_joins_free(j);
    res_free(&r1);
    res_free(&r2);
    res_free(&r3);
    res_free(&r4);
    (void)host;
}

/* ---------------------------------------------------------- compile errors */

static void test_compile_errors(void)
{
    /* a block scalar: `check: |` at line 9, content from line 10 indented 6 */
    gdi_srcmap blk = {"rules/x.yaml", 10, 7, 6};
    /* an inline scalar: `    check: acl == ...` — expression starts at col 12 of line 4 */
    gdi_srcmap inl = {"rules/y.yaml", 4, 12, 0};

    CERR(&blk, "acl == \"a\" and\nfoo(1)", "rules/x.yaml:11:7: unknown function 'foo'");
    CERR(&inl, "foo(1) and bar(2)", "rules/y.yaml:4:12: unknown function 'foo'",
         "rules/y.yaml:4:23: unknown function 'bar'");
    CERR(&inl, "lower(1, 2) or upper()", "rules/y.yaml:4:12: lower() takes 1 argument, got 2",
         "4:27: upper() takes 1 argument, got 0");
    CERR(&inl, "is_all_ports()", "is_all_ports() takes 1 to 2 arguments, got 0");
    CERR(&blk, "acl ==\n  \"abc", "rules/x.yaml:11:9: unterminated string");
    CERR(&inl, "acl ==", "4:18: unexpected end of expression, expected an expression");
    CERR(&inl, "(1 + 2", "4:18: unexpected end of expression, expected ')'");
    CERR(&inl, "acl == 1 2", "4:21: unexpected number '2', expected an operator or the end");
    CERR(&inl, "acl = 1", "4:16: unexpected '=', expected an operator or the end");
    CERR(&inl, "a && b", "4:14: unexpected '&' (write 'and')");
    CERR(&inl, "1 < 2 < 3", "comparisons do not chain");
    CERR(&inl, "matches(acl, \"a(\")", "4:28: bad regular expression: missing closing parenthesis");
    CERR(&inl, "matches(acl, pat)", "4:25: matches() needs a string literal as its pattern");
    CERR(&inl, "related(t, \"f\", id)",
         "4:20: related() needs a string literal as its first argument");
    CERR(&inl, "x => 1", "4:12: a lambda (x => ...) is only allowed");
    CERR(&inl, "any(xs, 1)", "any() needs a lambda as its second argument");
    CERR(&inl, "\"\\q\"", "4:13: unknown escape '\\q' in string");
    CERR(&inl, "resource.color == 1", "unknown resource field 'color'");
    CERR(&inl, "resource == 1", "'resource' needs a field");
    CERR(&inl, "{}", "object literals are not supported");
    CERR(&inl, "acl.x(1)", "only built-in functions can be called");
    CERR(&inl, "let = 1; 2", "expected a name after 'let'");
    CERR(&inl, "let a = 1 a", "expected ';' after the let value");
    /* recovery: one bad argument does not hide an error in the next one */
    CERR(&inl, "f(1 +, nope(2))", "4:17: unexpected ','", "4:12: unknown function 'f'",
         "4:19: unknown function 'nope'");
    CERR(&inl, "[1, , 2] == x or zz(1)", "4:16: unexpected ','", "unknown function 'zz'");
    CERR(NULL, "foo()", "<check>:1:1: unknown function 'foo'");

    /* depth limit */
    size_t n = 2000;
    char *deep = malloc(2 * n + 2);
    for (size_t i = 0; i < n; i++) deep[i] = '(';
    deep[n] = '1';
    for (size_t i = 0; i < n; i++) deep[n + 1 + i] = ')';
    deep[2 * n + 1] = 0;
    CERR(&inl, deep, "expression nested too deeply");
    for (size_t i = 0; i < n; i++) deep[i] = '-';
    deep[n] = '1';
    deep[n + 1] = 0;
    CERR(&inl, deep, "expression nested too deeply");
    free(deep);
}

/* ------------------------------------------------------------ budget, alloc */

static void test_budget(void)
{
    CHECK(gd_ctx_set_limit(ctx, GD_LIMIT_EVAL_STEPS, 100) == GD_OK);
    ERROR(Q, "count(xs, x => x > 0) > 0 and count(xs, x => x > 0) > 0 and count(xs, x => x > 1) > 0",
          "evaluation budget exceeded");
    PASS(Q, "count(xs, x => x > 0) == 10"); /* 58 steps: within budget */
    CHECK(gd_ctx_set_limit(ctx, GD_LIMIT_EVAL_STEPS, 0) == GD_OK);
    /* doubling a string 40 times would need a terabyte: stopped by max-string */
    CHECK(gd_ctx_set_limit(ctx, GD_LIMIT_STRING, 1 << 20) == GD_OK);
    char expr[2048] = "let s0 = \"0123456789abcdef\"; ";
    for (int i = 1; i <= 40; i++) {
        char part[48];
        snprintf(part, sizeof part, "let s%d = s%d + s%d; ", i, i - 1, i - 1);
        size_t at = strlen(expr);
        snprintf(expr + at, sizeof expr - at, "%s", part);
    }
    size_t at = strlen(expr);
    snprintf(expr + at, sizeof expr - at, "%s", "len(s40) > 0");
    ERROR("{}", expr, "string too long (max-string)");
    ERROR("{}", "let l0 = [1, 2, 3, 4]; let l1 = l0 + l0; let l2 = l1 + l1; let l3 = l2 + l2; "
                "let l4 = l3 + l3; let l5 = l4 + l4; let l6 = l5 + l5; let l7 = l6 + l6; "
                "let l8 = l7 + l7; let l9 = l8 + l8; let l10 = l9 + l9; let l11 = l10 + l10; "
                "let l12 = l11 + l11; let l13 = l12 + l12; let l14 = l13 + l13; "
                "let l15 = l14 + l14; let l16 = l15 + l15; len(l16) > 0",
          "list too long");
    CHECK(gd_ctx_set_limit(ctx, GD_LIMIT_STRING, 0) == GD_OK);
}

static size_t nallocs;
static void *count_realloc(void *ud, void *p, size_t n)
{
    (void)ud;
    nallocs++;
    return realloc(p, n);
}
static void count_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

static void test_no_alloc(void)
{
    gd_allocator al = {count_realloc, count_free, NULL};
    gd_ctx *c2 = NULL;
    CHECK(gd_ctx_new(&c2, &al) == GD_OK);
    gd_ctx *save = ctx;
    ctx = c2;
    res x;
    CHECK(res_make(&x, "t_x",
                   "{\"rules\":[{\"port\":22,\"name\":\"SSH\"},{\"port\":80,\"name\":\"Web\"}],"
                   "\"acl\":\"private\",\"policy\":\"{\\\"S\\\":[{\\\"E\\\":\\\"Allow\\\"}]}\","
                   "\"s\":\"a,b,c\"}"));
    const char *expr =
        "any(filter(rules, r => r.port == 22), r => lower(r.name) == \"ssh\") and "
        "json(policy).S[0].E == \"Allow\" and matches(acl, \"^pri\") and "
        "len(split(s, \",\") + [1, 2]) == 5 and upper(acl) + \"!\" == \"PRIVATE!\" and "
        "cidr_is_public(\"8.8.8.8/32\") and port_in(\"22/22\", 22) and "
        "map(rules, r => r.port) == [22, 80] and string(1.5) == \"1.5\"";
    gdi_program *p = NULL;
    CHECK(gdi_program_compile(ctx, NULL, expr, strlen(expr), &env, &p) == GD_OK);
    gdi_eval *ev = NULL;
    CHECK(gdi_eval_new(ctx, &ev) == GD_OK);
    gdi_verdict v = GDI_V_ERROR;
    const char *why = NULL;
    if (p && ev) {
        CHECK(gdi_eval_run(ev, p, &x.r, NULL, &v, &why) == GD_OK);
        CHECK_MSG(v == GDI_V_PASS, "verdict %d: %s", v, why ? why : "-");
        size_t before = nallocs;
        CHECK(gdi_eval_run(ev, p, &x.r, NULL, &v, &why) == GD_OK);
        CHECK(v == GDI_V_PASS);
        CHECK_INTEQ(nallocs - before, 0);
        before = nallocs;
        for (int i = 0; i < 100; i++) gdi_eval_run(ev, p, &x.r, NULL, &v, &why);
        CHECK_INTEQ(nallocs - before, 0);
    }
    gdi_eval_free(ev);
    gdi_program_free(p);
    res_free(&x);
    ctx = save;
    gd_ctx_free(c2);
}

/* Out-of-memory at every allocation of compile and run: a clean GD_NOMEM
 * (or success), never a crash; the sanitizer build checks for leaks. */
static long fail_at = -1, nseen;
static void *failing_realloc(void *ud, void *p, size_t n)
{
    (void)ud;
    if (fail_at >= 0 && nseen++ >= fail_at) return NULL;
    return realloc(p, n);
}

static void test_oom(void)
{
    gd_allocator al = {failing_realloc, count_free, NULL};
    const char *expr = "matches(acl, \"^p\") and any(filter(rules, r => r.port == 22), "
                       "r => lower(r.name) == \"ssh\") and len(related(\"t_rule\", \"g\", acl)) == 0 "
                       "and json(policy).S[0].E == \"Allow\" and [1, acl] != [2]";
    bool done = false;
    int nomem = 0;
    for (long k = 0; k < 2000 && !done; k++) {
        gd_ctx *c2 = NULL;
        fail_at = -1;
        if (gd_ctx_new(&c2, &al) != GD_OK) break;
        gd_ctx *save = ctx;
        ctx = c2;
        res x;
        bool ok = res_make(&x, "t_x", "{\"rules\":[{\"port\":22,\"name\":\"SSH\"}],"
                                      "\"acl\":\"private\",\"policy\":\"{\\\"S\\\":[{\\\"E\\\":\\\"Allow\\\"}]}\"}");
        nseen = 0;
        fail_at = k;
        gdi_program *p = NULL;
        gdi_eval *ev = NULL;
        gd_status st = gdi_program_compile(ctx, NULL, expr, strlen(expr), &env, &p);
        if (st == GD_OK) st = gdi_eval_new(ctx, &ev);
        gdi_verdict v = GDI_V_ERROR;
        if (st == GD_OK) st = gdi_eval_run(ev, p, &x.r, NULL, &v, NULL);
        if (st == GD_NOMEM) nomem++;
        if (st != GD_OK && st != GD_NOMEM) {
            tap_checks++;
            tap_fail(__FILE__, __LINE__, "oom", "step %ld: status %s", k, gd_status_str(st));
        }
        if (st == GD_OK) {
            CHECK_MSG(v == GDI_V_PASS, "step %ld: verdict %s", k, vname(v));
            done = true;
        }
        fail_at = -1;
        gdi_eval_free(ev);
        gdi_program_free(p);
        if (ok) res_free(&x);
        ctx = save;
        gd_ctx_free(c2);
    }
    CHECK(done);
    CHECK(nomem > 5);
}

/* The listing: opcodes, operands with constants, file line:col per line. */
static void test_disasm(void)
{
    const char *expr = "acl not in [\"a\", \"b\"] and\n  any(xs, x => x > 1)";
    gdi_srcmap m = {"r.yaml", 7, 9, 8};
    gdi_program *p = NULL;
    gd_ctx_clear_diags(ctx);
    CHECK(gdi_program_compile(ctx, &m, expr, strlen(expr), &env, &p) == GD_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    gdi_program_disasm(p, f);
    fclose(f);
    CHECK(buf && strstr(buf, "ATTR     #0 \"acl\""));
    CHECK(buf && strstr(buf, "CONST    #1 [\"a\", \"b\"]"));
    CHECK(buf && strstr(buf, "NOTIN"));
    CHECK(buf && strstr(buf, "; 7:9"));
    CHECK(buf && strstr(buf, "QINIT    any $0 end"));
    CHECK(buf && strstr(buf, "; 8:11")); /* any( on line 2, col indent 8 + 3 */
    CHECK(buf && strstr(buf, "RET"));
    if (tap_failures) fputs(buf ? buf : "", stderr);
    free(buf);
    gdi_program_free(p);
}

/* What the join-use analysis reports: one line per call, "id:field" or
 * "id:*" for every attribute. */
static char uses_log[1024];

static gd_status join_use_cb(void *ud, uint32_t id, gd_str field, bool all)
{
    (void)ud;
    size_t n = strlen(uses_log);
    snprintf(uses_log + n, sizeof uses_log - n, "%u:%.*s;", (unsigned)id, all ? 1 : (int)field.n,
             all ? "*" : field.p);
    return GD_OK;
}

/* Compile expr with the analysis on and compare its reports with want. */
static void uses(int line, const char *expr, const char *want)
{
    static const gdi_compile_env uenv = {join_id_cb, NULL, join_use_cb};
    gdi_program *p = NULL;
    uses_log[0] = 0;
    njoins_tab = 0;
    gd_ctx_clear_diags(ctx);
    tap_checks++;
    if (gdi_program_compile(ctx, NULL, expr, strlen(expr), &uenv, &p) != GD_OK) {
        tap_fail(__FILE__, line, expr, "compile failed");
        dump_diags();
    } else if (strcmp(uses_log, want) != 0) {
        tap_fail(__FILE__, line, expr, "reported '%s', want '%s'", uses_log, want);
    }
    gdi_program_free(p);
}

static void test_join_uses(void)
{
    /* len() reads nothing; the lambda's parameter fields are reported */
    uses(__LINE__, "len(related(\"t_a\", \"k\", id)) > 0", "");
    uses(__LINE__, "any(related(\"t_a\", \"k\", id), x => x.acl == \"p\" and x[\"mode\"] != 1)",
         "0:acl;0:mode;");
    /* deeper paths keep the top-level attribute */
    uses(__LINE__, "all(related(\"t_a\", \"k\", id), v => v.cfg[0].status ?? \"\" == \"on\")",
         "0:cfg;");
    /* the parameter on its own, a computed index, filter, or a bare related() */
    uses(__LINE__, "any(related(\"t_a\", \"k\", id), x => len(x) > 1)", "0:*;");
    uses(__LINE__, "any(related(\"t_a\", \"k\", id), x => x[name] == 1)", "0:*;");
    uses(__LINE__, "len(filter(related(\"t_a\", \"k\", id), x => x.a)) > 0", "0:*;");
    uses(__LINE__, "related(\"t_a\", \"k\", id)[0].port == 443", "0:*;");
    uses(__LINE__, "map(related(\"t_a\", \"k\", id), x => x) == []", "0:*;");
    /* shadowing: an inner lambda or let of the same name is another value */
    uses(__LINE__, "any(related(\"t_a\", \"k\", id), x => any(xs, x => x > 1) and x.b)",
         "0:b;");
    uses(__LINE__, "any(related(\"t_a\", \"k\", id), x => let x = 3; x > 1)", "");
    /* nested joins: each call is analysed with its own parameter */
    uses(__LINE__,
         "any(related(\"t_a\", \"k\", id), g => any(related(\"t_b\", \"id\", g.sg), s => s.name == \"d\"))",
         "0:sg;1:name;");
}

int main(void)
{
    CHECK(gd_ctx_new(&ctx, NULL) == GD_OK);
    CHECK(gdi_eval_new(ctx, &E) == GD_OK);
    test_operators();
    test_paths();
    test_kleene();
    test_builtins();
    test_cidr();
    test_ports();
    test_quantifiers();
    test_related();
    test_join_uses();
    test_compile_errors();
    test_budget();
    test_no_alloc();
    test_oom();
    test_disasm();
    gdi_eval_free(E);
    gd_ctx_free(ctx);
    return tap_done();
}
