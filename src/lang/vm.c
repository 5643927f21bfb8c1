/*
 * vm.c — values and the bytecode evaluator.
 *
 * The evaluator is a loop over 32-bit instruction words (opcode in the low
 * byte, operand A above it, extra operand words following) with `switch`
 * dispatch, a value stack sized once from the program's max_stack, and
 * local slots for let bindings, lambda parameters and quantifier state.
 * Every instruction costs one step of the GD_LIMIT_EVAL_STEPS budget.
 *
 * Values (lang.h) are 16-byte tagged structs that own nothing: strings and
 * nodes are borrowed from the resource's document or the program's
 * constants; computed strings and lists come from the scratch arena, which
 * is rewound at the start of each run, so a warmed-up evaluator does not
 * allocate. Document scalars are converted to values when read; arrays and
 * objects stay node references and are walked in place.
 *
 * Semantics (docs/rules.md): missing attribute/key/index and any path
 * through null give null; a path into the wrong kind of value is an error;
 * unknown propagates through every operation except where Kleene logic
 * decides (false and unknown = false, true or unknown = true) and the
 * functions that inspect unknown (type, is_unknown, is_known). Errors are
 * values too: they propagate outward and become the ERROR verdict, with the
 * source text of the failing instruction in the reason.
 */
#include "lang.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

/* An empty object, for resources without attributes. */
static const gdi_node empty_object = {GDI_OBJECT, 0, 0, 0, 1, 0, NULL};

/* ------------------------------------------------------------- values */

gdi_val gdi_val_from_node(const gdi_node *n)
{
    if (!n) return gdi_v_null();
    switch ((gdi_type)n->type) {
    case GDI_NULL: return gdi_v_null();
    case GDI_FALSE: return gdi_v_bool(false);
    case GDI_TRUE: return gdi_v_bool(true);
    case GDI_NUMBER: {
        int64_t i;
        if (gdi_numtext_i64(n->str, n->len, &i)) return gdi_v_int(i);
        return gdi_v_dbl(gdi_numtext_f64(n->str, n->len));
    }
    case GDI_STRING: return gdi_v_str(n->str, n->len);
    case GDI_ARRAY:
    case GDI_OBJECT: {
        gdi_val v = {0};
        v.t = GDI_VT_NODE;
        v.u.node = n;
        return v;
    }
    case GDI_UNKNOWN: return gdi_v_unknown();
    }
    return gdi_v_null();
}

const char *gdi_val_type_name(const gdi_val *v)
{
    switch ((gdi_vtag)v->t) {
    case GDI_VT_NULL: return "null";
    case GDI_VT_BOOL: return "bool";
    case GDI_VT_INT:
    case GDI_VT_DBL: return "number";
    case GDI_VT_STR: return "string";
    case GDI_VT_NODE: return v->u.node->type == GDI_ARRAY ? "list" : "object";
    case GDI_VT_LIST: return "list";
    case GDI_VT_UNKNOWN: return "unknown";
    case GDI_VT_ERROR: return "error";
    }
    return "?";
}

static bool is_num(const gdi_val *v)
{
    return v->t == GDI_VT_INT || v->t == GDI_VT_DBL;
}

bool gdi_val_is_list(const gdi_val *v)
{
    return v->t == GDI_VT_LIST || (v->t == GDI_VT_NODE && v->u.node->type == GDI_ARRAY);
}

static bool is_object(const gdi_val *v)
{
    return v->t == GDI_VT_NODE && v->u.node->type == GDI_OBJECT;
}

uint32_t gdi_val_len(const gdi_val *v)
{
    return v->t == GDI_VT_NODE ? v->u.node->len : v->n;
}

static double as_dbl(const gdi_val *v)
{
    return v->t == GDI_VT_INT ? (double)v->u.i : v->u.d;
}

static int cmp_int_dbl(int64_t i, double d)
{
    if (isnan(d)) return -1;
    if (d >= 9223372036854775808.0) return -1;
    if (d < -9223372036854775808.0) return 1;
    double t = trunc(d);
    int64_t ti = (int64_t)t;
    if (i < ti) return -1;
    if (i > ti) return 1;
    double frac = d - t;
    return frac > 0 ? -1 : frac < 0 ? 1 : 0;
}

int gdi_num_cmp(const gdi_val *a, const gdi_val *b)
{
    if (a->t == GDI_VT_INT && b->t == GDI_VT_INT) return a->u.i < b->u.i ? -1 : a->u.i > b->u.i;
    if (a->t == GDI_VT_INT) return cmp_int_dbl(a->u.i, b->u.d);
    if (b->t == GDI_VT_INT) return -cmp_int_dbl(b->u.i, a->u.d);
    return a->u.d < b->u.d ? -1 : a->u.d > b->u.d;
}

/* Walks the elements of a list value (node array or computed list). */
typedef struct liter {
    const gdi_node *cur;  /* next node (node arrays) */
    const gdi_val *items; /* computed list items */
    uint32_t i, n;        /* position and count */
} liter;

static void liter_init(liter *it, const gdi_val *v)
{
    it->i = 0;
    if (v->t == GDI_VT_NODE) {
        it->n = v->u.node->len;
        it->cur = v->u.node + 1;
        it->items = NULL;
    } else {
        it->n = v->n;
        it->items = v->u.items;
        it->cur = NULL;
    }
}

static gdi_val liter_next(liter *it)
{
    gdi_val r;
    if (it->cur) {
        r = gdi_val_from_node(it->cur);
        it->cur += it->cur->skip;
    } else {
        r = it->items[it->i];
    }
    it->i++;
    return r;
}

