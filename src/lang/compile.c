/*
 * compile.c — from AST to bytecode: name resolution, constant folding,
 * emission, and the program's public face (compile, free, disassemble).
 *
 * Name resolution: `let` bindings and lambda parameters are locals with a
 * slot each (slots are never reused within a program, so a nested lambda
 * reads its outer parameters by slot with no closure machinery); any other
 * bare name is an attribute of the resource, emitted as ATTR with the name
 * interned as a string constant. `attrs` is the attribute object,
 * `resource.<field>` the resource's metadata, unless a local shadows them.
 *
 * Every emitted word records the source span it came from; the VM uses it
 * to say where an evaluation error happened and the disassembler to print
 * line:col. The emitter tracks the value-stack depth so the evaluator can
 * size its stack once (max_stack).
 *
 * Constant folding: literals, operators on constants, constant lists and
 * `a ?? b` with a constant left side are evaluated here with the VM's own
 * operator code (vm.c), so folding and evaluation cannot disagree.
 * Constants are deep-copied into the program's arena: the program does not
 * borrow the source text or the compile arena.
 *
 * Semantic errors (unknown function, arity, misplaced lambda, bad regex,
 * non-literal related() arguments) are reported and compilation goes on
 * over the rest of the tree so every such error is listed.
 */
#include "lang.h"

#include <inttypes.h>
#include <stdio.h>

const char *const gdi_op_names[GDI_OP__COUNT] = {
#define GDI_X_OP(name, extra, fmt, eff) #name,
    GDI_OP_LIST(GDI_X_OP)
#undef GDI_X_OP
};
const uint8_t gdi_op_extra[GDI_OP__COUNT] = {
#define GDI_X_OP(name, extra, fmt, eff) extra,
    GDI_OP_LIST(GDI_X_OP)
#undef GDI_X_OP
};
const uint8_t gdi_op_format[GDI_OP__COUNT] = {
#define GDI_X_OP(name, extra, fmt, eff) fmt,
    GDI_OP_LIST(GDI_X_OP)
#undef GDI_X_OP
};
static const int8_t op_effect[GDI_OP__COUNT] = {
#define GDI_X_OP(name, extra, fmt, eff) eff,
    GDI_OP_LIST(GDI_X_OP)
#undef GDI_X_OP
};
const char *const gdi_quant_names[GDI_Q__COUNT] = {
#define GDI_X_Q(name, str) str,
    GDI_QUANT_LIST(GDI_X_Q)
#undef GDI_X_Q
};
const char *const gdi_meta_names[GDI_META__COUNT] = {
#define GDI_X_M(name, str) str,
    GDI_META_LIST(GDI_X_M)
#undef GDI_X_M
};

typedef struct scope {
    gd_str name;   /* local name */
    uint32_t slot; /* its slot */
} scope;

typedef struct compiler {
    gdi_lang_cc *cc;          /* shared state (diagnostics, arena) */
    gdi_program *p;           /* program being built */
    const gdi_compile_env *env; /* loader services, may be NULL */
    size_t capcode;           /* capacity of p->code / p->spans */
    size_t capconsts;         /* capacity of p->consts */
    size_t capregex;          /* capacity of p->regex / p->regex_src */
    scope *scopes;            /* visible locals, innermost last (compile arena) */
    uint32_t nscopes, capscopes;
    int32_t depth;            /* current stack depth */
    bool have_primary;        /* p->primary set */
} compiler;

/* ------------------------------------------------------------ helpers */

static void oom(compiler *c)
{
    c->cc->nomem = true;
}

static void track(compiler *c, int eff)
{
    c->depth += eff;
    if (c->depth > (int32_t)c->p->max_stack) c->p->max_stack = (uint32_t)c->depth;
}

/* Append one word with the span of a; returns its offset. */
static uint32_t word(compiler *c, uint32_t w, const gdi_ast *a)
{
    gdi_program *p = c->p;
    if (c->cc->nomem) return 0;
    if (p->ncode == c->capcode) {
        size_t cap = c->capcode ? c->capcode * 2 : 64;
        uint32_t *code = gdi_realloc(p->ctx, p->code, cap * sizeof *code);
        if (code) p->code = code;
        gdi_span *spans = code ? gdi_realloc(p->ctx, p->spans, cap * sizeof *spans) : NULL;
        if (!spans) {
            oom(c);
            return 0;
        }
        p->spans = spans;
        c->capcode = cap;
    }
    p->code[p->ncode] = w;
    p->spans[p->ncode].start = a ? a->pos : 0;
    p->spans[p->ncode].end = a ? a->end : 0;
    return p->ncode++;
}

