/*
 * test_json.c — the strict JSON reader (src/json.c): tape layout, errors
 * with exact line:col, escapes, UTF-8 validation, numbers, duplicate keys,
 * limits, doc reuse without allocation, the structural skippers, and a
 * randomized round trip. The whole suite runs twice: against the library
 * (SSE2 on x86-64) and against a second copy of json.c compiled here with
 * GDI_JSON_NO_SIMD, so the portable fallback is checked the same way.
 */
#include "doc.h"
#include "tap.h"

#include <stdlib.h>

/* The portable build of the reader, renamed so it links beside the library. */
#define GDI_JSON_NO_SIMD 1
#define gdi_json_parse portable_json_parse
#define gdi_json_extent portable_json_extent
#define gdi_json_array_next portable_json_array_next
#define gdi_json_object_next portable_json_object_next
gd_status portable_json_parse(gdi_doc *d, const char *text, size_t len);
gd_status portable_json_extent(const char *text, size_t len, size_t *start, size_t *end);
#include "../../src/json.c"
#undef gdi_json_parse
#undef gdi_json_extent
#undef gdi_json_array_next
#undef gdi_json_object_next

gd_status gdi_json_parse(gdi_doc *d, const char *text, size_t len);
gd_status gdi_json_extent(const char *text, size_t len, size_t *start, size_t *end);
gd_status gdi_json_array_next(const char *text, size_t len, bool first, size_t *start,
                              size_t *end);
gd_status gdi_json_object_next(const char *text, size_t len, bool first, size_t *key_start,
                               size_t *key_end, size_t *val_start, size_t *val_end);

typedef gd_status (*parse_fn)(gdi_doc *, const char *, size_t);
typedef gd_status (*extent_fn)(const char *, size_t, size_t *, size_t *);
static parse_fn PARSE = gdi_json_parse;
static extent_fn EXTENT = gdi_json_extent;
static const char *IMPL = "simd";

/* ------------------------------------------------ counting allocator */

static size_t n_allocs, n_live;

static void *count_realloc(void *ud, void *p, size_t n)
{
    (void)ud;
    n_allocs++;
    if (!p) n_live++;
    return realloc(p, n);
}

static void count_free(void *ud, void *p)
{
    (void)ud;
    if (p) n_live--;
    free(p);
}

static gd_ctx *new_ctx(void)
{
    static const gd_allocator a = {count_realloc, count_free, NULL};
    gd_ctx *ctx = NULL;
    gd_ctx_new(&ctx, &a);
    return ctx;
}

/* ------------------------------------------------------------ helpers */

/* Parse s (length n) in a fresh doc named t.json; returns status and keeps
 * the doc in *d (caller frees). */
static gd_status parse_n(gd_ctx *ctx, gdi_doc *d, const char *s, size_t n)
{
    gdi_doc_init(d, ctx, "t.json");
    return PARSE(d, s, n);
}

/* Expect s to fail with status st and exactly the diagnostic want. */
static void expect_err_n(const char *s, size_t n, gd_status st, const char *want, int line)
{
    gd_ctx *ctx = new_ctx();
    gdi_doc d;
    gd_status got = parse_n(ctx, &d, s, n);
    CHECK_MSG(got == st, "[%s] line %d: status %d, want %d", IMPL, line, (int)got, (int)st);
    CHECK_MSG(d.n == 0, "[%s] line %d: doc not empty after error", IMPL, line);
    CHECK_MSG(gd_ctx_diag_count(ctx) == 1, "[%s] line %d: %zu diagnostics", IMPL, line,
              gd_ctx_diag_count(ctx));
    const char *m = gd_ctx_diag(ctx, 0, NULL);
    CHECK_MSG(m && strcmp(m, want) == 0, "[%s] line %d: got \"%s\", want \"%s\"", IMPL, line,
              m ? m : "(none)", want);
    gdi_doc_free(&d);
    gd_ctx_free(ctx);
}
#define EXPECT_ERR(s, st, want) expect_err_n((s), sizeof(s) - 1, (st), (want), __LINE__)

/* Parse s, which must succeed; re-emit compact JSON and compare to want. */
static void expect_json_n(const char *s, size_t n, const char *want, int line)
{
    gd_ctx *ctx = new_ctx();
    gdi_doc d;
    gd_status st = parse_n(ctx, &d, s, n);
    CHECK_MSG(st == GD_OK, "[%s] line %d: status %d (%s)", IMPL, line, (int)st,
              gd_ctx_diag_count(ctx) ? gd_ctx_diag(ctx, 0, NULL) : "");
    if (st == GD_OK) {
        gdi_buf b;
        gdi_buf_init(&b, ctx);
        gdi_node_to_json(&b, gdi_doc_root(&d));
        CHECK_MSG(strcmp(gdi_buf_cstr(&b), want) == 0, "[%s] line %d: got %s, want %s", IMPL,
                  line, gdi_buf_cstr(&b), want);
        CHECK_MSG(d.nodes[0].skip == d.n, "[%s] line %d: root skip", IMPL, line);
        gdi_buf_free(&b);
    }
    gdi_doc_free(&d);
    gd_ctx_free(ctx);
}
#define EXPECT_JSON(s, want) expect_json_n((s), sizeof(s) - 1, (want), __LINE__)
#define EXPECT_OK(s) expect_json_n((s), sizeof(s) - 1, NULL, __LINE__)

static bool node_is(const gdi_node *n, gdi_type t, const char *str)
{
    if (n->type != t) return false;
    if (!str) return true;
    return n->len == strlen(str) && memcmp(n->str, str, n->len) == 0;
}

/* -------------------------------------------------------------- tests */