static int str_cmp(const gdi_val *a, const gdi_val *b)
{
    size_t n = a->n < b->n ? a->n : b->n;
    int c = n ? memcmp(a->u.s, b->u.s, n) : 0;
    if (c) return c < 0 ? -1 : 1;
    return a->n < b->n ? -1 : a->n > b->n;
}

static int equal_depth(const gdi_val *a, const gdi_val *b, int depth);

static int equal_objects(const gdi_node *x, const gdi_node *y, int depth)
{
    if (x == y) return 1;
    if (x->len != y->len && !((x->flags | y->flags) & GDI_NF_DUPKEY)) return 0;
    int res = 1;
    const gdi_node *k = x + 1;
    for (uint32_t i = 0; i < x->len; i++) {
        const gdi_node *v = k + 1;
        const gdi_node *ov = gdi_obj_get(y, k->str, k->len);
        if (!ov) return 0;
        gdi_val av = gdi_val_from_node(gdi_obj_get(x, k->str, k->len));
        gdi_val bv = gdi_val_from_node(ov);
        int e = equal_depth(&av, &bv, depth + 1);
        if (e == 0) return 0;
        if (e == 2) res = 2;
        k = v + v->skip;
    }
    /* with duplicate keys member counts mislead: check y's keys exist in x */
    if ((x->flags | y->flags) & GDI_NF_DUPKEY) {
        k = y + 1;
        for (uint32_t i = 0; i < y->len; i++) {
            if (!gdi_obj_get(x, k->str, k->len)) return 0;
            k = k + 1 + k[1].skip;
        }
    }
    return res;
}

static int equal_depth(const gdi_val *a, const gdi_val *b, int depth)
{
    if (a->t == GDI_VT_UNKNOWN || b->t == GDI_VT_UNKNOWN) return 2;
    if (depth > 256) return 0;
    if (is_num(a) && is_num(b)) return gdi_num_cmp(a, b) == 0;
    if (gdi_val_is_list(a) && gdi_val_is_list(b)) {
        if (a->t == GDI_VT_NODE && b->t == GDI_VT_NODE && a->u.node == b->u.node) return 1;
        if (gdi_val_len(a) != gdi_val_len(b)) return 0;
        liter ia, ib;
        liter_init(&ia, a);
        liter_init(&ib, b);
        int res = 1;
        while (ia.i < ia.n) {
            gdi_val x = liter_next(&ia), y = liter_next(&ib);
            int e = equal_depth(&x, &y, depth + 1);
            if (e == 0) return 0;
            if (e == 2) res = 2;
        }
        return res;
    }
    if (is_object(a) && is_object(b)) return equal_objects(a->u.node, b->u.node, depth);
    if (a->t != b->t) return 0;
    switch ((gdi_vtag)a->t) {
    case GDI_VT_NULL: return 1;
    case GDI_VT_BOOL: return a->b == b->b;
    case GDI_VT_STR: return a->n == b->n && gdi_bytes_eq(a->u.s, b->u.s, a->n);
    default: return 0;
    }
}

int gdi_val_equal(const gdi_val *a, const gdi_val *b)
{
    return equal_depth(a, b, 0);
}

/* ------------------------------------------------------------- errors */

void *gdi_eval_alloc(gdi_eval *ev, size_t n)
{
    void *p = gdi_arena_alloc(&ev->scratch, n ? n : 1);
    ev->dirty = true;
    if (!p) ev->nomem = true;
    return p;
}

static const gdi_val fold_error = {GDI_VT_ERROR, 0, 0, 0, {.s = "not constant"}};

