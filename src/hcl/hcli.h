/*
 * hcli.h — internals of the HCL reader shared by the files of src/hcl/.
 *
 * Pipeline: lex.c cuts source text into tokens (and template literal
 * chunks); parse.c builds a body tree (attributes, blocks) whose
 * attribute values are expression trees; tfjson.c builds the same tree from
 * .tf.json documents; value.c defines the immutable values expressions
 * evaluate to; eval.c evaluates expressions in a scope; funcs.c holds the
 * built-in functions (regex.c the regular-expression ones, on PCRE2);
 * config.c turns bodies into modules, variables,
 * locals, resources and module calls and drives evaluation.
 *
 * Memory: syntax trees and values are allocated from arenas owned by the
 * load (struct hcl_state) and are never freed individually. Strings are
 * gd_str (pointer + length), pointing into file texts or arenas.
 *
 * Positions: every expression records the file index and byte offset where
 * it starts; values record where they were produced, so a finding can point
 * at the line of an attribute.
 */
#ifndef GDI_HCLI_H
#define GDI_HCLI_H

#include "hcl.h"

/* ------------------------------------------------------------- syntax */

typedef enum hcl_ek {
    HE_NULL,
    HE_TRUE,
    HE_FALSE,
    HE_NUM,      /* num */
    HE_STR,      /* literal string: name holds the decoded bytes */
    HE_TEMPLATE, /* kids: parts (HE_STR, expressions, HE_TPL_IF, HE_TPL_FOR); result string */
    HE_WRAP,     /* a template that is exactly one interpolation: a's value as is */
    HE_TPL_IF,   /* a = condition, b = then template, c = else template or NULL */
    HE_TPL_FOR,  /* name = key var or empty, name2 = value var, a = collection, b = body */
    HE_TUPLE,    /* kids: elements */
    HE_OBJECT,   /* kids: key, value, key, value...; a bare identifier key is HE_STR flagged */
    HE_VAR,      /* name: root of a traversal */
    HE_ATTR,     /* a.name */
    HE_INDEX,    /* a[b] */
    HE_SPLAT,    /* a[*] / a.*: b evaluated per element with HE_ANCHOR bound to it */
    HE_ANCHOR,   /* the current splat element */
    HE_CALL,     /* name(kids...), flag HEF_EXPAND when the last argument has "..." */
    HE_UNOP,     /* op a */
    HE_BINOP,    /* a op b */
    HE_COND,     /* a ? b : c */
    HE_FOR,      /* name = key var or empty, name2 = value var, a = collection,
                    b = key expression (object form) or NULL, c = value, d = condition */
    HE_PAREN     /* (a) */
} hcl_ek;

enum {
    HEF_EXPAND = 1 << 0,  /* call: last argument expanded */
    HEF_OBJFOR = 1 << 1,  /* for: produces an object */
    HEF_GROUP = 1 << 2,   /* for: grouping mode ("...") */
    HEF_BAREKEY = 1 << 3, /* object key: a bare identifier */
    HEF_ATTRSPLAT = 1 << 4 /* splat: the legacy attribute-only form a.*.b */
};

/* Operators (token-independent). */
enum {
    HOP_ADD = 1, HOP_SUB, HOP_MUL, HOP_DIV, HOP_MOD,
    HOP_EQ, HOP_NE, HOP_LT, HOP_LE, HOP_GT, HOP_GE,
    HOP_AND, HOP_OR, HOP_NOT, HOP_NEG
};

typedef struct hcl_expr hcl_expr;
struct hcl_expr {
    uint8_t kind;     /* hcl_ek */
    uint8_t op;       /* HOP_* for unop/binop */
    uint8_t flags;    /* HEF_* */
    uint32_t file;    /* index of the file in the load */
    uint32_t pos;     /* byte offset of the expression's start */
    uint32_t n;       /* number of kids */
    gd_str name;      /* see hcl_ek */
    gd_str name2;     /* see hcl_ek */
    double num;       /* HE_NUM */
    hcl_expr *a, *b, *c, *d;
    hcl_expr **kids;
};

