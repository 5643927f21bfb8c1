/*
 * lang.h — internals of the check language, shared by the files of src/lang/.
 *
 * Pipeline: lexer.c turns the expression text into tokens; parse.c is a
 * Pratt parser that builds an AST in the compile arena; compile.c resolves
 * names (let bindings and lambda parameters become stack slots, bare names
 * become attribute reads with interned keys), folds constants and emits
 * bytecode; vm.c runs the bytecode against one resource; builtins.c holds
 * the built-in functions; cidr.c parses addresses, networks and port ranges.
 *
 * Invariants
 *  - Opcodes and built-in functions each come from ONE X-macro list below;
 *    the enum, the disassembler's names and the dispatch tables derive from
 *    them.
 *  - A compiled program is immutable: every constant, key and regex it holds
 *    lives in the program's own arena or buffers and is shared read-only by
 *    every thread.
 *  - A value (gdi_val) never owns memory. Strings and lists point into the
 *    resource's document, the program's constants, or the evaluator's
 *    scratch arena (valid until the next run).
 */
#ifndef GDI_LANG_H
#define GDI_LANG_H

#include "../rule.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* ------------------------------------------------------------- values */

typedef enum gdi_vtag {
    GDI_VT_NULL = 0,
    GDI_VT_BOOL,    /* b */
    GDI_VT_INT,     /* u.i: an integral number that fits int64 */
    GDI_VT_DBL,     /* u.d: any other number */
    GDI_VT_STR,     /* u.s, n: bytes (not NUL-terminated) */
    GDI_VT_NODE,    /* u.node: an array or object node of a document */
    GDI_VT_LIST,    /* u.items, n: a computed list */
    GDI_VT_UNKNOWN, /* known only after apply */
    GDI_VT_ERROR    /* u.s: NUL-terminated reason (scratch or static) */
} gdi_vtag;

typedef struct gdi_val gdi_val;
struct gdi_val {
    uint8_t t;  /* gdi_vtag */
    uint8_t b;  /* GDI_VT_BOOL: 0 or 1 */
    uint16_t x; /* spare; zero */
    uint32_t n; /* GDI_VT_STR: byte length; GDI_VT_LIST: element count */
    union {
        int64_t i;
        double d;
        const char *s;
        const gdi_node *node;
        const gdi_val *items;
    } u;
};

static inline gdi_val gdi_v_null(void)
{
    gdi_val v = {0};
    return v;
}
static inline gdi_val gdi_v_bool(bool b)
{
    gdi_val v = {0};
    v.t = GDI_VT_BOOL;
    v.b = b ? 1 : 0;
    return v;
}
static inline gdi_val gdi_v_int(int64_t i)
{
    gdi_val v = {0};
    v.t = GDI_VT_INT;
    v.u.i = i;
    return v;
}
static inline gdi_val gdi_v_dbl(double d)
{
    gdi_val v = {0};
    v.t = GDI_VT_DBL;
    v.u.d = d;
    return v;
}
static inline gdi_val gdi_v_str(const char *p, size_t n)
{
    gdi_val v = {0};
    v.t = GDI_VT_STR;
    v.u.s = p;
    v.n = (uint32_t)n;
    return v;
}
static inline gdi_val gdi_v_unknown(void)
{
    gdi_val v = {0};
    v.t = GDI_VT_UNKNOWN;
    return v;
}
static inline gdi_val gdi_v_list(const gdi_val *items, uint32_t n)
{
    gdi_val v = {0};
    v.t = GDI_VT_LIST;
    v.u.items = items;
    v.n = n;
    return v;
}

/* Turn a document node into a value: scalars are converted (numbers parsed
 * from their text), arrays and objects stay node references. NULL -> null. */
gdi_val gdi_val_from_node(const gdi_node *n);

/* Name of a value's type as type() reports it ("string", "list", ...). */
const char *gdi_val_type_name(const gdi_val *v);

/* Number comparison that is exact between int64 and double: -1, 0, 1. */
int gdi_num_cmp(const gdi_val *a, const gdi_val *b);