static gdi_val make_error(gdi_eval *ev, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
static gdi_val make_error(gdi_eval *ev, const char *fmt, va_list ap)
{
    if (!ev) return fold_error;
    char msg[400];
    vsnprintf(msg, sizeof msg, fmt, ap);
    char where[100];
    size_t wn = 0;
    const gdi_program *p = ev->p;
    if (p && ev->at < p->ncode) {
        gdi_span sp = p->spans[ev->at];
        for (uint32_t i = sp.start; i < sp.end && i < p->srclen && wn < sizeof where - 4; i++) {
            char c = p->src[i];
            if (c == '\n' || c == '\r' || c == '\t') c = ' ';
            if (c == ' ' && wn && where[wn - 1] == ' ') continue;
            where[wn++] = c;
        }
        if (sp.end - sp.start > sizeof where - 4 && wn >= sizeof where - 4) {
            memcpy(where + wn, "...", 3);
            wn += 3;
        }
    }
    where[wn] = 0;
    size_t need = strlen(msg) + wn + 16;
    char *out = gdi_arena_alloc(&ev->scratch, need);
    ev->dirty = true;
    gdi_val v = {0};
    v.t = GDI_VT_ERROR;
    if (!out) {
        ev->nomem = true;
        v.u.s = "out of memory";
        return v;
    }
    if (wn)
        snprintf(out, need, "%s (in `%s`)", msg, where);
    else
        snprintf(out, need, "%s", msg);
    v.u.s = out;
    return v;
}

gdi_val gdi_eval_error(gdi_eval *ev, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gdi_val v = make_error(ev, fmt, ap);
    va_end(ap);
    return v;
}

#define ERR(ev, ...) gdi_eval_error((ev), __VA_ARGS__)

gdi_val *gdi_list_elems(gdi_eval *ev, const gdi_val *v, uint32_t *n)
{
    uint32_t len = gdi_val_len(v);
    *n = len;
    static const gdi_val none = {0}; /* stands for an empty array; never written */
    if (len == 0) return (gdi_val *)&none;
    if (v->t == GDI_VT_LIST) return (gdi_val *)v->u.items;
    gdi_val *items = gdi_eval_alloc(ev, sizeof *items * (len ? len : 1));
    if (!items) return NULL;
    liter it;
    liter_init(&it, v);
    for (uint32_t i = 0; i < len; i++) items[i] = liter_next(&it);
    return items;
}

/* ----------------------------------------------------------- operators */

static const char *op_symbol(int op)
{
    switch (op) {
    case GDI_OP_ADD: return "+";
    case GDI_OP_SUB: return "-";
    case GDI_OP_MUL: return "*";
    case GDI_OP_DIV: return "/";
    case GDI_OP_MOD: return "%";
    case GDI_OP_LT: return "<";
    case GDI_OP_LE: return "<=";
    case GDI_OP_GT: return ">";
    case GDI_OP_GE: return ">=";
    case GDI_OP_NEG: return "-";
    case GDI_OP_NOT: return "not";
    default: return "?";
    }
}

static gdi_val arith(gdi_eval *ev, int op, const gdi_val *a, const gdi_val *b)
{
    if (a->t == GDI_VT_INT && b->t == GDI_VT_INT) {
        int64_t x = a->u.i, y = b->u.i, r;
        switch (op) {
        case GDI_OP_ADD:
            if (!__builtin_add_overflow(x, y, &r)) return gdi_v_int(r);
            return gdi_v_dbl((double)x + (double)y);
        case GDI_OP_SUB:
            if (!__builtin_sub_overflow(x, y, &r)) return gdi_v_int(r);
            return gdi_v_dbl((double)x - (double)y);
        case GDI_OP_MUL:
            if (!__builtin_mul_overflow(x, y, &r)) return gdi_v_int(r);
            return gdi_v_dbl((double)x * (double)y);
        case GDI_OP_DIV:
            if (y == 0) return ERR(ev, "division by zero");
            if (y == -1 && x == INT64_MIN) return gdi_v_dbl(-(double)x);
            if (x % y == 0) return gdi_v_int(x / y);
            return gdi_v_dbl((double)x / (double)y);
        default: /* MOD */
            if (y == 0) return ERR(ev, "division by zero");
            if (y == -1) return gdi_v_int(0);
            return gdi_v_int(x % y);
        }
    }
    double x = as_dbl(a), y = as_dbl(b);
    switch (op) {
    case GDI_OP_ADD: return gdi_v_dbl(x + y);
    case GDI_OP_SUB: return gdi_v_dbl(x - y);
    case GDI_OP_MUL: return gdi_v_dbl(x * y);
    case GDI_OP_DIV:
        if (y == 0) return ERR(ev, "division by zero");
        return gdi_v_dbl(x / y);
    default:
        if (y == 0) return ERR(ev, "division by zero");
        return gdi_v_dbl(fmod(x, y));
    }
}

static gdi_val concat(gdi_eval *ev, const gdi_val *a, const gdi_val *b)
{
    if (!ev) return fold_error;
    uint64_t max = gdi_limit(ev->ctx, GD_LIMIT_STRING);
    if (a->t == GDI_VT_STR) {
        size_t n = (size_t)a->n + b->n;
        if (n > UINT32_MAX / 2 || n > max) return ERR(ev, "string too long (max-string)");
        char *s = gdi_eval_alloc(ev, n ? n : 1);
        if (!s) return ERR(ev, "out of memory");
        if (a->n) memcpy(s, a->u.s, a->n);
        if (b->n) memcpy(s + a->n, b->u.s, b->n);
        return gdi_v_str(s, n);
    }
    uint32_t na = gdi_val_len(a), nb = gdi_val_len(b);
    if ((uint64_t)na + nb > UINT32_MAX / 2 || ((uint64_t)na + nb) * sizeof(gdi_val) > max)
        return ERR(ev, "list too long (max-string)");
    gdi_val *items = gdi_eval_alloc(ev, sizeof *items * ((size_t)na + nb + 1));
    if (!items) return ERR(ev, "out of memory");
    liter it;
    liter_init(&it, a);
    for (uint32_t i = 0; i < na; i++) items[i] = liter_next(&it);
    liter_init(&it, b);
    for (uint32_t i = 0; i < nb; i++) items[na + i] = liter_next(&it);
    return gdi_v_list(items, na + nb);
}

/* a in b: a boolean, unknown, or an error value. */
static gdi_val member(gdi_eval *ev, const gdi_val *a, const gdi_val *b)
{
    if (b->t == GDI_VT_NULL) return gdi_v_bool(false);
    if (gdi_val_is_list(b)) {
        liter it;
        liter_init(&it, b);
        bool unk = false;
        while (it.i < it.n) {
            gdi_val e = liter_next(&it);
            int r = gdi_val_equal(a, &e);
            if (r == 1) return gdi_v_bool(true);
            if (r == 2) unk = true;
        }
        return unk ? gdi_v_unknown() : gdi_v_bool(false);
    }
    if (a->t == GDI_VT_UNKNOWN) return gdi_v_unknown();
    if (is_object(b)) {
        if (a->t != GDI_VT_STR)
            return ERR(ev, "'in' on an object needs a string key, got %s", gdi_val_type_name(a));
        return gdi_v_bool(gdi_obj_get(b->u.node, a->u.s, a->n) != NULL);
    }
    if (b->t == GDI_VT_STR) {
        if (a->t != GDI_VT_STR)
            return ERR(ev, "'in' on a string needs a string, got %s", gdi_val_type_name(a));
        if (a->n == 0) return gdi_v_bool(true);
        if (a->n > b->n) return gdi_v_bool(false);
        return gdi_v_bool(gdi_str_find(b->u.s, b->n, a->u.s, a->n) >= 0);
    }
    return ERR(ev, "'in' needs a list, object or string on the right, got %s",
               gdi_val_type_name(b));
}

gdi_val gdi_lang_unop(gdi_eval *ev, int op, const gdi_val *a)
{
    if (a->t == GDI_VT_ERROR || a->t == GDI_VT_UNKNOWN) return *a;
    if (op == GDI_OP_NOT) {
        if (a->t == GDI_VT_BOOL) return gdi_v_bool(!a->b);
        return ERR(ev, "'not' needs a boolean, got %s", gdi_val_type_name(a));
    }
    if (a->t == GDI_VT_INT) {
        if (a->u.i == INT64_MIN) return gdi_v_dbl(-(double)a->u.i);
        return gdi_v_int(-a->u.i);
    }
    if (a->t == GDI_VT_DBL) return gdi_v_dbl(-a->u.d);
    return ERR(ev, "'-' needs a number, got %s", gdi_val_type_name(a));
}

gdi_val gdi_lang_binop(gdi_eval *ev, int op, const gdi_val *a, const gdi_val *b)
{
    if (a->t == GDI_VT_ERROR) return *a;
    if (b->t == GDI_VT_ERROR) return *b;
    switch (op) {
    case GDI_OP_EQ:
    case GDI_OP_NE: {
        int e = gdi_val_equal(a, b);
        if (e == 2) return gdi_v_unknown();
        return gdi_v_bool(op == GDI_OP_EQ ? e == 1 : e == 0);
    }
    case GDI_OP_IN:
    case GDI_OP_NOTIN: {
        if (b->t == GDI_VT_UNKNOWN) return gdi_v_unknown();
        gdi_val r = member(ev, a, b);
        if (op == GDI_OP_NOTIN && r.t == GDI_VT_BOOL) r.b = !r.b;
        return r;
    }
    default: break;
    }
    if (a->t == GDI_VT_UNKNOWN || b->t == GDI_VT_UNKNOWN) return gdi_v_unknown();
    switch (op) {
    case GDI_OP_LT:
    case GDI_OP_LE:
    case GDI_OP_GT:
    case GDI_OP_GE: {
        int c;
        if (is_num(a) && is_num(b))
            c = gdi_num_cmp(a, b);
        else if (a->t == GDI_VT_STR && b->t == GDI_VT_STR)
            c = str_cmp(a, b);
        else
            return ERR(ev, "'%s' needs two numbers or two strings, got %s and %s", op_symbol(op),
                       gdi_val_type_name(a), gdi_val_type_name(b));
        bool r = op == GDI_OP_LT ? c < 0 : op == GDI_OP_LE ? c <= 0 : op == GDI_OP_GT ? c > 0 : c >= 0;
        return gdi_v_bool(r);
    }
    case GDI_OP_ADD:
        if (is_num(a) && is_num(b)) return arith(ev, op, a, b);
        if (a->t == GDI_VT_STR && b->t == GDI_VT_STR) return concat(ev, a, b);
        if (gdi_val_is_list(a) && gdi_val_is_list(b)) return concat(ev, a, b);
        return ERR(ev, "'+' needs two numbers, two strings or two lists, got %s and %s",
                   gdi_val_type_name(a), gdi_val_type_name(b));
    default:
        if (is_num(a) && is_num(b)) return arith(ev, op, a, b);
        return ERR(ev, "'%s' needs two numbers, got %s and %s", op_symbol(op),
                   gdi_val_type_name(a), gdi_val_type_name(b));
    }
}

/* ----------------------------------------------------------- evaluator */

gd_status gdi_eval_new(gd_ctx *ctx, gdi_eval **out)
{
    if (!ctx || !out) return GD_MISUSE;
    *out = NULL;
    gd_status st = GD_NOMEM;
    gdi_eval *ev = gdi_calloc(ctx, 1, sizeof *ev);
    if (!ev) return GD_NOMEM;
    ev->ctx = ctx;
    gdi_arena_init(&ev->scratch, ctx, 16 * 1024);
    ev->capstack = 64;
    ev->stack = gdi_calloc(ctx, ev->capstack, sizeof *ev->stack);
    ev->capslots = 32;
    ev->slots = gdi_calloc(ctx, ev->capslots, sizeof *ev->slots);
    if (!ev->stack || !ev->slots) goto done;
    ev->gctx = gdi_lang_pcre2_context(ctx);
    if (!ev->gctx) goto done;
    ev->md = pcre2_match_data_create(1, ev->gctx);
    if (!ev->md) goto done;
    /* warm the scratch arena so the first run does not pay for it */
    if (!gdi_arena_alloc(&ev->scratch, 16)) goto done;
    gdi_arena_reset(&ev->scratch);
    ev->unknown_at = -1;
    *out = ev;
    ev = NULL;
    st = GD_OK;
done:
    gdi_eval_free(ev);
    return st;
}

void gdi_eval_free(gdi_eval *ev)
{
    if (!ev) return;
    gd_ctx *ctx = ev->ctx;
    for (uint32_t i = 0; i < ev->ndocs; i++) {
        gdi_doc_free(ev->docs[i]);
        gdi_free(ctx, ev->docs[i]);
    }
    gdi_free(ctx, ev->docs);
    gd_ctx_free(ev->jctx);
    if (ev->md) pcre2_match_data_free(ev->md);
    if (ev->gctx) pcre2_general_context_free(ev->gctx);
    gdi_arena_free(&ev->scratch);
    gdi_free(ctx, ev->stack);
    gdi_free(ctx, ev->slots);
    gdi_free(ctx, ev);
}

static gd_status prepare(gdi_eval *ev, const gdi_program *p)
{
    if (ev->dirty) {
        size_t used = ev->scratch.total;
        gdi_arena_reset(&ev->scratch);
        /* the last run needed several blocks: make the next overflow block
         * hold all of it, so the arena settles on one block and stops
         * allocating */
        if (used > ev->scratch.total && used > ev->scratch.block_size)
            ev->scratch.block_size = used;
        ev->dirty = false;
    }
    uint32_t need = p->max_stack + 4;
    if (need > ev->capstack) {
        gdi_val *s = gdi_realloc(ev->ctx, ev->stack, sizeof *s * need);
        if (!s) return GD_NOMEM;
        ev->stack = s;
        ev->capstack = need;
    }
    need = p->nslots + 1;
    if (need > ev->capslots) {
        gdi_val *s = gdi_realloc(ev->ctx, ev->slots, sizeof *s * need);
        if (!s) return GD_NOMEM;
        ev->slots = s;
        ev->capslots = need;
    }
    ev->p = p;
    ev->useddocs = 0;
    ev->njcache = 0;
    ev->unknown_at = -1;
    ev->nomem = false;
    return GD_OK;
}

/* Member of an object by key: gdi_obj_get's contract (last duplicate
 * wins), inlined for the VM's hot path with a first-byte test before
 * memcmp. The walk is the tape's cost: one step per preceding member. */
static inline const gdi_node *member_get(const gdi_node *obj, const char *key, uint32_t n)
{
    if (obj->flags & GDI_NF_DUPKEY) return gdi_obj_get(obj, key, n);
    const gdi_node *k = obj + 1;
    uint32_t cnt = obj->len;
    if (n == 0) return gdi_obj_get(obj, key, n);
    const char c0 = key[0];
    for (uint32_t i = 0; i < cnt; i++) {
        const gdi_node *v = k + 1;
        if (k->len == n && k->str[0] == c0 && gdi_bytes_eq(k->str, key, n)) return v;
        k = v + v->skip;
    }
    return NULL;
}

static gdi_val field_of(gdi_eval *ev, const gdi_val *t, const gdi_val *key)
{
    switch ((gdi_vtag)t->t) {
    case GDI_VT_NODE:
        if (t->u.node->type == GDI_OBJECT)
            return gdi_val_from_node(member_get(t->u.node, key->u.s, key->n));
        return ERR(ev, "cannot read field '%.*s' of a list (write [0] to pick an element)",
                   (int)(key->n > 60 ? 60 : key->n), key->u.s);
    case GDI_VT_NULL:
    case GDI_VT_UNKNOWN:
    case GDI_VT_ERROR: return *t;
    default:
        return ERR(ev, "cannot read field '%.*s' of a %s", (int)(key->n > 60 ? 60 : key->n),
                   key->u.s, gdi_val_type_name(t));
    }
}

static gdi_val index_of(gdi_eval *ev, const gdi_val *a, const gdi_val *i)
{
    if (a->t == GDI_VT_ERROR) return *a;
    if (i->t == GDI_VT_ERROR) return *i;
    if (a->t == GDI_VT_UNKNOWN) return *a;
    if (a->t == GDI_VT_NULL) return *a;
    if (i->t == GDI_VT_UNKNOWN) return *i;
    if (gdi_val_is_list(a)) {
        int64_t k;
        if (i->t == GDI_VT_INT)
            k = i->u.i;
        else if (i->t == GDI_VT_DBL && i->u.d == trunc(i->u.d) && fabs(i->u.d) < 9e18)
            k = (int64_t)i->u.d;
        else
            return ERR(ev, "a list index must be an integer, got %s", gdi_val_type_name(i));
        if (k < 0 || k >= (int64_t)gdi_val_len(a)) return gdi_v_null();
        if (a->t == GDI_VT_LIST) return a->u.items[k];
        return gdi_val_from_node(gdi_arr_at(a->u.node, (uint32_t)k));
    }
    if (is_object(a)) {
        if (i->t != GDI_VT_STR)
            return ERR(ev, "an object key must be a string, got %s", gdi_val_type_name(i));
        return gdi_val_from_node(gdi_obj_get(a->u.node, i->u.s, i->n));
    }
    return ERR(ev, "cannot index a %s", gdi_val_type_name(a));
}

static gdi_val meta_of(const gdi_resource *r, uint32_t m)
{
    gd_str s = {"", 0};
    switch (m) {
    case GDI_META_ADDRESS: s = r->address; break;
    case GDI_META_TYPE: s = r->type; break;
    case GDI_META_NAME: s = r->name; break;
    case GDI_META_PROVIDER: s = r->provider; break;
    case GDI_META_MODULE: s = r->module; break;
    case GDI_META_PROVIDER_CONFIG: s = r->provider_config; break;
    case GDI_META_MODE:
        s = r->mode == GDI_MODE_DATA ? (gd_str){"data", 4} : (gd_str){"managed", 7};
        break;
    default: break;
    }
    return gdi_v_str(s.p ? s.p : "", s.p ? s.n : 0);
}

static gdi_val related(gdi_eval *ev, uint32_t join, const gdi_val *key)
{
    char buf[40];
    gd_str k;
    switch ((gdi_vtag)key->t) {
    case GDI_VT_NULL: return gdi_v_list(NULL, 0);
    case GDI_VT_UNKNOWN:
    case GDI_VT_ERROR: return *key;
    case GDI_VT_STR: k = (gd_str){key->u.s, key->n}; break;
    case GDI_VT_INT:
        k = (gd_str){buf, (size_t)snprintf(buf, sizeof buf, "%" PRId64, key->u.i)};
        break;
    case GDI_VT_DBL: k = (gd_str){buf, (size_t)snprintf(buf, sizeof buf, "%.17g", key->u.d)}; break;
    case GDI_VT_BOOL: k = key->b ? GD_STR_LIT("true") : GD_STR_LIT("false"); break;
    default:
        return ERR(ev, "related() needs a string or number to match, got %s",
                   gdi_val_type_name(key));
    }
    if (!ev->joins) return gdi_v_list(NULL, 0);
    const uintptr_t *cand = NULL;
    size_t n = gdi_joins_find(ev->joins, join, k, &cand);
    if (n == 0) return gdi_v_list(NULL, 0);
    if (n > UINT32_MAX / 2) n = UINT32_MAX / 2;
    gdi_val *items = gdi_eval_alloc(ev, sizeof *items * n);
    if (!items) return ERR(ev, "out of memory");
    uint32_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const gdi_node *a = NULL;
        gd_status st = gdi_joins_match(ev->joins, ev, join, k, cand[i], &a);
        if (st == GD_NOMEM || ev->nomem) {
            ev->nomem = true;
            return ERR(ev, "out of memory");
        }
        if (st != GD_OK)
            return ERR(ev, "related(): a joined resource could not be read again (%s)",
                       gd_status_str(st));
        if (a) items[m++] = gdi_val_from_node(a);
    }
    return gdi_v_list(items, m);
}