static void test_tape(void)
{
    gd_ctx *ctx = new_ctx();
    gdi_doc d;
    /*                  0         1         2         3
     *                  01234567890123456789012345678901234 */
    const char *s = "{\"a\": [1, 2, {\"b\": null}], \"c\": \"x\"}";
    CHECK(parse_n(ctx, &d, s, strlen(s)) == GD_OK);
    CHECK_INTEQ(d.n, 10);
    const gdi_node *t = d.nodes;
    static const struct {
        gdi_type type;
        uint32_t len, skip, pos;
    } want[10] = {
        {GDI_OBJECT, 2, 10, 0}, {GDI_STRING, 1, 1, 1},  {GDI_ARRAY, 3, 6, 6},
        {GDI_NUMBER, 1, 1, 7},  {GDI_NUMBER, 1, 1, 10}, {GDI_OBJECT, 1, 3, 13},
        {GDI_STRING, 1, 1, 14}, {GDI_NULL, 0, 1, 19},   {GDI_STRING, 1, 1, 27},
        {GDI_STRING, 1, 1, 32},
    };
    for (int i = 0; i < 10 && i < (int)d.n; i++) {
        CHECK_MSG(t[i].type == want[i].type, "[%s] node %d type %d", IMPL, i, t[i].type);
        CHECK_MSG(t[i].len == want[i].len, "[%s] node %d len %u", IMPL, i, t[i].len);
        CHECK_MSG(t[i].skip == want[i].skip, "[%s] node %d skip %u", IMPL, i, t[i].skip);
        CHECK_MSG(t[i].pos == want[i].pos, "[%s] node %d pos %u", IMPL, i, t[i].pos);
    }
    CHECK(t[1].str == s + 2);  /* unescaped strings are borrowed from the text */
    CHECK(t[9].str == s + 33);
    CHECK(t[3].str == s + 7 && (t[3].flags & GDI_NF_INTEGER));
    CHECK(d.src == s && d.src_len == strlen(s));
    const gdi_node *c = gdi_obj_getc(gdi_doc_root(&d), "c");
    CHECK(c && node_is(c, GDI_STRING, "x"));
    const gdi_node *a = gdi_obj_getc(gdi_doc_root(&d), "a");
    CHECK(a && a->type == GDI_ARRAY && node_is(gdi_arr_at(a, 1), GDI_NUMBER, "2"));
    CHECK(gdi_obj_getc(gdi_arr_at(a, 2), "b")->type == GDI_NULL);
    uint32_t line, col;
    gdi_doc_line_col(&d, &t[9], &line, &col);
    CHECK(line == 1 && col == 33);
    gdi_doc_free(&d);

    /* positions on later lines, empty containers, literals */
    s = "[\n  {},\n  [],\n  true, false,\n  \"\"\n]\n";
    CHECK(parse_n(ctx, &d, s, strlen(s)) == GD_OK);
    CHECK_INTEQ(d.n, 6);
    CHECK(d.nodes[0].len == 5 && d.nodes[0].skip == 6);
    CHECK(d.nodes[1].type == GDI_OBJECT && d.nodes[1].len == 0 && d.nodes[1].skip == 1);
    CHECK(d.nodes[2].type == GDI_ARRAY && d.nodes[2].len == 0 && d.nodes[2].skip == 1);
    CHECK(d.nodes[3].type == GDI_TRUE && d.nodes[4].type == GDI_FALSE);
    CHECK(d.nodes[5].type == GDI_STRING && d.nodes[5].len == 0);
    gdi_doc_line_col(&d, &d.nodes[4], &line, &col);
    CHECK(line == 4 && col == 9);
    gdi_doc_free(&d);

    /* top-level scalars with surrounding whitespace */
    EXPECT_JSON(" \t\r\n 12 \n", "12");
    EXPECT_JSON("null", "null");
    EXPECT_JSON("\"s\"", "\"s\"");
    EXPECT_JSON("[[[]],{\"\":{}}]", "[[[]],{\"\":{}}]");
    EXPECT_JSON("{ \"k\" : [ 1 , 2 ] , \"l\" : { } }", "{\"k\":[1,2],\"l\":{}}");
    /* a long indentation run crosses the 16-byte fast path */
    EXPECT_JSON("[\n                                        1,\n\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t2]",
                "[1,2]");
    gd_ctx_free(ctx);
}

static void test_numbers(void)
{
    gd_ctx *ctx = new_ctx();
    gdi_doc d;
    static const struct {
        const char *text;
        uint8_t flags;
    } ok[] = {
        {"0", GDI_NF_INTEGER},
        {"-0", GDI_NF_INTEGER | GDI_NF_NEGATIVE},
        {"7", GDI_NF_INTEGER},
        {"-12", GDI_NF_INTEGER | GDI_NF_NEGATIVE},
        {"0.5", 0},
        {"-0.0", GDI_NF_NEGATIVE},
        {"1e5", 0},
        {"1E+05", 0},
        {"2.5e-3", 0},
        {"-9223372036854775808", GDI_NF_INTEGER | GDI_NF_NEGATIVE},
        {"123456789012345678901234567890", GDI_NF_INTEGER},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        gd_status st = parse_n(ctx, &d, ok[i].text, strlen(ok[i].text));
        CHECK_MSG(st == GD_OK, "[%s] %s", IMPL, ok[i].text);
        if (st == GD_OK) {
            CHECK_MSG(node_is(&d.nodes[0], GDI_NUMBER, ok[i].text), "[%s] text %s", IMPL,
                      ok[i].text);
            CHECK_MSG(d.nodes[0].flags == ok[i].flags, "[%s] flags of %s: %u", IMPL, ok[i].text,
                      d.nodes[0].flags);
            CHECK(d.nodes[0].str == ok[i].text);
        }
        gdi_doc_free(&d);
    }
    /* a big integer stays exact text and does not fit int64 */
    const char *big = "{\"n\": 123456789012345678901234567890}";
    CHECK(parse_n(ctx, &d, big, strlen(big)) == GD_OK);
    const gdi_node *n = gdi_obj_getc(gdi_doc_root(&d), "n");
    int64_t v = 0;
    CHECK(n && node_is(n, GDI_NUMBER, "123456789012345678901234567890"));
    CHECK(n && !gdi_num_i64(n, &v));
    gdi_doc_free(&d);
    const char *m = "[-9223372036854775808, 1.5]";
    CHECK(parse_n(ctx, &d, m, strlen(m)) == GD_OK);
    CHECK(gdi_num_i64(&d.nodes[1], &v) && v == INT64_MIN);
    CHECK(!gdi_num_i64(&d.nodes[2], &v) && gdi_num_f64(&d.nodes[2]) == 1.5);
    gdi_doc_free(&d);
    /* numbers directly followed by delimiters */
    EXPECT_JSON("[0,-1,2.0e1]", "[0,-1,2.0e1]");
    EXPECT_JSON("{\"a\":-0}", "{\"a\":-0}");
    gd_ctx_free(ctx);
}

