/* test_yaml.c — the YAML reader: scalar resolution, positions, aliases and
 * their limit, duplicate and merge keys, tags, errors with exact positions. */
#include "doc.h"
#include "tap.h"

#include <stdlib.h>
#include <time.h>

static gd_ctx *ctx;

/* Parse text into d (initialised here, named "t.yaml"). */
static gd_status parse(gdi_doc *d, const char *text)
{
    gd_ctx_clear_diags(ctx);
    gdi_doc_init(d, ctx, "t.yaml");
    return gdi_yaml_parse(d, text, strlen(text));
}

static const char *diag0(void)
{
    return gd_ctx_diag(ctx, 0, NULL);
}

static void test_scalars(void)
{
    static const struct {
        const char *in;
        gdi_type type;
        const char *text; /* number text or string bytes; NULL to skip */
    } tab[] = {
        {"~", GDI_NULL, NULL},
        {"null", GDI_NULL, NULL},
        {"Null", GDI_NULL, NULL},
        {"NULL", GDI_NULL, NULL},
        {"", GDI_NULL, NULL},
        {"nULL", GDI_STRING, "nULL"},
        {"true", GDI_TRUE, NULL},
        {"True", GDI_TRUE, NULL},
        {"TRUE", GDI_TRUE, NULL},
        {"false", GDI_FALSE, NULL},
        {"FALSE", GDI_FALSE, NULL},
        {"tRue", GDI_STRING, "tRue"},
        {"yes", GDI_STRING, "yes"},
        {"on", GDI_STRING, "on"},
        {"0", GDI_NUMBER, "0"},
        {"42", GDI_NUMBER, "42"},
        {"+1", GDI_NUMBER, "1"},
        {"-17", GDI_NUMBER, "-17"},
        {"007", GDI_NUMBER, "7"},
        {"0x1f", GDI_NUMBER, "31"},
        {"0xFF", GDI_NUMBER, "255"},
        {"0o17", GDI_NUMBER, "15"},
        {"0o18", GDI_STRING, "0o18"},
        {"0x", GDI_STRING, "0x"},
        {"0x1ffffffffffffffff", GDI_STRING, "0x1ffffffffffffffff"},
        {"123456789012345678901234567890", GDI_NUMBER, "123456789012345678901234567890"},
        {"1.5", GDI_NUMBER, "1.5"},
        {".5", GDI_NUMBER, "0.5"},
        {"-.5", GDI_NUMBER, "-0.5"},
        {"1.", GDI_NUMBER, "1.0"},
        {"+1.5e+3", GDI_NUMBER, "1.5e+3"},
        {"1e5", GDI_NUMBER, "1e5"},
        {"2E-2", GDI_NUMBER, "2E-2"},
        {"00.25", GDI_NUMBER, "0.25"},
        {"1e", GDI_STRING, "1e"},
        {".", GDI_STRING, "."},
        {"-x", GDI_STRING, "-x"},
        {"1.2.3", GDI_STRING, "1.2.3"},
        {".inf", GDI_STRING, ".inf"},
        {"-.Inf", GDI_STRING, "-.Inf"},
        {".nan", GDI_STRING, ".nan"},
        {"\"42\"", GDI_STRING, "42"},
        {"'true'", GDI_STRING, "true"},
        {"\"\"", GDI_STRING, ""},
        {"!!str 12", GDI_STRING, "12"},
        {"! 12", GDI_STRING, "12"},
        {"!!int \"12\"", GDI_NUMBER, "12"},
        {"!!float 3", GDI_NUMBER, "3"},
        {"!unknown", GDI_UNKNOWN, NULL},
        {"!unknown \"x\"", GDI_UNKNOWN, NULL},
        {"hello world", GDI_STRING, "hello world"},
        {"\"a\\tb\"", GDI_STRING, "a\tb"},
        {"中文", GDI_STRING, "中文"},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        char buf[128];
        snprintf(buf, sizeof buf, "v: %s\n", tab[i].in);
        gdi_doc d;
        gd_status st = parse(&d, buf);
        CHECK_MSG(st == GD_OK, "%s: status %d %s", tab[i].in, st, diag0() ? diag0() : "");
        const gdi_node *v = gdi_obj_getc(gdi_doc_root(&d), "v");
        CHECK_MSG(v && v->type == tab[i].type, "%s: type %d want %d", tab[i].in,
                  v ? v->type : -1, tab[i].type);
        if (v && tab[i].text) {
            CHECK_MSG(v->len == strlen(tab[i].text) && memcmp(v->str, tab[i].text, v->len) == 0,
                      "%s: text '%.*s' want '%s'", tab[i].in, (int)v->len, v->str, tab[i].text);
        }
        if (v && v->type == GDI_NUMBER) {
            bool integer = !strpbrk(tab[i].text, ".eE");
            CHECK_MSG(!!(v->flags & GDI_NF_INTEGER) == integer, "%s: integer flag", tab[i].in);
            CHECK_MSG(!!(v->flags & GDI_NF_NEGATIVE) == (tab[i].text[0] == '-'), "%s: neg flag",
                      tab[i].in);
        }
        gdi_doc_free(&d);
    }

    /* typed access works on converted numbers */
    gdi_doc d;
    CHECK(parse(&d, "a: 0x10\nb: -3\n") == GD_OK);
    int64_t x = 0;
    CHECK(gdi_num_i64(gdi_obj_getc(gdi_doc_root(&d), "a"), &x) && x == 16);
    CHECK(gdi_num_i64(gdi_obj_getc(gdi_doc_root(&d), "b"), &x) && x == -3);
    gdi_doc_free(&d);

    /* keys are always strings holding their text */
    CHECK(parse(&d, "1: a\ntrue: b\n~: c\n") == GD_OK);
    const gdi_node *r = gdi_doc_root(&d);
    CHECK(r && r->type == GDI_OBJECT && r->len == 3);
    CHECK(gdi_obj_getc(r, "1") && gdi_obj_getc(r, "true") && gdi_obj_getc(r, "~"));
    CHECK(r[1].type == GDI_STRING);
    gdi_doc_free(&d);
}