static gdi_val regex_match(gdi_eval *ev, uint32_t idx, const gdi_val *s)
{
    switch ((gdi_vtag)s->t) {
    case GDI_VT_UNKNOWN:
    case GDI_VT_ERROR: return *s;
    case GDI_VT_STR: break;
    default: return ERR(ev, "matches() needs a string, got %s", gdi_val_type_name(s));
    }
    int rc = pcre2_match(ev->p->regex[idx], (PCRE2_SPTR)(s->n ? s->u.s : ""), s->n, 0, 0, ev->md,
                         NULL);
    if (rc >= 0) return gdi_v_bool(true);
    if (rc == PCRE2_ERROR_NOMATCH) return gdi_v_bool(false);
    PCRE2_UCHAR msg[200];
    if (pcre2_get_error_message(rc, msg, sizeof msg) < 0) memcpy(msg, "match failed", 13);
    return ERR(ev, "matches(): %s", (const char *)msg);
}

static void note_unknown(gdi_eval *ev, const gdi_val *v, const uint32_t *pc)
{
    if (v->t == GDI_VT_UNKNOWN && ev->unknown_at < 0) ev->unknown_at = (int32_t)(pc - ev->p->code);
}

static const char *unknown_reason(gdi_eval *ev)
{
    const gdi_program *p = ev->p;
    if (ev->unknown_at < 0 || (uint32_t)ev->unknown_at >= p->ncode)
        return "depends on a value known only after apply";
    gdi_span sp = p->spans[ev->unknown_at];
    uint32_t n = sp.end - sp.start;
    if (n > 80) n = 80;
    size_t need = (size_t)n + 64;
    char *out = gdi_arena_alloc(&ev->scratch, need);
    ev->dirty = true;
    if (!out) return "depends on a value known only after apply";
    snprintf(out, need, "depends on a value known only after apply: %.*s", (int)n, p->src + sp.start);
    for (char *c = out; *c; c++)
        if (*c == '\n' || *c == '\r' || *c == '\t') *c = ' ';
    return out;
}