/* Emit op with operand A and the fixed stack effect from the op list. */
static uint32_t emit(compiler *c, gdi_op op, uint32_t a, const gdi_ast *at)
{
    uint32_t off = word(c, GDI_INS(op, a), at);
    track(c, op_effect[op]);
    return off;
}

static void patch(compiler *c, uint32_t off, uint32_t target)
{
    if (!c->cc->nomem && off < c->p->ncode) c->p->code[off] = target;
}

/* Deep copy a constant value into the program's arena. */
static bool copy_const(compiler *c, const gdi_val *v, gdi_val *out)
{
    *out = *v;
    if (v->t == GDI_VT_STR) {
        char *s = gdi_arena_strndup(&c->p->arena, v->u.s, v->n);
        if (!s) return false;
        out->u.s = s;
    } else if (v->t == GDI_VT_LIST) {
        gdi_val *items = v->n ? gdi_arena_alloc(&c->p->arena, sizeof *items * v->n) : NULL;
        if (v->n && !items) return false;
        for (uint32_t i = 0; i < v->n; i++)
            if (!copy_const(c, &v->u.items[i], &items[i])) return false;
        out->u.items = items;
    }
    return true;
}

static bool same_const(const gdi_val *a, const gdi_val *b)
{
    if (a->t != b->t) return false;
    switch (a->t) {
    case GDI_VT_NULL:
    case GDI_VT_UNKNOWN: return true;
    case GDI_VT_BOOL: return a->b == b->b;
    case GDI_VT_INT: return a->u.i == b->u.i;
    case GDI_VT_DBL: return memcmp(&a->u.d, &b->u.d, sizeof a->u.d) == 0;
    case GDI_VT_STR: return a->n == b->n && (a->n == 0 || memcmp(a->u.s, b->u.s, a->n) == 0);
    default: return false; /* lists are not shared */
    }
}

/* Index of constant v (interned: equal scalars share one entry). */
static uint32_t add_const(compiler *c, const gdi_val *v)
{
    gdi_program *p = c->p;
    for (uint32_t i = 0; i < p->nconsts; i++)
        if (same_const(&p->consts[i], v)) return i;
    if (p->nconsts >= GDI_MAX_A) {
        gdi_lang_error(c->cc, 0, "too many constants in one check");
        return 0;
    }
    if (gdi_grow(p->ctx, (void **)&p->consts, &c->capconsts, p->nconsts + 1, sizeof *p->consts)) {
        oom(c);
        return 0;
    }
    if (!copy_const(c, v, &p->consts[p->nconsts])) {
        oom(c);
        return 0;
    }
    return p->nconsts++;
}

static uint32_t add_key(compiler *c, gd_str name)
{
    gdi_val v = gdi_v_str(name.p, name.n);
    return add_const(c, &v);
}

static void note_primary(compiler *c, uint32_t key)
{
    if (c->have_primary || c->cc->nomem) return;
    const gdi_val *k = &c->p->consts[key];
    c->p->primary = (gd_str){k->u.s, k->n};
    c->have_primary = true;
}

static bool push_scope(compiler *c, gd_str name, uint32_t slot)
{
    if (c->nscopes == c->capscopes) {
        uint32_t cap = c->capscopes ? c->capscopes * 2 : 16;
        scope *s = gdi_arena_alloc(c->cc->arena, sizeof *s * cap);
        if (!s) {
            oom(c);
            return false;
        }
        if (c->nscopes) memcpy(s, c->scopes, sizeof *s * c->nscopes);
        c->scopes = s;
        c->capscopes = cap;
    }
    c->scopes[c->nscopes++] = (scope){name, slot};
    return true;
}

static int32_t find_local(compiler *c, gd_str name)
{
    for (uint32_t i = c->nscopes; i-- > 0;)
        if (gd_str_eq(c->scopes[i].name, name)) return (int32_t)c->scopes[i].slot;
    return -1;
}

static uint32_t new_slots(compiler *c, uint32_t n)
{
    uint32_t s = c->p->nslots;
    c->p->nslots += n;
    return s;
}

/* ------------------------------------------------------------ folding */

/* True when a is a compile-time constant; *out receives it (strings may
 * point into the compile arena or the source). */