static void test_errors(void)
{
    EXPECT_ERR("", GD_SYNTAX, "t.json:1:1: empty input");
    EXPECT_ERR("  \n\t ", GD_SYNTAX, "t.json:1:1: empty input");
    EXPECT_ERR("\xEF\xBB\xBF", GD_SYNTAX, "t.json:1:1: empty input");
    EXPECT_ERR("\"abc", GD_SYNTAX, "t.json:1:5: unexpected end of input in string");
    EXPECT_ERR("[\"ab\\", GD_SYNTAX, "t.json:1:6: unexpected end of input in string");
    EXPECT_ERR("\"a\\\"b", GD_SYNTAX, "t.json:1:6: unexpected end of input in string");
    EXPECT_ERR("\"a\\qb\"", GD_SYNTAX, "t.json:1:3: invalid escape '\\q'");
    EXPECT_ERR("\"a\\\x01\"", GD_SYNTAX,
               "t.json:1:3: invalid escape: '\\' followed by byte 0x01");
    EXPECT_ERR("\"a\xff\"", GD_SYNTAX, "t.json:1:3: invalid UTF-8 byte 0xff in string");
    EXPECT_ERR("\"a\nb\"", GD_SYNTAX, "t.json:1:3: unescaped control character 0x0a in string");
    EXPECT_ERR("\"a\tb\"", GD_SYNTAX, "t.json:1:3: unescaped control character 0x09 in string");
    EXPECT_ERR("\"a\\n\x1f\"", GD_SYNTAX,
               "t.json:1:5: unescaped control character 0x1f in string");
    EXPECT_ERR("\"\\u12\"", GD_SYNTAX, "t.json:1:2: invalid \\u escape: expected four hex digits");
    EXPECT_ERR("\"\\u12g4\"", GD_SYNTAX,
               "t.json:1:2: invalid \\u escape: expected four hex digits");
    EXPECT_ERR("\"\\u12", GD_SYNTAX, "t.json:1:6: unexpected end of input in string");
    EXPECT_ERR("\"x\\ud800\"", GD_SYNTAX, "t.json:1:3: lone surrogate '\\ud800' in string");
    EXPECT_ERR("\"\\udc00\"", GD_SYNTAX, "t.json:1:2: lone surrogate '\\udc00' in string");
    EXPECT_ERR("\"\\ud800\\u0041\"", GD_SYNTAX, "t.json:1:2: lone surrogate '\\ud800' in string");
    EXPECT_ERR("\"\\ud800\\ud800\"", GD_SYNTAX, "t.json:1:2: lone surrogate '\\ud800' in string");
    EXPECT_ERR("{\"a\":1 \"b\":2}", GD_SYNTAX,
               "t.json:1:8: expected ',' or '}' after object member");
    EXPECT_ERR("{\"a\":1]", GD_SYNTAX, "t.json:1:7: expected ',' or '}' after object member");
    EXPECT_ERR("[1 2]", GD_SYNTAX, "t.json:1:4: expected ',' or ']' after array element");
    EXPECT_ERR("[1}", GD_SYNTAX, "t.json:1:3: expected ',' or ']' after array element");
    EXPECT_ERR("[1,]", GD_SYNTAX, "t.json:1:4: trailing comma before ']'");
    EXPECT_ERR("[1,\n  ]", GD_SYNTAX, "t.json:2:3: trailing comma before ']'");
    EXPECT_ERR("{\"a\":1,}", GD_SYNTAX, "t.json:1:8: trailing comma before '}'");
    EXPECT_ERR("[,1]", GD_SYNTAX, "t.json:1:2: expected a value");
    EXPECT_ERR("{\"a\" 1}", GD_SYNTAX, "t.json:1:6: expected ':' after object key");
    EXPECT_ERR("{1:2}", GD_SYNTAX, "t.json:1:2: expected '\"' to start an object key");
    EXPECT_ERR("{\"a\":}", GD_SYNTAX, "t.json:1:6: expected a value");
    EXPECT_ERR("{'a':1}", GD_SYNTAX, "t.json:1:2: single-quoted strings are not allowed");
    EXPECT_ERR("['a']", GD_SYNTAX, "t.json:1:2: single-quoted strings are not allowed");
    EXPECT_ERR("// c\n1", GD_SYNTAX, "t.json:1:1: comments are not allowed");
    EXPECT_ERR("[1] // c", GD_SYNTAX, "t.json:1:5: comments are not allowed");
    EXPECT_ERR("[1, /* c */ 2]", GD_SYNTAX, "t.json:1:5: comments are not allowed");
    EXPECT_ERR("NaN", GD_SYNTAX, "t.json:1:1: NaN and Infinity are not allowed");
    EXPECT_ERR("[Infinity]", GD_SYNTAX, "t.json:1:2: NaN and Infinity are not allowed");
    EXPECT_ERR("-Infinity", GD_SYNTAX, "t.json:1:1: NaN and Infinity are not allowed");
    EXPECT_ERR("01", GD_SYNTAX, "t.json:1:1: leading zeros are not allowed");
    EXPECT_ERR("[-007]", GD_SYNTAX, "t.json:1:3: leading zeros are not allowed");
    EXPECT_ERR("+1", GD_SYNTAX, "t.json:1:1: numbers must not start with '+'");
    EXPECT_ERR(".5", GD_SYNTAX, "t.json:1:1: numbers must start with a digit");
    EXPECT_ERR("1.", GD_SYNTAX, "t.json:1:3: expected a digit after '.'");
    EXPECT_ERR("1.e3", GD_SYNTAX, "t.json:1:3: expected a digit after '.'");
    EXPECT_ERR("1e", GD_SYNTAX, "t.json:1:3: expected a digit in the exponent");
    EXPECT_ERR("1e+", GD_SYNTAX, "t.json:1:4: expected a digit in the exponent");
    EXPECT_ERR("-", GD_SYNTAX, "t.json:1:2: expected a digit after '-'");
    EXPECT_ERR("-x", GD_SYNTAX, "t.json:1:2: expected a digit after '-'");
    EXPECT_ERR("tru", GD_SYNTAX, "t.json:1:4: unexpected end of input in 'true'");
    EXPECT_ERR("[nul", GD_SYNTAX, "t.json:1:5: unexpected end of input in 'null'");
    EXPECT_ERR("trux", GD_SYNTAX, "t.json:1:1: invalid literal 'trux', expected 'true'");
    EXPECT_ERR("[fals]", GD_SYNTAX, "t.json:1:2: invalid literal 'fals', expected 'false'");
    EXPECT_ERR("True", GD_SYNTAX, "t.json:1:1: expected a value");
    EXPECT_ERR("\x01", GD_SYNTAX, "t.json:1:1: expected a value");
    EXPECT_ERR("]", GD_SYNTAX, "t.json:1:1: expected a value");
    EXPECT_ERR("1 2", GD_SYNTAX, "t.json:1:3: trailing characters after the JSON value");
    EXPECT_ERR("{} x", GD_SYNTAX, "t.json:1:4: trailing characters after the JSON value");
    EXPECT_ERR("[1]]", GD_SYNTAX, "t.json:1:4: trailing characters after the JSON value");
    EXPECT_ERR("truex", GD_SYNTAX, "t.json:1:5: trailing characters after the JSON value");
    EXPECT_ERR("1\x00", GD_SYNTAX, "t.json:1:2: trailing characters after the JSON value");
    EXPECT_ERR("[", GD_SYNTAX, "t.json:1:2: unexpected end of input in array");
    EXPECT_ERR("[1", GD_SYNTAX, "t.json:1:3: unexpected end of input in array");
    EXPECT_ERR("[1,", GD_SYNTAX, "t.json:1:4: unexpected end of input in array");
    EXPECT_ERR("[1, ", GD_SYNTAX, "t.json:1:5: unexpected end of input in array");
    EXPECT_ERR("{", GD_SYNTAX, "t.json:1:2: unexpected end of input in object");
    EXPECT_ERR("{\"a\"", GD_SYNTAX, "t.json:1:5: unexpected end of input in object");
    EXPECT_ERR("{\"a\":", GD_SYNTAX, "t.json:1:6: unexpected end of input in object");
    EXPECT_ERR("{\"a\":1", GD_SYNTAX, "t.json:1:7: unexpected end of input in object");
    EXPECT_ERR("{\"a\":1,", GD_SYNTAX, "t.json:1:8: unexpected end of input in object");
    EXPECT_ERR("{\"a\":[{}", GD_SYNTAX, "t.json:1:9: unexpected end of input in array");
    EXPECT_ERR("{\n  \"a\": 1,\n  \"b\": tru\n}", GD_SYNTAX,
               "t.json:3:8: invalid literal 'tru', expected 'true'");
    EXPECT_ERR("\xEF\xBB\xBF[1,]", GD_SYNTAX, "t.json:1:7: trailing comma before ']'");
    EXPECT_ERR("[1]\xEF\xBB\xBF", GD_SYNTAX,
               "t.json:1:4: trailing characters after the JSON value");

    /* line_base shifts the line of slices; the name comes from the doc */
    gd_ctx *ctx = new_ctx();
    gdi_doc d;
    gdi_doc_init(&d, ctx, "state.json");
    d.line_base = 100;
    CHECK(PARSE(&d, "\n\n  [1,]", 8) == GD_SYNTAX);
    CHECK_STREQ(gd_ctx_diag(ctx, 0, NULL), "state.json:102:6: trailing comma before ']'");
    gdi_doc_free(&d);
    /* misuse: a doc that already holds nodes */
    gdi_doc_init(&d, ctx, "x");
    CHECK(PARSE(&d, "1", 1) == GD_OK);
    CHECK(PARSE(&d, "2", 1) == GD_MISUSE);
    CHECK(PARSE(NULL, "2", 1) == GD_MISUSE);
    gdi_doc_free(&d);
    gd_ctx_free(ctx);
    CHECK_INTEQ(n_live, 0);
}