static void test_structure_positions(void)
{
    gdi_doc d;
    const char *y = "# comment\n"
                    "名前: 中文中文\n"
                    "list:\n"
                    "  - a\n"
                    "  - {k: [1, 2], z: x}\n"
                    "block: |\n"
                    "  line one\n"
                    "  line two\n"
                    "q: 'x'\n";
    CHECK(parse(&d, y) == GD_OK);
    const gdi_node *r = gdi_doc_root(&d);
    CHECK(r && r->type == GDI_OBJECT && r->len == 4);
    CHECK_INTEQ(r->skip, d.n);
    uint32_t l, c;
    const gdi_node *name = gdi_obj_getc(r, "名前");
    CHECK(name && name->type == GDI_STRING);
    gdi_doc_line_col(&d, name, &l, &c);
    CHECK_INTEQ(l, 2);
    CHECK_INTEQ(c, 9); /* byte column: "名前: " is 8 bytes */
    const gdi_node *list = gdi_obj_getc(r, "list");
    CHECK(list && list->type == GDI_ARRAY && list->len == 2);
    gdi_doc_line_col(&d, list, &l, &c);
    CHECK_INTEQ(l, 4);
    CHECK_INTEQ(c, 3);
    const gdi_node *o = gdi_arr_at(list, 1);
    CHECK(o && o->type == GDI_OBJECT && o->len == 2);
    const gdi_node *k = gdi_obj_getc(o, "k");
    CHECK(k && k->type == GDI_ARRAY && k->len == 2);
    const gdi_node *two = gdi_arr_at(k, 1);
    gdi_doc_line_col(&d, two, &l, &c);
    CHECK_INTEQ(l, 5);
    CHECK_INTEQ(c, 13);
    const gdi_node *z = gdi_obj_getc(o, "z");
    CHECK(z && z->len == 1 && z->str[0] == 'x');
    const gdi_node *b = gdi_obj_getc(r, "block");
    CHECK(b && b->type == GDI_STRING && b->aux == 4);
    CHECK(b && b->len == 18 && memcmp(b->str, "line one\nline two\n", 18) == 0);
    gdi_doc_line_col(&d, b, &l, &c);
    CHECK_INTEQ(l, 6);
    const gdi_node *q = gdi_obj_getc(r, "q");
    CHECK(q && q->aux == 2);
    gdi_doc_line_col(&d, q, &l, &c);
    CHECK_INTEQ(l, 9);
    CHECK_INTEQ(c, 4);
    gdi_doc_free(&d);

    /* CRLF line ends and a BOM do not shift positions */
    CHECK(parse(&d, "\xEF\xBB\xBF" "a: 1\r\nbb: 中\r\ncc: x\r\n") == GD_OK);
    const gdi_node *cc = gdi_obj_getc(gdi_doc_root(&d), "cc");
    CHECK(cc != NULL);
    gdi_doc_line_col(&d, cc, &l, &c);
    CHECK_INTEQ(l, 3);
    CHECK_INTEQ(c, 5);
    gdi_doc_free(&d);

    /* empty stream: empty doc; a bare document marker: null root */
    CHECK(parse(&d, "") == GD_OK);
    CHECK_INTEQ(d.n, 0);
    gdi_doc_free(&d);
    CHECK(parse(&d, "# only a comment\n") == GD_OK);
    CHECK_INTEQ(d.n, 0);
    gdi_doc_free(&d);
    CHECK(parse(&d, "---\n") == GD_OK);
    CHECK(d.n == 1 && d.nodes[0].type == GDI_NULL);
    gdi_doc_free(&d);
    CHECK(parse(&d, "--- 5\n...\n") == GD_OK);
    CHECK(d.n == 1 && d.nodes[0].type == GDI_NUMBER);
    gdi_doc_free(&d);
}