static bool fold(compiler *c, const gdi_ast *a, gdi_val *out, int depth)
{
    if (depth > 64) return false;
    switch ((gdi_ast_kind)a->kind) {
    case GDI_A_LIT: *out = a->lit; return true;
    case GDI_A_UNARY: {
        gdi_val x;
        if (!fold(c, a->a, &x, depth + 1)) return false;
        gdi_val r = gdi_lang_unop(NULL, a->op, &x);
        if (r.t == GDI_VT_ERROR || r.t == GDI_VT_UNKNOWN) return false;
        *out = r;
        return true;
    }
    case GDI_A_BINARY: {
        gdi_val x, y;
        if (!fold(c, a->a, &x, depth + 1) || !fold(c, a->b, &y, depth + 1)) return false;
        gdi_val r = gdi_lang_binop(NULL, a->op, &x, &y);
        if (r.t == GDI_VT_ERROR || r.t == GDI_VT_UNKNOWN) return false;
        *out = r;
        return true;
    }
    case GDI_A_AND:
    case GDI_A_OR: {
        gdi_val x, y;
        if (!fold(c, a->a, &x, depth + 1) || x.t != GDI_VT_BOOL) return false;
        bool is_and = a->kind == GDI_A_AND;
        if (x.b == (is_and ? 0 : 1)) {
            *out = x; /* short-circuit: the right side is never evaluated */
            return true;
        }
        if (!fold(c, a->b, &y, depth + 1) || y.t != GDI_VT_BOOL) return false;
        *out = y;
        return true;
    }
    case GDI_A_COALESCE: {
        gdi_val x;
        if (!fold(c, a->a, &x, depth + 1)) return false;
        if (x.t != GDI_VT_NULL) {
            *out = x;
            return true;
        }
        return fold(c, a->b, out, depth + 1);
    }
    case GDI_A_LIST: {
        gdi_val *items = a->nitems ? gdi_arena_alloc(c->cc->arena, sizeof *items * a->nitems)
                                   : NULL;
        if (a->nitems && !items) {
            oom(c);
            return false;
        }
        for (uint32_t i = 0; i < a->nitems; i++)
            if (!fold(c, a->items[i], &items[i], depth + 1)) return false;
        *out = gdi_v_list(items, a->nitems);
        return true;
    }
    default: return false;
    }
}

/* ------------------------------------------------------------ emitting */

static void compile_node(compiler *c, const gdi_ast *a);

static void emit_const(compiler *c, const gdi_val *v, const gdi_ast *at)
{
    uint32_t k = add_const(c, v);
    emit(c, GDI_OP_CONST, k, at);
}

/* If a names resource metadata (resource.x / resource["x"] with no local
 * called resource), give the field (or -2 after reporting a bad one). */
static int meta_field(compiler *c, const gdi_ast *a)
{
    if ((a->kind != GDI_A_FIELD && a->kind != GDI_A_INDEX) || a->a->kind != GDI_A_NAME ||
        !gd_str_eqc(a->a->name, "resource") || find_local(c, a->a->name) >= 0)
        return -1;
    gd_str f = a->name;
    if (a->kind == GDI_A_INDEX) {
        gdi_val k;
        if (!fold(c, a->b, &k, 0) || k.t != GDI_VT_STR) {
            gdi_lang_error(c->cc, a->opos, "resource fields must be named with a literal");
            return -2;
        }
        f = (gd_str){k.u.s, k.n};
    }
    for (int i = 0; i < GDI_META__COUNT; i++)
        if (gd_str_eqc(f, gdi_meta_names[i])) return i;
    gdi_lang_error(c->cc, a->opos,
                   "unknown resource field '%.*s' (expected address, type, name, provider, "
                   "module, provider_config or mode)",
                   (int)(f.n > 40 ? 40 : f.n), f.p);
    return -2;
}

static bool is_root(compiler *c, const gdi_ast *a)
{
    return a->kind == GDI_A_NAME && gd_str_eqc(a->name, "attrs") && find_local(c, a->name) < 0;
}

/* Member read with a constant key: ATTR on the root, FIELD otherwise. */
static void compile_member(compiler *c, const gdi_ast *a, const gdi_ast *obj, gd_str key)
{
    uint32_t k = add_key(c, key);
    if (is_root(c, obj)) {
        note_primary(c, k);
        emit(c, GDI_OP_ATTR, k, a);
        return;
    }
    compile_node(c, obj);
    emit(c, GDI_OP_FIELD, k, a);
}