static void test_escapes(void)
{
    gd_ctx *ctx = new_ctx();
    gdi_doc d;
    static const struct {
        const char *in, *out;
        size_t outlen;
    } t[] = {
        {"\"a\\nb\"", "a\nb", 3},
        {"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t", 8},
        {"\"\\u0041\\u00e9\\u4E2D\"", "A\xC3\xA9\xE4\xB8\xAD", 6},
        {"\"\\ud83d\\ude00!\"", "\xF0\x9F\x98\x80!", 5},
        {"\"\\uDBFF\\uDFFF\"", "\xF4\x8F\xBF\xBF", 4},
        {"\"\\u0000x\"", "\0x", 2},
        {"\"\\u007f\\u0080\\u07ff\\u0800\\uffff\"",
         "\x7f\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF", 11},
        {"\"plain prefix that is long enough for simd \\t then more plain text \xE4\xB8\xAD\"",
         "plain prefix that is long enough for simd \t then more plain text \xE4\xB8\xAD", 68},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        gd_status st = parse_n(ctx, &d, t[i].in, strlen(t[i].in));
        CHECK_MSG(st == GD_OK, "[%s] escape case %zu", IMPL, i);
        if (st == GD_OK) {
            const gdi_node *n = &d.nodes[0];
            CHECK_MSG(n->type == GDI_STRING && n->len == t[i].outlen &&
                          memcmp(n->str, t[i].out, t[i].outlen) == 0,
                      "[%s] escape case %zu: len %u", IMPL, i, n->len);
            CHECK(n->flags & GDI_NF_DECODED);
            CHECK(n->str < t[i].in || n->str > t[i].in + strlen(t[i].in));
        }
        gdi_doc_free(&d);
    }
    /* escaped keys are found by their decoded bytes */
    const char *s = "{\"k\\u0065y\": 1, \"tab\\tkey\": 2}";
    CHECK(parse_n(ctx, &d, s, strlen(s)) == GD_OK);
    CHECK(node_is(gdi_obj_getc(gdi_doc_root(&d), "key"), GDI_NUMBER, "1"));
    CHECK(node_is(gdi_obj_getc(gdi_doc_root(&d), "tab\tkey"), GDI_NUMBER, "2"));
    CHECK(d.nodes[1].pos == 1 && d.nodes[3].pos == 16);
    gdi_doc_free(&d);
    gd_ctx_free(ctx);
}

static void test_utf8(void)
{
    static const struct {
        const char *in; /* string contents, between quotes */
        const char *err; /* NULL when valid, else message after "t.json:1:C: " */
        int col;
    } t[] = {
        {"\x7f", NULL, 0},
        {"caf\xC3\xA9", NULL, 0},
        {"\xE4\xB8\xAD\xE6\x96\x87", NULL, 0},
        {"\xF0\x9F\x98\x80", NULL, 0},
        {"\xEF\xBF\xBF", NULL, 0},
        {"\xF4\x8F\xBF\xBF", NULL, 0},
        {"\xED\x9F\xBF", NULL, 0},  /* U+D7FF, just below the surrogates */
        {"\xEE\x80\x80", NULL, 0},  /* U+E000, just above */
        {"\xE0\xA0\x80", NULL, 0},  /* U+0800, smallest 3-byte */
        {"\xF0\x90\x80\x80", NULL, 0}, /* U+10000 */
        {"a\x80", "invalid UTF-8 byte 0x80 in string", 3},
        {"\xBF", "invalid UTF-8 byte 0xbf in string", 2},
        {"\xC0\x80", "overlong UTF-8 sequence in string", 2},
        {"\xC1\xBF", "overlong UTF-8 sequence in string", 2},
        {"\xE0\x80\x80", "overlong UTF-8 sequence in string", 2},
        {"\xE0\x9F\xBF", "overlong UTF-8 sequence in string", 2},
        {"\xF0\x80\x80\x80", "overlong UTF-8 sequence in string", 2},
        {"\xF0\x8F\xBF\xBF", "overlong UTF-8 sequence in string", 2},
        {"\xED\xA0\x80", "UTF-8 encoded surrogate in string", 2},
        {"\xED\xBF\xBF", "UTF-8 encoded surrogate in string", 2},
        {"\xF4\x90\x80\x80", "UTF-8 sequence above U+10FFFF in string", 2},
        {"\xF5\x80\x80\x80", "invalid UTF-8 byte 0xf5 in string", 2},
        {"\xFF", "invalid UTF-8 byte 0xff in string", 2},
        {"\xFE", "invalid UTF-8 byte 0xfe in string", 2},
        {"ab\xC3", "truncated UTF-8 sequence in string", 4},
        {"\xC3" "a", "truncated UTF-8 sequence in string", 2},
        {"\xE4\xB8", "truncated UTF-8 sequence in string", 2},
        {"\xE4\xB8x", "truncated UTF-8 sequence in string", 2},
        {"\xF0\x9F\x98", "truncated UTF-8 sequence in string", 2},
        {"\\n\xFF", "invalid UTF-8 byte 0xff in string", 4},  /* in the escape path too */
        {"\\n\xED\xA0\x80", "UTF-8 encoded surrogate in string", 4},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char in[64], want[128];
        int n = snprintf(in, sizeof in, "\"%s\"", t[i].in);
        if (t[i].err) {
            snprintf(want, sizeof want, "t.json:1:%d: %s", t[i].col, t[i].err);
            expect_err_n(in, (size_t)n, GD_SYNTAX, want, (int)(1000 + i));
        } else {
            gd_ctx *ctx = new_ctx();
            gdi_doc d;
            CHECK_MSG(parse_n(ctx, &d, in, (size_t)n) == GD_OK, "[%s] utf8 case %zu", IMPL, i);
            CHECK_MSG(d.n == 1 && node_is(&d.nodes[0], GDI_STRING, t[i].in) &&
                          d.nodes[0].str == in + 1,
                      "[%s] utf8 case %zu", IMPL, i);
            gdi_doc_free(&d);
            gd_ctx_free(ctx);
        }
    }
    /* truncated right at the end of input (no closing quote) */
    EXPECT_ERR("\"\xE4\xB8", GD_SYNTAX, "t.json:1:2: truncated UTF-8 sequence in string");
    /* keys are validated too */
    EXPECT_ERR("{\"\xC0\xAF\":1}", GD_SYNTAX, "t.json:1:3: overlong UTF-8 sequence in string");
    /* the BOM is skipped at the start only */
    gd_ctx *ctx = new_ctx();
    gdi_doc d;
    CHECK(parse_n(ctx, &d, "\xEF\xBB\xBF{\"a\":1}", 10) == GD_OK);
    CHECK(d.n == 3 && d.nodes[0].pos == 3);
    uint32_t line, col;
    gdi_doc_line_col(&d, &d.nodes[2], &line, &col);
    CHECK(line == 1 && col == 9);
    gdi_doc_free(&d);
    CHECK(parse_n(ctx, &d, "\xEF\xBB", 2) == GD_SYNTAX); /* a partial BOM is not skipped */
    gdi_doc_free(&d);
    /* a BOM inside a string is just U+FEFF */
    EXPECT_JSON("\"\xEF\xBB\xBF\"", "\"\xEF\xBB\xBF\"");
    gd_ctx_free(ctx);
}