/* Deep equality: 1 equal, 0 different, 2 undecidable (an unknown inside). */
int gdi_val_equal(const gdi_val *a, const gdi_val *b);

/* ------------------------------------------------------------ opcodes */

/* Operand formats, for the disassembler. A is the 24-bit field of the
 * instruction word; W1..W3 are extra 32-bit words that follow it. */
enum {
    GDI_OPF_NONE,    /* no operand */
    GDI_OPF_CONST,   /* A = constant index */
    GDI_OPF_KEY,     /* A = constant index of a key string */
    GDI_OPF_SLOT,    /* A = local slot */
    GDI_OPF_COUNT,   /* A = element count */
    GDI_OPF_META,    /* A = resource field (gdi_meta) */
    GDI_OPF_JUMP,    /* W1 = absolute target */
    GDI_OPF_CALL,    /* A = builtin id, W1 = argc */
    GDI_OPF_REGEX,   /* A = regex index */
    GDI_OPF_JOIN,    /* A = join id */
    GDI_OPF_QINIT,   /* A = slot, W1 = quantifier, W2 = end */
    GDI_OPF_QNEXT,   /* A = slot, W1 = quantifier, W2 = end */
    GDI_OPF_QSTEP    /* A = slot, W1 = quantifier, W2 = loop, W3 = end */
};

/* X(name, extra words, operand format, stack effect) — the ONE opcode list.
 * Stack effects of CALL/MKLIST depend on operands and are computed by the
 * emitter; the column gives the fixed part. */
#define GDI_OP_LIST(X)                                                                             \
    X(CONST, 0, GDI_OPF_CONST, 1)   /* push constant A */                                      \
    X(ATTR, 0, GDI_OPF_KEY, 1)      /* push the resource attribute named by constant A */      \
    X(ROOT, 0, GDI_OPF_NONE, 1)     /* push the attribute object (attrs) */                    \
    X(META, 0, GDI_OPF_META, 1)     /* push resource.<field> */                                \
    X(FIELD, 0, GDI_OPF_KEY, 0)     /* top = top.<constant A> */                               \
    X(INDEX, 0, GDI_OPF_NONE, -1)   /* a, i -> a[i] */                                         \
    X(LOAD, 0, GDI_OPF_SLOT, 1)     /* push local A */                                         \
    X(STORE, 0, GDI_OPF_SLOT, -1)   /* pop into local A */                                     \
    X(NOT, 0, GDI_OPF_NONE, 0)      /* logical not (Kleene) */                                 \
    X(NEG, 0, GDI_OPF_NONE, 0)      /* arithmetic negation */                                  \
    X(ADD, 0, GDI_OPF_NONE, -1)                                                                \
    X(SUB, 0, GDI_OPF_NONE, -1)                                                                \
    X(MUL, 0, GDI_OPF_NONE, -1)                                                                \
    X(DIV, 0, GDI_OPF_NONE, -1)                                                                \
    X(MOD, 0, GDI_OPF_NONE, -1)                                                                \
    X(EQ, 0, GDI_OPF_NONE, -1)                                                                 \
    X(NE, 0, GDI_OPF_NONE, -1)                                                                 \
    X(LT, 0, GDI_OPF_NONE, -1)                                                                 \
    X(LE, 0, GDI_OPF_NONE, -1)                                                                 \
    X(GT, 0, GDI_OPF_NONE, -1)                                                                 \
    X(GE, 0, GDI_OPF_NONE, -1)                                                                 \
    X(IN, 0, GDI_OPF_NONE, -1)      /* a, b -> a in b */                                       \
    X(NOTIN, 0, GDI_OPF_NONE, -1)   /* a, b -> a not in b */                                   \
    X(JAND, 1, GDI_OPF_JUMP, 0)     /* top false/error/non-bool: settle and jump W1 */         \
    X(AND2, 0, GDI_OPF_NONE, -1)    /* a (true|unknown), b -> a and b */                       \
    X(JOR, 1, GDI_OPF_JUMP, 0)      /* top true/error/non-bool: settle and jump W1 */          \
    X(OR2, 0, GDI_OPF_NONE, -1)     /* a (false|unknown), b -> a or b */                       \
    X(JNNULL, 1, GDI_OPF_JUMP, 0)   /* top not null: jump W1; else pop */                      \
    X(MKLIST, 0, GDI_OPF_COUNT, 1)  /* pop A values, push a list of them */                    \
    X(CALL, 1, GDI_OPF_CALL, 1)     /* call builtin A with W1 arguments */                     \
    X(MATCH, 0, GDI_OPF_REGEX, 0)   /* top = matches(top, regex A) */                          \
    X(RELATED, 0, GDI_OPF_JOIN, 0)  /* top = related resources of join A with key top */      \
    X(QINIT, 2, GDI_OPF_QINIT, -1)  /* pop list into slots A+1..A+3 */                         \
    X(QNEXT, 2, GDI_OPF_QNEXT, 0)   /* next element into slot A, or push result, jump W2 */   \
    X(QSTEP, 3, GDI_OPF_QSTEP, -1)  /* pop lambda result, fold, jump W2 or finish at W3 */    \
    X(RET, 0, GDI_OPF_NONE, 0)      /* the top is the result */