typedef struct hcl_body hcl_body;

typedef struct hcl_attr {
    gd_str name;    /* attribute name */
    uint32_t pos;   /* offset of the name */
    hcl_expr *expr; /* value expression */
} hcl_attr;

typedef struct hcl_block {
    gd_str type;     /* block type: resource, variable, ingress ... */
    gd_str *labels;  /* labels, decoded */
    uint32_t nlabels;
    uint32_t file;   /* file index */
    uint32_t pos;    /* offset of the type keyword */
    uint32_t end;    /* offset one past the closing brace */
    hcl_body *body;
} hcl_block;

struct hcl_body {
    hcl_attr *attrs;    /* in source order */
    uint32_t nattrs;
    hcl_block **blocks; /* in source order */
    uint32_t nblocks;
};

/* Find an attribute of a body by name, or NULL. */
const hcl_attr *gdi_hcl_body_attr(const hcl_body *b, const char *name);

/* Parse one native-syntax file. text (not necessarily NUL-terminated) and
 * the tree live as long as arena. Syntax errors are reported to ctx as
 * "name:line:col: message" (several where possible); returns GD_SYNTAX,
 * GD_LIMIT (nesting deeper than GD_LIMIT_DEPTH) or GD_NOMEM and *out NULL
 * then. */
gd_status gdi_hcl_parse(gd_ctx *ctx, gdi_arena *arena, const char *name, uint32_t file,
                        const char *text, size_t len, hcl_body **out);

/* Parse text as one expression (for --var values of complex types and
 * TF_VAR_ environment variables). Errors as for gdi_hcl_parse. */
gd_status gdi_hcl_parse_expr(gd_ctx *ctx, gdi_arena *arena, const char *name, uint32_t file,
                             const char *text, size_t len, hcl_expr **out);

/* Parse text as a template (the JSON syntax's strings). pos0 is the
 * offset reported for its parts. */
gd_status gdi_hcl_parse_template(gd_ctx *ctx, gdi_arena *arena, const char *name, uint32_t file,
                                 const char *src, size_t srclen, uint32_t pos0, hcl_expr **out);

/* Build a body from a .tf.json document (tfjson.c). Errors as above. */
gd_status gdi_hcl_parse_json(gd_ctx *ctx, gdi_arena *arena, const char *name, uint32_t file,
                             const char *text, size_t len, hcl_body **out);

/* -------------------------------------------------------------- values */

typedef enum hcl_vk { HV_NULL, HV_BOOL, HV_NUM, HV_STR, HV_LIST, HV_OBJ, HV_UNK } hcl_vk;

enum {
    HVF_SET = 1 << 0,  /* list: a set (no duplicates, cannot be indexed) */
    HVF_MAP = 1 << 1,  /* object: a map (all values one type) */
    HVF_OPEN = 1 << 2, /* object: a resource's attributes; a missing one is unknown */
    HVF_TUPLE = 1 << 3 /* list: a tuple (from a literal) */
};

#define HCL_NOFILE UINT32_MAX

typedef struct hcl_val hcl_val;
struct hcl_val {
    uint8_t kind;  /* hcl_vk */
    uint8_t flags; /* HVF_* */
    uint32_t file; /* file that produced it, HCL_NOFILE when none */
    uint32_t pos;  /* offset in that file */
    uint32_t n;    /* string bytes, list elements or object members */
    union {
        bool b;        /* HV_BOOL */
        double num;    /* HV_NUM */
        const char *s; /* HV_STR: n bytes, not NUL-terminated */
        struct {
            hcl_val **items; /* list elements, object values */
            gd_str *keys;    /* object keys, sorted bytewise, unique */
        } c;
    } u;
};

/* Shared immutable constants (never written). */
extern const hcl_val gdi_hcl_null, gdi_hcl_unknown, gdi_hcl_true, gdi_hcl_false;