static void test_dupkeys(void)
{
    gd_ctx *ctx = new_ctx();
    gdi_doc d;
    const char *s = "{\"a\": 1, \"b\": 2, \"a\": 3}";
    CHECK(parse_n(ctx, &d, s, strlen(s)) == GD_OK);
    CHECK(d.nodes[0].flags & GDI_NF_DUPKEY);
    CHECK_INTEQ(d.nodes[0].len, 3); /* every member stays on the tape */
    CHECK(node_is(gdi_obj_getc(gdi_doc_root(&d), "a"), GDI_NUMBER, "3"));
    CHECK(node_is(gdi_obj_getc(gdi_doc_root(&d), "b"), GDI_NUMBER, "2"));
    gdi_doc_free(&d);

    s = "{\"a\": {\"x\": 1, \"y\": 2}, \"b\": [{\"x\": 1}, {\"x\": 2}], \"ab\": 1, \"ba\": 2}";
    CHECK(parse_n(ctx, &d, s, strlen(s)) == GD_OK);
    for (uint32_t i = 0; i < d.n; i++) CHECK(!(d.nodes[i].flags & GDI_NF_DUPKEY));
    gdi_doc_free(&d);

    /* escaped spelling of the same key; nested object duplicate only flags itself */
    s = "{\"o\": {\"k\": 1, \"\\u006b\": [2]}, \"p\": 0}";
    CHECK(parse_n(ctx, &d, s, strlen(s)) == GD_OK);
    CHECK(!(d.nodes[0].flags & GDI_NF_DUPKEY));
    const gdi_node *o = gdi_obj_getc(gdi_doc_root(&d), "o");
    CHECK(o && (o->flags & GDI_NF_DUPKEY));
    CHECK(o && gdi_obj_getc(o, "k")->type == GDI_ARRAY);
    gdi_doc_free(&d);

    /* empty key twice */
    s = "{\"\": 1, \"\": 2}";
    CHECK(parse_n(ctx, &d, s, strlen(s)) == GD_OK);
    CHECK(d.nodes[0].flags & GDI_NF_DUPKEY);
    CHECK(node_is(gdi_obj_getc(gdi_doc_root(&d), ""), GDI_NUMBER, "2"));
    gdi_doc_free(&d);

    /* many members: around and beyond the bitmap range, with the duplicate
     * at different places; and the same without any duplicate */
    static const int sizes[] = {2, 40, 63, 64, 65, 66, 200, 3000};
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        int m = sizes[si];
        for (int dup_at = -1; dup_at < m; dup_at += (m > 10 ? m / 5 : 1)) {
            gdi_buf b;
            gdi_buf_init(&b, ctx);
            gdi_buf_putc(&b, '{');
            for (int i = 0; i < m; i++) {
                /* keys share prefixes and lengths to stress the hash */
                gdi_buf_printf(&b, "%s\"attr_%05d_x\": %d", i ? ", " : "", i, i);
            }
            if (dup_at >= 0) gdi_buf_printf(&b, ", \"attr_%05d_x\": \"last\"", dup_at);
            gdi_buf_putc(&b, '}');
            CHECK(parse_n(ctx, &d, b.p, b.n) == GD_OK);
            bool flagged = (d.nodes[0].flags & GDI_NF_DUPKEY) != 0;
            CHECK_MSG(flagged == (dup_at >= 0), "[%s] size %d dup_at %d flagged %d", IMPL, m,
                      dup_at, flagged);
            if (dup_at >= 0) {
                char key[32];
                snprintf(key, sizeof key, "attr_%05d_x", dup_at);
                CHECK(node_is(gdi_obj_getc(gdi_doc_root(&d), key), GDI_STRING, "last"));
            }
            gdi_doc_free(&d);
            gdi_buf_free(&b);
        }
    }
    /* short keys (< 4 and < 8 bytes) of equal length */
    gdi_buf b;
    gdi_buf_init(&b, ctx);
    gdi_buf_putc(&b, '{');
    for (int i = 0; i < 676; i++)
        gdi_buf_printf(&b, "%s\"%c%c\":0", i ? "," : "", 'a' + i / 26, 'a' + i % 26);
    gdi_buf_puts(&b, ",\"q\":1,\"qqq\":2,\"abcde\":3,\"abcdf\":4}");
    CHECK(parse_n(ctx, &d, b.p, b.n) == GD_OK);
    CHECK(!(d.nodes[0].flags & GDI_NF_DUPKEY));
    gdi_doc_free(&d);
    b.n = 0;
    gdi_buf_puts(&b, "{\"abcdf\":1,\"x\":1,\"abcde\":2,\"abcdf\":3}");
    CHECK(parse_n(ctx, &d, b.p, b.n) == GD_OK);
    CHECK(d.nodes[0].flags & GDI_NF_DUPKEY);
    CHECK(node_is(gdi_obj_getc(gdi_doc_root(&d), "abcdf"), GDI_NUMBER, "3"));
    gdi_doc_free(&d);
    gdi_buf_free(&b);
    gd_ctx_free(ctx);
}

static void test_limits(void)
{
    gd_ctx *ctx = new_ctx();
    gdi_doc d;
    gd_ctx_set_limit(ctx, GD_LIMIT_DEPTH, 3);
    CHECK(parse_n(ctx, &d, "[[{\"a\":1}]]", 11) == GD_OK);
    gdi_doc_free(&d);
    CHECK(parse_n(ctx, &d, "[[[[1]]]]", 9) == GD_LIMIT);
    CHECK(d.n == 0);
    CHECK_STREQ(gd_ctx_diag(ctx, 0, NULL), "t.json:1:4: nesting deeper than 3 (--max-depth)");
    gdi_doc_free(&d);
    gd_ctx_clear_diags(ctx);
    gd_ctx_set_limit(ctx, GD_LIMIT_DEPTH, 0);

    /* the default (512) allows 512 levels, not 513; no recursion either way */
    for (int depth = 511; depth <= 513; depth++) {
        char *s = malloc((size_t)depth * 2);
        memset(s, '[', (size_t)depth);
        memset(s + depth, ']', (size_t)depth);
        gd_status st = parse_n(ctx, &d, s, (size_t)depth * 2);
        CHECK_MSG(st == (depth <= 512 ? GD_OK : GD_LIMIT), "[%s] depth %d: %d", IMPL, depth,
                  (int)st);
        if (st == GD_OK) CHECK(d.n == (uint32_t)depth && d.nodes[0].skip == (uint32_t)depth);
        gdi_doc_free(&d);
        free(s);
    }
    CHECK_STREQ(gd_ctx_diag(ctx, 0, NULL), "t.json:1:513: nesting deeper than 512 (--max-depth)");
    gd_ctx_clear_diags(ctx);

    /* very deep nesting with a raised limit: the stack moves to the arena */
    gd_ctx_set_limit(ctx, GD_LIMIT_DEPTH, 300000);
    {
        size_t depth = 200000;
        char *s = malloc(depth * 6 + 1);
        size_t k = 0;
        for (size_t i = 0; i < depth; i++) {
            memcpy(s + k, i % 2 ? "[" : "{\"k\":", i % 2 ? 1 : 5);
            k += i % 2 ? 1 : 5;
        }
        s[k++] = '0';
        for (size_t i = depth; i-- > 0;) s[k++] = i % 2 ? ']' : '}';
        CHECK(parse_n(ctx, &d, s, k) == GD_OK);
        CHECK(d.n == depth + depth / 2 + 1 && d.nodes[0].skip == d.n);
        CHECK(d.nodes[2].type == GDI_ARRAY && d.nodes[2].skip == d.n - 2);
        gdi_doc_free(&d);
        free(s);
    }
    gd_ctx_set_limit(ctx, GD_LIMIT_DEPTH, 0);

    gd_ctx_set_limit(ctx, GD_LIMIT_STRING, 5);
    CHECK(parse_n(ctx, &d, "[\"abcde\", \"a\\u00e9\\n\"]", 22) == GD_OK); /* 5 bytes decoded */
    gdi_doc_free(&d);
    CHECK(parse_n(ctx, &d, "[\"abcdef\"]", 10) == GD_LIMIT);
    CHECK_STREQ(gd_ctx_diag(ctx, 0, NULL), "t.json:1:2: string longer than 5 bytes (--max-string)");
    gdi_doc_free(&d);
    gd_ctx_clear_diags(ctx);
    CHECK(parse_n(ctx, &d, "{\"k\\n2345\":1}", 13) == GD_LIMIT); /* keys count too */
    CHECK_STREQ(gd_ctx_diag(ctx, 0, NULL), "t.json:1:2: string longer than 5 bytes (--max-string)");
    gdi_doc_free(&d);
    gd_ctx_free(ctx);
    CHECK_INTEQ(n_live, 0);
}