typedef enum gdi_op {
#define GDI_X_OP(name, extra, fmt, eff) GDI_OP_##name,
    GDI_OP_LIST(GDI_X_OP)
#undef GDI_X_OP
        GDI_OP__COUNT
} gdi_op;

/* Per-opcode tables generated from GDI_OP_LIST (compile.c). */
extern const char *const gdi_op_names[GDI_OP__COUNT];
extern const uint8_t gdi_op_extra[GDI_OP__COUNT];
extern const uint8_t gdi_op_format[GDI_OP__COUNT];

#define GDI_INS(op, a) ((uint32_t)(op) | ((uint32_t)(a) << 8))
#define GDI_INS_OP(w) ((w)&0xffu)
#define GDI_INS_A(w) ((w) >> 8)
#define GDI_MAX_A 0xffffffu

/* Quantifiers (operand W1 of QINIT/QNEXT/QSTEP). */
#define GDI_QUANT_LIST(X) X(ANY, "any") X(ALL, "all") X(COUNT, "count") X(FILTER, "filter") X(MAP, "map")
typedef enum gdi_quant {
#define GDI_X_Q(name, str) GDI_Q_##name,
    GDI_QUANT_LIST(GDI_X_Q)
#undef GDI_X_Q
        GDI_Q__COUNT
} gdi_quant;
extern const char *const gdi_quant_names[GDI_Q__COUNT];

/* resource.<field> (operand of META). */
#define GDI_META_LIST(X)                                                                           \
    X(ADDRESS, "address") X(TYPE, "type") X(NAME, "name") X(PROVIDER, "provider")                  \
        X(MODULE, "module") X(PROVIDER_CONFIG, "provider_config") X(MODE, "mode")
typedef enum gdi_meta {
#define GDI_X_M(name, str) GDI_META_##name,
    GDI_META_LIST(GDI_X_M)
#undef GDI_X_M
        GDI_META__COUNT
} gdi_meta;
extern const char *const gdi_meta_names[GDI_META__COUNT];

/* ----------------------------------------------------------- builtins */

typedef struct gdi_eval gdi_eval;

/* Flags of a built-in function. */
enum {
    GDI_BF_SEES_UNKNOWN = 1 << 0, /* receives unknown arguments (else: unknown in, unknown out) */
    GDI_BF_SPECIAL = 1 << 1,      /* compiled to dedicated bytecode, never CALLed */
    GDI_BF_LAMBDA = 1 << 2        /* last argument is a lambda */
};

/* X(name, min args, max args, flags) — the ONE built-in function list.
 * Each non-special name has `static gdi_val bi_<name>(gdi_eval *, const
 * gdi_val *args, uint32_t argc)` in builtins.c. */