static void compile_regex(compiler *c, const gdi_ast *call)
{
    const gdi_ast *ra = call->items[1];
    gdi_val re;
    if (!fold(c, ra, &re, 0) || re.t != GDI_VT_STR) {
        gdi_lang_error(c->cc, ra->pos, "matches() needs a string literal as its pattern");
        compile_node(c, call->items[0]);
        return;
    }
    gdi_program *p = c->p;
    if (!p->gctx) {
        p->gctx = gdi_lang_pcre2_context(p->ctx);
        if (!p->gctx) {
            oom(c);
            return;
        }
    }
    pcre2_compile_context *ccx = pcre2_compile_context_create(p->gctx);
    if (!ccx) {
        oom(c);
        return;
    }
    int err = 0;
    PCRE2_SIZE erroff = 0;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)re.u.s, re.n, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
                                     &err, &erroff, ccx);
    pcre2_compile_context_free(ccx);
    if (!code) {
        PCRE2_UCHAR msg[256];
        if (pcre2_get_error_message(err, msg, sizeof msg) < 0) memcpy(msg, "bad pattern", 12);
        /* point into the literal when its bytes are the pattern (no escapes) */
        uint32_t off = ra->pos;
        if (ra->kind == GDI_A_LIT && ra->end - ra->pos == re.n + 2 && erroff <= re.n)
            off = ra->pos + 1 + (uint32_t)erroff;
        gdi_lang_error(c->cc, off, "bad regular expression: %s (at offset %zu of the pattern)",
                       (const char *)msg, (size_t)erroff);
        compile_node(c, call->items[0]);
        return;
    }
    (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* optional speed-up */
    if (p->nregex == c->capregex) {
        size_t cap = c->capregex ? c->capregex * 2 : 4;
        pcre2_code **r = gdi_realloc(p->ctx, p->regex, cap * sizeof *r);
        if (r) p->regex = r;
        const char **rs = r ? gdi_realloc(p->ctx, (void *)p->regex_src, cap * sizeof *rs) : NULL;
        if (!rs) {
            pcre2_code_free(code);
            oom(c);
            return;
        }
        p->regex_src = rs;
        c->capregex = cap;
    }
    p->regex_src[p->nregex] = gdi_arena_strndup(&p->arena, re.u.s, re.n);
    p->regex[p->nregex] = code;
    uint32_t idx = p->nregex++;
    compile_node(c, call->items[0]);
    emit(c, GDI_OP_MATCH, idx, call);
}

static void compile_related(compiler *c, const gdi_ast *call)
{
    gdi_val tv, fv;
    bool ok = true;
    if (!fold(c, call->items[0], &tv, 0) || tv.t != GDI_VT_STR) {
        gdi_lang_error(c->cc, call->items[0]->pos,
                       "related() needs a string literal as its first argument (the type)");
        ok = false;
    }
    if (!fold(c, call->items[1], &fv, 0) || fv.t != GDI_VT_STR) {
        gdi_lang_error(c->cc, call->items[1]->pos,
                       "related() needs a string literal as its second argument (the field)");
        ok = false;
    }
    uint32_t id = 0;
    if (ok) {
        if (!c->env || !c->env->join_id) {
            gdi_lang_error(c->cc, call->pos, "related() is not available here");
        } else {
            gd_status st =
                c->env->join_id(c->env->ud, (gd_str){tv.u.s, tv.n}, (gd_str){fv.u.s, fv.n}, &id);
            if (st == GD_NOMEM)
                oom(c);
            else if (st != GD_OK)
                gdi_lang_error(c->cc, call->pos, "cannot register the join %.*s.%.*s",
                               (int)(tv.n > 60 ? 60 : tv.n), tv.u.s, (int)(fv.n > 60 ? 60 : fv.n),
                               fv.u.s);
        }
    }
    c->p->uses_joins = true;
    compile_node(c, call->items[2]);
    if (id > GDI_MAX_A) id = GDI_MAX_A;
    emit(c, GDI_OP_RELATED, id, call);
}

/* ------------------------------------------------ what joins read
 *
 * The engine keeps every join target until the join phase; keeping only
 * the attributes some check reads of it saves most of that memory. The
 * analysis is conservative: the attributes of the resources related()
 * yields are known only when the list goes straight into len() (nothing
 * read) or into any/all/count/map whose lambda uses its parameter only as
 * `p.name` or `p["literal"]` (deeper paths keep the whole top-level
 * attribute). Any other use — the parameter on its own, filter (its result
 * carries the resources on), related() anywhere else — reports "all". */

static bool is_call(const gdi_ast *a, const char *name)
{
    return a && a->kind == GDI_A_CALL && gd_str_eqc(a->name, name);
}

/* Join id of a related() call whose type and field fold to strings. */
static bool related_id(compiler *c, const gdi_ast *call, uint32_t *id)
{
    gdi_val tv, fv;
    if (!c->env || !c->env->join_id || call->nitems != 3) return false;
    if (!fold(c, call->items[0], &tv, 0) || tv.t != GDI_VT_STR) return false;
    if (!fold(c, call->items[1], &fv, 0) || fv.t != GDI_VT_STR) return false;
    gd_status st = c->env->join_id(c->env->ud, (gd_str){tv.u.s, tv.n}, (gd_str){fv.u.s, fv.n}, id);
    if (st == GD_NOMEM) oom(c);
    return st == GD_OK;
}