static void test_reuse(void)
{
    gd_ctx *ctx = new_ctx();
    gdi_doc d;
    gdi_doc_init(&d, ctx, "reuse.json");
    const char *a = "{\"resources\": [{\"type\": \"aws_s3_bucket\", \"esc\": \"a\\\"b\", "
                    "\"tags\": {\"k\": \"v\"}, \"n\": [1, 2, 3]}]}";
    const char *b = "[\"x\\ty\", {\"deep\": [[[[{}]]]]}, null, true, -1.5e3]";
    CHECK(PARSE(&d, a, strlen(a)) == GD_OK);
    gdi_doc_reset(&d);
    CHECK(PARSE(&d, b, strlen(b)) == GD_OK);
    gdi_doc_reset(&d);
    /* warmed up: more parses on the reset doc allocate nothing */
    size_t before = n_allocs;
    for (int i = 0; i < 50; i++) {
        CHECK(PARSE(&d, i % 2 ? a : b, strlen(i % 2 ? a : b)) == GD_OK);
        CHECK(d.n == (i % 2 ? 17u : 12u));
        gdi_doc_reset(&d);
    }
    CHECK_MSG(n_allocs == before, "[%s] %zu allocations in steady state", IMPL,
              n_allocs - before);
    /* an error leaves the doc empty and reusable */
    CHECK(PARSE(&d, "[1,", 3) == GD_SYNTAX);
    CHECK(d.n == 0);
    CHECK(PARSE(&d, a, strlen(a)) == GD_OK);
    CHECK_STREQ(d.name, "reuse.json");
    CHECK(node_is(gdi_obj_getc(gdi_arr_at(gdi_obj_getc(gdi_doc_root(&d), "resources"), 0), "esc"),
                  GDI_STRING, "a\"b"));
    gdi_doc_free(&d);
    gd_ctx_free(ctx);
    CHECK_INTEQ(n_live, 0);
}

/* Out-of-memory at every allocation: a clean GD_NOMEM, never a crash or leak. */
static size_t fail_at, alloc_no;
static void *failing_realloc(void *ud, void *p, size_t n)
{
    (void)ud;
    if (++alloc_no == fail_at) return NULL;
    if (!p) n_live++;
    return realloc(p, n);
}

static void test_nomem(void)
{
    static const gd_allocator fa = {failing_realloc, count_free, NULL};
    gdi_buf b;
    gd_ctx *bctx = new_ctx();
    gdi_buf_init(&b, bctx);
    gdi_buf_putc(&b, '[');
    for (int i = 0; i < 2000; i++) gdi_buf_printf(&b, "%s{\"k%d\":\"v\\n\",\"a\":[%d]}", i ? "," : "", i, i);
    gdi_buf_putc(&b, ']');
    size_t before = n_live;
    int ok = 0, nomem = 0;
    for (fail_at = 1; fail_at < 40; fail_at++) {
        alloc_no = 0;
        gd_ctx *ctx = NULL;
        if (gd_ctx_new(&ctx, &fa) != GD_OK) continue;
        gdi_doc d;
        if (gdi_doc_init(&d, ctx, "m.json") == GD_OK) {
            gd_status st = PARSE(&d, b.p, b.n);
            CHECK(st == GD_OK || st == GD_NOMEM);
            if (st == GD_OK) ok++;
            if (st == GD_NOMEM) {
                nomem++;
                CHECK(d.n == 0);
            }
        }
        gdi_doc_free(&d);
        gd_ctx_free(ctx);
    }
    CHECK(nomem > 0 && ok > 0);
    CHECK_INTEQ(n_live, before);
    gdi_buf_free(&b);
    gd_ctx_free(bctx);
}