#define GDI_BUILTIN_LIST(X)                                                                        \
    X(len, 1, 1, 0)                                                                                \
    X(lower, 1, 1, 0)                                                                              \
    X(upper, 1, 1, 0)                                                                              \
    X(trim, 1, 1, 0)                                                                               \
    X(starts_with, 2, 2, 0)                                                                        \
    X(ends_with, 2, 2, 0)                                                                          \
    X(contains, 2, 2, 0)                                                                           \
    X(matches, 2, 2, GDI_BF_SPECIAL)                                                               \
    X(split, 2, 2, 0)                                                                              \
    X(join, 2, 2, 0)                                                                               \
    X(number, 1, 1, 0)                                                                             \
    X(string, 1, 1, 0)                                                                             \
    X(type, 1, 1, GDI_BF_SEES_UNKNOWN)                                                             \
    X(is_null, 1, 1, 0)                                                                            \
    X(is_unknown, 1, 1, GDI_BF_SEES_UNKNOWN)                                                       \
    X(is_known, 1, 1, GDI_BF_SEES_UNKNOWN)                                                         \
    X(default, 2, 2, GDI_BF_SPECIAL)                                                               \
    X(keys, 1, 1, 0)                                                                               \
    X(values, 1, 1, 0)                                                                             \
    X(flatten, 1, 1, 0)                                                                            \
    X(json, 1, 1, 0)                                                                               \
    X(cidr_is_public, 1, 1, 0)                                                                     \
    X(cidr_is_any, 1, 1, 0)                                                                        \
    X(cidr_contains, 2, 2, 0)                                                                      \
    X(port_in, 2, 2, 0)                                                                            \
    X(ports_overlap, 3, 3, 0)                                                                      \
    X(is_all_ports, 1, 2, 0)                                                                       \
    X(related, 3, 3, GDI_BF_SPECIAL)                                                               \
    X(any, 2, 2, GDI_BF_SPECIAL | GDI_BF_LAMBDA)                                                   \
    X(all, 2, 2, GDI_BF_SPECIAL | GDI_BF_LAMBDA)                                                   \
    X(count, 2, 2, GDI_BF_SPECIAL | GDI_BF_LAMBDA)                                                 \
    X(filter, 2, 2, GDI_BF_SPECIAL | GDI_BF_LAMBDA)                                                \
    X(map, 2, 2, GDI_BF_SPECIAL | GDI_BF_LAMBDA)

typedef enum gdi_builtin {
#define GDI_X_BI(name, lo, hi, fl) GDI_BI_##name,
    GDI_BUILTIN_LIST(GDI_X_BI)
#undef GDI_X_BI
        GDI_BI__COUNT
} gdi_builtin;

typedef gdi_val (*gdi_builtin_fn)(gdi_eval *ev, const gdi_val *args, uint32_t argc);

typedef struct gdi_builtin_info {
    const char *name; /* as written in checks */
    uint8_t min, max; /* arity */
    uint8_t flags;    /* GDI_BF_* */
    gdi_builtin_fn fn; /* NULL for special ones */
} gdi_builtin_info;

/* The table, indexed by gdi_builtin (builtins.c). */
extern const gdi_builtin_info gdi_builtins[GDI_BI__COUNT];
/* Look a name up; -1 when it is not a built-in. */
int gdi_builtin_find(const char *name, size_t n);

/* ------------------------------------------------------------ program */

/* Byte span of the source an instruction came from. */
typedef struct gdi_span {
    uint32_t start, end; /* offsets into gdi_program.src */
} gdi_span;