static void use_report(compiler *c, uint32_t id, gd_str field, bool all)
{
    if (c->env->join_use && c->env->join_use(c->env->ud, id, field, all) == GD_NOMEM) oom(c);
}

/* Report the top-level attributes body reads of parameter x; false when x
 * is used in a way the analysis does not follow. */
static bool param_uses(compiler *c, const gdi_ast *a, gd_str x, uint32_t id, uint32_t depth)
{
    if (!a) return true;
    if (depth > 10000) return false;
    switch ((gdi_ast_kind)a->kind) {
    case GDI_A_NAME: return !gd_str_eq(a->name, x);
    case GDI_A_FIELD:
        if (a->a && a->a->kind == GDI_A_NAME && gd_str_eq(a->a->name, x)) {
            use_report(c, id, a->name, false);
            return true;
        }
        return param_uses(c, a->a, x, id, depth + 1);
    case GDI_A_INDEX:
        if (a->a && a->a->kind == GDI_A_NAME && gd_str_eq(a->a->name, x)) {
            gdi_val k;
            if (!fold(c, a->b, &k, 0) || k.t != GDI_VT_STR) return false;
            use_report(c, id, (gd_str){k.u.s, k.n}, false);
            return true;
        }
        return param_uses(c, a->a, x, id, depth + 1) && param_uses(c, a->b, x, id, depth + 1);
    case GDI_A_LAMBDA: /* a parameter of the same name hides x */
        return gd_str_eq(a->name, x) || param_uses(c, a->a, x, id, depth + 1);
    case GDI_A_LET:
        if (!param_uses(c, a->a, x, id, depth + 1)) return false;
        return gd_str_eq(a->name, x) || param_uses(c, a->b, x, id, depth + 1);
    default: break;
    }
    if (!param_uses(c, a->a, x, id, depth + 1) || !param_uses(c, a->b, x, id, depth + 1))
        return false;
    for (uint32_t i = 0; i < a->nitems; i++)
        if (!param_uses(c, a->items[i], x, id, depth + 1)) return false;
    return true;
}

static void join_uses(compiler *c, const gdi_ast *a, uint32_t depth)
{
    if (!a || depth > 10000) return;
    if (a->kind == GDI_A_CALL && a->nitems >= 1 && is_call(a->items[0], "related")) {
        const gdi_ast *rel = a->items[0];
        uint32_t id;
        bool quant = a->nitems == 2 && a->items[1]->kind == GDI_A_LAMBDA &&
                     (is_call(a, "any") || is_call(a, "all") || is_call(a, "count") ||
                      is_call(a, "map"));
        if ((quant || (is_call(a, "len") && a->nitems == 1)) && related_id(c, rel, &id)) {
            if (quant && !param_uses(c, a->items[1]->a, a->items[1]->name, id, 0))
                use_report(c, id, (gd_str){"", 0}, true);
            for (uint32_t i = 0; i < rel->nitems; i++) join_uses(c, rel->items[i], depth + 1);
            for (uint32_t i = 1; i < a->nitems; i++) join_uses(c, a->items[i], depth + 1);
            return;
        }
    }
    if (is_call(a, "related")) {
        uint32_t id;
        if (related_id(c, a, &id)) use_report(c, id, (gd_str){"", 0}, true);
    }
    join_uses(c, a->a, depth + 1);
    join_uses(c, a->b, depth + 1);
    for (uint32_t i = 0; i < a->nitems; i++) join_uses(c, a->items[i], depth + 1);
}

static void compile_quant(compiler *c, const gdi_ast *call, gdi_quant q)
{
    const gdi_ast *lam = call->items[1];
    compile_node(c, call->items[0]);
    if (lam->kind != GDI_A_LAMBDA) {
        gdi_lang_error(c->cc, lam->pos, "%s() needs a lambda as its second argument (x => ...)",
                       gdi_quant_names[q]);
        return;
    }
    uint32_t slot = new_slots(c, 4);
    /* QINIT: pops the list; on an early result pushes it and jumps to end */
    emit(c, GDI_OP_QINIT, slot, call);
    word(c, (uint32_t)q, call);
    uint32_t end1 = word(c, 0, call);
    uint32_t loop = c->p->ncode;
    word(c, GDI_INS(GDI_OP_QNEXT, slot), call);
    word(c, (uint32_t)q, call);
    uint32_t end2 = word(c, 0, call);
    if (!push_scope(c, lam->name, slot)) return;
    compile_node(c, lam->a);
    c->nscopes--;
    emit(c, GDI_OP_QSTEP, slot, call);
    word(c, (uint32_t)q, call);
    word(c, loop, call);
    uint32_t end3 = word(c, 0, call);
    /* at the end the result is on the stack */
    track(c, 1);
    uint32_t end = c->p->ncode;
    patch(c, end1, end);
    patch(c, end2, end);
    patch(c, end3, end);
}