gd_status gdi_eval_run(gdi_eval *ev, const gdi_program *p, const gdi_resource *r,
                       const gdi_joins *joins, gdi_verdict *verdict, const char **reason)
{
    if (reason) *reason = NULL;
    if (!ev || !p || !r || !verdict) return GD_MISUSE;
    *verdict = GDI_V_ERROR;
    if (prepare(ev, p) != GD_OK) return GD_NOMEM;
    ev->r = r;
    ev->joins = joins;
    const gdi_node *attrs = r->attrs && r->attrs->type == GDI_OBJECT ? r->attrs : &empty_object;
    uint64_t budget = gdi_limit(ev->ctx, GD_LIMIT_EVAL_STEPS);
    const uint32_t *code = p->code, *pc = code;
    const gdi_val *K = p->consts;
    gdi_val *sp = ev->stack, *slots = ev->slots;
    gdi_val res;

    for (;;) {
        if (budget-- == 0) {
            res = gdi_v_null();
            res.t = GDI_VT_ERROR;
            res.u.s = "evaluation budget exceeded";
            break;
        }
        uint32_t w = *pc;
        ev->at = (uint32_t)(pc - code);
        switch ((gdi_op)GDI_INS_OP(w)) {
        case GDI_OP_CONST:
            *sp++ = K[GDI_INS_A(w)];
            pc++;
            break;
        case GDI_OP_ATTR: {
            const gdi_val *k = &K[GDI_INS_A(w)];
            *sp = gdi_val_from_node(member_get(attrs, k->u.s, k->n));
            note_unknown(ev, sp, pc);
            sp++;
            pc++;
            break;
        }
        case GDI_OP_ROOT:
            *sp++ = gdi_val_from_node(attrs);
            pc++;
            break;
        case GDI_OP_META:
            *sp++ = meta_of(r, GDI_INS_A(w));
            pc++;
            break;
        case GDI_OP_FIELD:
            sp[-1] = field_of(ev, &sp[-1], &K[GDI_INS_A(w)]);
            note_unknown(ev, &sp[-1], pc);
            pc++;
            break;
        case GDI_OP_INDEX:
            sp[-2] = index_of(ev, &sp[-2], &sp[-1]);
            sp--;
            note_unknown(ev, &sp[-1], pc);
            pc++;
            break;
        case GDI_OP_LOAD:
            *sp++ = slots[GDI_INS_A(w)];
            pc++;
            break;
        case GDI_OP_STORE:
            slots[GDI_INS_A(w)] = *--sp;
            pc++;
            break;
        case GDI_OP_NOT:
            if (sp[-1].t == GDI_VT_BOOL)
                sp[-1].b = !sp[-1].b;
            else
                sp[-1] = gdi_lang_unop(ev, GDI_OP_NOT, &sp[-1]);
            pc++;
            break;
        case GDI_OP_NEG:
            sp[-1] = gdi_lang_unop(ev, GDI_OP_NEG, &sp[-1]);
            pc++;
            break;
        case GDI_OP_EQ:
        case GDI_OP_NE: {
            gdi_val *a = &sp[-2], *b = &sp[-1];
            int e;
            if (a->t == GDI_VT_STR && b->t == GDI_VT_STR)
                e = a->n == b->n && (a->n == 0 || memcmp(a->u.s, b->u.s, a->n) == 0);
            else if (a->t == GDI_VT_ERROR || b->t == GDI_VT_ERROR) {
                *a = a->t == GDI_VT_ERROR ? *a : *b;
                sp--;
                pc++;
                break;
            } else
                e = gdi_val_equal(a, b);
            if (e == 2)
                *a = gdi_v_unknown();
            else
                *a = gdi_v_bool(GDI_INS_OP(w) == GDI_OP_EQ ? e == 1 : e == 0);
            sp--;
            pc++;
            break;
        }
        case GDI_OP_ADD:
        case GDI_OP_SUB:
        case GDI_OP_MUL:
        case GDI_OP_DIV:
        case GDI_OP_MOD:
        case GDI_OP_LT:
        case GDI_OP_LE:
        case GDI_OP_GT:
        case GDI_OP_GE:
        case GDI_OP_IN:
        case GDI_OP_NOTIN:
            sp[-2] = gdi_lang_binop(ev, (int)GDI_INS_OP(w), &sp[-2], &sp[-1]);
            sp--;
            pc++;
            break;
        case GDI_OP_JAND:
        case GDI_OP_JOR: {
            gdi_val *t = &sp[-1];
            bool is_and = GDI_INS_OP(w) == GDI_OP_JAND;
            if (t->t == GDI_VT_BOOL) {
                if (t->b == (is_and ? 0 : 1)) {
                    pc = code + pc[1];
                    break;
                }
            } else if (t->t == GDI_VT_ERROR) {
                pc = code + pc[1];
                break;
            } else if (t->t != GDI_VT_UNKNOWN) {
                *t = ERR(ev, "'%s' needs booleans, got %s (write `x ?? false` for a missing value)",
                         is_and ? "and" : "or", gdi_val_type_name(t));
                pc = code + pc[1];
                break;
            }
            pc += 2;
            break;
        }
        case GDI_OP_AND2:
        case GDI_OP_OR2: {
            gdi_val b = *--sp;
            gdi_val *a = &sp[-1]; /* true/false per operator, or unknown */
            bool is_and = GDI_INS_OP(w) == GDI_OP_AND2;
            if (b.t == GDI_VT_BOOL) {
                if (b.b == (is_and ? 0 : 1)) *a = b; /* decides regardless of a */
                /* else a stays: (true and true) = true, (unknown and true) = unknown */
            } else if (b.t == GDI_VT_UNKNOWN) {
                *a = b;
            } else if (b.t == GDI_VT_ERROR) {
                *a = b;
            } else {
                *a = ERR(ev, "'%s' needs booleans, got %s (write `x ?? false` for a missing value)",
                         is_and ? "and" : "or", gdi_val_type_name(&b));
            }
            pc++;
            break;
        }
        case GDI_OP_JNNULL:
            if (sp[-1].t != GDI_VT_NULL) {
                pc = code + pc[1];
            } else {
                sp--;
                pc += 2;
            }
            break;
        case GDI_OP_MKLIST: {
            uint32_t n = GDI_INS_A(w);
            gdi_val *items = NULL;
            if (n) {
                items = gdi_eval_alloc(ev, sizeof *items * n);
                if (!items) goto nomem;
                memcpy(items, sp - n, sizeof *items * n);
            }
            sp -= n;
            *sp++ = gdi_v_list(items, n);
            pc++;
            break;
        }
        case GDI_OP_CALL: {
            uint32_t id = GDI_INS_A(w), argc = pc[1];
            const gdi_builtin_info *bi = &gdi_builtins[id];
            gdi_val *args = sp - argc, out;
            bool decided = false;
            for (uint32_t i = 0; i < argc; i++) {
                if (args[i].t == GDI_VT_ERROR) {
                    out = args[i];
                    decided = true;
                    break;
                }
            }
            if (!decided && !(bi->flags & GDI_BF_SEES_UNKNOWN)) {
                for (uint32_t i = 0; i < argc; i++) {
                    if (args[i].t == GDI_VT_UNKNOWN) {
                        out = args[i];
                        decided = true;
                        break;
                    }
                }
            }
            if (!decided) out = bi->fn(ev, args, argc);
            if (ev->nomem) goto nomem;
            sp = args;
            *sp++ = out;
            pc += 2;
            break;
        }
        case GDI_OP_MATCH:
            sp[-1] = regex_match(ev, GDI_INS_A(w), &sp[-1]);
            pc++;
            break;
        case GDI_OP_RELATED:
            sp[-1] = related(ev, GDI_INS_A(w), &sp[-1]);
            if (ev->nomem) goto nomem;
            pc++;
            break;
        case GDI_OP_QINIT: {
            gdi_val *S = &slots[GDI_INS_A(w)];
            gdi_val lst = *--sp;
            uint32_t q = pc[1];
            if (lst.t == GDI_VT_NULL) {
                lst = gdi_v_list(NULL, 0);
            } else if (lst.t == GDI_VT_UNKNOWN || lst.t == GDI_VT_ERROR) {
                *sp++ = lst;
                pc = code + pc[2];
                break;
            } else if (!gdi_val_is_list(&lst)) {
                *sp++ = ERR(ev, "%s() needs a list, got %s", gdi_quant_names[q],
                            gdi_val_type_name(&lst));
                pc = code + pc[2];
                break;
            }
            S[1] = lst;
            S[2] = gdi_v_null();
            S[2].n = 0;
            S[2].u.node = lst.t == GDI_VT_NODE ? lst.u.node + 1 : NULL;
            S[3] = gdi_v_null();
            S[3].u.i = 0;
            if (q == GDI_Q_FILTER || q == GDI_Q_MAP) {
                uint32_t n = gdi_val_len(&lst);
                gdi_val *buf = n ? gdi_eval_alloc(ev, sizeof *buf * n) : NULL;
                if (n && !buf) goto nomem;
                S[3].u.items = buf;
            }
            pc += 3;
            break;
        }
        case GDI_OP_QNEXT: {
            gdi_val *S = &slots[GDI_INS_A(w)];
            uint32_t q = pc[1];
            uint32_t len = gdi_val_len(&S[1]);
            if (S[2].n < len) {
                if (S[1].t == GDI_VT_NODE) {
                    S[0] = gdi_val_from_node(S[2].u.node);
                    S[2].u.node += S[2].u.node->skip;
                } else {
                    S[0] = S[1].u.items[S[2].n];
                }
                S[2].n++;
                note_unknown(ev, &S[0], pc);
                pc += 3;
                break;
            }
            gdi_val out;
            bool unk = S[3].b;
            switch (q) {
            case GDI_Q_ANY: out = unk ? gdi_v_unknown() : gdi_v_bool(false); break;
            case GDI_Q_ALL: out = unk ? gdi_v_unknown() : gdi_v_bool(true); break;
            case GDI_Q_COUNT: out = unk ? gdi_v_unknown() : gdi_v_int(S[3].u.i); break;
            default: out = unk ? gdi_v_unknown() : gdi_v_list(S[3].u.items, S[3].n); break;
            }
            *sp++ = out;
            pc = code + pc[2];
            break;
        }
        case GDI_OP_QSTEP: {
            gdi_val *S = &slots[GDI_INS_A(w)];
            uint32_t q = pc[1];
            gdi_val v = *--sp;
            if (v.t == GDI_VT_ERROR) {
                *sp++ = v;
                pc = code + pc[3];
                break;
            }
            if (q == GDI_Q_MAP) {
                ((gdi_val *)S[3].u.items)[S[3].n++] = v;
                pc = code + pc[2];
                break;
            }
            if (v.t == GDI_VT_UNKNOWN) {
                S[3].b = 1;
                pc = code + pc[2];
                break;
            }
            if (v.t != GDI_VT_BOOL) {
                *sp++ = ERR(ev, "the lambda of %s() gave %s, not a boolean", gdi_quant_names[q],
                            gdi_val_type_name(&v));
                pc = code + pc[3];
                break;
            }
            if (q == GDI_Q_ANY && v.b) {
                *sp++ = gdi_v_bool(true);
                pc = code + pc[3];
                break;
            }
            if (q == GDI_Q_ALL && !v.b) {
                *sp++ = gdi_v_bool(false);
                pc = code + pc[3];
                break;
            }
            if (v.b) {
                if (q == GDI_Q_COUNT) S[3].u.i++;
                if (q == GDI_Q_FILTER) ((gdi_val *)S[3].u.items)[S[3].n++] = S[0];
            }
            pc = code + pc[2];
            break;
        }
        case GDI_OP_RET:
            res = sp[-1];
            goto finish;
        default:
            res = gdi_v_null();
            res.t = GDI_VT_ERROR;
            res.u.s = "internal error: bad opcode";
            goto finish;
        }
    }
finish:
    if (ev->nomem) return GD_NOMEM;
    switch ((gdi_vtag)res.t) {
    case GDI_VT_BOOL: *verdict = res.b ? GDI_V_PASS : GDI_V_FAIL; break;
    case GDI_VT_UNKNOWN:
        *verdict = GDI_V_UNKNOWN;
        if (reason) *reason = unknown_reason(ev);
        break;
    case GDI_VT_ERROR:
        *verdict = GDI_V_ERROR;
        if (reason) *reason = res.u.s;
        break;
    default: {
        *verdict = GDI_V_ERROR;
        if (reason) {
            ev->at = p->ncode ? p->ncode - 1 : 0;
            gdi_val e = ERR(ev, "the check gave %s, not a boolean", gdi_val_type_name(&res));
            if (ev->nomem) return GD_NOMEM;
            *reason = e.u.s;
        }
        break;
    }
    }
    return GD_OK;
nomem:
    return GD_NOMEM;
}