struct gdi_program {
    gd_ctx *ctx;              /* allocator owner (the compiling ctx), borrowed */
    uint32_t *code;           /* instruction words, owned */
    gdi_span *spans;          /* one per code word, owned */
    uint32_t ncode;           /* words in code */
    gdi_val *consts;          /* constants, owned (strings/lists in arena) */
    uint32_t nconsts;         /* count */
    pcre2_code **regex;       /* compiled regexes, owned */
    uint32_t nregex;          /* count */
    const char **regex_src;   /* regex source text (arena), for the listing */
    uint32_t nslots;          /* local slots the program needs */
    uint32_t max_stack;       /* deepest value stack it reaches */
    bool uses_joins;          /* related() appears */
    gd_str primary;           /* first top-level attribute read (arena) */
    char *src;                /* copy of the expression text (arena) */
    uint32_t srclen;          /* its length */
    gdi_srcmap map;           /* where the text sits (file copied into arena) */
    pcre2_general_context *gctx; /* allocator bridge for PCRE2, owned */
    gdi_arena arena;          /* constants, strings, the source copy */
};

/* Map a byte offset of the expression to a file line:col (1-based). */
void gdi_lang_pos(const gdi_program *p, uint32_t off, uint32_t *line, uint32_t *col);
void gdi_lang_pos_src(const gdi_srcmap *map, const char *src, size_t len, uint32_t off,
                      uint32_t *line, uint32_t *col);

/* A PCRE2 general context whose allocations go through ctx's hook; NULL on
 * out of memory. Caller frees it with pcre2_general_context_free. */
pcre2_general_context *gdi_lang_pcre2_context(gd_ctx *ctx);

/* Operators shared by the VM and constant folding (vm.c). With ev NULL
 * (folding) nothing is allocated and any error is a generic error value. */
gdi_val gdi_lang_unop(gdi_eval *ev, int op, const gdi_val *a);
gdi_val gdi_lang_binop(gdi_eval *ev, int op, const gdi_val *a, const gdi_val *b);

/* Write a value in the check language's literal syntax (listings). */
void gdi_val_write(gdi_buf *b, const gdi_val *v);

/* ------------------------------------------------------------ tokens */

#define GDI_TOK_LIST(X)                                                                            \
    X(EOF, "end of expression")                                                                    \
    X(ERROR, "invalid token")                                                                      \
    X(NUM, "number")                                                                               \
    X(STR, "string")                                                                               \
    X(IDENT, "name")                                                                               \
    X(AND, "'and'")                                                                                \
    X(OR, "'or'")                                                                                  \
    X(NOT, "'not'")                                                                                \
    X(IN, "'in'")                                                                                  \
    X(LET, "'let'")                                                                                \
    X(TRUE, "'true'")                                                                              \
    X(FALSE, "'false'")                                                                            \
    X(NULL, "'null'")                                                                              \
    X(LPAREN, "'('")                                                                               \
    X(RPAREN, "')'")                                                                               \
    X(LBRACK, "'['")                                                                               \
    X(RBRACK, "']'")                                                                               \
    X(LBRACE, "'{'")                                                                               \
    X(RBRACE, "'}'")                                                                               \
    X(COMMA, "','")                                                                                \
    X(DOT, "'.'")                                                                                  \
    X(COLON, "':'")                                                                                \
    X(SEMI, "';'")                                                                                 \
    X(QQ, "'?\?'")                                                                                  \
    X(EQ, "'=='")                                                                                  \
    X(NE, "'!='")                                                                                  \
    X(LT, "'<'")                                                                                   \
    X(LE, "'<='")                                                                                  \
    X(GT, "'>'")                                                                                   \
    X(GE, "'>='")                                                                                  \
    X(PLUS, "'+'")                                                                                 \
    X(MINUS, "'-'")                                                                                \
    X(STAR, "'*'")                                                                                 \
    X(SLASH, "'/'")                                                                                \
    X(PERCENT, "'%'")                                                                              \
    X(ARROW, "'=>'")                                                                               \
    X(ASSIGN, "'='")

typedef enum gdi_tok {
#define GDI_X_T(name, desc) GDI_T_##name,
    GDI_TOK_LIST(GDI_X_T)
#undef GDI_X_T
        GDI_T__COUNT
} gdi_tok;
extern const char *const gdi_tok_names[GDI_T__COUNT];