/* Reference for containers: one byte at a time. */
static gd_status naive_extent(const char *t, size_t n, size_t *end)
{
    size_t depth = 0;
    bool in_str = false, esc = false;
    for (size_t i = 0; i < n; i++) {
        char c = t[i];
        if (in_str) {
            if (esc)
                esc = false;
            else if (c == '\\')
                esc = true;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if ((c == ']' || c == '}') && --depth == 0) {
            *end = i + 1;
            return GD_OK;
        }
    }
    *end = n;
    return GD_SYNTAX;
}

static void test_extent(void)
{
    static const struct {
        const char *in;
        gd_status st;
        size_t start, end;
    } t[] = {
        {"", GD_NOTFOUND, 0, 0},
        {"  \n ", GD_NOTFOUND, 4, 4},
        {"{}", GD_OK, 0, 2},
        {"  {\"a\": [1, {\"b\": \"}]\"}]} , {}", GD_OK, 2, 25},
        {"[\"\\\"]\", \"\\\\\"] x", GD_OK, 0, 13},
        {" \"abc\" ", GD_OK, 1, 6},
        {"\"a\\\"", GD_SYNTAX, 0, 4},
        {"123, 4", GD_OK, 0, 3},
        {"-1.5e3]", GD_OK, 0, 6},
        {"true", GD_OK, 0, 4},
        {"null}", GD_OK, 0, 4},
        {"[1, [2, 3]", GD_SYNTAX, 0, 10},
        {"{\"a\": \"", GD_SYNTAX, 0, 7},
        {"[1, 2}", GD_OK, 0, 6},        /* kinds are left to the full parse */
        {"{\"a\": 1]", GD_OK, 0, 8},
        {"  ]", GD_SYNTAX, 2, 2},
        {", 1", GD_SYNTAX, 0, 0},
        {"[\"a string long enough to take the sixteen byte path\", {\"k\": [[[]]]}]  ",
         GD_OK, 0, 69},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        size_t s = 99, e = 99;
        gd_status st = EXTENT(t[i].in, strlen(t[i].in), &s, &e);
        CHECK_MSG(st == t[i].st && s == t[i].start && e == t[i].end,
                  "[%s] extent case %zu: st %d start %zu end %zu", IMPL, i, (int)st, s, e);
    }
    /* deep nesting across blocks */
    char deep[600];
    memset(deep, '[', 300);
    memset(deep + 300, ']', 300);
    size_t s, e;
    CHECK(EXTENT(deep, 600, &s, &e) == GD_OK && s == 0 && e == 600);
    CHECK(EXTENT(deep, 599, &s, &e) == GD_SYNTAX && e == 599);
    CHECK(EXTENT(deep + 1, 598, &s, &e) == GD_OK && e == 598);

    /* strings with backslash runs, quotes and brackets at every offset
     * around the 64-byte block boundaries, against a byte-by-byte skipper */
    char buf[400];
    int cases = 0, bad = 0;
    for (int pad = 0; pad < 140; pad++) {
        for (int run = 0; run < 6; run++) {
            for (int after = 0; after < 4; after++) {
                size_t k = 0;
                buf[k++] = '[';
                buf[k++] = '"';
                for (int i = 0; i < pad; i++) buf[k++] = "ab]{x"[i % 5];
                for (int i = 0; i < run; i++) buf[k++] = '\\';
                buf[k++] = after == 0 ? '"' : after == 1 ? ']' : after == 2 ? '[' : 'n';
                buf[k++] = '"'; /* closes the string when the run is even and after was not '"' */
                buf[k++] = ']';
                buf[k++] = '"';
                buf[k++] = ']';
                buf[k++] = '"';
                buf[k++] = ']';
                for (int i = 0; i < 70; i++) buf[k++] = ' ';
                buf[k++] = ']';
                size_t want_end;
                gd_status want = naive_extent(buf, k, &want_end);
                gd_status got = EXTENT(buf, k, &s, &e);
                cases++;
                if (got != want || e != want_end) {
                    if (bad++ < 5)
                        fprintf(stderr, "[%s] pad %d run %d after %d: st %d/%d end %zu/%zu\n",
                                IMPL, pad, run, after, (int)got, (int)want, e, want_end);
                }
            }
        }
    }
    CHECK_MSG(bad == 0, "[%s] %d of %d block cases differ", IMPL, bad, cases);
}

static void test_stream_helpers(void)
{
    /* walk an array of resources as the streaming state reader does */
    const char *arr = "[ {\"a\": 1},\n  [2, 3] , \"s]\" ,4]";
    const char *want[] = {"{\"a\": 1}", "[2, 3]", "\"s]\"", "4"};
    size_t off = 1, s, e;
    int i = 0;
    bool first = true;
    gd_status st;
    while ((st = gdi_json_array_next(arr + off, strlen(arr) - off, first, &s, &e)) == GD_OK) {
        CHECK(i < 4 && e - s == strlen(want[i]) && memcmp(arr + off + s, want[i], e - s) == 0);
        off += e;
        first = false;
        i++;
    }
    CHECK(st == GD_NOTFOUND && i == 4 && off + e == strlen(arr));
    CHECK(gdi_json_array_next(" ]", 2, true, &s, &e) == GD_NOTFOUND && s == 1 && e == 2);
    CHECK(gdi_json_array_next(" 1", 2, false, &s, &e) == GD_SYNTAX && e == 1);
    CHECK(gdi_json_array_next(", ]", 3, false, &s, &e) == GD_SYNTAX && e == 2);
    CHECK(gdi_json_array_next(", {\"a\":", 7, false, &s, &e) == GD_SYNTAX && s == 2 && e == 7);
    CHECK(gdi_json_array_next("  ", 2, false, &s, &e) == GD_SYNTAX && e == 2);

    const char *obj = "{\"version\": 4, \"resources\": [{}, []], \"x\": \"}\"}";
    size_t ks, ke, vs, ve;
    off = 1;
    first = true;
    i = 0;
    const char *keys[] = {"\"version\"", "\"resources\"", "\"x\""};
    const char *vals[] = {"4", "[{}, []]", "\"}\""};
    while ((st = gdi_json_object_next(obj + off, strlen(obj) - off, first, &ks, &ke, &vs, &ve)) ==
           GD_OK) {
        CHECK(i < 3 && ke - ks == strlen(keys[i]) && memcmp(obj + off + ks, keys[i], ke - ks) == 0);
        CHECK(i < 3 && ve - vs == strlen(vals[i]) && memcmp(obj + off + vs, vals[i], ve - vs) == 0);
        off += ve;
        first = false;
        i++;
    }
    CHECK(st == GD_NOTFOUND && i == 3 && off + ve == strlen(obj));
    CHECK(gdi_json_object_next("\"a\" 1", 5, true, &ks, &ke, &vs, &ve) == GD_SYNTAX && ve == 4);
    CHECK(gdi_json_object_next("1:2", 3, true, &ks, &ke, &vs, &ve) == GD_SYNTAX && ve == 0);
    CHECK(gdi_json_object_next("\"a\":", 4, true, &ks, &ke, &vs, &ve) == GD_SYNTAX && ve == 4);
    CHECK(gdi_json_object_next("\"a", 2, true, &ks, &ke, &vs, &ve) == GD_SYNTAX && ve == 2);
    CHECK(gdi_json_object_next(" }", 2, false, &ks, &ke, &vs, &ve) == GD_NOTFOUND && vs == 1);
}

/* --------------------------------------------------- random round trip */

static uint64_t rng_state;
static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)((rng_state >> 33) % n);
}

static uint32_t rand_cp(void)
{
    switch (rnd(8)) {
    case 0: return rnd(0x20);                 /* control */
    case 1: return "\"\\/\x7f"[rnd(4)];
    case 2: return 0x80 + rnd(0x780);         /* 2-byte */
    case 3: {
        uint32_t c = 0x800 + rnd(0xF800);     /* 3-byte, no surrogates */
        return c >= 0xD800 && c <= 0xDFFF ? 0x4E2D : c;
    }
    case 4: return 0x10000 + rnd(0x100000);   /* 4-byte */
    default: return 0x20 + rnd(0x5F);         /* printable ASCII */
    }
}

static void put_utf8(gdi_buf *b, uint32_t c)
{
    char u[4];
    size_t k;
    if (c < 0x80) {
        u[0] = (char)c;
        k = 1;
    } else if (c < 0x800) {
        u[0] = (char)(0xC0 | (c >> 6));
        u[1] = (char)(0x80 | (c & 0x3F));
        k = 2;
    } else if (c < 0x10000) {
        u[0] = (char)(0xE0 | (c >> 12));
        u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F));
        k = 3;
    } else {
        u[0] = (char)(0xF0 | (c >> 18));
        u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[3] = (char)(0x80 | (c & 0x3F));
        k = 4;
    }
    gdi_buf_append(b, u, k);
}

/* One random string, written canonically (as gdi_buf_json_escape does) to
 * canon and with random escapes to noisy. */