static void test_aliases(void)
{
    gdi_doc d;
    CHECK(parse(&d, "base: &b {x: 1, y: [a, b]}\n"
                    "copy: *b\n"
                    "s: &s hello\n"
                    "t: *s\n"
                    "*s : keyed\n") == GD_OK);
    const gdi_node *r = gdi_doc_root(&d);
    const gdi_node *cp = gdi_obj_getc(r, "copy");
    CHECK(cp && cp->type == GDI_OBJECT && cp->len == 2 && cp->skip == 7);
    CHECK(gdi_arr_at(gdi_obj_getc(cp, "y"), 1) && gdi_arr_at(gdi_obj_getc(cp, "y"), 1)->str[0] == 'b');
    uint32_t l, c;
    gdi_doc_line_col(&d, cp, &l, &c);
    CHECK_INTEQ(l, 2); /* the copy's root points at the alias */
    const gdi_node *t = gdi_obj_getc(r, "t");
    CHECK(t && t->type == GDI_STRING && t->len == 5);
    const gdi_node *kd = gdi_obj_getc(r, "hello");
    CHECK(kd && kd->len == 5 && memcmp(kd->str, "keyed", 5) == 0);
    CHECK_INTEQ(r->skip, d.n);
    gdi_doc_free(&d);

    /* redefinition: the latest anchor wins */
    CHECK(parse(&d, "a: &x 1\nb: &x 2\nc: *x\n") == GD_OK);
    CHECK(gdi_obj_getc(gdi_doc_root(&d), "c")->str[0] == '2');
    gdi_doc_free(&d);

    /* undefined alias and an alias inside its own anchor */
    CHECK(parse(&d, "a: *nope\n") == GD_SYNTAX);
    CHECK_STREQ(diag0(), "t.yaml:1:4: undefined alias *nope");
    CHECK_INTEQ(d.n, 0);
    gdi_doc_free(&d);
    CHECK(parse(&d, "a: &x [1, *x]\n") == GD_SYNTAX);
    CHECK_STREQ(diag0(), "t.yaml:1:11: alias *x refers to a node that contains it");
    gdi_doc_free(&d);

    /* billion laughs: must stop at the alias budget, quickly */
    const char *bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                       "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                       "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                       "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                       "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                       "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
                       "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
                       "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n"
                       "j: &j [*i, *i, *i, *i, *i, *i, *i, *i, *i]\n";
    clock_t t0 = clock();
    CHECK(parse(&d, bomb) == GD_LIMIT);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK_MSG(secs < 2.0, "bomb took %.2fs", secs);
    CHECK(diag0() && strstr(diag0(), "--max-yaml-expansion") != NULL);
    CHECK(diag0() && strncmp(diag0(), "t.yaml:7:", 9) == 0);
    CHECK_INTEQ(d.n, 0);
    gdi_doc_free(&d);

    /* a lower limit applies */
    gd_ctx_set_limit(ctx, GD_LIMIT_YAML_ALIAS, 10);
    CHECK(parse(&d, "a: &a [1, 2, 3]\nb: [*a, *a]\n") == GD_OK); /* 8 nodes */
    gdi_doc_free(&d);
    CHECK(parse(&d, "a: &a [1, 2, 3]\nb: [*a, *a, *a]\n") == GD_LIMIT); /* 12 nodes */
    CHECK_STREQ(diag0(), "t.yaml:2:13: yaml aliases expand to more than 10 nodes "
                         "(raise with --max-yaml-expansion)");
    gdi_doc_free(&d);
    gd_ctx_set_limit(ctx, GD_LIMIT_YAML_ALIAS, 0);
}