static void compile_call(compiler *c, const gdi_ast *a)
{
    int id = gdi_builtin_find(a->name.p, a->name.n);
    if (id < 0) {
        gdi_lang_error(c->cc, a->pos, "unknown function '%.*s'",
                       (int)(a->name.n > 60 ? 60 : a->name.n), a->name.p);
        for (uint32_t i = 0; i < a->nitems; i++)
            if (a->items[i]->kind != GDI_A_LAMBDA) compile_node(c, a->items[i]);
        emit_const(c, &(gdi_val){0}, a);
        return;
    }
    const gdi_builtin_info *bi = &gdi_builtins[id];
    if (a->nitems < bi->min || a->nitems > bi->max) {
        if (bi->min == bi->max)
            gdi_lang_error(c->cc, a->pos, "%s() takes %u argument%s, got %u", bi->name, bi->min,
                           bi->min == 1 ? "" : "s", a->nitems);
        else
            gdi_lang_error(c->cc, a->pos, "%s() takes %u to %u arguments, got %u", bi->name,
                           bi->min, bi->max, a->nitems);
        for (uint32_t i = 0; i < a->nitems; i++)
            if (a->items[i]->kind != GDI_A_LAMBDA) compile_node(c, a->items[i]);
        emit_const(c, &(gdi_val){0}, a);
        return;
    }
    switch (id) {
    case GDI_BI_any: compile_quant(c, a, GDI_Q_ANY); return;
    case GDI_BI_all: compile_quant(c, a, GDI_Q_ALL); return;
    case GDI_BI_count: compile_quant(c, a, GDI_Q_COUNT); return;
    case GDI_BI_filter: compile_quant(c, a, GDI_Q_FILTER); return;
    case GDI_BI_map: compile_quant(c, a, GDI_Q_MAP); return;
    case GDI_BI_matches: compile_regex(c, a); return;
    case GDI_BI_related: compile_related(c, a); return;
    case GDI_BI_default: {
        gdi_ast tmp = *a;
        tmp.kind = GDI_A_COALESCE;
        tmp.a = a->items[0];
        tmp.b = a->items[1];
        compile_node(c, &tmp);
        return;
    }
    default: break;
    }
    for (uint32_t i = 0; i < a->nitems; i++) compile_node(c, a->items[i]);
    word(c, GDI_INS(GDI_OP_CALL, (uint32_t)id), a);
    word(c, a->nitems, a);
    track(c, 1 - (int)a->nitems);
}