typedef struct gdi_token {
    gdi_tok t;        /* kind */
    uint32_t pos;     /* byte offset of the first byte */
    uint32_t end;     /* one past the last byte */
    gd_str text;      /* IDENT: the name; STR: decoded bytes (arena); NUM: the text */
    gdi_val num;      /* NUM: the value */
} gdi_token;

/* Shared state of lexer, parser and compiler for one expression. */
typedef struct gdi_lang_cc {
    gd_ctx *ctx;               /* diagnostics and allocation, borrowed */
    const gdi_srcmap *map;     /* position mapping, borrowed */
    const char *src;           /* expression text, borrowed */
    uint32_t len;              /* its length */
    uint32_t lexpos;           /* lexer cursor */
    gdi_token tok;             /* current token */
    gdi_token peek;            /* one token of lookahead (valid when has_peek) */
    bool has_peek;
    gdi_arena *arena;          /* AST and decoded strings (compile lifetime) */
    uint32_t depth;            /* current nesting depth of the parser */
    uint32_t max_depth;        /* GD_LIMIT_DEPTH */
    uint32_t nerrors;          /* errors reported so far */
    uint32_t prev_end;         /* end of the token consumed last */
    bool panic;                /* after a syntax error: quiet until resynchronised */
    bool nomem;                /* an allocation failed */
} gdi_lang_cc;