static void gen_string(gdi_buf *canon, gdi_buf *noisy)
{
    uint32_t n = rnd(4) == 0 ? rnd(60) : rnd(8);
    gdi_buf raw;
    gdi_buf_init(&raw, canon->ctx);
    gdi_buf_putc(noisy, '"');
    for (uint32_t i = 0; i < n; i++) {
        uint32_t c = rand_cp();
        put_utf8(&raw, c);
        bool must = c < 0x20 || c == '"' || c == '\\';
        if (must || rnd(4) == 0) {
            static const char shortesc[] = "\"\\/\b\f\n\r\t";
            static const char shortname[] = "\"\\/bfnrt";
            const char *se = c && c < 0x80 ? strchr(shortesc, (int)c) : NULL;
            if (se && rnd(2)) {
                gdi_buf_putc(noisy, '\\');
                gdi_buf_putc(noisy, shortname[se - shortesc]);
            } else if (c >= 0x10000) {
                uint32_t v = c - 0x10000;
                gdi_buf_printf(noisy, "\\u%04X\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
            } else {
                gdi_buf_printf(noisy, rnd(2) ? "\\u%04x" : "\\u%04X", c);
            }
        } else {
            put_utf8(noisy, c);
        }
    }
    gdi_buf_putc(noisy, '"');
    gdi_buf_putc(canon, '"');
    gdi_buf_json_escape(canon, raw.p, raw.n);
    gdi_buf_putc(canon, '"');
    gdi_buf_free(&raw);
}

static void gen_ws(gdi_buf *b)
{
    static const char *ws[] = {"", "", "", " ", "\n  ", "\t", "\r\n", "\n                    "};
    gdi_buf_puts(b, ws[rnd(8)]);
}

static void gen_value(gdi_buf *canon, gdi_buf *noisy, int depth)
{
    uint32_t k = depth > 6 ? rnd(5) : rnd(8);
    switch (k) {
    case 0: gdi_buf_puts(canon, "null"); gdi_buf_puts(noisy, "null"); break;
    case 1: gdi_buf_puts(canon, "true"); gdi_buf_puts(noisy, "true"); break;
    case 2: {
        char num[64];
        int n = 0;
        if (rnd(2)) num[n++] = '-';
        if (rnd(3) == 0) {
            num[n++] = '0';
        } else {
            num[n++] = (char)('1' + rnd(9));
            for (uint32_t i = rnd(25); i > 0; i--) num[n++] = (char)('0' + rnd(10));
        }
        if (rnd(3) == 0) {
            num[n++] = '.';
            for (uint32_t i = rnd(5) + 1; i > 0; i--) num[n++] = (char)('0' + rnd(10));
        }
        if (rnd(4) == 0) {
            num[n++] = "eE"[rnd(2)];
            if (rnd(2)) num[n++] = "+-"[rnd(2)];
            for (uint32_t i = rnd(3) + 1; i > 0; i--) num[n++] = (char)('0' + rnd(10));
        }
        gdi_buf_append(canon, num, (size_t)n);
        gdi_buf_append(noisy, num, (size_t)n);
        break;
    }
    case 3:
    case 4: gen_string(canon, noisy); break;
    case 5:
    case 6: {
        uint32_t m = rnd(6);
        gdi_buf_putc(canon, '[');
        gdi_buf_putc(noisy, '[');
        for (uint32_t i = 0; i < m; i++) {
            if (i) gdi_buf_putc(canon, ',');
            if (i) gdi_buf_putc(noisy, ',');
            gen_ws(noisy);
            gen_value(canon, noisy, depth + 1);
            gen_ws(noisy);
        }
        gen_ws(noisy);
        gdi_buf_putc(canon, ']');
        gdi_buf_putc(noisy, ']');
        break;
    }
    default: {
        uint32_t m = rnd(6);
        gdi_buf_putc(canon, '{');
        gdi_buf_putc(noisy, '{');
        for (uint32_t i = 0; i < m; i++) {
            if (i) gdi_buf_putc(canon, ',');
            if (i) gdi_buf_putc(noisy, ',');
            gen_ws(noisy);
            gen_string(canon, noisy);
            gen_ws(noisy);
            gdi_buf_putc(canon, ':');
            gdi_buf_putc(noisy, ':');
            gen_ws(noisy);
            gen_value(canon, noisy, depth + 1);
            gen_ws(noisy);
        }
        gen_ws(noisy);
        gdi_buf_putc(canon, '}');
        gdi_buf_putc(noisy, '}');
        break;
    }
    }
}

/* Skip counts must describe a well-formed pre-order tape. */
static bool tape_ok(const gdi_node *n)
{
    uint32_t used = 1;
    if (n->type == GDI_ARRAY || n->type == GDI_OBJECT) {
        uint32_t kids = n->type == GDI_OBJECT ? n->len * 2 : n->len;
        const gdi_node *c = n + 1;
        for (uint32_t i = 0; i < kids; i++) {
            if (n->type == GDI_OBJECT && i % 2 == 0 && c->type != GDI_STRING) return false;
            if (!tape_ok(c)) return false;
            used += c->skip;
            c += c->skip;
        }
    }
    return used == n->skip;
}

static void test_roundtrip(void)
{
    gd_ctx *ctx = new_ctx();
    gdi_doc d;
    gdi_doc_init(&d, ctx, "rt.json");
    rng_state = 20240611;
    int bad = 0;
    for (int iter = 0; iter < 3000; iter++) {
        gdi_buf canon, noisy, out;
        gdi_buf_init(&canon, ctx);
        gdi_buf_init(&noisy, ctx);
        gdi_buf_init(&out, ctx);
        gen_ws(&noisy);
        gen_value(&canon, &noisy, 0);
        gen_ws(&noisy);
        for (int pass = 0; pass < 2; pass++) {
            gdi_buf *in = pass ? &noisy : &canon;
            gdi_doc_reset(&d);
            gd_status st = PARSE(&d, in->p, in->n);
            out.n = 0;
            if (st == GD_OK) gdi_node_to_json(&out, gdi_doc_root(&d));
            bool same = st == GD_OK && out.n == canon.n && memcmp(out.p, canon.p, canon.n) == 0 &&
                        tape_ok(gdi_doc_root(&d)) && d.nodes[0].skip == d.n;
            if (!same && bad++ < 3)
                fprintf(stderr, "[%s] round trip %d pass %d: st %d\n in:  %.*s\n out: %s\n",
                        IMPL, iter, pass, (int)st, (int)in->n, in->p, gdi_buf_cstr(&out));
            CHECK(same);
        }
        /* the extent of the whole noisy text is the value, whitespace aside */
        size_t s, e;
        size_t last = noisy.n;
        while (last > 0 && strchr(" \t\r\n", noisy.p[last - 1])) last--;
        CHECK(EXTENT(noisy.p, noisy.n, &s, &e) == GD_OK);
        CHECK_MSG(e == last && s < e, "[%s] round trip %d: extent end %zu, want %zu", IMPL, iter,
                  e, last);
        gdi_buf_free(&canon);
        gdi_buf_free(&noisy);
        gdi_buf_free(&out);
    }
    gdi_doc_free(&d);
    gd_ctx_free(ctx);
    CHECK_INTEQ(n_live, 0);
}

static void run_all(void)
{
    test_tape();
    test_numbers();
    test_errors();
    test_escapes();
    test_utf8();
    test_dupkeys();
    test_limits();
    test_reuse();
    test_nomem();
    test_extent();
    test_roundtrip();
}

int main(void)
{
    run_all();
    test_stream_helpers();
    PARSE = portable_json_parse;
    EXTENT = portable_json_extent;
    IMPL = "portable";
    run_all();
    return tap_done();
}