static void compile_node(compiler *c, const gdi_ast *a)
{
    if (c->cc->nomem) return;
    gdi_val k;
    if (a->kind != GDI_A_LIT && a->kind != GDI_A_NAME && fold(c, a, &k, 0)) {
        emit_const(c, &k, a);
        return;
    }
    switch ((gdi_ast_kind)a->kind) {
    case GDI_A_LIT: emit_const(c, &a->lit, a); return;
    case GDI_A_NAME: {
        int32_t slot = find_local(c, a->name);
        if (slot >= 0) {
            emit(c, GDI_OP_LOAD, (uint32_t)slot, a);
        } else if (gd_str_eqc(a->name, "attrs")) {
            emit(c, GDI_OP_ROOT, 0, a);
        } else if (gd_str_eqc(a->name, "resource")) {
            gdi_lang_error(c->cc, a->pos,
                           "'resource' needs a field: resource.address, resource.type, ...");
            emit_const(c, &(gdi_val){0}, a);
        } else {
            uint32_t key = add_key(c, a->name);
            note_primary(c, key);
            emit(c, GDI_OP_ATTR, key, a);
        }
        return;
    }
    case GDI_A_FIELD:
    case GDI_A_INDEX: {
        int m = meta_field(c, a);
        if (m >= 0) {
            emit(c, GDI_OP_META, (uint32_t)m, a);
            return;
        }
        if (m == -2) {
            emit_const(c, &(gdi_val){0}, a);
            return;
        }
        if (a->kind == GDI_A_FIELD) {
            compile_member(c, a, a->a, a->name);
            return;
        }
        gdi_val key;
        if (fold(c, a->b, &key, 0) && key.t == GDI_VT_STR) {
            compile_member(c, a, a->a, (gd_str){key.u.s, key.n});
            return;
        }
        compile_node(c, a->a);
        compile_node(c, a->b);
        emit(c, GDI_OP_INDEX, 0, a);
        return;
    }
    case GDI_A_UNARY:
        compile_node(c, a->a);
        emit(c, (gdi_op)a->op, 0, a);
        return;
    case GDI_A_BINARY:
        compile_node(c, a->a);
        compile_node(c, a->b);
        emit(c, (gdi_op)a->op, 0, a);
        return;
    case GDI_A_AND:
    case GDI_A_OR: {
        bool is_and = a->kind == GDI_A_AND;
        compile_node(c, a->a);
        emit(c, is_and ? GDI_OP_JAND : GDI_OP_JOR, 0, a);
        uint32_t hole = word(c, 0, a);
        compile_node(c, a->b);
        emit(c, is_and ? GDI_OP_AND2 : GDI_OP_OR2, 0, a);
        patch(c, hole, c->p->ncode);
        return;
    }
    case GDI_A_COALESCE: {
        compile_node(c, a->a);
        emit(c, GDI_OP_JNNULL, 0, a);
        uint32_t hole = word(c, 0, a);
        track(c, -1); /* fall-through path popped the null */
        compile_node(c, a->b);
        patch(c, hole, c->p->ncode);
        return;
    }
    case GDI_A_LIST:
        for (uint32_t i = 0; i < a->nitems; i++) compile_node(c, a->items[i]);
        emit(c, GDI_OP_MKLIST, a->nitems, a);
        track(c, -(int)a->nitems);
        return;
    case GDI_A_CALL: compile_call(c, a); return;
    case GDI_A_LAMBDA:
        gdi_lang_error(c->cc, a->pos,
                       "a lambda (x => ...) is only allowed as the second argument of any, all, "
                       "count, filter or map");
        emit_const(c, &(gdi_val){0}, a);
        return;
    case GDI_A_LET: {
        compile_node(c, a->a);
        uint32_t slot = new_slots(c, 1);
        emit(c, GDI_OP_STORE, slot, a);
        if (!push_scope(c, a->name, slot)) return;
        compile_node(c, a->b);
        c->nscopes--;
        return;
    }
    case GDI_A_BAD: emit_const(c, &(gdi_val){0}, a); return;
    }
}

/* ---------------------------------------------------------- PCRE2 bridge */

static void *pcre_malloc(size_t n, void *ud)
{
    return gdi_alloc((gd_ctx *)ud, n ? n : 1);
}
static void pcre_free(void *p, void *ud)
{
    gdi_free((gd_ctx *)ud, p);
}

pcre2_general_context *gdi_lang_pcre2_context(gd_ctx *ctx)
{
    return pcre2_general_context_create(pcre_malloc, pcre_free, ctx);
}

/* --------------------------------------------------------- public API */

gd_status gdi_program_compile(gd_ctx *ctx, const gdi_srcmap *map, const char *src, size_t len,
                              const gdi_compile_env *env, gdi_program **out)
{
    gd_status st = GD_OK;
    gdi_program *p = NULL;
    gdi_arena arena;
    gdi_arena_init(&arena, ctx, 8192);
    if (!out) return GD_MISUSE;
    *out = NULL;
    const char *file = map && map->file ? map->file : "<check>";
    if (len > UINT32_MAX / 2 || len > gdi_limit(ctx, GD_LIMIT_STRING)) {
        st = gdi_err(ctx, GD_LIMIT, file, map ? map->line0 : 0, map ? map->col0 : 0,
                     "check expression too long (%zu bytes)", len);
        goto done;
    }
    p = gdi_calloc(ctx, 1, sizeof *p);
    if (!p) {
        st = GD_NOMEM;
        goto done;
    }
    p->ctx = ctx;
    gdi_arena_init(&p->arena, ctx, 2048);
    p->src = gdi_arena_strndup(&p->arena, src ? src : "", src ? len : 0);
    p->map.file = gdi_arena_strndup(&p->arena, file, strlen(file));
    if (!p->src || !p->map.file) {
        st = GD_NOMEM;
        goto done;
    }
    p->srclen = (uint32_t)len;
    if (map) {
        p->map.line0 = map->line0;
        p->map.col0 = map->col0;
        p->map.indent = map->indent;
    }
    p->primary = (gd_str){"", 0};

    gdi_lang_cc cc = {0};
    cc.ctx = ctx;
    cc.map = &p->map;
    cc.src = p->src;
    cc.len = p->srclen;
    cc.arena = &arena;
    uint64_t md = gdi_limit(ctx, GD_LIMIT_DEPTH);
    cc.max_depth = md > 100000 ? 100000 : (uint32_t)md;

    gdi_ast *root = gdi_lang_parse(&cc);
    if (cc.nomem || !root) {
        st = GD_NOMEM;
        goto done;
    }
    compiler c = {0};
    c.cc = &cc;
    c.p = p;
    c.env = env;
    compile_node(&c, root);
    word(&c, GDI_INS(GDI_OP_RET, 0), root);
    if (!cc.nerrors && env && env->join_use) join_uses(&c, root, 0);
    if (cc.nomem) {
        st = GD_NOMEM;
        goto done;
    }
    if (cc.nerrors) {
        st = GD_SYNTAX;
        goto done;
    }
    *out = p;
    p = NULL;
done:
    gdi_program_free(p);
    gdi_arena_free(&arena);
    return st;
}