static void test_keys(void)
{
    gdi_doc d;
    CHECK(parse(&d, "a: 1\nb: 2\na: 3\nc:\n  x: 1\n  x: 2\n") == GD_SYNTAX);
    CHECK_INTEQ(gd_ctx_diag_count(ctx), 2);
    /* the inner mapping closes first */
    CHECK_STREQ(gd_ctx_diag(ctx, 0, NULL), "t.yaml:6:3: duplicate key 'x'");
    CHECK_STREQ(gd_ctx_diag(ctx, 1, NULL), "t.yaml:3:1: duplicate key 'a'");
    CHECK_INTEQ(d.n, 0);
    gdi_doc_free(&d);

    /* the same text quoted and plain is the same key */
    CHECK(parse(&d, "{\"k\": 1, k: 2}") == GD_SYNTAX);
    CHECK_STREQ(diag0(), "t.yaml:1:10: duplicate key 'k'");
    gdi_doc_free(&d);

    CHECK(parse(&d, "base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n") == GD_SYNTAX);
    CHECK_STREQ(diag0(),
                "t.yaml:3:3: merge keys (<<) are not supported; write the keys out or use an alias");
    gdi_doc_free(&d);
    CHECK(parse(&d, "\"<<\": 1\n") == GD_OK);
    gdi_doc_free(&d);

    CHECK(parse(&d, "? [a, b]\n: 1\n") == GD_SYNTAX);
    CHECK_STREQ(diag0(), "t.yaml:1:3: mapping keys must be scalars");
    gdi_doc_free(&d);
    CHECK(parse(&d, "{a: 1}: 2\n") == GD_SYNTAX);
    CHECK_STREQ(diag0(), "t.yaml:1:1: mapping keys must be scalars");
    gdi_doc_free(&d);
}