/* Report an error at byte offset off of the expression. */
void gdi_lang_error(gdi_lang_cc *cc, uint32_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Read the next token into cc->tok (or from the lookahead). Lexical errors
 * are reported and give GDI_T_ERROR. */
void gdi_lex_next(gdi_lang_cc *cc);
/* The token after cc->tok, without consuming it. */
const gdi_token *gdi_lex_peek(gdi_lang_cc *cc);

/* -------------------------------------------------------------- AST */

typedef enum gdi_ast_kind {
    GDI_A_LIT,    /* lit */
    GDI_A_NAME,   /* name: attribute, let binding or lambda parameter */
    GDI_A_FIELD,  /* a.name */
    GDI_A_INDEX,  /* a[b] */
    GDI_A_UNARY,  /* op a (op: GDI_OP_NOT or GDI_OP_NEG) */
    GDI_A_BINARY, /* a op b (op: arithmetic, comparison, IN, NOTIN) */
    GDI_A_AND,    /* a and b */
    GDI_A_OR,     /* a or b */
    GDI_A_COALESCE, /* a ?? b */
    GDI_A_LIST,   /* [items] */
    GDI_A_CALL,   /* name(args) */
    GDI_A_LAMBDA, /* name => a */
    GDI_A_LET,    /* let name = a; b */
    GDI_A_BAD     /* a syntax error was reported here */
} gdi_ast_kind;

typedef struct gdi_ast gdi_ast;
struct gdi_ast {
    uint8_t kind;     /* gdi_ast_kind */
    uint8_t op;       /* GDI_A_UNARY/BINARY: gdi_op */
    uint32_t pos;     /* first byte of the construct */
    uint32_t end;     /* one past its last byte */
    uint32_t opos;    /* position of the operator / name / call */
    gd_str name;      /* NAME, FIELD, CALL, LAMBDA, LET */
    int ival;         /* unused; -1 */
    gdi_val lit;      /* LIT */
    gdi_ast *a, *b;   /* operands / value and body / lambda body */
    gdi_ast **items;  /* LIST items, CALL arguments (arena) */
    uint32_t nitems;  /* count */
};

/* Parse the whole expression. Returns the AST (never NULL unless out of
 * memory); errors are reported through cc and counted in cc->nerrors. */
gdi_ast *gdi_lang_parse(gdi_lang_cc *cc);

/* ---------------------------------------------------------- CIDR/ports */

/* An IPv4 or IPv6 network. IPv4 addresses are kept in the low 32 bits of
 * lo (hi = 0). */
typedef struct gdi_net {
    uint8_t family;  /* 4 or 6 */
    uint8_t prefix;  /* 0..32 or 0..128 */
    bool any;        /* written as "*" */
    uint64_t hi, lo; /* address, host bits cleared */
} gdi_net;

/* Parse "a.b.c.d", "a.b.c.d/n", an IPv6 address with optional /n, or "*"
 * (any IPv4). Surrounding spaces are ignored. false when invalid. */
bool gdi_net_parse(const char *s, size_t n, gdi_net *out);
/* True when a contains b (same family, b's prefix at least a's, b inside). */
bool gdi_net_contains(const gdi_net *a, const gdi_net *b);
/* True when the network reaches addresses outside the private, loopback,
 * link-local, CGNAT and "this network" ranges. */
bool gdi_net_is_public(const gdi_net *a);
/* True for 0.0.0.0/0, ::/0, 0.0.0.0 and "*". */
bool gdi_net_is_any(const gdi_net *a);

/* A port range [lo, hi]; lo = 0, hi = 65535 means all ports. */
typedef struct gdi_ports {
    int32_t lo, hi;
} gdi_ports;
/* Parse a provider port range ("22/22", "-1/-1", "22-25", "22", "ALL",
 * "80,443" — commas give several ranges). Writes up to max ranges, sets *n.
 * false when the text is not a port range (including ""). */
bool gdi_ports_parse(const char *s, size_t n, gdi_ports *out, size_t max, size_t *count);

/* ------------------------------------------------------------- eval */

/* A parsed json() result cached for the run. */
typedef struct gdi_json_cache {
    const char *p;  /* string bytes parsed (identity) */
    uint32_t n;     /* length */
    gdi_val v;      /* the result */
} gdi_json_cache;

struct gdi_eval {
    gd_ctx *ctx;                 /* allocator owner, borrowed */
    gdi_val *stack;              /* value stack, owned */
    uint32_t capstack;           /* its capacity */
    gdi_val *slots;              /* locals, owned */
    uint32_t capslots;           /* their capacity */
    gdi_arena scratch;           /* per-run memory; reset at each run */
    pcre2_general_context *gctx; /* PCRE2 allocations through ctx, owned */
    pcre2_match_data *md;        /* one match block for every regex, owned */
    gd_ctx *jctx;                /* child ctx that receives json() parse errors, owned */
    gdi_doc **docs;              /* pool of documents for json(), owned */
    uint32_t ndocs, capdocs;     /* docs allocated / capacity of the array */
    uint32_t useddocs;           /* docs used in this run */
    gdi_json_cache jcache[8];    /* json() results of this run */
    uint32_t njcache;            /* entries used (ring when full) */
    const gdi_program *p;        /* program of the current run */
    const gdi_resource *r;       /* resource of the current run */
    const gdi_joins *joins;      /* join index, may be NULL */
    uint32_t at;                 /* code offset of the instruction being run */
    int32_t unknown_at;          /* code offset where an unknown first appeared, -1 */
    bool nomem;                  /* scratch allocation failed during the run */
    bool dirty;                  /* scratch memory was handed out since the last reset */
};

/* An error value whose reason is "<message> (in `<source of the current
 * instruction>`)", formatted in the scratch arena. */
gdi_val gdi_eval_error(gdi_eval *ev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Scratch memory for this run; sets ev->nomem and returns NULL on failure. */
void *gdi_eval_alloc(gdi_eval *ev, size_t n);
/* A document for this run (reset; its parse errors go to a private ctx,
 * cleared by the caller). NULL when out of memory (ev->nomem set). */
gdi_doc *gdi_eval_doc(gdi_eval *ev);
/* Element access on a list value (node array or computed list). *n is the
 * count; call gdi_list_at for each index in order (node arrays walk). */
bool gdi_val_is_list(const gdi_val *v);
uint32_t gdi_val_len(const gdi_val *v);
/* Offset of the first occurrence of needle in hay, or -1. */
ptrdiff_t gdi_str_find(const char *hay, size_t hn, const char *needle, size_t nn);
/* Copy the elements of a list value into a new scratch array. */
gdi_val *gdi_list_elems(gdi_eval *ev, const gdi_val *v, uint32_t *n);

#endif /* GDI_LANG_H */