void gdi_program_free(gdi_program *p)
{
    if (!p) return;
    gd_ctx *ctx = p->ctx;
    for (uint32_t i = 0; i < p->nregex; i++) pcre2_code_free(p->regex[i]);
    if (p->gctx) pcre2_general_context_free(p->gctx);
    gdi_free(ctx, p->regex);
    gdi_free(ctx, (void *)p->regex_src);
    gdi_free(ctx, p->code);
    gdi_free(ctx, p->spans);
    gdi_free(ctx, p->consts);
    gdi_arena_free(&p->arena);
    gdi_free(ctx, p);
}

bool gdi_program_uses_joins(const gdi_program *p)
{
    return p && p->uses_joins;
}

gd_str gdi_program_primary_attr(const gdi_program *p)
{
    return p ? p->primary : (gd_str){"", 0};
}

void gdi_lang_pos(const gdi_program *p, uint32_t off, uint32_t *line, uint32_t *col)
{
    gdi_lang_pos_src(&p->map, p->src, p->srclen, off, line, col);
}

void gdi_program_disasm(const gdi_program *p, FILE *out)
{
    if (!p || !out) return;
    gdi_buf b;
    gdi_buf_init(&b, p->ctx);
    fprintf(out, "; %u words, %u constants, %u slots, stack %u%s\n", p->ncode, p->nconsts,
            p->nslots, p->max_stack, p->uses_joins ? ", uses joins" : "");
    for (uint32_t pc = 0; pc < p->ncode;) {
        uint32_t w = p->code[pc];
        uint32_t op = GDI_INS_OP(w), a = GDI_INS_A(w);
        if (op >= GDI_OP__COUNT) {
            fprintf(out, "%04u  ??? %u\n", pc, w);
            pc++;
            continue;
        }
        b.n = 0;
        if (b.p) b.p[0] = 0;
        const uint32_t *x = &p->code[pc + 1];
        switch (gdi_op_format[op]) {
        case GDI_OPF_CONST:
        case GDI_OPF_KEY:
            gdi_buf_printf(&b, "#%u ", a);
            if (a < p->nconsts) gdi_val_write(&b, &p->consts[a]);
            break;
        case GDI_OPF_SLOT: gdi_buf_printf(&b, "$%u", a); break;
        case GDI_OPF_COUNT: gdi_buf_printf(&b, "%u", a); break;
        case GDI_OPF_META:
            gdi_buf_printf(&b, "%s", a < GDI_META__COUNT ? gdi_meta_names[a] : "?");
            break;
        case GDI_OPF_JUMP: gdi_buf_printf(&b, "-> %04u", x[0]); break;
        case GDI_OPF_CALL:
            gdi_buf_printf(&b, "%s/%u", a < GDI_BI__COUNT ? gdi_builtins[a].name : "?", x[0]);
            break;
        case GDI_OPF_REGEX:
            gdi_buf_printf(&b, "/%s/", a < p->nregex && p->regex_src[a] ? p->regex_src[a] : "?");
            break;
        case GDI_OPF_JOIN: gdi_buf_printf(&b, "join %u", a); break;
        case GDI_OPF_QINIT:
        case GDI_OPF_QNEXT:
            gdi_buf_printf(&b, "%s $%u end %04u", x[0] < GDI_Q__COUNT ? gdi_quant_names[x[0]] : "?",
                           a, x[1]);
            break;
        case GDI_OPF_QSTEP:
            gdi_buf_printf(&b, "%s $%u loop %04u end %04u",
                           x[0] < GDI_Q__COUNT ? gdi_quant_names[x[0]] : "?", a, x[1], x[2]);
            break;
        default: break;
        }
        uint32_t line, col;
        gdi_lang_pos(p, p->spans[pc].start, &line, &col);
        const char *ops = gdi_buf_cstr(&b);
        fprintf(out, "%04u  %-8s %-40.200s ; %u:%u\n", pc, gdi_op_names[op], ops, line, col);
        pc += 1 + gdi_op_extra[op];
    }
    gdi_buf_free(&b);
}