static void test_errors(void)
{
    gdi_doc d;
    CHECK(parse(&d, "k: [a, b\n") == GD_SYNTAX);
    CHECK_STREQ(diag0(), "t.yaml:2:1: did not find expected ',' or ']' while parsing a flow "
                         "sequence (started at line 1)");
    gdi_doc_free(&d);

    CHECK(parse(&d, "a: 1\n b: 2\n") == GD_SYNTAX);
    CHECK_STREQ(diag0(), "t.yaml:2:3: mapping values are not allowed in this context");
    gdi_doc_free(&d);

    CHECK(parse(&d, "a: 1\n---\nb: 2\n") == GD_SYNTAX);
    CHECK_STREQ(diag0(), "t.yaml:2:1: only one yaml document is allowed in a file");
    CHECK_INTEQ(d.n, 0);
    gdi_doc_free(&d);

    /* invalid UTF-8, with the byte position */
    CHECK(parse(&d, "a: b\nc: \xff\n") == GD_SYNTAX);
    CHECK_STREQ(diag0(), "t.yaml:2:4: invalid leading UTF-8 octet (byte 0xff)");
    gdi_doc_free(&d);
    CHECK(parse(&d, "a: \xe4\xb8\n") == GD_SYNTAX);
    CHECK_STREQ(diag0(), "t.yaml:1:6: invalid trailing UTF-8 octet (byte 0x0a)");
    gdi_doc_free(&d);

    /* tags */
    CHECK(parse(&d, "a: !secret x\nb: !!int abc\nc: !foo [1]\n") == GD_SYNTAX);
    CHECK_INTEQ(gd_ctx_diag_count(ctx), 3);
    CHECK_STREQ(gd_ctx_diag(ctx, 0, NULL), "t.yaml:1:4: unsupported tag '!secret'");
    CHECK_STREQ(gd_ctx_diag(ctx, 1, NULL),
                "t.yaml:2:4: value 'abc' does not match its tag 'tag:yaml.org,2002:int'");
    CHECK_STREQ(gd_ctx_diag(ctx, 2, NULL), "t.yaml:3:4: unsupported tag '!foo' on a sequence");
    gdi_doc_free(&d);

    /* YAML 1.2: a flow indicator ends a tag, even where libyaml disagrees;
     * positions after the repaired places stay exact */
    CHECK(parse(&d, "a: {acl: !unknown}\nb: [!unknown, 1, !unknown]\nc: {x: !unknown,y: 2}\n"
                    "d: [1, 2, 3\n") == GD_SYNTAX);
    CHECK_INTEQ(gd_ctx_diag_count(ctx), 1);
    CHECK_STREQ(diag0(), "t.yaml:5:1: did not find expected ',' or ']' while parsing a flow "
                         "sequence (started at line 4)");
    gdi_doc_free(&d);
    CHECK(parse(&d, "a: {acl: !unknown}\nb: [!unknown, 1, !unknown]\nc: {x: !unknown,y: 2}\n"
                    "d: {k: [1, 1]}\nd: 5\n") == GD_SYNTAX);
    CHECK_INTEQ(gd_ctx_diag_count(ctx), 1);
    CHECK_STREQ(diag0(), "t.yaml:5:1: duplicate key 'd'");
    gdi_doc_free(&d);
    CHECK(parse(&d, "a: {acl: !unknown}\nb: [!unknown, 1, !unknown]\nc: {x: !unknown,y: 2}\n"
                    "d: {k: [1, 中]}\n") == GD_OK);
    {
        const gdi_node *r = gdi_doc_root(&d);
        CHECK(gdi_obj_getc(gdi_obj_getc(r, "a"), "acl")->type == GDI_UNKNOWN);
        const gdi_node *b = gdi_obj_getc(r, "b");
        CHECK(b && b->len == 3 && gdi_arr_at(b, 2)->type == GDI_UNKNOWN);
        CHECK(gdi_obj_getc(gdi_obj_getc(r, "c"), "y") != NULL);
        const gdi_node *k = gdi_obj_getc(gdi_obj_getc(r, "d"), "k");
        uint32_t l, c;
        gdi_doc_line_col(&d, gdi_arr_at(k, 1), &l, &c);
        CHECK_INTEQ(l, 4);
        CHECK_INTEQ(c, 12);
        gdi_doc_line_col(&d, gdi_arr_at(b, 2), &l, &c);
        CHECK_INTEQ(l, 2);
        CHECK_INTEQ(c, 18);
    }
    gdi_doc_free(&d);
    /* other tags: libyaml's reading stands, with a hint */
    CHECK(parse(&d, "a: {x: !!str}\n") == GD_SYNTAX);
    CHECK_STREQ(diag0(), "t.yaml:1:13: did not find expected whitespace or line break while "
                         "scanning a tag (inside [] or {} put a space after a tag: "
                         "`{a: !unknown }`)");
    gdi_doc_free(&d);

    /* depth limit */
    gd_ctx_set_limit(ctx, GD_LIMIT_DEPTH, 4);
    CHECK(parse(&d, "[[[[1]]]]") == GD_OK);
    gdi_doc_free(&d);
    CHECK(parse(&d, "[[[[[1]]]]]") == GD_LIMIT);
    CHECK_STREQ(diag0(), "t.yaml:1:5: nesting deeper than 4 levels (raise with --max-depth)");
    gdi_doc_free(&d);
    /* aliases cannot be used to nest past the limit */
    CHECK(parse(&d, "a: &a [[1]]\nb: [[*a]]\n") == GD_LIMIT);
    CHECK(diag0() && strstr(diag0(), "--max-depth") != NULL);
    gdi_doc_free(&d);
    gd_ctx_set_limit(ctx, GD_LIMIT_DEPTH, 0);

    /* string limit */
    gd_ctx_set_limit(ctx, GD_LIMIT_STRING, 5);
    CHECK(parse(&d, "a: abcde\n") == GD_OK);
    gdi_doc_free(&d);
    CHECK(parse(&d, "a: abcdef\n") == GD_LIMIT);
    CHECK_STREQ(diag0(), "t.yaml:1:4: string longer than 5 bytes (raise with --max-string)");
    gdi_doc_free(&d);
    gd_ctx_set_limit(ctx, GD_LIMIT_STRING, 0);

    /* line_base shifts reported lines (a YAML slice of a bigger file) */
    gd_ctx_clear_diags(ctx);
    gdi_doc_init(&d, ctx, "big.md");
    d.line_base = 10;
    const char *y = "a: 1\na: 2\n";
    CHECK(gdi_yaml_parse(&d, y, strlen(y)) == GD_SYNTAX);
    CHECK_STREQ(diag0(), "big.md:11:1: duplicate key 'a'");
    gdi_doc_free(&d);

    /* not NUL-terminated input */
    char buf[8];
    memcpy(buf, "a: 12345", 8);
    gd_ctx_clear_diags(ctx);
    gdi_doc_init(&d, ctx, "t.yaml");
    CHECK(gdi_yaml_parse(&d, buf, 5) == GD_OK);
    const gdi_node *a = gdi_obj_getc(gdi_doc_root(&d), "a");
    CHECK(a && a->type == GDI_NUMBER && a->len == 2);
    gdi_doc_free(&d);
}