hcl_val *gdi_hv_new(gdi_arena *a, hcl_vk kind, uint32_t file, uint32_t pos);
hcl_val *gdi_hv_num(gdi_arena *a, double v, uint32_t file, uint32_t pos);
hcl_val *gdi_hv_bool(gdi_arena *a, bool v, uint32_t file, uint32_t pos);
/* String value; the bytes are borrowed (copy first when they are transient). */
hcl_val *gdi_hv_str(gdi_arena *a, const char *s, size_t n, uint32_t file, uint32_t pos);
/* String value with the bytes copied into a. */
hcl_val *gdi_hv_strdup(gdi_arena *a, const char *s, size_t n, uint32_t file, uint32_t pos);
/* List of n elements (items copied into a). */
hcl_val *gdi_hv_list(gdi_arena *a, hcl_val **items, uint32_t n, uint8_t flags, uint32_t file,
                     uint32_t pos);
/* Object from n (key, value) pairs in any order: sorted, copied into a.
 * A duplicate key keeps the last value and sets *dup (may be NULL). */
hcl_val *gdi_hv_obj(gdi_arena *a, gd_str *keys, hcl_val **vals, uint32_t n, uint8_t flags,
                    uint32_t file, uint32_t pos, bool *dup);
/* Member of an object, or NULL. */
hcl_val *gdi_hv_get(const hcl_val *obj, gd_str key);
/* True when v is unknown or contains an unknown anywhere. */
bool gdi_hv_has_unknown(const hcl_val *v);
/* Deep equality; unknowns make *unknown true (result then meaningless). */
bool gdi_hv_equal(const hcl_val *x, const hcl_val *y, bool *unknown);
/* Bytewise order of two strings, then length. */
int gdi_hv_strcmp(gd_str x, gd_str y);
/* Format a number as Terraform prints it into buf (at least 32 bytes);
 * returns the length. */
size_t gdi_hv_numfmt(double v, char *buf, size_t cap);
/* Convert a primitive to a string value; false when not convertible
 * (null, collections). */
bool gdi_hv_to_string(gdi_arena *a, const hcl_val *v, hcl_val **out);
/* Convert to a number (strings parsed); false when not convertible. */
bool gdi_hv_to_number(const hcl_val *v, double *out);
/* Convert to a bool ("true"/"false" strings accepted). */
bool gdi_hv_to_bool(const hcl_val *v, bool *out);
/* Name of a value's type for messages ("string", "tuple", ...). */
const char *gdi_hv_type_name(const hcl_val *v);
/* Write v as JSON (unknown as null when unk_null, else as "(known after
 * apply)") to b. Keys in sorted order. */
void gdi_hv_to_json(gdi_buf *b, const hcl_val *v);
/* Append v to document d as a subtree; positions: a value produced in
 * file `file` within [lo, hi) keeps its own offset, anything else gets
 * fallback. Returns the node index or UINT32_MAX on out of memory. */
uint32_t gdi_hv_to_doc(gdi_doc *d, gdi_arena *strs, const hcl_val *v, uint32_t file, uint32_t lo,
                       uint32_t hi, uint32_t fallback);
/* Build a value from a document node (jsondecode, .tfvars.json). */
hcl_val *gdi_hv_from_node(gdi_arena *a, const gdi_node *n, uint32_t file);

/* ---------------------------------------------------------- evaluation */

typedef struct hcl_bind {
    gd_str name;                 /* bound name (for variables, iterator) */
    const hcl_val *val;          /* its value */
    const struct hcl_bind *next; /* outer bindings */
} hcl_bind;

struct hcl_modinst;
struct hcl_state;

typedef struct hcl_scope {
    struct hcl_modinst *mi;      /* module instance whose names are visible; NULL: none */
    const hcl_val *count_index;  /* count.index, or NULL when count is not in scope */
    const hcl_val *each_key;     /* each.key, or NULL */
    const hcl_val *each_val;     /* each.value */
    const hcl_bind *binds;       /* for-expression / iterator names */
    const hcl_val *anchor;       /* current splat element */
} hcl_scope;