/* ------------------------------------------------------------ listing */

void gdi_val_write(gdi_buf *b, const gdi_val *v)
{
    switch ((gdi_vtag)v->t) {
    case GDI_VT_NULL: gdi_buf_puts(b, "null"); return;
    case GDI_VT_BOOL: gdi_buf_puts(b, v->b ? "true" : "false"); return;
    case GDI_VT_INT: gdi_buf_printf(b, "%" PRId64, v->u.i); return;
    case GDI_VT_DBL: gdi_buf_printf(b, "%.17g", v->u.d); return;
    case GDI_VT_STR:
        gdi_buf_putc(b, '"');
        gdi_buf_json_escape(b, v->u.s, v->n);
        gdi_buf_putc(b, '"');
        return;
    case GDI_VT_NODE: gdi_node_to_json(b, v->u.node); return;
    case GDI_VT_LIST:
        gdi_buf_putc(b, '[');
        for (uint32_t i = 0; i < v->n; i++) {
            if (i) gdi_buf_puts(b, ", ");
            gdi_val_write(b, &v->u.items[i]);
        }
        gdi_buf_putc(b, ']');
        return;
    case GDI_VT_UNKNOWN: gdi_buf_puts(b, "(unknown)"); return;
    case GDI_VT_ERROR: gdi_buf_printf(b, "(error: %s)", v->u.s); return;
    }
}