/* --- out-of-memory injection: fail the n-th allocation */
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
    const char *y = "a: &x {k: [1, 2, \"three\"], z: 0x10}\nb: *x\nc: [*x, *x]\nd: |\n  text\n";
    gd_allocator al = {fail_realloc, count_free, NULL};
    bool ok = false;
    for (long n = 0; n < 200 && !ok; n++) {
        gd_ctx *c;
        alloc_budget = -1;
        live = 0;
        if (gd_ctx_new(&c, &al) != GD_OK) continue;
        gdi_doc d;
        gdi_doc_init(&d, c, "t.yaml");
        alloc_budget = n;
        gd_status st = gdi_yaml_parse(&d, y, strlen(y));
        alloc_budget = -1;
        CHECK_MSG(st == GD_OK || st == GD_NOMEM, "budget %ld: status %d", n, st);
        if (st == GD_OK) {
            ok = true;
            CHECK(gdi_obj_getc(gdi_doc_root(&d), "c") != NULL);
        } else {
            CHECK_INTEQ(d.n, 0);
        }
        gdi_doc_free(&d);
        gd_ctx_free(c);
        CHECK_MSG(live == 0, "budget %ld: %ld allocations leaked", n, live);
    }
    CHECK(ok);
}

int main(void)
{
    if (gd_ctx_new(&ctx, NULL) != GD_OK) return 1;
    test_scalars();
    test_structure_positions();
    test_aliases();
    test_keys();
    test_errors();
    test_nomem();
    gd_ctx_free(ctx);
    return tap_done();
}