/* Evaluation context: one per load. */
typedef struct hcl_ev {
    struct hcl_state *st;  /* the load */
    gd_ctx *ctx;           /* diagnostics and allocation */
    gdi_arena *arena;      /* where values are allocated */
    uint32_t depth;        /* current expression nesting */
    uint32_t max_depth;    /* bound on depth */
    uint32_t mute;         /* > 0: errors are not reported (try/can) */
    bool failed;           /* some evaluation error was reported */
} hcl_ev;

/* Evaluate e in scope s. Returns GD_OK (*out set, possibly unknown),
 * GD_INVALID after an evaluation error (reported unless muted; *out is
 * unknown), GD_LIMIT, or GD_NOMEM. */
gd_status gdi_hcl_eval(hcl_ev *ev, const hcl_scope *s, const hcl_expr *e, const hcl_val **out);

/* Report an evaluation error at e (unless muted); returns GD_INVALID. */
gd_status gdi_hcl_everr(hcl_ev *ev, const hcl_expr *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Name resolution supplied by config.c: the value of a reference whose
 * root is not bound by the expression itself. */
gd_status gdi_hcl_ref(hcl_ev *ev, const hcl_scope *s, const hcl_expr *e, const hcl_val **out,
                      bool *handled);

/* Call built-in function e->name with evaluated args (funcs.c). Functions
 * that need lazy arguments (try, can) are handled in eval.c. */
gd_status gdi_hcl_call(hcl_ev *ev, const hcl_expr *e, const hcl_val **args, uint32_t nargs,
                       const hcl_val **out);

/* regex(pat, s) (all false: the first match, an error when none) or
 * regexall(pat, s) (all true: a list of every match) as Terraform
 * returns them (regex.c). GD_OK, GD_INVALID (reported), GD_NOMEM. */
gd_status gdi_hcl_regex(hcl_ev *ev, const hcl_expr *e, gd_str pat, gd_str s, bool all,
                        const hcl_val **out);

/* replace(s, "/pat/", rep) with pat a regular expression (given without
 * the slashes) and Go's $1 / ${name} / $$ expansion in rep. Statuses as
 * for gdi_hcl_regex. */
gd_status gdi_hcl_regex_replace(hcl_ev *ev, const hcl_expr *e, gd_str s, gd_str pat, gd_str rep,
                                const hcl_val **out);

/* Convert v to the type constraint written as expression t (variable
 * `type`); returns GD_INVALID with an error when impossible. */
gd_status gdi_hcl_convert(hcl_ev *ev, const hcl_expr *t, const hcl_val *v, const hcl_val **out);

/* Sort set elements (strings bytewise, numbers numerically) and drop
 * duplicates in place; returns the new count. */
uint32_t gdi_hcl_set_normalize(hcl_val **items, uint32_t n);

/* Read the file at path for file() and templatefile() (config.c): a
 * relative path is taken from the directory of the root module being
 * evaluated, as Terraform takes it from its working directory. The file
 * joins the load's files (read once however often it is used) and *file
 * is its index. GD_OK; GD_INVALID (reported at e: missing, unreadable or
 * over --max-file-size, the last also making the load GD_LIMIT);
 * GD_NOMEM. */
gd_status gdi_hcl_file_load(hcl_ev *ev, const hcl_expr *e, gd_str path, uint32_t *file);
/* A path as the file functions see it: relative ones from the root module's
 * directory (in the load's arena; NULL when out of memory). */
const char *gdi_hcl_path(hcl_ev *ev, gd_str path);

/* Path of a file by index (for messages). */
const char *gdi_hcl_file_name(const struct hcl_state *st, uint32_t file);
/* Text of a file by index (for line/col), or NULL. */
void gdi_hcl_file_text(const struct hcl_state *st, uint32_t file, const char **text, size_t *len);

#endif /* GDI_HCLI_H */
